/** `npm run migration:run`: applies pending migrations to DATABASE_URL or the embedded database. */
import 'reflect-metadata';
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { withDatabase } from '../app/database';

runCli('Migrating', () =>
  withDatabase(loadConfig(), async (dataSource) => {
    const applied = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    console.log(`Migrations applied: ${applied.map((r: { name: string }) => r.name).join(', ') || 'none'}`);
  }),
);
