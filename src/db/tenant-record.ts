import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ObjectLiteral } from 'typeorm';

/**
 * Columns every tenant-owned table has: a UUID, the partnership it belongs to, and its
 * creation time. `partnershipId` is deliberately not a GraphQL field: the tenant is
 * derived from the caller and never shown or taken as input. The index serves both the
 * tenant filter and the default keyset order `(created_at, id)`. The partnership is named by
 * its entity name (src/modules/partnerships/partnership.entity.ts): db imports no feature.
 */
@ObjectType() // base class only: not emitted, since no field returns it
@Index(['partnershipId', 'createdAt', 'id'])
export abstract class TenantRecord {
  @Field(() => ID, { description: 'Stable identifier (id).' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @ManyToOne('Partnership', { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  partnership?: ObjectLiteral;

  @Field(() => Date, { description: 'When the record was created (aangemaakt op).' })
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
