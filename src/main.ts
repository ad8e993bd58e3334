/**
 * Bootstrap only: configuration, database (embedded unless DATABASE_URL), migrations,
 * demo data on first start, server. Stops cleanly on SIGINT/SIGTERM; exits with code 1 when
 * the embedded PostgreSQL dies and cannot be restarted.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/data-source';
import { resolveDatabase } from './db/database-url';
import { seedDemoData, isDatabaseEmpty } from './db/seed';
import { startServer } from './graphql/server';
import { writeCheckpoints } from './audit/checkpoints';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const db = await resolveDatabase(config, {
    onLog: (m) => config.logSql && process.stdout.write(`[postgres] ${m}`),
    // Restarts are always logged: an operator should know the database went away.
    onEvent: (m) => console.error(`[postgres] ${m}`),
    // Without its database the API can only answer 503: better to exit and let whatever runs
    // the process (systemd, a container runtime, a developer) see it and act.
    onFatal: (error) => {
      console.error(`Fatal: ${error.message}. Stopping.`);
      process.exit(1);
    },
  });
  const dataSource = await openDatabase({ url: db.url, logSql: config.logSql, ...config.database });
  if (config.seedDemoData && (await isDatabaseEmpty(dataSource))) {
    await seedDemoData(dataSource, config);
    console.log('Loaded the demo data (first start on an empty database).');
  }
  const server = await startServer({ config, dataSource });
  // The chain heads, signed, outside the database (src/audit/checkpoints.ts).
  const written = new Map<string, string>();
  const checkpoint = () => writeCheckpoints(dataSource, config.auditCheckpoints, new Date(), written).catch((error) => console.error('audit checkpoint failed:', error));
  const checkpoints = config.auditCheckpoints.intervalSeconds ? setInterval(checkpoint, config.auditCheckpoints.intervalSeconds * 1000) : undefined;
  checkpoints?.unref();
  console.log(`Toptrajecten API ready at ${server.url} (${db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}, ${Date.now() - startedAt} ms)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    // Not ready from now on (a load balancer stops sending), in-flight requests finish, then
    // the pool closes and the embedded database stops. A signal to the whole process group
    // (a terminal's Ctrl-C, systemd) reaches PostgreSQL too: its exit is no crash to restart.
    db.expectStop();
    server.drain();
    await server.stop().catch(() => undefined);
    clearInterval(checkpoints);
    if (config.auditCheckpoints.intervalSeconds) await checkpoint();
    await dataSource.destroy().catch(() => undefined);
    await db.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
