import { Ctx, Query, Resolver } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { Partnership } from './partnership.entity';

@Resolver(() => Partnership)
export class PartnershipResolver {
  @Guarded('Partnership', 'read')
  @Query(() => Partnership, { nullable: true, description: "The caller's own samenwerkingsverband." })
  partnership(@Ctx() ctx: Context): Promise<Partnership | null> {
    return ctx.loaders.byId(Partnership).load(ctx.actor.partnershipId);
  }
}
