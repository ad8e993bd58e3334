/**
 * Consent records (toestemming): recording and withdrawing them (SCHOOL_COORDINATOR of the
 * student's school) and the privacy officer's filtered list. The age rule itself is in
 * consent-validity.ts; its SQL twin for the status filter is `matchesAgeRuleSql` below.
 *
 * Access by the Topteam and the onderwijsadviseur is gated on a consent that holds: not
 * withdrawn and not past its last day (src/authz/consent-holds.ts, `consentHolds`, the one home of
 * that rule). A consent that needs re-confirmation (the student turned 12 or 16 since it was
 * given) is FLAGGED (`Consent.needsReconfirmation`, status NEEDS_RECONFIRMATION), not (yet)
 * blocking.
 */
import { IsNull, SelectQueryBuilder } from 'typeorm';
import { accessibleQuery, conditionWhere } from '../../authz/accessible';
import { assertCan } from '../../authz/authorize';
import { addDays, ageOn, amsterdamDate } from '../../domain/clock';
import { ConsentPurpose, GrantorRole, LegalBasis, Phase } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound } from '../../graphql/errors';
import { Connection, ConnectionArgs, NEWEST_FIRST } from '../../graphql/pagination';
import { Trajectory } from '../trajectories/trajectory.entity';
import { listPage, parseId, requireVisible, whereEquals, unscoped } from '../../graphql/reads';
import { Guardian } from '../students/guardian.entity';
import { Student } from '../students/student.entity';
import { Consent, ConsentGrantor } from './consent.entity';
import { ConsentFilter, ConsentGapFilter, ConsentReconfirmationFilter, ConsentStatus, RECONFIRMATION_MAX_DAYS, RecordConsentInput, WithdrawConsentInput } from './consent.inputs';
import { consentExpired, consentHolds, holdsOn } from '../../authz/consent-holds';
import { birthdayAt, grantorRuleViolation, needsReconfirmation, RECONFIRMATION_AGES } from './consent-validity';

/**
 * SQL for "the grantors of consent `c` match the age rule for student `s` on :today"; the
 * twin of `grantorRuleViolation` (consent-validity.ts). Ages by calendar: the 12th birthday
 * is `birth_date + interval '12 years'`.
 */
export function matchesAgeRuleSql(c: string, s: string): string {
  const hasStudent = `"${c}"."grantors" @> '[{"role":"STUDENT"}]'::jsonb`;
  const hasParent = `"${c}"."grantors" @> '[{"role":"PARENT"}]'::jsonb`;
  const parentWithoutAuthority = `"${c}"."grantors" @> '[{"role":"PARENT","hasParentalAuthority":false}]'::jsonb`;
  const from12 = `("${s}"."birth_date" + interval '12 years')::date <= CAST(:today AS date)`;
  const from16 = `("${s}"."birth_date" + interval '16 years')::date <= CAST(:today AS date)`;
  return `(CASE
    WHEN ${from16} THEN ${hasStudent} AND NOT ${hasParent}
    WHEN ${from12} THEN ${hasStudent} AND ${hasParent} AND NOT ${parentWithoutAuthority}
    ELSE NOT ${hasStudent} AND ${hasParent} AND NOT ${parentWithoutAuthority}
  END)`;
}

/** The date ranges of the consent filter: the filter's fields, the column and whether it is an instant (compared by its Amsterdam day). */
const CONSENT_DATE_RANGES = [
  { from: 'givenFrom', until: 'givenUntil', column: 'given_at', instant: true },
  { from: 'withdrawnFrom', until: 'withdrawnUntil', column: 'withdrawn_at', instant: true },
  { from: 'endingFrom', until: 'endingUntil', column: 'valid_until', instant: false },
] as const;

/**
 * The date-range conditions of the filter: calendar days in Europe/Amsterdam, both ends inclusive
 * (an instant counts on its Amsterdam day); a bound left out is open; a NULL date never matches.
 * BAD_USER_INPUT, naming the `…Until` field, when a range ends before it starts.
 */
function narrowConsentDates(qb: SelectQueryBuilder<Consent>, alias: string, filter: ConsentFilter): void {
  for (const range of CONSENT_DATE_RANGES) {
    const from = filter[range.from];
    const until = filter[range.until];
    if (from && until && until < from) throw badInput(`filter.${range.until}`, `filter.${range.until}: lies before filter.${range.from}.`);
    const day = range.instant ? `("${alias}"."${range.column}" AT TIME ZONE 'Europe/Amsterdam')::date` : `"${alias}"."${range.column}"`;
    if (from) qb.andWhere(`${day} >= CAST(:filter_${range.from} AS date)`, { [`filter_${range.from}`]: from });
    if (until) qb.andWhere(`${day} <= CAST(:filter_${range.until} AS date)`, { [`filter_${range.until}`]: until });
  }
}

/** Narrows a consent query (alias `alias`) by the filter; all in SQL. */
function narrowConsents(ctx: Context, qb: SelectQueryBuilder<Consent>, alias: string, filter: ConsentFilter | undefined): void {
  if (!filter) return;
  narrowConsentDates(qb, alias, filter);
  whereEquals(qb, alias, { studentId: filter.studentId, purpose: filter.purpose });
  if (filter.withdrawn !== undefined && filter.withdrawn !== null) {
    qb.andWhere(`"${alias}"."withdrawn_at" IS ${filter.withdrawn ? 'NOT ' : ''}NULL`);
  }
  const school = studentSchoolWhere('fs', filter, 'filter_');
  const studentConditions: string[] = school.sql;
  const params: Record<string, unknown> = school.params;
  const today = ctx.today;
  if (filter.status === ConsentStatus.WITHDRAWN) {
    qb.andWhere(`"${alias}"."withdrawn_at" IS NOT NULL`);
  } else if (filter.status === ConsentStatus.EXPIRED) {
    const expired = conditionWhere(ctx.dataSource, Consent, consentExpired(today), alias, 'expired_');
    qb.andWhere(expired.sql, expired.params);
  } else if (filter.status) {
    const holds = conditionWhere(ctx.dataSource, Consent, consentHolds(today), alias, 'holds_');
    qb.andWhere(holds.sql, holds.params);
    const matches = matchesAgeRuleSql(alias, 'fs');
    studentConditions.push(filter.status === ConsentStatus.VALID ? matches : `NOT ${matches}`);
    params.today = today;
  }
  if (studentConditions.length) {
    qb.andWhere(`EXISTS (SELECT 1 FROM "student" "fs" WHERE "fs"."id" = "${alias}"."student_id" AND ${studentConditions.join(' AND ')})`, params);
  }
}

/** The consent records the caller may read, newest first, narrowed by `filter`. */
export function listConsents(ctx: Context, args: ConnectionArgs, filter: ConsentFilter | undefined): Promise<Connection<Consent>> {
  return listPage(ctx, Consent, args, NEWEST_FIRST, (qb, alias) => narrowConsents(ctx, qb, alias, filter));
}

/** Where `consent` stands today: withdrawn, expired, needing re-confirmation or valid. */
export async function consentStatus(ctx: Context, consent: Consent): Promise<ConsentStatus> {
  if (consent.withdrawnAt !== null) return ConsentStatus.WITHDRAWN;
  if (!holdsOn(consent, ctx.today)) return ConsentStatus.EXPIRED;
  return (await consentNeedsReconfirmation(ctx, consent)) ? ConsentStatus.NEEDS_RECONFIRMATION : ConsentStatus.VALID;
}

/** Whether `consent` (which the caller may read) needs re-confirmation today; birth dates batched per request. */
export async function consentNeedsReconfirmation(ctx: Context, consent: Consent): Promise<boolean> {
  const today = ctx.today;
  if (!holdsOn(consent, today)) return false;
  // NOTE: read without the ability: the caller already reads this consent record, and the
  // birth date only feeds this flag; it is not returned.
  const birthDate = await ctx.loaders
    .custom<string, string | null>('consentStudentBirthDate', async (ids) => {
      const rows: Array<{ id: string; birthDate: string }> = await unscoped(ctx, 'the birth dates of students of consents already read through the rules, for the age-rule flag only (not returned)')
        .getRepository(Student)
        .createQueryBuilder('s')
        .select('s.id', 'id')
        .addSelect('s.birthDate', 'birthDate')
        .where('s.id IN (:...ids) AND s.partnershipId = :partnershipId', { ids: [...ids], partnershipId: ctx.actor.partnershipId })
        .getRawMany();
      const byId = new Map(rows.map((r) => [r.id, r.birthDate]));
      return ids.map((id) => byId.get(id) ?? null);
    })
    .load(consent.studentId);
  if (birthDate === null) return false;
  return needsReconfirmation(consent, ageOn(birthDate, today), today);
}

/** SCHOOL_COORDINATOR of the student's school: records a consent after checking the age rule on the day it was given. */
export async function recordConsent(ctx: Context, input: RecordConsentInput): Promise<Consent> {
  const student = await requireVisible(ctx, Student, input.studentId, 'input.studentId');
  // The rule conditions on the `student` relation; in memory CASL matches $elemMatch on an array.
  assertCan(
    ctx.ability,
    'create',
    'Consent',
    { partnershipId: student.partnershipId, studentId: student.id, student: [{ id: student.id, schoolId: student.schoolId, partnershipId: student.partnershipId }] },
    "Only the coordinator of the student's school can record a consent.",
  );

  const now = ctx.clock.now();
  const today = amsterdamDate(now);
  const givenOn = input.givenOn ?? today;
  if (givenOn > today) throw badInput('input.givenOn', 'input.givenOn: lies in the future.');
  if (givenOn < student.birthDate) throw badInput('input.givenOn', "input.givenOn: lies before the student's birth date.");
  const validUntil = input.validUntil ?? null;
  if (validUntil !== null && validUntil < today) {
    throw badInput('input.validUntil', 'input.validUntil: lies in the past; a consent that has already expired gates nothing.');
  }

  const guardianIds = [...new Set(input.grantorGuardianIds.map((id, i) => parseId(id, `input.grantorGuardianIds[${i}]`)))];
  const guardians = guardianIds.length
    ? await unscoped(ctx, 'the named guardians of a student the caller may record consent for')
        .getRepository(Guardian)
        .createQueryBuilder('g')
        .where('g.id IN (:...ids) AND g.studentId = :studentId AND g.partnershipId = :partnershipId', { ids: guardianIds, studentId: student.id, partnershipId: student.partnershipId })
        .getMany()
    : [];
  // A guardian of another student (or none) is not found: the coordinator names guardians of this student only.
  if (guardians.length !== guardianIds.length) throw notFound('Guardian');

  const age = ageOn(student.birthDate, givenOn);
  const violation = grantorRuleViolation(age, { studentGrants: input.studentGrants, parents: guardians });
  if (violation) throw badInput(violation.field, violation.message);

  const grantors: ConsentGrantor[] = [
    ...(input.studentGrants ? [{ role: GrantorRole.STUDENT, name: `${student.givenName} ${student.familyName}`, hasParentalAuthority: false }] : []),
    ...guardianIds.map((id) => guardians.find((g) => g.id === id)!).map((g) => ({ role: GrantorRole.PARENT, name: g.name, hasParentalAuthority: g.hasParentalAuthority })),
  ];

  return unscoped(ctx, 'write: a new consent, after assertCan(create, Consent)').transaction(async (tx) => {
    // Serialises consent writes per student, so two concurrent records cannot both pass the check below.
    await tx.getRepository(Student).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id: student.id }).getOne();
    const standing = await tx.getRepository(Consent).find({ where: { studentId: student.id, purpose: input.purpose, withdrawnAt: IsNull() } });
    const holding = standing.filter((c) => holdsOn(c, today));
    const current = holding.filter((c) => !needsReconfirmation(c, ageOn(student.birthDate, today), today));
    if (current.length > 0) {
      throw conflict(`The student already has a valid consent for ${input.purpose}; withdraw it first.`);
    }
    // A holding consent that needs re-confirmation is superseded by the new record (closed now,
    // by the recorder), so access does not lapse between the two.
    for (const old of holding) {
      await tx.update(Consent, { id: old.id, withdrawnAt: IsNull() }, { withdrawnAt: now, withdrawnByUserId: ctx.actor.userId });
    }
    return tx.save(
      tx.create(Consent, {
        partnershipId: student.partnershipId,
        studentId: student.id,
        purpose: input.purpose,
        legalBasis: LegalBasis.CONSENT,
        grantors,
        studentAgeAtGrant: age,
        recipients: input.recipients,
        dataCategories: input.dataCategories,
        // Today: the moment of recording; an earlier day: noon UTC, which is that day in Amsterdam.
        givenAt: givenOn === today ? now : new Date(`${givenOn}T12:00:00Z`),
        validUntil,
        withdrawnAt: null,
        withdrawnByUserId: null,
        evidenceReference: input.evidenceReference ?? null,
        recordedByUserId: ctx.actor.userId,
      }),
    );
  });
}

/** SCHOOL_COORDINATOR of the student's school: withdraws a consent; access it gated ends with the next request. */
export async function withdrawConsent(ctx: Context, input: WithdrawConsentInput): Promise<Consent> {
  const consent = await requireVisible(ctx, Consent, input.consentId, 'input.consentId');
  const updatable = accessibleQuery(ctx.ability, Consent, ctx.dataSource, 'item', 'update');
  const allowed = updatable && (await updatable.andWhere('"item"."id" = :id', { id: consent.id }).getCount());
  if (!allowed) throw forbidden("Only the coordinator of the student's school or the privacy officer can withdraw a consent.");
  const result = await unscoped(ctx, 'write: withdrawing a consent the update rules allow (checked just above)')
    .createQueryBuilder()
    .update(Consent)
    .set({
      withdrawnAt: ctx.clock.now(), withdrawnByUserId: ctx.actor.userId, withdrawalReason: input.reason?.trim() || null,
      withdrawalEvidenceReference: input.evidenceReference?.trim() || null,
    })
    .where('id = :id AND withdrawn_at IS NULL', { id: consent.id })
    .returning('*')
    .execute();
  if (!result.affected) throw conflict('This consent has already been withdrawn.');
  return unscoped(ctx, 're-reading the consent just withdrawn').getRepository(Consent).findOneByOrFail({ id: consent.id });
}

/** Phases in which the Topteam works on the case, so the care consent must hold (ACCEPTED…CONSOLIDATION). */
export const RUNNING_PHASES = [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION];

/**
 * Phases in which a trajectory needs the consents it was registered with: a registration under
 * review (REQUESTED, IN_REVIEW, INFO_REQUESTED; consent is asked before registering, and the
 * advisor reviews on the consent to share with the partnership) and every running phase.
 */
export const CONSENT_NEEDED_PHASES = [Phase.REQUESTED, Phase.IN_REVIEW, Phase.INFO_REQUESTED, ...RUNNING_PHASES];

/** A student with trajectories that need consent but no valid consent for `purpose`: the privacy officer's consent gap. */
export interface ConsentGapRow {
  student: Student;
  purpose: ConsentPurpose;
  trajectoryIds: string[];
}

/** The condition "student `s` is of this school / this windstreek" for the school and windstreek filters (SQL, parameters prefixed `prefix`). */
function studentSchoolWhere(s: string, filter: { schoolId?: string; windstreekId?: string } | undefined, prefix: string): { sql: string[]; params: Record<string, unknown> } {
  const sql: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter?.schoolId) {
    sql.push(`"${s}"."school_id" = :${prefix}schoolId`);
    params[`${prefix}schoolId`] = parseId(filter.schoolId, 'filter.schoolId');
  }
  if (filter?.windstreekId) {
    sql.push(`EXISTS (SELECT 1 FROM "school" "${prefix}sc" WHERE "${prefix}sc"."id" = "${s}"."school_id" AND "${prefix}sc"."windstreek_id" = :${prefix}windstreekId)`);
    params[`${prefix}windstreekId`] = parseId(filter.windstreekId, 'filter.windstreekId');
  }
  return { sql, params };
}

/**
 * PRIVACY_OFFICER: students with a registration under review (REQUESTED, IN_REVIEW,
 * INFO_REQUESTED) or a running trajectory (ACCEPTED…CONSOLIDATION) but no valid consent for
 * `purpose` today (none, withdrawn, expired, or needing re-confirmation), newest student first,
 * narrowed to the student's school or its windstreek. The privacy officer has no trajectory read
 * rule (no case data): the trajectories are returned as plain ids only.
 */
export async function trajectoriesLackingConsent(ctx: Context, args: ConnectionArgs, purpose: ConsentPurpose, filter?: ConsentGapFilter): Promise<Connection<ConsentGapRow>> {
  assertCan(ctx.ability, 'supervise', 'Partnership', { id: ctx.actor.partnershipId }, 'Only the privacy officer can list missing consents.');
  const today = ctx.today;
  const holds = conditionWhere(ctx.dataSource, Consent, consentHolds(today), 'gc', 'gap_holds_');
  const page = await listPage(ctx, Student, args, NEWEST_FIRST, (qb, alias) => {
    qb.andWhere(`EXISTS (SELECT 1 FROM "trajectory" "gt" WHERE "gt"."student_id" = "${alias}"."id" AND "gt"."phase" IN (:...gapPhases))`, { gapPhases: CONSENT_NEEDED_PHASES });
    qb.andWhere(
      `NOT EXISTS (SELECT 1 FROM "consent" "gc" WHERE "gc"."student_id" = "${alias}"."id" AND "gc"."purpose" = :gapPurpose AND ${holds.sql} AND ${matchesAgeRuleSql('gc', alias)})`,
      { gapPurpose: purpose, today, ...holds.params },
    );
    const school = studentSchoolWhere(alias, filter, 'gap_');
    for (const sql of school.sql) qb.andWhere(sql, school.params);
  });
  const studentIds = page.edges.map((e) => e.node.id);
  // NOTE: read without the ability: ids only, so the privacy officer can name the cases to the school.
  const rows: Array<{ id: string; studentId: string }> = studentIds.length
    ? await unscoped(ctx, 'student ids of trajectories the privacy officer supervises, so the school can be told which cases lack consent')
        .getRepository(Trajectory)
        .createQueryBuilder('t')
        .select('t.id', 'id')
        .addSelect('t.studentId', 'studentId')
        .where('t.studentId IN (:...studentIds) AND t.phase IN (:...phases) AND t.partnershipId = :partnershipId', { studentIds, phases: CONSENT_NEEDED_PHASES, partnershipId: ctx.actor.partnershipId })
        .orderBy('t.id')
        .getRawMany()
    : [];
  const edges = page.edges.map((e) => ({
    cursor: e.cursor,
    node: { student: e.node, purpose, trajectoryIds: rows.filter((r) => r.studentId === e.node.id).map((r) => r.id) },
  }));
  return new Connection(edges, page.pageInfo, () => page.totalCount);
}

/**
 * SQL for the day student `s` turns `age`, the twin of `birthdayAt` (consent-validity.ts): the day
 * before the birth date plus the years, plus one day, so a 29 February birthday falls on 1 March
 * in a year without one (PostgreSQL alone would give 28 February), as `ageOn` counts it.
 */
export function birthdayAtSql(s: string, age: number): string {
  return `((("${s}"."birth_date" - 1) + interval '${Math.trunc(age)} years')::date + 1)`;
}

/** A student about to turn 12 or 16 whose consents will then need re-confirmation. */
export interface ConsentReconfirmationRow {
  student: Student;
  birthDate: string;
  ageReached: number;
  turnsOn: string;
  consents: Consent[];
}

/**
 * PRIVACY_OFFICER: the students who turn 12 or 16 from today up to and including today +
 * `within` days (Amsterdam calendar) with a consent that holds today and, on that birthday, no
 * longer matches the age rule (`needsReconfirmation` at that age on that day: a consent that ends
 * before it is not listed). Soonest first. Students and consents are read through the caller's
 * rules (the privacy officer reads both), so the field guard logs them as SEARCH.
 */
export async function consentReconfirmations(ctx: Context, filter: ConsentReconfirmationFilter | undefined): Promise<ConsentReconfirmationRow[]> {
  assertCan(ctx.ability, 'supervise', 'Partnership', { id: ctx.actor.partnershipId }, 'Only the privacy officer lists coming consent re-confirmations.');
  const within = filter?.within ?? 30;
  if (!Number.isInteger(within) || within < 0 || within > RECONFIRMATION_MAX_DAYS) throw badInput('filter.within', `filter.within: from 0 to ${RECONFIRMATION_MAX_DAYS} days.`);
  const today = ctx.today;
  const until = addDays(today, within);
  const students: SelectQueryBuilder<Student> | null = accessibleQuery(ctx.ability, Student, ctx.dataSource, 'rs');
  if (!students) return [];
  const holds = conditionWhere(ctx.dataSource, Consent, consentHolds(today), 'rc', 'rc_holds_');
  students.andWhere(`(${RECONFIRMATION_AGES.map((age) => `${birthdayAtSql('rs', age)} BETWEEN CAST(:rcFrom AS date) AND CAST(:rcUntil AS date)`).join(' OR ')})`, { rcFrom: today, rcUntil: until });
  students.andWhere(`EXISTS (SELECT 1 FROM "consent" "rc" WHERE "rc"."student_id" = "rs"."id" AND ${holds.sql})`, holds.params);
  const school = studentSchoolWhere('rs', filter, 'rc_');
  for (const sql of school.sql) students.andWhere(sql, school.params);
  const found = await students.getMany();
  if (!found.length) return [];
  const consents: SelectQueryBuilder<Consent> | null = accessibleQuery(ctx.ability, Consent, ctx.dataSource, 'c');
  const standing = consents
    ? await consents.andWhere('"c"."student_id" IN (:...rcStudentIds)', { rcStudentIds: found.map((s) => s.id) }).orderBy('"c"."created_at"').addOrderBy('"c"."id"').getMany()
    : [];
  const rows: ConsentReconfirmationRow[] = [];
  for (const student of found) {
    const ageReached = RECONFIRMATION_AGES.find((age) => {
      const day = birthdayAt(student.birthDate, age);
      return day >= today && day <= until;
    });
    if (ageReached === undefined) continue;
    const turnsOn = birthdayAt(student.birthDate, ageReached);
    const due = standing.filter((c) => c.studentId === student.id && holdsOn(c, today) && needsReconfirmation(c, ageReached, turnsOn));
    if (due.length) rows.push({ student, birthDate: student.birthDate, ageReached, turnsOn, consents: due });
  }
  return rows.sort((a, b) => a.turnsOn.localeCompare(b.turnsOn) || a.student.id.localeCompare(b.student.id));
}
