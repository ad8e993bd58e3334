import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { Connection, ConnectionArgs, BY_NAME, connectionType } from '../../graphql/pagination';
import { findVisible, listPage } from '../../graphql/reads';
import { hasMany } from '../../graphql/relations';
import { School } from '../schools/school.entity';
import { Topteam } from '../topteams/topteam.entity';
import { Windstreek } from './windstreek.entity';
import { CreateWindstreekInput } from './windstreek.inputs';
import { createWindstreek, neighbourIdsOf } from './windstreek.service';

const WindstreekConnection = connectionType(Windstreek, 'windstreken');
hasMany(Windstreek, 'schools', School, 'windstreekId', BY_NAME, 'schools in this windstreek');
hasMany(Windstreek, 'topteams', Topteam, 'windstreekId', BY_NAME, 'Topteams of this windstreek');

@Resolver(() => Windstreek)
export class WindstreekResolver {
  @Guarded('Windstreek', 'read')
  @Query(() => WindstreekConnection, { description: 'The windstreken of the partnership you may see, by name.' })
  windstreken(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<Windstreek>> {
    return listPage(ctx, Windstreek, args, BY_NAME);
  }

  @Guarded('Windstreek', 'read')
  @Query(() => Windstreek, { nullable: true, description: 'One windstreek; null when it does not exist or you may not see it.' })
  windstreek(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<Windstreek | null> {
    return findVisible(ctx, Windstreek, id);
  }

  @FieldResolver(() => [Windstreek], { description: 'Neighbouring windstreken (aangrenzende windstreken), first choice for overflow.' })
  async neighbours(@Root() windstreek: Windstreek, @Ctx() ctx: Context): Promise<Windstreek[]> {
    const ids = await ctx.loaders.custom<string, string[]>('windstreekNeighbours', (keys) => neighbourIdsOf(ctx, keys)).load(windstreek.id);
    const rows = await ctx.loaders.byId(Windstreek).loadMany(ids);
    return rows.filter((r): r is Windstreek => r instanceof Windstreek).sort((a, b) => a.name.localeCompare(b.name));
  }

  @Guarded('Windstreek', 'create')
  @Mutation(() => Windstreek, { description: 'ADMIN: create a windstreek and its neighbour links.' })
  createWindstreek(@Arg('input', () => CreateWindstreekInput, { description: 'What to create or change.' }) input: CreateWindstreekInput, @Ctx() ctx: Context): Promise<Windstreek> {
    return createWindstreek(ctx, input);
  }
}
