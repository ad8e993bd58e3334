/**
 * Staffing a case (bezetting): the responsible gedragswetenschapper, Topdocent and ambulant
 * hulpverlener, each a current member of the case's OWN team with that function. An act like
 * any other (`performAct`: checked, versioned, recorded as an event). Who may staff is the
 * `staffCase` permission (src/authz/rules/workflow.rules.ts); that a new team starts unstaffed is
 * written where the team changes (src/modules/caseload/assignment.ts).
 */
import { EntityManager } from 'typeorm';
import { TEAM_FUNCTION_NAMES, TeamFunction } from '../../../domain/enums';
import type { Context } from '../../../graphql/context';
import { badInput } from '../../../graphql/errors';
import { Trajectory } from '../trajectory.entity';
import { invalidTransition, performAct } from './perform-act';
import { StaffTrajectoryInput } from './staffing.inputs';

type StaffColumn = 'behaviouralScientistUserId' | 'teacherUserId' | 'careWorkerUserId';

/** Each input field: the trajectory column it sets and the function its person must have. */
export const STAFF_FIELDS: ReadonlyArray<{ input: 'behaviouralScientistId' | 'teacherId' | 'careWorkerId'; column: StaffColumn; teamFunction: TeamFunction }> = [
  { input: 'behaviouralScientistId', column: 'behaviouralScientistUserId', teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST },
  { input: 'teacherId', column: 'teacherUserId', teamFunction: TeamFunction.TEACHER },
  { input: 'careWorkerId', column: 'careWorkerUserId', teamFunction: TeamFunction.CARE_WORKER },
];

/** The functions each of `userIds` holds now in team `teamId` (active account, membership not revoked). */
async function functionsInTeam(tx: EntityManager, teamId: string, userIds: string[]): Promise<Map<string, Set<TeamFunction>>> {
  const rows: Array<{ user_id: string; team_function: TeamFunction }> = userIds.length
    ? await tx.query(
      `SELECT m.user_id, m.team_function FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.topteam_id = $1 AND m.role = 'TEAM_MEMBER' AND m.revoked_at IS NULL AND u.active AND m.user_id = ANY($2::uuid[])`,
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
