import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Windstreek } from './windstreek.entity';

/**
 * Two windstreken that neighbour each other (aangrenzend), stored in both directions (the seed
 * and `createWindstreek` do). It carries its partnership like every tenant table, under the
 * same row-level security, and both keys include it: a pair can only join windstreken of one
 * partnership, and the rows live with that partnership wherever its data is placed (the README,
 * "From one machine to many"). No GraphQL type: `Windstreek.neighbours` reads it.
 */
@Entity('windstreek_neighbour')
@ForeignKey(() => Windstreek, ['partnershipId', 'windstreekId'], ['partnershipId', 'id'], { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
@ForeignKey(() => Windstreek, ['partnershipId', 'neighbourId'], ['partnershipId', 'id'], { onDelete: 'CASCADE', onUpdate: 'CASCADE' })
@Index(['partnershipId', 'neighbourId'])
export class WindstreekNeighbour {
  @PrimaryColumn('uuid', { name: 'windstreek_id' })
  windstreekId: string;

  @PrimaryColumn('uuid', { name: 'neighbour_id' })
  neighbourId: string;

  @Column('uuid', { name: 'partnership_id' })
  partnershipId: string;
}
