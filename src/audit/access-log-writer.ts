/**
 * The access log's one writer: all entries of one request (or one retention run) of one
 * partnership, in one statement. Each entry travels once, as its canonical text (./chain.ts):
 * the database function `access_log_append` chains each entry's hash to the partnership's
 * previous one and inserts the rows, in order, read back out of those texts.
 *
 * A request's entries are written with its COMMIT, in one round trip (`appendAtCommit`): the
 * append, as a statement of literals, is sent in one text with the COMMIT
 * (src/graphql/unit-of-work.ts `commitWith`). PostgreSQL runs the two in order; when the append
 * fails, the COMMIT is never run and the whole request rolls back, as when it failed on its own.
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

/**
 * A string as an SQL literal, as libpq's and pg's `escapeLiteral` write it: quotes doubled, and
 * where there is a backslash, backslashes doubled in an E'' literal. Two replacements instead of
 * pg's character-by-character concatenation: a page's canonical texts run to several kilobytes.
 */
export function sqlLiteral(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** The same append as one self-contained statement: literals, no parameters. */
export function appendStatement(partnershipId: string, rows: AccessLogRow[]): string {
  return `SELECT access_log_append(${sqlLiteral(partnershipId)}::uuid, ARRAY[${rows.map((r) => sqlLiteral(canonical(r))).join(', ')}]::text[])`;
}

/** The request's unit of work, as far as the writer needs it. */
export interface CommittingUnit {
  /** Sends `statement` with the request's COMMIT, in one text; `written` is called once both ran (with the seconds they took). */
  commitWith(statement: string, written: (seconds: number) => void): void;
}

/**
 * Writes a request's entries with its COMMIT (one round trip less), through its unit of work; an
 * append without one (a tool, a test) is written at once.
 */
export async function appendAtCommit(unit: CommittingUnit | undefined, dataSource: DataSource, partnershipId: string, rows: AccessLogRow[], evenIfEmpty = false): Promise<void> {
  if (rows.length === 0 && !evenIfEmpty) return;
  if (!unit) return appendAccessLog(dataSource, partnershipId, rows, evenIfEmpty);
  unit.commitWith(appendStatement(partnershipId, rows), (seconds) => observeAccessLogWrite(seconds, rows.length));
}
