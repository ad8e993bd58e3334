import { assertCan } from '../../authz/authorize';
import { TEAM_COMPOSITION, TEAM_FUNCTION_NAMES, TeamFunction } from '../../domain/enums';
import { uniqueOr } from '../../db/errors';
import type { Context } from '../../graphql/context';
import { requireVisible, unscoped } from '../../graphql/reads';
import { Windstreek } from '../windstreken/windstreek.entity';
import { Topteam } from './topteam.entity';
import { CreateTopteamInput } from './topteam.inputs';
import { TeamComposition } from './topteam.types';

/** ADMIN: adds a Topteam to a windstreek of the caller's partnership. */
export async function createTopteam(ctx: Context, input: CreateTopteamInput): Promise<Topteam> {
  const row = { partnershipId: ctx.actor.partnershipId, windstreekId: input.windstreekId, name: input.name.trim(), capacity: input.capacity };
  assertCan(ctx.ability, 'create', 'Topteam', row);
  await requireVisible(ctx, Windstreek, input.windstreekId, 'input.windstreekId');
  const repository = unscoped(ctx, 'write: a new Topteam, after assertCan(create, Topteam)').getRepository(Topteam);
  return uniqueOr(() => repository.save(repository.create(row)), 'A Topteam with this name already exists in the partnership.');
}

/** A team's composition from its member counts per function, judged against the handbook (`TEAM_COMPOSITION`). */
export function compositionOf(counts: Readonly<Record<TeamFunction, number>>): TeamComposition {
  const functions = Object.keys(TEAM_COMPOSITION) as TeamFunction[];
  const missing = functions.flatMap((f) => Array<TeamFunction>(Math.max(0, TEAM_COMPOSITION[f] - counts[f])).fill(f));
  const short = functions
    .filter((f) => counts[f] < TEAM_COMPOSITION[f])
    .map((f) => `${TEAM_FUNCTION_NAMES[f]} (${f}) ${counts[f]} of ${TEAM_COMPOSITION[f]}`);
  return {
    behaviouralScientists: counts.BEHAVIOURAL_SCIENTIST,
    teachers: counts.TEACHER,
    careWorkers: counts.CARE_WORKER,
    complete: missing.length === 0,
    missing,
    warning: short.length ? `Incomplete team: ${short.join('; ')}.` : null,
  };
}

/**
 * SQL: membership `m` of account `u` makes a member of a Topteam now (a team membership not
 * revoked, the account active). The one home of "a member now", for the composition below and
 * for staffing a case (src/modules/trajectories/workflow/staffing.service.ts).
 */
export function currentTeamMemberSql(m: string, u: string): string {
  return `${m}.role = 'TEAM_MEMBER' AND ${m}.revoked_at IS NULL AND ${u}.active`;
}

/**
 * The composition of each team: its members now (`currentTeamMemberSql`), a person counted once
 * per function. One statement for all teams.
 */
export async function teamCompositions(ctx: Context, teamIds: readonly string[]): Promise<TeamComposition[]> {
  const source = unscoped(ctx, 'team composition: members per function of teams the caller reads, counted, no account returned');
  const rows: Array<{ topteam_id: string; team_function: TeamFunction; n: number }> = await source.query(
    `SELECT m.topteam_id, m.team_function, count(DISTINCT m.user_id)::int AS n
       FROM membership m JOIN app_user u ON u.id = m.user_id
      WHERE m.topteam_id = ANY($1::uuid[]) AND ${currentTeamMemberSql('m', 'u')}
      GROUP BY m.topteam_id, m.team_function`,
    [[...teamIds]],
  );
  return teamIds.map((id) => {
    const counts = { BEHAVIOURAL_SCIENTIST: 0, TEACHER: 0, CARE_WORKER: 0 } as Record<TeamFunction, number>;
    for (const r of rows) if (r.topteam_id === id) counts[r.team_function] = r.n;
    return compositionOf(counts);
  });
}
