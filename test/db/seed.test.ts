/**
 * The demo data of API.md: deterministic, idempotent, and usable as documented: every demo
 * login of the README works and sees what its role promises.
 */
import { DEMO_PARTNERSHIP_CODE, demoEmail, seedDemoData } from '../../src/db/seed';
import { Phase } from '../../src/domain/enums';
import { startTestApp, TestApp } from '../setup/app';

const TODAY = new Date('2026-03-16T10:00:00Z');
const W = ['noord', 'oost', 'zuid', 'west'];

let app: TestApp;
let first: Record<string, number>;
let second: Record<string, number>;

beforeAll(async () => {
  app = await startTestApp({ now: TODAY });
  first = await seedDemoData(app.dataSource, app.config, TODAY);
  second = await seedDemoData(app.dataSource, app.config, TODAY);
});
afterAll(() => app.stop());

async function scalar(sql: string): Promise<number> {
  const [row] = await app.dataSource.query(sql);
  return Number(Object.values(row)[0]);
}

test('seeding twice changes nothing: the second run inserts no row', () => {
  expect(first.partnership).toBe(1);
  expect(first.student).toBeGreaterThan(0);
  expect(Object.values(second).every((n) => n === 0)).toBe(true);
});

test('seeding again on a later day inserts nothing either (ids do not depend on the date)', async () => {
  const later = await seedDemoData(app.dataSource, app.config, new Date('2027-01-01T10:00:00Z'));
  expect(Object.values(later).every((n) => n === 0)).toBe(true);
});

test('one partnership with Noord, Oost, Zuid and West, three schools and a Topteam of five each', async () => {
  const p = await app.dataSource.query('SELECT id, name FROM partnership WHERE code = $1', [DEMO_PARTNERSHIP_CODE]);
  expect(p).toEqual([{ id: expect.any(String), name: 'Samenwerkingsverband VO Amsterdam-Diemen' }]);
  const windstreken = await app.dataSource.query('SELECT name FROM windstreek WHERE partnership_id = $1 ORDER BY name', [p[0].id]);
  expect(windstreken.map((r: { name: string }) => r.name)).toEqual(['Noord', 'Oost', 'West', 'Zuid']);
  const perWindstreek = await app.dataSource.query(
    `SELECT w.name, (SELECT count(*) FROM school s WHERE s.windstreek_id = w.id)::int AS schools,
            (SELECT count(*) FROM membership m JOIN topteam t ON t.id = m.topteam_id WHERE t.windstreek_id = w.id AND m.revoked_at IS NULL)::int AS members
       FROM windstreek w WHERE w.partnership_id = $1`,
    [p[0].id],
  );
  for (const row of perWindstreek) expect(row).toEqual({ name: row.name, schools: 3, members: 5 });
});

test('trajectories in every phase, overdue ones, a caseload for every team, a cross-windstreek case, one withdrawn and two expired consents', async () => {
  // Other test files share the database: every query is scoped to the demo partnership.
  const demo = `(SELECT id FROM partnership WHERE code = '${DEMO_PARTNERSHIP_CODE}')`;
  const phases = (await app.dataSource.query(`SELECT DISTINCT phase FROM trajectory WHERE partnership_id = ${demo}`)).map((r: { phase: string }) => r.phase);
  expect(phases.sort()).toEqual(Object.values(Phase).sort());
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${demo} AND phase_due_on < '2026-03-16'`)).toBeGreaterThan(0);
  expect(await scalar(`SELECT count(*) FROM topteam t WHERE t.partnership_id = ${demo} AND NOT EXISTS (SELECT 1 FROM trajectory x WHERE x.team_id = t.id AND x.phase IN ('ASSESSMENT','INTENSIVE','CONSOLIDATION'))`)).toBe(0);
  expect(await scalar(`SELECT count(*) FROM trajectory x JOIN topteam t ON t.id = x.team_id WHERE x.partnership_id = ${demo} AND t.windstreek_id <> x.windstreek_id`)).toBeGreaterThan(0);
  expect(await scalar(`SELECT count(*) FROM consent WHERE partnership_id = ${demo} AND withdrawn_at IS NOT NULL`)).toBe(1);
  // The care consents of the refused and the closed case ended with them (the day before the test date at the latest).
  expect(await scalar(`SELECT count(*) FROM consent WHERE partnership_id = ${demo} AND withdrawn_at IS NULL AND valid_until < '2026-03-16'`)).toBe(2);
});

describe('every demo login of the README works', () => {
  const logins: Array<[string, string]> = [
    ['admin', 'ADMIN'], ['privacy', 'PRIVACY_OFFICER'], ['coordinator', 'PROGRAMME_COORDINATOR'], ['analyst', 'PARTNERSHIP_ANALYST'],
    ...W.flatMap((w): Array<[string, string]> => [
      [`advisor.${w}`, 'EDUCATION_ADVISOR'], [`scientist.${w}`, 'TEAM_MEMBER'], [`teacher.${w}`, 'TEAM_MEMBER'], [`careworker.${w}`, 'TEAM_MEMBER'],
      ...[1, 2, 3].flatMap((n): Array<[string, string]> => [[`school${n}.${w}`, 'SCHOOL_COORDINATOR'], [`mentor${n}.${w}`, 'MENTOR']]),
    ]),
  ];
  test.each(logins)('%s signs in as %s', async (local, role) => {
    const r = await app.gql<{ me: { email: string; memberships: Array<{ role: string }> } }>(demoEmail(local), '{ me { email memberships { role } } }');
    expect(r.status).toBe(200);
    expect(r.body.data?.me).toEqual({ email: demoEmail(local), memberships: [{ role }] });
  });

  test.each(W.flatMap((w) => [1, 2, 3].map((n) => `${n}.${w}`)))('the school coordinator and the mentor of school %s see students (the mentor a subset)', async (suffix) => {
    const count = async (who: string) => (await app.gql<{ students: { totalCount: number } }>(demoEmail(who), '{ students { totalCount } }')).body.data!.students.totalCount;
    const school = await count(`school${suffix}`);
    const mentor = await count(`mentor${suffix}`);
    expect(school).toBeGreaterThan(0);
    expect(mentor).toBeGreaterThan(0);
    expect(mentor).toBeLessThanOrEqual(school);
  });

  test.each(W)('the gedragswetenschapper of %s has a caseload', async (w) => {
    const r = await app.gql<{ trajectories: { totalCount: number } }>(demoEmail(`scientist.${w}`), '{ trajectories { totalCount } }');
    expect(r.body.data!.trajectories.totalCount).toBeGreaterThan(0);
  });
});
