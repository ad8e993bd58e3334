/**
 * Applier for a trajectory past its term (PSEUDONYMISE_TRAJECTORY), in the dossier's own
 * transaction: its case records are erased (goals, evaluations, notes, hand-over advice,
 * absence registrations, escalations, complaints, exit questionnaires, follow-ups), the reasons
 * of its events are cleared, and the trajectory is pseudonymised (problem areas emptied,
 * closing reason and eligibility null). What stays is the skeleton the partnership accounts
 * with: phase, dates, school, team, events without reasons. What was done is recorded as a
 * TrajectoryEvent `applyRetention` in the same transaction (actor: the user id passed in); on a
 * data-subject request (./erasure.ts) the event is `applyErasure`, naming the request.
 */
import { EntityManager } from 'typeorm';
import { ACTIVE_PHASES, Phase } from '../../../domain/enums';
import { AbsenceRegistration } from '../../trajectories/absence-registration.entity';
import { Complaint } from '../../trajectories/complaint.entity';
import { Escalation } from '../../trajectories/escalation.entity';
import { Evaluation } from '../../trajectories/evaluation.entity';
import { ExitQuestionnaire } from '../../trajectories/exit-questionnaire.entity';
import { FollowUp } from '../../trajectories/follow-up.entity';
import { Goal } from '../../trajectories/goal.entity';
import { HandoverAdvice } from '../../trajectories/handover-advice.entity';
import { Note } from '../../trajectories/note.entity';
import { TrajectoryEvent } from '../../trajectories/trajectory-event.entity';
import { Trajectory } from '../../trajectories/trajectory.entity';
import { RetentionAction, RetentionRunOptions } from './actions';

/** The case records erased with a trajectory past its term (in this order). */
export const CASE_RECORD_ENTITIES = [Goal, Evaluation, Note, HandoverAdvice, AbsenceRegistration, Escalation, Complaint, ExitQuestionnaire, FollowUp] as const;

/** Pseudonymises one planned trajectory; false (nothing written) when it no longer qualifies under the lock. */
export async function applyToTrajectory(tx: EntityManager, action: RetentionAction, options: RetentionRunOptions): Promise<boolean> {
  // Lock the row and re-check it under the lock: a concurrent act, hold or run wins.
  const [row]: Array<{ phase: Phase; legal_hold: boolean; retention_applied_at: Date | null }> = await tx.query(
    'SELECT phase, legal_hold, retention_applied_at FROM trajectory WHERE id = $1 AND partnership_id = $2 FOR UPDATE',
    [action.recordId, options.partnershipId],
  );
  if (!row || row.legal_hold || row.retention_applied_at !== null || ACTIVE_PHASES.includes(row.phase)) return false;
  for (const entity of CASE_RECORD_ENTITIES) {
    const result = await tx.delete(entity, { trajectoryId: action.recordId });
    action.erased[entity.name] = result.affected ?? 0;
  }
  await tx.update(TrajectoryEvent, { trajectoryId: action.recordId }, { reason: null });
  await tx
    .createQueryBuilder()
    .update(Trajectory)
    .set({ problemAreas: [], closingReason: null, eligibility: null, retentionAppliedAt: options.now, version: () => 'version + 1', updatedAt: options.now })
    .where('id = :id', { id: action.recordId })
    .execute();
  await tx.save(
    tx.create(TrajectoryEvent, {
      partnershipId: options.partnershipId,
      trajectoryId: action.recordId,
      act: action.erasureRequestId ? 'applyErasure' : 'applyRetention',
      fromPhase: row.phase,
      toPhase: row.phase,
      actorUserId: options.actorUserId,
      occurredAt: options.now,
      reason: action.erasureRequestId
        ? `Erasure on data-subject request ${action.erasureRequestId}: case records erased, trajectory pseudonymised.`
        : `Retention ${action.retentionClass}: term ended on ${action.termEndedOn}; case records erased, trajectory pseudonymised.`,
    }),
  );
  return true;
}
