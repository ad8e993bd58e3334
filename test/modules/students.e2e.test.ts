/**
 * End to end through the typed SDK: a school coordinator registers students of their own
 * school (the school and the tenant derived from the caller), and who sees the new student
 * afterwards: the coordinator and the mentor, not the coordinator of another school.
 *
 * The database is used only for setup (factories) and for checking the rows written.
 */
import { Role, TeamFunction } from '../../src/domain/enums';
import { Partnership, School, User, Windstreek } from '../../src/app/entities';
import { createPartnership, createSchool, createStudent, createTopteam, createUser, createWindstreek, unique } from '../factories';
import type { CreateStudentInput } from '../generated/sdk';
import { startTestApp, TestApp } from '../setup/app';
import { errorOf } from '../setup/errors';

let app: TestApp;
let partnership: Partnership;
let windstreek: Windstreek;
let schoolA: School;
let schoolB: School;
let coordinatorA: User;
let coordinatorB: User;
let teamMember: User;

beforeAll(async () => {
  app = await startTestApp();
  const ds = app.dataSource;
  partnership = await createPartnership(ds);
  windstreek = await createWindstreek(ds, partnership);
  schoolA = await createSchool(ds, windstreek);
  schoolB = await createSchool(ds, windstreek);
  const team = await createTopteam(ds, windstreek);
  coordinatorA = await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school: schoolA }]]);
  coordinatorB = await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school: schoolB }]]);
  teamMember = await createUser(ds, partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.TEACHER }]]);
});
afterAll(() => app.stop());

/** A valid input for a student of 13 on the test clock (2026-03-16). */
function studentInput(overrides: Partial<CreateStudentInput> = {}): CreateStudentInput {
  return {
    givenName: unique('Sam'),
    familyName: unique('de Vries'),
    birthDate: '2012-05-04',
    studentNumber: unique('LN-').slice(0, 20),
    expectedExitLevel: 'VMBO_KB',
    guardians: [],
    ...overrides,
  };
}

const PSEUDONYM = /^LL-[0-9A-F]{12}$/;

describe('as SCHOOL_COORDINATOR of one school', () => {
  let nonMenteeId: string;
  let schoolBStudentId: string;

  beforeAll(async () => {
    nonMenteeId = (await createStudent(app.dataSource, schoolA)).id;
    schoolBStudentId = (await createStudent(app.dataSource, schoolB)).id;
  });

  /**
   * As the coordinator of school A, registers a student without naming the school, with two
   * guardians and as mentor a new MENTOR at school A (whose only mentee it is).
   */
  async function registerAtSchoolA() {
    const mentor = await createUser(app.dataSource, partnership, [[Role.MENTOR, { school: schoolA }]]);
    const input = studentInput({
      mentorUserId: mentor.id,
      guardians: [
        { name: 'Anna de Vries', relationship: 'moeder', hasParentalAuthority: true },
        { name: 'Piet de Vries', relationship: 'vader', hasParentalAuthority: false },
      ],
    });
    const { createStudent: student } = await (await app.sdk(coordinatorA.subject)).CreateStudent({ input });
    return { input, student, mentor };
  }

  test('as SCHOOL_COORDINATOR of one school, createStudent without schoolId registers the student at that school, with pseudonym, guardians and mentor, in the own partnership', async () => {
    const { input, student, mentor } = await registerAtSchoolA();

    expect(student.pseudonym).toMatch(PSEUDONYM);
    expect(student).toMatchObject({
      givenName: input.givenName,
      familyName: input.familyName,
      birthDate: '2012-05-04',
      studentNumber: input.studentNumber,
      expectedExitLevel: 'VMBO_KB',
      school: { id: schoolA.id },
    });
    expect(student.guardians?.totalCount).toBe(2);
    // Both guardians share the transaction's created_at, so their order is by id, not input order.
    expect(student.guardians?.edges.map((e) => e.node).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'Anna de Vries', relationship: 'moeder', hasParentalAuthority: true },
      { name: 'Piet de Vries', relationship: 'vader', hasParentalAuthority: false },
    ]);

    const [row] = await app.dataSource.query('SELECT partnership_id, school_id, mentor_user_id, pseudonym FROM student WHERE id = $1', [student.id]);
    expect(row).toEqual({ partnership_id: partnership.id, school_id: schoolA.id, mentor_user_id: mentor.id, pseudonym: student.pseudonym });
    const guardians = await app.dataSource.query('SELECT partnership_id FROM guardian WHERE student_id = $1', [student.id]);
    expect(guardians).toEqual([{ partnership_id: partnership.id }, { partnership_id: partnership.id }]);
  });

  test('as SCHOOL_COORDINATOR of that school, the new student appears in students and student(id), with both guardians', async () => {
    const studentId = (await registerAtSchoolA()).student.id;
    const sdk = await app.sdk(coordinatorA.subject);
    const { students } = await sdk.Students({ first: 100 });
    const ids = students.edges.map((e) => e.node.id);
    expect(ids).toContain(studentId);
    expect(ids).toContain(nonMenteeId);
    expect(students.edges.every((e) => e.node.school?.id === schoolA.id)).toBe(true);

    const { student } = await sdk.Student({ id: studentId });
    expect(student).toMatchObject({ id: studentId, school: { id: schoolA.id } });
    expect(student?.guardians?.totalCount).toBe(2);

    const { school } = await sdk.SchoolWithStudents({ id: schoolA.id });
    expect(school?.students?.edges.map((e) => e.node.id)).toContain(studentId);
  });

  test('as MENTOR at that school, the new mentee appears in students and student(id), and the non-mentee does not', async () => {
    const { student: { id: studentId }, mentor } = await registerAtSchoolA();
    const sdk = await app.sdk(mentor.subject);
    const { students } = await sdk.Students({ first: 100 });
    expect(students.edges.map((e) => e.node.id)).toEqual([studentId]);
    expect(students.totalCount).toBe(1);
    expect((await sdk.Student({ id: studentId })).student?.id).toBe(studentId);
    expect((await sdk.Student({ id: nonMenteeId })).student).toBeNull();
  });

  test('as SCHOOL_COORDINATOR of another school, the new student is absent from the list, the count, the single read and the nested school.students', async () => {
    const studentId = (await registerAtSchoolA()).student.id;
    const sdk = await app.sdk(coordinatorB.subject);
    const { students } = await sdk.Students({ first: 100 });
    const ids = students.edges.map((e) => e.node.id);
    // Positive control: B's own student is there, and only it.
    expect(ids).toEqual([schoolBStudentId]);
    expect(students.totalCount).toBe(1);
    expect((await sdk.Student({ id: studentId })).student).toBeNull();
    expect((await sdk.Student({ id: schoolBStudentId })).student?.id).toBe(schoolBStudentId);

    expect((await sdk.SchoolWithStudents({ id: schoolA.id })).school).toBeNull();
    const { school: own } = await sdk.SchoolWithStudents({ id: schoolB.id });
    expect(own?.students?.edges.map((e) => e.node.id)).toEqual([schoolBStudentId]);
    expect(own?.students?.totalCount).toBe(1);

    const filtered = await sdk.Students({ first: 100, filter: { schoolId: schoolA.id } });
    expect(filtered.students.edges).toEqual([]);
    expect(filtered.students.totalCount).toBe(0);
  });

  test("as SCHOOL_COORDINATOR of one school, createStudent naming another school or another partnership's school answers NOT_FOUND", async () => {
    const sdk = await app.sdk(coordinatorA.subject);
    const other = await createPartnership(app.dataSource);
    const foreignSchool = await createSchool(app.dataSource, await createWindstreek(app.dataSource, other));
    for (const schoolId of [schoolB.id, foreignSchool.id]) {
      const input = studentInput({ schoolId });
      const error = await errorOf(sdk.CreateStudent({ input }));
      expect(error.code).toBe('NOT_FOUND');
      const rows = await app.dataSource.query('SELECT 1 FROM student WHERE student_number = $1', [input.studentNumber]);
      expect(rows).toEqual([]);
    }
  });

  test('as SCHOOL_COORDINATOR of two schools, createStudent without schoolId answers BAD_USER_INPUT on input.schoolId; with it, the student lands there', async () => {
    // A second school of its own: a student registered at school B would change what B's coordinator sees.
    const schoolC = await createSchool(app.dataSource, windstreek);
    const coordinatorAC = await createUser(app.dataSource, partnership, [[Role.SCHOOL_COORDINATOR, { school: schoolA }], [Role.SCHOOL_COORDINATOR, { school: schoolC }]]);
    const sdk = await app.sdk(coordinatorAC.subject);
    const missing = await errorOf(sdk.CreateStudent({ input: studentInput() }));
    expect(missing).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.schoolId' });
    expect(missing.message).toContain('input.schoolId');

    const { createStudent: student } = await sdk.CreateStudent({ input: studentInput({ schoolId: schoolC.id }) });
    expect(student.school?.id).toBe(schoolC.id);
    const [row] = await app.dataSource.query('SELECT partnership_id, school_id FROM student WHERE id = $1', [student.id]);
    expect(row).toEqual({ partnership_id: partnership.id, school_id: schoolC.id });
  });

  test('as TEAM_MEMBER, createStudent answers FORBIDDEN, with or without a schoolId, and writes nothing', async () => {
    const sdk = await app.sdk(teamMember.subject);
    for (const input of [studentInput(), studentInput({ schoolId: schoolA.id })]) {
      const error = await errorOf(sdk.CreateStudent({ input }));
      expect(error.code).toBe('FORBIDDEN');
      const rows = await app.dataSource.query('SELECT 1 FROM student WHERE student_number = $1', [input.studentNumber]);
      expect(rows).toEqual([]);
    }
  });
});

describe('pagination through the SDK', () => {
  test('as SCHOOL_COORDINATOR of a school with 7 new students, pages of 3 follow endCursor and cover all 7 newest first, once each', async () => {
    const ds = app.dataSource;
    const w = await createWindstreek(ds, partnership);
    const school = await createSchool(ds, w);
    const coordinator = await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school }]]);
    const sdk = await app.sdk(coordinator.subject);

    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { createStudent: student } = await sdk.CreateStudent({ input: studentInput() });
      created.push(student.id);
    }
    const newestFirst = [...created].reverse();

    const pages: Array<{ ids: string[]; hasNextPage: boolean; totalCount: number }> = [];
    let after: string | null | undefined;
    for (let i = 0; i < 3; i++) {
      const { students } = await sdk.Students({ first: 3, after });
      pages.push({ ids: students.edges.map((e) => e.node.id), hasNextPage: students.pageInfo.hasNextPage, totalCount: students.totalCount });
      expect(students.pageInfo.endCursor).toBe(students.edges.at(-1)?.cursor);
      after = students.pageInfo.endCursor;
    }

    expect(pages.map((p) => p.ids.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((p) => p.totalCount)).toEqual([7, 7, 7]);
    const all = pages.flatMap((p) => p.ids);
    expect(new Set(all).size).toBe(7);
    expect(all).toEqual(newestFirst);

    // A page exactly as large as the list has no next page.
    const { students: whole } = await sdk.Students({ first: 7 });
    expect(whole.edges.map((e) => e.node.id)).toEqual(newestFirst);
    expect(whole.pageInfo.hasNextPage).toBe(false);
  });
});
