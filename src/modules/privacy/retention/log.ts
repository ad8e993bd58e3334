/**
 * The access-log entries of a retention run: one per dossier a run treated (action CHANGE,
 * object Trajectory, Consultation or Student, legal basis LEGAL_TASK; for a consultation the
 * student is the one it was linked to, null for an anonymous one), naming the fields it
 * changed (`retentionLogEntries`). The `runRetention` mutation hands them to the request's
 * access recorder (written in the request's one statement); the CLI appends them in one
 * statement after the run (`appendRetentionLog`, through the access log's writer,
 * `appendAccessLog`). The access log itself is kept (accountability, art. 5(2) AVG; append-only
 * anyway). A trajectory's `applyRetention` event is its applier's (./pseudonymise-trajectory.ts).
 */
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { appendAccessLog } from '../../../audit/access-log-writer';
import type { AccessLogRow } from '../../../audit/access-recorder';
import { AccessAction, AccessOutcome, LegalBasis, Role } from '../../../domain/enums';
import { RetentionAction, RetentionActionKind, RetentionRunOptions } from './actions';
import { CONSULTATION_CASE_FIELDS } from './anonymise-consultation';

export interface RetentionLogEntry {
  objectType: 'Trajectory' | 'Consultation' | 'Student';
  objectId: string;
  studentId: string | null;
  action: AccessAction;
  outcome: AccessOutcome;
  fields: string[];
  /** A run's entries: one per record it changed, as the run reports it, not folded per student (src/audit/access-recorder.ts). */
  perObject?: true;
}

const LOGGED_AS: Record<RetentionActionKind, RetentionLogEntry['objectType']> = {
  [RetentionActionKind.PSEUDONYMISE_TRAJECTORY]: 'Trajectory',
  [RetentionActionKind.ANONYMISE_CONSULTATION]: 'Consultation',
  [RetentionActionKind.PSEUDONYMISE_STUDENT]: 'Student',
};

function loggedFields(action: RetentionAction): string[] {
  switch (action.kind) {
    case RetentionActionKind.PSEUDONYMISE_TRAJECTORY:
      return ['problemAreas', 'closingReason', 'eligibility', ...Object.keys(action.erased).filter((table) => action.erased[table] > 0)];
    case RetentionActionKind.ANONYMISE_CONSULTATION:
      return ['caseDescription', ...CONSULTATION_CASE_FIELDS, 'student'];
    case RetentionActionKind.PSEUDONYMISE_STUDENT:
      return ['givenName', 'familyName', 'studentNumber', 'birthDate', 'developmentPlanReference', 'developmentPlanDate', 'Guardian'];
  }
}

/** The access-log entries (action CHANGE) of what a run did: one per dossier. */
export function retentionLogEntries(actions: RetentionAction[]): RetentionLogEntry[] {
  return actions.map((action) => ({
    objectType: LOGGED_AS[action.kind],
    objectId: action.recordId,
    studentId: action.studentId,
    action: AccessAction.CHANGE,
    outcome: AccessOutcome.ALLOWED,
    fields: loggedFields(action),
    perObject: true,
  }));
}

/** Appends the entries of a run outside a GraphQL request (the CLI) in one statement. */
export async function appendRetentionLog(dataSource: DataSource, options: Pick<RetentionRunOptions, 'partnershipId' | 'actorUserId' | 'membershipId' | 'now'>, actions: RetentionAction[]): Promise<void> {
  const requestId = randomUUID();
  const rows: AccessLogRow[] = retentionLogEntries(actions).map((entry) => ({
    ...entry,
    id: randomUUID(),
    partnershipId: options.partnershipId,
    createdAt: options.now,
    userId: options.actorUserId,
    membershipId: options.membershipId ?? null,
    role: Role.PRIVACY_OFFICER,
    legalBasis: LegalBasis.LEGAL_TASK,
    consentId: null,
    requestId,
    // About its one record (`perObject`): no objects.
    objects: null,
  }));
  await appendAccessLog(dataSource, options.partnershipId, rows);
}
