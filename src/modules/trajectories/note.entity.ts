import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** A Topteam-internal note: only the assigned team reads it. */
@ObjectType({ description: 'Teamnotitie: internal note of the Topteam; only the assigned team reads it.' })
@Entity()
export class Note extends TrajectoryRecord {
  @Field(() => String, { description: 'Text of the note (tekst). Team notes.' })
  @Column('text')
  body: string;

  @Column('uuid')
  authorUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  authorUser?: User;
}
