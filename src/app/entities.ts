/**
 * Every table of the product: the composition root's list, which the data sources (./database.ts),
 * the migrations tooling and, through the DataSource's metadata, the authz translator read. Each
 * feature owns its entities; src/db knows none of them.
 */
import { IdempotencyKey } from '../graphql/idempotency-key.entity';
import { CrossWindstreekAssignment } from '../modules/caseload/cross-windstreek-assignment.entity';
import { TeamCapacityChange } from '../modules/caseload/team-capacity-change.entity';
import { Consent } from '../modules/consents/consent.entity';
import { Consultation } from '../modules/consultations/consultation.entity';
import { Partnership } from '../modules/partnerships/partnership.entity';
import { AccessLogEntry } from '../modules/privacy/access-log-entry.entity';
import { DataSubjectRequest } from '../modules/privacy/data-subject-request.entity';
import { School } from '../modules/schools/school.entity';
import { Guardian } from '../modules/students/guardian.entity';
import { Student } from '../modules/students/student.entity';
import { StudentSchoolChange } from '../modules/students/student-school-change.entity';
import { Topteam } from '../modules/topteams/topteam.entity';
import { AbsenceRegistration } from '../modules/trajectories/absence-registration.entity';
import { Complaint } from '../modules/trajectories/complaint.entity';
import { HandoverAdvice } from '../modules/trajectories/handover-advice.entity';
import { Escalation } from '../modules/trajectories/escalation.entity';
import { Evaluation } from '../modules/trajectories/evaluation.entity';
import { ExitQuestionnaire } from '../modules/trajectories/exit-questionnaire.entity';
import { FollowUp } from '../modules/trajectories/follow-up.entity';
import { Goal } from '../modules/trajectories/goal.entity';
import { Note } from '../modules/trajectories/note.entity';
import { TrajectoryEvent } from '../modules/trajectories/trajectory-event.entity';
import { Trajectory } from '../modules/trajectories/trajectory.entity';
import { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
import { Windstreek } from '../modules/windstreken/windstreek.entity';
import { WindstreekNeighbour } from '../modules/windstreken/windstreek-neighbour.entity';

export {
  CrossWindstreekAssignment, TeamCapacityChange, AbsenceRegistration, HandoverAdvice, AccessLogEntry, Complaint, Consent, Consultation, DataSubjectRequest, Escalation, Evaluation, ExitQuestionnaire,
  FollowUp, Goal, Guardian, IdempotencyKey, Membership, Note, Partnership, School, Student, Topteam, Trajectory, TrajectoryEvent, User,
  Windstreek, WindstreekNeighbour, StudentSchoolChange,
};

export const ENTITIES = [
  Partnership, Windstreek, School, Topteam, User, Membership, Student, Guardian, Consent, Consultation, Trajectory,
  TrajectoryEvent, Goal, Evaluation, Note, FollowUp, Escalation, Complaint, ExitQuestionnaire, HandoverAdvice, AbsenceRegistration,
  CrossWindstreekAssignment, TeamCapacityChange, AccessLogEntry, DataSubjectRequest, IdempotencyKey,
  WindstreekNeighbour,
  StudentSchoolChange,
];
