import { ObjectType } from 'type-graphql';
import { Column, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TenantRecord } from '../../db/tenant-record';
import { Trajectory } from './trajectory.entity';

/** Columns of every record that belongs to one trajectory (events, goals, notes, …). */
@ObjectType() // base class only: not emitted, since no field returns it
@Index(['trajectoryId', 'createdAt', 'id'])
export abstract class TrajectoryRecord extends TenantRecord {
  @Column('uuid')
  trajectoryId: string;

  @ManyToOne(() => Trajectory, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  trajectory?: Trajectory;
}
