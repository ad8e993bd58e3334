import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { GoalProgress } from '../../domain/enums';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** A goal agreed at the advice/start meeting, with its progress. */
@ObjectType({ description: 'Doel: a goal agreed with student, parents and school, with its progress.' })
@Entity()
export class Goal extends TrajectoryRecord {
  @Field(() => String, { description: 'The goal (doelomschrijving). Case.' })
  @Column('text')
  description: string;

  @Field(() => Boolean, { description: 'Agreed with the student (afgesproken met leerling).' })
  @Column('boolean', { default: false })
  agreedWithStudent: boolean;

  @Field(() => Boolean, { description: 'Agreed with the parents (afgesproken met ouders).' })
  @Column('boolean', { default: false })
  agreedWithParents: boolean;

  @Field(() => Boolean, { description: 'Agreed with the school (afgesproken met school).' })
  @Column('boolean', { default: false })
  agreedWithSchool: boolean;

  @Field(() => GoalProgress, { description: 'Progress (voortgang).' })
  @Column({ type: 'enum', enum: GoalProgress, enumName: 'goal_progress', default: GoalProgress.NOT_STARTED })
  progress: GoalProgress;

  @Field(() => String, { nullable: true, description: 'Latest note on the progress (toelichting). Case.' })
  @Column('text', { nullable: true })
  progressNote: string | null;
}
