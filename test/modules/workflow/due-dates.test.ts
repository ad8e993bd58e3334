/**
 * Due dates of the phases, through HTTP with the injectable clock:
 * a phase started by its act is due N weeks (months) later as a calendar date in
 * Europe/Amsterdam, and `overdue` (and `trajectories(filter: { overdue })`, which must agree)
 * turns true on the day after the due date, by the Amsterdam calendar: the day before and
 * the due day itself are on time, to the last second, also when that day is the day a DST
 * change happens (29 March and 25 October 2026), where a UTC or fixed-offset calendar is an
 * hour off. The norms come from PHASE_* settings.
 *
 * Instants are written in UTC with their Amsterdam local time next to them; the first test
 * checks those comments against the time-zone database, so the cases test what they say.
 */
import { addDays } from '../../../src/domain/clock';
import { Phase, Role, TeamFunction } from '../../../src/domain/enums';
import { createUser } from '../../factories';
import { trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp, TEST_NOW } from '../../setup/app';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());
afterEach(() => app.clock.set(TEST_NOW));

const LOCAL = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A UTC instant and the Amsterdam wall-clock time it is (checked), with whether the phase is overdue then. */
type Check = [utc: string, local: string, overdue: boolean];

/** Sets the clock to each instant and checks the `overdue` field and both filters. */
async function expectOverdue(trajectoryId: string, checks: Check[]): Promise<void> {
  const sdk = await app.sdk(world.users.scientistA.email);
  const seen: Array<{ local: string; field: boolean | null | undefined; inOverdueList: boolean; inOnTimeList: boolean }> = [];
  for (const [utc, local] of checks) {
    app.clock.set(new Date(utc));
    const { trajectory } = await sdk.WorkflowTrajectory({ id: trajectoryId });
    const late = await sdk.WorkflowOverdue({ filter: { teamId: world.teams.TA.id, overdue: true } });
    const onTime = await sdk.WorkflowOverdue({ filter: { teamId: world.teams.TA.id, overdue: false } });
    seen.push({
      local,
      field: trajectory?.overdue,
      inOverdueList: late.trajectories.edges.some((e) => e.node.id === trajectoryId),
      inOnTimeList: onTime.trajectories.edges.some((e) => e.node.id === trajectoryId),
    });
  }
  expect(seen).toEqual(checks.map(([, local, overdue]) => ({ local, field: overdue, inOverdueList: overdue, inOnTimeList: !overdue })));
}

test('the instants of these tests are the Amsterdam local times written next to them (DST on 29 March and 25 October 2026)', () => {
  const instants: Array<[string, string]> = [
    ['2026-03-28T22:30:00Z', '2026-03-28 23:30:00'], // CET, UTC+1
    ['2026-03-29T00:59:59Z', '2026-03-29 01:59:59'], // the last second of winter time
    ['2026-03-29T01:00:00Z', '2026-03-29 03:00:00'], // summer time, UTC+2
    ['2026-03-29T21:59:59Z', '2026-03-29 23:59:59'],
    ['2026-03-29T22:00:00Z', '2026-03-30 00:00:00'], // still 29 March in UTC
    ['2026-10-24T22:00:00Z', '2026-10-25 00:00:00'], // CEST, still 24 October in UTC
    ['2026-10-25T22:59:59Z', '2026-10-25 23:59:59'], // CET again
    ['2026-10-25T23:00:00Z', '2026-10-26 00:00:00'],
  ];
  expect(instants.map(([utc]) => [utc, LOCAL.format(new Date(utc))])).toEqual(instants);
});

describe('ASSESSMENT (due 4 weeks after the intro meeting)', () => {
  test('due on the day summer time starts (29 March): on time until 23:59:59 local that day, overdue from 00:00 local on 30 March', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ACCEPTED, { phaseStartedOn: '2026-02-20' });
    app.clock.set(new Date('2026-03-02T10:00:00Z'));
    const sdk = await app.sdk(world.users.scientistA.email);
    const { startAssessment: t } = await sdk.StartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: '2026-03-01' } });
    expect(t).toMatchObject({ phase: 'ASSESSMENT', phaseDueOn: '2026-03-29', phaseLimitOn: null, overdue: false });
    await expectOverdue(trajectory.id, [
      ['2026-03-28T22:30:00Z', '2026-03-28 23:30:00', false], // the day before
      ['2026-03-29T00:30:00Z', '2026-03-29 01:30:00', false], // the due day, before the change
      ['2026-03-29T21:30:00Z', '2026-03-29 23:30:00', false], // the due day, after the change
      ['2026-03-29T21:59:59Z', '2026-03-29 23:59:59', false],
      ['2026-03-29T22:00:00Z', '2026-03-30 00:00:00', true], // the day after (29 March in UTC)
      ['2026-03-30T21:30:00Z', '2026-03-30 23:30:00', true],
    ]);
  });

  test('started just before the change (Friday 27 March, 23:30 local): due exactly 4 weeks later, 24 April, overdue from 25 April local', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ACCEPTED, { phaseStartedOn: '2026-03-20' });
    app.clock.set(new Date('2026-03-27T22:30:00Z')); // 23:30 CET
    const sdk = await app.sdk(world.users.scientistA.email);
    const { startAssessment: t } = await sdk.StartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: '2026-03-27' } });
    expect(t.phaseDueOn).toBe(addDays('2026-03-27', 28));
    expect(t.phaseDueOn).toBe('2026-04-24');
    await expectOverdue(trajectory.id, [
      ['2026-04-23T21:30:00Z', '2026-04-23 23:30:00', false],
      ['2026-04-24T21:30:00Z', '2026-04-24 23:30:00', false],
      ['2026-04-24T22:30:00Z', '2026-04-25 00:30:00', true],
    ]);
  });
});

describe('INTENSIVE (due 12 weeks after the advice/start meeting, hard limit 16 weeks)', () => {
  test('due on the day winter time returns (25 October): on time from 00:00 local that day (24 October in UTC) until 23:59:59 local, overdue from 26 October local', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ASSESSMENT, { phaseStartedOn: '2026-07-01' });
    app.clock.set(new Date('2026-08-03T10:00:00Z'));
    const sdk = await app.sdk(world.users.scientistA.email);
    const { agreeGoals: t } = await sdk.AgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: '2026-08-02' } });
    expect(t).toMatchObject({ phase: 'INTENSIVE', phaseDueOn: '2026-10-25', phaseLimitOn: '2026-11-22', overdue: false });
    await expectOverdue(trajectory.id, [
      ['2026-10-24T21:30:00Z', '2026-10-24 23:30:00', false], // the day before
      ['2026-10-24T22:00:00Z', '2026-10-25 00:00:00', false], // the due day (24 October in UTC)
      ['2026-10-25T22:30:00Z', '2026-10-25 23:30:00', false], // the due day, after the change
      ['2026-10-25T22:59:59Z', '2026-10-25 23:59:59', false],
      ['2026-10-25T23:00:00Z', '2026-10-26 00:00:00', true], // the day after
      ['2026-10-26T22:30:00Z', '2026-10-26 23:30:00', true],
      ['2026-11-23T10:00:00Z', '2026-11-23 11:00:00', true], // past the hard limit: still overdue
    ]);
  });

  test('started just before the change (Saturday 24 October, 23:30 local, no meeting date: today): due 12 weeks later, 16 January 2027; hard limit 16 weeks, 13 February 2027', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ASSESSMENT, { phaseStartedOn: '2026-10-01' });
    app.clock.set(new Date('2026-10-24T21:30:00Z')); // 23:30 CEST
    const sdk = await app.sdk(world.users.scientistA.email);
    const { agreeGoals: t } = await sdk.AgreeGoals({ input: { trajectoryId: trajectory.id } });
    expect(t).toMatchObject({ phaseDueOn: addDays('2026-10-24', 84), phaseLimitOn: addDays('2026-10-24', 112) });
    expect(t).toMatchObject({ phaseDueOn: '2027-01-16', phaseLimitOn: '2027-02-13' });
    await expectOverdue(trajectory.id, [
      ['2027-01-15T22:30:00Z', '2027-01-15 23:30:00', false],
      ['2027-01-16T22:30:00Z', '2027-01-16 23:30:00', false],
      ['2027-01-16T23:30:00Z', '2027-01-17 00:30:00', true],
    ]);
  });
});

describe('CONSOLIDATION (due 3 months after it starts)', () => {
  test('started at 00:30 local on 28 March (still 27 March in UTC): starts on 28 March, due 28 June, overdue from 29 June local', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE, { phaseStartedOn: '2026-01-10' });
    app.clock.set(new Date('2026-03-27T23:30:00Z')); // 00:30 CET on 28 March
    const sdk = await app.sdk(world.users.scientistA.email);
    const { startConsolidation: t } = await sdk.StartConsolidation({ input: { trajectoryId: trajectory.id } });
    expect(t).toMatchObject({ phase: 'CONSOLIDATION', phaseDueOn: '2026-06-28', phaseLimitOn: null, phaseStartedAt: '2026-03-27T23:30:00.000Z' });
    await expectOverdue(trajectory.id, [
      ['2026-06-27T21:30:00Z', '2026-06-27 23:30:00', false],
      ['2026-06-28T21:30:00Z', '2026-06-28 23:30:00', false],
      ['2026-06-28T21:59:59Z', '2026-06-28 23:59:59', false],
      ['2026-06-28T22:00:00Z', '2026-06-29 00:00:00', true],
    ]);
  });

  test('started at 00:30 local on 26 October, the night after winter time returns: starts on 26 October, due 26 January 2027', async () => {
    const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE, { phaseStartedOn: '2026-08-01' });
    app.clock.set(new Date('2026-10-25T23:30:00Z')); // 00:30 CET on 26 October
    const sdk = await app.sdk(world.users.scientistA.email);
    const { startConsolidation: t } = await sdk.StartConsolidation({ input: { trajectoryId: trajectory.id } });
    expect(t.phaseDueOn).toBe('2027-01-26');
    await expectOverdue(trajectory.id, [
      ['2027-01-26T22:30:00Z', '2027-01-26 23:30:00', false],
      ['2027-01-26T23:30:00Z', '2027-01-27 00:30:00', true],
    ]);
  });
});

describe('the norms come from the PHASE_* settings', () => {
  test('with PHASE_ASSESSMENT_WEEKS=6, PHASE_INTENSIVE_WEEKS=10, PHASE_INTENSIVE_LIMIT_WEEKS=14, PHASE_CONSOLIDATION_MONTHS=2, FOLLOW_UP_MONTHS=2,6 every act dates by them; the default server by 4, 12, 16, 3 and 3,12', async () => {
    const custom = await startTestApp({
      env: { PHASE_ASSESSMENT_WEEKS: '6', PHASE_INTENSIVE_WEEKS: '10', PHASE_INTENSIVE_LIMIT_WEEKS: '14', PHASE_CONSOLIDATION_MONTHS: '2', FOLLOW_UP_MONTHS: '2,6' },
    });
    try {
      const run = async (server: TestApp) => {
        const { trajectory } = await trajectoryIn(app.dataSource, world, Phase.ACCEPTED, { phaseStartedOn: '2026-03-02', agreedGoal: true, handoverAdvice: true });
        const sdk = await server.sdk(world.users.scientistA.email);
        const id = trajectory.id;
        const assessment = (await sdk.StartAssessment({ input: { trajectoryId: id, introMeetingOn: '2026-03-16' } })).startAssessment;
        const intensive = (await sdk.AgreeGoals({ input: { trajectoryId: id } })).agreeGoals;
        const consolidation = (await sdk.StartConsolidation({ input: { trajectoryId: id } })).startConsolidation;
        const completed = (await sdk.CompleteTrajectory({ input: { trajectoryId: id } })).completeTrajectory;
        return {
          assessment: assessment.phaseDueOn,
          intensive: [intensive.phaseDueOn, intensive.phaseLimitOn],
          consolidation: consolidation.phaseDueOn,
          // Sorted: both are created in one transaction, so their creation times tie (see the report).
          followUps: completed.followUps!.edges.map((e) => `${e.node.moment} ${e.node.dueOn}`).sort(),
        };
      };
      expect(await run(custom)).toEqual({
        assessment: '2026-04-27',
        intensive: ['2026-05-25', '2026-06-22'],
        consolidation: '2026-05-16',
        followUps: ['THREE_MONTHS 2026-05-16', 'TWELVE_MONTHS 2026-09-16'],
      });
      expect(await run(app)).toEqual({
        assessment: '2026-04-13',
        intensive: ['2026-06-08', '2026-07-06'],
        consolidation: '2026-06-16',
        followUps: ['THREE_MONTHS 2026-06-16', 'TWELVE_MONTHS 2027-03-16'],
      });
    } finally {
      await custom.stop();
    }
  });
});

describe('overdue and the filter agree for every phase at once', () => {
  test('as a member of team TA, trajectories(filter: { overdue }) splits the team\'s trajectories exactly as the overdue field does', async () => {
    // One trajectory per phase with a norm, due yesterday, today and tomorrow (by TEST_NOW).
    const ids: Record<string, boolean> = {};
    for (const phase of [Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION]) {
      for (const [offset, overdue] of [[-1, true], [0, false], [1, false]] as Array<[number, boolean]>) {
        const { trajectory } = await trajectoryIn(app.dataSource, world, phase);
        await app.dataSource.query('UPDATE trajectory SET phase_due_on = $1 WHERE id = $2', [addDays('2026-03-16', offset), trajectory.id]);
        ids[trajectory.id] = overdue;
      }
    }
    const teacher = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
    const sdk = await app.sdk(teacher.email);
    const all = await sdk.WorkflowOverdue({ filter: { teamId: world.teams.TA.id } });
    const late = await sdk.WorkflowOverdue({ filter: { teamId: world.teams.TA.id, overdue: true } });
    const onTime = await sdk.WorkflowOverdue({ filter: { teamId: world.teams.TA.id, overdue: false } });
    expect(all.trajectories.totalCount).toBe(late.trajectories.totalCount + onTime.trajectories.totalCount);
    expect(late.trajectories.edges.every((e) => e.node.overdue === true)).toBe(true);
    expect(onTime.trajectories.edges.every((e) => e.node.overdue === false)).toBe(true);
    const lateIds = new Set(late.trajectories.edges.map((e) => e.node.id));
    expect(Object.fromEntries(Object.keys(ids).map((id) => [id, lateIds.has(id)]))).toEqual(ids);
  });
});
