/**
 * A student changes: `updateStudent` (OPP, mentor, expected exit level, names, student number)
 * and `recordLeftSchool` (uitschrijving, the start of the school data's retention term). Only
 * the coordinator of the student's school may; bad input names the field and changes nothing;
 * every change is logged as a CHANGE of the student.
 */
import { Role } from '../../src/domain/enums';
import { createStudent, createUser } from '../factories';
import { useAppWithWorld } from '../setup/app-with-world';
import { errorOf } from '../setup/errors';

const { app, world } = useAppWithWorld();

const COLUMNS = `given_name, family_name, student_number, expected_exit_level, mentor_user_id, development_plan_reference, development_plan_date, left_school_on`;
const rowOf = async (id: string) => (await app.dataSource.query(`SELECT ${COLUMNS} FROM student WHERE id = $1`, [id]))[0];
const school = () => app.sdk(world.users.schoolA1.email);

describe('updateStudent', () => {
  test('as coordinator of the school: the given fields change, the others stay; null clears; the change is logged', async () => {
    const student = await createStudent(app.dataSource, world.schools.A1);
    const before = await rowOf(student.id);
    const { updateStudent: s } = await (await school()).UpdateStudent({
      input: { studentId: student.id, developmentPlanReference: ' OPP-2026-101 ', developmentPlanDate: '2026-03-01', expectedExitLevel: 'VWO', mentorUserId: world.users.mentorA1.id },
    });
    expect(s).toMatchObject({ developmentPlanReference: 'OPP-2026-101', developmentPlanDate: '2026-03-01', expectedExitLevel: 'VWO', leftSchoolOn: null });
    // The mentor's account is not one the coordinator may read: `mentor` answers null; the row holds it.
    expect(await rowOf(student.id)).toEqual({
      ...before, development_plan_reference: 'OPP-2026-101', development_plan_date: '2026-03-01', expected_exit_level: 'VWO', mentor_user_id: world.users.mentorA1.id,
    });
    const [logged] = await app.dataSource.query(
      `SELECT action, object_type, objects, user_id FROM access_log_entry WHERE object_id = $1 ORDER BY sequence DESC LIMIT 1`, [student.id],
    );
    expect(logged).toEqual({ action: 'CHANGE', object_type: 'Student', objects: [`Student:${student.id}`], user_id: world.users.schoolA1.id });

    await (await school()).UpdateStudent({ input: { studentId: student.id, developmentPlanReference: null, mentorUserId: null } });
    expect(await rowOf(student.id)).toMatchObject({ development_plan_reference: null, mentor_user_id: null, development_plan_date: '2026-03-01', expected_exit_level: 'VWO' });
  });

  test('bad input names the field and changes nothing', async () => {
    const student = await createStudent(app.dataSource, world.schools.A1);
    const other = await createStudent(app.dataSource, world.schools.A1);
    const mentorB = await createUser(app.dataSource, world.partnership, [[Role.MENTOR, { school: world.schools.B1 }]]);
    const before = await rowOf(student.id);
    const sdk = await school();
    expect(await errorOf(sdk.UpdateStudent({ input: { studentId: student.id, developmentPlanDate: '2026-03-17' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.developmentPlanDate' });
    expect(await errorOf(sdk.UpdateStudent({ input: { studentId: student.id } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect((await errorOf(sdk.UpdateStudent({ input: { studentId: student.id, mentorUserId: mentorB.id } }))).code).toBe('NOT_FOUND');
    expect((await errorOf(sdk.UpdateStudent({ input: { studentId: student.id, studentNumber: other.studentNumber } }))).code).toBe('CONFLICT');
    expect((await errorOf(sdk.UpdateStudent({ input: { studentId: student.id, studentNumber: 'no spaces allowed' } }))).code).toBe('BAD_USER_INPUT');
    expect(await rowOf(student.id)).toEqual(before);
  });

  test('only the coordinator of the student\'s school: others are refused (FORBIDDEN when they see the student, NOT_FOUND when not)', async () => {
    const student = world.students.a1Team;
    const before = await rowOf(student.id);
    const codes: Record<string, string> = {};
    for (const [name, user] of Object.entries(world.users)) {
      if (name === 'schoolA1') continue;
      codes[name] = (await errorOf((await app.sdk(user.email)).UpdateStudent({ input: { studentId: student.id, expectedExitLevel: 'VMBO_GT' as never } }))).code;
    }
    // Who sees the student (the team with consent, the advisor, the privacy officer for identity) is FORBIDDEN; the rest NOT_FOUND.
    expect(Object.values(codes).every((c) => c === 'FORBIDDEN' || c === 'NOT_FOUND')).toBe(true);
    expect(codes.schoolB1).toBe('NOT_FOUND');
    expect(codes.scientistA).toBe('FORBIDDEN');
    // The privacy officer may update the retention fields of any student, and nothing else.
    expect(codes.privacy).toBe('FORBIDDEN');
    expect(await rowOf(student.id)).toEqual(before);
  });
});

describe('recordLeftSchool', () => {
  test('records the day (not in the future, not before birth), once; the school data\'s retention term starts there', async () => {
    const student = await createStudent(app.dataSource, world.schools.A1);
    const sdk = await school();
    expect(await errorOf(sdk.RecordLeftSchool({ input: { studentId: student.id, leftSchoolOn: '2026-03-17' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.leftSchoolOn' });
    expect(await errorOf(sdk.RecordLeftSchool({ input: { studentId: student.id, leftSchoolOn: '2000-01-01' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.leftSchoolOn' });
    expect((await rowOf(student.id)).left_school_on).toBeNull();
    // Today (the test clock's day) is allowed.
    expect((await sdk.RecordLeftSchool({ input: { studentId: student.id, leftSchoolOn: '2026-03-16' } })).recordLeftSchool).toEqual({ id: student.id, leftSchoolOn: '2026-03-16' });
    expect((await rowOf(student.id)).left_school_on).toBe('2026-03-16');
    expect((await errorOf(sdk.RecordLeftSchool({ input: { studentId: student.id, leftSchoolOn: '2026-03-10' } }))).code).toBe('CONFLICT');
    expect((await rowOf(student.id)).left_school_on).toBe('2026-03-16');
    expect((await errorOf((await app.sdk(world.users.schoolB1.email)).RecordLeftSchool({ input: { studentId: student.id, leftSchoolOn: '2026-03-10' } }))).code).toBe('NOT_FOUND');
  });
});
