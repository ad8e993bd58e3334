/**
 * Applier for a consultation past its term (ANONYMISE_CONSULTATION), in the dossier's own
 * transaction, once no trajectory it led to still holds its case data (./plan.ts): its case
 * text is erased (the five questions, the OPP reference and date and the advice become null;
 * the case description, NOT NULL, becomes the marker `CONSULTATION_ERASED_MARKER`) and the
 * student is unlinked (`studentId` null). What stays is the skeleton: kind, dates, school,
 * windstreek, outcome and the staff who asked and answered. Consultations have no event
 * history: the access-log entry (./log.ts) records the act, naming the student it was linked to.
 * A never-answered consultation erased this way can no longer get an outcome (CONFLICT in the
 * consultation service), so no new case text lands on an anonymised row.
 */
import { EntityManager } from 'typeorm';
import { Consultation } from '../../consultations/consultation.entity';
import { RetentionAction, RetentionRunOptions } from './actions';
import { CONSULTATION_STAMP_COLUMNS, ConsultationCandidate } from './plan';
import { consultationStampOf, isPastTerm } from './policy';

/** What stands in for the case description (NOT NULL) of a consultation past its term. */
export const CONSULTATION_ERASED_MARKER = '[verwijderd na bewaartermijn]';

/** The case-text fields of a consultation the run clears (besides the case description, which gets the marker). */
export const CONSULTATION_CASE_FIELDS = [
  'developmentPlanReference', 'developmentPlanDate', 'howIsTheStudentDoing', 'helpGivenAndResult', 'otherAgenciesInvolved', 'motivation', 'agreementsNow', 'advice',
] as const;

/** Anonymises one planned consultation; false (nothing written) when it no longer qualifies under the lock. */
export async function applyToConsultation(tx: EntityManager, action: RetentionAction, options: RetentionRunOptions): Promise<boolean> {
  // Lock the row, then re-check it: a concurrent outcome, hold, registration or run wins. The
  // linked trajectories are counted in a separate statement, so it sees what committed while
  // this one waited for the lock.
  const [row]: Array<Omit<ConsultationCandidate, 'id'> & { legal_hold: boolean; retention_applied_at: Date | null }> = await tx.query(
    `SELECT c.student_id, c.legal_hold, c.retention_applied_at, ${CONSULTATION_STAMP_COLUMNS}
       FROM consultation c WHERE c.id = $1 AND c.partnership_id = $2 FOR UPDATE`,
    [action.recordId, options.partnershipId],
  );
  if (!row || row.legal_hold || row.retention_applied_at !== null) return false;
  const stamp = consultationStampOf(row);
  // Erased on a data-subject request (./erasure.ts): no term to wait for.
  if (!action.erasureRequestId && !isPastTerm(stamp.retentionStartsOn, options.terms[stamp.retentionClass], options.asOf)) return false;
  const [{ open }]: Array<{ open: number }> = await tx.query(
    'SELECT count(*)::int AS open FROM trajectory t WHERE t.consultation_id = $1 AND t.retention_applied_at IS NULL',
    [action.recordId],
  );
  if (open > 0) return false;
  action.studentId = row.student_id;
  const cleared = Object.fromEntries(CONSULTATION_CASE_FIELDS.map((field) => [field, null]));
  await tx
    .createQueryBuilder()
    .update(Consultation)
    .set({ ...cleared, caseDescription: CONSULTATION_ERASED_MARKER, studentId: null, retentionAppliedAt: options.now })
    .where('id = :id', { id: action.recordId })
    .execute();
  return true;
}
