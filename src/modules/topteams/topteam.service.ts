import { assertCan } from '../../authz/authorize';
import { uniqueOr } from '../../db/errors';
import type { Context } from '../../graphql/context';
import { requireVisible, unscoped } from '../../graphql/reads';
import { Windstreek } from '../windstreken/windstreek.entity';
import { Topteam } from './topteam.entity';
import { CreateTopteamInput } from './topteam.inputs';

/** ADMIN: adds a Topteam to a windstreek of the caller's partnership. */
export async function createTopteam(ctx: Context, input: CreateTopteamInput): Promise<Topteam> {
  const row = { partnershipId: ctx.actor.partnershipId, windstreekId: input.windstreekId, name: input.name.trim(), capacity: input.capacity };
  assertCan(ctx.ability, 'create', 'Topteam', row);
  await requireVisible(ctx, Windstreek, input.windstreekId, 'input.windstreekId');
  const repository = unscoped(ctx, 'write: a new Topteam, after assertCan(create, Topteam)').getRepository(Topteam);
  return uniqueOr(() => repository.save(repository.create(row)), 'A Topteam with this name already exists in the partnership.');
}
