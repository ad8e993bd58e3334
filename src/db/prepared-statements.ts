/**
 * Named prepared statements for the long statements the API runs again and again.
 *
 * PostgreSQL plans an unnamed statement afresh every time it runs. The compiled read path's
 * statements are long (a page with its count and every relation below it, each with the
 * caller's read conditions: a team member's reach a case through its student's consent), and
 * planning one costs more than running it (0.5 ms for the coordinator's list, about 3 ms for a
 * team member's case with its records, against 0.9 ms of execution). The same text comes back
 * for every request of the same query by the same kind of caller, so each connection of the pool
 * names such a statement once (`pg`'s `name`: parsed once per connection) and PostgreSQL keeps its
 * plan: after five runs it uses one generic plan when that is no worse than planning for the
 * values. Nothing else changes: TypeORM still runs, logs and counts every statement, the values
 * are still parameters, and row-level security still reads the tenant at execution time.
 *
 * Bounded: a connection names at most `perConnection` different texts (the first that come;
 * later ones run unnamed as ever), so no text the clients can vary grows a backend's memory
 * without end. Only statements with parameters and at least `MIN_LENGTH` characters are named:
 * short ones plan in microseconds. A connection pooler in transaction mode (PgBouncer) does not
 * carry named statements between connections: set `DATABASE_PREPARED_STATEMENTS=0` behind one.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Shorter statements are not named: planning them is cheap. */
const MIN_LENGTH = 1_000;

interface PgClient {
  query(...args: unknown[]): unknown;
}

const prepared = new WeakMap<PgClient, Set<string>>();

/** Makes every connection of `dataSource`'s pool name its long statements, up to `perConnection` each. */
export function usePreparedStatements(dataSource: DataSource, perConnection: number): void {
  if (perConnection <= 0) return;
  const pool = (dataSource.driver as unknown as { master?: { on(event: 'acquire', listener: (client: PgClient) => void): void } }).master;
  if (!pool) throw new Error('usePreparedStatements: the data source is not initialized');
  pool.on('acquire', (client) => {
    if (prepared.has(client)) return;
    const names = new Set<string>();
    prepared.set(client, names);
    const query = client.query.bind(client);
    client.query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || text.length < MIN_LENGTH) return query(text, values, ...rest);
      const name = `tt_${createHash('sha1').update(text).digest('base64url')}`;
      if (!names.has(name)) {
        if (names.size >= perConnection) return query(text, values, ...rest);
        names.add(name);
      }
      return query({ name, text, values }, ...rest);
    };
  });
}
