import { ArrayMaxSize, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new windstreek (region) of the partnership.' })
export class CreateWindstreekInput {
  @Field(() => String, { description: 'Name (naam), e.g. "Noord".' })
  @Length(1, 100)
  name: string;

  @Field(() => [ID], { defaultValue: [], description: 'Neighbouring windstreken (aangrenzende windstreken); stored in both directions.' })
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  neighbourIds: string[];
}
