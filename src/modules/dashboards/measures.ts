/**
 * The catalogue of the dashboard's measures: what each one counts, over which rows, by which
 * date, in which category, as SQL over one table. One home per measure; the service turns a
 * group's measures into one statement (./dashboard.sql.ts), and the tests compute each one
 * again, independently, from the rows.
 *
 * Dates are calendar days in Europe/Amsterdam. Phases are timed from the acts recorded in the
 * trajectory's events (when someone performed the act); the API does not store the dates of
 * the meetings the handbook counts from (the intro meeting, the advice/start meeting), so a
 * duration may run a few days longer than the meetings would say.
 */
import { registerEnumType } from 'type-graphql';
import type { FigureGroupKey } from '../../authz/rules/aggregate.rules';
import type { Config } from '../../config';
import { ACTIVE_PHASES, ConsentPurpose, Phase } from '../../domain/enums';
import { Consent } from '../consents/consent.entity';
import { Consultation } from '../consultations/consultation.entity';
import { AccessLogEntry } from '../privacy/access-log-entry.entity';
import { DataSubjectRequest } from '../privacy/data-subject-request.entity';
import { Complaint } from '../trajectories/complaint.entity';
import { Escalation } from '../trajectories/escalation.entity';
import { ExitQuestionnaire } from '../trajectories/exit-questionnaire.entity';
import { FollowUp } from '../trajectories/follow-up.entity';
import { Trajectory } from '../trajectories/trajectory.entity';
import { Topteam } from '../topteams/topteam.entity';

export enum DashboardMeasure {
  ADVICE_REQUESTS = 'ADVICE_REQUESTS',
  PRE_CONSULTATIONS = 'PRE_CONSULTATIONS',
  REGISTRATIONS = 'REGISTRATIONS',
  REGISTRATIONS_INFO_REQUESTED = 'REGISTRATIONS_INFO_REQUESTED',
  REFUSALS = 'REFUSALS',
  RUNNING = 'RUNNING',
  RUNNING_AT_MONTH_END = 'RUNNING_AT_MONTH_END',
  WAITING_FOR_TEAM = 'WAITING_FOR_TEAM',
  ASSIGNED = 'ASSIGNED',
  CROSS_WINDSTREEK = 'CROSS_WINDSTREEK',
  CROSS_WINDSTREEK_SHARE = 'CROSS_WINDSTREEK_SHARE',
  TEAM_LOAD = 'TEAM_LOAD',
  OVERDUE = 'OVERDUE',
  PAST_LIMIT = 'PAST_LIMIT',
  FOLLOW_UPS_DUE = 'FOLLOW_UPS_DUE',
  FOLLOW_UPS_OVERDUE = 'FOLLOW_UPS_OVERDUE',
  DURATION_REGISTRATION_TO_DECISION = 'DURATION_REGISTRATION_TO_DECISION',
  DURATION_DECISION_TO_START = 'DURATION_DECISION_TO_START',
  DURATION_ASSESSMENT = 'DURATION_ASSESSMENT',
  DURATION_INTENSIVE = 'DURATION_INTENSIVE',
  DURATION_CONSOLIDATION = 'DURATION_CONSOLIDATION',
  ENDED = 'ENDED',
  FOLLOW_UPS_RECORDED = 'FOLLOW_UPS_RECORDED',
  STILL_IN_EDUCATION = 'STILL_IN_EDUCATION',
  AT_EXPECTED_LEVEL = 'AT_EXPECTED_LEVEL',
  DIPLOMA_EXPECTED = 'DIPLOMA_EXPECTED',
  STILL_IN_EDUCATION_SHARE = 'STILL_IN_EDUCATION_SHARE',
  AT_EXPECTED_LEVEL_SHARE = 'AT_EXPECTED_LEVEL_SHARE',
  DIPLOMA_EXPECTED_SHARE = 'DIPLOMA_EXPECTED_SHARE',
  EXIT_QUESTIONNAIRES = 'EXIT_QUESTIONNAIRES',
  EXIT_SCORE = 'EXIT_SCORE',
  ESCALATIONS_OPENED = 'ESCALATIONS_OPENED',
  ESCALATIONS_RESOLVED = 'ESCALATIONS_RESOLVED',
  COMPLAINTS_RECEIVED = 'COMPLAINTS_RECEIVED',
  COMPLAINTS_RESOLVED = 'COMPLAINTS_RESOLVED',
  CONSENTS = 'CONSENTS',
  CONSENTS_GIVEN = 'CONSENTS_GIVEN',
  CONSENTS_WITHDRAWN = 'CONSENTS_WITHDRAWN',
  LACKING_CONSENT = 'LACKING_CONSENT',
  DATA_SUBJECT_REQUESTS_RECEIVED = 'DATA_SUBJECT_REQUESTS_RECEIVED',
  DATA_SUBJECT_REQUESTS_OPEN = 'DATA_SUBJECT_REQUESTS_OPEN',
  DATA_SUBJECT_REQUESTS_OVERDUE = 'DATA_SUBJECT_REQUESTS_OVERDUE',
  ACCESS_LOG_ENTRIES = 'ACCESS_LOG_ENTRIES',
}

/**
 * How a count relates to time. FLOW: rows dated within a bucket (a bucket is the sum of its
 * months). STOCK: rows in a state at the end of each month (a bucket shows its last month).
 * NOW: rows in a state today (no bucket).
 */
export type Temporal = 'FLOW' | 'STOCK' | 'NOW';

/**
 * How a measure's rows reach the breakdown: a trajectory (school and team), a record under a
 * trajectory (through it), a consultation (its school), a student-owned record (the student's
 * school), or nothing (only the total).
 */
export type Reach = 'trajectory' | 'record' | 'consultation' | 'student' | 'none';

/** A table a measure counts, with the entity whose `aggregate` and `read` rules apply to it. */
export interface Basis {
  entity: Function;
  table: string;
  reach: Reach;
  /**
   * The field whose `read` decides exact figures, where some readers of the rows do not read
   * what the measures count: a follow-up's outcome (case), of rows whose due state is planning.
   */
  countedField?: string;
}

export const BASES = {
  Trajectory: { entity: Trajectory, table: 'trajectory', reach: 'trajectory' },
  Consultation: { entity: Consultation, table: 'consultation', reach: 'consultation' },
  FollowUp: { entity: FollowUp, table: 'follow_up', reach: 'record', countedField: 'stillInEducation' },
  ExitQuestionnaire: { entity: ExitQuestionnaire, table: 'exit_questionnaire', reach: 'record' },
  Escalation: { entity: Escalation, table: 'escalation', reach: 'record' },
  Complaint: { entity: Complaint, table: 'complaint', reach: 'record' },
  Consent: { entity: Consent, table: 'consent', reach: 'student' },
  DataSubjectRequest: { entity: DataSubjectRequest, table: 'data_subject_request', reach: 'student' },
  AccessLogEntry: { entity: AccessLogEntry, table: 'access_log_entry', reach: 'none' },
  Topteam: { entity: Topteam, table: 'topteam', reach: 'none' },
} satisfies Record<string, Basis>;
export type BasisName = keyof typeof BASES;

/** SQL helpers a measure writes with: `a` is its row's alias, `local(ts)` the Amsterdam date of a timestamp. */
export const local = (timestamp: string) => `(${timestamp} AT TIME ZONE 'Europe/Amsterdam')::date`;
const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
/** Trajectories after acceptance that have not ended: what a team carries. */
export const CARRIED_PHASES = [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION] as const;
/** The purposes a running trajectory needs consent for (the consent-gated roles'). */
const GATING_PURPOSES = [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM];
/** How a trajectory can end. */
export const ENDED_PHASES = [Phase.REFUSED, Phase.CLOSED, Phase.COMPLETED, Phase.CANCELLED] as const;

interface MeasureBase {
  group: FigureGroupKey;
  /** Shown as the GraphQL description of the enum value: what is counted, and what is not stored. */
  description: string;
}

/**
 * Conditions written once elsewhere, as SQL over a consent row (alias): whether it holds today
 * and whether it has expired (src/authz/consent-holds.ts, through the rules translator), and whether
 * its grantors match the age rule for the student row `s` today (consent.service.ts).
 */
export interface SqlHelpers {
  holds(consent: string): string;
  expired(consent: string): string;
  matchesAgeRule(consent: string, student: string): string;
  /**
   * The caller's partnership id (a parameter), for subqueries PostgreSQL may run apart from their
   * row (a hashed subplan): with the constant, they read one partnership's rows through its
   * index instead of every partnership's.
   */
  partnership: string;
}

/** A count of rows of one basis table. SQL fragments use the row alias `a` and named parameters (`:today`). */
export interface CountMeasure extends MeasureBase {
  kind: 'COUNT';
  basis: BasisName;
  temporal: Temporal;
  /** FLOW: the date of the row (a date expression). */
  date?: (a: string) => string;
  /** The category of the row (text), if the measure has categories. */
  category?: (a: string, h: SqlHelpers) => string;
  /** Which rows count, beyond the caller's scope. */
  where?: (a: string, h: SqlHelpers) => string;
  /** A FROM-clause addition that repeats each row once per category (e.g. per purpose). */
  expand?: (a: string) => string;
}

/** A share: `numerator` over `denominator`, both counts of the same group with the same categories. */
export interface ShareMeasure extends MeasureBase {
  kind: 'SHARE';
  numerator: DashboardMeasure;
  denominator: DashboardMeasure;
}

/** Durations in days (median and 90th percentile) of an interval of a trajectory's phases, dated by its end. */
export interface DurationMeasure extends MeasureBase {
  kind: 'DURATION';
  basis: 'Trajectory';
  /** The interval, from the phase-change intervals `iv` of ./dashboard.sql.ts. */
  interval: 'registrationToDecision' | 'decisionToStart' | Phase.ASSESSMENT | Phase.INTENSIVE | Phase.CONSOLIDATION;
  norm: (config: Config) => number | null;
}

/** The mean of a column (`value(a)`) per category, dated by `date`. */
export interface MeanMeasure extends MeasureBase {
  kind: 'MEAN';
  basis: BasisName;
  date: (a: string) => string;
  category: (a: string) => string;
  value: (a: string) => string;
}

/** A team's load (weighted running trajectories) against its capacity, now. */
export interface LoadMeasure extends MeasureBase {
  kind: 'LOAD';
  basis: 'Trajectory';
}

export type MeasureSpec = CountMeasure | ShareMeasure | DurationMeasure | MeanMeasure | LoadMeasure;

const registeredAt = (a: string) => local(`"${a}"."created_at"`);
const phaseIn = (phases: readonly string[]) => (a: string) => `"${a}"."phase" IN (${quoted(phases)})`;
/**
 * Rows joined to `a` are of its partnership: stated in the joins of a record to its trajectory
 * and of a case to its events and team, so that the partnership's constant can reach the joined
 * table and its (partnership, …) indexes. Row-level security holds the same, but as a condition
 * no index can use. (Not on the joins to a school: there it turned one plan at national scale
 * into a walk over every partnership's cases.)
 */
export const samePartnership = (joined: string, a: string) => `"${joined}"."partnership_id" = "${a}"."partnership_id"`;

const event = (a: string, toPhase: Phase, h: SqlHelpers) =>
  `EXISTS (SELECT 1 FROM "trajectory_event" "${a}_e" WHERE "${a}_e"."trajectory_id" = "${a}"."id" AND "${a}_e"."partnership_id" = ${h.partnership} AND "${a}_e"."to_phase" = '${toPhase}')`;
const recorded = (column: string) => (a: string) => `"${a}"."recorded_at" IS NOT NULL AND "${a}"."${column}"`;
const WEEK = 7;
const MONTH_DAYS = 365.25 / 12;

export const MEASURES: Record<DashboardMeasure, MeasureSpec> = {
  // ---- intake (instroom)
  ADVICE_REQUESTS: {
    group: 'intake', kind: 'COUNT', basis: 'Consultation', temporal: 'FLOW', date: registeredAt,
    where: (a) => `"${a}"."kind" = 'ADVICE'`, category: (a) => `COALESCE("${a}"."outcome"::text, 'OPEN')`,
    description: 'Advice requests (step 1, preventief advies) by the month they were asked, per outcome (ConsultationOutcome, or OPEN while unanswered).',
  },
  PRE_CONSULTATIONS: {
    group: 'intake', kind: 'COUNT', basis: 'Consultation', temporal: 'FLOW', date: registeredAt,
    where: (a) => `"${a}"."kind" = 'PRE_CONSULTATION'`, category: (a) => `COALESCE("${a}"."outcome"::text, 'OPEN')`,
    description: 'Pre-consultations (step 2, collegiaal vooroverleg) by the month they were requested, per outcome (ConsultationOutcome, or OPEN).',
  },
  REGISTRATIONS: {
    group: 'intake', kind: 'COUNT', basis: 'Trajectory', temporal: 'FLOW', date: registeredAt,
    category: (a, h) => `CASE WHEN ${event(a, Phase.ACCEPTED, h)} THEN 'ACCEPTED' WHEN "${a}"."phase" = 'REFUSED' THEN 'REFUSED'
      WHEN "${a}"."phase" = 'CANCELLED' THEN 'WITHDRAWN' ELSE 'PENDING' END`,
    description: 'Registrations (step 3, aanmeldingen) by the month they were submitted, per outcome: ACCEPTED, REFUSED, WITHDRAWN (cancelled before a decision) or PENDING. REFUSALS splits the refused ones by criterion.',
  },
  REGISTRATIONS_INFO_REQUESTED: {
    group: 'intake', kind: 'COUNT', basis: 'Trajectory', temporal: 'FLOW', date: registeredAt, where: (a, h) => event(a, Phase.INFO_REQUESTED, h),
    description: 'Registrations for which the advisor asked the school for more information (aanvullende informatie gevraagd), by the month submitted.',
  },
  REFUSALS: {
    group: 'intake', kind: 'COUNT', basis: 'Trajectory', temporal: 'FLOW', date: registeredAt, where: (a) => `"${a}"."phase" = 'REFUSED'`,
    category: (a) => `COALESCE("${a}"."refusal_ground"::text, 'UNRECORDED')`,
    description: 'Refused registrations (afwijzingen) by the month they were submitted, per refusal ground (RefusalGround; UNRECORDED for refusals recorded before grounds existed).',
  },
  // ---- caseload
  RUNNING: {
    group: 'caseload', kind: 'COUNT', basis: 'Trajectory', temporal: 'NOW', where: phaseIn(ACTIVE_PHASES), category: (a) => `"${a}"."phase"::text`,
    description: 'Running trajectories today (lopend), from the registration to the consolidation phase, per phase.',
  },
  RUNNING_AT_MONTH_END: {
    group: 'caseload', kind: 'COUNT', basis: 'Trajectory', temporal: 'STOCK',
    description: 'Running trajectories per phase at the end of each month (or today, for the current month), from the recorded phase changes; a quarter or school year shows its last month.',
  },
  WAITING_FOR_TEAM: {
    group: 'caseload', kind: 'COUNT', basis: 'Trajectory', temporal: 'NOW', where: (a) => `"${a}"."phase" = 'ACCEPTED' AND "${a}"."team_id" IS NULL`,
    description: 'Accepted cases waiting for a team today (wachtlijst).',
  },
  ASSIGNED: {
    group: 'caseload', kind: 'COUNT', basis: 'Trajectory', temporal: 'NOW', where: (a) => `"${a}"."team_id" IS NOT NULL AND ${phaseIn(CARRIED_PHASES)(a)}`,
    description: 'Running trajectories with a team today (toegewezen).',
  },
  CROSS_WINDSTREEK: {
    group: 'caseload', kind: 'COUNT', basis: 'Trajectory', temporal: 'NOW',
    where: (a) => `${phaseIn(CARRIED_PHASES)(a)} AND EXISTS (SELECT 1 FROM "topteam" "${a}_tm" WHERE "${a}_tm"."id" = "${a}"."team_id" AND ${samePartnership(`${a}_tm`, a)} AND "${a}_tm"."windstreek_id" <> "${a}"."windstreek_id")`,
    description: 'Running trajectories with a team of another windstreek today (windstreekoverstijgend).',
  },
  CROSS_WINDSTREEK_SHARE: {
    group: 'caseload', kind: 'SHARE', numerator: DashboardMeasure.CROSS_WINDSTREEK, denominator: DashboardMeasure.ASSIGNED,
    description: 'Share of the running trajectories with a team that went to a team of another windstreek (percent).',
  },
  TEAM_LOAD: {
    group: 'caseload', kind: 'LOAD', basis: 'Trajectory',
    description: 'Per Topteam: its load today (belasting: running trajectories weighted by phase, CASELOAD_WEIGHTS) against its capacity (`norm`); `n` the trajectories.',
  },
  // ---- timeliness (tijdigheid)
  OVERDUE: {
    group: 'timeliness', kind: 'COUNT', basis: 'Trajectory', temporal: 'NOW', category: (a) => `"${a}"."phase"::text`,
    where: (a) => `${phaseIn(ACTIVE_PHASES)(a)} AND "${a}"."phase_due_on" < CAST(:today AS date)`,
    description: 'Running trajectories past the due date of their phase today (over tijd), per phase.',
  },
  PAST_LIMIT: {
    group: 'timeliness', kind: 'COUNT', basis: 'Trajectory', temporal: 'NOW',
    where: (a) => `"${a}"."phase" = 'INTENSIVE' AND "${a}"."phase_limit_on" < CAST(:today AS date)`,
    description: 'Trajectories in the intensive phase past its hard limit today (PHASE_INTENSIVE_LIMIT_WEEKS, 16 weeks).',
  },
  FOLLOW_UPS_DUE: {
    group: 'timeliness', kind: 'COUNT', basis: 'FollowUp', temporal: 'FLOW', date: (a) => `"${a}"."due_on"`, category: (a) => `"${a}"."moment"::text`,
    description: 'Follow-ups (3 and 12 months after consolidation) by the month they fall due, per moment.',
  },
  FOLLOW_UPS_OVERDUE: {
    group: 'timeliness', kind: 'COUNT', basis: 'FollowUp', temporal: 'NOW', category: (a) => `"${a}"."moment"::text`,
    where: (a) => `"${a}"."recorded_at" IS NULL AND "${a}"."due_on" < CAST(:today AS date)`,
    description: 'Follow-ups past their due date and not recorded today, per moment.',
  },
  DURATION_REGISTRATION_TO_DECISION: {
    group: 'timeliness', kind: 'DURATION', basis: 'Trajectory', interval: 'registrationToDecision', norm: () => null,
    description: 'Days from the registration to the advisor\'s decision (accepted or refused), by the month of the decision; the handbook sets no norm.',
  },
  DURATION_DECISION_TO_START: {
    group: 'timeliness', kind: 'DURATION', basis: 'Trajectory', interval: 'decisionToStart', norm: () => null,
    description: 'Days from the acceptance to the start of the assessment phase (the intro meeting, where stored), by the month it started; the handbook sets no norm.',
  },
  DURATION_ASSESSMENT: {
    group: 'timeliness', kind: 'DURATION', basis: 'Trajectory', interval: Phase.ASSESSMENT, norm: (c) => WEEK * c.phaseNorms.assessmentWeeks,
    description: 'Days of the assessment phase (onderzoeksfase) ended by goals or closure, by the month it ended; norm PHASE_ASSESSMENT_WEEKS. Counted from the intro meeting (kennismakingsgesprek) to the advice/start meeting or the closing advice meeting, where stored; else from the acts.',
  },
  DURATION_INTENSIVE: {
    group: 'timeliness', kind: 'DURATION', basis: 'Trajectory', interval: Phase.INTENSIVE, norm: (c) => WEEK * c.phaseNorms.intensiveWeeks,
    description: 'Days of the intensive phase ended by consolidation, by the month it ended; norm PHASE_INTENSIVE_WEEKS (limit PHASE_INTENSIVE_LIMIT_WEEKS). Counted from the advice/start meeting (advies-/startgesprek) where stored; else from the act that started it.',
  },
  DURATION_CONSOLIDATION: {
    group: 'timeliness', kind: 'DURATION', basis: 'Trajectory', interval: Phase.CONSOLIDATION, norm: (c) => Math.round(MONTH_DAYS * c.phaseNorms.consolidationMonths),
    description: 'Days of the consolidation phase ended by completion, by the month it ended; norm PHASE_CONSOLIDATION_MONTHS (in days).',
  },
  // ---- results (resultaten)
  ENDED: {
    group: 'results', kind: 'COUNT', basis: 'Trajectory', temporal: 'FLOW', date: (a) => local(`"${a}"."phase_started_at"`),
    where: phaseIn(ENDED_PHASES), category: (a) => `"${a}"."phase"::text`,
    description: 'Trajectories that ended, by the month they ended, per final phase: COMPLETED, CLOSED (after the assessment), CANCELLED, REFUSED.',
  },
  FOLLOW_UPS_RECORDED: {
    group: 'results', kind: 'COUNT', basis: 'FollowUp', temporal: 'FLOW', date: (a) => `"${a}"."due_on"`, category: (a) => `"${a}"."moment"::text`,
    where: (a) => `"${a}"."recorded_at" IS NOT NULL`,
    description: 'Follow-ups recorded, by the month they fell due, per moment.',
  },
  STILL_IN_EDUCATION: {
    group: 'results', kind: 'COUNT', basis: 'FollowUp', temporal: 'FLOW', date: (a) => `"${a}"."due_on"`, category: (a) => `"${a}"."moment"::text`,
    where: recorded('still_in_education'),
    description: 'Recorded follow-ups where the student is still in education (nog op school), by due month, per moment.',
  },
  AT_EXPECTED_LEVEL: {
    group: 'results', kind: 'COUNT', basis: 'FollowUp', temporal: 'FLOW', date: (a) => `"${a}"."due_on"`, category: (a) => `"${a}"."moment"::text`,
    where: recorded('at_expected_exit_level'),
    description: 'Recorded follow-ups where the student is at the expected exit level (op verwacht uitstroomniveau), by due month, per moment.',
  },
  DIPLOMA_EXPECTED: {
    group: 'results', kind: 'COUNT', basis: 'FollowUp', temporal: 'FLOW', date: (a) => `"${a}"."due_on"`, category: (a) => `"${a}"."moment"::text`,
    where: recorded('diploma_expected'),
    description: 'Recorded follow-ups where a diploma is expected (diploma verwacht), by due month, per moment.',
  },
  STILL_IN_EDUCATION_SHARE: {
    group: 'results', kind: 'SHARE', numerator: DashboardMeasure.STILL_IN_EDUCATION, denominator: DashboardMeasure.FOLLOW_UPS_RECORDED,
    description: 'Share of the recorded follow-ups where the student is still in education (percent), per moment.',
  },
  AT_EXPECTED_LEVEL_SHARE: {
    group: 'results', kind: 'SHARE', numerator: DashboardMeasure.AT_EXPECTED_LEVEL, denominator: DashboardMeasure.FOLLOW_UPS_RECORDED,
    description: 'Share of the recorded follow-ups at the expected exit level (percent), per moment.',
  },
  DIPLOMA_EXPECTED_SHARE: {
    group: 'results', kind: 'SHARE', numerator: DashboardMeasure.DIPLOMA_EXPECTED, denominator: DashboardMeasure.FOLLOW_UPS_RECORDED,
    description: 'Share of the recorded follow-ups where a diploma is expected (percent), per moment.',
  },
  EXIT_QUESTIONNAIRES: {
    group: 'results', kind: 'COUNT', basis: 'ExitQuestionnaire', temporal: 'FLOW', date: registeredAt, category: (a) => `"${a}"."party"::text`,
    description: 'Exit questionnaires answered (exit-vragenlijsten), by month, per party (STUDENT, PARENTS, SCHOOL).',
  },
  EXIT_SCORE: {
    group: 'results', kind: 'MEAN', basis: 'ExitQuestionnaire', date: registeredAt, category: (a) => `"${a}"."party"::text`, value: (a) => `"${a}"."score"`,
    description: 'Mean satisfaction score (1–5) of the exit questionnaires, by month answered, per party.',
  },
  ESCALATIONS_OPENED: {
    group: 'results', kind: 'COUNT', basis: 'Escalation', temporal: 'FLOW', date: registeredAt, category: (a) => `'LEVEL_' || "${a}"."level"`,
    description: 'Escalations raised (escalatieladder), by month, per level (LEVEL_1 … LEVEL_4).',
  },
  ESCALATIONS_RESOLVED: {
    group: 'results', kind: 'COUNT', basis: 'Escalation', temporal: 'FLOW', date: (a) => local(`"${a}"."resolved_at"`), where: (a) => `"${a}"."resolved_at" IS NOT NULL`,
    description: 'Escalations resolved, by the month they were resolved.',
  },
  COMPLAINTS_RECEIVED: {
    group: 'results', kind: 'COUNT', basis: 'Complaint', temporal: 'FLOW', date: (a) => `"${a}"."received_on"`, category: (a) => `"${a}"."complainant"::text`,
    description: 'Complaints received (klachten), by month, per complainant.',
  },
  COMPLAINTS_RESOLVED: {
    group: 'results', kind: 'COUNT', basis: 'Complaint', temporal: 'FLOW', date: (a) => `"${a}"."resolved_on"`, where: (a) => `"${a}"."resolved_on" IS NOT NULL`,
    description: 'Complaints resolved, by the month they were resolved.',
  },
  // ---- privacy
  CONSENTS: {
    group: 'privacy', kind: 'COUNT', basis: 'Consent', temporal: 'NOW',
    category: (a, h) => `"${a}"."purpose"::text || '/' || CASE WHEN "${a}"."withdrawn_at" IS NOT NULL THEN 'WITHDRAWN' WHEN ${h.expired(a)} THEN 'EXPIRED'
      WHEN NOT ${h.matchesAgeRule(a, `${a}_st`)} THEN 'NEEDS_RECONFIRMATION' ELSE 'VALID' END`,
    description: 'Consent records today per purpose and status, as PURPOSE/STATUS (e.g. CARE_BY_TOPTEAM/VALID): VALID, NEEDS_RECONFIRMATION, EXPIRED, WITHDRAWN, as Consent.status says.',
  },
  CONSENTS_GIVEN: {
    group: 'privacy', kind: 'COUNT', basis: 'Consent', temporal: 'FLOW', date: (a) => local(`"${a}"."given_at"`), category: (a) => `"${a}"."purpose"::text`,
    description: 'Consents given, by month, per purpose.',
  },
  CONSENTS_WITHDRAWN: {
    group: 'privacy', kind: 'COUNT', basis: 'Consent', temporal: 'FLOW', date: (a) => local(`"${a}"."withdrawn_at"`), category: (a) => `"${a}"."purpose"::text`,
    where: (a) => `"${a}"."withdrawn_at" IS NOT NULL`,
    description: 'Consents withdrawn, by month, per purpose.',
  },
  LACKING_CONSENT: {
    group: 'privacy', kind: 'COUNT', basis: 'Trajectory', temporal: 'NOW',
    expand: (a) => `CROSS JOIN unnest(ARRAY[${quoted(GATING_PURPOSES)}]) AS "${a}_pu"("purpose")`,
    category: (a) => `"${a}_pu"."purpose"`,
    where: (a, h) => `${phaseIn(CARRIED_PHASES)(a)} AND NOT EXISTS (SELECT 1 FROM "consent" "${a}_gc" JOIN "student" "${a}_gs" ON "${a}_gs"."id" = "${a}_gc"."student_id" AND ${samePartnership(`${a}_gs`, `${a}_gc`)}
      WHERE "${a}_gc"."student_id" = "${a}"."student_id" AND ${samePartnership(`${a}_gc`, a)} AND "${a}_gc"."purpose"::text = "${a}_pu"."purpose" AND ${h.holds(`${a}_gc`)} AND ${h.matchesAgeRule(`${a}_gc`, `${a}_gs`)})`,
    description: 'Running trajectories (accepted to consolidation) whose student has no valid consent for the purpose today, per purpose: the count behind trajectoriesLackingConsent.',
  },
  DATA_SUBJECT_REQUESTS_RECEIVED: {
    group: 'privacy', kind: 'COUNT', basis: 'DataSubjectRequest', temporal: 'FLOW', date: (a) => `"${a}"."received_on"`, category: (a) => `"${a}"."kind"::text`,
    description: 'Data-subject requests received, by month, per kind.',
  },
  DATA_SUBJECT_REQUESTS_OPEN: {
    group: 'privacy', kind: 'COUNT', basis: 'DataSubjectRequest', temporal: 'NOW', category: (a) => `"${a}"."kind"::text`,
    where: (a) => `"${a}"."status" IN ('RECEIVED', 'IDENTITY_VERIFIED', 'EXTENDED')`,
    description: 'Data-subject requests open today, per kind.',
  },
  DATA_SUBJECT_REQUESTS_OVERDUE: {
    group: 'privacy', kind: 'COUNT', basis: 'DataSubjectRequest', temporal: 'NOW', category: (a) => `"${a}"."kind"::text`,
    where: (a) => `"${a}"."status" IN ('RECEIVED', 'IDENTITY_VERIFIED', 'EXTENDED') AND "${a}"."due_on" < CAST(:today AS date)`,
    description: 'Open data-subject requests past their deadline today, per kind.',
  },
  ACCESS_LOG_ENTRIES: {
    group: 'privacy', kind: 'COUNT', basis: 'AccessLogEntry', temporal: 'FLOW', date: registeredAt,
    category: (a) => `COALESCE("${a}"."role"::text, 'NONE') || '/' || CASE WHEN "${a}"."outcome" = 'DENIED' THEN 'DENIED' ELSE COALESCE("${a}"."legal_basis"::text, 'NONE') END`,
    description: 'Access-log entries, by month, per role and basis as ROLE/BASIS (basis CONSENT, LEGAL_TASK, NONE, or DENIED for refused attempts).',
  },
};

registerEnumType(DashboardMeasure, {
  name: 'DashboardMeasure',
  description: 'A measure of the dashboard (maat); each value says what it counts and per which category.',
  valuesConfig: Object.fromEntries(Object.entries(MEASURES).map(([name, spec]) => [name, { description: `${spec.group}: ${spec.description}` }])) as never,
});

/** The measures of `group`, in catalogue order. */
export function measuresOf(group: FigureGroupKey): DashboardMeasure[] {
  return (Object.keys(MEASURES) as DashboardMeasure[]).filter((m) => MEASURES[m].group === group);
}

/** The basis table a measure reads (a share reads its counts'). */
export function basisOf(measure: DashboardMeasure): BasisName {
  const spec = MEASURES[measure];
  return spec.kind === 'SHARE' ? basisOf(spec.numerator) : spec.basis;
}
