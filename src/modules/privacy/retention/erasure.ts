/**
 * Erasure on a data-subject request (recht op vergetelheid, AVG art. 17): what of one student's
 * data may be erased now, before its retention term ends, and what must be kept, and why. It
 * plans the same actions a retention run performs and hands them to the same appliers
 * (./pseudonymise-trajectory.ts, ./anonymise-consultation.ts, ./pseudonymise-student.ts, through
 * `APPLY` of ./run.ts), marked with the request (`erasureRequestId`), so the term is not waited
 * for; in the order a run performs them, so the student can follow their dossiers.
 *
 * Erased: every trajectory that has ended (its case records; the trajectory pseudonymised),
 * every consultation about the student once no kept trajectory it led to still holds it (case
 * text erased, the student unlinked), and then the student's identity (pseudonym, birth year,
 * guardians deleted). Kept, each with its reason (art. 17(3) AVG: a legal obligation, or the
 * establishment or defence of legal claims):
 * - a registration under review or a running trajectory (running care: the partnership's legal
 *   task and the care dossier, Jeugdwet), and everything that still refers to it;
 * - anything on legal hold (its own reason);
 * - the consent records (proof of what was consented to and withdrawn, art. 7(1) and 5(2) AVG);
 * - the access log (append-only, accountability, NEN 7513);
 * - the data-subject requests themselves (the handling of the request is accounted for, art. 12 and 5(2)).
 * Reads only; the caller (the privacy officer's `carryOutErasure`) applies the plan in one
 * transaction with `applyErasure`, or returns it as a dry run.
 */
import { EntityManager } from 'typeorm';
import { aboutStudentSql } from '../../../audit/access-recorder';
import { ACTIVE_PHASES, Phase, RetentionClass } from '../../../domain/enums';
import { conflict } from '../../../domain/errors';
import { RetentionAction, RetentionActionKind, RetentionRunOptions } from './actions';
import { CONSULTATION_STAMP_COLUMNS, ConsultationCandidate } from './plan';
import { consultationStampOf, retentionEndsOn, trajectoryStampOf, TrajectoryStampRow } from './policy';
import { APPLY } from './run';

/** A record (or a group of records) kept on an erasure request, and why. */
export interface KeptRecord {
  /** The record type (Trajectory, Consultation, Student, Consent, AccessLogEntry, DataSubjectRequest). */
  type: string;
  /** The record; null for a group counted as a whole. */
  recordId: string | null;
  count: number;
  reason: string;
}

export interface ErasurePlan {
  actions: RetentionAction[];
  kept: KeptRecord[];
}

export const KEPT_REASONS = {
  running: 'Running: a registration under review or care in progress is kept until it ends (the partnership\'s legal task; the care dossier, Jeugdwet).',
  legalHold: (reason: string | null) => `On legal hold: ${reason ?? 'no reason recorded'}.`,
  partOfKeptDossier: 'Part of the dossier of a trajectory that is kept.',
  identityStillNeeded: 'The identity stays while a kept record above (a running trajectory, a record on legal hold) refers to the student.',
  consent: 'Consent records are kept as proof of what was consented to and withdrawn, and by whom (accountability, art. 5(2) and 7(1) AVG).',
  accessLog: 'The access log is append-only and kept for accountability (NEN 7513, art. 5(2) AVG).',
  requests: 'Data-subject requests are kept to account for how they were handled (art. 12 and 5(2) AVG).',
} as const;

type TrajectoryRow = TrajectoryStampRow & { id: string; legal_hold: boolean; legal_hold_reason: string | null; retention_applied_at: Date | null };

/** What erasing `studentId` on request `requestId` would do, as of `options.asOf` (reads only). */
export async function planErasure(
  db: EntityManager,
  options: Pick<RetentionRunOptions, 'partnershipId' | 'asOf' | 'terms'>,
  studentId: string,
  requestId: string,
): Promise<ErasurePlan> {
  const { partnershipId, terms } = options;
  const actions: RetentionAction[] = [];
  const kept: KeptRecord[] = [];
  const trajectories: TrajectoryRow[] = await db.query(
    `SELECT t.id, t.phase, t.team_id, t.legal_hold, t.legal_hold_reason, t.retention_applied_at, t.retention_class, t.retention_starts_on::text AS retention_starts_on,
            (t.phase_started_at AT TIME ZONE 'Europe/Amsterdam')::date::text AS phase_started_on,
            (SELECT max(f.due_on)::text FROM follow_up f WHERE f.trajectory_id = t.id) AS last_follow_up_on
       FROM trajectory t WHERE t.student_id = $1 AND t.partnership_id = $2 ORDER BY t.created_at, t.id`,
    [studentId, partnershipId],
  );
  const keptTrajectories = new Set<string>();
  for (const t of trajectories) {
    if (t.retention_applied_at !== null) continue;
    if (ACTIVE_PHASES.includes(t.phase as Phase)) {
      kept.push({ type: 'Trajectory', recordId: t.id, count: 1, reason: KEPT_REASONS.running });
      keptTrajectories.add(t.id);
    } else if (t.legal_hold) {
      kept.push({ type: 'Trajectory', recordId: t.id, count: 1, reason: KEPT_REASONS.legalHold(t.legal_hold_reason) });
      keptTrajectories.add(t.id);
    } else {
      const stamp = trajectoryStampOf(t);
      actions.push({
        kind: RetentionActionKind.PSEUDONYMISE_TRAJECTORY, recordId: t.id, studentId, retentionClass: stamp.retentionClass,
        termEndedOn: retentionEndsOn(stamp.retentionStartsOn, terms[stamp.retentionClass]), erased: {}, erasureRequestId: requestId,
      });
    }
  }

  const consultations: Array<ConsultationCandidate & { legal_hold: boolean; legal_hold_reason: string | null; trajectory_ids: string[] | null }> = await db.query(
    `SELECT c.id, c.student_id, c.legal_hold, c.legal_hold_reason, ${CONSULTATION_STAMP_COLUMNS},
            (SELECT array_agg(t.id) FROM trajectory t WHERE t.consultation_id = c.id AND t.retention_applied_at IS NULL) AS trajectory_ids
       FROM consultation c WHERE c.student_id = $1 AND c.partnership_id = $2 AND c.retention_applied_at IS NULL ORDER BY c.created_at, c.id`,
    [studentId, partnershipId],
  );
  let keptConsultation = false;
  for (const c of consultations) {
    if (c.legal_hold) {
      kept.push({ type: 'Consultation', recordId: c.id, count: 1, reason: KEPT_REASONS.legalHold(c.legal_hold_reason) });
      keptConsultation = true;
    } else if ((c.trajectory_ids ?? []).some((id) => keptTrajectories.has(id) || !trajectories.some((t) => t.id === id))) {
      // Led to a kept trajectory (or one of another student, which keeps its own dossier).
      kept.push({ type: 'Consultation', recordId: c.id, count: 1, reason: KEPT_REASONS.partOfKeptDossier });
      keptConsultation = true;
    } else {
      const stamp = consultationStampOf(c);
      actions.push({
        kind: RetentionActionKind.ANONYMISE_CONSULTATION, recordId: c.id, studentId, retentionClass: stamp.retentionClass,
        termEndedOn: retentionEndsOn(stamp.retentionStartsOn, terms[stamp.retentionClass]), erased: {}, erasureRequestId: requestId,
      });
    }
  }

  const [student]: Array<{ legal_hold: boolean; legal_hold_reason: string | null; retention_applied_at: Date | null; left_school_on: string | null }> = await db.query(
    'SELECT s.legal_hold, s.legal_hold_reason, s.retention_applied_at, s.left_school_on::text AS left_school_on FROM student s WHERE s.id = $1 AND s.partnership_id = $2',
    [studentId, partnershipId],
  );
  if (student && student.retention_applied_at === null) {
    if (student.legal_hold) {
      kept.push({ type: 'Student', recordId: studentId, count: 1, reason: KEPT_REASONS.legalHold(student.legal_hold_reason) });
    } else if (keptTrajectories.size > 0 || keptConsultation) {
      kept.push({ type: 'Student', recordId: studentId, count: 1, reason: KEPT_REASONS.identityStillNeeded });
    } else {
      actions.push({
        kind: RetentionActionKind.PSEUDONYMISE_STUDENT, recordId: studentId, studentId, retentionClass: RetentionClass.SCHOOL_DATA,
        termEndedOn: student.left_school_on ? retentionEndsOn(student.left_school_on, terms.SCHOOL_DATA) : options.asOf, erased: {}, erasureRequestId: requestId,
      });
    }
  }

  const [counts]: Array<{ consents: number; entries: number; requests: number }> = await db.query(
    `SELECT (SELECT count(*)::int FROM consent WHERE student_id = $1 AND partnership_id = $2) AS consents,
            (SELECT count(*)::int FROM access_log_entry l WHERE ${aboutStudentSql('l', '$1')} AND l.partnership_id = $2) AS entries,
            (SELECT count(*)::int FROM data_subject_request WHERE student_id = $1 AND partnership_id = $2) AS requests`,
    [studentId, partnershipId],
  );
  if (counts.consents > 0) kept.push({ type: 'Consent', recordId: null, count: counts.consents, reason: KEPT_REASONS.consent });
  if (counts.entries > 0) kept.push({ type: 'AccessLogEntry', recordId: null, count: counts.entries, reason: KEPT_REASONS.accessLog });
  kept.push({ type: 'DataSubjectRequest', recordId: null, count: counts.requests, reason: KEPT_REASONS.requests });
  return { actions, kept };
}

/**
 * Applies a planned erasure on `tx` (the caller's one transaction), action by action, by the
 * retention appliers; CONFLICT when a record no longer qualifies under its lock (changed
 * meanwhile), so the caller's transaction rolls back whole.
 */
export async function applyErasure(tx: EntityManager, actions: RetentionAction[], options: RetentionRunOptions): Promise<void> {
  for (const action of actions) {
    if (!(await APPLY[action.kind](tx, action, options))) {
      throw conflict(`The ${action.kind === RetentionActionKind.PSEUDONYMISE_STUDENT ? 'student' : 'record'} ${action.recordId} changed while it was being erased; try again.`);
    }
  }
}
