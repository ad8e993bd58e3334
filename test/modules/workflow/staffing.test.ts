/**
 * Staffing a case (bezetting) and what follows from it:
 *
 * 1. `staffTrajectory`: the gedragswetenschapper of the case's team and the programme
 *    coordinator set the responsible gedragswetenschapper, Topdocent and ambulant hulpverlener,
 *    each from the case's OWN team with that function; recorded as an event (version + 1) and in
 *    the access log; only the given functions change, null unstaffs;
 * 2. refusals, each with nothing written: someone of another team, the wrong function, a
 *    member who left, nothing given, a stale expectedVersion, a case without a team, and every
 *    other role;
 * 3. a reassignment to another team clears the staffing; so does the revocation of a staffed
 *    member's team membership, on the team's running cases (an event each; all or nothing);
 * 4. `trajectories(filter: { mine })`: exactly the cases the caller is staffed on, within what
 *    the caller may see (against an oracle from the database), never more;
 * 5. `Topteam.composition`: members per function against the handbook, with the warning.
 */
import { Phase, Role, TeamFunction } from '../../../src/domain/enums';
import { Topteam, Trajectory, User } from '../../../src/app/entities';
import { createTopteam, createUser, grant } from '../../factories';
import { trajectoryIn } from '../../factories/workflow';
import { useAppWithWorld } from '../../setup/app-with-world';
import { errorOf } from '../../setup/errors';

const { app, world } = useAppWithWorld();

/** Members of team TA besides the world's gedragswetenschapper, and of team TB. */
let teacherA: User;
let teacher2A: User;
let careA: User;
let scientistB: User;
let careB: User;

beforeAll(async () => {
  const { TA, TB } = world.teams;
  teacherA = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: TA, teamFunction: TeamFunction.TEACHER }]]);
  teacher2A = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: TA, teamFunction: TeamFunction.TEACHER }]]);
  careA = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: TA, teamFunction: TeamFunction.CARE_WORKER }]]);
  scientistB = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: TB, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]);
  careB = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: TB, teamFunction: TeamFunction.CARE_WORKER }]]);
  // Room for every case the tests put on the teams.
  await app.dataSource.getRepository(Topteam).update({ partnershipId: world.partnership.id }, { capacity: 1000 });
});

/** The staffing columns, version and event count of a trajectory, straight from the table. */
async function stateOf(id: string): Promise<{ team: string | null; bs: string | null; teacher: string | null; care: string | null; version: number; events: number }> {
  const [row] = await app.dataSource.query(
    `SELECT team_id AS team, behavioural_scientist_user_id AS bs, teacher_user_id AS teacher, care_worker_user_id AS care, version,
            (SELECT count(*)::int FROM trajectory_event e WHERE e.trajectory_id = t.id) AS events
       FROM trajectory t WHERE id = $1`,
    [id],
  );
  return row;
}

const caseOf = async (phase: Phase = Phase.INTENSIVE, options: Parameters<typeof trajectoryIn>[3] = {}): Promise<Trajectory> =>
  (await trajectoryIn(app.dataSource, world, phase, options)).trajectory;

const as = (user: User) => app.sdk(user.email);

describe('staffTrajectory', () => {
  test('the gedragswetenschapper staffs the case from its own team: the row, the event, the version and the access log', async () => {
    const t = await caseOf();
    const before = await stateOf(t.id);
    const { staffTrajectory: staffed } = await (await as(world.users.scientistA)).StaffTrajectory({
      input: { trajectoryId: t.id, expectedVersion: t.version, behaviouralScientistId: world.users.scientistA.id, teacherId: teacherA.id, careWorkerId: careA.id, reason: 'Teamoverleg.' },
    });
    expect(staffed).toMatchObject({ id: t.id, version: t.version + 1, team: { id: world.teams.TA.id } });
    expect([staffed.behaviouralScientist, staffed.teacher, staffed.careWorker]).toEqual([{ id: world.users.scientistA.id }, { id: teacherA.id }, { id: careA.id }]);
    expect(await stateOf(t.id)).toEqual({
      ...before, bs: world.users.scientistA.id, teacher: teacherA.id, care: careA.id, version: before.version + 1, events: before.events + 1,
    });
    const [event] = await app.dataSource.query(
      `SELECT act, from_phase, to_phase, actor_user_id, reason FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence DESC LIMIT 1`, [t.id],
    );
    expect(event).toEqual({ act: 'staffTrajectory', from_phase: 'INTENSIVE', to_phase: 'INTENSIVE', actor_user_id: world.users.scientistA.id, reason: 'Teamoverleg.' });
    // The change is logged in the entry about the case's student that covers the case, naming what the answer showed.
    const [logged] = await app.dataSource.query(
      `SELECT action, object_type, object_id, objects, fields, user_id FROM access_log_entry WHERE $1 = ANY(objects) ORDER BY sequence DESC LIMIT 1`, [`Trajectory:${t.id}`],
    );
    expect(logged).toEqual({
      action: 'CHANGE', object_type: 'Student', object_id: t.studentId, objects: [`Trajectory:${t.id}`], user_id: world.users.scientistA.id,
      fields: ['Trajectory.behaviouralScientist', 'Trajectory.careWorker', 'Trajectory.id', 'Trajectory.teacher', 'Trajectory.team', 'Trajectory.version'],
    });
  });

  test('who reads the staffing: the team and the programme coordinator see the names; others the field, not the accounts', async () => {
    const t = await caseOf();
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, behaviouralScientistId: world.users.scientistA.id, teacherId: teacherA.id, careWorkerId: careA.id } });
    const names = { behaviouralScientist: { id: world.users.scientistA.id, name: world.users.scientistA.name }, teacher: { id: teacherA.id, name: teacherA.name }, careWorker: { id: careA.id, name: careA.name } };
    for (const user of [world.users.scientistA, teacherA, careA, world.users.coordinator]) {
      expect((await (await as(user)).TrajectoryStaff({ id: t.id })).trajectory).toMatchObject(names);
    }
    // The school coordinator reads the case, not the team's accounts.
    expect((await (await as(world.users.schoolA1)).TrajectoryStaff({ id: t.id })).trajectory).toMatchObject({ behaviouralScientist: null, teacher: null, careWorker: null });
    // A colleague who left the team is no longer readable to the team.
    await app.dataSource.query('UPDATE membership SET revoked_at = now() WHERE user_id = $1', [teacher2A.id]);
    try {
      await app.dataSource.query('UPDATE trajectory SET teacher_user_id = $1 WHERE id = $2', [teacher2A.id, t.id]);
      expect((await (await as(careA)).TrajectoryStaff({ id: t.id })).trajectory).toMatchObject({ teacher: null, careWorker: { id: careA.id } });
    } finally {
      await app.dataSource.query('UPDATE membership SET revoked_at = NULL WHERE user_id = $1', [teacher2A.id]);
    }
  });

  test('only the given functions change; null unstaffs one; the programme coordinator may staff too', async () => {
    const t = await caseOf(Phase.ACCEPTED);
    await (await as(world.users.coordinator)).StaffTrajectory({ input: { trajectoryId: t.id, behaviouralScientistId: world.users.scientistA.id, teacherId: teacherA.id } });
    expect(await stateOf(t.id)).toMatchObject({ bs: world.users.scientistA.id, teacher: teacherA.id, care: null });
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: teacher2A.id, careWorkerId: careA.id } });
    expect(await stateOf(t.id)).toMatchObject({ bs: world.users.scientistA.id, teacher: teacher2A.id, care: careA.id });
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: null } });
    expect(await stateOf(t.id)).toMatchObject({ bs: world.users.scientistA.id, teacher: null, care: careA.id, version: t.version + 3 });
  });

  test('the gedragswetenschapper may staff a case whose care consent was withdrawn (organising the team, no case data)', async () => {
    const t = await caseOf(Phase.INTENSIVE, { consents: [], withdrawn: [] });
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, careWorkerId: careA.id } });
    expect(await stateOf(t.id)).toMatchObject({ care: careA.id });
  });
});

describe('refusals change nothing', () => {
  const refusals: Array<[string, () => Record<string, unknown>, string, string]> = [
    ['a Topdocent of another team', () => ({ teacherId: world.users.teacherB.id }), 'BAD_USER_INPUT', 'input.teacherId'],
    ['the gedragswetenschapper of another team', () => ({ behaviouralScientistId: scientistB.id }), 'BAD_USER_INPUT', 'input.behaviouralScientistId'],
    ['an ambulant hulpverlener of another team', () => ({ careWorkerId: careB.id }), 'BAD_USER_INPUT', 'input.careWorkerId'],
    ['a Topdocent of the own team as ambulant hulpverlener (wrong function)', () => ({ careWorkerId: teacherA.id }), 'BAD_USER_INPUT', 'input.careWorkerId'],
    ['an ambulant hulpverlener as gedragswetenschapper (wrong function)', () => ({ behaviouralScientistId: careA.id }), 'BAD_USER_INPUT', 'input.behaviouralScientistId'],
    ['someone without any team (the school coordinator)', () => ({ teacherId: world.users.schoolA1.id }), 'BAD_USER_INPUT', 'input.teacherId'],
    ['an id of no user', () => ({ teacherId: '00000000-0000-4000-8000-000000000000' }), 'BAD_USER_INPUT', 'input.teacherId'],
    ['a valid gedragswetenschapper with a wrong Topdocent: neither is written', () => ({ behaviouralScientistId: world.users.scientistA.id, teacherId: careA.id }), 'BAD_USER_INPUT', 'input.teacherId'],
    ['no function at all', () => ({}), 'BAD_USER_INPUT', 'input'],
    ['a stale expectedVersion', () => ({ teacherId: teacherA.id, expectedVersion: 1 }), 'CONFLICT', ''],
  ];
  test.each(refusals)('%s', async (_title, input, code, field) => {
    const t = await caseOf();
    // One act already happened, so version 1 is stale.
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, careWorkerId: careA.id } });
    const before = await stateOf(t.id);
    const error = await errorOf((await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, ...input() } }));
    expect(error.code).toBe(code);
    if (field) expect(error.field).toBe(field);
    expect(await stateOf(t.id)).toEqual(before);
  });

  test('the same staffing again is refused (nothing changes)', async () => {
    const t = await caseOf();
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: teacherA.id } });
    const before = await stateOf(t.id);
    expect(await errorOf((await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: teacherA.id } }))).toMatchObject({
      code: 'BAD_USER_INPUT', field: 'input.teacherId',
    });
    expect(await stateOf(t.id)).toEqual(before);
  });

  test('a member who left the team (membership revoked) or whose account is deactivated is refused', async () => {
    const left = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
    await app.dataSource.query('UPDATE membership SET revoked_at = now() WHERE user_id = $1', [left.id]);
    const inactive = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.CARE_WORKER }]]);
    await app.dataSource.query('UPDATE app_user SET active = false WHERE id = $1', [inactive.id]);
    const t = await caseOf();
    const before = await stateOf(t.id);
    expect(await errorOf((await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: left.id } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.teacherId' });
    expect(await errorOf((await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, careWorkerId: inactive.id } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.careWorkerId' });
    expect(await stateOf(t.id)).toEqual(before);
  });

  test('a case waiting for a team cannot be staffed (INVALID_TRANSITION); a finished or unaccepted one neither', async () => {
    const waiting = await caseOf(Phase.ACCEPTED, { team: null });
    const before = await stateOf(waiting.id);
    expect(await errorOf((await as(world.users.coordinator)).StaffTrajectory({ input: { trajectoryId: waiting.id, behaviouralScientistId: world.users.scientistA.id } })))
      .toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await stateOf(waiting.id)).toEqual(before);
    for (const phase of [Phase.REQUESTED, Phase.COMPLETED, Phase.CANCELLED]) {
      const t = await caseOf(phase);
      const state = await stateOf(t.id);
      expect(await errorOf((await as(world.users.coordinator)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: teacherA.id } }))).toMatchObject({ code: 'INVALID_TRANSITION' });
      expect(await stateOf(t.id)).toEqual(state);
    }
  });

  test('who may staff: the gedragswetenschapper of the case\'s team and the programme coordinator; every other role is refused', async () => {
    const others: Array<[string, () => User, string]> = [
      ['Topdocent of the team', () => teacherA, 'FORBIDDEN'],
      ['ambulant hulpverlener of the team', () => careA, 'FORBIDDEN'],
      ['school coordinator of the school', () => world.users.schoolA1, 'FORBIDDEN'],
      ['advisor of the windstreek', () => world.users.advisorA, 'FORBIDDEN'],
      ['mentor', () => world.users.mentorA1, 'NOT_FOUND'],
      ['gedragswetenschapper of another team', () => scientistB, 'NOT_FOUND'],
      ['Topdocent of another team', () => world.users.teacherB, 'NOT_FOUND'],
      ['school coordinator of another school', () => world.users.schoolB1, 'NOT_FOUND'],
      ['admin', () => world.users.admin, 'NOT_FOUND'],
      ['privacy officer', () => world.users.privacy, 'NOT_FOUND'],
      ['analyst', () => world.users.analyst, 'NOT_FOUND'],
      ['user without a role', () => world.users.nobody, 'NOT_FOUND'],
    ];
    const t = await caseOf();
    const before = await stateOf(t.id);
    for (const [who, user, code] of others) {
      const error = await errorOf((await as(user())).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: teacherA.id } }));
      expect([who, error.code]).toEqual([who, code]);
    }
    expect(await stateOf(t.id)).toEqual(before);
    for (const user of [world.users.scientistA, world.users.coordinator]) {
      await (await as(user)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: user === world.users.scientistA ? teacherA.id : teacher2A.id } });
    }
    expect(await stateOf(t.id)).toMatchObject({ teacher: teacher2A.id, version: before.version + 2 });
  });
});

describe('reassignment to another team', () => {
  test('clears the staffing; the new team staffs from its own members, no longer from the old team', async () => {
    const t = await caseOf(Phase.ASSESSMENT);
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, behaviouralScientistId: world.users.scientistA.id, teacherId: teacherA.id, careWorkerId: careA.id } });
    await (await as(world.users.coordinator)).ReassignTeam({ input: { trajectoryId: t.id, teamId: world.teams.TB.id, reason: 'Team A is vol.' } });
    expect(await stateOf(t.id)).toMatchObject({ team: world.teams.TB.id, bs: null, teacher: null, care: null });
    const before = await stateOf(t.id);
    expect(await errorOf((await as(scientistB)).StaffTrajectory({ input: { trajectoryId: t.id, teacherId: teacherA.id } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.teacherId' });
    expect(await errorOf((await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, careWorkerId: careA.id } }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await stateOf(t.id)).toEqual(before);
    await (await as(scientistB)).StaffTrajectory({ input: { trajectoryId: t.id, behaviouralScientistId: scientistB.id, teacherId: world.users.teacherB.id, careWorkerId: careB.id } });
    expect(await stateOf(t.id)).toMatchObject({ team: world.teams.TB.id, bs: scientistB.id, teacher: world.users.teacherB.id, care: careB.id });
  });
});

describe('a staffed member who leaves the team (revokeMembership)', () => {
  /** A new Topdocent of team TA and the id of that membership. */
  async function newTeacher(): Promise<{ user: User; membershipId: string }> {
    const user = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
    const [row] = await app.dataSource.query('SELECT id FROM membership WHERE user_id = $1', [user.id]);
    return { user, membershipId: row.id };
  }
  /** Staffs a case of TA in `phase` (through the act, then moved to a finished phase directly where asked). */
  async function staffedCase(teacher: User, phase: Phase = Phase.INTENSIVE, finishedAs?: Phase): Promise<Trajectory> {
    const t = await caseOf(phase);
    await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, behaviouralScientistId: world.users.scientistA.id, teacherId: teacher.id, careWorkerId: careA.id } });
    if (finishedAs) await app.dataSource.query('UPDATE trajectory SET phase = $2 WHERE id = $1', [t.id, finishedAs]);
    return t;
  }
  const revokedAt = async (membershipId: string) => (await app.dataSource.query('SELECT revoked_at FROM membership WHERE id = $1', [membershipId]))[0].revoked_at;
  const REASON = 'The staffed member left the Topteam (membership revoked): no longer the Topdocent of the case.';

  test("clears the leaver's staffing on the team's running cases, one event each, in the access log; nothing else changes", async () => {
    const { user: leaver, membershipId } = await newTeacher();
    const intensive = await staffedCase(leaver);
    const accepted = await staffedCase(leaver, Phase.ACCEPTED);
    const finished = await staffedCase(leaver, Phase.CONSOLIDATION, Phase.COMPLETED);
    const other = await staffedCase(teacher2A);
    const before = { intensive: await stateOf(intensive.id), accepted: await stateOf(accepted.id), finished: await stateOf(finished.id), other: await stateOf(other.id) };

    const { revokeMembership: revoked } = await (await as(world.users.admin)).RevokeMembership({ input: { membershipId } });
    expect(revoked).toMatchObject({ id: membershipId, role: 'TEAM_MEMBER' });
    expect(revoked.revokedAt).not.toBeNull();

    for (const key of ['intensive', 'accepted'] as const) {
      const t = { intensive, accepted }[key];
      expect(await stateOf(t.id)).toEqual({ ...before[key], teacher: null, version: before[key].version + 1, events: before[key].events + 1 });
      const [event] = await app.dataSource.query(
        'SELECT act, from_phase, to_phase, actor_user_id, reason FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence DESC LIMIT 1', [t.id],
      );
      const phase = key === 'intensive' ? 'INTENSIVE' : 'ACCEPTED';
      expect(event).toEqual({ act: 'staffTrajectory', from_phase: phase, to_phase: phase, actor_user_id: world.users.admin.id, reason: REASON });
    }
    expect(before.intensive).toMatchObject({ bs: world.users.scientistA.id, teacher: leaver.id, care: careA.id });
    // A finished case keeps who was responsible; a case staffed with another Topdocent is untouched.
    expect(await stateOf(finished.id)).toEqual(before.finished);
    expect(before.finished.teacher).toBe(leaver.id);
    expect(await stateOf(other.id)).toEqual(before.other);
    // One CHANGE entry for the cases cleared (changed alike), naming their students and the cases, and the field.
    const logged: Array<{ object_type: string; object_id: string | null; student_id: string | null; objects: string[]; fields: string[]; user_id: string }> = await app.dataSource.query(
      `SELECT object_type, object_id, student_id, objects, fields, user_id FROM access_log_entry WHERE action = 'CHANGE' AND objects && $1::text[] ORDER BY sequence`,
      [[intensive, accepted, finished, other].map((t) => `Trajectory:${t.id}`)],
    );
    const byAdmin = logged.filter((l) => l.user_id === world.users.admin.id);
    expect(byAdmin).toEqual([{
      object_type: 'Student', object_id: null, student_id: null, fields: ['Trajectory.teacher'], user_id: world.users.admin.id,
      objects: [...[intensive, accepted].map((t) => `Student:${t.studentId}`), ...[intensive, accepted].map((t) => `Trajectory:${t.id}`)].sort(),
    }]);
  });

  test('a member who still holds the function in the team through another membership stays staffed', async () => {
    const { user, membershipId } = await newTeacher();
    await grant(app.dataSource, user, Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER });
    const t = await staffedCase(user);
    const before = await stateOf(t.id);
    await (await as(world.users.admin)).RevokeMembership({ input: { membershipId } });
    expect(await stateOf(t.id)).toEqual(before);
  });

  test('a fault half-way (the second case\'s event) rolls back everything: the membership, the staffing, the events', async () => {
    const { user: leaver, membershipId } = await newTeacher();
    const first = await staffedCase(leaver);
    const second = await staffedCase(leaver, Phase.ASSESSMENT);
    const failing = [first.id, second.id].sort()[1];
    const fn = `unstaff_fault_${membershipId.replace(/-/g, '')}`;
    await app.dataSource.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`);
    await app.dataSource.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON trajectory_event FOR EACH ROW WHEN (NEW.trajectory_id = '${failing}') EXECUTE FUNCTION ${fn}()`);
    const before = { first: await stateOf(first.id), second: await stateOf(second.id) };
    const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const error = await errorOf((await as(world.users.admin)).RevokeMembership({ input: { membershipId } }));
      expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      silenced.mockRestore();
      await app.dataSource.query(`DROP TRIGGER ${fn} ON trajectory_event`);
      await app.dataSource.query(`DROP FUNCTION ${fn}()`);
    }
    expect({ first: await stateOf(first.id), second: await stateOf(second.id) }).toEqual(before);
    expect(before.first.teacher).toBe(leaver.id);
    expect(await revokedAt(membershipId)).toBeNull();
    // Without the fault it goes through.
    await (await as(world.users.admin)).RevokeMembership({ input: { membershipId } });
    expect((await stateOf(first.id)).teacher).toBeNull();
    expect((await stateOf(second.id)).teacher).toBeNull();
  });
});

describe('trajectories(filter: { mine })', () => {
  /** Every id of a list, page by page. */
  async function ids(user: User, filter: Record<string, unknown>): Promise<{ ids: string[]; totalCount: number }> {
    const sdk = await as(user);
    const all: string[] = [];
    let after: string | null | undefined;
    let totalCount = 0;
    do {
      const { trajectories } = await sdk.MyTrajectories({ filter, first: 100, after });
      all.push(...trajectories.edges.map((e) => e.node.id));
      totalCount = trajectories.totalCount;
      after = trajectories.pageInfo.hasNextPage ? trajectories.pageInfo.endCursor : null;
    } while (after);
    return { ids: all.sort(), totalCount };
  }

  /** The oracle: the cases the database has the user staffed on. */
  async function staffedOn(user: User): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await app.dataSource.query(
      `SELECT id FROM trajectory WHERE $1 IN (behavioural_scientist_user_id, teacher_user_id, care_worker_user_id)`, [user.id],
    );
    return new Set(rows.map((r) => r.id));
  }

  test('exactly the visible cases the caller is staffed on; false: the other visible ones; never a case out of sight', async () => {
    const cases = [];
    for (let i = 0; i < 6; i++) cases.push(await caseOf(i % 2 ? Phase.ASSESSMENT : Phase.INTENSIVE));
    const scientist = world.users.scientistA;
    await (await as(scientist)).StaffTrajectory({ input: { trajectoryId: cases[0].id, behaviouralScientistId: scientist.id, teacherId: teacherA.id, careWorkerId: careA.id } });
    await (await as(scientist)).StaffTrajectory({ input: { trajectoryId: cases[1].id, teacherId: teacherA.id } });
    await (await as(scientist)).StaffTrajectory({ input: { trajectoryId: cases[2].id, teacherId: teacher2A.id, careWorkerId: careA.id } });
    await (await as(scientist)).StaffTrajectory({ input: { trajectoryId: cases[3].id, behaviouralScientistId: scientist.id } });
    // A staffing the rules would not show: teacherA written onto a case of team TB (as no act
    // would). `mine` narrows what the caller may see; it never widens it.
    await app.dataSource.query('UPDATE trajectory SET teacher_user_id = $1 WHERE id = $2', [teacherA.id, world.trajectories.b1Team.id]);

    for (const user of [scientist, teacherA, teacher2A, careA, scientistB, world.users.coordinator, world.users.schoolA1, world.users.mentorA1]) {
      const visible = new Set((await ids(user, {})).ids);
      const staffed = await staffedOn(user);
      const expected = [...visible].filter((id) => staffed.has(id)).sort();
      const mine = await ids(user, { mine: true });
      expect(mine).toEqual({ ids: expected, totalCount: expected.length });
      const notMine = await ids(user, { mine: false });
      expect(notMine.ids).toEqual([...visible].filter((id) => !staffed.has(id)).sort());
    }
    // The exact answers for the team of this test (other tests in the file add more staffing).
    expect((await ids(teacherA, { mine: true })).ids).toEqual(expect.arrayContaining([cases[0].id, cases[1].id]));
    expect((await ids(teacherA, { mine: true })).ids).not.toContain(world.trajectories.b1Team.id);
    expect((await ids(teacher2A, { mine: true })).ids).toContain(cases[2].id);
    expect((await ids(teacher2A, { mine: true })).ids).not.toContain(cases[1].id);
    expect((await ids(careA, { mine: true })).ids).toEqual(expect.arrayContaining([cases[0].id, cases[2].id]));
    for (const c of [cases[4], cases[5]]) expect((await ids(scientist, { mine: true })).ids).not.toContain(c.id);
    // Someone staffed nowhere has no cases of their own.
    expect(await ids(world.users.coordinator, { mine: true })).toEqual({ ids: [], totalCount: 0 });
    await app.dataSource.query('UPDATE trajectory SET teacher_user_id = NULL WHERE id = $1', [world.trajectories.b1Team.id]);
  });

  test('combines with the other conditions (all must hold)', async () => {
    const intensive = await caseOf(Phase.INTENSIVE);
    const assessment = await caseOf(Phase.ASSESSMENT);
    for (const t of [intensive, assessment]) await (await as(world.users.scientistA)).StaffTrajectory({ input: { trajectoryId: t.id, careWorkerId: careA.id } });
    const { ids: found } = await ids(careA, { mine: true, phases: ['ASSESSMENT'] });
    expect(found).toContain(assessment.id);
    expect(found).not.toContain(intensive.id);
  });
});

describe('Topteam.composition', () => {
  const query = async (user: User, team: Topteam) => (await (await as(user)).TopteamComposition({ id: team.id })).topteam!.composition;

  test('an incomplete team: counts per function, what it lacks, and a warning', async () => {
    const team = await createTopteam(app.dataSource, world.windstreken.A);
    await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]);
    await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.TEACHER }]]);
    // One who left and one deactivated do not count.
    const left = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.CARE_WORKER }]]);
    await app.dataSource.query('UPDATE membership SET revoked_at = now() WHERE user_id = $1', [left.id]);
    const inactive = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.TEACHER }]]);
    await app.dataSource.query('UPDATE app_user SET active = false WHERE id = $1', [inactive.id]);
    for (const user of [world.users.admin, world.users.coordinator, world.users.scientistA]) {
      expect(await query(user, team)).toEqual({
        behaviouralScientists: 1, teachers: 1, careWorkers: 0, complete: false, missing: ['TEACHER', 'CARE_WORKER', 'CARE_WORKER'],
        warning: 'Incomplete team: Topdocent (TEACHER) 1 of 2; ambulant hulpverlener (CARE_WORKER) 0 of 2.',
      });
    }
  });

  test('a complete team (more than the handbook still complete); one person counted once per function', async () => {
    const team = await createTopteam(app.dataSource, world.windstreken.B);
    const functions = [TeamFunction.BEHAVIOURAL_SCIENTIST, TeamFunction.TEACHER, TeamFunction.TEACHER, TeamFunction.TEACHER, TeamFunction.CARE_WORKER];
    for (const teamFunction of functions) await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction }]]);
    const both = await createUser(app.dataSource, world.partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.CARE_WORKER }]]);
    expect(await query(world.users.admin, team)).toEqual({ behaviouralScientists: 1, teachers: 3, careWorkers: 2, complete: true, missing: [], warning: null });
    // A second, identical grant of the same person does not count twice.
    await grant(app.dataSource, both, Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.CARE_WORKER });
    expect(await query(world.users.admin, team)).toMatchObject({ careWorkers: 2, complete: true });
  });

  test('in a list of teams, for each team its own', async () => {
    type Teams = { topteams: { edges: Array<{ node: { id: string; composition: { behaviouralScientists: number; complete: boolean } } }> } };
    const { body } = await app.gql<Teams>(world.users.admin.email, '{ topteams(first: 100) { edges { node { id composition { behaviouralScientists complete } } } } }');
    const topteams = body.data!.topteams;
    const byId = new Map(topteams.edges.map((e) => [e.node.id, e.node.composition]));
    // TA has the world's gedragswetenschapper, two Topdocenten and one ambulant hulpverlener of this file: incomplete.
    expect(byId.get(world.teams.TA.id)).toEqual({ behaviouralScientists: 1, complete: false });
    expect(byId.get(world.teams.TB.id)).toEqual({ behaviouralScientists: 1, complete: false });
  });
});
