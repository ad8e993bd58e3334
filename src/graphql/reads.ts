/**
 * The read paths every module uses: a permission-filtered page, a single permitted row,
 * and id parsing. A row the caller may not see and a row that does not exist give the
 * same answer (null, or NOT_FOUND from `requireVisible`).
 */
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../domain/ids';
import { accessibleQuery } from '../authz/accessible';
import type { Action } from '../authz/ability';
import type { Context } from './context';
import { badInput, notFound } from './errors';
import { Connection, ConnectionArgs, Keyset, paginate } from './pagination';

/** Checks that `value` looks like one of our ids; `field` names the argument in the error. */
export function parseId(value: string, field: string): string {
  if (!isUuid(value)) throw badInput(field, `${field}: not a valid id.`);
  return value.toLowerCase();
}

type Row = ObjectLiteral & { id: string };

/** A page of `entity` rows the caller may read, narrowed by `narrow` (filters). */
export function listPage<T extends Row>(
  ctx: Context,
  entity: { new (): T },
  args: ConnectionArgs,
  keyset: Keyset,
  narrow?: (qb: SelectQueryBuilder<T>, alias: string) => void,
): Promise<Connection<T>> {
  const alias = 'item';
  const qb = accessibleQuery<T>(ctx.ability, entity, ctx.dataSource, alias);
  if (qb && narrow) narrow(qb, alias);
  return paginate(qb, alias, args, keyset);
}

/**
 * Narrows `qb` to rows whose columns equal the given filter values; `undefined` and `null`
 * mean "no condition". Keys are entity property names. The one place list filters become
 * SQL, so the field policies of the AVG layer can refuse a filter on a field the caller may
 * not read here.
 */
export function whereEquals<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, values: Partial<Record<keyof T & string, unknown>>): void {
  const meta = qb.expressionMap.mainAlias!.metadata;
  for (const [property, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    const column = meta.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${meta.name}.${property} is not a column`);
    qb.andWhere(`"${alias}"."${column.databaseName}" = :filter_${property}`, { [`filter_${property}`]: value });
  }
}

/** One row by id if the caller may read it, else null. */
export function findVisible<T extends Row>(ctx: Context, entity: { new (): T }, id: string, field = 'id'): Promise<T | null> {
  return ctx.loaders.byId(entity).load(parseId(id, field));
}

/** One row by id that the caller may `action`; NOT_FOUND when missing or not visible. */
export async function requireVisible<T extends Row>(
  ctx: Context,
  entity: { new (): T },
  id: string,
  field: string,
  action: Action = 'read',
): Promise<T> {
  const parsed = parseId(id, field);
  if (action === 'read') {
    const row = await ctx.loaders.byId(entity).load(parsed);
    if (row) return row;
  } else {
    const qb = accessibleQuery<T>(ctx.ability, entity, ctx.dataSource, 'item', action);
    const row = qb && (await qb.andWhere('"item"."id" = :id', { id: parsed }).getOne());
    if (row) return row;
  }
  throw notFound(entity.name);
}
