/**
 * Who reads which part of the structure (windstreken, schools, Topteams), for every role of
 * the access matrix (src/authz/README.md), through HTTP.
 *
 * Two separate partnerships are built with createWorld() (test/factories/world.ts): windstreken
 * A and B (neighbours), schools A1, A2 (in A) and B1 (in B), Topteams TA (A) and TB (B). Each is
 * extended, as in the other access tests, with a1TeamPrev: a (closed) trajectory of school A1
 * that went to team TB — so school A1 is served by both teams, school B1 by TB only.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createWorld } from '../factories/world';
import {
  createA1TeamPrev, edgeIds, listed, PARTNERSHIPS, roleRows, Rows, sorted, Target, targetsOf, UserKey, useMatrix,
} from './matrix';

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const extra = { a1TeamPrev: await createA1TeamPrev(ds, w) };
  return { ...w, trajectories: { ...w.trajectories, ...extra } };
}
type AccessWorld = Awaited<ReturnType<typeof buildWorld>>;
type SchoolKey = keyof AccessWorld['schools'];
type WindstreekKey = keyof AccessWorld['windstreken'];
type TeamKey = keyof AccessWorld['teams'];

interface Visible {
  windstreken: WindstreekKey[];
  schools: SchoolKey[];
  topteams: TeamKey[];
}
const EVERYTHING: Visible = { windstreken: ['A', 'B'], schools: ['A1', 'A2', 'B1'], topteams: ['TA', 'TB'] };
const NOTHING: Visible = { windstreken: [], schools: [], topteams: [] };

/** The truth table (src/authz/rules/structure.rules.ts, the access matrix (src/authz/README.md), column "structure"). */
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
  mentorA1: NOTHING, // the access matrix (src/authz/README.md): "—"
  nobody: NOTHING,
};

type Kind = keyof Visible;
const KINDS: ReadonlyArray<readonly [Kind, string, string]> = [
  // [table key, list field, single-read field]
  ['windstreken', 'windstreken', 'windstreek'],
  ['schools', 'schools', 'school'],
  ['topteams', 'topteams', 'topteam'],
];
const rowsOf = (w: AccessWorld, kind: Kind): Rows =>
  kind === 'windstreken' ? w.windstreken : kind === 'schools' ? w.schools : w.teams;

const m = useMatrix(buildWorld, (w) => KINDS.map(([kind]) => ['', rowsOf(w, kind)] as const));

const describeVisible = (v: Visible) => listed([...v.windstreken, ...v.schools, ...v.topteams]);

describe.each(PARTNERSHIPS)('partnership %i', (n) => {
  const rows = roleRows((key) => describeVisible(STRUCTURE[key]));

  test.each(rows)('as %s (%s): `windstreken`, `schools` and `topteams` list and count exactly: %s', async (_label, userKey) => {
    const { own, name } = m.side(n);
    await m.expectLists(own.users[userKey].subject, name, Object.fromEntries(KINDS.map(([kind, list]) => [list, STRUCTURE[userKey][kind]])));
  });

  test.each(rows)('as %s (%s): `windstreek(id)`, `school(id)` and `topteam(id)` return exactly: %s — every other id of either partnership is null, like a random id', async (_label, userKey) => {
    const { own, other } = m.side(n);
    const targets: Target[] = KINDS.flatMap(([kind, , single]) => targetsOf(single, rowsOf(own, kind), rowsOf(other, kind), kind, `random ${single}`));
    await m.expectSingleReads(own.users[userKey].subject, targets, (t) => (STRUCTURE[userKey][t.group as Kind] as string[]).includes(t.name));
  });

  test.each(rows)('as %s (%s): nested `windstreek.schools/topteams/neighbours` and `school.windstreek` reveal only readable structure (%s)', async (_label, userKey) => {
    const { own, name } = m.side(n);
    const data = await m.ok(
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
