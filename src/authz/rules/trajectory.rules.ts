/**
 * Trajectories and what hangs under them (the access matrix, column "trajectories", src/authz/README.md): who reads the
 * trajectory row, and which of its records (events, goals, notes, …) each role may read.
 */
import { MongoQuery } from '@casl/ability';
import { Role } from '../../domain/enums';
import { hasRole, scopeIds } from '../actor';
import type { RuleBuilder, RuleSet } from '../ability';
import type { SubjectType } from '../subjects';
import { fieldsOf } from '../field-policies';
import { GATING_CONSENT, validConsentFor } from './student.rules';

/** Records under a trajectory, as subjects. */
type TrajectoryChild = Extract<
  SubjectType,
  | 'TrajectoryEvent' | 'Goal' | 'Evaluation' | 'Note' | 'FollowUp' | 'Escalation' | 'Complaint' | 'ExitQuestionnaire'
  | 'HandoverAdvice' | 'AbsenceRegistration' | 'CrossWindstreekAssignment'
>;

/**
 * Case records: everything under a trajectory except the team-internal notes and the feedback
 * on the Topteam (below).
 */
const CASE_RECORDS: TrajectoryChild[] = [
  'TrajectoryEvent', 'Goal', 'Evaluation', 'FollowUp', 'Escalation', 'HandoverAdvice', 'AbsenceRegistration', 'CrossWindstreekAssignment',
];

/**
 * Feedback on the Topteam: complaints of students and parents and the exit questionnaires. The
 * team and the programme coordinator read them whole (FEEDBACK fields); the school only that a
 * complaint exists and its status (src/authz/README.md, "Complaints and exit questionnaires").
 */
const FEEDBACK_RECORDS: TrajectoryChild[] = ['Complaint', 'ExitQuestionnaire'];

/** What the school coordinator sees of a complaint: that it exists, its status and the dates of its handling. */
const COMPLAINT_STATUS_FIELDS = fieldsOf('Complaint', ['META', 'PLANNING']);

/**
 * Trajectory fields without identity or case text: what the programme coordinator sees. The
 * relations to the student (which shows it only its pseudonym), events and escalations (their
 * planning fields) and cross-windstreek assignments are followed explicitly.
 */
export const TRAJECTORY_PLANNING_FIELDS = fieldsOf('Trajectory', ['META', 'PSEUDONYM', 'PLANNING'], ['student', 'events', 'escalations', 'crossWindstreekAssignments']);

/** What a Topteam sees of its case once the consent for care no longer holds (withdrawn or expired): enough to close it out, and the flag. */
export const TRAJECTORY_STUB_FIELDS = fieldsOf('Trajectory', ['META', 'PSEUDONYM', 'PLANNING'], ['careConsentValid', 'student']);

/** Event and escalation fields without case text (reasons, resolutions). */
const EVENT_PLANNING_FIELDS = fieldsOf('TrajectoryEvent', ['META', 'PLANNING']);
const ESCALATION_PLANNING_FIELDS = fieldsOf('Escalation', ['META', 'PLANNING']);

/**
 * The follow-ups' due state (moment, due date, recorded or not) is planning: every role that
 * reads a trajectory's planning reads it on the trajectories `where` (src/authz/README.md, "Field
 * categories"); the outcomes stay case data, read where the role reads the case records.
 */
function readFollowUpPlanning(rules: RuleBuilder, where: MongoQuery): void {
  rules.can('read', 'FollowUp', { trajectory: { $elemMatch: where } }, fieldsOf('FollowUp', ['META', 'PLANNING']));
}

/**
 * Grants reading the trajectories matching `where`, and `children` of those for which
 * `caseWhere` also holds (by default: the same trajectories).
 */
function readTrajectories(rules: RuleBuilder, where: MongoQuery, children: TrajectoryChild[], caseWhere: MongoQuery = where): void {
  rules.can('read', 'Trajectory', where);
  for (const child of children) rules.can('read', child, { trajectory: { $elemMatch: caseWhere } });
}

/** `where`, narrowed to trajectories whose student has the consent `role` needs for case data on `today`. */
function consentGated(where: MongoQuery, role: keyof typeof GATING_CONSENT, today: string): MongoQuery {
  return { ...where, student: { $elemMatch: validConsentFor(GATING_CONSENT[role], today) } };
}

export const trajectoryRules: RuleSet = (rules) => {
  const { actor, today } = rules;

  // School coordinator: the own school's trajectories and their case, not the team notes; of
  // complaints about the Topteam only that they exist and their status, no exit questionnaire.
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) {
    readTrajectories(rules, { schoolId: { $in: schools } }, CASE_RECORDS);
    rules.can('read', 'Complaint', { trajectory: { $elemMatch: { schoolId: { $in: schools } } } }, COMPLAINT_STATUS_FIELDS);
  }

  // Mentor: the goals and advice (evaluations, hand-over advice) of the own mentees'
  // trajectories, and of the trajectory row and its follow-ups only the planning fields.
  const mentorSchools = scopeIds(actor, Role.MENTOR, 'schoolId');
  if (mentorSchools.length) {
    const mentees = { schoolId: { $in: mentorSchools }, studentMentorUserId: actor.userId };
    rules.can('read', 'Trajectory', mentees, fieldsOf('Trajectory', ['META', 'PSEUDONYM', 'PLANNING'], ['student', 'goals', 'evaluations', 'handoverAdvice']));
    for (const child of ['Goal', 'Evaluation', 'HandoverAdvice'] as const) rules.can('read', child, { trajectory: { $elemMatch: mentees } });
    readFollowUpPlanning(rules, mentees);
  }

  // Advisor: registrations of the own windstreek, never the team notes. Their planning and
  // consent state (and the follow-ups' due state) always (the review stands on the partnership's legal task); the student and
  // the case summary (problem areas, eligibility, events and goals) only while the consent to
  // share with the partnership holds (AVG rule 4, src/authz/README.md).
  const windstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (windstreken.length) {
    const where = { windstreekId: { $in: windstreken } };
    rules.can('read', 'Trajectory', where, fieldsOf('Trajectory', ['META', 'PSEUDONYM', 'PLANNING', 'CONSENT']));
    readFollowUpPlanning(rules, where);
    rules.can('read', 'Trajectory', consentGated(where, Role.EDUCATION_ADVISOR, today), fieldsOf('Trajectory', ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT', 'CASE']));
    for (const child of ['TrajectoryEvent', 'Goal'] as const) {
      rules.can('read', child, { trajectory: { $elemMatch: consentGated(where, Role.EDUCATION_ADVISOR, today) } });
    }
  }

  // Topteam: the trajectories assigned to the own team, and everything under them, team
  // notes included, while the consent for care holds; after a withdrawal, a pseudonymised
  // stub of the trajectory (phase, dates, team, the flag, the follow-ups' due state) so the case can be closed out.
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) {
    const where = { teamId: { $in: teams } };
    // `careConsentValidThrough` is loaded with the row, so this is exact in memory too.
    readTrajectories(rules, { ...where, careConsentValidThrough: { $gte: today } }, [...CASE_RECORDS, ...FEEDBACK_RECORDS, 'Note'], consentGated(where, Role.TEAM_MEMBER, today));
    rules.can('read', 'Trajectory', where, TRAJECTORY_STUB_FIELDS);
    readFollowUpPlanning(rules, where);
  }

  // Programme coordinator: every trajectory's phase, dates and team, its events, escalations
  // and follow-ups' due state; no identity and no case text. It runs the teams' quality: the complaints about
  // them and the exit questionnaires, whole.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) {
    rules.can('read', 'Trajectory', {}, [...TRAJECTORY_PLANNING_FIELDS, 'complaints', 'exitQuestionnaires']);
    rules.can('read', 'TrajectoryEvent', {}, EVENT_PLANNING_FIELDS);
    rules.can('read', 'Escalation', {}, ESCALATION_PLANNING_FIELDS);
    readFollowUpPlanning(rules, {});
    for (const feedback of FEEDBACK_RECORDS) rules.can('read', feedback, {});
  }
};
