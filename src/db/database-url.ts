import path from 'node:path';
import { DataSource } from 'typeorm';
import { Config } from '../config';
import { openDatabase } from './data-source';
import { EmbeddedOptions, startEmbeddedPostgres } from './embedded';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  /** How often the embedded server was restarted after exiting unexpectedly (0 with DATABASE_URL). */
  readonly restarts: number;
  /** Shutting down: an exit of the embedded server from now on is not restarted. */
  expectStop(): void;
  /** Stops the embedded server, if we started one. */
  stop(): Promise<void>;
}

/**
 * `DATABASE_URL` when set; otherwise the embedded PostgreSQL under `DATA_DIR`, started now and
 * supervised with the configured restart budget (`options`: its log, events and fatal end).
 */
export async function resolveDatabase(config: Config, options: Omit<EmbeddedOptions, 'restart'> = {}): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, restarts: 0, expectStop: () => undefined, stop: async () => undefined };
  }
  const { maxRestarts, windowSeconds } = config.embeddedRestarts;
  const db = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), 'toptrajecten', { ...options, restart: { maxRestarts, windowMs: windowSeconds * 1000 } });
  return {
    url: db.url,
    embedded: true,
    get restarts() {
      return db.restarts;
    },
    expectStop: () => db.expectStop(),
    stop: () => db.stop(),
  };
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
