import { Field, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, JoinColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** A step on the escalation ladder when school and Topteam cooperation stalls. */
@ObjectType({ description: 'Escalatie: a step on the escalatieladder when cooperation stalls.' })
@Entity()
@Check('"level" BETWEEN 1 AND 4')
export class Escalation extends TrajectoryRecord {
  @Field(() => Int, { description: 'Level on the ladder (niveau), 1 to 4.' })
  @Column('int')
  level: number;

  @Field(() => String, { nullable: true, description: 'Reason (reden). Case: null for roles that see no case text.' })
  @Column('text')
  reason: string;

  @Column('uuid')
  raisedByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  raisedByUser?: User;

  @Field(() => Date, { nullable: true, description: 'When it was resolved (opgelost op); null while open.' })
  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'How it was resolved (afhandeling). Case.' })
  @Column('text', { nullable: true })
  resolution: string | null;
}
