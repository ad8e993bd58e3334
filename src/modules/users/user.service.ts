import { accessibleQuery } from '../../authz/accessible';
import { assertCan } from '../../authz/authorize';
import { uniqueOr } from '../../db/errors';
import { AccessAction, AccessOutcome, ROLE_SCOPE, Role, ScopeKind } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { badInput, conflict } from '../../graphql/errors';
import { requireVisible, unscoped } from '../../graphql/reads';
import { School } from '../schools/school.entity';
import { Topteam } from '../topteams/topteam.entity';
import { unstaffLeaver } from '../trajectories/workflow/staffing.service';
import { Windstreek } from '../windstreken/windstreek.entity';
import { Membership } from './membership.entity';
import { User } from './user.entity';
import { CreateUserInput, GrantMembershipInput, RevokeMembershipInput } from './user.inputs';

/** The memberships each user holds now (not revoked) that the caller may see, oldest first; one statement for all users. */
export async function activeMembershipsOf(ctx: Context, userIds: readonly string[]): Promise<Membership[][]> {
  const qb = accessibleQuery(ctx.ability, Membership, ctx.dataSource, 'm');
  const rows = qb
    ? await qb
        .andWhere('"m"."user_id" IN (:...userIds)', { userIds: [...userIds] })
        .andWhere('"m"."revoked_at" IS NULL')
        .orderBy('"m"."created_at"', 'ASC')
        .addOrderBy('"m"."id"', 'ASC')
        .getMany()
    : [];
  return userIds.map((id) => rows.filter((m) => m.userId === id));
}

/** ADMIN: creates an account in the caller's partnership; it can do nothing until granted a role. */
export async function createUser(ctx: Context, input: CreateUserInput): Promise<User> {
  const email = input.email.trim().toLowerCase();
  const row = { partnershipId: ctx.actor.partnershipId, email, name: input.name.trim(), subject: input.subject?.trim() || email, active: true };
  assertCan(ctx.ability, 'create', 'User', row);
  const repository = unscoped(ctx, 'write: a new account, after assertCan(create, User)').getRepository(User);
  return uniqueOr(() => repository.save(repository.create(row)), 'A user with this e-mail address or subject already exists.');
}

const SCOPE_FIELDS = { windstreekId: ScopeKind.WINDSTREEK, schoolId: ScopeKind.SCHOOL, topteamId: ScopeKind.TOPTEAM } as const;

/** The scope columns of a grant, checked against the role: exactly the one it needs. */
function scopeOf(input: GrantMembershipInput): { windstreekId: string | null; schoolId: string | null; topteamId: string | null } {
  const needed = ROLE_SCOPE[input.role];
  for (const [field, kind] of Object.entries(SCOPE_FIELDS) as Array<[keyof typeof SCOPE_FIELDS, ScopeKind]>) {
    if (kind === needed && !input[field]) throw badInput(`input.${field}`, `input.${field}: required for role ${input.role}.`);
    if (kind !== needed && input[field]) throw badInput(`input.${field}`, `input.${field}: not allowed for role ${input.role}.`);
  }
  if (input.role === Role.TEAM_MEMBER && !input.teamFunction) {
    throw badInput('input.teamFunction', 'input.teamFunction: required for role TEAM_MEMBER.');
  }
  if (input.role !== Role.TEAM_MEMBER && input.teamFunction) {
    throw badInput('input.teamFunction', `input.teamFunction: not allowed for role ${input.role}.`);
  }
  return { windstreekId: input.windstreekId ?? null, schoolId: input.schoolId ?? null, topteamId: input.topteamId ?? null };
}

/** ADMIN: grants a role in a scope of the caller's partnership. One active grant per user, role and scope. */
export async function grantMembership(ctx: Context, input: GrantMembershipInput): Promise<Membership> {
  const scope = scopeOf(input);
  const row = { partnershipId: ctx.actor.partnershipId, userId: input.userId, role: input.role, teamFunction: input.teamFunction ?? null, ...scope, revokedAt: null };
  assertCan(ctx.ability, 'create', 'Membership', row);
  await requireVisible(ctx, User, input.userId, 'input.userId');
  if (scope.windstreekId) await requireVisible(ctx, Windstreek, scope.windstreekId, 'input.windstreekId');
  if (scope.schoolId) await requireVisible(ctx, School, scope.schoolId, 'input.schoolId');
  if (scope.topteamId) await requireVisible(ctx, Topteam, scope.topteamId, 'input.topteamId');
  return unscoped(ctx, 'write: a new membership, after assertCan(create, Membership) and its scope visible').transaction(async (tx) => {
    // Grants for one user are serialised on the user row, so two identical grants cannot both pass the check.
    await tx.query('SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE', [input.userId]);
    const existing = await tx.query(
      `SELECT 1 FROM membership WHERE user_id = $1 AND role = $2 AND revoked_at IS NULL
         AND windstreek_id IS NOT DISTINCT FROM $3 AND school_id IS NOT DISTINCT FROM $4 AND topteam_id IS NOT DISTINCT FROM $5`,
      [input.userId, input.role, scope.windstreekId, scope.schoolId, scope.topteamId],
    );
    if (existing.length > 0) throw conflict('The user already holds this role in this scope.');
    return tx.save(tx.create(Membership, row));
  });
}

/**
 * ADMIN: revokes a membership; it stops counting on the user's next request. A Topteam member
 * who leaves the team is no longer staffed on its cases: in the same transaction, the staffing
 * functions the user no longer holds in the team are cleared on the team's running cases, each
 * with an event (`unstaffLeaver`, src/modules/trajectories/workflow/staffing.service.ts) and a
 * CHANGE in the access log. Any fault rolls the whole revocation back.
 */
export async function revokeMembership(ctx: Context, input: RevokeMembershipInput): Promise<Membership> {
  const membership = await requireVisible(ctx, Membership, input.membershipId, 'input.membershipId');
  assertCan(ctx.ability, 'update', 'Membership', membership);
  if (membership.revokedAt) throw conflict('The membership is already revoked.');
  const now = ctx.clock.now();
  const { revoked, unstaffed } = await unscoped(ctx, 'write: revoking a membership, after assertCan(update, Membership)').transaction(async (tx) => {
    // Serialised on the row: a concurrent revocation of the same membership finds it revoked.
    const result = await tx.query('UPDATE membership SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [membership.id, now]);
    if (result[0].length === 0) throw conflict('The membership is already revoked.');
    const unstaffed = membership.role === Role.TEAM_MEMBER && membership.topteamId
      ? await unstaffLeaver(tx, { teamId: membership.topteamId, userId: membership.userId, actorUserId: ctx.actor.userId, now })
      : [];
    return { revoked: await tx.getRepository(Membership).findOneByOrFail({ id: membership.id }), unstaffed };
  });
  for (const u of unstaffed) {
    ctx.access?.note({ objectType: 'Trajectory', objectId: u.trajectoryId, studentId: u.studentId, action: AccessAction.CHANGE, outcome: AccessOutcome.ALLOWED, fields: u.fields });
  }
  return revoked;
}
