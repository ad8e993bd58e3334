import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ObjectLiteral, ObjectType as EntityType, RelationOptions } from 'typeorm';

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

/** What deleting the referenced row does to a row that names it through a `TenantManyToOne`. */
export type TenantOnDelete = 'RESTRICT' | 'CASCADE' | 'SET NULL';

/**
 * A many-to-one relation onto another tenant table whose foreign key includes the partnership:
 * `(partnership_id, <relation>_id) -> target (partnership_id, id)`, so a row can only name a row
 * of its own partnership, and both always live together wherever a partnership's data is placed
 * (the README, "From one machine to many"). The target declares the unique key
 * `UQ_<table>_partnership_id` on (partnership_id, id). The relation itself stays on the one
 * column `<relation>_id` (joins, loaders and rules read that; `partnership_id` belongs to the
 * tenant relation above): TypeORM creates no key for it, the composite one is declared on the
 * entity. Use with `@JoinColumn()` and a `<relation>Id` column, like `@ManyToOne`.
 *
 * `ON DELETE SET NULL` on a composite key must clear only the relation's own column, never
 * `partnership_id` (NOT NULL): PostgreSQL 15's `ON DELETE SET NULL (<relation>_id)`. TypeORM
 * cannot declare that column list, so the migration that creates such a key writes it by hand
 * (TenantSetNullKeys); TypeORM reads the key back as `SET NULL` and sees no difference, and
 * test/db/tenant-schema.test.ts checks that a delete clears only that column.
 */
export function TenantManyToOne<T>(
  target: string | (() => EntityType<T>),
  options: Omit<RelationOptions, 'onDelete' | 'createForeignKeyConstraints'> & { onDelete: TenantOnDelete },
): PropertyDecorator {
  return (prototype, propertyName) => {
    const { onDelete, ...relation } = options;
    ManyToOne(target as () => EntityType<T>, { ...relation, createForeignKeyConstraints: false })(prototype, propertyName);
    const columns = ['partnershipId', `${String(propertyName)}Id`] as const;
    ForeignKey(target, columns, ['partnershipId', 'id'], { onDelete })(prototype.constructor);
  };
}
