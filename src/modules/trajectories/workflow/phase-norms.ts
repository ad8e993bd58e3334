/**
 * The handbook's phase norms as dates: when a phase is due, its hard limit, and when the
 * follow-ups fall. The one home of these rules: the workflow, the seed and the tests use it.
 * All dates are calendar dates in Europe/Amsterdam.
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
