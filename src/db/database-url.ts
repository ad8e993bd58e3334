import path from 'node:path';
import { Config } from '../config';
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
