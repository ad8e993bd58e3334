/**
 * The age rule of consent (consent-validity.ts), as a table: ages 11, 12, 15, 16 against
 * every kind of grantor set. Pure: no database.
 */
import { GrantorRole } from '../../../src/domain/enums';
import { grantorRuleViolation, GrantorSet, needsReconfirmation } from '../../../src/modules/consents/consent-validity';

const WITH = { hasParentalAuthority: true };
const WITHOUT = { hasParentalAuthority: false };

const SETS: Record<string, GrantorSet> = {
  nobody: { studentGrants: false, parents: [] },
  studentAlone: { studentGrants: true, parents: [] },
  parentWithAuthority: { studentGrants: false, parents: [WITH] },
  twoParentsWithAuthority: { studentGrants: false, parents: [WITH, WITH] },
  parentWithoutAuthority: { studentGrants: false, parents: [WITHOUT] },
  parentsMixed: { studentGrants: false, parents: [WITH, WITHOUT] },
  studentAndParent: { studentGrants: true, parents: [WITH] },
  studentAndParentWithoutAuthority: { studentGrants: true, parents: [WITHOUT] },
  studentAndParentsMixed: { studentGrants: true, parents: [WITH, WITHOUT] },
};

// [age, set, expected: null = satisfies, else the field named]
const TABLE: Array<[number, keyof typeof SETS, string | null]> = [
  [11, 'nobody', 'input.grantorGuardianIds'],
  [11, 'studentAlone', 'input.studentGrants'],
  [11, 'parentWithAuthority', null],
  [11, 'twoParentsWithAuthority', null],
  [11, 'parentWithoutAuthority', 'input.grantorGuardianIds'],
  [11, 'parentsMixed', 'input.grantorGuardianIds'],
  [11, 'studentAndParent', 'input.studentGrants'],
  [12, 'nobody', 'input.studentGrants'],
  [12, 'studentAlone', 'input.grantorGuardianIds'],
  [12, 'parentWithAuthority', 'input.studentGrants'],
  [12, 'studentAndParent', null],
  [12, 'studentAndParentWithoutAuthority', 'input.grantorGuardianIds'],
  [12, 'studentAndParentsMixed', 'input.grantorGuardianIds'],
  [15, 'studentAlone', 'input.grantorGuardianIds'],
  [15, 'parentWithAuthority', 'input.studentGrants'],
  [15, 'studentAndParent', null],
  [15, 'studentAndParentWithoutAuthority', 'input.grantorGuardianIds'],
  [16, 'nobody', 'input.studentGrants'],
  [16, 'studentAlone', null],
  [16, 'studentAndParent', 'input.grantorGuardianIds'],
  [16, 'parentWithAuthority', 'input.studentGrants'],
  [16, 'studentAndParentWithoutAuthority', 'input.grantorGuardianIds'],
  [17, 'studentAlone', null],
];

describe('the age rule', () => {
  test.each(TABLE)('at age %i, %s -> %s', (age, set, field) => {
    const violation = grantorRuleViolation(age, SETS[set]);
    if (field === null) {
      expect(violation).toBeNull();
    } else {
      expect(violation?.field).toBe(field);
      expect(violation?.message.startsWith(`${field}:`)).toBe(true);
    }
  });

  test('every age band has exactly one satisfying shape among the basic sets (positive control of the table)', () => {
    const satisfying = (age: number) => Object.keys(SETS).filter((k) => grantorRuleViolation(age, SETS[k]) === null).sort();
    expect(satisfying(11)).toEqual(['parentWithAuthority', 'twoParentsWithAuthority']);
    expect(satisfying(14)).toEqual(['studentAndParent']);
    expect(satisfying(16)).toEqual(['studentAlone']);
  });
});

describe('needsReconfirmation', () => {
  const parents = [{ role: GrantorRole.PARENT, hasParentalAuthority: true }];
  const studentAndParents = [{ role: GrantorRole.STUDENT, hasParentalAuthority: false }, ...parents];
  const holding = (grantors: Array<{ role: GrantorRole; hasParentalAuthority: boolean }>) => ({ withdrawnAt: null, validUntil: null, grantors });
  const TODAY = '2026-03-16';

  test('given at 11 by the parents: fine at 11, needs the student at 12', () => {
    expect(needsReconfirmation(holding(parents), 11, TODAY)).toBe(false);
    expect(needsReconfirmation(holding(parents), 12, TODAY)).toBe(true);
  });

  test('given at 15 by student and parents: fine at 15, the student alone must confirm at 16', () => {
    expect(needsReconfirmation(holding(studentAndParents), 15, TODAY)).toBe(false);
    expect(needsReconfirmation(holding(studentAndParents), 16, TODAY)).toBe(true);
  });

  test('a withdrawn consent never needs re-confirmation', () => {
    expect(needsReconfirmation({ withdrawnAt: new Date(), validUntil: null, grantors: parents }, 12, TODAY)).toBe(false);
  });

  test('an expired consent never needs re-confirmation; on its last day it still does', () => {
    expect(needsReconfirmation({ withdrawnAt: null, validUntil: '2026-03-15', grantors: parents }, 12, TODAY)).toBe(false);
    expect(needsReconfirmation({ withdrawnAt: null, validUntil: TODAY, grantors: parents }, 12, TODAY)).toBe(true);
  });
});
