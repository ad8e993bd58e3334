/**
 * Who reads which trajectory, for every role of ACCESS.md, through HTTP — as a list, a
 * count, a single read, and nested under students, schools and Topteams.
 *
 * Two separate partnerships are built with createWorld() (test/factories/world.ts, read its
 * table), each extended with two trajectories:
 *
 * | extra trajectory | student  | school | team | phase     | what it distinguishes                                    |
 * |------------------|----------|--------|------|-----------|----------------------------------------------------------|
 * | menteeReq        | a1Mentee | A1     | none | REQUESTED | the mentor's positive case; advisor A sees it, not its student (no consent) |
 * | a1TeamPrev       | a1Team   | A1     | TB   | CLOSED    | a student visible to team A with a trajectory of team B  |
 *
 * Every expectation is given once, per role, and checked for the users of partnership 1 and
 * of partnership 2 alike; each user must see nothing of the other partnership.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Goal, Note } from '../../src/db/entities';
import { Phase } from '../../src/domain/enums';
import { createTrajectory } from '../factories';
import { createWorld } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const extra = {
    menteeReq: await createTrajectory(ds, w.students.a1Mentee, w.schools.A1, w.users.schoolA1, { phase: Phase.REQUESTED }),
    a1TeamPrev: await createTrajectory(ds, w.students.a1Team, w.schools.A1, w.users.schoolA1, { team: w.teams.TB, phase: Phase.CLOSED }),
  };
  const goals = await ds.getRepository(Goal).find({ where: { partnershipId: w.partnership.id } });
  const notes = await ds.getRepository(Note).find({ where: { partnershipId: w.partnership.id } });
  return { ...w, trajectories: { ...w.trajectories, ...extra }, goals, notes };
}
type AccessWorld = Awaited<ReturnType<typeof buildWorld>>;
type UserKey = keyof AccessWorld['users'];
type StudentKey = keyof AccessWorld['students'];
type TrajectoryKey = keyof AccessWorld['trajectories'];
type SchoolKey = keyof AccessWorld['schools'];
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

const ALL_TRAJECTORIES: TrajectoryKey[] = ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team', 'menteeReq', 'a1TeamPrev'];

/** The truth table: the trajectories each role reads (src/authz/rules/trajectory.rules.ts, ACCESS.md "trajectories"). */
const TRAJECTORIES: Record<UserKey, TrajectoryKey[]> = {
  admin: [],
  privacy: [], // no case data
  coordinator: ALL_TRAJECTORIES, // planning fields only (checked below)
  analyst: [],
  advisorA: ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'menteeReq', 'a1TeamPrev'], // every registration from windstreek A
  scientistA: ['a1Team', 'a1Revoked'], // assigned to TA; a1Revoked stays visible although its student is hidden (care consent withdrawn)
  teacherB: ['a2Cross', 'b1Team', 'a1TeamPrev'], // assigned to TB
  schoolA1: ['a1Team', 'a1Revoked', 'menteeReq', 'a1TeamPrev'],
  schoolB1: ['b1Team'],
  mentorA1: ['menteeReq'],
  nobody: [],
};

/** Students each role reads (same table as student.access.test.ts), for `trajectory.student`. */
const STUDENTS: Record<UserKey, StudentKey[]> = {
  admin: [],
  privacy: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team'],
  coordinator: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team'],
  analyst: [],
  advisorA: ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross'],
  scientistA: ['a1Team'],
  teacherB: ['a1Team', 'a2Cross', 'b1Team'],
  schoolA1: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked'],
  schoolB1: ['b1Team'],
  mentorA1: ['a1Mentee'],
  nobody: [],
};
/** Roles that read a student but not its `trajectories` field (field permissions). */
const NO_STUDENT_TRAJECTORIES_FIELD: UserKey[] = ['coordinator', 'privacy'];

/** Structure each role reads (structure.rules.ts), for `school(id)` and `topteam(id)`. */
const EVERYTHING = { schools: ['A1', 'A2', 'B1'] as SchoolKey[], teams: ['TA', 'TB'] as TeamKey[] };
const STRUCTURE: Record<UserKey, { schools: SchoolKey[]; teams: TeamKey[] }> = {
  admin: EVERYTHING,
  privacy: EVERYTHING,
  coordinator: EVERYTHING,
  analyst: EVERYTHING,
  advisorA: EVERYTHING,
  scientistA: EVERYTHING,
  teacherB: EVERYTHING,
  schoolA1: { schools: ['A1'], teams: ['TA', 'TB'] }, // TA serves windstreek A; a1TeamPrev went to TB
  schoolB1: { schools: ['B1'], teams: ['TB'] },
  mentorA1: { schools: [], teams: [] },
  nobody: { schools: [], teams: [] },
};

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

/** Names every row id of both partnerships: "a1Team" (own) or "other:a1Team". */
function namer(own: AccessWorld, other: AccessWorld): (id: string) => string {
  const names = new Map<string, string>();
  for (const [prefix, w] of [['', own], ['other:', other]] as const) {
    for (const [k, t] of Object.entries(w.trajectories)) names.set(t.id, `${prefix}${k}`);
    for (const [k, s] of Object.entries(w.students)) names.set(s.id, `${prefix}student:${k}`);
  }
  return (id) => names.get(id) ?? `unknown:${id}`;
}

const sorted = (keys: readonly string[]) => [...keys].sort();
const edgeIds = (conn: any, name: (id: string) => string) => sorted(conn.edges.map((e: any) => name(e.node.id)));
/** The key of the student a trajectory of world `w` belongs to. */
const studentOf = (w: AccessWorld, t: TrajectoryKey) => Object.entries(w.students).find(([, s]) => s.id === w.trajectories[t].studentId)![0] as StudentKey;

describe.each([1, 2] as const)('partnership %i', (n) => {
  const rows = ROLES.map(([label, key]) => [label, key, TRAJECTORIES[key].join(', ') || 'none'] as const);

  test.each(rows)('as %s (%s): `trajectories` lists and counts exactly: %s', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const data = await ok(own.users[userKey].subject, 'query { trajectories(first: 100) { totalCount edges { node { id } } } }');
    expect(edgeIds(data.trajectories, name)).toEqual(sorted(TRAJECTORIES[userKey]));
    expect(data.trajectories.totalCount).toBe(TRAJECTORIES[userKey].length);
  });

  test.each(rows)('as %s (%s): `trajectory(id)` returns exactly: %s — every other id of either partnership is null, like a random id', async (_label, userKey) => {
    const own = worlds[n];
    const other = worlds[OTHER[n]];
    const targets: Array<[string, string]> = [
      ...Object.entries(own.trajectories).map(([k, t]) => [k, t.id] as [string, string]),
      ...Object.entries(other.trajectories).map(([k, t]) => [`other:${k}`, t.id] as [string, string]),
      ['random', randomUUID()],
    ];
    const data = await ok(own.users[userKey].subject, `query { ${targets.map(([, id], i) => `r${i}: trajectory(id: "${id}") { id }`).join(' ')} }`);
    const got = Object.fromEntries(targets.map(([k], i) => [k, data[`r${i}`]?.id ?? null]));
    const expected = Object.fromEntries(targets.map(([k, id]) => [k, (TRAJECTORIES[userKey] as string[]).includes(k) ? id : null]));
    expect(got).toEqual(expected);
  });

  test.each(rows)('as %s (%s): `trajectory.student` (list and single read) is the student only where that student is readable (%s)', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const visible = TRAJECTORIES[userKey];
    const data = await ok(
      own.users[userKey].subject,
      `query {
        trajectories(first: 100) { edges { node { id student { id } } } }
        ${visible.map((k, i) => `r${i}: trajectory(id: "${own.trajectories[k].id}") { id student { id } }`).join(' ')}
      }`,
    );
    const expected = Object.fromEntries(visible.map((k) => {
      const s = studentOf(own, k);
      return [k, STUDENTS[userKey].includes(s) ? `student:${s}` : null];
    }));
    const fromList = Object.fromEntries(data.trajectories.edges.map((e: any) => [name(e.node.id), e.node.student && name(e.node.student.id)]));
    const fromSingle = Object.fromEntries(visible.map((k, i) => [k, data[`r${i}`].student && name(data[`r${i}`].student.id)]));
    expect(fromList).toEqual(expected);
    expect(fromSingle).toEqual(expected);
  });

  test.each(rows)('as %s (%s): `student(id) { trajectories }` holds only the readable trajectories of a readable student (%s)', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const students = Object.entries(own.students) as Array<[StudentKey, AccessWorld['students'][StudentKey]]>;
    const data = await ok(
      own.users[userKey].subject,
      `query { ${students.map(([, s], i) => `s${i}: student(id: "${s.id}") { id trajectories(first: 100) { totalCount edges { node { id } } } }`).join(' ')} }`,
    );
    const got = Object.fromEntries(students.map(([k], i) => {
      const s = data[`s${i}`];
      return [k, s && (s.trajectories && { total: s.trajectories.totalCount, ids: edgeIds(s.trajectories, name) })];
    }));
    const expected = Object.fromEntries(students.map(([k]) => {
      if (!STUDENTS[userKey].includes(k)) return [k, null];
      if (NO_STUDENT_TRAJECTORIES_FIELD.includes(userKey)) return [k, null];
      const ids = TRAJECTORIES[userKey].filter((t) => studentOf(own, t) === k);
      return [k, { total: ids.length, ids: sorted(ids) }];
    }));
    expect(got).toEqual(expected);
  });

  const structureRows = ROLES.map(([label, key]) => [label, key, [...STRUCTURE[key].schools, ...STRUCTURE[key].teams].join(', ') || 'none'] as const);
  test.each(structureRows)('as %s (%s): `school(id)` / `topteam(id)` readable for %s (others null), each holding only readable trajectories', async (_label, userKey) => {
    const own = worlds[n];
    const other = worlds[OTHER[n]];
    const name = namer(own, other);
    const parents: Array<[string, 'school' | 'topteam', string]> = [
      ...Object.entries(own.schools).map(([k, s]) => [k, 'school', s.id] as [string, 'school', string]),
      ...Object.entries(own.teams).map(([k, t]) => [k, 'topteam', t.id] as [string, 'topteam', string]),
      ...Object.entries(other.schools).map(([k, s]) => [`other:${k}`, 'school', s.id] as [string, 'school', string]),
      ...Object.entries(other.teams).map(([k, t]) => [`other:${k}`, 'topteam', t.id] as [string, 'topteam', string]),
    ];
    const data = await ok(
      own.users[userKey].subject,
      `query { ${parents.map(([, field, id], i) => `p${i}: ${field}(id: "${id}") { id trajectories(first: 100) { totalCount edges { node { id } } } }`).join(' ')} }`,
    );
    const got = Object.fromEntries(parents.map(([k], i) => {
      const p = data[`p${i}`];
      return [k, p && { total: p.trajectories.totalCount, ids: edgeIds(p.trajectories, name) }];
    }));
    const expected = Object.fromEntries(parents.map(([k, field, id]) => {
      const readable = field === 'school' ? (STRUCTURE[userKey].schools as string[]).includes(k) : (STRUCTURE[userKey].teams as string[]).includes(k);
      if (!readable) return [k, null];
      const ids = TRAJECTORIES[userKey].filter((t) => (field === 'school' ? own.trajectories[t].schoolId : own.trajectories[t].teamId) === id);
      return [k, { total: ids.length, ids: sorted(ids) }];
    }));
    expect(got).toEqual(expected);
  });
});

describe('fields: what a readable trajectory shows', () => {
  const FIELDS = 'id phase phaseDueOn problemAreas closingReason team { id } student { id pseudonym givenName } goals { totalCount } notes { totalCount }';

  test('as PROGRAMME_COORDINATOR, phase, dates, team and the pseudonymous student, but no case (problemAreas, goals, notes null)', async () => {
    const w = worlds[1];
    const data = await ok(w.users.coordinator.subject, `query($id: ID!) { trajectory(id: $id) { ${FIELDS} } }`, { id: w.trajectories.a1Team.id });
    expect(data.trajectory).toEqual({
      id: w.trajectories.a1Team.id, phase: 'ASSESSMENT', phaseDueOn: '2026-03-02', problemAreas: null, closingReason: null,
      team: { id: w.teams.TA.id }, student: { id: w.students.a1Team.id, pseudonym: w.students.a1Team.pseudonym, givenName: null },
      goals: null, notes: null,
    });
  });

  test('as TEAM_MEMBER of A, a1Revoked (assigned to A) is readable but its student, whose care consent was withdrawn, is null', async () => {
    const w = worlds[1];
    const data = await ok(w.users.scientistA.subject, `query($id: ID!) { trajectory(id: $id) { id phase team { id } student { id pseudonym givenName } } }`, { id: w.trajectories.a1Revoked.id });
    expect(data.trajectory).toEqual({ id: w.trajectories.a1Revoked.id, phase: 'INTENSIVE', team: { id: w.teams.TA.id }, student: null });
  });

  test('positive control: as SCHOOL_COORDINATOR of A1, the own trajectory with its case, without the team notes', async () => {
    const w = worlds[1];
    const data = await ok(w.users.schoolA1.subject, `query($id: ID!) { trajectory(id: $id) { ${FIELDS} } }`, { id: w.trajectories.a1Team.id });
    expect(data.trajectory).toEqual({
      id: w.trajectories.a1Team.id, phase: 'ASSESSMENT', phaseDueOn: '2026-03-02', problemAreas: ['ABSENCE'], closingReason: null,
      team: { id: w.teams.TA.id }, student: { id: w.students.a1Team.id, pseudonym: w.students.a1Team.pseudonym, givenName: w.students.a1Team.givenName },
      goals: { totalCount: 1 }, notes: { totalCount: 0 },
    });
  });
});

describe("a Topteam member cannot reach a trajectory of another team by any query path", () => {
  const T = 'id goals(first: 100) { edges { node { description } } } notes(first: 100) { edges { node { body } } }';

  /** One request that walks every path to a trajectory the schema offers, plus filtered counts. */
  function everyPath(w: AccessWorld, otherW: AccessWorld): string {
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
    const trajectoryIds = ids([...Object.values(w.trajectories), ...Object.values(otherW.trajectories)]);
    const studentIds = ids([...Object.values(w.students), ...Object.values(otherW.students)]);
    const schoolIds = ids([...Object.values(w.schools), ...Object.values(otherW.schools)]);
    const teamIds = ids([...Object.values(w.teams), ...Object.values(otherW.teams)]);
    return `query {
      trajectories(first: 100) { totalCount edges { node { ${T} } } }
      ${trajectoryIds.map((id, i) => `trajectory${i}: trajectory(id: "${id}") { ${T} }`).join('\n')}
      ${teamIds.map((id, i) => `byTeam${i}: trajectories(filter: { teamId: "${id}" }) { totalCount edges { node { ${T} } } }`).join('\n')}
      ${schoolIds.map((id, i) => `bySchool${i}: trajectories(filter: { schoolId: "${id}" }) { totalCount edges { node { ${T} } } }`).join('\n')}
      ${schoolIds.map((id, i) => `school${i}: school(id: "${id}") { trajectories(first: 100) { totalCount edges { node { ${T} } } } }`).join('\n')}
      ${teamIds.map((id, i) => `team${i}: topteam(id: "${id}") { trajectories(first: 100) { totalCount edges { node { ${T} } } } }`).join('\n')}
      ${studentIds.map((id, i) => `student${i}: student(id: "${id}") { trajectories(first: 100) { totalCount edges { node { ${T} } } } }`).join('\n')}
      schools(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      topteams(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      students(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      windstreken(first: 100) { edges { node {
        schools(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
        topteams(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      } } }
      consents(first: 100) { edges { node { student { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } } }
    }`;
  }

  /** Every value that would reveal a trajectory: its id, its goals and its team notes. */
  const traces = (w: AccessWorld, id: string) => [
    id,
    ...w.goals.filter((g) => g.trajectoryId === id).map((g) => g.description),
    ...w.notes.filter((nt) => nt.trajectoryId === id).map((nt) => nt.body),
  ];

  test.each([
    ['A', 'scientistA', 'TA'],
    ['B', 'teacherB', 'TB'],
  ] as const)('as TEAM_MEMBER of Topteam %s, only the own team\'s trajectories appear anywhere, and other teams count 0', async (_team, userKey, ownTeam) => {
    const w = worlds[1];
    const otherW = worlds[2];
    const own = TRAJECTORIES[userKey];
    const data = await ok(w.users[userKey].subject, everyPath(w, otherW));
    const text = JSON.stringify(data);
    const foreign = [
      ...ALL_TRAJECTORIES.filter((k) => !own.includes(k)).map((k) => [w, w.trajectories[k].id] as const),
      ...Object.values(otherW.trajectories).map((t) => [otherW, t.id] as const),
    ];
    expect(foreign.flatMap(([fw, id]) => traces(fw, id).filter((t) => text.includes(t)))).toEqual([]);
    // Positive control: the own caseload is reachable, with its goals and team notes.
    for (const k of own) for (const t of traces(w, w.trajectories[k].id)) expect(text).toContain(t);
    expect(data.trajectories.totalCount).toBe(own.length);
    const teamIds = [...Object.values(w.teams), ...Object.values(otherW.teams)].map((t) => t.id);
    teamIds.forEach((id, i) => expect(data[`byTeam${i}`].totalCount).toBe(id === w.teams[ownTeam].id ? own.length : 0));
  });
});
