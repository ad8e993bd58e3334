import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { Connection, ConnectionArgs, NEWEST_FIRST, OLDEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage, whereEquals } from '../../graphql/reads';
import { belongsTo, hasMany } from '../../graphql/relations';
import { Consent } from '../consents/consent.entity';
import { School } from '../schools/school.entity';
import { Trajectory } from '../trajectories/trajectory.entity';
import { User } from '../users/user.entity';
import { Guardian } from './guardian.entity';
import { StudentSchoolChange } from './student-school-change.entity';
import { Student } from './student.entity';
import { CreateStudentInput, RecordLeftSchoolInput, StudentFilter, TransferStudentInput, UpdateStudentInput } from './student.inputs';
import { createStudent, recordLeftSchool, transferStudent, updateStudent } from './student.service';

const StudentConnection = connectionType(Student, 'students');
belongsTo(Student, 'school', School, 'schoolId', 'The school the student is enrolled at.');
belongsTo(Student, 'mentor', User, 'mentorUserId', 'The mentor (mentor), if you may see that account.');
hasMany(Student, 'guardians', Guardian, 'studentId', OLDEST_FIRST, 'parents and carers (ouders/verzorgers) of the student');
hasMany(Student, 'consents', Consent, 'studentId', NEWEST_FIRST, 'consent records (toestemmingen) of the student');
hasMany(Student, 'trajectories', Trajectory, 'studentId', NEWEST_FIRST, 'trajectories (Toptrajecten) of the student');
belongsTo(Guardian, 'student', Student, 'studentId', 'The student.');
hasMany(Student, 'schoolChanges', StudentSchoolChange, 'studentId', NEWEST_FIRST, 'transfers (overstappen) of the student to another school of the partnership, newest first');
belongsTo(StudentSchoolChange, 'student', Student, 'studentId', 'The student.');
belongsTo(StudentSchoolChange, 'fromSchool', School, 'fromSchoolId', 'The school the student left (vorige school), if you may see it.');
belongsTo(StudentSchoolChange, 'toSchool', School, 'toSchoolId', 'The school the student moved to (nieuwe school), if you may see it.');
belongsTo(StudentSchoolChange, 'transferredBy', User, 'transferredByUserId', 'Who recorded the transfer, if you may see that account.');

@Resolver(() => Student)
export class StudentResolver {
  @Guarded('Student', 'read')
  @Query(() => StudentConnection, { description: 'Students you may see, newest first.' })
  students(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => StudentFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: StudentFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<Student>> {
    return listPage(ctx, Student, args, NEWEST_FIRST, (qb, alias) => {
      whereEquals(qb, alias, { schoolId: filter?.schoolId });
    });
  }

  @Guarded('Student', 'read')
  @Query(() => Student, { nullable: true, description: 'One student; null when it does not exist or you may not see it.' })
  student(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<Student | null> {
    return findVisible(ctx, Student, id);
  }

  @Guarded('Student', 'create')
  @Mutation(() => Student, { description: 'SCHOOL_COORDINATOR: register a student of your school, with parents and carers.' })
  createStudent(@Arg('input', () => CreateStudentInput, { description: 'What to create or change.' }) input: CreateStudentInput, @Ctx() ctx: Context): Promise<Student> {
    return createStudent(ctx, input);
  }

  @Guarded('Student', 'update')
  @Mutation(() => Student, { description: 'SCHOOL_COORDINATOR: change a student of your school (OPP, mentor, expected exit level, names, student number); only the given fields change.' })
  updateStudent(@Arg('input', () => UpdateStudentInput, { description: 'What to change.' }) input: UpdateStudentInput, @Ctx() ctx: Context): Promise<Student> {
    return updateStudent(ctx, input);
  }

  @Guarded('Student', 'update')
  @Mutation(() => Student, { description: 'SCHOOL_COORDINATOR: record that a student left your school (uitschrijving); starts the retention term of the school data. CONFLICT when already recorded.' })
  recordLeftSchool(@Arg('input', () => RecordLeftSchoolInput, { description: 'What to record.' }) input: RecordLeftSchoolInput, @Ctx() ctx: Context): Promise<Student> {
    return recordLeftSchool(ctx, input);
  }

  @Guarded('Student', 'update')
  @Mutation(() => Student, {
    nullable: true,
    description: "SCHOOL_COORDINATOR of the student's school, PROGRAMME_COORDINATOR: transfer a student to another school of the partnership (overstap). The mentor is cleared, a running trajectory follows (its team and home windstreek stay), finished ones stay with their school; access moves with the student. Returns the student as you may see them afterwards: null when they moved out of your sight.",
  })
  transferStudent(@Arg('input', () => TransferStudentInput, { description: 'The student, the receiving school and the day.' }) input: TransferStudentInput, @Ctx() ctx: Context): Promise<Student | null> {
    return transferStudent(ctx, input);
  }
}
