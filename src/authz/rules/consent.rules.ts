/** Consent records (the access matrix, column "consent records", src/authz/README.md). */
import { Role } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';
import { studentCircles } from './student.rules';

export const consentRules: RuleSet = ({ actor, today, can }) => {
  // A school coordinator records, withdraws and reads consents of the own school's students.
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) {
    can(['read', 'create', 'update'], 'Consent', { student: { $elemMatch: { schoolId: { $in: schools } } } });
  }

  // Advisor and Topteam read the consent records of the students they may read: records
  // name the grantors (identity), so they follow the student's consent gate.
  const { advisor, team } = studentCircles(actor, today);
  for (const circle of [advisor, team]) {
    if (circle) can('read', 'Consent', { student: { $elemMatch: circle } });
  }

  // The privacy officer reads and queries all consent records, and records a withdrawal that
  // reaches them directly (a parent writes to the privacy officer): `update` is the withdrawal.
  if (hasRole(actor, Role.PRIVACY_OFFICER)) can(['read', 'update'], 'Consent');
};
