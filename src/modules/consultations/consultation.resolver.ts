import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { Connection, ConnectionArgs, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage } from '../../graphql/reads';
import { belongsTo } from '../../graphql/relations';
import { School } from '../schools/school.entity';
import { Student } from '../students/student.entity';
import { Windstreek } from '../windstreken/windstreek.entity';
import { Consultation } from './consultation.entity';

const ConsultationConnection = connectionType(Consultation, 'consultations');
belongsTo(Consultation, 'school', School, 'schoolId', 'The school that asked.');
belongsTo(Consultation, 'windstreek', Windstreek, 'windstreekId', "The school's windstreek.");
belongsTo(Consultation, 'student', Student, 'studentId', 'The student; null for an anonymous consultation (or one you may not see).');

@Resolver(() => Consultation)
export class ConsultationResolver {
  @Guarded('Consultation', 'read')
  @Query(() => ConsultationConnection, { description: 'Advice and pre-consultations you may see, newest first.' })
  consultations(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<Consultation>> {
    return listPage(ctx, Consultation, args, NEWEST_FIRST);
  }

  @Guarded('Consultation', 'read')
  @Query(() => Consultation, { nullable: true, description: 'One consultation; null when it does not exist or you may not see it.' })
  consultation(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<Consultation | null> {
    return findVisible(ctx, Consultation, id);
  }
}
