/**
 * Applier for a student whose school-data term has passed (PSEUDONYMISE_STUDENT), in the
 * dossier's own transaction, once nothing else holds their identity (./plan.ts): names and
 * student number become the pseudonym (the student number is NOT NULL and unique per school,
 * the pseudonym is unique per partnership), the birth date becomes 1 January of its year (age
 * in years stays roughly answerable for statistics), the development-plan reference and date
 * and the mentor are cleared, and the guardians are deleted. Consent records (including their
 * grantors) are kept (accountability, art. 5(2) AVG).
 */
import { EntityManager } from 'typeorm';
import { ACTIVE_PHASES } from '../../../domain/enums';
import { Guardian } from '../../students/guardian.entity';
import { RetentionAction, RetentionRunOptions } from './actions';

/** Pseudonymises one planned student; false (nothing written) when they no longer qualify under the lock. */
export async function applyToStudent(tx: EntityManager, action: RetentionAction, options: RetentionRunOptions): Promise<boolean> {
  // Lock the row, then count what still holds the identity in a separate statement, so it
  // sees what committed while this one waited for the lock.
  const [row]: Array<{ legal_hold: boolean; retention_applied_at: Date | null }> = await tx.query(
    'SELECT s.legal_hold, s.retention_applied_at FROM student s WHERE s.id = $1 AND s.partnership_id = $2 FOR UPDATE',
    [action.recordId, options.partnershipId],
  );
  if (!row || row.legal_hold || row.retention_applied_at !== null) return false;
  const [{ open }]: Array<{ open: number }> = await tx.query(
    `SELECT (SELECT count(*)::int FROM trajectory t WHERE t.student_id = $1 AND (t.retention_applied_at IS NULL OR t.phase = ANY($2::phase[])))
          + (SELECT count(*)::int FROM consultation c WHERE c.student_id = $1) AS open`,
    [action.recordId, ACTIVE_PHASES],
  );
  if (open > 0) return false;
  const guardians = await tx.delete(Guardian, { studentId: action.recordId });
  action.erased[Guardian.name] = guardians.affected ?? 0;
  await tx.query(
    `UPDATE student SET given_name = pseudonym, family_name = pseudonym, student_number = pseudonym,
            birth_date = make_date(extract(year FROM birth_date)::int, 1, 1),
            development_plan_reference = NULL, development_plan_date = NULL, mentor_user_id = NULL,
            retention_applied_at = $2
      WHERE id = $1`,
    [action.recordId, options.now],
  );
  return true;
}
