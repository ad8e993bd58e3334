import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { NEWEST_FIRST, OLDEST_FIRST } from '../../graphql/pagination';
import { belongsTo, hasMany } from '../../graphql/relations';
import { Topteam } from '../topteams/topteam.entity';
import { Trajectory } from '../trajectories/trajectory.entity';
import { User } from '../users/user.entity';
import { AssignTeamInput, ReassignTeamInput, SetTeamCapacityInput } from './caseload.inputs';
import { assignTeamToCase, assignmentProposal, reassignTeam, setTeamCapacity, visibleTeamLoads } from './caseload.service';
import { AssignmentProposal, TeamLoad } from './caseload.types';
import { CrossWindstreekAssignment } from './cross-windstreek-assignment.entity';
import { TeamCapacityChange } from './team-capacity-change.entity';

hasMany(Trajectory, 'crossWindstreekAssignments', CrossWindstreekAssignment, 'trajectoryId', OLDEST_FIRST, 'assignments of this case outside its home windstreek');
belongsTo(CrossWindstreekAssignment, 'trajectory', Trajectory, 'trajectoryId', 'The case.');
belongsTo(CrossWindstreekAssignment, 'originalTeam', Topteam, 'originalTeamId', 'The team it came from: the previous team, or the home team (oorspronkelijk team).');
belongsTo(CrossWindstreekAssignment, 'assignedTeam', Topteam, 'assignedTeamId', 'The team it went to (toegewezen team).');
belongsTo(CrossWindstreekAssignment, 'approvedBy', User, 'approvedByUserId', 'Who decided (akkoord gegeven door), if you may see that account.');
hasMany(Topteam, 'capacityChanges', TeamCapacityChange, 'topteamId', NEWEST_FIRST, 'changes of the team\'s capacity (capaciteitshistorie), newest first');
belongsTo(TeamCapacityChange, 'topteam', Topteam, 'topteamId', 'The team.');
belongsTo(TeamCapacityChange, 'changedBy', User, 'changedByUserId', 'Who changed it, if you may see that account.');

const INPUT = { description: 'What to do.' };

@Resolver()
export class CaseloadResolver {
  @Guarded('Topteam', 'viewLoad')
  @Query(() => [TeamLoad], { description: 'Caseload per Topteam (teambelasting) you may see: capacity, weighted load, threshold state, counts per phase, cross-windstreek cases. One entry per team of the partnership.' })
  teamLoads(@Ctx() ctx: Context): Promise<TeamLoad[]> {
    return visibleTeamLoads(ctx);
  }

  @Guarded('Trajectory', 'assignTeam')
  @Query(() => AssignmentProposal, { description: 'Where should this case go? Ranked candidate teams with loads before and after and the reason (toewijzingsvoorstel). For the programme coordinator and the gedragswetenschapper of the home windstreek.' })
  assignmentProposal(@Arg('trajectoryId', () => ID, { description: 'The case (Toptraject).' }) trajectoryId: string, @Ctx() ctx: Context): Promise<AssignmentProposal> {
    return assignmentProposal(ctx, trajectoryId);
  }

  @Guarded('Trajectory', 'assignTeam')
  @Mutation(() => Trajectory, { nullable: true, description: 'Assign an accepted case without a team: to the named team, or by the overflow rule. Never past a team\'s capacity (CONFLICT with the current proposal). Returns the case as you may see it afterwards: null when it left your sight.' })
  assignTeam(@Arg('input', () => AssignTeamInput, INPUT) input: AssignTeamInput, @Ctx() ctx: Context): Promise<Trajectory | null> {
    return assignTeamToCase(ctx, input);
  }

  @Guarded('Trajectory', 'assignTeam')
  @Mutation(() => Trajectory, { nullable: true, description: 'Move a case to another team (herverdelen); access moves with it. Never past the new team\'s capacity. Returns the case as you may see it afterwards: null when it left your sight.' })
  reassignTeam(@Arg('input', () => ReassignTeamInput, INPUT) input: ReassignTeamInput, @Ctx() ctx: Context): Promise<Trajectory | null> {
    return reassignTeam(ctx, input);
  }

  @Guarded('Topteam', 'update')
  @Mutation(() => Topteam, { description: 'PROGRAMME_COORDINATOR: set a team\'s capacity; kept in its capacity history.' })
  setTeamCapacity(@Arg('input', () => SetTeamCapacityInput, INPUT) input: SetTeamCapacityInput, @Ctx() ctx: Context): Promise<Topteam> {
    return setTeamCapacity(ctx, input);
  }
}
