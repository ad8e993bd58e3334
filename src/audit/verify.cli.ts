/**
 * `npm run audit:verify`: walks each partnership's access-log chain in sequence order and
 * recomputes every hash. Prints "chain intact: N entries" (exit 0) or the first broken link
 * (partnership, sequence, expected vs found; exit 1).
 */
import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/data-source';
import { resolveDatabase } from '../db/database-url';
import { verifyChain } from './chain';

async function main(): Promise<number> {
  const db = await resolveDatabase(loadConfig());
  try {
    const dataSource = await openDatabase({ url: db.url });
    try {
      const report = await verifyChain(dataSource);
      if (report.intact) {
        console.log(`chain intact: ${report.entries} entries`);
        return 0;
      }
      const b = report.broken;
      console.error(
        `chain broken: partnership ${b.partnershipId}, sequence ${b.sequence}: ${b.field} expected ${b.expected ?? 'null'}, found ${b.found ?? 'null'}`,
      );
      return 1;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
