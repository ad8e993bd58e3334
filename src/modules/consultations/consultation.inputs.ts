import { IsEnum, IsOptional, IsUUID, Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ConsultationOutcome } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';

/** Free text that must say something: not empty, not only whitespace. */
const NOT_BLANK = /\S/;
const NOT_BLANK_MESSAGE = { message: 'must not be blank' };

/** Who asks, and about whom: shared by step 1 and step 2. */
@InputType('ConsultationRequestBase') // base class only: not emitted, since no argument has this type
abstract class ConsultationRequestInput {
  @Field(() => ID, { nullable: true, description: 'Your school (school); required only when you coordinate more than one.' })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;

  @Field(() => ID, { nullable: true, description: 'The student (leerling) of that school; leave out for an anonymous case (anonieme casus).' })
  @IsOptional()
  @IsUUID('all')
  studentId?: string;

  @Field(() => String, { description: 'Case description (casusbeschrijving); for an anonymous case the only content.' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  caseDescription: string;
}

@InputType({ description: 'Preventief advies (step 1): the school asks the gedragswetenschapper of its windstreek for advice, without a registration.' })
export class RequestAdviceInput extends ConsultationRequestInput {}

@InputType({ description: 'Collegiaal vooroverleg (step 2): school, gedragswetenschapper and onderwijsadviseur discuss a case, with the OPP and the five questions of the handbook.' })
export class RequestPreConsultationInput extends ConsultationRequestInput {
  @Field(() => String, { description: 'OPP reference (OPP-referentie): where the ontwikkelingsperspectiefplan is kept.' })
  @Length(1, 100)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  developmentPlanReference: string;

  @Field(() => LocalDate, { description: 'OPP date (OPP-datum), YYYY-MM-DD; not in the future.' })
  developmentPlanDate: string;

  @Field(() => String, { description: 'Hoe gaat het met de leerling? (how is the student doing)' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  howIsTheStudentDoing: string;

  @Field(() => String, { description: 'Welke hulp is al geboden en met welk resultaat? (help given and its result)' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  helpGivenAndResult: string;

  @Field(() => String, { description: 'Welke andere instanties zijn betrokken? (other agencies involved)' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  otherAgenciesInvolved: string;

  @Field(() => String, { description: 'Zijn mentor, docenten, leerling en ouders gemotiveerd? (motivation)' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  motivation: string;

  @Field(() => String, { description: 'Wat kan er nu worden afgesproken? (agreements now)' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  agreementsNow: string;
}

@InputType({ description: 'The gedragswetenschapper records the preventive advice (advies) and its outcome (uitkomst).' })
export class RecordAdviceInput {
  @Field(() => ID, { description: 'The advice request (adviesvraag).' })
  @IsUUID('all')
  consultationId: string;

  @Field(() => String, { description: 'The advice given (advies).' })
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  advice: string;

  @Field(() => ConsultationOutcome, { description: 'Outcome (uitkomst): ADVICE_SUFFICIENT (advies volstaat) or GO_TO_PRE_CONSULTATION (door naar vooroverleg).' })
  @IsEnum(ConsultationOutcome)
  outcome: ConsultationOutcome;
}

@InputType({ description: 'The onderwijsadviseur or the gedragswetenschapper records the outcome (uitkomst) of a collegiaal vooroverleg.' })
export class RecordPreConsultationOutcomeInput {
  @Field(() => ID, { description: 'The pre-consultation (collegiaal vooroverleg).' })
  @IsUUID('all')
  consultationId: string;

  @Field(() => ConsultationOutcome, { description: 'Outcome (uitkomst): TOPTRAJECT (aanmelden voor een Toptraject) or OTHER_SUPPORT (andere vorm van ondersteuning).' })
  @IsEnum(ConsultationOutcome)
  outcome: ConsultationOutcome;

  @Field(() => String, { nullable: true, description: 'Advice or agreements from the meeting (advies).' })
  @IsOptional()
  @Length(1, 4000)
  @Matches(NOT_BLANK, NOT_BLANK_MESSAGE)
  advice?: string;
}
