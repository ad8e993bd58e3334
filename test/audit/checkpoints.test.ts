/**
 * Signed checkpoints of the chain head (src/audit/checkpoints.ts): the chain alone cannot see
 * a tail cut off by someone who can bypass the append-only trigger; a checkpoint can, and
 * names the gap. A checkpoint line that was altered or forged fails its signature.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { verifyChain } from '../../src/audit/chain';
import { loadConfig } from '../../src/config';
import { readCheckpoints, verifyCheckpoints, writeCheckpoints } from '../../src/audit/checkpoints';
import { useAppWithWorld } from '../setup/app-with-world';

const { app, world } = useAppWithWorld();
const KEY = 'a-test-checkpoint-key-of-32-characters!!';
const directories: string[] = [];
afterAll(() => {
  for (const dir of directories) fs.rmSync(dir, { recursive: true, force: true });
});

/** A checkpoint file of the test's own (not there yet), with the test key. */
function ownCheckpoints(): { file: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoints-'));
  directories.push(dir);
  return { file: path.join(dir, 'audit-checkpoints.jsonl'), key: KEY };
}

/** Some log entries of the world's partnership: reads of students by their school coordinator. */
async function readStudents(times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const r = await app.gql(world.users.schoolA1.email, '{ students(first: 2) { edges { node { id givenName } } } }');
    expect(r.body.errors).toBeUndefined();
  }
}

test('a tail removed by a superuser leaves an intact chain, but not past a checkpoint: audit:verify names the gap', async () => {
  const settings = ownCheckpoints();
  await readStudents(3);
  expect(await writeCheckpoints(app.dataSource, settings, new Date())).toBeGreaterThan(0);
  expect((await verifyCheckpoints(app.dataSource, settings, world.partnership.id)).findings).toEqual([]);

  const [{ head }] = await app.dataSource.query('SELECT max(sequence)::text AS head FROM access_log_entry WHERE partnership_id = $1', [world.partnership.id]);
  // As a superuser: the append-only trigger off for this transaction, the last two entries deleted.
  await app.dataSource.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    await tx.query(
      `DELETE FROM access_log_entry WHERE id IN (SELECT id FROM access_log_entry WHERE partnership_id = $1 ORDER BY sequence DESC LIMIT 2)`,
      [world.partnership.id],
    );
  });
  // The chain alone: still intact (the blind spot the checkpoints close).
  expect(await verifyChain(app.dataSource, world.partnership.id)).toMatchObject({ intact: true });
  const { findings } = await verifyCheckpoints(app.dataSource, settings, world.partnership.id);
  expect(findings).toHaveLength(1);
  expect(findings[0].partnershipId).toBe(world.partnership.id);
  expect(findings[0].problem).toMatch(new RegExp(`^entries removed: the chain ends at sequence \\d+, but the checkpoint of .* saw sequence ${head}`));
});

test('a checkpoint line altered or written without the key fails its signature', async () => {
  const settings = ownCheckpoints();
  await readStudents(1);
  expect(await writeCheckpoints(app.dataSource, settings, new Date())).toBeGreaterThan(0);
  const lines = fs.readFileSync(settings.file, 'utf8').trim().split('\n');
  const altered = JSON.parse(lines[0]);
  altered.sequence = String(BigInt(altered.sequence) + 1000n);
  const forged = { partnershipId: randomUUID(), sequence: '1', hash: 'f'.repeat(64), at: new Date().toISOString(), mac: '0'.repeat(64) };
  fs.appendFileSync(settings.file, `${JSON.stringify(altered)}\n${JSON.stringify(forged)}\nnot json\n`);
  const { findings } = readCheckpoints(settings);
  expect(findings.map((f) => f.problem)).toEqual([
    expect.stringMatching(/invalid signature/), expect.stringMatching(/invalid signature/), expect.stringMatching(/is not JSON/),
  ]);
  // Another key reads nothing as valid.
  expect(readCheckpoints({ ...settings, key: 'another-key-of-at-least-32-characters!!!' }).latest.size).toBe(0);
});

test('only heads that moved are written again', async () => {
  const settings = ownCheckpoints();
  await readStudents(1);
  const written = new Map<string, string>();
  const first = await writeCheckpoints(app.dataSource, settings, new Date(), written);
  expect(first).toBeGreaterThan(0);
  expect(await writeCheckpoints(app.dataSource, settings, new Date(), written)).toBe(0);
  await readStudents(1);
  expect(await writeCheckpoints(app.dataSource, settings, new Date(), written)).toBeGreaterThanOrEqual(1);
});

test('a checkpoint holds the head, the highest sequence, also once the chain is past 9 (sequences compare as numbers, not text)', async () => {
  const settings = ownCheckpoints();
  await readStudents(6); // two entries each: at least 12
  expect(await writeCheckpoints(app.dataSource, settings, new Date())).toBeGreaterThan(0);
  const [{ head }] = await app.dataSource.query('SELECT max(sequence)::text AS head FROM access_log_entry WHERE partnership_id = $1', [world.partnership.id]);
  expect(Number(head)).toBeGreaterThanOrEqual(12);
  expect(readCheckpoints(settings).latest.get(world.partnership.id)?.sequence).toBe(head);
});

test('in production the checkpoint key must be configured (it is never in the database)', () => {
  const production = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://login.example.org/jwks', AUTH_ISSUER: 'https://login.example.org', AUTH_AUDIENCE: 'api', PSEUDONYM_KEY: 'p'.repeat(32) };
  expect(() => loadConfig(production)).toThrow('AUDIT_CHECKPOINT_KEY is required (at least 32 characters) when NODE_ENV=production');
  expect(loadConfig({ ...production, AUDIT_CHECKPOINT_KEY: 'k'.repeat(32), AUDIT_CHECKPOINT_FILE: '/var/log/toptrajecten/checkpoints.jsonl' }).auditCheckpoints)
    .toEqual({ key: 'k'.repeat(32), file: '/var/log/toptrajecten/checkpoints.jsonl', intervalSeconds: 60 });
});
