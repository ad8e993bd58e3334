import { Reveals } from '../../graphql/reads';
import { ArrayMaxSize, IsBoolean, IsEnum, IsOptional, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AccessAction, AccessOutcome, DataSubjectRequestKind, LegalBasis, Role } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';

@InputType({ description: 'Filter for the access log.' })
export class AccessLogFilter {
  @Reveals('AccessLogEntry', 'studentId')
  @Field(() => ID, { nullable: true, description: 'Only entries about this student.' })
  @IsOptional()
  @IsUUID('all')
  studentId?: string;

  @Reveals('AccessLogEntry', 'userId')
  @Field(() => ID, { nullable: true, description: 'Only entries of this user.' })
  @IsOptional()
  @IsUUID('all')
  userId?: string;

  @Reveals('AccessLogEntry', 'action')
  @Field(() => AccessAction, { nullable: true, description: 'Only this kind of access.' })
  @IsOptional()
  @IsEnum(AccessAction)
  action?: AccessAction;

  @Reveals('AccessLogEntry', 'outcome')
  @Field(() => AccessOutcome, { nullable: true, description: 'Only this outcome.' })
  @IsOptional()
  @IsEnum(AccessOutcome)
  outcome?: AccessOutcome;

  @Reveals('AccessLogEntry', 'objectType', 'objects')
  @Field(() => String, { nullable: true, description: 'Only entries about this kind of object (Student, Trajectory, Consent, AccessLog, …): its own type, or one of the objects an entry about a student covered.' })
  @IsOptional()
  @Length(1, 100)
  objectType?: string;

  @Reveals('AccessLogEntry', 'objectId', 'objects')
  @Field(() => ID, { nullable: true, description: 'Only entries about this object (a trajectory, a consent, …): the entry\'s own object, or one of the objects an entry about a student covered.' })
  @IsOptional()
  @IsUUID('all')
  objectId?: string;

  @Reveals('AccessLogEntry', 'consentId', 'consents')
  @Field(() => ID, { nullable: true, description: 'Only entries that stood on this consent (gebruikte toestemming): as their own, or, on an entry about several students, as the consent of one of them.' })
  @IsOptional()
  @IsUUID('all')
  consentId?: string;

  @Reveals('AccessLogEntry', 'role')
  @Field(() => Role, { nullable: true, description: 'Only entries made in this role.' })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @Reveals('AccessLogEntry', 'legalBasis')
  @Field(() => LegalBasis, { nullable: true, description: 'Only entries on this legal basis (grondslag).' })
  @IsOptional()
  @IsEnum(LegalBasis)
  legalBasis?: LegalBasis;

  @Reveals('AccessLogEntry', 'createdAt')
  @Field(() => Date, { nullable: true, description: 'Only entries written at or after this instant (vanaf).' })
  @IsOptional()
  from?: Date;

  @Reveals('AccessLogEntry', 'createdAt')
  @Field(() => Date, { nullable: true, description: 'Only entries written before this instant (tot).' })
  @IsOptional()
  until?: Date;
}

@InputType({ description: 'Filter for data-subject requests; all given conditions must hold.' })
export class DataSubjectRequestFilter {
  @Reveals('DataSubjectRequest', 'status')
  @Field(() => Boolean, { nullable: true, description: 'true: only open requests (not COMPLETED or REJECTED); false: only closed ones.' })
  @IsOptional()
  @IsBoolean()
  open?: boolean;

  @Reveals('DataSubjectRequest', 'status', 'dueOn')
  @Field(() => Boolean, { nullable: true, description: 'true: only overdue requests (open and due before today in Amsterdam); false: only those that are not.' })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;

  @Reveals('DataSubjectRequest', 'student')
  @Field(() => ID, { nullable: true, description: 'Only requests about this student.' })
  @IsOptional()
  @IsUUID('all')
  studentId?: string;
}

@InputType({ description: 'A data-subject request as received (verzoek ontvangen).' })
export class ReceiveDataSubjectRequestInput {
  @Field(() => ID, { description: 'The student the request is about (betrokkene).' })
  studentId: string;

  @Field(() => DataSubjectRequestKind, { description: 'Kind of request (soort verzoek).' })
  @IsEnum(DataSubjectRequestKind)
  kind: DataSubjectRequestKind;

  @Field(() => LocalDate, { description: 'The day it was received (ontvangen op), YYYY-MM-DD; not in the future. Due one month later.' })
  receivedOn: string;
}

@InputType({ description: 'Which data-subject request.' })
export class DataSubjectRequestRef {
  @Field(() => ID, { description: 'The request (verzoek).' })
  requestId: string;
}

@InputType({ description: 'Extend a data-subject request (verlengen), with its reason.' })
export class ExtendDataSubjectRequestInput {
  @Field(() => ID, { description: 'The request (verzoek).' })
  requestId: string;

  @Field(() => String, { description: 'Why the request needs more time (reden verlenging), e.g. its complexity or number of requests; not blank.' })
  @MaxLength(2000)
  reason: string;
}

@InputType({ description: 'Reject a data-subject request (afwijzen), with its reason.' })
export class RejectDataSubjectRequestInput {
  @Field(() => ID, { description: 'The request (verzoek).' })
  requestId: string;

  @Field(() => String, { description: 'Why the request is rejected (reden afwijzing), e.g. identity not established, manifestly unfounded; not blank.' })
  @MaxLength(2000)
  reason: string;
}

@InputType({ description: "One guardian's corrected data on a rectification request: a guardian of the request's student; only given fields change, at least one." })
export class GuardianRectificationInput {
  @Field(() => ID, { description: "The guardian (ouder/verzorger), one of the request's student's." })
  guardianId: string;

  @Field(() => String, { nullable: true, description: 'The corrected name (naam).' })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true, description: 'The corrected relationship to the student (relatie), e.g. "moeder", "voogd".' })
  @IsOptional()
  @Length(1, 100)
  relationship?: string;
}

@InputType({ description: "Carry out a rectification request (rectificatie uitvoeren): the corrected identity of the request's student and its guardians; only given fields change, at least one." })
export class CarryOutRectificationInput {
  @Field(() => ID, { description: 'The RECTIFICATION request (verzoek), its requester\'s identity verified.' })
  requestId: string;

  @Field(() => String, { nullable: true, description: 'The corrected given name (voornaam).' })
  @IsOptional()
  @Length(1, 100)
  givenName?: string;

  @Field(() => String, { nullable: true, description: 'The corrected family name (achternaam).' })
  @IsOptional()
  @Length(1, 100)
  familyName?: string;

  @Field(() => String, { nullable: true, description: "The corrected student number (leerlingnummer) of the student's school." })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,20}$/, { message: 'must be 1 to 20 letters, digits or dashes' })
  studentNumber?: string;

  @Field(() => LocalDate, { nullable: true, description: 'The corrected birth date (geboortedatum), YYYY-MM-DD: not in the future, a secondary-school age (8 to 25) today. Consents are judged by it from the next request on.' })
  @IsOptional()
  birthDate?: string;

  @Field(() => [GuardianRectificationInput], { nullable: true, description: "Corrections of the student's guardians (ouders/verzorgers), each by id; each guardian at most once." })
  @IsOptional()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  guardians?: GuardianRectificationInput[];
}

@InputType({ description: 'Carry out an erasure request (verwijdering uitvoeren).' })
export class CarryOutErasureInput {
  @Field(() => ID, { description: "The ERASURE request (verzoek), its requester's identity verified." })
  requestId: string;

  @Field(() => Boolean, { description: 'true: list what would be erased and kept without changing anything and leave the request open (proefdraaien); false: erase and complete the request.' })
  @IsBoolean()
  dryRun: boolean;
}
