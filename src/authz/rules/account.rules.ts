/** Accounts and memberships: the admin manages them; everyone reads their own. */
import { Role } from '../../domain/enums';
import { hasRole } from '../actor';
import type { RuleSet } from '../ability';

export const accountRules: RuleSet = ({ actor, can }) => {
  // Everyone reads their own account and memberships (the `me` query).
  can('read', 'User', { id: actor.userId });
  can('read', 'Membership', { userId: actor.userId });

  // The admin manages accounts and memberships of the partnership.
  if (hasRole(actor, Role.ADMIN)) {
    can('manage', 'User');
    can('manage', 'Membership');
  }
};
