/**
 * Bootstrap only: configuration, database (embedded unless DATABASE_URL), migrations,
 * demo data on first start, server. Stops cleanly on SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/data-source';
import { resolveDatabase } from './db/database-url';
import { seedDemoData, isDatabaseEmpty } from './db/seed';
import { startServer } from './graphql/server';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const db = await resolveDatabase(config, (m) => config.logSql && process.stdout.write(`[postgres] ${m}`));
  const dataSource = await openDatabase({ url: db.url, logSql: config.logSql, ...config.database });
  if (config.seedDemoData && (await isDatabaseEmpty(dataSource))) {
    await seedDemoData(dataSource, config);
    console.log('Loaded the demo data (first start on an empty database).');
  }
  const server = await startServer({ config, dataSource });
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
