/**
 * Timeliness (tijdigheid) of a case: the one home of the rule, in TypeScript for a loaded row
 * (`timelinessOf`, the `Trajectory.timeliness` field) and as its SQL twin for the list filter
 * (`timelinessSql`); test/modules/workflow/timeliness.test.ts proves both agree at every boundary.
 *
 * - PAST_LIMIT: the intensive phase is past its hard limit (`phaseLimitOn` < today);
 * - OVERDUE: the current phase is past its due date (`phaseDueOn` < today);
 * - FOLLOW_UP_OVERDUE: a follow-up is not recorded and past its due date;
 * - FOLLOW_UP_DUE: a follow-up is not recorded and can be recorded now (from
 *   `FOLLOW_UP_OPENS_DAYS_BEFORE` days before its due date through that date);
 * - ON_TIME otherwise. The first that applies, in this order. Days are calendar days in
 *   Amsterdam (the request's `today`), so a date never shifts with the time zone or DST.
 */
import { addDays } from '../../domain/clock';
import { Timeliness } from '../../domain/enums';

/** A follow-up opens this many days before its due date (recordFollowUp accepts it from then). */
export const FOLLOW_UP_OPENS_DAYS_BEFORE = 14;

/** SQL: the due date of the earliest unrecorded follow-up of the trajectory at `alias`. */
export function openFollowUpDueOnSql(alias: string): string {
  return `SELECT min(f.due_on) FROM follow_up f WHERE f.trajectory_id = ${alias}.id AND f.recorded_at IS NULL`;
}

export interface TimelinessInput {
  phaseDueOn: string | null;
  phaseLimitOn: string | null;
  openFollowUpDueOn: string | null;
}

/** The timeliness of a loaded trajectory on `today` (YYYY-MM-DD, Amsterdam). */
export function timelinessOf(t: TimelinessInput, today: string): Timeliness {
  if (t.phaseLimitOn !== null && t.phaseLimitOn < today) return Timeliness.PAST_LIMIT;
  if (t.phaseDueOn !== null && t.phaseDueOn < today) return Timeliness.OVERDUE;
  if (t.openFollowUpDueOn !== null && t.openFollowUpDueOn < today) return Timeliness.FOLLOW_UP_OVERDUE;
  if (t.openFollowUpDueOn !== null && addDays(t.openFollowUpDueOn, -FOLLOW_UP_OPENS_DAYS_BEFORE) <= today) return Timeliness.FOLLOW_UP_DUE;
  return Timeliness.ON_TIME;
}

/** SQL twin of `timelinessOf` for the trajectory at `alias` ("quoted"), `today` a date parameter. */
export function timelinessSql(alias: string, today: string): string {
  const open = `(${openFollowUpDueOnSql(alias)})`;
  return `CASE
    WHEN ${alias}."phase_limit_on" < ${today} THEN '${Timeliness.PAST_LIMIT}'
    WHEN ${alias}."phase_due_on" < ${today} THEN '${Timeliness.OVERDUE}'
    WHEN ${open} < ${today} THEN '${Timeliness.FOLLOW_UP_OVERDUE}'
    WHEN ${open} - ${FOLLOW_UP_OPENS_DAYS_BEFORE} <= ${today} THEN '${Timeliness.FOLLOW_UP_DUE}'
    ELSE '${Timeliness.ON_TIME}' END`;
}
