import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { assertCan } from '../../authz/authorize';
import { scopeIds } from '../../authz/actor';
import { uniqueOr } from '../../db/errors';
import { ageOn } from '../../domain/clock';
import { AccessAction, AccessOutcome, ACTIVE_PHASES, Role } from '../../domain/enums';
import { studentPseudonym } from '../../domain/pseudonym';
import type { Context } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound } from '../../graphql/errors';
import { parseId, requireVisible, unscoped } from '../../graphql/reads';
import { notInFuture } from '../../graphql/validation';
import { School } from '../schools/school.entity';
import { performAct } from '../trajectories/workflow/perform-act';
import { Trajectory } from '../trajectories/trajectory.entity';
import { Guardian } from './guardian.entity';
import { StudentSchoolChange } from './student-school-change.entity';
import { Student } from './student.entity';
import { CreateStudentInput, RecordLeftSchoolInput, TransferStudentInput, UpdateStudentInput } from './student.inputs';

/** The school a coordinator registers for: the named one, or their only one. */
function targetSchoolId(ctx: Context, input: CreateStudentInput): string {
  if (input.schoolId) return input.schoolId;
  const own = scopeIds(ctx.actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (own.length === 1) return own[0];
  if (own.length === 0) throw forbidden('Only a school coordinator can register students.');
  throw badInput('input.schoolId', 'input.schoolId: required because you coordinate more than one school.');
}

/** NOT_FOUND unless `userId` is a mentor at the school (the coordinator names one, without listing accounts). */
async function assertMentorAt(ctx: Context, userId: string, schoolId: string): Promise<void> {
  // NOTE: a deliberate read outside the ability: the coordinator may not list accounts, but
  // may name a mentor of the own school; this only answers "is that a mentor here?".
  const mentor = await unscoped(ctx, 'is the named user a mentor at this school? (yes/no; accounts are not listed to the coordinator)').query(
    `SELECT 1 FROM membership WHERE user_id = $1 AND school_id = $2 AND role = 'MENTOR' AND revoked_at IS NULL AND partnership_id = $3`,
    [userId, schoolId, ctx.actor.partnershipId],
  );
  if (mentor.length === 0) throw notFound('Mentor');
}

/** BAD_USER_INPUT on `field` unless `birthDate` is not in the future and a secondary-school age (8 to 25) today. */
function assertPlausibleBirthDate(ctx: Context, field: string, birthDate: string): void {
  notInFuture(ctx, field, birthDate);
  const age = ageOn(birthDate, ctx.today);
  if (age < 8 || age > 25) throw badInput(field, `${field}: a secondary-school student is between 8 and 25 years old.`);
}

/**
 * SCHOOL_COORDINATOR: registers a student of the own school, with guardians, in one
 * transaction. The tenant and the school come from the caller, never from a foreign id.
 */
export async function createStudent(ctx: Context, input: CreateStudentInput): Promise<Student> {
  const schoolId = targetSchoolId(ctx, input);
  const school = await requireVisible(ctx, School, schoolId, 'input.schoolId');
  assertPlausibleBirthDate(ctx, 'input.birthDate', input.birthDate);
  notInFuture(ctx, 'input.developmentPlanDate', input.developmentPlanDate);
  const id = randomUUID();
  const row = {
    id,
    partnershipId: ctx.actor.partnershipId,
    schoolId: school.id,
    mentorUserId: input.mentorUserId ?? null,
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    birthDate: input.birthDate,
    studentNumber: input.studentNumber,
    expectedExitLevel: input.expectedExitLevel,
    pseudonym: studentPseudonym(ctx.config.pseudonymKey, ctx.actor.partnershipId, id),
    developmentPlanReference: input.developmentPlanReference ?? null,
    developmentPlanDate: input.developmentPlanDate ?? null,
  };
  assertCan(ctx.ability, 'create', 'Student', row, 'Only the coordinator of this school can register its students.');
  if (input.mentorUserId) await assertMentorAt(ctx, input.mentorUserId, school.id);
  return uniqueOr(
    () =>
      unscoped(ctx, 'write: a new student, after assertCan(create, Student)').transaction(async (tx) => {
        const student = await tx.save(tx.create(Student, row));
        for (const guardian of input.guardians) {
          await tx.save(tx.create(Guardian, { partnershipId: row.partnershipId, studentId: student.id, name: guardian.name.trim(), relationship: guardian.relationship.trim(), hasParentalAuthority: guardian.hasParentalAuthority }));
        }
        return student;
      }),
    'A student with this student number already exists at the school.',
  );
}

/**
 * Who changes a student's data, and on which rule (field by field): `update`, the coordinator of
 * the student's school; `rectify`, the privacy officer carrying out a rectification request
 * (AVG art. 16; src/modules/privacy/data-subject-request.service.ts), the only way the privacy
 * officer changes a student's identity. Both go through `changeStudent`, the one home of the rules
 * for a change.
 */
export type StudentChangeAction = 'update' | 'rectify';

const CHANGE_REFUSED: Record<StudentChangeAction, string> = {
  update: "Only the coordinator of the student's school changes the student's data.",
  rectify: "The privacy officer rectifies a student's identity (names, student number, birth date, guardians' names and relationship) only.",
};

/**
 * The student by id, visible to the caller, whose `fields` the caller may change (`action`, field
 * by field: the own school's coordinator updates the student's data; the privacy officer's
 * `update` rule covers the retention fields only, so it does not reach here, and its `rectify`
 * rule the identity fields a rectification corrects).
 */
async function requireUpdatable(ctx: Context, studentId: string, fields: string[], action: StudentChangeAction = 'update'): Promise<Student> {
  const student = await requireVisible(ctx, Student, studentId, 'input.studentId');
  for (const field of fields) assertCan(ctx.ability, action, 'Student', student, CHANGE_REFUSED[action], field);
  return student;
}

/** The fields of a student a change may name; absent (undefined) fields stay as they are. */
export interface StudentChanges {
  givenName?: string | null;
  familyName?: string | null;
  studentNumber?: string | null;
  birthDate?: string | null;
  expectedExitLevel?: Student['expectedExitLevel'] | null;
  mentorUserId?: string | null;
  developmentPlanReference?: string | null;
  developmentPlanDate?: string | null;
}

/**
 * Changes the given fields of a student on `db` (the caller's transaction), after checking the
 * caller may `action` each of them; BAD_USER_INPUT when none is given, CONFLICT on a duplicate
 * student number. Returns the student as changed and the names of the fields changed.
 */
export async function changeStudent(
  ctx: Context,
  db: EntityManager,
  studentId: string,
  input: StudentChanges,
  action: StudentChangeAction,
): Promise<{ student: Student; changed: string[] }> {
  const changes: Partial<Student> = {};
  if (input.givenName !== undefined && input.givenName !== null) changes.givenName = input.givenName.trim();
  if (input.familyName !== undefined && input.familyName !== null) changes.familyName = input.familyName.trim();
  if (input.studentNumber !== undefined && input.studentNumber !== null) changes.studentNumber = input.studentNumber;
  if (input.birthDate !== undefined && input.birthDate !== null) changes.birthDate = input.birthDate;
  if (input.expectedExitLevel !== undefined && input.expectedExitLevel !== null) changes.expectedExitLevel = input.expectedExitLevel;
  if (input.mentorUserId !== undefined) changes.mentorUserId = input.mentorUserId;
  if (input.developmentPlanReference !== undefined) changes.developmentPlanReference = input.developmentPlanReference?.trim() || null;
  if (input.developmentPlanDate !== undefined) changes.developmentPlanDate = input.developmentPlanDate;
  const changed = Object.keys(changes);
  if (changed.length === 0) throw badInput('input', 'input: name at least one field to change.');
  const student = await requireUpdatable(ctx, studentId, changed, action);
  if (changes.birthDate !== undefined) assertPlausibleBirthDate(ctx, 'input.birthDate', changes.birthDate);
  notInFuture(ctx, 'input.developmentPlanDate', input.developmentPlanDate);
  if (input.mentorUserId) await assertMentorAt(ctx, input.mentorUserId, student.schoolId);
  await uniqueOr(() => db.getRepository(Student).update({ id: student.id }, changes), 'A student with this student number already exists at the school.');
  ctx.loaders.byId(Student).clear(student.id);
  return { student: await db.getRepository(Student).findOneByOrFail({ id: student.id }), changed };
}

/** A guardian's fields a change may name; absent (undefined or null) fields stay as they are. */
export interface GuardianChanges {
  guardianId: string;
  name?: string | null;
  relationship?: string | null;
}

/**
 * Changes the given fields of guardians of student `studentId` on `db` (the caller's
 * transaction), after checking the caller may `action` each field of each; `field` names the
 * input list. NOT_FOUND for a guardian of another student (like a missing one); BAD_USER_INPUT
 * for a guardian named twice or without a field. Returns, per guardian, the fields changed.
 */
export async function changeGuardians(
  ctx: Context,
  db: EntityManager,
  studentId: string,
  input: GuardianChanges[],
  action: StudentChangeAction,
  field = 'input.guardians',
): Promise<Array<{ guardian: Guardian; changed: string[] }>> {
  const seen = new Set<string>();
  const planned: Array<{ guardian: Guardian; changes: Partial<Guardian> }> = [];
  for (const [i, entry] of input.entries()) {
    const id = parseId(entry.guardianId, `${field}[${i}].guardianId`);
    if (seen.has(id)) throw badInput(`${field}[${i}].guardianId`, `${field}[${i}].guardianId: this guardian is named twice.`);
    seen.add(id);
    const changes: Partial<Guardian> = {};
    if (entry.name !== undefined && entry.name !== null) changes.name = entry.name.trim();
    if (entry.relationship !== undefined && entry.relationship !== null) changes.relationship = entry.relationship.trim();
    if (Object.keys(changes).length === 0) throw badInput(`${field}[${i}]`, `${field}[${i}]: name at least one field to change (name, relationship).`);
    // A guardian of another student answers like a missing one (AVG rule 2).
    const guardian = await db.getRepository(Guardian).findOneBy({ id, studentId, partnershipId: ctx.actor.partnershipId });
    if (!guardian) throw notFound('Guardian');
    for (const name of Object.keys(changes)) assertCan(ctx.ability, action, 'Guardian', guardian, CHANGE_REFUSED[action], name);
    planned.push({ guardian, changes });
  }
  const result: Array<{ guardian: Guardian; changed: string[] }> = [];
  for (const { guardian, changes } of planned) {
    await db.getRepository(Guardian).update({ id: guardian.id }, changes);
    result.push({ guardian: await db.getRepository(Guardian).findOneByOrFail({ id: guardian.id }), changed: Object.keys(changes) });
  }
  return result;
}

/**
 * SCHOOL_COORDINATOR: changes a student of the own school (OPP reference and date, mentor,
 * expected exit level, names, student number). Only given fields change; the student returned
 * is logged as a CHANGE in the access log like every mutation's answer.
 */
export async function updateStudent(ctx: Context, input: UpdateStudentInput): Promise<Student> {
  const db = unscoped(ctx, 'write: the data of the student, after assertCan(update, Student) field by field');
  return (await changeStudent(ctx, db.manager, input.studentId, input, 'update')).student;
}

/**
 * SCHOOL_COORDINATOR: records that a student left the own school (uitschrijving). The day may not
 * lie in the future nor before the birth date; once recorded it is CONFLICT. It
 * starts the retention term of the school data (src/modules/privacy/retention).
 */
export async function recordLeftSchool(ctx: Context, input: RecordLeftSchoolInput): Promise<Student> {
  const student = await requireUpdatable(ctx, input.studentId, ['leftSchoolOn']);
  notInFuture(ctx, 'input.leftSchoolOn', input.leftSchoolOn);
  if (input.leftSchoolOn < student.birthDate) throw badInput('input.leftSchoolOn', 'input.leftSchoolOn: lies before the birth date.');
  const db = unscoped(ctx, 'write: the day the student left, after assertCan(update, Student.leftSchoolOn)');
  const result = await db.getRepository(Student).createQueryBuilder().update(Student)
    .set({ leftSchoolOn: input.leftSchoolOn })
    .where('id = :id AND left_school_on IS NULL', { id: student.id })
    .execute();
  if (!result.affected) throw conflict(`The student already left the school on ${student.leftSchoolOn}.`);
  ctx.loaders.byId(Student).clear(student.id);
  return db.getRepository(Student).findOneByOrFail({ id: student.id });
}

/** The reason on the event of a running trajectory that followed its student to another school. */
export function transferEventReason(transferredOn: string): string {
  return `The student moved to another school of the partnership on ${transferredOn}.`;
}

/**
 * SCHOOL_COORDINATOR of the student's school (who hands the student over), PROGRAMME_COORDINATOR:
 * moves a student to another school of the partnership (overstap), in one transaction. The
 * student's school changes and the mentor is cleared (a mentor of the old school loses the
 * student); the transfer is kept as a StudentSchoolChange (from, to, on which day, by whom); a
 * running trajectory (REQUESTED up to CONSOLIDATION) follows through the workflow's
 * `transferStudent` act (its school changes, its home windstreek and team stay, and an event
 * records it); finished trajectories stay with the school that registered them. Access moves
 * with the student on the next request. Refused: a student who left school or changed
 * meanwhile (CONFLICT); the student's own school, a day in the future, before the birth date
 * or before an earlier transfer (BAD_USER_INPUT); a school outside the partnership (NOT_FOUND,
 * like a missing one). Returns the student as the caller may see them afterwards: null for the
 * coordinator of the school the student left. The change of the student (and of a moved
 * trajectory) is logged as a CHANGE either way.
 */
export async function transferStudent(ctx: Context, input: TransferStudentInput): Promise<Student | null> {
  const student = await requireVisible(ctx, Student, input.studentId, 'input.studentId');
  assertCan(ctx.ability, 'update', 'Student', student, "Only the coordinator of the student's school or the programme coordinator transfers a student.", 'school');
  if (student.leftSchoolOn) throw conflict(`The student left the school on ${student.leftSchoolOn}; a student who left is not transferred.`);
  notInFuture(ctx, 'input.transferredOn', input.transferredOn);
  if (input.transferredOn < student.birthDate) throw badInput('input.transferredOn', 'input.transferredOn: lies before the birth date.');
  if (input.toSchoolId.toLowerCase() === student.schoolId) throw badInput('input.toSchoolId', 'input.toSchoolId: the student already attends this school.');
  // NOTE: a deliberate read outside the ability: a school coordinator reads only the own school,
  // yet hands the student over to any school of the partnership; this only answers "is that a
  // school of the partnership?" (row-level security keeps other partnerships' schools missing).
  const [target] = await unscoped(ctx, 'the receiving school of a transfer: is it a school of the partnership? (a school coordinator reads only the own school)').query(
    'SELECT id FROM school WHERE id = $1 AND partnership_id = $2',
    [input.toSchoolId, ctx.actor.partnershipId],
  );
  if (!target) throw notFound('School');
  const db = unscoped(ctx, 'write: the transfer of the student, after assertCan(update, Student.school); the running trajectory moves through performAct');
  const [{ last }] = await db.query(`SELECT to_char(max(transferred_on), 'YYYY-MM-DD') AS last FROM student_school_change WHERE student_id = $1`, [student.id]);
  if (last && input.transferredOn < last) throw badInput('input.transferredOn', `input.transferredOn: lies before the student's previous transfer (${last}).`);

  const moved = await db.transaction(async (tx) => {
    const updated = await tx.createQueryBuilder().update(Student)
      .set({ schoolId: target.id, mentorUserId: null })
      .where('id = :id AND school_id = :from AND left_school_on IS NULL', { id: student.id, from: student.schoolId })
      .execute();
    if (!updated.affected) throw conflict('The student was changed at the same time (transferred or left school). Reload and try again.');
    await tx.save(tx.create(StudentSchoolChange, {
      partnershipId: student.partnershipId, studentId: student.id, fromSchoolId: student.schoolId, toSchoolId: target.id,
      transferredOn: input.transferredOn, transferredByUserId: ctx.actor.userId,
    }));
    const [running] = await tx.query('SELECT id FROM trajectory WHERE student_id = $1 AND phase = ANY($2::phase[])', [student.id, ACTIVE_PHASES]);
    if (!running) return null;
    const { trajectory } = await performAct(ctx, {
      act: 'transferStudent',
      trajectoryId: running.id,
      reason: transferEventReason(input.transferredOn),
      changes: { schoolId: target.id },
    });
    return trajectory;
  });

  ctx.access?.note({
    objectType: 'Student', objectId: student.id, studentId: student.id, action: AccessAction.CHANGE, outcome: AccessOutcome.ALLOWED,
    fields: ['school', 'mentor', 'schoolChanges'],
  });
  if (moved) {
    ctx.access?.note({
      objectType: 'Trajectory', objectId: moved.id, studentId: student.id, action: AccessAction.CHANGE, outcome: AccessOutcome.ALLOWED,
      fields: ['school', 'events'],
    });
    ctx.loaders.byId(Trajectory).clear(moved.id);
  }
  // Re-read through the caller's rules: the transfer can move the student out of sight.
  return ctx.loaders.byId(Student).clear(student.id).load(student.id);
}
