import { IsBoolean, IsEnum, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FollowUpMoment } from '../../../domain/enums';
import { LocalDate } from '../../../graphql/scalars';
import { ActInput } from './registration.inputs';

/** Free text that must say something: not empty, not only whitespace. */
export const NOT_BLANK = /\S/;
export const NOT_BLANK_MESSAGE = { message: 'must not be blank' };

@InputType({ description: 'Intakegesprek: the gedragswetenschapper starts the assessment phase (onderzoeksfase) with the intro meeting.' })
export class StartAssessmentInput extends ActInput {
  @Field(() => LocalDate, { description: 'Day of the intro meeting (kennismakingsgesprek); stored as introMeetingOn, the phase starts on it and is due 4 weeks later. Not in the future, not before the acceptance.' })
  introMeetingOn: string;
}

@InputType({ description: 'Advies-/startgesprek: goals are agreed with student, parents and school; the intensive phase starts.' })
export class AgreeGoalsInput extends ActInput {
  @Field(() => LocalDate, { nullable: true, description: 'Day of the advice/start meeting (advies-/startgesprek); stored as startMeetingOn, the intensive phase starts on it (due 12, limit 16 weeks later). Default: today; not in the future, not before the intro meeting.' })
  @IsOptional()
  meetingOn?: string;
}

@InputType({ description: 'Not a fit after the assessment: the trajectory closes with advice for another route.' })
export class CloseAfterAssessmentInput extends ActInput {
  @Field(() => String, { description: 'The advice for another route (advies andere route). Case text.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  adviceForOtherRoute: string;

  @Field(() => LocalDate, { nullable: true, description: 'Day of the advice meeting (adviesgesprek) that ends the assessment; stored as closingMeetingOn, the day care ends. Default: today; not in the future, not before the intro meeting.' })
  @IsOptional()
  meetingOn?: string;
}

@InputType({ description: 'Borgingsfase: the intensive phase ends and the consolidation phase starts, with decreasing contact.' })
export class StartConsolidationInput extends ActInput {}

@InputType({ description: 'Afronding: the consolidation phase ends; the trajectory is completed and the follow-ups are planned.' })
export class CompleteTrajectoryInput extends ActInput {}

@InputType({ description: 'Follow-up (nazorgmoment) 3 or 12 months after the consolidation phase: how the student is doing.' })
export class RecordFollowUpInput extends ActInput {
  @Field(() => FollowUpMoment, { description: 'Which follow-up (moment); each is recorded once, from 14 days before its due date.' })
  @IsEnum(FollowUpMoment)
  moment: FollowUpMoment;

  @Field(() => Boolean, { description: 'Still in education (nog op school).' })
  @IsBoolean()
  stillInEducation: boolean;

  @Field(() => Boolean, { description: 'At the expected exit level (op verwacht uitstroomniveau).' })
  @IsBoolean()
  atExpectedExitLevel: boolean;

  @Field(() => Boolean, { description: 'Diploma expected (diploma verwacht).' })
  @IsBoolean()
  diplomaExpected: boolean;

  @Field(() => String, { nullable: true, description: 'How it is going (hoe gaat het), in a few sentences; optional.' })
  @IsOptional()
  @Length(1, 4000)
  howIsItGoing?: string;
}
