/**
 * Differential test of the access rules (ACCESS.md, "Tests prove the two paths agree").
 *
 * For generated partnerships, memberships and data, three independent answers to "which rows
 * of <subject> may this user read" must be identical:
 *
 *   1. SQL:    `accessibleQuery(ability, Entity, ds, 'x')` (the CASL rules translated to SQL);
 *   2. memory: every row of both partnerships, hydrated with the relations the rules name,
 *              filtered with `ability.can('read', subject(type, row))`;
 *   3. oracle: `AccessOracle` (./oracle.ts), written from the ACCESS.md matrix without
 *              importing src/authz/rules.
 *
 * Besides the list, `getCount()` (what `totalCount` is built on) must equal the list size, a
 * single read (`… AND x.id = :id`) must return the row iff the oracle allows it, and a batch
 * read by ids (what DataLoader does) must return exactly the permitted ids.
 *
 * Every run builds its own partnership plus a "foreign" partnership whose rows point at the
 * actor and at the actor's structure (mentor, team, windstreek), so only the tenant bound keeps
 * them out. A failing run prints fast-check's seed and the shrunk plan.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { subject as asSubject } from '@casl/ability';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { AppAbility, defineAbilityFor } from '../../src/authz/ability';
import { accessibleQuery } from '../../src/authz/accessible';
import { loadActor } from '../../src/authz/actor';
import { createDataSource } from '../../src/db/data-source';
import {
  AbsenceRegistration, Consent, Escalation, Goal, Guardian, HandoverAdvice, Membership, Note, Partnership, School, Student, Topteam, Trajectory,
  TrajectoryEvent, User, Windstreek,
} from '../../src/db/entities';
import { ConsentPurpose, ExitLevel, GrantorRole, LegalBasis, Phase, ProblemArea, Role, TeamFunction } from '../../src/domain/enums';
import { studentPseudonym } from '../../src/domain/pseudonym';
import {
  createPartnership, createSchool, createTopteam, createUser, createWindstreek, grant, Scope, unique,
} from '../factories';
import { createWorld } from '../factories/world';
import { GraphQLObjectType } from 'graphql';
import { getSchema } from '../../src/graphql/schema';
import {
  AccessOracle, FieldOracle, OracleActor, OracleData, OracleFieldType, OracleMembership, OracleSubject, ORACLE_SUBJECTS, rowsOf, StudentRow,
  TrajectoryRow,
} from './oracle';

jest.setTimeout(600_000);

/** Generated runs per `npm test` (~0.2 s each); raise it for a soak: AUTHZ_PROPERTY_RUNS=500. */
const NUM_RUNS = Number(process.env.AUTHZ_PROPERTY_RUNS ?? 25);

// ---------------------------------------------------------------------------------------
// Reading one subject three ways
// ---------------------------------------------------------------------------------------

const ENTITY: Record<OracleSubject, Function> = {
  Windstreek, School, Topteam, Student, Guardian, Consent, Trajectory, TrajectoryEvent, Goal, Note, Escalation, HandoverAdvice, AbsenceRegistration,
};

/** Rows of every oracle subject in the given partnerships, as the entities load them. */
async function loadData(ds: DataSource, partnershipIds: string[]): Promise<OracleData> {
  const load = <T extends ObjectLiteral>(entity: EntityTarget<T>) =>
    ds.getRepository(entity).createQueryBuilder('r').where('r.partnershipId IN (:...ids)', { ids: partnershipIds }).getMany();
  const [windstreken, schools, topteams, students, guardians, consents, trajectories, events, goals, notes, escalations, handoverAdvice, absenceRegistrations] =
    await Promise.all([
      load(Windstreek), load(School), load(Topteam), load(Student), load(Guardian), load(Consent), load(Trajectory),
      load(TrajectoryEvent), load(Goal), load(Note), load(Escalation), load(HandoverAdvice), load(AbsenceRegistration),
    ]);
  return { windstreken, schools, topteams, students, guardians, consents, trajectories, events, goals, notes, escalations, handoverAdvice, absenceRegistrations };
}

/**
 * The rows of `subject` as plain objects carrying the relations the rules reference, in the
 * shape CASL's in-memory matcher needs: to-many relations as arrays, and to-one relations
 * as one-element arrays too, because the rules use `$elemMatch` on them.
 */
function hydrate(data: OracleData, subject: OracleSubject): Array<Record<string, unknown> & { id: string }> {
  const by = <T, K extends keyof T>(rows: T[], key: K) => {
    const map = new Map<unknown, T[]>();
    for (const row of rows) map.set(row[key], [...(map.get(row[key]) ?? []), row]);
    return (value: unknown): T[] => map.get(value) ?? [];
  };
  const trajectoriesOfStudent = by(data.trajectories, 'studentId');
  const trajectoriesOfTeam = by(data.trajectories, 'teamId');
  const consentsOfStudent = by(data.consents, 'studentId');
  const studentById = new Map(data.students.map((s) => [s.id, s]));
  const trajectoryById = new Map(data.trajectories.map((t) => [t.id, t]));

  const student = (id: string) => {
    const s = studentById.get(id)!;
    return { ...s, trajectories: trajectoriesOfStudent(s.id).map((t) => ({ ...t })), consents: consentsOfStudent(s.id).map((c) => ({ ...c })) };
  };
  const trajectory = (id: string) => {
    const t = trajectoryById.get(id)!;
    return { ...t, student: [student(t.studentId)] };
  };

  switch (subject) {
    case 'Windstreek':
    case 'School':
      return rowsOf(data, subject).map((r) => ({ ...r }));
    case 'Topteam':
      return data.topteams.map((t) => ({ ...t, trajectories: trajectoriesOfTeam(t.id).map((x) => ({ ...x })) }));
    case 'Student':
      return data.students.map((s) => student(s.id));
    case 'Guardian':
      return data.guardians.map((g) => ({ ...g, student: [student(g.studentId)] }));
    case 'Consent':
      return data.consents.map((c) => ({ ...c, student: [student(c.studentId)] }));
    case 'Trajectory':
      return data.trajectories.map((t) => trajectory(t.id));
    case 'TrajectoryEvent':
    case 'Goal':
    case 'Note':
    case 'Escalation':
    case 'HandoverAdvice':
    case 'AbsenceRegistration':
      return (rowsOf(data, subject) as OracleData['events']).map((r) => ({ ...r, trajectory: [trajectory(r.trajectoryId)] }));
  }
}

interface Observation {
  /** Ids the SQL list returns. */
  list: string[];
  /** `getCount()` of the same query. */
  count: number;
  /** Ids `ability.can('read', …)` allows in memory. */
  memory: string[];
  /** Per sampled id: does the single read (`AND x.id = :id`) return the row? */
  single: Record<string, boolean>;
  /** Ids a batch read of all sampled ids returns. */
  batch: string[];
}

const sorted = (ids: string[]) => [...ids].sort();

/** Ids to probe with single reads: some visible, some invisible (own and foreign), one unknown. */
function sampleIds(data: OracleData, subject: OracleSubject, visible: string[], ownPartnershipId: string): string[] {
  const rows = rowsOf(data, subject);
  const visibleSet = new Set(visible);
  const hiddenOwn = rows.filter((r) => r.partnershipId === ownPartnershipId && !visibleSet.has(r.id)).map((r) => r.id);
  const foreign = rows.filter((r) => r.partnershipId !== ownPartnershipId).map((r) => r.id);
  return [...visible.slice(0, 3), ...hiddenOwn.slice(0, 3), ...foreign.slice(0, 2), randomUUID()];
}

/** What the three paths answer for `subject`. */
async function observe(ds: DataSource, ability: AppAbility, data: OracleData, subject: OracleSubject, sample: string[]): Promise<Observation> {
  const entity = ENTITY[subject];
  const query = () => accessibleQuery<ObjectLiteral>(ability, entity, ds, 'x');

  const memory = hydrate(data, subject)
    .filter((row) => ability.can('read', asSubject(subject, row)))
    .map((row) => row.id);

  if (query() === null) {
    // Fail closed: no rule, no query; every path must then say "nothing".
    return { list: [], count: 0, memory: sorted(memory), single: Object.fromEntries(sample.map((id) => [id, false])), batch: [] };
  }
  const [rows, count, singles, batch] = await Promise.all([
    query()!.select('x.id').getMany(),
    query()!.getCount(),
    Promise.all(sample.map(async (id) => [id, (await query()!.andWhere('x.id = :id', { id }).getOne()) !== null] as const)),
    query()!.select('x.id').andWhere('x.id IN (:...ids)', { ids: sample }).getMany(),
  ]);
  return {
    list: sorted(rows.map((r) => r.id as string)),
    count,
    memory: sorted(memory),
    single: Object.fromEntries(singles),
    batch: sorted(batch.map((r) => r.id as string)),
  };
}

/** What every path should answer, per the oracle. */
function expectation(oracleIds: string[], sample: string[]): Observation {
  const allowed = new Set(oracleIds);
  return {
    list: oracleIds,
    count: oracleIds.length,
    memory: oracleIds,
    single: Object.fromEntries(sample.map((id) => [id, allowed.has(id)])),
    batch: sorted(sample.filter((id) => allowed.has(id))),
  };
}

interface Tally { visible: number; hidden: number }

// ---------------------------------------------------------------------------------------
// Reading fields: ability.can per field on the loaded row vs the oracle
// ---------------------------------------------------------------------------------------

const FIELD_TYPES: OracleFieldType[] = ['Student', 'Trajectory'];

/** The GraphQL fields of `type`, as the emitted schema declares them. */
function graphqlFields(type: OracleFieldType): string[] {
  const gqlType = getSchema().getType(type);
  if (!(gqlType instanceof GraphQLObjectType)) throw new Error(`schema has no object type ${type}`);
  return Object.keys(gqlType.getFields()).sort();
}

/**
 * Roles whose row condition for `type` needs other rows (trajectories, consents, the
 * student's mentor): `$elemMatch` conditions, which `ability.can` on a loaded row cannot
 * evaluate (src/authz/field-access.ts, header). Used only to SEPARATE the known limitation
 * from the cells compared exactly; those cells must read as null (fail closed).
 */
const RELATION_SCOPED: Record<OracleFieldType, ReadonlySet<Role>> = {
  Student: new Set([Role.EDUCATION_ADVISOR, Role.TEAM_MEMBER]),
  // The mentor's condition uses the virtual column Trajectory.studentMentorUserId: exact in memory.
  Trajectory: new Set(),
};

/** Per type: cells compared, readable / null in the API, the known-limitation cells, stub and consent states seen. */
interface FieldTally {
  cells: number;
  readable: number;
  nulled: number;
  /** Oracle grants it only through a relation-scoped role; the API (fail closed) answers null. */
  limitation: number;
  /** Trajectories a team member reads as a stub (care consent withdrawn or never given) / in full. */
  stub: number;
  full: number;
  /** Care-consent state of the students of the trajectory rows a team member read. */
  careConsent: { valid: number; withdrawn: number; none: number };
}
const emptyFieldTally = (): FieldTally => ({ cells: 0, readable: 0, nulled: 0, limitation: 0, stub: 0, full: 0, careConsent: { valid: 0, withdrawn: 0, none: 0 } });

/**
 * What the field middleware answers for `field` of the loaded `row`: subjects without any
 * field-limited rule of the caller are not checked at all (every field resolves), the others
 * with `ability.can('read', row, field)` (src/authz/field-access.ts).
 */
function apiReadsField(ability: AppAbility, type: OracleFieldType, row: object, field: string): boolean {
  const limited = ability.rulesFor('read', type).some((rule) => rule.fields !== undefined);
  return !limited || ability.can('read', row as never, field);
}

/**
 * For every row of Student and Trajectory the SQL path returns (loaded as full entities with
 * `accessibleQuery(...).getMany()`, virtual columns included, as the API loads them) and for
 * every GraphQL field of the type, the API's field decision equals the oracle's; a single read
 * of some visible rows answers the same. The one documented exception (a field granted only
 * by a relation-scoped role while another role limits the subject's fields) must read null.
 */
async function assertFieldsAgree(ds: DataSource, ability: AppAbility, oracleActor: OracleActor, data: OracleData, tally: Record<OracleFieldType, FieldTally>): Promise<void> {
  const fieldOracle = new FieldOracle(oracleActor, data);
  const teamIds = new Set(oracleActor.memberships.filter((m) => m.role === Role.TEAM_MEMBER).map((m) => m.topteamId));
  const consentsOf = (studentId: string) => data.consents.filter((c) => c.studentId === studentId && c.purpose === ConsentPurpose.CARE_BY_TOPTEAM);
  const mismatches: Array<Record<string, unknown>> = [];

  for (const type of FIELD_TYPES) {
    const fields = graphqlFields(type);
    const query = () => accessibleQuery<ObjectLiteral>(ability, ENTITY[type], ds, 'x');
    if (query() === null) continue;
    const rows = await query()!.getMany();
    const singles = await Promise.all(rows.slice(0, 2).map((r) => query()!.andWhere('x.id = :id', { id: r.id }).getOne()));
    // The middleware checks fields iff some rule is field-limited; the oracle knows the same from the matrix.
    expect({ type, fieldLimited: ability.rulesFor('read', type).some((r) => r.fields !== undefined) }).toEqual({ type, fieldLimited: fieldOracle.isFieldLimited(type) });
    const sighted = oracleActor.memberships.filter((m) => !RELATION_SCOPED[type].has(m.role));
    const t = tally[type];

    for (const row of [...rows, ...singles.filter((r): r is ObjectLiteral => r !== null)]) {
      expect(row.constructor).toBe(ENTITY[type]);
      if (type === 'Trajectory') {
        const tr = row as TrajectoryRow & { careConsentValid: boolean };
        // The virtual column is loaded with the row (the stub rule reads it in memory).
        expect(typeof tr.careConsentValid).toBe('boolean');
        if (tr.teamId !== null && teamIds.has(tr.teamId)) {
          const care = consentsOf(tr.studentId);
          const state = care.some((c) => c.withdrawnAt === null) ? 'valid' : care.length ? 'withdrawn' : 'none';
          t.careConsent[state] += 1;
          if (state === 'valid') t.full += 1;
          else t.stub += 1;
        }
      }
      for (const field of fields) {
        const oracleSays = fieldOracle.mayReadField(type, row as StudentRow | TrajectoryRow, field);
        const api = apiReadsField(ability, type, row, field);
        t.cells += 1;
        if (api) t.readable += 1;
        else t.nulled += 1;
        const limitation = oracleSays && fieldOracle.isFieldLimited(type) && !fieldOracle.mayReadField(type, row as StudentRow | TrajectoryRow, field, sighted);
        if (limitation) {
          t.limitation += 1;
          if (api) mismatches.push({ type, id: row.id, field, oracle: true, api, note: 'known limitation must fail closed (null)' });
        } else if (api !== oracleSays) {
          mismatches.push({ type, id: row.id, field, oracle: oracleSays, api });
        }
      }
    }
  }
  expect(mismatches).toEqual([]);
}

/**
 * Asserts that SQL, memory and oracle agree on every subject for `user`, and returns the
 * oracle's answer per subject (with how many own-partnership rows it hid, for the controls).
 */
async function assertPathsAgree(
  ds: DataSource,
  user: User,
  oracleActor: OracleActor,
  partnershipIds: string[],
  fieldTally?: Record<OracleFieldType, FieldTally>,
): Promise<Record<OracleSubject, string[]> & { tally: Record<OracleSubject, Tally>; data: OracleData }> {
  const actor = await loadActor(ds, user.subject);
  expect(actor).not.toBeNull();
  const ability = defineAbilityFor(actor!, ds);
  const data = await loadData(ds, partnershipIds);
  const oracle = new AccessOracle(oracleActor, data);

  const actual: Partial<Record<OracleSubject, Observation>> = {};
  const expected: Partial<Record<OracleSubject, Observation>> = {};
  const answer = { tally: {}, data } as Record<OracleSubject, string[]> & { tally: Record<OracleSubject, Tally>; data: OracleData };
  await Promise.all(
    ORACLE_SUBJECTS.map(async (subject) => {
      const allowed = oracle.visibleIds(subject);
      const sample = sampleIds(data, subject, allowed, oracleActor.partnershipId);
      actual[subject] = await observe(ds, ability, data, subject, sample);
      expected[subject] = expectation(allowed, sample);
      answer[subject] = allowed;
      const own = rowsOf(data, subject).filter((r) => r.partnershipId === oracleActor.partnershipId).length;
      answer.tally[subject] = { visible: allowed.length, hidden: own - allowed.length };
    }),
  );
  // One comparison over all subjects and paths, so a failure shows exactly which disagree.
  expect(actual).toEqual(expected);
  await assertFieldsAgree(ds, ability, oracleActor, data, fieldTally ?? { Student: emptyFieldTally(), Trajectory: emptyFieldTally() });
  return answer;
}

// ---------------------------------------------------------------------------------------
// Generated worlds
// ---------------------------------------------------------------------------------------

const CONSENT_PURPOSES = [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM] as const;

interface TrajectoryPlan { phase: Phase; team: number | null }
interface ConsentPlan { purpose: ConsentPurpose; withdrawn: boolean }
interface StudentPlan { mentor: 'actor' | 'colleague' | null; trajectories: TrajectoryPlan[]; consents: ConsentPlan[] }
/** `pick` selects the scope (windstreek, team or school) modulo how many there are. */
interface MembershipPlan { role: Role; pick: number; teamFunction: TeamFunction; revoked: boolean }
interface Plan {
  /** windstreken → schools → students */
  windstreken: StudentPlan[][][];
  memberships: MembershipPlan[];
}

/** Phases before (or instead of) acceptance carry no team (check `trajectory_team_after_acceptance`). */
const PHASES_WITHOUT_TEAM: readonly Phase[] = [Phase.REQUESTED, Phase.IN_REVIEW, Phase.INFO_REQUESTED, Phase.REFUSED];
/** A student has at most one trajectory in these phases (index `trajectory_one_running_per_student`)... */
const RUNNING_PHASES: readonly Phase[] = [
  Phase.REQUESTED, Phase.IN_REVIEW, Phase.INFO_REQUESTED, Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION,
];
/** ...and any number of finished ones. */
const FINISHED_PHASES: readonly Phase[] = Object.values(Phase).filter((p) => !RUNNING_PHASES.includes(p));
/** A trajectory in one of `phases`, with or without a team as the phase allows. */
const trajectoryIn = (phases: readonly Phase[]): fc.Arbitrary<TrajectoryPlan> => fc.oneof(
  // not (yet) assigned: any of the phases
  fc.record({ phase: fc.constantFrom(...phases), team: fc.constant(null) }),
  // assigned to any team of the partnership, also one of another windstreek (overflow)
  fc.record({ phase: fc.constantFrom(...phases.filter((p) => !PHASES_WITHOUT_TEAM.includes(p))), team: fc.nat({ max: 8 }) }),
  // accepted, but no team had room: waits for the coordinator or the home gedragswetenschapper
  ...(phases.includes(Phase.ACCEPTED) ? [fc.constant<TrajectoryPlan>({ phase: Phase.ACCEPTED, team: null })] : []),
);
/** A student's trajectories: at most one running, up to two finished (the domain invariant). */
const trajectoriesArb: fc.Arbitrary<TrajectoryPlan[]> = fc
  .tuple(fc.option(trajectoryIn(RUNNING_PHASES), { nil: null }), fc.array(trajectoryIn(FINISHED_PHASES), { maxLength: 2 }))
  .map(([running, finished]) => (running ? [running, ...finished] : finished));
const consentArb: fc.Arbitrary<ConsentPlan> = fc.record({
  // The two purposes the rules look at, and now and then a third that must grant nothing.
  purpose: fc.oneof(
    { arbitrary: fc.constantFrom(...CONSENT_PURPOSES), weight: 4 },
    { arbitrary: fc.constant(ConsentPurpose.SHARE_WITH_EXTERNAL_PARTNER), weight: 1 },
  ),
  withdrawn: fc.boolean(),
});
const studentArb: fc.Arbitrary<StudentPlan> = fc.record({
  mentor: fc.constantFrom(null, 'actor' as const, 'colleague' as const),
  trajectories: trajectoriesArb,
  consents: fc.array(consentArb, { maxLength: 3 }),
});
const membershipArb: fc.Arbitrary<MembershipPlan> = fc.record({
  // Every role; TEAM_MEMBER twice as often (its function decides what it reads).
  role: fc.oneof({ arbitrary: fc.constantFrom(...Object.values(Role)), weight: 4 }, { arbitrary: fc.constant(Role.TEAM_MEMBER), weight: 1 }),
  pick: fc.nat({ max: 8 }),
  teamFunction: fc.constantFrom(...Object.values(TeamFunction)),
  // Now and then a revoked membership, which must grant nothing.
  revoked: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});
const planArb: fc.Arbitrary<Plan> = fc.record({
  windstreken: fc.array(fc.array(fc.array(studentArb, { maxLength: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  memberships: fc.array(membershipArb, { maxLength: 3 }),
});

/** Ids generated up front, so all rows of a table go in with one INSERT. */
interface Rows {
  students: Array<Partial<Student>>;
  guardians: Array<Partial<Guardian>>;
  consents: Array<Partial<Consent>>;
  trajectories: Array<Partial<Trajectory>>;
  events: Array<Partial<TrajectoryEvent>>;
  goals: Array<Partial<Goal>>;
  notes: Array<Partial<Note>>;
  escalations: Array<Partial<Escalation>>;
  handoverAdvice: Array<Partial<HandoverAdvice>>;
  absenceRegistrations: Array<Partial<AbsenceRegistration>>;
}

function emptyRows(): Rows {
  return { students: [], guardians: [], consents: [], trajectories: [], events: [], goals: [], notes: [], escalations: [], handoverAdvice: [], absenceRegistrations: [] };
}

function addStudent(rows: Rows, school: School, mentorUserId: string | null): Student {
  const id = randomUUID();
  const student = {
    id,
    partnershipId: school.partnershipId,
    schoolId: school.id,
    mentorUserId,
    givenName: unique('Given'),
    familyName: unique('Family'),
    birthDate: '2011-05-04',
    studentNumber: unique('S').slice(0, 20),
    expectedExitLevel: ExitLevel.VMBO_GT,
    pseudonym: studentPseudonym('test-pseudonym-key-0000', school.partnershipId, id),
  } as Student;
  rows.students.push(student);
  rows.guardians.push({ partnershipId: school.partnershipId, studentId: id, name: unique('Parent '), relationship: 'vader', hasParentalAuthority: true });
  return student;
}

function addConsent(rows: Rows, student: Student, recordedBy: User, purpose: ConsentPurpose, withdrawn: boolean): void {
  rows.consents.push({
    partnershipId: student.partnershipId,
    studentId: student.id,
    purpose,
    legalBasis: LegalBasis.CONSENT,
    grantors: [{ role: GrantorRole.PARENT, name: 'Ouder', hasParentalAuthority: true }],
    studentAgeAtGrant: 14,
    recipients: ['Topteam'],
    dataCategories: ['identity', 'case'],
    givenAt: new Date('2026-01-05T09:00:00Z'),
    withdrawnAt: withdrawn ? new Date('2026-02-01T09:00:00Z') : null,
    withdrawnByUserId: withdrawn ? recordedBy.id : null,
    recordedByUserId: recordedBy.id,
  });
}

/** A trajectory with one phase event, one goal, one team note, one escalation, one hand-over advice and one absence registration. */
function addTrajectory(rows: Rows, student: Student, schoolId: string, windstreekId: string, teamId: string | null, phase: Phase, by: User): void {
  const id = randomUUID();
  const partnershipId = student.partnershipId;
  rows.trajectories.push({
    id, partnershipId, studentId: student.id, schoolId, windstreekId, teamId, phase,
    phaseStartedAt: new Date('2026-02-02T09:00:00Z'), problemAreas: [ProblemArea.MOTIVATION], registeredByUserId: by.id,
  });
  rows.events.push({ partnershipId, trajectoryId: id, act: 'submitRegistration', fromPhase: null, toPhase: Phase.REQUESTED, actorUserId: by.id });
  rows.goals.push({ partnershipId, trajectoryId: id, description: unique('Goal ') });
  rows.notes.push({ partnershipId, trajectoryId: id, body: unique('Note '), authorUserId: by.id });
  rows.escalations.push({ partnershipId, trajectoryId: id, level: 1, reason: unique('Escalation '), raisedByUserId: by.id });
  rows.handoverAdvice.push({ partnershipId, trajectoryId: id, advice: unique('Advice '), addedToDevelopmentPlan: false, authorUserId: by.id });
  rows.absenceRegistrations.push({ partnershipId, trajectoryId: id, absentOn: '2026-02-10', lessonsMissed: 2, authorised: false, note: null, registeredByUserId: by.id });
}

async function insertRows(ds: DataSource, rows: Rows): Promise<void> {
  const insert = async <T extends ObjectLiteral>(entity: EntityTarget<T>, values: Array<Partial<T>>) => {
    if (values.length) await ds.createQueryBuilder().insert().into(entity).values(values as never).execute();
  };
  await insert(Student, rows.students);
  await Promise.all([insert(Guardian, rows.guardians), insert(Consent, rows.consents), insert(Trajectory, rows.trajectories)]);
  await Promise.all([
    insert(TrajectoryEvent, rows.events), insert(Goal, rows.goals), insert(Note, rows.notes), insert(Escalation, rows.escalations),
    insert(HandoverAdvice, rows.handoverAdvice), insert(AbsenceRegistration, rows.absenceRegistrations),
  ]);
}

interface Built {
  partnership: Partnership;
  foreign: Partnership;
  actor: User;
  oracleActor: OracleActor;
}

/** Builds the plan's partnership, the actor with its memberships, and a foreign partnership. */
async function build(ds: DataSource, plan: Plan): Promise<Built> {
  const partnership = await createPartnership(ds);
  const windstreken = await Promise.all(plan.windstreken.map((_, i) => createWindstreek(ds, partnership, unique(`W${i}-`))));
  const teams = await Promise.all(windstreken.map((w) => createTopteam(ds, w)));
  const schoolsPerWindstreek = await Promise.all(plan.windstreken.map((schools, i) => Promise.all(schools.map(() => createSchool(ds, windstreken[i])))));
  const schools = schoolsPerWindstreek.flat();
  const actor = await createUser(ds, partnership, [], unique('actor'));
  const colleague = await createUser(ds, partnership, [], unique('colleague'));

  // The actor's memberships, with the scope each role needs.
  const active: OracleMembership[] = [];
  for (const m of plan.memberships) {
    let scope: Scope = {};
    if (m.role === Role.EDUCATION_ADVISOR) scope = { windstreek: windstreken[m.pick % windstreken.length] };
    if (m.role === Role.TEAM_MEMBER) scope = { topteam: teams[m.pick % teams.length], teamFunction: m.teamFunction };
    if (m.role === Role.SCHOOL_COORDINATOR || m.role === Role.MENTOR) scope = { school: schools[m.pick % schools.length] };
    const membership = await grant(ds, actor, m.role, scope);
    if (m.revoked) {
      await ds.getRepository(Membership).update(membership.id, { revokedAt: new Date('2026-03-01T00:00:00Z') });
    } else {
      active.push({
        role: m.role, windstreekId: scope.windstreek?.id ?? null, schoolId: scope.school?.id ?? null, topteamId: scope.topteam?.id ?? null,
        teamFunction: m.role === Role.TEAM_MEMBER ? m.teamFunction : null,
      });
    }
  }

  const rows = emptyRows();
  plan.windstreken.forEach((schoolPlans, w) =>
    schoolPlans.forEach((studentPlans, s) => {
      const school = schoolsPerWindstreek[w][s];
      for (const p of studentPlans) {
        const mentor = p.mentor === 'actor' ? actor.id : p.mentor === 'colleague' ? colleague.id : null;
        const student = addStudent(rows, school, mentor);
        for (const c of p.consents) addConsent(rows, student, colleague, c.purpose, c.withdrawn);
        for (const t of p.trajectories) {
          const teamId = t.team === null ? null : teams[t.team % teams.length].id;
          addTrajectory(rows, student, school.id, school.windstreekId, teamId, t.phase, colleague);
        }
      }
    }),
  );

  // A foreign partnership whose rows point at the actor and the actor's structure: a student
  // mentored by the actor, trajectories assigned to the actor's partnership's first team and
  // windstreek, all consents valid. Only the tenant bound keeps these out.
  const foreign = await createPartnership(ds);
  const fw = await createWindstreek(ds, foreign);
  const [fs, ft, fu] = await Promise.all([createSchool(ds, fw), createTopteam(ds, fw), createUser(ds, foreign, [], unique('foreign'))]);
  for (const [mentor, teamId, windstreekId] of [
    [actor.id, teams[0].id, windstreken[0].id],
    [null, ft.id, fw.id],
  ] as const) {
    const student = addStudent(rows, fs, mentor);
    for (const purpose of CONSENT_PURPOSES) addConsent(rows, student, fu, purpose, false);
    addTrajectory(rows, student, fs.id, windstreekId, teamId, Phase.INTENSIVE, fu);
  }
  await insertRows(ds, rows);

  return { partnership, foreign, actor, oracleActor: { userId: actor.id, partnershipId: partnership.id, memberships: active } };
}

// Hand-written plans that fast-check runs first: together they guarantee that every subject
// has both visible and hidden rows in some run (the positive controls below rely on it).
const richData: StudentPlan[][][] = [
  [
    [
      { mentor: 'actor', trajectories: [{ phase: Phase.ASSESSMENT, team: 0 }], consents: [{ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, withdrawn: false }, { purpose: ConsentPurpose.CARE_BY_TOPTEAM, withdrawn: false }] },
      { mentor: null, trajectories: [{ phase: Phase.INTENSIVE, team: 0 }], consents: [{ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, withdrawn: false }, { purpose: ConsentPurpose.CARE_BY_TOPTEAM, withdrawn: true }] },
      { mentor: 'colleague', trajectories: [], consents: [] },
      // Accepted, no team yet: the gedragswetenschapper of team 0 reads the row (nothing under it).
      { mentor: null, trajectories: [{ phase: Phase.ACCEPTED, team: null }], consents: [{ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, withdrawn: false }, { purpose: ConsentPurpose.CARE_BY_TOPTEAM, withdrawn: false }] },
    ],
    [{ mentor: 'actor', trajectories: [{ phase: Phase.CONSOLIDATION, team: 1 }], consents: [{ purpose: ConsentPurpose.CARE_BY_TOPTEAM, withdrawn: false }] }],
  ],
  [
    [
      { mentor: null, trajectories: [{ phase: Phase.ASSESSMENT, team: 0 }], consents: [{ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, withdrawn: false }, { purpose: ConsentPurpose.CARE_BY_TOPTEAM, withdrawn: false }] },
      { mentor: null, trajectories: [{ phase: Phase.REQUESTED, team: null }], consents: [{ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, withdrawn: false }] },
      // Overflow to team 0, never a care consent: the team reads the stub (consent state "none").
      { mentor: null, trajectories: [{ phase: Phase.INTENSIVE, team: 0 }], consents: [{ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, withdrawn: false }] },
      // Accepted, no team yet, in windstreek 1: not for the gedragswetenschapper of team 0.
      { mentor: null, trajectories: [{ phase: Phase.ACCEPTED, team: null }], consents: [{ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, withdrawn: false }, { purpose: ConsentPurpose.CARE_BY_TOPTEAM, withdrawn: false }] },
    ],
  ],
];
const m = (role: Role, pick = 0): MembershipPlan => ({ role, pick, teamFunction: TeamFunction.TEACHER, revoked: false });
const EXAMPLES: Array<[Plan]> = [
  // Topteam of windstreek 0, advisor of windstreek 1, mentor at the first school.
  [{ windstreken: richData, memberships: [m(Role.TEAM_MEMBER, 0), m(Role.EDUCATION_ADVISOR, 1), m(Role.MENTOR, 0)] }],
  // School coordinator of the school in windstreek 1, one of whose trajectories went to the
  // team of windstreek 0 (so that team is readable too).
  [{ windstreken: richData, memberships: [m(Role.SCHOOL_COORDINATOR, 2)] }],
  // Advisor of windstreek 0, where the student of the second school (trajectory of team 1) has
  // a care consent but no share consent: its row is readable, its consent records and its
  // events and goals are not (ACCESS.md rule 4).
  [{ windstreken: richData, memberships: [m(Role.EDUCATION_ADVISOR, 0)] }],
  // Programme coordinator and privacy officer.
  [{ windstreken: richData, memberships: [m(Role.PROGRAMME_COORDINATOR), m(Role.PRIVACY_OFFICER)] }],
  // A mentor only (no structure), and a user with only a revoked membership.
  [{ windstreken: richData, memberships: [m(Role.MENTOR, 1)] }],
  [{ windstreken: richData, memberships: [{ ...m(Role.PRIVACY_OFFICER), revoked: true }] }],
  // The gedragswetenschapper of team 0: its caseload, and the row of windstreek 0's accepted
  // case without a team, not windstreek 1's; a teacher of team 1 sees neither waiting case.
  [{ windstreken: richData, memberships: [{ ...m(Role.TEAM_MEMBER, 0), teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }] }],
  [{ windstreken: richData, memberships: [m(Role.TEAM_MEMBER, 1)] }],
  // Field views combined: the programme coordinator's pseudonym view with a team's full view,
  // and a mentor whose mentee's case went to another team than the mentor's own (the known
  // in-memory limitation, test below); the privacy officer with a school coordinator.
  [{ windstreken: richData, memberships: [m(Role.PROGRAMME_COORDINATOR), m(Role.TEAM_MEMBER, 0)] }],
  [{ windstreken: richData, memberships: [m(Role.TEAM_MEMBER, 1), m(Role.MENTOR, 0)] }],
  [{ windstreken: richData, memberships: [m(Role.PRIVACY_OFFICER), m(Role.SCHOOL_COORDINATOR, 0)] }],
];

// ---------------------------------------------------------------------------------------

let ds: DataSource;

beforeAll(async () => {
  ds = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 6 });
  await ds.initialize();
});

afterAll(async () => {
  await ds?.destroy();
});

describe('the SQL filter, ability.can and the ACCESS.md oracle agree', () => {
  test('as a generated user with 0–3 memberships of any role and scope, on generated data, list, count, single and batch reads equal the oracle for every subject', async () => {
    const tally = Object.fromEntries(ORACLE_SUBJECTS.map((s) => [s, { visible: 0, hidden: 0 }])) as Record<OracleSubject, Tally>;
    /** Accepted cases without a team that the actor's team memberships alone reach, or do not. */
    const waiting: Tally = { visible: 0, hidden: 0 };
    const fieldTally: Record<OracleFieldType, FieldTally> = { Student: emptyFieldTally(), Trajectory: emptyFieldTally() };
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        runs += 1;
        const built = await build(ds, plan);
        const answer = await assertPathsAgree(ds, built.actor, built.oracleActor, [built.partnership.id, built.foreign.id], fieldTally);
        for (const s of ORACLE_SUBJECTS) {
          tally[s].visible += answer.tally[s].visible;
          tally[s].hidden += answer.tally[s].hidden;
        }
        const teamMemberships = built.oracleActor.memberships.filter((x) => x.role === Role.TEAM_MEMBER);
        if (teamMemberships.length) {
          const viaTeam = new Set(new AccessOracle({ ...built.oracleActor, memberships: teamMemberships }, answer.data).visibleIds('Trajectory'));
          for (const t of answer.data.trajectories) {
            if (t.partnershipId !== built.partnership.id || t.teamId !== null || t.phase !== Phase.ACCEPTED) continue;
            if (viaTeam.has(t.id)) waiting.visible += 1;
            else waiting.hidden += 1;
          }
        }
      }),
      { numRuns: NUM_RUNS, examples: EXAMPLES },
    );
    // Positive controls: the property was not satisfied vacuously. Every subject had rows
    // some actor could read and rows of the own partnership some actor could not.
    expect(runs).toBeGreaterThanOrEqual(NUM_RUNS);
    for (const s of ORACLE_SUBJECTS) {
      expect({ subject: s, someVisible: tally[s].visible > 0, someHidden: tally[s].hidden > 0 }).toEqual({ subject: s, someVisible: true, someHidden: true });
    }
    // ...and the gedragswetenschapper's branch for accepted cases without a team was exercised
    // both ways: such rows read through a team membership, and such rows a team member may not read.
    expect({ waitingSeenByTeam: waiting.visible > 0, waitingHiddenFromTeam: waiting.hidden > 0 }).toEqual({ waitingSeenByTeam: true, waitingHiddenFromTeam: true });
    // ...and per field: both types had fields read and fields nulled, the Topteam read cases in
    // full and as a stub, with the care consent valid, withdrawn and never given, and the known
    // limitation occurred (and read null, asserted per cell).
    console.log(`differential property: ${runs} runs; fields ${JSON.stringify(fieldTally)}`);
    for (const type of FIELD_TYPES) {
      // The limitation only exists where some role's condition is relation-scoped (RELATION_SCOPED).
      const limited = RELATION_SCOPED[type].size > 0;
      expect({ type, readable: fieldTally[type].readable > 0, nulled: fieldTally[type].nulled > 0, limitation: fieldTally[type].limitation > 0 })
        .toEqual({ type, readable: true, nulled: true, limitation: limited });
    }
    const tt = fieldTally.Trajectory;
    expect({ full: tt.full > 0, stub: tt.stub > 0, valid: tt.careConsent.valid > 0, withdrawn: tt.careConsent.withdrawn > 0, none: tt.careConsent.none > 0 })
      .toEqual({ full: true, stub: true, valid: true, withdrawn: true, none: true });
  });
});

describe('union of memberships (deterministic example)', () => {
  test('as TEAM_MEMBER of Topteam A and SCHOOL_COORDINATOR of school B1, I read the union of both circles and no more', async () => {
    const world = await createWorld(ds);
    const other = await createWorld(ds); // a foreign partnership with the same shapes
    const { TA } = world.teams;
    const { A1, A2, B1 } = world.schools;
    const s = world.students;
    const t = world.trajectories;

    const both = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: TA }], [Role.SCHOOL_COORDINATOR, { school: B1 }]]);
    const teamOnly = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: TA }]]);
    const schoolOnly = await createUser(ds, world.partnership, [[Role.SCHOOL_COORDINATOR, { school: B1 }]]);
    const tm: OracleMembership = { role: Role.TEAM_MEMBER, windstreekId: null, schoolId: null, topteamId: TA.id, teamFunction: TeamFunction.TEACHER };
    const sc: OracleMembership = { role: Role.SCHOOL_COORDINATOR, windstreekId: null, schoolId: B1.id, topteamId: null, teamFunction: null };
    const ids = [world.partnership.id, other.partnership.id];
    const asActor = (u: User, memberships: OracleMembership[]) =>
      assertPathsAgree(ds, u, { userId: u.id, partnershipId: world.partnership.id, memberships }, ids);

    const union = await asActor(both, [tm, sc]);
    const teamView = await asActor(teamOnly, [tm]);
    const schoolView = await asActor(schoolOnly, [sc]);

    // Union semantics: each subject's rows are exactly those of either membership alone.
    for (const subject of ORACLE_SUBJECTS) {
      expect({ subject, ids: union[subject] }).toEqual({ subject, ids: sorted([...new Set([...teamView[subject], ...schoolView[subject]])]) });
    }

    // Students: a1Team through the team (valid care consent), b1Team through the school.
    // a1Revoked is on the team's caseload but its care consent was withdrawn: not readable,
    // though its trajectory stays readable to the team.
    expect(union.Student).toEqual(sorted([s.a1Team.id, s.b1Team.id]));
    expect(teamView.Student).toEqual([s.a1Team.id]);
    expect(schoolView.Student).toEqual([s.b1Team.id]);
    expect(union.Trajectory).toEqual(sorted([t.a1Team.id, t.a1Revoked.id, t.b1Team.id]));

    // Team notes come only with the team membership: the notes of B1's trajectory (team TB)
    // stay hidden although the school coordinator role reads that trajectory and its goals.
    const idsOf = async (entity: typeof Note | typeof Goal | typeof TrajectoryEvent, trajectoryIds: string[]) =>
      sorted((await ds.getRepository(entity).createQueryBuilder('r').where('r.trajectoryId IN (:...trajectoryIds)', { trajectoryIds }).getMany()).map((r) => r.id));
    const [a1TeamNotes, b1TeamNotes, a1TeamGoals, b1TeamGoals] = await Promise.all([
      idsOf(Note, [t.a1Team.id]), idsOf(Note, [t.b1Team.id]), idsOf(Goal, [t.a1Team.id]), idsOf(Goal, [t.b1Team.id]),
    ]);
    expect(a1TeamNotes.length * b1TeamNotes.length * a1TeamGoals.length * b1TeamGoals.length).toBeGreaterThan(0);
    expect(union.Note).toEqual(expect.arrayContaining(a1TeamNotes));
    expect(union.Note.filter((id) => b1TeamNotes.includes(id))).toEqual([]);
    expect(union.Goal).toEqual(expect.arrayContaining([...a1TeamGoals, ...b1TeamGoals]));
    expect(schoolView.Note).toEqual([]);

    // ACCESS.md rule 4: the team reads a1Revoked's trajectory row (above) but none of the case
    // records under it, its care consent being withdrawn; the school membership (B1) does not
    // reach them either. Positive control: a1Team's records of the same kinds are read.
    const [revokedNotes, revokedGoals, revokedEvents, a1TeamEvents] = await Promise.all([
      idsOf(Note, [t.a1Revoked.id]), idsOf(Goal, [t.a1Revoked.id]), idsOf(TrajectoryEvent, [t.a1Revoked.id]), idsOf(TrajectoryEvent, [t.a1Team.id]),
    ]);
    expect(revokedNotes.length * revokedGoals.length * revokedEvents.length * a1TeamEvents.length).toBeGreaterThan(0);
    for (const view of [union, teamView]) {
      expect({
        notes: view.Note.filter((id) => revokedNotes.includes(id)),
        goals: view.Goal.filter((id) => revokedGoals.includes(id)),
        events: view.TrajectoryEvent.filter((id) => revokedEvents.includes(id)),
      }).toEqual({ notes: [], goals: [], events: [] });
      expect(view.TrajectoryEvent).toEqual(expect.arrayContaining(a1TeamEvents));
    }

    // Consents: of the team's caseload with a valid care consent (a1Team, not a1Revoked) and of
    // B1's students.
    const consentsOf = async (studentIds: string[]) =>
      sorted((await ds.getRepository(Consent).createQueryBuilder('c').where('c.studentId IN (:...studentIds)', { studentIds }).getMany()).map((c) => c.id));
    expect(union.Consent).toEqual(await consentsOf([s.a1Team.id, s.b1Team.id]));
    expect(union.Consent.length).toBe(4);
    expect(teamView.Consent).toEqual(await consentsOf([s.a1Team.id]));

    // Structure: the team member reads all of it; the school coordinator alone only B1.
    expect(union.School).toEqual(sorted([A1.id, A2.id, B1.id]));
    expect(schoolView.School).toEqual([B1.id]);
    expect(schoolView.Windstreek).toEqual([world.windstreken.B.id]);
  });
});

describe('known limitation: field checks on a loaded row do not evaluate relation conditions (src/authz/field-access.ts)', () => {
  test('as PROGRAMME_COORDINATOR and TEAM_MEMBER of Topteam A, a student on my caseload with valid care consent reads its identity as null (fail closed), though ACCESS.md grants it through the team', async () => {
    const world = await createWorld(ds);
    const s = world.students.a1Team; // assigned to TA, care consent valid
    const user = await createUser(ds, world.partnership, [[Role.PROGRAMME_COORDINATOR, {}], [Role.TEAM_MEMBER, { topteam: world.teams.TA }]]);
    const oracleActor: OracleActor = {
      userId: user.id, partnershipId: world.partnership.id,
      memberships: [
        { role: Role.PROGRAMME_COORDINATOR, windstreekId: null, schoolId: null, topteamId: null, teamFunction: null },
        { role: Role.TEAM_MEMBER, windstreekId: null, schoolId: null, topteamId: world.teams.TA.id, teamFunction: TeamFunction.TEACHER },
      ],
    };
    const ability = defineAbilityFor((await loadActor(ds, user.subject))!, ds);
    const row = await accessibleQuery<Student>(ability, Student, ds, 'x')!.andWhere('x.id = :id', { id: s.id }).getOne();
    // The row is readable (SQL evaluates the team's EXISTS) and the oracle grants identity.
    expect(row?.id).toBe(s.id);
    const oracle = new FieldOracle(oracleActor, await loadData(ds, [world.partnership.id]));
    expect({ givenName: oracle.mayReadField('Student', row!, 'givenName'), pseudonym: oracle.mayReadField('Student', row!, 'pseudonym') })
      .toEqual({ givenName: true, pseudonym: true });
    // Current behaviour: the coordinator's field-limited rule makes Student field-checked, and
    // the team's rule ({ trajectories: $elemMatch, consents: $elemMatch }) does not match the
    // loaded row (no relations loaded), so identity resolves to null: never disclosure.
    // Positive control: the pseudonym, which the coordinator's rule grants, is readable.
    expect({
      givenName: ability.can('read', row!, 'givenName'),
      studentNumber: ability.can('read', row!, 'studentNumber'),
      pseudonym: ability.can('read', row!, 'pseudonym'),
    }).toEqual({ givenName: false, studentNumber: false, pseudonym: true });
    // The team alone (no field-limited rule for Student) is not field-checked: identity resolves.
    const teamOnly = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA }]]);
    const teamAbility = defineAbilityFor((await loadActor(ds, teamOnly.subject))!, ds);
    expect(teamAbility.rulesFor('read', 'Student').some((r) => r.fields !== undefined)).toBe(false);
    expect(await accessibleQuery<Student>(teamAbility, Student, ds, 'x')!.andWhere('x.id = :id', { id: s.id }).getCount()).toBe(1);
  });
});
