/**
 * Retention (bewaartermijnen, AVG issue item 6): the one home of the retention rules and of
 * the retention run. Used by `npm run retention` (./retention.cli.ts), the privacy officer's
 * `runRetention` mutation (./retention.resolver.ts) and the trajectory workflow (which stamps
 * the class and start event when a trajectory ends, via `retentionFor`).
 *
 * Classes and start events (DOMAIN.md; terms in configuration, `RETENTION_*_MONTHS`):
 * - a trajectory REFUSED, or CANCELLED before it was accepted (from REQUESTED, IN_REVIEW or
 *   INFO_REQUESTED): REGISTRATION_WITHOUT_HELP, from the day it ended;
 * - a trajectory CLOSED, COMPLETED or CANCELLED after acceptance: CARE_DOSSIER (the Topteam's
 *   care records), from the day care ended; for COMPLETED that is the due date of the last
 *   follow-up, the final act of the trajectory;
 * - a student: SCHOOL_DATA, from `leftSchoolOn`;
 * - PARTNERSHIP_DOSSIER has a term in configuration, but no record carries that class yet.
 * A trajectory that ended before these columns existed has no class stamped: the run derives
 * it from its phase (CANCELLED counts as after acceptance when a team was assigned) and takes
 * the day its final phase started as the start event (for COMPLETED, its last follow-up).
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
 * - a student whose school-data term has passed, with no running trajectory and every
 *   trajectory already pseudonymised (or pseudonymised by this run): names and student number
 *   become the pseudonym (the student number is NOT NULL and unique per school, the pseudonym
 *   is unique per partnership), the birth date becomes 1 January of its year (age in years
 *   stays roughly answerable for statistics), the development-plan reference and date and the
 *   mentor are cleared, and the guardians are deleted.
 * - Kept on purpose (accountability, art. 5(2) AVG): consent records (including their
 *   grantors) and the access log, which is append-only anyway.
 *
 * Each dossier (one trajectory, or one student) is processed in its own transaction. What was
 * done is logged twice: a TrajectoryEvent `applyRetention` in the trajectory's transaction
 * (actor: the user id passed in), and one access-log entry (action CHANGE, object Trajectory
 * or Student, legal basis LEGAL_TASK) per dossier (`retentionLogEntries`): the mutation hands
 * them to the request's access recorder (written in the request's one statement), the CLI
 * appends them in one statement after the run (`appendRetentionLog`). A dry run reads
 * the same candidates and returns the same actions without writing anything.
 */
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { PhaseNorms, RetentionTerms } from '../../config';
import { appendAccessLog } from '../../audit/access-log.plugin';
import type { AccessLogRow } from '../../audit/access-recorder';
import { addMonths } from '../../domain/clock';
import { ACTIVE_PHASES, AccessAction, AccessOutcome, LegalBasis, Phase, RetentionClass, Role } from '../../domain/enums';
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

/** The last day a record with this start and term is kept; it is due from the day after. */
export function retentionEndsOn(startsOn: string, termMonths: number): string {
  return addMonths(startsOn, termMonths);
}

/** Whether a record that started its term on `startsOn` is past it on `asOf` (see the header). */
export function isPastTerm(startsOn: string, termMonths: number, asOf: string): boolean {
  return asOf > retentionEndsOn(startsOn, termMonths);
}

export enum RetentionActionKind {
  PSEUDONYMISE_TRAJECTORY = 'PSEUDONYMISE_TRAJECTORY',
  PSEUDONYMISE_STUDENT = 'PSEUDONYMISE_STUDENT',
}

export interface RetentionAction {
  kind: RetentionActionKind;
  /** The trajectory or student. */
  recordId: string;
  studentId: string;
  retentionClass: RetentionClass;
  /** The last day of the term (the record was due from the day after). */
  termEndedOn: string;
  /** Rows erased with it, by table (case records for a trajectory, guardians for a student). */
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

/** The actions due in one partnership on `asOf` (reads only). */
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

  const students: Array<{ id: string; left_school_on: string; trajectory_ids: string[] | null; blocking: string[] | null }> = await db.query(
    `SELECT s.id, s.left_school_on::text AS left_school_on,
            array_agg(t.id) FILTER (WHERE t.id IS NOT NULL AND t.retention_applied_at IS NULL) AS trajectory_ids,
            array_agg(t.id) FILTER (WHERE t.id IS NOT NULL AND t.retention_applied_at IS NULL AND (t.legal_hold OR t.phase = ANY($2::phase[]))) AS blocking
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

async function applyToStudent(tx: EntityManager, action: RetentionAction, options: RetentionRunOptions): Promise<boolean> {
  const [row]: Array<{ legal_hold: boolean; retention_applied_at: Date | null; open: number }> = await tx.query(
    `SELECT s.legal_hold, s.retention_applied_at,
            (SELECT count(*)::int FROM trajectory t WHERE t.student_id = s.id AND (t.retention_applied_at IS NULL OR t.phase = ANY($3::phase[]))) AS open
       FROM student s WHERE s.id = $1 AND s.partnership_id = $2 FOR UPDATE`,
    [action.recordId, options.partnershipId, ACTIVE_PHASES],
  );
  if (!row || row.legal_hold || row.retention_applied_at !== null || row.open > 0) return false;
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

/**
 * Runs retention in one partnership (see the header). Returns what was done (or, in a dry
 * run, what would be done). Trajectories go first, so a student whose last dossier is
 * pseudonymised in this run can follow in the same run.
 */
export async function runRetention(dataSource: DataSource, options: RetentionRunOptions): Promise<RetentionReport> {
  const planned = await planRetention(dataSource, options);
  if (options.dryRun) return { asOf: options.asOf, dryRun: true, actions: planned };
  const done: RetentionAction[] = [];
  for (const action of planned) {
    const applied = await dataSource.transaction((tx) =>
      action.kind === RetentionActionKind.PSEUDONYMISE_TRAJECTORY ? applyToTrajectory(tx, action, options) : applyToStudent(tx, action, options),
    );
    if (applied) done.push(action);
  }
  return { asOf: options.asOf, dryRun: false, actions: done };
}

export interface RetentionLogEntry {
  objectType: 'Trajectory' | 'Student';
  objectId: string;
  studentId: string;
  action: AccessAction;
  outcome: AccessOutcome;
  fields: string[];
}

/** The access-log entries (action CHANGE) of what a run did: one per dossier. */
export function retentionLogEntries(actions: RetentionAction[]): RetentionLogEntry[] {
  return actions.map((action) => ({
    objectType: action.kind === RetentionActionKind.PSEUDONYMISE_TRAJECTORY ? 'Trajectory' : 'Student',
    objectId: action.recordId,
    studentId: action.studentId,
    action: AccessAction.CHANGE,
    outcome: AccessOutcome.ALLOWED,
    fields: action.kind === RetentionActionKind.PSEUDONYMISE_TRAJECTORY
      ? ['problemAreas', 'closingReason', 'eligibility', ...Object.keys(action.erased).filter((table) => action.erased[table] > 0)]
      : ['givenName', 'familyName', 'studentNumber', 'birthDate', 'developmentPlanReference', 'developmentPlanDate', 'Guardian'],
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

/** Sets or clears the legal hold of one trajectory or student of the partnership; false when there is none. */
export async function setLegalHold(
  tx: EntityManager,
  target: { partnershipId: string; trajectoryId?: string | null; studentId?: string | null },
  legalHold: boolean,
): Promise<boolean> {
  const entity = target.trajectoryId ? Trajectory : Student;
  const id = target.trajectoryId ?? target.studentId;
  const result = await tx
    .createQueryBuilder()
    .update(entity)
    .set({ legalHold })
    .where('id = :id AND partnership_id = :partnershipId', { id, partnershipId: target.partnershipId })
    .execute();
  return result.affected === 1;
}
