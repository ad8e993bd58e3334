/** Accounts and memberships: the admin manages them; everyone reads their own. */
import { Role } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';

export const accountRules: RuleSet = ({ actor, can }) => {
  // Everyone reads their own account and memberships (the `me` query).
  can('read', 'User', { id: actor.userId });
  can('read', 'Membership', { userId: actor.userId });

  // Who is staffed on a case (Trajectory.behaviouralScientist, teacher, careWorker): a Topteam
  // member reads the accounts of the own team's current members (their memberships still only
  // as the membership rules allow: none of a colleague's); the programme coordinator, who staffs
  // every case, those of every Topteam's members.
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) can('read', 'User', { memberships: { $elemMatch: { topteamId: { $in: teams }, revokedAt: null } } });
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) can('read', 'User', { memberships: { $elemMatch: { role: Role.TEAM_MEMBER, revokedAt: null } } });

  // The privacy officer reads accounts, to answer "who looked at this student".
  if (hasRole(actor, Role.PRIVACY_OFFICER)) can('read', 'User');

  // The admin manages accounts and memberships of the partnership.
  if (hasRole(actor, Role.ADMIN)) {
    can('manage', 'User');
    can('manage', 'Membership');
  }
};
