/**
 * When the database cannot serve: a request waits a bounded time for a connection and then
 * answers 503 UNAVAILABLE with Retry-After (never a hang, never a 500 with internals); a
 * statement that runs too long is cancelled by PostgreSQL and answered the same way; the
 * server answers again as soon as the database does; `/readyz` says 503 while the database
 * refuses and from the moment shutdown starts.
 */
import { Client } from 'pg';
import { useAppWithWorld } from '../setup/app-with-world';

// A database of its own: this file locks tables and finally drops the database.
const { app, world, post } = useAppWithWorld({ ownDatabase: true, env: { DATABASE_POOL_SIZE: '2', DATABASE_POOL_WAIT_MS: '400', DATABASE_STATEMENT_TIMEOUT_MS: '300' } });

async function ask(subject: string, query = '{ me { id } }') {
  const { status, headers, text, body, ms } = await post<{ errors?: Array<{ message: string; extensions: { code: string } }> }>(subject, query);
  return { status, retryAfter: headers.get('retry-after'), text, body, ms };
}

test('more requests than the pool holds: each waits a bounded time, then a clear 503; served again once a connection is free', async () => {
  const held = [app.apiDataSource.createQueryRunner(), app.apiDataSource.createQueryRunner()];
  for (const runner of held) await runner.connect();
  try {
    const answer = await ask(world.users.admin.email);
    expect(answer).toMatchObject({ status: 503, retryAfter: '2' });
    expect(answer.body.errors![0].extensions.code).toBe('UNAVAILABLE');
    expect(answer.ms).toBeLessThan(3000);
    expect(answer.text).not.toMatch(/timeout exceeded|pool|pg-|at \w+ \(/);
  } finally {
    for (const runner of held) await runner.release();
  }
  expect((await ask(world.users.admin.email)).status).toBe(200);
});

test('a statement running past DATABASE_STATEMENT_TIMEOUT_MS is cancelled and answered 503, and nothing is left waiting', async () => {
  const locker = new Client({ connectionString: app.databaseUrl });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE student IN ACCESS EXCLUSIVE MODE');
    const answer = await ask(world.users.schoolA1.email, '{ students { totalCount } }');
    expect(answer.status).toBe(503);
    expect(answer.body.errors![0].extensions.code).toBe('UNAVAILABLE');
    expect(answer.ms).toBeLessThan(3000);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
  const after = await ask(world.users.schoolA1.email, '{ students { totalCount } }');
  expect(after.status).toBe(200);
});

test('every connection of the API killed (as in a database restart): errors only during the outage, answers again at once, the process lives on', async () => {
  expect((await ask(world.users.admin.email)).status).toBe(200);
  const admin = new Client({ connectionString: app.databaseUrl });
  await admin.connect();
  try {
    const [{ killed }] = (await admin.query(`SELECT count(pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'toptrajecten-api'`)).rows;
    expect(killed).toBeGreaterThan(0);
  } finally {
    await admin.end();
  }
  const started = Date.now();
  let answer = await ask(world.users.admin.email);
  while (answer.status !== 200 && Date.now() - started < 5000) {
    expect([503]).toContain(answer.status);
    answer = await ask(world.users.admin.email);
  }
  expect(answer.status).toBe(200);
});

test('/readyz turns 503 within a second once the database refuses connections', async () => {
  const url = new URL(app.databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    // Refuse new connections to the database and end the existing ones.
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    const started = Date.now();
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await ask(world.users.admin.email)).status).toBe(503);
  } finally {
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
    await admin.end();
  }
  expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);
});

test('/readyz answers 200 while the database answers, 503 from the moment shutdown starts', async () => {
  expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);
  app.drain();
  const started = Date.now();
  expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(503);
  expect(Date.now() - started).toBeLessThan(1000);
  // /healthz still says the process lives.
  expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
});
