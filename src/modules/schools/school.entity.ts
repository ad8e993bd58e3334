import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, OneToMany, Unique } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { Windstreek } from '../windstreken/windstreek.entity';
import type { Student } from '../students/student.entity';

/** A regular secondary school in one windstreek. */
@ObjectType({ description: 'School voor regulier voortgezet onderwijs, in one windstreek.' })
@Entity()
@Index(['partnershipId', 'brinCode'], { unique: true })
@Index(['windstreekId', 'name', 'id'])
@Index(['partnershipId', 'name', 'id'])
@Unique('UQ_school_partnership_id', ['partnershipId', 'id']) // the target of composite keys (TenantManyToOne)
export class School extends TenantRecord {
  @Field(() => String, { description: 'Name (naam).' })
  @Column('text')
  name: string;

  @Field(() => String, { description: 'BRIN code (BRIN-nummer): two digits and two letters, e.g. "12AB".' })
  @Column('text')
  brinCode: string;

  @Column('uuid')
  windstreekId: string;

  @TenantManyToOne(() => Windstreek, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  windstreek?: Windstreek;

  @OneToMany('Student', 'school')
  students?: Student[];
}
