/** `npm run migration:run`: applies pending migrations to DATABASE_URL or the embedded database. */
import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from './data-source';
import { resolveDatabase } from './database-url';

async function main(): Promise<void> {
  const db = await resolveDatabase(loadConfig());
  try {
    const dataSource = await openDatabase({ url: db.url });
    const applied = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    console.log(`Migrations applied: ${applied.map((r: { name: string }) => r.name).join(', ') || 'none'}`);
    await dataSource.destroy();
  } finally {
    await db.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
