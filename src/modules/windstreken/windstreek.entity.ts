import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantRecord } from '../../db/tenant-record';

/**
 * A region of a partnership with one Topteam; neighbours matter for overflow assignment (they
 * are pairs of their own, ./windstreek-neighbour.entity.ts, keyed on partnership and id: hence
 * the unique key on both).
 */
@ObjectType({ description: 'Windstreek: a region of the partnership, served by one Topteam.' })
@Entity()
@Index(['partnershipId', 'name'], { unique: true })
@Unique('UQ_windstreek_partnership_id', ['partnershipId', 'id'])
export class Windstreek extends TenantRecord {
  @Field(() => String, { description: 'Name (naam), e.g. "Noord".' })
  @Column('text')
  name: string;
}
