/**
 * The read-path benchmark (./read-path.ts) at a tiny scale, as part of the suite: the data set
 * builds, every operation of every role answers right under load through the API and, where it
 * has one, through the single-SQL baseline and PostGraphile (with the same rows as the API), and
 * the report has a row for each; two API servers on the one database answer alike and never
 * over-fill a team. Nothing here depends on timing: the numbers are only required to exist.
 * The API's request log stays out of the test's output (warnings and errors only, inline).
 */
import { createDataSource } from '../../src/app/database';
import { loadConfig } from '../../src/config';
import { ownDatabase } from '../setup/app';
import { checkSameRows, operationsFor, runBench } from './read-path';

test('the benchmark runs at a tiny scale: every operation answers right and is reported', async () => {
  const db = await ownDatabase();
  const owner = createDataSource({ url: db.url, poolSize: 2 });
  await owner.initialize();
  try {
    const result = await runBench({
      scale: 'tiny', mode: 'inline', seconds: 0.3, connections: 3, owner, urls: { api: db.apiUrl, owner: db.url },
      config: loadConfig({ NODE_ENV: 'test' }),
      // Each API server of the run gets a pool of its own, which it closes when it stops.
      apiDataSource: () => createDataSource({ url: db.apiUrl, poolSize: 5 }).initialize(),
    });
    const labels = result.rows.map((r) => r.operation);
    expect(labels).toEqual(expect.arrayContaining([
      'nested caseload list (programme coordinator)', 'nested caseload list (school coordinator)', 'student list (school coordinator)',
      'team caseload (team member)', 'trajectory with its records (team member)', 'team loads (programme coordinator)',
      'consents (privacy officer)', 'access log page (privacy officer)', 'dashboard (partnership analyst)', 'add a note, a case-work act (team member)',
    ]));
    for (const row of result.rows) {
      expect({ operation: row.operation, answered: row.api.requests > 0, statements: row.api.statements > 0 }).toEqual({ operation: row.operation, answered: true, statements: true });
    }
    // The baseline answers for the operations that have one, and the ratios are computed.
    expect(result.rows.filter((r) => r.baseline && r.baseline.requests > 0 && r.p50Ratio! > 0).map((r) => r.operation)).toEqual([
      'nested caseload list (programme coordinator)', 'nested caseload list (school coordinator)', 'student list (school coordinator)', 'trajectory with its records (team member)',
    ]);
    // The floor (the same statement with identity, bound transaction and the API's access-log
    // append, ./single-sql-server.js) answers too, and is compared with PostGraphile; its appends
    // join the partnership's chain, which still verifies below (twoProcesses).
    expect(result.rows.filter((r) => r.floor && r.floor.requests > 0 && r.floorPostgraphileRatio! > 0).map((r) => r.operation)).toEqual([
      'nested caseload list (programme coordinator)', 'nested caseload list (school coordinator)', 'student list (school coordinator)', 'trajectory with its records (team member)',
    ]);
    // PostGraphile answers the same rows as the API (the runner checks that once, before
    // measuring) for the operations with an equivalent query there, and is measured next to it.
    expect(result.rows.filter((r) => r.postgraphile && r.postgraphile.requests > 0 && r.postgraphile.statements > 0 && r.postgraphileRpsRatio! > 0).map((r) => r.operation)).toEqual([
      'nested caseload list (programme coordinator)', 'nested caseload list (school coordinator)', 'student list (school coordinator)', 'trajectory with its records (team member)',
    ]);
    expect(result.markdown).toContain('API req/s / PostGraphile req/s');
    // That check fails on another total or another page, and on the same ids in another order.
    const [{ id: partnershipId }] = await owner.query('SELECT id FROM partnership');
    const nested = (await operationsFor(owner, partnershipId)).find((o) => o.label === 'nested caseload list (programme coordinator)')!;
    const api = { trajectories: { totalCount: 3, edges: [{ node: { id: 'a' } }, { node: { id: 'b' } }] } };
    const theirs = (totalCount: number, ids: string[]) => ({ allTrajectories: { totalCount, edges: ids.map((rowId) => ({ node: { rowId } })) } });
    expect(() => checkSameRows(nested, api, theirs(3, ['a', 'b']))).not.toThrow();
    for (const other of [theirs(4, ['a', 'b']), theirs(3, ['a']), theirs(3, ['a', 'c']), theirs(3, ['b', 'a'])]) {
      expect(() => checkSameRows(nested, api, other)).toThrow('PostGraphile answers other rows than the API');
    }
    expect(result.chain.entries).toBeGreaterThanOrEqual(2_000);
    for (const label of labels) expect(result.markdown).toContain(label);
    // Two servers on one database: the same answers, and more assignments through both at once
    // than a team has room for fill it exactly, never past it; the log stays one chain.
    expect(result.twoProcesses.sameAnswers).toBeGreaterThanOrEqual(8);
    const a = result.twoProcesses.assignments;
    expect(a.sent).toBeGreaterThan(a.room);
    expect({ succeeded: a.succeeded, conflicts: a.conflicts, loadAfter: a.loadAfter }).toEqual({ succeeded: a.room, conflicts: a.sent - a.room, loadAfter: a.loadBefore + a.room });
    expect(a.loadAfter).toBeLessThanOrEqual(a.capacity);
    expect(a.capacity - a.loadAfter).toBeLessThan(1); // full: not even one more new case fits
    expect(result.twoProcesses.chain.intact).toBe(true);
  } finally {
    await owner.destroy();
    await db.drop();
  }
}, 180_000);
