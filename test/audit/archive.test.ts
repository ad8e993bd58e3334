/**
 * Archiving old months of the access log (src/audit/archive.ts): the months go to files with a
 * signed manifest, their partitions are dropped, and the chain that stays verifies from where
 * the archive ends, including an entry of a request that straddled a month's end (archived with
 * its month, but later in the chain than the first entry that stays). Refusals change nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { ArchiveError, archiveMonths, ArchiveSettings, readArchive } from '../../src/audit/archive';
import { verifyChain } from '../../src/audit/chain';
import { verifyCheckpoints, writeCheckpoints } from '../../src/audit/checkpoints';
import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

const STUDENT = 'query($id: ID!) { student(id: $id) { id givenName } }';
const INTEGRITY = '{ accessLogIntegrity { intact entries broken { sequence field } findings } }';

let app: TestApp;
let world: World;
let dir: string;
let settings: ArchiveSettings;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-archive-'));
  app = await startTestApp({
    ownDatabase: true,
    now: new Date('2026-01-10T10:00:00Z'),
    env: { AUDIT_ARCHIVE_DIR: path.join(dir, 'archive'), AUDIT_CHECKPOINT_FILE: path.join(dir, 'checkpoints.jsonl'), AUDIT_CHECKPOINT_SECONDS: '0', AUDIT_ARCHIVE_AFTER_MONTHS: '1' },
  });
  await app.dataSource.query(`SELECT access_log_ensure_partitions(0, '2026-01-01T00:00:00Z')`);
  world = await createWorld(app.dataSource);
  settings = { dir: app.config.auditArchive.dir, afterMonths: app.config.auditArchive.afterMonths, key: app.config.auditCheckpoints.key };
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One logged read by the school coordinator at `at`. */
async function readAt(at: string): Promise<void> {
  app.clock.set(new Date(at));
  expect((await app.gql(world.users.schoolA1.email, STUDENT, { id: world.students.a1Plain.id })).body.errors).toBeUndefined();
}

const entriesByPartition = async (): Promise<Array<{ sequence: string; partition: string }>> =>
  app.dataSource.query(
    `SELECT e.sequence::text AS sequence, e.tableoid::regclass::text AS partition FROM access_log_entry e WHERE partnership_id = $1 ORDER BY e.sequence`,
    [world.partnership.id],
  );

const partitionExists = async (name: string): Promise<boolean> =>
  (await app.dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [name]))[0].present;

describe('archiving months of the access log', () => {
  test('refused within the retention, and for something that is not a month: nothing changes', async () => {
    await readAt('2026-01-10T10:00:00Z');
    // On 2026-02-10 with one month of retention, January ended less than a month ago.
    await expect(archiveMonths(app.dataSource, settings, '2026-02', new Date('2026-02-10T10:00:00Z'))).rejects.toThrow(/not all older than the access log's retention of 1 months: archive months before 2026-01 at the latest/);
    await expect(archiveMonths(app.dataSource, settings, '2026-13', new Date('2026-06-10T10:00:00Z'))).rejects.toThrow(ArchiveError);
    expect(await partitionExists('access_log_entry_y2026m01')).toBe(true);
    expect(fs.existsSync(path.join(settings.dir, 'manifest.json'))).toBe(false);
  });

  test('archives January and February; the chain that stays verifies from the archive, a straddling entry included', async () => {
    await readAt('2026-02-03T09:00:00Z');
    await readAt('2026-03-01T00:00:05Z');
    // A request that started on the last second of February appends after the March one.
    await readAt('2026-02-28T23:59:59Z');
    await readAt('2026-03-02T08:00:00Z');
    const before = await entriesByPartition();
    expect(before.map((e) => e.partition)).toEqual([
      'access_log_entry_y2026m01', 'access_log_entry_y2026m02', 'access_log_entry_y2026m03', 'access_log_entry_y2026m02', 'access_log_entry_y2026m03',
    ]);
    await writeCheckpoints(app.dataSource, app.config.auditCheckpoints, new Date('2026-03-02T08:00:01Z'));

    const result = await archiveMonths(app.dataSource, settings, '2026-03', new Date('2026-04-15T10:00:00Z'));
    expect(result).toMatchObject({ months: ['2026-01', '2026-02'], entries: 3 });
    expect([await partitionExists('access_log_entry_y2026m01'), await partitionExists('access_log_entry_y2026m02'), await partitionExists('access_log_entry_y2026m03')]).toEqual([false, false, true]);

    // The files hold exactly the archived entries, and their hashes are in the manifest.
    const { manifest, anchors } = readArchive(settings);
    expect(manifest!.months).toEqual(['2026-01', '2026-02']);
    for (const f of manifest!.files) {
      const text = fs.readFileSync(path.join(settings.dir, f.file), 'utf8');
      expect(createHash('sha256').update(text).digest('hex')).toBe(f.sha256);
      expect(text.trim().split('\n')).toHaveLength(f.entries);
    }
    // Anchor: the February entry before the first March one; bridge: the straddling February entry.
    const chain = manifest!.chains.find((c) => c.partnershipId === world.partnership.id)!;
    expect(chain.anchor!.sequence).toBe(before[1].sequence);
    expect(chain.bridge.map((r) => r.sequence)).toEqual([before[3].sequence]);
    expect(chain.head.sequence).toBe(before[3].sequence);

    // What stays verifies with the archive's anchors, and only with them.
    expect(await verifyChain(app.dataSource, world.partnership.id, 1, anchors)).toEqual({ intact: true, entries: 2 });
    expect(await verifyChain(app.dataSource, world.partnership.id, undefined, anchors)).toEqual({ intact: true, entries: 2 });
    expect(await verifyChain(app.dataSource, world.partnership.id)).toMatchObject({ intact: false, broken: { sequence: before[2].sequence, field: 'previousHash' } });
    // The signed checkpoint still holds: its head is in the database.
    expect((await verifyCheckpoints(app.dataSource, app.config.auditCheckpoints, world.partnership.id, readArchive(settings).heads)).findings).toEqual([]);

    // The privacy officer's check reads the same archive.
    app.clock.set(new Date('2026-04-15T10:00:00Z'));
    const integrity = await app.gql(world.users.privacy.email, INTEGRITY);
    expect(integrity.body.errors).toBeUndefined();
    expect(integrity.body.data).toEqual({ accessLogIntegrity: { intact: true, entries: 2, broken: null, findings: [] } });
  });

  test('a second run carries the chain on: March archived after the first archive, the newest entries verify', async () => {
    await readAt('2026-04-16T10:00:00Z');
    const result = await archiveMonths(app.dataSource, settings, '2026-04', new Date('2026-05-20T10:00:00Z'));
    expect(result.months).toEqual(['2026-03']);
    const { manifest, anchors } = readArchive(settings);
    expect(manifest!.months).toEqual(['2026-01', '2026-02', '2026-03']);
    const chain = manifest!.chains.find((c) => c.partnershipId === world.partnership.id)!;
    // Everything before the April entries is archived now: the straddling February entry is the anchor or before it.
    expect(chain.bridge).toEqual([]);
    const report = await verifyChain(app.dataSource, world.partnership.id, undefined, anchors);
    expect(report).toMatchObject({ intact: true });
    expect(report.entries).toBeGreaterThanOrEqual(1);
    // Nothing left to archive before April: a no-op, the manifest unchanged.
    expect(await archiveMonths(app.dataSource, settings, '2026-04', new Date('2026-05-20T10:00:00Z'))).toMatchObject({ months: [], entries: 0 });
    expect(readArchive(settings).manifest).toEqual(manifest);
  });

  test('an altered manifest is refused; a re-signed forgery of an archived anchor breaks the chain where it continues', async () => {
    const file = path.join(settings.dir, 'manifest.json');
    const original = fs.readFileSync(file, 'utf8');
    try {
      const manifest = JSON.parse(original);
      manifest.chains[0].head.hash = '0'.repeat(64);
      fs.writeFileSync(file, JSON.stringify(manifest));
      expect(() => readArchive(settings)).toThrow(/invalid signature/);
      app.clock.set(new Date('2026-05-20T10:00:00Z'));
      const integrity = await app.gql(world.users.privacy.email, INTEGRITY);
      expect(integrity.body.data).toMatchObject({ accessLogIntegrity: { intact: false } });
      expect((integrity.body.data as { accessLogIntegrity: { findings: string[] } }).accessLogIntegrity.findings[0]).toMatch(/invalid signature/);

      // Someone with the key who changes an archived anchor still cannot make the chain verify.
      const forged = JSON.parse(original);
      const chain = forged.chains.find((c: { partnershipId: string }) => c.partnershipId === world.partnership.id);
      chain.anchor.hash = 'f'.repeat(64);
      const { mac: _mac, ...unsigned } = forged;
      forged.mac = createHmac('sha256', settings.key).update(JSON.stringify([unsigned.months, unsigned.files, unsigned.chains, unsigned.writtenAt])).digest('hex');
      fs.writeFileSync(file, JSON.stringify(forged));
      expect(await verifyChain(app.dataSource, world.partnership.id, undefined, readArchive(settings).anchors)).toMatchObject({ intact: false, broken: { field: 'previousHash' } });
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  test('entries of an archived period in the DEFAULT partition refuse the run, nothing dropped', async () => {
    // Logged for a month that has no partition: it lands in DEFAULT and cannot be archived by month.
    await readAt('2025-06-01T10:00:00Z');
    await readAt('2026-05-02T10:00:00Z');
    await expect(archiveMonths(app.dataSource, settings, '2026-05', new Date('2026-07-01T10:00:00Z'))).rejects.toThrow(/1 entries before 2026-05 sit in the DEFAULT partition/);
    expect(await partitionExists('access_log_entry_y2026m04')).toBe(true);
    expect(fs.existsSync(path.join(settings.dir, 'manifest.next.json'))).toBe(false);
  });
});
