/**
 * Structure of the partnership: the partnership itself, windstreken, schools, Topteams.
 * Names of regions, schools and teams are not personal data; what each role sees still
 * follows the access matrix (src/authz/README.md, "structure" column).
 */
import { Role } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';

/** Roles that read the whole structure of their partnership. */
const STRUCTURE_READERS = [
  Role.PRIVACY_OFFICER,
  Role.PROGRAMME_COORDINATOR,
  Role.PARTNERSHIP_ANALYST,
  Role.EDUCATION_ADVISOR,
  Role.TEAM_MEMBER,
];

export const structureRules: RuleSet = ({ actor, can }) => {
  // Every signed-in user reads their own partnership (name and code).
  can('read', 'Partnership');

  // The admin manages windstreken, schools and teams of the partnership; a team's capacity
  // and its load are the programme coordinator's (no `manage` on Topteam: it would cover those).
  if (hasRole(actor, Role.ADMIN)) {
    can('manage', 'Windstreek');
    can('manage', 'School');
    can(['read', 'create', 'delete'], 'Topteam');
    can('update', 'Topteam', {}, ['name']);
  }

  // Partnership staff and Topteams read the whole structure.
  if (STRUCTURE_READERS.some((role) => hasRole(actor, role))) {
    can('read', 'Windstreek');
    can('read', 'School');
    can('read', 'Topteam');
  }

  // The programme coordinator sets team capacities.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) {
    can('update', 'Topteam', {}, ['capacity']);
  }

  // A school coordinator reads their own school, its windstreek and the Topteams that
  // serve it: the team of its windstreek and any team a trajectory of the school went to.
  const ownSchools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (ownSchools.length > 0) {
    const ownWindstreken = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolWindstreekId');
    can('read', 'School', { id: { $in: ownSchools } });
    can('read', 'Windstreek', { id: { $in: ownWindstreken } });
    can('read', 'Topteam', { windstreekId: { $in: ownWindstreken } });
    can('read', 'Topteam', { trajectories: { $elemMatch: { schoolId: { $in: ownSchools } } } });
  }

};
