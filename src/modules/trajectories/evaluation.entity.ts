import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn } from 'typeorm';
import { LocalDate } from '../../graphql/scalars';
import { User } from '../users/user.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** An evaluation: do more of what works, stop what does not. */
@ObjectType({ description: 'Evaluatie: "doe meer van wat werkt, stop met wat niet werkt".' })
@Entity()
export class Evaluation extends TrajectoryRecord {
  @Field(() => LocalDate, { description: 'Date of the evaluation (evaluatiedatum).' })
  @Column('date')
  evaluatedOn: string;

  @Field(() => String, { description: 'What works: do more of it (wat werkt). Case.' })
  @Column('text')
  whatWorks: string;

  @Field(() => String, { description: 'What does not work: stop it (wat werkt niet). Case.' })
  @Column('text')
  whatToStop: string;

  @Field(() => String, { nullable: true, description: 'Summary (samenvatting). Case.' })
  @Column('text', { nullable: true })
  summary: string | null;

  @Column('uuid')
  authorUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  authorUser?: User;
}
