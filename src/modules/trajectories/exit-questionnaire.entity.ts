import { Field, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index } from 'typeorm';
import { Party } from '../../domain/enums';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** The exit questionnaire at closure: at most one answer per party. */
@ObjectType({ description: 'Exit-vragenlijst: satisfaction of one party at closure (score 1–5 and text).' })
@Entity()
@Index(['trajectoryId', 'party'], { unique: true })
@Check('"score" BETWEEN 1 AND 5')
export class ExitQuestionnaire extends TrajectoryRecord {
  @Field(() => Party, { description: 'Who answered (partij).' })
  @Column({ type: 'enum', enum: Party })
  party: Party;

  @Field(() => Int, { description: 'Score from 1 to 5 (tevredenheid).' })
  @Column('int')
  score: number;

  @Field(() => String, { nullable: true, description: 'Comment (toelichting).' })
  @Column('text', { nullable: true })
  comment: string | null;
}
