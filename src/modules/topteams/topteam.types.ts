import { Field, Int, ObjectType } from 'type-graphql';
import { TeamFunction } from '../../domain/enums';

@ObjectType({ description: 'Samenstelling: the members of a Topteam per function, against the handbook (1 gedragswetenschapper, 2 Topdocenten, 2 ambulant hulpverleners).' })
export class TeamComposition {
  @Field(() => Int, { description: 'Gedragswetenschappers (BEHAVIOURAL_SCIENTIST) in the team now.' })
  behaviouralScientists: number;

  @Field(() => Int, { description: 'Topdocenten (TEACHER) in the team now.' })
  teachers: number;

  @Field(() => Int, { description: 'Ambulant hulpverleners (CARE_WORKER) in the team now.' })
  careWorkers: number;

  @Field(() => Boolean, { description: 'Whether the team has at least the handbook\'s members of every function (volledig).' })
  complete: boolean;

  @Field(() => [TeamFunction], { description: 'One entry per member the team lacks, by function (e.g. [TEACHER] for one Topdocent short); empty when complete.' })
  missing: TeamFunction[];

  @Field(() => String, { nullable: true, description: 'A warning when the team is incomplete (onvolledig team), saying what it lacks; null when complete.' })
  warning: string | null;
}
