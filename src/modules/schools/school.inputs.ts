import { Reveals } from '../../graphql/reads';
import { IsUUID, Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new school (school) in a windstreek of your partnership.' })
export class CreateSchoolInput {
  @Field(() => String, { description: 'Name (naam).' })
  @Length(1, 200)
  name: string;

  @Field(() => String, { description: 'BRIN code (BRIN-nummer): two digits and two letters or digits, e.g. "12AB".' })
  @Matches(/^[0-9]{2}[A-Z0-9]{2}$/, { message: 'must be two digits followed by two capital letters or digits, e.g. "12AB"' })
  brinCode: string;

  @Field(() => ID, { description: 'The windstreek the school is in.' })
  @IsUUID('all')
  windstreekId: string;
}

@InputType({ description: 'Filter for schools.' })
export class SchoolFilter {
  @Reveals('School', 'windstreek')
  @Field(() => ID, { nullable: true, description: 'Only schools in this windstreek.' })
  @IsUUID('all')
  windstreekId?: string;
}
