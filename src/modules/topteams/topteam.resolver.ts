import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { BY_NAME, Connection, ConnectionArgs, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage } from '../../graphql/reads';
import { belongsTo, hasMany } from '../../graphql/relations';
import { Trajectory } from '../trajectories/trajectory.entity';
import { Windstreek } from '../windstreken/windstreek.entity';
import { Topteam } from './topteam.entity';
import { CreateTopteamInput } from './topteam.inputs';
import { createTopteam, teamCompositions } from './topteam.service';
import { TeamComposition } from './topteam.types';

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

  @FieldResolver(() => TeamComposition, {
    nullable: true,
    description: 'Composition (samenstelling): members per function now, whether the team is complete per the handbook, and a warning when it is not.',
  })
  composition(@Root() team: Topteam, @Ctx() ctx: Context): Promise<TeamComposition> {
    return ctx.loaders.custom<string, TeamComposition>('teamComposition', (ids) => teamCompositions(ctx, ids)).load(team.id);
  }

  @Guarded('Topteam', 'create')
  @Mutation(() => Topteam, { description: 'ADMIN: add a Topteam to a windstreek.' })
  createTopteam(@Arg('input', () => CreateTopteamInput, { description: 'What to create or change.' }) input: CreateTopteamInput, @Ctx() ctx: Context): Promise<Topteam> {
    return createTopteam(ctx, input);
  }
}
