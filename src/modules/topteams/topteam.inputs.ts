import { IsUUID, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'A new Topteam for a windstreek.' })
export class CreateTopteamInput {
  @Field(() => String, { description: 'Name (naam), e.g. "Topteam Noord".' })
  @Length(1, 100)
  name: string;

  @Field(() => ID, { description: 'The windstreek the team serves.' })
  @IsUUID('all')
  windstreekId: string;

  @Field(() => Int, { description: 'Caseload capacity (capaciteit), 1–200.' })
  @Min(1)
  @Max(200)
  capacity: number;
}
