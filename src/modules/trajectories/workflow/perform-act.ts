/**
 * `performAct`: the one way anything happens to a trajectory. Every act mutation calls it,
 * so every act is checked and recorded the same way:
 *
 * 1. the trajectory must be visible to the caller, else NOT_FOUND (hidden equals missing);
 * 2. the caller must hold one of the act's permissions on it (checked in SQL, so relation
 *    conditions such as "consent for care holds" count), else FORBIDDEN;
 * 3. `expectedVersion`, when given, must be the current version, else CONFLICT;
 * 4. the current phase must allow the act, else INVALID_TRANSITION naming the phase and the
 *    mutations allowed in it;
 * 5. in one transaction: the trajectory row is updated only if its version is still the one
 *    read (a concurrent act makes this CONFLICT, never a lost update), a TrajectoryEvent
 *    records who, when, from, to and why, and the act's own checks and writes run on the
 *    locked row. Any failure rolls the whole act back.
 *
 * An act that only adds a record (`adds` in ./acts.ts: a note, a goal, an absence, …) changes
 * nothing on the trajectory: it takes the row with a shared lock (additions run side by side; an
 * act that changes the trajectory waits for them, and they for it), checks the phase again on
 * the locked row, and leaves the version alone, so six team members adding notes to one case at
 * once all succeed, while a note cannot land on a case a concurrent act just closed.
 *
 * INVALID_TRANSITION (from here or from an act's own checks) carries `extensions.allowed`: the
 * mutations THIS caller may perform on the trajectory in its phase now; `allowedInPhase` lists
 * every mutation the phase allows, whoever may perform it.
 */
import { GraphQLError } from 'graphql';
import { EntityManager } from 'typeorm';
import type { TrajectoryPermission } from '../../../authz/actions';
import { accessibleQuery } from '../../../authz/accessible';
import { amsterdamDate } from '../../../domain/clock';
import { Phase } from '../../../domain/enums';
import type { Context } from '../../../graphql/context';
import { appError, conflict, forbidden } from '../../../graphql/errors';
import { requireVisible, unscoped } from '../../../graphql/reads';
import { retentionFor } from '../../privacy/retention/policy';
import { TrajectoryEvent } from '../trajectory-event.entity';
import { Trajectory } from '../trajectory.entity';
import { ACTS, ActName, ActSpec, mutationsAllowedIn } from './acts';
import { phaseDates } from './phase-norms';

export interface ActRequest<R> {
  act: ActName;
  trajectoryId: string;
  /** Refuse with CONFLICT unless the trajectory is still at this version. */
  expectedVersion?: number | null;
  /** Recorded on the event (reden). */
  reason?: string | null;
  /** The calendar day the new phase starts (default: today in Amsterdam). */
  phaseStartsOn?: string;
  /** Further columns of the trajectory to set with the act. */
  changes?: Partial<Pick<Trajectory, 'closingReason' | 'cancellationReason' | 'refusalGround' | 'teamId' | 'schoolId' | 'cooperationAgreements' | 'introMeetingOn' | 'startMeetingOn' | 'closingMeetingOn'>>;
  /** Checks and writes of the act itself, inside the transaction, on the locked row (`before`: as it was). */
  effect?: (tx: EntityManager, trajectory: Trajectory, before: Trajectory) => Promise<R>;
}

/**
 * Thrown when the phase does not allow the act. `allowed` is the phase's list here; `performAct`
 * narrows it to what the caller may do before the error leaves (`forCaller`).
 */
export function invalidTransition(act: ActName, phase: Phase, detail?: string): GraphQLError {
  const allowed = mutationsAllowedIn(phase);
  const mutation = (ACTS[act] as ActSpec).mutation;
  return appError('INVALID_TRANSITION', `${detail ?? `${mutation} is not possible in phase ${phase}.`}`, { phase, allowed, allowedInPhase: allowed });
}

/** Whether the caller holds `permission` on the trajectory (in SQL: relation conditions count). */
async function holds(ctx: Context, permission: TrajectoryPermission, trajectoryId: string): Promise<boolean> {
  const qb = accessibleQuery(ctx.ability, Trajectory, ctx.dataSource, 't', permission);
  return !!qb && (await qb.andWhere('"t"."id" = :id', { id: trajectoryId }).getExists());
}

/** Loads a visible trajectory and checks that the caller may perform `act` on it. */
export async function requireActor(ctx: Context, act: ActName, trajectoryId: string, field = 'input.trajectoryId'): Promise<Trajectory> {
  const trajectory = await requireVisible(ctx, Trajectory, trajectoryId, field);
  const spec: ActSpec = ACTS[act];
  for (const permission of spec.permissions) if (await holds(ctx, permission, trajectory.id)) return trajectory;
  throw forbidden(`You may not ${spec.mutation} on this trajectory.`);
}

/**
 * An INVALID_TRANSITION of a trajectory's phase, with `allowed` narrowed to the mutations the
 * caller may perform on it in that phase (one statement per permission those acts need), and the
 * message saying so. Any other error is returned as it is.
 */
async function forCaller(ctx: Context, trajectoryId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof GraphQLError) || error.extensions.code !== 'INVALID_TRANSITION' || typeof error.extensions.phase !== 'string') return error;
  const phase = error.extensions.phase as Phase;
  const specs = (Object.values(ACTS) as ActSpec[]).filter((spec) => spec.from.includes(phase));
  const held = new Set<TrajectoryPermission>();
  for (const permission of new Set(specs.flatMap((spec) => spec.permissions))) if (await holds(ctx, permission, trajectoryId)) held.add(permission);
  const allowed = [...new Set(specs.filter((spec) => spec.permissions.some((p) => held.has(p))).map((spec) => spec.mutation))];
  return appError('INVALID_TRANSITION', `${error.message} You may now: ${allowed.join(', ') || 'nothing'}.`, {
    ...error.extensions, phase, allowed, allowedInPhase: mutationsAllowedIn(phase),
  });
}

/** Performs `request.act` on a trajectory; returns the updated trajectory and the effect's result. */
export async function performAct<R = void>(ctx: Context, request: ActRequest<R>): Promise<{ trajectory: Trajectory; result: R }> {
  try {
    return await perform(ctx, request);
  } catch (error) {
    throw await forCaller(ctx, request.trajectoryId, error);
  }
}

async function perform<R>(ctx: Context, request: ActRequest<R>): Promise<{ trajectory: Trajectory; result: R }> {
  const spec: ActSpec = ACTS[request.act];
  const before = await requireActor(ctx, request.act, request.trajectoryId);
  if (request.expectedVersion !== undefined && request.expectedVersion !== null && request.expectedVersion !== before.version) {
    throw conflict(`The trajectory changed (version ${before.version}, you expected ${request.expectedVersion}). Reload it and try again.`);
  }
  if (!spec.from.includes(before.phase)) throw invalidTransition(request.act, before.phase);

  const now = ctx.clock.now();
  const moves = spec.to !== undefined && spec.to !== before.phase;
  const startsOn = request.phaseStartsOn ?? amsterdamDate(now);
  // A trajectory that ends gets its retention class and start event (src/modules/privacy/retention/policy.ts).
  const retention = moves ? retentionFor(before.phase, spec.to!, startsOn, ctx.config.phaseNorms) : null;
  const phaseChanges = moves
    ? { phase: spec.to!, phaseStartedAt: now, ...phaseDates(spec.to!, startsOn, ctx.config.phaseNorms), ...(retention ?? {}) }
    : {};

  /** The act's event: who, when, from which phase to which, and why. */
  const recordEvent = (tx: EntityManager, act: ActRequest<R>, from: Trajectory, toPhase: Phase) =>
    tx.save(tx.create(TrajectoryEvent, {
      partnershipId: from.partnershipId, trajectoryId: from.id, act: act.act, fromPhase: from.phase, toPhase,
      actorUserId: ctx.actor.userId, reason: act.reason ?? null, occurredAt: now,
    }));

  const outcome = await unscoped(ctx, 'write: the act, after the act permission was checked in SQL by the rules (accessibleQuery above)').transaction(async (tx) => {
    if (spec.adds) {
      // An addition: the row as it is now, under a shared lock; the phase must still allow it.
      const current = await tx.findOne(Trajectory, { where: { id: before.id }, lock: { mode: 'pessimistic_read' } });
      if (!current) throw conflict('The trajectory was removed meanwhile.');
      if (!spec.from.includes(current.phase)) throw invalidTransition(request.act, current.phase);
      await recordEvent(tx, request, current, current.phase);
      const result = request.effect ? await request.effect(tx, current, current) : (undefined as R);
      return { trajectory: current, result };
    }
    const updated = await tx
      .createQueryBuilder()
      .update(Trajectory)
      .set({ ...phaseChanges, ...request.changes, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :version', { id: before.id, version: before.version })
      .returning('*')
      .execute();
    if (updated.affected !== 1) {
      throw conflict('The trajectory was changed by someone else at the same time. Reload it and try again.');
    }
    const trajectory = tx.create(Trajectory, { ...before, ...phaseChanges, ...request.changes, version: before.version + 1, updatedAt: now });
    await recordEvent(tx, request, before, trajectory.phase);
    const result = request.effect ? await request.effect(tx, trajectory, before) : (undefined as R);
    return { trajectory, result };
  });
  // The request's loader still holds the trajectory as it was read before the act.
  ctx.loaders.byId(Trajectory).clear(before.id).prime(before.id, outcome.trajectory);
  return outcome;
}
