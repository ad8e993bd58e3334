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
 *
 * `standingOf` adds the date the level refers to and the days past it (the fields
 * `Trajectory.timelinessDate` and `daysPast`, and the programme coordinator's `overdueCases`).
 */
import { addDays, daysBetween } from '../../domain/clock';
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

/**
 * Where a case stands: its timeliness level, the date that level refers to (PAST_LIMIT: the
 * hard limit; OVERDUE: the phase's due date; FOLLOW_UP_OVERDUE and FOLLOW_UP_DUE: the open
 * follow-up's date; ON_TIME: none) and how many calendar days today lies past that date
 * (null unless the level is past a date: PAST_LIMIT, OVERDUE, FOLLOW_UP_OVERDUE).
 */
export interface TimelinessStanding {
  level: Timeliness;
  date: string | null;
  daysPast: number | null;
}

/** The standing of a loaded trajectory on `today` (YYYY-MM-DD, Amsterdam). */
export function standingOf(t: TimelinessInput, today: string): TimelinessStanding {
  const past = (level: Timeliness, date: string): TimelinessStanding => ({ level, date, daysPast: daysBetween(date, today) });
  if (t.phaseLimitOn !== null && t.phaseLimitOn < today) return past(Timeliness.PAST_LIMIT, t.phaseLimitOn);
  if (t.phaseDueOn !== null && t.phaseDueOn < today) return past(Timeliness.OVERDUE, t.phaseDueOn);
  if (t.openFollowUpDueOn !== null && t.openFollowUpDueOn < today) return past(Timeliness.FOLLOW_UP_OVERDUE, t.openFollowUpDueOn);
  if (t.openFollowUpDueOn !== null && addDays(t.openFollowUpDueOn, -FOLLOW_UP_OPENS_DAYS_BEFORE) <= today) {
    return { level: Timeliness.FOLLOW_UP_DUE, date: t.openFollowUpDueOn, daysPast: null };
  }
  return { level: Timeliness.ON_TIME, date: null, daysPast: null };
}

/** The timeliness of a loaded trajectory on `today` (YYYY-MM-DD, Amsterdam). */
export function timelinessOf(t: TimelinessInput, today: string): Timeliness {
  return standingOf(t, today).level;
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
