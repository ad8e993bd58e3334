/**
 * The age rule for consent (src/domain/README.md, AVG rule 4). When a consent HOLDS is
 * authz's (src/authz/consent-holds.ts: the access rules embed that condition); this module
 * decides who must grant one.
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
 *
 * Ahead of time, the privacy officer lists the students about to turn 12 or 16 whose consents
 * will then need re-confirmation (`consentReconfirmations`): the day they turn the age is
 * `birthdayAt` (its SQL twin `birthdayAtSql` in consent.service.ts), and a consent is listed when
 * `needsReconfirmation` holds on that day at that age. A 29 February birthday falls on 1 March
 * in a year without one, as `ageOn` counts it (src/domain/clock.ts).
 */
import { holdsOn } from '../../authz/consent-holds';
import { GrantorRole } from '../../domain/enums';

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

/** The ages at which the rule changes, so consents given before may need re-confirmation. */
export const RECONFIRMATION_AGES = [AGE_OF_SHARED_CONSENT, AGE_OF_SOLE_CONSENT] as const;

/**
 * The day (YYYY-MM-DD) a person born on `birthDate` turns `age`: the first day `ageOn` counts
 * that age, so 29 February becomes 1 March in a year without it.
 */
export function birthdayAt(birthDate: string, age: number): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  const year = y + age;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (m === 2 && d === 29 && !leap) return `${String(year).padStart(4, '0')}-03-01`;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

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
