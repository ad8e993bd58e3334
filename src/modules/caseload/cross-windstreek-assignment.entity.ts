import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn } from 'typeorm';
import { Topteam } from '../topteams/topteam.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';
import { User } from '../users/user.entity';

/** A case assigned to a team outside its home windstreek, with who approved it and why. */
@ObjectType({ description: 'Windstreekoverstijgende toewijzing: a case assigned outside its home windstreek.' })
@Entity()
export class CrossWindstreekAssignment extends TrajectoryRecord {
  @Column('uuid', { nullable: true })
  originalTeamId: string | null;

  @TenantManyToOne(() => Topteam, { onDelete: 'RESTRICT' })
  @JoinColumn()
  originalTeam?: Topteam;

  @Column('uuid')
  assignedTeamId: string;

  @TenantManyToOne(() => Topteam, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  assignedTeam?: Topteam;

  @Field(() => String, { description: 'Why (reden), including the loads that led to it.' })
  @Column('text')
  reason: string;

  @Column('uuid')
  approvedByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  approvedByUser?: User;
}
