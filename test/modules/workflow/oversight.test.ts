/**
 * The escalation ladder (escalatieladder), complaints
 * (klachtenregeling) and the exit questionnaire (exit-vragenlijst), through HTTP with the
 * typed SDK. The database is used only to set up trajectories in a given phase (and
 * complaints in a given status) and to check what was, or was not, written.
 *
 * Who is refused how: an act addressed by a trajectory id answers FORBIDDEN to a role that
 * sees the trajectory and NOT_FOUND to one that does not. An act addressed by an escalation
 * or complaint id answers NOT_FOUND to a role that cannot read that record (even when it
 * sees the trajectory: the programme coordinator reads no complaints, the advisor neither
 * complaints nor escalations), FORBIDDEN to one that reads it but may not act.
 */
import { ClientError } from 'graphql-request';
import { DataSource } from 'typeorm';
import { ComplaintStatus, Party, Phase, Role, TeamFunction } from '../../../src/domain/enums';
import { Complaint } from '../../../src/modules/trajectories/complaint.entity';
import { Escalation } from '../../../src/modules/trajectories/escalation.entity';
import { createUser } from '../../factories';
import { caseState, trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import type { User } from '../../../src/app/entities';
import { startTestApp, TEST_NOW, TestApp } from '../../setup/app';
import { errorOf } from '../../setup/errors';

let app: TestApp;
let ds: DataSource;
let world: World;
/** Another partnership: its users must never reach this one's records. */
let other: World;
/** A Topteam member of TA who is not the gedragswetenschapper (topdocent). */
let teacherA: User;

/** The calendar day in Amsterdam at TEST_NOW (2026-03-16T10:00Z). */
const TODAY = '2026-03-16';

beforeAll(async () => {
  app = await startTestApp();
  ds = app.dataSource;
  world = await createWorld(ds);
  other = await createWorld(ds);
  teacherA = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
});
afterAll(() => app.stop());
afterEach(() => app.clock.set(TEST_NOW));

// ---------------------------------------------------------------------------------------
// Helpers

/**
 * A trajectory in `phase` (test/factories/workflow.ts) with consents for sharing and care:
 * for team TA a student of school A1 who is a mentee of mentorA1 (so the mentor sees the
 * trajectory), for TB a student of school B1.
 */
async function caseIn(w: World, phase: Phase, team: 'TA' | 'TB' = 'TA') {
  const options = team === 'TA' ? { mentor: w.users.mentorA1 } : { school: w.schools.B1, team: w.teams.TB };
  return (await trajectoryIn(ds, w, phase, options)).trajectory;
}

async function insertComplaint(trajectoryId: string, w: World, status: ComplaintStatus, overrides: Partial<Complaint> = {}): Promise<Complaint> {
  const repository = ds.getRepository(Complaint);
  return repository.save(
    repository.create({
      partnershipId: w.partnership.id,
      trajectoryId,
      complainant: Party.PARENTS,
      description: 'De ouders vinden dat er te weinig contact is.',
      status,
      receivedOn: '2026-03-02',
      escalatedOn: status === ComplaintStatus.ESCALATED_TO_PROVIDER ? '2026-03-09' : null,
      resolvedOn: status === ComplaintStatus.RESOLVED ? '2026-03-11' : null,
      resolution: status === ComplaintStatus.HANDLED_BY_TEAM || status === ComplaintStatus.RESOLVED ? 'Eerder afgehandeld.' : null,
      ...overrides,
    }),
  );
}

async function insertEscalation(trajectoryId: string, w: World, level: number, resolved = false): Promise<Escalation> {
  const repository = ds.getRepository(Escalation);
  return repository.save(
    repository.create({
      partnershipId: w.partnership.id,
      trajectoryId,
      level,
      reason: `Samenwerking stokt (niveau ${level}).`,
      raisedByUserId: w.users.scientistA.id,
      resolvedAt: resolved ? new Date('2026-03-10T09:00:00Z') : null,
      resolution: resolved ? 'Gesprek gevoerd.' : null,
    }),
  );
}


/** Everything an oversight act on the trajectory could write. */
async function snapshot(trajectoryId: string) {
  const q = (sql: string) => ds.query(sql, [trajectoryId]);
  const [trajectory] = await q('SELECT version, phase FROM trajectory WHERE id = $1');
  return {
    trajectory,
    // The trajectory row and every record under it (the factory's view), so "nothing written" is complete.
    state: await caseState(ds, trajectoryId),
    events: await q('SELECT act, from_phase, to_phase, actor_user_id, reason FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence'),
    escalations: await q('SELECT id, level, reason, raised_by_user_id, resolved_at, resolution FROM escalation WHERE trajectory_id = $1 ORDER BY id'),
    complaints: await q('SELECT id, complainant, description, status, received_on::text, escalated_on::text, resolved_on::text, resolution FROM complaint WHERE trajectory_id = $1 ORDER BY id'),
    exits: await q('SELECT id, party, score, comment FROM exit_questionnaire WHERE trajectory_id = $1 ORDER BY id'),
  };
}

async function lastEvent(trajectoryId: string) {
  const [row] = await ds.query(
    'SELECT act, from_phase, to_phase, actor_user_id, reason, occurred_at FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence DESC LIMIT 1',
    [trajectoryId],
  );
  return row;
}

const sdkOf = (user: User) => app.sdk(user.subject);

type RoleName = keyof World['users'] | 'teacherA' | 'otherScientistA' | 'otherCoordinator';
function userOf(role: RoleName): User {
  if (role === 'teacherA') return teacherA;
  if (role === 'otherScientistA') return other.users.scientistA;
  if (role === 'otherCoordinator') return other.users.coordinator;
  return world.users[role];
}
const ALL_ROLES: RoleName[] = [
  'admin', 'privacy', 'coordinator', 'analyst', 'advisorA', 'scientistA', 'teacherA', 'teacherB', 'schoolA1', 'schoolB1', 'mentorA1', 'nobody',
  'otherScientistA', 'otherCoordinator',
];

/** Expected refusal per role, for a TA case, given the allowed roles and those that see the addressed record. */
function refusals(allowed: RoleName[], seeing: RoleName[]): Array<[RoleName, 'FORBIDDEN' | 'NOT_FOUND']> {
  return ALL_ROLES.filter((r) => !allowed.includes(r)).map((r) => [r, seeing.includes(r) ? 'FORBIDDEN' : 'NOT_FOUND']);
}
/** Who sees a TA trajectory of school A1 whose student is a mentee of mentorA1. */
const SEE_TRAJECTORY: RoleName[] = ['coordinator', 'advisorA', 'scientistA', 'teacherA', 'schoolA1', 'mentorA1'];
/** Who reads its escalations: the coordinator (no case text), the team and the school. */
const SEE_ESCALATION: RoleName[] = ['coordinator', 'scientistA', 'teacherA', 'schoolA1'];
/** Who reads its complaints: the team, the programme coordinator, and the school (the status only). */
const SEE_COMPLAINT: RoleName[] = ['coordinator', 'scientistA', 'teacherA', 'schoolA1'];

// ---------------------------------------------------------------------------------------
// Escalation ladder

describe('escalateTrajectory', () => {
  test('as gedragswetenschapper of the assigned team TA, escalates by level with a reason: an open escalation raised by me, and an event', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const sdk = await sdkOf(world.users.scientistA);
    const { escalateTrajectory: e } = await sdk.EscalateTrajectory({ input: { trajectoryId: t.id, expectedVersion: t.version, level: 1, reason: '  School reageert niet op afspraken.  ' } });
    expect(e).toMatchObject({ level: 1, reason: 'School reageert niet op afspraken.', resolvedAt: null, resolution: null, trajectory: { id: t.id, version: t.version, phase: 'INTENSIVE' } });
    const after = await snapshot(t.id);
    expect(after.escalations).toEqual([
      { id: e.id, level: 1, reason: 'School reageert niet op afspraken.', raised_by_user_id: world.users.scientistA.id, resolved_at: null, resolution: null },
    ]);
    expect(await lastEvent(t.id)).toMatchObject({ act: 'escalateTrajectory', from_phase: 'INTENSIVE', to_phase: 'INTENSIVE', actor_user_id: world.users.scientistA.id, occurred_at: TEST_NOW });
    expect(after.trajectory).toEqual({ version: t.version, phase: 'INTENSIVE' });
  });

  test('as topdocent of the assigned team TA (not the gedragswetenschapper), escalates too', async () => {
    const t = await caseIn(world, Phase.ASSESSMENT);
    const { escalateTrajectory: e } = await (await sdkOf(teacherA)).EscalateTrajectory({ input: { trajectoryId: t.id, level: 2, reason: 'Ouders komen niet.' } });
    expect(e).toMatchObject({ level: 2, reason: 'Ouders komen niet.' });
    expect((await snapshot(t.id)).escalations).toHaveLength(1);
  });

  test('as topdocent of team TB, escalates a trajectory of TB', async () => {
    const t = await caseIn(world, Phase.CONSOLIDATION, 'TB');
    const { escalateTrajectory: e } = await (await sdkOf(world.users.teacherB)).EscalateTrajectory({ input: { trajectoryId: t.id, level: 1, reason: 'Mentor onbereikbaar.' } });
    expect(e.trajectory).toMatchObject({ id: t.id });
  });

  describe('every other role is refused and nothing is written', () => {
    let trajectoryId: string;
    beforeAll(async () => {
      trajectoryId = (await caseIn(world, Phase.INTENSIVE)).id;
    });
    test.each(refusals(['scientistA', 'teacherA'], SEE_TRAJECTORY))('as %s: %s', async (role, code) => {
      const before = await snapshot(trajectoryId);
      const sdk = await sdkOf(userOf(role));
      const error = await errorOf(sdk.EscalateTrajectory({ input: { trajectoryId, level: 1, reason: 'Poging.' } }));
      expect(error.code).toBe(code);
      expect(await snapshot(trajectoryId)).toEqual(before);
    });
  });

  test('as gedragswetenschapper of TA, a trajectory whose consent for care was withdrawn cannot be escalated (FORBIDDEN), nothing written', async () => {
    const t = world.trajectories.a1Revoked;
    const before = await snapshot(t.id);
    const error = await errorOf((await sdkOf(world.users.scientistA)).EscalateTrajectory({ input: { trajectoryId: t.id, level: 1, reason: 'x' } }));
    expect(error.code).toBe('FORBIDDEN');
    expect(await snapshot(t.id)).toEqual(before);
  });

  describe('the ladder only goes up', () => {
    test('as gedragswetenschapper of TA, with level 2 open: levels 1 and 2 are BAD_USER_INPUT naming input.level, nothing written; level 3 succeeds', async () => {
      const t = await caseIn(world, Phase.INTENSIVE);
      const sdk = await sdkOf(world.users.scientistA);
      await sdk.EscalateTrajectory({ input: { trajectoryId: t.id, level: 2, reason: 'Eerste stap.' } });
      const before = await snapshot(t.id);
      for (const level of [1, 2]) {
        const error = await errorOf(sdk.EscalateTrajectory({ input: { trajectoryId: t.id, level, reason: 'Terug omlaag.' } }));
        expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.level' } });
        expect(error.message).toContain('input.level');
        expect(await snapshot(t.id)).toEqual(before);
      }
      const { escalateTrajectory: up } = await sdk.EscalateTrajectory({ input: { trajectoryId: t.id, level: 3, reason: 'Hoger.' } });
      expect(up.level).toBe(3);
      expect((await snapshot(t.id)).escalations.map((e: { level: number }) => e.level).sort()).toEqual([2, 3]);
    });

    test('only open escalations count: after level 3 was resolved, level 1 may start again, but not below another open level 2', async () => {
      const t = await caseIn(world, Phase.INTENSIVE);
      await insertEscalation(t.id, world, 3, true);
      const sdk = await sdkOf(world.users.scientistA);
      const { escalateTrajectory: one } = await sdk.EscalateTrajectory({ input: { trajectoryId: t.id, level: 1, reason: 'Opnieuw.' } });
      expect(one.level).toBe(1);
      await insertEscalation(t.id, world, 2);
      const error = await errorOf(sdk.EscalateTrajectory({ input: { trajectoryId: t.id, level: 2, reason: 'Gelijk.' } }));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.level' } });
    });

    test('with the top level 4 open, nothing more can be raised (BAD_USER_INPUT naming input.level)', async () => {
      const t = await caseIn(world, Phase.INTENSIVE);
      await insertEscalation(t.id, world, 4);
      const before = await snapshot(t.id);
      const error = await errorOf((await sdkOf(world.users.scientistA)).EscalateTrajectory({ input: { trajectoryId: t.id, level: 4, reason: 'Nog hoger.' } }));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.level' } });
      expect(await snapshot(t.id)).toEqual(before);
    });

    test('another trajectory\'s open escalation does not count', async () => {
      const t1 = await caseIn(world, Phase.INTENSIVE);
      const t2 = await caseIn(world, Phase.INTENSIVE);
      await insertEscalation(t1.id, world, 3);
      const { escalateTrajectory: e } = await (await sdkOf(world.users.scientistA)).EscalateTrajectory({ input: { trajectoryId: t2.id, level: 1, reason: 'Los.' } });
      expect(e.level).toBe(1);
    });
  });

  test.each([0, 5, -1])('level %i is BAD_USER_INPUT naming input.level, nothing written', async (level) => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const before = await snapshot(t.id);
    const error = await errorOf((await sdkOf(world.users.scientistA)).EscalateTrajectory({ input: { trajectoryId: t.id, level, reason: 'x' } }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.level' } });
    expect(await snapshot(t.id)).toEqual(before);
  });

  test('an empty reason is BAD_USER_INPUT naming input.reason', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const error = await errorOf((await sdkOf(world.users.scientistA)).EscalateTrajectory({ input: { trajectoryId: t.id, level: 1, reason: '   ' } }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.reason' } });
    expect((await snapshot(t.id)).escalations).toEqual([]);
  });

  test('after completion the trajectory cannot be escalated: INVALID_TRANSITION naming the phase, nothing written', async () => {
    const t = await caseIn(world, Phase.COMPLETED);
    const before = await snapshot(t.id);
    const error = await errorOf((await sdkOf(world.users.scientistA)).EscalateTrajectory({ input: { trajectoryId: t.id, level: 1, reason: 'Te laat.' } }));
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { phase: 'COMPLETED' } });
    expect(error.extensions.allowed).not.toContain('escalateTrajectory');
    expect(await snapshot(t.id)).toEqual(before);
  });

  test('a stale expectedVersion is CONFLICT, nothing written', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const before = await snapshot(t.id);
    const error = await errorOf((await sdkOf(world.users.scientistA)).EscalateTrajectory({ input: { trajectoryId: t.id, expectedVersion: t.version + 1, level: 1, reason: 'x' } }));
    expect(error.code).toBe('CONFLICT');
    expect(await snapshot(t.id)).toEqual(before);
  });
});

describe('resolveEscalation', () => {
  test('as programme coordinator, resolves an open escalation: resolvedAt is the clock\'s now, the resolution is stored, an event recorded; reason and resolution are null for me', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const escalation = await insertEscalation(t.id, world, 2);
    const at = new Date('2026-03-18T14:15:00.000Z');
    app.clock.set(at);
    const { resolveEscalation: e } = await (await sdkOf(world.users.coordinator)).ResolveEscalation({ input: { escalationId: escalation.id, resolution: 'Overleg met de directie gevoerd.' } });
    expect(e).toMatchObject({ id: escalation.id, level: 2, resolvedAt: at.toISOString(), reason: null, resolution: null, trajectory: { id: t.id, version: t.version + 1 } });
    const [row] = (await snapshot(t.id)).escalations;
    expect(row).toMatchObject({ resolved_at: at, resolution: 'Overleg met de directie gevoerd.', reason: escalation.reason });
    expect(await lastEvent(t.id)).toMatchObject({ act: 'resolveEscalation', from_phase: 'INTENSIVE', to_phase: 'INTENSIVE', actor_user_id: world.users.coordinator.id, occurred_at: at });
    // The team sees the case text the coordinator does not.
    const { trajectory } = await (await sdkOf(world.users.scientistA)).TrajectoryOversight({ id: t.id });
    expect(trajectory!.escalations!.edges.map((x) => x.node)).toEqual([{ id: escalation.id, level: 2, reason: escalation.reason, resolvedAt: at.toISOString() }]);
  });

  test('as programme coordinator, resolving twice is CONFLICT and changes nothing', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const escalation = await insertEscalation(t.id, world, 1);
    const sdk = await sdkOf(world.users.coordinator);
    await sdk.ResolveEscalation({ input: { escalationId: escalation.id, resolution: 'Eerste keer.' } });
    const before = await snapshot(t.id);
    app.clock.set(new Date('2026-03-20T08:00:00Z'));
    const error = await errorOf(sdk.ResolveEscalation({ input: { escalationId: escalation.id, resolution: 'Tweede keer.' } }));
    expect(error.code).toBe('CONFLICT');
    expect(await snapshot(t.id)).toEqual(before);
    expect(before.escalations[0]).toMatchObject({ resolution: 'Eerste keer.', resolved_at: TEST_NOW });
  });

  test('as programme coordinator, an escalation of a finished trajectory can still be resolved', async () => {
    const t = await caseIn(world, Phase.CANCELLED);
    const escalation = await insertEscalation(t.id, world, 3);
    const { resolveEscalation: e } = await (await sdkOf(world.users.coordinator)).ResolveEscalation({ input: { escalationId: escalation.id, resolution: 'Afgesloten.' } });
    expect(e.resolvedAt).toBe(TEST_NOW.toISOString());
  });

  test('a missing escalation id is NOT_FOUND; a malformed one BAD_USER_INPUT', async () => {
    const sdk = await sdkOf(world.users.coordinator);
    expect((await errorOf(sdk.ResolveEscalation({ input: { escalationId: '00000000-0000-4000-8000-000000000000', resolution: 'x' } }))).code).toBe('NOT_FOUND');
    expect((await errorOf(sdk.ResolveEscalation({ input: { escalationId: 'nope', resolution: 'x' } }))).code).toBe('BAD_USER_INPUT');
  });

  describe('every other role is refused and nothing is written', () => {
    let trajectoryId: string;
    let escalationId: string;
    beforeAll(async () => {
      trajectoryId = (await caseIn(world, Phase.INTENSIVE)).id;
      escalationId = (await insertEscalation(trajectoryId, world, 2)).id;
    });
    test.each(refusals(['coordinator'], SEE_ESCALATION))('as %s: %s', async (role, code) => {
      const before = await snapshot(trajectoryId);
      const error = await errorOf((await sdkOf(userOf(role))).ResolveEscalation({ input: { escalationId, resolution: 'Poging.' } }));
      expect(error.code).toBe(code);
      expect(await snapshot(trajectoryId)).toEqual(before);
    });
  });
});

describe('escalations (the coordinator sees open escalations)', () => {
  let own: World;
  let open1: Escalation;
  let open2: Escalation;
  let openTB: Escalation;
  let resolved: Escalation;
  let foreignOpen: Escalation;

  beforeAll(async () => {
    own = await createWorld(ds);
    const tA1 = await caseIn(own, Phase.INTENSIVE);
    const tA2 = await caseIn(own, Phase.ASSESSMENT);
    const tB = await caseIn(own, Phase.CONSOLIDATION, 'TB');
    const sdkA = await sdkOf(own.users.scientistA);
    const e1 = (await sdkA.EscalateTrajectory({ input: { trajectoryId: tA1.id, level: 1, reason: 'Open een.' } })).escalateTrajectory;
    const e2 = (await sdkA.EscalateTrajectory({ input: { trajectoryId: tA2.id, level: 2, reason: 'Open twee.' } })).escalateTrajectory;
    const eB = (await (await sdkOf(own.users.teacherB)).EscalateTrajectory({ input: { trajectoryId: tB.id, level: 1, reason: 'Open TB.' } })).escalateTrajectory;
    const eR = (await sdkA.EscalateTrajectory({ input: { trajectoryId: tA1.id, level: 3, reason: 'Wordt opgelost.' } })).escalateTrajectory;
    await (await sdkOf(own.users.coordinator)).ResolveEscalation({ input: { escalationId: eR.id, resolution: 'Opgelost.' } });
    const repository = ds.getRepository(Escalation);
    [open1, open2, openTB, resolved] = await Promise.all([e1, e2, eB, eR].map((e) => repository.findOneByOrFail({ id: e.id })));
    foreignOpen = await insertEscalation((await caseIn(other, Phase.INTENSIVE)).id, other, 1);
  });

  /** Newest first: by creation time, then id, both descending. */
  const newestFirst = (rows: Escalation[]) =>
    [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((e) => e.id);

  test('as programme coordinator, filter open: exactly the open escalations of the partnership, newest first, with level and trajectory but no reason', async () => {
    const { escalations } = await (await sdkOf(own.users.coordinator)).Escalations({ filter: { open: true } });
    const nodes = escalations.edges.map((e) => e.node);
    expect(nodes.map((n) => n.id)).toEqual(newestFirst([open1, open2, openTB]));
    expect(escalations.totalCount).toBe(3);
    expect(nodes.map((n) => n.id)).not.toContain(resolved.id);
    expect(nodes.map((n) => n.id)).not.toContain(foreignOpen.id);
    for (const node of nodes) {
      expect(node).toMatchObject({ reason: null, resolution: null, resolvedAt: null });
      expect(node.trajectory).not.toBeNull();
    }
    expect(nodes.find((n) => n.id === open2.id)).toMatchObject({ level: 2, trajectory: { id: open2.trajectoryId, phase: 'ASSESSMENT' } });
  });

  test('as programme coordinator, filter open: false lists only the resolved one; no filter lists all four', async () => {
    const sdk = await sdkOf(own.users.coordinator);
    const closed = (await sdk.Escalations({ filter: { open: false } })).escalations;
    expect(closed.edges.map((e) => e.node)).toEqual([expect.objectContaining({ id: resolved.id, level: 3, reason: null, resolution: null, resolvedAt: expect.any(String) })]);
    const all = (await sdk.Escalations({})).escalations;
    expect(all.edges.map((e) => e.node.id)).toEqual(newestFirst([open1, open2, openTB, resolved]));
  });

  test('as programme coordinator, pages through the open escalations with first and after', async () => {
    const sdk = await sdkOf(own.users.coordinator);
    const expected = newestFirst([open1, open2, openTB]);
    const page1 = (await sdk.Escalations({ first: 2, filter: { open: true } })).escalations;
    expect(page1.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await sdk.Escalations({ first: 2, after: page1.pageInfo.endCursor, filter: { open: true } })).escalations;
    expect(page2.edges.map((e) => e.node.id)).toEqual(expected.slice(2));
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  test('as gedragswetenschapper of TA, sees the open escalations of the own team\'s trajectories with their reasons, not those of TB', async () => {
    const { escalations } = await (await sdkOf(own.users.scientistA)).Escalations({ filter: { open: true } });
    expect(escalations.edges.map((e) => e.node.id)).toEqual(newestFirst([open1, open2]));
    expect(escalations.edges.map((e) => e.node.reason).sort()).toEqual(['Open een.', 'Open twee.']);
  });

  test('as coordinator of school A1, sees the escalations of the own school with reasons; as coordinator of another partnership, none of these', async () => {
    const school = (await (await sdkOf(own.users.schoolA1)).Escalations({ filter: { open: true } })).escalations;
    expect(school.edges.map((e) => e.node.id)).toEqual(newestFirst([open1, open2]));
    expect(school.edges.every((e) => e.node.reason !== null)).toBe(true);
    const foreign = (await (await sdkOf(other.users.coordinator)).Escalations({ filter: { open: true } })).escalations;
    const ids = foreign.edges.map((e) => e.node.id);
    expect(ids).toContain(foreignOpen.id); // positive control: the other coordinator sees its own
    for (const e of [open1, open2, openTB, resolved]) expect(ids).not.toContain(e.id);
  });

  test.each(['advisorA', 'mentorA1', 'admin', 'privacy', 'analyst', 'nobody'] as const)('as %s, sees no escalations', async (role) => {
    const { escalations } = await (await sdkOf(own.users[role])).Escalations({ filter: { open: true } });
    expect(escalations.edges).toEqual([]);
    expect(escalations.totalCount).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------
// Complaints

describe('fileComplaint', () => {
  test('as gedragswetenschapper of TA (first contact), records a complaint by the parents: RECEIVED, with an event', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const { fileComplaint: c } = await (await sdkOf(world.users.scientistA)).FileComplaint({
      input: { trajectoryId: t.id, expectedVersion: t.version, complainant: 'PARENTS', description: ' Te weinig contact. ', receivedOn: '2026-03-12' },
    });
    expect(c).toMatchObject({
      complainant: 'PARENTS', description: 'Te weinig contact.', status: 'RECEIVED', receivedOn: '2026-03-12', escalatedOn: null, resolvedOn: null, resolution: null,
      trajectory: { id: t.id, version: t.version },
    });
    expect((await snapshot(t.id)).complaints).toEqual([
      { id: c.id, complainant: 'PARENTS', description: 'Te weinig contact.', status: 'RECEIVED', received_on: '2026-03-12', escalated_on: null, resolved_on: null, resolution: null },
    ]);
    expect(await lastEvent(t.id)).toMatchObject({ act: 'fileComplaint', from_phase: 'INTENSIVE', to_phase: 'INTENSIVE', actor_user_id: world.users.scientistA.id });
  });

  test('as topdocent of TA, records a complaint by the student received today, on a completed trajectory', async () => {
    const t = await caseIn(world, Phase.COMPLETED);
    const { fileComplaint: c } = await (await sdkOf(teacherA)).FileComplaint({ input: { trajectoryId: t.id, complainant: 'STUDENT', description: 'Niet gehoord.', receivedOn: TODAY } });
    expect(c).toMatchObject({ complainant: 'STUDENT', status: 'RECEIVED', receivedOn: TODAY });
  });

  test('"today" is the Amsterdam calendar day: at 23:30 UTC on 16 March, 17 March is not in the future', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    app.clock.set(new Date('2026-03-16T23:30:00Z'));
    const sdk = await sdkOf(world.users.scientistA);
    const { fileComplaint: c } = await sdk.FileComplaint({ input: { trajectoryId: t.id, complainant: 'PARENTS', description: 'Laat.', receivedOn: '2026-03-17' } });
    expect(c.receivedOn).toBe('2026-03-17');
    const error = await errorOf(sdk.FileComplaint({ input: { trajectoryId: t.id, complainant: 'PARENTS', description: 'Te laat.', receivedOn: '2026-03-18' } }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.receivedOn' } });
  });

  test.each([
    ['a complaint by the school', { complainant: 'SCHOOL' as const }, 'input.complainant'],
    ['a complaint received tomorrow', { receivedOn: '2026-03-17' }, 'input.receivedOn'],
    ['an empty description', { description: '  ' }, 'input.description'],
  ])('%s is BAD_USER_INPUT naming %s, nothing written', async (_label, overrides, field) => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const before = await snapshot(t.id);
    const input = { trajectoryId: t.id, complainant: 'PARENTS' as const, description: 'Klacht.', receivedOn: TODAY, ...overrides };
    const error = await errorOf((await sdkOf(world.users.scientistA)).FileComplaint({ input }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field } });
    expect(await snapshot(t.id)).toEqual(before);
  });

  describe('every other role is refused and nothing is written', () => {
    let trajectoryId: string;
    beforeAll(async () => {
      trajectoryId = (await caseIn(world, Phase.INTENSIVE)).id;
    });
    test.each(refusals(['scientistA', 'teacherA'], SEE_TRAJECTORY))('as %s: %s', async (role, code) => {
      const before = await snapshot(trajectoryId);
      const error = await errorOf((await sdkOf(userOf(role))).FileComplaint({ input: { trajectoryId, complainant: 'STUDENT', description: 'Poging.', receivedOn: TODAY } }));
      expect(error.code).toBe(code);
      expect(await snapshot(trajectoryId)).toEqual(before);
    });
  });
});

type ComplaintActName = 'handleComplaint' | 'escalateComplaint' | 'resolveComplaint';

function complaintAct(sdk: Awaited<ReturnType<TestApp['sdk']>>, act: ComplaintActName, complaintId: string, resolution = `Afhandeling ${act}.`) {
  switch (act) {
    case 'handleComplaint':
      return sdk.HandleComplaint({ input: { complaintId, resolution } }).then((r) => r.handleComplaint);
    case 'escalateComplaint':
      return sdk.EscalateComplaint({ input: { complaintId } }).then((r) => r.escalateComplaint);
    case 'resolveComplaint':
      return sdk.ResolveComplaint({ input: { complaintId, resolution } }).then((r) => r.resolveComplaint);
  }
}

describe('the complaint status table', () => {
  const { RECEIVED, HANDLED_BY_TEAM, ESCALATED_TO_PROVIDER, RESOLVED } = ComplaintStatus;
  /** status -> act -> the status it leads to, or null when illegal. */
  const TABLE: Record<ComplaintStatus, Record<ComplaintActName, ComplaintStatus | null>> = {
    [RECEIVED]: { handleComplaint: HANDLED_BY_TEAM, escalateComplaint: ESCALATED_TO_PROVIDER, resolveComplaint: RESOLVED },
    [HANDLED_BY_TEAM]: { handleComplaint: null, escalateComplaint: ESCALATED_TO_PROVIDER, resolveComplaint: RESOLVED },
    [ESCALATED_TO_PROVIDER]: { handleComplaint: null, escalateComplaint: null, resolveComplaint: RESOLVED },
    [RESOLVED]: { handleComplaint: null, escalateComplaint: null, resolveComplaint: null },
  };
  const pairs = (Object.keys(TABLE) as ComplaintStatus[]).flatMap((status) =>
    (Object.keys(TABLE[status]) as ComplaintActName[]).map((act) => [status, act, TABLE[status][act]] as const),
  );
  const allowedIn = (status: ComplaintStatus) => (Object.keys(TABLE[status]) as ComplaintActName[]).filter((act) => TABLE[status][act] !== null);

  test('covers all 12 pairs, 6 legal', () => {
    expect(pairs).toHaveLength(12);
    expect(pairs.filter(([, , to]) => to !== null)).toHaveLength(6);
  });

  test.each(pairs)('from %s, %s -> %s', async (status, act, to) => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const complaint = await insertComplaint(t.id, world, status);
    const before = await snapshot(t.id);
    const sdk = await sdkOf(world.users.scientistA);
    if (to === null) {
      const error = await errorOf(complaintAct(sdk, act, complaint.id));
      expect(error).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { status, allowed: allowedIn(status) } });
      expect(await snapshot(t.id)).toEqual(before);
      return;
    }
    const result = await complaintAct(sdk, act, complaint.id);
    const expected = {
      status: to,
      receivedOn: '2026-03-02',
      escalatedOn: act === 'escalateComplaint' ? TODAY : complaint.escalatedOn,
      resolvedOn: act === 'resolveComplaint' ? TODAY : null,
      resolution: act === 'escalateComplaint' ? complaint.resolution : `Afhandeling ${act}.`,
    };
    expect(result).toMatchObject({ id: complaint.id, ...expected, trajectory: { id: t.id, version: t.version + 1, phase: 'INTENSIVE' } });
    const after = await snapshot(t.id);
    expect(after.complaints).toEqual([
      expect.objectContaining({ id: complaint.id, status: to, escalated_on: expected.escalatedOn, resolved_on: expected.resolvedOn, resolution: expected.resolution }),
    ]);
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(await lastEvent(t.id)).toMatchObject({ act, actor_user_id: world.users.scientistA.id, from_phase: 'INTENSIVE', to_phase: 'INTENSIVE' });
  });

  test('as gedragswetenschapper of TA, one complaint through the whole procedure: filed, handled by the team, escalated to the provider, resolved, each dated and recorded', async () => {
    const t = await caseIn(world, Phase.CONSOLIDATION);
    const sdk = await sdkOf(world.users.scientistA);
    const { fileComplaint: filed } = await sdk.FileComplaint({ input: { trajectoryId: t.id, complainant: 'STUDENT', description: 'Oneerlijk behandeld.', receivedOn: '2026-03-09' } });
    const handled = await complaintAct(sdk, 'handleComplaint', filed.id, 'Gesprek met leerling.');
    expect(handled).toMatchObject({ status: 'HANDLED_BY_TEAM', resolution: 'Gesprek met leerling.' });
    app.clock.set(new Date('2026-03-20T09:00:00Z'));
    const escalated = await complaintAct(sdk, 'escalateComplaint', filed.id);
    expect(escalated).toMatchObject({ status: 'ESCALATED_TO_PROVIDER', escalatedOn: '2026-03-20', resolvedOn: null });
    app.clock.set(new Date('2026-04-02T22:30:00Z')); // 3 April in Amsterdam (CEST)
    const resolved = await complaintAct(sdk, 'resolveComplaint', filed.id, 'Klachtencommissie: ongegrond.');
    expect(resolved).toMatchObject({ status: 'RESOLVED', receivedOn: '2026-03-09', escalatedOn: '2026-03-20', resolvedOn: '2026-04-03', resolution: 'Klachtencommissie: ongegrond.' });
    const events = (await snapshot(t.id)).events.map((e: { act: string; reason: string | null }) => [e.act, e.reason]);
    expect(events.slice(-4)).toEqual([
      ['fileComplaint', 'Complaint by STUDENT'],
      ['handleComplaint', 'Gesprek met leerling.'],
      ['escalateComplaint', null],
      ['resolveComplaint', 'Klachtencommissie: ongegrond.'],
    ]);
    const { trajectory } = await sdk.TrajectoryOversight({ id: t.id });
    expect(trajectory!.complaints!.edges.map((e) => e.node)).toEqual([{ id: filed.id, status: 'RESOLVED' }]);
  });

  test('an empty resolution is BAD_USER_INPUT naming input.resolution, nothing changed', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const complaint = await insertComplaint(t.id, world, ComplaintStatus.RECEIVED);
    const before = await snapshot(t.id);
    const error = await errorOf(complaintAct(await sdkOf(world.users.scientistA), 'resolveComplaint', complaint.id, ' '));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.resolution' } });
    expect(await snapshot(t.id)).toEqual(before);
  });

  describe.each(['handleComplaint', 'escalateComplaint', 'resolveComplaint'] as const)('%s: every other role is refused and nothing is written', (act) => {
    let trajectoryId: string;
    let complaintId: string;
    beforeAll(async () => {
      trajectoryId = (await caseIn(world, Phase.INTENSIVE)).id;
      complaintId = (await insertComplaint(trajectoryId, world, ComplaintStatus.RECEIVED)).id;
    });
    test.each(refusals(['scientistA', 'teacherA'], SEE_COMPLAINT))('as %s: %s', async (role, code) => {
      const before = await snapshot(trajectoryId);
      const error = await errorOf(complaintAct(await sdkOf(userOf(role)), act, complaintId));
      expect(error.code).toBe(code);
      expect(await snapshot(trajectoryId)).toEqual(before);
    });
    test('positive control: as topdocent of TA, succeeds', async () => {
      const result = await complaintAct(await sdkOf(teacherA), act, complaintId);
      expect(result.id).toBe(complaintId);
      expect(result.status).not.toBe('RECEIVED');
    });
  });
});

describe('concurrent acts', () => {
  /** Runs both calls at once; returns the successes and the error codes. */
  async function race<T>(calls: Array<Promise<T>>): Promise<{ ok: T[]; codes: string[] }> {
    const settled = await Promise.allSettled(calls);
    const ok = settled.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value);
    const codes = settled
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => String((r.reason as ClientError).response.errors![0].extensions?.code));
    return { ok, codes };
  }

  test('two team members escalate the same trajectory to level 2 at once: one escalation is written, the other is refused', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const [a, b] = await Promise.all([sdkOf(world.users.scientistA), sdkOf(teacherA)]);
    const { ok, codes } = await race([
      a.EscalateTrajectory({ input: { trajectoryId: t.id, level: 2, reason: 'Eén.' } }),
      b.EscalateTrajectory({ input: { trajectoryId: t.id, level: 2, reason: 'Twee.' } }),
    ]);
    expect(ok).toHaveLength(1);
    expect(codes).toHaveLength(1);
    expect(['CONFLICT', 'BAD_USER_INPUT']).toContain(codes[0]);
    const after = await snapshot(t.id);
    expect(after.escalations).toHaveLength(1);
    expect(after.events.filter((e: { act: string }) => e.act === 'escalateTrajectory')).toHaveLength(1);
  });

  test('the coordinator resolves one escalation twice at once: one wins, the other is CONFLICT, the winner\'s resolution stays', async () => {
    const t = await caseIn(world, Phase.INTENSIVE);
    const escalation = await insertEscalation(t.id, world, 1);
    const sdk = await sdkOf(world.users.coordinator);
    const { ok, codes } = await race([
      sdk.ResolveEscalation({ input: { escalationId: escalation.id, resolution: 'A' } }),
      sdk.ResolveEscalation({ input: { escalationId: escalation.id, resolution: 'B' } }),
    ]);
    expect(ok).toHaveLength(1);
    expect(codes).toEqual(['CONFLICT']);
    const after = await snapshot(t.id);
    expect(['A', 'B']).toContain(after.escalations[0].resolution);
    expect(after.events.filter((e: { act: string }) => e.act === 'resolveEscalation')).toEqual([expect.objectContaining({ reason: after.escalations[0].resolution })]);
  });

  test('the same party\'s exit questionnaire recorded twice at once: one row, the other CONFLICT', async () => {
    const t = await caseIn(world, Phase.COMPLETED);
    const sdk = await sdkOf(world.users.scientistA);
    const { ok, codes } = await race([
      sdk.RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'PARENTS', score: 2 } }),
      sdk.RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'PARENTS', score: 5 } }),
    ]);
    expect(ok).toHaveLength(1);
    expect(codes).toEqual(['CONFLICT']);
    expect((await snapshot(t.id)).exits).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------
// Exit questionnaire

describe('recordExitQuestionnaire', () => {
  test('as gedragswetenschapper of TA, at completion records the answer of each party once; a second answer of a party is CONFLICT and changes nothing', async () => {
    const t = await caseIn(world, Phase.COMPLETED);
    const sdk = await sdkOf(world.users.scientistA);
    const { recordExitQuestionnaire: student } = await sdk.RecordExitQuestionnaire({ input: { trajectoryId: t.id, expectedVersion: t.version, party: 'STUDENT', score: 4, comment: ' Fijn geholpen. ' } });
    expect(student).toMatchObject({ party: 'STUDENT', score: 4, comment: 'Fijn geholpen.', trajectory: { id: t.id, version: t.version, phase: 'COMPLETED' } });
    await sdk.RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'PARENTS', score: 5 } });
    await (await sdkOf(teacherA)).RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'SCHOOL', score: 1, comment: '' } });
    const before = await snapshot(t.id);
    expect(before.exits.map((e: { party: string; score: number; comment: string | null }) => [e.party, e.score, e.comment]).sort()).toEqual([
      ['PARENTS', 5, null], ['SCHOOL', 1, null], ['STUDENT', 4, 'Fijn geholpen.'],
    ]);
    expect(before.events.slice(-3).map((e: { act: string }) => e.act)).toEqual(['recordExitQuestionnaire', 'recordExitQuestionnaire', 'recordExitQuestionnaire']);

    const error = await errorOf(sdk.RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'STUDENT', score: 2 } }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).not.toMatch(/IDX_|exit_questionnaire|duplicate key/i);
    expect(await snapshot(t.id)).toEqual(before);

    const { trajectory } = await sdk.TrajectoryOversight({ id: t.id });
    expect(trajectory!.exitQuestionnaires!.totalCount).toBe(3);
  });

  test('as gedragswetenschapper of TA, a trajectory closed after the assessment takes exit questionnaires too', async () => {
    const t = await caseIn(world, Phase.CLOSED);
    const { recordExitQuestionnaire: e } = await (await sdkOf(world.users.scientistA)).RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'PARENTS', score: 3 } });
    expect(e).toMatchObject({ party: 'PARENTS', score: 3, comment: null });
  });

  test('the same party may answer for another trajectory', async () => {
    const t1 = await caseIn(world, Phase.COMPLETED);
    const t2 = await caseIn(world, Phase.COMPLETED);
    const sdk = await sdkOf(world.users.scientistA);
    await sdk.RecordExitQuestionnaire({ input: { trajectoryId: t1.id, party: 'SCHOOL', score: 3 } });
    const { recordExitQuestionnaire: e } = await sdk.RecordExitQuestionnaire({ input: { trajectoryId: t2.id, party: 'SCHOOL', score: 4 } });
    expect(e.score).toBe(4);
  });

  test.each([0, 6])('score %i is BAD_USER_INPUT naming input.score, nothing written', async (score) => {
    const t = await caseIn(world, Phase.COMPLETED);
    const before = await snapshot(t.id);
    const error = await errorOf((await sdkOf(world.users.scientistA)).RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'STUDENT', score } }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'input.score' } });
    expect(error.message).toContain('input.score');
    expect(await snapshot(t.id)).toEqual(before);
  });

  test.each([Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION, Phase.CANCELLED])(
    'before closure (%s) it is INVALID_TRANSITION naming the phase, nothing written',
    async (phase) => {
      const t = await caseIn(world, phase);
      const before = await snapshot(t.id);
      const error = await errorOf((await sdkOf(world.users.scientistA)).RecordExitQuestionnaire({ input: { trajectoryId: t.id, party: 'STUDENT', score: 3 } }));
      expect(error).toMatchObject({ code: 'INVALID_TRANSITION', extensions: { phase } });
      expect(error.extensions.allowed).not.toContain('recordExitQuestionnaire');
      expect(await snapshot(t.id)).toEqual(before);
    },
  );

  describe('every other role is refused and nothing is written', () => {
    let trajectoryId: string;
    beforeAll(async () => {
      trajectoryId = (await caseIn(world, Phase.COMPLETED)).id;
    });
    test.each(refusals(['scientistA', 'teacherA'], SEE_TRAJECTORY))('as %s: %s', async (role, code) => {
      const before = await snapshot(trajectoryId);
      const error = await errorOf((await sdkOf(userOf(role))).RecordExitQuestionnaire({ input: { trajectoryId, party: 'SCHOOL', score: 3 } }));
      expect(error.code).toBe(code);
      expect(await snapshot(trajectoryId)).toEqual(before);
    });
  });
});
