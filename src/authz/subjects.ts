/** The subjects rules are written about: one per table, named like its entity class. */
import { ENTITIES } from '../db/entities';

export type SubjectType =
  | 'Partnership' | 'Windstreek' | 'School' | 'Topteam' | 'User' | 'Membership' | 'Student' | 'Guardian'
  | 'Consent' | 'Consultation' | 'Trajectory' | 'TrajectoryEvent' | 'Goal' | 'Evaluation' | 'Note' | 'FollowUp'
  | 'Escalation' | 'Complaint' | 'ExitQuestionnaire' | 'HandoverAdvice' | 'AbsenceRegistration' | 'AccessLogEntry'
  | 'DataSubjectRequest' | 'CrossWindstreekAssignment' | 'TeamCapacityChange';

/** Entity class of each subject. */
export const SUBJECT_ENTITIES: ReadonlyMap<string, Function> = new Map(ENTITIES.map((e) => [e.name, e]));

/** The subject type of an entity class (its class name). */
export function subjectTypeOf(entity: Function): SubjectType {
  if (!SUBJECT_ENTITIES.has(entity.name)) throw new Error(`${entity.name} is not an authorization subject`);
  return entity.name as SubjectType;
}
