/**
 * The database's own guard of the tenant boundary (src/db/tenancy.ts): the API's role, not a
 * superuser and not the owner, under row-level security on every table with a partnership.
 * Runs on a database of its own: one test turns RLS off for a moment to show what it holds back.
 */
import { Client } from 'pg';
import { tenantConditionForTesting } from '../../src/authz/ability';
import { TENANT_SETTING, startTenantTransactionSql } from '../../src/db/tenancy';
import { createWorld, World } from '../factories/world';
import { useAppWithWorld } from '../setup/app-with-world';

const { app, world: mine } = useAppWithWorld({ ownDatabase: true });
let theirs: World;

beforeAll(async () => {
  theirs = await createWorld(app.dataSource);
});

/** A client of the API's own role on the app's database. */
async function asApiRole<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const options = app.apiDataSource.options as { url: string };
  const client = new Client({ connectionString: options.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const failure = (promise: Promise<unknown>) => promise.then(() => 'succeeded', (error: { message: string }) => error.message);

describe('the schema', () => {
  /** Not a tenant table: the migration history. */
  const UNGUARDED = new Set(['migrations']);

  test('every tenant table has row-level security, forced, with the tenant policy', async () => {
    type Table = { relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: string[] };
    const tables: Table[] = await app.dataSource.query(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
              coalesce(array_agg(p.polname) FILTER (WHERE p.polname IS NOT NULL), '{}') AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_policy p ON p.polrelid = c.oid
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') -- 'p': the access log, partitioned by month (each month a table of its own, guarded too)
        GROUP BY c.oid, c.relname ORDER BY c.relname`,
    ).then((rows: Table[]) => rows.filter((t) => !UNGUARDED.has(t.relname)));
    expect(tables.length).toBeGreaterThan(20);
    const unguarded = tables.filter((t) => !t.relrowsecurity || !t.relforcerowsecurity || !t.policies.includes('tenant')).map((t) => t.relname);
    expect(unguarded).toEqual([]);
    // Each of them carries the partnership (or is the partnership).
    const columns: Array<{ table_name: string }> = await app.dataSource.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'partnership_id'`,
    );
    expect(new Set([...columns.map((c) => c.table_name), 'partnership'])).toEqual(new Set(tables.map((t) => t.relname)));
  });

  test('the API role is an ordinary role: no superuser, no RLS bypass, owns no table', async () => {
    const [role] = await asApiRole((c) => c.query(
      `SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
              (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    ).then((r) => r.rows));
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, owned: 0 });
  });
});

describe('the access log, as the API role', () => {
  test('UPDATE, DELETE, TRUNCATE, switching triggers off and session_replication_role all fail', async () => {
    const read = await app.gql(mine.users.schoolA1.email, '{ students(first: 5) { edges { node { id givenName } } } }');
    expect(read.body.errors).toBeUndefined();
    const messages = await asApiRole(async (c) => {
      await c.query(`SELECT set_config('${TENANT_SETTING}', $1, false)`, [mine.partnership.id]);
      const [{ n }] = (await c.query('SELECT count(*)::int AS n FROM access_log_entry')).rows;
      expect(n).toBeGreaterThan(0); // the role sees its partnership's log …
      return [
        await failure(c.query(`UPDATE access_log_entry SET fields = '{}'`)),
        await failure(c.query('DELETE FROM access_log_entry')),
        await failure(c.query('TRUNCATE access_log_entry')),
        await failure(c.query('ALTER TABLE access_log_entry DISABLE TRIGGER ALL')),
        await failure(c.query('SET session_replication_role = replica')),
        await failure(c.query('DROP TRIGGER access_log_entry_append_only ON access_log_entry')),
      ];
    });
    // … and can change none of it.
    expect(messages).toEqual([
      expect.stringMatching(/permission denied for table access_log_entry/),
      expect.stringMatching(/permission denied for table access_log_entry/),
      expect.stringMatching(/permission denied for table access_log_entry/),
      expect.stringMatching(/must be owner of table access_log_entry/),
      expect.stringMatching(/permission denied to set parameter "session_replication_role"/),
      expect.stringMatching(/must be owner of (table|relation) access_log_entry/),
    ]);
  });
});

describe('row-level security', () => {
  test('a connection of the API role that no request bound to a partnership sees no rows and writes none', async () => {
    const seen = await asApiRole(async (c) => ({
      students: (await c.query('SELECT count(*)::int AS n FROM student')).rows[0].n,
      partnerships: (await c.query('SELECT count(*)::int AS n FROM partnership')).rows[0].n,
      insert: await failure(c.query(`INSERT INTO windstreek (partnership_id, name) VALUES ($1, 'X')`, [mine.partnership.id])),
    }));
    expect(seen).toEqual({ students: 0, partnerships: 0, insert: expect.stringMatching(/row-level security/) });
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM student');
    expect(n).toBeGreaterThanOrEqual(14); // the owner sees both partnerships' students
  });

  test('a transaction bound to one partnership cannot write a row of another', async () => {
    const message = await asApiRole(async (c) => {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [mine.partnership.id]);
      return failure(c.query(`UPDATE student SET given_name = 'X' WHERE partnership_id = $1 RETURNING id`, [theirs.partnership.id]).then((r) => {
        if (r.rowCount === 0) throw new Error('no row visible');
      }));
    });
    expect(message).toBe('no row visible');
    const message2 = await asApiRole(async (c) => {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [mine.partnership.id]);
      return failure(c.query(`INSERT INTO windstreek (partnership_id, name) VALUES ($1, 'X')`, [theirs.partnership.id]));
    });
    expect(message2).toMatch(/new row violates row-level security policy for table "windstreek"/);
  });

  test('a request\'s transaction starts bound in one round trip; only a uuid is ever written into that text', async () => {
    const sql = startTenantTransactionSql(mine.partnership.id.toUpperCase());
    expect(sql).toBe(`START TRANSACTION; SELECT set_config('${TENANT_SETTING}', '${mine.partnership.id}', true)`);
    const seen = await asApiRole(async (c) => {
      await c.query(sql);
      const rows = (await c.query('SELECT DISTINCT partnership_id FROM student')).rows.map((r) => r.partnership_id);
      await c.query('ROLLBACK');
      return rows;
    });
    expect(seen).toEqual([mine.partnership.id]);
    for (const bad of [`${mine.partnership.id}', false); DROP TABLE student; --`, '', 'not-a-uuid']) {
      expect(() => startTenantTransactionSql(bad)).toThrow('not a partnership id');
    }
  });

  describe('with the rules translator\'s tenant condition removed (test-only switch)', () => {
    beforeAll(() => (tenantConditionForTesting.enabled = false));
    afterAll(() => (tenantConditionForTesting.enabled = true));

    const LIST = '{ students(first: 100) { edges { node { id } } } windstreken(first: 100) { edges { node { id } } } }';
    const ONE = 'query ($t: ID!, $s: ID!) { trajectory(id: $t) { id } student(id: $s) { id } }';
    const idsOf = (body: { data?: Record<string, { edges: Array<{ node: { id: string } }> }> | null }) =>
      Object.values(body.data ?? {}).flatMap((c) => c.edges.map((e) => e.node.id));
    const theirIds = () => new Set([...Object.values(theirs.students), ...Object.values(theirs.windstreken)].map((r) => r.id));

    test('a cross-tenant list and single reads still return nothing of the other partnership', async () => {
      const list = await app.gql(mine.users.coordinator.email, LIST);
      expect(list.body.errors).toBeUndefined();
      const ids = idsOf(list.body as never);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => theirIds().has(id))).toEqual([]);
      const one = await app.gql(mine.users.coordinator.email, ONE, { t: theirs.trajectories.b1Team.id, s: theirs.students.b1Team.id });
      expect(one.body).toEqual({ data: { trajectory: null, student: null } });
    });

    test('control: with row-level security off, the same requests do return the other partnership\'s rows', async () => {
      const tables = ['student', 'windstreek', 'trajectory'];
      for (const t of tables) await app.dataSource.query(`ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`);
      try {
        const list = await app.gql(mine.users.coordinator.email, LIST);
        expect(idsOf(list.body as never).filter((id) => theirIds().has(id)).length).toBeGreaterThan(0);
        const one = await app.gql(mine.users.coordinator.email, ONE, { t: theirs.trajectories.b1Team.id, s: theirs.students.b1Team.id });
        expect(one.body.data).toEqual({ trajectory: { id: theirs.trajectories.b1Team.id }, student: { id: theirs.students.b1Team.id } });
      } finally {
        for (const t of tables) await app.dataSource.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      }
    });
  });
});
