/**
 * What row-level security costs on the read path: a school coordinator's nested caseload list
 * on the demo data, with the tenant policies on (as always) and off (every tenant table's RLS
 * disabled for the measurement), interleaved in rounds so both see the same machine.
 * Reports the median latency of one request at a time and the throughput of 10 in flight.
 */
import { seedDemoData } from '../../src/demo/seed';
import { startTestApp, TestApp } from '../setup/app';

const QUERY = `{ trajectories(first: 50) { totalCount edges { node { id phase phaseDueOn
  student { givenName familyName } school { name windstreek { name } } team { name }
  events(first: 5) { edges { node { id } } } } } } }`;
const SUBJECT = 'school1.noord@demo.toptrajecten.test';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SEQUENTIAL = 60;
const CONCURRENT = 200;

let app: TestApp;
let token: string;
let tables: string[];

beforeAll(async () => {
  app = await startTestApp({ ownDatabase: true });
  await seedDemoData(app.dataSource, app.config, new Date('2026-12-01T10:00:00Z'));
  token = await app.token(SUBJECT);
  tables = (await app.dataSource.query(`SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity`)).map((r: { relname: string }) => r.relname);
});
afterAll(async () => {
  await setRls(true);
  await app?.stop();
});

async function setRls(on: boolean): Promise<void> {
  for (const t of tables) await app.dataSource.query(`ALTER TABLE "${t}" ${on ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
}

async function one(): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY }) });
  const body = (await response.json()) as { data?: { trajectories: { edges: unknown[] } }; errors?: unknown };
  if (!body.data || body.errors || body.data.trajectories.edges.length === 0) throw new Error(`bad answer: ${JSON.stringify(body).slice(0, 300)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(): Promise<{ p50: number; rps: number }> {
  for (let i = 0; i < 5; i++) await one();
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) times.push(await one());
  let left = CONCURRENT;
  const started = Date.now();
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (left-- > 0) await one();
  }));
  return { p50: median(times), rps: CONCURRENT / ((Date.now() - started) / 1000) };
}

test('row-level security on the nested caseload list: cost against the same run without it', async () => {
  const on: Array<{ p50: number; rps: number }> = [];
  const off: Array<{ p50: number; rps: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    await setRls(false);
    off.push(await measure());
    await setRls(true);
    on.push(await measure());
  }
  const p50On = median(on.map((m) => m.p50));
  const p50Off = median(off.map((m) => m.p50));
  const rpsOn = median(on.map((m) => m.rps));
  const rpsOff = median(off.map((m) => m.rps));
  console.log([
    `row-level security, ${ROUNDS} interleaved rounds (${SEQUENTIAL} sequential + ${CONCURRENT} at 10 in flight each):`,
    `  p50 one at a time: ${p50On.toFixed(1)} ms with, ${p50Off.toFixed(1)} ms without: ratio ${(p50On / p50Off).toFixed(3)}`,
    `  throughput at 10:  ${rpsOn.toFixed(1)} req/s with, ${rpsOff.toFixed(1)} req/s without: ratio ${(rpsOn / rpsOff).toFixed(3)}`,
  ].join('\n'));
  expect(p50On).toBeGreaterThan(0);
});
