/**
 * Bootstrap only: configuration, database (embedded unless DATABASE_URL), migrations,
 * demo data on first start, server. Stops cleanly on SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createDataSource, openDatabase } from './app/database';
import { resolveDatabase } from './db/database-url';
import { seedDemoData, isDatabaseEmpty } from './demo/seed';
import { startServer } from './graphql/server';
import { writeCheckpoints } from './audit/checkpoints';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const db = await resolveDatabase(config, (m) => config.logSql && process.stdout.write(`[postgres] ${m}`));
  // The schema's owner (every partnership) migrates, grants the API role, loads the demo data
  // and writes the checkpoints; the API itself connects as its own role (src/db/tenancy.ts).
  const owner = await openDatabase({ url: db.ownerUrl, apiUrl: db.url, logSql: config.logSql, poolSize: 2 });
  if (config.seedDemoData && (await isDatabaseEmpty(owner))) {
    await seedDemoData(owner, config);
    console.log('Loaded the demo data (first start on an empty database).');
  }
  const dataSource = createDataSource({ url: db.url, logSql: config.logSql, ...config.database });
  await dataSource.initialize();
  const server = await startServer({ config, dataSource });
  // The chain heads, signed, outside the database (src/audit/checkpoints.ts).
  const written = new Map<string, string>();
  const checkpoint = () => writeCheckpoints(owner, config.auditCheckpoints, new Date(), written).catch((error) => console.error('audit checkpoint failed:', error));
  const checkpoints = config.auditCheckpoints.intervalSeconds ? setInterval(checkpoint, config.auditCheckpoints.intervalSeconds * 1000) : undefined;
  checkpoints?.unref();
  console.log(`Toptrajecten API ready at ${server.url} (${db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}, ${Date.now() - startedAt} ms)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    // Not ready from now on (a load balancer stops sending), in-flight requests finish, then
    // the pool closes and the embedded database stops.
    server.drain();
    await server.stop().catch(() => undefined);
    clearInterval(checkpoints);
    if (config.auditCheckpoints.intervalSeconds) await checkpoint();
    await dataSource.destroy().catch(() => undefined);
    await owner.destroy().catch(() => undefined);
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
