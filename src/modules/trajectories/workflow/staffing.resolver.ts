import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Guarded } from '../../../graphql/policy';
import type { Context } from '../../../graphql/context';
import { Trajectory } from '../trajectory.entity';
import { StaffTrajectoryInput } from './staffing.inputs';
import { staffTrajectory } from './staffing.service';

/** Staffing a case with members of its own team. */
@Resolver()
export class StaffingResolver {
  @Guarded('Trajectory', 'staffCase')
  @Mutation(() => Trajectory, {
    description:
      'Gedragswetenschapper of the assigned Topteam, or the programme coordinator: set who of the case\'s own team is responsible (bezetting): the gedragswetenschapper, the Topdocent and the ambulant hulpverlener. Only the given functions change. BAD_USER_INPUT (naming the field) for someone outside the team or without that function. Recorded as an event; pass expectedVersion to refuse acting on a stale view.',
  })
  staffTrajectory(@Arg('input', () => StaffTrajectoryInput, { description: 'What to do.' }) input: StaffTrajectoryInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return staffTrajectory(ctx, input);
  }
}
