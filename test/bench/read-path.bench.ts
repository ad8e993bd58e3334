/**
 * `npm run bench`: the read-path benchmark (./read-path.ts) at Amsterdam and national scale.
 * BENCH_SCALE=amsterdam stops after Amsterdam; BENCH_SECONDS (default 8) is the measuring time
 * per operation and server. Writes .data/bench/read-path.json and read-path.md and prints the
 * table. Asserts only that every measured operation answered right (the runner checks each answer).
 */
import path from 'node:path';
import { createDataSource } from '../../src/app/database';
import { loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';
import { ownDatabase } from '../setup/app';
import type { Scale } from './dataset';
import { progressBar, runBench } from './read-path';

test('read path: every role\'s operations against the single-SQL baseline, at Amsterdam and national scale', async () => {
  const scale = (process.env.BENCH_SCALE ?? 'national') as Scale;
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const db = await ownDatabase();
  const owner = createDataSource({ url: db.url, poolSize: 2 });
  await owner.initialize();
  try {
    const result = await runBench({
      scale, mode: 'process', seconds, connections: 10, owner, urls: { api: db.apiUrl, owner: db.url },
      config: loadConfig({ NODE_ENV: 'development' }),
      apiDataSource: async () => { throw new Error('process mode'); },
      progress: progressBar(), outDir: path.join(PROJECT_ROOT, '.data', 'bench'),
    });
    process.stdout.write(`\n${result.markdown}\n`);
    expect(result.rows.length).toBeGreaterThan(0);
  } finally {
    await owner.destroy();
    await db.drop();
  }
});
