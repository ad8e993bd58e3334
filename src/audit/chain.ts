/**
 * The hash chain of the access log. Per partnership, in `sequence` order, every entry
 * carries the hash of the entry before it (`previous_hash`; null for the first) and its own
 * `hash = sha256_hex(previous_hash || canonical(entry))`, where `canonical` is the JSON array
 * of the entry's fields below (everything but `sequence` and the two hashes).
 *
 * The hashes are computed by the database function `access_log_append` (migration
 * AccessLogAppendOnly) from the canonical text built here, under a per-partnership advisory
 * lock, so concurrent requests cannot fork the chain; `verifyChain` recomputes them here.
 */
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** The hashed fields of an entry, as written and as read back. */
export interface ChainedFields {
  id: string;
  partnershipId: string;
  createdAt: Date;
  userId: string;
  membershipId: string | null;
  role: string | null;
  action: string;
  outcome: string;
  studentId: string | null;
  objectType: string;
  objectId: string | null;
  fields: string[];
  legalBasis: string | null;
  consentId: string | null;
  requestId: string;
  /** The objects an entry about a student covered; null on entries about one object and on those written before. */
  objects: string[] | null;
  /**
   * On an entry about several students who each stood on their own consent: each student's
   * consent, as "Student:<id>/Consent:<id>" (src/audit/access-recorder.ts `acrossStudents`).
   * Null (or absent: rows written, or archived, before the column existed) on every other entry.
   */
  consents?: string[] | null;
}

export interface ChainRow extends ChainedFields {
  sequence: string;
  previousHash: string | null;
  hash: string;
}

/**
 * The canonical text of an entry: a JSON array in a fixed field order, with `objects` as a
 * sixteenth value only where the entry has them or has `consents`, and `consents` as a
 * seventeenth only where it has them. So every entry keeps the text it was hashed with: entries
 * about one object, and every entry written before the log was kept per student, their fifteen
 * values; entries about students, their sixteen. `access_log_append` reads the row it inserts
 * back out of this text.
 */
export function canonical(e: ChainedFields): string {
  const values: unknown[] = [
    e.id, e.partnershipId, e.createdAt.toISOString(), e.userId, e.membershipId, e.role, e.action, e.outcome,
    e.studentId, e.objectType, e.objectId, e.fields, e.legalBasis, e.consentId, e.requestId,
  ];
  // Loose on purpose: a row read from an archive made before a column existed lacks it altogether.
  if (e.objects != null || e.consents != null) values.push(e.objects ?? null);
  if (e.consents != null) values.push(e.consents);
  return JSON.stringify(values);
}

/** sha256 (hex) over the previous hash (empty for the first entry) followed by the canonical text. */
export function chainHash(previousHash: string | null, canonicalText: string): string {
  return createHash('sha256').update((previousHash ?? '') + canonicalText, 'utf8').digest('hex');
}

export interface BrokenLink {
  partnershipId: string;
  sequence: string;
  /** Which value disagrees: the link to the previous entry, or the entry's own hash. */
  field: 'previousHash' | 'hash';
  expected: string | null;
  found: string | null;
}

export type ChainReport = { intact: true; entries: number } | { intact: false; entries: number; broken: BrokenLink };

/**
 * Where a partnership's chain continues after archived months (./archive.ts): the hash of the
 * last archived entry before the first entry still in the database (`anchorHash`), and the
 * archived entries whose sequence lies after that first entry (`bridge`: entries of a request
 * that straddled a month's end, archived with their month), which the walk takes in their place.
 */
export interface ChainAnchor {
  anchorHash: string | null;
  bridge: readonly ChainRow[];
}

/**
 * Walks rows sorted by partnership, then sequence as a number, one batch after another, and
 * stops at the first broken link: a changed field breaks that entry's own hash; a deleted or
 * inserted entry breaks the next entry's link. Holds only the last hash, so a chain of any
 * length is checked in constant memory. With anchors (archived months), a partnership's walk
 * starts from its anchor's hash instead of an empty one and takes the bridge entries in order.
 */
export class ChainWalker {
  private partnership: string | null = null;
  private previous: string | null = null;
  private pending: ChainRow[] = [];
  entries = 0;
  broken: BrokenLink | null = null;

  constructor(private readonly anchors: ReadonlyMap<string, ChainAnchor> = new Map()) {}

  /** Checks the next rows; false once a link is broken (the rest is not looked at). */
  feed(rows: readonly ChainRow[]): boolean {
    for (const row of rows) {
      if (this.broken) return false;
      this.entries++;
      if (row.partnershipId !== this.partnership) {
        if (!this.flush()) return false;
        this.partnership = row.partnershipId;
        const anchor = this.anchors.get(row.partnershipId);
        this.previous = anchor?.anchorHash ?? null;
        this.pending = [...(anchor?.bridge ?? [])].sort((a, b) => compareSequence(a.sequence, b.sequence));
      }
      while (this.pending.length && compareSequence(this.pending[0].sequence, row.sequence) < 0) {
        if (!this.link(this.pending.shift()!)) return false;
      }
      if (!this.link(row)) return false;
    }
    return true;
  }

  /** Takes the bridge entries left after the current partnership's last row; false when one breaks. */
  flush(): boolean {
    while (this.pending.length) if (!this.link(this.pending.shift()!)) return false;
    return !this.broken;
  }

  private link(row: ChainRow): boolean {
    if (row.previousHash !== this.previous) {
      this.broken = { partnershipId: row.partnershipId, sequence: row.sequence, field: 'previousHash', expected: this.previous, found: row.previousHash };
      return false;
    }
    const expected = chainHash(this.previous, canonical(row));
    if (row.hash !== expected) {
      this.broken = { partnershipId: row.partnershipId, sequence: row.sequence, field: 'hash', expected, found: row.hash };
      return false;
    }
    this.previous = row.hash;
    return true;
  }
}

/** Orders two sequences (decimal text of a bigint) as numbers. */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Pure: the report over rows sorted by partnership, then sequence (`entries`: all rows given). */
export function checkChain(rows: ChainRow[], anchors?: ReadonlyMap<string, ChainAnchor>): ChainReport {
  const walker = new ChainWalker(anchors);
  if (walker.feed(rows)) walker.flush();
  return walker.broken ? { intact: false, entries: rows.length, broken: walker.broken } : { intact: true, entries: rows.length };
}

/** The select list of a chain row of `access_log_entry e`, as `chainRowOf` reads it. */
export const CHAIN_COLUMNS = `e.id, e.partnership_id, e.created_at, e.sequence::text AS sequence, e.user_id, e.membership_id, e.role::text AS role,
  e.action::text AS action, e.outcome::text AS outcome, e.student_id, e.object_type, e.object_id, e.fields,
  e.legal_basis::text AS legal_basis, e.consent_id, e.request_id, e.objects, e.consents, e.previous_hash, e.hash`;

/** Rows read per statement while verifying: memory stays flat however long the chain. */
const VERIFY_BATCH = 10_000;

/**
 * Reads the chain (all partnerships, or one) in batches of `batch` rows along the
 * (partnership, sequence) index and checks it as it goes. `entries` is the number of entries
 * of the chain(s) in the database, broken or not. `anchors`: where each chain continues after
 * its archived months (`readArchive` in ./archive.ts); without them every chain must start at
 * its first entry.
 */
export async function verifyChain(dataSource: DataSource, partnershipId?: string, batch = VERIFY_BATCH, anchors?: ReadonlyMap<string, ChainAnchor>): Promise<ChainReport> {
  const walker = new ChainWalker(anchors);
  let after: { partnershipId: string; sequence: string } | null = null;
  for (;;) {
    const raw: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT ${CHAIN_COLUMNS}
         FROM access_log_entry e
        WHERE ($1::uuid IS NULL OR e.partnership_id = $1::uuid)
          AND ($2::uuid IS NULL OR (e.partnership_id, e.sequence) > ($2::uuid, $3::bigint))
        ORDER BY e.partnership_id, e.sequence
        LIMIT $4`, // e.sequence: the bigint column, not the text alias
      [partnershipId ?? null, after?.partnershipId ?? null, after?.sequence ?? null, batch],
    );
    const rows = raw.map(chainRowOf);
    if (!walker.feed(rows) || (rows.length < batch && !walker.flush())) {
      const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM access_log_entry WHERE $1::uuid IS NULL OR partnership_id = $1::uuid', [partnershipId ?? null]);
      return { intact: false, entries: n, broken: walker.broken! };
    }
    if (rows.length < batch) return { intact: true, entries: walker.entries };
    const last = rows[rows.length - 1];
    after = { partnershipId: last.partnershipId, sequence: last.sequence };
  }
}

export function chainRowOf(r: Record<string, unknown>): ChainRow {
  return {
    id: r.id as string,
    partnershipId: r.partnership_id as string,
    createdAt: r.created_at as Date,
    sequence: r.sequence as string,
    userId: r.user_id as string,
    membershipId: r.membership_id as string | null,
    role: r.role as string | null,
    action: r.action as string,
    outcome: r.outcome as string,
    studentId: r.student_id as string | null,
    objectType: r.object_type as string,
    objectId: r.object_id as string | null,
    fields: r.fields as string[],
    legalBasis: r.legal_basis as string | null,
    consentId: r.consent_id as string | null,
    requestId: r.request_id as string,
    objects: (r.objects ?? null) as string[] | null,
    consents: (r.consents ?? null) as string[] | null,
    previousHash: r.previous_hash as string | null,
    hash: r.hash as string,
  };
}
