import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, Unique } from 'typeorm';
import { ClassifiedRecord } from '../../db/retained-record';
import { TenantManyToOne } from '../../db/tenant-record';
import { ConsultationKind, ConsultationOutcome } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';
import { School } from '../schools/school.entity';
import { Student } from '../students/student.entity';
import { User } from '../users/user.entity';
import { Windstreek } from '../windstreken/windstreek.entity';

/**
 * Step 1 (preventive advice) or step 2 (collegiaal vooroverleg) of the handbook. Both may be
 * anonymous: then there is no student, only a case description. Retention: class
 * PARTNERSHIP_DOSSIER (src/modules/privacy/retention/policy.ts); past its term the case text is
 * erased and the student unlinked, the skeleton (kind, dates, school, outcome) stays.
 */
@ObjectType({ description: 'Preventief advies or collegiaal vooroverleg; may be anonymous (no student, only a case description).' })
@Entity()
@Unique('UQ_consultation_partnership_id', ['partnershipId', 'id']) // the target of composite keys (TenantManyToOne)
@Index(['schoolId', 'createdAt', 'id'])
@Index(['windstreekId', 'createdAt', 'id'])
@Index(['studentId'])
export class Consultation extends ClassifiedRecord {
  @Field(() => ConsultationKind, { description: 'Advice (step 1) or pre-consultation (step 2).' })
  @Column({ type: 'enum', enum: ConsultationKind, enumName: 'consultation_kind' })
  kind: ConsultationKind;

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
  studentId: string | null;

  // SET NULL clears only this column (ON DELETE SET NULL (column), src/db/tenant-record.ts).
  @TenantManyToOne(() => Student, { onDelete: 'SET NULL' })
  @JoinColumn()
  student?: Student;

  @Field(() => String, { description: 'Case description (casusbeschrijving); the only content of an anonymous consultation. Case.' })
  @Column('text')
  caseDescription: string;

  @Column('uuid')
  requestedByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  requestedByUser?: User;

  @Field(() => String, { nullable: true, description: 'OPP reference (OPP-referentie), step 2.' })
  @Column('text', { nullable: true })
  developmentPlanReference: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'OPP date (OPP-datum), step 2.' })
  @Column('date', { nullable: true })
  developmentPlanDate: string | null;

  @Field(() => String, { nullable: true, description: 'Hoe gaat het met de leerling? Case.' })
  @Column('text', { nullable: true })
  howIsTheStudentDoing: string | null;

  @Field(() => String, { nullable: true, description: 'Welke hulp is al geboden en met welk resultaat? Case.' })
  @Column('text', { nullable: true })
  helpGivenAndResult: string | null;

  @Field(() => String, { nullable: true, description: 'Welke andere instanties zijn betrokken? Case.' })
  @Column('text', { nullable: true })
  otherAgenciesInvolved: string | null;

  @Field(() => String, { nullable: true, description: 'Zijn mentor, docenten, leerling en ouders gemotiveerd? Case.' })
  @Column('text', { nullable: true })
  motivation: string | null;

  @Field(() => String, { nullable: true, description: 'Wat kan er nu worden afgesproken? Case.' })
  @Column('text', { nullable: true })
  agreementsNow: string | null;

  @Field(() => String, { nullable: true, description: 'The advice given (advies). Case.' })
  @Column('text', { nullable: true })
  advice: string | null;

  @Field(() => ConsultationOutcome, { nullable: true, description: 'Outcome (uitkomst); null until recorded.' })
  @Column({ type: 'enum', enum: ConsultationOutcome, enumName: 'consultation_outcome', nullable: true })
  outcome: ConsultationOutcome | null;

  @Field(() => Date, { nullable: true, description: 'When the outcome was recorded (vastgelegd op).' })
  @Column('timestamptz', { nullable: true })
  recordedAt: Date | null;

  @Column('uuid', { nullable: true })
  recordedByUserId: string | null;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn()
  recordedByUser?: User;
}
