/**
 * The unit of work behind every request (src/graphql/unit-of-work.ts), on a real
 * PostgreSQL: one transaction on one connection, savepoints that keep it usable after a failed
 * statement, commit and rollback as a whole, and the stand-in DataSource routing through it.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/app/database';
import { UnitOfWork } from '../../src/graphql/unit-of-work';

let ds: DataSource;
/** Any partnership id: the unit binds its transaction to it (this scratch table has no RLS). */
const PARTNERSHIP = randomUUID();
const table = `uow_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

beforeAll(async () => {
  ds = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 3 });
  await ds.initialize();
  await ds.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
});
afterAll(async () => {
  await ds.query(`DROP TABLE ${table}`);
  await ds.destroy();
});
beforeEach(() => ds.query(`DELETE FROM ${table}`));

const ids = async () => (await ds.query(`SELECT id FROM ${table} ORDER BY id`)).map((r: { id: number }) => r.id);

test('outside a unit, the stand-in is the DataSource: statements autocommit', async () => {
  const unit = new UnitOfWork(ds);
  await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
  expect(unit.active).toBe(false);
  expect(await ids()).toEqual([1]);
});

test('inside a unit nothing is visible to others until commit; then everything is', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
  // A service's own transaction nests as a savepoint of the unit.
  await unit.dataSource.transaction(async (tx) => tx.query(`INSERT INTO ${table} VALUES (2)`));
  expect(await ids()).toEqual([]);
  expect((await unit.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n).toBe(2);
  await unit.commit();
  expect(unit.active).toBe(false);
  expect(await ids()).toEqual([1, 2]);
});

test('rollback undoes every write of the unit, those of nested transactions included', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
  await unit.dataSource.transaction(async (tx) => tx.query(`INSERT INTO ${table} VALUES (2)`));
  await unit.rollback();
  expect(await ids()).toEqual([]);
});

test('a failed statement inside a savepoint is undone with what the savepoint wrote, and the unit stays usable', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
  await expect(
    unit.savepoint(async () => {
      await unit.dataSource.query(`INSERT INTO ${table} VALUES (2)`);
      await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`); // duplicate key
    }),
  ).rejects.toThrow(/duplicate key/);
  await unit.dataSource.query(`INSERT INTO ${table} VALUES (3)`);
  await unit.commit();
  expect(await ids()).toEqual([1, 3]);
});

test('positive control: the same failure without a savepoint leaves the transaction unusable', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
  await expect(unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`)).rejects.toThrow(/duplicate key/);
  await expect(unit.dataSource.query(`INSERT INTO ${table} VALUES (3)`)).rejects.toThrow(/current transaction is aborted/);
  await unit.rollback();
  expect(await ids()).toEqual([]);
});

test('code that unwinds the transaction below its savepoint breaks the unit: nothing more runs, nothing commits', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
  await expect(
    unit.savepoint(async () => {
      await unit.dataSource.query(`INSERT INTO ${table} VALUES (2)`);
      // A swallowed failure aborts the transaction; the next SAVEPOINT then fails and TypeORM
      // rolls back one level too many (to the field's savepoint).
      await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`).catch(() => undefined);
      await unit.dataSource.transaction(async (tx) => tx.query(`INSERT INTO ${table} VALUES (3)`));
    }),
  ).rejects.toThrow();
  await expect(unit.savepoint(async () => unit.dataSource.query(`INSERT INTO ${table} VALUES (4)`))).rejects.toThrow(/savepoint depth/);
  expect(() => unit.dataSource.query(`INSERT INTO ${table} VALUES (5)`)).toThrow(/savepoint depth/);
  await expect(unit.commit()).rejects.toThrow(/savepoint depth/);
  expect(unit.active).toBe(false);
  expect(await ids()).toEqual([]);
});

test('statements issued at the same time on the unit run one after another on its connection', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  const results = await Promise.all([1, 2, 3, 4].map((n) => unit.dataSource.query(`INSERT INTO ${table} VALUES (${n}) RETURNING id`)));
  expect(results.map((r) => r[0].id)).toEqual([1, 2, 3, 4]);
  await unit.commit();
  expect(await ids()).toEqual([1, 2, 3, 4]);
});

test('a nested transaction asking for an isolation level is refused inside a unit (it would be ignored)', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  try {
    expect(() => unit.dataSource.transaction('SERIALIZABLE', async () => undefined)).toThrow(/isolation level/);
  } finally {
    await unit.rollback();
  }
});

test('a second connection inside a unit is refused (it could wait on the pool while holding one)', async () => {
  const unit = new UnitOfWork(ds);
  await unit.begin(PARTNERSHIP);
  try {
    expect(() => unit.dataSource.createQueryRunner()).toThrow(/unit of work/);
  } finally {
    await unit.release();
  }
  expect(unit.active).toBe(false);
});

describe('a statement sent with the COMMIT (the access log\'s append: one round trip with the commit)', () => {
  /** The texts the unit's connection (its pg client) is sent from now on, in order. */
  function recordTexts(unit: UnitOfWork): string[] {
    const texts: string[] = [];
    const client = (unit as unknown as { runner: { databaseConnection: { query: (...args: unknown[]) => unknown } } }).runner.databaseConnection;
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      texts.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return query(...args);
    };
    return texts;
  }

  test('it runs right before the COMMIT, in the same text, and both take effect', async () => {
    const unit = new UnitOfWork(ds);
    await unit.begin(PARTNERSHIP);
    await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
    const texts = recordTexts(unit);
    let took: number | undefined;
    unit.commitWith(`INSERT INTO ${table} VALUES (2)`, (seconds) => (took = seconds));
    await unit.commit();
    expect(texts).toEqual([`INSERT INTO ${table} VALUES (2);\nCOMMIT`]);
    expect(await ids()).toEqual([1, 2]);
    expect(took).toBeGreaterThan(0);
  });

  test('when it fails, nothing commits: not it, not what the transaction wrote before; the connection goes back clean', async () => {
    const unit = new UnitOfWork(ds);
    await unit.begin(PARTNERSHIP);
    await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
    let told = false;
    unit.commitWith(`INSERT INTO ${table} VALUES (1)`, () => (told = true));
    await expect(unit.commit()).rejects.toThrow(/duplicate key/);
    expect(told).toBe(false);
    expect(unit.active).toBe(false);
    expect(await ids()).toEqual([]);
    // Every pooled connection still works outside a transaction.
    await Promise.all([1, 2, 3].map(() => ds.query('SELECT 1')));
  });

  test('a commit TypeORM would send as another text than COMMIT is refused before it reaches the database: nothing commits without the statement', async () => {
    const unit = new UnitOfWork(ds);
    await unit.begin(PARTNERSHIP);
    await unit.dataSource.query(`INSERT INTO ${table} VALUES (1)`);
    const runner = (unit as unknown as { runner: { query: (sql: string) => Promise<unknown>; commitTransaction: () => Promise<void> } }).runner;
    // As if a TypeORM version committed with another text: the swap would not match it.
    runner.commitTransaction = async () => {
      await runner.query('END');
    };
    const texts = recordTexts(unit);
    unit.commitWith(`INSERT INTO ${table} VALUES (2)`, () => undefined);
    await expect(unit.commit()).rejects.toThrow(/Expected TypeORM to send COMMIT, not "END"/);
    expect(texts).toEqual(['ROLLBACK']);
    expect(await ids()).toEqual([]);
  });

  test('on rollback it is never sent', async () => {
    const unit = new UnitOfWork(ds);
    await unit.begin(PARTNERSHIP);
    const texts = recordTexts(unit);
    unit.commitWith(`INSERT INTO ${table} VALUES (3)`, () => undefined);
    await unit.rollback();
    expect(texts).toEqual(['ROLLBACK']);
    expect(await ids()).toEqual([]);
  });

  test('only one per request, and only inside an open transaction', async () => {
    const unit = new UnitOfWork(ds);
    expect(() => unit.commitWith('SELECT 1', () => undefined)).toThrow(/no open transaction/);
    await unit.begin(PARTNERSHIP);
    unit.commitWith('SELECT 1', () => undefined);
    expect(() => unit.commitWith('SELECT 2', () => undefined)).toThrow(/already/);
    await unit.rollback();
  });
});
