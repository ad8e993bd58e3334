/**
 * The access log's one writer: all entries of one request (or one retention run) of one
 * partnership, in one statement. The database function `access_log_append` chains each entry's
 * hash to the partnership's previous one and inserts them in order (./chain.ts).
 */
import { DataSource } from 'typeorm';
import { AccessLogRow } from './access-recorder';
import { canonical } from './chain';
import { observeAccessLogWrite } from '../observability/metrics';

/** Writes the rows (one partnership) in one statement; the function chains and inserts them. */
export async function appendAccessLog(dataSource: DataSource, partnershipId: string, rows: AccessLogRow[], evenIfEmpty = false): Promise<void> {
  if (rows.length === 0 && !evenIfEmpty) return;
  const json = rows.map((r) => ({
    id: r.id,
    created_at: r.createdAt.toISOString(),
    user_id: r.userId,
    membership_id: r.membershipId,
    role: r.role,
    action: r.action,
    outcome: r.outcome,
    student_id: r.studentId,
    object_type: r.objectType,
    object_id: r.objectId,
    fields: r.fields,
    legal_basis: r.legalBasis,
    consent_id: r.consentId,
    request_id: r.requestId,
  }));
  const started = process.hrtime.bigint();
  await dataSource.query('SELECT access_log_append($1::uuid, $2::jsonb, $3::text[])', [
    partnershipId, JSON.stringify(json), rows.map(canonical),
  ]);
  // Written (it may still roll back with its request): its time and rows for the metrics.
  observeAccessLogWrite(Number(process.hrtime.bigint() - started) / 1e9, rows.length);
}
