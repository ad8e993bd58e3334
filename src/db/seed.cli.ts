/**
 * `npm run seed`: loads the demo data (API.md "Demo data") into DATABASE_URL or the embedded
 * database, applying pending migrations first. Running it again inserts nothing.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from './data-source';
import { resolveDatabase } from './database-url';
import { SEED_TABLES, seedDemoData } from './seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await resolveDatabase(config);
  try {
    const dataSource = await openDatabase({ url: db.url, logSql: config.logSql });
    try {
      const summary = await seedDemoData(dataSource, config);
      const total = SEED_TABLES.reduce((sum, table) => sum + summary[table], 0);
      const counts = SEED_TABLES.filter((table) => summary[table] > 0).map((table) => `${table} ${summary[table]}`);
      console.log(total === 0 ? 'Demo data already present: 0 rows inserted.' : `Demo data loaded: ${total} rows inserted (${counts.join(', ')}).`);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await db.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : `Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
