import { Reveals } from '../../graphql/reads';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ConsentPurpose } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';

/** Where a consent record stands today (for the privacy officer's filter). */
export enum ConsentStatus {
  VALID = 'VALID',
  WITHDRAWN = 'WITHDRAWN',
  EXPIRED = 'EXPIRED',
  NEEDS_RECONFIRMATION = 'NEEDS_RECONFIRMATION',
}
registerEnumType(ConsentStatus, {
  name: 'ConsentStatus',
  description: 'Status of a consent record today (status van de toestemming).',
  valuesConfig: {
    VALID: { description: 'Holds (not withdrawn, not expired) and its grantors still match the age rule today (geldig).' },
    WITHDRAWN: { description: 'Withdrawn (ingetrokken).' },
    EXPIRED: { description: 'Not withdrawn, but its last day (validUntil) has passed (verlopen).' },
    NEEDS_RECONFIRMATION: { description: 'Holds (not withdrawn, not expired), but the student turned 12 or 16 since, so its grantors no longer match the age rule (opnieuw bevestigen).' },
  },
});

@InputType({ description: 'Filter for consent records.' })
export class ConsentFilter {
  @Reveals('Consent', 'student')
  @Field(() => ID, { nullable: true, description: 'Only consents of this student.' })
  @IsOptional()
  @IsUUID('all')
  studentId?: string;

  @Reveals('Consent', 'purpose')
  @Field(() => ConsentPurpose, { nullable: true, description: 'Only consents for this purpose (doel).' })
  @IsOptional()
  @IsEnum(ConsentPurpose)
  purpose?: ConsentPurpose;

  @Reveals('Consent', 'withdrawnAt')
  @Field(() => Boolean, { nullable: true, description: 'true: only withdrawn consents; false: only those not withdrawn (holding or expired; see status).' })
  @IsOptional()
  @IsBoolean()
  withdrawn?: boolean;

  @Reveals('Consent', 'withdrawnAt', 'validUntil', 'valid')
  @Field(() => ConsentStatus, { nullable: true, description: 'Only consents with this status today (by the age rule on today\'s date).' })
  @IsOptional()
  @IsEnum(ConsentStatus)
  status?: ConsentStatus;

  @Reveals('Consent', 'student')
  @Field(() => ID, { nullable: true, description: "Only consents of students of this school (school)." })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;

  @Reveals('Consent', 'student')
  @Field(() => ID, { nullable: true, description: "Only consents of students whose school lies in this windstreek." })
  @IsOptional()
  @IsUUID('all')
  windstreekId?: string;

  // Date ranges: calendar days in Europe/Amsterdam, both ends inclusive (from <= day <= until);
  // a bound left out is open. A record without the date (not withdrawn, no last day) never matches.
  @Reveals('Consent', 'givenAt')
  @Field(() => LocalDate, { nullable: true, description: 'Only consents given on or after this day (gegeven vanaf), YYYY-MM-DD, inclusive, by the Amsterdam calendar.' })
  @IsOptional()
  givenFrom?: string;

  @Reveals('Consent', 'givenAt')
  @Field(() => LocalDate, { nullable: true, description: 'Only consents given on or before this day (gegeven tot en met), YYYY-MM-DD, inclusive, by the Amsterdam calendar.' })
  @IsOptional()
  givenUntil?: string;

  @Reveals('Consent', 'withdrawnAt')
  @Field(() => LocalDate, { nullable: true, description: 'Only consents withdrawn on or after this day (ingetrokken vanaf), YYYY-MM-DD, inclusive, by the Amsterdam calendar; never one that is not withdrawn.' })
  @IsOptional()
  withdrawnFrom?: string;

  @Reveals('Consent', 'withdrawnAt')
  @Field(() => LocalDate, { nullable: true, description: 'Only consents withdrawn on or before this day (ingetrokken tot en met), YYYY-MM-DD, inclusive, by the Amsterdam calendar; never one that is not withdrawn.' })
  @IsOptional()
  withdrawnUntil?: string;

  @Reveals('Consent', 'validUntil')
  @Field(() => LocalDate, { nullable: true, description: 'Only consents whose last day (validUntil) is on or after this day (loopt af vanaf), YYYY-MM-DD, inclusive; never one without an end date.' })
  @IsOptional()
  endingFrom?: string;

  @Reveals('Consent', 'validUntil')
  @Field(() => LocalDate, { nullable: true, description: 'Only consents whose last day (validUntil) is on or before this day (loopt af tot en met), YYYY-MM-DD, inclusive; never one without an end date.' })
  @IsOptional()
  endingUntil?: string;
}

@InputType({ description: 'Filter for the missing-consent list (ontbrekende toestemming); all given conditions must hold.' })
export class ConsentGapFilter {
  @Reveals('Student', 'school')
  @Field(() => ID, { nullable: true, description: "Only students of this school (the student's school)." })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;

  @Reveals('Student', 'school')
  @Field(() => ID, { nullable: true, description: "Only students whose school lies in this windstreek." })
  @IsOptional()
  @IsUUID('all')
  windstreekId?: string;
}

/** The longest look-ahead of `consentReconfirmations`, in days. */
export const RECONFIRMATION_MAX_DAYS = 366;

@InputType({ description: 'Which coming re-confirmations to list (opnieuw te bevestigen toestemmingen); all given conditions must hold.' })
export class ConsentReconfirmationFilter {
  @Reveals('Student', 'birthDate')
  @Field(() => Int, { defaultValue: 30, description: 'Look ahead this many days: students turning 12 or 16 from today up to and including today + within (0: today only); 0 to 366, default 30.' })
  @IsInt()
  @Min(0)
  @Max(RECONFIRMATION_MAX_DAYS)
  within: number;

  @Reveals('Student', 'school')
  @Field(() => ID, { nullable: true, description: "Only students of this school (the student's school)." })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;

  @Reveals('Student', 'school')
  @Field(() => ID, { nullable: true, description: 'Only students whose school lies in this windstreek.' })
  @IsOptional()
  @IsUUID('all')
  windstreekId?: string;
}

@InputType({ description: 'Records a consent (toestemming vastleggen) for one purpose, given on paper or in a meeting.' })
export class RecordConsentInput {
  @Field(() => ID, { description: 'The student (leerling) of your school the consent is about.' })
  @IsUUID('all')
  studentId: string;

  @Field(() => ConsentPurpose, { description: 'Purpose (doel).' })
  @IsEnum(ConsentPurpose)
  purpose: ConsentPurpose;

  @Field(() => [ID], { description: "Guardians (ouders/verzorgers) of this student who granted it; under 16 at least one with parental authority, from 16 none." })
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  grantorGuardianIds: string[];

  @Field(() => Boolean, { description: 'The student granted it; required from 12, not allowed under 12.' })
  @IsBoolean()
  studentGrants: boolean;

  @Field(() => [String], { description: 'Recipients (ontvangers), e.g. "Topteam Noord".' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  recipients: string[];

  @Field(() => [String], { description: 'Data categories (gegevenscategorieën).' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  dataCategories: string[];

  @Field(() => LocalDate, { nullable: true, description: 'The day it was given (gegeven op), YYYY-MM-DD; default today; not in the future.' })
  @IsOptional()
  givenOn?: string;

  @Field(() => LocalDate, { nullable: true, description: 'Last day it holds, inclusive (geldig tot en met), YYYY-MM-DD, when the grantors limited it in time (e.g. to the school year); not before today. Default: no end date.' })
  @IsOptional()
  validUntil?: string;

  @Field(() => String, { nullable: true, description: 'Reference to the evidence (bewijs), e.g. the signed form in the school dossier.' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  evidenceReference?: string;
}

@InputType({ description: 'Withdraws a consent (toestemming intrekken); effective from the next request.' })
export class WithdrawConsentInput {
  @Field(() => ID, { description: 'The consent record.' })
  @IsUUID('all')
  consentId: string;

  @Field(() => String, { nullable: true, description: 'Why (reden intrekking); kept on the consent record.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @Field(() => String, { nullable: true, description: 'Reference to the evidence of the withdrawal (bewijs), e.g. the letter or e-mail of the parents the privacy officer received.' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  evidenceReference?: string;
}
