import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { BY_NAME, Connection, ConnectionArgs, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage, whereEquals } from '../../graphql/reads';
import { belongsTo, hasMany } from '../../graphql/relations';
import { Student } from '../students/student.entity';
import { Trajectory } from '../trajectories/trajectory.entity';
import { Windstreek } from '../windstreken/windstreek.entity';
import { School } from './school.entity';
import { CreateSchoolInput, SchoolFilter } from './school.inputs';
import { createSchool } from './school.service';

const SchoolConnection = connectionType(School, 'schools');
belongsTo(School, 'windstreek', Windstreek, 'windstreekId', 'The windstreek the school is in.');
hasMany(School, 'students', Student, 'schoolId', NEWEST_FIRST, 'students of this school that you may see');
hasMany(School, 'trajectories', Trajectory, 'schoolId', NEWEST_FIRST, 'trajectories of students of this school that you may see');

@Resolver(() => School)
export class SchoolResolver {
  @Guarded('School', 'read')
  @Query(() => SchoolConnection, { description: 'Schools you may see, by name.' })
  schools(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => SchoolFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: SchoolFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<School>> {
    return listPage(ctx, School, args, BY_NAME, (qb, alias) => {
      whereEquals(qb, alias, { windstreekId: filter?.windstreekId });
    });
  }

  @Guarded('School', 'read')
  @Query(() => School, { nullable: true, description: 'One school; null when it does not exist or you may not see it.' })
  school(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<School | null> {
    return findVisible(ctx, School, id);
  }

  @Guarded('School', 'create')
  @Mutation(() => School, { description: 'ADMIN: add a school to a windstreek.' })
  createSchool(@Arg('input', () => CreateSchoolInput, { description: 'What to create or change.' }) input: CreateSchoolInput, @Ctx() ctx: Context): Promise<School> {
    return createSchool(ctx, input);
  }
}
