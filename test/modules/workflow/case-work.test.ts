/**
 * The work during a trajectory, through HTTP with the typed SDK: goals and
 * their progress, evaluations ("do more of what works, stop what does not"), hand-over
 * advice, team-internal notes by members of the assigned team, and absence registered by
 * the school. Each stores what it should, records one event without case text, and is
 * refused for a trajectory of another team (NOT_FOUND), after the care consent was withdrawn
 * (FORBIDDEN: the team still sees the trajectory row), and for bad input (BAD_USER_INPUT
 * naming the field), writing nothing.
 */
import { User } from '../../../src/app/entities';
import { ConsentPurpose, HandoverRecipient, Phase, Role, TeamFunction } from '../../../src/domain/enums';
import { createUser } from '../../factories';
import { caseState, recordCounts, trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp } from '../../setup/app';
import { errorOf } from '../../setup/errors';

let app: TestApp;
let world: World;
let teacherA: User;
const TODAY = '2026-03-16';

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
  teacherA = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
});
afterAll(() => app.stop());

const teacher = () => app.sdk(teacherA.email);
const school = () => app.sdk(world.users.schoolA1.email);

/** The events recorded on a trajectory after the first `skip` (the factory's history). */
async function eventsAfter(trajectoryId: string, skip: number) {
  const rows: Array<{ act: string; from_phase: string; to_phase: string; actor_user_id: string; reason: string | null }> = await app.dataSource.query(
    'SELECT act, from_phase, to_phase, actor_user_id, reason FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence',
    [trajectoryId],
  );
  return rows.slice(skip);
}

describe('as a teacher (TEAM_MEMBER) of the assigned team TA', () => {
  test('addGoal stores the goal with its agreements, NOT_STARTED, and records addGoal without case text', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ASSESSMENT, { agreedGoal: false });
    const history = (await caseState(app.dataSource, trajectory.id)).records.events.length;
    const { addGoal: goal } = await (await teacher()).AddGoal({
      input: { trajectoryId: trajectory.id, expectedVersion: 1, description: '  Attends every Monday.  ', agreedWithStudent: true, agreedWithParents: false, agreedWithSchool: true },
    });
    expect(goal).toMatchObject({
      description: 'Attends every Monday.', agreedWithStudent: true, agreedWithParents: false, agreedWithSchool: true, progress: 'NOT_STARTED', progressNote: null,
      // An addition leaves the trajectory's version alone.
      trajectory: { id: trajectory.id, version: 1 },
    });
    const [row] = await app.dataSource.query('SELECT partnership_id, trajectory_id FROM goal WHERE id = $1', [goal.id]);
    expect(row).toEqual({ partnership_id: world.partnership.id, trajectory_id: trajectory.id });
    expect(await eventsAfter(trajectory.id, history)).toEqual([{ act: 'addGoal', from_phase: 'ASSESSMENT', to_phase: 'ASSESSMENT', actor_user_id: teacherA.id, reason: null }]);
  });

  test('updateGoalProgress sets progress and note; a later update without a note clears it', async () => {
    const { trajectory, goal } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const sdk = await teacher();
    const first = (await sdk.UpdateGoalProgress({ input: { goalId: goal!.id, progress: 'IN_PROGRESS', progressNote: 'Two of three Mondays.' } })).updateGoalProgress;
    expect(first).toMatchObject({ id: goal!.id, description: goal!.description, progress: 'IN_PROGRESS', progressNote: 'Two of three Mondays.', trajectory: { id: trajectory.id, version: 2 } });
    const second = (await sdk.UpdateGoalProgress({ input: { goalId: goal!.id, expectedVersion: 2, progress: 'ACHIEVED' } })).updateGoalProgress;
    expect(second).toMatchObject({ progress: 'ACHIEVED', progressNote: null, trajectory: { version: 3 } });
    const [row] = await app.dataSource.query('SELECT progress, progress_note FROM goal WHERE id = $1', [goal!.id]);
    expect(row).toEqual({ progress: 'ACHIEVED', progress_note: null });
    expect((await eventsAfter(trajectory.id, 0)).filter((e) => e.act === 'updateGoalProgress')).toHaveLength(2);
  });

  test('recordEvaluation stores what works and what to stop, dated, with the author; summary optional', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const sdk = await teacher();
    const { recordEvaluation: e } = await sdk.RecordEvaluation({
      input: { trajectoryId: trajectory.id, evaluatedOn: TODAY, whatWorks: 'Morning check-in.', whatToStop: 'Long phone calls.', summary: 'On track.' },
    });
    expect(e).toMatchObject({ evaluatedOn: TODAY, whatWorks: 'Morning check-in.', whatToStop: 'Long phone calls.', summary: 'On track.', trajectory: { id: trajectory.id } });
    const { recordEvaluation: bare } = await sdk.RecordEvaluation({ input: { trajectoryId: trajectory.id, evaluatedOn: '2026-03-02', whatWorks: 'a', whatToStop: 'b' } });
    expect(bare.summary).toBeNull();
    const [row] = await app.dataSource.query('SELECT author_user_id FROM evaluation WHERE id = $1', [e.id]);
    expect(row.author_user_id).toBe(teacherA.id);
    const { trajectory: read } = await sdk.WorkflowTrajectory({ id: trajectory.id });
    expect(read!.evaluations!.edges.map((x) => x.node.id).sort()).toEqual([e.id, bare.id].sort());
  });

  test('addHandoverAdvice stores the advice with its recipient, written today and not yet in the OPP; Trajectory.handoverAdvice lists it, oldest first', async () => {
    const { trajectory, handoverAdvice: existing } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const sdk = await teacher();
    const history = (await caseState(app.dataSource, trajectory.id)).records.events.length;
    const { addHandoverAdvice: a } = await sdk.AddHandoverAdvice({ input: { trajectoryId: trajectory.id, advice: 'Keep the morning check-in.', recipient: HandoverRecipient.SCHOOL } });
    expect(a).toMatchObject({
      advice: 'Keep the morning check-in.', writtenOn: TODAY, recipient: 'SCHOOL', recipientName: null, takenIntoOppOn: null, addedToDevelopmentPlan: false, trajectory: { id: trajectory.id },
    });
    const { addHandoverAdvice: b } = await sdk.AddHandoverAdvice({
      input: { trajectoryId: trajectory.id, advice: 'Same evening routine as at school.', recipient: HandoverRecipient.NETWORK_PARTNER, recipientName: ' Buurtteam Oost ' },
    });
    expect(b).toMatchObject({ recipient: 'NETWORK_PARTNER', recipientName: 'Buurtteam Oost', takenIntoOppOn: null });
    const { addHandoverAdvice: c } = await sdk.AddHandoverAdvice({ input: { trajectoryId: trajectory.id, advice: 'Praise concretely.', recipient: HandoverRecipient.HOME } });
    expect(c).toMatchObject({ recipient: 'HOME', recipientName: null });
    expect((await eventsAfter(trajectory.id, history)).map((e) => e.act)).toEqual(['addHandoverAdvice', 'addHandoverAdvice', 'addHandoverAdvice']);
    const { trajectory: read } = await sdk.WorkflowTrajectory({ id: trajectory.id });
    expect(read!.handoverAdvice!.totalCount).toBe(4);
    expect(read!.handoverAdvice!.edges.map((x) => x.node.id)).toEqual([existing!.id, a.id, b.id, c.id]);
  });

  test('addHandoverAdvice: a recipient name for the school or home is BAD_USER_INPUT naming input.recipientName, and writes nothing', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const before = await caseState(app.dataSource, trajectory.id);
    for (const recipient of [HandoverRecipient.SCHOOL, HandoverRecipient.HOME]) {
      const error = await errorOf((await teacher()).AddHandoverAdvice({ input: { trajectoryId: trajectory.id, advice: 'a', recipient, recipientName: 'Buurtteam' } }));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipientName' });
    }
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });

  test('addNote stores a team-internal note: the team reads it, the school coordinator does not', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.CONSOLIDATION);
    const { addNote: n } = await (await teacher()).AddNote({ input: { trajectoryId: trajectory.id, body: 'Called the mentor.' } });
    expect(n).toMatchObject({ body: 'Called the mentor.', trajectory: { id: trajectory.id } });
    const [row] = await app.dataSource.query('SELECT author_user_id FROM note WHERE id = $1', [n.id]);
    expect(row.author_user_id).toBe(teacherA.id);
    const byTeam = (await (await app.sdk(world.users.scientistA.email)).WorkflowTrajectory({ id: trajectory.id })).trajectory!;
    expect(byTeam.notes!.edges.map((x) => x.node.body)).toContain('Called the mentor.');
    const bySchool = (await (await school()).WorkflowTrajectory({ id: trajectory.id })).trajectory!;
    expect(bySchool.id).toBe(trajectory.id);
    expect(bySchool.notes!.totalCount).toBe(0);
  });

  test('a stale expectedVersion is CONFLICT and writes nothing', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const before = await caseState(app.dataSource, trajectory.id);
    expect((await errorOf((await teacher()).AddNote({ input: { trajectoryId: trajectory.id, expectedVersion: 2, body: 'x' } }))).code).toBe('CONFLICT');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });
});

describe('registerAbsence, by the school coordinator (the school keeps that duty)', () => {
  test('as coordinator of school A1, registers absence on its student\'s trajectory; Trajectory.absences lists it for the school and the team', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const history = (await caseState(app.dataSource, trajectory.id)).records.events.length;
    const { registerAbsence: a } = await (await school()).RegisterAbsence({
      input: { trajectoryId: trajectory.id, absentOn: '2026-03-13', lessonsMissed: 3, authorised: false, note: ' Overslept. ' },
    });
    expect(a).toMatchObject({ absentOn: '2026-03-13', lessonsMissed: 3, authorised: false, note: 'Overslept.', trajectory: { id: trajectory.id } });
    const [row] = await app.dataSource.query('SELECT registered_by_user_id, partnership_id FROM absence_registration WHERE id = $1', [a.id]);
    expect(row).toEqual({ registered_by_user_id: world.users.schoolA1.id, partnership_id: world.partnership.id });
    expect(await eventsAfter(trajectory.id, history)).toEqual([{ act: 'registerAbsence', from_phase: 'INTENSIVE', to_phase: 'INTENSIVE', actor_user_id: world.users.schoolA1.id, reason: null }]);
    for (const subject of [world.users.schoolA1.email, teacherA.email]) {
      const { trajectory: read } = await (await app.sdk(subject)).WorkflowTrajectory({ id: trajectory.id });
      expect(read!.absences!.edges.map((x) => x.node)).toEqual([{ id: a.id, absentOn: '2026-03-13', lessonsMissed: 3, authorised: false, note: 'Overslept.' }]);
    }
  });

  test('as a member of the assigned team (gedragswetenschapper, teacher): FORBIDDEN; as coordinator of school B1: NOT_FOUND; nothing written', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ASSESSMENT);
    const before = await caseState(app.dataSource, trajectory.id);
    const input = { trajectoryId: trajectory.id, absentOn: TODAY, lessonsMissed: 1, authorised: true };
    const codes = [];
    for (const u of [world.users.scientistA, teacherA, world.users.schoolB1]) codes.push((await errorOf((await app.sdk(u.email)).RegisterAbsence({ input }))).code);
    expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND']);
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
    // Positive control: the school can.
    expect((await (await school()).RegisterAbsence({ input })).registerAbsence.lessonsMissed).toBe(1);
  });

  test('the school keeps registering absence after the care consent was withdrawn (its own duty, not care by the Topteam)', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE, { consents: [ConsentPurpose.SHARE_WITH_PARTNERSHIP], withdrawn: [ConsentPurpose.CARE_BY_TOPTEAM] });
    const { registerAbsence: a } = await (await school()).RegisterAbsence({ input: { trajectoryId: trajectory.id, absentOn: TODAY, lessonsMissed: 2, authorised: true } });
    expect(a.lessonsMissed).toBe(2);
  });
});

describe('refusals', () => {
  /** Every case-work call of a team member on `trajectoryId` (and a goal of it), with valid input. */
  function teamCalls(trajectoryId: string, goalId: string) {
    return {
      addGoal: (s: Awaited<ReturnType<typeof teacher>>) => s.AddGoal({ input: { trajectoryId, description: 'x', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true } }),
      updateGoalProgress: (s: Awaited<ReturnType<typeof teacher>>) => s.UpdateGoalProgress({ input: { goalId, progress: 'IN_PROGRESS' } }),
      recordEvaluation: (s: Awaited<ReturnType<typeof teacher>>) => s.RecordEvaluation({ input: { trajectoryId, evaluatedOn: TODAY, whatWorks: 'a', whatToStop: 'b' } }),
      addHandoverAdvice: (s: Awaited<ReturnType<typeof teacher>>) => s.AddHandoverAdvice({ input: { trajectoryId, advice: 'a', recipient: HandoverRecipient.SCHOOL } }),
      addNote: (s: Awaited<ReturnType<typeof teacher>>) => s.AddNote({ input: { trajectoryId, body: 'a' } }),
    };
  }

  test('as a teacher of team TA, every case-work act on a trajectory of team TB is NOT_FOUND and writes nothing; the teacher of TB can', async () => {
    const { trajectory, goal } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE, { school: world.schools.B1, team: world.teams.TB });
    const before = await caseState(app.dataSource, trajectory.id);
    const calls = teamCalls(trajectory.id, goal!.id);
    const sdk = await teacher();
    const codes: Record<string, string> = {};
    for (const [name, call] of Object.entries(calls)) codes[name] = (await errorOf(call(sdk))).code;
    expect(codes).toEqual({ addGoal: 'NOT_FOUND', updateGoalProgress: 'NOT_FOUND', recordEvaluation: 'NOT_FOUND', addHandoverAdvice: 'NOT_FOUND', addNote: 'NOT_FOUND' });
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
    // Positive control: the teacher of team TB does all five.
    const own = await app.sdk(world.users.teacherB.email);
    for (const call of Object.values(calls)) await call(own);
    expect(recordCounts(await caseState(app.dataSource, trajectory.id))).toMatchObject({ goals: 2, evaluations: 1, handoverAdvice: 2, notes: 1, events: before.records.events.length + 5 });
  });

  test('as a teacher of team TA, after the care consent was withdrawn: the trajectory row is still visible, every act that addresses it is FORBIDDEN, the goal (a case record) is hidden: NOT_FOUND; nothing written', async () => {
    const { trajectory, goal } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE, { consents: [ConsentPurpose.SHARE_WITH_PARTNERSHIP], withdrawn: [ConsentPurpose.CARE_BY_TOPTEAM] });
    const before = await caseState(app.dataSource, trajectory.id);
    const sdk = await teacher();
    const { trajectory: row } = await sdk.WorkflowTrajectory({ id: trajectory.id });
    expect(row).toMatchObject({ id: trajectory.id, phase: 'INTENSIVE' });
    expect(row!.goals).toBeNull(); // a stub: no case records once the care consent is withdrawn
    const codes: Record<string, string> = {};
    for (const [name, call] of Object.entries(teamCalls(trajectory.id, goal!.id))) codes[name] = (await errorOf(call(sdk))).code;
    expect(codes).toEqual({ addGoal: 'FORBIDDEN', updateGoalProgress: 'NOT_FOUND', recordEvaluation: 'FORBIDDEN', addHandoverAdvice: 'FORBIDDEN', addNote: 'FORBIDDEN' });
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });

  test.each([
    ['recordEvaluation, evaluatedOn tomorrow', 'input.evaluatedOn', (id: string) => ({ op: 'RecordEvaluation', input: { trajectoryId: id, evaluatedOn: '2026-03-17', whatWorks: 'a', whatToStop: 'b' } })],
    ['recordEvaluation, empty whatWorks', 'input.whatWorks', (id: string) => ({ op: 'RecordEvaluation', input: { trajectoryId: id, evaluatedOn: TODAY, whatWorks: '', whatToStop: 'b' } })],
    ['recordEvaluation, blank whatToStop', 'input.whatToStop', (id: string) => ({ op: 'RecordEvaluation', input: { trajectoryId: id, evaluatedOn: TODAY, whatWorks: 'a', whatToStop: '  ' } })],
    ['addGoal, empty description', 'input.description', (id: string) => ({ op: 'AddGoal', input: { trajectoryId: id, description: '', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true } })],
    ['addGoal, blank description', 'input.description', (id: string) => ({ op: 'AddGoal', input: { trajectoryId: id, description: ' \n ', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true } })],
    ['addHandoverAdvice, empty advice', 'input.advice', (id: string) => ({ op: 'AddHandoverAdvice', input: { trajectoryId: id, advice: '', recipient: 'SCHOOL' } })],
    ['addNote, blank body', 'input.body', (id: string) => ({ op: 'AddNote', input: { trajectoryId: id, body: '   ' } })],
    ['addNote, malformed trajectoryId', 'input.trajectoryId', () => ({ op: 'AddNote', input: { trajectoryId: 'not-an-id', body: 'a' } })],
    ['updateGoalProgress, malformed goalId', 'input.goalId', () => ({ op: 'UpdateGoalProgress', input: { goalId: 'nope', progress: 'ACHIEVED' } })],
    ['registerAbsence, lessonsMissed 0', 'input.lessonsMissed', (id: string) => ({ op: 'RegisterAbsence', input: { trajectoryId: id, absentOn: TODAY, lessonsMissed: 0, authorised: true }, school: true })],
    ['registerAbsence, lessonsMissed 21', 'input.lessonsMissed', (id: string) => ({ op: 'RegisterAbsence', input: { trajectoryId: id, absentOn: TODAY, lessonsMissed: 21, authorised: true }, school: true })],
    ['registerAbsence, absentOn tomorrow', 'input.absentOn', (id: string) => ({ op: 'RegisterAbsence', input: { trajectoryId: id, absentOn: '2026-03-17', lessonsMissed: 1, authorised: true }, school: true })],
  ] as Array<[string, string, (id: string) => { op: string; input: Record<string, unknown>; school?: boolean }]>)(
    'bad input: %s is BAD_USER_INPUT naming %s, nothing written',
    async (_label, field, make) => {
      const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
      const before = await caseState(app.dataSource, trajectory.id);
      const { op, input, school: bySchool } = make(trajectory.id);
      const sdk = (await app.sdk(bySchool ? world.users.schoolA1.email : teacherA.email)) as unknown as Record<string, (v: unknown) => Promise<unknown>>;
      expect(await errorOf(sdk[op]({ input }))).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
    },
  );

  test('bad input positive control: the boundary values are accepted (lessonsMissed 1 and 20, dated today)', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const sdk = await school();
    for (const lessonsMissed of [1, 20]) {
      expect((await sdk.RegisterAbsence({ input: { trajectoryId: trajectory.id, absentOn: TODAY, lessonsMissed, authorised: true } })).registerAbsence.lessonsMissed).toBe(lessonsMissed);
    }
    expect((await (await teacher()).RecordEvaluation({ input: { trajectoryId: trajectory.id, evaluatedOn: TODAY, whatWorks: 'a', whatToStop: 'b' } })).recordEvaluation.evaluatedOn).toBe(TODAY);
  });
});

describe('additions never conflict with each other; acts that change the case still use the version', () => {
  test('six members of the team add a note to one case at the same moment, without expectedVersion: all six land, the version stays', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const members = [world.users.scientistA, teacherA];
    for (let i = 0; i < 4; i++) {
      members.push(await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: i % 2 ? TeamFunction.TEACHER : TeamFunction.CARE_WORKER }]]));
    }
    const sdks = await Promise.all(members.map((m) => app.sdk(m.email)));
    const results = await Promise.allSettled(sdks.map((sdk, i) => sdk.AddNote({ input: { trajectoryId: trajectory.id, body: `Notitie ${i}` } })));
    expect(results.map((r) => r.status)).toEqual(members.map(() => 'fulfilled'));
    const state = await caseState(app.dataSource, trajectory.id);
    expect(state.version).toBe(trajectory.version);
    expect(recordCounts(state).notes).toBe(6);
  });

  test('a goal and a cancellation at the same moment: the goal lands before the cancellation or is refused after it, never on the cancelled case', async () => {
    for (let round = 0; round < 5; round++) {
      const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
      const scientist = await app.sdk(world.users.scientistA.email);
      // A goal may be added to a running case only (a note may be added after the end too).
      const [goal, cancel] = await Promise.allSettled([
        (await teacher()).AddGoal({ input: { trajectoryId: trajectory.id, description: 'Komt op tijd.', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true } }),
        scientist.CancelTrajectory({ input: { trajectoryId: trajectory.id, expectedVersion: trajectory.version, reason: 'OTHER' as never, explanation: 'Verhuisd.' } }),
      ]);
      // The cancellation never conflicts with the addition, whatever the order.
      expect(cancel.status).toBe('fulfilled');
      const events: Array<{ act: string }> = await app.dataSource.query('SELECT act FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence', [trajectory.id]);
      const acts = events.map((e) => e.act);
      if (goal.status === 'fulfilled') {
        // Landed while the case was still running: its event precedes the cancellation's.
        expect(acts.lastIndexOf('addGoal')).toBeLessThan(acts.indexOf('cancelTrajectory'));
      } else {
        expect((goal.reason as { response?: { errors?: Array<{ extensions?: { code?: string } }> } }).response?.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
        const goals: Array<{ n: number }> = await app.dataSource.query(`SELECT count(*)::int AS n FROM goal WHERE trajectory_id = $1 AND description = 'Komt op tijd.'`, [trajectory.id]);
        expect(goals[0].n).toBe(0);
      }
    }
  });

  test('an addition with a stale expectedVersion (the case was moved on since) is still CONFLICT and writes nothing', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    await app.dataSource.query('UPDATE trajectory SET version = version + 1 WHERE id = $1', [trajectory.id]);
    const before = await caseState(app.dataSource, trajectory.id);
    const error = await errorOf((await teacher()).AddNote({ input: { trajectoryId: trajectory.id, expectedVersion: trajectory.version, body: 'x' } }));
    expect(error.code).toBe('CONFLICT');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });
});
