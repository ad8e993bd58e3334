import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Guarded } from '../../../graphql/policy';
import type { Context } from '../../../graphql/context';
import { Connection, ConnectionArgs, connectionType } from '../../../graphql/pagination';
import { Complaint } from '../complaint.entity';
import { Escalation } from '../escalation.entity';
import { ExitQuestionnaire } from '../exit-questionnaire.entity';
import {
  ComplaintResolutionInput, EscalateComplaintInput, EscalateTrajectoryInput, EscalationFilter, FileComplaintInput, OverdueCaseFilter,
  RecordExitQuestionnaireInput, ResolveEscalationInput,
} from './oversight.inputs';
import {
  escalateComplaint, escalateTrajectory, fileComplaint, handleComplaint, listEscalations, listOverdueCases, recordExitQuestionnaire, resolveComplaint,
  resolveEscalation,
} from './oversight.service';
import { Trajectory } from '../trajectory.entity';

const INPUT = { description: 'What to do.' };
const EscalationConnection = connectionType(Escalation, 'escalations (escalaties)');
const TrajectoryConnection = connectionType(Trajectory, 'trajectories');

/** Escalations, complaints and exit questionnaires. */
@Resolver()
export class OversightResolver {
  @Guarded('Escalation', 'read')
  @Query(() => EscalationConnection, {
    description: 'Escalations (escalaties) you may see, newest first; the PROGRAMME_COORDINATOR sees those of the whole partnership, without case text.',
  })
  escalations(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => EscalationFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: EscalationFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<Escalation>> {
    return listEscalations(ctx, args, filter);
  }

  @Guarded('Trajectory', 'read')
  @Query(() => TrajectoryConnection, {
    description: 'Overdue cases (trajecten over tijd), the longest overdue first (by due date): the intensive phase past its hard limit (PAST_LIMIT, 16 weeks) and phases past their due date (OVERDUE), today by the Amsterdam calendar. Per case: `timeliness` (the level), `timelinessDate` (the limit or due date) and `daysPast`. The PROGRAMME_COORDINATOR sees those of the whole partnership, without case text; other roles that read trajectories those of their own scope; FORBIDDEN for roles that read none. Logged like every list of trajectories.',
  })
  overdueCases(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => OverdueCaseFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: OverdueCaseFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<Trajectory>> {
    return listOverdueCases(ctx, args, filter);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Escalation, {
    description: 'TEAM_MEMBER of the assigned team (escalatieladder): escalate a trajectory by level with a reason when cooperation stalls; the level must be higher than every open escalation of the trajectory.',
  })
  escalateTrajectory(@Arg('input', () => EscalateTrajectoryInput, INPUT) input: EscalateTrajectoryInput, @Ctx() ctx: Context): Promise<Escalation> {
    return escalateTrajectory(ctx, input);
  }

  @Guarded('Trajectory', 'resolveEscalation')
  @Mutation(() => Escalation, { description: 'PROGRAMME_COORDINATOR (coördinator Toptrajecten): resolve an open escalation; CONFLICT when it was already resolved.' })
  resolveEscalation(@Arg('input', () => ResolveEscalationInput, INPUT) input: ResolveEscalationInput, @Ctx() ctx: Context): Promise<Escalation> {
    return resolveEscalation(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Complaint, { description: 'TEAM_MEMBER of the assigned team, first contact of the klachtenregeling: record a complaint (klacht) by the student or the parents; status RECEIVED.' })
  fileComplaint(@Arg('input', () => FileComplaintInput, INPUT) input: FileComplaintInput, @Ctx() ctx: Context): Promise<Complaint> {
    return fileComplaint(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Complaint, { description: 'TEAM_MEMBER of the assigned team: the Topteam handled the complaint itself (RECEIVED -> HANDLED_BY_TEAM); INVALID_TRANSITION from any other status.' })
  handleComplaint(@Arg('input', () => ComplaintResolutionInput, INPUT) input: ComplaintResolutionInput, @Ctx() ctx: Context): Promise<Complaint> {
    return handleComplaint(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Complaint, { description: "TEAM_MEMBER of the assigned team: hand the complaint on to the provider's klachtenregeling (-> ESCALATED_TO_PROVIDER, escalatedOn today); from RECEIVED or HANDLED_BY_TEAM." })
  escalateComplaint(@Arg('input', () => EscalateComplaintInput, INPUT) input: EscalateComplaintInput, @Ctx() ctx: Context): Promise<Complaint> {
    return escalateComplaint(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Complaint, { description: 'TEAM_MEMBER of the assigned team: the complaint is resolved (afgehandeld; -> RESOLVED, resolvedOn today); RESOLVED is final.' })
  resolveComplaint(@Arg('input', () => ComplaintResolutionInput, INPUT) input: ComplaintResolutionInput, @Ctx() ctx: Context): Promise<Complaint> {
    return resolveComplaint(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => ExitQuestionnaire, { description: 'TEAM_MEMBER of the assigned team (exit-vragenlijst): record the answer of the student, the parents or the school at closure (COMPLETED or CLOSED); once per party.' })
  recordExitQuestionnaire(@Arg('input', () => RecordExitQuestionnaireInput, INPUT) input: RecordExitQuestionnaireInput, @Ctx() ctx: Context): Promise<ExitQuestionnaire> {
    return recordExitQuestionnaire(ctx, input);
  }
}
