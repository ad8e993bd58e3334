/**
 * The process's metrics in Prometheus's text format (prom-client), served at `/metrics`
 * (src/graphql/server.ts decides where: METRICS_PORT). One registry per process; every series
 * is defined here, and the code that observes calls the functions below.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

const PREFIX = 'toptrajecten_';

/** Request duration per operation (its name), operation type and outcome (OK or the first error code). */
const requestDuration = new Histogram({
  name: `${PREFIX}graphql_request_duration_seconds`,
  help: 'Duration of GraphQL requests, from arrival to the last byte of the answer, by operation name, type and outcome (OK or the first error code).',
  labelNames: ['operation', 'type', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
  registers: [registry],
});

const requestStatements = new Histogram({
  name: `${PREFIX}graphql_request_sql_statements`,
  help: 'SQL statements one GraphQL request issued (authentication, actor, access log and commit included), by operation type.',
  labelNames: ['type'] as const,
  buckets: [1, 2, 4, 6, 8, 10, 15, 20, 30, 50, 100, 200],
  registers: [registry],
});

const accessLogWrite = new Histogram({
  name: `${PREFIX}access_log_write_seconds`,
  help: 'Time of one access-log write (one statement for all entries of a request or retention run).',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

const accessLogRows = new Counter({
  name: `${PREFIX}access_log_rows_total`,
  help: 'Access-log entries written.',
  registers: [registry],
});

const rateLimitRefusals = new Counter({
  name: `${PREFIX}rate_limit_refusals_total`,
  help: 'Requests refused with 429 RATE_LIMITED, by the bucket that was empty (address or user).',
  labelNames: ['limit'] as const,
  registers: [registry],
});

/** The pools the gauges below read when scraped, by name. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  max: number;
}
const pools = new Map<string, () => PoolStats | undefined>();

function poolGauge(suffix: string, help: string, read: (stats: PoolStats) => number): Gauge<'pool'> {
  return new Gauge({
    name: `${PREFIX}db_pool_${suffix}`,
    help,
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, stats] of pools) {
        const current = stats();
        if (current) this.set({ pool }, read(current));
      }
    },
  });
}
poolGauge('connections', 'Open connections of the pool (busy and idle).', (s) => s.totalCount);
poolGauge('idle_connections', 'Idle connections of the pool.', (s) => s.idleCount);
poolGauge('waiting_requests', 'Requests for a connection waiting because every connection is busy.', (s) => s.waitingCount);
poolGauge('max_connections', 'The pool\'s size (DATABASE_POOL_SIZE for the API\'s pool).', (s) => s.max);

let databaseRestarts: (() => number) | undefined;
new Counter({
  name: `${PREFIX}embedded_postgres_restarts_total`,
  help: 'Restarts of the embedded PostgreSQL after it exited unexpectedly (0 with DATABASE_URL).',
  registers: [registry],
  collect() {
    this.reset();
    this.inc(databaseRestarts?.() ?? 0);
  },
});

let defaults = false;

/** Node's runtime metrics (CPU, memory, event loop, GC), read on scrape; once per process. */
export function enableRuntimeMetrics(): void {
  if (defaults) return;
  defaults = true;
  collectDefaultMetrics({ register: registry });
}

/** One GraphQL request, when its answer has been sent. */
export function observeRequest(labels: { operation: string; type: string; outcome: string }, seconds: number, statements: number): void {
  requestDuration.observe(labels, seconds);
  requestStatements.observe({ type: labels.type }, statements);
}

/** One access-log write of `rows` entries that took `seconds`. */
export function observeAccessLogWrite(seconds: number, rows: number): void {
  accessLogWrite.observe(seconds);
  accessLogRows.inc(rows);
}

export function observeRateLimitRefusal(limit: 'address' | 'user'): void {
  rateLimitRefusals.inc({ limit });
}

/** Reads `stats` into the pool gauges under `name` when scraped, until the returned function is called. */
export function trackPool(name: string, stats: () => PoolStats | undefined): () => void {
  pools.set(name, stats);
  return () => {
    if (pools.get(name) === stats) pools.delete(name);
  };
}

/** The embedded database's restart count (src/db/supervisor.ts through the database handle). */
export function trackDatabaseRestarts(count: () => number): void {
  databaseRestarts = count;
}

/** The text a scrape gets, and its content type. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
