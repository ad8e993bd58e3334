import { randomUUID } from 'node:crypto';
import { assertCan } from '../../authz/authorize';
import { scopeIds } from '../../authz/actor';
import { uniqueOr } from '../../db/errors';
import { ageOn } from '../../domain/clock';
import { Role } from '../../domain/enums';
import { studentPseudonym } from '../../domain/pseudonym';
import type { Context } from '../../graphql/context';
import { badInput, forbidden, notFound } from '../../graphql/errors';
import { requireVisible, unscoped } from '../../graphql/reads';
import { School } from '../schools/school.entity';
import { Guardian } from './guardian.entity';
import { Student } from './student.entity';
import { CreateStudentInput } from './student.inputs';

/** The school a coordinator registers for: the named one, or their only one. */
function targetSchoolId(ctx: Context, input: CreateStudentInput): string {
  if (input.schoolId) return input.schoolId;
  const own = scopeIds(ctx.actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (own.length === 1) return own[0];
  if (own.length === 0) throw forbidden('Only a school coordinator can register students.');
  throw badInput('input.schoolId', 'input.schoolId: required because you coordinate more than one school.');
}

/**
 * SCHOOL_COORDINATOR: registers a student of the own school, with guardians, in one
 * transaction. The tenant and the school come from the caller, never from a foreign id.
 */
export async function createStudent(ctx: Context, input: CreateStudentInput): Promise<Student> {
  const schoolId = targetSchoolId(ctx, input);
  const school = await requireVisible(ctx, School, schoolId, 'input.schoolId');
  const today = ctx.today;
  if (input.birthDate > today) throw badInput('input.birthDate', 'input.birthDate: lies in the future.');
  const age = ageOn(input.birthDate, today);
  if (age < 8 || age > 25) throw badInput('input.birthDate', 'input.birthDate: a secondary-school student is between 8 and 25 years old.');
  if (input.developmentPlanDate && input.developmentPlanDate > today) {
    throw badInput('input.developmentPlanDate', 'input.developmentPlanDate: lies in the future.');
  }
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
  if (input.mentorUserId) {
    // NOTE: a deliberate read outside the ability: the coordinator may not list accounts, but
    // may name a mentor of the own school; this only answers "is that a mentor here?".
    const mentor = await unscoped(ctx, 'is the named user a mentor at this school? (yes/no; accounts are not listed to the coordinator)').query(
      `SELECT 1 FROM membership WHERE user_id = $1 AND school_id = $2 AND role = 'MENTOR' AND revoked_at IS NULL AND partnership_id = $3`,
      [input.mentorUserId, school.id, ctx.actor.partnershipId],
    );
    if (mentor.length === 0) throw notFound('Mentor');
  }
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
