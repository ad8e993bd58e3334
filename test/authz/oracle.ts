/**
 * An independent oracle of "who may read which row", written from the matrix in
 * /work/shared/design/ACCESS.md (and, for the structure reads of a school coordinator, from
 * the documented intent of the structure rules). It deliberately imports nothing from
 * src/authz: it is plain TypeScript over plain rows, so that the property-based test can hold
 * the CASL rules (in memory) and their SQL translation against a third, separately written
 * answer.
 *
 * Semantics: a row is readable iff it belongs to the actor's partnership and at least one of
 * the actor's (active) memberships grants it; memberships are a union.
 *
 * ACCESS.md rule 4, "consent gates care data": Topteam and advisor access to a student's
 * identity AND case data requires a valid consent for that purpose (Topteam: care by the
 * Topteam; advisor: sharing with the partnership). The oracle applies it to three things:
 * the student row (identity), the consent records (they name the grantors: identity), and
 * every record under a trajectory (case). It does NOT apply it to the trajectory row itself:
 * the team keeps its assigned rows and the advisor its windstreek's registrations, which is
 * "the partnership's own registration work" and lets a case be closed out.
 *
 * Overflow (issue 5): an accepted case that no team could take yet waits for the programme
 * coordinator or the gedragswetenschapper of its home windstreek's team to assign it. That
 * gedragswetenschapper therefore reads the trajectory ROW of such a case (ACCEPTED, no team,
 * school in the team's windstreek): no student, no consent record, no record under it, which
 * stay with the team the case is assigned to. Other team members do not see it.
 */
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../src/domain/enums';

/** The subjects the oracle answers for. */
export const ORACLE_SUBJECTS = [
  'Windstreek', 'School', 'Topteam', 'Student', 'Guardian', 'Consent', 'Trajectory', 'TrajectoryEvent', 'Goal', 'Note', 'Escalation',
  'HandoverAdvice', 'AbsenceRegistration',
] as const;
export type OracleSubject = (typeof ORACLE_SUBJECTS)[number];

interface Row {
  id: string;
  partnershipId: string;
}
export interface WindstreekRow extends Row {}
export interface SchoolRow extends Row { windstreekId: string }
export interface TopteamRow extends Row { windstreekId: string }
export interface StudentRow extends Row { schoolId: string; mentorUserId: string | null }
export interface GuardianRow extends Row { studentId: string }
export interface ConsentRow extends Row { studentId: string; purpose: ConsentPurpose; withdrawnAt: Date | null }
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
  notes: TrajectoryRecordRow[];
  escalations: TrajectoryRecordRow[];
  handoverAdvice: TrajectoryRecordRow[];
  absenceRegistrations: TrajectoryRecordRow[];
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
    case 'Note': return data.notes;
    case 'Escalation': return data.escalations;
    case 'HandoverAdvice': return data.handoverAdvice;
    case 'AbsenceRegistration': return data.absenceRegistrations;
  }
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

  private hasValidConsent(studentId: string, purpose: ConsentPurpose): boolean {
    return (this.consentsOfStudent.get(studentId) ?? []).some((c) => c.purpose === purpose && c.withdrawnAt === null);
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
      case 'TrajectoryEvent':
      case 'Goal':
      case 'Note':
      case 'Escalation':
      case 'HandoverAdvice':
      case 'AbsenceRegistration':
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
   * Records under a trajectory: "case" (events, goals, escalations, hand-over advice, absence
   * registrations) and the team's internal notes. School coordinator: case, not team notes.
   * Mentor: goals and advice (the hand-over advice, which goes into the OPP). Advisor: case
   * summary (events, goals), no team notes. Topteam: everything, notes included. Programme
   * coordinator: phase events and escalations (without their case text: fields, not rows).
   * For the advisor and the Topteam only while the trajectory's student has the consent the
   * role needs (rule 4); the school, the mentor and the programme coordinator are not gated.
   */
  private trajectoryRecord(
    m: OracleMembership,
    subject: 'TrajectoryEvent' | 'Goal' | 'Note' | 'Escalation' | 'HandoverAdvice' | 'AbsenceRegistration',
    r: TrajectoryRecordRow,
  ): boolean {
    const t = this.trajectories.get(r.trajectoryId);
    if (!t) return false;
    const recordsOf: Partial<Record<Role, ReadonlyArray<typeof subject>>> = {
      [Role.SCHOOL_COORDINATOR]: ['TrajectoryEvent', 'Goal', 'Escalation', 'HandoverAdvice', 'AbsenceRegistration'],
      [Role.MENTOR]: ['Goal', 'HandoverAdvice'],
      [Role.EDUCATION_ADVISOR]: ['TrajectoryEvent', 'Goal'],
      [Role.TEAM_MEMBER]: ['TrajectoryEvent', 'Goal', 'Note', 'Escalation', 'HandoverAdvice', 'AbsenceRegistration'],
      [Role.PROGRAMME_COORDINATOR]: ['TrajectoryEvent', 'Escalation'],
    };
    // The Topteam's records are those of the cases assigned to it (not the cases waiting for a team).
    const reaches = m.role === Role.TEAM_MEMBER ? t.teamId === m.topteamId : this.trajectory(m, t);
    if (!(recordsOf[m.role] ?? []).includes(subject) || !reaches) return false;
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
 * Field categories of the two types the field property covers, written here from the table
 * "Field categories" of src/authz/README.md and ACCESS.md's definitions ("Identity" = name,
 * birth date, student number, guardians (and the school a student attends); "Case" = problem
 * areas, goals, evaluations, advice, phase events; "Pseudonym"; planning = phase, dates, team,
 * school, windstreek, expected exit level). NOT imported from src/authz/field-policies.ts: a
 * field the schema emits and this table does not know fails the property (`fieldCategory`).
 */
export type OracleFieldCategory = 'META' | 'IDENTITY' | 'PSEUDONYM' | 'CASE' | 'TEAM_NOTES' | 'PLANNING' | 'CONSENT';
export type OracleFieldType = 'Student' | 'Trajectory';

const cat = (category: OracleFieldCategory, ...fields: string[]) => Object.fromEntries(fields.map((f) => [f, category]));
const ORACLE_FIELD_CATEGORIES: Record<OracleFieldType, Record<string, OracleFieldCategory>> = {
  Student: {
    ...cat('META', 'id', 'createdAt'),
    ...cat('PSEUDONYM', 'pseudonym'),
    ...cat('IDENTITY', 'givenName', 'familyName', 'birthDate', 'studentNumber', 'school', 'guardians'),
    ...cat('PLANNING', 'expectedExitLevel'),
    // The development plan (OPP), the mentor and the student's trajectories are case data.
    ...cat('CASE', 'developmentPlanDate', 'developmentPlanReference', 'mentor', 'trajectories'),
    ...cat('CONSENT', 'consents'),
  },
  Trajectory: {
    ...cat('META', 'id', 'createdAt', 'version'),
    ...cat('PSEUDONYM', 'studentPseudonym'),
    ...cat('IDENTITY', 'student'),
    ...cat('PLANNING', 'phase', 'phaseStartedAt', 'phaseDueOn', 'phaseLimitOn', 'overdue', 'school', 'windstreek', 'team'),
    ...cat('CONSENT', 'careConsentValid', 'parentsInformedOn'),
    ...cat(
      'CASE', 'problemAreas', 'eligibility', 'consultation', 'cancellationReason', 'closingReason', 'events', 'goals', 'evaluations', 'followUps',
      'escalations', 'complaints', 'exitQuestionnaires', 'handoverAdvice', 'absences', 'crossWindstreekAssignments',
    ),
    ...cat('TEAM_NOTES', 'notes'),
  },
};

/** The category of `type.field`; throws on a field the oracle's table does not know. */
export function fieldCategory(type: OracleFieldType, field: string): OracleFieldCategory {
  const category = ORACLE_FIELD_CATEGORIES[type][field];
  if (category === undefined) throw new Error(`oracle: no field category for ${type}.${field}`);
  return category;
}

/**
 * The field-limited views of ACCESS.md's matrix (every other role that reads a row reads all
 * of its fields; what hangs under a relation field is then filtered row by row, e.g. a
 * mentor's `Trajectory.notes` is a field it may resolve but the list holds no note):
 *
 * - programme coordinator, Student: "pseudonym only" (+ id, createdAt and the expected exit
 *   level, a planning field);
 * - privacy officer, Student: identity and consent, no case (development plan, mentor,
 *   trajectories);
 * - programme coordinator, Trajectory: "phase, dates, team (no identity, no case text)", and
 *   the relations it follows to what it may read: the student (to its pseudonym), the events
 *   and escalations, the cross-windstreek assignments;
 * - the gedragswetenschapper, on an accepted case of its windstreek waiting for a team: the
 *   same planning view;
 * - a Topteam member on an assigned case whose care consent is no longer valid: the stub
 *   (planning and pseudonym, the consent flag, and the student relation, which itself reads
 *   as nothing of the student row then).
 */
const PLANNING_VIEW = (extra: string[]) => ({ categories: ['META', 'PSEUDONYM', 'PLANNING'] as OracleFieldCategory[], extra });

export class FieldOracle {
  private readonly rows: AccessOracle;
  private readonly consentsOfStudent: Map<string, ConsentRow[]>;
  private readonly topteams: Map<string, TopteamRow>;

  constructor(private readonly actor: OracleActor, data: OracleData) {
    this.rows = new AccessOracle(actor, data);
    this.consentsOfStudent = groupBy(data.consents, (c) => c.studentId);
    this.topteams = new Map(data.topteams.map((t) => [t.id, t]));
  }

  /** May the actor read `field` of this row? Union over the actor's memberships. */
  mayReadField(type: OracleFieldType, row: StudentRow | TrajectoryRow, field: string, memberships = this.actor.memberships): boolean {
    const category = fieldCategory(type, field);
    if (row.partnershipId !== this.actor.partnershipId) return false;
    return memberships.some((m) => {
      const view = this.viewOf(m, type, row);
      return view === 'all' || (view !== 'none' && (view.categories.includes(category) || view.extra.includes(field)));
    });
  }

  /** Does some membership grant only part of `type` (so that fields are checked at all)? */
  isFieldLimited(type: OracleFieldType, memberships = this.actor.memberships): boolean {
    return memberships.some((m) =>
      type === 'Student'
        ? m.role === Role.PROGRAMME_COORDINATOR || m.role === Role.PRIVACY_OFFICER
        : m.role === Role.PROGRAMME_COORDINATOR || m.role === Role.TEAM_MEMBER || m.role === Role.MENTOR || m.role === Role.EDUCATION_ADVISOR);
  }

  private viewOf(m: OracleMembership, type: OracleFieldType, row: StudentRow | TrajectoryRow): 'all' | 'none' | { categories: OracleFieldCategory[]; extra: string[] } {
    if (type === 'Student') {
      if (!this.rows.grantsVia(m, 'Student', row)) return 'none';
      if (m.role === Role.PROGRAMME_COORDINATOR) return PLANNING_VIEW([]);
      if (m.role === Role.PRIVACY_OFFICER) return { categories: ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT'], extra: [] };
      return 'all';
    }
    const t = row as TrajectoryRow;
    if (m.role === Role.PROGRAMME_COORDINATOR) return PLANNING_VIEW(['student', 'events', 'escalations', 'crossWindstreekAssignments']);
    if (m.role === Role.TEAM_MEMBER) {
      if (t.teamId !== null && t.teamId === m.topteamId) {
        const careValid = (this.consentsOfStudent.get(t.studentId) ?? []).some((c) => c.purpose === ConsentPurpose.CARE_BY_TOPTEAM && c.withdrawnAt === null);
        return careValid ? 'all' : PLANNING_VIEW(['careConsentValid', 'student']);
      }
      const team = m.topteamId === null ? undefined : this.topteams.get(m.topteamId);
      const waits = m.teamFunction === TeamFunction.BEHAVIOURAL_SCIENTIST && team !== undefined && t.teamId === null &&
        t.phase === Phase.ACCEPTED && t.windstreekId === team.windstreekId;
      return waits ? PLANNING_VIEW(['student', 'events', 'escalations', 'crossWindstreekAssignments']) : 'none';
    }
    // The mentor: "read goals and advice" of the own mentees' trajectories; of the row itself the planning.
    if (m.role === Role.MENTOR) return this.rows.grantsVia(m, 'Trajectory', row) ? PLANNING_VIEW(['student', 'goals', 'evaluations', 'handoverAdvice']) : 'none';
    // The advisor: "read case summary (no team notes)".
    if (m.role === Role.EDUCATION_ADVISOR) {
      return this.rows.grantsVia(m, 'Trajectory', row) ? { categories: ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT', 'CASE'] as OracleFieldCategory[], extra: [] } : 'none';
    }
    return this.rows.grantsVia(m, 'Trajectory', row) ? 'all' : 'none';
  }
}
