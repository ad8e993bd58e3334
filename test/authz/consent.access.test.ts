/**
 * Who reads which consent record, for every role of ACCESS.md, through HTTP.
 *
 * Two separate partnerships are built with createWorld() (test/factories/world.ts, read its
 * table), each extended with the same two trajectories as the student and trajectory tests:
 * menteeReq (a1Mentee, A1, no team) and a1TeamPrev (a1Team, A1, team TB, CLOSED), so that
 * a1Team is in the caseload of both teams; and with one more student, the mirror image of
 * a1Revoked:
 *
 * | student    | school | trajectory     | consents                             |
 * |------------|--------|----------------|--------------------------------------|
 * | a2CareOnly | A2     | assigned to TA | partnership WITHDRAWN, care valid    |
 *
 * The eleven consent records, named "<student>:<purpose>": share = SHARE_WITH_PARTNERSHIP,
 * care = CARE_BY_TOPTEAM; a1Revoked:care and a2CareOnly:share are withdrawn.
 *
 * ACCESS.md rule 4 and column "consent records": advisor and Topteam read the consent records
 * of the students they may read. A record names its grantors (identity), so it follows the
 * student's consent gate: the team reads a record only if the student is on its caseload AND
 * has a valid CARE_BY_TOPTEAM consent; the advisor only if the student was registered from its
 * windstreek AND has a valid SHARE_WITH_PARTNERSHIP consent. So team A does not read
 * a1Revoked's records, and advisor A does not read a2CareOnly's.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Consent } from '../../src/db/entities';
import { ConsentPurpose, Phase } from '../../src/domain/enums';
import { createConsent, createStudent, createTrajectory } from '../factories';
import { createWorld } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

const PURPOSE_NAME: Record<string, string> = { [ConsentPurpose.SHARE_WITH_PARTNERSHIP]: 'share', [ConsentPurpose.CARE_BY_TOPTEAM]: 'care' };

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const a2CareOnly = await createStudent(ds, w.schools.A2);
  await createConsent(ds, a2CareOnly, w.users.schoolA1, ConsentPurpose.SHARE_WITH_PARTNERSHIP, true);
  await createConsent(ds, a2CareOnly, w.users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM);
  const students = { ...w.students, a2CareOnly };
  const extra = {
    menteeReq: await createTrajectory(ds, w.students.a1Mentee, w.schools.A1, w.users.schoolA1, { phase: Phase.REQUESTED }),
    a1TeamPrev: await createTrajectory(ds, w.students.a1Team, w.schools.A1, w.users.schoolA1, { team: w.teams.TB, phase: Phase.CLOSED }),
    a2CareOnly: await createTrajectory(ds, a2CareOnly, w.schools.A2, w.users.schoolA1, { team: w.teams.TA, phase: Phase.INTENSIVE }),
  };
  const rows = await ds.getRepository(Consent).find({ where: { partnershipId: w.partnership.id } });
  const consents: Record<string, Consent> = {};
  for (const c of rows) {
    const student = Object.entries(students).find(([, s]) => s.id === c.studentId)![0];
    consents[`${student}:${PURPOSE_NAME[c.purpose]}`] = c;
  }
  return { ...w, students, trajectories: { ...w.trajectories, ...extra }, consents };
}
type AccessWorld = Awaited<ReturnType<typeof buildWorld>>;
type UserKey = keyof AccessWorld['users'];
type StudentKey = keyof AccessWorld['students'];
type ConsentKey =
  | 'a1Team:share' | 'a1Team:care' | 'a1Revoked:share' | 'a1Revoked:care' | 'a2Req:share' | 'a2Cross:share' | 'a2Cross:care'
  | 'b1Team:share' | 'b1Team:care' | 'a2CareOnly:share' | 'a2CareOnly:care';

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

const ALL_CONSENTS: ConsentKey[] = [
  'a1Team:share', 'a1Team:care', 'a1Revoked:share', 'a1Revoked:care', 'a2Req:share', 'a2Cross:share', 'a2Cross:care', 'b1Team:share', 'b1Team:care',
  'a2CareOnly:share', 'a2CareOnly:care',
];
/** The withdrawn records. */
const WITHDRAWN: ConsentKey[] = ['a1Revoked:care', 'a2CareOnly:share'];

/** The truth table: the consent records each role reads (src/authz/rules/consent.rules.ts, ACCESS.md "consent records"). */
const CONSENTS: Record<UserKey, ConsentKey[]> = {
  admin: [],
  privacy: ALL_CONSENTS,
  coordinator: [],
  analyst: [],
  // Registered from windstreek A with a valid share consent (all records of such a student,
  // a1Revoked's withdrawn care consent included); not a2CareOnly, whose share consent was withdrawn.
  advisorA: ['a1Team:share', 'a1Team:care', 'a1Revoked:share', 'a1Revoked:care', 'a2Req:share', 'a2Cross:share', 'a2Cross:care'],
  // Caseload of TA with a valid care consent: not a1Revoked, although its trajectory is still assigned to TA.
  scientistA: ['a1Team:share', 'a1Team:care', 'a2CareOnly:share', 'a2CareOnly:care'],
  teacherB: ['a1Team:share', 'a1Team:care', 'a2Cross:share', 'a2Cross:care', 'b1Team:share', 'b1Team:care'], // caseload of TB, all with care consent
  schoolA1: ['a1Team:share', 'a1Team:care', 'a1Revoked:share', 'a1Revoked:care'], // students of A1 (a1Plain, a1Mentee have none)
  schoolB1: ['b1Team:share', 'b1Team:care'],
  mentorA1: [],
  nobody: [],
};

/** Students each role reads (the table of student.access.test.ts, plus a2CareOnly), for `consent.student` and `student.consents`. */
const STUDENTS: Record<UserKey, StudentKey[]> = {
  admin: [],
  privacy: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team', 'a2CareOnly'],
  coordinator: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team', 'a2CareOnly'],
  analyst: [],
  advisorA: ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross'],
  scientistA: ['a1Team', 'a2CareOnly'],
  teacherB: ['a1Team', 'a2Cross', 'b1Team'],
  schoolA1: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked'],
  schoolB1: ['b1Team'],
  mentorA1: ['a1Mentee'],
  nobody: [],
};
/** Roles that read a student but not its `consents` field (field permissions: pseudonym only). */
const NO_STUDENT_CONSENTS_FIELD: UserKey[] = ['coordinator'];

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

/** Names every consent and student id of both partnerships: "a1Team:care" (own) or "other:a1Team:care". */
function namer(own: AccessWorld, other: AccessWorld): (id: string) => string {
  const names = new Map<string, string>();
  for (const [prefix, w] of [['', own], ['other:', other]] as const) {
    for (const [k, c] of Object.entries(w.consents)) names.set(c.id, `${prefix}${k}`);
    for (const [k, s] of Object.entries(w.students)) names.set(s.id, `${prefix}student:${k}`);
  }
  return (id) => names.get(id) ?? `unknown:${id}`;
}

const sorted = (keys: readonly string[]) => [...keys].sort();
const edgeIds = (conn: any, name: (id: string) => string) => sorted(conn.edges.map((e: any) => name(e.node.id)));
const studentOfConsent = (k: ConsentKey) => k.split(':')[0] as StudentKey;

test('the world holds the eleven consent records the table names, withdrawn exactly where the table says', () => {
  for (const w of [worlds[1], worlds[2]]) {
    expect(sorted(Object.keys(w.consents))).toEqual(sorted(ALL_CONSENTS));
    const withdrawn = (Object.keys(w.consents) as ConsentKey[]).filter((k) => w.consents[k].withdrawnAt !== null);
    expect(sorted(withdrawn)).toEqual(sorted(WITHDRAWN));
  }
});

describe.each([1, 2] as const)('partnership %i', (n) => {
  const rows = ROLES.map(([label, key]) => [label, key, CONSENTS[key].join(', ') || 'none'] as const);

  test.each(rows)('as %s (%s): `consents` lists and counts exactly: %s', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const data = await ok(own.users[userKey].subject, 'query { consents(first: 100) { totalCount edges { node { id } } } }');
    expect(edgeIds(data.consents, name)).toEqual(sorted(CONSENTS[userKey]));
    expect(data.consents.totalCount).toBe(CONSENTS[userKey].length);
  });

  test.each(rows)('as %s (%s): `consent(id)` returns exactly: %s — every other id of either partnership is null, like a random id', async (_label, userKey) => {
    const own = worlds[n];
    const other = worlds[OTHER[n]];
    const targets: Array<[string, string]> = [
      ...Object.entries(own.consents).map(([k, c]) => [k, c.id] as [string, string]),
      ...Object.entries(other.consents).map(([k, c]) => [`other:${k}`, c.id] as [string, string]),
      ['random', randomUUID()],
    ];
    const data = await ok(own.users[userKey].subject, `query { ${targets.map(([, id], i) => `r${i}: consent(id: "${id}") { id }`).join(' ')} }`);
    const got = Object.fromEntries(targets.map(([k], i) => [k, data[`r${i}`]?.id ?? null]));
    const expected = Object.fromEntries(targets.map(([k, id]) => [k, (CONSENTS[userKey] as string[]).includes(k) ? id : null]));
    expect(got).toEqual(expected);
  });

  test.each(rows)('as %s (%s): `consent.student` (list and single read) is the student only where that student is readable (%s)', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const visible = CONSENTS[userKey];
    const data = await ok(
      own.users[userKey].subject,
      `query {
        consents(first: 100) { edges { node { id student { id } } } }
        ${visible.map((k, i) => `r${i}: consent(id: "${own.consents[k].id}") { id student { id } }`).join(' ')}
      }`,
    );
    const expected = Object.fromEntries(visible.map((k) => [k, STUDENTS[userKey].includes(studentOfConsent(k)) ? `student:${studentOfConsent(k)}` : null]));
    const fromList = Object.fromEntries(data.consents.edges.map((e: any) => [name(e.node.id), e.node.student && name(e.node.student.id)]));
    const fromSingle = Object.fromEntries(visible.map((k, i) => [k, data[`r${i}`].student && name(data[`r${i}`].student.id)]));
    expect(fromList).toEqual(expected);
    expect(fromSingle).toEqual(expected);
  });

  test.each(rows)('as %s (%s): `student(id) { consents }` holds only the readable consents of a readable student (%s)', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const students = Object.entries(own.students) as Array<[StudentKey, { id: string }]>;
    const data = await ok(
      own.users[userKey].subject,
      `query { ${students.map(([, s], i) => `s${i}: student(id: "${s.id}") { id consents(first: 100) { totalCount edges { node { id } } } }`).join(' ')} }`,
    );
    const got = Object.fromEntries(students.map(([k], i) => {
      const s = data[`s${i}`];
      return [k, s && (s.consents && { total: s.consents.totalCount, ids: edgeIds(s.consents, name) })];
    }));
    const expected = Object.fromEntries(students.map(([k]) => {
      if (!STUDENTS[userKey].includes(k) || NO_STUDENT_CONSENTS_FIELD.includes(userKey)) return [k, null];
      const ids = CONSENTS[userKey].filter((c) => studentOfConsent(c) === k);
      return [k, { total: ids.length, ids: sorted(ids) }];
    }));
    expect(got).toEqual(expected);
  });

  test.each(rows)('as %s (%s): the filters `studentId`, `purpose` and `withdrawn` only narrow the readable consents (%s)', async (_label, userKey) => {
    const own = worlds[n];
    const name = namer(own, worlds[OTHER[n]]);
    const data = await ok(
      own.users[userKey].subject,
      `query($a1Revoked: ID!, $b1Team: ID!) {
        ofA1Revoked: consents(filter: { studentId: $a1Revoked }) { totalCount edges { node { id } } }
        ofB1Team: consents(filter: { studentId: $b1Team }) { totalCount edges { node { id } } }
        care: consents(filter: { purpose: CARE_BY_TOPTEAM }) { totalCount edges { node { id } } }
        withdrawn: consents(filter: { withdrawn: true }) { totalCount edges { node { id } } }
      }`,
      { a1Revoked: own.students.a1Revoked.id, b1Team: own.students.b1Team.id },
    );
    const got = Object.fromEntries(Object.entries(data).map(([k, c]: [string, any]) => [k, { total: c.totalCount, ids: edgeIds(c, name) }]));
    const narrow = (keep: (k: ConsentKey) => boolean) => {
      const ids = CONSENTS[userKey].filter(keep);
      return { total: ids.length, ids: sorted(ids) };
    };
    expect(got).toEqual({
      ofA1Revoked: narrow((k) => k.startsWith('a1Revoked:')),
      ofB1Team: narrow((k) => k.startsWith('b1Team:')),
      care: narrow((k) => k.endsWith(':care')),
      withdrawn: narrow((k) => WITHDRAWN.includes(k)),
    });
  });

  // ACCESS.md, AVG rule 4: "Topteam and advisor access to a student's identity … requires a valid
  // consent for that purpose; withdrawal ends access on the next request." A consent record names
  // its grantors — here the student — so a readable consent must not name a student the role may
  // not read.
  test.each(rows)('as %s (%s): no readable consent record names a student the role may not read (%s)', async (_label, userKey) => {
    const own = worlds[n];
    const data = await ok(own.users[userKey].subject, 'query { consents(first: 100) { edges { node { id grantors { name } } } } }');
    const text = JSON.stringify(data);
    const hidden = (Object.keys(own.students) as StudentKey[]).filter((k) => !STUDENTS[userKey].includes(k));
    const named = hidden.filter((k) => text.includes(own.students[k].givenName)).map((k) => `${k} (${own.students[k].givenName})`);
    expect(named).toEqual([]);
    // Positive control: readable students' grantor names are there.
    for (const k of new Set(CONSENTS[userKey].map(studentOfConsent))) {
      if (STUDENTS[userKey].includes(k)) expect(text).toContain(own.students[k].givenName);
    }
  });
});

describe("consent records follow the student's consent gate (ACCESS.md rule 4)", () => {
  /** The keys of the given students' consent records that `userKey` reads, via `consents(filter: { studentId })` and `consent(id)`. */
  async function readable(userKey: UserKey, studentKeys: StudentKey[]): Promise<{ list: string[]; single: string[] }> {
    const w = worlds[1];
    const name = namer(w, worlds[2]);
    const keys = ALL_CONSENTS.filter((k) => studentKeys.includes(studentOfConsent(k)));
    const data = await ok(
      w.users[userKey].subject,
      `query {
        ${studentKeys.map((s, i) => `l${i}: consents(filter: { studentId: "${w.students[s].id}" }) { totalCount edges { node { id } } }`).join(' ')}
        ${keys.map((k, i) => `c${i}: consent(id: "${w.consents[k].id}") { id }`).join(' ')}
      }`,
    );
    const list = studentKeys.flatMap((_, i) => {
      expect(data[`l${i}`].totalCount).toBe(data[`l${i}`].edges.length);
      return data[`l${i}`].edges.map((e: any) => name(e.node.id));
    });
    const single = keys.filter((_, i) => data[`c${i}`] !== null);
    return { list: sorted(list), single: sorted(single) };
  }

  test('as TEAM_MEMBER of Topteam A, a1Revoked (assigned to TA, care consent withdrawn) has no readable record, a1Team and a2CareOnly (care valid) have all theirs', async () => {
    const expected = sorted(['a1Team:share', 'a1Team:care', 'a2CareOnly:share', 'a2CareOnly:care']);
    expect(await readable('scientistA', ['a1Team', 'a1Revoked', 'a2CareOnly'])).toEqual({ list: expected, single: expected });
  });

  test('as EDUCATION_ADVISOR of windstreek A, a2CareOnly (registered from A, share consent withdrawn) has no readable record, a1Revoked (share valid) has all, its withdrawn care consent included', async () => {
    const expected = sorted(['a1Team:share', 'a1Team:care', 'a1Revoked:share', 'a1Revoked:care']);
    expect(await readable('advisorA', ['a1Team', 'a1Revoked', 'a2CareOnly'])).toEqual({ list: expected, single: expected });
  });

  test('positive control: as SCHOOL_COORDINATOR of A1, a1Revoked\'s records stay readable (the school\'s own student, not consent-gated)', async () => {
    const expected = sorted(['a1Team:share', 'a1Team:care', 'a1Revoked:share', 'a1Revoked:care']);
    expect(await readable('schoolA1', ['a1Team', 'a1Revoked', 'a2CareOnly'])).toEqual({ list: expected, single: expected });
  });
});
