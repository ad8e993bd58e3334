/**
 * Aggregates (src/authz/README.md, "Aggregates"): which rows each role may count in
 * the dashboards. A figure counts exactly the rows of its subject that an `aggregate` rule
 * grants for its figure group, translated to SQL by the same path every read takes
 * (`accessibleFieldWhere` in ../accessible.ts), so no figure can count a row outside the
 * caller's scope. The figure groups are the rule's fields: `intake`, `caseload`,
 * `timeliness`, `results` (the programme's figures) and `privacy` (consents, data-subject
 * requests, the access log).
 *
 * Counting is not reading: a role may count rows it cannot read (the analyst reads none).
 * Whether its small counts are suppressed is decided per figure from the rows themselves:
 * exact only when the caller may also `read` every row counted (src/modules/dashboards).
 */
import { MongoQuery } from '@casl/ability';
import { Role } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleBuilder, RuleSet } from '../ability';

/** The figure groups of the dashboard, as the fields of an `aggregate` rule. */
export const FIGURE_GROUPS = ['intake', 'caseload', 'timeliness', 'results', 'privacy'] as const;
export type FigureGroupKey = (typeof FIGURE_GROUPS)[number];

/** The programme's own figures: everything but the privacy officer's. */
const PROGRAMME_FIGURES: FigureGroupKey[] = ['intake', 'caseload', 'timeliness', 'results'];

/** Records under a trajectory that results and timeliness count. */
const COUNTED_RECORDS = ['FollowUp', 'ExitQuestionnaire', 'Escalation', 'Complaint'] as const;

/** Grants counting the trajectories matching `where` and the records under them, for the programme's figures. */
function countTrajectories(rules: RuleBuilder, where: MongoQuery): void {
  rules.can('aggregate', 'Trajectory', where, PROGRAMME_FIGURES);
  for (const record of COUNTED_RECORDS) rules.can('aggregate', record, { trajectory: { $elemMatch: where } }, PROGRAMME_FIGURES);
}

export const aggregateRules: RuleSet = (rules) => {
  const { actor, can } = rules;

  // Analyst and programme coordinator: the whole partnership (its trajectories, consultations and team loads).
  if (hasRole(actor, Role.PARTNERSHIP_ANALYST) || hasRole(actor, Role.PROGRAMME_COORDINATOR)) {
    countTrajectories(rules, {});
    can('aggregate', 'Consultation', {}, ['intake']);
    can('aggregate', 'Topteam', {}, ['caseload']);
  }

  // Onderwijsadviseur: the own windstreek (trajectories registered there, its consultations).
  const windstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (windstreken.length) {
    countTrajectories(rules, { windstreekId: { $in: windstreken } });
    can('aggregate', 'Consultation', { windstreekId: { $in: windstreken } }, ['intake']);
  }

  // School coordinator: the own school only.
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) {
    countTrajectories(rules, { schoolId: { $in: schools } });
    can('aggregate', 'Consultation', { schoolId: { $in: schools } }, ['intake']);
  }

  // Topteam member: the own team (its caseload, whatever the consent state, and its load).
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) {
    countTrajectories(rules, { teamId: { $in: teams } });
    can('aggregate', 'Topteam', { id: { $in: teams } }, ['caseload']);
  }

  // Privacy officer: consent and access figures only (consents, running trajectories that lack
  // one, data-subject requests, access-log entries); never the programme's case figures.
  if (hasRole(actor, Role.PRIVACY_OFFICER)) {
    for (const subject of ['Consent', 'Trajectory', 'DataSubjectRequest', 'AccessLogEntry'] as const) can('aggregate', subject, {}, ['privacy']);
  }
};
