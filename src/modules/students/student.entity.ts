import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, OneToMany, Unique } from 'typeorm';
import { RetainedRecord } from '../../db/retained-record';
import { TenantManyToOne } from '../../db/tenant-record';
import { ExitLevel } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';
import { School } from '../schools/school.entity';
import { User } from '../users/user.entity';
import type { Consent } from '../consents/consent.entity';
import type { Guardian } from './guardian.entity';
import type { Trajectory } from '../trajectories/trajectory.entity';

/** A student (leerling) of one school; the data subject of most of the product. */
@ObjectType({ description: 'Leerling: a student of one school, the data subject.' })
@Entity()
@Index(['schoolId', 'studentNumber'], { unique: true })
@Index(['partnershipId', 'pseudonym'], { unique: true })
@Index(['mentorUserId'])
@Index(['schoolId', 'createdAt', 'id'])
@Unique('UQ_student_partnership_id', ['partnershipId', 'id']) // the target of composite keys (TenantManyToOne)
export class Student extends RetainedRecord {
  @Column('uuid')
  schoolId: string;

  @TenantManyToOne(() => School, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  school?: School;

  @Column('uuid', { nullable: true })
  mentorUserId: string | null;

  // SET NULL clears only this column (ON DELETE SET NULL (column), src/db/tenant-record.ts).
  @TenantManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn()
  mentorUser?: User;

  @Field(() => String, { nullable: true, description: 'Given name (voornaam). Identity.' })
  @Column('text')
  givenName: string;

  @Field(() => String, { nullable: true, description: 'Family name (achternaam). Identity.' })
  @Column('text')
  familyName: string;

  @Field(() => LocalDate, { nullable: true, description: 'Birth date (geboortedatum). Identity.' })
  @Column('date')
  birthDate: string;

  @Field(() => String, { nullable: true, description: "The school's student number (leerlingnummer). Identity." })
  @Column('text')
  studentNumber: string;

  @Field(() => ExitLevel, { description: 'Expected exit level (verwacht uitstroomniveau).' })
  @Column({ type: 'enum', enum: ExitLevel, enumName: 'exit_level' })
  expectedExitLevel: ExitLevel;

  @Field(() => String, { description: 'Stable per-partnership pseudonym (pseudoniem), shown instead of identity where identity may not be seen.' })
  @Column('text')
  pseudonym: string;

  @Field(() => String, { nullable: true, description: 'Reference of the development plan (OPP-referentie), not the document.' })
  @Column('text', { nullable: true })
  developmentPlanReference: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Date of the development plan (OPP-datum).' })
  @Column('date', { nullable: true })
  developmentPlanDate: string | null;

  /** The day the student left the school (uitschrijving); the start of the SCHOOL_DATA retention term. */
  @Field(() => LocalDate, { nullable: true, description: 'The day the student left the school (uitgeschreven op); null while enrolled. The retention term of the school data starts here.' })
  @Column('date', { nullable: true })
  leftSchoolOn: string | null;

  @OneToMany('Trajectory', 'student')
  trajectories?: Trajectory[];

  @OneToMany('Consent', 'student')
  consents?: Consent[];

  @OneToMany('Guardian', 'student')
  guardians?: Guardian[];
}
