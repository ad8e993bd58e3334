/**
 * When a consent holds, and the age rule for consent (src/domain/README.md, AVG rule 4).
 *
 * ## Holds
 * A consent HOLDS on a calendar day when it is not withdrawn and its last day (`validUntil`,
 * inclusive; null for no end) has not passed. This module is the one home of that rule:
 * `consentHolds(today)` is the condition (CASL/MongoQuery over Consent's columns, among them
 * the virtual `validThrough`, its last day or NO_END) that the access rules embed
 * (src/authz/rules/student.rules.ts, `validConsentFor`), that SQL uses through the rules
 * translator (`conditionWhere`, src/authz/accessible.ts: the status filter, the registration
 * check, the missing-consent list, the access log's consent used) and that memory uses
 * through `holdsOn`. Its one SQL twin is `consentStandsThroughSql`: the last
 * day any standing consent of a student holds, loaded with each trajectory
 * (`Trajectory.careConsentValidThrough`) so field permissions can be checked in memory; a
 * consent holds on `today` exactly when that day is >= today (`standsOn`). "Today" is always
 * the request's calendar day by the injectable clock, passed in, never SQL's `now()`.
 *
 * ## The age rule
 *
 * | age on the day | who grants                                                        |
 * |----------------|-------------------------------------------------------------------|
 * | under 12       | the parents with parental authority (at least one), not the student |
 * | 12 to 15       | the student AND at least one parent with parental authority        |
 * | 16 and over    | the student alone                                                  |
 *
 * A parent without parental authority (gezag) never counts as a grantor. The same rule
 * decides whether a recorded consent still matches today (`needsReconfirmation`); the
 * privacy officer's status filter writes it in SQL (`matchesAgeRuleSql` in
 * consent.service.ts), which must stay in step with `grantorRuleViolation` below.
 */
import { MongoQuery } from '@casl/ability';
import { guard } from '@ucast/mongo2js';
import { ConsentPurpose, GrantorRole } from '../../domain/enums';

/** The last day of a consent without end date (`validUntil` null), as `validThrough` reports it. */
export const NO_END = '9999-12-31';

/** SQL over consent alias `c`: its last day, NO_END for none. Loaded with each row as `Consent.validThrough`. */
export function validThroughSql(c: string): string {
  return `coalesce(${c}.valid_until, DATE '${NO_END}')`;
}

/** A consent's last day, NO_END for none: `validThroughSql` for an object in memory (e.g. one just saved). */
export function validThrough(consent: { validUntil: string | null }): string {
  return consent.validUntil ?? NO_END;
}

/**
 * The condition "this consent holds on `today`" (YYYY-MM-DD), over Consent's columns. Written
 * without `$or`, which CASL cannot nest inside the `$elemMatch` of the access rules.
 */
export function consentHolds(today: string): MongoQuery {
  return { withdrawnAt: null, validThrough: { $gte: today } };
}

/** The condition "this consent has expired by `today`": not withdrawn, its last day passed. */
export function consentExpired(today: string): MongoQuery {
  return { withdrawnAt: null, validThrough: { $lt: today } };
}

/** Whether a consent holds on `today`: the same condition, evaluated in memory. */
export function holdsOn(consent: { withdrawnAt: Date | null; validUntil: string | null }, today: string): boolean {
  return guard(consentHolds(today) as never)({ withdrawnAt: consent.withdrawnAt, validThrough: validThrough(consent) }) as boolean;
}

/**
 * SQL: the last day through which some consent for `purpose` of the student whose id is
 * `studentIdSql` holds if nothing changes (NO_END for one without end date), or NULL when none
 * stands; loaded with each trajectory (`Trajectory.careConsentValidThrough`). A consent for the
 * purpose holds on `today` exactly when this is >= today (`standsOn`): the twin of `consentHolds`.
 */
export function consentStandsThroughSql(studentIdSql: string, purpose: ConsentPurpose): string {
  return `SELECT max(${validThroughSql('c')}) FROM consent c WHERE c.student_id = ${studentIdSql} AND c.purpose = '${purpose}' AND c.withdrawn_at IS NULL`;
}

/** Whether a consent standing through `through` (see `consentStandsThroughSql`) holds on `today`. */
export function standsOn(through: string | null, today: string): boolean {
  return through !== null && through >= today;
}

/** The grantors as the rule sees them. */
export interface GrantorSet {
  studentGrants: boolean;
  parents: Array<{ hasParentalAuthority: boolean }>;
}

/** Why a grantor set does not satisfy the rule: the input field to name and a message. */
export interface RuleViolation {
  field: 'input.grantorGuardianIds' | 'input.studentGrants';
  message: string;
}

export const AGE_OF_SHARED_CONSENT = 12;
export const AGE_OF_SOLE_CONSENT = 16;

/** The first way `grantors` fail the age rule for a student of `age`, or null when they satisfy it. */
export function grantorRuleViolation(age: number, grantors: GrantorSet): RuleViolation | null {
  const withoutAuthority = grantors.parents.some((p) => !p.hasParentalAuthority);
  const withAuthority = grantors.parents.filter((p) => p.hasParentalAuthority).length;
  const ids: RuleViolation['field'] = 'input.grantorGuardianIds';
  const student: RuleViolation['field'] = 'input.studentGrants';
  if (age >= AGE_OF_SOLE_CONSENT) {
    if (!grantors.studentGrants) return { field: student, message: `${student}: a student of 16 or over (here ${age}) consents alone; the student must grant.` };
    if (grantors.parents.length > 0) return { field: ids, message: `${ids}: a student of 16 or over (here ${age}) consents alone; leave the parents out.` };
    return null;
  }
  if (withoutAuthority) return { field: ids, message: `${ids}: only parents with parental authority (ouderlijk gezag) can consent for a student under 16.` };
  if (age < AGE_OF_SHARED_CONSENT) {
    if (grantors.studentGrants) return { field: student, message: `${student}: under 12 (here ${age}) the parents with parental authority consent, not the student.` };
    if (withAuthority === 0) return { field: ids, message: `${ids}: under 12 (here ${age}) at least one parent with parental authority must consent.` };
    return null;
  }
  if (!grantors.studentGrants) return { field: student, message: `${student}: from 12 to 15 (here ${age}) the student consents together with a parent with parental authority; the student must grant.` };
  if (withAuthority === 0) return { field: ids, message: `${ids}: from 12 to 15 (here ${age}) at least one parent with parental authority must consent with the student.` };
  return null;
}

/** The stored grantors of a consent as the rule sees them. */
export function grantorSetOf(grantors: Array<{ role: GrantorRole; hasParentalAuthority: boolean }>): GrantorSet {
  return {
    studentGrants: grantors.some((g) => g.role === GrantorRole.STUDENT),
    parents: grantors.filter((g) => g.role === GrantorRole.PARENT),
  };
}

/** Whether a consent that holds on `today` must be confirmed again because the student's age band changed. */
export function needsReconfirmation(
  consent: { withdrawnAt: Date | null; validUntil: string | null; grantors: Array<{ role: GrantorRole; hasParentalAuthority: boolean }> },
  ageToday: number,
  today: string,
): boolean {
  return holdsOn(consent, today) && grantorRuleViolation(ageToday, grantorSetOf(consent.grantors)) !== null;
}
