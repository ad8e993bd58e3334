/**
 * Traces (src/observability/tracing.ts), with the SDK's in-memory exporter in place of OTLP: a
 * request makes a server span, its root field a child span, and each SQL statement a span
 * below them, all of one trace (the caller's, when it sends `traceparent`). The SDK is loaded
 * only when tracing starts (test/observability/tracing-off.test.ts shows the other side).
 */
import { randomUUID } from 'node:crypto';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/observability/tracing';
import { useAppWithWorld } from '../setup/app-with-world';

const mockLoaded: string[] = [];
jest.mock('@opentelemetry/sdk-trace-node', () => {
  mockLoaded.push('@opentelemetry/sdk-trace-node');
  return jest.requireActual('@opentelemetry/sdk-trace-node');
});

const exporter = new InMemorySpanExporter();
let tracing: { shutdown(): Promise<void> } | null = null;

// Before the app and its data sources exist, as src/main.ts does: a data source created while
// tracing is off has no per-statement hook (src/db/data-source.ts).
beforeAll(() => {
  expect(mockLoaded).toEqual([]);
  tracing = startTracing({ serviceName: 'toptrajecten-test', exporter });
  expect(mockLoaded).toEqual(['@opentelemetry/sdk-trace-node']);
});
const { app, world } = useAppWithWorld();
afterAll(() => tracing?.shutdown());

const children = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

test('a request: its server span, the root field below it, and the SQL statements below those, of one trace', async () => {
  exporter.reset();
  const operation = `TraceProbe${randomUUID().slice(0, 8)}`;
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(world.users.schoolA1.email)}` },
    body: JSON.stringify({ query: `query ${operation} { students(first: 3) { totalCount edges { node { id } } } }` }),
  });
  expect(response.status).toBe(200);
  const statements = Number(response.headers.get('x-sql-statements'));
  await response.json();
  await new Promise((resolve) => setTimeout(resolve, 50));

  const spans = exporter.getFinishedSpans();
  const requests = spans.filter((s) => s.name === `query ${operation}`);
  expect(requests).toHaveLength(1);
  const [request] = requests;
  expect(request.parentSpanContext).toBeUndefined();
  expect(request.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': operation, 'http.response.status_code': 200, 'toptrajecten.outcome': 'OK', 'toptrajecten.sql_statements': statements });
  const trace = spans.filter((s) => s.spanContext().traceId === request.spanContext().traceId);
  const field = trace.find((s) => s.name === 'Query.students')!;
  expect(field.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  // Every statement of the request is a span of its trace: the authentication's, the field's, the log's and the commit.
  const sql = trace.filter((s) => s.attributes['db.system.name'] === 'postgresql');
  expect(sql).toHaveLength(statements);
  expect(children(trace, field).filter((s) => s.attributes['db.system.name'] === 'postgresql').length).toBeGreaterThan(0);
  // The request's transaction starts bound in one text, and its access-log entries are sent with its COMMIT in another.
  expect(sql.map((s) => s.name)).toEqual(expect.arrayContaining(['SELECT', 'START', 'SELECT; COMMIT']));
  const last = sql.find((s) => s.name === 'SELECT; COMMIT')!;
  expect(String(last.attributes['db.query.text'])).toMatch(/^SELECT access_log_append\([\s\S]*;\s*COMMIT$/);
  // The statement's text, never its parameters.
  for (const span of sql) expect(Object.keys(span.attributes).sort()).toEqual(['db.operation.name', 'db.query.text', 'db.system.name']);
});

test('a caller\'s traceparent is continued', async () => {
  exporter.reset();
  const traceId = randomUUID().replace(/-/g, '');
  const parent = traceId.slice(0, 16);
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(world.users.schoolA1.email)}`, traceparent: `00-${traceId}-${parent}-01` },
    body: JSON.stringify({ query: 'query Continued { me { id } }' }),
  });
  await response.json();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const request = exporter.getFinishedSpans().find((s) => s.name === 'query Continued')!;
  expect(request.spanContext().traceId).toBe(traceId);
  expect(request.parentSpanContext?.spanId).toBe(parent);
});
