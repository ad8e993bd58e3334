/**
 * Students and their guardians: the single place where "a school sees only its own
 * students" is written (ACCESS.md, column "students").
 */
import { MongoQuery } from '@casl/ability';
import { ConsentPurpose, Role } from '../../domain/enums';
import { Actor, hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';

/** A consent for `purpose` that has not been withdrawn. */
export function validConsentFor(purpose: ConsentPurpose): MongoQuery {
  return { consents: { $elemMatch: { purpose, withdrawnAt: null } } };
}

/**
 * Conditions under which each role reads a student row, keyed by role. Guardians, consents
 * and trajectories reuse them, so a student's circle is defined once.
 */
export function studentScopes(actor: Actor): MongoQuery[] {
  const scopes: MongoQuery[] = [];
  const coordinatorSchools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (coordinatorSchools.length) scopes.push({ schoolId: { $in: coordinatorSchools } });
  const mentorSchools = scopeIds(actor, Role.MENTOR, 'schoolId');
  if (mentorSchools.length) scopes.push({ schoolId: { $in: mentorSchools }, mentorUserId: actor.userId });
  const advisorWindstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (advisorWindstreken.length) {
    scopes.push({
      trajectories: { $elemMatch: { windstreekId: { $in: advisorWindstreken } } },
      ...validConsentFor(ConsentPurpose.SHARE_WITH_PARTNERSHIP),
    });
  }
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) {
    scopes.push({
      trajectories: { $elemMatch: { teamId: { $in: teams } } },
      ...validConsentFor(ConsentPurpose.CARE_BY_TOPTEAM),
    });
  }
  return scopes;
}

/** Student fields that identify the student (what the programme coordinator may not see). */
export const STUDENT_IDENTITY_FIELDS = ['givenName', 'familyName', 'birthDate', 'studentNumber', 'developmentPlanReference', 'developmentPlanDate', 'school', 'guardians', 'consents', 'trajectories'];

export const studentRules: RuleSet = ({ actor, can }) => {
  // School, mentor, advisor and Topteam each read the students of their own circle.
  for (const scope of studentScopes(actor)) {
    can('read', 'Student', scope);
    can('read', 'Guardian', { student: { $elemMatch: scope } });
  }

  // A school coordinator registers and updates the students of their own school.
  const coordinatorSchools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (coordinatorSchools.length) {
    can(['create', 'update'], 'Student', { schoolId: { $in: coordinatorSchools } });
    can(['create', 'update'], 'Guardian', { student: { $elemMatch: { schoolId: { $in: coordinatorSchools } } } });
  }

  // The programme coordinator sees a pseudonym instead of identity.
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) {
    can('read', 'Student', {}, ['id', 'pseudonym', 'expectedExitLevel', 'createdAt']);
  }

  // The privacy officer reads identity (not case data) to answer data-subject requests.
  if (hasRole(actor, Role.PRIVACY_OFFICER)) {
    can('read', 'Student', {}, ['id', 'pseudonym', 'givenName', 'familyName', 'birthDate', 'studentNumber', 'expectedExitLevel', 'school', 'guardians', 'consents', 'createdAt']);
    can('read', 'Guardian');
  }
};
