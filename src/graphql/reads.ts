/**
 * The read paths every module uses: a permission-filtered page, a single permitted row,
 * and id parsing. A row the caller may not see and a row that does not exist give the
 * same answer (null, or NOT_FOUND from `requireVisible`).
 */
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../domain/ids';
import { accessibleQuery } from '../authz/accessible';
import type { Action, AppAbility } from '../authz/ability';
import type { Context } from './context';
import { badInput, forbidden, notFound } from './errors';
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
 * Refuses a filter on a field the caller may not read (AVG rule 1, src/authz/README.md): `filters` maps each
 * given argument (`filter.schoolId`) to the field(s) of `subject` it reveals (`school`). When some
 * read rule of the caller for `subject` lists fields and leaves that one out, the rows that
 * rule grants would answer the filter while showing `null` for the field, so the value could
 * be probed through the filter: FORBIDDEN, naming the argument. Unrestricted callers pay one
 * pass over their rules of that subject.
 */
export function assertFilterable(ability: AppAbility, subject: string, filters: Record<string, { field: string | readonly string[]; value: unknown }>): void {
  const limited = ability.rulesFor('read', subject as never).filter((rule) => rule.fields !== undefined && !rule.inverted);
  if (!limited.length) return;
  for (const [argument, { field, value }] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    for (const one of typeof field === 'string' ? [field] : field) {
      if (limited.some((rule) => !rule.matchesField(one))) {
        throw forbidden(`${argument}: you may not filter on ${subject}.${one}, a field you may not read.`);
      }
    }
  }
}

/**
 * The entity field a filter on `property` reveals: the relation `school` for `schoolId`, the
 * property itself for a plain column.
 */
function revealedField(meta: { findRelationWithPropertyPath(path: string): unknown }, property: string): string {
  const relation = property.endsWith('Id') ? property.slice(0, -2) : undefined;
  return relation && meta.findRelationWithPropertyPath(relation) ? relation : property;
}

/**
 * Narrows `qb` to rows whose columns equal the given filter values; `undefined` and `null`
 * mean "no condition". Keys are entity property names, and the argument the client wrote is
 * `${prefix}${key}` (`filter.schoolId`). The one place list filters become SQL: a filter on a
 * field the caller may not read is refused here (`assertFilterable`).
 */
export function whereEquals<T extends ObjectLiteral>(
  ability: AppAbility,
  qb: SelectQueryBuilder<T>,
  alias: string,
  values: Partial<Record<keyof T & string, unknown>>,
  prefix = 'filter.',
): void {
  const meta = qb.expressionMap.mainAlias!.metadata;
  assertFilterable(
    ability,
    meta.name,
    Object.fromEntries(Object.entries(values).map(([property, value]) => [`${prefix}${property}`, { field: revealedField(meta, property), value }])),
  );
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
