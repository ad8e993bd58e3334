import path from 'node:path';
import { Client } from 'pg';
import { Config } from '../config';
import { startEmbeddedPostgres } from './embedded';
import { API_ROLE, ensureApiRole } from './tenancy';

export interface DatabaseHandle {
  /** Where the API connects: its own ordinary role (./tenancy.ts). */
  url: string;
  /** Where migrations and whole-database tools connect: the owner of the schema. */
  ownerUrl: string;
  embedded: boolean;
  /** Stops the embedded server, if we started one. */
  stop(): Promise<void>;
}

/** The embedded database's password of the API role (it listens on 127.0.0.1 only, like its superuser's). */
const EMBEDDED_API_PASSWORD = 'toptrajecten_api';

/** `url` with another user and password. */
export function withRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}

/** Creates (if needed) the API role on a server, through `ownerUrl`, a role that may create roles. */
export async function ensureApiRoleAt(ownerUrl: string, role = API_ROLE, password = EMBEDDED_API_PASSWORD): Promise<string> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await ensureApiRole(client, role, password);
  } finally {
    await client.end();
  }
  return withRole(ownerUrl, role, password);
}

/**
 * `DATABASE_URL` (and `MIGRATION_DATABASE_URL` for the owner, when set); otherwise the embedded
 * PostgreSQL under `DATA_DIR`, started now, with its superuser as the owner and the API role
 * created by it.
 */
export async function resolveDatabase(config: Config, log: (m: string) => void = () => undefined): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, ownerUrl: config.migrationDatabaseUrl ?? config.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const db = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), 'toptrajecten', log);
  try {
    return { url: await ensureApiRoleAt(db.url), ownerUrl: db.url, embedded: true, stop: db.stop };
  } catch (error) {
    await db.stop().catch(() => undefined);
    throw error;
  }
}
