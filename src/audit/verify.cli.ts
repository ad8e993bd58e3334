/**
 * `npm run audit:verify`: walks each partnership's access-log chain in sequence order and
 * recomputes every hash, then checks that each chain still reaches its latest signed checkpoint
 * (./checkpoints.ts). Prints "chain intact: N entries; …" (exit 0), or the first broken link
 * (partnership, sequence, expected vs found) or the cut-off tail (exit 1).
 */
import 'reflect-metadata';
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { withDatabase } from '../app/database';
import { readArchive } from './archive';
import { verifyChain } from './chain';
import { verifyCheckpoints } from './checkpoints';

runCli('Verifying the access log', () => {
  const config = loadConfig();
  return withDatabase(config, async (dataSource) => {
    // Months archived by `npm run audit:archive`: each chain is verified from where its archive ends.
    const archive = readArchive({ dir: config.auditArchive.dir, key: config.auditCheckpoints.key });
    const report = await verifyChain(dataSource, undefined, undefined, archive.anchors);
    if (!report.intact) {
      const b = report.broken;
      console.error(`chain broken: partnership ${b.partnershipId}, sequence ${b.sequence}: ${b.field} expected ${b.expected ?? 'null'}, found ${b.found ?? 'null'}`);
      return 1;
    }
    // The chain is whole in itself; the signed checkpoints show whether its end was cut off.
    const { checked, findings } = await verifyCheckpoints(dataSource, config.auditCheckpoints, undefined, archive.heads);
    for (const f of findings) console.error(`checkpoint: ${f.partnershipId ? `partnership ${f.partnershipId}: ` : ''}${f.problem}`);
    if (findings.length) return 1;
    const archived = archive.manifest ? `, after ${archive.manifest.months.length} archived month(s) in ${config.auditArchive.dir}` : '';
    console.log(`chain intact: ${report.entries} entries${archived}; ${checked ? `reaches the signed heads of ${checked} partnership(s) in ${config.auditCheckpoints.file}` : `no checkpoints in ${config.auditCheckpoints.file} yet`}`);
    return 0;
  });
});
