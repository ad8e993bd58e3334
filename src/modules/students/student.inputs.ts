import { Reveals } from '../../graphql/reads';
import { ArrayMaxSize, IsBoolean, IsEnum, IsOptional, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ExitLevel } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';

@InputType({ description: 'A parent or carer (ouder/verzorger) of a new student.' })
export class GuardianInput {
  @Field(() => String, { description: 'Name (naam).' })
  @Length(1, 200)
  name: string;

  @Field(() => String, { description: 'Relationship (relatie), e.g. "moeder", "vader", "voogd".' })
  @Length(1, 50)
  relationship: string;

  @Field(() => Boolean, { description: 'Holds parental authority (ouderlijk gezag).' })
  @IsBoolean()
  hasParentalAuthority: boolean;
}

@InputType({ description: 'A new student (leerling) of your school.' })
export class CreateStudentInput {
  @Field(() => ID, { nullable: true, description: 'Your school; required only when you coordinate more than one.' })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;

  @Field(() => String, { description: 'Given name (voornaam).' })
  @Length(1, 100)
  givenName: string;

  @Field(() => String, { description: 'Family name (achternaam).' })
  @Length(1, 100)
  familyName: string;

  @Field(() => LocalDate, { description: 'Birth date (geboortedatum), YYYY-MM-DD.' })
  birthDate: string;

  @Field(() => String, { description: "The school's student number (leerlingnummer)." })
  @Matches(/^[A-Za-z0-9-]{1,20}$/, { message: 'must be 1 to 20 letters, digits or dashes' })
  studentNumber: string;

  @Field(() => ExitLevel, { description: 'Expected exit level (verwacht uitstroomniveau).' })
  @IsEnum(ExitLevel)
  expectedExitLevel: ExitLevel;

  @Field(() => ID, { nullable: true, description: 'The mentor: a user with the MENTOR role at the school.' })
  @IsOptional()
  @IsUUID('all')
  mentorUserId?: string;

  @Field(() => String, { nullable: true, description: 'OPP reference (OPP-referentie).' })
  @IsOptional()
  @Length(1, 100)
  developmentPlanReference?: string;

  @Field(() => LocalDate, { nullable: true, description: 'OPP date (OPP-datum).' })
  @IsOptional()
  developmentPlanDate?: string;

  @Field(() => [GuardianInput], { defaultValue: [], description: 'Parents and carers (ouders/verzorgers).' })
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  guardians: GuardianInput[];
}

@InputType({ description: 'Changes to a student of your school; only the given fields change (null clears an optional one).' })
export class UpdateStudentInput {
  @Field(() => ID, { description: 'The student.' })
  @IsUUID('all')
  studentId: string;

  @Field(() => String, { nullable: true, description: 'Given name (voornaam).' })
  @IsOptional()
  @Length(1, 100)
  givenName?: string;

  @Field(() => String, { nullable: true, description: 'Family name (achternaam).' })
  @IsOptional()
  @Length(1, 100)
  familyName?: string;

  @Field(() => String, { nullable: true, description: "The school's student number (leerlingnummer)." })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,20}$/, { message: 'must be 1 to 20 letters, digits or dashes' })
  studentNumber?: string;

  @Field(() => ExitLevel, { nullable: true, description: 'Expected exit level (verwacht uitstroomniveau).' })
  @IsOptional()
  @IsEnum(ExitLevel)
  expectedExitLevel?: ExitLevel;

  @Field(() => ID, { nullable: true, description: 'The mentor: a user with the MENTOR role at the school; null: no mentor.' })
  @IsOptional()
  @IsUUID('all')
  mentorUserId?: string | null;

  @Field(() => String, { nullable: true, description: 'OPP reference (OPP-referentie); null clears it.' })
  @IsOptional()
  @Length(1, 100)
  developmentPlanReference?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'OPP date (OPP-datum); null clears it.' })
  @IsOptional()
  developmentPlanDate?: string | null;
}

@InputType({ description: 'The student left your school (uitschrijving).' })
export class RecordLeftSchoolInput {
  @Field(() => ID, { description: 'The student.' })
  @IsUUID('all')
  studentId: string;

  @Field(() => LocalDate, { description: 'The day the student left (uitgeschreven op): not in the future. The retention term of the school data starts here.' })
  leftSchoolOn: string;
}

@InputType({ description: 'A transfer (overstap) of a student to another school of the partnership.' })
export class TransferStudentInput {
  @Field(() => ID, { description: 'The student: enrolled (not left school) at a school you coordinate, or any student for the programme coordinator.' })
  @IsUUID('all')
  studentId: string;

  @Field(() => ID, { description: 'The receiving school (ontvangende school): another school of the partnership.' })
  @IsUUID('all')
  toSchoolId: string;

  @Field(() => LocalDate, { description: 'The day the student moved (overgestapt op): not in the future, not before the birth date nor before an earlier transfer.' })
  transferredOn: string;
}

@InputType({ description: 'Filter for students.' })
export class StudentFilter {
  @Reveals('Student', 'school')
  @Field(() => ID, { nullable: true, description: 'Only students of this school.' })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;
}
