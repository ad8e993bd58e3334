/**
 * Field policies: the ONE declaration of what every field of every GraphQL object type the
 * schema emits reveals (AVG rule 1, src/authz/README.md, "Purpose and minimum"). Rules that grant a role
 * only part of a subject derive their field lists from here with `fieldsOf`, so the category
 * of a field is written once; `test/authz/field-policies.test.ts` walks the emitted schema and
 * fails when a type or field has no policy, or a policy names a field that no longer exists.
 *
 * Categories (who may read them: src/authz/README.md, "Field categories"):
 *
 * - META        id, createdAt, version: bookkeeping that reveals nothing on its own.
 * - STRUCTURE   the partnership's structure: names and codes of the partnership, windstreken,
 *               schools and Topteams, a team's capacity, a windstreek's neighbours.
 * - ACCOUNT     staff accounts and memberships (users, roles, who approved or handled what).
 * - IDENTITY    who a student is: names, birth date, student number, school, guardians,
 *               grantors' names, and the link from a record to its student.
 * - PSEUDONYM   the stable per-partnership pseudonym that stands in for identity.
 * - CASE        case content: problem areas, eligibility, goals, evaluations, advice,
 *               consultations, follow-ups' outcomes, absences, phase events' reasons,
 *               escalations' reasons, cancellation and closing reasons.
 * - TEAM_NOTES  the Topteam's internal notes.
 * - FEEDBACK    what students and parents say about the Topteam: the content of a complaint
 *               (who, what, how it was handled) and the answers of an exit questionnaire.
 * - PLANNING    phase, dates, overdue, the school/windstreek/team a case belongs to, an
 *               event's act and phases, an escalation's level, a student's expected exit level,
 *               a follow-up's moment, due date and when it was recorded, and the link from a
 *               case record to its trajectory.
 * - CONSENT     consent records and what derives from them (validity, parents informed).
 * - ACCESS_LOG  the NEN 7513 access log.
 * - AGGREGATE   team loads, phase counts, assignment proposals, the dashboard: figures, no persons.
 * - PRIVACY     data-subject requests, exports, retention and legal holds.
 * - PAGING      connections, edges and PageInfo: no data of their own (every node is checked
 *               under its own type). Declared by the name rule in `policyOf`, not per field.
 *
 * Query and Mutation are operations, not data: their resolvers decide (src/authz/authorize.ts).
 */

export const FIELD_CATEGORIES = [
  'META', 'STRUCTURE', 'ACCOUNT', 'IDENTITY', 'PSEUDONYM', 'CASE', 'TEAM_NOTES', 'FEEDBACK', 'PLANNING', 'CONSENT', 'ACCESS_LOG', 'AGGREGATE',
  'PRIVACY', 'PAGING',
] as const;

export type FieldCategory = (typeof FIELD_CATEGORIES)[number];

type TypePolicy = Readonly<Record<string, FieldCategory>>;

/** `{ a: category, b: category, … }` for the listed fields. */
function as(category: FieldCategory, ...fields: string[]): Record<string, FieldCategory> {
  return Object.fromEntries(fields.map((field) => [field, category]));
}

const META = as('META', 'id', 'createdAt');

/** Every field of every object type of the schema, by type, except PAGING types. */
export const FIELD_POLICIES: Readonly<Record<string, TypePolicy>> = {
  // Structure and accounts.
  Partnership: { ...META, ...as('STRUCTURE', 'name', 'code') },
  Windstreek: { ...META, ...as('STRUCTURE', 'name', 'neighbours', 'schools', 'topteams') },
  School: { ...META, ...as('STRUCTURE', 'name', 'brinCode', 'windstreek'), ...as('IDENTITY', 'students'), ...as('PLANNING', 'trajectories') },
  Topteam: { ...META, ...as('STRUCTURE', 'name', 'capacity', 'windstreek'), ...as('PLANNING', 'trajectories', 'capacityChanges'), ...as('STRUCTURE', 'composition') },
  // A team's composition: how many members per function, against the handbook (counts, no persons).
  TeamComposition: as('STRUCTURE', 'behaviouralScientists', 'teachers', 'careWorkers', 'complete', 'missing', 'warning'),
  TeamCapacityChange: { ...META, ...as('PLANNING', 'previousCapacity', 'newCapacity', 'reason'), ...as('STRUCTURE', 'topteam'), ...as('ACCOUNT', 'changedBy') },
  User: { ...META, ...as('ACCOUNT', 'subject', 'email', 'name', 'active', 'memberships', 'partnership') },
  Membership: { ...META, ...as('ACCOUNT', 'role', 'teamFunction', 'revokedAt', 'user', 'windstreek', 'school', 'topteam') },

  // Students, guardians, consent.
  Student: {
    ...META,
    ...as('PSEUDONYM', 'pseudonym'),
    ...as('IDENTITY', 'givenName', 'familyName', 'birthDate', 'studentNumber', 'school', 'guardians', 'leftSchoolOn'),
    ...as('IDENTITY', 'schoolChanges'),
    ...as('PLANNING', 'expectedExitLevel'),
    ...as('CASE', 'developmentPlanDate', 'developmentPlanReference', 'mentor', 'trajectories'),
    ...as('CONSENT', 'consents'),
  },
  Guardian: { ...META, ...as('IDENTITY', 'name', 'relationship', 'hasParentalAuthority', 'student') },
  // A transfer to another school (overstap): which schools a student attended is identity; who recorded it an account.
  StudentSchoolChange: { ...META, ...as('IDENTITY', 'student', 'fromSchool', 'toSchool', 'transferredOn'), ...as('ACCOUNT', 'transferredBy') },
  Consent: {
    ...META,
    ...as('CONSENT', 'purpose', 'legalBasis', 'recipients', 'dataCategories', 'grantors', 'studentAgeAtGrant', 'givenAt', 'validUntil', 'withdrawnAt', 'withdrawalReason', 'evidenceReference', 'withdrawalEvidenceReference', 'valid', 'status', 'needsReconfirmation'),
    ...as('IDENTITY', 'student'),
    ...as('ACCOUNT', 'recordedBy', 'withdrawnBy'),
  },
  ConsentGrantor: { ...as('IDENTITY', 'name'), ...as('CONSENT', 'role', 'hasParentalAuthority') },
  ConsentGap: { ...as('CONSENT', 'purpose'), ...as('IDENTITY', 'student'), ...as('PLANNING', 'trajectoryIds') },
  ConsentReconfirmation: { ...as('CONSENT', 'consents', 'ageReached', 'turnsOn'), ...as('IDENTITY', 'student', 'birthDate') },

  // Consultations and trajectories.
  Consultation: {
    ...META,
    ...as('PLANNING', 'kind', 'recordedAt', 'school', 'windstreek'),
    ...as('IDENTITY', 'student'),
    ...as(
      'CASE', 'caseDescription', 'howIsTheStudentDoing', 'helpGivenAndResult', 'agreementsNow', 'otherAgenciesInvolved', 'motivation', 'developmentPlanDate',
      'developmentPlanReference', 'advice', 'outcome',
    ),
  },
  Trajectory: {
    ...META,
    ...as('META', 'version'),
    ...as('PSEUDONYM', 'studentPseudonym'),
    ...as('IDENTITY', 'student'),
    ...as('PLANNING', 'phase', 'phaseStartedAt', 'phaseDueOn', 'phaseLimitOn', 'overdue', 'timeliness', 'school', 'windstreek', 'team'),
    // The meetings the phases count from, and where the case stands against its dates: planning, like phaseDueOn.
    ...as('PLANNING', 'introMeetingOn', 'startMeetingOn', 'closingMeetingOn', 'timelinessDate', 'daysPast'),
    // The staffing (who of the team is responsible) is planning like the team; the account behind it resolves only for whoever may read it.
    ...as('PLANNING', 'behaviouralScientist', 'teacher', 'careWorker'),
    ...as('CONSENT', 'careConsentValid', 'parentsInformedOn'),
    ...as(
      'CASE', 'problemAreas', 'eligibility', 'consultation', 'cancellationReason', 'refusalGround', 'closingReason', 'events', 'goals', 'evaluations', 'escalations',
      'complaints', 'exitQuestionnaires', 'handoverAdvice', 'absences', 'crossWindstreekAssignments', 'cooperationAgreements',
    ),
    // The follow-ups: what is due when is planning (each row then shows its outcomes only to case readers).
    ...as('PLANNING', 'followUps'),
    ...as('TEAM_NOTES', 'notes'),
  },
  CooperationAgreements: as('CASE', 'agreedOn', 'teachers', 'mentor', 'careCoordinator', 'management', 'agreements'),
  Eligibility: as(
    'CASE', 'enrolledInRegularEducation', 'goalsReachableWithinTerm', 'needsVeryIntensiveCare', 'parentsMotivated', 'regularEducationFeasible', 'schoolMotivated',
    'singleQuestion', 'studentMotivated',
  ),
  TrajectoryEvent: { ...META, ...as('PLANNING', 'act', 'fromPhase', 'toPhase', 'occurredAt', 'trajectory'), ...as('CASE', 'reason') },
  Escalation: { ...META, ...as('PLANNING', 'level', 'resolvedAt', 'trajectory'), ...as('CASE', 'reason', 'resolution') },
  Goal: { ...META, ...as('PLANNING', 'trajectory'), ...as('CASE', 'description', 'agreedWithStudent', 'agreedWithParents', 'agreedWithSchool', 'progress', 'progressNote') },
  Evaluation: { ...META, ...as('PLANNING', 'trajectory'), ...as('CASE', 'evaluatedOn', 'summary', 'whatWorks', 'whatToStop') },
  Note: { ...META, ...as('PLANNING', 'trajectory'), ...as('TEAM_NOTES', 'body') },
  // A follow-up's moment, due date and whether it was recorded are planning (every planning reader of the case sees what is due); its outcomes are case.
  FollowUp: { ...META, ...as('PLANNING', 'trajectory', 'moment', 'dueOn', 'recordedAt'), ...as('CASE', 'stillInEducation', 'atExpectedExitLevel', 'diplomaExpected', 'howIsItGoing') },
  // A complaint's status and the dates of its handling are planning (the school sees them); its content is feedback.
  Complaint: { ...META, ...as('PLANNING', 'trajectory', 'status', 'receivedOn', 'escalatedOn', 'resolvedOn'), ...as('FEEDBACK', 'complainant', 'description', 'resolution') },
  ExitQuestionnaire: { ...META, ...as('PLANNING', 'trajectory'), ...as('FEEDBACK', 'party', 'score', 'comment') },
  HandoverAdvice: {
    ...META,
    ...as('PLANNING', 'trajectory'),
    ...as('CASE', 'advice', 'writtenOn', 'recipient', 'recipientName', 'takenIntoOppOn', 'addedToDevelopmentPlan'),
  },
  AbsenceRegistration: { ...META, ...as('PLANNING', 'trajectory'), ...as('CASE', 'absentOn', 'lessonsMissed', 'authorised', 'note') },
  // The reason is the assigner's capacity note (why this team), the programme coordinator's own work: planning.
  CrossWindstreekAssignment: { ...META, ...as('PLANNING', 'trajectory', 'originalTeam', 'assignedTeam', 'reason'), ...as('ACCOUNT', 'approvedBy') },

  // Capacity and overflow: figures, no persons.
  TeamLoad: as('AGGREGATE', 'teamId', 'name', 'capacity', 'load', 'thresholdLoad', 'freeCapacity', 'state', 'counts', 'crossWindstreekCases', 'waitingInWindstreek'),
  PhaseCounts: as('AGGREGATE', 'accepted', 'intensive', 'consolidation', 'assessment'),
  AssignmentProposal: as('AGGREGATE', 'trajectoryId', 'caseWeight', 'candidates', 'leastLoadedTeamId', 'fitsNowhere', 'summary'),
  Dashboard: as('AGGREGATE', 'from', 'until', 'today', 'bucket', 'breakdown', 'smallCountThreshold', 'intake', 'caseload', 'timeliness', 'results', 'privacy'),
  FigureGroup: as('AGGREGATE', 'measures', 'protected', 'protectedMeasures', 'cells'),
  FigureCell: as('AGGREGATE', 'measure', 'kind', 'category', 'bucket', 'bucketStart', 'scopeLevel', 'scopeId', 'scopeName', 'count', 'value', 'p90', 'n', 'norm', 'suppressed'),
  AssignmentCandidate: as('AGGREGATE', 'teamId', 'name', 'home', 'neighbour', 'capacity', 'loadBefore', 'loadAfter', 'freeCapacityAfter', 'rank', 'reason'),

  // The privacy officer's records.
  AccessLogEntry: {
    ...META,
    ...as('ACCESS_LOG', 'sequence', 'action', 'outcome', 'user', 'role', 'student', 'objectType', 'objectId', 'objects', 'fields', 'legalBasis', 'membershipId', 'consentId', 'consents', 'consent', 'requestId', 'previousHash', 'hash'),
  },
  DataSubjectRequest: {
    ...META,
    ...as('PRIVACY', 'kind', 'status', 'student', 'receivedOn', 'identityVerifiedAt', 'dueOn', 'extensionReason', 'rejectionReason', 'completedAt', 'handledBy', 'overdue', 'resolution'),
  },
  AccessLogIntegrity: as('ACCESS_LOG', 'intact', 'entries', 'checkedAt', 'broken', 'checkpointChecked', 'findings'),
  ChainBreak: as('ACCESS_LOG', 'sequence', 'field', 'expected', 'found'),
  StudentExport: as('PRIVACY', 'studentId', 'exportedAt', 'student', 'tables'),
  ExportedTable: as('PRIVACY', 'table', 'rows'),
  ErasedRows: as('PRIVACY', 'type', 'count'),
  LegalHoldResult: as('PRIVACY', 'studentId', 'trajectoryId', 'consultationId', 'legalHold'),
  RetentionRunSummary: as('PRIVACY', 'asOf', 'dryRun', 'counts', 'actions'),
  RetentionActionCount: as('PRIVACY', 'kind', 'count'),
  RetentionActionRecord: as('PRIVACY', 'kind', 'recordId', 'studentId', 'retentionClass', 'termEndedOn', 'erased'),
  // Carrying out rectification and erasure requests.
  RectificationResult: { ...as('PRIVACY', 'request', 'correctedFields'), ...as('IDENTITY', 'student') },
  ErasureResult: as('PRIVACY', 'request', 'dryRun', 'erased', 'kept'),
  ErasedRecord: as('PRIVACY', 'kind', 'recordId', 'erased'),
  KeptRecord: as('PRIVACY', 'type', 'recordId', 'count', 'reason'),
};

/** Types that carry no data of their own: every `*Connection`, every `*Edge`, and `PageInfo`. */
export function isPagingType(typeName: string): boolean {
  return typeName === 'PageInfo' || /.(Connection|Edge)$/.test(typeName);
}

/** The category of `type.field`, or undefined when no policy declares it. */
export function policyOf(typeName: string, fieldName: string): FieldCategory | undefined {
  if (isPagingType(typeName)) return 'PAGING';
  const policy = FIELD_POLICIES[typeName];
  return policy && Object.prototype.hasOwnProperty.call(policy, fieldName) ? policy[fieldName] : undefined;
}

/**
 * The fields of `typeName` in `categories`, plus `extra` fields named one by one (a relation
 * a role may follow although its category is not granted as a whole, e.g. the programme
 * coordinator following `Trajectory.student` to the pseudonym). Throws on an unknown type or
 * extra field, so a rule cannot grant a field the policies do not know.
 */
export function fieldsOf(typeName: string, categories: readonly FieldCategory[], extra: readonly string[] = []): string[] {
  const policy = FIELD_POLICIES[typeName];
  if (!policy) throw new Error(`No field policy for type ${typeName}`);
  for (const field of extra) {
    if (!Object.prototype.hasOwnProperty.call(policy, field)) throw new Error(`No field policy for ${typeName}.${field}`);
  }
  const wanted = new Set(categories);
  return [...new Set([...Object.keys(policy).filter((field) => wanted.has(policy[field])), ...extra])];
}
