import { IsEmail, IsEnum, IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Role, TeamFunction } from '../../domain/enums';

@InputType({ description: 'A new account (gebruiker) in your partnership.' })
export class CreateUserInput {
  @Field(() => String, { description: 'E-mail address (e-mailadres); stored in lower case.' })
  @IsEmail()
  @Length(3, 254)
  email: string;

  @Field(() => String, { description: 'Display name (naam).' })
  @Length(1, 200)
  name: string;

  @Field(() => String, { nullable: true, description: 'Subject (sub) at the identity provider; defaults to the e-mail address.' })
  @IsOptional()
  @Length(1, 255)
  subject?: string;
}

@InputType({ description: 'A role to grant, with exactly the scope that role needs.' })
export class GrantMembershipInput {
  @Field(() => ID, { description: 'The user who gets the role.' })
  @IsUUID('all')
  userId: string;

  @Field(() => Role, { description: 'The role (rol).' })
  @IsEnum(Role)
  role: Role;

  @Field(() => ID, { nullable: true, description: 'Windstreek, for EDUCATION_ADVISOR.' })
  @IsOptional()
  @IsUUID('all')
  windstreekId?: string;

  @Field(() => ID, { nullable: true, description: 'School, for SCHOOL_COORDINATOR and MENTOR.' })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;

  @Field(() => ID, { nullable: true, description: 'Topteam, for TEAM_MEMBER.' })
  @IsOptional()
  @IsUUID('all')
  topteamId?: string;

  @Field(() => TeamFunction, { nullable: true, description: 'Function in the Topteam (functie), for TEAM_MEMBER.' })
  @IsOptional()
  @IsEnum(TeamFunction)
  teamFunction?: TeamFunction;
}

@InputType({ description: 'A membership to revoke.' })
export class RevokeMembershipInput {
  @Field(() => ID, { description: 'The membership (lidmaatschap) to revoke.' })
  @IsUUID('all')
  membershipId: string;
}
