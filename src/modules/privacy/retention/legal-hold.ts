/**
 * The legal hold (bewaarplicht, e.g. wegens geschil): set or released by the privacy officer on
 * one trajectory, consultation or student of the partnership; the retention run never touches a
 * held record (./plan.ts and every applier check it). The reason of the hold stays with the
 * record while it holds; a release clears both. On a trajectory the act is also an event
 * (`setLegalHold` / `releaseLegalHold`, with the actor and the reason), so its history keeps
 * both reasons; a consultation and a student have no event history. Every set and release is
 * one access-log entry (CHANGE of `legalHold`) naming the student concerned: the one named,
 * or the consultation's or trajectory's student. `changeLegalHold` returns that entry and the
 * caller notes it (the `setLegalHold` mutation, on the request's access recorder).
 */
import { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../../domain/clock';
import { AccessAction, AccessOutcome } from '../../../domain/enums';
import { Consultation } from '../../consultations/consultation.entity';
import { Student } from '../../students/student.entity';
import { TrajectoryEvent } from '../../trajectories/trajectory-event.entity';
import { Trajectory } from '../../trajectories/trajectory.entity';
import type { RetentionLogEntry } from './log';

/** Sets or clears the legal hold of one trajectory, consultation or student of the partnership (the first one named); false when there is none. */
export async function setLegalHold(
  tx: EntityManager,
  target: { partnershipId: string; trajectoryId?: string | null; consultationId?: string | null; studentId?: string | null },
  legalHold: boolean,
  reason: string,
): Promise<boolean> {
  const entity = target.trajectoryId ? Trajectory : target.consultationId ? Consultation : Student;
  const id = target.trajectoryId ?? target.consultationId ?? target.studentId;
  // The reason of the hold stays with the record while it holds; a release clears both (a
  // trajectory's history keeps both reasons as events, every act is in the access log).
  const result = await tx
    .createQueryBuilder()
    .update(entity)
    .set({ legalHold, legalHoldReason: legalHold ? reason : null })
    .where('id = :id AND partnership_id = :partnershipId', { id, partnershipId: target.partnershipId })
    .execute();
  return result.affected === 1;
}

/** A set or release of the legal hold of one record (exactly one of the three ids; the caller checks that). */
export interface LegalHoldChange {
  partnershipId: string;
  /** Who sets or releases it: the actor of a trajectory's event. */
  actorUserId: string;
  trajectoryId?: string | null;
  consultationId?: string | null;
  studentId?: string | null;
  legalHold: boolean;
  reason: string;
  /** When the trajectory's event occurred. */
  clock: Clock;
}

/**
 * Sets or releases the hold in a transaction of its own (in a request: a savepoint of the
 * request's one transaction), with a trajectory's event. Returns the type of the record named
 * and its access-log entry; the entry is null when the record is not in the partnership.
 */
export async function changeLegalHold(
  dataSource: DataSource,
  change: LegalHoldChange,
): Promise<{ objectType: RetentionLogEntry['objectType']; logEntry: RetentionLogEntry | null }> {
  const { partnershipId } = change;
  let studentId = change.studentId ?? null;
  const found = await dataSource.transaction(async (tx) => {
    const changed = await setLegalHold(tx, { partnershipId, trajectoryId: change.trajectoryId, consultationId: change.consultationId, studentId: change.studentId }, change.legalHold, change.reason);
    if (changed && change.consultationId) {
      // Consultations have no event history: the access-log entry records the act.
      const [row]: Array<{ student_id: string | null }> = await tx.query('SELECT student_id FROM consultation WHERE id = $1', [change.consultationId]);
      studentId = row.student_id;
    }
    if (changed && change.trajectoryId) {
      const [row]: Array<{ phase: TrajectoryEvent['toPhase']; student_id: string }> = await tx.query('SELECT phase, student_id FROM trajectory WHERE id = $1', [change.trajectoryId]);
      studentId = row.student_id;
      await tx.save(
        tx.create(TrajectoryEvent, {
          partnershipId,
          trajectoryId: change.trajectoryId,
          act: change.legalHold ? 'setLegalHold' : 'releaseLegalHold',
          fromPhase: row.phase,
          toPhase: row.phase,
          actorUserId: change.actorUserId,
          occurredAt: change.clock.now(),
          reason: change.reason,
        }),
      );
    }
    return changed;
  });
  const objectType = change.trajectoryId ? 'Trajectory' : change.consultationId ? 'Consultation' : 'Student';
  if (!found) return { objectType, logEntry: null };
  return {
    objectType,
    logEntry: {
      objectType,
      objectId: (change.trajectoryId ?? change.consultationId ?? change.studentId)!,
      studentId,
      action: AccessAction.CHANGE,
      outcome: AccessOutcome.ALLOWED,
      fields: ['legalHold'],
    },
  };
}
