import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The outermost tenant: a samenwerkingsverband and its own data controller. */
@ObjectType({ description: 'Samenwerkingsverband (SWV): regional partnership of school boards; the outermost tenant.' })
@Entity()
export class Partnership {
  @Field(() => ID, { description: 'Stable identifier (id).' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { description: 'Name (naam), e.g. "Samenwerkingsverband VO Amsterdam-Diemen".' })
  @Column('text')
  name: string;

  @Field(() => String, { description: 'Short code (code), e.g. the DUO code of the partnership.' })
  @Column('text', { unique: true })
  code: string;

  @Field(() => Date, { description: 'When the record was created (aangemaakt op).' })
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
