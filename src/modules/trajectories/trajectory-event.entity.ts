import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Generated, Index, JoinColumn } from 'typeorm';
import { Phase } from '../../domain/enums';
import { User } from '../users/user.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** One act on a trajectory: who, when, from which phase to which, and why. Append-only. */
@ObjectType({ description: 'Gebeurtenis: one act on a trajectory (who, when, from, to, reason).' })
@Entity()
@Index(['trajectoryId', 'sequence', 'id'])
export class TrajectoryEvent extends TrajectoryRecord {
  /**
   * Order of recording. Acts in one transaction share `now()`, so the creation time cannot
   * order them; the history is read in this order.
   */
  @Column('bigint')
  @Generated('increment')
  sequence: string;

  @Field(() => String, { description: 'The act of the handbook (handeling), e.g. "submitRegistration".' })
  @Column('text')
  act: string;

  @Field(() => Phase, { nullable: true, description: 'Phase before the act (van fase).' })
  @Column({ type: 'enum', enum: Phase, nullable: true })
  fromPhase: Phase | null;

  @Field(() => Phase, { nullable: true, description: 'Phase after the act (naar fase).' })
  @Column({ type: 'enum', enum: Phase, nullable: true })
  toPhase: Phase | null;

  @Column('uuid')
  actorUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  actorUser?: User;

  @Field(() => Date, { description: 'When the act happened (tijdstip), by the clock of the API.' })
  @Column('timestamptz', { default: () => 'now()' })
  occurredAt: Date;

  @Field(() => String, { nullable: true, description: 'Reason (reden). Case.' })
  @Column('text', { nullable: true })
  reason: string | null;
}
