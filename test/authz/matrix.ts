/**
 * The shared harness of the access-matrix tests (student, trajectory, consent and structure
 * .access.test.ts): two partnerships built from createWorld() on one test app, the roles of
 * the access matrix (src/authz/README.md) with the world user that holds each, naming of ids across both partnerships, and
 * the assertion loops those files share (list and count, single read by id, link to a parent
 * row, child connection under a parent). Each test file keeps its subject's truth table and
 * its subject-specific cases; every helper here asserts, so a wrong answer fails the test.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Phase } from '../../src/domain/enums';
import { createTrajectory } from '../factories';
import { World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

/** The key of a world user, one per role and scope. */
export type UserKey = keyof World['users'];

/** The number of one of the two partnerships a matrix test builds. */
export type Partnership = 1 | 2;

/** Both partnerships, for `describe.each(PARTNERSHIPS)`. */
export const PARTNERSHIPS: readonly Partnership[] = [1, 2];

/** Every role of the access matrix (src/authz/README.md), with the world's user that holds it. */
export const ROLES: ReadonlyArray<readonly [string, UserKey]> = [
  ['ADMIN', 'admin'],
  ['PRIVACY_OFFICER', 'privacy'],
  ['PROGRAMME_COORDINATOR', 'coordinator'],
  ['PARTNERSHIP_ANALYST', 'analyst'],
  ['EDUCATION_ADVISOR of windstreek A', 'advisorA'],
  ['TEAM_MEMBER of Topteam A', 'scientistA'],
  ['TEAM_MEMBER of Topteam B', 'teacherB'],
  ['SCHOOL_COORDINATOR of school A1', 'schoolA1'],
  ['SCHOOL_COORDINATOR of school B1', 'schoolB1'],
  ['MENTOR of school A1', 'mentorA1'],
  ['user without membership', 'nobody'],
];

/** The `test.each` rows `[label, userKey, expectation]` of every role, the expectation written by `expectation(userKey)`. */
export function roleRows(expectation: (userKey: UserKey) => string): ReadonlyArray<readonly [string, UserKey, string]> {
  return ROLES.map(([label, key]) => [label, key, expectation(key)] as const);
}

/** A list of names as it appears in a test title: comma-separated, or "none". */
export const listed = (names: readonly string[]): string => names.join(', ') || 'none';

/** A sorted copy of the names. */
export const sorted = (names: readonly string[]): string[] => [...names].sort();

/** Rows of a world keyed by name, of which only the id matters here. */
export type Rows = Readonly<Record<string, { id: string }>>;

/** Groups of rows of one world that a namer names, each `[prefix, rows]`: a row keyed `k` is named `${prefix}${k}`. */
export type NameGroups = ReadonlyArray<readonly [string, Rows]>;

/** Names every id of the given groups of both partnerships: "<prefix><key>" for the own one, "other:<prefix><key>" for the other. */
export function namer(own: NameGroups, other: NameGroups): (id: string) => string {
  const names = new Map<string, string>();
  for (const [side, groups] of [['', own], ['other:', other]] as const) {
    for (const [prefix, rows] of groups) for (const [k, r] of Object.entries(rows)) names.set(r.id, `${side}${prefix}${k}`);
  }
  return (id) => names.get(id) ?? `unknown:${id}`;
}

/** The part of a GraphQL connection these tests read. */
export interface Connection {
  totalCount?: number;
  edges: Array<{ node: { id: string } }>;
}

/** The sorted names of the node ids of a connection. */
export const edgeIds = (conn: Connection, name: (id: string) => string): string[] => sorted(conn.edges.map((e) => name(e.node.id)));

/** The values that occur in `text`, for "nothing of this leaks" assertions. */
export const foundIn = (text: string, values: readonly string[]): string[] => values.filter((v) => text.includes(v));

/** A `field(id:)` read to make: the name the result is keyed by, the query field, the id, and the group (table column) it belongs to. */
export interface Target {
  name: string;
  field: string;
  id: string;
  group: string;
}

/** The reads through `field` of every row of the own and the other partnership (named "k" and "other:k") and of one random id (named `randomName`). */
export function targetsOf(field: string, own: Rows, other: Rows, group = field, randomName = 'random'): Target[] {
  return [
    ...Object.entries(own).map(([k, r]) => ({ name: k, field, id: r.id, group })),
    ...Object.entries(other).map(([k, r]) => ({ name: `other:${k}`, field, id: r.id, group })),
    { name: randomName, field, id: randomUUID(), group },
  ];
}

/** A parent row read by id, whose child connection is checked: its name, the query field and its id. */
export interface Parent {
  name: string;
  field: string;
  id: string;
}

/** What a child connection under a parent holds: the parent is null, the connection field is null, or the named children. */
export type Children = null | 'field null' | readonly string[];

/** The harness of one matrix test file: its test app, its two worlds and the assertion loops bound to them. */
export interface Matrix<W extends World> {
  /** The test app, started in beforeAll. */
  readonly app: TestApp;
  /** The two partnerships' worlds, built in beforeAll. */
  readonly worlds: Record<Partnership, W>;
  /** The own world, the other one, and the namer of both, for partnership `n`. */
  side(n: Partnership): { own: W; other: W; name: (id: string) => string };
  /** POSTs a query as the user with this subject; fails the test on any GraphQL error. */
  ok<T = any>(subject: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Expects each list field (`field(first: 100)`), read in one request, to list and count exactly the expected names. */
  expectLists(subject: string, name: (id: string) => string, expected: Readonly<Record<string, readonly string[]>>): Promise<void>;
  /** Reads every target by id in one request and expects exactly the readable ones' ids, null for every other. */
  expectSingleReads(subject: string, targets: readonly Target[], readable: (target: Target) => boolean): Promise<void>;
  /**
   * Reads `link { id }` of each row through the list `plural` and of each given row by id through `single`, and expects both
   * to name exactly `expected` (null where the linked row is hidden).
   */
  expectLinks(
    subject: string,
    fields: { plural: string; single: string; link: string },
    rows: ReadonlyArray<readonly [string, string]>,
    name: (id: string) => string,
    expected: Readonly<Record<string, string | null>>,
  ): Promise<void>;
  /** Reads each parent by id with its connection `child` in one request and expects, per parent, exactly `expected(parent)`, counted and listed. */
  expectChildren(subject: string, parents: readonly Parent[], child: string, name: (id: string) => string, expected: (parent: Parent) => Children): Promise<void>;
}

/** Registers beforeAll/afterAll that start a test app and build two partnerships with `build`, and returns the harness bound to them. */
export function useMatrix<W extends World>(build: (ds: DataSource) => Promise<W>, nameGroups: (w: W) => NameGroups): Matrix<W> {
  let app: TestApp | undefined;
  const worlds = {} as Record<Partnership, W>;

  beforeAll(async () => {
    app = await startTestApp();
    worlds[1] = await build(app.dataSource);
    worlds[2] = await build(app.dataSource);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const m: Matrix<W> = {
    get app(): TestApp {
      if (!app) throw new Error('the test app is started in beforeAll');
      return app;
    },
    worlds,

    side(n) {
      const own = worlds[n];
      const other = worlds[n === 1 ? 2 : 1];
      return { own, other, name: namer(nameGroups(own), nameGroups(other)) };
    },

    async ok<T = any>(subject: string, query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await m.app.gql<T>(subject, query, variables);
      expect(res.body.errors).toBeUndefined();
      expect(res.status).toBe(200);
      return res.body.data as T;
    },

    async expectLists(subject, name, expected) {
      const fields = Object.keys(expected);
      const data = await m.ok(subject, `query { ${fields.map((f) => `${f}(first: 100) { totalCount edges { node { id } } }`).join(' ')} }`);
      for (const field of fields) {
        expect({ field, ids: edgeIds(data[field], name), total: data[field].totalCount }).toEqual({
          field, ids: sorted(expected[field]), total: expected[field].length,
        });
      }
    },

    async expectSingleReads(subject, targets, readable) {
      const data = await m.ok(subject, `query { ${targets.map((t, i) => `r${i}: ${t.field}(id: "${t.id}") { id }`).join(' ')} }`);
      const got = Object.fromEntries(targets.map((t, i) => [t.name, data[`r${i}`]?.id ?? null]));
      const expected = Object.fromEntries(targets.map((t) => [t.name, readable(t) ? t.id : null]));
      expect(got).toEqual(expected);
    },

    async expectLinks(subject, { plural, single, link }, rows, name, expected) {
      const data = await m.ok(
        subject,
        `query {
          ${plural}(first: 100) { edges { node { id ${link} { id } } } }
          ${rows.map(([, id], i) => `r${i}: ${single}(id: "${id}") { id ${link} { id } }`).join(' ')}
        }`,
      );
      const fromList = Object.fromEntries(data[plural].edges.map((e: any) => [name(e.node.id), e.node[link] && name(e.node[link].id)]));
      const fromSingle = Object.fromEntries(rows.map(([k], i) => [k, data[`r${i}`][link] && name(data[`r${i}`][link].id)]));
      expect(fromList).toEqual(expected);
      expect(fromSingle).toEqual(expected);
    },

    async expectChildren(subject, parents, child, name, expected) {
      const data = await m.ok(
        subject,
        `query { ${parents.map((p, i) => `p${i}: ${p.field}(id: "${p.id}") { id ${child}(first: 100) { totalCount edges { node { id } } } }`).join(' ')} }`,
      );
      const got = Object.fromEntries(parents.map((p, i) => {
        const row = data[`p${i}`];
        if (row === null) return [p.name, null];
        if (row[child] === null) return [p.name, 'field null'];
        return [p.name, { total: row[child].totalCount, ids: edgeIds(row[child], name) }];
      }));
      const want = Object.fromEntries(parents.map((p) => {
        const children = expected(p);
        return [p.name, children === null || children === 'field null' ? children : { total: children.length, ids: sorted(children) }];
      }));
      expect(got).toEqual(want);
    },
  };
  return m;
}

/** Adds trajectory menteeReq: a1Mentee's registration from school A1, REQUESTED, without a team. */
export const createMenteeReq = (ds: DataSource, w: World) =>
  createTrajectory(ds, w.students.a1Mentee, w.schools.A1, w.users.schoolA1, { phase: Phase.REQUESTED });

/** Adds trajectory a1TeamPrev: a CLOSED trajectory of a1Team (school A1) that went to team TB, so a1Team is on both teams' caseloads. */
export const createA1TeamPrev = (ds: DataSource, w: World) =>
  createTrajectory(ds, w.students.a1Team, w.schools.A1, w.users.schoolA1, { team: w.teams.TB, phase: Phase.CLOSED });
