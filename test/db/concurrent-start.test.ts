/**
 * Processes starting at once on one database (replicas behind a load balancer, a tool beside
 * the API) take turns preparing it (src/db/data-source.ts `openDatabase`): the migrations are
 * applied once, and the grants to the API's role are not changed by two at the same moment,
 * which PostgreSQL refuses ("tuple concurrently updated") and which ended one of the starts.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase } from '../../src/app/database';
import { withRole } from '../../src/db/database-url';
import { MIGRATIONS } from '../../migrations';

const shared = new URL(process.env.TEST_DATABASE_URL!);
const admin = new URL(shared);
admin.pathname = '/postgres';

async function asAdmin(sql: string): Promise<void> {
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

test('four starts at once on a fresh database all succeed, and every migration is applied once', async () => {
  const name = `${shared.pathname.slice(1)}_start_${randomUUID().slice(0, 8)}`;
  await asAdmin(`CREATE DATABASE "${name}"`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const api = new URL(process.env.TEST_API_DATABASE_URL!);
  const apiUrl = withRole(url.toString(), decodeURIComponent(api.username), decodeURIComponent(api.password));
  try {
    const started = await Promise.allSettled(Array.from({ length: 4 }, () => openDatabase({ url: url.toString(), apiUrl, poolSize: 1 })));
    const failures = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => String(s.reason));
    expect(failures).toEqual([]);
    const [first] = started.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof openDatabase>>>).value);
    const applied: Array<{ name: string; n: number }> = await first.query('SELECT name, count(*)::int AS n FROM migrations GROUP BY name');
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(applied.every((m) => m.n === 1)).toBe(true);
    // The API's role got its privileges: it may read a table, and still not change the log.
    const [{ read, change }] = await first.query(
      `SELECT has_table_privilege($1, 'student', 'SELECT') AS read, has_table_privilege($1, 'access_log_entry', 'UPDATE') AS change`,
      [decodeURIComponent(api.username)]);
    expect({ read, change }).toEqual({ read: true, change: false });
    for (const s of started) if (s.status === 'fulfilled') await s.value.destroy();
  } finally {
    await asAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}, 120_000);
