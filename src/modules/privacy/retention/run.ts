/**
 * The retention run in one partnership: the plan (./plan.ts), then each due dossier (one
 * trajectory, one consultation, or one student) in its own transaction (from
 * `npm run retention`; through the `runRetention` mutation, a savepoint of the request's one
 * transaction, which commits with the run's access-log entries), by its applier, in the plan's
 * order: trajectories, then consultations, then students, so a consultation or student can
 * follow the records it waits for in the same run. A dry run reads the same candidates and
 * returns the same actions without writing anything. Logging what was done is the caller's
 * (./log.ts).
 */
import { DataSource, EntityManager } from 'typeorm';
import { RetentionAction, RetentionActionKind, RetentionReport, RetentionRunOptions } from './actions';
import { applyToConsultation } from './anonymise-consultation';
import { planRetention } from './plan';
import { applyToStudent } from './pseudonymise-student';
import { applyToTrajectory } from './pseudonymise-trajectory';

/** The applier of each kind of action; also erasure on request's (./erasure.ts). */
export const APPLY: Record<RetentionActionKind, (tx: EntityManager, action: RetentionAction, options: RetentionRunOptions) => Promise<boolean>> = {
  [RetentionActionKind.PSEUDONYMISE_TRAJECTORY]: applyToTrajectory,
  [RetentionActionKind.ANONYMISE_CONSULTATION]: applyToConsultation,
  [RetentionActionKind.PSEUDONYMISE_STUDENT]: applyToStudent,
};

/**
 * Runs retention in one partnership (see the header). Returns what was done (or, in a dry
 * run, what would be done). Trajectories go first, then consultations, then students, so a
 * consultation or student whose last dossier is treated in this run can follow in the same run.
 */
export async function runRetention(dataSource: DataSource, options: RetentionRunOptions): Promise<RetentionReport> {
  const planned = await planRetention(dataSource, options);
  if (options.dryRun) return { asOf: options.asOf, dryRun: true, actions: planned };
  const done: RetentionAction[] = [];
  for (const action of planned) {
    const applied = await dataSource.transaction((tx) => APPLY[action.kind](tx, action, options));
    if (applied) done.push(action);
  }
  return { asOf: options.asOf, dryRun: false, actions: done };
}
