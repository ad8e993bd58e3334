import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Connection, ConnectionArgs, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { listPage, whereEquals } from '../../graphql/reads';
import { belongsTo } from '../../graphql/relations';
import { Student } from '../students/student.entity';
import { User } from '../users/user.entity';
import { AccessLogEntry } from './access-log-entry.entity';
import { DataSubjectRequest } from './data-subject-request.entity';
import { AccessLogFilter } from './privacy.inputs';

const AccessLogConnection = connectionType(AccessLogEntry, 'access-log entries');
const DataSubjectRequestConnection = connectionType(DataSubjectRequest, 'data-subject requests');
belongsTo(AccessLogEntry, 'user', User, 'userId', 'Who acted (gebruiker).');
belongsTo(AccessLogEntry, 'student', Student, 'studentId', 'The student concerned (betrokkene).');
belongsTo(DataSubjectRequest, 'student', Student, 'studentId', 'The student the request is about.');
belongsTo(DataSubjectRequest, 'handledBy', User, 'handledByUserId', 'Who handles the request.');

@Resolver()
export class PrivacyResolver {
  @Query(() => AccessLogConnection, { description: 'PRIVACY_OFFICER: the access log (NEN 7513), newest first.' })
  accessLog(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AccessLogFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: AccessLogFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<AccessLogEntry>> {
    return listPage(ctx, AccessLogEntry, args, NEWEST_FIRST, (qb, alias) => {
      whereEquals(qb, alias, { studentId: filter?.studentId, userId: filter?.userId, action: filter?.action, outcome: filter?.outcome });
    });
  }

  @Query(() => DataSubjectRequestConnection, { description: 'PRIVACY_OFFICER: data-subject requests, newest first.' })
  dataSubjectRequests(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<DataSubjectRequest>> {
    return listPage(ctx, DataSubjectRequest, args, NEWEST_FIRST);
  }
}
