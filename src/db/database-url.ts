import path from 'node:path';
import { DataSource } from 'typeorm';
import { Config } from '../config';
import { openDatabase } from './data-source';
import { startEmbeddedPostgres } from './embedded';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** Stops the embedded server, if we started one. */
  stop(): Promise<void>;
}

/** `DATABASE_URL` when set; otherwise the embedded PostgreSQL under `DATA_DIR`, started now. */
export async function resolveDatabase(config: Config, log: (m: string) => void = () => undefined): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const db = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), 'toptrajecten', log);
  return { url: db.url, embedded: true, stop: db.stop };
}

/**
 * Runs `fn` on the configured database with migrations applied, then closes it (and stops
 * the embedded server if one was started): the frame of every command-line script.
 */
export async function withDatabase<T>(config: Config, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const db = await resolveDatabase(config);
  try {
    const dataSource = await openDatabase({ url: db.url, logSql: config.logSql });
    try {
      return await fn(dataSource);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await db.stop();
  }
}
