/**
 * `overdueCases`: the programme coordinator's oversight of the cases past the intensive phase's
 * hard limit (PAST_LIMIT) and past their phase's due date (OVERDUE), the longest overdue first,
 * with the level, the date it refers to and the days past it (Trajectory.timeliness,
 * timelinessDate, daysPast: the one timeliness rule). Boundaries: the limit day itself is not
 * past it, the day after is (daysPast 1); a phase due today is not overdue. Per role: the
 * programme coordinator sees the partnership's cases without case text; other roles that read
 * trajectories their own scope; roles that read none are FORBIDDEN. Paged like every
 * connection, logged like every list of trajectories.
 */
import { AccessLogEntry } from '../../../src/app/entities';
import { addDays } from '../../../src/domain/clock';
import { Phase } from '../../../src/domain/enums';
import { trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp, TEST_NOW } from '../../setup/app';
import { errorOf } from '../../setup/errors';

let app: TestApp;
let w: World;
const TODAY = '2026-03-16';
/** The next day, same time. */
const TOMORROW_NOW = new Date(TEST_NOW.getTime() + 86_400_000);
let ids: { limitToday: string; dueYesterday: string; dueToday: string; a1Team: string };

beforeAll(async () => {
  app = await startTestApp();
  w = await createWorld(app.dataSource);
  // The intensive phase started 16 weeks ago: its hard limit is today (due 4 weeks ago).
  const limitToday = await trajectoryIn(app.dataSource, w, Phase.INTENSIVE, { phaseStartedOn: addDays(TODAY, -112) });
  // An assessment due yesterday, at school B1 with team TB.
  const dueYesterday = await trajectoryIn(app.dataSource, w, Phase.ASSESSMENT, { phaseStartedOn: addDays(TODAY, -29), school: w.schools.B1, team: w.teams.TB });
  // An assessment due today: on time today.
  const dueToday = await trajectoryIn(app.dataSource, w, Phase.ASSESSMENT, { phaseStartedOn: addDays(TODAY, -28) });
  // The world's own a1Team is in ASSESSMENT, due 2026-03-02: overdue too.
  ids = { limitToday: limitToday.trajectory.id, dueYesterday: dueYesterday.trajectory.id, dueToday: dueToday.trajectory.id, a1Team: w.trajectories.a1Team.id };
});
afterAll(() => app.stop());
afterEach(() => app.clock.set(TEST_NOW));

type Row = { id: string; timeliness: string | null; timelinessDate: string | null; daysPast: number | null };
async function overdue(email: string, filter?: { level: Array<'PAST_LIMIT' | 'OVERDUE'> }): Promise<Row[]> {
  const { overdueCases } = await (await app.sdk(email)).OverdueCases({ first: 100, filter });
  expect(overdueCases.totalCount).toBe(overdueCases.edges.length);
  return overdueCases.edges.map(({ node }) => ({ id: node.id, timeliness: node.timeliness, timelinessDate: node.timelinessDate, daysPast: node.daysPast }));
}

describe('boundaries (programme coordinator)', () => {
  test('today: the limit day itself is not past the limit (OVERDUE, 28 days past its due date); a phase due today is not listed', async () => {
    expect(await overdue(w.users.coordinator.email)).toEqual([
      { id: ids.limitToday, timeliness: 'OVERDUE', timelinessDate: addDays(TODAY, -28), daysPast: 28 },
      { id: ids.a1Team, timeliness: 'OVERDUE', timelinessDate: '2026-03-02', daysPast: 14 },
      { id: ids.dueYesterday, timeliness: 'OVERDUE', timelinessDate: addDays(TODAY, -1), daysPast: 1 },
    ]);
    expect(await overdue(w.users.coordinator.email, { level: ['PAST_LIMIT'] })).toEqual([]);
  });

  test('the day after the limit: PAST_LIMIT, 1 day past; the phase due yesterday is now 1 day overdue', async () => {
    app.clock.set(TOMORROW_NOW);
    expect(await overdue(w.users.coordinator.email)).toEqual([
      { id: ids.limitToday, timeliness: 'PAST_LIMIT', timelinessDate: TODAY, daysPast: 1 },
      { id: ids.a1Team, timeliness: 'OVERDUE', timelinessDate: '2026-03-02', daysPast: 15 },
      { id: ids.dueYesterday, timeliness: 'OVERDUE', timelinessDate: addDays(TODAY, -1), daysPast: 2 },
      { id: ids.dueToday, timeliness: 'OVERDUE', timelinessDate: TODAY, daysPast: 1 },
    ]);
    expect((await overdue(w.users.coordinator.email, { level: ['PAST_LIMIT'] })).map((r) => r.id)).toEqual([ids.limitToday]);
    expect((await overdue(w.users.coordinator.email, { level: ['OVERDUE'] })).map((r) => r.id)).toEqual([ids.a1Team, ids.dueYesterday, ids.dueToday]);
  });

  test('another level than PAST_LIMIT or OVERDUE is BAD_USER_INPUT naming the filter', async () => {
    const error = await errorOf((await app.sdk(w.users.coordinator.email)).OverdueCases({ filter: { level: ['ON_TIME' as 'OVERDUE'] } }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(String(error.field)).toMatch(/^filter\.level/);
  });
});

describe('the programme coordinator', () => {
  test('sees the partnership\'s cases with their planning and pseudonym, without case text or identity', async () => {
    const { overdueCases } = await (await app.sdk(w.users.coordinator.email)).OverdueCases({ first: 100 });
    const first = overdueCases.edges[0].node;
    expect(first).toMatchObject({ id: ids.limitToday, phase: 'INTENSIVE', phaseLimitOn: TODAY, problemAreas: null, closingReason: null, team: { id: w.teams.TA.id } });
    expect(first.studentPseudonym).toEqual(expect.any(String));
    expect(first.student?.givenName ?? null).toBeNull();
  });

  test('pages like every connection, the longest overdue first', async () => {
    const sdk = await app.sdk(w.users.coordinator.email);
    const page1 = await sdk.OverdueCases({ first: 2 });
    expect(page1.overdueCases.edges.map((e) => e.node.id)).toEqual([ids.limitToday, ids.a1Team]);
    expect(page1.overdueCases.pageInfo.hasNextPage).toBe(true);
    const page2 = await sdk.OverdueCases({ first: 2, after: page1.overdueCases.pageInfo.endCursor });
    expect(page2.overdueCases.edges.map((e) => e.node.id)).toEqual([ids.dueYesterday]);
    expect(page2.overdueCases.pageInfo.hasNextPage).toBe(false);
  });

  test('the list is logged: one SEARCH entry naming the students of the cases returned (read alike), covering the cases', async () => {
    const last = async (): Promise<string> => (await app.dataSource.query('SELECT coalesce(max(sequence), 0)::text AS s FROM access_log_entry WHERE partnership_id = $1', [w.partnership.id]))[0].s;
    const before = await last();
    const listed = (await overdue(w.users.coordinator.email)).map((r) => r.id);
    expect(listed).toEqual([ids.limitToday, ids.a1Team, ids.dueYesterday]);
    const entries = await app.dataSource.getRepository(AccessLogEntry).createQueryBuilder('e')
      .where('e.partnershipId = :p AND e.userId = :u AND e.sequence > :before', { p: w.partnership.id, u: w.users.coordinator.id, before })
      .orderBy('e.sequence').getMany();
    const studentOf: Array<{ id: string; student_id: string }> = await app.dataSource.query('SELECT id, student_id FROM trajectory WHERE id = ANY($1)', [listed]);
    // The cases and their students (the pseudonyms the list shows) in one entry, on the coordinator's legal task.
    expect(entries.map((e) => ({ action: e.action, objectType: e.objectType, objectId: e.objectId, studentId: e.studentId, objects: e.objects, role: e.role, legalBasis: e.legalBasis })))
      .toEqual([{
        action: 'SEARCH', objectType: 'Student', objectId: null, studentId: null, role: 'PROGRAMME_COORDINATOR', legalBasis: 'LEGAL_TASK',
        objects: studentOf.flatMap((t) => [`Student:${t.student_id}`, `Trajectory:${t.id}`]).sort(),
      }]);
  });
});

describe('other roles: their own scope, or FORBIDDEN', () => {
  test.each([
    ['schoolA1', () => [ids.limitToday, ids.a1Team]],
    ['schoolB1', () => [ids.dueYesterday]],
    ['advisorA', () => [ids.limitToday, ids.a1Team]],
    ['scientistA', () => [ids.limitToday, ids.a1Team]],
    ['teacherB', () => [ids.dueYesterday]],
    ['mentorA1', () => []],
  ] as const)('%s sees the overdue cases of its own scope', async (user, expected) => {
    expect((await overdue(w.users[user].email)).map((r) => r.id)).toEqual(expected());
  });

  test.each(['analyst', 'privacy', 'admin', 'nobody'] as const)('%s, who reads no trajectory, is FORBIDDEN', async (user) => {
    const error = await errorOf((await app.sdk(w.users[user].email)).OverdueCases({}));
    expect(error.code).toBe('FORBIDDEN');
  });
});
