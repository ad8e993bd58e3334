/**
 * The handbook's phase norms as dates: when a phase is due, its hard limit, and when the
 * follow-ups fall. The one home of these rules: the workflow, the seed and the tests use it.
 * All dates are calendar dates in Europe/Amsterdam. The handbook counts a phase from the
 * meeting that starts it (`PHASE_MEETINGS`); the acts store that meeting and start the phase on
 * its day, and the dashboard's durations count from it (`phaseBeganOnSql`).
 */
import type { PhaseNorms } from '../../../config';
import { addDays, addMonths } from '../../../domain/clock';
import { FollowUpMoment, Phase } from '../../../domain/enums';

export interface PhaseDates {
  phaseDueOn: string | null;
  phaseLimitOn: string | null;
}

/** Due date and hard limit of `phase` when it starts on `startedOn`. */
export function phaseDates(phase: Phase, startedOn: string, norms: PhaseNorms): PhaseDates {
  switch (phase) {
    case Phase.ASSESSMENT:
      return { phaseDueOn: addDays(startedOn, 7 * norms.assessmentWeeks), phaseLimitOn: null };
    case Phase.INTENSIVE:
      return { phaseDueOn: addDays(startedOn, 7 * norms.intensiveWeeks), phaseLimitOn: addDays(startedOn, 7 * norms.intensiveLimitWeeks) };
    case Phase.CONSOLIDATION:
      return { phaseDueOn: addMonths(startedOn, norms.consolidationMonths), phaseLimitOn: null };
    default:
      return { phaseDueOn: null, phaseLimitOn: null };
  }
}

/** The follow-up moments after consolidation ended on `completedOn`, with their due dates. */
export function followUpDates(completedOn: string, norms: PhaseNorms): Array<{ moment: FollowUpMoment; dueOn: string }> {
  return [
    { moment: FollowUpMoment.THREE_MONTHS, dueOn: addMonths(completedOn, norms.followUpMonths[0]) },
    { moment: FollowUpMoment.TWELVE_MONTHS, dueOn: addMonths(completedOn, norms.followUpMonths[1]) },
  ];
}

/**
 * The meeting a phase starts with, as the trajectory's column: the intro meeting
 * (kennismakingsgesprek) the assessment, the advice/start meeting (advies-/startgesprek) the
 * intensive phase, the advice meeting (adviesgesprek) the closure after the assessment.
 */
export const PHASE_MEETINGS: Partial<Record<Phase, string>> = {
  [Phase.ASSESSMENT]: 'intro_meeting_on',
  [Phase.INTENSIVE]: 'start_meeting_on',
  [Phase.CLOSED]: 'closing_meeting_on',
};

/**
 * SQL: the calendar day the phase `phaseSql` (text) of the trajectory at `alias` ("quoted")
 * began: the day of its meeting when stored, else `recordedOnSql`, the day its act was recorded
 * (other phases, and trajectories from before the meetings were stored). A trajectory enters
 * each of these phases at most once, so its stored meeting is that entry's.
 */
export function phaseBeganOnSql(alias: string, phaseSql: string, recordedOnSql: string): string {
  const whens = Object.entries(PHASE_MEETINGS).map(([phase, column]) => `WHEN '${phase}' THEN COALESCE(${alias}."${column}", ${recordedOnSql})`);
  return `(CASE ${phaseSql} ${whens.join(' ')} ELSE ${recordedOnSql} END)`;
}
