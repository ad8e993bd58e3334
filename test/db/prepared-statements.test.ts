/**
 * Named prepared statements (src/db/prepared-statements.ts): a long statement with parameters
 * is planned once per connection and then run from its plan, with the same rows as unnamed; a
 * connection names at most the configured number of texts; short statements and statements
 * without parameters run unnamed as ever; 0 names none.
 */
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/app/database';

/** A statement of at least 1,000 characters with one parameter; `variant` makes another text. */
function longStatement(variant: number): string {
  const columns = Array.from({ length: 60 }, (_, i) => `'column ${i} of variant ${variant}' AS c${i}`).join(', ');
  return `SELECT $1::int + ${variant} AS n, ${columns} FROM generate_series(1, 3)`;
}

/** The statements this session has prepared, with how often PostgreSQL planned each generically and per run. */
async function preparedStatements(db: DataSource): Promise<Array<{ name: string; statement: string; generic: number; custom: number }>> {
  return db.query(`SELECT name, statement, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements ORDER BY name`);
}

async function open(preparedStatements: number): Promise<DataSource> {
  // One connection: every statement and the look at pg_prepared_statements share its session.
  const db = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 1, preparedStatements });
  await db.initialize();
  return db;
}

test('a long statement with parameters is prepared once per connection, then run from its plan, with the same rows', async () => {
  const named = await open(2);
  const unnamed = await open(0);
  try {
    const expected = await unnamed.query(longStatement(1), [41]);
    for (let run = 0; run < 8; run++) expect(await named.query(longStatement(1), [41])).toEqual(expected);
    expect(expected).toHaveLength(3);
    expect(expected[0].n).toBe(42);
    const [statement, ...more] = await preparedStatements(named);
    expect(more).toEqual([]);
    expect(statement.statement).toBe(longStatement(1));
    expect(statement.name).toMatch(/^tt_/);
    // Planned for the values the first five runs, then once for all: the plan is kept.
    expect(statement.custom + statement.generic).toBe(8);
    expect(statement.generic).toBeGreaterThan(0);
    expect(await preparedStatements(unnamed)).toEqual([]);
  } finally {
    await named.destroy();
    await unnamed.destroy();
  }
});

test('a connection names at most the configured number of texts; short statements and those without parameters run unnamed', async () => {
  const db = await open(2);
  try {
    for (const variant of [1, 2, 3, 4, 1, 2, 3]) expect((await db.query(longStatement(variant), [1]))[0].n).toBe(1 + variant);
    await db.query('SELECT $1::int AS n', [1]);
    await db.query(longStatement(5).replace('$1::int', '1'));
    const names = (await preparedStatements(db)).map((p) => p.statement);
    expect(names.sort()).toEqual([longStatement(1), longStatement(2)].sort());
  } finally {
    await db.destroy();
  }
});
