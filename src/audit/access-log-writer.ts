/**
 * The access log's one writer: all entries of one request (or one retention run) of one
 * partnership, in one statement. Each entry travels once, as its canonical text (./chain.ts):
 * the database function `access_log_append` chains each entry's hash to the partnership's
 * previous one and inserts the rows, in order, read back out of those texts.
 */
import { DataSource } from 'typeorm';
import { AccessLogRow } from './access-recorder';
import { canonical } from './chain';
import { observeAccessLogWrite } from '../observability/metrics';

/** Writes the rows (one partnership) in one statement; the function chains and inserts them. */
export async function appendAccessLog(dataSource: DataSource, partnershipId: string, rows: AccessLogRow[], evenIfEmpty = false): Promise<void> {
  if (rows.length === 0 && !evenIfEmpty) return;
  const started = process.hrtime.bigint();
  await dataSource.query('SELECT access_log_append($1::uuid, $2::text[])', [partnershipId, rows.map(canonical)]);
  // Written (it may still roll back with its request): its time and rows for the metrics.
  observeAccessLogWrite(Number(process.hrtime.bigint() - started) / 1e9, rows.length);
}
