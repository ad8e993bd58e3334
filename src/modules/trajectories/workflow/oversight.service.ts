/**
 * Oversight of a trajectory (items 7 and 8 of the handbook's quality chapter): the
 * escalation ladder (escalatieladder), complaints (klachtenregeling) and the exit
 * questionnaire (exit-vragenlijst). Every act goes through `performAct` on the trajectory
 * concerned, so it is checked (visibility, permission, phase) and recorded as an event like
 * any other act. An act addressed by an escalation or complaint id first needs that record
 * to be visible to the caller: a hidden one answers NOT_FOUND, like a missing one.
 */
import { SelectQueryBuilder } from 'typeorm';
import { uniqueOr } from '../../../db/errors';
import { ComplaintStatus, Timeliness } from '../../../domain/enums';
import type { Context } from '../../../graphql/context';
import { appError, badInput, conflict, forbidden } from '../../../graphql/errors';
import { Connection, ConnectionArgs, Keyset, NEWEST_FIRST } from '../../../graphql/pagination';
import { listPage, requireVisible } from '../../../graphql/reads';
import { notInFuture } from '../../../graphql/validation';
import { Complaint } from '../complaint.entity';
import { Escalation } from '../escalation.entity';
import { Trajectory } from '../trajectory.entity';
import { narrowTrajectories } from '../trajectory.service';
import { ExitQuestionnaire } from '../exit-questionnaire.entity';
import {
  ComplaintResolutionInput, EscalateComplaintInput, EscalateTrajectoryInput, EscalationFilter, FileComplaintInput, OVERDUE_LEVELS, OverdueCaseFilter,
  RecordExitQuestionnaireInput, ResolveEscalationInput, TOP_ESCALATION_LEVEL,
} from './oversight.inputs';
import { ActRequest, performAct } from './perform-act';

/** `performAct` for acts whose result is the record they wrote. */
async function performAndRefresh<R>(ctx: Context, request: ActRequest<R>): Promise<R> {
  return (await performAct(ctx, request)).result;
}

// ---------------------------------------------------------------------------------------
// Escalation ladder

/**
 * TEAM_MEMBER of the assigned team: escalates the trajectory to `level`. The ladder only
 * goes up: the level must be higher than that of every open escalation of the trajectory
 * (checked on the locked trajectory, so two concurrent escalations cannot both pass).
 */
export async function escalateTrajectory(ctx: Context, input: EscalateTrajectoryInput): Promise<Escalation> {
  const reason = input.reason.trim();
  if (!reason) throw badInput('input.reason', 'input.reason: say why cooperation stalls.');
  return performAndRefresh(ctx, {
    act: 'escalateTrajectory',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: `Level ${input.level}: ${reason}`,
    effect: async (tx, trajectory) => {
      const open: { max: number | null } | undefined = await tx
        .createQueryBuilder(Escalation, 'e')
        .select('MAX(e.level)', 'max')
        .where('e.trajectoryId = :id AND e.resolvedAt IS NULL', { id: trajectory.id })
        .getRawOne();
      const highestOpen = open?.max === null || open?.max === undefined ? null : Number(open.max);
      if (highestOpen !== null && input.level <= highestOpen) {
        throw badInput(
          'input.level',
          highestOpen >= TOP_ESCALATION_LEVEL
            ? `input.level: an escalation at the top level (${TOP_ESCALATION_LEVEL}) is open; it must be resolved before a new one is raised.`
            : `input.level: must be higher than ${highestOpen}, the level of the open escalation (the ladder only goes up).`,
        );
      }
      return tx.save(
        tx.create(Escalation, {
          partnershipId: trajectory.partnershipId,
          trajectoryId: trajectory.id,
          level: input.level,
          reason,
          raisedByUserId: ctx.actor.userId,
          resolvedAt: null,
          resolution: null,
        }),
      );
    },
  });
}

/** PROGRAMME_COORDINATOR: resolves an open escalation; a resolved one is CONFLICT. */
export async function resolveEscalation(ctx: Context, input: ResolveEscalationInput): Promise<Escalation> {
  const resolution = input.resolution.trim();
  if (!resolution) throw badInput('input.resolution', 'input.resolution: say how the escalation was resolved.');
  const escalation = await requireVisible(ctx, Escalation, input.escalationId, 'input.escalationId');
  return performAndRefresh(ctx, {
    act: 'resolveEscalation',
    trajectoryId: escalation.trajectoryId,
    reason: resolution,
    effect: async (tx) => {
      const resolvedAt = ctx.clock.now();
      const updated = await tx
        .createQueryBuilder()
        .update(Escalation)
        .set({ resolvedAt, resolution })
        .where('id = :id AND resolved_at IS NULL', { id: escalation.id })
        .execute();
      if (updated.affected !== 1) throw conflict('This escalation has already been resolved.');
      return tx.create(Escalation, { ...escalation, resolvedAt, resolution });
    },
  });
}

/** Escalations the caller may see, newest first; `filter.open` narrows to open or resolved ones. */
export function listEscalations(ctx: Context, args: ConnectionArgs, filter: EscalationFilter | undefined): Promise<Connection<Escalation>> {
  return listPage(ctx, Escalation, args, NEWEST_FIRST, (qb: SelectQueryBuilder<Escalation>, alias) => {
    if (filter?.open === undefined || filter.open === null) return;
    const column = qb.expressionMap.mainAlias!.metadata.findColumnWithPropertyName('resolvedAt')!.databaseName;
    qb.andWhere(`"${alias}"."${column}" IS ${filter.open ? '' : 'NOT '}NULL`);
  });
}

// ---------------------------------------------------------------------------------------
// Overdue cases

/** The longest overdue first: by the phase's due date (the hard limit lies a fixed term after it), then id. */
export const LONGEST_OVERDUE_FIRST: Keyset = { property: 'phaseDueOn', kind: 'date', direction: 'ASC' };

/**
 * The cases past the intensive phase's hard limit and past their phase's due date today, the
 * longest overdue first: the programme coordinator's oversight of the partnership (planning
 * fields only, no case text); every other role that reads trajectories gets those of its own
 * scope, with the fields it may read. Roles that read no trajectory (analyst, privacy officer,
 * admin) are FORBIDDEN. The levels are the timeliness rule's (../timeliness.ts, through the
 * trajectory filter), so the list and `Trajectory.timeliness` always agree; the rows are read
 * through the rules and logged like any list of trajectories.
 */
export function listOverdueCases(ctx: Context, args: ConnectionArgs, filter: OverdueCaseFilter | undefined): Promise<Connection<Trajectory>> {
  if (!ctx.ability.can('read', 'Trajectory')) throw forbidden('Only roles that read trajectories see overdue cases.');
  const levels: Timeliness[] = filter?.level ? [...new Set(filter.level)] : [...OVERDUE_LEVELS];
  return listPage(ctx, Trajectory, args, LONGEST_OVERDUE_FIRST, (qb, alias) => narrowTrajectories(ctx, qb, alias, { timeliness: levels }));
}

// ---------------------------------------------------------------------------------------
// Complaints

type ComplaintAct = 'handleComplaint' | 'escalateComplaint' | 'resolveComplaint';

/**
 * The complaint's own small state machine: the Topteam handles it first, then the
 * provider's complaints procedure, until it is resolved; RESOLVED is final.
 */
export const COMPLAINT_ACTS: Record<ComplaintAct, { from: readonly ComplaintStatus[]; to: ComplaintStatus }> = {
  handleComplaint: { from: [ComplaintStatus.RECEIVED], to: ComplaintStatus.HANDLED_BY_TEAM },
  escalateComplaint: { from: [ComplaintStatus.RECEIVED, ComplaintStatus.HANDLED_BY_TEAM], to: ComplaintStatus.ESCALATED_TO_PROVIDER },
  resolveComplaint: {
    from: [ComplaintStatus.RECEIVED, ComplaintStatus.HANDLED_BY_TEAM, ComplaintStatus.ESCALATED_TO_PROVIDER],
    to: ComplaintStatus.RESOLVED,
  },
};

/** The complaint mutations possible in `status`, in table order. */
export function complaintActsAllowedIn(status: ComplaintStatus): ComplaintAct[] {
  return (Object.keys(COMPLAINT_ACTS) as ComplaintAct[]).filter((act) => COMPLAINT_ACTS[act].from.includes(status));
}

/** TEAM_MEMBER of the assigned team (first contact): records a complaint by the student or the parents. */
export async function fileComplaint(ctx: Context, input: FileComplaintInput): Promise<Complaint> {
  const description = input.description.trim();
  if (!description) throw badInput('input.description', 'input.description: describe the complaint.');
  notInFuture(ctx, 'input.receivedOn', input.receivedOn);
  return performAndRefresh(ctx, {
    act: 'fileComplaint',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: `Complaint by ${input.complainant}`,
    effect: (tx, trajectory) =>
      tx.save(
        tx.create(Complaint, {
          partnershipId: trajectory.partnershipId,
          trajectoryId: trajectory.id,
          complainant: input.complainant,
          description,
          status: ComplaintStatus.RECEIVED,
          receivedOn: input.receivedOn,
          escalatedOn: null,
          resolvedOn: null,
          resolution: null,
        }),
      ),
  });
}

/** Moves a complaint on by `act`, on its trajectory (checked and recorded by `performAct`). */
async function moveComplaint(ctx: Context, act: ComplaintAct, complaintId: string, resolution: string | null): Promise<Complaint> {
  const visible = await requireVisible(ctx, Complaint, complaintId, 'input.complaintId');
  const spec = COMPLAINT_ACTS[act];
  return performAndRefresh(ctx, {
    act,
    trajectoryId: visible.trajectoryId,
    reason: resolution,
    effect: async (tx) => {
      const complaint = await tx.findOne(Complaint, { where: { id: visible.id }, lock: { mode: 'pessimistic_write' } });
      if (!complaint) throw conflict('The complaint was removed meanwhile.');
      if (!spec.from.includes(complaint.status)) {
        const allowed = complaintActsAllowedIn(complaint.status);
        throw appError(
          'INVALID_TRANSITION',
          `${act} is not possible for a complaint with status ${complaint.status}. Possible: ${allowed.join(', ') || 'nothing'}.`,
          { status: complaint.status, allowed },
        );
      }
      const today = ctx.today;
      complaint.status = spec.to;
      if (act === 'escalateComplaint') complaint.escalatedOn = today;
      if (act === 'resolveComplaint') complaint.resolvedOn = today;
      if (resolution !== null) complaint.resolution = resolution;
      return tx.save(complaint);
    },
  });
}

function requiredResolution(input: ComplaintResolutionInput): string {
  const resolution = input.resolution.trim();
  if (!resolution) throw badInput('input.resolution', 'input.resolution: say how the complaint was handled.');
  return resolution;
}

/** TEAM_MEMBER: the Topteam has handled the complaint itself (RECEIVED -> HANDLED_BY_TEAM). */
export function handleComplaint(ctx: Context, input: ComplaintResolutionInput): Promise<Complaint> {
  return moveComplaint(ctx, 'handleComplaint', input.complaintId, requiredResolution(input));
}

/** TEAM_MEMBER: hands the complaint on to the provider's procedure (escalatedOn = today). */
export function escalateComplaint(ctx: Context, input: EscalateComplaintInput): Promise<Complaint> {
  return moveComplaint(ctx, 'escalateComplaint', input.complaintId, null);
}

/** TEAM_MEMBER: records the complaint as resolved (resolvedOn = today). */
export function resolveComplaint(ctx: Context, input: ComplaintResolutionInput): Promise<Complaint> {
  return moveComplaint(ctx, 'resolveComplaint', input.complaintId, requiredResolution(input));
}

// ---------------------------------------------------------------------------------------
// Exit questionnaire

/** TEAM_MEMBER: records one party's exit questionnaire at closure; once per party (CONFLICT). */
export function recordExitQuestionnaire(ctx: Context, input: RecordExitQuestionnaireInput): Promise<ExitQuestionnaire> {
  return uniqueOr(
    () =>
      performAndRefresh(ctx, {
        act: 'recordExitQuestionnaire',
        trajectoryId: input.trajectoryId,
        expectedVersion: input.expectedVersion,
        reason: `Exit questionnaire of ${input.party}`,
        effect: (tx, trajectory) =>
          tx.save(
            tx.create(ExitQuestionnaire, {
              partnershipId: trajectory.partnershipId,
              trajectoryId: trajectory.id,
              party: input.party,
              score: input.score,
              comment: input.comment?.trim() || null,
            }),
          ),
      }),
    `The exit questionnaire of ${input.party} has already been recorded for this trajectory.`,
  );
}
