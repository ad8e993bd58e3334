/** Consent records (ACCESS.md, column "consent records"). */
import { Role } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';

export const consentRules: RuleSet = ({ actor, can }) => {
  // A school coordinator records, withdraws and reads consents of the own school's students.
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) {
    can(['read', 'create', 'update'], 'Consent', { student: { $elemMatch: { schoolId: { $in: schools } } } });
  }

  // An advisor reads the consents of students registered from the own windstreek.
  const windstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (windstreken.length) {
    can('read', 'Consent', {
      student: { $elemMatch: { trajectories: { $elemMatch: { windstreekId: { $in: windstreken } } } } },
    });
  }

  // A Topteam member reads the consents of the team's caseload.
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) {
    can('read', 'Consent', { student: { $elemMatch: { trajectories: { $elemMatch: { teamId: { $in: teams } } } } } });
  }

  // The privacy officer reads and queries all consent records.
  if (hasRole(actor, Role.PRIVACY_OFFICER)) can('read', 'Consent');
};
