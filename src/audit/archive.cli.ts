/**
 * `npm run audit:archive -- YYYY-MM`: archives every month of the access log before the given
 * one (./archive.ts): verifies the chain, writes each month to `AUDIT_ARCHIVE_DIR` with a
 * signed manifest of where each chain continues, then detaches and drops the months'
 * partitions. Refuses, changing nothing, for months within `AUDIT_ARCHIVE_AFTER_MONTHS`, a
 * broken chain, or entries of those months in the DEFAULT partition.
 */
import 'reflect-metadata';
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { withDatabase } from '../app/database';
import { archiveMonths } from './archive';

runCli('Archiving the access log', () => {
  const before = process.argv[2];
  if (!before) {
    console.error('usage: npm run audit:archive -- YYYY-MM   (archives every month before it)');
    return Promise.resolve(2);
  }
  const config = loadConfig();
  return withDatabase(config, async (owner) => {
    const settings = { dir: config.auditArchive.dir, afterMonths: config.auditArchive.afterMonths, key: config.auditCheckpoints.key };
    const result = await archiveMonths(owner, settings, before, new Date());
    console.log(result.months.length
      ? `archived ${result.months.join(', ')}: ${result.entries} entries; manifest ${result.manifest}`
      : `nothing to archive before ${before}`);
    return 0;
  });
});
