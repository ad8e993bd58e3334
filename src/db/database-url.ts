import path from 'node:path';
import { Client } from 'pg';
import { Config } from '../config';
import { EmbeddedOptions, startEmbeddedPostgres } from './embedded';
import { API_ROLE, ensureApiRole } from './tenancy';

export interface DatabaseHandle {
  /** Where the API connects: its own ordinary role (./tenancy.ts). */
  url: string;
  /** Where migrations and whole-database tools connect: the owner of the schema. */
  ownerUrl: string;
  embedded: boolean;
  /** The embedded server's data directory (src/db/embedded-placement.ts: as root it may be kept elsewhere); undefined with DATABASE_URL. */
  dataDir?: string;
  /** How often the embedded server was restarted after exiting unexpectedly (0 with DATABASE_URL). */
  readonly restarts: number;
  /** Shutting down: an exit of the embedded server from now on is not restarted. */
  expectStop(): void;
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
 * PostgreSQL under `DATA_DIR`, started now and supervised with the configured restart budget
 * (`options`: its log, events and fatal end), with its superuser as the owner and the API role
 * created by it. With `options.joinRunning` (the command-line tools) a PostgreSQL already running
 * under `DATA_DIR` (a running API's) is used as it is and left running.
 */
export async function resolveDatabase(config: Config, options: Omit<EmbeddedOptions, 'restart'> = {}): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return {
      url: config.databaseUrl, ownerUrl: config.migrationDatabaseUrl ?? config.databaseUrl, embedded: false,
      restarts: 0, expectStop: () => undefined, stop: async () => undefined,
    };
  }
  const { maxRestarts, windowSeconds } = config.embeddedRestarts;
  const db = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), 'toptrajecten', { ...options, restart: { maxRestarts, windowMs: windowSeconds * 1000 } });
  try {
    const url = await ensureApiRoleAt(db.url);
    return {
      url,
      ownerUrl: db.url,
      embedded: true,
      dataDir: db.dataDir,
      get restarts() {
        return db.restarts;
      },
      expectStop: () => db.expectStop(),
      stop: () => db.stop(),
    };
  } catch (error) {
    await db.stop().catch(() => undefined);
    throw error;
  }
}
