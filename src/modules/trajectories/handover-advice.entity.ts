import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { User } from '../users/user.entity';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** A hand-over advice for the school: what works, to be taken into the student's OPP. */
@ObjectType({ description: 'Handelingsadvies: advice for school and home that goes into the OPP.' })
@Entity()
export class HandoverAdvice extends TrajectoryRecord {
  @Field(() => String, { description: 'The advice (handelingsadvies). Case.' })
  @Column('text')
  advice: string;

  @Field(() => Boolean, { description: 'Taken into the development plan (opgenomen in het OPP).' })
  @Column('boolean', { default: false })
  addedToDevelopmentPlan: boolean;

  @Column('uuid')
  authorUserId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  authorUser?: User;
}
