import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Connection, ConnectionArgs, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage, whereEquals } from '../../graphql/reads';
import { belongsTo } from '../../graphql/relations';
import { Student } from '../students/student.entity';
import { Consent } from './consent.entity';
import { ConsentFilter } from './consent.inputs';

const ConsentConnection = connectionType(Consent, 'consent records');
belongsTo(Consent, 'student', Student, 'studentId', 'The student the consent is about.');

@Resolver(() => Consent)
export class ConsentResolver {
  @Query(() => ConsentConnection, { description: 'Consent records (toestemmingen) you may see, newest first.' })
  consents(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ConsentFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: ConsentFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<Consent>> {
    return listPage(ctx, Consent, args, NEWEST_FIRST, (qb, alias) => {
      whereEquals(qb, alias, { studentId: filter?.studentId, purpose: filter?.purpose });
      if (filter?.withdrawn !== undefined && filter.withdrawn !== null) {
        qb.andWhere(`"${alias}"."withdrawn_at" IS ${filter.withdrawn ? 'NOT ' : ''}NULL`);
      }
    });
  }

  @Query(() => Consent, { nullable: true, description: 'One consent record; null when it does not exist or you may not see it.' })
  consent(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<Consent | null> {
    return findVisible(ctx, Consent, id);
  }
}
