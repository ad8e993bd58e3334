/**
 * Who may act on a trajectory (the permissions are named in `../actions.ts`; the acts
 * themselves and the phases they may happen in are in `src/modules/trajectories/workflow/acts.ts`). Each permission names a role's part in
 * the handbook; the data a role may read is in `trajectory.rules.ts`.
 */
import { ConsentPurpose, Role, TeamFunction } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';
import { validConsentFor } from './student.rules';

export const workflowRules: RuleSet = ({ actor, today, can }) => {
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) {
    const ownSchool = { schoolId: { $in: schools } };
    // The school coordinator registers students of the own school, supplements a dossier on
    // request, withdraws a registration before it is accepted, and keeps registering absence.
    can('create', 'Trajectory', ownSchool);
    can('supplementRegistration', 'Trajectory', ownSchool);
    can('withdrawRegistration', 'Trajectory', { ...ownSchool, teamId: null });
    can('registerAbsence', 'Trajectory', ownSchool);
    // A running case follows its student to another school of the partnership: the school
    // that hands the student over (transferStudent; the student's side is student.rules.ts).
    can('transferStudent', 'Trajectory', ownSchool);
    // The OPP is the school's: its coordinator records when a hand-over advice was taken into it.
    can('recordOppUptake', 'Trajectory', ownSchool);
  }

  // The onderwijsadviseur reviews registrations of the own windstreek, with the consent to
  // share the dossier with the partnership.
  const windstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (windstreken.length) {
    can('reviewRegistration', 'Trajectory', {
      windstreekId: { $in: windstreken },
      student: { $elemMatch: validConsentFor(ConsentPurpose.SHARE_WITH_PARTNERSHIP, today) },
    });
  }

  // Members of the assigned team work on the case while the consent for care holds.
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) {
    can('writeCase', 'Trajectory', { teamId: { $in: teams }, student: { $elemMatch: validConsentFor(ConsentPurpose.CARE_BY_TOPTEAM, today) } });
  }

  // The gedragswetenschapper of the assigned team moves phases and records follow-ups (with
  // consent), and may always cancel, so a case can be closed out after a withdrawal.
  const scientistTeams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId', TeamFunction.BEHAVIOURAL_SCIENTIST);
  if (scientistTeams.length) {
    can('movePhase', 'Trajectory', { teamId: { $in: scientistTeams }, student: { $elemMatch: validConsentFor(ConsentPurpose.CARE_BY_TOPTEAM, today) } });
    can('cancelTrajectory', 'Trajectory', { teamId: { $in: scientistTeams } });
    // It also staffs the own team's cases (who of the team is responsible): organising the
    // team's work, not case data, so without the consent condition.
    can('staffCase', 'Trajectory', { teamId: { $in: scientistTeams } });
  }

  // The programme coordinator sees escalations and resolves them.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) can('resolveEscalation', 'Trajectory');

  // The programme coordinator transfers any student, and the running case moves with them.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) can('transferStudent', 'Trajectory');
  // The programme coordinator, who runs the teams, staffs any assigned case too.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) can('staffCase', 'Trajectory');
};
