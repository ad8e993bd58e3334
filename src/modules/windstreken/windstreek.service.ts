import { unscoped } from '../../graphql/reads';
import { In } from 'typeorm';
import type { Context } from '../../graphql/context';
import { notFound } from '../../graphql/errors';
import { assertCan } from '../../authz/authorize';
import { accessibleQuery } from '../../authz/accessible';
import { Windstreek } from './windstreek.entity';
import { CreateWindstreekInput } from './windstreek.inputs';

/** Creates a windstreek with its neighbours (both directions), in one transaction. */
export async function createWindstreek(ctx: Context, input: CreateWindstreekInput): Promise<Windstreek> {
  const partnershipId = ctx.actor.partnershipId;
  assertCan(ctx.ability, 'create', 'Windstreek', { partnershipId });
  const neighbourIds = [...new Set(input.neighbourIds)];
  if (neighbourIds.length) {
    const qb = accessibleQuery(ctx.ability, Windstreek, ctx.dataSource, 'w');
    const found = qb ? await qb.andWhere({ id: In(neighbourIds) }).getCount() : 0;
    if (found !== neighbourIds.length) throw notFound('Windstreek');
  }
  return unscoped(ctx, 'write: a new windstreek and its neighbour pairs, after the create check and the neighbours visible').transaction(async (tx) => {
    const windstreek = await tx.save(tx.create(Windstreek, { partnershipId, name: input.name.trim() }));
    for (const neighbourId of neighbourIds) {
      await tx.query(
        `INSERT INTO windstreek_neighbour (partnership_id, windstreek_id, neighbour_id) VALUES ($3, $1, $2), ($3, $2, $1) ON CONFLICT DO NOTHING`,
        [windstreek.id, neighbourId, partnershipId],
      );
    }
    return windstreek;
  });
}

/** Neighbour ids per windstreek, for the `neighbours` loader. */
export async function neighbourIdsOf(ctx: Context, ids: readonly string[]): Promise<string[][]> {
  const rows: Array<{ windstreek_id: string; neighbour_id: string }> = await unscoped(ctx, 'neighbour pairs of windstreken already read through the rules (the neighbours loader)').query(
    `SELECT windstreek_id, neighbour_id FROM windstreek_neighbour WHERE windstreek_id = ANY($1::uuid[])`,
    [ids],
  );
  return ids.map((id) => rows.filter((r) => r.windstreek_id === id).map((r) => r.neighbour_id));
}
