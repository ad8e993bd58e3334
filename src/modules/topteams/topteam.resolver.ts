import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { BY_NAME, Connection, ConnectionArgs, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage } from '../../graphql/reads';
import { belongsTo, hasMany } from '../../graphql/relations';
import { Trajectory } from '../trajectories/trajectory.entity';
import { Windstreek } from '../windstreken/windstreek.entity';
import { Topteam } from './topteam.entity';
import { CreateTopteamInput } from './topteam.inputs';
import { createTopteam } from './topteam.service';

const TopteamConnection = connectionType(Topteam, 'Topteams');
belongsTo(Topteam, 'windstreek', Windstreek, 'windstreekId', 'The windstreek the team serves.');
hasMany(Topteam, 'trajectories', Trajectory, 'teamId', NEWEST_FIRST, "trajectories assigned to this team (its caseload) that you may see");

@Resolver(() => Topteam)
export class TopteamResolver {
  @Guarded('Topteam', 'read')
  @Query(() => TopteamConnection, { description: 'Topteams you may see, by name.' })
  topteams(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<Topteam>> {
    return listPage(ctx, Topteam, args, BY_NAME);
  }

  @Guarded('Topteam', 'read')
  @Query(() => Topteam, { nullable: true, description: 'One Topteam; null when it does not exist or you may not see it.' })
  topteam(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<Topteam | null> {
    return findVisible(ctx, Topteam, id);
  }

  @Guarded('Topteam', 'create')
  @Mutation(() => Topteam, { description: 'ADMIN: add a Topteam to a windstreek.' })
  createTopteam(@Arg('input', () => CreateTopteamInput, { description: 'What to create or change.' }) input: CreateTopteamInput, @Ctx() ctx: Context): Promise<Topteam> {
    return createTopteam(ctx, input);
  }
}
