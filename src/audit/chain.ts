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
}

export interface ChainRow extends ChainedFields {
  sequence: string;
  previousHash: string | null;
  hash: string;
}

/** The canonical text of an entry: a JSON array in a fixed field order. */
export function canonical(e: ChainedFields): string {
  return JSON.stringify([
    e.id, e.partnershipId, e.createdAt.toISOString(), e.userId, e.membershipId, e.role, e.action, e.outcome,
    e.studentId, e.objectType, e.objectId, e.fields, e.legalBasis, e.consentId, e.requestId,
  ]);
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
 * Pure: walks rows (sorted by partnership, then sequence as a number) and returns the first
 * broken link. A changed field breaks that entry's own hash; a deleted or inserted entry
 * breaks the next entry's link.
 */
export function checkChain(rows: ChainRow[]): ChainReport {
  let partnership: string | null = null;
  let previous: string | null = null;
  for (const row of rows) {
    if (row.partnershipId !== partnership) {
      partnership = row.partnershipId;
      previous = null;
    }
    if (row.previousHash !== previous) {
      return { intact: false, entries: rows.length, broken: { partnershipId: row.partnershipId, sequence: row.sequence, field: 'previousHash', expected: previous, found: row.previousHash } };
    }
    const expected = chainHash(previous, canonical(row));
    if (row.hash !== expected) {
      return { intact: false, entries: rows.length, broken: { partnershipId: row.partnershipId, sequence: row.sequence, field: 'hash', expected, found: row.hash } };
    }
    previous = row.hash;
  }
  return { intact: true, entries: rows.length };
}

/** Reads the chain (all partnerships, or one) in one query and checks it. */
export async function verifyChain(dataSource: DataSource, partnershipId?: string): Promise<ChainReport> {
  const raw: Array<Record<string, unknown>> = await dataSource.query(
    `SELECT e.id, e.partnership_id, e.created_at, e.sequence::text AS sequence, user_id, membership_id, role::text AS role,
            action::text AS action, outcome::text AS outcome, student_id, object_type, object_id, fields,
            legal_basis::text AS legal_basis, consent_id, request_id, previous_hash, hash
       FROM access_log_entry e
      WHERE $1::uuid IS NULL OR e.partnership_id = $1::uuid
      ORDER BY e.partnership_id, e.sequence`, // e.sequence: the bigint column, not the text alias
    [partnershipId ?? null],
  );
  const rows: ChainRow[] = raw.map((r) => ({
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
    previousHash: r.previous_hash as string | null,
    hash: r.hash as string,
  }));
  return checkChain(rows);
}
