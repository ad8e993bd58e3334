/**
 * An independent oracle of "who may read which row", written from the access matrix in
 * src/authz/README.md (and, for the structure reads of a school coordinator, from
 * the documented intent of the structure rules). It deliberately imports nothing from
 * src/authz: it is plain TypeScript over plain rows, so that the property-based test can hold
 * the CASL rules (in memory) and their SQL translation against a third, separately written
 * answer.
 *
 * Semantics: a row is readable iff it belongs to the actor's partnership and at least one of
 * the actor's (active) memberships grants it; memberships are a union.
 *
 * AVG rule 4 (src/authz/README.md), "consent gates care data": Topteam and advisor access to a student's
 * identity AND case data requires a valid consent for that purpose (Topteam: care by the
 * Topteam; advisor: sharing with the partnership). A consent is valid ("holds") on the
 * request's calendar day `today` (Europe/Amsterdam, by the request's clock) when it is not
 * withdrawn and its last day `validUntil` (inclusive; null for no end) is not before today:
 * `consentHolds` below, written here with its own day arithmetic, and `amsterdamDay` below
 * for the calendar day of an instant. The oracle applies the gate to three things:
 * the student row (identity), the consent records (they name the grantors: identity), and
 * every record under a trajectory (case). It does NOT apply it to the trajectory row itself:
 * the team keeps its assigned rows and the advisor its windstreek's registrations, which is
 * "the partnership's own registration work" and lets a case be closed out.
 *
 * Overflow (src/domain/README.md, "Capacity and overflow"): an accepted case that no team could take yet waits for the programme
 * coordinator or the gedragswetenschapper of its home windstreek's team to assign it. That
 * gedragswetenschapper therefore reads the trajectory ROW of such a case (ACCEPTED, no team,
 * school in the team's windstreek): no student, no consent record, no record under it, which
 * stay with the team the case is assigned to. Other team members do not see it.
 */
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../src/domain/enums';

/** The subjects the oracle answers for. */
export const ORACLE_SUBJECTS = [
  'Windstreek', 'School', 'Topteam', 'Student', 'Guardian', 'Consent', 'Trajectory', 'TrajectoryEvent', 'Goal', 'Evaluation', 'Note', 'FollowUp',
  'Escalation', 'Complaint', 'ExitQuestionnaire', 'HandoverAdvice', 'AbsenceRegistration', 'CrossWindstreekAssignment',
] as const;
export type OracleSubject = (typeof ORACLE_SUBJECTS)[number];

/** The records under a trajectory, as subjects. */
export const TRAJECTORY_RECORD_SUBJECTS = [
  'TrajectoryEvent', 'Goal', 'Evaluation', 'Note', 'FollowUp', 'Escalation', 'Complaint', 'ExitQuestionnaire', 'HandoverAdvice',
  'AbsenceRegistration', 'CrossWindstreekAssignment',
] as const satisfies readonly OracleSubject[];
export type TrajectoryRecordSubject = (typeof TRAJECTORY_RECORD_SUBJECTS)[number];

export interface OracleRow {
  id: string;
  partnershipId: string;
}
type Row = OracleRow;
export interface WindstreekRow extends Row {}
export interface SchoolRow extends Row { windstreekId: string }
export interface TopteamRow extends Row { windstreekId: string }
export interface StudentRow extends Row { schoolId: string; mentorUserId: string | null }
export interface GuardianRow extends Row { studentId: string }
/** `validUntil`: the last day it holds (YYYY-MM-DD, inclusive), null for no end date. */
export interface ConsentRow extends Row { studentId: string; purpose: ConsentPurpose; withdrawnAt: Date | null; validUntil: string | null }
export interface TrajectoryRow extends Row { studentId: string; schoolId: string; windstreekId: string; teamId: string | null; phase: Phase }
export interface TrajectoryRecordRow extends Row { trajectoryId: string }

/** Every row the oracle may be asked about (any number of partnerships). */
export interface OracleData {
  windstreken: WindstreekRow[];
  schools: SchoolRow[];
  topteams: TopteamRow[];
  students: StudentRow[];
  guardians: GuardianRow[];
  consents: ConsentRow[];
  trajectories: TrajectoryRow[];
  events: TrajectoryRecordRow[];
  goals: TrajectoryRecordRow[];
  evaluations: TrajectoryRecordRow[];
  notes: TrajectoryRecordRow[];
  followUps: TrajectoryRecordRow[];
  escalations: TrajectoryRecordRow[];
  complaints: TrajectoryRecordRow[];
  exitQuestionnaires: TrajectoryRecordRow[];
  handoverAdvice: TrajectoryRecordRow[];
  absenceRegistrations: TrajectoryRecordRow[];
  crossWindstreekAssignments: TrajectoryRecordRow[];
}

/** One active membership: a role and its scope (null where the role has no such scope). */
export interface OracleMembership {
  role: Role;
  windstreekId: string | null;
  schoolId: string | null;
  topteamId: string | null;
  /** TEAM_MEMBER: the function in the team (null for other roles). */
  teamFunction: TeamFunction | null;
}

export interface OracleActor {
  userId: string;
  partnershipId: string;
  /** The request's calendar day (YYYY-MM-DD, Europe/Amsterdam): which consents hold depends on it. */
  today: string;
  /** Active memberships only: a revoked membership grants nothing. */
  memberships: OracleMembership[];
}

/** Rows of `subject` in `data`. */
export function rowsOf(data: OracleData, subject: OracleSubject): Row[] {
  switch (subject) {
    case 'Windstreek': return data.windstreken;
    case 'School': return data.schools;
    case 'Topteam': return data.topteams;
    case 'Student': return data.students;
    case 'Guardian': return data.guardians;
    case 'Consent': return data.consents;
    case 'Trajectory': return data.trajectories;
    case 'TrajectoryEvent': return data.events;
    case 'Goal': return data.goals;
    case 'Evaluation': return data.evaluations;
    case 'Note': return data.notes;
    case 'FollowUp': return data.followUps;
    case 'Escalation': return data.escalations;
    case 'Complaint': return data.complaints;
    case 'ExitQuestionnaire': return data.exitQuestionnaires;
    case 'HandoverAdvice': return data.handoverAdvice;
    case 'AbsenceRegistration': return data.absenceRegistrations;
    case 'CrossWindstreekAssignment': return data.crossWindstreekAssignments;
  }
}

// ---- calendar days ------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date YYYY-MM-DD (throws on anything else). */
function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`oracle: not a calendar date: ${JSON.stringify(date)}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/** The calendar date `days` days after `date`. */
export function plusDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** 01:00 UTC on the last Sunday of `month` (1-based) of `year`: when EU summer time starts or ends. */
function lastSundayOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0));
  return Date.UTC(year, month - 1, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/**
 * The calendar day in Europe/Amsterdam at `instant`, from the EU rule rather than a time-zone
 * database: UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00
 * UTC, UTC+1 otherwise.
 */
export function amsterdamDay(instant: Date): string {
  const t = instant.getTime();
  const year = instant.getUTCFullYear();
  const summer = t >= lastSundayOneUtc(year, 3) && t < lastSundayOneUtc(year, 10);
  return new Date(t + (summer ? 2 : 1) * 3_600_000).toISOString().slice(0, 10);
}

/** AVG rule 4 (src/authz/README.md): a consent holds on `today` when not withdrawn and its last day (if any) is not before today. */
export function consentHolds(c: ConsentRow, today: string): boolean {
  return c.withdrawnAt === null && (c.validUntil === null || dayNumber(c.validUntil) >= dayNumber(today));
}

/** Roles that read the whole structure (windstreken, schools, Topteams) of their partnership. */
const WHOLE_STRUCTURE: ReadonlySet<Role> = new Set([
  Role.ADMIN, // manages it
  Role.PRIVACY_OFFICER,
  Role.PROGRAMME_COORDINATOR,
  Role.PARTNERSHIP_ANALYST,
  Role.EDUCATION_ADVISOR,
  Role.TEAM_MEMBER,
]);

function groupBy<T>(rows: T[], key: (row: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = map.get(k) ?? [];
    list.push(row);
    map.set(k, list);
  }
  return map;
}

export class AccessOracle {
  private readonly schools: Map<string, SchoolRow>;
  private readonly topteams: Map<string, TopteamRow>;
  private readonly students: Map<string, StudentRow>;
  private readonly trajectories: Map<string, TrajectoryRow>;
  private readonly trajectoriesOfStudent: Map<string, TrajectoryRow[]>;
  private readonly trajectoriesOfTeam: Map<string, TrajectoryRow[]>;
  private readonly consentsOfStudent: Map<string, ConsentRow[]>;

  constructor(private readonly actor: OracleActor, private readonly data: OracleData) {
    this.schools = new Map(data.schools.map((s) => [s.id, s]));
    this.topteams = new Map(data.topteams.map((t) => [t.id, t]));
    this.students = new Map(data.students.map((s) => [s.id, s]));
    this.trajectories = new Map(data.trajectories.map((t) => [t.id, t]));
    this.trajectoriesOfStudent = groupBy(data.trajectories, (t) => t.studentId);
    this.trajectoriesOfTeam = groupBy(data.trajectories, (t) => t.teamId);
    this.consentsOfStudent = groupBy(data.consents, (c) => c.studentId);
  }

  /** Sorted ids of the rows of `subject` the actor may read. */
  visibleIds(subject: OracleSubject): string[] {
    return rowsOf(this.data, subject)
      .filter((row) => this.mayRead(subject, row))
      .map((row) => row.id)
      .sort();
  }

  mayRead(subject: OracleSubject, row: Row): boolean {
    // Nobody sees anything of another partnership.
    if (row.partnershipId !== this.actor.partnershipId) return false;
    return this.actor.memberships.some((m) => this.grants(m, subject, row));
  }

  /** Does this one membership grant the row (the oracle's union is over these)? */
  grantsVia(m: OracleMembership, subject: OracleSubject, row: Row): boolean {
    return row.partnershipId === this.actor.partnershipId && this.grants(m, subject, row);
  }

  // ---- facts about rows -------------------------------------------------------------

  /** The trajectory a record hangs under. */
  trajectoryOf(r: TrajectoryRecordRow): TrajectoryRow | undefined {
    return this.trajectories.get(r.trajectoryId);
  }

  /** Does a consent of the student for `purpose` hold today? */
  hasValidConsent(studentId: string, purpose: ConsentPurpose): boolean {
    return (this.consentsOfStudent.get(studentId) ?? []).some((c) => c.purpose === purpose && consentHolds(c, this.actor.today));
  }

  private hasTrajectory(studentId: string, where: (t: TrajectoryRow) => boolean): boolean {
    return (this.trajectoriesOfStudent.get(studentId) ?? []).some(where);
  }

  private studentOf(row: { studentId: string }): StudentRow | undefined {
    return this.students.get(row.studentId);
  }

  // ---- the matrix ---------------------------------------------------------------------

  private grants(m: OracleMembership, subject: OracleSubject, row: Row): boolean {
    switch (subject) {
      case 'Windstreek':
      case 'School':
      case 'Topteam':
        return this.structure(m, subject, row);
      case 'Student':
        return this.student(m, row as StudentRow);
      case 'Guardian': {
        // Guardians are identity: whoever reads the student in their own circle reads them,
        // the privacy officer reads them; the programme coordinator (pseudonym only) does not.
        if (m.role === Role.PRIVACY_OFFICER) return true;
        if (m.role === Role.PROGRAMME_COORDINATOR) return false;
        const student = this.studentOf(row as GuardianRow);
        return student !== undefined && this.student(m, student);
      }
      case 'Consent':
        return this.consent(m, row as ConsentRow);
      case 'Trajectory':
        return this.trajectory(m, row as TrajectoryRow);
      default:
        return this.trajectoryRecord(m, subject, row as TrajectoryRecordRow);
    }
  }

  /** Column "structure". */
  private structure(m: OracleMembership, subject: 'Windstreek' | 'School' | 'Topteam', row: Row): boolean {
    if (WHOLE_STRUCTURE.has(m.role)) return true;
    if (m.role !== Role.SCHOOL_COORDINATOR || m.schoolId === null) return false;
    // A school coordinator reads the own school, its windstreek, and the Topteams that serve
    // it: the team of its windstreek and any team a trajectory of the school went to.
    const ownSchool = this.schools.get(m.schoolId);
    if (!ownSchool) return false;
    switch (subject) {
      case 'School':
        return row.id === ownSchool.id;
      case 'Windstreek':
        return row.id === ownSchool.windstreekId;
      case 'Topteam':
        return (
          (row as TopteamRow).windstreekId === ownSchool.windstreekId ||
          (this.trajectoriesOfTeam.get(row.id) ?? []).some((t) => t.schoolId === ownSchool.id)
        );
    }
  }

  /** Column "students". */
  private student(m: OracleMembership, s: StudentRow): boolean {
    switch (m.role) {
      case Role.SCHOOL_COORDINATOR:
        return s.schoolId === m.schoolId;
      case Role.MENTOR:
        return s.schoolId === m.schoolId && s.mentorUserId === this.actor.userId;
      case Role.EDUCATION_ADVISOR:
        // Registered from the own windstreek, with consent to share with the partnership.
        return (
          this.hasTrajectory(s.id, (t) => t.windstreekId === m.windstreekId) &&
          this.hasValidConsent(s.id, ConsentPurpose.SHARE_WITH_PARTNERSHIP)
        );
      case Role.TEAM_MEMBER:
        // The team's caseload, only while consent for care by the Topteam is valid.
        return (
          this.hasTrajectory(s.id, (t) => t.teamId === m.topteamId) &&
          this.hasValidConsent(s.id, ConsentPurpose.CARE_BY_TOPTEAM)
        );
      case Role.PROGRAMME_COORDINATOR: // the row (with a pseudonym only)
      case Role.PRIVACY_OFFICER: // identity, for data-subject requests
        return true;
      case Role.PARTNERSHIP_ANALYST:
      case Role.ADMIN:
        return false;
    }
  }

  /**
   * Column "consent records". A record names its grantors, which is identity, so for the
   * advisor and the Topteam it is gated like the student (rule 4): the record of ANY purpose,
   * withdrawn or not, is readable while the student has a valid consent for the role's purpose.
   */
  private consent(m: OracleMembership, c: ConsentRow): boolean {
    const student = this.studentOf(c);
    if (!student) return false;
    switch (m.role) {
      case Role.SCHOOL_COORDINATOR:
        return student.schoolId === m.schoolId;
      case Role.EDUCATION_ADVISOR:
        // "read, for those registrations": registered from the own windstreek, share consent valid.
        return (
          this.hasTrajectory(student.id, (t) => t.windstreekId === m.windstreekId) &&
          this.hasValidConsent(student.id, ConsentPurpose.SHARE_WITH_PARTNERSHIP)
        );
      case Role.TEAM_MEMBER:
        // "read, for own caseload": on the team's caseload, care consent valid.
        return (
          this.hasTrajectory(student.id, (t) => t.teamId === m.topteamId) &&
          this.hasValidConsent(student.id, ConsentPurpose.CARE_BY_TOPTEAM)
        );
      case Role.PRIVACY_OFFICER:
        return true;
      default:
        return false;
    }
  }

  /** Column "trajectories": the trajectory row. */
  private trajectory(m: OracleMembership, t: TrajectoryRow): boolean {
    switch (m.role) {
      case Role.SCHOOL_COORDINATOR:
        return t.schoolId === m.schoolId;
      case Role.MENTOR: {
        const student = this.studentOf(t);
        return t.schoolId === m.schoolId && student?.mentorUserId === this.actor.userId;
      }
      case Role.EDUCATION_ADVISOR:
        return t.windstreekId === m.windstreekId;
      case Role.TEAM_MEMBER:
        return t.teamId === m.topteamId || this.waitsForScientist(m, t);
      case Role.PROGRAMME_COORDINATOR:
        return true;
      default:
        return false;
    }
  }

  /** An accepted case of the team's windstreek that no team took yet, seen by the team's gedragswetenschapper. */
  private waitsForScientist(m: OracleMembership, t: TrajectoryRow): boolean {
    if (m.teamFunction !== TeamFunction.BEHAVIOURAL_SCIENTIST || m.topteamId === null) return false;
    const team = this.topteams.get(m.topteamId);
    return team !== undefined && t.teamId === null && t.phase === Phase.ACCEPTED && t.windstreekId === team.windstreekId;
  }

  /**
   * Records under a trajectory: "case" (events, goals, evaluations, follow-ups, escalations,
   * complaints, exit questionnaires, hand-over advice, absence registrations, cross-windstreek
   * assignments) and the team's internal notes. School coordinator: case, not team notes.
   * Mentor: goals and advice (evaluations, and the hand-over advice that goes into the OPP).
   * Advisor: case summary (events, goals), no team notes. Topteam: everything, notes included.
   * Programme coordinator: phase events and escalations ("see escalations"; without their case
   * text: fields, not rows), the cross-windstreek assignments (its "assign and reassign
   * teams": the record of an assignment outside the home windstreek), and the complaints and
   * exit questionnaires (feedback on the teams it runs). The school coordinator: no exit
   * questionnaire, and of a complaint only its status (fields, not rows).
   * For the advisor and the Topteam only while the trajectory's student has the consent the
   * role needs (rule 4); the school, the mentor and the programme coordinator are not gated.
   */
  private trajectoryRecord(m: OracleMembership, subject: TrajectoryRecordSubject, r: TrajectoryRecordRow): boolean {
    const t = this.trajectories.get(r.trajectoryId);
    if (!t) return false;
    const caseRecords = TRAJECTORY_RECORD_SUBJECTS.filter((s) => s !== 'Note');
    const recordsOf: Partial<Record<Role, readonly TrajectoryRecordSubject[]>> = {
      // Feedback on the Topteam (src/authz/README.md, "Complaints and exit questionnaires"): the
      // school sees that a complaint exists (its status: fields, below), no exit questionnaire.
      [Role.SCHOOL_COORDINATOR]: caseRecords.filter((s) => s !== 'ExitQuestionnaire'),
      // A follow-up's due state is planning: every reader of the case's planning reads the row (its outcomes: fields, below).
      [Role.MENTOR]: ['Goal', 'Evaluation', 'HandoverAdvice', 'FollowUp'],
      [Role.EDUCATION_ADVISOR]: ['TrajectoryEvent', 'Goal', 'FollowUp'],
      [Role.TEAM_MEMBER]: TRAJECTORY_RECORD_SUBJECTS,
      // The programme coordinator runs the teams' quality: complaints and exit questionnaires, whole.
      [Role.PROGRAMME_COORDINATOR]: ['TrajectoryEvent', 'Escalation', 'CrossWindstreekAssignment', 'Complaint', 'ExitQuestionnaire', 'FollowUp'],
    };
    // The Topteam's records are those of the cases assigned to it (not the cases waiting for a team).
    const reaches = m.role === Role.TEAM_MEMBER ? t.teamId === m.topteamId : this.trajectory(m, t);
    if (!(recordsOf[m.role] ?? []).includes(subject) || !reaches) return false;
    // Planning is not consent-gated (the PLANNING row of "Field categories": the Topteam also after a withdrawal).
    if (subject === 'FollowUp') return true;
    const gate: Partial<Record<Role, ConsentPurpose>> = {
      [Role.EDUCATION_ADVISOR]: ConsentPurpose.SHARE_WITH_PARTNERSHIP,
      [Role.TEAM_MEMBER]: ConsentPurpose.CARE_BY_TOPTEAM,
    };
    const purpose = gate[m.role];
    return purpose === undefined || this.hasValidConsent(t.studentId, purpose);
  }
}

// ---- fields -------------------------------------------------------------------------------

/**
 * Field categories of the types the field property covers, written here from the table
 * "Field categories" of src/authz/README.md and the access matrix's definitions there ("Identity" = name,
 * birth date, student number, guardians (and the school a student attends, and the people
 * who granted a consent); "Case" = problem areas, goals, evaluations, advice, phase events,
 * and the reasons and answers recorded on a case; "Pseudonym"; planning = phase, dates, team,
 * school, windstreek, expected exit level, the acts and levels of events and escalations, and
 * the link from a record to its trajectory). NOT imported from src/authz/field-policies.ts: a
 * field the schema emits and this table does not know fails the property (`fieldCategory`).
 */
export type OracleFieldCategory = 'META' | 'IDENTITY' | 'PSEUDONYM' | 'CASE' | 'TEAM_NOTES' | 'FEEDBACK' | 'PLANNING' | 'CONSENT' | 'ACCOUNT';
export type OracleFieldType = 'Student' | 'Trajectory' | 'Guardian' | 'Consent' | TrajectoryRecordSubject;
export const ORACLE_FIELD_TYPES: readonly OracleFieldType[] = ['Student', 'Trajectory', 'Guardian', 'Consent', ...TRAJECTORY_RECORD_SUBJECTS];

const cat = (category: OracleFieldCategory, ...fields: string[]) => Object.fromEntries(fields.map((f) => [f, category]));
const META = cat('META', 'id', 'createdAt');
/** A record under a trajectory: its bookkeeping, the link to its case (planning) and its content. */
const record = (content: Record<string, OracleFieldCategory>) => ({ ...META, ...cat('PLANNING', 'trajectory'), ...content });

const ORACLE_FIELD_CATEGORIES: Record<OracleFieldType, Record<string, OracleFieldCategory>> = {
  Student: {
    ...META,
    ...cat('PSEUDONYM', 'pseudonym'),
    ...cat('IDENTITY', 'givenName', 'familyName', 'birthDate', 'studentNumber', 'school', 'guardians', 'leftSchoolOn'),
    // The schools attended before (transfers) are identity too.
    ...cat('IDENTITY', 'schoolChanges'),
    ...cat('PLANNING', 'expectedExitLevel'),
    // The development plan (OPP), the mentor and the student's trajectories are case data.
    ...cat('CASE', 'developmentPlanDate', 'developmentPlanReference', 'mentor', 'trajectories'),
    ...cat('CONSENT', 'consents'),
  },
  Trajectory: {
    ...META,
    ...cat('META', 'version'),
    ...cat('PSEUDONYM', 'studentPseudonym'),
    ...cat('IDENTITY', 'student'),
    ...cat('PLANNING', 'phase', 'phaseStartedAt', 'phaseDueOn', 'phaseLimitOn', 'overdue', 'timeliness', 'school', 'windstreek', 'team'),
    // The meetings the phases count from, and where the case stands against its dates: planning, like phaseDueOn.
    ...cat('PLANNING', 'introMeetingOn', 'startMeetingOn', 'closingMeetingOn', 'timelinessDate', 'daysPast'),
    // Who of the team is staffed on the case: planning, like the team.
    ...cat('PLANNING', 'behaviouralScientist', 'teacher', 'careWorker'),
    ...cat('CONSENT', 'careConsentValid', 'parentsInformedOn'),
    ...cat(
      'CASE', 'problemAreas', 'eligibility', 'consultation', 'cancellationReason', 'refusalGround', 'closingReason', 'events', 'goals', 'evaluations',
      'escalations', 'complaints', 'exitQuestionnaires', 'handoverAdvice', 'absences', 'crossWindstreekAssignments', 'cooperationAgreements',
    ),
    // The follow-ups, what is due when: planning ("phase, dates").
    ...cat('PLANNING', 'followUps'),
    ...cat('TEAM_NOTES', 'notes'),
  },
  // Guardians are identity, every field of them.
  Guardian: { ...META, ...cat('IDENTITY', 'name', 'relationship', 'hasParentalAuthority', 'student') },
  // A consent record: what was consented to, until when, and whether it holds; the grantors
  // (named persons) and the student are identity.
  Consent: {
    ...META,
    ...cat(
      'CONSENT', 'purpose', 'legalBasis', 'recipients', 'dataCategories', 'studentAgeAtGrant', 'givenAt', 'validUntil', 'withdrawnAt', 'withdrawalReason',
      'evidenceReference', 'withdrawalEvidenceReference', 'valid', 'status', 'needsReconfirmation',
    ),
    ...cat('IDENTITY', 'grantors', 'student'),
    ...cat('ACCOUNT', 'recordedBy', 'withdrawnBy'),
  },
  // A phase event: the act and the phases are planning, the reason given is case.
  TrajectoryEvent: record({ ...cat('PLANNING', 'act', 'fromPhase', 'toPhase', 'occurredAt'), ...cat('CASE', 'reason') }),
  Goal: record(cat('CASE', 'description', 'agreedWithStudent', 'agreedWithParents', 'agreedWithSchool', 'progress', 'progressNote')),
  Evaluation: record(cat('CASE', 'evaluatedOn', 'summary', 'whatWorks', 'whatToStop')),
  Note: record(cat('TEAM_NOTES', 'body')),
  // A follow-up: which moment, when due and whether recorded are planning (dates); what it found is case.
  FollowUp: record({ ...cat('PLANNING', 'moment', 'dueOn', 'recordedAt'), ...cat('CASE', 'stillInEducation', 'atExpectedExitLevel', 'diplomaExpected', 'howIsItGoing') }),
  // An escalation: its level and when it was resolved are planning ("see escalations"), the reason and resolution case.
  Escalation: record({ ...cat('PLANNING', 'level', 'resolvedAt'), ...cat('CASE', 'reason', 'resolution') }),
  // Feedback on the Topteam: who complained, about what and how it was handled, and the
  // questionnaire's answers; a complaint's status and the dates of its handling are planning.
  Complaint: record({ ...cat('PLANNING', 'status', 'receivedOn', 'escalatedOn', 'resolvedOn'), ...cat('FEEDBACK', 'complainant', 'description', 'resolution') }),
  ExitQuestionnaire: record(cat('FEEDBACK', 'party', 'score', 'comment')),
  HandoverAdvice: record(cat('CASE', 'advice', 'writtenOn', 'recipient', 'recipientName', 'takenIntoOppOn', 'addedToDevelopmentPlan')),
  AbsenceRegistration: record(cat('CASE', 'absentOn', 'lessonsMissed', 'authorised', 'note')),
  // Where a case went outside its home windstreek: the teams are planning, the reason is case
  // text, who approved it an account.
  CrossWindstreekAssignment: record({ ...cat('PLANNING', 'originalTeam', 'assignedTeam', 'reason'), ...cat('ACCOUNT', 'approvedBy') }),
};

/** The category of `type.field`; throws on a field the oracle's table does not know. */
export function fieldCategory(type: OracleFieldType, field: string): OracleFieldCategory {
  const category = ORACLE_FIELD_CATEGORIES[type][field];
  if (category === undefined) throw new Error(`oracle: no field category for ${type}.${field}`);
  return category;
}

/** The fields the oracle's table lists for `type` (to compare with what the schema emits). */
export function oracleFields(type: OracleFieldType): string[] {
  return Object.keys(ORACLE_FIELD_CATEGORIES[type]).sort();
}

type View = 'all' | 'none' | { categories: OracleFieldCategory[]; extra: string[] };

/**
 * The field-limited views of the access matrix, src/authz/README.md (every other role that reads a row reads all
 * of its fields; what hangs under a relation field is then filtered row by row, e.g. a
 * mentor's `Trajectory.notes` is a field it may resolve but the list holds no note, and a
 * school coordinator's `CrossWindstreekAssignment.approvedBy` resolves only to an account it
 * may read):
 *
 * - programme coordinator, Student: "pseudonym only" (+ id, createdAt and the expected exit
 *   level, a planning field);
 * - privacy officer, Student: identity and consent, no case (development plan, mentor,
 *   trajectories);
 * - programme coordinator, Trajectory: "phase, dates, team (no identity, no case text)", and
 *   the relations it follows to what it may read: the student (to its pseudonym), the events
 *   and escalations, the cross-windstreek assignments;
 * - programme coordinator, TrajectoryEvent and Escalation ("see escalations", "no case text"):
 *   the act, phases, level and dates, not the reason or resolution;
 * - mentor, advisor, programme coordinator, FollowUp, and the Topteam on a case whose care
 *   consent does not hold today: its planning (moment, due date, recorded), not its outcomes;
 * - school coordinator, Complaint ("only that a complaint exists and its status"): its status
 *   and the dates of its handling, not who complained, about what, or how it was handled;
 * - programme coordinator, Trajectory: also the complaints and exit questionnaires, which it
 *   reads whole (feedback on the teams it runs);
 * - the gedragswetenschapper, on an accepted case of its windstreek waiting for a team: the
 *   same planning view of the trajectory;
 * - a Topteam member on an assigned case whose care consent does not hold today: the stub
 *   (planning and pseudonym, the consent flag, and the student relation, which itself reads
 *   as nothing of the student row then).
 *
 * Not field-limited: guardians and consent records (whoever reads one reads identity), the
 * records under a trajectory other than events, escalations and complaints, and the programme
 * coordinator's cross-windstreek assignments: an assignment record, with the loads and the
 * note that justified it, is the coordinator's own work ("assign and reassign teams").
 */
const PLANNING_VIEW = (extra: string[]): View => ({ categories: ['META', 'PSEUDONYM', 'PLANNING'], extra });

/** The roles with a field-limited view of each type, per the list above (the Topteam's stub, the gedragswetenschapper's waiting cases). */
export const PARTIAL_VIEWS: Readonly<Partial<Record<OracleFieldType, readonly Role[]>>> = {
  Student: [Role.PROGRAMME_COORDINATOR, Role.PRIVACY_OFFICER],
  Trajectory: [Role.PROGRAMME_COORDINATOR, Role.TEAM_MEMBER, Role.MENTOR, Role.EDUCATION_ADVISOR],
  TrajectoryEvent: [Role.PROGRAMME_COORDINATOR],
  Escalation: [Role.PROGRAMME_COORDINATOR],
  Complaint: [Role.SCHOOL_COORDINATOR],
  FollowUp: [Role.MENTOR, Role.EDUCATION_ADVISOR, Role.PROGRAMME_COORDINATOR, Role.TEAM_MEMBER],
};

export class FieldOracle {
  private readonly rows: AccessOracle;
  private readonly topteams: Map<string, TopteamRow>;

  constructor(private readonly actor: OracleActor, data: OracleData) {
    this.rows = new AccessOracle(actor, data);
    this.topteams = new Map(data.topteams.map((t) => [t.id, t]));
  }

  /** May the actor read `field` of this row? Union over the actor's memberships. */
  mayReadField(type: OracleFieldType, row: OracleRow, field: string, memberships = this.actor.memberships): boolean {
    const category = fieldCategory(type, field);
    if (row.partnershipId !== this.actor.partnershipId) return false;
    return memberships.some((m) => {
      const view = this.viewOf(m, type, row);
      return view === 'all' || (view !== 'none' && (view.categories.includes(category) || view.extra.includes(field)));
    });
  }

  /** Does some membership grant only part of `type` (so that fields are checked at all)? */
  isFieldLimited(type: OracleFieldType, memberships = this.actor.memberships): boolean {
    return memberships.some((m) => (PARTIAL_VIEWS[type] ?? []).includes(m.role));
  }

  /** The care consent decides the Topteam's view of its case: does it hold today? */
  careConsentHolds(t: TrajectoryRow): boolean {
    return this.rows.hasValidConsent(t.studentId, ConsentPurpose.CARE_BY_TOPTEAM);
  }

  private viewOf(m: OracleMembership, type: OracleFieldType, row: OracleRow): View {
    switch (type) {
      case 'Student':
        if (!this.rows.grantsVia(m, 'Student', row)) return 'none';
        if (m.role === Role.PROGRAMME_COORDINATOR) return PLANNING_VIEW([]);
        if (m.role === Role.PRIVACY_OFFICER) return { categories: ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT'], extra: [] };
        return 'all';
      case 'Trajectory':
        return this.trajectoryView(m, row as TrajectoryRow);
      case 'TrajectoryEvent':
      case 'Escalation':
        if (!this.rows.grantsVia(m, type, row)) return 'none';
        return m.role === Role.PROGRAMME_COORDINATOR ? { categories: ['META', 'PLANNING'], extra: [] } : 'all';
      case 'Complaint':
        if (!this.rows.grantsVia(m, type, row)) return 'none';
        return m.role === Role.SCHOOL_COORDINATOR ? { categories: ['META', 'PLANNING'], extra: [] } : 'all';
      case 'FollowUp': {
        if (!this.rows.grantsVia(m, type, row)) return 'none';
        // The outcomes: the school coordinator, and the Topteam while the care consent holds.
        const t = this.rows.trajectoryOf(row as TrajectoryRecordRow);
        if (m.role === Role.SCHOOL_COORDINATOR || (m.role === Role.TEAM_MEMBER && t !== undefined && this.careConsentHolds(t))) return 'all';
        return { categories: ['META', 'PLANNING'], extra: [] };
      }
      default:
        return this.rows.grantsVia(m, type, row) ? 'all' : 'none';
    }
  }

  private trajectoryView(m: OracleMembership, t: TrajectoryRow): View {
    if (m.role === Role.PROGRAMME_COORDINATOR) return PLANNING_VIEW(['student', 'events', 'escalations', 'crossWindstreekAssignments', 'complaints', 'exitQuestionnaires']);
    if (m.role === Role.TEAM_MEMBER) {
      if (t.teamId !== null && t.teamId === m.topteamId) return this.careConsentHolds(t) ? 'all' : PLANNING_VIEW(['careConsentValid', 'student']);
      const team = m.topteamId === null ? undefined : this.topteams.get(m.topteamId);
      const waits = m.teamFunction === TeamFunction.BEHAVIOURAL_SCIENTIST && team !== undefined && t.teamId === null &&
        t.phase === Phase.ACCEPTED && t.windstreekId === team.windstreekId;
      return waits ? PLANNING_VIEW(['student', 'events', 'escalations', 'crossWindstreekAssignments']) : 'none';
    }
    // The mentor: "read goals and advice" of the own mentees' trajectories; of the row itself the planning.
    if (m.role === Role.MENTOR) return this.rows.grantsVia(m, 'Trajectory', t) ? PLANNING_VIEW(['student', 'goals', 'evaluations', 'handoverAdvice']) : 'none';
    // The advisor: "read case summary (no team notes)"; identity and case data only while the
    // consent to share with the partnership holds (rule 4), the registration's planning always.
    if (m.role === Role.EDUCATION_ADVISOR) {
      if (!this.rows.grantsVia(m, 'Trajectory', t)) return 'none';
      return this.rows.hasValidConsent(t.studentId, ConsentPurpose.SHARE_WITH_PARTNERSHIP)
        ? { categories: ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT', 'CASE'], extra: [] }
        : { categories: ['META', 'PSEUDONYM', 'PLANNING', 'CONSENT'], extra: [] };
    }
    return this.rows.grantsVia(m, 'Trajectory', t) ? 'all' : 'none';
  }
}
