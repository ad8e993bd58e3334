import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinTable, ManyToMany } from 'typeorm';
import { TenantRecord } from '../../db/tenant-record';

/** A region of a partnership with one Topteam; neighbours matter for overflow assignment. */
@ObjectType({ description: 'Windstreek: a region of the partnership, served by one Topteam.' })
@Entity()
@Index(['partnershipId', 'name'], { unique: true })
export class Windstreek extends TenantRecord {
  @Field(() => String, { description: 'Name (naam), e.g. "Noord".' })
  @Column('text')
  name: string;

  /** Symmetric in practice: the seed and `createWindstreek` store both directions. */
  @ManyToMany(() => Windstreek)
  @JoinTable({
    name: 'windstreek_neighbour',
    joinColumn: { name: 'windstreek_id' },
    inverseJoinColumn: { name: 'neighbour_id' },
  })
  neighbours?: Windstreek[];
}
