/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT the spans go over OTLP/HTTP to `<endpoint>/v1/traces`: here a
 * collector stand-in (a plain HTTP server) receives what the exporter sends at shutdown. The
 * exporter loads its HTTP agent with a dynamic import, which a Jest worker cannot run: the
 * sending side is a Node process of its own (as in production). And the observability settings
 * are validated like every other (src/config.ts).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';

/** Starts tracing to `endpoint`, ends one request span, shuts down (sending it); prints whether tracing was on before and after. */
const SENDER = `
const tracing = require('./src/observability/tracing.ts');
const started = tracing.startTracing({ endpoint: process.argv[1], serviceName: 'toptrajecten-otlp-test' });
const on = tracing.tracingOn();
tracing.startRequestSpan({}).end('query Exported', { 'toptrajecten.outcome': 'OK' }, false);
started.shutdown().then(() => console.log(JSON.stringify({ on, after: tracing.tracingOn() })), (e) => { console.error(e); process.exit(1); });
`;

test('spans are exported to the configured endpoint over OTLP/HTTP, as the named service', async () => {
  const received: Array<{ url: string; type: string; body: string }> = [];
  const collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', type: String(req.headers['content-type']), body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
    const child = spawn(process.execPath, ['-r', path.join(PROJECT_ROOT, 'test', 'setup', 'ts-register.js'), '-e', SENDER, endpoint], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: JSON.stringify({ on: true, after: false }) });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ url: '/v1/traces', type: expect.stringMatching(/^application\/(json|x-protobuf)/) });
    expect(received[0].body).toContain('toptrajecten-otlp-test');
    expect(received[0].body).toContain('query Exported');
  } finally {
    collector.close();
  }
});

test('the observability settings: defaults per mode, and a bad value names its variable', () => {
  expect(loadConfig({ NODE_ENV: 'development' }).observability).toEqual({
    logLevel: 'info', logFormat: 'pretty', metricsPort: 'main', metricsHost: '127.0.0.1', otlpEndpoint: undefined, serviceName: 'toptrajecten-api',
  });
  const production = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a', PSEUDONYM_KEY: 'p'.repeat(16), AUDIT_CHECKPOINT_KEY: 'k'.repeat(32) };
  expect(loadConfig(production).observability).toMatchObject({ logFormat: 'json', metricsPort: 9464 });
  expect(loadConfig({ ...production, METRICS_PORT: 'off', HOST: '0.0.0.0', LOG_LEVEL: 'WARN' }).observability).toMatchObject({ metricsPort: 'off', metricsHost: '0.0.0.0', logLevel: 'warn' });
  expect(loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).observability.otlpEndpoint).toBe('http://collector:4318');
  for (const [name, value] of [['LOG_LEVEL', 'loud'], ['LOG_FORMAT', 'xml'], ['METRICS_PORT', '70000'], ['METRICS_PORT', 'public'], ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url']]) {
    expect(() => loadConfig({ NODE_ENV: 'test', [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', [name]: value })).toThrow(new RegExp(`^${name} must`));
  }
});
