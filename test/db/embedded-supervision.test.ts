/**
 * The embedded PostgreSQL is supervised (src/db/supervisor.ts): killed under load, it is
 * started again on the same directory and port; the API process lives on, answers 503 only
 * during the outage and serves again within seconds, `/readyz` shows the outage, and every
 * mutation it confirmed is still there. When the server keeps dying, the restarts are bounded
 * and the API exits with a clear message and a non-zero code instead of answering 503 for ever.
 *
 * The real `src/main.ts` runs in a child process (test/setup/api-process.ts) on a data directory
 * of this file's; the first test seeds it, the second reuses it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { ApiProcess, cleanUp, connectToDatabase, DEMO, makeDataDir, postmaster, processesUsing, sleep, startApiProcess, waitFor } from '../setup/api-process';

const dataDir = makeDataDir('supervision');
let api: ApiProcess | undefined;
afterAll(() => cleanUp(api, dataDir));

interface Answer {
  sentAt: number;
  answeredAt: number;
  /** HTTP status; 0 when the connection failed (the API process was not there). */
  status: number;
  ok: boolean;
  code?: string;
  message?: string;
  studentNumber: string;
}

interface Probe {
  answeredAt: number;
  status: number;
}

const CREATE_STUDENT = 'mutation Create($input: CreateStudentInput!) { createStudent(input: $input) { id studentNumber } }';

/** Creates students one after another, as a school coordinator, until `done()`; records every answer. */
async function writeStudents(app: ApiProcess, writer: string, answers: Answer[], done: () => boolean): Promise<void> {
  for (let i = 0; !done(); i++) {
    const studentNumber = `sv-${writer}-${i}`;
    const sentAt = Date.now();
    const answer: Answer = { sentAt, answeredAt: 0, status: 0, ok: false, studentNumber };
    try {
      const { status, body } = await app.gql<{ createStudent: { studentNumber: string } }>(DEMO('school1.noord'), CREATE_STUDENT, {
        input: { givenName: 'Sam', familyName: `Supervised ${writer}${i}`, birthDate: '2012-05-01', expectedExitLevel: 'HAVO', studentNumber },
      });
      Object.assign(answer, { status, ok: status === 200 && !body.errors && body.data?.createStudent.studentNumber === studentNumber, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message });
    } catch {
      // Connection refused or reset: status 0, which the test refuses.
    }
    answer.answeredAt = Date.now();
    answers.push(answer);
    // As a client would, pause before trying again after a failure (a 503 comes back in a few
    // milliseconds; retrying flat out would only take CPU from the restart on a small machine).
    if (!answer.ok) await sleep(25);
  }
}

/** Asks `/readyz` every 20 ms until `done()`. */
async function probeReadiness(app: ApiProcess, probes: Probe[], done: () => boolean): Promise<void> {
  while (!done()) {
    const status = await fetch(`${app.baseUrl}/readyz`).then((r) => r.status, () => 0);
    probes.push({ answeredAt: Date.now(), status });
    await sleep(20);
  }
}

test('the PostgreSQL server killed under load: restarted on the same port, errors only during the outage, served again within 5 s, nothing confirmed lost', async () => {
  api = await startApiProcess(dataDir);
  const app = api;
  let apiExited = false;
  void app.exited.then(() => (apiExited = true));

  const answers: Answer[] = [];
  const probes: Probe[] = [];
  let stopAt = Infinity;
  const done = () => Date.now() >= stopAt || apiExited;
  const load = Promise.all([writeStudents(app, 'a', answers, done), writeStudents(app, 'b', answers, done), probeReadiness(app, probes, done)]);

  await waitFor('ten confirmed mutations before the outage', () => answers.filter((a) => a.ok).length >= 10, 10_000);
  const killed = postmaster(dataDir)!;
  const killedAt = Date.now();
  process.kill(killed.pid, 'SIGKILL');
  // Load goes on until a second after a mutation sent after the kill was confirmed (at most 10 s).
  await waitFor('a mutation confirmed after the kill', () => answers.some((a) => a.ok && a.sentAt > killedAt), 10_000).catch(() => undefined);
  stopAt = Date.now() + 1000;
  await load;

  expect(apiExited).toBe(false);
  const servedAgain = answers.find((a) => a.ok && a.sentAt > killedAt);
  expect(servedAgain).toBeDefined();
  expect(servedAgain!.answeredAt - killedAt).toBeLessThan(5000);
  // The outage was real, and every error fell within it: answered after the kill, to a request
  // sent before the API was served again. A request sent during the outage is a clean 503
  // UNAVAILABLE. A mutation in flight at the kill may still fail as an internal error (its unit
  // of work finds the query runner released under it): an error, never a success without its data.
  const failed = answers.filter((a) => !a.ok);
  expect(failed.length).toBeGreaterThan(0);
  for (const answer of failed) {
    expect(answer.answeredAt).toBeGreaterThanOrEqual(killedAt);
    expect(answer.sentAt).toBeLessThanOrEqual(servedAgain!.answeredAt);
    expect(answer.status).not.toBe(0);
    if (answer.sentAt > killedAt) expect({ status: answer.status, code: answer.code }).toEqual({ status: 503, code: 'UNAVAILABLE' });
  }
  expect(answers.filter((a) => a.ok && a.sentAt > servedAgain!.answeredAt).length).toBeGreaterThan(0);

  // /readyz: 200 before, 503 within about a second of the kill, 200 again after; never refused.
  expect(probes.filter((p) => p.answeredAt < killedAt).every((p) => p.status === 200)).toBe(true);
  const notReady = probes.find((p) => p.answeredAt >= killedAt && p.status === 503);
  expect(notReady).toBeDefined();
  expect(notReady!.answeredAt - killedAt).toBeLessThan(1500);
  expect(probes.some((p) => p.answeredAt > notReady!.answeredAt && p.status === 200)).toBe(true);
  expect(probes.every((p) => p.status === 200 || p.status === 503)).toBe(true);

  // A new postmaster on the same port (the pool's URL), and the restart logged.
  const restarted = postmaster(dataDir)!;
  expect(restarted.pid).not.toBe(killed.pid);
  expect(restarted.port).toBe(killed.port);
  expect(app.output()).toMatch(/\[postgres\] The embedded PostgreSQL in .* exited unexpectedly \(signal SIGKILL\)/);
  expect(app.output()).toMatch(/\[postgres\] The embedded PostgreSQL in .* restarted in \d+ ms \(restart 1\)/);
  // And counted for the operator's metrics (on the API's port in development).
  expect(await (await fetch(`${app.baseUrl}/metrics`)).text()).toMatch(/^toptrajecten_embedded_postgres_restarts_total 1$/m);

  // Every confirmed mutation, before, during and after the outage, is in the database.
  const confirmed = answers.filter((a) => a.ok).map((a) => a.studentNumber);
  const db = await connectToDatabase(dataDir);
  try {
    const { rows } = await db.query<{ student_number: string }>("SELECT student_number FROM student WHERE student_number LIKE 'sv-%'");
    const stored = new Set(rows.map((r) => r.student_number));
    expect(confirmed.filter((n) => !stored.has(n))).toEqual([]);
  } finally {
    await db.end();
  }
});

test('a server that keeps dying: restarts stop at the budget and the API exits with a clear message and code 1', async () => {
  if (api) {
    api.child.kill('SIGTERM');
    await api.exited;
  }
  // One restart allowed (EMBEDDED_POSTGRES_MAX_RESTARTS); the second kill within the window is fatal.
  api = await startApiProcess(dataDir, { EMBEDDED_POSTGRES_MAX_RESTARTS: '1' });
  const app = api;
  const first = postmaster(dataDir)!;
  process.kill(first.pid, 'SIGKILL');
  await waitFor('the one restart', () => /\(restart 1\)/.test(app.output()), 10_000);
  const second = postmaster(dataDir)!;
  expect(second.pid).not.toBe(first.pid);
  process.kill(second.pid, 'SIGKILL');

  await waitFor('the API to exit', () => app.child.exitCode !== null || app.child.signalCode !== null, 10_000);
  expect(await app.exited).toEqual({ code: 1, signal: null });
  expect(app.output()).toMatch(/Fatal: The embedded PostgreSQL in .* exited and could not be restarted \(1 restart attempt\(s\) within 60 s used up\)/);
  // Nothing left running on the directory (the orphaned backends notice their postmaster died).
  await waitFor('no postgres process left', () => processesUsing(dataDir).length === 0, 5000);
});

test('a process that exits without stopping its database still takes the server down with it (embedded-postgres exit hook, through the supervisor)', async () => {
  // The directory of the tests above; the server is started and the process exits at once.
  const script = `require('./src/db/embedded.ts').startEmbeddedPostgres(process.argv[1], 'postgres').then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;
  const run = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'test', 'setup', 'ts-register.js'), '-e', script, path.join(dataDir, 'pg')], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  await waitFor('the orphaned server to stop', () => processesUsing(dataDir).length === 0, 5000);
});
