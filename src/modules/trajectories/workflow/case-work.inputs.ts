import { IsBoolean, IsEnum, IsInt, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { GoalProgress } from '../../../domain/enums';
import { LocalDate } from '../../../graphql/scalars';
import { NOT_BLANK, NOT_BLANK_MESSAGE } from './phase.inputs';
import { ActInput } from './registration.inputs';

/** Most lessons a school day has; the absence table checks the same bound. */
export const MAX_LESSONS_PER_DAY = 20;

@InputType({ description: 'Doel: a goal of the trajectory, and with whom it is agreed.' })
export class AddGoalInput extends ActInput {
  @Field(() => String, { description: 'The goal (doelomschrijving). Case text.' })
  @Length(1, 2000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  description: string;

  @Field(() => Boolean, { description: 'Agreed with the student (afgesproken met leerling).' })
  @IsBoolean()
  agreedWithStudent: boolean;

  @Field(() => Boolean, { description: 'Agreed with the parents (afgesproken met ouders).' })
  @IsBoolean()
  agreedWithParents: boolean;

  @Field(() => Boolean, { description: 'Agreed with the school (afgesproken met school).' })
  @IsBoolean()
  agreedWithSchool: boolean;
}

@InputType({ description: 'Voortgang: the progress of one goal.' })
export class UpdateGoalProgressInput {
  @Field(() => ID, { description: 'The goal (doel).' })
  @IsUUID('all')
  goalId: string;

  @Field(() => Int, { nullable: true, description: 'The version of the goal\'s trajectory you acted on; CONFLICT when it changed since.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;

  @Field(() => GoalProgress, { description: 'Progress (voortgang).' })
  @IsEnum(GoalProgress)
  progress: GoalProgress;

  @Field(() => String, { nullable: true, description: 'Note on this progress (toelichting); replaces the previous note, left out clears it. Case text.' })
  @IsOptional()
  @Length(0, 2000)
  progressNote?: string;
}

@InputType({ description: 'Evaluatie: "doe meer van wat werkt, stop met wat niet werkt".' })
export class RecordEvaluationInput extends ActInput {
  @Field(() => LocalDate, { description: 'Day of the evaluation (evaluatiedatum); not in the future.' })
  evaluatedOn: string;

  @Field(() => String, { description: 'What works: do more of it (wat werkt). Case text.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  whatWorks: string;

  @Field(() => String, { description: 'What does not work: stop it (wat werkt niet). Case text.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  whatToStop: string;

  @Field(() => String, { nullable: true, description: 'Summary (samenvatting). Case text.' })
  @IsOptional()
  @Length(0, 4000)
  summary?: string;
}

@InputType({ description: 'Handelingsadvies: advice for school and home that goes into the OPP.' })
export class AddHandoverAdviceInput extends ActInput {
  @Field(() => String, { description: 'The advice (handelingsadvies). Case text.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  advice: string;

  @Field(() => Boolean, { nullable: true, description: 'Already taken into the development plan (opgenomen in het OPP); default false.' })
  @IsOptional()
  @IsBoolean()
  addedToDevelopmentPlan?: boolean;
}

@InputType({ description: 'Teamnotitie: an internal note of the Topteam; only the assigned team reads it.' })
export class AddNoteInput extends ActInput {
  @Field(() => String, { description: 'Text of the note (tekst). Team-internal.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  body: string;
}

@InputType({ description: 'Verzuimregistratie: the school registers absence during the trajectory (the school keeps that duty).' })
export class RegisterAbsenceInput extends ActInput {
  @Field(() => LocalDate, { description: 'Day of the absence (datum); not in the future.' })
  absentOn: string;

  @Field(() => Int, { description: `Lessons missed that day (gemiste lesuren), 1 to ${MAX_LESSONS_PER_DAY}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_LESSONS_PER_DAY)
  lessonsMissed: number;

  @Field(() => Boolean, { description: 'Authorised absence (geoorloofd verzuim).' })
  @IsBoolean()
  authorised: boolean;

  @Field(() => String, { nullable: true, description: 'Note (toelichting). Case text.' })
  @IsOptional()
  @Length(0, 2000)
  note?: string;
}
