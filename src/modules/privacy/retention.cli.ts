/**
 * `npm run retention [-- --dry-run] [--partnership <code>] [--as-of YYYY-MM-DD]`: runs
 * retention (./retention/) in one partnership, or in every partnership without
 * `--partnership`. The actor recorded on the events and access-log entries is the
 * partnership's privacy officer (the earliest PRIVACY_OFFICER membership); a partnership
 * without one is skipped with a message, since nobody could answer for the run.
 * `--as-of` defaults to today (Europe/Amsterdam) and may not lie in the future.
 */
import 'reflect-metadata';
import { runCli } from '../../cli';
import { loadConfig } from '../../config';
import { withDatabase } from '../../app/database';
import { amsterdamDate, systemClock } from '../../domain/clock';
// './retention/index', not './retention': a dist/ built before the split keeps retention.js, which Node would load first.
import { appendRetentionLog, runRetention } from './retention/index';

interface Options {
  dryRun: boolean;
  partnership: string | undefined;
  asOf: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { dryRun: false, partnership: undefined, asOf: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--partnership' && argv[i + 1]) options.partnership = argv[++i];
    else if (arg === '--as-of' && /^\d{4}-\d{2}-\d{2}$/.test(argv[i + 1] ?? '')) options.asOf = argv[++i];
    else throw new Error(`Unknown or incomplete argument "${arg}". Usage: npm run retention [-- --dry-run] [--partnership <code>] [--as-of YYYY-MM-DD]`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const now = systemClock.now();
  const asOf = options.asOf ?? amsterdamDate(now);
  if (asOf > amsterdamDate(now)) throw new Error(`--as-of ${asOf} lies in the future.`);
  await withDatabase(config, async (dataSource) => {
    const partnerships: Array<{ id: string; code: string; officer_id: string | null; membership_id: string | null }> = await dataSource.query(
      `SELECT p.id, p.code, m.user_id AS officer_id, m.id AS membership_id
         FROM partnership p
         LEFT JOIN LATERAL (SELECT user_id, id FROM membership WHERE partnership_id = p.id AND role = 'PRIVACY_OFFICER' ORDER BY created_at, id LIMIT 1) m ON true
        WHERE $1::text IS NULL OR p.code = $1
        ORDER BY p.code`,
      [options.partnership ?? null],
    );
    if (options.partnership && partnerships.length === 0) throw new Error(`No partnership with code "${options.partnership}".`);
    for (const p of partnerships) {
      if (!p.officer_id) {
        console.log(`${p.code}: skipped, no privacy officer to answer for the run.`);
        continue;
      }
      const run = { partnershipId: p.id, asOf, dryRun: options.dryRun, actorUserId: p.officer_id, membershipId: p.membership_id, terms: config.retention, norms: config.phaseNorms, now };
      const report = await runRetention(dataSource, run);
      if (!report.dryRun) await appendRetentionLog(dataSource, run, report.actions);
      console.log(`${p.code}: ${report.dryRun ? 'would treat' : 'treated'} ${report.actions.length} record(s) as of ${asOf}.`);
      for (const a of report.actions) {
        const erased = Object.entries(a.erased).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ');
        console.log(`  ${a.kind} ${a.recordId} (${a.retentionClass}, term ended ${a.termEndedOn})${erased ? `: erased ${erased}` : ''}`);
      }
    }
  });
}

runCli('Retention', main);
