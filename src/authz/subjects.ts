/**
 * The subjects rules are written about: one per table, named like its entity class. authz names
 * them and imports no entity: TypeORM's metadata comes from the DataSource it is given (built by
 * the composition root from src/app/entities.ts; test/authz/subjects.test.ts checks that every
 * entity but the idempotency keys is a subject and every subject an entity), and a loaded row is
 * recognised by its class (`subjectOfRow`).
 */
import { getMetadataArgsStorage } from 'typeorm';

export const SUBJECTS = [
  'Partnership', 'Windstreek', 'School', 'Topteam', 'User', 'Membership', 'Student', 'Guardian',
  'Consent', 'Consultation', 'Trajectory', 'TrajectoryEvent', 'Goal', 'Evaluation', 'Note', 'FollowUp',
  'Escalation', 'Complaint', 'ExitQuestionnaire', 'HandoverAdvice', 'AbsenceRegistration', 'AccessLogEntry',
  'DataSubjectRequest', 'CrossWindstreekAssignment', 'TeamCapacityChange',
  'StudentSchoolChange',
] as const;

export type SubjectType = (typeof SUBJECTS)[number];

const SUBJECT_NAMES: ReadonlySet<string> = new Set(SUBJECTS);

export function isSubjectType(name: string): name is SubjectType {
  return SUBJECT_NAMES.has(name);
}

/** The subject type of an entity class (its class name), or of a subject name. */
export function subjectTypeOf(entity: Function | SubjectType): SubjectType {
  const name = typeof entity === 'string' ? entity : entity.name;
  if (!isSubjectType(name)) throw new Error(`${name} is not an authorization subject`);
  return name;
}

const entityClasses = new WeakMap<Function, boolean>();

/** Whether `type` is a TypeORM entity class (`@Entity()`: decorated when its module loaded, before any instance exists). */
function isEntityClass(type: Function): boolean {
  let known = entityClasses.get(type);
  if (known === undefined) entityClasses.set(type, (known = getMetadataArgsStorage().tables.some((table) => table.target === type)));
  return known;
}

/**
 * The subject of a value a resolver returned: its class's name when it is a loaded row (an
 * instance of an entity class) of a subject; undefined for anything else (a plain object, a
 * GraphQL-only type, an entity that is no subject).
 */
export function subjectOfRow(value: unknown): SubjectType | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const type = (value as object).constructor;
  return isSubjectType(type.name) && isEntityClass(type) ? type.name : undefined;
}
