/**
 * Capacity and overflow: who sees team loads, who assigns cases to teams, who sets capacity.
 * (Setting capacity is the `update` rule on Topteam in structure.rules.ts.)
 */
import { Role, TeamFunction } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';
import { TRAJECTORY_PLANNING_FIELDS } from './trajectory.rules';

export const caseloadRules: RuleSet = ({ actor, can }) => {
  // The programme coordinator assigns and reassigns every case, and reads capacity changes and cross-windstreek assignments.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) {
    can('assignTeam', 'Trajectory');
    can('read', 'TeamCapacityChange');
    can('read', 'CrossWindstreekAssignment');
  }

  // Team loads with their exact counts per phase: the programme coordinator sees every team's,
  // the gedragswetenschappers too (they decide on overflow), other team members their own.
  // (The analyst reads loads through the dashboard, small counts suppressed: aggregate.rules.ts.)
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) can('viewLoad', 'Topteam');
  if (scopeIds(actor, Role.TEAM_MEMBER, 'topteamId', TeamFunction.BEHAVIOURAL_SCIENTIST).length) can('viewLoad', 'Topteam');
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) can('viewLoad', 'Topteam', { id: { $in: teams } });

  // The admin reads the capacity history of the structure it manages.
  if (hasRole(actor, Role.ADMIN)) can('read', 'TeamCapacityChange');

  // The gedragswetenschapper assigns and reassigns the cases of the own team's windstreek,
  // and sees those still waiting for a team (their planning fields only).
  const scientistWindstreken = scopeIds(actor, Role.TEAM_MEMBER, 'topteamWindstreekId', TeamFunction.BEHAVIOURAL_SCIENTIST);
  if (scientistWindstreken.length) {
    const ownWindstreek = { windstreekId: { $in: scientistWindstreken } };
    can('assignTeam', 'Trajectory', ownWindstreek);
    can('read', 'Trajectory', { ...ownWindstreek, teamId: null, phase: 'ACCEPTED' }, TRAJECTORY_PLANNING_FIELDS);
  }
};
