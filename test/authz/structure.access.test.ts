/**
 * Who reads which part of the structure (windstreken, schools, Topteams), for every role of
 * ACCESS.md, through HTTP.
 *
 * Two separate partnerships are built with createWorld() (test/factories/world.ts): windstreken
 * A and B (neighbours), schools A1, A2 (in A) and B1 (in B), Topteams TA (A) and TB (B). Each is
 * extended, as in the other access tests, with a1TeamPrev: a (closed) trajectory of school A1
 * that went to team TB — so school A1 is served by both teams, school B1 by TB only.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Phase } from '../../src/domain/enums';
import { createTrajectory } from '../factories';
import { createWorld } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const extra = {
    a1TeamPrev: await createTrajectory(ds, w.students.a1Team, w.schools.A1, w.users.schoolA1, { team: w.teams.TB, phase: Phase.CLOSED }),
  };
  return { ...w, trajectories: { ...w.trajectories, ...extra } };
}
type AccessWorld = Awaited<ReturnType<typeof buildWorld>>;
type UserKey = keyof AccessWorld['users'];
type SchoolKey = keyof AccessWorld['schools'];
type WindstreekKey = keyof AccessWorld['windstreken'];
type TeamKey = keyof AccessWorld['teams'];

/** Every role of ACCESS.md, with the world's user that holds it. */
const ROLES: ReadonlyArray<readonly [string, UserKey]> = [
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

interface Visible {
  windstreken: WindstreekKey[];
  schools: SchoolKey[];
  topteams: TeamKey[];
}
const EVERYTHING: Visible = { windstreken: ['A', 'B'], schools: ['A1', 'A2', 'B1'], topteams: ['TA', 'TB'] };
const NOTHING: Visible = { windstreken: [], schools: [], topteams: [] };

/** The truth table (src/authz/rules/structure.rules.ts, ACCESS.md "structure"). */
const STRUCTURE: Record<UserKey, Visible> = {
  admin: EVERYTHING, // manages them
  privacy: EVERYTHING,
  coordinator: EVERYTHING,
  analyst: EVERYTHING,
  advisorA: EVERYTHING,
  scientistA: EVERYTHING,
  teacherB: EVERYTHING,
  // The own school, its windstreek, the team of that windstreek and any team a trajectory of the school went to.
  schoolA1: { windstreken: ['A'], schools: ['A1'], topteams: ['TA', 'TB'] },
  schoolB1: { windstreken: ['B'], schools: ['B1'], topteams: ['TB'] },
  mentorA1: NOTHING, // ACCESS.md: "—"
  nobody: NOTHING,
};

type Kind = keyof Visible;
const KINDS: ReadonlyArray<readonly [Kind, string, string]> = [
  // [table key, list field, single-read field]
  ['windstreken', 'windstreken', 'windstreek'],
  ['schools', 'schools', 'school'],
  ['topteams', 'topteams', 'topteam'],
];
const rowsOf = (w: AccessWorld, kind: Kind): Record<string, { id: string }> =>
  kind === 'windstreken' ? w.windstreken : kind === 'schools' ? w.schools : w.teams;

let app: TestApp;
const worlds: Record<1 | 2, AccessWorld> = {} as never;
const OTHER = { 1: 2, 2: 1 } as const;

beforeAll(async () => {
  app = await startTestApp();
  worlds[1] = await buildWorld(app.dataSource);
  worlds[2] = await buildWorld(app.dataSource);
});

afterAll(async () => {
  await app?.stop();
});

/** POSTs a query as the user with this subject; fails the test on any GraphQL error. */
async function ok<T = any>(subject: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await app.gql<T>(subject, query, variables);
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data as T;
}

/** Names every structure id of both partnerships: "A1" (own) or "other:A1". */
function namer(own: AccessWorld, other: AccessWorld): (id: string) => string {
  const names = new Map<string, string>();
  for (const [prefix, w] of [['', own], ['other:', other]] as const) {
    for (const kind of ['windstreken', 'schools', 'topteams'] as const) {
      for (const [k, r] of Object.entries(rowsOf(w, kind))) names.set(r.id, `${prefix}${k}`);
    }
  }
  return (id) => names.get(id) ?? `unknown:${id}`;
}

const sorted = (keys: readonly string[]) => [...keys].sort();
const edgeIds = (conn: any, name: (id: string) => string) => sorted(conn.edges.map((e: any) => name(e.node.id)));
const describeVisible = (v: Visible) => [...v.windstreken, ...v.schools, ...v.topteams].join(', ') || 'none';

describe.each([1, 2] as const)('partnership %i', (n) => {
  const rows = ROLES.map(([label, key]) => [label, key, describeVisible(STRUCTURE[key])] as const);

  test.each(rows)('as %s (%s): `windstreken`, `schools` and `topteams` list and count exactly: %s', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const data = await ok(
      own.users[userKey].subject,
      `query {
        windstreken(first: 100) { totalCount edges { node { id } } }
        schools(first: 100) { totalCount edges { node { id } } }
        topteams(first: 100) { totalCount edges { node { id } } }
      }`,
    );
    for (const [kind, list] of KINDS) {
      expect({ kind, ids: edgeIds(data[list], name), total: data[list].totalCount }).toEqual({
        kind, ids: sorted(STRUCTURE[userKey][kind]), total: STRUCTURE[userKey][kind].length,
      });
    }
  });

  test.each(rows)('as %s (%s): `windstreek(id)`, `school(id)` and `topteam(id)` return exactly: %s — every other id of either partnership is null, like a random id', async (_label, userKey) => {
    const own = worlds[n];
    const other = worlds[OTHER[n]];
    const targets: Array<[Kind, string, string, string]> = [];
    for (const [kind, , single] of KINDS) {
      for (const [k, r] of Object.entries(rowsOf(own, kind))) targets.push([kind, single, k, r.id]);
      for (const [k, r] of Object.entries(rowsOf(other, kind))) targets.push([kind, single, `other:${k}`, r.id]);
      targets.push([kind, single, `random ${single}`, randomUUID()]);
    }
    const data = await ok(own.users[userKey].subject, `query { ${targets.map(([, single, , id], i) => `r${i}: ${single}(id: "${id}") { id }`).join(' ')} }`);
    const got = Object.fromEntries(targets.map(([, , k], i) => [k, data[`r${i}`]?.id ?? null]));
    const expected = Object.fromEntries(targets.map(([kind, , k, id]) => [k, (STRUCTURE[userKey][kind] as string[]).includes(k) ? id : null]));
    expect(got).toEqual(expected);
  });

  test.each(rows)('as %s (%s): nested `windstreek.schools/topteams/neighbours` and `school.windstreek` reveal only readable structure (%s)', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const data = await ok(
      own.users[userKey].subject,
      `query {
        windstreken(first: 100) { edges { node { id
          schools(first: 100) { totalCount edges { node { id windstreek { id } } } }
          topteams(first: 100) { totalCount edges { node { id windstreek { id } } } }
          neighbours { id }
        } } }
      }`,
    );
    const v = STRUCTURE[userKey];
    const got = Object.fromEntries(data.windstreken.edges.map(({ node }: any) => [name(node.id), {
      schools: edgeIds(node.schools, name),
      schoolCount: node.schools.totalCount,
      topteams: edgeIds(node.topteams, name),
      topteamCount: node.topteams.totalCount,
      neighbours: sorted(node.neighbours.map((x: any) => name(x.id))),
      parentsOfChildren: [...new Set([...node.schools.edges, ...node.topteams.edges].map((e: any) => e.node.windstreek && name(e.node.windstreek.id)))],
    }]));
    const expected = Object.fromEntries(v.windstreken.map((wk) => {
      const schools = v.schools.filter((s) => own.schools[s].windstreekId === own.windstreken[wk].id);
      const topteams = v.topteams.filter((t) => own.teams[t].windstreekId === own.windstreken[wk].id);
      return [wk, {
        schools: sorted(schools),
        schoolCount: schools.length,
        topteams: sorted(topteams),
        topteamCount: topteams.length,
        neighbours: v.windstreken.filter((x) => x !== wk), // A and B are each other's neighbours
        parentsOfChildren: schools.length + topteams.length ? [wk] : [],
      }];
    }));
    expect(got).toEqual(expected);
  });
});
