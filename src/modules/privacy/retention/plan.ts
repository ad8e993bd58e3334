/**
 * The retention plan: which records are due, as of `asOf` (a calendar day; default today by
 * the injectable clock), in one partnership, for records not on legal hold and not yet
 * processed. Reads only, one statement per record type; the same plan is a dry run's answer
 * and the real run's worklist (./run.ts). In the order a run performs them:
 * - every finished trajectory past its term (./policy.ts);
 * - every consultation past its term, provided no trajectory it led to
 *   (`trajectory.consultationId`) still holds its case data: a consultation is part of the
 *   dossier of the trajectory it led to, so it waits while that trajectory runs, is held, or is
 *   within its own term, and it may follow in the same run that pseudonymises that trajectory;
 * - every student whose school-data term has passed, with no running trajectory, every
 *   trajectory already pseudonymised and no consultation still linked to them (held, or within
 *   its term; each counts as done when this run treats it first), since such a consultation
 *   still names the student and its case text is about that identity.
 * Each applier re-checks its record under a row lock before it acts (./pseudonymise-trajectory.ts,
 * ./anonymise-consultation.ts, ./pseudonymise-student.ts).
 */
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVE_PHASES, Phase, RetentionClass } from '../../../domain/enums';
import { RetentionAction, RetentionActionKind, RetentionRunOptions } from './actions';
import { consultationStampOf, isPastTerm, retentionEndsOn, trajectoryStampOf } from './policy';

interface TrajectoryCandidate {
  id: string;
  student_id: string;
  phase: Phase;
  team_id: string | null;
  retention_class: RetentionClass | null;
  retention_starts_on: string | null;
  phase_started_on: string;
  last_follow_up_on: string | null;
}

export interface ConsultationCandidate {
  id: string;
  student_id: string | null;
  retention_class: RetentionClass | null;
  retention_starts_on: string | null;
  recorded_on: string | null;
  created_on: string;
}

/** The columns `consultationStampOf` (./policy.ts) needs, selected from `consultation` aliased `c`. */
export const CONSULTATION_STAMP_COLUMNS = `c.retention_class, c.retention_starts_on::text AS retention_starts_on,
            (c.recorded_at AT TIME ZONE 'Europe/Amsterdam')::date::text AS recorded_on,
            (c.created_at AT TIME ZONE 'Europe/Amsterdam')::date::text AS created_on`;

/** The actions due in one partnership on `asOf` (reads only), in the order a run performs them. */
export async function planRetention(db: DataSource | EntityManager, options: Pick<RetentionRunOptions, 'partnershipId' | 'asOf' | 'terms'>): Promise<RetentionAction[]> {
  const { partnershipId, asOf, terms } = options;
  const candidates: TrajectoryCandidate[] = await db.query(
    `SELECT t.id, t.student_id, t.phase, t.team_id, t.retention_class, t.retention_starts_on::text AS retention_starts_on,
            (t.phase_started_at AT TIME ZONE 'Europe/Amsterdam')::date::text AS phase_started_on,
            (SELECT max(f.due_on)::text FROM follow_up f WHERE f.trajectory_id = t.id) AS last_follow_up_on
       FROM trajectory t
      WHERE t.partnership_id = $1 AND t.retention_applied_at IS NULL AND NOT t.legal_hold AND NOT (t.phase = ANY($2::phase[]))
      ORDER BY t.created_at, t.id`,
    [partnershipId, ACTIVE_PHASES],
  );
  const actions: RetentionAction[] = [];
  for (const c of candidates) {
    const stamp = trajectoryStampOf(c);
    const term = terms[stamp.retentionClass];
    if (!isPastTerm(stamp.retentionStartsOn, term, asOf)) continue;
    actions.push({
      kind: RetentionActionKind.PSEUDONYMISE_TRAJECTORY,
      recordId: c.id,
      studentId: c.student_id,
      retentionClass: stamp.retentionClass,
      termEndedOn: retentionEndsOn(stamp.retentionStartsOn, term),
      erased: {},
    });
  }
  const treated = new Set(actions.map((a) => a.recordId));

  const consultations: Array<ConsultationCandidate & { open_trajectory_ids: string[] | null }> = await db.query(
    `SELECT c.id, c.student_id, ${CONSULTATION_STAMP_COLUMNS},
            (SELECT array_agg(t.id) FROM trajectory t WHERE t.consultation_id = c.id AND t.retention_applied_at IS NULL) AS open_trajectory_ids
       FROM consultation c
      WHERE c.partnership_id = $1 AND c.retention_applied_at IS NULL AND NOT c.legal_hold
      ORDER BY c.created_at, c.id`,
    [partnershipId],
  );
  for (const c of consultations) {
    const stamp = consultationStampOf(c);
    const term = terms[stamp.retentionClass];
    if (!isPastTerm(stamp.retentionStartsOn, term, asOf)) continue;
    // Part of the dossier of the trajectory it led to: kept while that still holds its case data.
    if ((c.open_trajectory_ids ?? []).some((id) => !treated.has(id))) continue;
    actions.push({
      kind: RetentionActionKind.ANONYMISE_CONSULTATION,
      recordId: c.id,
      studentId: c.student_id,
      retentionClass: stamp.retentionClass,
      termEndedOn: retentionEndsOn(stamp.retentionStartsOn, term),
      erased: {},
    });
  }
  for (const a of actions) treated.add(a.recordId);

  const students: Array<{ id: string; left_school_on: string; trajectory_ids: string[] | null; blocking: string[] | null; consultation_ids: string[] | null }> = await db.query(
    `SELECT s.id, s.left_school_on::text AS left_school_on,
            array_agg(t.id) FILTER (WHERE t.id IS NOT NULL AND t.retention_applied_at IS NULL) AS trajectory_ids,
            array_agg(t.id) FILTER (WHERE t.id IS NOT NULL AND t.retention_applied_at IS NULL AND (t.legal_hold OR t.phase = ANY($2::phase[]))) AS blocking,
            (SELECT array_agg(c.id) FROM consultation c WHERE c.student_id = s.id) AS consultation_ids
       FROM student s LEFT JOIN trajectory t ON t.student_id = s.id
      WHERE s.partnership_id = $1 AND s.retention_applied_at IS NULL AND NOT s.legal_hold AND s.left_school_on IS NOT NULL
      GROUP BY s.id
      ORDER BY s.created_at, s.id`,
    [partnershipId, ACTIVE_PHASES],
  );
  for (const s of students) {
    if (!isPastTerm(s.left_school_on, terms.SCHOOL_DATA, asOf)) continue;
    // A running or held trajectory, or one still within its term, keeps the student's identity.
    if ((s.blocking ?? []).length > 0) continue;
    if ((s.trajectory_ids ?? []).some((id) => !treated.has(id))) continue;
    // So does a consultation that still names the student (held, or within its term).
    if ((s.consultation_ids ?? []).some((id) => !treated.has(id))) continue;
    actions.push({
      kind: RetentionActionKind.PSEUDONYMISE_STUDENT,
      recordId: s.id,
      studentId: s.id,
      retentionClass: RetentionClass.SCHOOL_DATA,
      termEndedOn: retentionEndsOn(s.left_school_on, terms.SCHOOL_DATA),
      erased: {},
    });
  }
  return actions;
}
