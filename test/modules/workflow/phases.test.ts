/**
 * The trajectory's state machine through HTTP:
 *
 * 1. every (phase, act) pair of ACTS: a legal act succeeds and records exactly one event
 *    with the right from/to; an illegal one answers INVALID_TRANSITION naming the phase and
 *    the mutations allowed in it, and changes nothing;
 * 2. every act tried by every role of the world: only the holders of the act's permission
 *    succeed, the others get FORBIDDEN (they see the record) or NOT_FOUND (they do not), and
 *    nothing is written;
 * 3. the phase acts themselves: their dates, preconditions and bad input, and the follow-ups.
 *
 * Trajectories are built in any phase by `trajectoryIn` (test/factories/workflow.ts), for a
 * student of school A1 (windstreek A) assigned to team TA from ACCEPTED on. Due dates and
 * DST are in due-dates.test.ts.
 */
import { Topteam, User } from '../../../src/app/entities';
import { addDays, addMonths } from '../../../src/domain/clock';
import { Phase, Role, TeamFunction } from '../../../src/domain/enums';
import type { TrajectoryPermission } from '../../../src/authz/actions';
import { ACTS, ActName, ActSpec, mutationsAllowedIn } from '../../../src/modules/trajectories/workflow/acts';
import { createUser } from '../../factories';
import { ACT_CASES, ActCase, ActExtras, CaseState, TrajectoryFixture, actOperation, caseState, prepareAct, recordCounts, trajectoryIn } from '../../factories/workflow';
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
  // The tables below put a few hundred active cases on team TA (and reassign some to TB).
  // Capacity is not under test here (test/modules/caseload is): room for all of them, so
  // acceptance and assignTeam always find the home team under its threshold.
  await app.dataSource.getRepository(Topteam).update({ partnershipId: world.partnership.id }, { capacity: 10_000 });
});
afterAll(() => app.stop());

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  extensions?: Record<string, unknown>;
}

/** Performs `act` as `user` with the valid input of ACT_CASES; the first error, if any. */
async function perform(user: User, act: ActName, fixture: TrajectoryFixture, extras: ActExtras): Promise<Outcome> {
  const { body } = await app.gql(user.email, actOperation(act), { input: ACT_CASES[act].input(fixture, extras, TODAY) });
  const error = body.errors?.[0];
  if (error) return { ok: false, code: String(error.extensions?.code), message: error.message, extensions: error.extensions };
  const mutation = (ACTS[act] as ActSpec).mutation;
  const result = (body.data as Record<string, { id?: string } | null> | null)?.[mutation];
  // assignTeam and reassignTeam answer null to a gedragswetenschapper who moved the case out
  // of sight (access moves with the case), transferStudent to the school that handed the
  // student over; every other act answers the record it acted on.
  return { ok: Boolean(result?.id) || ((act === 'assignTeam' || act === 'reassignTeam' || act === 'transferStudent') && result === null) };
}

type EventRow = { act: string; fromPhase: Phase | null; toPhase: Phase | null; actorUserId: string; reason: string | null };

/** Events recorded between two states. */
function newEvents(before: CaseState, after: CaseState): EventRow[] {
  return after.records.events.filter((e) => !before.records.events.includes(e)).map((e) => JSON.parse(e) as EventRow);
}

async function built(phase: Phase, options: Parameters<typeof trajectoryIn>[3] = {}) {
  return trajectoryIn(app.dataSource, world, phase, options);
}

/** The trajectory `act` is tried on (assignTeam: a case without a team), with `options` on top. */
async function builtFor(act: ActName, phase: Phase, options: Parameters<typeof trajectoryIn>[3] = {}) {
  return built(phase, { ...(ACT_CASES[act] as ActCase).fixture, ...options });
}

const ALL_ACTS = Object.keys(ACTS) as ActName[];
const ALL_PHASES = Object.values(Phase);

// ---------------------------------------------------------------------------------------
// 1. Every (phase, act) pair

describe('every (phase, act) pair of the state machine', () => {
  test('the table covers every act of ACTS and every phase', () => {
    expect(Object.keys(ACT_CASES).sort()).toEqual([...ALL_ACTS].sort());
    expect(ALL_PHASES).toHaveLength(11);
    // Every act is legal somewhere, and every phase but the final ones has a way out.
    for (const act of ALL_ACTS) expect((ACTS[act] as ActSpec).from.length).toBeGreaterThan(0);
  });

  const pairs = ALL_ACTS.flatMap((act) =>
    ALL_PHASES.map((phase) => {
      const spec = ACTS[act] as ActSpec;
      const legal = spec.from.includes(phase);
      return {
        act,
        phase,
        legal,
        title: legal
          ? `${spec.mutation} (${act}) in ${phase}: succeeds and records one event ${phase} -> ${spec.to ?? phase}`
          : `${spec.mutation} (${act}) in ${phase}: refused, nothing changes`,
      };
    }),
  );

  test.each(pairs)('$title', async ({ act, phase, legal }) => {
    const spec = ACTS[act] as ActSpec;
    const fixture = await builtFor(act, phase);
    const extras = await prepareAct(app.dataSource, world, act, fixture, TODAY);
    const assigned = fixture.trajectory.teamId !== null;
    const performer = ACT_CASES[act].performer(world, assigned);
    const before = await caseState(app.dataSource, fixture.trajectory.id);

    const outcome = await perform(performer, act, fixture, extras);
    const after = await caseState(app.dataSource, fixture.trajectory.id);

    if (legal) {
      expect(outcome).toEqual({ ok: true });
      expect(after.phase).toBe(spec.to ?? phase);
      // An addition leaves the version alone: additions never conflict with each other.
      expect(after.version).toBe(spec.adds ? before.version : before.version + 1);
      const events = newEvents(before, after);
      const own = events.filter((e) => e.act === act);
      expect(own).toEqual([expect.objectContaining({ act, fromPhase: phase, toPhase: spec.to ?? phase, actorUserId: performer.id })]);
      // Acceptance also records the team assignment; every other act records exactly one event.
      expect(events.map((e) => e.act)).toEqual(act === 'acceptRegistration' ? ['acceptRegistration', 'assignTeam'] : [act]);
      return;
    }

    if (act === 'transferStudent') {
      // The transfer addresses the student, not the case: it succeeds, and a case that no
      // longer runs stays with the school that registered it, untouched.
      expect(outcome).toEqual({ ok: true });
      expect(after).toEqual(before);
      return;
    }
    if (!assigned && performer.id === world.users.scientistA.id) {
      // Before acceptance the trajectory is not shared with any team: a team act is not even
      // possible to attempt (hidden equals missing).
      expect(outcome).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    } else {
      expect(outcome).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
      expect(outcome.extensions).toMatchObject({ phase });
      expect(outcome.extensions!.allowedInPhase).toEqual(mutationsAllowedIn(phase));
      // `allowed`: what this caller may do now: the phase's acts whose permission the performer holds.
      const role = ROLES.find((r) => user(r).id === performer.id)!;
      const mine = (Object.values(ACTS) as ActSpec[])
        .filter((s) => s.from.includes(phase) && s.permissions.some((p) => holders(p, assigned).includes(role)))
        .map((s) => s.mutation);
      expect(outcome.extensions!.allowed).toEqual([...new Set(mine)]);
      expect(outcome.extensions!.allowed).not.toContain(spec.mutation);
      expect(outcome.message).toContain(phase);
    }
    expect(after).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------
// 2. Every act by every role

type RoleName = keyof World['users'] | 'teacherA';
const ROLES: RoleName[] = ['admin', 'privacy', 'coordinator', 'analyst', 'advisorA', 'scientistA', 'teacherA', 'teacherB', 'schoolA1', 'schoolB1', 'mentorA1', 'nobody'];

function user(role: RoleName): User {
  return role === 'teacherA' ? teacherA : world.users[role];
}

/** Who holds each permission on a trajectory of school A1 / windstreek A / team TA with all consents (workflow rules). */
function holders(permission: TrajectoryPermission, assigned: boolean): RoleName[] {
  const team = (roles: RoleName[]) => (assigned ? roles : []);
  switch (permission) {
    case 'reviewRegistration': return ['advisorA'];
    case 'supplementRegistration': return ['schoolA1'];
    case 'withdrawRegistration': return assigned ? [] : ['schoolA1'];
    case 'registerAbsence': return ['schoolA1'];
    case 'recordOppUptake': return ['schoolA1'];
    case 'movePhase': return team(['scientistA']);
    case 'cancelTrajectory': return team(['scientistA']);
    case 'writeCase': return team(['scientistA', 'teacherA']);
    case 'resolveEscalation': return ['coordinator'];
    // The gedragswetenschapper of the home windstreek's team, assigned or not (caseload rules).
    case 'assignTeam': return ['coordinator', 'scientistA'];
    // The school that hands the student over, and the programme coordinator.
    case 'transferStudent': return ['schoolA1', 'coordinator'];
    // The gedragswetenschapper of the assigned team and the programme coordinator (workflow rules).
    case 'staffCase': return ['coordinator', ...team(['scientistA'])];
  }
}

/**
 * Who sees the record an act addresses (the access matrix, src/authz/README.md; the student is a mentee of mentor A1). An
 * accepted case still without a team is seen (planning fields) by the gedragswetenschapper of
 * its windstreek's team, who may assign it; not by the team's other members.
 */
function seers(target: (typeof ACT_CASES)[ActName]['target'], assigned: boolean, phase: Phase): RoleName[] {
  const team: RoleName[] = assigned ? ['scientistA', 'teacherA'] : [];
  switch (target) {
    case 'Trajectory': return ['coordinator', 'advisorA', 'schoolA1', 'mentorA1', ...team, ...(!assigned && phase === Phase.ACCEPTED ? ['scientistA' as const] : [])];
    case 'Goal': return ['advisorA', 'schoolA1', 'mentorA1', ...team];
    case 'Escalation': return ['coordinator', 'schoolA1', ...team];
    // The school sees that a complaint exists (its status); the programme coordinator reads it whole.
    case 'Complaint': return ['coordinator', 'schoolA1', ...team];
    case 'HandoverAdvice': return ['schoolA1', 'mentorA1', ...team];
    // The student (a mentee of mentor A1, with both consents): the programme coordinator its pseudonym, the privacy officer its identity.
    case 'Student': return ['coordinator', 'privacy', 'advisorA', 'schoolA1', 'mentorA1', ...team];
  }
}

describe('every act by every role, in a phase where the act is legal', () => {
  const cases = ALL_ACTS.flatMap((act) => {
    const spec = ACTS[act] as ActSpec;
    // Cancelling is two permissions: the school withdraws before acceptance, the team cancels after.
    const phases = act === 'cancelTrajectory' ? [Phase.REQUESTED, Phase.ASSESSMENT] : act === 'resolveEscalation' ? [Phase.INTENSIVE] : [spec.from[0]];
    return phases.map((phase) => ({ act, phase }));
  });

  test.each(cases)('$act in $phase: only the holders of its permission succeed; the others get FORBIDDEN or NOT_FOUND and nothing is written', async ({ act, phase }) => {
    const spec = ACTS[act] as ActSpec;
    const fresh = async () => {
      const fixture = await builtFor(act, phase, { mentor: world.users.mentorA1 });
      return { fixture, extras: await prepareAct(app.dataSource, world, act, fixture, TODAY) };
    };
    let { fixture, extras } = await fresh();
    const assigned = fixture.trajectory.teamId !== null;
    const allowed = [...new Set(spec.permissions.flatMap((p) => holders(p, assigned)))];
    const visible = seers(ACT_CASES[act].target, assigned, phase);
    expect(allowed.length).toBeGreaterThan(0);

    const before = await caseState(app.dataSource, fixture.trajectory.id);
    const refused: Record<string, string | undefined> = {};
    for (const role of ROLES.filter((r) => !allowed.includes(r))) refused[role] = (await perform(user(role), act, fixture, extras)).code;
    expect(refused).toEqual(Object.fromEntries(ROLES.filter((r) => !allowed.includes(r)).map((r) => [r, visible.includes(r) ? 'FORBIDDEN' : 'NOT_FOUND'])));
    expect(await caseState(app.dataSource, fixture.trajectory.id)).toEqual(before);

    for (const [index, role] of allowed.entries()) {
      if (index > 0) ({ fixture, extras } = await fresh());
      const start = await caseState(app.dataSource, fixture.trajectory.id);
      expect({ role, outcome: await perform(user(role), act, fixture, extras) }).toEqual({ role, outcome: { ok: true } });
      const events = newEvents(start, await caseState(app.dataSource, fixture.trajectory.id));
      expect(events.find((e) => e.act === act)).toMatchObject({ actorUserId: user(role).id, fromPhase: phase });
    }
  });
});

// ---------------------------------------------------------------------------------------
// 3. The phase acts

const scientist = () => app.sdk(world.users.scientistA.email);

describe('startAssessment (intakegesprek), as the gedragswetenschapper of team TA', () => {
  test('starts the assessment on the day of the intro meeting, due 4 weeks later, with the version it acted on', async () => {
    const { trajectory } = await built(Phase.ACCEPTED, { phaseStartedOn: '2026-03-02' });
    const sdk = await scientist();
    const { startAssessment: t } = await sdk.StartAssessment({ input: { trajectoryId: trajectory.id, expectedVersion: 1, introMeetingOn: '2026-03-09' } });
    expect(t).toMatchObject({ phase: 'ASSESSMENT', version: 2, phaseDueOn: '2026-04-06', phaseLimitOn: null, overdue: false, phaseStartedAt: '2026-03-16T10:00:00.000Z' });
  });

  test('accepts an intro meeting today and on the day of acceptance; refuses one tomorrow or before the acceptance (BAD_USER_INPUT, nothing written)', async () => {
    const sdk = await scientist();
    const today = await built(Phase.ACCEPTED, { phaseStartedOn: '2026-03-10' });
    expect((await sdk.StartAssessment({ input: { trajectoryId: today.trajectory.id, introMeetingOn: TODAY } })).startAssessment.phaseDueOn).toBe('2026-04-13');
    const onAcceptance = await built(Phase.ACCEPTED, { phaseStartedOn: '2026-03-10' });
    expect((await sdk.StartAssessment({ input: { trajectoryId: onAcceptance.trajectory.id, introMeetingOn: '2026-03-10' } })).startAssessment.phase).toBe('ASSESSMENT');

    const { trajectory } = await built(Phase.ACCEPTED, { phaseStartedOn: '2026-03-10' });
    const before = await caseState(app.dataSource, trajectory.id);
    const future = await errorOf(sdk.StartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: addDays(TODAY, 1) } }));
    expect(future).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.introMeetingOn' });
    const early = await errorOf(sdk.StartAssessment({ input: { trajectoryId: trajectory.id, introMeetingOn: '2026-03-09' } }));
    expect(early).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.introMeetingOn' });
    expect(early.message).toContain('2026-03-10');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });

  test('a stale expectedVersion is CONFLICT and changes nothing', async () => {
    const { trajectory } = await built(Phase.ACCEPTED);
    const before = await caseState(app.dataSource, trajectory.id);
    const sdk = await scientist();
    expect((await errorOf(sdk.StartAssessment({ input: { trajectoryId: trajectory.id, expectedVersion: 7, introMeetingOn: TODAY } }))).code).toBe('CONFLICT');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });
});

describe('agreeGoals (advies-/startgesprek), as the gedragswetenschapper of team TA', () => {
  test('starts the intensive phase on the meeting day: due after 12 weeks, hard limit 16 weeks', async () => {
    const { trajectory } = await built(Phase.ASSESSMENT);
    const { agreeGoals: t } = await (await scientist()).AgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: '2026-03-13' } });
    expect(t).toMatchObject({ phase: 'INTENSIVE', phaseDueOn: '2026-06-05', phaseLimitOn: '2026-07-03' });
  });

  test('without meetingOn the phase starts today', async () => {
    const { trajectory } = await built(Phase.ASSESSMENT);
    const { agreeGoals: t } = await (await scientist()).AgreeGoals({ input: { trajectoryId: trajectory.id } });
    expect(t).toMatchObject({ phase: 'INTENSIVE', phaseDueOn: addDays(TODAY, 84), phaseLimitOn: addDays(TODAY, 112) });
  });

  test('refuses with INVALID_TRANSITION while no goal is agreed with all three of student, parents and school, and succeeds once one is', async () => {
    const { trajectory } = await built(Phase.ASSESSMENT, { agreedGoal: false });
    const sdk = await scientist();
    const teacher = await app.sdk(teacherA.email);
    // Two goals, each missing one party's agreement.
    await teacher.AddGoal({ input: { trajectoryId: trajectory.id, description: 'Goal without parents', agreedWithStudent: true, agreedWithParents: false, agreedWithSchool: true } });
    await teacher.AddGoal({ input: { trajectoryId: trajectory.id, description: 'Goal without school', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: false } });
    const before = await caseState(app.dataSource, trajectory.id);
    const refused = await errorOf(sdk.AgreeGoals({ input: { trajectoryId: trajectory.id } }));
    expect(refused).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { phase: 'ASSESSMENT', allowedInPhase: mutationsAllowedIn(Phase.ASSESSMENT), allowed: mutationsAllowedIn(Phase.ASSESSMENT).filter((m) => !['registerAbsence', 'resolveEscalation', 'transferStudent'].includes(m)) } });
    expect(refused.message).toMatch(/goal/i);
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);

    await teacher.AddGoal({ input: { trajectoryId: trajectory.id, description: 'Agreed by all', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true } });
    expect((await sdk.AgreeGoals({ input: { trajectoryId: trajectory.id } })).agreeGoals.phase).toBe('INTENSIVE');
  });

  test('a meeting in the future is BAD_USER_INPUT naming input.meetingOn', async () => {
    const { trajectory } = await built(Phase.ASSESSMENT);
    expect(await errorOf((await scientist()).AgreeGoals({ input: { trajectoryId: trajectory.id, meetingOn: addDays(TODAY, 1) } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.meetingOn' });
  });
});

describe('closeAfterAssessment, as the gedragswetenschapper of team TA', () => {
  test('closes the trajectory with the advice for another route as closing reason; no due date', async () => {
    const { trajectory } = await built(Phase.ASSESSMENT);
    const { closeAfterAssessment: t } = await (await scientist()).CloseAfterAssessment({ input: { trajectoryId: trajectory.id, adviceForOtherRoute: '  Specialised youth care first.  ' } });
    expect(t).toMatchObject({ phase: 'CLOSED', closingReason: 'Specialised youth care first.', phaseDueOn: null, phaseLimitOn: null, overdue: false });
  });

  test('a blank advice is BAD_USER_INPUT naming input.adviceForOtherRoute, nothing written', async () => {
    const { trajectory } = await built(Phase.ASSESSMENT);
    const before = await caseState(app.dataSource, trajectory.id);
    expect(await errorOf((await scientist()).CloseAfterAssessment({ input: { trajectoryId: trajectory.id, adviceForOtherRoute: '   ' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.adviceForOtherRoute' });
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });
});

describe('startConsolidation, as the gedragswetenschapper of team TA', () => {
  test('needs a hand-over advice: INVALID_TRANSITION without one, nothing written; with one, consolidation due 3 months later', async () => {
    const { trajectory } = await built(Phase.INTENSIVE, { handoverAdvice: false });
    const sdk = await scientist();
    const before = await caseState(app.dataSource, trajectory.id);
    const refused = await errorOf(sdk.StartConsolidation({ input: { trajectoryId: trajectory.id } }));
    expect(refused).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { phase: 'INTENSIVE', allowedInPhase: mutationsAllowedIn(Phase.INTENSIVE), allowed: mutationsAllowedIn(Phase.INTENSIVE).filter((m) => !['registerAbsence', 'resolveEscalation', 'transferStudent'].includes(m)) } });
    expect(refused.message).toMatch(/hand-over advice/i);
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);

    await (await app.sdk(teacherA.email)).AddHandoverAdvice({ input: { trajectoryId: trajectory.id, advice: 'Keep the morning check-in.', recipient: 'SCHOOL' as never } });
    const { startConsolidation: t } = await sdk.StartConsolidation({ input: { trajectoryId: trajectory.id } });
    expect(t).toMatchObject({ phase: 'CONSOLIDATION', phaseDueOn: addMonths(TODAY, 3), phaseLimitOn: null });
  });
});

describe('completeTrajectory and the follow-ups, as the gedragswetenschapper of team TA', () => {
  test('completes the trajectory and plans the follow-ups 3 and 12 months after today', async () => {
    const { trajectory } = await built(Phase.CONSOLIDATION);
    const { completeTrajectory: t } = await (await scientist()).CompleteTrajectory({ input: { trajectoryId: trajectory.id } });
    expect(t).toMatchObject({ phase: 'COMPLETED', phaseDueOn: null, phaseLimitOn: null, overdue: false });
    // Sorted by moment: both are created in one transaction, so their creation times tie.
    expect(t.followUps!.edges.map((e) => e.node).sort((a, b) => a.moment.localeCompare(b.moment))).toEqual([
      { id: expect.any(String), moment: 'THREE_MONTHS', dueOn: '2026-06-16', recordedAt: null },
      { id: expect.any(String), moment: 'TWELVE_MONTHS', dueOn: '2027-03-16', recordedAt: null },
    ]);
  });

  test('records a follow-up from 14 days before it is due, once: earlier is INVALID_TRANSITION ("not due yet"), twice is CONFLICT', async () => {
    // Completed on 2025-12-30: the 3-month follow-up is due 2026-03-30, 14 days after today.
    const { trajectory } = await built(Phase.COMPLETED, { phaseStartedOn: '2025-12-30' });
    const sdk = await scientist();
    const answers = { stillInEducation: true, atExpectedExitLevel: false, diplomaExpected: true };
    const howIsItGoing = '  Gaat goed: zit nog in havo 3, mentor is tevreden.  ';
    const { recordFollowUp: f } = await sdk.RecordFollowUp({ input: { trajectoryId: trajectory.id, moment: 'THREE_MONTHS', ...answers, howIsItGoing } });
    expect(f).toMatchObject({
      moment: 'THREE_MONTHS', dueOn: '2026-03-30', recordedAt: '2026-03-16T10:00:00.000Z', ...answers, howIsItGoing: howIsItGoing.trim(),
      trajectory: { id: trajectory.id, phase: 'COMPLETED' },
    });
    const [row] = await app.dataSource.query('SELECT recorded_by_user_id, how_is_it_going FROM follow_up WHERE id = $1', [f.id]);
    expect(row).toEqual({ recorded_by_user_id: world.users.scientistA.id, how_is_it_going: howIsItGoing.trim() });

    const before = await caseState(app.dataSource, trajectory.id);
    expect((await errorOf(sdk.RecordFollowUp({ input: { trajectoryId: trajectory.id, moment: 'THREE_MONTHS', ...answers } }))).code).toBe('CONFLICT');
    const notDue = await errorOf(sdk.RecordFollowUp({ input: { trajectoryId: trajectory.id, moment: 'TWELVE_MONTHS', ...answers } }));
    expect(notDue).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { phase: 'COMPLETED' } });
    expect(notDue.message).toMatch(/not due yet/);
    expect(notDue.message).toContain('2026-12-30');
    expect(await caseState(app.dataSource, trajectory.id)).toEqual(before);
  });

  test('a follow-up due 15 days from today is not due yet; due in 14 days it can be recorded', async () => {
    const sdk = await scientist();
    const answers = { stillInEducation: true, atExpectedExitLevel: true, diplomaExpected: true };
    const late = await built(Phase.COMPLETED, { phaseStartedOn: '2025-12-31' }); // due 2026-03-31
    expect((await errorOf(sdk.RecordFollowUp({ input: { trajectoryId: late.trajectory.id, moment: 'THREE_MONTHS', ...answers } }))).code).toBe('INVALID_TRANSITION');
    const due = await built(Phase.COMPLETED, { phaseStartedOn: '2025-12-30' }); // due 2026-03-30
    expect((await sdk.RecordFollowUp({ input: { trajectoryId: due.trajectory.id, moment: 'THREE_MONTHS', ...answers } })).recordFollowUp.dueOn).toBe('2026-03-30');
  });

  test('the events of a full run from ACCEPTED to a recorded follow-up name each act, in order, with its from and to', async () => {
    const { trajectory } = await built(Phase.ACCEPTED, { agreedGoal: true, handoverAdvice: true, phaseStartedOn: '2026-03-02' });
    const sdk = await scientist();
    const id = trajectory.id;
    await sdk.StartAssessment({ input: { trajectoryId: id, expectedVersion: 1, introMeetingOn: '2026-03-03' } });
    await sdk.AgreeGoals({ input: { trajectoryId: id, expectedVersion: 2 } });
    await sdk.StartConsolidation({ input: { trajectoryId: id, expectedVersion: 3 } });
    await sdk.CompleteTrajectory({ input: { trajectoryId: id, expectedVersion: 4 } });
    app.clock.set(new Date('2026-06-10T10:00:00Z'));
    try {
      await sdk.RecordFollowUp({ input: { trajectoryId: id, expectedVersion: 5, moment: 'THREE_MONTHS', stillInEducation: true, atExpectedExitLevel: true, diplomaExpected: true } });
    } finally {
      app.clock.set(new Date('2026-03-16T10:00:00Z'));
    }
    const { trajectory: t } = await sdk.WorkflowTrajectory({ id });
    expect(t!.version).toBe(6);
    expect(t!.events!.edges.map((e) => e.node).slice(-5)).toEqual([
      { act: 'startAssessment', fromPhase: 'ACCEPTED', toPhase: 'ASSESSMENT', reason: null },
      { act: 'agreeGoals', fromPhase: 'ASSESSMENT', toPhase: 'INTENSIVE', reason: null },
      { act: 'startConsolidation', fromPhase: 'INTENSIVE', toPhase: 'CONSOLIDATION', reason: null },
      { act: 'completeTrajectory', fromPhase: 'CONSOLIDATION', toPhase: 'COMPLETED', reason: null },
      { act: 'recordFollowUp', fromPhase: 'COMPLETED', toPhase: 'COMPLETED', reason: 'THREE_MONTHS' },
    ]);
    expect(recordCounts(await caseState(app.dataSource, id))).toMatchObject({ followUps: 2 });
  });
});
