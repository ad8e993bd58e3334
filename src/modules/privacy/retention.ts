/**
 * Retention (bewaartermijnen, AVG rule 7): the one home of the retention rules and of
 * the retention run. Used by `npm run retention` (./retention.cli.ts), the privacy officer's
 * `runRetention` mutation (./retention.resolver.ts), the trajectory workflow (which stamps
 * the class and start event when a trajectory ends, via `retentionFor`) and the consultation
 * service (which stamps them when an outcome is recorded, via `consultationRetention`).
 *
 * Classes and start events (src/domain/README.md; terms in configuration, `RETENTION_*_MONTHS`):
 * - a trajectory REFUSED, or CANCELLED before it was accepted (from REQUESTED, IN_REVIEW or
 *   INFO_REQUESTED): REGISTRATION_WITHOUT_HELP, from the day it ended;
 * - a trajectory CLOSED, COMPLETED or CANCELLED after acceptance: CARE_DOSSIER (the Topteam's
 *   care records), from the day care ended; for COMPLETED that is the due date of the last
 *   follow-up, the final act of the trajectory;
 * - a student: SCHOOL_DATA, from `leftSchoolOn`;
 * - a consultation (advice, step 1, or pre-consultation, step 2; anonymous or about a
 *   student): PARTNERSHIP_DOSSIER, the partnership's own work on its legal task, from the day
 *   its outcome was recorded. One without an outcome (a request never answered) runs its term
 *   from the day it was created (`createdAt`): nothing else marks its end.
 * A trajectory that ended before these columns existed has no class stamped: the run derives
 * it from its phase (CANCELLED counts as after acceptance when a team was assigned) and takes
 * the day its final phase started as the start event (for COMPLETED, its last follow-up).
 * Likewise a consultation whose outcome was recorded before the columns existed: the run takes
 * PARTNERSHIP_DOSSIER from the day of `recordedAt` (Europe/Amsterdam).
 *
 * The boundary: a record's term ENDS on `addMonths(startsOn, term)` (calendar months, the
 * 31st becoming the month's last day). It is kept up to and including that day and is due
 * from the day after: due when `asOf > addMonths(startsOn, term)`.
 *
 * What the run does, as of `asOf` (a calendar day; default today by the injectable clock), in
 * one partnership, for records not on legal hold and not yet processed:
 * - a trajectory past its term: its case records are erased (goals, evaluations, notes,
 *   hand-over advice, absence registrations, escalations, complaints, exit questionnaires,
 *   follow-ups), the reasons of its events are cleared, and the trajectory is pseudonymised
 *   (problem areas emptied, closing reason and eligibility null). What stays is the skeleton
 *   the partnership accounts with: phase, dates, school, team, events without reasons.
 * - a consultation past its term, provided no trajectory it led to (`trajectory.consultationId`)
 *   still holds its case data: a consultation is part of the dossier of the trajectory it led
 *   to, so it waits while that trajectory runs, is held, or is within its own term, and it may
 *   follow in the same run that pseudonymises that trajectory. Its case text is erased (the
 *   five questions, the OPP reference and date and the advice become null; the case
 *   description, NOT NULL, becomes the marker `CONSULTATION_ERASED_MARKER`) and the student is
 *   unlinked (`studentId` null). What stays is the skeleton: kind, dates, school, windstreek,
 *   outcome and the staff who asked and answered.
 *   A never-answered consultation erased this way can no longer get an outcome (CONFLICT in
 *   the consultation service), so no new case text lands on an anonymised row.
 * - a student whose school-data term has passed, with no running trajectory, every
 *   trajectory already pseudonymised and no consultation still linked to them (held, or within
 *   its term; each counts as done when this run treats it first), since such a consultation
 *   still names the student and its case text is about that identity: names and student number
 *   become the pseudonym (the student number is NOT NULL and unique per school, the pseudonym
 *   is unique per partnership), the birth date becomes 1 January of its year (age in years
 *   stays roughly answerable for statistics), the development-plan reference and date and the
 *   mentor are cleared, and the guardians are deleted.
 * - Kept on purpose (accountability, art. 5(2) AVG): consent records (including their
 *   grantors) and the access log, which is append-only anyway.
 *
 * Each dossier (one trajectory, one consultation, or one student) is processed in its own
 * transaction (from `npm run retention`; through the `runRetention` mutation, a savepoint of the
 * request's one transaction, which commits with the run's access-log entries), in that order, so a consultation or student can follow the records it waits
 * for in the same run. What was done is logged: a TrajectoryEvent `applyRetention` in the
 * trajectory's transaction (actor: the user id passed in; consultations have no event
 * history), and one access-log entry (action CHANGE, object Trajectory, Consultation or
 * Student, legal basis LEGAL_TASK) per dossier (`retentionLogEntries`; for a consultation the
 * student is the one it was linked to, null for an anonymous one): the mutation hands
 * them to the request's access recorder (written in the request's one statement), the CLI
 * appends them in one statement after the run (`appendRetentionLog`). A dry run reads
 * the same candidates and returns the same actions without writing anything.
 */
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { PhaseNorms, RetentionTerms } from '../../config';
import { appendAccessLog } from '../../audit/access-log-writer';
import type { AccessLogRow } from '../../audit/access-recorder';
import { addMonths, amsterdamDate } from '../../domain/clock';
import { ACTIVE_PHASES, AccessAction, AccessOutcome, LegalBasis, Phase, RetentionClass, Role } from '../../domain/enums';
import { Consultation } from '../consultations/consultation.entity';
import { Guardian } from '../students/guardian.entity';
import { Student } from '../students/student.entity';
import { AbsenceRegistration } from '../trajectories/absence-registration.entity';
import { Complaint } from '../trajectories/complaint.entity';
import { Escalation } from '../trajectories/escalation.entity';
import { Evaluation } from '../trajectories/evaluation.entity';
import { ExitQuestionnaire } from '../trajectories/exit-questionnaire.entity';
import { FollowUp } from '../trajectories/follow-up.entity';
import { Goal } from '../trajectories/goal.entity';
import { HandoverAdvice } from '../trajectories/handover-advice.entity';
import { Note } from '../trajectories/note.entity';
import { TrajectoryEvent } from '../trajectories/trajectory-event.entity';
import { Trajectory } from '../trajectories/trajectory.entity';
import { followUpDates } from '../trajectories/workflow/phase-norms';

/** The case records erased with a trajectory past its term (in this order). */
export const CASE_RECORD_ENTITIES = [Goal, Evaluation, Note, HandoverAdvice, AbsenceRegistration, Escalation, Complaint, ExitQuestionnaire, FollowUp] as const;

const BEFORE_ACCEPTANCE: readonly Phase[] = [Phase.REQUESTED, Phase.IN_REVIEW, Phase.INFO_REQUESTED];

export interface RetentionStamp {
  retentionClass: RetentionClass;
  retentionStartsOn: string;
}

/**
 * The retention class and start event of a trajectory that moves from `from` to `to` on
 * `endedOn`; null when `to` is a running phase (nothing ends).
 */
export function retentionFor(from: Phase, to: Phase, endedOn: string, norms: PhaseNorms): RetentionStamp | null {
  if (ACTIVE_PHASES.includes(to)) return null;
  if (to === Phase.REFUSED || (to === Phase.CANCELLED && BEFORE_ACCEPTANCE.includes(from))) {
    return { retentionClass: RetentionClass.REGISTRATION_WITHOUT_HELP, retentionStartsOn: endedOn };
  }
  if (to === Phase.COMPLETED) {
    const followUps = followUpDates(endedOn, norms);
    return { retentionClass: RetentionClass.CARE_DOSSIER, retentionStartsOn: followUps[followUps.length - 1].dueOn };
  }
  return { retentionClass: RetentionClass.CARE_DOSSIER, retentionStartsOn: endedOn };
}

/** The class and start event stamped on a consultation whose outcome is recorded at `recordedAt`. */
export function consultationRetention(recordedAt: Date): RetentionStamp {
  return { retentionClass: RetentionClass.PARTNERSHIP_DOSSIER, retentionStartsOn: amsterdamDate(recordedAt) };
}

/** What stands in for the case description (NOT NULL) of a consultation past its term. */
export const CONSULTATION_ERASED_MARKER = '[verwijderd na bewaartermijn]';

/** The case-text fields of a consultation the run clears (besides the case description, which gets the marker). */
export const CONSULTATION_CASE_FIELDS = [
  'developmentPlanReference', 'developmentPlanDate', 'howIsTheStudentDoing', 'helpGivenAndResult', 'otherAgenciesInvolved', 'motivation', 'agreementsNow', 'advice',
] as const;

/** The last day a record with this start and term is kept; it is due from the day after. */
export function retentionEndsOn(startsOn: string, termMonths: number): string {
  return addMonths(startsOn, termMonths);
}

/** Whether a record that started its term on `startsOn` is past it on `asOf` (see the header). */
export function isPastTerm(startsOn: string, termMonths: number, asOf: string): boolean {
  return asOf > retentionEndsOn(startsOn, termMonths);
}

/** In the order a run performs them. */
export enum RetentionActionKind {
  PSEUDONYMISE_TRAJECTORY = 'PSEUDONYMISE_TRAJECTORY',
  ANONYMISE_CONSULTATION = 'ANONYMISE_CONSULTATION',
  PSEUDONYMISE_STUDENT = 'PSEUDONYMISE_STUDENT',
}

export interface RetentionAction {
  kind: RetentionActionKind;
  /** The trajectory, consultation or student. */
  recordId: string;
  /** The student concerned; null for an anonymous consultation (or one whose student was unlinked meanwhile). */
  studentId: string | null;
  retentionClass: RetentionClass;
  /** The last day of the term (the record was due from the day after). */
  termEndedOn: string;
  /** Rows erased with it, by table (case records for a trajectory, guardians for a student; none for a consultation, whose row stays). */
  erased: Record<string, number>;
}

export interface RetentionReport {
  asOf: string;
  dryRun: boolean;
  actions: RetentionAction[];
}

export interface RetentionRunOptions {
  partnershipId: string;
  /** The calendar day (YYYY-MM-DD) the run judges terms on. */
  asOf: string;
  dryRun: boolean;
  /** Who runs it: recorded as the actor of the events and the access-log entries. */
  actorUserId: string;
  /** The membership used, for the access log (null: none recorded). */
  membershipId?: string | null;
  terms: RetentionTerms;
  norms: PhaseNorms;
  now: Date;
}

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

/** Class and start of a finished trajectory: as stamped, or derived for one ended before stamping existed. */
function stampOf(c: TrajectoryCandidate): RetentionStamp {
  if (c.retention_class && c.retention_starts_on) return { retentionClass: c.retention_class, retentionStartsOn: c.retention_starts_on };
  const accepted = c.phase !== Phase.REFUSED && !(c.phase === Phase.CANCELLED && c.team_id === null);
  const startsOn = c.phase === Phase.COMPLETED && c.last_follow_up_on ? c.last_follow_up_on : c.phase_started_on;
  return { retentionClass: accepted ? RetentionClass.CARE_DOSSIER : RetentionClass.REGISTRATION_WITHOUT_HELP, retentionStartsOn: startsOn };
}

interface ConsultationCandidate {
  id: string;
  student_id: string | null;
  retention_class: RetentionClass | null;
  retention_starts_on: string | null;
  recorded_on: string | null;
  created_on: string;
}

/** The columns `consultationStampOf` needs, selected from `consultation` aliased `c`. */
const CONSULTATION_STAMP_COLUMNS = `c.retention_class, c.retention_starts_on::text AS retention_starts_on,
            (c.recorded_at AT TIME ZONE 'Europe/Amsterdam')::date::text AS recorded_on,
            (c.created_at AT TIME ZONE 'Europe/Amsterdam')::date::text AS created_on`;

/**
 * Class and start of a consultation: as stamped when its outcome was recorded; derived from
 * `recordedAt` for one recorded before stamping existed; from its creation for one without an outcome.
 */
function consultationStampOf(c: Omit<ConsultationCandidate, 'id' | 'student_id'>): RetentionStamp {
  if (c.retention_class && c.retention_starts_on) return { retentionClass: c.retention_class, retentionStartsOn: c.retention_starts_on };
  return { retentionClass: RetentionClass.PARTNERSHIP_DOSSIER, retentionStartsOn: c.recorded_on ?? c.created_on };
}

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
    const stamp = stampOf(c);
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

async function applyToTrajectory(tx: EntityManager, action: RetentionAction, options: RetentionRunOptions): Promise<boolean> {
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
      act: 'applyRetention',
      fromPhase: row.phase,
      toPhase: row.phase,
      actorUserId: options.actorUserId,
      occurredAt: options.now,
      reason: `Retention ${action.retentionClass}: term ended on ${action.termEndedOn}; case records erased, trajectory pseudonymised.`,
    }),
  );
  return true;
}

async function applyToConsultation(tx: EntityManager, action: RetentionAction, options: RetentionRunOptions): Promise<boolean> {
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
  if (!isPastTerm(stamp.retentionStartsOn, options.terms[stamp.retentionClass], options.asOf)) return false;
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

async function applyToStudent(tx: EntityManager, action: RetentionAction, options: RetentionRunOptions): Promise<boolean> {
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

const APPLY: Record<RetentionActionKind, (tx: EntityManager, action: RetentionAction, options: RetentionRunOptions) => Promise<boolean>> = {
  [RetentionActionKind.PSEUDONYMISE_TRAJECTORY]: applyToTrajectory,
  [RetentionActionKind.ANONYMISE_CONSULTATION]: applyToConsultation,
  [RetentionActionKind.PSEUDONYMISE_STUDENT]: applyToStudent,
};

/**
 * Runs retention in one partnership (see the header). Returns what was done (or, in a dry
 * run, what would be done). Trajectories go first, then consultations, then students, so a
 * consultation or student whose last dossier is treated in this run can follow in the same run.
 */
export async function runRetention(dataSource: DataSource, options: RetentionRunOptions): Promise<RetentionReport> {
  const planned = await planRetention(dataSource, options);
  if (options.dryRun) return { asOf: options.asOf, dryRun: true, actions: planned };
  const done: RetentionAction[] = [];
  for (const action of planned) {
    const applied = await dataSource.transaction((tx) => APPLY[action.kind](tx, action, options));
    if (applied) done.push(action);
  }
  return { asOf: options.asOf, dryRun: false, actions: done };
}

export interface RetentionLogEntry {
  objectType: 'Trajectory' | 'Consultation' | 'Student';
  objectId: string;
  studentId: string | null;
  action: AccessAction;
  outcome: AccessOutcome;
  fields: string[];
}

const LOGGED_AS: Record<RetentionActionKind, RetentionLogEntry['objectType']> = {
  [RetentionActionKind.PSEUDONYMISE_TRAJECTORY]: 'Trajectory',
  [RetentionActionKind.ANONYMISE_CONSULTATION]: 'Consultation',
  [RetentionActionKind.PSEUDONYMISE_STUDENT]: 'Student',
};

function loggedFields(action: RetentionAction): string[] {
  switch (action.kind) {
    case RetentionActionKind.PSEUDONYMISE_TRAJECTORY:
      return ['problemAreas', 'closingReason', 'eligibility', ...Object.keys(action.erased).filter((table) => action.erased[table] > 0)];
    case RetentionActionKind.ANONYMISE_CONSULTATION:
      return ['caseDescription', ...CONSULTATION_CASE_FIELDS, 'student'];
    case RetentionActionKind.PSEUDONYMISE_STUDENT:
      return ['givenName', 'familyName', 'studentNumber', 'birthDate', 'developmentPlanReference', 'developmentPlanDate', 'Guardian'];
  }
}

/** The access-log entries (action CHANGE) of what a run did: one per dossier. */
export function retentionLogEntries(actions: RetentionAction[]): RetentionLogEntry[] {
  return actions.map((action) => ({
    objectType: LOGGED_AS[action.kind],
    objectId: action.recordId,
    studentId: action.studentId,
    action: AccessAction.CHANGE,
    outcome: AccessOutcome.ALLOWED,
    fields: loggedFields(action),
  }));
}

/** Appends the entries of a run outside a GraphQL request (the CLI) in one statement. */
export async function appendRetentionLog(dataSource: DataSource, options: Pick<RetentionRunOptions, 'partnershipId' | 'actorUserId' | 'membershipId' | 'now'>, actions: RetentionAction[]): Promise<void> {
  const requestId = randomUUID();
  const rows: AccessLogRow[] = retentionLogEntries(actions).map((entry) => ({
    ...entry,
    id: randomUUID(),
    partnershipId: options.partnershipId,
    createdAt: options.now,
    userId: options.actorUserId,
    membershipId: options.membershipId ?? null,
    role: Role.PRIVACY_OFFICER,
    legalBasis: LegalBasis.LEGAL_TASK,
    consentId: null,
    requestId,
  }));
  await appendAccessLog(dataSource, options.partnershipId, rows);
}

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
