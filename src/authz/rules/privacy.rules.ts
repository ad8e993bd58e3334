/** The privacy officer's records: the access log and data-subject requests. */
import { Role } from '../../domain/enums';
import { hasRole } from '../actor';
import type { RuleSet } from '../ability';

export const privacyRules: RuleSet = ({ actor, can }) => {
  // Only the privacy officer reads the access log and handles data-subject requests.
  if (hasRole(actor, Role.PRIVACY_OFFICER)) {
    can('read', 'AccessLogEntry');
    can(['read', 'create', 'update'], 'DataSubjectRequest');
    // The privacy officer supervises the partnership's processing: which running trajectories
    // lack consent, and the export of everything held on a student (art. 15 AVG).
    can('supervise', 'Partnership');
    // Retention (bewaartermijnen) is the partnership's legal duty: the privacy officer sets legal holds and runs retention (src/modules/privacy/retention/), on these fields only, never reading case content.
    can('update', 'Trajectory', {}, ['legalHold', 'retentionAppliedAt']);
    can('update', 'Student', {}, ['legalHold', 'retentionAppliedAt']);
    // Rectification (AVG art. 16): the privacy officer corrects a student's names, student number and birth date, only by carrying out a verified rectification request (never through updateStudent, which needs `update`).
    can('rectify', 'Student', {}, ['givenName', 'familyName', 'studentNumber', 'birthDate']);
    // On the same request: the name and relationship of the student's guardians (parental authority is not a correction of identity: it decides consents).
    can('rectify', 'Guardian', {}, ['name', 'relationship']);
  }
};
