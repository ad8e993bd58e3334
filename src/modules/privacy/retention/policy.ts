/**
 * Retention policy: which retention class and start event apply to what, and where a term
 * ends. Pure functions, no database: the trajectory workflow stamps a trajectory that ends
 * (`retentionFor`), the consultation service stamps a consultation whose outcome is recorded
 * (`consultationRetention`), the demo data stamps its rows the same way, and the plan and the
 * appliers judge the rows they read (`trajectoryStampOf`, `consultationStampOf`, `isPastTerm`).
 *
 * Classes and start events (src/domain/README.md; terms in configuration, `RETENTION_*_MONTHS`):
 * - a trajectory REFUSED, or CANCELLED before it was accepted (from REQUESTED, IN_REVIEW or
 *   INFO_REQUESTED): REGISTRATION_WITHOUT_HELP, from the day it ended;
 * - a trajectory CLOSED, COMPLETED or CANCELLED after acceptance: CARE_DOSSIER (the Topteam's
 *   care records), from the day care ended; for COMPLETED that is the due date of the last
 *   follow-up, the final act of the trajectory;
 * - a student: SCHOOL_DATA, from `leftSchoolOn`;
 * - a consultation (advice, step 1, or pre-consultation, step 2; anonymous or about a
 *   student): PARTNERSHIP_DOSSIER, the partnership's own work on its legal task, from the day
 *   its outcome was recorded. One without an outcome (a request never answered) runs its term
 *   from the day it was created (`createdAt`): nothing else marks its end.
 * A trajectory that ended before these columns existed has no class stamped: the run derives
 * it from its phase (CANCELLED counts as after acceptance when a team was assigned) and takes
 * the day its final phase started as the start event (for COMPLETED, its last follow-up).
 * Likewise a consultation whose outcome was recorded before the columns existed: the run takes
 * PARTNERSHIP_DOSSIER from the day of `recordedAt` (Europe/Amsterdam).
 *
 * The boundary: a record's term ENDS on `addMonths(startsOn, term)` (calendar months, the
 * 31st becoming the month's last day). It is kept up to and including that day and is due
 * from the day after: due when `asOf > addMonths(startsOn, term)`.
 */
import type { PhaseNorms } from '../../../config';
import { addMonths, amsterdamDate } from '../../../domain/clock';
import { ACTIVE_PHASES, Phase, RetentionClass } from '../../../domain/enums';
import { followUpDates } from '../../trajectories/workflow/phase-norms';

const BEFORE_ACCEPTANCE: readonly Phase[] = [Phase.REQUESTED, Phase.IN_REVIEW, Phase.INFO_REQUESTED];

export interface RetentionStamp {
  retentionClass: RetentionClass;
  retentionStartsOn: string;
}

/**
 * The retention class and start event of a trajectory that moves from `from` to `to` on
 * `endedOn`; null when `to` is a running phase (nothing ends).
 */
export function retentionFor(from: Phase, to: Phase, endedOn: string, norms: PhaseNorms): RetentionStamp | null {
  if (ACTIVE_PHASES.includes(to)) return null;
  if (to === Phase.REFUSED || (to === Phase.CANCELLED && BEFORE_ACCEPTANCE.includes(from))) {
    return { retentionClass: RetentionClass.REGISTRATION_WITHOUT_HELP, retentionStartsOn: endedOn };
  }
  if (to === Phase.COMPLETED) {
    const followUps = followUpDates(endedOn, norms);
    return { retentionClass: RetentionClass.CARE_DOSSIER, retentionStartsOn: followUps[followUps.length - 1].dueOn };
  }
  return { retentionClass: RetentionClass.CARE_DOSSIER, retentionStartsOn: endedOn };
}

/** The class and start event stamped on a consultation whose outcome is recorded at `recordedAt`. */
export function consultationRetention(recordedAt: Date): RetentionStamp {
  return { retentionClass: RetentionClass.PARTNERSHIP_DOSSIER, retentionStartsOn: amsterdamDate(recordedAt) };
}

/** The last day a record with this start and term is kept; it is due from the day after. */
export function retentionEndsOn(startsOn: string, termMonths: number): string {
  return addMonths(startsOn, termMonths);
}

/** Whether a record that started its term on `startsOn` is past it on `asOf` (see the header). */
export function isPastTerm(startsOn: string, termMonths: number, asOf: string): boolean {
  return asOf > retentionEndsOn(startsOn, termMonths);
}

/** What `trajectoryStampOf` reads of a finished trajectory (as selected by ./plan.ts). */
export interface TrajectoryStampRow {
  phase: Phase;
  team_id: string | null;
  retention_class: RetentionClass | null;
  retention_starts_on: string | null;
  phase_started_on: string;
  last_follow_up_on: string | null;
}

/** Class and start of a finished trajectory: as stamped, or derived for one ended before stamping existed. */
export function trajectoryStampOf(c: TrajectoryStampRow): RetentionStamp {
  if (c.retention_class && c.retention_starts_on) return { retentionClass: c.retention_class, retentionStartsOn: c.retention_starts_on };
  const accepted = c.phase !== Phase.REFUSED && !(c.phase === Phase.CANCELLED && c.team_id === null);
  const startsOn = c.phase === Phase.COMPLETED && c.last_follow_up_on ? c.last_follow_up_on : c.phase_started_on;
  return { retentionClass: accepted ? RetentionClass.CARE_DOSSIER : RetentionClass.REGISTRATION_WITHOUT_HELP, retentionStartsOn: startsOn };
}

/** What `consultationStampOf` reads of a consultation (the columns `CONSULTATION_STAMP_COLUMNS` of ./plan.ts). */
export interface ConsultationStampRow {
  retention_class: RetentionClass | null;
  retention_starts_on: string | null;
  recorded_on: string | null;
  created_on: string;
}

/**
 * Class and start of a consultation: as stamped when its outcome was recorded; derived from
 * `recordedAt` for one recorded before stamping existed; from its creation for one without an outcome.
 */
export function consultationStampOf(c: ConsultationStampRow): RetentionStamp {
  if (c.retention_class && c.retention_starts_on) return { retentionClass: c.retention_class, retentionStartsOn: c.retention_starts_on };
  return { retentionClass: RetentionClass.PARTNERSHIP_DOSSIER, retentionStartsOn: c.recorded_on ?? c.created_on };
}
