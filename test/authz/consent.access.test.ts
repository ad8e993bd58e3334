/**
 * Who reads which consent record, for every role of the access matrix (src/authz/README.md), through HTTP.
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
 * AVG rule 4 (src/authz/README.md) and column "consent records": advisor and Topteam read the consent records
 * of the students they may read. A record names its grantors (identity), so it follows the
 * student's consent gate: the team reads a record only if the student is on its caseload AND
 * has a valid CARE_BY_TOPTEAM consent; the advisor only if the student was registered from its
 * windstreek AND has a valid SHARE_WITH_PARTNERSHIP consent. So team A does not read
 * a1Revoked's records, and advisor A does not read a2CareOnly's.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Consent } from '../../src/app/entities';
import { ConsentPurpose, Phase } from '../../src/domain/enums';
import { createConsent, createStudent, createTrajectory } from '../factories';
import { createWorld } from '../factories/world';
import {
  createA1TeamPrev, createMenteeReq, edgeIds, listed, PARTNERSHIPS, roleRows, sorted, targetsOf, UserKey, useMatrix,
} from './matrix';

const PURPOSE_NAME: Record<string, string> = { [ConsentPurpose.SHARE_WITH_PARTNERSHIP]: 'share', [ConsentPurpose.CARE_BY_TOPTEAM]: 'care' };

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const a2CareOnly = await createStudent(ds, w.schools.A2);
  await createConsent(ds, a2CareOnly, w.users.schoolA1, ConsentPurpose.SHARE_WITH_PARTNERSHIP, true);
  await createConsent(ds, a2CareOnly, w.users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM);
  const students = { ...w.students, a2CareOnly };
  const extra = {
    menteeReq: await createMenteeReq(ds, w),
    a1TeamPrev: await createA1TeamPrev(ds, w),
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
type StudentKey = keyof AccessWorld['students'];
type ConsentKey =
  | 'a1Team:share' | 'a1Team:care' | 'a1Revoked:share' | 'a1Revoked:care' | 'a2Req:share' | 'a2Cross:share' | 'a2Cross:care'
  | 'b1Team:share' | 'b1Team:care' | 'a2CareOnly:share' | 'a2CareOnly:care';

const ALL_CONSENTS: ConsentKey[] = [
  'a1Team:share', 'a1Team:care', 'a1Revoked:share', 'a1Revoked:care', 'a2Req:share', 'a2Cross:share', 'a2Cross:care', 'b1Team:share', 'b1Team:care',
  'a2CareOnly:share', 'a2CareOnly:care',
];
/** The withdrawn records. */
const WITHDRAWN: ConsentKey[] = ['a1Revoked:care', 'a2CareOnly:share'];

/** The truth table: the consent records each role reads (src/authz/rules/consent.rules.ts, the access matrix (src/authz/README.md), column "consent records"). */
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

const m = useMatrix(buildWorld, (w) => [['', w.consents], ['student:', w.students]]);
const { worlds, ok } = m;

const studentOfConsent = (k: ConsentKey) => k.split(':')[0] as StudentKey;

test('the world holds the eleven consent records the table names, withdrawn exactly where the table says', () => {
  for (const w of [worlds[1], worlds[2]]) {
    expect(sorted(Object.keys(w.consents))).toEqual(sorted(ALL_CONSENTS));
    const withdrawn = (Object.keys(w.consents) as ConsentKey[]).filter((k) => w.consents[k].withdrawnAt !== null);
    expect(sorted(withdrawn)).toEqual(sorted(WITHDRAWN));
  }
});

describe.each(PARTNERSHIPS)('partnership %i', (n) => {
  const rows = roleRows((key) => listed(CONSENTS[key]));

  test.each(rows)('as %s (%s): `consents` lists and counts exactly: %s', async (_label, userKey) => {
    const { own, name } = m.side(n);
    await m.expectLists(own.users[userKey].subject, name, { consents: CONSENTS[userKey] });
  });

  test.each(rows)('as %s (%s): `consent(id)` returns exactly: %s — every other id of either partnership is null, like a random id', async (_label, userKey) => {
    const { own, other } = m.side(n);
    const targets = targetsOf('consent', own.consents, other.consents);
    await m.expectSingleReads(own.users[userKey].subject, targets, (t) => (CONSENTS[userKey] as string[]).includes(t.name));
  });

  test.each(rows)('as %s (%s): `consent.student` (list and single read) is the student only where that student is readable (%s)', async (_label, userKey) => {
    const { own, name } = m.side(n);
    const visible = CONSENTS[userKey];
    const expected = Object.fromEntries(visible.map((k) => [k, STUDENTS[userKey].includes(studentOfConsent(k)) ? `student:${studentOfConsent(k)}` : null]));
    await m.expectLinks(
      own.users[userKey].subject, { plural: 'consents', single: 'consent', link: 'student' },
      visible.map((k) => [k, own.consents[k].id] as const), name, expected,
    );
  });

  test.each(rows)('as %s (%s): `student(id) { consents }` holds only the readable consents of a readable student (%s)', async (_label, userKey) => {
    const { own, name } = m.side(n);
    const students = Object.entries(own.students).map(([k, s]) => ({ name: k, field: 'student', id: s.id }));
    await m.expectChildren(own.users[userKey].subject, students, 'consents', name, ({ name: k }) => {
      if (!STUDENTS[userKey].includes(k as StudentKey)) return null;
      if (NO_STUDENT_CONSENTS_FIELD.includes(userKey)) return 'field null';
      return CONSENTS[userKey].filter((c) => studentOfConsent(c) === k);
    });
  });

  test.each(rows)('as %s (%s): the filters `studentId`, `purpose` and `withdrawn` only narrow the readable consents (%s)', async (_label, userKey) => {
    const { own, name } = m.side(n);
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

  // AVG rule 4 (src/authz/README.md): "Topteam and advisor access to a student's identity … requires a valid
  // consent for that purpose; withdrawal ends access on the next request." A consent record names
  // its grantors — here the student — so a readable consent must not name a student the role may
  // not read.
  test.each(rows)('as %s (%s): no readable consent record names a student the role may not read (%s)', async (_label, userKey) => {
    const { own } = m.side(n);
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

describe("consent records follow the student's consent gate (AVG rule 4, src/authz/README.md)", () => {
  /** The keys of the given students' consent records that `userKey` reads, via `consents(filter: { studentId })` and `consent(id)`. */
  async function readable(userKey: UserKey, studentKeys: StudentKey[]): Promise<{ list: string[]; single: string[] }> {
    const { own: w, name } = m.side(1);
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
