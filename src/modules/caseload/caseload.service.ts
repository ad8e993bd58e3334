/**
 * Capacity and overflow (src/domain/README.md, "Capacity and overflow"): team loads, the explained
 * proposal, assignment and reassignment (through the workflow's `performAct`, so they are
 * checked and recorded like every act), and capacity changes with their history.
 */
import { accessibleQuery } from '../../authz/accessible';
import { assertCan } from '../../authz/authorize';
import type { Context } from '../../graphql/context';
import { appError, notFound } from '../../graphql/errors';
import { requireVisible, unscoped } from '../../graphql/reads';
import { Topteam } from '../topteams/topteam.entity';
import { Trajectory } from '../trajectories/trajectory.entity';
import { invalidTransition, performAct, requireActor } from '../trajectories/workflow/perform-act';
import { assignTeam, proposalFor, teamLoads } from './assignment';
import { AssignTeamInput, ReassignTeamInput, SetTeamCapacityInput } from './caseload.inputs';
import { AssignmentProposal, LoadState, TeamLoad } from './caseload.types';
import { TeamCapacityChange } from './team-capacity-change.entity';

const round = (n: number) => Math.round(n * 100) / 100;

/** Loads of the teams whose load the caller may see, by name. */
export async function visibleTeamLoads(ctx: Context): Promise<TeamLoad[]> {
  const qb = accessibleQuery(ctx.ability, Topteam, ctx.dataSource, 'team', 'viewLoad');
  if (!qb) return [];
  const visible = new Set((await qb.select('team.id', 'id').getRawMany<{ id: string }>()).map((r) => r.id));
  if (visible.size === 0) return [];
  const { overflowThreshold } = ctx.config.caseload;
  return (await teamLoads(unscoped(ctx, 'team loads: counts per team, returned only for the teams the viewLoad rules show').manager, ctx.actor.partnershipId, ctx.config.caseload))
    .filter((t) => visible.has(t.teamId))
    .map((t) => {
      const thresholdLoad = round(t.capacity * overflowThreshold);
      return {
        teamId: t.teamId,
        name: t.name,
        capacity: t.capacity,
        load: round(t.load),
        freeCapacity: round(t.capacity - t.load),
        thresholdLoad,
        state: t.load >= t.capacity ? LoadState.FULL : t.load >= thresholdLoad ? LoadState.THREATENS_TO_OVERFLOW : LoadState.OK,
        counts: { accepted: t.counts.ACCEPTED, assessment: t.counts.ASSESSMENT, intensive: t.counts.INTENSIVE, consolidation: t.counts.CONSOLIDATION },
        crossWindstreekCases: t.crossWindstreekCases,
        waitingInWindstreek: t.waitingInWindstreek,
      };
    });
}

/** Where should this case go? For those who may assign it (NOT_FOUND / FORBIDDEN otherwise). */
export async function assignmentProposal(ctx: Context, trajectoryId: string): Promise<AssignmentProposal> {
  const trajectory = await requireActor(ctx, 'assignTeam', trajectoryId, 'trajectoryId');
  const loads = await teamLoads(unscoped(ctx, 'team loads for the proposal, for a caller allowed to assign this case (assignTeam)').manager, trajectory.partnershipId, ctx.config.caseload);
  const { proposal, weight } = await proposalFor(unscoped(ctx, 'the proposal for a case the caller may assign (assignTeam)').manager, trajectory, loads, ctx.config.caseload);
  return {
    trajectoryId: trajectory.id,
    caseWeight: weight,
    candidates: proposal.candidates.map((c) => ({
      rank: c.rank, teamId: c.team.teamId, name: c.team.name, home: c.home, neighbour: c.neighbour, capacity: c.team.capacity,
      loadBefore: c.loadBefore, loadAfter: c.loadAfter, freeCapacityAfter: c.freeAfter, reason: c.reason,
    })),
    fitsNowhere: proposal.fitsNowhere,
    leastLoadedTeamId: proposal.leastLoaded?.teamId ?? null,
    summary: proposal.summary,
  };
}

/** The case re-read through the caller's permissions: an assignment can move it out of sight. */
function visibleAfterAct(ctx: Context, trajectory: Trajectory): Promise<Trajectory | null> {
  return ctx.loaders.byId(Trajectory).clear(trajectory.id).load(trajectory.id);
}

/**
 * Assigns an accepted case that has no team yet: to the named team, or by the overflow rule.
 * Returns the case as the caller may see it afterwards (null when it went out of sight).
 */
export async function assignTeamToCase(ctx: Context, input: AssignTeamInput): Promise<Trajectory | null> {
  const { trajectory } = await performAct(ctx, {
    act: 'assignTeam',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: input.reason ?? null,
    effect: async (tx, locked) => {
      if (locked.teamId) throw invalidTransition('assignTeam', locked.phase, 'The case already has a team: use reassignTeam.');
      await assignTeam(tx, locked, ctx.config.caseload, { teamId: input.teamId, actorUserId: ctx.actor.userId, reason: input.reason, whenNothingFits: 'conflict' });
    },
  });
  return visibleAfterAct(ctx, trajectory);
}

/**
 * Moves an assigned case to another team; access moves with it. Returns the case as the
 * caller may see it after the move: null for a gedragswetenschapper who moved it out of the
 * own team (access moved with the case).
 */
export async function reassignTeam(ctx: Context, input: ReassignTeamInput): Promise<Trajectory | null> {
  const { trajectory } = await performAct(ctx, {
    act: 'reassignTeam',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: input.reason,
    effect: async (tx, locked) => {
      if (!locked.teamId) throw invalidTransition('reassignTeam', locked.phase, 'The case has no team yet: use assignTeam.');
      await assignTeam(tx, locked, ctx.config.caseload, { teamId: input.teamId, actorUserId: ctx.actor.userId, reason: input.reason, whenNothingFits: 'conflict' });
    },
  });
  return visibleAfterAct(ctx, trajectory);
}

/** PROGRAMME_COORDINATOR: sets a team's capacity and keeps the change in its history. */
export async function setTeamCapacity(ctx: Context, input: SetTeamCapacityInput): Promise<Topteam> {
  const team = await requireVisible(ctx, Topteam, input.teamId, 'input.teamId');
  assertCan(ctx.ability, 'update', 'Topteam', team, 'Only the programme coordinator sets team capacities.', 'capacity');
  return unscoped(ctx, 'write: a team capacity, after assertCan(update, Topteam.capacity)').transaction(async (tx) => {
    // Capacity changes of one team are serialised on its row, so the history has no gaps.
    const [locked] = await tx.query('SELECT capacity FROM topteam WHERE id = $1 FOR UPDATE', [team.id]);
    if (!locked) throw notFound('Topteam');
    if (locked.capacity === input.capacity) throw appError('BAD_USER_INPUT', `input.capacity: the capacity is already ${input.capacity}.`, { field: 'input.capacity' });
    await tx.update(Topteam, { id: team.id }, { capacity: input.capacity });
    await tx.save(
      tx.create(TeamCapacityChange, {
        partnershipId: team.partnershipId, topteamId: team.id, previousCapacity: locked.capacity, newCapacity: input.capacity,
        reason: input.reason.trim(), changedByUserId: ctx.actor.userId,
      }),
    );
    const updated = tx.create(Topteam, { ...team, capacity: input.capacity });
    ctx.loaders.byId(Topteam).clear(team.id).prime(team.id, updated);
    return updated;
  });
}
