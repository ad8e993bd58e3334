/**
 * The one assignment function: which Topteam gets a case, and storing that choice safely.
 * Acceptance of a registration, `assignTeam` and `reassignTeam` all call `assignTeam` here,
 * inside the act's transaction (the trajectory row is already locked by the act).
 *
 * Concurrency: every assignment first locks all Topteam rows of the partnership, in id order
 * (so two assignments never deadlock), and only then reads the loads. Assignments within a
 * partnership therefore happen one at a time, each seeing the loads the previous one left,
 * and no team can be pushed past its capacity, however many requests arrive at once. A
 * partnership has a handful of teams and assignments are rare, so serialising them costs
 * little. The locks are held until the request's unit of work commits (src/graphql/unit-of-work.ts),
 * i.e. after the answer is resolved and the access log written: still milliseconds.
 */
import { EntityManager } from 'typeorm';
import type { CaseloadSettings } from '../../config';
import { Phase } from '../../domain/enums';
import { appError, badInput, notFound } from '../../graphql/errors';
import { Trajectory } from '../trajectories/trajectory.entity';
import { clearStaffing } from '../trajectories/workflow/staffing.service';
import { CrossWindstreekAssignment } from './cross-windstreek-assignment.entity';
import { Proposal, proposeTeams, TeamLoadInput } from './proposal';

/** Phases whose trajectories count in a team's load. */
export const LOAD_PHASES = [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION] as const;

export interface TeamLoadRow extends TeamLoadInput {
  counts: Record<(typeof LOAD_PHASES)[number], number>;
  /** Accepted cases of the team's windstreek that have no team yet (the waiting list). */
  waitingInWindstreek: number;
}

/** The weight a trajectory in `phase` adds to its team's load (0 outside the load phases). */
export function caseWeight(phase: Phase, settings: CaseloadSettings): number {
  return (LOAD_PHASES as readonly Phase[]).includes(phase) ? settings.weights[phase as (typeof LOAD_PHASES)[number]] : 0;
}

/**
 * Every team of the partnership with its load, per-phase counts, cross-windstreek cases and
 * its windstreek's waiting list, computed in one SQL statement. `lock` first locks the team rows (see above).
 */
export async function teamLoads(manager: EntityManager, partnershipId: string, settings: CaseloadSettings, lock = false): Promise<TeamLoadRow[]> {
  if (lock) await manager.query('SELECT id FROM topteam WHERE partnership_id = $1 ORDER BY id FOR UPDATE', [partnershipId]);
  const rows: Array<Record<string, string>> = await manager.query(
    `SELECT t.id, t.name, t.windstreek_id, t.capacity,
            COALESCE(SUM(CASE x.phase WHEN 'ACCEPTED' THEN $2::numeric WHEN 'ASSESSMENT' THEN $3::numeric
                                      WHEN 'INTENSIVE' THEN $4::numeric WHEN 'CONSOLIDATION' THEN $5::numeric END), 0) AS load,
            COUNT(x.id) FILTER (WHERE x.phase = 'ACCEPTED') AS accepted,
            COUNT(x.id) FILTER (WHERE x.phase = 'ASSESSMENT') AS assessment,
            COUNT(x.id) FILTER (WHERE x.phase = 'INTENSIVE') AS intensive,
            COUNT(x.id) FILTER (WHERE x.phase = 'CONSOLIDATION') AS consolidation,
            COUNT(x.id) FILTER (WHERE x.windstreek_id <> t.windstreek_id) AS cross_windstreek,
            (SELECT count(*) FROM trajectory w
              WHERE w.partnership_id = $1 AND w.windstreek_id = t.windstreek_id AND w.phase = 'ACCEPTED' AND w.team_id IS NULL) AS waiting
       FROM topteam t
       LEFT JOIN trajectory x ON x.team_id = t.id AND x.phase IN ('ACCEPTED', 'ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION')
      WHERE t.partnership_id = $1
      GROUP BY t.id
      ORDER BY t.name, t.id`,
    [partnershipId, settings.weights.ACCEPTED, settings.weights.ASSESSMENT, settings.weights.INTENSIVE, settings.weights.CONSOLIDATION],
  );
  return rows.map((r) => ({
    teamId: r.id,
    name: r.name,
    windstreekId: r.windstreek_id,
    capacity: Number(r.capacity),
    load: Number(r.load),
    crossWindstreekCases: Number(r.cross_windstreek),
    waitingInWindstreek: Number(r.waiting),
    counts: { ACCEPTED: Number(r.accepted), ASSESSMENT: Number(r.assessment), INTENSIVE: Number(r.intensive), CONSOLIDATION: Number(r.consolidation) },
  }));
}

/** The ids of the windstreken that neighbour `windstreekId`. */
async function neighboursOf(manager: EntityManager, windstreekId: string): Promise<Set<string>> {
  const rows: Array<{ neighbour_id: string }> = await manager.query('SELECT neighbour_id FROM windstreek_neighbour WHERE windstreek_id = $1', [windstreekId]);
  return new Set(rows.map((r) => r.neighbour_id));
}

/** The ranked proposal for `trajectory`, from `loads` (read by the caller, locked or not). */
export async function proposalFor(
  manager: EntityManager,
  trajectory: Trajectory,
  loads: TeamLoadRow[],
  settings: CaseloadSettings,
): Promise<{ proposal: Proposal; weight: number }> {
  const weight = weightOfCase(trajectory, settings);
  const proposal = proposeTeams({
    caseWeight: weight,
    homeWindstreekId: trajectory.windstreekId,
    neighbourIds: await neighboursOf(manager, trajectory.windstreekId),
    threshold: settings.overflowThreshold,
    // A team's current case is not part of the load it would take on.
    teams: loads.map((team) => (team.teamId === trajectory.teamId ? { ...team, load: team.load - weight } : team)),
    excludeTeamId: trajectory.teamId,
  });
  return { proposal, weight };
}

/** A case already assigned keeps its phase's weight; an accepted one weighs what a new case weighs. */
function weightOfCase(trajectory: Trajectory, settings: CaseloadSettings): number {
  return caseWeight(trajectory.teamId ? trajectory.phase : Phase.ACCEPTED, settings);
}

/** What a CONFLICT about capacity carries: the current proposal, so the client can choose again. */
function capacityConflict(message: string, proposal: Proposal): Error {
  return appError('CONFLICT', `${message} ${proposal.summary}`, {
    proposal: {
      fitsNowhere: proposal.fitsNowhere,
      candidates: proposal.candidates.map((c) => ({ teamId: c.team.teamId, name: c.team.name, loadBefore: c.loadBefore, loadAfter: c.loadAfter, capacity: c.team.capacity })),
      leastLoadedTeamId: proposal.leastLoaded?.teamId ?? null,
    },
  });
}

export interface Assignment {
  teamId: string;
  teamName: string;
  reason: string;
  crossWindstreek: boolean;
}

export interface AssignOptions {
  /** The team to assign; absent: the top of the proposal. */
  teamId?: string | null;
  /** Who decides (recorded as approver of a cross-windstreek assignment). */
  actorUserId: string;
  /** Why, in the decider's words (added to the recorded reason). */
  reason?: string | null;
  /**
   * Without `teamId`, when no team fits under its threshold: `null` leaves the case unassigned
   * (acceptance: the programme coordinator assigns it later); 'conflict' refuses with CONFLICT.
   */
  whenNothingFits: 'leave-unassigned' | 'conflict';
}

/**
 * Assigns `trajectory` (already locked by the act) to a team, or returns null when the
 * proposal is empty and `whenNothingFits` allows leaving it unassigned.
 */
export async function assignTeam(tx: EntityManager, trajectory: Trajectory, settings: CaseloadSettings, options: AssignOptions): Promise<Assignment | null> {
  const loads = await teamLoads(tx, trajectory.partnershipId, settings, true);
  const { proposal, weight } = await proposalFor(tx, trajectory, loads, settings);
  let chosen: TeamLoadRow;
  let why: string;
  if (options.teamId) {
    const named = loads.find((t) => t.teamId === options.teamId);
    if (!named) throw notFound('Topteam');
    if (named.teamId === trajectory.teamId) throw badInput('input.teamId', 'input.teamId: the case is already assigned to this team.');
    // The hard limit: a named team may be filled up to its capacity, never past it.
    if (named.load + weight > named.capacity) {
      throw capacityConflict(`${named.name} has no room: its load would go from ${named.load} to ${named.load + weight} of ${named.capacity}.`, proposal);
    }
    chosen = named;
    const candidate = proposal.candidates.find((c) => c.team.teamId === named.teamId);
    why = candidate ? candidate.reason : `${named.name}: load ${named.load} → ${named.load + weight} of ${named.capacity}, chosen over the proposal.`;
  } else if (proposal.candidates.length > 0) {
    chosen = loads.find((t) => t.teamId === proposal.candidates[0].team.teamId)!;
    why = proposal.candidates[0].reason;
  } else if (options.whenNothingFits === 'leave-unassigned') {
    return null;
  } else {
    throw capacityConflict('No team can take the case under its threshold.', proposal);
  }

  // Raw on purpose: the act has already bumped the version of the locked row once. The
  // staffing belongs to the team: a case that changes team starts unstaffed in the new one
  // (`clearStaffing`, src/modules/trajectories/workflow/staffing.service.ts).
  await tx.query('UPDATE trajectory SET team_id = $1 WHERE id = $2', [chosen.teamId, trajectory.id]);
  await clearStaffing(tx, trajectory.id);
  const previousTeamId = trajectory.teamId;
  Object.assign(trajectory, { teamId: chosen.teamId, behaviouralScientistUserId: null, teacherUserId: null, careWorkerUserId: null });
  const reason = [why, options.reason?.trim()].filter(Boolean).join(' ');
  const crossWindstreek = chosen.windstreekId !== trajectory.windstreekId;
  if (crossWindstreek) {
    const home = loads.find((t) => t.windstreekId === trajectory.windstreekId);
    await tx.save(
      tx.create(CrossWindstreekAssignment, {
        partnershipId: trajectory.partnershipId,
        trajectoryId: trajectory.id,
        originalTeamId: previousTeamId ?? home?.teamId ?? null,
        assignedTeamId: chosen.teamId,
        reason,
        approvedByUserId: options.actorUserId,
      }),
    );
  }
  return { teamId: chosen.teamId, teamName: chosen.name, reason, crossWindstreek };
}
