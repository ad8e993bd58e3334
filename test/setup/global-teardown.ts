import fs from 'node:fs';
import { Client } from 'pg';

/** Drops the test database and stops (and removes) the embedded PostgreSQL of this run. */
export default async function globalTeardown(): Promise<void> {
  const db = globalThis.__TEST_DB__;
  if (!db) return;
  const admin = new Client({ connectionString: db.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db.database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
  await db.stop();
  if (db.dir) fs.rmSync(db.dir, { recursive: true, force: true });
}
