import { IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ActInput } from '../trajectories/workflow/registration.inputs';

@InputType({ description: 'Assign an accepted case to a Topteam (toewijzen).' })
export class AssignTeamInput extends ActInput {
  @Field(() => ID, { nullable: true, description: 'The team; leave out to take the top of the proposal (the overflow rule chooses).' })
  @IsOptional()
  @IsUUID('all')
  teamId?: string;

  @Field(() => String, { nullable: true, description: 'Why (reden), recorded with the assignment.' })
  @IsOptional()
  @Length(1, 2000)
  reason?: string;
}

@InputType({ description: 'Move a case to another Topteam (herverdelen), e.g. after a capacity change.' })
export class ReassignTeamInput extends ActInput {
  @Field(() => ID, { nullable: true, description: 'The new team; leave out to take the top of the proposal.' })
  @IsOptional()
  @IsUUID('all')
  teamId?: string;

  @Field(() => String, { description: 'Why (reden); required.' })
  @Length(1, 2000)
  reason: string;
}

@InputType({ description: 'Set the caseload capacity of a Topteam (capaciteit instellen).' })
export class SetTeamCapacityInput {
  @Field(() => ID, { description: 'The Topteam.' })
  @IsUUID('all')
  teamId: string;

  @Field(() => Int, { description: 'The new capacity (capaciteit), 1–200.' })
  @Min(1)
  @Max(200)
  capacity: number;

  @Field(() => String, { description: 'Why (reden), kept in the capacity history.' })
  @Length(1, 2000)
  reason: string;
}
