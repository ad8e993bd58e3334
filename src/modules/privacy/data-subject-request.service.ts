/**
 * Data-subject requests (verzoeken van betrokkenen, AVG art. 12 and 15–21), handled by the
 * PRIVACY_OFFICER (src/authz/rules/privacy.rules.ts):
 *
 *   RECEIVED ─verify─▶ IDENTITY_VERIFIED ─complete─▶ COMPLETED
 *   RECEIVED or IDENTITY_VERIFIED ─extend (once)─▶ EXTENDED (verify keeps it EXTENDED) ─complete─▶ COMPLETED
 *   any open status ─reject─▶ REJECTED
 *
 * - received: due one calendar month after receipt (art. 12(3)); the 31st becomes the
 *   month's last day (`addMonths`).
 * - extended: once, with a reason, to three months after receipt in total; only while the
 *   first month runs (the controller must announce the extension within it).
 * - completed: only once the requester's identity is verified.
 * - rejected: from any open status, with a reason (`rejectionReason`). `completedAt` holds
 *   when the request was closed (afgehandeld), completed or rejected.
 * - nothing changes a COMPLETED or REJECTED request (INVALID_TRANSITION).
 * - carried out (`carryOutRectification`, `carryOutErasure`): a RECTIFICATION or ERASURE request
 *   whose identity is verified is carried out and completed in one transaction, with what was
 *   done in `resolution`; INVALID_TRANSITION before verification, when closed, or for a request
 *   of another kind. Nothing is written then, nor by an erasure's dry run.
 *
 * Open = not COMPLETED or REJECTED; overdue = open and due before today in Amsterdam.
 */
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { assertCan } from '../../authz/authorize';
import { addMonths } from '../../domain/clock';
import { AccessAction, AccessOutcome, DataSubjectRequestKind, DataSubjectRequestStatus, Role } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { appError, badInput, conflict } from '../../graphql/errors';
import { Connection, ConnectionArgs, NEWEST_FIRST } from '../../graphql/pagination';
import { listPage, parseId, requireVisible, whereEquals, unscoped } from '../../graphql/reads';
import { Student } from '../students/student.entity';
import { changeGuardians, changeStudent } from '../students/student.service';
import { applyErasure, ErasurePlan, planErasure, RetentionAction, retentionLogEntries } from './retention/index';
import { DataSubjectRequest } from './data-subject-request.entity';
import {
  CarryOutErasureInput, CarryOutRectificationInput, DataSubjectRequestFilter, DataSubjectRequestRef, ExtendDataSubjectRequestInput, ReceiveDataSubjectRequestInput,
  RejectDataSubjectRequestInput,
} from './privacy.inputs';

const { RECEIVED, IDENTITY_VERIFIED, EXTENDED, COMPLETED, REJECTED } = DataSubjectRequestStatus;
const CLOSED: readonly DataSubjectRequestStatus[] = [COMPLETED, REJECTED];

/** Months after receipt: the deadline, and the deadline with the one extension. */
export const RESPONSE_MONTHS = 1;
export const EXTENDED_RESPONSE_MONTHS = 3;

function invalidTransition(act: string, status: DataSubjectRequestStatus, detail: string): Error {
  return appError('INVALID_TRANSITION', `${act} is not possible for a request in status ${status}: ${detail}`, { act, status });
}

/** Whether the request is open and its due date lies before `today` (YYYY-MM-DD). */
export function isOverdue(request: DataSubjectRequest, today: string): boolean {
  return !CLOSED.includes(request.status) && request.dueOn < today;
}

function narrow(ctx: Context, qb: SelectQueryBuilder<DataSubjectRequest>, alias: string, filter: DataSubjectRequestFilter | undefined): void {
  if (!filter) return;
  whereEquals(qb, alias, { studentId: filter.studentId ? parseId(filter.studentId, 'filter.studentId') : undefined });
  const open = `"${alias}"."status" NOT IN ('${COMPLETED}', '${REJECTED}')`;
  if (filter.open !== undefined && filter.open !== null) qb.andWhere(filter.open ? open : `NOT (${open})`);
  if (filter.overdue !== undefined && filter.overdue !== null) {
    const overdue = `(${open} AND "${alias}"."due_on" < CAST(:dsrToday AS date))`;
    qb.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { dsrToday: ctx.today });
  }
}

/** The requests the caller may read (the privacy officer: all of the partnership), newest first. */
export function listDataSubjectRequests(ctx: Context, args: ConnectionArgs, filter: DataSubjectRequestFilter | undefined): Promise<Connection<DataSubjectRequest>> {
  return listPage(ctx, DataSubjectRequest, args, NEWEST_FIRST, (qb, alias) => narrow(ctx, qb, alias, filter));
}

/** PRIVACY_OFFICER: registers a received request about a student of the partnership. */
export async function receiveDataSubjectRequest(ctx: Context, input: ReceiveDataSubjectRequestInput): Promise<DataSubjectRequest> {
  const studentId = parseId(input.studentId, 'input.studentId');
  assertCan(ctx.ability, 'create', 'DataSubjectRequest', { partnershipId: ctx.actor.partnershipId, studentId }, 'Only the privacy officer handles data-subject requests.');
  const student = await requireVisible(ctx, Student, studentId, 'input.studentId');
  const today = ctx.today;
  if (input.receivedOn > today) throw badInput('input.receivedOn', 'input.receivedOn: lies in the future.');
  const repo = unscoped(ctx, 'write: a new data-subject request, after assertCan(create, DataSubjectRequest)').getRepository(DataSubjectRequest);
  return repo.save(
    repo.create({
      partnershipId: student.partnershipId,
      studentId: student.id,
      kind: input.kind,
      status: RECEIVED,
      receivedOn: input.receivedOn,
      dueOn: addMonths(input.receivedOn, RESPONSE_MONTHS),
      identityVerifiedAt: null,
      extensionReason: null,
      completedAt: null,
      handledByUserId: ctx.actor.userId,
    }),
  );
}

/** Loads the request for update (NOT_FOUND for anyone but the privacy officer), locks it and applies `change`. */
async function change(
  ctx: Context,
  requestId: string,
  apply: (request: DataSubjectRequest) => Partial<DataSubjectRequest>,
): Promise<DataSubjectRequest> {
  const visible = await requireVisible(ctx, DataSubjectRequest, requestId, 'input.requestId', 'update');
  return unscoped(ctx, 'write: a data-subject request the update rules allow (requireVisible update above)').transaction(async (tx) => {
    const repo = tx.getRepository(DataSubjectRequest);
    const locked = await repo.createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id: visible.id }).getOneOrFail();
    const changes = apply(locked);
    await repo.update({ id: locked.id }, changes);
    return repo.findOneByOrFail({ id: locked.id });
  });
}

function assertOpen(act: string, request: DataSubjectRequest): void {
  if (CLOSED.includes(request.status)) throw invalidTransition(act, request.status, 'the request is closed.');
}

/** PRIVACY_OFFICER: records that the requester's identity was verified. */
export function verifyRequesterIdentity(ctx: Context, input: DataSubjectRequestRef): Promise<DataSubjectRequest> {
  return change(ctx, input.requestId, (request) => {
    assertOpen('verifyRequesterIdentity', request);
    if (request.identityVerifiedAt !== null) throw conflict('The identity of the requester is already verified.');
    // An extended request keeps its status EXTENDED: the deadline is what the status tells.
    return { identityVerifiedAt: ctx.clock.now(), status: request.status === EXTENDED ? EXTENDED : IDENTITY_VERIFIED };
  });
}

/** PRIVACY_OFFICER: extends the deadline once, to three months after receipt, with a reason. */
export function extendDataSubjectRequest(ctx: Context, input: ExtendDataSubjectRequestInput): Promise<DataSubjectRequest> {
  const reason = input.reason.trim();
  if (!reason) throw badInput('input.reason', 'input.reason: give the reason for the extension.');
  return change(ctx, input.requestId, (request) => {
    assertOpen('extendDataSubjectRequest', request);
    if (request.status === EXTENDED || request.extensionReason !== null) {
      throw invalidTransition('extendDataSubjectRequest', request.status, 'a request can be extended once, to three months after receipt in total.');
    }
    const today = ctx.today;
    if (today > request.dueOn) {
      throw invalidTransition('extendDataSubjectRequest', request.status, `the first month ended on ${request.dueOn}; an extension must be announced within it.`);
    }
    return { status: EXTENDED, extensionReason: reason, dueOn: addMonths(request.receivedOn, EXTENDED_RESPONSE_MONTHS) };
  });
}

/** PRIVACY_OFFICER: completes the request; the requester's identity must be verified. */
export function completeDataSubjectRequest(ctx: Context, input: DataSubjectRequestRef): Promise<DataSubjectRequest> {
  return change(ctx, input.requestId, (request) => {
    assertOpen('completeDataSubjectRequest', request);
    if (request.identityVerifiedAt === null) {
      throw invalidTransition('completeDataSubjectRequest', request.status, 'verify the identity of the requester first.');
    }
    return { status: COMPLETED, completedAt: ctx.clock.now() };
  });
}

/** PRIVACY_OFFICER: rejects an open request (e.g. identity cannot be established, manifestly unfounded). */
export function rejectDataSubjectRequest(ctx: Context, input: RejectDataSubjectRequestInput): Promise<DataSubjectRequest> {
  const reason = input.reason.trim();
  if (!reason) throw badInput('input.reason', 'input.reason: give the reason for the rejection.');
  return change(ctx, input.requestId, (request) => {
    assertOpen('rejectDataSubjectRequest', request);
    return { status: REJECTED, completedAt: ctx.clock.now(), rejectionReason: reason };
  });
}

/**
 * Carries out an open request of `kind` whose requester's identity is verified: locks it, runs
 * `work` on the same transaction (a savepoint of the request's one transaction) and, unless
 * `dryRun`, completes it with `resolution`. INVALID_TRANSITION (nothing written) when the request
 * is closed, of another kind, or not verified; a failure in `work` rolls everything back.
 */
async function carryOut<T>(
  ctx: Context,
  requestId: string,
  kind: DataSubjectRequestKind,
  act: string,
  dryRun: boolean,
  work: (tx: EntityManager, request: DataSubjectRequest) => Promise<{ resolution: string; result: T }>,
): Promise<{ request: DataSubjectRequest; result: T }> {
  const visible = await requireVisible(ctx, DataSubjectRequest, requestId, 'input.requestId', 'update');
  return unscoped(ctx, 'write: carrying out a data-subject request the update rules allow (requireVisible update above)').transaction(async (tx) => {
    const repo = tx.getRepository(DataSubjectRequest);
    const locked = await repo.createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id: visible.id }).getOneOrFail();
    assertOpen(act, locked);
    if (locked.kind !== kind) throw invalidTransition(act, locked.status, `this is a ${locked.kind} request; ${act} carries out ${kind} requests.`);
    if (locked.identityVerifiedAt === null) throw invalidTransition(act, locked.status, 'verify the identity of the requester first.');
    const { resolution, result } = await work(tx, locked);
    if (!dryRun) await repo.update({ id: locked.id }, { status: COMPLETED, completedAt: ctx.clock.now(), resolution });
    return { request: await repo.findOneByOrFail({ id: locked.id }), result };
  });
}

/** The student fields a rectification corrects (the rest of its input: the request and the guardians). */
const RECTIFIED_STUDENT_FIELDS = ['givenName', 'familyName', 'studentNumber', 'birthDate'] as const;

/**
 * PRIVACY_OFFICER: carries out a verified RECTIFICATION request (AVG art. 16): corrects the given
 * identity fields of the request's student through `changeStudent` and of its guardians through
 * `changeGuardians` (the one home of each change, on the privacy officer's `rectify` rules: names,
 * student number and birth date; a guardian's name and relationship) and completes the request,
 * its resolution naming the fields, in one transaction. Each change is logged as a CHANGE in the
 * access log (a guardian's counts as its student's) whether or not the answer selects it. A
 * corrected birth date changes no consent record: the age rule judges the consents by it from
 * the next read on (`needsReconfirmation`, src/modules/consents/consent-validity.ts).
 */
export async function carryOutRectification(ctx: Context, input: CarryOutRectificationInput): Promise<{ request: DataSubjectRequest; student: Student; correctedFields: string[] }> {
  const act = 'carryOutRectification';
  const studentGiven = RECTIFIED_STUDENT_FIELDS.some((f) => input[f] !== undefined && input[f] !== null);
  const guardiansGiven = (input.guardians ?? []).length > 0;
  if (!studentGiven && !guardiansGiven) throw badInput('input', 'input: name at least one field to change.');
  const { request, result } = await carryOut(ctx, input.requestId, DataSubjectRequestKind.RECTIFICATION, act, false, async (tx, locked) => {
    const changed = studentGiven ? (await changeStudent(ctx, tx, locked.studentId, input, 'rectify')).changed : [];
    const guardians = guardiansGiven ? await changeGuardians(ctx, tx, locked.studentId, input.guardians!, 'rectify') : [];
    const student = await tx.getRepository(Student).findOneByOrFail({ id: locked.studentId });
    const parts = [...(changed.length ? [changed.join(', ')] : []), ...guardians.map((g) => `guardian ${g.guardian.id}: ${g.changed.join(', ')}`)];
    const correctedFields = [...changed, ...[...new Set(guardians.flatMap((g) => g.changed))].map((f) => `guardians.${f}`)];
    return { resolution: `Rectified: ${parts.join('; ')}.`, result: { student, changed, guardians, correctedFields } };
  });
  ctx.loaders.byId(Student).clear(result.student.id);
  if (result.changed.length) {
    ctx.access?.note({ objectType: 'Student', objectId: result.student.id, studentId: result.student.id, action: AccessAction.CHANGE, outcome: AccessOutcome.ALLOWED, fields: result.changed });
  }
  for (const g of result.guardians) {
    ctx.access?.note({ objectType: 'Guardian', objectId: g.guardian.id, studentId: result.student.id, action: AccessAction.CHANGE, outcome: AccessOutcome.ALLOWED, fields: g.changed });
  }
  return { request, student: result.student, correctedFields: result.correctedFields };
}

/** The resolution text of an erasure: what was erased and what was kept, and why. */
function erasureResolution(plan: ErasurePlan): string {
  const erased = plan.actions.length ? plan.actions.map((a) => `${a.kind} ${a.recordId}`).join('; ') : 'nothing';
  const kept = plan.kept.map((k) => `${k.type}${k.recordId ? ` ${k.recordId}` : ` (${k.count})`}: ${k.reason}`).join(' ');
  return `Erased: ${erased}. Kept: ${kept}`;
}

/**
 * PRIVACY_OFFICER: carries out a verified ERASURE request (AVG art. 17) for the request's student:
 * the retention module's erasure plan (src/modules/privacy/retention/erasure.ts: ended trajectories,
 * consultations, then the identity, by the retention appliers; running care, legal holds,
 * consents, the access log and the requests themselves kept, with the reason) applied in one
 * transaction, the request completed with what was erased and kept, and one access-log entry
 * (CHANGE) per erased dossier, as a retention run writes them. `dryRun`: the same answer, nothing
 * written and the request left open.
 */
export async function carryOutErasure(ctx: Context, input: CarryOutErasureInput): Promise<{ request: DataSubjectRequest; dryRun: boolean; plan: ErasurePlan }> {
  const act = 'carryOutErasure';
  const now = ctx.clock.now();
  const { request, result } = await carryOut(ctx, input.requestId, DataSubjectRequestKind.ERASURE, act, input.dryRun, async (tx, locked) => {
    const options = {
      partnershipId: ctx.actor.partnershipId,
      asOf: ctx.today,
      dryRun: input.dryRun,
      actorUserId: ctx.actor.userId,
      membershipId: ctx.actor.memberships.find((m) => m.role === Role.PRIVACY_OFFICER)?.id ?? null,
      terms: ctx.config.retention,
      norms: ctx.config.phaseNorms,
      now,
    };
    const plan = await planErasure(tx, options, locked.studentId, locked.id);
    if (!input.dryRun) await applyErasure(tx, plan.actions, options);
    return { resolution: erasureResolution(plan), result: plan };
  });
  if (!input.dryRun) {
    const done: RetentionAction[] = result.actions;
    for (const entry of retentionLogEntries(done)) ctx.access?.note(entry);
  }
  ctx.loaders.byId(Student).clear(request.studentId);
  return { request, dryRun: input.dryRun, plan: result };
}
