/**
 * Command-line tools beside a running API: each `npm run` tool that opens the database, run on
 * the data directory of a running API process (test/setup/api-process.ts), joins that API's
 * embedded PostgreSQL on its port (src/db/embedded.ts, `joinRunning`) instead of stopping it as
 * an orphan. After every tool the API still answers a GraphQL request, its PostgreSQL is the same
 * process (no restart), and the tool's own answer is right. A directory held by a PostgreSQL the
 * tool cannot use is refused with a message, and that process is left alone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiProcess, cleanUp, DEMO, isAlive, makeDataDir, pgDir, postmaster, runTool, startApiProcess, ToolRun } from '../setup/api-process';

const dataDir = makeDataDir('tools');
let api: ApiProcess | undefined;
afterAll(() => cleanUp(api, dataDir));

const ME = '{ me { email } }';

test('every tool that opens the database works beside the running API and leaves its PostgreSQL running', async () => {
  api = await startApiProcess(dataDir);
  const app = api;
  const server = postmaster(dataDir)!;

  /** Runs the tool, then: the API answers, its PostgreSQL is the very same process, nothing was restarted. */
  const beside = async (script: string, ...args: string[]): Promise<ToolRun> => {
    const run = await runTool(script, args, dataDir);
    const me = await app.gql<{ me: { email: string } }>(DEMO('coordinator'), ME);
    expect({ tool: script, status: me.status, me: me.body.data?.me?.email, postmaster: postmaster(dataDir)?.pid, alive: isAlive(server.pid) })
      .toEqual({ tool: script, status: 200, me: DEMO('coordinator'), postmaster: server.pid, alive: true });
    return run;
  };

  const verify = await beside('src/audit/verify.cli.ts');
  expect({ code: verify.code, stderr: verify.stderr }).toEqual({ code: 0, stderr: '' });
  expect(verify.stdout).toMatch(/^chain intact: \d+ entries; no checkpoints in .*audit-checkpoints\.jsonl yet\n$/);

  // A read of student data: the partnership's chain gets a head to sign.
  expect((await app.gql(DEMO('school1.noord'), '{ students(first: 2) { edges { node { id } } } }')).status).toBe(200);
  const checkpoint = await beside('src/audit/checkpoint.cli.ts');
  expect({ code: checkpoint.code, stdout: checkpoint.stdout, stderr: checkpoint.stderr }).toEqual({ code: 0, stdout: expect.stringMatching(/^wrote 1 checkpoint\(s\) to /), stderr: '' });
  expect(fs.readFileSync(path.join(dataDir, 'audit-checkpoints.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);

  // The chain now reaches the head just signed, also with the API's requests in between.
  const again = await beside('src/audit/verify.cli.ts');
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
  expect(again.stdout).toMatch(/^chain intact: \d+ entries; reaches the signed heads of 1 partnership\(s\) in /);

  // Archiving: nothing that old here; a month within AUDIT_ARCHIVE_AFTER_MONTHS is refused, nothing touched.
  const archive = await beside('src/audit/archive.cli.ts', '2020-01');
  expect({ code: archive.code, stdout: archive.stdout, stderr: archive.stderr }).toEqual({ code: 0, stdout: 'nothing to archive before 2020-01\n', stderr: '' });
  const tooRecent = new Date().toISOString().slice(0, 7);
  const refused = await beside('src/audit/archive.cli.ts', tooRecent);
  expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(new RegExp(`^Archiving the access log failed: months before ${tooRecent} are not all older than the access log's retention of 24 months`)) });

  const retention = await beside('src/modules/privacy/retention.cli.ts', '--dry-run');
  expect({ code: retention.code, stderr: retention.stderr }).toEqual({ code: 0, stderr: '' });
  expect(retention.stdout).toMatch(/^\S+: would treat \d+ record\(s\) as of \d{4}-\d{2}-\d{2}\./);

  const seed = await beside('src/demo/seed.cli.ts');
  expect({ code: seed.code, stdout: seed.stdout, stderr: seed.stderr }).toEqual({ code: 0, stdout: 'Demo data already present: 0 rows inserted.\n', stderr: '' });

  const migrate = await beside('src/db/migration-run.cli.ts');
  expect({ code: migrate.code, stderr: migrate.stderr }).toEqual({ code: 0, stderr: '' });
  expect(migrate.stdout).toMatch(/^Migrations applied: Initial\d+, /);

  // `npm run check`'s migration check (and `migration:generate`'s comparison): a scratch database on the API's server, dropped again.
  const check = await beside('src/db/migration-check.cli.ts');
  // (stderr may carry pg's deprecation warning about TypeORM's schema reader: not ours to silence here.)
  expect({ code: check.code, stdout: check.stdout, stderr: check.stderr }).toEqual({ code: 0, stdout: 'Migrations match the entities.\n', stderr: expect.not.stringMatching(/fail|error/i) });
}, 180_000);

test('a directory held by a PostgreSQL the tool cannot use is refused with a clear message, and that process is left running', async () => {
  // A stand-in postmaster: a live process named postgres, "ready" on a port nothing listens on.
  const dir = makeDataDir('tools-refused');
  const holder = spawn('bash', ['-c', 'exec -a postgres sleep 60'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    fs.mkdirSync(pgDir(dir), { recursive: true });
    fs.writeFileSync(path.join(pgDir(dir), 'postmaster.pid'), [holder.pid, pgDir(dir), '0', '1', '', '127.0.0.1', '0 0', 'ready   ', ''].join('\n'));
    const run = await runTool('src/audit/verify.cli.ts', [], dir);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(new RegExp(`^Verifying the access log failed: A PostgreSQL \\(pid ${holder.pid}, port 1\\) holds ${pgDir(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} but the tool cannot use it \\(.*\\); it was left alone\\.\\n$`));
    expect(isAlive(holder.pid!)).toBe(true);
  } finally {
    holder.kill('SIGKILL');
    fs.rmSync(pgDir(dir), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

