/**
 * When a consent holds (AVG rule 4, src/authz/README.md; the age rule, who must grant one, is
 * src/modules/consents/consent-validity.ts).
 *
 * A consent HOLDS on a calendar day when it is not withdrawn and its last day (`validUntil`,
 * inclusive; null for no end) has not passed. This module is the one home of that rule:
 * `consentHolds(today)` is the condition (CASL/MongoQuery over Consent's columns, among them
 * the virtual `validThrough`, its last day or NO_END) that the access rules embed
 * (rules/student.rules.ts, `validConsentFor`), that SQL uses through the rules translator
 * (`conditionWhere`, ./accessible.ts: the status filter, the registration check, the
 * missing-consent list, the access log's consent used) and that memory uses through
 * `holdsOn`. Its one SQL twin is `consentStandsThroughSql`: the last day any standing consent
 * of a student holds, loaded with each trajectory (`Trajectory.careConsentValidThrough`) so
 * field permissions can be checked in memory; a consent holds on `today` exactly when that day
 * is >= today (`standsOn`). "Today" is always the request's calendar day by the injectable
 * clock, passed in, never SQL's `now()`.
 */
import { MongoQuery } from '@casl/ability';
import { guard } from '@ucast/mongo2js';
import { ConsentPurpose } from '../domain/enums';

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
