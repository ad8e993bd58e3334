import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { BY_DUE_DATE, Connection, ConnectionArgs, IN_SEQUENCE, NEWEST_FIRST, OLDEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage } from '../../graphql/reads';
import { belongsTo, hasMany } from '../../graphql/relations';
import { Consultation } from '../consultations/consultation.entity';
import { School } from '../schools/school.entity';
import { Student } from '../students/student.entity';
import { Topteam } from '../topteams/topteam.entity';
import { User } from '../users/user.entity';
import { Windstreek } from '../windstreken/windstreek.entity';
import { AbsenceRegistration } from './absence-registration.entity';
import { Complaint } from './complaint.entity';
import { Escalation } from './escalation.entity';
import { Evaluation } from './evaluation.entity';
import { ExitQuestionnaire } from './exit-questionnaire.entity';
import { FollowUp } from './follow-up.entity';
import { Goal } from './goal.entity';
import { HandoverAdvice } from './handover-advice.entity';
import { Note } from './note.entity';
import { TrajectoryEvent } from './trajectory-event.entity';
import { Trajectory } from './trajectory.entity';
import { TrajectoryFilter } from './trajectory.inputs';
import { careConsentHolds, isOverdue, narrowTrajectories } from './trajectory.service';
import { standsOn } from '../../authz/consent-holds';
import { Timeliness } from '../../domain/enums';
import { standingOf, timelinessOf } from './timeliness';
import { LocalDate } from '../../graphql/scalars';

const TrajectoryConnection = connectionType(Trajectory, 'trajectories');
belongsTo(Trajectory, 'student', Student, 'studentId', 'The student (leerling).');
belongsTo(Trajectory, 'school', School, 'schoolId', 'The school that registered the student.');
belongsTo(Trajectory, 'windstreek', Windstreek, 'windstreekId', "The school's windstreek (home windstreek of the case).");
belongsTo(Trajectory, 'team', Topteam, 'teamId', 'The Topteam the case is assigned to; null until assigned.');
belongsTo(Trajectory, 'behaviouralScientist', User, 'behaviouralScientistUserId', "The responsible gedragswetenschapper of the case's team (bezetting), if you may see that account; null while unstaffed.");
belongsTo(Trajectory, 'teacher', User, 'teacherUserId', "The case's Topdocent (bezetting), if you may see that account; null while unstaffed.");
belongsTo(Trajectory, 'careWorker', User, 'careWorkerUserId', "The case's ambulant hulpverlener (bezetting), if you may see that account; null while unstaffed.");
belongsTo(Trajectory, 'consultation', Consultation, 'consultationId', 'The pre-consultation that led to the registration.');
hasMany(Trajectory, 'events', TrajectoryEvent, 'trajectoryId', IN_SEQUENCE, 'events (gebeurtenissen) of the trajectory, in the order they were recorded');
hasMany(Trajectory, 'goals', Goal, 'trajectoryId', OLDEST_FIRST, 'goals (doelen)');
hasMany(Trajectory, 'evaluations', Evaluation, 'trajectoryId', OLDEST_FIRST, 'evaluations (evaluaties)');
hasMany(Trajectory, 'notes', Note, 'trajectoryId', NEWEST_FIRST, 'internal notes of the Topteam (teamnotities)');
hasMany(Trajectory, 'followUps', FollowUp, 'trajectoryId', BY_DUE_DATE, 'follow-ups at 3 and 12 months, by due date');
hasMany(Trajectory, 'escalations', Escalation, 'trajectoryId', OLDEST_FIRST, 'escalations (escalaties)');
hasMany(Trajectory, 'complaints', Complaint, 'trajectoryId', OLDEST_FIRST, 'complaints (klachten)');
hasMany(Trajectory, 'exitQuestionnaires', ExitQuestionnaire, 'trajectoryId', OLDEST_FIRST, 'exit questionnaires (exit-vragenlijsten)');
hasMany(Trajectory, 'handoverAdvice', HandoverAdvice, 'trajectoryId', OLDEST_FIRST, 'hand-over advice (handelingsadviezen) for the OPP');
hasMany(Trajectory, 'absences', AbsenceRegistration, 'trajectoryId', OLDEST_FIRST, 'absence registered by the school (verzuimregistraties)');
for (const child of [TrajectoryEvent, Goal, Evaluation, Note, FollowUp, Escalation, Complaint, ExitQuestionnaire, HandoverAdvice, AbsenceRegistration]) {
  belongsTo(child as typeof Goal, 'trajectory', Trajectory, 'trajectoryId', 'The trajectory this belongs to.');
}

@Resolver(() => Trajectory)
export class TrajectoryResolver {
  @Guarded('Trajectory', 'read')
  @Query(() => TrajectoryConnection, { description: 'Trajectories you may see, newest first.' })
  trajectories(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => TrajectoryFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: TrajectoryFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<Trajectory>> {
    return listPage(ctx, Trajectory, args, NEWEST_FIRST, (qb, alias) => narrowTrajectories(ctx, qb, alias, filter));
  }

  @Guarded('Trajectory', 'read')
  @Query(() => Trajectory, { nullable: true, description: 'One trajectory; null when it does not exist or you may not see it.' })
  trajectory(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<Trajectory | null> {
    return findVisible(ctx, Trajectory, id);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Whether a consent for care by the Topteam holds for the student (toestemming zorg geldig). False: the team sees only a stub and should close the case out.',
  })
  careConsentValid(@Root() trajectory: Trajectory, @Ctx() ctx: Context): boolean | Promise<boolean> {
    // Loaded with the row (a virtual column); a row just written in this request is looked up.
    if (trajectory.careConsentValidThrough !== undefined) return standsOn(trajectory.careConsentValidThrough, ctx.today);
    return ctx.loaders.custom<string, boolean>('careConsentValid', (studentIds) => careConsentHolds(ctx, studentIds)).load(trajectory.studentId);
  }

  @FieldResolver(() => Timeliness, {
    nullable: true,
    description: 'Timeliness (tijdigheid) today: on time, the phase overdue, the intensive phase past its limit, or a follow-up due or overdue.',
  })
  timeliness(@Root() trajectory: Trajectory, @Ctx() ctx: Context): Timeliness {
    return timelinessOf(trajectory, ctx.today);
  }

  @FieldResolver(() => LocalDate, {
    nullable: true,
    description: 'The date `timeliness` refers to: the hard limit (PAST_LIMIT), the due date of the phase (OVERDUE) or of the open follow-up (FOLLOW_UP_OVERDUE, FOLLOW_UP_DUE); null when ON_TIME.',
  })
  timelinessDate(@Root() trajectory: Trajectory, @Ctx() ctx: Context): string | null {
    return standingOf(trajectory, ctx.today).date;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Calendar days today lies past `timelinessDate` (dagen over tijd), for PAST_LIMIT, OVERDUE and FOLLOW_UP_OVERDUE; null otherwise. The day after the date is 1.',
  })
  daysPast(@Root() trajectory: Trajectory, @Ctx() ctx: Context): number | null {
    return standingOf(trajectory, ctx.today).daysPast;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the current phase is past its due date (over tijd), by the Amsterdam calendar.' })
  overdue(@Root() trajectory: Trajectory, @Ctx() ctx: Context): boolean {
    return isOverdue(trajectory.phaseDueOn, ctx.today);
  }
}
