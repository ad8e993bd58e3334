/**
 * The waiting list (wachtlijst): accepted cases that have no Topteam yet. `trajectories(filter:
 * { unassigned: true })` lists exactly them, of those the caller may see (false: every other
 * case), and `teamLoads.waitingInWindstreek` counts them per team's windstreek; both checked
 * against an oracle over the rows in the database, for the programme coordinator (the whole
 * partnership), a gedragswetenschapper and a school coordinator (only what the rules show them).
 */
import { Phase } from '../../../src/domain/enums';
import { createPartnership, createSchool, createStudent, createTopteam, createTrajectory, createUser, createWindstreek } from '../../factories';
import { useAppWithWorld } from '../../setup/app-with-world';

const { app, world } = useAppWithWorld();

interface Row { id: string; phase: string; team_id: string | null; windstreek_id: string }

let rows: Row[];

beforeAll(async () => {
  const ds = app.dataSource;
  const by = world.users.schoolA1;
  const { A1, A2, B1 } = world.schools;
  const { TA, TB } = world.teams;
  // Waiting in both windstreken, assigned accepted cases, and running ones.
  const plan: Array<[typeof A1, Phase, typeof TA | null]> = [
    [A1, Phase.ACCEPTED, null], [A2, Phase.ACCEPTED, null], [A1, Phase.ACCEPTED, null], [B1, Phase.ACCEPTED, null],
    [A1, Phase.ACCEPTED, TA], [B1, Phase.ACCEPTED, TB], [A2, Phase.INTENSIVE, TA], [B1, Phase.IN_REVIEW, null], [A1, Phase.REQUESTED, null],
  ];
  for (const [school, phase, team] of plan) await createTrajectory(ds, await createStudent(ds, school), school, by, { team: team ?? undefined, phase });
  // Another partnership's waiting case: never counted, never listed.
  const other = await createPartnership(ds);
  const otherSchool = await createSchool(ds, await createWindstreek(ds, other));
  await createTopteam(ds, await createWindstreek(ds, other));
  await createTrajectory(ds, await createStudent(ds, otherSchool), otherSchool, await createUser(ds, other), { phase: Phase.ACCEPTED });
  rows = await ds.query('SELECT id, phase, team_id, windstreek_id FROM trajectory WHERE partnership_id = $1', [world.partnership.id]);
});

const waiting = (r: Row) => r.phase === 'ACCEPTED' && r.team_id === null;

/** The ids of the waiting list, page by page (3 at a time), or of a list filtered otherwise (one page of 100). */
async function allIds(subject: string, unassigned?: boolean): Promise<string[]> {
  const sdk = await app.sdk(subject);
  if (unassigned !== true) {
    const { trajectories } = await sdk.CaseloadTrajectories({ filter: unassigned === undefined ? undefined : { unassigned } });
    return trajectories.edges.map((e) => e.node.id).sort();
  }
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const { trajectories } = await sdk.WaitingList({ first: 3, after });
    ids.push(...trajectories.edges.map((e) => e.node.id));
    if (!trajectories.pageInfo.hasNextPage) break;
    after = trajectories.pageInfo.endCursor ?? undefined;
  }
  return ids.sort();
}

describe('the waiting list', () => {
  test('as programme coordinator: exactly the accepted cases without a team, in pages, with the total', async () => {
    const expected = rows.filter(waiting).map((r) => r.id).sort();
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(await allIds(world.users.coordinator.email, true)).toEqual(expected);
    const { trajectories } = await (await app.sdk(world.users.coordinator.email)).WaitingList({ first: 2 });
    expect(trajectories.totalCount).toBe(expected.length);
    expect(trajectories.edges.every((e) => e.node.phase === 'ACCEPTED' && e.node.team === null)).toBe(true);
  });

  test('unassigned: false is every other case; both together are the whole list', async () => {
    const coordinator = world.users.coordinator.email;
    const all = await allIds(coordinator);
    const notWaiting = await allIds(coordinator, false);
    expect(notWaiting).toEqual(rows.filter((r) => !waiting(r)).map((r) => r.id).sort());
    expect([...notWaiting, ...(await allIds(coordinator, true))].sort()).toEqual(all);
  });

  test('as gedragswetenschapper of team A: the waiting cases the rules show them, no more', async () => {
    const subject = world.users.scientistA.email;
    const visible = new Set(await allIds(subject));
    const expected = rows.filter((r) => waiting(r) && visible.has(r.id)).map((r) => r.id).sort();
    // Positive control: the windstreek's gedragswetenschapper sees their windstreek's waiting cases.
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.filter((r) => waiting(r) && r.windstreek_id === world.windstreken.A.id).every((r) => visible.has(r.id))).toBe(true);
    expect(await allIds(subject, true)).toEqual(expected);
  });

  test('teamLoads counts the waiting list of each team\'s windstreek', async () => {
    const { teamLoads } = await (await app.sdk(world.users.coordinator.email)).TeamLoads();
    const teams = await app.dataSource.query('SELECT id, windstreek_id FROM topteam WHERE partnership_id = $1', [world.partnership.id]);
    const expected = Object.fromEntries(teams.map((t: { id: string; windstreek_id: string }) => [t.id, rows.filter((r) => waiting(r) && r.windstreek_id === t.windstreek_id).length]));
    expect(Object.fromEntries(teamLoads.map((t) => [t.teamId, t.waitingInWindstreek]))).toEqual(expected);
    expect(Object.values(expected).every((n) => (n as number) > 0)).toBe(true);
  });

  test('as school coordinator of A1: the cases of their own school waiting for a team', async () => {
    const subject = world.users.schoolA1.email;
    const visible = new Set(await allIds(subject));
    const [a1] = await app.dataSource.query('SELECT array_agg(id) AS ids FROM trajectory WHERE school_id = $1', [world.schools.A1.id]);
    const expected = rows.filter((r) => waiting(r) && visible.has(r.id)).map((r) => r.id).sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(expected.every((id) => a1.ids.includes(id))).toBe(true);
    expect(await allIds(subject, true)).toEqual(expected);
  });
});
