/**
 * Hand-over advice taken into the OPP, and the cooperation agreements (samenwerkingsafspraken),
 * through HTTP with the typed SDK: who may (the school coordinator of the student's school or the
 * assigned team; the team alone for the agreements), the dates checked (not in the future, not
 * before the advice was written), once (CONFLICT), one event per act and an access-log entry,
 * and nothing written on a refusal or a fault mid-change.
 */
import { User } from '../../../src/app/entities';
import { addDays } from '../../../src/domain/clock';
import { Phase, Role, TeamFunction } from '../../../src/domain/enums';
import { createUser } from '../../factories';
import { caseState, trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp } from '../../setup/app';
import { errorOf } from '../../setup/errors';

let app: TestApp;
let world: World;
let teacherA: User;
/** The test clock's day in Amsterdam (TEST_NOW = 2026-03-16T10:00Z). */
const TODAY = '2026-03-16';

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
  teacherA = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
});
afterAll(() => app.stop());

const sdkOf = (user: User) => app.sdk(user.email);

/** The events recorded on a trajectory after the first `skip`. */
async function eventsAfter(trajectoryId: string, skip: number) {
  const rows: Array<{ act: string; from_phase: string; to_phase: string; actor_user_id: string; reason: string | null }> = await app.dataSource.query(
    'SELECT act, from_phase, to_phase, actor_user_id, reason FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence',
    [trajectoryId],
  );
  return rows.slice(skip);
}

/** The newest access-log entry of `user` that covers the trajectory (an entry about its student, src/audit/access-recorder.ts). */
async function lastLogEntry(userId: string, trajectoryId: string) {
  const [row] = await app.dataSource.query(
    'SELECT action, outcome, object_type, object_id, objects, fields FROM access_log_entry WHERE user_id = $1 AND $2 = ANY(objects) ORDER BY sequence DESC LIMIT 1',
    [userId, `Trajectory:${trajectoryId}`],
  );
  return row;
}

/** Runs `fn` with a trigger that makes `statement` on `table` fail for rows of this trajectory. */
async function withFault<T>(table: string, timing: 'INSERT' | 'UPDATE', trajectoryId: string, fn: () => Promise<T>): Promise<T> {
  await app.dataSource.query(`CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`);
  await app.dataSource.query(`CREATE TRIGGER test_fault BEFORE ${timing} ON "${table}" FOR EACH ROW WHEN (NEW.trajectory_id = '${trajectoryId}') EXECUTE FUNCTION test_fault()`);
  try {
    return await fn();
  } finally {
    await app.dataSource.query(`DROP TRIGGER test_fault ON "${table}"`);
    await app.dataSource.query('DROP FUNCTION test_fault()');
  }
}

describe('markHandoverAdviceTakenIntoOpp', () => {
  test('as the school coordinator of the student\'s school: sets the day once, raises the version, records one event and a CHANGE in the access log', async () => {
    const { trajectory, handoverAdvice } = await trajectoryIn(app.dataSource, world, Phase.CONSOLIDATION);
    const before = await caseState(app.dataSource, trajectory.id);
    const takenOn = addDays(TODAY, -2);
    const { markHandoverAdviceTakenIntoOpp: a } = await (await sdkOf(world.users.schoolA1)).MarkHandoverAdviceTakenIntoOpp({
      input: { handoverAdviceId: handoverAdvice!.id, takenOn, expectedVersion: before.version },
    });
    expect(a).toMatchObject({ id: handoverAdvice!.id, takenIntoOppOn: takenOn, addedToDevelopmentPlan: true, recipient: 'SCHOOL', trajectory: { id: trajectory.id, version: before.version + 1 } });
    expect(await eventsAfter(trajectory.id, before.records.events.length)).toEqual([
      { act: 'markHandoverAdviceTakenIntoOpp', from_phase: 'CONSOLIDATION', to_phase: 'CONSOLIDATION', actor_user_id: world.users.schoolA1.id, reason: null },
    ]);
    const entry = await lastLogEntry(world.users.schoolA1.id, trajectory.id);
    expect(entry).toMatchObject({ action: 'CHANGE', outcome: 'ALLOWED', object_type: 'Student', object_id: trajectory.studentId, objects: [`Trajectory:${trajectory.id}`] });
    expect(entry.fields).toEqual(expect.arrayContaining(['HandoverAdvice.takenIntoOppOn']));

    // Once: a second mark, by anyone, is CONFLICT and changes nothing.
    const marked = await caseState(app.dataSource, trajectory.id);
    for (const user of [world.users.schoolA1, world.users.scientistA]) {
      const error = await errorOf((await sdkOf(user)).MarkHandoverAdviceTakenIntoOpp({ input: { handoverAdviceId: handoverAdvice!.id, takenOn: TODAY } }));
      expect(error.code).toBe('CONFLICT');
    }
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(marked);
  });

  test('a member of the assigned team may record it too, also after the trajectory was completed', async () => {
    const { trajectory, handoverAdvice } = await trajectoryIn(app.dataSource, world, Phase.COMPLETED);
    const { markHandoverAdviceTakenIntoOpp: a } = await (await sdkOf(teacherA)).MarkHandoverAdviceTakenIntoOpp({ input: { handoverAdviceId: handoverAdvice!.id, takenOn: TODAY } });
    expect(a.takenIntoOppOn).toBe(TODAY);
    const [row] = await app.dataSource.query('SELECT taken_into_opp_on::text AS d FROM handover_advice WHERE id = $1', [handoverAdvice!.id]);
    expect(row.d).toBe(TODAY);
    expect((await eventsAfter(trajectory.id, 0)).pop()).toMatchObject({ act: 'markHandoverAdviceTakenIntoOpp', actor_user_id: teacherA.id, from_phase: 'COMPLETED' });
  });

  test('a day in the future or before the advice was written is BAD_USER_INPUT naming input.takenOn; nothing is written', async () => {
    const { trajectory, handoverAdvice } = await trajectoryIn(app.dataSource, world, Phase.CONSOLIDATION, { phaseStartedOn: '2026-03-09' });
    const before = await caseState(app.dataSource, trajectory.id);
    const sdk = await sdkOf(world.users.schoolA1);
    const future = await errorOf(sdk.MarkHandoverAdviceTakenIntoOpp({ input: { handoverAdviceId: handoverAdvice!.id, takenOn: addDays(TODAY, 1) } }));
    expect(future).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.takenOn' });
    const early = await errorOf(sdk.MarkHandoverAdviceTakenIntoOpp({ input: { handoverAdviceId: handoverAdvice!.id, takenOn: '2026-03-08' } }));
    expect(early).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.takenOn' });
    expect(early.message).toContain('2026-03-09');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
    // The day it was written is fine.
    expect((await sdk.MarkHandoverAdviceTakenIntoOpp({ input: { handoverAdviceId: handoverAdvice!.id, takenOn: '2026-03-09' } })).markHandoverAdviceTakenIntoOpp.takenIntoOppOn).toBe('2026-03-09');
  });

  test('refused: the mentor (sees the advice) FORBIDDEN, the school coordinator of B1 and the programme coordinator NOT_FOUND, in ASSESSMENT-less INTENSIVE a stale version CONFLICT; nothing written', async () => {
    const { trajectory, handoverAdvice } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE, { mentor: world.users.mentorA1 });
    const before = await caseState(app.dataSource, trajectory.id);
    const input = { handoverAdviceId: handoverAdvice!.id, takenOn: TODAY };
    const codes: Record<string, string> = {};
    for (const key of ['mentorA1', 'schoolB1', 'coordinator', 'advisorA', 'teacherB'] as const) {
      codes[key] = (await errorOf((await sdkOf(world.users[key])).MarkHandoverAdviceTakenIntoOpp({ input }))).code;
    }
    codes.stale = (await errorOf((await sdkOf(world.users.schoolA1)).MarkHandoverAdviceTakenIntoOpp({ input: { ...input, expectedVersion: before.version + 5 } }))).code;
    expect(codes).toEqual({ mentorA1: 'FORBIDDEN', schoolB1: 'NOT_FOUND', coordinator: 'NOT_FOUND', advisorA: 'NOT_FOUND', teacherB: 'NOT_FOUND', stale: 'CONFLICT' });
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });

  test('a fault after the version was raised and the event written leaves nothing behind', async () => {
    const { trajectory, handoverAdvice } = await trajectoryIn(app.dataSource, world, Phase.CONSOLIDATION);
    const before = await caseState(app.dataSource, trajectory.id);
    const error = await withFault('handover_advice', 'UPDATE', trajectory.id, async () =>
      errorOf((await sdkOf(world.users.schoolA1)).MarkHandoverAdviceTakenIntoOpp({ input: { handoverAdviceId: handoverAdvice!.id, takenOn: TODAY } })));
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });
});

describe('recordCooperationAgreements', () => {
  const agreements = (trajectoryId: string, expectedVersion: number) => ({
    trajectoryId, expectedVersion, agreedOn: addDays(TODAY, -3), teachers: [' Mw. De Vries (wiskunde) ', 'Dhr. Ait (Engels)'], mentor: ' Dhr. Bakker ',
    careCoordinator: 'Mw. Jansen', management: '', agreements: ' Weekly check-in on Monday. ',
  });

  test('as a team member in INTENSIVE: stored on the trajectory (trimmed, empty names null), version raised, one event; the school coordinator reads them, the mentor and the programme coordinator do not', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE, { mentor: world.users.mentorA1 });
    const before = await caseState(app.dataSource, trajectory.id);
    const { recordCooperationAgreements: t } = await (await sdkOf(teacherA)).RecordCooperationAgreements({ input: agreements(trajectory.id, before.version) });
    const stored = {
      agreedOn: '2026-03-13', teachers: ['Mw. De Vries (wiskunde)', 'Dhr. Ait (Engels)'], mentor: 'Dhr. Bakker', careCoordinator: 'Mw. Jansen', management: null,
      agreements: 'Weekly check-in on Monday.',
    };
    expect(t).toEqual({ id: trajectory.id, version: before.version + 1, phase: 'INTENSIVE', cooperationAgreements: stored });
    expect(await eventsAfter(trajectory.id, before.records.events.length)).toEqual([
      { act: 'recordCooperationAgreements', from_phase: 'INTENSIVE', to_phase: 'INTENSIVE', actor_user_id: teacherA.id, reason: null },
    ]);
    const entry = await lastLogEntry(teacherA.id, trajectory.id);
    expect(entry).toMatchObject({ action: 'CHANGE', object_type: 'Student', object_id: trajectory.studentId, objects: [`Trajectory:${trajectory.id}`] });
    expect(entry.fields).toEqual(expect.arrayContaining(['Trajectory.cooperationAgreements']));
    const readAs = async (user: User) => (await (await sdkOf(user)).WorkflowTrajectory({ id: trajectory.id })).trajectory?.cooperationAgreements ?? null;
    expect({
      school: await readAs(world.users.schoolA1), mentor: await readAs(world.users.mentorA1), coordinator: await readAs(world.users.coordinator),
    }).toEqual({ school: stored, mentor: null, coordinator: null });

    // A newer set replaces it, at the new version; the old version is CONFLICT.
    const stale = await errorOf((await sdkOf(world.users.scientistA)).RecordCooperationAgreements({ input: { ...agreements(trajectory.id, before.version), agreements: 'Other.' } }));
    expect(stale.code).toBe('CONFLICT');
    const { recordCooperationAgreements: again } = await (await sdkOf(world.users.scientistA)).RecordCooperationAgreements({
      input: { ...agreements(trajectory.id, before.version + 1), teachers: [], agreements: 'Fortnightly.' },
    });
    expect(again.cooperationAgreements).toMatchObject({ teachers: [], agreements: 'Fortnightly.' });
  });

  test('at the start meeting (ASSESSMENT) too; in CONSOLIDATION INVALID_TRANSITION; nothing written', async () => {
    const assessment = await trajectoryIn(app.dataSource, world, Phase.ASSESSMENT);
    const ok = await (await sdkOf(world.users.scientistA)).RecordCooperationAgreements({ input: agreements(assessment.trajectory.id, assessment.trajectory.version) });
    expect(ok.recordCooperationAgreements.cooperationAgreements?.agreedOn).toBe('2026-03-13');
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.CONSOLIDATION);
    const before = await caseState(app.dataSource, trajectory.id);
    const error = await errorOf((await sdkOf(world.users.scientistA)).RecordCooperationAgreements({ input: agreements(trajectory.id, before.version) }));
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { phase: 'CONSOLIDATION' } });
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });

  test('bad input is BAD_USER_INPUT naming the field (a day in the future, a blank teacher, blank agreements); the school coordinator is FORBIDDEN; nothing written', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const before = await caseState(app.dataSource, trajectory.id);
    const sdk = await sdkOf(teacherA);
    const base = agreements(trajectory.id, before.version);
    const fields = [];
    for (const input of [{ ...base, agreedOn: addDays(TODAY, 1) }, { ...base, teachers: ['ok', '  '] }, { ...base, agreements: '   ' }]) {
      const error = await errorOf(sdk.RecordCooperationAgreements({ input }));
      fields.push([error.code, error.field]);
    }
    expect(fields).toEqual([['BAD_USER_INPUT', 'input.agreedOn'], ['BAD_USER_INPUT', 'input.teachers'], ['BAD_USER_INPUT', 'input.agreements']]);
    expect((await errorOf((await sdkOf(world.users.schoolA1)).RecordCooperationAgreements({ input: base }))).code).toBe('FORBIDDEN');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });

  test('a fault when the event is written, after the trajectory was updated, leaves nothing behind', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const before = await caseState(app.dataSource, trajectory.id);
    const error = await withFault('trajectory_event', 'INSERT', trajectory.id, async () =>
      errorOf((await sdkOf(teacherA)).RecordCooperationAgreements({ input: agreements(trajectory.id, before.version) })));
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });
});
