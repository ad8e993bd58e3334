import { ArrayMaxSize, IsBoolean, IsEnum, IsInt, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { GoalProgress, HandoverRecipient } from '../../../domain/enums';
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

@InputType({ description: 'Handelingsadvies: advice for the school, home or a network partner, to be taken into the OPP.' })
export class AddHandoverAdviceInput extends ActInput {
  @Field(() => String, { description: 'The advice (handelingsadvies). Case text.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  advice: string;

  @Field(() => HandoverRecipient, { description: 'Who the advice is for (ontvanger): SCHOOL, HOME (the parents) or NETWORK_PARTNER.' })
  @IsEnum(HandoverRecipient)
  recipient: HandoverRecipient;

  @Field(() => String, { nullable: true, description: 'The network partner the advice is for (naam netwerkpartner), optional; only with recipient NETWORK_PARTNER.' })
  @IsOptional()
  @Length(0, 200)
  recipientName?: string;
}

@InputType({ description: 'Opgenomen in het OPP: the day a hand-over advice was taken into the student\'s development plan.' })
export class MarkHandoverAdviceTakenIntoOppInput {
  @Field(() => ID, { description: 'The hand-over advice (handelingsadvies).' })
  @IsUUID('all')
  handoverAdviceId: string;

  @Field(() => Int, { nullable: true, description: 'The version of the advice\'s trajectory you acted on; CONFLICT when it changed since.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;

  @Field(() => LocalDate, { description: 'The day it was taken into the OPP (opgenomen op); not in the future, not before the advice was written.' })
  takenOn: string;
}

/** Most people of one kind named in the cooperation agreements. */
export const MAX_AGREEMENT_TEACHERS = 20;

@InputType({ description: 'Samenwerkingsafspraken: who at school works with the Topteam in the intensive phase, and what was agreed. Replaces the agreements recorded before.' })
export class RecordCooperationAgreementsInput {
  @Field(() => ID, { description: 'The trajectory (Toptraject).' })
  @IsUUID('all')
  trajectoryId: string;

  @Field(() => Int, { description: 'The version you acted on (required: this overwrites the agreements); CONFLICT when the trajectory changed since.' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate, { description: 'The day the agreements were made (afgesproken op), e.g. the start meeting; not in the future.' })
  agreedOn: string;

  @Field(() => [String], { description: `The teachers involved (docenten), by name; at most ${MAX_AGREEMENT_TEACHERS}, none blank.` })
  @ArrayMaxSize(MAX_AGREEMENT_TEACHERS)
  @Length(1, 200, { each: true })
  @Matches(NOT_BLANK, { each: true, ...NOT_BLANK_MESSAGE })
  teachers: string[];

  @Field(() => String, { nullable: true, description: 'The mentor (mentor), by name.' })
  @IsOptional()
  @Length(0, 200)
  mentor?: string;

  @Field(() => String, { nullable: true, description: 'The zorgcoördinator, by name.' })
  @IsOptional()
  @Length(0, 200)
  careCoordinator?: string;

  @Field(() => String, { nullable: true, description: 'The school management involved (schoolleiding, e.g. the team leader), by name.' })
  @IsOptional()
  @Length(0, 200)
  management?: string;

  @Field(() => String, { description: 'What was agreed (afspraken): who does what, how often they meet. Case text.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  agreements: string;
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
