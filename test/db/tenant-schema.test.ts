/**
 * The schema stays ready to be spread over several database servers by partnership (the
 * README, "From one machine to many"): every tenant table carries `partnership_id`, and every
 * foreign key between tenant tables includes it on both sides, so that a partnership's rows
 * and everything they reference always live together (in Citus terms: co-located, distributed
 * on the partnership). Read from pg_catalog of the migrated test database.
 *
 * KNOWN_SINGLE_COLUMN_KEYS lists the foreign keys that do not include the partnership, each
 * with its reason (below; empty today). The list must match exactly: a new single-column key
 * fails the test, and so does an entry that was fixed but not removed.
 */
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { TenantCompositeKeys1796700000070 } from '../../migrations/1796700000070-TenantCompositeKeys';
import { TenantSetNullKeys1796700000071 } from '../../migrations/1796700000071-TenantSetNullKeys';
import { ownDatabase } from '../setup/app';

/** Tables outside any partnership. */
const NOT_TENANT = new Set(['migrations']);
/** The tenant itself: its own id is the partnership. */
const ROOT = 'partnership';
const COLUMN = 'partnership_id';

export interface CatalogTable { table: string; columns: string[] }
export interface CatalogForeignKey { table: string; columns: string[]; references: string; referencedColumns: string[] }

const describe_ = (fk: CatalogForeignKey) => `${fk.table}(${fk.columns.join(', ')}) -> ${fk.references}(${fk.referencedColumns.join(', ')})`;

/** What keeps the schema from being distributed by partnership; empty when nothing does. */
export function tenantProblems(tables: CatalogTable[], foreignKeys: CatalogForeignKey[]): string[] {
  const tenant = new Set(tables.map((t) => t.table).filter((t) => !NOT_TENANT.has(t)));
  const problems: string[] = [];
  for (const t of tables) {
    if (tenant.has(t.table) && t.table !== ROOT && !t.columns.includes(COLUMN)) problems.push(`${t.table} has no ${COLUMN}`);
  }
  for (const fk of foreignKeys.filter((k) => tenant.has(k.table) && tenant.has(k.references))) {
    const at = fk.columns.indexOf(COLUMN);
    const ok = fk.references === ROOT
      ? fk.columns.length === 1 && at === 0 && fk.referencedColumns[0] === 'id'
      : at >= 0 && fk.referencedColumns[at] === COLUMN;
    if (!ok) problems.push(`${describe_(fk)} does not include ${COLUMN}`);
  }
  return problems;
}

/** Every table of the public schema (partitions are their parent's) with its columns. */
async function catalogTables(client: Client): Promise<CatalogTable[]> {
  const { rows } = await client.query<CatalogTable>(
    `SELECT c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      GROUP BY c.relname ORDER BY c.relname`, ['public']);
  return rows;
}

/** Every foreign key of the public schema's tables (a partitioned table's once, not per partition). */
async function catalogForeignKeys(client: Client): Promise<CatalogForeignKey[]> {
  const { rows } = await client.query<CatalogForeignKey>(
    `SELECT src.relname AS table, dst.relname AS references,
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS columns,
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS "referencedColumns"
       FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid JOIN pg_namespace n ON n.oid = src.relnamespace
      WHERE con.contype = 'f' AND con.conparentid = 0 AND n.nspname = $1 AND NOT src.relispartition
      ORDER BY src.relname, con.conname`, ['public']);
  return rows;
}

/**
 * Single-column foreign keys between tenant tables that stay so, each for a stated reason: none.
 * Every key is composite (TenantManyToOne, src/db/tenant-record.ts), the three `ON DELETE SET
 * NULL` ones with `SET NULL (x_id)` (migration TenantSetNullKeys, tested below).
 */
const KNOWN_SINGLE_COLUMN_KEYS: string[] = [
].map((key) => `${key} does not include ${COLUMN}`);

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

test('every tenant table carries partnership_id, and no foreign key between tenant tables leaves it out beyond the known list', async () => {
  const tables = await catalogTables(client);
  const foreignKeys = await catalogForeignKeys(client);
  expect(tables.length).toBeGreaterThan(25);
  expect(foreignKeys.length).toBeGreaterThan(50);
  const problems = tenantProblems(tables, foreignKeys);
  expect(problems.filter((p) => p.endsWith(`has no ${COLUMN}`))).toEqual([]);
  // Nothing new, and nothing fixed that is still listed.
  expect(problems.filter((p) => !KNOWN_SINGLE_COLUMN_KEYS.includes(p))).toEqual([]);
  expect(KNOWN_SINGLE_COLUMN_KEYS.filter((p) => !problems.includes(p))).toEqual([]);
  // The neighbour pairs of windstreken: the partnership, and both keys on it.
  expect(foreignKeys.filter((k) => k.table === 'windstreek_neighbour').map(describe_).sort()).toEqual([
    'windstreek_neighbour(partnership_id, neighbour_id) -> windstreek(partnership_id, id)',
    'windstreek_neighbour(partnership_id, windstreek_id) -> windstreek(partnership_id, id)',
  ]);
});

test('a composite key with ON DELETE SET NULL clears only its own column, never the partnership', async () => {
  const setNull: Array<{ key: string; cleared: string[] }> = (await client.query(`
    SELECT src.relname || '(' || (SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) || ')' AS key,
           (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM unnest(con.confdelsetcols) c(n) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = c.n) AS cleared
      FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid
     WHERE con.contype = 'f' AND con.confdeltype = 'n' AND con.connamespace = 'public'::regnamespace ORDER BY 1`)).rows;
  expect(setNull).toEqual([
    { key: 'consultation(partnership_id, student_id)', cleared: ['student_id'] },
    { key: 'student(partnership_id, mentor_user_id)', cleared: ['mentor_user_id'] },
    { key: 'trajectory(partnership_id, consultation_id)', cleared: ['consultation_id'] },
  ]);
  // And so it behaves: deleting a mentor's account keeps the student, in its partnership, without a mentor.
  await client.query('BEGIN');
  try {
    const one = async <T>(sql: string, params: unknown[]): Promise<T> => (await client.query(sql, params)).rows[0] as T;
    const { id: partnership } = await one<{ id: string }>('INSERT INTO partnership (name, code) VALUES ($1, $1) RETURNING id', [`set-null-${process.pid}`]);
    const { id: windstreek } = await one<{ id: string }>('INSERT INTO windstreek (partnership_id, name) VALUES ($1, $2) RETURNING id', [partnership, 'Noord']);
    const { id: school } = await one<{ id: string }>(`INSERT INTO school (partnership_id, windstreek_id, name, brin_code) VALUES ($1, $2, 'School', '12AB') RETURNING id`, [partnership, windstreek]);
    const { id: mentor } = await one<{ id: string }>(
      `INSERT INTO app_user (partnership_id, subject, email, name) VALUES ($1, $2, $2, 'Mentor') RETURNING id`, [partnership, `set-null-${process.pid}@example.test`]);
    const student = await one<{ id: string; partnership_id: string }>(
      `INSERT INTO student (partnership_id, school_id, mentor_user_id, given_name, family_name, birth_date, student_number, expected_exit_level, pseudonym)
       VALUES ($1, $2, $3, 'Sam', 'Jansen', '2012-05-01', 'S1', 'HAVO', 'L-0001') RETURNING id, partnership_id`, [partnership, school, mentor]);
    await client.query('DELETE FROM app_user WHERE id = $1', [mentor]);
    const { rows } = await client.query('SELECT partnership_id, mentor_user_id FROM student WHERE id = $1', [student.id]);
    expect(rows).toEqual([{ partnership_id: student.partnership_id, mentor_user_id: null }]);
  } finally {
    await client.query('ROLLBACK');
  }
});

test("the database refuses a row that names another partnership's row, and takes one of its own", async () => {
  await client.query('BEGIN');
  try {
    const partnership = async (code: string) =>
      (await client.query<{ id: string }>('INSERT INTO partnership (name, code) VALUES ($1, $1) RETURNING id', [code])).rows[0].id;
    const [mine, theirs] = [await partnership(`fk-mine-${process.pid}`), await partnership(`fk-theirs-${process.pid}`)];
    const windstreek = (await client.query<{ id: string }>('INSERT INTO windstreek (partnership_id, name) VALUES ($1, $2) RETURNING id', [mine, 'Noord'])).rows[0].id;
    const school = (p: string) => client.query('INSERT INTO school (partnership_id, windstreek_id, name, brin_code) VALUES ($1, $2, $3, $4)', [p, windstreek, 'School', '12AB']);
    const team = (p: string) => client.query('INSERT INTO topteam (partnership_id, windstreek_id, name, capacity) VALUES ($1, $2, $3, 10)', [p, windstreek, 'Team']);
    await client.query('SAVEPOINT foreign_school');
    await expect(school(theirs)).rejects.toMatchObject({ code: '23503', detail: expect.stringContaining('(partnership_id, windstreek_id)') });
    await client.query('ROLLBACK TO SAVEPOINT foreign_school');
    await expect(team(theirs)).rejects.toMatchObject({ code: '23503' });
    await client.query('ROLLBACK TO SAVEPOINT foreign_school');
    await school(mine);
    await team(mine);
    const { rows } = await client.query<{ n: string }>('SELECT (SELECT count(*) FROM school WHERE windstreek_id = $1) + (SELECT count(*) FROM topteam WHERE windstreek_id = $1) AS n', [windstreek]);
    expect(Number(rows[0].n)).toBe(2);
  } finally {
    await client.query('ROLLBACK');
  }
});

test("the migration to composite keys refuses existing data where a row names another partnership's row, and takes consistent data", async () => {
  const db = await ownDatabase();
  const own = new Client({ connectionString: db.url });
  await own.connect();
  const runner = { query: (sql: string) => own.query(sql) } as unknown as QueryRunner;
  const migration = new TenantCompositeKeys1796700000070();
  const setNull = new TenantSetNullKeys1796700000071();
  try {
    await own.query('BEGIN');
    // Back to the single-column keys, with one school in another partnership's windstreek.
    await setNull.down(runner);
    await migration.down(runner);
    const [a, b] = (await own.query<{ id: string }>(`INSERT INTO partnership (name, code) VALUES ('A', 'A'), ('B', 'B') RETURNING id`)).rows.map((r) => r.id);
    const w = (await own.query<{ id: string }>('INSERT INTO windstreek (partnership_id, name) VALUES ($1, $2) RETURNING id', [a, 'Noord'])).rows[0].id;
    await own.query(`INSERT INTO school (partnership_id, windstreek_id, name, brin_code) VALUES ($1, $3, 'Eigen', '12AB'), ($2, $3, 'Vreemd', '34CD')`, [a, b, w]);
    await own.query('SAVEPOINT before');
    await expect(migration.up(runner)).rejects.toMatchObject({ code: '23503', table: 'school', detail: expect.stringContaining(`(${b}, ${w})`) });
    await own.query('ROLLBACK TO SAVEPOINT before');
    await own.query(`DELETE FROM school WHERE name = 'Vreemd'`);
    await migration.up(runner);
    await setNull.up(runner);
    const { rows } = await own.query<{ name: string }>('SELECT name FROM school');
    expect(rows).toEqual([{ name: 'Eigen' }]);
  } finally {
    await own.query('ROLLBACK');
    await own.end();
    await db.drop();
  }
});

test('the check fails on a tenant table without partnership_id and on a key that leaves it out', () => {
  const tables: CatalogTable[] = [
    { table: 'partnership', columns: ['id', 'name'] },
    { table: 'windstreek', columns: ['id', 'partnership_id', 'name'] },
    { table: 'pairs', columns: ['windstreek_id', 'neighbour_id'] },
    { table: 'school', columns: ['id', 'partnership_id', 'windstreek_id'] },
    { table: 'migrations', columns: ['id', 'name'] },
  ];
  const keys: CatalogForeignKey[] = [
    { table: 'windstreek', columns: ['partnership_id'], references: 'partnership', referencedColumns: ['id'] },
    { table: 'school', columns: ['partnership_id', 'windstreek_id'], references: 'windstreek', referencedColumns: ['partnership_id', 'id'] },
    { table: 'school', columns: ['windstreek_id'], references: 'windstreek', referencedColumns: ['id'] },
    { table: 'school', columns: ['windstreek_id', 'partnership_id'], references: 'windstreek', referencedColumns: ['partnership_id', 'id'] },
    { table: 'pairs', columns: ['windstreek_id'], references: 'windstreek', referencedColumns: ['id'] },
  ];
  expect(tenantProblems(tables, keys)).toEqual([
    'pairs has no partnership_id',
    'school(windstreek_id) -> windstreek(id) does not include partnership_id',
    'school(windstreek_id, partnership_id) -> windstreek(partnership_id, id) does not include partnership_id',
    'pairs(windstreek_id) -> windstreek(id) does not include partnership_id',
  ]);
  expect(tenantProblems(tables.filter((t) => t.table !== 'pairs'), keys.slice(0, 2))).toEqual([]);
});
