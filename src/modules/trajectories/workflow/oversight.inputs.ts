import { Reveals } from '../../../graphql/reads';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Party, Timeliness } from '../../../domain/enums';
import { LocalDate } from '../../../graphql/scalars';
import { ActInput } from './registration.inputs';

/** The highest step of the escalation ladder. */
export const TOP_ESCALATION_LEVEL = 4;

@InputType({ description: 'Escalatieladder: a Topteam member escalates a trajectory one or more levels up when cooperation stalls.' })
export class EscalateTrajectoryInput extends ActInput {
  @Field(() => Int, { description: `Level on the ladder (niveau), 1 to ${TOP_ESCALATION_LEVEL}; higher than every open escalation of the trajectory.` })
  @IsInt()
  @Min(1)
  @Max(TOP_ESCALATION_LEVEL)
  level: number;

  @Field(() => String, { description: 'Why cooperation stalls (reden). Case text.' })
  @Length(1, 4000)
  reason: string;
}

@InputType({ description: 'The programme coordinator resolves an open escalation.' })
export class ResolveEscalationInput {
  @Field(() => ID, { description: 'The escalation (escalatie).' })
  @IsUUID('all')
  escalationId: string;

  @Field(() => String, { description: 'How it was resolved (afhandeling). Case text.' })
  @Length(1, 4000)
  resolution: string;
}

@InputType({ description: 'Filter for escalations; all given conditions must hold.' })
export class EscalationFilter {
  @Reveals('Escalation', 'resolvedAt')
  @Field(() => Boolean, { nullable: true, description: 'true: only open escalations (not yet resolved); false: only resolved ones.' })
  @IsOptional()
  @IsBoolean()
  open?: boolean;
}

/** The levels the list of overdue cases holds, worst first: past the intensive phase's hard limit, and past a phase's due date. */
export const OVERDUE_LEVELS: readonly Timeliness[] = [Timeliness.PAST_LIMIT, Timeliness.OVERDUE];

@InputType({ description: 'Filter for the overdue cases; all given conditions must hold.' })
export class OverdueCaseFilter {
  @Reveals('Trajectory', 'timeliness')
  @Field(() => [Timeliness], {
    nullable: true,
    description: 'Only cases at one of these levels of timeliness today: PAST_LIMIT (the intensive phase past its hard limit) and/or OVERDUE (the phase past its due date). Default both; other levels are BAD_USER_INPUT.',
  })
  @IsOptional()
  @ArrayMaxSize(2)
  @IsIn(OVERDUE_LEVELS, { each: true, message: 'only PAST_LIMIT and OVERDUE' })
  level?: Timeliness[];
}

/** Who may complain (klager): the student or the parents, not the school. */
export const COMPLAINANTS: readonly Party[] = [Party.STUDENT, Party.PARENTS];

@InputType({ description: 'Klacht: the Topteam, as first contact, records a complaint by the student or the parents.' })
export class FileComplaintInput extends ActInput {
  @Field(() => Party, { description: 'Who complains (klager): STUDENT or PARENTS.' })
  @IsIn(COMPLAINANTS, { message: 'only the student (STUDENT) or the parents (PARENTS) can file a complaint' })
  complainant: Party;

  @Field(() => String, { description: 'The complaint (omschrijving). Case text.' })
  @Length(1, 4000)
  description: string;

  @Field(() => LocalDate, { description: 'The day the complaint was received (ontvangen op); not in the future.' })
  receivedOn: string;
}

/** Fields every act on an existing complaint takes. */
@InputType('ComplaintActInputBase') // base class only: not emitted, since no argument has this type
export abstract class ComplaintActInput {
  @Field(() => ID, { description: 'The complaint (klacht).' })
  @IsUUID('all')
  complaintId: string;
}

@InputType({ description: "The Topteam hands a complaint on to the provider's complaints procedure (klachtenregeling)." })
export class EscalateComplaintInput extends ComplaintActInput {}

@InputType({ description: 'The complaint is handled, or resolved, with a description of how (afhandeling).' })
export class ComplaintResolutionInput extends ComplaintActInput {
  @Field(() => String, { description: 'How it was handled or resolved (afhandeling). Case text.' })
  @Length(1, 4000)
  resolution: string;
}

@InputType({ description: 'Exit-vragenlijst: the answer of one party (student, parents or school) at closure.' })
export class RecordExitQuestionnaireInput extends ActInput {
  @Field(() => Party, { description: 'Who answered (partij): STUDENT, PARENTS or SCHOOL; once per party.' })
  @IsIn(Object.values(Party))
  party: Party;

  @Field(() => Int, { description: 'Satisfaction (tevredenheid), 1 to 5.' })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @Field(() => String, { nullable: true, description: 'Comment (toelichting).' })
  @IsOptional()
  @Length(0, 4000)
  comment?: string;
}
