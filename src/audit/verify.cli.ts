/**
 * `npm run audit:verify`: walks each partnership's access-log chain in sequence order and
 * recomputes every hash. Prints "chain intact: N entries" (exit 0) or the first broken link
 * (partnership, sequence, expected vs found; exit 1).
 */
import 'reflect-metadata';
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { withDatabase } from '../db/database-url';
import { verifyChain } from './chain';

runCli('Verifying the access log', () =>
  withDatabase(loadConfig(), async (dataSource) => {
    const report = await verifyChain(dataSource);
    if (report.intact) {
      console.log(`chain intact: ${report.entries} entries`);
      return 0;
    }
    const b = report.broken;
    console.error(`chain broken: partnership ${b.partnershipId}, sequence ${b.sequence}: ${b.field} expected ${b.expected ?? 'null'}, found ${b.found ?? 'null'}`);
    return 1;
  }),
);
