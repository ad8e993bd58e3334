/**
 * The privacy officer's retention API: `runRetention` and `setLegalHold`.
 *
 * NOTE (deliberate bypass of the read rules): the privacy officer may not read trajectories
 * or case content (the access matrix, src/authz/README.md), yet retention erases that content. Retention is the
 * partnership's legal duty (art. 5(1)(e) AVG), so these mutations do not go through the
 * caller's read rules: they check the privacy officer's `update` rule on the retention fields
 * (src/authz/rules/privacy.rules.ts) and then call the retention service (./retention/), which
 * works in SQL scoped to the caller's partnership on `ctx.dataSource` (the request's unit of
 * work). They return ids, classes and counts only, never case content. Legal holds on consultations
 * rest on the same duty check (the privacy officer's rule on the trajectory's and student's
 * retention fields): a consultation is part of the same dossiers.
 *
 * This file validates the input, calls the service (`runRetention`, `changeLegalHold`), notes
 * the access-log entries of what it did on the request's access recorder and shapes the
 * answer; it runs no SQL and writes no events itself.
 */
import { assertCan } from '../../authz/authorize';
import { unscoped } from '../../graphql/reads';
import { Guarded } from '../../graphql/policy';
import { IsBoolean, IsOptional, IsUUID, Length } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { RetentionClass, Role } from '../../domain/enums';
import { amsterdamDate } from '../../domain/clock';
import type { Context } from '../../graphql/context';
import { badInput, notFound } from '../../graphql/errors';
import { LocalDate } from '../../graphql/scalars';
// './retention/index', not './retention': a dist/ built before the split keeps retention.js, which Node would load first.
import { changeLegalHold, RetentionAction, RetentionActionKind, retentionLogEntries, runRetention } from './retention/index';

registerEnumType(RetentionActionKind, {
  name: 'RetentionActionKind',
  description: 'What the retention run did to a record (bewaartermijn verstreken).',
  valuesConfig: {
    PSEUDONYMISE_TRAJECTORY: { description: 'Case records erased, the trajectory pseudonymised (problem areas, reasons and eligibility cleared).' },
    ANONYMISE_CONSULTATION: { description: 'Case text of an advice request or pre-consultation erased and the student unlinked; kind, dates, school and outcome kept.' },
    PSEUDONYMISE_STUDENT: { description: 'Identity replaced by the pseudonym, birth date reduced to its year, guardians deleted.' },
  },
});

const INPUT = { description: 'What to do.' };

@InputType({ description: 'A retention run.' })
export class RunRetentionInput {
  @Field(() => Boolean, { description: 'List what would be done without changing anything (proefdraaien).' })
  @IsBoolean()
  dryRun: boolean;

  @Field(() => LocalDate, { nullable: true, description: 'The calendar day the terms are judged on (default: today, Europe/Amsterdam).' })
  @IsOptional()
  asOf?: string | null;
}

@InputType({ description: 'Set or clear a legal hold on one trajectory, one consultation or one student (exactly one of the three).' })
export class SetLegalHoldInput {
  @Field(() => ID, { nullable: true, description: 'The trajectory (dossier) to hold or release.' })
  @IsOptional()
  @IsUUID('all')
  trajectoryId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The consultation (advice request or pre-consultation) to hold or release.' })
  @IsOptional()
  @IsUUID('all')
  consultationId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The student to hold or release.' })
  @IsOptional()
  @IsUUID('all')
  studentId?: string | null;

  @Field(() => Boolean, { description: 'true: the retention run leaves the record alone; false: release it.' })
  @IsBoolean()
  legalHold: boolean;

  @Field(() => String, { description: 'Why (reden), e.g. the dispute or request that requires keeping it; kept on the record while the hold is set (and as an event on a trajectory).' })
  @Length(1, 2000)
  reason: string;
}

@ObjectType({ description: 'Rows erased from one table.' })
export class ErasedRows {
  @Field(() => String, { description: 'The record type (e.g. Note, Guardian).' })
  type: string;

  @Field(() => Int, { description: 'How many rows.' })
  count: number;
}

@ObjectType({ description: 'One record the retention run treated (or would treat, in a dry run).' })
export class RetentionActionRecord {
  @Field(() => RetentionActionKind, { description: 'What was done.' })
  kind: RetentionActionKind;

  @Field(() => ID, { description: 'The trajectory, consultation or student.' })
  recordId: string;

  @Field(() => ID, { nullable: true, description: 'The student concerned; null for an anonymous consultation.' })
  studentId: string | null;

  @Field(() => RetentionClass, { description: 'The retention class applied.' })
  retentionClass: RetentionClass;

  @Field(() => LocalDate, { description: 'The last day of the term; the record was due from the day after.' })
  termEndedOn: string;

  @Field(() => [ErasedRows], { description: 'Rows erased with it (empty in a dry run).' })
  erased: ErasedRows[];
}

@ObjectType({ description: 'How many records one kind of action touched.' })
export class RetentionActionCount {
  @Field(() => RetentionActionKind, { description: 'The action.' })
  kind: RetentionActionKind;

  @Field(() => Int, { description: 'How many records.' })
  count: number;
}

@ObjectType({ description: 'The result of a retention run.' })
export class RetentionRunSummary {
  @Field(() => LocalDate, { description: 'The day the terms were judged on.' })
  asOf: string;

  @Field(() => Boolean, { description: 'true: nothing was changed; the actions are what would be done.' })
  dryRun: boolean;

  @Field(() => [RetentionActionCount], { description: 'Counts per action (every action listed, also with 0).' })
  counts: RetentionActionCount[];

  @Field(() => [RetentionActionRecord], { description: 'Every record treated: trajectories, then consultations, then students.' })
  actions: RetentionActionRecord[];
}

@ObjectType({ description: 'The legal hold as set.' })
export class LegalHoldResult {
  @Field(() => ID, { nullable: true, description: 'The trajectory, when one was named.' })
  trajectoryId: string | null;

  @Field(() => ID, { nullable: true, description: 'The consultation, when one was named.' })
  consultationId: string | null;

  @Field(() => ID, { nullable: true, description: 'The student, when one was named.' })
  studentId: string | null;

  @Field(() => Boolean, { description: 'The legal hold now.' })
  legalHold: boolean;
}

function requireRetentionDuty(ctx: Context, message: string): void {
  // The privacy officer's rule on the retention fields (privacy.rules.ts); see the NOTE above.
  assertCan(ctx.ability, 'update', 'Trajectory', null, message, 'retentionAppliedAt');
  assertCan(ctx.ability, 'update', 'Student', null, message, 'retentionAppliedAt');
}

function summary(asOf: string, dryRun: boolean, actions: RetentionAction[]): RetentionRunSummary {
  return {
    asOf,
    dryRun,
    counts: Object.values(RetentionActionKind).map((kind) => ({ kind, count: actions.filter((a) => a.kind === kind).length })),
    actions: actions.map((a) => ({
      kind: a.kind,
      recordId: a.recordId,
      studentId: a.studentId,
      retentionClass: a.retentionClass,
      termEndedOn: a.termEndedOn,
      erased: Object.entries(a.erased).map(([type, count]) => ({ type, count })),
    })),
  };
}

@Resolver()
export class RetentionResolver {
  @Guarded('Trajectory', 'update')
  @Mutation(() => RetentionRunSummary, {
    description:
      'PRIVACY_OFFICER: run retention (bewaartermijnen) in your partnership: every finished trajectory, every consultation (once no trajectory it led to still holds its case) and every student that left school past its term and not on legal hold is erased, anonymised or pseudonymised; a record is kept through the last day of its term and due from the day after. With dryRun nothing changes and the same actions are listed. FORBIDDEN for other roles.',
  })
  async runRetention(@Arg('input', () => RunRetentionInput, INPUT) input: RunRetentionInput, @Ctx() ctx: Context): Promise<RetentionRunSummary> {
    requireRetentionDuty(ctx, 'Only the privacy officer runs retention.');
    const now = ctx.clock.now();
    const asOf = input.asOf ?? amsterdamDate(now);
    if (asOf > amsterdamDate(now)) throw badInput('input.asOf', 'input.asOf: lies in the future.');
    const membership = ctx.actor.memberships.find((m) => m.role === Role.PRIVACY_OFFICER);
    const report = await runRetention(unscoped(ctx, 'the retention run, the privacy officer\'s duty (requireRetentionDuty above)'), {
      partnershipId: ctx.actor.partnershipId,
      asOf,
      dryRun: input.dryRun,
      actorUserId: ctx.actor.userId,
      membershipId: membership?.id ?? null,
      terms: ctx.config.retention,
      norms: ctx.config.phaseNorms,
      now,
    });
    for (const entry of retentionLogEntries(report.dryRun ? [] : report.actions)) ctx.access?.note(entry);
    return summary(report.asOf, report.dryRun, report.actions);
  }

  @Guarded('Trajectory', 'update')
  @Mutation(() => LegalHoldResult, {
    description:
      'PRIVACY_OFFICER: set or clear the legal hold (bewaarplicht) of one trajectory, consultation or student of your partnership; the retention run never touches a held record. BAD_USER_INPUT unless exactly one of trajectoryId, consultationId and studentId; NOT_FOUND when it is not in your partnership. FORBIDDEN for other roles.',
  })
  async setLegalHold(@Arg('input', () => SetLegalHoldInput, INPUT) input: SetLegalHoldInput, @Ctx() ctx: Context): Promise<LegalHoldResult> {
    requireRetentionDuty(ctx, 'Only the privacy officer sets legal holds.');
    const named = [input.trajectoryId, input.consultationId, input.studentId].filter((id) => id);
    if (named.length !== 1) throw badInput('input.trajectoryId', 'input: name exactly one of trajectoryId, consultationId and studentId.');
    const { objectType, logEntry } = await changeLegalHold(unscoped(ctx, 'write: a legal hold, after requireRetentionDuty above'), {
      partnershipId: ctx.actor.partnershipId,
      actorUserId: ctx.actor.userId,
      trajectoryId: input.trajectoryId,
      consultationId: input.consultationId,
      studentId: input.studentId,
      legalHold: input.legalHold,
      reason: input.reason,
      clock: ctx.clock,
    });
    if (!logEntry) throw notFound(objectType);
    ctx.access?.note(logEntry);
    return { trajectoryId: input.trajectoryId ?? null, consultationId: input.consultationId ?? null, studentId: input.studentId ?? null, legalHold: input.legalHold };
  }
}
