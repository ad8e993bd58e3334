import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AccessAction, AccessOutcome } from '../../domain/enums';

@InputType({ description: 'Filter for the access log.' })
export class AccessLogFilter {
  @Field(() => ID, { nullable: true, description: 'Only entries about this student.' })
  @IsOptional()
  @IsUUID('all')
  studentId?: string;

  @Field(() => ID, { nullable: true, description: 'Only entries of this user.' })
  @IsOptional()
  @IsUUID('all')
  userId?: string;

  @Field(() => AccessAction, { nullable: true, description: 'Only this kind of access.' })
  @IsOptional()
  @IsEnum(AccessAction)
  action?: AccessAction;

  @Field(() => AccessOutcome, { nullable: true, description: 'Only this outcome.' })
  @IsOptional()
  @IsEnum(AccessOutcome)
  outcome?: AccessOutcome;
}
