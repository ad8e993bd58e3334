import { Field, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, Unique, UpdateDateColumn, VersionColumn, VirtualColumn } from 'typeorm';
import { ClassifiedRecord } from '../../db/retained-record';
import { TenantManyToOne } from '../../db/tenant-record';
import { CancellationReason, ConsentPurpose, Phase, ProblemArea, RefusalGround } from '../../domain/enums';
import { consentStandsThroughSql } from '../../authz/consent-holds';
import { CooperationAgreements } from './cooperation-agreements';
import { Eligibility } from './eligibility';
import { openFollowUpDueOnSql } from './timeliness';
import { LocalDate } from '../../graphql/scalars';
import { Consultation } from '../consultations/consultation.entity';
import { School } from '../schools/school.entity';
import { Student } from '../students/student.entity';
import { Topteam } from '../topteams/topteam.entity';
import { User } from '../users/user.entity';
import { Windstreek } from '../windstreken/windstreek.entity';

/**
 * A Toptraject, from the registration (step 3) to completion. `windstreekId` is the school's
 * windstreek at registration (the home windstreek), kept on the row so that the advisor's and
 * the overflow rules filter without a join. `version` guards against lost updates.
 */
@ObjectType({ description: 'Toptraject: from the registration (aanmelding) through the phases to completion.' })
@Entity()
@Index(['studentId', 'createdAt', 'id'])
@Index('trajectory_one_running_per_student', ['studentId'], { unique: true, where: `"phase" IN ('REQUESTED', 'IN_REVIEW', 'INFO_REQUESTED', 'ACCEPTED', 'ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION')` })
@Index(['schoolId', 'createdAt', 'id'])
@Index(['teamId', 'createdAt', 'id'])
@Index(['windstreekId', 'createdAt', 'id'])
@Index(['partnershipId', 'phase'])
@Index(['behaviouralScientistUserId'])
@Index(['teacherUserId'])
@Index(['careWorkerUserId'])
@Check('trajectory_team_after_acceptance', `"team_id" IS NULL OR "phase" NOT IN ('REQUESTED', 'IN_REVIEW', 'INFO_REQUESTED', 'REFUSED')`)
@Check('trajectory_staff_needs_team', `"team_id" IS NOT NULL OR ("behavioural_scientist_user_id" IS NULL AND "teacher_user_id" IS NULL AND "care_worker_user_id" IS NULL)`)
@Unique('UQ_trajectory_partnership_id', ['partnershipId', 'id']) // the target of composite keys (TenantManyToOne)
export class Trajectory extends ClassifiedRecord {
  @Column('uuid')
  studentId: string;

  @TenantManyToOne(() => Student, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  student?: Student;

  @Column('uuid')
  schoolId: string;

  @TenantManyToOne(() => School, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  school?: School;

  @Column('uuid')
  windstreekId: string;

  @TenantManyToOne(() => Windstreek, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  windstreek?: Windstreek;

  @Column('uuid', { nullable: true })
  teamId: string | null;

  @TenantManyToOne(() => Topteam, { onDelete: 'RESTRICT' })
  @JoinColumn()
  team?: Topteam;

  /**
   * The case's staffing (bezetting): the responsible gedragswetenschapper, Topdocent and
   * ambulant hulpverlener, each a member of the case's own team with that function
   * (`staffTrajectory`, workflow/staffing.service.ts). A new team starts unstaffed
   * (src/modules/caseload/assignment.ts).
   */
  @Column('uuid', { nullable: true })
  behaviouralScientistUserId: string | null;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn()
  behaviouralScientistUser?: User;

  @Column('uuid', { nullable: true })
  teacherUserId: string | null;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn()
  teacherUser?: User;

  @Column('uuid', { nullable: true })
  careWorkerUserId: string | null;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn()
  careWorkerUser?: User;

  @Column('uuid', { nullable: true })
  consultationId: string | null;

  // SET NULL clears only this column (ON DELETE SET NULL (column), src/db/tenant-record.ts).
  @TenantManyToOne(() => Consultation, { onDelete: 'SET NULL' })
  @JoinColumn()
  consultation?: Consultation;

  @Field(() => Phase, { description: 'Current phase (fase).' })
  @Column({ type: 'enum', enum: Phase, enumName: 'phase' })
  phase: Phase;

  @Field(() => Date, { description: 'When the current phase started (fase gestart op).' })
  @Column('timestamptz')
  phaseStartedAt: Date;

  @Field(() => LocalDate, { nullable: true, description: 'Calendar date (Europe/Amsterdam) the current phase is due (uiterste datum); null for phases without a norm.' })
  @Column('date', { nullable: true })
  phaseDueOn: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Hard limit of the current phase (uiterste grens), for the intensive phase; null otherwise.' })
  @Column('date', { nullable: true })
  phaseLimitOn: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day of the intro meeting (kennismakingsgesprek) that started the assessment phase (onderzoeksfase); its due date counts from it. Null before the assessment.' })
  @Column('date', { nullable: true })
  introMeetingOn: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day of the advice/start meeting (advies-/startgesprek) where the goals were agreed and the intensive phase started; its due date and hard limit count from it. Null before.' })
  @Column('date', { nullable: true })
  startMeetingOn: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day of the advice meeting (adviesgesprek) that closed the trajectory after the assessment because a Toptraject does not fit; null unless CLOSED.' })
  @Column('date', { nullable: true })
  closingMeetingOn: string | null;

  /**
   * The last day through which a consent for care by the Topteam holds for the student
   * (9999-12-31 without end date; null when none stands), computed with the row. The rules
   * grant the team the case fields only while it holds on the request's day (AVG rule 4,
   * src/authz/README.md), and that can be checked in memory because it is loaded with every trajectory. Not a
   * GraphQL field: `careConsentValid` answers from it.
   */
  @VirtualColumn({ type: 'date', query: (alias) => consentStandsThroughSql(`${alias}.student_id`, ConsentPurpose.CARE_BY_TOPTEAM) })
  careConsentValidThrough: string | null;

  /**
   * The student's mentor, loaded with the row, so the mentor's rule is a column condition that
   * field permissions can check in memory. Not a GraphQL field.
   */
  @VirtualColumn({ type: 'uuid', query: (alias) => `SELECT s.mentor_user_id FROM student s WHERE s.id = ${alias}.student_id` })
  studentMentorUserId: string | null;

  /**
   * The due date of the earliest follow-up not recorded yet (null when none is open), loaded with
   * the row, so `timeliness` is decided from the row (trajectory.service.ts). Not a GraphQL field.
   */
  @VirtualColumn({ type: 'date', query: (alias) => openFollowUpDueOnSql(alias) })
  openFollowUpDueOn: string | null;

  /** The student's pseudonym, loaded with the row: what a team sees once consent is withdrawn or expired. */
  @Field(() => String, { nullable: true, description: 'Pseudonym of the student (pseudoniem): what the Topteam sees of a student whose consent was withdrawn or expired.' })
  @VirtualColumn({ type: 'text', query: (alias) => `SELECT s.pseudonym FROM student s WHERE s.id = ${alias}.student_id` })
  studentPseudonym: string;

  @Field(() => [ProblemArea], { nullable: true, description: 'Problem areas (probleemgebieden) the school gets stuck on. Case.' })
  @Column({ type: 'enum', enum: ProblemArea, enumName: 'problem_area', array: true })
  problemAreas: ProblemArea[];

  @Field(() => LocalDate, { nullable: true, description: 'When the parents were informed of the registration (ouders geïnformeerd op): the basis of the partnership\'s own processing (legal task).' })
  @Column('date', { nullable: true })
  parentsInformedOn: string | null;

  @Field(() => Eligibility, { nullable: true, description: 'The target-group answers of the registration (doelgroepcriteria). Case.' })
  @Column('jsonb', { nullable: true })
  eligibility: Eligibility | null;

  @Field(() => CooperationAgreements, { nullable: true, description: 'The cooperation agreements (samenwerkingsafspraken) made at the start of the intensive phase; null until recorded (recordCooperationAgreements). Case.' })
  @Column('jsonb', { nullable: true })
  cooperationAgreements: CooperationAgreements | null;

  @Field(() => CancellationReason, { nullable: true, description: 'Why the trajectory was cancelled (reden beëindiging); null unless CANCELLED.' })
  @Column({ type: 'enum', enum: CancellationReason, enumName: 'cancellation_reason', nullable: true })
  cancellationReason: CancellationReason | null;

  @Field(() => RefusalGround, { nullable: true, description: 'Why the registration was refused (reden afwijzing), by the handbook\'s criteria; null unless REFUSED. The explanation is closingReason.' })
  @Column({ type: 'enum', enum: RefusalGround, enumName: 'refusal_ground', nullable: true })
  refusalGround: RefusalGround | null;

  @Column('uuid')
  registeredByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  registeredByUser?: User;

  @Field(() => String, { nullable: true, description: 'Why it was closed, refused or cancelled (reden). Case.' })
  @Column('text', { nullable: true })
  closingReason: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Version (versie): increases with every act; pass it as expectedVersion to refuse acting on a stale view.' })
  @VersionColumn()
  version: number;
}
