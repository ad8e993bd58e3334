/**
 * Students and their guardians: the single place where "a school sees only its own
 * students" is written (the access matrix, column "students", src/authz/README.md).
 */
import { MongoQuery } from '@casl/ability';
import { ConsentPurpose, Role } from '../../domain/enums';
import { Actor, hasRole, scopeIds } from '../actor';
import type { RuleSet } from '../ability';
import { fieldsOf } from '../field-policies';
import { consentHolds } from '../consent-holds';

/** The student has a consent for `purpose` that holds on `today` (../consent-holds.ts, `consentHolds`). */
export function validConsentFor(purpose: ConsentPurpose, today: string): MongoQuery {
  return { consents: { $elemMatch: { purpose, ...consentHolds(today) } } };
}

/** The consent each consent-gated role needs before it reads a student's identity or case data (AVG rule 4, src/authz/README.md). */
export const GATING_CONSENT = {
  [Role.EDUCATION_ADVISOR]: ConsentPurpose.SHARE_WITH_PARTNERSHIP,
  [Role.TEAM_MEMBER]: ConsentPurpose.CARE_BY_TOPTEAM,
} as const;

/**
 * A student's circle per role: the conditions under which that role reads a student row.
 * Guardians and consent records reuse them, so who may see a student is defined once.
 */
export interface StudentCircles {
  schoolCoordinator?: MongoQuery;
  mentor?: MongoQuery;
  advisor?: MongoQuery;
  team?: MongoQuery;
}

export function studentCircles(actor: Actor, today: string): StudentCircles {
  const circles: StudentCircles = {};
  const coordinatorSchools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (coordinatorSchools.length) circles.schoolCoordinator = { schoolId: { $in: coordinatorSchools } };
  const mentorSchools = scopeIds(actor, Role.MENTOR, 'schoolId');
  if (mentorSchools.length) circles.mentor = { schoolId: { $in: mentorSchools }, mentorUserId: actor.userId };
  const advisorWindstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (advisorWindstreken.length) {
    circles.advisor = {
      trajectories: { $elemMatch: { windstreekId: { $in: advisorWindstreken } } },
      ...validConsentFor(GATING_CONSENT[Role.EDUCATION_ADVISOR], today),
    };
  }
  const teams = scopeIds(actor, Role.TEAM_MEMBER, 'topteamId');
  if (teams.length) {
    circles.team = {
      trajectories: { $elemMatch: { teamId: { $in: teams } } },
      ...validConsentFor(GATING_CONSENT[Role.TEAM_MEMBER], today),
    };
  }
  return circles;
}

export const studentRules: RuleSet = ({ actor, today, can }) => {
  // School, mentor, advisor and Topteam each read the students of their own circle.
  for (const scope of Object.values(studentCircles(actor, today))) {
    can('read', 'Student', scope);
    can('read', 'Guardian', { student: { $elemMatch: scope } });
    // The student's transfers between schools (which schools they attended) are identity, read like the guardians.
    can('read', 'StudentSchoolChange', { student: { $elemMatch: scope } });
  }

  // A school coordinator registers and updates the students of their own school; updating the
  // school is the transfer to another school of the partnership (transferStudent), which hands
  // the student over: afterwards the receiving school's coordinator has them.
  const coordinatorSchools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (coordinatorSchools.length) {
    can(['create', 'update'], 'Student', { schoolId: { $in: coordinatorSchools } });
    can(['create', 'update'], 'Guardian', { student: { $elemMatch: { schoolId: { $in: coordinatorSchools } } } });
  }

  // The programme coordinator sees a pseudonym instead of identity (and the expected exit level, a planning field).
  if (hasRole(actor, Role.PROGRAMME_COORDINATOR)) {
    can('read', 'Student', {}, fieldsOf('Student', ['META', 'PSEUDONYM', 'PLANNING']));
    // The programme coordinator also transfers any student to another school of the
    // partnership (transferStudent): the school, nothing else of the student.
    can('update', 'Student', {}, ['school']);
  }

  // The privacy officer reads identity (not case data) to answer data-subject requests.
  if (hasRole(actor, Role.PRIVACY_OFFICER)) {
    can('read', 'Student', {}, fieldsOf('Student', ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT']));
    can('read', 'Guardian');
    can('read', 'StudentSchoolChange');
  }
};
