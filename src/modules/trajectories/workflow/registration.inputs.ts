import { ArrayMaxSize, IsBoolean, IsEnum, IsInt, IsOptional, IsUUID, Length, Min } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { CancellationReason, ProblemArea, RefusalGround } from '../../../domain/enums';
import { LocalDate } from '../../../graphql/scalars';

/** Fields every act on an existing trajectory takes. */
@InputType('ActInputBase') // base class only: not emitted, since no argument has this type
export abstract class ActInput {
  @Field(() => ID, { description: 'The trajectory (Toptraject).' })
  @IsUUID('all')
  trajectoryId: string;

  @Field(() => Int, { nullable: true, description: 'The version you acted on; CONFLICT when the trajectory changed since.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

@InputType({ description: 'Aanmelding (step 3): registers a student for a Toptraject, with the target-group answers.' })
export class SubmitRegistrationInput {
  @Field(() => ID, { description: 'The student (leerling) of your school.' })
  @IsUUID('all')
  studentId: string;

  @Field(() => ID, { nullable: true, description: 'The pre-consultation (collegiaal vooroverleg) that advised a Toptraject.' })
  @IsOptional()
  @IsUUID('all')
  consultationId?: string;

  @Field(() => [ProblemArea], { description: 'Problem areas the school gets stuck on (probleemgebieden); at least one.' })
  @ArrayMaxSize(7)
  @IsEnum(ProblemArea, { each: true })
  problemAreas: ProblemArea[];

  @Field(() => Boolean, { description: 'Enrolled at a regular VO school and will continue there.' })
  @IsBoolean()
  enrolledInRegularEducation: boolean;

  @Field(() => Boolean, { description: 'Regular education with support is expected to be feasible.' })
  @IsBoolean()
  regularEducationFeasible: boolean;

  @Field(() => Boolean, { description: 'The student wants to work on it actively.' })
  @IsBoolean()
  studentMotivated: boolean;

  @Field(() => Boolean, { description: 'The parents want to work on it actively.' })
  @IsBoolean()
  parentsMotivated: boolean;

  @Field(() => Boolean, { description: 'The school wants to work on it actively.' })
  @IsBoolean()
  schoolMotivated: boolean;

  @Field(() => Boolean, { description: 'Student, parents and school expect to reach their goals within the term of a Toptraject.' })
  @IsBoolean()
  goalsReachableWithinTerm: boolean;

  @Field(() => Boolean, { description: 'The question is a single one, e.g. an IQ assessment (exclusion).' })
  @IsBoolean()
  singleQuestion: boolean;

  @Field(() => Boolean, { description: 'The student needs very intensive care: severe psychiatric or family problems (exclusion).' })
  @IsBoolean()
  needsVeryIntensiveCare: boolean;

  @Field(() => LocalDate, { nullable: true, description: 'When the parents were informed of the registration (ouders geïnformeerd op); required.' })
  @IsOptional()
  parentsInformedOn?: string;
}

export enum ReviewDecision {
  ACCEPT = 'ACCEPT',
  REQUEST_INFORMATION = 'REQUEST_INFORMATION',
  REFUSE = 'REFUSE',
}
registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
  description: 'Besluit van de onderwijsadviseur: accepteren, aanvullende informatie vragen, of afwijzen.',
});

@InputType({ description: 'Dossiercheck (step 4): the onderwijsadviseur accepts, asks for more information, or refuses.' })
export class ReviewRegistrationInput extends ActInput {
  @Field(() => ReviewDecision, { description: 'The decision (besluit).' })
  @IsEnum(ReviewDecision)
  decision: ReviewDecision;

  @Field(() => RefusalGround, { nullable: true, description: 'Why the registration is refused (reden afwijzing); required to refuse, not allowed otherwise.' })
  @IsOptional()
  @IsEnum(RefusalGround)
  refusalGround?: RefusalGround;

  @Field(() => String, {
    nullable: true,
    description: 'Reason (reden): what is needed, to ask for information (required); the explanation of a refusal (required with refusalGround OTHER).',
  })
  @IsOptional()
  @Length(1, 2000)
  reason?: string;
}

@InputType({ description: 'The school supplements a registration on request; it returns to review.' })
export class SupplementRegistrationInput extends ActInput {
  @Field(() => String, { description: 'What was added (aanvulling).' })
  @Length(1, 4000)
  supplement: string;
}

@InputType({ description: 'Ends a running trajectory early (voortijdig beëindigen).' })
export class CancelTrajectoryInput extends ActInput {
  @Field(() => CancellationReason, { description: 'Why (reden).' })
  @IsEnum(CancellationReason)
  reason: CancellationReason;

  @Field(() => String, { nullable: true, description: 'Explanation (toelichting); required for OTHER.' })
  @IsOptional()
  @Length(1, 2000)
  explanation?: string;
}
