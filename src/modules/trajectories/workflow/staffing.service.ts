/**
 * Staffing a case (bezetting): the responsible gedragswetenschapper, Topdocent and ambulant
 * hulpverlener, each a current member of the case's OWN team with that function. An act like
 * any other (`performAct`: checked, versioned, recorded as an event). Who may staff is the
 * `staffCase` permission (src/authz/rules/workflow.rules.ts). The staffing belongs to the team:
 * `clearStaffing` below is the one home of clearing it, when the case changes team
 * (src/modules/caseload/assignment.ts) and when a staffed member leaves the team
 * (`unstaffLeaver`, from src/modules/users/user.service.ts).
 */
import { EntityManager } from 'typeorm';
import { Phase, TEAM_FUNCTION_NAMES, TeamFunction } from '../../../domain/enums';
import type { Context } from '../../../graphql/context';
import { badInput } from '../../../graphql/errors';
import { currentTeamMemberSql } from '../../topteams/topteam.service';
import { TrajectoryEvent } from '../trajectory-event.entity';
import { Trajectory } from '../trajectory.entity';
import { ACTS } from './acts';
import { invalidTransition, performAct } from './perform-act';
import { StaffTrajectoryInput } from './staffing.inputs';

type StaffColumn = 'behaviouralScientistUserId' | 'teacherUserId' | 'careWorkerUserId';

/** Each input field: the trajectory column it sets (and its SQL name) and the function its person must have. */
export const STAFF_FIELDS: ReadonlyArray<{ input: 'behaviouralScientistId' | 'teacherId' | 'careWorkerId'; column: StaffColumn; sql: string; teamFunction: TeamFunction }> = [
  { input: 'behaviouralScientistId', column: 'behaviouralScientistUserId', sql: 'behavioural_scientist_user_id', teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST },
  { input: 'teacherId', column: 'teacherUserId', sql: 'teacher_user_id', teamFunction: TeamFunction.TEACHER },
  { input: 'careWorkerId', column: 'careWorkerUserId', sql: 'care_worker_user_id', teamFunction: TeamFunction.CARE_WORKER },
];

/**
 * Clears the staffing of trajectory `trajectoryId` on `tx`: every function (the case changed
 * team, and starts unstaffed in the new one), or only `columns`. Changes nothing else (the
 * caller raises the version and records the event, as its act does). The one home of that rule.
 */
export async function clearStaffing(tx: EntityManager, trajectoryId: string, columns: readonly StaffColumn[] = STAFF_FIELDS.map((f) => f.column)): Promise<void> {
  const cleared = STAFF_FIELDS.filter((f) => columns.includes(f.column));
  if (cleared.length === 0) return;
  await tx.query(`UPDATE trajectory SET ${cleared.map((f) => `${f.sql} = NULL`).join(', ')} WHERE id = $1`, [trajectoryId]);
}

/** A case of the team that is unstaffed because a member left: which trajectory, its student, and the staffing fields cleared. */
export interface Unstaffed {
  trajectoryId: string;
  studentId: string;
  fields: string[];
}

/**
 * A member who left team `teamId` (the membership just revoked on `tx`) is no longer staffed on
 * its cases: on every case of the team in a phase that can be staffed (`staffTrajectory`'s), each
 * function the user no longer holds in the team (a membership with it not revoked, account
 * active) is cleared (`clearStaffing`), the version raised and an event of the act
 * `staffTrajectory` recorded, by `actorUserId` with the reason. Finished cases keep who was
 * responsible, as their history. Returns the cases changed (for the access log).
 */
export async function unstaffLeaver(
  tx: EntityManager,
  leaver: { teamId: string; userId: string; actorUserId: string; now: Date },
): Promise<Unstaffed[]> {
  const staffable: readonly Phase[] = ACTS.staffTrajectory.from;
  const cases: Array<{ id: string; partnership_id: string; student_id: string; phase: Phase } & Record<string, string | null>> = await tx.query(
    `SELECT id, partnership_id, student_id, phase, ${STAFF_FIELDS.map((f) => f.sql).join(', ')} FROM trajectory
      WHERE team_id = $1 AND phase = ANY($2::phase[]) AND $3 IN (${STAFF_FIELDS.map((f) => `${f.sql}`).join(', ')})
      ORDER BY id FOR UPDATE`,
    [leaver.teamId, staffable, leaver.userId],
  );
  if (cases.length === 0) return [];
  const held = (await functionsInTeam(tx, leaver.teamId, [leaver.userId])).get(leaver.userId) ?? new Set<TeamFunction>();
  const unstaffed: Unstaffed[] = [];
  for (const row of cases) {
    const gone = STAFF_FIELDS.filter((f) => row[f.sql] === leaver.userId && !held.has(f.teamFunction));
    if (gone.length === 0) continue;
    await clearStaffing(tx, row.id, gone.map((f) => f.column));
    await tx.query('UPDATE trajectory SET version = version + 1, updated_at = $2 WHERE id = $1', [row.id, leaver.now]);
    await tx.save(tx.create(TrajectoryEvent, {
      partnershipId: row.partnership_id, trajectoryId: row.id, act: 'staffTrajectory', fromPhase: row.phase, toPhase: row.phase,
      actorUserId: leaver.actorUserId, occurredAt: leaver.now,
      reason: `The staffed member left the Topteam (membership revoked): no longer the ${gone.map((f) => TEAM_FUNCTION_NAMES[f.teamFunction]).join(', ')} of the case.`,
    }));
    unstaffed.push({ trajectoryId: row.id, studentId: row.student_id, fields: gone.map((f) => f.input.replace(/Id$/, '')) });
  }
  return unstaffed;
}

/** The functions each of `userIds` holds now in team `teamId` (`currentTeamMemberSql`). */
async function functionsInTeam(tx: EntityManager, teamId: string, userIds: string[]): Promise<Map<string, Set<TeamFunction>>> {
  const rows: Array<{ user_id: string; team_function: TeamFunction }> = userIds.length
    ? await tx.query(
      `SELECT m.user_id, m.team_function FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.topteam_id = $1 AND ${currentTeamMemberSql('m', 'u')} AND m.user_id = ANY($2::uuid[])`,
      [teamId, userIds],
    )
    : [];
  const functions = new Map<string, Set<TeamFunction>>();
  for (const row of rows) functions.set(row.user_id, (functions.get(row.user_id) ?? new Set()).add(row.team_function));
  return functions;
}

/**
 * Sets the given functions of the case's staffing (null: unstaffed). Refused with BAD_USER_INPUT
 * naming the field when a person is not a member of the case's team, or not with that function,
 * and when nothing would change; INVALID_TRANSITION when the case has no team yet.
 */
export async function staffTrajectory(ctx: Context, input: StaffTrajectoryInput): Promise<Trajectory> {
  const given = STAFF_FIELDS.filter((f) => input[f.input] !== undefined);
  if (given.length === 0) throw badInput('input', 'input: name at least one of behaviouralScientistId, teacherId, careWorkerId.');
  const changes: Partial<Record<StaffColumn, string | null>> = Object.fromEntries(given.map((f) => [f.column, input[f.input] ?? null]));
  const { trajectory } = await performAct(ctx, {
    act: 'staffTrajectory',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: input.reason ?? null,
    // `locked`: the row as the act's version-checked update left it (nothing else changed it since).
    effect: async (tx, locked) => {
      if (!locked.teamId) throw invalidTransition('staffTrajectory', locked.phase, 'The case has no team yet: assign it first (assignTeam).');
      if (given.every((f) => changes[f.column] === locked[f.column])) {
        throw badInput(`input.${given[0].input}`, `input.${given[0].input}: the case is already staffed this way; nothing changes.`);
      }
      const named = given.filter((f) => input[f.input]);
      const functions = await functionsInTeam(tx, locked.teamId, named.map((f) => input[f.input]!));
      for (const f of named) {
        const held = functions.get(input[f.input]!);
        if (!held) throw badInput(`input.${f.input}`, `input.${f.input}: not a member of the case's Topteam.`);
        if (!held.has(f.teamFunction)) {
          throw badInput(`input.${f.input}`, `input.${f.input}: not a ${TEAM_FUNCTION_NAMES[f.teamFunction]} (${f.teamFunction}) of the case's Topteam.`);
        }
      }
      // Raw on purpose: the act has already raised the version of the locked row once.
      const staffed = { ...locked, ...changes };
      await tx.query(
        'UPDATE trajectory SET behavioural_scientist_user_id = $1, teacher_user_id = $2, care_worker_user_id = $3 WHERE id = $4',
        [staffed.behaviouralScientistUserId, staffed.teacherUserId, staffed.careWorkerUserId, locked.id],
      );
      Object.assign(locked, changes);
    },
  });
  return trajectory;
}
