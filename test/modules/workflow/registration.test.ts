/**
 * Steps 3 and 4 of the handbook: the registration (target group, consents, parents informed)
 * and the dossier review (accept and assign, ask for information, refuse), withdrawal, and
 * concurrent acts on one trajectory.
 */
import { ClientError } from 'graphql-request';
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../../src/domain/enums';
import { createConsent, createStudent, createUser } from '../../factories';
import { caseState } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp } from '../../setup/app';
import { errorOf } from '../../setup/errors';
import { Consent } from '../../../src/app/entities';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());

/** A student of school A1 with the two consents a registration needs. */
async function registrableStudent(consents: ConsentPurpose[] = [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM], w: World = world) {
  const student = await createStudent(app.dataSource, w.schools.A1);
  for (const purpose of consents) await createConsent(app.dataSource, student, w.users.schoolA1, purpose);
  return student;
}

/**
 * A partnership of the test's own, for a test that needs an acceptance to go to the home team
 * TA: accepted registrations of the other tests add to TA's load until it is full and the
 * proposal moves on to TB.
 */
function ownWorld(): Promise<World> {
  return createWorld(app.dataSource);
}

function registration(studentId: string, overrides: Record<string, unknown> = {}) {
  return {
    studentId,
    problemAreas: ['ABSENCE', 'MOTIVATION'] as never,
    enrolledInRegularEducation: true,
    regularEducationFeasible: true,
    studentMotivated: true,
    parentsMotivated: true,
    schoolMotivated: true,
    goalsReachableWithinTerm: true,
    singleQuestion: false,
    needsVeryIntensiveCare: false,
    parentsInformedOn: '2026-03-10',
    ...overrides,
  };
}

async function trajectoryCount(studentId: string): Promise<number> {
  const [row] = await app.dataSource.query('SELECT count(*)::int AS n FROM trajectory WHERE student_id = $1', [studentId]);
  return row.n;
}

async function submitted(w: World = world): Promise<string> {
  const student = await registrableStudent(undefined, w);
  const sdk = await app.sdk(w.users.schoolA1.email);
  return (await sdk.SubmitRegistration({ input: registration(student.id) })).submitRegistration.id;
}

describe('submitRegistration', () => {
  test('as coordinator of school A1, registers an eligible student with consents: REQUESTED, no team, one event', async () => {
    const student = await registrableStudent();
    const sdk = await app.sdk(world.users.schoolA1.email);
    const { submitRegistration: t } = await sdk.SubmitRegistration({ input: registration(student.id) });
    expect(t).toMatchObject({ phase: 'REQUESTED', version: 1, team: null, school: { id: world.schools.A1.id }, parentsInformedOn: '2026-03-10', phaseDueOn: null });
    expect(t.problemAreas).toEqual(['ABSENCE', 'MOTIVATION']);
    expect(t.eligibility).toEqual({ enrolledInRegularEducation: true, singleQuestion: false });
    expect(t.events!.edges.map((e) => e.node)).toEqual([{ act: 'submitRegistration', fromPhase: null, toPhase: 'REQUESTED', reason: null }]);
    const [row] = await app.dataSource.query('SELECT partnership_id, windstreek_id, registered_by_user_id FROM trajectory WHERE id = $1', [t.id]);
    expect(row).toEqual({ partnership_id: world.partnership.id, windstreek_id: world.windstreken.A.id, registered_by_user_id: world.users.schoolA1.id });
  });

  // Each criterion of the target group, refused with NOT_ELIGIBLE naming it, and nothing written.
  test.each([
    ['PROBLEM_AREA', { problemAreas: [] }],
    ['REGULAR_EDUCATION', { enrolledInRegularEducation: false }],
    ['SINGLE_QUESTION', { singleQuestion: true }],
    ['FEASIBILITY', { regularEducationFeasible: false }],
    ['INTENSIVE_CARE', { needsVeryIntensiveCare: true }],
    ['MOTIVATION', { studentMotivated: false }],
    ['MOTIVATION', { parentsMotivated: false }],
    ['MOTIVATION', { schoolMotivated: false }],
    ['TERM', { goalsReachableWithinTerm: false }],
  ])('NOT_ELIGIBLE naming %s for %j', async (criterion, overrides) => {
    const student = await registrableStudent();
    const sdk = await app.sdk(world.users.schoolA1.email);
    const error = await errorOf(sdk.SubmitRegistration({ input: registration(student.id, overrides) }));
    expect(error.code).toBe('NOT_ELIGIBLE');
    expect(error.extensions.criterion).toBe(criterion);
    expect(await trajectoryCount(student.id)).toBe(0);
  });

  test('NOT_ELIGIBLE lists every failed criterion, the first one named', async () => {
    const student = await registrableStudent();
    const sdk = await app.sdk(world.users.schoolA1.email);
    const error = await errorOf(sdk.SubmitRegistration({ input: registration(student.id, { singleQuestion: true, schoolMotivated: false }) }));
    expect(error.extensions.criteria).toEqual(['SINGLE_QUESTION', 'MOTIVATION']);
  });

  // Each missing consent or record: CONSENT_REQUIRED naming what is missing, nothing written.
  test.each([
    ['SHARE_WITH_PARTNERSHIP', [ConsentPurpose.CARE_BY_TOPTEAM], {}],
    ['CARE_BY_TOPTEAM', [ConsentPurpose.SHARE_WITH_PARTNERSHIP], {}],
    ['PARENTS_INFORMED', [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM], { parentsInformedOn: null }],
  ])('CONSENT_REQUIRED naming %s', async (missing, consents, overrides) => {
    const student = await registrableStudent(consents);
    const sdk = await app.sdk(world.users.schoolA1.email);
    const error = await errorOf(sdk.SubmitRegistration({ input: registration(student.id, overrides) }));
    expect(error.code).toBe('CONSENT_REQUIRED');
    expect(error.extensions.missing).toEqual([missing]);
    expect(await trajectoryCount(student.id)).toBe(0);
  });

  test('a withdrawn consent does not count', async () => {
    const student = await registrableStudent([ConsentPurpose.SHARE_WITH_PARTNERSHIP]);
    await createConsent(app.dataSource, student, world.users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM, true);
    const sdk = await app.sdk(world.users.schoolA1.email);
    const error = await errorOf(sdk.SubmitRegistration({ input: registration(student.id) }));
    expect(error).toMatchObject({ code: 'CONSENT_REQUIRED', extensions: { missing: ['CARE_BY_TOPTEAM'] } });
  });

  test('an expired consent does not count; on its last day it does', async () => {
    const student = await registrableStudent([ConsentPurpose.SHARE_WITH_PARTNERSHIP]);
    // The test clock stands on 2026-03-16.
    const care = await createConsent(app.dataSource, student, world.users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM, false, '2026-03-15');
    const sdk = await app.sdk(world.users.schoolA1.email);
    const error = await errorOf(sdk.SubmitRegistration({ input: registration(student.id) }));
    expect(error).toMatchObject({ code: 'CONSENT_REQUIRED', extensions: { missing: ['CARE_BY_TOPTEAM'] } });
    expect(await trajectoryCount(student.id)).toBe(0);
    await app.dataSource.getRepository(Consent).update({ id: care.id }, { validUntil: '2026-03-16' });
    await sdk.SubmitRegistration({ input: registration(student.id) });
    expect(await trajectoryCount(student.id)).toBe(1);
  });

  test('a student with a running trajectory cannot be registered again (CONFLICT)', async () => {
    const student = await registrableStudent();
    const sdk = await app.sdk(world.users.schoolA1.email);
    await sdk.SubmitRegistration({ input: registration(student.id) });
    expect((await errorOf(sdk.SubmitRegistration({ input: registration(student.id) }))).code).toBe('CONFLICT');
    expect(await trajectoryCount(student.id)).toBe(1);
  });

  test('only the coordinator of the student\'s school registers: other roles get NOT_FOUND or FORBIDDEN', async () => {
    const student = await registrableStudent();
    const outcomes: Record<string, string> = {};
    for (const [name, user] of Object.entries(world.users)) {
      if (name === 'schoolA1') continue;
      const sdk = await app.sdk(user.email);
      outcomes[name] = (await errorOf(sdk.SubmitRegistration({ input: registration(student.id) }))).code;
    }
    // Those who may read the student are told they may not do this; for the others it does not exist.
    expect(outcomes).toEqual({
      admin: 'NOT_FOUND', privacy: 'FORBIDDEN', coordinator: 'FORBIDDEN', analyst: 'NOT_FOUND', advisorA: 'NOT_FOUND',
      scientistA: 'NOT_FOUND', teacherB: 'NOT_FOUND', schoolB1: 'NOT_FOUND', mentorA1: 'NOT_FOUND', nobody: 'NOT_FOUND',
    });
    expect(await trajectoryCount(student.id)).toBe(0);
  });
});

describe('reviewRegistration', () => {
  test('as advisor of windstreek A, accepting assigns the home team and records acceptance and assignment', async () => {
    const world = await ownWorld();
    const id = await submitted(world);
    const sdk = await app.sdk(world.users.advisorA.email);
    const { reviewRegistration: t } = await sdk.ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never } });
    expect(t).toMatchObject({ phase: 'ACCEPTED', version: 2, team: { id: world.teams.TA.id } });
    expect(t.events!.edges.map((e) => [e.node.act, e.node.fromPhase, e.node.toPhase])).toEqual([
      ['submitRegistration', null, 'REQUESTED'],
      ['acceptRegistration', 'REQUESTED', 'ACCEPTED'],
      ['assignTeam', 'ACCEPTED', 'ACCEPTED'],
    ]);
    // Acceptance shares the dossier with the team: the gedragswetenschapper of team A now reads it.
    const scientist = await app.sdk(world.users.scientistA.email);
    expect((await scientist.Trajectory({ id })).trajectory?.phase).toBe('ACCEPTED');
  });

  test('asking for information, the school supplementing, and review again; a reason is required', async () => {
    const id = await submitted();
    const advisor = await app.sdk(world.users.advisorA.email);
    expect((await errorOf(advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'REQUEST_INFORMATION' as never } }))).extensions.field).toBe('input.reason');
    const asked = await advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'REQUEST_INFORMATION' as never, reason: 'Verzuimoverzicht ontbreekt.' } });
    expect(asked.reviewRegistration.phase).toBe('INFO_REQUESTED');
    const school = await app.sdk(world.users.schoolA1.email);
    expect((await school.SupplementRegistration({ input: { trajectoryId: id, supplement: 'Verzuimoverzicht toegevoegd.' } })).supplementRegistration.phase).toBe('IN_REVIEW');
    const refused = await advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'REFUSE' as never, refusalGround: 'SINGLE_QUESTION' as never, reason: 'Alleen een IQ-bepaling gevraagd.' } });
    expect(refused.reviewRegistration).toMatchObject({ phase: 'REFUSED', refusalGround: 'SINGLE_QUESTION', closingReason: 'Alleen een IQ-bepaling gevraagd.', team: null });
  });

  describe('refusal grounds (reden afwijzing)', () => {
    const refuse = async (input: Record<string, unknown>) => {
      const id = await submitted();
      const before = await caseState(app.dataSource, id);
      const advisor = await app.sdk(world.users.advisorA.email);
      const call = advisor.ReviewRegistration({ input: { trajectoryId: id, ...input } as never });
      const ok = await call.then((r) => r.reviewRegistration, () => null);
      const outcome = ok ? { ok } : { error: await errorOf(call) };
      return { id, before, after: await caseState(app.dataSource, id), outcome };
    };

    test.each([
      ['a refusal without a ground', { decision: 'REFUSE', reason: 'Past niet.' }, 'input.refusalGround'],
      ['a refusal on OTHER without an explanation', { decision: 'REFUSE', refusalGround: 'OTHER' }, 'input.reason'],
      ['a ground with an acceptance', { decision: 'ACCEPT', refusalGround: 'NOT_MOTIVATED' }, 'input.refusalGround'],
      ['a ground with a request for information', { decision: 'REQUEST_INFORMATION', refusalGround: 'NOT_MOTIVATED', reason: 'Verzuim?' }, 'input.refusalGround'],
    ])('%s: BAD_USER_INPUT naming the field, nothing changes', async (_label, input, field) => {
      const { before, after, outcome } = await refuse(input);
      expect(outcome).toEqual({ error: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
      expect(after).toEqual(before);
    });

    test('every ground round-trips; the explanation is optional except for OTHER; the trajectory shows them', async () => {
      for (const ground of ['NOT_IN_REGULAR_EDUCATION', 'REGULAR_EDUCATION_NOT_FEASIBLE', 'SINGLE_QUESTION', 'NEEDS_VERY_INTENSIVE_CARE', 'NOT_MOTIVATED', 'GOALS_NOT_REACHABLE_IN_TERM', 'OTHER']) {
        const reason = ground === 'OTHER' ? 'Verhuist naar het buitenland.' : undefined;
        const { id, outcome } = await refuse({ decision: 'REFUSE', refusalGround: ground, reason });
        expect(outcome).toEqual({ ok: expect.objectContaining({ phase: 'REFUSED', refusalGround: ground, closingReason: reason ?? null }) });
        const [row] = await app.dataSource.query('SELECT refusal_ground, closing_reason FROM trajectory WHERE id = $1', [id]);
        expect(row).toEqual({ refusal_ground: ground, closing_reason: reason ?? null });
        const read = await app.gql<{ trajectory: { refusalGround: string } }>(world.users.advisorA.email, 'query($id: ID!) { trajectory(id: $id) { refusalGround } }', { id });
        expect(read.body.data?.trajectory?.refusalGround).toBe(ground);
      }
    });
  });

  test('an advisor of another windstreek cannot see the registration (NOT_FOUND); the school may not review it (FORBIDDEN)', async () => {
    const id = await submitted();
    const advisorB = await createUser(app.dataSource, world.partnership, [[Role.EDUCATION_ADVISOR, { windstreek: world.windstreken.B }]]);
    expect((await errorOf((await app.sdk(advisorB.email)).ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never } }))).code).toBe('NOT_FOUND');
    expect((await errorOf((await app.sdk(world.users.schoolA1.email)).ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never } }))).code).toBe('FORBIDDEN');
    const [row] = await app.dataSource.query('SELECT phase, version FROM trajectory WHERE id = $1', [id]);
    expect(row).toEqual({ phase: Phase.REQUESTED, version: 1 });
  });

  test('reviewing an accepted registration again: INVALID_TRANSITION naming the phase and what is possible', async () => {
    const id = await submitted();
    const advisor = await app.sdk(world.users.advisorA.email);
    await advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never } });
    const error = await errorOf(advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'REFUSE' as never, refusalGround: 'NOT_MOTIVATED' as never, reason: 'x' } }));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.extensions.phase).toBe('ACCEPTED');
    expect(error.extensions.allowedInPhase).toEqual(expect.arrayContaining(['startAssessment', 'cancelTrajectory']));
    expect(error.extensions.allowedInPhase).not.toContain('reviewRegistration');
    // What the advisor may do now: nothing, the case is the team's and the coordinator's.
    expect(error.extensions.allowed).toEqual([]);
    expect(error.message).toContain('ACCEPTED');
  });
});

describe('cancelTrajectory and withdrawal', () => {
  test('the school withdraws a registration that is not yet accepted; after acceptance only the gedragswetenschapper cancels', async () => {
    const world = await ownWorld();
    const school = await app.sdk(world.users.schoolA1.email);
    const first = await submitted(world);
    const withdrawn = await school.CancelTrajectory({ input: { trajectoryId: first, reason: 'LEFT_SCHOOL' as never } });
    expect(withdrawn.cancelTrajectory).toMatchObject({ phase: 'CANCELLED', cancellationReason: 'LEFT_SCHOOL', closingReason: null });

    const second = await submitted(world);
    await (await app.sdk(world.users.advisorA.email)).ReviewRegistration({ input: { trajectoryId: second, decision: 'ACCEPT' as never } });
    expect((await errorOf(school.CancelTrajectory({ input: { trajectoryId: second, reason: 'LEFT_SCHOOL' as never } }))).code).toBe('FORBIDDEN');
    const scientist = await app.sdk(world.users.scientistA.email);
    expect((await errorOf(scientist.CancelTrajectory({ input: { trajectoryId: second, reason: 'OTHER' as never } }))).extensions.field).toBe('input.explanation');
    const cancelled = await scientist.CancelTrajectory({ input: { trajectoryId: second, reason: 'OTHER' as never, explanation: 'Verhuisd naar Utrecht.' } });
    expect(cancelled.cancelTrajectory).toMatchObject({ phase: 'CANCELLED', cancellationReason: 'OTHER', closingReason: 'Verhuisd naar Utrecht.' });
  });

  test('a teacher of the team (not the gedragswetenschapper) may not cancel', async () => {
    const world = await ownWorld();
    const id = await submitted(world);
    await (await app.sdk(world.users.advisorA.email)).ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never } });
    const teacherA = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
    expect((await errorOf((await app.sdk(teacherA.email)).CancelTrajectory({ input: { trajectoryId: id, reason: 'LEFT_SCHOOL' as never } }))).code).toBe('FORBIDDEN');
  });
});

describe('concurrency: one trajectory, two acts at once', () => {
  test('two simultaneous reviews with the same expected version: exactly one wins, the other gets CONFLICT, one review recorded', async () => {
    const id = await submitted();
    const advisor = await app.sdk(world.users.advisorA.email);
    const results = await Promise.allSettled([
      advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never, expectedVersion: 1 } }),
      advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'REFUSE' as never, refusalGround: 'NOT_MOTIVATED' as never, reason: 'Nee.', expectedVersion: 1 } }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0].reason as ClientError).response.errors![0].extensions?.code).toBe('CONFLICT');
    const events = await app.dataSource.query(`SELECT act FROM trajectory_event WHERE trajectory_id = $1 AND act IN ('acceptRegistration', 'refuseRegistration')`, [id]);
    expect(events).toHaveLength(1);
    const [row] = await app.dataSource.query('SELECT version FROM trajectory WHERE id = $1', [id]);
    expect(row.version).toBe(2);
  });

  test('without an expected version, two simultaneous acts never both apply: one wins, the other gets CONFLICT or INVALID_TRANSITION', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await submitted();
      const advisor = await app.sdk(world.users.advisorA.email);
      const results = await Promise.allSettled([
        advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never } }),
        advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'REQUEST_INFORMATION' as never, reason: 'Meer graag.' } }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const codes = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as ClientError).response.errors![0].extensions?.code);
      expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(codes[0]);
      const moves = await app.dataSource.query(`SELECT count(*)::int AS n FROM trajectory_event WHERE trajectory_id = $1 AND act <> 'submitRegistration' AND act <> 'assignTeam'`, [id]);
      expect(moves[0].n).toBe(1);
    }
  });

  test('a stale expected version is refused with CONFLICT and changes nothing', async () => {
    const id = await submitted();
    const advisor = await app.sdk(world.users.advisorA.email);
    const error = await errorOf(advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never, expectedVersion: 7 } }));
    expect(error.code).toBe('CONFLICT');
    const [row] = await app.dataSource.query('SELECT phase, version FROM trajectory WHERE id = $1', [id]);
    expect(row).toEqual({ phase: 'REQUESTED', version: 1 });
  });
});
