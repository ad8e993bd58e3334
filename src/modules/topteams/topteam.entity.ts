import { Field, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, OneToMany, Unique } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { Windstreek } from '../windstreken/windstreek.entity';
import type { Trajectory } from '../trajectories/trajectory.entity';

/** A fixed team per windstreek with a caseload capacity. */
@ObjectType({ description: 'Topteam: gedragswetenschapper, two Topdocenten and two ambulant hulpverleners, per windstreek.' })
@Entity()
@Index(['partnershipId', 'name'], { unique: true })
@Index(['windstreekId', 'name', 'id'])
@Check('"capacity" > 0')
@Unique('UQ_topteam_partnership_id', ['partnershipId', 'id']) // the target of composite keys (TenantManyToOne)
export class Topteam extends TenantRecord {
  @Field(() => String, { description: 'Name (naam), e.g. "Topteam Noord".' })
  @Column('text')
  name: string;

  @Field(() => Int, { description: 'Caseload capacity (capaciteit) in weighted trajectories.' })
  @Column('int')
  capacity: number;

  @Column('uuid')
  windstreekId: string;

  @TenantManyToOne(() => Windstreek, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  windstreek?: Windstreek;

  @OneToMany('Trajectory', 'team')
  trajectories?: Trajectory[];
}
