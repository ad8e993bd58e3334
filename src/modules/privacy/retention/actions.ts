/**
 * The vocabulary of a retention run, shared by the plan, the appliers, the run and the log:
 * the kinds of action (in the order a run performs them), one action (one dossier: a
 * trajectory, a consultation or a student), the report of a run, and the options it runs with.
 */
import type { PhaseNorms, RetentionTerms } from '../../../config';
import { RetentionClass } from '../../../domain/enums';

/** In the order a run performs them. */
export enum RetentionActionKind {
  PSEUDONYMISE_TRAJECTORY = 'PSEUDONYMISE_TRAJECTORY',
  ANONYMISE_CONSULTATION = 'ANONYMISE_CONSULTATION',
  PSEUDONYMISE_STUDENT = 'PSEUDONYMISE_STUDENT',
}

export interface RetentionAction {
  kind: RetentionActionKind;
  /** The trajectory, consultation or student. */
  recordId: string;
  /** The student concerned; null for an anonymous consultation (or one whose student was unlinked meanwhile). */
  studentId: string | null;
  retentionClass: RetentionClass;
  /** The last day of the term (the record was due from the day after). */
  termEndedOn: string;
  /** Rows erased with it, by table (case records for a trajectory, guardians for a student; none for a consultation, whose row stays). */
  erased: Record<string, number>;
  /**
   * Set when the dossier is erased on a data-subject request (AVG art. 17, ./erasure.ts) rather
   * than at the end of its term: the appliers then skip the term check and name the request.
   */
  erasureRequestId?: string;
}

export interface RetentionReport {
  asOf: string;
  dryRun: boolean;
  actions: RetentionAction[];
}

export interface RetentionRunOptions {
  partnershipId: string;
  /** The calendar day (YYYY-MM-DD) the run judges terms on. */
  asOf: string;
  dryRun: boolean;
  /** Who runs it: recorded as the actor of the events and the access-log entries. */
  actorUserId: string;
  /** The membership used, for the access log (null: none recorded). */
  membershipId?: string | null;
  terms: RetentionTerms;
  norms: PhaseNorms;
  now: Date;
}
