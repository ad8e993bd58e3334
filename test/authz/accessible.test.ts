/**
 * Unit tests of the rules → SQL translator (src/authz/accessible.ts), on the real test
 * database but without a server: hand-made CASL abilities go in, and we check both the SQL
 * text and the rows it selects.
 *
 * Hand-made rules are not tenant-bound (that is `defineAbilityFor`'s job), so every rule
 * here names this file's partnership itself; counts are therefore exact even though the
 * database is shared with other test files.
 *
 * Data: createWorld() (see test/factories/world.ts) — 7 students (A1: 4, A2: 2, B1: 1),
 * 5 trajectories, 9 consents (one withdrawn) — plus two extra trajectories of a1Team in
 * windstreek A, so that a1Team has three trajectories matching "windstreek A".
 */
import 'reflect-metadata';
import { createMongoAbility, subject as asSubject } from '@casl/ability';
import fc from 'fast-check';
import { DataSource, ObjectLiteral } from 'typeorm';
import type { AppAbility } from '../../src/authz/ability';
import { defineAbilityFor } from '../../src/authz/ability';
import { accessibleQuery, accessibleWhere, assertTranslatable, UntranslatableRuleError } from '../../src/authz/accessible';
import { Actor, loadActor } from '../../src/authz/actor';
import { mayReadField } from '../../src/authz/field-access';
import { createDataSource } from '../../src/app/database';
import { countStatements } from '../../src/db/data-source';
import { Consent, Goal, Student, Trajectory } from '../../src/app/entities';
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../src/domain/enums';
import { Loaders } from '../../src/graphql/loaders';
import { NEWEST_FIRST, paginate } from '../../src/graphql/pagination';
import { createStudent, createTrajectory, createUser } from '../factories';
import { createWorld, World } from '../factories/world';

/** The calendar day the abilities here are built for (when a consent holds depends on it). */
const TODAY = '2026-03-16';

type RawRule = { action: string; subject: string; conditions?: Record<string, unknown>; inverted?: boolean; fields?: string[] };

/** A hand-made ability from raw CASL rules (later rules take priority, as in CASL). */
function abilityOf(...rules: RawRule[]): AppAbility {
  return createMongoAbility(rules as never) as unknown as AppAbility;
}

let ds: DataSource;
let world: World;
let P: string;
/** Trajectory.careConsentValidThrough (a virtual column) as the translator compiles it. */
const CARE_CONSENT_SQL = `(SELECT max(coalesce(c.valid_until, DATE '9999-12-31')) FROM consent c WHERE c.student_id = "item".student_id AND c.purpose = 'CARE_BY_TOPTEAM' AND c.withdrawn_at IS NULL)`;
/** Consent.validThrough (a virtual column: its last day, 9999-12-31 without one) as the translator compiles it for alias `a`. */
const holdsThrough = (a: string) => `(SELECT coalesce("${a}".valid_until, DATE '9999-12-31'))`;
/** A care consent (alias `a`) that holds on TODAY, as the member's rules compile it (parameters 1 and 2). */
const careConsentHolds = (a: string) => `("${a}"."purpose" = :authz_item_1 AND "${a}"."withdrawn_at" IS NULL AND ${holdsThrough(a)} >= :authz_item_2)`;
/** Every student / trajectory / consent id of this file's partnership, by key. */
const studentKey = new Map<string, string>();
const trajectoryKey = new Map<string, string>();

/** The data of the header in a new partnership, its rows' ids keyed into `studentKey` and `trajectoryKey`. */
async function createScene(studentKey: Map<string, string>, trajectoryKey: Map<string, string>): Promise<World> {
  const world = await createWorld(ds);
  // a1Team gets two more trajectories from its own school (windstreek A): three in all.
  const extra1 = await createTrajectory(ds, world.students.a1Team, world.schools.A1, world.users.schoolA1, { phase: Phase.CLOSED });
  const extra2 = await createTrajectory(ds, world.students.a1Team, world.schools.A1, world.users.schoolA1, { phase: Phase.CANCELLED });
  for (const [key, s] of Object.entries(world.students)) studentKey.set(s.id, key);
  for (const [key, t] of Object.entries(world.trajectories)) trajectoryKey.set(t.id, key);
  trajectoryKey.set(extra1.id, 'a1TeamExtra1');
  trajectoryKey.set(extra2.id, 'a1TeamExtra2');
  return world;
}

beforeAll(async () => {
  ds = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 3 });
  await ds.initialize();
  world = await createScene(studentKey, trajectoryKey);
  P = world.partnership.id;
});

afterAll(async () => {
  await ds?.destroy();
});

/** Keys of the rows `ability` lets us read, via accessibleQuery (sorted). */
async function readableKeys<T extends ObjectLiteral & { id: string }>(ability: AppAbility, entity: { new (): T }, keys: Map<string, string>): Promise<string[]> {
  const qb = accessibleQuery<T>(ability, entity, ds, 'item');
  if (qb === null) return [];
  const rows = await qb.getMany();
  return rows.map((r) => keys.get(r.id) ?? `foreign:${r.id}`).sort();
}

async function count<T extends ObjectLiteral>(ability: AppAbility, entity: { new (): T }): Promise<number> {
  const qb = accessibleQuery<T>(ability, entity, ds, 'item');
  return qb === null ? 0 : qb.getCount();
}

const ALL_STUDENTS = ['a1Mentee', 'a1Plain', 'a1Revoked', 'a1Team', 'a2Cross', 'a2Req', 'b1Team'];

describe('nothing allowed: fail closed, without touching the database', () => {
  test('with no rule at all, accessibleWhere and accessibleQuery return null', () => {
    const ability = abilityOf();
    expect(accessibleWhere(ability, 'read', Student, 'item', ds)).toBeNull();
    expect(accessibleQuery(ability, Student, ds, 'item')).toBeNull();
  });

  test('rules on another subject or another action grant nothing on Student', () => {
    const ability = abilityOf(
      { action: 'read', subject: 'Trajectory', conditions: { partnershipId: P } },
      { action: 'update', subject: 'Student', conditions: { partnershipId: P } },
    );
    expect(accessibleWhere(ability, 'read', Student, 'item', ds)).toBeNull();
    expect(accessibleWhere(ability, 'read', Trajectory, 'item', ds)).not.toBeNull();
  });

  test('an unconditional cannot after a can withdraws everything: null', () => {
    const ability = abilityOf(
      { action: 'read', subject: 'Student', conditions: { partnershipId: P } },
      { action: 'read', subject: 'Student', inverted: true },
    );
    expect(accessibleQuery(ability, Student, ds, 'item')).toBeNull();
  });

  test('a page, a count, a byId load and a nested page issue no SQL statement when nothing is allowed', async () => {
    const ability = abilityOf();
    const loaders = new Loaders(ability, ds);
    const { result, statements } = await countStatements(async () => {
      const page = await paginate(accessibleQuery<Student>(ability, Student, ds, 'item'), 'item', {}, NEWEST_FIRST);
      return {
        edges: page.edges.length,
        total: await page.totalCount,
        byId: await loaders.byId(Student).load(world.students.a1Team.id),
        children: (await loaders.children(Student, 'schoolId', NEWEST_FIRST).load({ parentId: world.schools.A1.id })).edges.length,
        childCount: await loaders.childCount(Student, 'schoolId').load(world.schools.A1.id),
      };
    });
    expect(result).toEqual({ edges: 0, total: 0, byId: null, children: 0, childCount: 0 });
    expect(statements).toBe(0);
  });

  test('positive control: the same calls with one permitting rule do query and find rows', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P } });
    const loaders = new Loaders(ability, ds);
    const { result, statements } = await countStatements(async () => {
      const page = await paginate(accessibleQuery<Student>(ability, Student, ds, 'item'), 'item', {}, NEWEST_FIRST);
      return {
        edges: page.edges.length,
        total: await page.totalCount,
        byId: (await loaders.byId(Student).load(world.students.a1Team.id))?.id,
        children: (await loaders.children(Student, 'schoolId', NEWEST_FIRST).load({ parentId: world.schools.A1.id })).edges.length,
        childCount: await loaders.childCount(Student, 'schoolId').load(world.schools.A1.id),
      };
    });
    expect(result).toEqual({ edges: 7, total: 7, byId: world.students.a1Team.id, children: 4, childCount: 4 });
    expect(statements).toBeGreaterThanOrEqual(5);
  });
});

describe('$in and $nin', () => {
  test('an empty $in is FALSE: zero rows although the partnership has students', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P, schoolId: { $in: [] } } });
    const where = accessibleWhere(ability, 'read', Student, 'item', ds)!;
    expect(where.sql).toBe('("item"."partnership_id" = :authz_item_0 AND FALSE)');
    expect(where.params).toEqual({ authz_item_0: P });
    expect(await readableKeys(ability, Student, studentKey)).toEqual([]);
    expect(await count(ability, Student)).toBe(0);
    // Positive control: the partnership alone gives all seven.
    expect(await count(abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P } }), Student)).toBe(7);
  });

  test('an empty $in inside a relation makes the EXISTS false: zero rows', async () => {
    const ability = abilityOf({
      action: 'read', subject: 'Student', conditions: { partnershipId: P, trajectories: { $elemMatch: { teamId: { $in: [] } } } },
    });
    expect(accessibleWhere(ability, 'read', Student, 'item', ds)!.sql).toContain('AND FALSE)');
    expect(await count(ability, Student)).toBe(0);
  });

  test('a non-empty $in selects exactly its members', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P, schoolId: { $in: [world.schools.A2.id, world.schools.B1.id] } } });
    expect(await readableKeys(ability, Student, studentKey)).toEqual(['a2Cross', 'a2Req', 'b1Team']);
  });

  test('$nin: [] is TRUE: every row of the partnership', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P, schoolId: { $nin: [] } } });
    expect(accessibleWhere(ability, 'read', Student, 'item', ds)!.sql).toBe('("item"."partnership_id" = :authz_item_0 AND TRUE)');
    expect(await readableKeys(ability, Student, studentKey)).toEqual(ALL_STUDENTS);
  });

  test('$nin on a nullable column keeps the NULL rows (as the in-memory check does)', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Trajectory', conditions: { partnershipId: P, teamId: { $nin: [world.teams.TA.id] } } });
    // a2Req has no team: NULL is "not in [TA]".
    expect(await readableKeys(ability, Trajectory, trajectoryKey)).toEqual(['a1TeamExtra1', 'a1TeamExtra2', 'a2Cross', 'a2Req', 'b1Team']);
    await expectSqlAgreesWithMemory(ability, Trajectory, 'Trajectory');
  });

  test('$in with null also matches NULL', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Trajectory', conditions: { partnershipId: P, teamId: { $in: [world.teams.TA.id, null] } } });
    expect(await readableKeys(ability, Trajectory, trajectoryKey)).toEqual(['a1Revoked', 'a1Team', 'a1TeamExtra1', 'a1TeamExtra2', 'a2Req']);
    await expectSqlAgreesWithMemory(ability, Trajectory, 'Trajectory');
  });
});

describe('null', () => {
  test('equality with null is IS NULL (not "= NULL", which matches nothing)', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P, mentorUserId: null } });
    const where = accessibleWhere(ability, 'read', Student, 'item', ds)!;
    expect(where.sql).toBe('("item"."partnership_id" = :authz_item_0 AND "item"."mentor_user_id" IS NULL)');
    expect(where.params).toEqual({ authz_item_0: P });
    expect(await readableKeys(ability, Student, studentKey)).toEqual(ALL_STUDENTS.filter((k) => k !== 'a1Mentee'));
  });

  test('withdrawnAt: null selects the consents that hold (8 of 9)', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Consent', conditions: { partnershipId: P, withdrawnAt: null } });
    expect(await count(ability, Consent)).toBe(8);
    const withdrawn = abilityOf({ action: 'read', subject: 'Consent', conditions: { partnershipId: P, withdrawnAt: { $ne: null } } });
    expect(accessibleWhere(withdrawn, 'read', Consent, 'item', ds)!.sql).toContain('"item"."withdrawn_at" IS NOT NULL');
    const rows = await accessibleQuery<Consent>(withdrawn, Consent, ds, 'item')!.getMany();
    expect(rows.map((r) => [studentKey.get(r.studentId), r.purpose])).toEqual([['a1Revoked', ConsentPurpose.CARE_BY_TOPTEAM]]);
  });
});

describe('relations become EXISTS subqueries', () => {
  test('a one-to-many $elemMatch is an EXISTS over the child table, and rows are not duplicated', async () => {
    const ability = abilityOf({
      action: 'read', subject: 'Student', conditions: { partnershipId: P, trajectories: { $elemMatch: { windstreekId: world.windstreken.A.id } } },
    });
    const where = accessibleWhere(ability, 'read', Student, 'item', ds)!;
    expect(where.sql).toBe(
      '("item"."partnership_id" = :authz_item_0 AND EXISTS (SELECT 1 FROM "trajectory" "item_0" ' +
        'WHERE "item_0"."student_id" = "item"."id" AND "item_0"."windstreek_id" = :authz_item_1))',
    );
    expect(where.params).toEqual({ authz_item_0: P, authz_item_1: world.windstreken.A.id });
    expect(where.sql).not.toMatch(/\bJOIN\b/i);
    // a1Team has three trajectories in windstreek A: it appears once, and is counted once.
    const rows = await accessibleQuery<Student>(ability, Student, ds, 'item')!.getMany();
    expect(rows.map((r) => studentKey.get(r.id)).sort()).toEqual(['a1Revoked', 'a1Team', 'a2Cross', 'a2Req']);
    expect(await count(ability, Student)).toBe(4);
    const page = await paginate(accessibleQuery<Student>(ability, Student, ds, 'item'), 'item', { first: 2 }, NEWEST_FIRST);
    expect(await page.totalCount).toBe(4);
    expect(new Set(page.edges.map((e) => e.node.id)).size).toBe(2);
  });

  test('a many-to-one $elemMatch (Consent.student) is an EXISTS over the parent table', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Consent', conditions: { partnershipId: P, student: { $elemMatch: { schoolId: world.schools.B1.id } } } });
    const where = accessibleWhere(ability, 'read', Consent, 'item', ds)!;
    expect(where.sql).toBe(
      '("item"."partnership_id" = :authz_item_0 AND EXISTS (SELECT 1 FROM "student" "item_0" ' +
        'WHERE "item_0"."id" = "item"."student_id" AND "item_0"."school_id" = :authz_item_1))',
    );
    const rows = await accessibleQuery<Consent>(ability, Consent, ds, 'item')!.getMany();
    expect(rows.map((r) => `${studentKey.get(r.studentId)}:${r.purpose}`).sort()).toEqual([
      `b1Team:${ConsentPurpose.CARE_BY_TOPTEAM}`,
      `b1Team:${ConsentPurpose.SHARE_WITH_PARTNERSHIP}`,
    ]);
  });

  test('two relation conditions on one rule get distinct subquery aliases and must both hold', async () => {
    const ability = abilityOf({
      action: 'read', subject: 'Student', conditions: {
        partnershipId: P,
        trajectories: { $elemMatch: { teamId: world.teams.TA.id } },
        consents: { $elemMatch: { purpose: ConsentPurpose.CARE_BY_TOPTEAM, withdrawnAt: null } },
      },
    });
    const sql = accessibleWhere(ability, 'read', Student, 'item', ds)!.sql;
    expect(sql).toContain('FROM "trajectory" "item_0"');
    expect(sql).toContain('FROM "consent" "item_1"');
    // a1Revoked is assigned to TA but its care consent was withdrawn.
    expect(await readableKeys(ability, Student, studentKey)).toEqual(['a1Team']);
  });
});

describe('cannot', () => {
  const canAll = (subject: string): RawRule => ({ action: 'read', subject, conditions: { partnershipId: P } });

  test('a cannot bounds an earlier can: AND NOT COALESCE((…), FALSE), null-safe', async () => {
    const ability = abilityOf(canAll('Student'), { action: 'read', subject: 'Student', inverted: true, conditions: { schoolId: world.schools.A1.id } });
    const where = accessibleWhere(ability, 'read', Student, 'item', ds)!;
    expect(where.sql).toBe('("item"."partnership_id" = :authz_item_0 AND NOT COALESCE(("item"."school_id" = :authz_item_1), FALSE))');
    expect(where.params).toEqual({ authz_item_0: P, authz_item_1: world.schools.A1.id });
    expect(await readableKeys(ability, Student, studentKey)).toEqual(['a2Cross', 'a2Req', 'b1Team']);
  });

  test('a cannot does not bound a later can (CASL priority)', async () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', inverted: true, conditions: { schoolId: world.schools.A1.id } }, canAll('Student'));
    expect(await readableKeys(ability, Student, studentKey)).toEqual(ALL_STUDENTS);
  });

  test('a cannot on a relation removes the rows whose relation matches', async () => {
    const ability = abilityOf(canAll('Student'), {
      action: 'read', subject: 'Student', inverted: true, conditions: { consents: { $elemMatch: { withdrawnAt: { $ne: null } } } },
    });
    expect(await readableKeys(ability, Student, studentKey)).toEqual(ALL_STUDENTS.filter((k) => k !== 'a1Revoked'));
  });

  test('a cannot on a nullable column keeps the rows where the column is NULL, as ability.can does in memory', async () => {
    // "Everything except what team B handles": a2Req has no team, so it is not TB's and stays readable.
    const ability = abilityOf(canAll('Trajectory'), { action: 'read', subject: 'Trajectory', inverted: true, conditions: { teamId: world.teams.TB.id } });
    const a2Req = await ds.getRepository(Trajectory).findOneByOrFail({ id: world.trajectories.a2Req.id });
    expect(ability.can('read', asSubject('Trajectory', { ...a2Req }) as never)).toBe(true);
    const where = accessibleWhere(ability, 'read', Trajectory, 'item', ds)!;
    expect(where.sql).toBe('("item"."partnership_id" = :authz_item_0 AND NOT COALESCE(("item"."team_id" = :authz_item_1), FALSE))');
    expect(await readableKeys(ability, Trajectory, trajectoryKey)).toEqual(['a1Revoked', 'a1Team', 'a1TeamExtra1', 'a1TeamExtra2', 'a2Req']);
    await expectSqlAgreesWithMemory(ability, Trajectory, 'Trajectory');
  });

  test('control: a plain NOT (…) on the same condition would drop the NULL rows (a2Req, the extras), so the test above can tell the two apart', async () => {
    const rows = await ds.getRepository(Trajectory).createQueryBuilder('item')
      .where('"item"."partnership_id" = :p AND NOT ("item"."team_id" = :tb)', { p: P, tb: world.teams.TB.id })
      .getMany();
    expect(rows.map((r) => trajectoryKey.get(r.id)).sort()).toEqual(['a1Revoked', 'a1Team']);
  });
});

describe('field grants that follow a relation are decided in SQL (src/authz/field-access.ts)', () => {
  const a1Team = async () => ds.getRepository(Student).findOneByOrFail({ id: world.students.a1Team.id });
  const check = (ability: AppAbility) => ({ ability, loaders: new Loaders(ability, ds), dataSource: ds });
  const byTeam = (team: string) => ({ partnershipId: P, trajectories: { $elemMatch: { teamId: { $in: [team] } } } });

  test('two fields granted by different rules of the same count get their own answers, in one request', async () => {
    // a1Team's case is with team A: givenName (granted through team A) shows, familyName (through team B) does not.
    const ability = abilityOf(
      { action: 'read', subject: 'Student', fields: ['id', 'pseudonym'], conditions: { partnershipId: P } },
      { action: 'read', subject: 'Student', fields: ['givenName'], conditions: byTeam(world.teams.TA.id) },
      { action: 'read', subject: 'Student', fields: ['familyName'], conditions: byTeam(world.teams.TB.id) },
    );
    const row = await a1Team();
    expect(ability.can('read', row, 'givenName')).toBe(false); // memory cannot follow the relation
    const c = check(ability);
    const [givenName, familyName, pseudonym, birthDate] = await Promise.all(['givenName', 'familyName', 'pseudonym', 'birthDate'].map((f) => mayReadField(c, row, f)));
    expect({ givenName, familyName, pseudonym, birthDate }).toEqual({ givenName: true, familyName: false, pseudonym: true, birthDate: false });
  });

  test('a cannot that follows a relation bounds the can before it, though memory cannot see it', async () => {
    const ability = abilityOf(
      { action: 'read', subject: 'Student', fields: ['id', 'givenName'], conditions: { partnershipId: P } },
      { action: 'read', subject: 'Student', inverted: true, fields: ['givenName'], conditions: byTeam(world.teams.TA.id) },
    );
    const row = await a1Team();
    expect(ability.can('read', row, 'givenName')).toBe(true); // memory: the cannot does not match without relations
    const c = check(ability);
    expect(await Promise.all([mayReadField(c, row, 'givenName'), mayReadField(c, row, 'id')])).toEqual([false, true]);
    // Positive control: a student of another team keeps the name.
    const b1 = await ds.getRepository(Student).findOneByOrFail({ id: world.students.b1Team.id });
    expect(await mayReadField(check(ability), b1, 'givenName')).toBe(true);
  });

  test('a cannot of higher priority bounds a can, one of lower priority does not (CASL priority, per field)', async () => {
    const can = { action: 'read', subject: 'Student', fields: ['givenName'], conditions: byTeam(world.teams.TA.id) } as RawRule;
    const cannot = { action: 'read', subject: 'Student', inverted: true, fields: ['givenName'], conditions: { partnershipId: P, schoolId: world.schools.A1.id } } as RawRule;
    const limit = { action: 'read', subject: 'Student', fields: ['id'], conditions: { partnershipId: P } } as RawRule;
    const row = await a1Team(); // school A1, team A
    expect(await mayReadField(check(abilityOf(limit, can, cannot)), row, 'givenName')).toBe(false);
    expect(await mayReadField(check(abilityOf(limit, cannot, can)), row, 'givenName')).toBe(true);
  });
});

describe('field grants memory decides (src/authz/field-access.ts): worked out once per ability, subject and field', () => {
  const FIELDS = ['id', 'givenName', 'familyName'] as const;
  const SCHOOLS = ['s1', 's2'];
  const rule = fc.record({
    fields: fc.option(fc.subarray([...FIELDS], { minLength: 1 }), { nil: undefined }),
    inverted: fc.boolean(),
    conditions: fc.option(fc.constantFrom({ schoolId: 's1' }, { schoolId: { $in: SCHOOLS } }, { givenName: 'Ada' }), { nil: undefined }),
  }).map((r) => ({ action: 'read', subject: 'Student', ...r }) as RawRule);
  const row = fc.record({ schoolId: fc.constantFrom(...SCHOOLS, 's3'), givenName: fc.constantFrom('Ada', 'Bo') }).map((r) => Object.assign(new Student(), { id: 'x', ...r }));
  const noLoaders = { custom: () => { throw new Error('memory decides these: no statement'); } };

  test('every row gets the answer CASL\'s can gives, whatever the rules\' order, conditions and cannots', () => {
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 5 }), fc.array(row, { minLength: 1, maxLength: 6 }), (rules, rows) => {
      const ability = abilityOf({ action: 'read', subject: 'Student', fields: ['id'] } as RawRule, ...rules);
      const c = { ability, loaders: noLoaders, dataSource: ds };
      // The same ability asked again and again, row after row: the worked-out rules must not leak from one row to the next.
      for (const r of rows) for (const field of FIELDS) expect(mayReadField(c, r, field)).toBe(ability.can('read', r, field));
    }), { numRuns: 500 });
  });

  test('a field no rule names is refused, and one an unconditional first rule decides is decided alike for every row', () => {
    const ability = abilityOf(
      { action: 'read', subject: 'Student', fields: ['id'] } as RawRule,
      { action: 'read', subject: 'Student', fields: ['givenName'], inverted: true } as RawRule,
      { action: 'read', subject: 'Student', fields: ['givenName'], conditions: { schoolId: 's1' } } as RawRule,
    );
    const c = { ability, loaders: noLoaders, dataSource: ds };
    const inS1 = Object.assign(new Student(), { id: 'x', schoolId: 's1' });
    expect([mayReadField(c, inS1, 'id'), mayReadField(c, inS1, 'givenName'), mayReadField(c, inS1, 'familyName')]).toEqual([true, true, false]);
    const inS2 = Object.assign(new Student(), { id: 'y', schoolId: 's2' });
    expect([mayReadField(c, inS2, 'id'), mayReadField(c, inS2, 'givenName'), mayReadField(c, inS2, 'familyName')]).toEqual([true, false, false]);
  });
});

describe('untranslatable rules throw UntranslatableRuleError', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown field', { nickname: 'x' }, /Unknown field "nickname" of Student/],
    ['an unknown relation', { siblings: { $elemMatch: { id: 'x' } } }, /Unknown relation "siblings" of Student/],
    ['$regex', { givenName: { $regex: '^A' } }, /Unsupported operator "\$regex" on Student\.givenName/],
    ['$exists', { mentorUserId: { $exists: true } }, /Unsupported operator "\$exists"/],
    ['$elemMatch on a plain column', { givenName: { $elemMatch: { id: 'x' } } }, /Unknown relation "givenName" of Student/],
  ];

  test.each(cases)('assertTranslatable rejects %s', (_name, conditions, message) => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P, ...conditions } });
    expect(() => assertTranslatable(ability, ds)).toThrow(UntranslatableRuleError);
    expect(() => assertTranslatable(ability, ds)).toThrow(message);
  });

  test('assertTranslatable checks every action, not only read', () => {
    const ability = abilityOf(
      { action: 'read', subject: 'Student', conditions: { partnershipId: P } },
      { action: 'update', subject: 'Student', conditions: { nickname: 'x' } },
    );
    expect(() => assertTranslatable(ability, ds)).toThrow(UntranslatableRuleError);
  });

  test('an unknown field nested in a relation is caught too', () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { trajectories: { $elemMatch: { colour: 'red' } } } });
    expect(() => assertTranslatable(ability, ds)).toThrow(/Unknown field "colour" of Trajectory/);
  });

  test('positive control: a translatable ability passes', () => {
    const ability = abilityOf({ action: 'read', subject: 'Student', conditions: { partnershipId: P, trajectories: { $elemMatch: { teamId: { $in: ['x'] } } } } });
    expect(() => assertTranslatable(ability, ds)).not.toThrow();
  });

  test('defineAbilityFor throws when a rule file names an unknown field or operator', async () => {
    const actor = (await loadActor(ds, world.users.privacy.subject))!;
    for (const bad of [{ nickname: 'x' }, { givenName: { $regex: 'x' } }]) {
      jest.isolateModules(() => {
        // Replace one rule file with a faulty one; everything else is the real module graph.
        jest.doMock('../../src/authz/rules/privacy.rules', () => ({
          privacyRules: ({ can }: { can: (a: string, s: string, c: object) => void }) => can('read', 'Student', bad),
        }));
        const isolated = require('../../src/authz/ability') as typeof import('../../src/authz/ability');
        const { UntranslatableRuleError: IsolatedError } = require('../../src/authz/accessible') as typeof import('../../src/authz/accessible');
        expect(() => isolated.defineAbilityFor(actor, ds, TODAY)).toThrow(IsolatedError);
      });
    }
    jest.dontMock('../../src/authz/rules/privacy.rules');
  });

  test('positive control: defineAbilityFor builds the ability of every user of the world', async () => {
    for (const user of Object.values(world.users)) {
      const actor = (await loadActor(ds, user.subject))!;
      expect(() => defineAbilityFor(actor, ds, TODAY)).not.toThrow();
    }
  });
});

describe("the SQL of a real rule set: a Topteam member's students, consents, trajectories and goals", () => {
  // A scene of its own (the file's, in another partnership): the accepted cases added below
  // would change the counts of the other tests, which may run after these.
  let world: World;
  let P: string;
  const studentKey = new Map<string, string>();
  const trajectoryKey = new Map<string, string>();
  let actor: Actor;
  let teacher: Actor;
  beforeAll(async () => {
    world = await createScene(studentKey, trajectoryKey);
    P = world.partnership.id;
    actor = (await loadActor(ds, world.users.scientistA.subject))!;
    const teacherA = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
    teacher = (await loadActor(ds, teacherA.subject))!;
    // Accepted cases waiting for a team (caseload rules), on new students: one of windstreek A
    // (the gedragswetenschapper of TA may assign it), one of windstreek B, and one of A already
    // assigned to TB.
    const { A2, B1 } = world.schools;
    const [sA, sB, sCross] = [await createStudent(ds, A2), await createStudent(ds, B1), await createStudent(ds, A2)];
    trajectoryKey.set((await createTrajectory(ds, sA, A2, world.users.schoolA1, { phase: Phase.ACCEPTED, team: null })).id, 'acceptedA');
    trajectoryKey.set((await createTrajectory(ds, sB, B1, world.users.schoolB1, { phase: Phase.ACCEPTED, team: null })).id, 'acceptedB');
    trajectoryKey.set((await createTrajectory(ds, sCross, A2, world.users.schoolA1, { phase: Phase.ACCEPTED, team: world.teams.TB })).id, 'acceptedACrossTB');
  });

  test('is the tenant, an EXISTS for the team assignment and an EXISTS for a valid care consent', () => {
    const where = accessibleWhere(defineAbilityFor(actor, ds, TODAY), 'read', Student, 'item', ds)!;
    expect(where.sql).toBe(
      '(' +
        'EXISTS (SELECT 1 FROM "trajectory" "item_0" WHERE "item_0"."student_id" = "item"."id" AND "item_0"."team_id" IN (:...authz_item_0))' +
        ' AND EXISTS (SELECT 1 FROM "consent" "item_1" WHERE "item_1"."student_id" = "item"."id"' +
        ' AND ' + careConsentHolds('item_1') + ')' +
        ' AND "item"."partnership_id" = :authz_item_3' +
        ')',
    );
    expect(where.params).toEqual({
      authz_item_0: [world.teams.TA.id],
      authz_item_1: ConsentPurpose.CARE_BY_TOPTEAM,
      authz_item_2: TODAY,
      authz_item_3: P,
    });
  });

  test('selects exactly a1Team (a1Revoked: care consent withdrawn; others: not team A)', async () => {
    expect(await readableKeys(defineAbilityFor(actor, ds, TODAY), Student, studentKey)).toEqual(['a1Team']);
  });

  test("the member's consent rule is the student's circle: student → (trajectories of the team AND a valid care consent), EXISTS with distinct aliases", async () => {
    const ability = defineAbilityFor(actor, ds, TODAY);
    const where = accessibleWhere(ability, 'read', Consent, 'item', ds)!;
    expect(where.sql).toBe(
      '(EXISTS (SELECT 1 FROM "student" "item_0" WHERE "item_0"."id" = "item"."student_id"' +
        ' AND (EXISTS (SELECT 1 FROM "trajectory" "item_0_1" WHERE "item_0_1"."student_id" = "item_0"."id" AND "item_0_1"."team_id" IN (:...authz_item_0))' +
        ' AND EXISTS (SELECT 1 FROM "consent" "item_0_2" WHERE "item_0_2"."student_id" = "item_0"."id"' +
        ' AND ' + careConsentHolds('item_0_2') + ')))' +
        ' AND "item"."partnership_id" = :authz_item_3)',
    );
    expect(where.params).toEqual({ authz_item_0: [world.teams.TA.id], authz_item_1: ConsentPurpose.CARE_BY_TOPTEAM, authz_item_2: TODAY, authz_item_3: P });
    const rows = await accessibleQuery<Consent>(ability, Consent, ds, 'item')!.getMany();
    // The caseload of team A with a valid care consent: a1Team's two records, once each. Not
    // a1Revoked's, although its trajectory is assigned to team A (care consent withdrawn).
    expect(rows.map((r) => `${studentKey.get(r.studentId)}:${r.purpose}`).sort()).toEqual([
      `a1Team:${ConsentPurpose.CARE_BY_TOPTEAM}`,
      `a1Team:${ConsentPurpose.SHARE_WITH_PARTNERSHIP}`,
    ]);
  });

  test("a teacher's trajectory rows are the team assignment (the stub) or it with care consent (the full case): a1Revoked's row stays readable", async () => {
    const where = accessibleWhere(defineAbilityFor(teacher, ds, TODAY), 'read', Trajectory, 'item', ds)!;
    // Two grants over the same rows: the stub (any own case) and the full case (care consent
    // holds today: the virtual column Trajectory.careConsentValidThrough >= today, compiled to its subquery).
    expect(where.sql).toBe(
      '(("item"."team_id" IN (:...authz_item_0) AND "item"."partnership_id" = :authz_item_1) OR ' +
        `("item"."team_id" IN (:...authz_item_2) AND ${CARE_CONSENT_SQL} >= :authz_item_3 AND "item"."partnership_id" = :authz_item_4))`,
    );
    expect(where.params).toEqual({ authz_item_0: [world.teams.TA.id], authz_item_1: P, authz_item_2: [world.teams.TA.id], authz_item_3: TODAY, authz_item_4: P });
    expect(await readableKeys(defineAbilityFor(teacher, ds, TODAY), Trajectory, trajectoryKey)).toEqual(['a1Revoked', 'a1Team']);
  });

  test("the gedragswetenschapper's trajectory rule adds the accepted cases of the team's windstreek still without a team: OR of two branches", async () => {
    const where = accessibleWhere(defineAbilityFor(actor, ds, TODAY), 'read', Trajectory, 'item', ds)!;
    expect(where.sql).toBe(
      '(("item"."windstreek_id" IN (:...authz_item_0) AND "item"."team_id" IS NULL AND "item"."phase" = :authz_item_1 AND "item"."partnership_id" = :authz_item_2)' +
        ' OR ("item"."team_id" IN (:...authz_item_3) AND "item"."partnership_id" = :authz_item_4)' +
        ` OR ("item"."team_id" IN (:...authz_item_5) AND ${CARE_CONSENT_SQL} >= :authz_item_6 AND "item"."partnership_id" = :authz_item_7))`,
    );
    expect(where.params).toEqual({
      authz_item_0: [world.windstreken.A.id], authz_item_1: Phase.ACCEPTED, authz_item_2: P, authz_item_3: [world.teams.TA.id], authz_item_4: P,
      authz_item_5: [world.teams.TA.id], authz_item_6: TODAY, authz_item_7: P,
    });
    // Not a2Req (windstreek A, no team, but not accepted yet), not acceptedB (windstreek B),
    // not acceptedACrossTB (windstreek A, accepted, but assigned to another team).
    expect(await readableKeys(defineAbilityFor(actor, ds, TODAY), Trajectory, trajectoryKey)).toEqual(['a1Revoked', 'a1Team', 'acceptedA']);
  });

  test("the gedragswetenschapper's extra branch grants the trajectory row only: no record under it, no student", async () => {
    const ability = defineAbilityFor(actor, ds, TODAY);
    const acceptedA = [...trajectoryKey].find(([, key]) => key === 'acceptedA')![0];
    const goals = await accessibleQuery<Goal>(ability, Goal, ds, 'item')!.getMany();
    expect(goals.map((g) => trajectoryKey.get(g.trajectoryId))).toEqual(['a1Team']);
    expect(goals.some((g) => g.trajectoryId === acceptedA)).toBe(false);
    expect(await readableKeys(ability, Student, studentKey)).toEqual(['a1Team']);
  });

  test("the member's goal rule nests trajectory (of the team) → student → valid care consent, three EXISTS deep: a1Team's goal, not a1Revoked's", async () => {
    const ability = defineAbilityFor(actor, ds, TODAY);
    const where = accessibleWhere(ability, 'read', Goal, 'item', ds)!;
    expect(where.sql).toBe(
      '(EXISTS (SELECT 1 FROM "trajectory" "item_0" WHERE "item_0"."id" = "item"."trajectory_id"' +
        ' AND ("item_0"."team_id" IN (:...authz_item_0)' +
        ' AND EXISTS (SELECT 1 FROM "student" "item_0_1" WHERE "item_0_1"."id" = "item_0"."student_id"' +
        ' AND EXISTS (SELECT 1 FROM "consent" "item_0_1_2" WHERE "item_0_1_2"."student_id" = "item_0_1"."id"' +
        ' AND ' + careConsentHolds('item_0_1_2') + '))))' +
        ' AND "item"."partnership_id" = :authz_item_3)',
    );
    expect(where.params).toEqual({ authz_item_0: [world.teams.TA.id], authz_item_1: ConsentPurpose.CARE_BY_TOPTEAM, authz_item_2: TODAY, authz_item_3: P });
    const rows = await accessibleQuery<Goal>(ability, Goal, ds, 'item')!.getMany();
    expect(rows.map((r) => trajectoryKey.get(r.trajectoryId))).toEqual(['a1Team']);
  });
});

/**
 * The SQL path and the in-memory path (`ability.can` on the loaded row) must agree on every
 * row of this partnership. Only for rules without relation conditions (in memory a relation
 * is not loaded).
 */
async function expectSqlAgreesWithMemory<T extends ObjectLiteral & { id: string }>(ability: AppAbility, entity: { new (): T }, type: string): Promise<void> {
  const all = await ds.getRepository(entity).find({ where: { partnershipId: P } as never });
  const bySql = new Set((await accessibleQuery<T>(ability, entity, ds, 'item')!.getMany()).map((r) => r.id));
  const disagreements = all
    .filter((row) => ability.can('read', asSubject(type, { ...row }) as never) !== bySql.has(row.id))
    .map((row) => ({ id: row.id, inMemory: ability.can('read', asSubject(type, { ...row }) as never), inSql: bySql.has(row.id) }));
  expect(disagreements).toEqual([]);
}
