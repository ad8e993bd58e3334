/**
 * `/metrics` (src/observability/metrics.ts): Prometheus text with the request, SQL, pool, access
 * log, rate limit, embedded database and Node runtime series, and values that follow the
 * requests sent. Outside production on the API's port; on a port of its own with METRICS_PORT.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../setup/app';
import { useAppWithWorld } from '../setup/app-with-world';

const { app, world } = useAppWithWorld();

/** The value of series `name` with exactly `labels` (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = (match[2] ?? '').split(/,(?=[a-zA-Z_]+=")/).filter(Boolean).sort().join(',');
    if (got === wanted) return Number(match[3]);
  }
  return 0;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

test('after a few requests: the request histogram counts each, SQL statements and access-log rows add up, the pools are seen', async () => {
  const url = app.metricsUrl!;
  expect(url).toBe(`${app.baseUrl}/metrics`);
  const before = await scrape(url);
  const operation = `MetricsProbe${randomUUID().slice(0, 8)}`;
  const token = await app.token(world.users.schoolA1.email);
  const requestIds: string[] = [];
  let statements = 0;
  for (let i = 0; i < 3; i++) {
    const requestId = `metrics-${randomUUID()}`;
    requestIds.push(requestId);
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: `query ${operation} { students(first: 5) { edges { node { id givenName } } } }` }),
    });
    expect(response.status).toBe(200);
    statements += Number(response.headers.get('x-sql-statements'));
    await response.json();
  }
  // One refused request of the same operation: its own outcome.
  await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body: JSON.stringify({ query: `query ${operation} { me { id } }` }) });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = await scrape(url);

  const ok = { operation, type: 'query', outcome: 'OK' };
  expect(sample(after, 'toptrajecten_graphql_request_duration_seconds_count', ok)).toBe(3);
  expect(sample(after, 'toptrajecten_graphql_request_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBe(3);
  expect(sample(after, 'toptrajecten_graphql_request_duration_seconds_sum', ok)).toBeGreaterThan(0);
  // Refused before the operation was resolved: no operation, its code.
  expect(sample(after, 'toptrajecten_graphql_request_duration_seconds_count', { operation: '(none)', type: 'none', outcome: 'UNAUTHENTICATED' })
    - sample(before, 'toptrajecten_graphql_request_duration_seconds_count', { operation: '(none)', type: 'none', outcome: 'UNAUTHENTICATED' })).toBe(1);

  const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
  expect(delta('toptrajecten_graphql_request_sql_statements_count', { type: 'query' })).toBe(3);
  expect(delta('toptrajecten_graphql_request_sql_statements_sum', { type: 'query' })).toBe(statements);

  const [{ rows }] = await app.dataSource.query('SELECT count(*)::int AS rows FROM access_log_entry WHERE request_id = ANY($1)', [requestIds]);
  expect(rows).toBeGreaterThan(0);
  expect(delta('toptrajecten_access_log_rows_total')).toBe(rows);
  expect(delta('toptrajecten_access_log_write_seconds_count')).toBe(3);

  expect(sample(after, 'toptrajecten_db_pool_max_connections', { pool: 'api' })).toBe(5);
  expect(sample(after, 'toptrajecten_db_pool_max_connections', { pool: 'identity' })).toBe(2);
  expect(sample(after, 'toptrajecten_db_pool_connections', { pool: 'api' })).toBeGreaterThanOrEqual(1);
  expect(sample(after, 'toptrajecten_db_pool_idle_connections', { pool: 'api' })).toBeLessThanOrEqual(sample(after, 'toptrajecten_db_pool_connections', { pool: 'api' }));
  expect(sample(after, 'toptrajecten_db_pool_waiting_requests', { pool: 'api' })).toBe(0);
  expect(after).toMatch(/^toptrajecten_embedded_postgres_restarts_total 0$/m);
  // Node's runtime.
  expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  expect(sample(after, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
});

describe('with METRICS_PORT and rate limits on', () => {
  let own: TestApp;
  beforeAll(async () => {
    own = await startTestApp({ defaultBudget: true, env: { METRICS_PORT: '0', RATE_LIMIT_USER_BURST: '2', RATE_LIMIT_USER_PER_SECOND: '1' } });
  });
  afterAll(() => own.stop());

  test('metrics are served on their own port only, and count the refusals of the user limit', async () => {
    expect(own.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(own.metricsUrl).not.toContain(`${own.baseUrl}/`);
    expect((await fetch(`${own.baseUrl}/metrics`)).status).toBe(404);
    const before = await scrape(own.metricsUrl!);
    const codes: unknown[] = [];
    for (let i = 0; i < 3; i++) codes.push((await own.gql(world.users.schoolA1.email, '{ me { id } }')).body.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes).toEqual(['OK', 'OK', 'RATE_LIMITED']);
    const after = await scrape(own.metricsUrl!);
    expect(sample(after, 'toptrajecten_rate_limit_refusals_total', { limit: 'user' }) - sample(before, 'toptrajecten_rate_limit_refusals_total', { limit: 'user' })).toBe(1);
  });
});
