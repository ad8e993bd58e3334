/**
 * Who reads which student, for every role of the access matrix (src/authz/README.md), through HTTP.
 *
 * Two separate partnerships are built with createWorld() (test/factories/world.ts, read its
 * table), each extended with two trajectories so that more situations are distinguished:
 *
 * | extra trajectory | student  | school | team | phase     | what it distinguishes                                    |
 * |------------------|----------|--------|------|-----------|----------------------------------------------------------|
 * | menteeReq        | a1Mentee | A1     | none | REQUESTED | advisor A: registration from own windstreek, no consent  |
 * | a1TeamPrev       | a1Team   | A1     | TB   | CLOSED    | a student in the caseload of both teams                   |
 *
 * Every expectation is given once, per role, for partnership 1 and checked for users of
 * partnership 1 and of partnership 2 alike; each user must see nothing of the other one.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Consent } from '../../src/app/entities';
import { createWorld } from '../factories/world';
import {
  createA1TeamPrev, createMenteeReq, foundIn, listed, PARTNERSHIPS, roleRows, targetsOf, UserKey, useMatrix,
} from './matrix';

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const extra = { menteeReq: await createMenteeReq(ds, w), a1TeamPrev: await createA1TeamPrev(ds, w) };
  const consents = await ds.getRepository(Consent).find({ where: { partnershipId: w.partnership.id } });
  return { ...w, trajectories: { ...w.trajectories, ...extra }, consents };
}
type AccessWorld = Awaited<ReturnType<typeof buildWorld>>;
type StudentKey = keyof AccessWorld['students'];
type SchoolKey = keyof AccessWorld['schools'];

const ALL_STUDENTS: StudentKey[] = ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team'];

/** The truth table: the students each role reads (src/authz/rules/student.rules.ts, the access matrix (src/authz/README.md), column "students"). */
const STUDENTS: Record<UserKey, StudentKey[]> = {
  admin: [],
  privacy: ALL_STUDENTS, // identity, to answer data-subject requests
  coordinator: ALL_STUDENTS, // pseudonym only (fields checked below)
  analyst: [],
  advisorA: ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross'], // registered from windstreek A with a partnership consent; not a1Mentee (no consent), not b1Team (B)
  scientistA: ['a1Team'], // assigned to TA with a valid care consent; a1Revoked's care consent is withdrawn
  teacherB: ['a1Team', 'a2Cross', 'b1Team'], // assigned to TB (a1Team through a1TeamPrev) with a valid care consent
  schoolA1: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked'],
  schoolB1: ['b1Team'],
  mentorA1: ['a1Mentee'],
  nobody: [],
};

/** Schools each role reads (structure.rules.ts), for `school(id) { students }`. */
const SCHOOLS: Record<UserKey, SchoolKey[]> = {
  admin: ['A1', 'A2', 'B1'],
  privacy: ['A1', 'A2', 'B1'],
  coordinator: ['A1', 'A2', 'B1'],
  analyst: ['A1', 'A2', 'B1'],
  advisorA: ['A1', 'A2', 'B1'],
  scientistA: ['A1', 'A2', 'B1'],
  teacherB: ['A1', 'A2', 'B1'],
  schoolA1: ['A1'],
  schoolB1: ['B1'],
  mentorA1: [],
  nobody: [],
};

const m = useMatrix(buildWorld, (w) => [['', w.students]]);
const { worlds, ok } = m;

describe.each(PARTNERSHIPS)('partnership %i', (n) => {
  const rows = roleRows((key) => listed(STUDENTS[key]));

  test.each(rows)('as %s (%s): `students` lists and counts exactly: %s', async (_label, userKey) => {
    const { own, name } = m.side(n);
    await m.expectLists(own.users[userKey].subject, name, { students: STUDENTS[userKey] });
  });

  test.each(rows)('as %s (%s): `student(id)` returns exactly: %s — every other id of either partnership is null, like a random id', async (_label, userKey) => {
    const { own, other } = m.side(n);
    const targets = targetsOf('student', own.students, other.students);
    await m.expectSingleReads(own.users[userKey].subject, targets, (t) => (STUDENTS[userKey] as string[]).includes(t.name));
  });

  const schoolRows = roleRows((key) => listed(SCHOOLS[key]));
  test.each(schoolRows)('as %s (%s): `school(id)` is readable for %s (others null), and its `students` are only the readable ones', async (_label, userKey) => {
    const { own, other, name } = m.side(n);
    const schools = [
      ...Object.entries(own.schools).map(([k, s]) => ({ name: k, field: 'school', id: s.id })),
      ...Object.entries(other.schools).map(([k, s]) => ({ name: `other:${k}`, field: 'school', id: s.id })),
    ];
    await m.expectChildren(own.users[userKey].subject, schools, 'students', name, (school) => {
      if (!(SCHOOLS[userKey] as string[]).includes(school.name)) return null;
      return STUDENTS[userKey].filter((s) => own.students[s].schoolId === school.id);
    });
  });
});

describe('fields: what a readable student shows', () => {
  const FIELDS = 'id pseudonym expectedExitLevel createdAt givenName familyName birthDate studentNumber school { id } guardians { totalCount } consents { totalCount } trajectories { totalCount }';

  test('as PROGRAMME_COORDINATOR, only id, pseudonym, expected exit level and creation time; identity and relations are null', async () => {
    const w = worlds[1];
    const s = w.students.a1Team;
    const data = await ok(w.users.coordinator.subject, `query($id: ID!) { student(id: $id) { ${FIELDS} } students(first: 100) { edges { node { ${FIELDS} } } } }`, { id: s.id });
    const expected = {
      id: s.id, pseudonym: s.pseudonym, expectedExitLevel: 'HAVO', createdAt: expect.any(String),
      givenName: null, familyName: null, birthDate: null, studentNumber: null, school: null, guardians: null, consents: null, trajectories: null,
    };
    expect(data.student).toEqual(expected);
    expect(data.students.edges.find((e: any) => e.node.id === s.id).node).toEqual(expected);
    // Not one identity value anywhere in the list of all seven.
    const text = JSON.stringify(data);
    for (const st of Object.values(w.students)) {
      expect(text).not.toContain(st.givenName);
      expect(text).not.toContain(st.familyName);
      expect(text).not.toContain(st.studentNumber);
    }
  });

  test('as PRIVACY_OFFICER, identity, school, guardians and consents, but no trajectories (no case data)', async () => {
    const w = worlds[1];
    const s = w.students.a1Team;
    const data = await ok(w.users.privacy.subject, `query($id: ID!) { student(id: $id) { ${FIELDS} } }`, { id: s.id });
    expect(data.student).toEqual({
      id: s.id, pseudonym: s.pseudonym, expectedExitLevel: 'HAVO', createdAt: expect.any(String),
      givenName: s.givenName, familyName: s.familyName, birthDate: s.birthDate, studentNumber: s.studentNumber,
      school: { id: w.schools.A1.id }, guardians: { totalCount: 1 }, consents: { totalCount: 2 }, trajectories: null,
    });
  });

  test('positive control: as SCHOOL_COORDINATOR of A1, the own student in full', async () => {
    const w = worlds[1];
    const s = w.students.a1Team;
    const data = await ok(w.users.schoolA1.subject, `query($id: ID!) { student(id: $id) { ${FIELDS} } }`, { id: s.id });
    expect(data.student).toEqual({
      id: s.id, pseudonym: s.pseudonym, expectedExitLevel: 'HAVO', createdAt: expect.any(String),
      givenName: s.givenName, familyName: s.familyName, birthDate: s.birthDate, studentNumber: s.studentNumber,
      school: { id: w.schools.A1.id }, guardians: { totalCount: 1 }, consents: { totalCount: 2 }, trajectories: { totalCount: 2 },
    });
  });
});

describe('a school coordinator cannot reach a student of another school by any query path', () => {
  /** One request that walks every path to a student the schema offers. */
  function everyPath(w: AccessWorld, otherW: AccessWorld): string {
    const studentIds = [...Object.values(w.students), ...Object.values(otherW.students)].map((s) => s.id);
    const schoolIds = [...Object.values(w.schools), ...Object.values(otherW.schools)].map((s) => s.id);
    const trajectoryIds = [...Object.values(w.trajectories), ...Object.values(otherW.trajectories)].map((t) => t.id);
    const consentIds = [...w.consents, ...otherW.consents].map((c) => c.id);
    const S = 'id pseudonym givenName familyName studentNumber';
    return `query {
      students(first: 100) { totalCount edges { node { ${S} trajectories(first: 100) { edges { node { student { ${S} } } } } } } }
      ${studentIds.map((id, i) => `student${i}: student(id: "${id}") { ${S} }`).join('\n')}
      ${schoolIds.map((id, i) => `school${i}: school(id: "${id}") { students(first: 100) { totalCount edges { node { ${S} } } } trajectories(first: 100) { edges { node { student { ${S} } } } } }`).join('\n')}
      ${schoolIds.map((id, i) => `filtered${i}: students(filter: { schoolId: "${id}" }) { totalCount edges { node { ${S} } } }`).join('\n')}
      schools(first: 100) { edges { node { students(first: 100) { totalCount edges { node { ${S} } } } } } }
      windstreken(first: 100) { edges { node { schools(first: 100) { edges { node { students(first: 100) { edges { node { ${S} } } } } } } } } }
      trajectories(first: 100) { totalCount edges { node { student { ${S} } } } }
      ${trajectoryIds.map((id, i) => `trajectory${i}: trajectory(id: "${id}") { student { ${S} } }`).join('\n')}
      topteams(first: 100) { edges { node { trajectories(first: 100) { edges { node { student { ${S} } } } } } } }
      consents(first: 100) { totalCount edges { node { student { ${S} } } } }
      ${consentIds.map((id, i) => `consent${i}: consent(id: "${id}") { student { ${S} } }`).join('\n')}
    }`;
  }

  /** Every value that would identify a student. */
  const traces = (s: AccessWorld['students'][StudentKey]) => [s.id, s.pseudonym, s.givenName, s.familyName, s.studentNumber];

  test.each([
    ['A1', 'schoolA1', ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked']],
    ['B1', 'schoolB1', ['b1Team']],
  ] as const)('as SCHOOL_COORDINATOR of %s, only the own school\'s students appear anywhere', async (_school, userKey, ownKeys) => {
    const w = worlds[1];
    const otherW = worlds[2];
    const data = await ok(w.users[userKey].subject, everyPath(w, otherW));
    const text = JSON.stringify(data);
    const foreign = [
      ...ALL_STUDENTS.filter((k) => !(ownKeys as readonly string[]).includes(k)).map((k) => w.students[k]),
      ...Object.values(otherW.students),
    ];
    const leaked = foreign.flatMap((s) => foundIn(text, traces(s)));
    expect(leaked).toEqual([]);
    // Positive control: the own students are reachable, by list, single read and nested paths.
    for (const k of ownKeys) for (const t of traces(w.students[k])) expect(text).toContain(t);
    expect(data.students.totalCount).toBe(ownKeys.length);
    // Counting by a foreign school's filter gives 0, not the number of its students.
    const schoolIds = [...Object.values(w.schools), ...Object.values(otherW.schools)].map((s) => s.id);
    const ownSchool = w.schools[_school].id;
    schoolIds.forEach((id, i) => expect(data[`filtered${i}`].totalCount).toBe(id === ownSchool ? ownKeys.length : 0));
  });
});
