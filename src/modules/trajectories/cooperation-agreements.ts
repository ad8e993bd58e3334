import { Field, ObjectType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';

/**
 * The cooperation agreements (samenwerkingsafspraken) of a case, made at the start of the
 * intensive phase: who at school works with the Topteam, and what was agreed. Stored with the
 * trajectory; `recordCooperationAgreements` replaces them as a whole (expectedVersion required).
 */
@ObjectType({ description: 'Samenwerkingsafspraken: who at school works with the Topteam in the intensive phase, and what was agreed.' })
export class CooperationAgreements {
  @Field(() => LocalDate, { description: 'The day the agreements were made (afgesproken op).' })
  agreedOn: string;

  @Field(() => [String], { description: 'The teachers involved (docenten), by name.' })
  teachers: string[];

  @Field(() => String, { nullable: true, description: 'The mentor, by name.' })
  mentor: string | null;

  @Field(() => String, { nullable: true, description: 'The zorgcoördinator, by name.' })
  careCoordinator: string | null;

  @Field(() => String, { nullable: true, description: 'The school management involved (schoolleiding), by name.' })
  management: string | null;

  @Field(() => String, { description: 'What was agreed (afspraken).' })
  agreements: string;
}
