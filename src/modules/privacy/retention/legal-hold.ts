/**
 * The legal hold (bewaarplicht, e.g. wegens geschil): set or released by the privacy officer on
 * one trajectory, consultation or student of the partnership; the retention run never touches a
 * held record (./plan.ts and every applier check it). The reason of the hold stays with the
 * record while it holds; a release clears both.
 */
import { EntityManager } from 'typeorm';
import { Consultation } from '../../consultations/consultation.entity';
import { Student } from '../../students/student.entity';
import { Trajectory } from '../../trajectories/trajectory.entity';

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
