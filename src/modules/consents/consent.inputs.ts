import { IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ConsentPurpose } from '../../domain/enums';

@InputType({ description: 'Filter for consent records.' })
export class ConsentFilter {
  @Field(() => ID, { nullable: true, description: 'Only consents of this student.' })
  @IsOptional()
  @IsUUID('all')
  studentId?: string;

  @Field(() => ConsentPurpose, { nullable: true, description: 'Only consents for this purpose (doel).' })
  @IsOptional()
  @IsEnum(ConsentPurpose)
  purpose?: ConsentPurpose;

  @Field(() => Boolean, { nullable: true, description: 'true: only withdrawn consents; false: only those that hold.' })
  @IsOptional()
  @IsBoolean()
  withdrawn?: boolean;
}
