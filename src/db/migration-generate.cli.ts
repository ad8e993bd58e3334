/**
 * `npm run migration:generate -- <PascalCaseName>`: writes the migration that brings the
 * committed migrations up to the entities, or says that none is needed.
 */
import 'reflect-metadata';
import { ENTITIES } from '../app/entities';
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { pendingSchemaChangeOfConfiguredServer, writeMigration } from './migration-tool';

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name) {
    console.error('Usage: npm run migration:generate -- <PascalCaseName>');
    return 2;
  }
  const change = await pendingSchemaChangeOfConfiguredServer(loadConfig(), ENTITIES);
  if (change.up.length === 0) {
    console.log('The migrations already match the entities: nothing to generate.');
    return 0;
  }
  console.log(`Wrote ${writeMigration(name, change)} (${change.up.length} statements).`);
  return 0;
}

runCli('Generating a migration', main);
