/**
 * The product's data sources: src/db's, mapping every entity of the product (./entities.ts).
 * Entry points and tests open databases through here; src/db itself knows no entity.
 */
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import * as base from '../db/data-source';
import type { DatabaseOptions } from '../db/data-source';
import { resolveDatabase } from '../db/database-url';
import { ENTITIES } from './entities';

/** Creates (but does not open) the data source for a PostgreSQL URL. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return base.createDataSource({ ...options, entities: ENTITIES });
}

/**
 * Opens the data source as the owner of the schema (every partnership), applies pending
 * migrations and, when the API connects as another role (`apiUrl`), grants that role its
 * privileges (src/db/tenancy.ts).
 */
export function openDatabase(options: DatabaseOptions & { apiUrl?: string }): Promise<DataSource> {
  return base.openDatabase({ ...options, entities: ENTITIES });
}

/**
 * Runs `fn` on the configured database with migrations applied, as the owner of the schema
 * (every partnership), then closes it (and stops the embedded server if it started one): the
 * frame of every command-line script. Beside a running API on the same `DATA_DIR` it uses that
 * API's embedded server and leaves it running (src/db/embedded.ts, `joinRunning`).
 */
export async function withDatabase<T>(config: Config, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const db = await resolveDatabase(config, { joinRunning: true });
  try {
    const dataSource = await openDatabase({ url: db.ownerUrl, apiUrl: db.url, logSql: config.logSql });
    try {
      return await fn(dataSource);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await db.stop();
  }
}
