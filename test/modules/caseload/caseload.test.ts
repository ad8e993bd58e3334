/**
 * Capacity and overflow through HTTP, with the typed SDK:
 *
 * 1. `teamLoads`: capacity, load weighted by phase, free capacity, threshold state, counts per
 *    phase and cross-windstreek cases; configuration (CASELOAD_WEIGHTS, OVERFLOW_THRESHOLD);
 *    who sees which teams;
 * 2. `assignmentProposal`: ranked, explained candidates; NOT_FOUND / FORBIDDEN for others;
 * 3. acceptance (reviewRegistration ACCEPT) assigns through the same overflow rule;
 * 4. concurrency: 50 simultaneous assignments onto a team with room for 10;
 * 5. access moves with the case on reassignment;
 * 6. roles: everyone but the programme coordinator (and, for assignment, the
 *    gedragswetenschapper of the home windstreek's team) is refused, nothing written;
 * 7. `setTeamCapacity` and the capacity history.
 *
 * Every test builds its own scene: a `createWorld` partnership (windstreken A and B, which
 * border each other; teams TA and TB, capacity 10) plus windstreek C (borders neither) with
 * school C1 and team TC (capacity 10), a teacher of TA and a gedragswetenschapper of TB. The
 * world's own cases load TA with 2 (one ASSESSMENT, one INTENSIVE) and TB with 1.5 (a2Cross,
 * ASSESSMENT, from windstreek A; b1Team, CONSOLIDATION).
 */
import { ClientError } from 'graphql-request';
import { loadConfig } from '../../../src/config';
import { CrossWindstreekAssignment, School, TeamCapacityChange, Topteam, Trajectory, TrajectoryEvent, User, Windstreek } from '../../../src/app/entities';
import { Phase, Role, TeamFunction } from '../../../src/domain/enums';
import { createSchool, createTopteam, createUser, createWindstreek, unique } from '../../factories';
import { caseState, TrajectoryInOptions, trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import type { TeamLoadsQuery } from '../../generated/sdk';
import { startTestApp, TestApp } from '../../setup/app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

// ---------------------------------------------------------------------------------------
// The scene and helpers

type Scene = Omit<World, 'users'> & {
  C: Windstreek;
  C1: School;
  TC: Topteam;
  users: World['users'] & { teacherA: User; scientistB: User };
};

async function scene(): Promise<Scene> {
  const ds = app.dataSource;
  const world = await createWorld(ds);
  const C = await createWindstreek(ds, world.partnership, unique('C'));
  const C1 = await createSchool(ds, C);
  const TC = await createTopteam(ds, C);
  const teacherA = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
  const scientistB = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TB, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]);
  return { ...world, C, C1, TC, users: { ...world.users, teacherA, scientistB } };
}

type RoleName = keyof Scene['users'];
const ROLES: RoleName[] = ['admin', 'privacy', 'coordinator', 'analyst', 'advisorA', 'scientistA', 'teacherA', 'scientistB', 'teacherB', 'schoolA1', 'schoolB1', 'mentorA1', 'nobody'];

/** A case in `phase` (default: school A1, team TA from ACCEPTED on; see test/factories/workflow.ts). */
async function caseIn(s: Scene, phase: Phase, options: TrajectoryInOptions = {}): Promise<Trajectory> {
  return (await trajectoryIn(app.dataSource, s as unknown as World, phase, options)).trajectory;
}

/** `n` cases in `phase` on `team` (from school A1 unless said otherwise). */
async function load(s: Scene, team: Topteam, n: number, phase: Phase = Phase.ACCEPTED, school: School = s.schools.A1): Promise<Trajectory[]> {
  const cases: Trajectory[] = [];
  for (let i = 0; i < n; i++) cases.push(await caseIn(s, phase, { team, school }));
  return cases;
}

const sdk = (user: User) => app.sdk(user.email);

type Load = TeamLoadsQuery['teamLoads'][number];

/** The caller's `teamLoads`, by team id. */
async function loadsAs(user: User, on: TestApp = app): Promise<Record<string, Load>> {
  const { teamLoads } = await (await on.sdk(user.email)).TeamLoads();
  return Object.fromEntries(teamLoads.map((l) => [l.teamId, l]));
}

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  extensions?: Record<string, unknown>;
}

/** The outcome of an SDK call: ok, or the first error's code, message and extensions. */
async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    const first = error.response.errors![0];
    return { ok: false, code: String(first.extensions?.code), message: first.message, extensions: first.extensions as Record<string, unknown> };
  }
}

/** The answer of each of `roles` to `call(user)`: ok, or the error code. */
async function answers(s: Scene, roles: RoleName[], call: (user: User) => Promise<unknown>): Promise<Record<string, string>> {
  const codes: Record<string, string> = {};
  for (const role of roles) {
    const result = await outcome(call(s.users[role]));
    codes[role] = result.ok ? 'ok' : result.code!;
  }
  return codes;
}

async function crossAssignments(trajectoryId: string): Promise<CrossWindstreekAssignment[]> {
  return app.dataSource.getRepository(CrossWindstreekAssignment).find({ where: { trajectoryId }, order: { createdAt: 'ASC' } });
}

async function events(trajectoryId: string): Promise<TrajectoryEvent[]> {
  return app.dataSource.getRepository(TrajectoryEvent).find({ where: { trajectoryId }, order: { sequence: 'ASC' } as never });
}

async function teamOf(trajectoryId: string): Promise<string | null> {
  return (await app.dataSource.getRepository(Trajectory).findOneByOrFail({ id: trajectoryId })).teamId;
}

// ---------------------------------------------------------------------------------------
// 1. teamLoads

describe('teamLoads', () => {
  test('as the programme coordinator, per team: capacity, load weighted by phase, free capacity, threshold, state, counts per phase and cross-windstreek cases', async () => {
    const s = await scene();
    const { TA, TB } = s.teams;
    // On TA, besides the world's ASSESSMENT and INTENSIVE case: one ACCEPTED, one ASSESSMENT,
    // one INTENSIVE, two CONSOLIDATION, and one INTENSIVE case from school B1 (cross-windstreek).
    await caseIn(s, Phase.ACCEPTED);
    await caseIn(s, Phase.ASSESSMENT);
    await caseIn(s, Phase.INTENSIVE);
    await caseIn(s, Phase.CONSOLIDATION);
    await caseIn(s, Phase.CONSOLIDATION);
    await caseIn(s, Phase.INTENSIVE, { school: s.schools.B1 });
    // Not counted: finished cases on TA, and cases without a team.
    await caseIn(s, Phase.COMPLETED);
    await caseIn(s, Phase.CLOSED);
    await caseIn(s, Phase.CANCELLED);
    await caseIn(s, Phase.ACCEPTED, { team: null });
    await caseIn(s, Phase.REQUESTED);

    const loads = await loadsAs(s.users.coordinator);
    expect(Object.keys(loads).sort()).toEqual([TA.id, TB.id, s.TC.id].sort());
    // TA: 1 (accepted) + 2 × 1 (assessment) + 3 × 1 (intensive) + 2 × 0.5 (consolidation) = 7.
    expect(loads[TA.id]).toEqual({
      teamId: TA.id, name: TA.name, capacity: 10, load: 7, freeCapacity: 3, thresholdLoad: 9, state: 'OK', crossWindstreekCases: 1,
      counts: { accepted: 1, assessment: 2, intensive: 3, consolidation: 2 },
      // The accepted case without a team, of windstreek A: TA's waiting list.
      waitingInWindstreek: 1,
    });
    // TB: a2Cross (assessment, from windstreek A) + b1Team (consolidation) = 1.5.
    expect(loads[TB.id]).toEqual({
      teamId: TB.id, name: TB.name, capacity: 10, load: 1.5, freeCapacity: 8.5, thresholdLoad: 9, state: 'OK', crossWindstreekCases: 1,
      counts: { accepted: 0, assessment: 1, intensive: 0, consolidation: 1 }, waitingInWindstreek: 0,
    });
    expect(loads[s.TC.id]).toEqual({
      teamId: s.TC.id, name: s.TC.name, capacity: 10, load: 0, freeCapacity: 10, thresholdLoad: 9, state: 'OK', crossWindstreekCases: 0,
      counts: { accepted: 0, assessment: 0, intensive: 0, consolidation: 0 }, waitingInWindstreek: 0,
    });
  });

  test('the state: OK below 90 % of capacity, THREATENS_TO_OVERFLOW from exactly 90 %, FULL at capacity and past it', async () => {
    const s = await scene();
    const TC = s.TC;
    const stateOfTC = async () => {
      const l = (await loadsAs(s.users.coordinator))[TC.id];
      return { load: l.load, freeCapacity: l.freeCapacity, state: l.state };
    };
    await load(s, TC, 8, Phase.ASSESSMENT, s.C1);
    expect(await stateOfTC()).toEqual({ load: 8, freeCapacity: 2, state: 'OK' });
    await caseIn(s, Phase.ACCEPTED, { team: TC, school: s.C1 });
    expect(await stateOfTC()).toEqual({ load: 9, freeCapacity: 1, state: 'THREATENS_TO_OVERFLOW' });
    await caseIn(s, Phase.CONSOLIDATION, { team: TC, school: s.C1 });
    expect(await stateOfTC()).toEqual({ load: 9.5, freeCapacity: 0.5, state: 'THREATENS_TO_OVERFLOW' });
    await caseIn(s, Phase.CONSOLIDATION, { team: TC, school: s.C1 });
    expect(await stateOfTC()).toEqual({ load: 10, freeCapacity: 0, state: 'FULL' });
    await caseIn(s, Phase.INTENSIVE, { team: TC, school: s.C1 });
    expect(await stateOfTC()).toEqual({ load: 11, freeCapacity: -1, state: 'FULL' });
  });

  test('with CASELOAD_WEIGHTS and OVERFLOW_THRESHOLD set, the loads, thresholds, states and the proposal follow the configuration', async () => {
    const s = await scene();
    const { TA, TB } = s.teams;
    // TA: accepted 1, assessment 2, intensive 2, consolidation 2.
    await caseIn(s, Phase.ACCEPTED);
    await caseIn(s, Phase.ASSESSMENT);
    await caseIn(s, Phase.INTENSIVE);
    await load(s, TA, 2, Phase.CONSOLIDATION);
    const waiting = await caseIn(s, Phase.ACCEPTED, { team: null });

    // Defaults: 1 + 2 + 2 + 1 = 6 of 10, threshold 9; the new case fits at home.
    const defaults = await loadsAs(s.users.coordinator);
    expect(defaults[TA.id]).toMatchObject({ load: 6, thresholdLoad: 9, freeCapacity: 4, state: 'OK' });
    expect(defaults[TB.id]).toMatchObject({ load: 1.5, thresholdLoad: 9 });
    const defaultProposal = (await (await sdk(s.users.coordinator)).AssignmentProposal({ trajectoryId: waiting.id })).assignmentProposal;
    expect({ weight: defaultProposal.caseWeight, first: defaultProposal.candidates[0].teamId }).toEqual({ weight: 1, first: TA.id });

    const configured = await startTestApp({ env: { CASELOAD_WEIGHTS: 'ACCEPTED=0.5, INTENSIVE=2,CONSOLIDATION=0.25', OVERFLOW_THRESHOLD: '0.6' } });
    try {
      // 0.5 + 2 × 1 (ASSESSMENT keeps its default) + 2 × 2 + 2 × 0.25 = 7 of 10; threshold 6.
      const loads = await loadsAs(s.users.coordinator, configured);
      expect(loads[TA.id]).toMatchObject({ load: 7, thresholdLoad: 6, freeCapacity: 3, state: 'THREATENS_TO_OVERFLOW', counts: { accepted: 1, assessment: 2, intensive: 2, consolidation: 2 } });
      expect(loads[TB.id]).toMatchObject({ load: 1.25, thresholdLoad: 6, freeCapacity: 8.75, state: 'OK' });
      // The waiting case weighs 0.5 now and no longer fits at home (7.5 > 6): TC (9.5 free after) before TB (8.25).
      const { assignmentProposal: p } = await (await configured.sdk(s.users.coordinator.email)).AssignmentProposal({ trajectoryId: waiting.id });
      expect(p.caseWeight).toBe(0.5);
      expect(p.candidates.map((c) => [c.teamId, c.loadBefore, c.loadAfter, c.freeCapacityAfter])).toEqual([
        [s.TC.id, 0, 0.5, 9.5],
        [TB.id, 1.25, 1.75, 8.25],
      ]);
    } finally {
      await configured.stop();
    }
  });

  test('configuration that is not a weight per load phase or a threshold in (0, 1] is refused at start-up', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', CASELOAD_WEIGHTS: 'REQUESTED=1' })).toThrow(/CASELOAD_WEIGHTS/);
    expect(() => loadConfig({ NODE_ENV: 'test', CASELOAD_WEIGHTS: 'INTENSIVE=-1' })).toThrow(/CASELOAD_WEIGHTS/);
    expect(() => loadConfig({ NODE_ENV: 'test', CASELOAD_WEIGHTS: 'INTENSIVE' })).toThrow(/CASELOAD_WEIGHTS/);
    expect(() => loadConfig({ NODE_ENV: 'test', OVERFLOW_THRESHOLD: '0' })).toThrow(/OVERFLOW_THRESHOLD/);
    expect(() => loadConfig({ NODE_ENV: 'test', OVERFLOW_THRESHOLD: '1.5' })).toThrow(/OVERFLOW_THRESHOLD/);
    // Positive control: valid settings load.
    expect(loadConfig({ NODE_ENV: 'test', CASELOAD_WEIGHTS: 'CONSOLIDATION=0', OVERFLOW_THRESHOLD: '1' }).caseload).toEqual({
      weights: { ACCEPTED: 1, ASSESSMENT: 1, INTENSIVE: 1, CONSOLIDATION: 0 }, overflowThreshold: 1,
    });
  });

  test('who sees which teams: coordinator and every gedragswetenschapper all of them; a teacher its own team; the analyst (small counts suppressed in the dashboard instead), school coordinator, mentor, admin, privacy officer and no-role user none', async () => {
    const s = await scene();
    const all = [s.teams.TA.id, s.teams.TB.id, s.TC.id].sort();
    const seen: Record<string, string[]> = {};
    for (const role of ['coordinator', 'analyst', 'scientistA', 'scientistB', 'teacherA', 'teacherB', 'schoolA1', 'schoolB1', 'mentorA1', 'admin', 'privacy', 'nobody'] as const) {
      seen[role] = Object.keys(await loadsAs(s.users[role])).sort();
    }
    expect(seen).toEqual({
      coordinator: all, analyst: [], scientistA: all, scientistB: all,
      teacherA: [s.teams.TA.id], teacherB: [s.teams.TB.id],
      schoolA1: [], schoolB1: [], mentorA1: [], admin: [], privacy: [], nobody: [],
    });
    // What a teacher sees of its own team is the same as what the coordinator sees.
    expect((await loadsAs(s.users.teacherA))[s.teams.TA.id]).toEqual((await loadsAs(s.users.coordinator))[s.teams.TA.id]);
  });
});

// ---------------------------------------------------------------------------------------
// 2. assignmentProposal

/** Fills TA to 9.5 of 10 (above its threshold of 9): seven ACCEPTED cases and one in CONSOLIDATION on top of the world's 2. */
async function overloadTA(s: Scene): Promise<void> {
  await load(s, s.teams.TA, 7);
  await caseIn(s, Phase.CONSOLIDATION);
}

describe('assignmentProposal', () => {
  test('as the programme coordinator, for a case whose home team is over its threshold: the teams that fit, ranked, with loads before and after and reasons', async () => {
    const s = await scene();
    const { TA, TB } = s.teams;
    await overloadTA(s);
    const waiting = await caseIn(s, Phase.ACCEPTED, { team: null });
    const coordinator = await sdk(s.users.coordinator);

    const { assignmentProposal: p } = await coordinator.AssignmentProposal({ trajectoryId: waiting.id });
    // TC (other windstreek) has 9 free after assignment, TB (neighbouring) 7.5.
    expect(p).toMatchObject({ trajectoryId: waiting.id, caseWeight: 1, fitsNowhere: false, leastLoadedTeamId: null });
    expect(p.candidates.map(({ reason, ...c }) => c)).toEqual([
      { rank: 1, teamId: s.TC.id, name: s.TC.name, home: false, neighbour: false, capacity: 10, loadBefore: 0, loadAfter: 1, freeCapacityAfter: 9 },
      { rank: 2, teamId: TB.id, name: TB.name, home: false, neighbour: true, capacity: 10, loadBefore: 1.5, loadAfter: 2.5, freeCapacityAfter: 7.5 },
    ]);
    const why = `home team ${TA.name} would go from 9.5 to 10.5 of 10, above its threshold of 9`;
    expect(p.candidates[0].reason).toBe(`${s.TC.name} (other windstreek): load 0 → 1 of 10; 9 free after assignment, 0 cross-windstreek cases; ${why}.`);
    expect(p.candidates[1].reason).toBe(`${TB.name} (neighbouring windstreek): load 1.5 → 2.5 of 10; 7.5 free after assignment, 1 cross-windstreek cases; ${why}.`);
    expect(p.summary).toBe(`Proposed: ${p.candidates[0].reason}`);

    // With equal room (TC loaded to 1.5 as well), the neighbouring windstreek's team comes first.
    await caseIn(s, Phase.ASSESSMENT, { team: s.TC, school: s.C1 });
    await caseIn(s, Phase.CONSOLIDATION, { team: s.TC, school: s.C1 });
    const { assignmentProposal: tie } = await coordinator.AssignmentProposal({ trajectoryId: waiting.id });
    expect(tie.candidates.map((c) => [c.teamId, c.freeCapacityAfter, c.neighbour])).toEqual([[TB.id, 7.5, true], [s.TC.id, 7.5, false]]);

    // The gedragswetenschapper of the home windstreek's team gets the same proposal.
    expect((await (await sdk(s.users.scientistA)).AssignmentProposal({ trajectoryId: waiting.id })).assignmentProposal).toEqual(tie);
  });

  test('a case whose home team fits: the home team first; a case that fits nowhere: no candidates and the least-loaded team named', async () => {
    const s = await scene();
    const waiting = await caseIn(s, Phase.ACCEPTED, { team: null });
    const coordinator = await sdk(s.users.coordinator);
    const { assignmentProposal: fits } = await coordinator.AssignmentProposal({ trajectoryId: waiting.id });
    expect(fits.candidates.map((c) => [c.teamId, c.home])).toEqual([[s.teams.TA.id, true], [s.TC.id, false], [s.teams.TB.id, false]]);
    expect(fits.candidates[0].reason).toBe(`${s.teams.TA.name} (home team): load 2 → 3 of 10; the case fits under its threshold of 9.`);

    // Capacities 2 / 2 / 1: TA 3 of 2, TB 2.5 of 2, TC 1 of 1 after the case; relative to capacity TB is least loaded (1.25).
    await app.dataSource.getRepository(Topteam).update({ id: s.teams.TA.id }, { capacity: 2 });
    await app.dataSource.getRepository(Topteam).update({ id: s.teams.TB.id }, { capacity: 2 });
    await app.dataSource.getRepository(Topteam).update({ id: s.TC.id }, { capacity: 1 });
    const { assignmentProposal: none } = await coordinator.AssignmentProposal({ trajectoryId: waiting.id });
    expect(none).toMatchObject({ candidates: [], fitsNowhere: true, leastLoadedTeamId: s.TC.id });
    expect(none.summary).toBe(`No team can take the case under its threshold. Least loaded: ${s.TC.name} (0 of 1).`);
  });

  test('as any other role: NOT_FOUND when the case is hidden from it, FORBIDDEN when it sees the case', async () => {
    const s = await scene();
    const waiting = await caseIn(s, Phase.ACCEPTED, { team: null, mentor: s.users.mentorA1 });
    const codes = await answers(s, ROLES, async (user) => (await sdk(user)).AssignmentProposal({ trajectoryId: waiting.id }));
    expect(codes).toEqual({
      coordinator: 'ok', scientistA: 'ok',
      // They see the case (their school, windstreek or mentee) but may not assign it.
      advisorA: 'FORBIDDEN', schoolA1: 'FORBIDDEN', mentorA1: 'FORBIDDEN',
      // The case is hidden from them: not the home windstreek's gedragswetenschapper, no team yet, or no access to cases at all.
      teacherA: 'NOT_FOUND', scientistB: 'NOT_FOUND', teacherB: 'NOT_FOUND', schoolB1: 'NOT_FOUND',
      admin: 'NOT_FOUND', privacy: 'NOT_FOUND', analyst: 'NOT_FOUND', nobody: 'NOT_FOUND',
    });
    // Hidden equals missing: the same answer as for an id that does not exist.
    const missing = await outcome((await sdk(s.users.teacherA)).AssignmentProposal({ trajectoryId: '00000000-0000-4000-8000-000000000000' }));
    const hidden = await outcome((await sdk(s.users.teacherA)).AssignmentProposal({ trajectoryId: waiting.id }));
    expect(hidden).toEqual(missing);
  });
});

// ---------------------------------------------------------------------------------------
// 3. Acceptance uses the overflow rule

describe('acceptance of a registration (reviewRegistration ACCEPT) assigns through the overflow rule', () => {
  test('home team fits: the case goes to the home team, an assignTeam event, no cross-windstreek assignment', async () => {
    const s = await scene();
    const registration = await caseIn(s, Phase.REQUESTED);
    const { reviewRegistration: t } = await (await sdk(s.users.advisorA)).ReviewRegistration({ input: { trajectoryId: registration.id, decision: 'ACCEPT' } });
    expect(t).toMatchObject({ phase: 'ACCEPTED', team: { id: s.teams.TA.id } });
    expect(t.events!.edges.map((e) => e.node.act)).toEqual(['submitRegistration', 'acceptRegistration', 'assignTeam']);
    expect(await crossAssignments(registration.id)).toEqual([]);
  });

  test('home team over its threshold: the case goes to the best other team, with a cross-windstreek assignment approved by the advisor (original team: the home team) and an assignTeam event', async () => {
    const s = await scene();
    await overloadTA(s);
    const registration = await caseIn(s, Phase.REQUESTED);
    const proposal = (await (await sdk(s.users.coordinator)).AssignmentProposal({ trajectoryId: registration.id })).assignmentProposal;
    expect(proposal.candidates[0].teamId).toBe(s.TC.id);

    const { reviewRegistration: t } = await (await sdk(s.users.advisorA)).ReviewRegistration({ input: { trajectoryId: registration.id, decision: 'ACCEPT' } });
    expect(t).toMatchObject({ phase: 'ACCEPTED', version: 2 });
    expect(await teamOf(registration.id)).toBe(s.TC.id);

    const [cross, ...more] = await crossAssignments(registration.id);
    expect(more).toEqual([]);
    expect(cross).toMatchObject({
      partnershipId: s.partnership.id, originalTeamId: s.teams.TA.id, assignedTeamId: s.TC.id, approvedByUserId: s.users.advisorA.id,
      reason: proposal.candidates[0].reason,
    });
    expect(cross.reason).toContain(`home team ${s.teams.TA.name} would go from 9.5 to 10.5 of 10`);
    const log = (await events(registration.id)).map((e) => ({ act: e.act, fromPhase: e.fromPhase, toPhase: e.toPhase, actorUserId: e.actorUserId, reason: e.reason }));
    expect(log.slice(-2)).toEqual([
      { act: 'acceptRegistration', fromPhase: 'REQUESTED', toPhase: 'ACCEPTED', actorUserId: s.users.advisorA.id, reason: null },
      { act: 'assignTeam', fromPhase: 'ACCEPTED', toPhase: 'ACCEPTED', actorUserId: s.users.advisorA.id, reason: cross.reason },
    ]);
    // The team's load shows the case, as a cross-windstreek one.
    expect((await loadsAs(s.users.coordinator))[s.TC.id]).toMatchObject({ load: 1, crossWindstreekCases: 1, counts: { accepted: 1 } });
  });

  test('nothing fits: ACCEPTED without a team; assignTeam without a team is CONFLICT carrying the proposal; a named team past its capacity is CONFLICT; a named team with room (over its threshold, within capacity) succeeds', async () => {
    const s = await scene();
    const { TA, TB } = s.teams;
    // TA 2 of 2, TB 1.5 of 2, TC 0 of 1: one more case takes every team over its threshold.
    await app.dataSource.getRepository(Topteam).update({ id: TA.id }, { capacity: 2 });
    await app.dataSource.getRepository(Topteam).update({ id: TB.id }, { capacity: 2 });
    await app.dataSource.getRepository(Topteam).update({ id: s.TC.id }, { capacity: 1 });
    const registration = await caseIn(s, Phase.REQUESTED);

    const { reviewRegistration: t } = await (await sdk(s.users.advisorA)).ReviewRegistration({ input: { trajectoryId: registration.id, decision: 'ACCEPT' } });
    expect(t).toMatchObject({ phase: 'ACCEPTED', version: 2, team: null });
    expect(t.events!.edges.map((e) => e.node.act)).toEqual(['submitRegistration', 'acceptRegistration']);
    expect(await crossAssignments(registration.id)).toEqual([]);

    const coordinator = await sdk(s.users.coordinator);
    const before = await caseState(app.dataSource, registration.id);
    const byRule = await outcome(coordinator.AssignTeam({ input: { trajectoryId: registration.id } }));
    expect(byRule).toMatchObject({ ok: false, code: 'CONFLICT', extensions: { proposal: { fitsNowhere: true, candidates: [], leastLoadedTeamId: s.TC.id } } });
    expect(byRule.message).toContain('No team can take the case under its threshold.');
    // TB: 1.5 + 1 = 2.5 past its capacity of 2: the hard limit for a named team.
    const pastCapacity = await outcome(coordinator.AssignTeam({ input: { trajectoryId: registration.id, teamId: TB.id } }));
    expect(pastCapacity).toMatchObject({ ok: false, code: 'CONFLICT', extensions: { proposal: { fitsNowhere: true, candidates: [] } } });
    expect(pastCapacity.message).toContain(`${TB.name} has no room`);
    expect(await caseState(app.dataSource, registration.id)).toEqual(before);

    // TC: 0 + 1 = 1, above its threshold of 0.9 but within its capacity: the coordinator may.
    const { assignTeam: assigned } = await coordinator.AssignTeam({ input: { trajectoryId: registration.id, teamId: s.TC.id, reason: 'Tijdelijk boven de drempel; TC neemt de casus over.' } });
    expect(assigned).toEqual({ id: registration.id, phase: 'ACCEPTED', version: 3, team: { id: s.TC.id } });
    const last = (await events(registration.id)).at(-1)!;
    expect(last).toMatchObject({ act: 'assignTeam', fromPhase: 'ACCEPTED', toPhase: 'ACCEPTED', actorUserId: s.users.coordinator.id, reason: 'Tijdelijk boven de drempel; TC neemt de casus over.' });
    const [cross] = await crossAssignments(registration.id);
    expect(cross).toMatchObject({ originalTeamId: TA.id, assignedTeamId: s.TC.id, approvedByUserId: s.users.coordinator.id });
    expect(cross.reason).toContain('Tijdelijk boven de drempel; TC neemt de casus over.');
    expect((await loadsAs(s.users.coordinator))[s.TC.id]).toMatchObject({ capacity: 1, load: 1, freeCapacity: 0, state: 'FULL' });
  });
});

// ---------------------------------------------------------------------------------------
// 4. Concurrency

describe('concurrent assignments never over-fill a team', () => {
  test('50 simultaneous assignTeam calls for 50 cases onto a team with room for 10: exactly 10 succeed, 40 answer CONFLICT with the proposal, the load is never past capacity at any commit, and no case is half-assigned', async () => {
    const s = await scene();
    const ds = app.dataSource;
    const { TA } = s.teams;
    const TC = s.TC; // capacity 10, load 0, in windstreek C: every assignment is cross-windstreek
    const cases = await Promise.all(Array.from({ length: 50 }, () => caseIn(s, Phase.ACCEPTED, { team: null })));

    // A probe that records, at the commit of every transaction that put a case on TC, the
    // team's load as that commit leaves it (a deferred constraint trigger runs at commit).
    const probe = `caseload_commit_probe_${unique().replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
    await ds.query(`CREATE TABLE ${probe} (seq bigserial PRIMARY KEY, load int NOT NULL, capacity int NOT NULL)`);
    // SECURITY DEFINER: it runs as the test's owner role, not as the API's, which may not write the probe.
    await ds.query(`CREATE FUNCTION ${probe}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        INSERT INTO ${probe} (load, capacity)
          SELECT (SELECT count(*) FROM trajectory WHERE team_id = NEW.team_id AND phase IN ('ACCEPTED', 'ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION')),
                 (SELECT capacity FROM topteam WHERE id = NEW.team_id);
        RETURN NULL;
      END $$`);
    await ds.query(`CREATE CONSTRAINT TRIGGER ${probe} AFTER UPDATE OF team_id ON trajectory DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.team_id = '${TC.id}'::uuid) EXECUTE FUNCTION ${probe}()`);
    let commits: Array<{ load: number; capacity: number }>;
    let outcomes: Outcome[];
    try {
      const coordinator = await sdk(s.users.coordinator);
      outcomes = await Promise.all(cases.map((c) => outcome(coordinator.AssignTeam({ input: { trajectoryId: c.id, teamId: TC.id } }))));
      commits = await ds.query(`SELECT load, capacity FROM ${probe} ORDER BY seq`);
    } finally {
      await ds.query(`DROP TRIGGER IF EXISTS ${probe} ON trajectory`);
      await ds.query(`DROP FUNCTION IF EXISTS ${probe}()`);
      await ds.query(`DROP TABLE IF EXISTS ${probe}`);
    }

    // Exactly 10 succeed; the other 40 are CONFLICT with the proposal as it stood (TC full,
    // the home team TA first).
    const conflicts = outcomes.filter((o) => !o.ok);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    expect(conflicts.map((o) => o.code)).toEqual(Array(40).fill('CONFLICT'));
    for (const conflict of conflicts) {
      const proposal = conflict.extensions!.proposal as { fitsNowhere: boolean; candidates: Array<{ teamId: string }> };
      expect(conflict.message).toContain(`${TC.name} has no room`);
      expect(proposal.fitsNowhere).toBe(false);
      expect(proposal.candidates[0].teamId).toBe(TA.id);
      expect(proposal.candidates.map((c) => c.teamId)).not.toContain(TC.id);
    }

    // At every commit the load stayed within capacity: one commit per success, each seeing
    // the previous ones, 1, 2, ..., 10.
    expect(commits).toEqual(Array.from({ length: 10 }, (_, i) => ({ load: i + 1, capacity: 10 })));

    // No case half-assigned: assigned with its event, its version and its cross-windstreek
    // record, or untouched.
    const states = await Promise.all(cases.map(async (c) => {
      const state = await caseState(ds, c.id);
      const acts = state.records.events.map((e) => (JSON.parse(e) as { act: string }).act);
      return { teamId: state.teamId, version: state.version, assignEvents: acts.filter((a) => a === 'assignTeam').length, cross: state.records.crossWindstreekAssignments.length };
    }));
    const assigned = states.filter((x) => x.teamId !== null);
    expect(assigned).toEqual(Array(10).fill({ teamId: TC.id, version: 2, assignEvents: 1, cross: 1 }));
    expect(states.filter((x) => x.teamId === null)).toEqual(Array(40).fill({ teamId: null, version: 1, assignEvents: 0, cross: 0 }));
    expect(await ds.getRepository(CrossWindstreekAssignment).countBy({ assignedTeamId: TC.id })).toBe(10);

    // And the load the API reports afterwards.
    expect((await loadsAs(s.users.coordinator))[TC.id]).toMatchObject({ load: 10, freeCapacity: 0, state: 'FULL', crossWindstreekCases: 10, counts: { accepted: 10 } });
  });
});

// ---------------------------------------------------------------------------------------
// 5. Access moves with the case

describe('access moves with the case', () => {
  test('reassigned by the coordinator from team A to team B: team A\'s next request no longer reaches the case, team B\'s does; a cross-windstreek assignment is recorded', async () => {
    const s = await scene();
    const { TA, TB } = s.teams;
    // A case of school C1 (windstreek C) that overflowed to TA, in the intensive phase (a goal
    // and a hand-over advice), with a team note.
    const { trajectory, student } = await trajectoryIn(app.dataSource, s as unknown as World, Phase.INTENSIVE, { school: s.C1, team: TA });
    const teacherA = await sdk(s.users.teacherA);
    const scientistA = await sdk(s.users.scientistA);
    const scientistB = await sdk(s.users.scientistB);
    await teacherA.AddNote({ input: { trajectoryId: trajectory.id, body: 'Mentor gebeld.' } });

    const reach = async (client: typeof teacherA, teamId: string) => {
      const { trajectory: t } = await client.CaseloadTrajectory({ id: trajectory.id });
      const list = await client.CaseloadTrajectories({});
      const team = (await client.CaseloadTeamCases({ id: teamId })).topteam;
      return {
        trajectory: t && { team: t.team?.id, goals: t.goals?.totalCount, notes: t.notes?.totalCount },
        inList: list.trajectories.edges.some((e) => e.node.id === trajectory.id),
        inTeamList: team?.trajectories?.edges.some((e) => e.node.id === trajectory.id) ?? false,
        student: (await client.CaseloadStudent({ id: student.id })).student?.id ?? null,
      };
    };
    const reaches = { trajectory: expect.objectContaining({ goals: 1, notes: 1 }), inList: true, inTeamList: true, student: student.id };
    const nothing = { trajectory: null, inList: false, inTeamList: false, student: null };

    // Before: team A reaches everything, team B nothing.
    expect(await reach(teacherA, TA.id)).toEqual(reaches);
    expect(await reach(scientistA, TA.id)).toEqual(reaches);
    expect(await reach(scientistB, TB.id)).toEqual(nothing);

    const { reassignTeam: moved } = await (await sdk(s.users.coordinator)).ReassignTeam({ input: { trajectoryId: trajectory.id, teamId: TB.id, reason: 'TA zit vol na de capaciteitsverlaging.' } });
    expect(moved).toEqual({ id: trajectory.id, phase: 'INTENSIVE', version: trajectory.version + 1 /* the note did not raise it */, team: { id: TB.id } });

    // Team A's next requests: the case, its goals and notes, its student are gone; writing in it is NOT_FOUND.
    expect(await reach(teacherA, TA.id)).toEqual(nothing);
    expect(await reach(scientistA, TA.id)).toEqual(nothing);
    expect(await outcome(teacherA.AddNote({ input: { trajectoryId: trajectory.id, body: 'Nog een notitie.' } }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    // Team B's gedragswetenschapper and teacher now reach it, student included (care consent).
    expect(await reach(scientistB, TB.id)).toEqual({ ...reaches, trajectory: { team: TB.id, goals: 1, notes: 1 } });
    expect((await reach(await sdk(s.users.teacherB), TB.id)).trajectory).toEqual({ team: TB.id, goals: 1, notes: 1 });

    // TB is outside the case's home windstreek C: recorded, with the coordinator as approver.
    const [cross, ...more] = await crossAssignments(trajectory.id);
    expect(more).toEqual([]);
    expect(cross).toMatchObject({ originalTeamId: TA.id, assignedTeamId: TB.id, approvedByUserId: s.users.coordinator.id });
    expect(cross.reason).toContain('TA zit vol na de capaciteitsverlaging.');
    const { trajectory: seenByB } = await scientistB.CaseloadTrajectory({ id: trajectory.id });
    expect(seenByB!.crossWindstreekAssignments!.edges.map((e) => ({ reason: e.node.reason, from: e.node.originalTeam?.id, to: e.node.assignedTeam?.id }))).toEqual([
      { reason: cross.reason, from: TA.id, to: TB.id },
    ]);
    expect(seenByB!.events!.edges.at(-1)!.node).toEqual({ act: 'reassignTeam', fromPhase: 'INTENSIVE', toPhase: 'INTENSIVE', reason: 'TA zit vol na de capaciteitsverlaging.' });

    // Moved on to the home team TC: no further cross-windstreek record; team B loses the case.
    await (await sdk(s.users.coordinator)).ReassignTeam({ input: { trajectoryId: trajectory.id, teamId: s.TC.id, reason: 'Terug naar het eigen team.' } });
    expect(await crossAssignments(trajectory.id)).toHaveLength(1);
    expect(await reach(scientistB, TB.id)).toEqual(nothing);
  });
});

// ---------------------------------------------------------------------------------------
// 6. Roles

describe('roles', () => {
  test('assignTeam: only the programme coordinator and the gedragswetenschapper of the home windstreek\'s team; the others get FORBIDDEN (they see the case) or NOT_FOUND, and nothing is written', async () => {
    const s = await scene();
    const waiting = await caseIn(s, Phase.ACCEPTED, { team: null, mentor: s.users.mentorA1 });
    const before = await caseState(app.dataSource, waiting.id);
    const refused = ROLES.filter((r) => r !== 'coordinator' && r !== 'scientistA');
    const codes = await answers(s, refused, async (user) => (await sdk(user)).AssignTeam({ input: { trajectoryId: waiting.id, teamId: s.teams.TA.id } }));
    expect(codes).toEqual({
      advisorA: 'FORBIDDEN', schoolA1: 'FORBIDDEN', mentorA1: 'FORBIDDEN',
      teacherA: 'NOT_FOUND', scientistB: 'NOT_FOUND', teacherB: 'NOT_FOUND', schoolB1: 'NOT_FOUND',
      admin: 'NOT_FOUND', privacy: 'NOT_FOUND', analyst: 'NOT_FOUND', nobody: 'NOT_FOUND',
    });
    expect(await caseState(app.dataSource, waiting.id)).toEqual(before);

    // The two who may: each on a case of its own.
    for (const role of ['coordinator', 'scientistA'] as const) {
      const other = await caseIn(s, Phase.ACCEPTED, { team: null });
      const { assignTeam: t } = await (await sdk(s.users[role])).AssignTeam({ input: { trajectoryId: other.id } });
      expect({ role, team: t?.team?.id, version: t?.version }).toEqual({ role, team: s.teams.TA.id, version: 2 });
      expect((await events(other.id)).at(-1)).toMatchObject({ act: 'assignTeam', actorUserId: s.users[role].id });
    }
  });

  test('assignTeam by the gedragswetenschapper when its own team is over the threshold: the overflow rule sends the case to another team, and the answer is not an error', async () => {
    const s = await scene();
    await overloadTA(s);
    const waiting = await caseIn(s, Phase.ACCEPTED, { team: null });
    const result = await outcome((await sdk(s.users.scientistA)).AssignTeam({ input: { trajectoryId: waiting.id } }));
    expect(await teamOf(waiting.id)).toBe(s.TC.id);
    expect(result).toEqual({ ok: true });
  });

  test('reassignTeam: only the programme coordinator and the gedragswetenschapper of the home windstreek\'s team; the others get FORBIDDEN or NOT_FOUND, and nothing is written', async () => {
    const s = await scene();
    const assigned = await caseIn(s, Phase.INTENSIVE, { mentor: s.users.mentorA1 });
    const before = await caseState(app.dataSource, assigned.id);
    const refused = ROLES.filter((r) => r !== 'coordinator' && r !== 'scientistA');
    const codes = await answers(s, refused, async (user) => (await sdk(user)).ReassignTeam({ input: { trajectoryId: assigned.id, teamId: s.teams.TB.id, reason: 'Herverdelen.' } }));
    expect(codes).toEqual({
      // They see the case (its team, school, windstreek or mentee) but may not move it.
      teacherA: 'FORBIDDEN', advisorA: 'FORBIDDEN', schoolA1: 'FORBIDDEN', mentorA1: 'FORBIDDEN',
      scientistB: 'NOT_FOUND', teacherB: 'NOT_FOUND', schoolB1: 'NOT_FOUND', admin: 'NOT_FOUND', privacy: 'NOT_FOUND', analyst: 'NOT_FOUND', nobody: 'NOT_FOUND',
    });
    expect(await caseState(app.dataSource, assigned.id)).toEqual(before);

    // The coordinator may; the gedragswetenschapper of TA may, and then no longer sees the case (null).
    const { reassignTeam: byCoordinator } = await (await sdk(s.users.coordinator)).ReassignTeam({ input: { trajectoryId: assigned.id, teamId: s.teams.TB.id, reason: 'Herverdelen.' } });
    expect(byCoordinator).toMatchObject({ team: { id: s.teams.TB.id }, version: before.version + 1 });
    const own = await caseIn(s, Phase.INTENSIVE);
    const { reassignTeam: byScientist } = await (await sdk(s.users.scientistA)).ReassignTeam({ input: { trajectoryId: own.id, teamId: s.TC.id, reason: 'TC heeft ruimte.' } });
    expect(byScientist).toBeNull();
    expect(await teamOf(own.id)).toBe(s.TC.id);
    expect((await events(own.id)).at(-1)).toMatchObject({ act: 'reassignTeam', actorUserId: s.users.scientistA.id, reason: 'TC heeft ruimte.' });
  });

  test('a case of windstreek A that overflowed to team B: the gedragswetenschapper of team B sees it but may not move it (FORBIDDEN); the home windstreek\'s gedragswetenschapper no longer reaches it (NOT_FOUND); the programme coordinator moves it back', async () => {
    const s = await scene();
    const overflowed = await caseIn(s, Phase.ASSESSMENT, { team: s.teams.TB });
    const before = await caseState(app.dataSource, overflowed.id);
    expect(await outcome((await sdk(s.users.scientistB)).ReassignTeam({ input: { trajectoryId: overflowed.id, teamId: s.TC.id, reason: 'Naar TC.' } })))
      .toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await caseState(app.dataSource, overflowed.id)).toEqual(before);

    // Policy: a Topteam member never reaches a trajectory of another team (the foundation's
    // guarantee), so the home windstreek's gedragswetenschapper moves its windstreek's cases
    // while they wait for a team or sit in the own team; once in another team, the programme
    // coordinator moves them.
    expect(await outcome((await sdk(s.users.scientistA)).ReassignTeam({ input: { trajectoryId: overflowed.id, teamId: s.teams.TA.id, reason: 'TA heeft weer ruimte.' } })))
      .toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await caseState(app.dataSource, overflowed.id)).toEqual(before);
    const back = await outcome((await sdk(s.users.coordinator)).ReassignTeam({ input: { trajectoryId: overflowed.id, teamId: s.teams.TA.id, reason: 'TA heeft weer ruimte.' } }));
    expect(back).toEqual({ ok: true });
    expect(await teamOf(overflowed.id)).toBe(s.teams.TA.id);
  });

  test('setTeamCapacity: only the programme coordinator; the others get FORBIDDEN (they see the team) or NOT_FOUND, and nothing is written', async () => {
    const s = await scene();
    const { TA } = s.teams;
    const changes = () => app.dataSource.getRepository(TeamCapacityChange).countBy({ topteamId: TA.id });
    const others = ROLES.filter((r) => r !== 'coordinator');
    const codes = await answers(s, others, async (user) => (await sdk(user)).SetTeamCapacity({ input: { teamId: TA.id, capacity: 15, reason: 'Uitbreiding.' } }));
    expect(codes).toEqual({
      // Structure readers see team TA (the school coordinator of A1: the team of its windstreek).
      admin: 'FORBIDDEN', privacy: 'FORBIDDEN', analyst: 'FORBIDDEN', advisorA: 'FORBIDDEN', scientistA: 'FORBIDDEN', teacherA: 'FORBIDDEN',
      scientistB: 'FORBIDDEN', teacherB: 'FORBIDDEN', schoolA1: 'FORBIDDEN',
      // No trajectory of school B1 went to TA; mentors and users without a role see no structure.
      schoolB1: 'NOT_FOUND', mentorA1: 'NOT_FOUND', nobody: 'NOT_FOUND',
    });
    expect((await app.dataSource.getRepository(Topteam).findOneByOrFail({ id: TA.id })).capacity).toBe(10);
    expect(await changes()).toBe(0);
    // Positive control: the coordinator may.
    expect((await (await sdk(s.users.coordinator)).SetTeamCapacity({ input: { teamId: TA.id, capacity: 15, reason: 'Uitbreiding.' } })).setTeamCapacity).toEqual({ id: TA.id, capacity: 15 });
    expect(await changes()).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------
// 7. setTeamCapacity

describe('setTeamCapacity', () => {
  test('as the programme coordinator: the new capacity, and each change (previous, new, reason, who) in the team\'s capacity history, newest first', async () => {
    const s = await scene();
    const { TA } = s.teams;
    const coordinator = await sdk(s.users.coordinator);
    expect((await coordinator.SetTeamCapacity({ input: { teamId: TA.id, capacity: 14, reason: '  Extra ambulant hulpverlener.  ' } })).setTeamCapacity).toEqual({ id: TA.id, capacity: 14 });
    await coordinator.SetTeamCapacity({ input: { teamId: TA.id, capacity: 12, reason: 'Ziekte in het team.' } });

    const { topteam } = await coordinator.TopteamCapacity({ id: TA.id });
    expect(topteam!.capacity).toBe(12);
    expect(topteam!.capacityChanges!.totalCount).toBe(2);
    expect(topteam!.capacityChanges!.edges.map(({ node: { changedBy, ...n } }) => n)).toEqual([
      { previousCapacity: 14, newCapacity: 12, reason: 'Ziekte in het team.' },
      { previousCapacity: 10, newCapacity: 14, reason: 'Extra ambulant hulpverlener.' },
    ]);
    const rows = await app.dataSource.getRepository(TeamCapacityChange).find({ where: { topteamId: TA.id } });
    expect(rows.map((r) => r.changedByUserId)).toEqual([s.users.coordinator.id, s.users.coordinator.id]);
    expect((await loadsAs(s.users.coordinator))[TA.id]).toMatchObject({ capacity: 12, thresholdLoad: 10.8 });
  });

  test('the same capacity again, zero, or more than 200 is BAD_USER_INPUT and nothing is written', async () => {
    const s = await scene();
    const { TA } = s.teams;
    const coordinator = await sdk(s.users.coordinator);
    for (const capacity of [10, 0, 201]) {
      expect({ capacity, ...(await outcome(coordinator.SetTeamCapacity({ input: { teamId: TA.id, capacity, reason: 'Test.' } }))) }).toMatchObject({ capacity, ok: false, code: 'BAD_USER_INPUT' });
    }
    expect(await app.dataSource.getRepository(TeamCapacityChange).countBy({ topteamId: TA.id })).toBe(0);
  });

  test('lowering the capacity below the load makes the team FULL; reassignTeam moves cases away (by the proposal, or to a named team) and the load drops', async () => {
    const s = await scene();
    const { TA, TB } = s.teams;
    const [first, second] = await load(s, TA, 2, Phase.INTENSIVE);
    const coordinator = await sdk(s.users.coordinator);
    await coordinator.SetTeamCapacity({ input: { teamId: TA.id, capacity: 3, reason: 'Twee teamleden met verlof.' } });
    expect((await loadsAs(s.users.coordinator))[TA.id]).toMatchObject({ capacity: 3, load: 4, freeCapacity: -1, state: 'FULL' });

    // Without a team: the top of the proposal, which leaves out the current team (TC: 9 free after, TB 7.5).
    const proposal = (await coordinator.AssignmentProposal({ trajectoryId: first.id })).assignmentProposal;
    expect(proposal.candidates.map((c) => c.teamId)).toEqual([s.TC.id, TB.id]);
    expect((await coordinator.ReassignTeam({ input: { trajectoryId: first.id, reason: 'Capaciteit verlaagd.' } })).reassignTeam!.team).toEqual({ id: s.TC.id });
    expect((await loadsAs(s.users.coordinator))[TA.id]).toMatchObject({ load: 3, freeCapacity: 0, state: 'FULL' });
    // To a named team.
    expect((await coordinator.ReassignTeam({ input: { trajectoryId: second.id, teamId: TB.id, reason: 'Capaciteit verlaagd.' } })).reassignTeam!.team).toEqual({ id: TB.id });
    const loads = await loadsAs(s.users.coordinator);
    expect(loads[TA.id]).toMatchObject({ load: 2, freeCapacity: 1, state: 'OK' });
    expect(loads[TB.id]).toMatchObject({ load: 2.5, counts: { intensive: 1 }, crossWindstreekCases: 2 });
    expect(loads[s.TC.id]).toMatchObject({ load: 1, crossWindstreekCases: 1 });
  });

  test('reassignTeam to the team the case already has is BAD_USER_INPUT, and to a team of another partnership NOT_FOUND; nothing is written', async () => {
    const s = await scene();
    const other = await createWorld(app.dataSource);
    const assigned = await caseIn(s, Phase.ASSESSMENT);
    const before = await caseState(app.dataSource, assigned.id);
    const coordinator = await sdk(s.users.coordinator);
    expect(await outcome(coordinator.ReassignTeam({ input: { trajectoryId: assigned.id, teamId: s.teams.TA.id, reason: 'Zelfde team.' } }))).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
    expect(await outcome(coordinator.ReassignTeam({ input: { trajectoryId: assigned.id, teamId: other.teams.TA.id, reason: 'Vreemd team.' } }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await caseState(app.dataSource, assigned.id)).toEqual(before);
  });
});
