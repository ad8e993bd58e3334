import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { FigureGroupKey } from '../../authz/rules/aggregate.rules';
import type { Context } from '../../graphql/context';
import { dashboard, figureGroup, planForFigures } from './dashboard.service';
import type { DashboardResult } from './dashboard.service';
import { Dashboard, DashboardFilter, FigureGroup } from './dashboard.types';

const group = (ctx: Context, root: DashboardResult, key: FigureGroupKey) => figureGroup(ctx, root.plan, key);

@Resolver(() => Dashboard)
export class DashboardResolver {
  @Guarded('Trajectory', 'aggregate')
  @Query(() => Dashboard, { description: 'The programme\'s figures (dashboard) within your aggregate scope, in one request: select the groups you need; each costs one SQL statement. Small counts are suppressed where you may count rows you may not read.' })
  async dashboard(@Arg('filter', () => DashboardFilter, { nullable: true, description: 'Period, buckets and breakdown.' }) filter: DashboardFilter | undefined, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Dashboard> {
    const result = dashboard(ctx, filter);
    await planForFigures(ctx, info.operation);
    return result;
  }

  @FieldResolver(() => FigureGroup, { nullable: true })
  intake(@Root() root: DashboardResult, @Ctx() ctx: Context): Promise<FigureGroup | null> {
    return group(ctx, root, 'intake');
  }

  @FieldResolver(() => FigureGroup, { nullable: true })
  caseload(@Root() root: DashboardResult, @Ctx() ctx: Context): Promise<FigureGroup | null> {
    return group(ctx, root, 'caseload');
  }

  @FieldResolver(() => FigureGroup, { nullable: true })
  timeliness(@Root() root: DashboardResult, @Ctx() ctx: Context): Promise<FigureGroup | null> {
    return group(ctx, root, 'timeliness');
  }

  @FieldResolver(() => FigureGroup, { nullable: true })
  results(@Root() root: DashboardResult, @Ctx() ctx: Context): Promise<FigureGroup | null> {
    return group(ctx, root, 'results');
  }

  @FieldResolver(() => FigureGroup, { nullable: true })
  privacy(@Root() root: DashboardResult, @Ctx() ctx: Context): Promise<FigureGroup | null> {
    return group(ctx, root, 'privacy');
  }
}
