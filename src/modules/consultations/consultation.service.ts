/**
 * Steps 1 and 2 of the handbook, before any registration: preventive advice (preventief
 * advies) and the pre-consultation (collegiaal vooroverleg). Both may be anonymous: then only
 * a case description names the case. Who may ask and who may answer is in
 * `authz/rules/consultation.rules.ts`; the checks here run those rules on the row. Recording
 * the outcome stamps the retention class and start event (src/modules/privacy/retention/policy.ts).
 */
import { IsNull } from 'typeorm';
import { assertCan } from '../../authz/authorize';
import { scopeIds } from '../../authz/actor';
import { ConsultationKind, ConsultationOutcome, Role } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound } from '../../graphql/errors';
import { requireVisible, unscoped } from '../../graphql/reads';
import { notInFuture } from '../../graphql/validation';
import { consultationRetention } from '../privacy/retention/policy';
import { School } from '../schools/school.entity';
import { Student } from '../students/student.entity';
import { Consultation } from './consultation.entity';
import { RecordAdviceInput, RecordPreConsultationOutcomeInput, RequestAdviceInput, RequestPreConsultationInput } from './consultation.inputs';

/** The outcomes each kind of consultation can have. */
const OUTCOMES: Record<ConsultationKind, ConsultationOutcome[]> = {
  [ConsultationKind.ADVICE]: [ConsultationOutcome.ADVICE_SUFFICIENT, ConsultationOutcome.GO_TO_PRE_CONSULTATION],
  [ConsultationKind.PRE_CONSULTATION]: [ConsultationOutcome.TOPTRAJECT, ConsultationOutcome.OTHER_SUPPORT],
};

const NAMES: Record<ConsultationKind, string> = {
  [ConsultationKind.ADVICE]: 'an advice request',
  [ConsultationKind.PRE_CONSULTATION]: 'a pre-consultation',
};

/** The school a coordinator asks for: the named one, or their only one (as `createStudent`). */
function targetSchoolId(ctx: Context, schoolId: string | undefined): string {
  if (schoolId) return schoolId;
  const own = scopeIds(ctx.actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (own.length === 1) return own[0];
  if (own.length === 0) throw forbidden('Only a school coordinator can ask for advice or a pre-consultation.');
  throw badInput('input.schoolId', 'input.schoolId: required because you coordinate more than one school.');
}

type RequestFields = Partial<Pick<Consultation,
  'developmentPlanReference' | 'developmentPlanDate' | 'howIsTheStudentDoing' | 'helpGivenAndResult' | 'otherAgenciesInvolved' | 'motivation' | 'agreementsNow'>>;

/** SCHOOL_COORDINATOR: creates a consultation of `kind` for the own school, in one statement. */
async function requestConsultation(
  ctx: Context,
  kind: ConsultationKind,
  input: { schoolId?: string; studentId?: string; caseDescription: string },
  fields: RequestFields = {},
): Promise<Consultation> {
  const school = await requireVisible(ctx, School, targetSchoolId(ctx, input.schoolId), 'input.schoolId');
  const row = {
    partnershipId: ctx.actor.partnershipId,
    kind,
    schoolId: school.id,
    windstreekId: school.windstreekId,
    studentId: null as string | null,
    caseDescription: input.caseDescription.trim(),
    requestedByUserId: ctx.actor.userId,
    ...fields,
  };
  assertCan(ctx.ability, 'create', 'Consultation', row, `Only the coordinator of this school can ask for ${NAMES[kind]}.`);
  if (input.studentId) {
    // Must be a student of this school; a student of another school is as good as missing.
    const student = await requireVisible(ctx, Student, input.studentId, 'input.studentId');
    if (student.schoolId !== school.id) throw notFound('Student');
    row.studentId = student.id;
  }
  const repository = unscoped(ctx, 'write: a new consultation, after assertCan(create, Consultation)').getRepository(Consultation);
  return repository.save(repository.create(row));
}

/** SCHOOL_COORDINATOR, step 1: asks the gedragswetenschapper of the windstreek for advice; may be anonymous. */
export function requestAdvice(ctx: Context, input: RequestAdviceInput): Promise<Consultation> {
  return requestConsultation(ctx, ConsultationKind.ADVICE, input);
}

/** SCHOOL_COORDINATOR, step 2: organises a pre-consultation with the OPP and the five questions; may be anonymous. */
export function requestPreConsultation(ctx: Context, input: RequestPreConsultationInput): Promise<Consultation> {
  notInFuture(ctx, 'input.developmentPlanDate', input.developmentPlanDate);
  return requestConsultation(ctx, ConsultationKind.PRE_CONSULTATION, input, {
    developmentPlanReference: input.developmentPlanReference.trim(),
    developmentPlanDate: input.developmentPlanDate,
    howIsTheStudentDoing: input.howIsTheStudentDoing.trim(),
    helpGivenAndResult: input.helpGivenAndResult.trim(),
    otherAgenciesInvolved: input.otherAgenciesInvolved.trim(),
    motivation: input.motivation.trim(),
    agreementsNow: input.agreementsNow.trim(),
  });
}

/**
 * Records the outcome of a consultation of `kind`, once, and stamps its retention class and
 * start event (PARTNERSHIP_DOSSIER, from today): NOT_FOUND when the caller cannot see it,
 * FORBIDDEN when they may not answer it, BAD_USER_INPUT for the wrong kind or outcome,
 * CONFLICT when an outcome was already recorded, or when retention erased the case of a
 * request never answered (also when a concurrent call or run won: the update is conditional
 * on neither, in one statement).
 */
async function recordOutcome(
  ctx: Context,
  kind: ConsultationKind,
  input: { consultationId: string; outcome: ConsultationOutcome; advice?: string | null },
): Promise<Consultation> {
  const consultation = await requireVisible(ctx, Consultation, input.consultationId, 'input.consultationId');
  // The consultation rules have column conditions only, so this in-memory check is exact.
  assertCan(ctx.ability, 'update', 'Consultation', consultation, `You may not record the outcome of this ${kind === ConsultationKind.ADVICE ? 'advice request' : 'pre-consultation'}.`);
  if (consultation.kind !== kind) {
    throw badInput('input.consultationId', `input.consultationId: must be ${NAMES[kind]}, not ${NAMES[consultation.kind]}.`);
  }
  const allowed = OUTCOMES[kind];
  if (!allowed.includes(input.outcome)) {
    throw badInput('input.outcome', `input.outcome: ${NAMES[kind]} ends with ${allowed.join(' or ')}.`);
  }
  const already = `The outcome of this consultation was already recorded.`;
  const erased = 'This consultation was never answered and its case was erased after its retention term.';
  if (consultation.outcome !== null) throw conflict(already);
  if (consultation.retentionAppliedAt !== null) throw conflict(erased);
  const recordedAt = ctx.clock.now();
  const changes = {
    advice: input.advice?.trim() ?? null,
    outcome: input.outcome,
    recordedAt,
    recordedByUserId: ctx.actor.userId,
    ...consultationRetention(recordedAt),
  };
  const result = await unscoped(ctx, 'write: the outcome of a consultation, after assertCan(update, Consultation)')
    .createQueryBuilder()
    .update(Consultation)
    .set(changes)
    .where({ id: consultation.id, partnershipId: ctx.actor.partnershipId, kind, outcome: IsNull(), retentionAppliedAt: IsNull() })
    .execute();
  if (result.affected !== 1) {
    const [row] = await unscoped(ctx, 'why the guarded update changed nothing: the retention stamp of a consultation the caller may update').query('SELECT retention_applied_at FROM consultation WHERE id = $1', [consultation.id]);
    throw conflict(row?.retention_applied_at ? erased : already);
  }
  return Object.assign(consultation, changes);
}

/** Gedragswetenschapper of the windstreek's Topteam: records the advice and whether it suffices. */
export function recordAdvice(ctx: Context, input: RecordAdviceInput): Promise<Consultation> {
  return recordOutcome(ctx, ConsultationKind.ADVICE, input);
}

/** Onderwijsadviseur of the windstreek or gedragswetenschapper of its team: records the outcome of a pre-consultation. */
export function recordPreConsultationOutcome(ctx: Context, input: RecordPreConsultationOutcomeInput): Promise<Consultation> {
  return recordOutcome(ctx, ConsultationKind.PRE_CONSULTATION, input);
}
