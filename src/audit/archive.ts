/**
 * Archiving old months of the access log without losing accountability.
 *
 * The log is partitioned by month (UTC) of `created_at`. `archiveMonths` moves every month
 * before a given one out of the database, once it is older than the log's own retention
 * (`AUDIT_ARCHIVE_AFTER_MONTHS`), in this order:
 *
 * 1. the whole chain must verify (with the anchors of earlier archives);
 * 2. each month's entries are written to `access-log-YYYY-MM.jsonl` in the archive directory
 *    (one chain row per line, by partnership and sequence), with its SHA-256;
 * 3. per partnership, where its chain continues is computed while the rows are still there:
 *    the hash of the last archived entry before the first entry that stays (the anchor), the
 *    archived entries after that one (the bridge: a request that straddled a month's end can
 *    have its entry in the earlier month but a later sequence), and the archived head;
 * 4. a manifest with those anchors, the files and their hashes, signed with the checkpoint key
 *    (HMAC-SHA256, a key outside the database), is written as `manifest.next.json`;
 * 5. the partitions are detached and dropped in one transaction (DDL as the owner; the
 *    append-only triggers guard rows, not this);
 * 6. the manifest is renamed to `manifest.json`. A run interrupted between 5 and 6 is finished
 *    by the next run (the partitions it names are gone), one interrupted before 5 is redone.
 *
 * `readArchive` gives `verifyChain` (./chain.ts) the anchors, so `npm run audit:verify` and the
 * privacy officer's `accessLogIntegrity` verify what stays in the database from where the archive
 * ends; a manifest whose signature fails is reported, never trusted.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { CHAIN_COLUMNS, ChainAnchor, ChainRow, chainRowOf, compareSequence, verifyChain } from './chain';

export interface ArchiveSettings {
  /** `AUDIT_ARCHIVE_DIR`: where the archived months and the manifest are written. */
  dir: string;
  /** `AUDIT_ARCHIVE_AFTER_MONTHS`: a month may be archived once it ended this many months ago. */
  afterMonths: number;
  /** The checkpoint key (`AUDIT_CHECKPOINT_KEY`) that signs the manifest. */
  key: string;
}

/** Where one partnership's chain continues after the archive. */
export interface ArchivedChain {
  partnershipId: string;
  /** The last archived entry before the first entry in the database (null: none is archived before it). */
  anchor: { sequence: string; hash: string } | null;
  /** Archived entries with a sequence after the first entry in the database, in order. */
  bridge: ChainRow[];
  /** The last archived entry. */
  head: { sequence: string; hash: string };
}

export interface ArchiveManifest {
  /** Months archived so far, `YYYY-MM`, ascending. */
  months: string[];
  files: Array<{ month: string; file: string; entries: number; sha256: string }>;
  chains: ArchivedChain[];
  writtenAt: string;
  mac: string;
}

export class ArchiveError extends Error {}

const MANIFEST = 'manifest.json';
const PENDING = 'manifest.next.json';
const PARTITION = /^access_log_entry_y(\d{4})m(\d{2})$/;

function macOf(key: string, manifest: Omit<ArchiveManifest, 'mac'>): string {
  return createHmac('sha256', key).update(JSON.stringify([manifest.months, manifest.files, manifest.chains, manifest.writtenAt])).digest('hex');
}

function readManifest(file: string, key: string): ArchiveManifest {
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as ArchiveManifest;
  } catch {
    throw new ArchiveError(`the archive manifest ${file} cannot be read as JSON`);
  }
  // The bridge rows' dates come back from JSON as text; the signature covers them as written.
  const expected = Buffer.from(macOf(key, manifest), 'hex');
  const found = Buffer.from(String(manifest.mac ?? ''), 'hex');
  if (found.length !== expected.length || !timingSafeEqual(found, expected)) {
    throw new ArchiveError(`the archive manifest ${file} has an invalid signature (altered, forged, or another key)`);
  }
  return manifest;
}

/** The anchors of every archived chain, for `verifyChain`: empty without an archive. Throws ArchiveError on a bad manifest. */
export function readArchive(settings: Pick<ArchiveSettings, 'dir' | 'key'>): {
  manifest: ArchiveManifest | null;
  anchors: Map<string, ChainAnchor>;
  /** Each partnership's last archived entry, for `verifyCheckpoints`. */
  heads: Map<string, { sequence: string; hash: string }>;
} {
  const file = path.join(settings.dir, MANIFEST);
  if (!fs.existsSync(file)) return { manifest: null, anchors: new Map(), heads: new Map() };
  const manifest = readManifest(file, settings.key);
  const anchors = new Map<string, ChainAnchor>();
  for (const chain of manifest.chains) {
    anchors.set(chain.partnershipId, {
      anchorHash: chain.anchor?.hash ?? null,
      bridge: chain.bridge.map((row) => ({ ...row, createdAt: new Date(row.createdAt) })),
    });
  }
  return { manifest, anchors, heads: new Map(manifest.chains.map((c) => [c.partnershipId, c.head])) };
}

/** `YYYY-MM` of a partition name, or null for another table. */
function monthOf(partition: string): string | null {
  const m = PARTITION.exec(partition);
  return m ? `${m[1]}-${m[2]}` : null;
}

/** The first day (UTC) of the month `months` after `YYYY-MM`. */
function monthStart(month: string, months = 0): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, 1));
}

async function partitions(owner: DataSource): Promise<Array<{ name: string; month: string }>> {
  const rows: Array<{ name: string }> = await owner.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'access_log_entry'::regclass`,
  );
  return rows.flatMap((r) => (monthOf(r.name) ? [{ name: r.name, month: monthOf(r.name)! }] : [])).sort((a, b) => a.month.localeCompare(b.month));
}

export interface ArchiveResult {
  /** Months archived by this run. */
  months: string[];
  entries: number;
  manifest: string;
}

/**
 * Archives every month before `before` (`YYYY-MM`) that still has its partition, as described
 * above, on a data source of the schema's owner. Refuses (ArchiveError, nothing changed) when
 * `before` is within the retention, when entries of those months sit in the DEFAULT partition
 * (they cannot be detached by month), or when the chain does not verify.
 */
export async function archiveMonths(owner: DataSource, settings: ArchiveSettings, before: string, now: Date): Promise<ArchiveResult> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(before)) throw new ArchiveError(`"${before}" is not a month (YYYY-MM)`);
  const nowMonth = now.toISOString().slice(0, 7);
  const latestAllowed = monthStart(nowMonth, -settings.afterMonths);
  if (monthStart(before) > latestAllowed) {
    throw new ArchiveError(`months before ${before} are not all older than the access log's retention of ${settings.afterMonths} months: archive months before ${latestAllowed.toISOString().slice(0, 7)} at the latest`);
  }
  fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  finishInterrupted(settings, await partitions(owner));

  const due = (await partitions(owner)).filter((p) => p.month < before);
  if (due.length === 0) return { months: [], entries: 0, manifest: path.join(settings.dir, MANIFEST) };
  const cutoff = monthStart(before);
  const [{ n: stray }] = await owner.query(`SELECT count(*)::int AS n FROM access_log_entry_default WHERE created_at < $1`, [cutoff]);
  if (stray > 0) throw new ArchiveError(`${stray} entries before ${before} sit in the DEFAULT partition (logged before their month's partition existed) and cannot be archived by month`);

  const previous = readArchive(settings);
  const report = await verifyChain(owner, undefined, undefined, previous.anchors);
  if (!report.intact) throw new ArchiveError(`the chain is broken at partnership ${report.broken.partnershipId}, sequence ${report.broken.sequence}: nothing archived`);

  // 2. The months' entries, one file each.
  const files: ArchiveManifest['files'] = [];
  let entries = 0;
  for (const p of due) {
    const file = `access-log-${p.month}.jsonl`;
    const rows: Array<Record<string, unknown>> = await owner.query(`SELECT ${CHAIN_COLUMNS} FROM ${p.name} e ORDER BY e.partnership_id, e.sequence`);
    const text = rows.map((r) => `${JSON.stringify(chainRowOf(r))}\n`).join('');
    fs.writeFileSync(path.join(settings.dir, file), text, { mode: 0o600 });
    files.push({ month: p.month, file, entries: rows.length, sha256: createHash('sha256').update(text).digest('hex') });
    entries += rows.length;
  }

  // 3. Per partnership: anchor, bridge and head, from the rows that go and the first that stays.
  const names = due.map((p) => p.name);
  const going = `(SELECT * FROM access_log_entry e WHERE e.tableoid = ANY($1::regclass[]))`;
  const staying = `(SELECT * FROM access_log_entry e WHERE NOT e.tableoid = ANY($1::regclass[]))`;
  const firstStaying: Array<{ partnership_id: string; sequence: string }> = await owner.query(
    `SELECT partnership_id, min(sequence)::text AS sequence FROM ${staying} s GROUP BY partnership_id`, [names]);
  const firstOf = new Map(firstStaying.map((r) => [r.partnership_id, r.sequence]));
  const heads: Array<{ partnership_id: string; sequence: string; hash: string }> = await owner.query(
    `SELECT DISTINCT ON (partnership_id) partnership_id, sequence::text AS sequence, hash FROM ${going} g ORDER BY partnership_id, g.sequence DESC`, [names]);
  const chains = new Map<string, ArchivedChain>(previous.manifest?.chains.map((c) => [c.partnershipId, c]) ?? []);
  for (const head of heads) {
    const first = firstOf.get(head.partnership_id) ?? null;
    const earlier = chains.get(head.partnership_id);
    const anchors: Array<Record<string, unknown>> = await owner.query(
      `SELECT g.sequence::text AS sequence, g.hash FROM ${going} g WHERE g.partnership_id = $2 AND ($3::bigint IS NULL OR g.sequence < $3::bigint) ORDER BY g.sequence DESC LIMIT 1`,
      [names, head.partnership_id, first]);
    const bridgeRows: Array<Record<string, unknown>> = first === null ? [] : await owner.query(
      `SELECT ${CHAIN_COLUMNS} FROM ${going} e WHERE e.partnership_id = $2 AND e.sequence > $3::bigint ORDER BY e.sequence`, [names, head.partnership_id, first]);
    const found = anchors[0] as { sequence: string; hash: string } | undefined;
    // An earlier archive's anchor or bridge entries count too: the latest before the first entry that stays.
    const candidates = [...(earlier?.anchor ? [earlier.anchor] : []), ...(earlier?.bridge ?? []), ...(found ? [found] : [])]
      .filter((c) => first === null || compareSequence(c.sequence, first) < 0)
      .sort((a, b) => compareSequence(a.sequence, b.sequence));
    const anchor = candidates.length ? { sequence: candidates[candidates.length - 1].sequence, hash: candidates[candidates.length - 1].hash } : null;
    const bridge = [...(earlier?.bridge ?? []).filter((r) => first !== null && compareSequence(r.sequence, first) > 0), ...bridgeRows.map(chainRowOf)]
      .sort((a, b) => compareSequence(a.sequence, b.sequence));
    const archivedHead = earlier && compareSequence(earlier.head.sequence, head.sequence) > 0 ? earlier.head : { sequence: head.sequence, hash: head.hash };
    chains.set(head.partnership_id, { partnershipId: head.partnership_id, anchor, bridge, head: archivedHead });
  }
  // A partnership archived earlier with nothing archived now: its bridge entries may now lie before its first entry.
  for (const [id, chain] of chains) {
    if (heads.some((h) => h.partnership_id === id)) continue;
    const first = firstOf.get(id) ?? null;
    const before = chain.bridge.filter((r) => first === null || compareSequence(r.sequence, first) < 0);
    if (before.length) chains.set(id, { ...chain, anchor: { sequence: before[before.length - 1].sequence, hash: before[before.length - 1].hash }, bridge: chain.bridge.filter((r) => !before.includes(r)) });
  }

  // 4. The signed manifest, pending until the partitions are gone.
  const unsigned: Omit<ArchiveManifest, 'mac'> = {
    months: [...(previous.manifest?.months ?? []), ...due.map((p) => p.month)],
    files: [...(previous.manifest?.files ?? []), ...files],
    chains: [...chains.values()].sort((a, b) => a.partnershipId.localeCompare(b.partnershipId)),
    writtenAt: now.toISOString(),
  };
  // Dates as text, so the signature is computed over exactly what the file holds.
  const manifest = JSON.parse(JSON.stringify(unsigned)) as Omit<ArchiveManifest, 'mac'>;
  fs.writeFileSync(path.join(settings.dir, PENDING), JSON.stringify({ ...manifest, mac: macOf(settings.key, manifest) }, null, 1), { mode: 0o600 });

  // 5. Detach and drop, all or nothing; 6. the manifest takes effect.
  await owner.transaction(async (tx) => {
    for (const p of due) {
      await tx.query(`ALTER TABLE access_log_entry DETACH PARTITION ${p.name}`);
      await tx.query(`DROP TABLE ${p.name}`);
    }
  });
  fs.renameSync(path.join(settings.dir, PENDING), path.join(settings.dir, MANIFEST));
  return { months: due.map((p) => p.month), entries, manifest: path.join(settings.dir, MANIFEST) };
}

/** A pending manifest whose months are all gone from the database takes effect; otherwise it is dropped. */
function finishInterrupted(settings: ArchiveSettings, present: Array<{ month: string }>): void {
  const pending = path.join(settings.dir, PENDING);
  if (!fs.existsSync(pending)) return;
  const manifest = readManifest(pending, settings.key);
  const stillThere = present.some((p) => manifest.months.includes(p.month));
  if (stillThere) fs.rmSync(pending);
  else fs.renameSync(pending, path.join(settings.dir, MANIFEST));
}
