import { assertCan } from '../../authz/authorize';
import { uniqueOr } from '../../db/errors';
import type { Context } from '../../graphql/context';
import { requireVisible, unscoped } from '../../graphql/reads';
import { Windstreek } from '../windstreken/windstreek.entity';
import { School } from './school.entity';
import { CreateSchoolInput } from './school.inputs';

/** ADMIN: adds a school to a windstreek of the caller's partnership. */
export async function createSchool(ctx: Context, input: CreateSchoolInput): Promise<School> {
  const row = { partnershipId: ctx.actor.partnershipId, windstreekId: input.windstreekId, name: input.name.trim(), brinCode: input.brinCode };
  assertCan(ctx.ability, 'create', 'School', row);
  await requireVisible(ctx, Windstreek, input.windstreekId, 'input.windstreekId');
  return uniqueOr(
    () => {
      const repository = unscoped(ctx, 'write: a new school, after assertCan(create, School)').getRepository(School);
      return repository.save(repository.create(row));
    },
    'A school with this BRIN code already exists in the partnership.',
  );
}
