/** Accounts and memberships: the admin manages them; everyone reads their own. */
import { Role } from '../../domain/enums';
import { hasRole } from '../actor';
import type { RuleSet } from '../ability';

export const accountRules: RuleSet = ({ actor, can }) => {
  // Everyone reads their own account and memberships (the `me` query).
  can('read', 'User', { id: actor.userId });
  can('read', 'Membership', { userId: actor.userId });

  // The privacy officer reads accounts, to answer "who looked at this student".
  if (hasRole(actor, Role.PRIVACY_OFFICER)) can('read', 'User');

  // The admin manages accounts and memberships of the partnership.
  if (hasRole(actor, Role.ADMIN)) {
    can('manage', 'User');
    can('manage', 'Membership');
  }
};
