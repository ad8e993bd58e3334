import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { Guarded } from '../../graphql/policy';
import { ConsentPurpose } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { Connection, ConnectionArgs, connectionType } from '../../graphql/pagination';
import { findVisible } from '../../graphql/reads';
import { belongsTo } from '../../graphql/relations';
import { Student } from '../students/student.entity';
import { User } from '../users/user.entity';
import { Consent } from './consent.entity';
import { ConsentFilter, ConsentGapFilter, ConsentReconfirmationFilter, ConsentStatus, RecordConsentInput, WithdrawConsentInput } from './consent.inputs';
import { holdsOn } from '../../authz/consent-holds';
import { ConsentGapRow, consentNeedsReconfirmation, consentReconfirmations, ConsentReconfirmationRow, consentStatus, listConsents, recordConsent, trajectoriesLackingConsent, withdrawConsent } from './consent.service';

const ConsentConnection = connectionType(Consent, 'consent records');
belongsTo(Consent, 'student', Student, 'studentId', 'The student the consent is about.');
belongsTo(Consent, 'recordedBy', User, 'recordedByUserId', 'Who recorded the consent (vastgelegd door); null when you may not read that account.');
belongsTo(Consent, 'withdrawnBy', User, 'withdrawnByUserId', 'Who recorded the withdrawal (intrekking vastgelegd door); null unless withdrawn, or when you may not read that account.');

const INPUT = { description: 'What to do.' };

@ObjectType({ description: 'Ontbrekende toestemming: a student with a registration under review or a running trajectory but no valid consent for the purpose (for the privacy officer).' })
export class ConsentGap implements ConsentGapRow {
  @Field(() => Student, { description: 'The student (identity only, as the privacy officer sees it).' })
  student: Student;

  @Field(() => ConsentPurpose, { description: 'The purpose (doel) without valid consent.' })
  purpose: ConsentPurpose;

  @Field(() => [ID], { description: 'The registrations under review and running trajectories (REQUESTED…CONSOLIDATION) of the student, as plain ids: no case data.' })
  trajectoryIds: string[];
}

const ConsentGapConnection = connectionType(ConsentGap, 'students lacking consent');

@ObjectType({ description: 'Opnieuw te bevestigen toestemming: a student about to turn 12 or 16 whose consents, given under the earlier age band, will then no longer match the age rule (for the privacy officer).' })
export class ConsentReconfirmation implements ConsentReconfirmationRow {
  @Field(() => Student, { description: 'The student (identity only, as the privacy officer sees it).' })
  student: Student;

  @Field(() => LocalDate, { description: "The student's birth date (geboortedatum)." })
  birthDate: string;

  @Field(() => Int, { description: 'The age the student reaches (12: student and parents consent together; 16: the student alone).' })
  ageReached: number;

  @Field(() => LocalDate, { description: 'The day the student turns that age (a 29 February birthday: 1 March in a year without one); from that day the consents need re-confirmation.' })
  turnsOn: string;

  @Field(() => [Consent], { description: 'The consents that hold today and on that day no longer match the age rule.' })
  consents: Consent[];
}

@Resolver(() => Consent)
export class ConsentResolver {
  @Guarded('Consent', 'read')
  @Query(() => ConsentConnection, { description: 'Consent records (toestemmingen) you may see, newest first. PRIVACY_OFFICER: all of the partnership, by status, purpose, school and windstreek, and by the days given, withdrawn and ending (calendar days in Amsterdam, both ends inclusive).' })
  consents(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ConsentFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: ConsentFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<Consent>> {
    return listConsents(ctx, args, filter);
  }

  @Guarded('Consent', 'read')
  @Query(() => Consent, { nullable: true, description: 'One consent record; null when it does not exist or you may not see it.' })
  consent(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<Consent | null> {
    return findVisible(ctx, Consent, id);
  }

  @Guarded('Partnership', 'supervise')
  @Query(() => ConsentGapConnection, { description: "PRIVACY_OFFICER: students with a registration under review (REQUESTED, IN_REVIEW, INFO_REQUESTED: consent is asked before registering) or a running trajectory (ACCEPTED…CONSOLIDATION) whose consent for the purpose is missing, withdrawn, expired or needs re-confirmation today; newest student first; narrowed to the student's school or its windstreek. FORBIDDEN for other roles." })
  trajectoriesLackingConsent(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('purpose', () => ConsentPurpose, { defaultValue: ConsentPurpose.CARE_BY_TOPTEAM, description: 'The purpose (doel); default the Topteam care consent.' }) purpose: ConsentPurpose,
    @Arg('filter', () => ConsentGapFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: ConsentGapFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<ConsentGapRow>> {
    return trajectoriesLackingConsent(ctx, args, purpose, filter);
  }

  @Guarded('Partnership', 'supervise')
  @Query(() => [ConsentReconfirmation], { description: 'PRIVACY_OFFICER: students who turn 12 or 16 from today up to and including today + within days (Amsterdam calendar) and have a consent that holds today but will then no longer match the age rule (re-confirmation needed); soonest first. Logged as a search. FORBIDDEN for other roles.' })
  consentReconfirmations(
    @Arg('filter', () => ConsentReconfirmationFilter, { nullable: true, description: 'How far to look ahead, and which school or windstreek.' }) filter: ConsentReconfirmationFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<ConsentReconfirmationRow[]> {
    return consentReconfirmations(ctx, filter);
  }

  @Guarded('Consent', 'create')
  @Mutation(() => Consent, { description: "SCHOOL_COORDINATOR of the student's school: record a consent (toestemming vastleggen) with legal basis CONSENT. Age rule on the day it was given: under 12 the parents with parental authority; 12-15 the student and such a parent; 16 and over the student alone (BAD_USER_INPUT naming the field otherwise). CONFLICT while a valid consent for the purpose exists." })
  recordConsent(@Arg('input', () => RecordConsentInput, INPUT) input: RecordConsentInput, @Ctx() ctx: Context): Promise<Consent> {
    return recordConsent(ctx, input);
  }

  @Guarded('Consent', 'update')
  @Mutation(() => Consent, { description: "SCHOOL_COORDINATOR of the student's school: withdraw a consent (toestemming intrekken); access it gated ends with the very next request. CONFLICT when already withdrawn." })
  withdrawConsent(@Arg('input', () => WithdrawConsentInput, INPUT) input: WithdrawConsentInput, @Ctx() ctx: Context): Promise<Consent> {
    return withdrawConsent(ctx, input);
  }

  @FieldResolver(() => Boolean, { description: 'Holds today (not withdrawn, last day not passed); the access gate. A consent that needs re-confirmation is still valid here: it is flagged, not (yet) blocking.' })
  valid(@Root() consent: Consent, @Ctx() ctx: Context): boolean {
    return holdsOn(consent, ctx.today);
  }

  @FieldResolver(() => ConsentStatus, { description: 'Where it stands today (status): VALID, WITHDRAWN, EXPIRED or NEEDS_RECONFIRMATION; the same values the `consents` status filter takes.' })
  status(@Root() consent: Consent, @Ctx() ctx: Context): Promise<ConsentStatus> {
    return consentStatus(ctx, consent);
  }

  @FieldResolver(() => Boolean, { description: 'Holds, but the student turned 12 or 16 since it was given, so its grantors no longer match the age rule today: confirm it again (opnieuw bevestigen) by recording a new consent.' })
  needsReconfirmation(@Root() consent: Consent, @Ctx() ctx: Context): Promise<boolean> {
    return consentNeedsReconfirmation(ctx, consent);
  }
}
