/**
 * `npm run seed`: loads the demo data (the README, "Demo data") into DATABASE_URL or the embedded
 * database, applying pending migrations first. Running it again inserts nothing.
 */
import 'reflect-metadata';
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { withDatabase } from '../app/database';
import { SEED_TABLES, seedDemoData } from './seed';

runCli('Seeding', async () => {
  const config = loadConfig();
  await withDatabase(config, async (dataSource) => {
    const summary = await seedDemoData(dataSource, config);
    const total = SEED_TABLES.reduce((sum, table) => sum + summary[table], 0);
    const counts = SEED_TABLES.filter((table) => summary[table] > 0).map((table) => `${table} ${summary[table]}`);
    console.log(total === 0 ? 'Demo data already present: 0 rows inserted.' : `Demo data loaded: ${total} rows inserted (${counts.join(', ')}).`);
  });
});
