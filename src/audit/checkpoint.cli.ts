/**
 * `npm run audit:checkpoint`: appends a signed checkpoint of every partnership's chain head
 * that moved (./checkpoints.ts) to AUDIT_CHECKPOINT_FILE now, for an operator's cron when the
 * server's own interval is off (AUDIT_CHECKPOINT_SECONDS=0).
 */
import 'reflect-metadata';
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { withDatabase } from '../app/database';
import { readCheckpoints, writeCheckpoints } from './checkpoints';

runCli('Writing access-log checkpoints', () => {
  const config = loadConfig();
  return withDatabase(config, async (dataSource) => {
    const known = new Map([...readCheckpoints(config.auditCheckpoints).latest].map(([partnership, c]) => [partnership, c.sequence]));
    const written = await writeCheckpoints(dataSource, config.auditCheckpoints, new Date(), known);
    console.log(`wrote ${written} checkpoint(s) to ${config.auditCheckpoints.file}`);
    return 0;
  });
});
