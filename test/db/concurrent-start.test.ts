/**
 * Processes starting at once on one database (replicas behind a load balancer, a tool beside
 * the API) take turns preparing it (src/db/data-source.ts `openDatabase`): the migrations are
 * applied once, and the grants to the API's role are not changed by two at the same moment,
 * which PostgreSQL refuses ("tuple concurrently updated") and which ended one of the starts.
 */
import { openDatabase } from '../../src/app/database';
import { MIGRATIONS } from '../../migrations';
import { emptyDatabase } from '../setup/app';

test('four starts at once on a fresh database all succeed, and every migration is applied once', async () => {
  const db = await emptyDatabase();
  const apiRole = decodeURIComponent(new URL(db.apiUrl).username);
  try {
    const started = await Promise.allSettled(Array.from({ length: 4 }, () => openDatabase({ url: db.url, apiUrl: db.apiUrl, poolSize: 1 })));
    const failures = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => String(s.reason));
    expect(failures).toEqual([]);
    const [first] = started.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof openDatabase>>>).value);
    const applied: Array<{ name: string; n: number }> = await first.query('SELECT name, count(*)::int AS n FROM migrations GROUP BY name');
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(applied.every((m) => m.n === 1)).toBe(true);
    // The API's role got its privileges: it may read a table, and still not change the log.
    const [{ read, change }] = await first.query(
      `SELECT has_table_privilege($1, 'student', 'SELECT') AS read, has_table_privilege($1, 'access_log_entry', 'UPDATE') AS change`,
      [apiRole]);
    expect({ read, change }).toEqual({ read: true, change: false });
    for (const s of started) if (s.status === 'fulfilled') await s.value.destroy();
  } finally {
    await db.drop();
  }
}, 120_000);
