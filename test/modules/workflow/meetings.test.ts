/**
 * The meetings the handbook counts the phases from, stored by the acts that record them:
 * the intro meeting (kennismakingsgesprek, `startAssessment`), the advice/start meeting
 * (advies-/startgesprek, `agreeGoals`) and the advice meeting that closes a case after the
 * assessment (adviesgesprek, `closeAfterAssessment`). For each: today is accepted, tomorrow is
 * BAD_USER_INPUT naming the field, the day before the previous step is refused and its exact
 * day accepted; a refusal writes nothing; the due dates count from the meeting, not from the
 * day of the click; the stored day reads back through GraphQL; and the dashboard's durations
 * count from the meetings.
 */
import { Trajectory } from '../../../src/app/entities';
import { addDays } from '../../../src/domain/clock';
import { Phase } from '../../../src/domain/enums';
import { caseState, trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp, TEST_NOW } from '../../setup/app';
import { errorOf } from '../../setup/errors';

let app: TestApp;
let world: World;
/** The test clock's day in Amsterdam (TEST_NOW = 2026-03-16T10:00Z). */
const TODAY = '2026-03-16';
const TOMORROW = '2026-03-17';

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());
afterEach(() => app.clock.set(TEST_NOW));

const scientist = () => app.sdk(world.users.scientistA.email);

/** Expects `call` to be refused as BAD_USER_INPUT on `field`, with the trajectory unchanged. */
async function expectRefused(trajectoryId: string, field: string, call: Promise<unknown>, mentions: string): Promise<void> {
  const before = await caseState(app.dataSource, trajectoryId);
  const error = await errorOf(call);
  expect({ code: error.code, field: error.field }).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(error.message).toContain(mentions);
  expect(await caseState(app.dataSource, trajectoryId)).toEqual(before);
}

describe('startAssessment: the intro meeting (kennismakingsgesprek)', () => {
  test('tomorrow is refused; the day before the acceptance is refused; nothing is written', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ACCEPTED, { phaseStartedOn: '2026-03-10' });
    const sdk = await scientist();
    await expectRefused(trajectory.id, 'input.introMeetingOn', sdk.MeetingStartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: TOMORROW } }), 'future');
    await expectRefused(trajectory.id, 'input.introMeetingOn', sdk.MeetingStartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: '2026-03-09' } }), '2026-03-10');
  });

  test('the day of the acceptance is accepted: stored, and the assessment is due 4 weeks after the meeting, not after the click', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ACCEPTED, { phaseStartedOn: '2026-03-10' });
    const sdk = await scientist();
    const { startAssessment: t } = await sdk.MeetingStartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: '2026-03-10' } });
    expect(t).toMatchObject({ phase: 'ASSESSMENT', introMeetingOn: '2026-03-10', startMeetingOn: null, closingMeetingOn: null, phaseDueOn: '2026-04-07', phaseLimitOn: null });
    expect(t.phaseDueOn).not.toBe(addDays(TODAY, 28));
    const { trajectory: read } = await sdk.MeetingTrajectory({ id: trajectory.id });
    expect(read).toMatchObject({ introMeetingOn: '2026-03-10', phaseDueOn: '2026-04-07' });
    const row = await app.dataSource.getRepository(Trajectory).findOneByOrFail({ id: trajectory.id });
    expect(row.introMeetingOn).toBe('2026-03-10');
  });

  test('today is accepted: due 4 weeks from today', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ACCEPTED, { phaseStartedOn: '2026-03-10' });
    const { startAssessment: t } = await (await scientist()).MeetingStartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: TODAY } });
    expect(t).toMatchObject({ introMeetingOn: TODAY, phaseDueOn: '2026-04-13' });
  });
});

describe('agreeGoals: the advice/start meeting (advies-/startgesprek)', () => {
  // Built in ASSESSMENT on 1 March: the intro meeting was on 1 March.
  const assessment = () => trajectoryIn(app.dataSource, world, Phase.ASSESSMENT, { phaseStartedOn: '2026-03-01' });

  test('tomorrow is refused; the day before the intro meeting is refused; nothing is written', async () => {
    const { trajectory } = await assessment();
    expect(trajectory.introMeetingOn).toBe('2026-03-01');
    const sdk = await scientist();
    await expectRefused(trajectory.id, 'input.meetingOn', sdk.MeetingAgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: TOMORROW } }), 'future');
    await expectRefused(trajectory.id, 'input.meetingOn', sdk.MeetingAgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: '2026-02-28' } }), '2026-03-01');
  });

  test('the day of the intro meeting is accepted: stored; due 12 weeks and limited 16 weeks after the meeting', async () => {
    const { trajectory } = await assessment();
    const sdk = await scientist();
    const { agreeGoals: t } = await sdk.MeetingAgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: '2026-03-01' } });
    expect(t).toMatchObject({ phase: 'INTENSIVE', introMeetingOn: '2026-03-01', startMeetingOn: '2026-03-01', phaseDueOn: '2026-05-24', phaseLimitOn: '2026-06-21' });
    expect(t.phaseLimitOn).not.toBe(addDays(TODAY, 112));
    const { trajectory: read } = await sdk.MeetingTrajectory({ id: trajectory.id });
    expect(read).toMatchObject({ startMeetingOn: '2026-03-01', phaseDueOn: '2026-05-24', phaseLimitOn: '2026-06-21' });
  });

  test('without a date the meeting is today', async () => {
    const { trajectory } = await assessment();
    const { agreeGoals: t } = await (await scientist()).MeetingAgreeGoals({ input: { trajectoryId: trajectory.id } });
    expect(t).toMatchObject({ startMeetingOn: TODAY, phaseDueOn: addDays(TODAY, 84), phaseLimitOn: addDays(TODAY, 112) });
  });

  test('a valid day with the act refused further on (no goal agreed yet) stores nothing', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ASSESSMENT, { phaseStartedOn: '2026-03-01', agreedGoal: false });
    const before = await caseState(app.dataSource, trajectory.id);
    const error = await errorOf((await scientist()).MeetingAgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: '2026-03-10' } }));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
    expect(before).toMatchObject({ phase: 'ASSESSMENT', meetings: { introMeetingOn: '2026-03-01', startMeetingOn: null, closingMeetingOn: null } });
  });
});

describe('closeAfterAssessment: the advice meeting (adviesgesprek) when a Toptraject does not fit', () => {
  const assessment = () => trajectoryIn(app.dataSource, world, Phase.ASSESSMENT, { phaseStartedOn: '2026-03-01' });
  const advice = 'Advies: aanmelding bij het voortgezet speciaal onderwijs.';

  test('tomorrow is refused; the day before the intro meeting is refused; nothing is written', async () => {
    const { trajectory } = await assessment();
    const sdk = await scientist();
    await expectRefused(trajectory.id, 'input.meetingOn', sdk.MeetingCloseAfterAssessment({ input: { trajectoryId: trajectory.id, adviceForOtherRoute: advice, meetingOn: TOMORROW } }), 'future');
    await expectRefused(trajectory.id, 'input.meetingOn', sdk.MeetingCloseAfterAssessment({ input: { trajectoryId: trajectory.id, adviceForOtherRoute: advice, meetingOn: '2026-02-28' } }), '2026-03-01');
  });

  test('the day of the intro meeting is accepted: stored, and care ends on it (retention from the meeting)', async () => {
    const { trajectory } = await assessment();
    const sdk = await scientist();
    const { closeAfterAssessment: t } = await sdk.MeetingCloseAfterAssessment({ input: { trajectoryId: trajectory.id, adviceForOtherRoute: advice, meetingOn: '2026-03-01' } });
    expect(t).toMatchObject({ phase: 'CLOSED', closingMeetingOn: '2026-03-01', closingReason: advice, phaseDueOn: null });
    const { trajectory: read } = await sdk.MeetingTrajectory({ id: trajectory.id });
    expect(read).toMatchObject({ closingMeetingOn: '2026-03-01' });
    const row = await app.dataSource.getRepository(Trajectory).findOneByOrFail({ id: trajectory.id });
    expect({ closingMeetingOn: row.closingMeetingOn, retentionStartsOn: row.retentionStartsOn }).toEqual({ closingMeetingOn: '2026-03-01', retentionStartsOn: '2026-03-01' });
  });

  test('without a date the meeting is today', async () => {
    const { trajectory } = await assessment();
    const { closeAfterAssessment: t } = await (await scientist()).MeetingCloseAfterAssessment({ input: { trajectoryId: trajectory.id, adviceForOtherRoute: advice } });
    expect(t).toMatchObject({ phase: 'CLOSED', closingMeetingOn: TODAY });
  });
});

describe('the dashboard counts the phases from the meetings, not from the clicks', () => {
  test('assessment from the intro meeting to the advice/start meeting (28 days, clicks 31), intensive from that meeting to consolidation (84 days, clicks 73)', async () => {
    // A partnership of its own, so this trajectory is the only one with these durations.
    const own = await createWorld(app.dataSource);
    const { trajectory } = await trajectoryIn(app.dataSource, own, Phase.ACCEPTED, {
      phaseStartedOn: '2026-01-05', now: new Date('2026-01-05T10:00:00Z'), agreedGoal: true, handoverAdvice: true,
    });
    const sdk = await app.sdk(own.users.scientistA.email);
    app.clock.set(new Date('2026-01-20T10:00:00Z'));
    await sdk.MeetingStartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: '2026-01-12' } });
    app.clock.set(new Date('2026-02-20T10:00:00Z'));
    await sdk.MeetingAgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: '2026-02-09' } });
    app.clock.set(new Date('2026-05-04T10:00:00Z'));
    await sdk.StartConsolidation({ input: { trajectoryId: trajectory.id } });

    const coordinator = await app.sdk(own.users.coordinator.email);
    const { dashboard } = await coordinator.MeetingDurations({ filter: { from: '2026-01-01', until: '2026-05-04', bucket: 'SCHOOL_YEAR' } });
    const whole = (measure: string) => dashboard.timeliness!.cells.filter((c) => c.measure === measure && c.scopeLevel === 'ALL' && c.bucket === '2025/2026').map((c) => ({ value: c.value, n: c.n }));
    expect(whole('DURATION_ASSESSMENT')).toEqual([{ value: 28, n: 1 }]);
    expect(whole('DURATION_INTENSIVE')).toEqual([{ value: 84, n: 1 }]);
  });
});

describe('cancellation grounds of the handbook (CancellationReason)', () => {
  test.each(['REGULAR_EDUCATION_NOT_FEASIBLE', 'NEEDS_VERY_INTENSIVE_CARE', 'NOT_MOTIVATED'] as const)(
    '%s: the explanation is optional; stored and read back through GraphQL',
    async (reason) => {
      const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
      const sdk = await scientist();
      const { cancelTrajectory } = await sdk.CancelTrajectory({ input: { trajectoryId: trajectory.id, reason } });
      expect(cancelTrajectory).toMatchObject({ phase: 'CANCELLED', cancellationReason: reason, closingReason: null });
      const { body } = await app.gql(world.users.scientistA.email, 'query($id: ID!) { trajectory(id: $id) { cancellationReason closingReason } }', { id: trajectory.id });
      expect(body.data).toEqual({ trajectory: { cancellationReason: reason, closingReason: null } });
    },
  );

  test('with an explanation it is kept as the closing reason; OTHER still needs one (nothing written without)', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const sdk = await scientist();
    const before = await caseState(app.dataSource, trajectory.id);
    const error = await errorOf(sdk.CancelTrajectory({ input: { trajectoryId: trajectory.id, reason: 'OTHER' } }));
    expect({ code: error.code, field: error.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'input.explanation' });
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
    const explanation = 'Overstap naar het voortgezet speciaal onderwijs per 1 april.';
    const { cancelTrajectory } = await sdk.CancelTrajectory({ input: { trajectoryId: trajectory.id, reason: 'REGULAR_EDUCATION_NOT_FEASIBLE', explanation } });
    expect(cancelTrajectory).toMatchObject({ cancellationReason: 'REGULAR_EDUCATION_NOT_FEASIBLE', closingReason: explanation });
  });
});
