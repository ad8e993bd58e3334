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
export type TenantOnDelete = 'RESTRICT' | 'CASCADE';

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
 * `ON DELETE SET NULL` is left out on purpose: on a composite key it would clear
 * `partnership_id` too, and setting only the one column (`SET NULL (x_id)`) needs PostgreSQL 15,
 * which TypeORM cannot declare and the API does not require; such relations stay `@ManyToOne`
 * with a single-column key (the known list of test/db/tenant-schema.test.ts).
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
