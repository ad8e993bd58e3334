/**
 * Checkpoints of the access log's chain head, kept outside the database.
 *
 * Why: the hash chain (./chain.ts) shows an entry changed, inserted or removed in the middle,
 * but not a tail cut off: whoever can delete the last entries (a superuser who turns the
 * append-only trigger off) leaves a shorter chain that is intact in itself. So the server
 * writes, every `AUDIT_CHECKPOINT_SECONDS`, each partnership's head (its last sequence and
 * hash, and the time) as one line of a file an operator keeps (`AUDIT_CHECKPOINT_FILE`),
 * signed with a key that is not in the database (`AUDIT_CHECKPOINT_KEY`, HMAC-SHA256).
 * `npm run audit:verify` then checks that the chain still reaches every signed head: an entry
 * with that sequence and that hash must exist. Ship the file somewhere append-only (a log
 * host, WORM storage) for the strongest guarantee; a forged or altered line fails its
 * signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';

export interface Checkpoint {
  partnershipId: string;
  sequence: string;
  hash: string;
  /** When the head was seen (ISO). */
  at: string;
  /** HMAC-SHA256 (hex) of the fields above with the checkpoint key. */
  mac: string;
}

export interface CheckpointSettings {
  file: string;
  key: string;
}

function macOf(key: string, c: Omit<Checkpoint, 'mac'>): string {
  return createHmac('sha256', key).update(JSON.stringify([c.partnershipId, c.sequence, c.hash, c.at])).digest('hex');
}

/** The heads of every partnership's chain now: one statement. */
async function heads(dataSource: DataSource): Promise<Array<{ partnershipId: string; sequence: string; hash: string }>> {
  const rows: Array<{ partnership_id: string; sequence: string; hash: string }> = await dataSource.query(
    `SELECT DISTINCT ON (partnership_id) partnership_id, sequence::text AS sequence, hash
       FROM access_log_entry e ORDER BY partnership_id, e.sequence DESC`, // e.sequence: the bigint column, not the text alias
  );
  return rows.map((r) => ({ partnershipId: r.partnership_id, sequence: r.sequence, hash: r.hash }));
}

/**
 * Appends a signed checkpoint for every partnership whose head moved since its last
 * checkpoint in the file (`lastWritten` remembers them between calls); returns how many.
 */
export async function writeCheckpoints(dataSource: DataSource, settings: CheckpointSettings, now: Date, lastWritten = new Map<string, string>()): Promise<number> {
  const lines: string[] = [];
  for (const head of await heads(dataSource)) {
    if (lastWritten.get(head.partnershipId) === head.sequence) continue;
    const unsigned = { ...head, at: now.toISOString() };
    lines.push(JSON.stringify({ ...unsigned, mac: macOf(settings.key, unsigned) }));
    lastWritten.set(head.partnershipId, head.sequence);
  }
  if (lines.length) {
    fs.mkdirSync(path.dirname(settings.file), { recursive: true });
    fs.appendFileSync(settings.file, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  }
  return lines.length;
}

/** A problem the checkpoints reveal. */
export interface CheckpointFinding {
  partnershipId: string | null;
  problem: string;
}

/** Reads the file: every line's signature checked; the latest valid checkpoint per partnership. */
export function readCheckpoints(settings: CheckpointSettings): { latest: Map<string, Checkpoint>; findings: CheckpointFinding[]; lines: number } {
  const latest = new Map<string, Checkpoint>();
  const findings: CheckpointFinding[] = [];
  if (!fs.existsSync(settings.file)) return { latest, findings, lines: 0 };
  const lines = fs.readFileSync(settings.file, 'utf8').split('\n').filter((l) => l.trim());
  lines.forEach((line, i) => {
    let c: Checkpoint;
    try {
      c = JSON.parse(line) as Checkpoint;
    } catch {
      findings.push({ partnershipId: null, problem: `checkpoint line ${i + 1} is not JSON` });
      return;
    }
    const expected = Buffer.from(macOf(settings.key, c), 'hex');
    const found = Buffer.from(String(c.mac ?? ''), 'hex');
    if (found.length !== expected.length || !timingSafeEqual(found, expected)) {
      findings.push({ partnershipId: c.partnershipId ?? null, problem: `checkpoint line ${i + 1} has an invalid signature (altered, forged, or another key)` });
      return;
    }
    const previous = latest.get(c.partnershipId);
    if (!previous || BigInt(c.sequence) > BigInt(previous.sequence)) latest.set(c.partnershipId, c);
  });
  return { latest, findings, lines: lines.length };
}

/**
 * Whether every partnership's chain still reaches its latest signed head: the entry with the
 * checkpoint's sequence must exist with the checkpoint's hash, or lie in an archived month
 * (`archivedHeads`: each partnership's last archived entry, from the archive's signed manifest,
 * ./archive.ts). One statement.
 */
export async function verifyCheckpoints(
  dataSource: DataSource,
  settings: CheckpointSettings,
  partnershipId?: string,
  archivedHeads: ReadonlyMap<string, { sequence: string; hash: string }> = new Map(),
): Promise<{ checked: number; findings: CheckpointFinding[] }> {
  const { latest, findings } = readCheckpoints(settings);
  const wanted = [...latest.values()].filter((c) => !partnershipId || c.partnershipId === partnershipId);
  if (wanted.length === 0) return { checked: 0, findings };
  const rows: Array<{ partnership_id: string; sequence: string; hash: string | null; last: string | null }> = await dataSource.query(
    `SELECT w.partnership_id, w.sequence, e.hash,
            (SELECT max(l.sequence)::text FROM access_log_entry l WHERE l.partnership_id = w.partnership_id) AS last
       FROM jsonb_to_recordset($1::jsonb) AS w(partnership_id uuid, sequence text)
       LEFT JOIN access_log_entry e ON e.partnership_id = w.partnership_id AND e.sequence = w.sequence::bigint`,
    [JSON.stringify(wanted.map((c) => ({ partnership_id: c.partnershipId, sequence: c.sequence })))],
  );
  for (const c of wanted) {
    const row = rows.find((r) => r.partnership_id === c.partnershipId && r.sequence === c.sequence);
    const archived = archivedHeads.get(c.partnershipId);
    if ((!row || row.hash === null) && archived && BigInt(c.sequence) <= BigInt(archived.sequence)) {
      if (c.sequence === archived.sequence && c.hash !== archived.hash) {
        findings.push({ partnershipId: c.partnershipId, problem: `entry ${c.sequence} was replaced: the archive's head has hash ${archived.hash}, the checkpoint of ${c.at} saw ${c.hash}` });
      }
    } else if (!row || row.hash === null) {
      findings.push({
        partnershipId: c.partnershipId,
        problem: `entries removed: the chain ends at sequence ${row?.last ?? 'none'}, but the checkpoint of ${c.at} saw sequence ${c.sequence} (hash ${c.hash})`,
      });
    } else if (row.hash !== c.hash) {
      findings.push({ partnershipId: c.partnershipId, problem: `entry ${c.sequence} was replaced: hash ${row.hash}, the checkpoint of ${c.at} saw ${c.hash}` });
    }
  }
  return { checked: wanted.length, findings };
}
