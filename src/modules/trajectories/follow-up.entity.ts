import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn } from 'typeorm';
import { FollowUpMoment } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';
import { User } from '../users/user.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** Follow-up 3 or 12 months after consolidation ends. */
@ObjectType({ description: 'Follow-up: 3 and 12 months after the consolidation phase ends.' })
@Entity()
@Index(['trajectoryId', 'moment'], { unique: true })
@Index(['trajectoryId', 'dueOn', 'id'])
export class FollowUp extends TrajectoryRecord {
  @Field(() => FollowUpMoment, { description: 'Which moment (moment).' })
  @Column({ type: 'enum', enum: FollowUpMoment, enumName: 'follow_up_moment' })
  moment: FollowUpMoment;

  @Field(() => LocalDate, { description: 'Due date (datum).' })
  @Column('date')
  dueOn: string;

  @Field(() => Date, { nullable: true, description: 'When it was recorded (vastgelegd op); null while open.' })
  @Column('timestamptz', { nullable: true })
  recordedAt: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Still in education (nog op school).' })
  @Column('boolean', { nullable: true })
  stillInEducation: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'At the expected exit level (op verwacht uitstroomniveau).' })
  @Column('boolean', { nullable: true })
  atExpectedExitLevel: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Diploma expected (diploma verwacht).' })
  @Column('boolean', { nullable: true })
  diplomaExpected: boolean | null;

  @Field(() => String, { nullable: true, description: 'How it is going (hoe gaat het): what the student, the parents and the school say. Case.' })
  @Column('text', { nullable: true })
  howIsItGoing: string | null;

  @Column('uuid', { nullable: true })
  recordedByUserId: string | null;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn()
  recordedByUser?: User;
}
