/**
 * A student moves to another school of the partnership (`transferStudent`, overstap): the
 * coordinator of the student's school or the programme coordinator; the student's school
 * changes, the mentor is cleared, a running trajectory follows (team and home windstreek stay),
 * a finished one stays with its school; the transfer is kept as a StudentSchoolChange, logged as
 * a CHANGE and, on the moved case, as an event. Access moves with the student on the next
 * request. Bad input names the field and changes nothing; a fault half-way leaves nothing.
 */
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../src/domain/enums';
import {
  createConsent, createPartnership, createSchool, createStudent, createTrajectory, createUser, createWindstreek, unique,
} from '../factories';
import { useAppWithWorld } from '../setup/app-with-world';
import { errorOf } from '../setup/errors';

const { app, world } = useAppWithWorld();

/** The test clock's day in Amsterdam (TEST_NOW = 2026-03-16T10:00Z). */
const TODAY = '2026-03-16';

const studentRow = async (id: string) =>
  (await app.dataSource.query(`SELECT school_id, mentor_user_id, left_school_on FROM student WHERE id = $1`, [id]))[0];
const trajectoryRow = async (id: string) =>
  (await app.dataSource.query(`SELECT school_id, windstreek_id, team_id, phase, version FROM trajectory WHERE id = $1`, [id]))[0];
const changesOf = async (studentId: string) =>
  app.dataSource.query(
    `SELECT from_school_id, to_school_id, transferred_on, transferred_by_user_id FROM student_school_change WHERE student_id = $1 ORDER BY created_at`,
    [studentId],
  );
const eventsOf = async (trajectoryId: string) =>
  app.dataSource.query(
    `SELECT act, from_phase, to_phase, actor_user_id, reason FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence`,
    [trajectoryId],
  );

/**
 * A student of school A1 (mentee of mentor A1, both consents) with a running case of team TA in
 * `phase`, and a finished (COMPLETED) case from before.
 */
async function studentWithCases(phase: Phase = Phase.INTENSIVE) {
  const student = await createStudent(app.dataSource, world.schools.A1, { mentorUserId: world.users.mentorA1.id });
  for (const purpose of [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM]) {
    await createConsent(app.dataSource, student, world.users.schoolA1, purpose);
  }
  const finished = await createTrajectory(app.dataSource, student, world.schools.A1, world.users.schoolA1, { team: world.teams.TA, phase: Phase.COMPLETED });
  const running = await createTrajectory(app.dataSource, student, world.schools.A1, world.users.schoolA1, {
    team: phase === Phase.REQUESTED ? null : world.teams.TA, phase,
  });
  return { student, finished, running };
}

const STUDENT_VIEW = `query($id: ID!) { student(id: $id) { id givenName school { id } schoolChanges { totalCount edges { node { transferredOn fromSchool { id } toSchool { id } } } } } }`;
const TRAJECTORY_VIEW = `query($id: ID!) { trajectory(id: $id) { id phase school { id } team { id } } }`;

async function studentAs(email: string, id: string) {
  const { body } = await app.gql(email, STUDENT_VIEW, { id });
  expect(body.errors).toBeUndefined();
  return (body.data as { student: { id: string; givenName: string | null; school: { id: string } | null; schoolChanges: unknown } | null }).student;
}

async function trajectoryAs(email: string, id: string) {
  const { body } = await app.gql(email, TRAJECTORY_VIEW, { id });
  expect(body.errors).toBeUndefined();
  return (body.data as { trajectory: { id: string; school: { id: string } | null; team: { id: string } | null } | null }).trajectory;
}

describe('transferStudent by the coordinator of the student\'s school', () => {
  test('the student, the mentor and the running case move; the finished case stays; history, event and log are written', async () => {
    const { student, finished, running } = await studentWithCases(Phase.INTENSIVE);
    const runningBefore = await trajectoryRow(running.id);
    const finishedBefore = await trajectoryRow(finished.id);
    const sdk = await app.sdk(world.users.schoolA1.email);

    const { transferStudent } = await sdk.TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.B1.id, transferredOn: '2026-03-09' } });
    // The student left the caller's sight with the transfer.
    expect(transferStudent).toBeNull();

    expect(await studentRow(student.id)).toEqual({ school_id: world.schools.B1.id, mentor_user_id: null, left_school_on: null });
    expect(await changesOf(student.id)).toEqual([
      { from_school_id: world.schools.A1.id, to_school_id: world.schools.B1.id, transferred_on: '2026-03-09', transferred_by_user_id: world.users.schoolA1.id },
    ]);
    // The running case follows: its school changes; its team and home windstreek stay.
    expect(await trajectoryRow(running.id)).toEqual({ ...runningBefore, school_id: world.schools.B1.id, version: runningBefore.version + 1 });
    expect(runningBefore.windstreek_id).toBe(world.windstreken.A.id);
    expect((await eventsOf(running.id)).at(-1)).toEqual({
      act: 'transferStudent', from_phase: 'INTENSIVE', to_phase: 'INTENSIVE', actor_user_id: world.users.schoolA1.id,
      reason: 'The student moved to another school of the partnership on 2026-03-09.',
    });
    // The finished case stays with the school that registered it, untouched.
    expect(await trajectoryRow(finished.id)).toEqual(finishedBefore);
    expect((await eventsOf(finished.id)).map((e: { act: string }) => e.act)).toEqual(['submitRegistration']);

    const logged = await app.dataSource.query(
      `SELECT object_type, object_id, student_id, action, outcome, objects, fields, role FROM access_log_entry
        WHERE user_id = $1 AND student_id = $2 ORDER BY sequence`,
      [world.users.schoolA1.id, student.id],
    );
    // One CHANGE entry for the student, covering the student and the running case that moved (not the finished one).
    expect(logged).toEqual([{
      object_type: 'Student', object_id: student.id, student_id: student.id, action: 'CHANGE', outcome: 'ALLOWED',
      objects: [`Student:${student.id}`, `Trajectory:${running.id}`],
      fields: ['Student.mentor', 'Student.school', 'Student.schoolChanges', 'Trajectory.events', 'Trajectory.school'], role: 'SCHOOL_COORDINATOR',
    }]);
  });

  test('access moves on the next request: the old school and its mentor lose the student and the running case, the new school gains them, the team keeps its case', async () => {
    const { student, finished, running } = await studentWithCases(Phase.ASSESSMENT);
    const { schoolA1, schoolB1, mentorA1, scientistA } = world.users;
    // Before: A1 and its mentor see the student; B1 does not.
    expect((await studentAs(schoolA1.email, student.id))?.id).toBe(student.id);
    expect((await studentAs(mentorA1.email, student.id))?.id).toBe(student.id);
    expect(await studentAs(schoolB1.email, student.id)).toBeNull();
    expect(await trajectoryAs(schoolB1.email, running.id)).toBeNull();

    await (await app.sdk(schoolA1.email)).TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.B1.id, transferredOn: TODAY } });

    // The old school: neither the student nor the running case; its finished case stays, as history.
    expect(await studentAs(schoolA1.email, student.id)).toBeNull();
    expect(await trajectoryAs(schoolA1.email, running.id)).toBeNull();
    expect(await trajectoryAs(schoolA1.email, finished.id)).toMatchObject({ id: finished.id, school: { id: world.schools.A1.id } });
    expect(await studentAs(mentorA1.email, student.id)).toBeNull();
    // The new school: the student with the history of the transfer (the school it came from is not one it reads), and the running case.
    expect(await studentAs(schoolB1.email, student.id)).toEqual({
      id: student.id, givenName: student.givenName, school: { id: world.schools.B1.id },
      schoolChanges: { totalCount: 1, edges: [{ node: { transferredOn: TODAY, fromSchool: null, toSchool: { id: world.schools.B1.id } } }] },
    });
    expect(await trajectoryAs(schoolB1.email, running.id)).toEqual({ id: running.id, phase: 'ASSESSMENT', school: { id: world.schools.B1.id }, team: { id: world.teams.TA.id } });
    expect(await trajectoryAs(schoolB1.email, finished.id)).toBeNull();
    // The team keeps its case and the student.
    expect(await trajectoryAs(scientistA.email, running.id)).toMatchObject({ id: running.id, team: { id: world.teams.TA.id }, school: { id: world.schools.B1.id } });
    expect((await studentAs(scientistA.email, student.id))?.givenName).toBe(student.givenName);
    // The privacy officer reads the history with both schools.
    const privacyView = await studentAs(world.users.privacy.email, student.id);
    expect(privacyView?.schoolChanges).toEqual({ totalCount: 1, edges: [{ node: { transferredOn: TODAY, fromSchool: { id: world.schools.A1.id }, toSchool: { id: world.schools.B1.id } } }] });

    // The new school may hand the student on; the old one no longer can (hidden equals missing).
    expect((await errorOf((await app.sdk(schoolA1.email)).TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.A2.id, transferredOn: TODAY } }))).code).toBe('NOT_FOUND');
    expect((await (await app.sdk(schoolB1.email)).TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.A1.id, transferredOn: TODAY } })).transferStudent).toBeNull();
    expect(await trajectoryAs(schoolA1.email, running.id)).toMatchObject({ school: { id: world.schools.A1.id } });
    expect((await changesOf(student.id)).map((c: { to_school_id: string }) => c.to_school_id)).toEqual([world.schools.B1.id, world.schools.A1.id]);
  });

  test('a registration not yet accepted follows too, and a student without a trajectory moves alone', async () => {
    const { student, running } = await studentWithCases(Phase.REQUESTED);
    const sdk = await app.sdk(world.users.schoolA1.email);
    await sdk.TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.A2.id, transferredOn: TODAY } });
    expect(await trajectoryRow(running.id)).toMatchObject({ school_id: world.schools.A2.id, windstreek_id: world.windstreken.A.id, team_id: null, phase: 'REQUESTED' });
    expect((await eventsOf(running.id)).at(-1)).toMatchObject({ act: 'transferStudent', from_phase: 'REQUESTED', to_phase: 'REQUESTED' });

    const alone = await createStudent(app.dataSource, world.schools.A1);
    expect((await sdk.TransferStudent({ input: { studentId: alone.id, toSchoolId: world.schools.A2.id, transferredOn: TODAY } })).transferStudent).toBeNull();
    expect(await studentRow(alone.id)).toMatchObject({ school_id: world.schools.A2.id });
  });
});

describe('transferStudent: who may', () => {
  test('the programme coordinator transfers any student (and sees the pseudonym afterwards)', async () => {
    const { student, running } = await studentWithCases(Phase.CONSOLIDATION);
    const sdk = await app.sdk(world.users.coordinator.email);
    const { transferStudent } = await sdk.TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.B1.id, transferredOn: TODAY } });
    // Identity (the school, the history) stays hidden from the programme coordinator.
    expect(transferStudent).toEqual({ id: student.id, pseudonym: student.pseudonym, school: null, mentor: null, schoolChanges: null });
    expect(await studentRow(student.id)).toMatchObject({ school_id: world.schools.B1.id, mentor_user_id: null });
    expect(await trajectoryRow(running.id)).toMatchObject({ school_id: world.schools.B1.id, team_id: world.teams.TA.id });
    expect((await eventsOf(running.id)).at(-1)).toMatchObject({ act: 'transferStudent', actor_user_id: world.users.coordinator.id });
    expect(await changesOf(student.id)).toEqual([expect.objectContaining({ transferred_by_user_id: world.users.coordinator.id })]);
  });

  test('every other role is refused: FORBIDDEN when it sees the student, NOT_FOUND when not; nothing changes and the refusal is logged', async () => {
    const { student, running } = await studentWithCases(Phase.INTENSIVE);
    const before = { student: await studentRow(student.id), trajectory: await trajectoryRow(running.id), events: await eventsOf(running.id) };
    const teacherA = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
    const users = { ...world.users, teacherA };
    const codes: Record<string, string> = {};
    for (const [name, user] of Object.entries(users)) {
      if (name === 'schoolA1' || name === 'coordinator') continue;
      codes[name] = (await errorOf((await app.sdk(user.email)).TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.B1.id, transferredOn: TODAY } }))).code;
    }
    expect(codes).toEqual({
      admin: 'NOT_FOUND', privacy: 'FORBIDDEN', analyst: 'NOT_FOUND', advisorA: 'FORBIDDEN', scientistA: 'FORBIDDEN', teacherA: 'FORBIDDEN',
      teacherB: 'NOT_FOUND', schoolB1: 'NOT_FOUND', mentorA1: 'FORBIDDEN', nobody: 'NOT_FOUND',
    });
    expect({ student: await studentRow(student.id), trajectory: await trajectoryRow(running.id), events: await eventsOf(running.id) }).toEqual(before);
    expect(await changesOf(student.id)).toEqual([]);
    const [denied] = await app.dataSource.query(
      `SELECT action, outcome, object_type, fields FROM access_log_entry WHERE user_id = $1 AND student_id = $2`, [world.users.privacy.id, student.id],
    );
    expect(denied).toEqual({ action: 'CHANGE', outcome: 'DENIED', object_type: 'Student', fields: ['transferStudent'] });
  });
});

describe('transferStudent: bad input changes nothing', () => {
  test('a day in the future, before the birth date or before an earlier transfer; the own school; a school elsewhere or missing; a student who left', async () => {
    const { student, running } = await studentWithCases(Phase.INTENSIVE);
    const sdk = await app.sdk(world.users.schoolA1.email);
    const state = async () => ({ student: await studentRow(student.id), trajectory: await trajectoryRow(running.id), changes: await changesOf(student.id), events: await eventsOf(running.id) });
    const before = await state();
    const attempt = (input: { toSchoolId?: string; transferredOn?: string }) =>
      errorOf(sdk.TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.B1.id, transferredOn: TODAY, ...input } }));

    expect(await attempt({ transferredOn: '2026-03-17' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.transferredOn' });
    expect(await attempt({ transferredOn: '2011-05-03' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.transferredOn' });
    expect(await attempt({ toSchoolId: world.schools.A1.id })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.toSchoolId' });
    const elsewhere = await createSchool(app.dataSource, await createWindstreek(app.dataSource, await createPartnership(app.dataSource)));
    const foreign = await attempt({ toSchoolId: elsewhere.id });
    const missing = await attempt({ toSchoolId: '00000000-0000-4000-8000-000000000000' });
    // Another partnership's school answers exactly like one that does not exist.
    expect(foreign).toMatchObject({ code: 'NOT_FOUND' });
    expect({ ...foreign, extensions: undefined }).toEqual({ ...missing, extensions: undefined });
    expect(await attempt({ toSchoolId: 'not-a-uuid' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await state()).toEqual(before);

    // Not before an earlier transfer.
    await sdk.TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.A2.id, transferredOn: '2026-03-10' } });
    const back = await errorOf((await app.sdk(world.users.coordinator.email)).TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.A1.id, transferredOn: '2026-03-09' } }));
    expect(back).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.transferredOn' });
    expect(back.message).toContain('2026-03-10');
    expect(await changesOf(student.id)).toHaveLength(1);

    // A student who left school is not transferred.
    const left = await createStudent(app.dataSource, world.schools.A1, { leftSchoolOn: '2026-02-01' });
    expect((await errorOf(sdk.TransferStudent({ input: { studentId: left.id, toSchoolId: world.schools.B1.id, transferredOn: TODAY } }))).code).toBe('CONFLICT');
    expect(await studentRow(left.id)).toEqual({ school_id: world.schools.A1.id, mentor_user_id: null, left_school_on: '2026-02-01' });
    expect(await changesOf(left.id)).toEqual([]);
  });
});

describe('transferStudent: a fault half-way leaves nothing', () => {
  let trigger: string;
  let trajectoryId: string;

  beforeAll(async () => {
    trigger = `transfer_test_${unique().replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
    await app.dataSource.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'insert into relation "trajectory_event" violates check constraint "transfer_test_rule"'; END $$`);
  });
  afterAll(async () => {
    await app.dataSource.query(`DROP TRIGGER IF EXISTS ${trigger} ON trajectory_event`);
    await app.dataSource.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
  });

  test('the running case\'s event fails after the student, the history and the case were written: nothing stays, INTERNAL_SERVER_ERROR', async () => {
    const { student, running } = await studentWithCases(Phase.INTENSIVE);
    trajectoryId = running.id;
    // Fails the event of this case's transfer only: the last write of the transfer.
    await app.dataSource.query(`CREATE TRIGGER ${trigger} BEFORE INSERT ON trajectory_event FOR EACH ROW
      WHEN (NEW.act = 'transferStudent' AND NEW.trajectory_id = '${trajectoryId}') EXECUTE FUNCTION ${trigger}()`);
    const before = { student: await studentRow(student.id), trajectory: await trajectoryRow(running.id), events: await eventsOf(running.id) };
    const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let error;
    try {
      error = await errorOf((await app.sdk(world.users.schoolA1.email)).TransferStudent({ input: { studentId: student.id, toSchoolId: world.schools.B1.id, transferredOn: TODAY } }));
    } finally {
      silenced.mockRestore();
    }
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect({ student: await studentRow(student.id), trajectory: await trajectoryRow(running.id), events: await eventsOf(running.id) }).toEqual(before);
    expect(before.student).toMatchObject({ school_id: world.schools.A1.id, mentor_user_id: world.users.mentorA1.id });
    expect(await changesOf(student.id)).toEqual([]);
    // The coordinator still has the student.
    expect((await studentAs(world.users.schoolA1.email, student.id))?.school).toEqual({ id: world.schools.A1.id });
  });
});
