/** `npm run schema`: writes the sorted SDL to schema/schema.graphql. */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths';
import { printSortedSchema } from './schema';

const target = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, printSortedSchema());
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
