/**
 * A request's execution deadline (REQUEST_TIMEOUT_MS, src/graphql/unit-of-work.ts): past it
 * the running statement is cancelled, nothing more starts, a mutation's changes roll back, the
 * answer is 503 TIMEOUT alone, and the connection goes back to the pool. PostgreSQL's
 * statement_timeout is left long here, so only the deadline can end the wait.
 */
import { Client } from 'pg';
import { useAppWithWorld } from '../setup/app-with-world';

// A database of its own: this file locks tables.
const { app, world, post: postRaw } = useAppWithWorld({ ownDatabase: true, env: { REQUEST_TIMEOUT_MS: '600', DATABASE_STATEMENT_TIMEOUT_MS: '30000', DATABASE_POOL_SIZE: '2' } });

async function post(subject: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await postRaw<{ data?: unknown; errors?: Array<{ message: string; extensions: Record<string, unknown> }> }>(subject, query, variables, headers);
  return { status: response.status, body: response.body, ms: response.ms, replayed: response.headers.get('idempotent-replayed') };
}

/** Holds an exclusive lock on `table` (as the owner) while `fn` runs. */
async function whileLocked<T>(table: string, fn: () => Promise<T>): Promise<T> {
  const locker = new Client({ connectionString: app.databaseUrl });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return await fn();
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
}

/** The API role's statements still waiting on a lock (none, once the deadline cancelled them). */
async function waitingApiStatements(): Promise<number> {
  const [{ n }] = await app.dataSource.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND usename <> current_user`,
  );
  return n;
}

const NOTE = 'mutation ($input: AddNoteInput!) { addNote(input: $input) { id } }';

test('a read stuck behind a lock: cancelled at the deadline, 503 TIMEOUT alone, and the next request is served at once', async () => {
  const stuck = await whileLocked('student', async () => {
    const answer = await post(world.users.schoolA1.email, '{ students(first: 5) { totalCount edges { node { id } } } }');
    // The cancelled statement is gone while the lock is still held.
    expect(await waitingApiStatements()).toBe(0);
    return answer;
  });
  expect(stuck.status).toBe(503);
  expect(stuck.body.data).toBeUndefined();
  expect(stuck.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'TIMEOUT', limitMs: 600 }) })]);
  expect(stuck.ms).toBeGreaterThanOrEqual(550);
  expect(stuck.ms).toBeLessThan(5000); // far below the 30 s statement_timeout
  // Both connections of the pool are free again: two requests at once are answered.
  const after = await Promise.all([1, 2].map(() => post(world.users.schoolA1.email, '{ students(first: 5) { totalCount } }')));
  expect(after.map((a) => a.status)).toEqual([200, 200]);
});

test('a mutation past its deadline changes nothing, and its Idempotency-Key is released so that a retry runs', async () => {
  const count = async () => (await app.dataSource.query('SELECT count(*)::int AS n FROM note WHERE trajectory_id = $1', [world.trajectories.a1Team.id]))[0].n as number;
  const before = await count();
  const input = { input: { trajectoryId: world.trajectories.a1Team.id, body: 'Gesprek met mentor gepland.' } };
  const headers = { 'idempotency-key': `deadline-${Date.now()}` };
  // Two notes in one request: the first is written, the second waits on the lock until the deadline.
  const TWO = 'mutation ($input: AddNoteInput!) { a: addNote(input: $input) { id } b: addNote(input: $input) { id } }';
  const stuck = await whileLocked('access_log_entry', () => post(world.users.scientistA.email, TWO, input, headers));
  expect(stuck.status).toBe(503);
  expect(stuck.body.errors?.map((e) => e.extensions.code)).toEqual(['TIMEOUT']);
  expect(stuck.ms).toBeLessThan(5000);
  expect(await count()).toBe(before);
  // The retry with the same key is not a replay of the timeout: it runs, once.
  const retry = await post(world.users.scientistA.email, TWO, input, headers);
  expect(retry.status).toBe(200);
  expect(retry.replayed).toBeNull();
  expect(await count()).toBe(before + 2);
  const again = await post(world.users.scientistA.email, TWO, input, headers);
  expect(again.replayed).toBe('true');
  expect(await count()).toBe(before + 2);
});

test('a single note stuck on its own table lock: TIMEOUT, nothing written', async () => {
  const count = async () => (await app.dataSource.query('SELECT count(*)::int AS n FROM note'))[0].n as number;
  const before = await count();
  const stuck = await whileLocked('note', () => post(world.users.scientistA.email, NOTE, { input: { trajectoryId: world.trajectories.a1Team.id, body: 'x' } }));
  expect(stuck.status).toBe(503);
  expect(stuck.body.errors?.map((e) => e.extensions.code)).toEqual(['TIMEOUT']);
  expect(stuck.ms).toBeLessThan(5000);
  expect(await count()).toBe(before);
});
