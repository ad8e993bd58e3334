/**
 * Trajectories and what hangs under them (ACCESS.md, column "trajectories"): who reads the
 * trajectory row, and which of its records (events, goals, notes, …) each role may read.
 */
import { MongoQuery } from '@casl/ability';
import { Role } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleBuilder, RuleSet } from '../ability';
import type { SubjectType } from '../subjects';

/** Records under a trajectory, as subjects. */
type TrajectoryChild = Extract<
  SubjectType,
  'TrajectoryEvent' | 'Goal' | 'Evaluation' | 'Note' | 'FollowUp' | 'Escalation' | 'Complaint' | 'ExitQuestionnaire'
>;

/** Case records: everything under a trajectory except the team-internal notes. */
const CASE_RECORDS: TrajectoryChild[] = ['TrajectoryEvent', 'Goal', 'Evaluation', 'FollowUp', 'Escalation', 'Complaint', 'ExitQuestionnaire'];

/** Trajectory fields without identity or case text: what the programme coordinator sees. */
export const TRAJECTORY_PLANNING_FIELDS = ['id', 'phase', 'phaseStartedAt', 'phaseDueOn', 'overdue', 'createdAt', 'student', 'school', 'team', 'events'];

function readTrajectories(rules: RuleBuilder, where: MongoQuery, children: TrajectoryChild[], fields?: string[]): void {
  rules.can('read', 'Trajectory', where, fields);
  for (const child of children) rules.can('read', child, { trajectory: { $elemMatch: where } });
}

export const trajectoryRules: RuleSet = (rules) => {
  const { actor } = rules;

  // School coordinator: the own school's trajectories and their case, not the team notes.
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) readTrajectories(rules, { schoolId: { $in: schools } }, CASE_RECORDS);

  // Mentor: the goals and advice (evaluations) of the own mentees' trajectories.
  const mentorSchools = scopeIds(actor, Role.MENTOR, 'schoolId');
  if (mentorSchools.length) {
    readTrajectories(
      rules,
      { schoolId: { $in: mentorSchools }, student: { $elemMatch: { mentorUserId: actor.userId } } },
      ['Goal', 'Evaluation'],
    );
  }

  // Advisor: registrations of the own windstreek and a case summary (events and goals).
  const windstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (windstreken.length) readTrajectories(rules, { windstreekId: { $in: windstreken } }, ['TrajectoryEvent', 'Goal']);

  // Topteam: everything of the trajectories assigned to the own team, team notes included.
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) readTrajectories(rules, { teamId: { $in: teams } }, [...CASE_RECORDS, 'Note']);

  // Programme coordinator: every trajectory's phase, dates and team, its events and escalations; no case text.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) {
    readTrajectories(rules, {}, ['TrajectoryEvent', 'Escalation'], TRAJECTORY_PLANNING_FIELDS);
  }
};
