/**
 * Differential test of the access rules (the access matrix, column "Tests prove the two paths agree", src/authz/README.md).
 *
 * For generated partnerships, memberships and data, three independent answers to "which rows
 * of <subject> may this user read" must be identical:
 *
 *   1. SQL:    `accessibleQuery(ability, Entity, ds, 'x')` (the CASL rules translated to SQL);
 *   2. memory: every row of both partnerships, hydrated with the relations the rules name,
 *              filtered with `ability.can('read', subject(type, row))`;
 *   3. oracle: `AccessOracle` (./oracle.ts), written from the access matrix (src/authz/README.md) without
 *              importing src/authz/rules.
 *
 * Besides the list, `getCount()` (what `totalCount` is built on) must equal the list size, a
 * single read (`… AND x.id = :id`) must return the row iff the oracle allows it, and a batch
 * read by ids (what DataLoader does) must return exactly the permitted ids.
 *
 * Per field, for Student, Trajectory, Guardian, Consent and every record under a trajectory:
 * `ability.can('read', row, field)` on every row with its relations equals the oracle's field
 * answer, and so does the field middleware's decision on the rows the SQL path loads (a field
 * the caller may not read resolves to null), exactly: where a granting rule has a relation
 * condition that the loaded row cannot show, the middleware asks SQL for that field.
 *
 * Consent gates care data (AVG rule 4, src/authz/README.md) as it holds on the request's calendar day: every
 * run draws the request's instant (often near midnight, around the DST switches) and consents
 * that hold without end, hold until a later day or until today (inclusive), ended yesterday or
 * earlier, were withdrawn, or were never given. The ability is built for `amsterdamDate(now)`,
 * as the server builds it from its clock; the oracle computes its own day.
 *
 * Every run builds its own partnership plus a "foreign" partnership with cases like its own (the
 * database refuses foreign rows that point at the actor, its team or windstreek: every key between
 * tenant tables includes the partnership), so only the tenant bound keeps them out. A failing run
 * prints fast-check's seed and the shrunk plan.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { subject as asSubject } from '@casl/ability';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { AppAbility, defineAbilityFor } from '../../src/authz/ability';
import { accessibleQuery } from '../../src/authz/accessible';
import { FieldCheckContext, mayReadField } from '../../src/authz/field-access';
import { Loaders } from '../../src/graphql/loaders';
import { loadActor } from '../../src/authz/actor';
import { createDataSource } from '../../src/app/database';
import {
  AbsenceRegistration, Complaint, Consent, CrossWindstreekAssignment, Escalation, Evaluation, ExitQuestionnaire, FollowUp, Goal, Guardian,
  HandoverAdvice, Membership, Note, Partnership, School, Student, Topteam, Trajectory, TrajectoryEvent, User, Windstreek,
} from '../../src/app/entities';
import { amsterdamDate } from '../../src/domain/clock';
import {
  ConsentPurpose, ExitLevel, FollowUpMoment, GrantorRole, HandoverRecipient, LegalBasis, Party, Phase, ProblemArea, Role, TeamFunction,
} from '../../src/domain/enums';
import { studentPseudonym } from '../../src/domain/pseudonym';
import {
  createPartnership, createSchool, createTopteam, createUser, createWindstreek, grant, Scope, unique,
} from '../factories';
import { createWorld } from '../factories/world';
import { GraphQLObjectType } from 'graphql';
import { getSchema } from '../../src/graphql/schema';
import {
  AccessOracle, amsterdamDay, ConsentRow, consentHolds, FieldOracle, OracleActor, OracleData, OracleFieldType, oracleFields, OracleMembership, OracleRow,
  OracleSubject, ORACLE_FIELD_TYPES, ORACLE_SUBJECTS, PARTIAL_VIEWS, plusDays, rowsOf, TRAJECTORY_RECORD_SUBJECTS, TrajectoryRecordSubject, TrajectoryRow,
} from './oracle';

jest.setTimeout(600_000);

/** Generated runs per `npm test` (~0.2 s each); raise it for a soak: AUTHZ_PROPERTY_RUNS=500. */
const NUM_RUNS = Number(process.env.AUTHZ_PROPERTY_RUNS ?? 25);

// ---------------------------------------------------------------------------------------
// Reading one subject three ways
// ---------------------------------------------------------------------------------------

const ENTITY: Record<OracleSubject, Function> = {
  Windstreek, School, Topteam, Student, Guardian, Consent, Trajectory, TrajectoryEvent, Goal, Evaluation, Note, FollowUp, Escalation, Complaint,
  ExitQuestionnaire, HandoverAdvice, AbsenceRegistration, CrossWindstreekAssignment,
};

/** Rows of every oracle subject in the given partnerships, as the entities load them. */
async function loadData(ds: DataSource, partnershipIds: string[]): Promise<OracleData> {
  const load = <T extends ObjectLiteral>(entity: EntityTarget<T>) =>
    ds.getRepository(entity).createQueryBuilder('r').where('r.partnershipId IN (:...ids)', { ids: partnershipIds }).getMany();
  const [
    windstreken, schools, topteams, students, guardians, consents, trajectories, events, goals, evaluations, notes, followUps, escalations, complaints,
    exitQuestionnaires, handoverAdvice, absenceRegistrations, crossWindstreekAssignments,
  ] = await Promise.all([
    load(Windstreek), load(School), load(Topteam), load(Student), load(Guardian), load(Consent), load(Trajectory), load(TrajectoryEvent), load(Goal),
    load(Evaluation), load(Note), load(FollowUp), load(Escalation), load(Complaint), load(ExitQuestionnaire), load(HandoverAdvice),
    load(AbsenceRegistration), load(CrossWindstreekAssignment),
  ]);
  return {
    windstreken, schools, topteams, students, guardians, consents, trajectories, events, goals, evaluations, notes, followUps, escalations, complaints,
    exitQuestionnaires, handoverAdvice, absenceRegistrations, crossWindstreekAssignments,
  };
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
    default:
      // The records under a trajectory.
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
// Reading fields: ability.can per field (on rows with relations, and as the middleware on loaded rows) vs the oracle
// ---------------------------------------------------------------------------------------

/** The GraphQL fields of `type`, as the emitted schema declares them. */
function graphqlFields(type: OracleFieldType): string[] {
  const gqlType = getSchema().getType(type);
  if (!(gqlType instanceof GraphQLObjectType)) throw new Error(`schema has no object type ${type}`);
  return Object.keys(gqlType.getFields()).sort();
}

/**
 * Roles whose row condition for `type` needs other rows (trajectories, consents, the student,
 * the trajectory): `$elemMatch` conditions, which `ability.can` on a loaded row (no relations)
 * cannot evaluate, so the field middleware decides those cells in SQL (src/authz/field-access.ts,
 * header). Used for the control that this SQL path was exercised where some role limits the
 * type's fields (Student, TrajectoryEvent, Escalation).
 */
const RECORD_RELATION_SCOPED: ReadonlySet<Role> = new Set([Role.SCHOOL_COORDINATOR, Role.MENTOR, Role.EDUCATION_ADVISOR, Role.TEAM_MEMBER]);
const RELATION_SCOPED: Record<OracleFieldType, ReadonlySet<Role>> = {
  Student: new Set([Role.EDUCATION_ADVISOR, Role.TEAM_MEMBER]),
  // The mentor's condition uses the virtual column Trajectory.studentMentorUserId, the team's
  // the care consent's last day loaded with the row: exact in memory. The advisor's identity and
  // case fields follow the student's share consent: a relation, decided in SQL.
  Trajectory: new Set([Role.EDUCATION_ADVISOR]),
  // Through the student; the privacy officer's rules have no condition.
  Guardian: new Set([Role.SCHOOL_COORDINATOR, Role.MENTOR, Role.EDUCATION_ADVISOR, Role.TEAM_MEMBER]),
  Consent: new Set([Role.SCHOOL_COORDINATOR, Role.EDUCATION_ADVISOR, Role.TEAM_MEMBER]),
  // Through the trajectory; the programme coordinator's rules have no condition.
  ...(Object.fromEntries(TRAJECTORY_RECORD_SUBJECTS.map((s) => [s, RECORD_RELATION_SCOPED])) as Record<TrajectoryRecordSubject, ReadonlySet<Role>>),
};

/** Types some role reads only in part (the access matrix (src/authz/README.md), as the oracle writes it): fields are nulled there. */
const PARTIAL_TYPES: ReadonlySet<string> = new Set(Object.keys(PARTIAL_VIEWS));

/**
 * When a consent of one purpose "holds" for a student on a day, by its most favourable
 * record: holds without end, until a later day, until today (inclusive); or not: ended
 * yesterday, ended earlier, withdrawn, never given.
 */
const CONSENT_STATES = ['noEnd', 'endsLater', 'endsToday', 'endedYesterday', 'expired', 'withdrawn', 'none'] as const;
type ConsentState = (typeof CONSENT_STATES)[number];
const HOLDING_STATES: ReadonlySet<ConsentState> = new Set(['noEnd', 'endsLater', 'endsToday']);

function consentState(consents: ConsentRow[], today: string): ConsentState {
  const holding = consents.filter((c) => consentHolds(c, today));
  if (holding.length) return holding.some((c) => c.validUntil === null) ? 'noEnd' : holding.some((c) => c.validUntil !== today) ? 'endsLater' : 'endsToday';
  const lapsed = consents.filter((c) => c.withdrawnAt === null);
  if (lapsed.length) return lapsed.some((c) => c.validUntil === plusDays(today, -1)) ? 'endedYesterday' : 'expired';
  return consents.length ? 'withdrawn' : 'none';
}
const perState = <T>(make: () => T) => Object.fromEntries(CONSENT_STATES.map((s) => [s, make()])) as Record<ConsentState, T>;

/** Per type: cells compared through the API (loaded rows) and in memory (rows with relations). */
interface FieldTally {
  /** API: fields resolved / nulled on rows the SQL path loads. */
  cells: number;
  readable: number;
  nulled: number;
  /** Granted, though `ability.can` on the loaded row said no: decided in SQL (a relation-scoped role). */
  sqlGranted: number;
  /** Memory: `ability.can('read', row with relations, field)` over every row of both partnerships. */
  memoryReadable: number;
  memoryDenied: number;
}
const emptyFieldTally = (): FieldTally => ({ cells: 0, readable: 0, nulled: 0, sqlGranted: 0, memoryReadable: 0, memoryDenied: 0 });
const emptyFieldTallies = () => Object.fromEntries(ORACLE_FIELD_TYPES.map((t) => [t, emptyFieldTally()])) as Record<OracleFieldType, FieldTally>;

/** Trajectory rows a Topteam member loaded for its own team, by the care consent's state: read in full or as the stub. */
type TeamCaseTally = Record<ConsentState, { full: number; stub: number }>;
const emptyTeamCaseTally = (): TeamCaseTally => perState(() => ({ full: 0, stub: 0 }));

/** What the field guard answers for `field` of the loaded `row` (src/authz/field-access.ts, `mayReadField`). */
async function apiReadsField(check: FieldCheckContext, row: object, field: string): Promise<boolean> {
  return mayReadField(check, row, field);
}

/**
 * Per field, for every type of ORACLE_FIELD_TYPES and every GraphQL field of it:
 *
 * - memory, per object and per field: for every row of both partnerships, with the relations
 *   the rules name, `ability.can('read', row, field)` equals the oracle, exactly;
 * - API: for every row the SQL path returns (loaded as full entities with
 *   `accessibleQuery(...).getMany()`, virtual columns included, as the API loads them), and
 *   for a single read of some of them, the field middleware's decision equals the oracle,
 *   exactly (relation-scoped grants decided in SQL, batched as in a request).
 */
async function assertFieldsAgree(
  ds: DataSource, ability: AppAbility, oracleActor: OracleActor, data: OracleData, tally: Record<OracleFieldType, FieldTally>, teamCases: TeamCaseTally,
): Promise<void> {
  const fieldOracle = new FieldOracle(oracleActor, data);
  const teamIds = new Set(oracleActor.memberships.filter((m) => m.role === Role.TEAM_MEMBER).map((m) => m.topteamId));
  const careConsentsOf = (studentId: string) => data.consents.filter((c) => c.studentId === studentId && c.purpose === ConsentPurpose.CARE_BY_TOPTEAM);
  const mismatches: Array<Record<string, unknown>> = [];
  // The middleware's request context: the ability, per-request loaders (its SQL batches) and the database.
  const check: FieldCheckContext = { ability, loaders: new Loaders(ability, ds), dataSource: ds };

  for (const type of ORACLE_FIELD_TYPES) {
    const fields = graphqlFields(type);
    const t = tally[type];

    // Memory, relations loaded: no limitation, every cell exact.
    for (const row of hydrate(data, type)) {
      const subject = asSubject(type, row);
      for (const field of fields) {
        const oracleSays = fieldOracle.mayReadField(type, row as unknown as OracleRow, field);
        const memory = ability.can('read', subject, field);
        if (memory) t.memoryReadable += 1;
        else t.memoryDenied += 1;
        if (memory !== oracleSays) mismatches.push({ path: 'memory', type, id: row.id, field, oracle: oracleSays, memory });
      }
    }

    // The API: the rows the SQL path loads, and single reads.
    const query = () => accessibleQuery<ObjectLiteral>(ability, ENTITY[type], ds, 'x');
    // The middleware checks fields iff some rule is field-limited; the oracle knows the same from the matrix.
    expect({ type, fieldLimited: ability.rulesFor('read', type).some((r) => r.fields !== undefined) }).toEqual({ type, fieldLimited: fieldOracle.isFieldLimited(type) });
    if (query() === null) continue;
    const rows = await query()!.getMany();
    const singles = await Promise.all(rows.slice(0, 2).map((r) => query()!.andWhere('x.id = :id', { id: r.id }).getOne()));
    const loaded = [...rows, ...singles.filter((r): r is ObjectLiteral => r !== null)];
    // Every cell at once, as a request resolves a list: the SQL decisions batch per field group.
    const decisions = new Map<string, boolean>();
    await Promise.all(loaded.flatMap((row) => fields.map(async (field) => decisions.set(`${row.id}:${field}`, await apiReadsField(check, row, field)))));

    for (const row of loaded) {
      expect(row.constructor).toBe(ENTITY[type]);
      if (type === 'Trajectory') {
        const tr = row as TrajectoryRow & { careConsentValidThrough: string | null };
        // The care consent's last day is loaded with the row (the team's rule reads it in
        // memory): it decides exactly as the oracle's "holds today".
        expect({ id: tr.id, holds: tr.careConsentValidThrough !== null && tr.careConsentValidThrough >= oracleActor.today })
          .toEqual({ id: tr.id, holds: fieldOracle.careConsentHolds(tr) });
        if (tr.teamId !== null && teamIds.has(tr.teamId)) {
          const state = consentState(careConsentsOf(tr.studentId), oracleActor.today);
          teamCases[state][decisions.get(`${row.id}:problemAreas`) ? 'full' : 'stub'] += 1;
        }
      }
      for (const field of fields) {
        const oracleSays = fieldOracle.mayReadField(type, row as OracleRow, field);
        const api = decisions.get(`${row.id}:${field}`)!;
        t.cells += 1;
        if (api) t.readable += 1;
        else t.nulled += 1;
        if (api && fieldOracle.isFieldLimited(type) && !ability.can('read', row as never, field)) t.sqlGranted += 1;
        if (api !== oracleSays) mismatches.push({ path: 'api', type, id: row.id, field, oracle: oracleSays, api });
      }
    }
  }
  expect(mismatches).toEqual([]);
}

/**
 * Asserts that SQL, memory and oracle agree on every subject (rows, and fields of
 * ORACLE_FIELD_TYPES) for `user` in a request at instant `now`, and returns the oracle's
 * answer per subject (with how many own-partnership rows it hid, for the controls).
 */
async function assertPathsAgree(
  ds: DataSource,
  user: User,
  oracleActor: OracleActor,
  partnershipIds: string[],
  now: Date,
  fieldTally: Record<OracleFieldType, FieldTally> = emptyFieldTallies(),
  teamCases: TeamCaseTally = emptyTeamCaseTally(),
): Promise<Record<OracleSubject, string[]> & { tally: Record<OracleSubject, Tally>; data: OracleData }> {
  const actor = await loadActor(ds, user.subject);
  expect(actor).not.toBeNull();
  // The request's calendar day, as the server derives it from its clock; the oracle's own
  // computation of the same day must agree, or nothing below compares like with like.
  const today = amsterdamDate(now);
  expect({ now: now.toISOString(), today }).toEqual({ now: now.toISOString(), today: oracleActor.today });
  const ability = defineAbilityFor(actor!, ds, today);
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
  await assertFieldsAgree(ds, ability, oracleActor, data, fieldTally, teamCases);
  return answer;
}

// ---------------------------------------------------------------------------------------
// Generated worlds
// ---------------------------------------------------------------------------------------

const CONSENT_PURPOSES = [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM] as const;
const DAY_MS = 86_400_000;

interface TrajectoryPlan { phase: Phase; team: number | null }
/** `endsInDays`: its last day relative to the request's day (0 = today, -1 = yesterday), null for no end. */
interface ConsentPlan { purpose: ConsentPurpose; withdrawn: boolean; endsInDays: number | null }
interface StudentPlan { mentor: 'actor' | 'colleague' | null; trajectories: TrajectoryPlan[]; consents: ConsentPlan[] }
/** `pick` selects the scope (windstreek, team or school) modulo how many there are. */
interface MembershipPlan { role: Role; pick: number; teamFunction: TeamFunction; revoked: boolean }
interface Plan {
  /** The instant of the request (the server's clock). */
  now: Date;
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
  // One in three withdrawn (whatever its last day).
  withdrawn: fc.nat({ max: 2 }).map((n) => n === 0),
  endsInDays: fc.oneof(
    // no end date
    { arbitrary: fc.constant(null), weight: 3 },
    // the boundary: holds through today (inclusive), ended yesterday, holds through tomorrow
    { arbitrary: fc.constantFrom(0, -1, 1), weight: 2 },
    // a later last day, or one long passed
    { arbitrary: fc.integer({ min: -400, max: 400 }), weight: 2 },
  ),
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
/**
 * The request's instant: a day in 2026–2028 (the two DST-switch Sundays of 2026 now and then),
 * often in the last hours before midnight UTC, when the calendar day in Amsterdam is already
 * the next one (from 22:00 UTC in summer time, 23:00 in winter time).
 */
const nowArb: fc.Arbitrary<Date> = fc
  .record({
    day: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 3 * 365 }), weight: 4 },
      { arbitrary: fc.constantFrom(Date.UTC(2026, 2, 29), Date.UTC(2026, 9, 25)).map((t) => (t - Date.UTC(2026, 0, 1)) / DAY_MS), weight: 1 },
    ),
    minute: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 24 * 60 - 1 }), weight: 1 },
      { arbitrary: fc.constantFrom(0, 30, 21 * 60 + 59, 22 * 60, 22 * 60 + 30, 22 * 60 + 59, 23 * 60, 23 * 60 + 30, 23 * 60 + 59), weight: 1 },
    ),
  })
  .map(({ day, minute }) => new Date(Date.UTC(2026, 0, 1) + day * DAY_MS + minute * 60_000));
const planArb: fc.Arbitrary<Plan> = fc.record({
  now: nowArb,
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
  evaluations: Array<Partial<Evaluation>>;
  notes: Array<Partial<Note>>;
  followUps: Array<Partial<FollowUp>>;
  escalations: Array<Partial<Escalation>>;
  complaints: Array<Partial<Complaint>>;
  exitQuestionnaires: Array<Partial<ExitQuestionnaire>>;
  handoverAdvice: Array<Partial<HandoverAdvice>>;
  absenceRegistrations: Array<Partial<AbsenceRegistration>>;
  crossWindstreekAssignments: Array<Partial<CrossWindstreekAssignment>>;
}

function emptyRows(): Rows {
  return {
    students: [], guardians: [], consents: [], trajectories: [], events: [], goals: [], evaluations: [], notes: [], followUps: [], escalations: [],
    complaints: [], exitQuestionnaires: [], handoverAdvice: [], absenceRegistrations: [], crossWindstreekAssignments: [],
  };
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

/** A consent given well before `now`, ending `plan.endsInDays` after the request's day `today`, withdrawn yesterday if so planned. */
function addConsent(rows: Rows, student: Student, recordedBy: User, plan: ConsentPlan, now: Date, today: string): void {
  rows.consents.push({
    partnershipId: student.partnershipId,
    studentId: student.id,
    purpose: plan.purpose,
    legalBasis: LegalBasis.CONSENT,
    grantors: [{ role: GrantorRole.PARENT, name: 'Ouder', hasParentalAuthority: true }],
    studentAgeAtGrant: 14,
    recipients: ['Topteam'],
    dataCategories: ['identity', 'case'],
    givenAt: new Date(now.getTime() - 500 * DAY_MS),
    validUntil: plan.endsInDays === null ? null : plusDays(today, plan.endsInDays),
    withdrawnAt: plan.withdrawn ? new Date(now.getTime() - DAY_MS) : null,
    withdrawnByUserId: plan.withdrawn ? recordedBy.id : null,
    recordedByUserId: recordedBy.id,
  });
}

/**
 * A trajectory with one record of every kind under it (phase event, goal, evaluation, team
 * note, follow-up, escalation, complaint, exit questionnaire, hand-over advice, absence
 * registration) and, when its team is not of its windstreek (or `crossWindstreek`), the
 * cross-windstreek assignment.
 */
function addTrajectory(
  rows: Rows, student: Student, schoolId: string, windstreekId: string, team: Topteam | null, phase: Phase, by: User, crossWindstreek = false,
): void {
  const id = randomUUID();
  const partnershipId = student.partnershipId;
  const trajectoryId = id;
  rows.trajectories.push({
    id, partnershipId, studentId: student.id, schoolId, windstreekId, teamId: team?.id ?? null, phase,
    phaseStartedAt: new Date('2026-02-02T09:00:00Z'), problemAreas: [ProblemArea.MOTIVATION], registeredByUserId: by.id,
  });
  rows.events.push({ partnershipId, trajectoryId, act: 'submitRegistration', fromPhase: null, toPhase: Phase.REQUESTED, actorUserId: by.id });
  rows.goals.push({ partnershipId, trajectoryId, description: unique('Goal ') });
  rows.evaluations.push({ partnershipId, trajectoryId, evaluatedOn: '2026-02-20', whatWorks: unique('Works '), whatToStop: unique('Stop '), summary: null, authorUserId: by.id });
  rows.notes.push({ partnershipId, trajectoryId, body: unique('Note '), authorUserId: by.id });
  rows.followUps.push({ partnershipId, trajectoryId, moment: FollowUpMoment.THREE_MONTHS, dueOn: '2026-06-01' });
  rows.escalations.push({ partnershipId, trajectoryId, level: 1, reason: unique('Escalation '), raisedByUserId: by.id });
  rows.complaints.push({ partnershipId, trajectoryId, complainant: Party.PARENTS, description: unique('Complaint '), receivedOn: '2026-02-15' });
  rows.exitQuestionnaires.push({ partnershipId, trajectoryId, party: Party.STUDENT, score: 4, comment: unique('Comment ') });
  rows.handoverAdvice.push({ partnershipId, trajectoryId, advice: unique('Advice '), writtenOn: '2026-02-20', recipient: HandoverRecipient.SCHOOL, authorUserId: by.id });
  rows.absenceRegistrations.push({ partnershipId, trajectoryId, absentOn: '2026-02-10', lessonsMissed: 2, authorised: false, note: null, registeredByUserId: by.id });
  if (team !== null && (crossWindstreek || team.windstreekId !== windstreekId)) {
    rows.crossWindstreekAssignments.push({ partnershipId, trajectoryId, originalTeamId: null, assignedTeamId: team.id, reason: unique('No room at home: '), approvedByUserId: by.id });
  }
}

async function insertRows(ds: DataSource, rows: Rows): Promise<void> {
  const insert = async <T extends ObjectLiteral>(entity: EntityTarget<T>, values: Array<Partial<T>>) => {
    if (values.length) await ds.createQueryBuilder().insert().into(entity).values(values as never).execute();
  };
  await insert(Student, rows.students);
  await Promise.all([insert(Guardian, rows.guardians), insert(Consent, rows.consents), insert(Trajectory, rows.trajectories)]);
  await Promise.all([
    insert(TrajectoryEvent, rows.events), insert(Goal, rows.goals), insert(Evaluation, rows.evaluations), insert(Note, rows.notes),
    insert(FollowUp, rows.followUps), insert(Escalation, rows.escalations), insert(Complaint, rows.complaints),
    insert(ExitQuestionnaire, rows.exitQuestionnaires), insert(HandoverAdvice, rows.handoverAdvice), insert(AbsenceRegistration, rows.absenceRegistrations),
    insert(CrossWindstreekAssignment, rows.crossWindstreekAssignments),
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
  // The data is laid out around the request's day as the oracle computes it.
  const today = amsterdamDay(plan.now);
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
        for (const c of p.consents) addConsent(rows, student, colleague, c, plan.now, today);
        for (const t of p.trajectories) {
          const team = t.team === null ? null : teams[t.team % teams.length];
          addTrajectory(rows, student, school.id, school.windstreekId, team, t.phase, colleague);
        }
      }
    }),
  );

  // A foreign partnership with cases like the actor's own, all consents holding, and a mentored
  // student. Only the tenant bound keeps these out. (Its rows cannot point at the actor, its team
  // or windstreek: the keys between tenant tables include the partnership, see
  // test/db/tenant-schema.test.ts.)
  const foreign = await createPartnership(ds);
  const fw = await createWindstreek(ds, foreign);
  const [fs, ft, fu] = await Promise.all([createSchool(ds, fw), createTopteam(ds, fw), createUser(ds, foreign, [], unique('foreign'))]);
  for (const mentor of [fu.id, null]) {
    const student = addStudent(rows, fs, mentor);
    for (const purpose of CONSENT_PURPOSES) {
      addConsent(rows, student, fu, { purpose, withdrawn: false, endsInDays: null }, plan.now, today);
      addConsent(rows, student, fu, { purpose, withdrawn: false, endsInDays: 0 }, plan.now, today);
    }
    addTrajectory(rows, student, fs.id, fw.id, ft, Phase.INTENSIVE, fu, true);
  }
  await insertRows(ds, rows);

  return { partnership, foreign, actor, oracleActor: { userId: actor.id, partnershipId: partnership.id, today, memberships: active } };
}

// Hand-written plans that fast-check runs first: together they guarantee that every subject
// has both visible and hidden rows in some run, and that the consent gates meet every state
// of a consent (the positive controls below rely on it).
const ENDS_IN: Record<Exclude<ConsentState, 'none'>, { withdrawn: boolean; endsInDays: number | null }> = {
  noEnd: { withdrawn: false, endsInDays: null },
  endsLater: { withdrawn: false, endsInDays: 30 },
  endsToday: { withdrawn: false, endsInDays: 0 },
  endedYesterday: { withdrawn: false, endsInDays: -1 },
  expired: { withdrawn: false, endsInDays: -90 },
  // Withdrawn, though its last day is still ahead.
  withdrawn: { withdrawn: true, endsInDays: 30 },
};
const share = (state: keyof typeof ENDS_IN): ConsentPlan => ({ purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP, ...ENDS_IN[state] });
const care = (state: keyof typeof ENDS_IN): ConsentPlan => ({ purpose: ConsentPurpose.CARE_BY_TOPTEAM, ...ENDS_IN[state] });
/** A student of windstreek 0 whose case is with team 0, with the given share and care consents. */
const teamZeroCase = (...consents: ConsentPlan[]): StudentPlan => ({ mentor: null, trajectories: [{ phase: Phase.INTENSIVE, team: 0 }], consents });
const richData: StudentPlan[][][] = [
  [
    [
      { mentor: 'actor', trajectories: [{ phase: Phase.ASSESSMENT, team: 0 }], consents: [share('noEnd'), care('noEnd')] },
      { mentor: null, trajectories: [{ phase: Phase.INTENSIVE, team: 0 }], consents: [share('noEnd'), care('withdrawn')] },
      { mentor: 'colleague', trajectories: [], consents: [] },
      // Accepted, no team yet: the gedragswetenschapper of team 0 reads the row (nothing under it).
      { mentor: null, trajectories: [{ phase: Phase.ACCEPTED, team: null }], consents: [share('noEnd'), care('noEnd')] },
      // Last days around today, for the advisor of windstreek 0 (share) and team 0 (care).
      teamZeroCase(share('endsLater'), care('endsToday')),
      teamZeroCase(share('endsToday'), care('endedYesterday')),
      teamZeroCase(share('endedYesterday'), care('expired')),
      teamZeroCase(share('expired'), care('endsLater')),
      teamZeroCase(share('withdrawn'), care('endsToday'), care('withdrawn')),
    ],
    // Care consent, never a share consent (the advisor's state "none").
    [{ mentor: 'actor', trajectories: [{ phase: Phase.CONSOLIDATION, team: 1 }], consents: [care('noEnd')] }],
  ],
  [
    [
      { mentor: null, trajectories: [{ phase: Phase.ASSESSMENT, team: 0 }], consents: [share('noEnd'), care('noEnd')] },
      { mentor: null, trajectories: [{ phase: Phase.REQUESTED, team: null }], consents: [share('noEnd')] },
      // Overflow to team 0 (a cross-windstreek assignment), never a care consent: the team reads the stub (state "none").
      { mentor: null, trajectories: [{ phase: Phase.INTENSIVE, team: 0 }], consents: [share('noEnd')] },
      // Accepted, no team yet, in windstreek 1: not for the gedragswetenschapper of team 0.
      { mentor: null, trajectories: [{ phase: Phase.ACCEPTED, team: null }], consents: [share('noEnd'), care('noEnd')] },
    ],
  ],
];
const m = (role: Role, pick = 0): MembershipPlan => ({ role, pick, teamFunction: TeamFunction.TEACHER, revoked: false });
/**
 * Requests at instants where the day in Amsterdam is not the day in UTC: just after the switch
 * to summer time (22:30 UTC is 00:30 the next day) and just after the switch back (23:30 UTC
 * is 00:30 the next day); and one at midday.
 */
const SUMMER_MIDNIGHT = new Date('2026-03-29T22:30:00Z');
const WINTER_MIDNIGHT = new Date('2026-10-25T23:30:00Z');
const MIDDAY = new Date('2026-06-15T12:00:00Z');
const example = (now: Date, ...memberships: MembershipPlan[]): [Plan] => [{ now, windstreken: richData, memberships }];
const EXAMPLES: Array<[Plan]> = [
  // Topteam of windstreek 0, advisor of windstreek 1, mentor at the first school.
  example(SUMMER_MIDNIGHT, m(Role.TEAM_MEMBER, 0), m(Role.EDUCATION_ADVISOR, 1), m(Role.MENTOR, 0)),
  // School coordinator of the school in windstreek 1, one of whose trajectories went to the
  // team of windstreek 0 (so that team is readable too).
  example(MIDDAY, m(Role.SCHOOL_COORDINATOR, 2)),
  // Advisor of windstreek 0, where the student of the second school (trajectory of team 1) has
  // a care consent but no share consent: its row is readable, its consent records and its
  // events and goals are not (AVG rule 4, src/authz/README.md); likewise where the share consent ended
  // yesterday or earlier or was withdrawn, unlike where it ends today or later.
  example(WINTER_MIDNIGHT, m(Role.EDUCATION_ADVISOR, 0)),
  // Programme coordinator and privacy officer.
  example(MIDDAY, m(Role.PROGRAMME_COORDINATOR), m(Role.PRIVACY_OFFICER)),
  // A mentor only (no structure), and a user with only a revoked membership.
  example(MIDDAY, m(Role.MENTOR, 1)),
  example(MIDDAY, { ...m(Role.PRIVACY_OFFICER), revoked: true }),
  // The gedragswetenschapper of team 0: its caseload (in full where the care consent holds
  // today, as a stub where it ended yesterday or earlier, was withdrawn or never given), and
  // the row of windstreek 0's accepted case without a team, not windstreek 1's; a teacher of
  // team 1 sees neither waiting case.
  example(SUMMER_MIDNIGHT, { ...m(Role.TEAM_MEMBER, 0), teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }),
  example(WINTER_MIDNIGHT, m(Role.TEAM_MEMBER, 1)),
  // Field views combined: the programme coordinator's pseudonym and planning views with a
  // team's full view (students, events and escalations decided in SQL per field, test
  // below), and a mentor whose mentee's case went to another team than the mentor's own;
  // the privacy officer with a school coordinator.
  example(WINTER_MIDNIGHT, m(Role.PROGRAMME_COORDINATOR), m(Role.TEAM_MEMBER, 0)),
  example(MIDDAY, m(Role.TEAM_MEMBER, 1), m(Role.MENTOR, 0)),
  example(MIDDAY, m(Role.PRIVACY_OFFICER), m(Role.SCHOOL_COORDINATOR, 0)),
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

describe('the SQL filter, ability.can and the access-matrix oracle agree', () => {
  test('the oracle\'s field table names exactly the fields the schema emits for every type the field property covers', () => {
    for (const type of ORACLE_FIELD_TYPES) expect({ type, fields: graphqlFields(type) }).toEqual({ type, fields: oracleFields(type) });
  });

  test('as a generated user with 0–3 memberships of any role and scope, on generated data and consents, on a generated day, list, count, single and batch reads and every field equal the oracle', async () => {
    const tally = Object.fromEntries(ORACLE_SUBJECTS.map((s) => [s, { visible: 0, hidden: 0 }])) as Record<OracleSubject, Tally>;
    /** Accepted cases without a team that the actor's team memberships alone reach, or do not. */
    const waiting: Tally = { visible: 0, hidden: 0 };
    const fieldTally = emptyFieldTallies();
    const teamCases = emptyTeamCaseTally();
    /** Students in the circle of an advisor or Topteam membership, by the state of the consent it needs: read or not. */
    const gates = { [Role.EDUCATION_ADVISOR]: perState<Tally>(() => ({ visible: 0, hidden: 0 })), [Role.TEAM_MEMBER]: perState<Tally>(() => ({ visible: 0, hidden: 0 })) };
    /** Requests whose day in Amsterdam is not the day in UTC. */
    let daysApart = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        runs += 1;
        const built = await build(ds, plan);
        const own = built.partnership.id;
        const answer = await assertPathsAgree(ds, built.actor, built.oracleActor, [own, built.foreign.id], plan.now, fieldTally, teamCases);
        if (built.oracleActor.today !== plan.now.toISOString().slice(0, 10)) daysApart += 1;
        for (const s of ORACLE_SUBJECTS) {
          tally[s].visible += answer.tally[s].visible;
          tally[s].hidden += answer.tally[s].hidden;
        }
        const oracle = new AccessOracle(built.oracleActor, answer.data);
        const teamMemberships = built.oracleActor.memberships.filter((x) => x.role === Role.TEAM_MEMBER);
        if (teamMemberships.length) {
          const viaTeam = new Set(new AccessOracle({ ...built.oracleActor, memberships: teamMemberships }, answer.data).visibleIds('Trajectory'));
          for (const t of answer.data.trajectories) {
            if (t.partnershipId !== own || t.teamId !== null || t.phase !== Phase.ACCEPTED) continue;
            if (viaTeam.has(t.id)) waiting.visible += 1;
            else waiting.hidden += 1;
          }
        }
        for (const membership of built.oracleActor.memberships) {
          if (membership.role !== Role.EDUCATION_ADVISOR && membership.role !== Role.TEAM_MEMBER) continue;
          const advisor = membership.role === Role.EDUCATION_ADVISOR;
          const purpose = advisor ? ConsentPurpose.SHARE_WITH_PARTNERSHIP : ConsentPurpose.CARE_BY_TOPTEAM;
          for (const student of answer.data.students) {
            const inCircle = answer.data.trajectories.some((t) => t.studentId === student.id && (advisor ? t.windstreekId === membership.windstreekId : t.teamId === membership.topteamId));
            if (student.partnershipId !== own || !inCircle) continue;
            const state = consentState(answer.data.consents.filter((c) => c.studentId === student.id && c.purpose === purpose), built.oracleActor.today);
            gates[membership.role][state][oracle.grantsVia(membership, 'Student', student) ? 'visible' : 'hidden'] += 1;
          }
        }
      }),
      { numRuns: NUM_RUNS, examples: EXAMPLES },
    );
    console.log(`differential property: ${runs} runs (${daysApart} on a day in Amsterdam other than in UTC); fields ${JSON.stringify(fieldTally)}; ` +
      `team cases ${JSON.stringify(teamCases)}; consent gates ${JSON.stringify(gates)}`);
    // Positive controls: the property was not satisfied vacuously. Every subject had rows
    // some actor could read and rows of the own partnership some actor could not.
    expect(runs).toBeGreaterThanOrEqual(NUM_RUNS);
    expect(daysApart).toBeGreaterThan(0);
    for (const s of ORACLE_SUBJECTS) {
      expect({ subject: s, someVisible: tally[s].visible > 0, someHidden: tally[s].hidden > 0 }).toEqual({ subject: s, someVisible: true, someHidden: true });
    }
    // ...and the gedragswetenschapper's branch for accepted cases without a team was exercised
    // both ways: such rows read through a team membership, and such rows a team member may not read.
    expect({ waitingSeenByTeam: waiting.visible > 0, waitingHiddenFromTeam: waiting.hidden > 0 }).toEqual({ waitingSeenByTeam: true, waitingHiddenFromTeam: true });
    // ...and both consent gates met every state of the consent they need: students read where
    // it holds today (no end, a later last day, today as last day), not read where it does not
    // (ended yesterday, ended earlier, withdrawn, never given).
    for (const role of [Role.EDUCATION_ADVISOR, Role.TEAM_MEMBER] as const) {
      for (const state of CONSENT_STATES) {
        const holds = HOLDING_STATES.has(state);
        expect({ role, state, read: (holds ? gates[role][state].visible : gates[role][state].hidden) > 0 }).toEqual({ role, state, read: true });
      }
    }
    // ...and the Topteam loaded its cases in full exactly in the states where the care consent
    // holds, as the stub in the others, every state seen.
    for (const state of CONSENT_STATES) {
      const holds = HOLDING_STATES.has(state);
      expect({ state, seen: teamCases[state][holds ? 'full' : 'stub'] > 0 }).toEqual({ state, seen: true });
    }
    // ...and per field: every type had fields read (through the API and in memory) and fields
    // refused in memory; the types some role reads only in part had fields nulled through the
    // API, and where such a role meets a relation-scoped one, fields were granted in SQL
    // (agreeing with the oracle, asserted per cell).
    for (const type of ORACLE_FIELD_TYPES) {
      const t = fieldTally[type];
      const partial = PARTIAL_TYPES.has(type);
      const limited = partial && RELATION_SCOPED[type].size > 0;
      expect({ type, readable: t.readable > 0, memoryReadable: t.memoryReadable > 0, memoryDenied: t.memoryDenied > 0, nulled: t.nulled > 0, sqlGranted: t.sqlGranted > 0 })
        .toEqual({ type, readable: true, memoryReadable: true, memoryDenied: true, nulled: partial, sqlGranted: limited });
    }
  });
});

/** The request's instant in the deterministic examples below (their consents have no end date). */
const WORLD_NOW = new Date('2026-03-16T10:00:00Z');

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
      assertPathsAgree(ds, u, { userId: u.id, partnershipId: world.partnership.id, today: amsterdamDay(WORLD_NOW), memberships }, ids, WORLD_NOW);

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

    // AVG rule 4 (src/authz/README.md): the team reads a1Revoked's trajectory row (above) but none of the case
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

describe('a field-limited role combined with a relation-scoped one: the field is decided in SQL (src/authz/field-access.ts)', () => {
  test('as PROGRAMME_COORDINATOR and TEAM_MEMBER of Topteam A, a student on my caseload with valid care consent reads its identity (the team grants it), one on another team only its pseudonym', async () => {
    const world = await createWorld(ds);
    const s = world.students.a1Team; // assigned to TA, care consent valid
    const other = world.students.b1Team; // assigned to TB
    const user = await createUser(ds, world.partnership, [[Role.PROGRAMME_COORDINATOR, {}], [Role.TEAM_MEMBER, { topteam: world.teams.TA }]]);
    const oracleActor: OracleActor = {
      userId: user.id, partnershipId: world.partnership.id, today: amsterdamDay(WORLD_NOW),
      memberships: [
        { role: Role.PROGRAMME_COORDINATOR, windstreekId: null, schoolId: null, topteamId: null, teamFunction: null },
        { role: Role.TEAM_MEMBER, windstreekId: null, schoolId: null, topteamId: world.teams.TA.id, teamFunction: TeamFunction.TEACHER },
      ],
    };
    const ability = defineAbilityFor((await loadActor(ds, user.subject))!, ds, amsterdamDate(WORLD_NOW));
    const rows = await accessibleQuery<Student>(ability, Student, ds, 'x')!.andWhere('x.id IN (:...ids)', { ids: [s.id, other.id] }).orderBy('x.id').getMany();
    const row = rows.find((r) => r.id === s.id)!;
    const otherRow = rows.find((r) => r.id === other.id)!;
    // Both rows are readable (the coordinator reads every student, pseudonymised).
    expect(rows).toHaveLength(2);
    const oracle = new FieldOracle(oracleActor, await loadData(ds, [world.partnership.id]));
    expect({ own: oracle.mayReadField('Student', row, 'givenName'), other: oracle.mayReadField('Student', otherRow, 'givenName') }).toEqual({ own: true, other: false });
    // In memory the team's rule ({ trajectories: $elemMatch, consents: $elemMatch }) cannot match
    // the loaded row (no relations loaded)...
    expect(ability.can('read', row, 'givenName')).toBe(false);
    // ...so the middleware asks SQL, for both rows in one statement, and agrees with the oracle.
    const check: FieldCheckContext = { ability, loaders: new Loaders(ability, ds), dataSource: ds };
    const decide = (r: Student) => Promise.all(['givenName', 'studentNumber', 'pseudonym'].map((f) => mayReadField(check, r, f)));
    const [own, foreign] = await Promise.all([decide(row), decide(otherRow)]);
    expect({ own, foreign }).toEqual({ own: [true, true, true], foreign: [false, false, true] });
    // The team alone (no field-limited rule for Student) is not field-checked: identity resolves.
    const teamOnly = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA }]]);
    const teamAbility = defineAbilityFor((await loadActor(ds, teamOnly.subject))!, ds, amsterdamDate(WORLD_NOW));
    expect(teamAbility.rulesFor('read', 'Student').some((r) => r.fields !== undefined)).toBe(false);
  });
});
