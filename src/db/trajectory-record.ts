import { ObjectType } from 'type-graphql';
import { Column, Index, JoinColumn } from 'typeorm';
import type { ObjectLiteral } from 'typeorm';
import { TenantManyToOne, TenantRecord } from './tenant-record';

/**
 * Columns of every record that belongs to one trajectory (events, goals, notes, …). The
 * trajectory is named by its entity name (src/modules/trajectories/trajectory.entity.ts): db
 * imports no feature. The access log counts every such record as its trajectory (src/audit).
 */
@ObjectType() // base class only: not emitted, since no field returns it
@Index(['trajectoryId', 'createdAt', 'id'])
export abstract class TrajectoryRecord extends TenantRecord {
  @Column('uuid')
  trajectoryId: string;

  @TenantManyToOne('Trajectory', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  trajectory?: ObjectLiteral;
}
