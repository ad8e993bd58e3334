/**
 * Part of `npm run check`: fails when the committed migrations do not produce the schema
 * the entities describe, or when `migrations/index.ts` does not list every migration file.
 * The failure message names the command that fixes it.
 */
import 'reflect-metadata';
import { ENTITIES } from '../app/entities';
import { runCli } from '../cli';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { MIGRATIONS_DIR, pendingSchemaChangeOfConfiguredServer, writeIndex } from './migration-tool';

async function main(): Promise<number> {
  const indexFile = path.join(MIGRATIONS_DIR, 'index.ts');
  const before = fs.readFileSync(indexFile, 'utf8');
  writeIndex();
  const after = fs.readFileSync(indexFile, 'utf8');
  if (before !== after) {
    fs.writeFileSync(indexFile, before);
    console.error('migrations/index.ts does not list every migration file: run `npm run migration:generate -- <Name>` (it rewrites the index).');
    return 1;
  }
  const change = await pendingSchemaChangeOfConfiguredServer(loadConfig(), ENTITIES);
  if (change.up.length > 0) {
    console.error(`The migrations are out of date with the entities (${change.up.length} statements missing, first: ${change.up[0].slice(0, 120)}).`);
    console.error('Fix: npm run migration:generate -- <PascalCaseName>');
    return 1;
  }
  console.log('Migrations match the entities.');
  return 0;
}

runCli('Checking the migrations', main);
