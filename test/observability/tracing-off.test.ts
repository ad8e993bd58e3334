/**
 * Tracing is off by default: requests are served without loading any of the OpenTelemetry SDK
 * or exporter (test/observability/tracing.test.ts shows the same check seeing it load), and
 * the data source has no per-statement hook.
 */
import { tracingOn } from '../../src/observability/tracing';
import { useAppWithWorld } from '../setup/app-with-world';

const mockLoaded: string[] = [];
jest.mock('@opentelemetry/sdk-trace-node', () => {
  mockLoaded.push('@opentelemetry/sdk-trace-node');
  return jest.requireActual('@opentelemetry/sdk-trace-node');
});
jest.mock('@opentelemetry/sdk-trace-base', () => {
  mockLoaded.push('@opentelemetry/sdk-trace-base');
  return jest.requireActual('@opentelemetry/sdk-trace-base');
});
jest.mock('@opentelemetry/exporter-trace-otlp-http', () => {
  mockLoaded.push('@opentelemetry/exporter-trace-otlp-http');
  return jest.requireActual('@opentelemetry/exporter-trace-otlp-http');
});

const { app, world } = useAppWithWorld();

test('without OTEL_EXPORTER_OTLP_ENDPOINT: no SDK loaded, no spans, requests answered', async () => {
  expect(app.config.observability.otlpEndpoint).toBeUndefined();
  const response = await app.gql(world.users.schoolA1.email, 'query Untraced { students(first: 2) { totalCount } me { id } }');
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  expect(tracingOn()).toBe(false);
  expect(mockLoaded).toEqual([]);
  // Nor any per-statement hook on the API's data source: TypeORM calls no subscriber per statement.
  expect(app.apiDataSource.subscribers).toEqual([]);
});
