import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { Topteam } from '../topteams/topteam.entity';
import { User } from '../users/user.entity';

/** The audit trail of a team's capacity: who changed it, from what, to what, and why. */
@ObjectType({ description: 'Capaciteitswijziging: a change of a Topteam\'s capacity by the programme coordinator.' })
@Entity()
@Index(['topteamId', 'createdAt', 'id'])
export class TeamCapacityChange extends TenantRecord {
  @Column('uuid')
  topteamId: string;

  @TenantManyToOne(() => Topteam, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  topteam?: Topteam;

  @Field(() => Int, { description: 'Capacity before (oude capaciteit).' })
  @Column('int')
  previousCapacity: number;

  @Field(() => Int, { description: 'Capacity after (nieuwe capaciteit).' })
  @Column('int')
  newCapacity: number;

  @Field(() => String, { description: 'Why (reden).' })
  @Column('text')
  reason: string;

  @Column('uuid')
  changedByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  changedByUser?: User;
}
