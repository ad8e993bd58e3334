/**
 * SIGTERM drains: the real API process (test/setup/api-process.ts), sent SIGTERM with requests
 * in flight, stops being ready and takes no new connections, answers those requests in full,
 * closes its pool, stops its embedded PostgreSQL and exits 0.
 *
 * To hold requests in flight for certain, without a test hook in the server, the test locks the
 * student table in the API's own database: the requests wait inside PostgreSQL (visible in
 * pg_stat_activity) until the test lets go, after the signal. A signal to the whole process
 * group (Ctrl-C in a terminal) reaches PostgreSQL too; its exit then is no crash to restart.
 */
import net from 'node:net';
import { ApiProcess, cleanUp, connectToDatabase, DEMO, isAlive, makeDataDir, postmaster, processesUsing, startApiProcess, waitFor } from '../setup/api-process';

const dataDir = makeDataDir('shutdown');
let api: ApiProcess | undefined;
afterAll(() => cleanUp(api, dataDir));

const READ_STUDENTS = '{ students(first: 5) { totalCount edges { node { studentNumber } } } }';
const CREATE_STUDENT = 'mutation Create($input: CreateStudentInput!) { createStudent(input: $input) { id studentNumber } }';

/** Whether a new TCP connection to `port` is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

test('SIGTERM with requests in flight: not ready, no new connections, the requests answered in full, pool closed, database stopped, exit 0', async () => {
  // Exercise the final audit checkpoint of a real shutdown too.
  api = await startApiProcess(dataDir, { AUDIT_CHECKPOINT_SECONDS: '60' });
  const app = api;
  const port = Number(new URL(app.baseUrl).port);
  const before = await app.gql(DEMO('school1.noord'), READ_STUDENTS);
  expect(before.status).toBe(200);
  const server = postmaster(dataDir)!;

  // One client holds the lock, another watches (pg_stat_activity is a snapshot per transaction).
  const [locker, watcher] = await Promise.all([connectToDatabase(dataDir), connectToDatabase(dataDir)]);
  for (const client of [locker, watcher]) client.on('error', () => undefined); // they end when the database stops
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE student IN ACCESS EXCLUSIVE MODE');
  const reads = [1, 2, 3].map(() => app.gql(DEMO('school1.noord'), READ_STUDENTS));
  const writes = [1, 2].map((i) => app.gql<{ createStudent: { studentNumber: string } }>(DEMO('school2.noord'), CREATE_STUDENT, {
    input: { givenName: 'Dana', familyName: `Drained ${i}`, birthDate: '2012-05-01', expectedExitLevel: 'VWO', studentNumber: `drain-${i}` },
  }));
  const waiting = async () => (await watcher.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'toptrajecten-api' AND wait_event_type = 'Lock'",
  )).rows[0].n;
  await waitFor('all five requests waiting inside PostgreSQL', async () => (await waiting()) === 5, 10_000);

  app.child.kill('SIGTERM');
  // Not ready: /readyz answers 503 or the connection is refused; no new connection is taken.
  await waitFor('/readyz to stop answering 200', async () => (await fetch(`${app.baseUrl}/readyz`).then((r) => r.status, () => 0)) !== 200, 2000);
  await waitFor('new connections to be refused', () => refused(port), 2000);
  // Still in flight: the signal did not cut them off.
  expect(await waiting()).toBe(5);
  expect(app.child.exitCode).toBeNull();

  await locker.query('ROLLBACK');
  for (const answer of await Promise.all(reads)) expect(answer).toEqual(before);
  const written = await Promise.all(writes);
  expect(written.map((w) => [w.status, w.body.errors, w.body.data?.createStudent.studentNumber])).toEqual([
    [200, undefined, 'drain-1'],
    [200, undefined, 'drain-2'],
  ]);
  await Promise.all([locker.end(), watcher.end()]).catch(() => undefined);

  await waitFor('the API to exit', () => app.child.exitCode !== null || app.child.signalCode !== null, 10_000);
  expect(await app.exited).toEqual({ code: 0, signal: null });
  expect(app.output()).toMatch(/SIGTERM: stopped in \d+ ms \(requests answered, pool closed, embedded PostgreSQL stopped\)/);
  expect(await refused(port)).toBe(true);
  // PostgreSQL stopped cleanly (a clean stop removes postmaster.pid) and nothing is left of it.
  expect(isAlive(server.pid)).toBe(false);
  expect(postmaster(dataDir)).toBeUndefined();
  expect(processesUsing(dataDir)).toEqual([]);
});

/**
 * A request whose body arrives in two parts: in flight (headers read) until `finish()`. The
 * socket is not half-closed after the body: the server would take that for a client gone.
 */
async function halfSentRequest(port: number, token: string, query: string) {
  const body = JSON.stringify({ query });
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let response = '';
  socket.on('data', (chunk) => (response += chunk));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
  return {
    async finish(): Promise<number> {
      socket.write(body.slice(5));
      await ended;
      return Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1] ?? 0);
    },
  };
}

test('Ctrl-C in a terminal (SIGINT to the whole process group): PostgreSQL stopping at once on its own is no crash to restart; exit 0', async () => {
  // The data directory of the test above, seeded already.
  api = await startApiProcess(dataDir, {}, { processGroup: true });
  const app = api;
  const server = postmaster(dataDir)!;
  // A request in flight keeps the API draining while PostgreSQL, signalled too, is already gone.
  const request = await halfSentRequest(Number(new URL(app.baseUrl).port), await app.token(DEMO('school1.noord')), READ_STUDENTS);
  // A later request answered: the server has read the first one's headers, so it is in flight.
  expect((await app.gql(DEMO('school1.noord'), READ_STUDENTS)).status).toBe(200);
  process.kill(-app.child.pid!, 'SIGINT');
  await waitFor('PostgreSQL to stop (a fast shutdown, on its own signal)', () => !isAlive(server.pid), 5000);
  // The request in flight is answered (its database is gone: 503) and the API exits.
  expect(await request.finish()).toBe(503);
  await waitFor('the API to exit', () => app.child.exitCode !== null || app.child.signalCode !== null, 10_000);
  expect(await app.exited).toEqual({ code: 0, signal: null });
  expect(app.output()).toMatch(/SIGINT: stopping/);
  expect(app.output()).not.toMatch(/exited unexpectedly|restart/);
  expect(processesUsing(dataDir)).toEqual([]);
});
