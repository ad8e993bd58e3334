import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { seedDemoData } from '../../src/demo/seed';
import { startTestApp, TestApp } from '../setup/app';
jest.setTimeout(300_000);
let app: TestApp;
const NESTED = `query NestedCaseload { trajectories(first: 50) { totalCount edges { node { id phase phaseDueOn
  student { givenName familyName } school { name windstreek { name } } team { name }
  events(first: 5) { edges { node { id } } } } } } }`;
test('dbg', async () => {
  app = await startTestApp({ now: new Date('2026-11-20T09:00:00Z'), ownDatabase: true });
  await seedDemoData(app.dataSource, app.config, new Date('2026-11-20T09:00:00Z'));
  await app.dataSource.query('ANALYZE');
  const times = new Map<string, number[]>();
  const orig = PostgresQueryRunner.prototype.query;
  let on = false;
  (PostgresQueryRunner.prototype as any).query = async function (this: unknown, q: string, ...rest: unknown[]) {
    const t = process.hrtime.bigint();
    try { return await (orig as any).call(this, q, ...rest); } finally {
      if (on) { const k = q.replace(/\s+/g, ' ').slice(0, 90); times.set(k, [...(times.get(k) ?? []), Number(process.hrtime.bigint() - t) / 1e6]); }
    }
  };
  const who = process.env.QU ?? 'coordinator@demo.toptrajecten.test';
  for (let i = 0; i < 5; i++) await app.gql(who, NESTED);
  on = true;
  const N = 40;
  for (let i = 0; i < N; i++) await app.gql(who, NESTED);
  on = false;
  const cap: Array<[string, unknown[]]> = [];
  (PostgresQueryRunner.prototype as any).query = async function (this: unknown, q: string, params: unknown[], ...rest: unknown[]) {
    if (q.includes('"pf0"') || q.startsWith('SELECT json_build_object')) cap.push([q, params]);
    return (orig as any).call(this, q, params, ...rest);
  };
  await app.gql(who, NESTED);
  (PostgresQueryRunner.prototype as any).query = orig;
  const [{ partnership_id }] = await app.dataSource.query("SELECT partnership_id FROM app_user WHERE email = $1", [who]);
  for (const [q, params] of cap) {
    const qr = app.dataSource.createQueryRunner();
    await qr.startTransaction();
    await qr.query("SELECT set_config('toptrajecten.partnership_id', $1, true)", [partnership_id]);
    const plan = await qr.query('EXPLAIN (ANALYZE, BUFFERS) ' + q, params);
    console.log(plan.map((r: any) => r['QUERY PLAN']).join('\n'));
    await qr.rollbackTransaction(); await qr.release();
  }
  for (const [k, v] of times) console.log((v.reduce((a, b) => a + b, 0) / N).toFixed(2).padStart(7), 'ms', String(v.length / N).padStart(3), k);
  await app.stop();
});
