import { IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ActInput } from './registration.inputs';

@InputType({
  description:
    'Bezetting: who of the case\'s own Topteam is responsible. Only the given fields change; null leaves that function unstaffed. Each person must be a current member of the case\'s team with that function.',
})
export class StaffTrajectoryInput extends ActInput {
  @Field(() => ID, { nullable: true, description: 'The responsible gedragswetenschapper (BEHAVIOURAL_SCIENTIST of the case\'s team); null: none.' })
  @IsOptional()
  @IsUUID('all')
  behaviouralScientistId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The Topdocent (TEACHER of the case\'s team); null: none.' })
  @IsOptional()
  @IsUUID('all')
  teacherId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The ambulant hulpverlener (CARE_WORKER of the case\'s team); null: none.' })
  @IsOptional()
  @IsUUID('all')
  careWorkerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Why (reden), recorded on the event.' })
  @IsOptional()
  @Length(1, 2000)
  reason?: string;
}
