/**
 * The access log is partitioned by month (migration AccessLogByMonth): entries land in the
 * partition of their month, or in the DEFAULT partition when that month has none, so an
 * append never fails; the chain runs across partitions and verifies; every partition is
 * guarded like the log itself (the tenant policy, append-only, no truncation) and the API's
 * role cannot reach a partition directly, only through the log.
 */
import { Client } from 'pg';
import { verifyChain } from '../../src/audit/chain';
import { withRole } from '../../src/db/database-url';
import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

let app: TestApp;
let world: World;

const STUDENT = 'query($id: ID!) { student(id: $id) { id givenName } }';

beforeAll(async () => {
  app = await startTestApp({ ownDatabase: true, now: new Date('2026-02-10T10:00:00Z') });
  // Partitions from January 2026 on, created before anything is logged (as the server's start
  // does for the current month and the next three).
  await app.dataSource.query(`SELECT access_log_ensure_partitions(0, '2026-01-01T00:00:00Z')`);
  world = await createWorld(app.dataSource);
});
afterAll(() => app?.stop());

/** The partition each of the partnership's entries sits in, by sequence. */
async function partitionsOfEntries(): Promise<Array<{ sequence: string; partition: string }>> {
  return app.dataSource.query(
    `SELECT e.sequence::text AS sequence, e.tableoid::regclass::text AS partition FROM access_log_entry e WHERE partnership_id = $1 ORDER BY e.sequence`,
    [world.partnership.id],
  );
}

describe('the access log by month', () => {
  test('entries land in the partition of their month, the chain runs across partitions and verifies', async () => {
    app.clock.set(new Date('2026-02-10T10:00:00Z'));
    const february = await app.gql(world.users.schoolA1.email, STUDENT, { id: world.students.a1Plain.id });
    app.clock.set(new Date('2026-03-16T10:00:00Z'));
    const march = await app.gql(world.users.schoolA1.email, STUDENT, { id: world.students.a1Plain.id });
    expect([february.body.errors, march.body.errors]).toEqual([undefined, undefined]);

    expect((await partitionsOfEntries()).map((e) => e.partition)).toEqual(['access_log_entry_y2026m02', 'access_log_entry_y2026m03']);
    expect(await verifyChain(app.dataSource, world.partnership.id, 1)).toEqual({ intact: true, entries: 2 });
  });

  test('a month without its partition goes to the DEFAULT partition: the append never fails, and the chain still verifies', async () => {
    app.clock.set(new Date('2025-06-01T10:00:00Z'));
    const before = await app.gql(world.users.schoolA1.email, STUDENT, { id: world.students.a1Plain.id });
    expect(before.body.errors).toBeUndefined();
    const entries = await partitionsOfEntries();
    expect(entries[entries.length - 1].partition).toBe('access_log_entry_default');
    expect(await verifyChain(app.dataSource, world.partnership.id)).toMatchObject({ intact: true });
    // Making that month's partition now cannot move its entries: it is skipped with a warning, nothing fails.
    expect(await app.dataSource.query(`SELECT access_log_ensure_partitions(0, '2025-06-01T00:00:00Z') AS created`)).toEqual([{ created: 6 }]);
    expect(await app.dataSource.query(`SELECT to_regclass('access_log_entry_y2025m06') IS NULL AS missing`)).toEqual([{ missing: true }]);
  });

  test('every partition is guarded like the log: tenant policy forced, no truncation, and no direct access for the API\'s role', async () => {
    const partitions: Array<{ name: string; rls: boolean; forced: boolean; policies: string[]; triggers: string[] }> = await app.dataSource.query(
      `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              coalesce((SELECT array_agg(p.polname::text) FROM pg_policy p WHERE p.polrelid = c.oid), '{}') AS policies,
              coalesce((SELECT array_agg(t.tgname::text ORDER BY t.tgname) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal), '{}') AS triggers
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'access_log_entry'::regclass ORDER BY c.relname`);
    expect(partitions.length).toBeGreaterThanOrEqual(12);
    for (const p of partitions) {
      expect({ name: p.name, rls: p.rls, forced: p.forced, policies: p.policies, triggers: p.triggers }).toEqual({
        name: p.name, rls: true, forced: true, policies: ['tenant'], triggers: ['access_log_entry_append_only', 'access_log_entry_no_truncate'],
      });
    }
    // Even the owner cannot empty a month, nor delete from it.
    await expect(app.dataSource.query('TRUNCATE access_log_entry_y2026m02')).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query('DELETE FROM access_log_entry_y2026m02')).rejects.toThrow(/append-only/);
    // The API's role reads and appends through the log only.
    const api = new URL(process.env.TEST_API_DATABASE_URL!);
    const client = new Client({ connectionString: withRole(app.databaseUrl, decodeURIComponent(api.username), decodeURIComponent(api.password)) });
    await client.connect();
    try {
      await expect(client.query('SELECT count(*) FROM access_log_entry_y2026m02')).rejects.toThrow(/permission denied/);
      await expect(client.query('DELETE FROM access_log_entry_y2026m03')).rejects.toThrow(/permission denied/);
      // Also a partition that existed when the role got its grants (the current month's, made at start).
      const now = new Date();
      const current = `access_log_entry_y${now.getUTCFullYear()}m${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      await expect(client.query(`SELECT count(*) FROM ${current}`)).rejects.toThrow(/permission denied/);
      // Through the log itself it reads (its own partnership only, under the policy: none bound here).
      expect((await client.query('SELECT count(*)::int AS n FROM access_log_entry')).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });
});
