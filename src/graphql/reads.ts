/**
 * The read paths every module uses: a permission-filtered page, a single permitted row,
 * and id parsing. A row the caller may not see and a row that does not exist give the
 * same answer (null, or NOT_FOUND from `requireVisible`).
 */
import { getNamedType, GraphQLField, isInputObjectType } from 'graphql';
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
  return paginate(qb, alias, args, keyset, ctx.compiledRead ? ctx.loaders.readingOf(entity) : undefined);
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

/** What a filter input's field reveals: fields of a subject, or nothing (and why). */
type Revealed = { subject: string; fields: readonly string[] } | { nothing: string };

/** Filter input classes → their fields → what each reveals (filled by `@Reveals`, `@RevealsNothing`). */
const REVEALED = new Map<Function, Map<string, Revealed>>();

function declare(target: object, property: string | symbol, revealed: Revealed): void {
  const cls = target.constructor;
  if (!REVEALED.has(cls)) REVEALED.set(cls, new Map());
  REVEALED.get(cls)!.set(String(property), revealed);
}

/**
 * On a field of a filter input: filtering on it reveals these fields of `subject` (a caller who
 * may not read one of them may not filter on it: FORBIDDEN, AVG rule 1). Checked for every
 * operation argument, before the resolver runs (`assertFiltersReadable`): no service calls it.
 */
export function Reveals(subject: string, ...fields: [string, ...string[]]): PropertyDecorator {
  return (target, property) => declare(target, property, { subject, fields });
}

/** On a field of a filter input that reveals no field of any row, and why. */
export function RevealsNothing(why: string): PropertyDecorator {
  return (target, property) => declare(target, property, { nothing: why });
}

/** The declarations of a filter input class, for the schema walk (test/graphql/filter-declarations.test.ts). */
export function revealedBy(cls: Function): ReadonlyMap<string, Revealed> | undefined {
  return REVEALED.get(cls);
}

/** The declarations by GraphQL input type name (the class name: filter inputs are not renamed). */
function declaredFor(typeName: string): ReadonlyMap<string, Revealed> | undefined {
  for (const [cls, declared] of REVEALED) if (cls.name === typeName) return declared;
  return undefined;
}

/**
 * Refuses (FORBIDDEN, naming the argument) a given filter field that reveals a field the caller
 * may not read, for every argument of the operation `field` whose type is a declared filter
 * input. Run for every root field (src/graphql/policy.ts), so no list reader has to remember it.
 */
export function assertFiltersReadable(ability: AppAbility, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): void {
  for (const arg of field.args) {
    const value = args[arg.name];
    if (!value || typeof value !== 'object') continue;
    const type = getNamedType(arg.type);
    const declared = isInputObjectType(type) ? declaredFor(type.name) : undefined;
    if (!declared) continue;
    for (const [property, revealed] of declared) {
      if (!('subject' in revealed)) continue;
      assertFilterable(ability, revealed.subject, { [`${arg.name}.${property}`]: { field: revealed.fields, value: (value as Record<string, unknown>)[property] } });
    }
  }
}

/**
 * Narrows `qb` to rows whose columns equal the given values (keys are entity property names);
 * `undefined` and `null` mean "no condition". Whether the caller may filter on them at all was
 * checked before the resolver ran, from the filter input's `@Reveals` declarations.
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

/**
 * The one named way for a feature to reach the database other than through the rules' read
 * paths above (`listPage`, `findVisible`, `requireVisible`, the loaders, `accessibleQuery`):
 * raw SQL, a repository, a query builder, a transaction for a write that was checked before it.
 * `why` says what stands in for the rules at that spot (the check before a write, ids taken
 * from permitted rows, a fact the caller needs without reading the rows). Row-level security
 * still binds it to the caller's partnership (src/db/tenancy.ts). Every call site is listed,
 * with its reason, in test/architecture/bypasses.test.ts: a new one fails that test until it
 * is added there, where a reviewer sees it.
 */
export function unscoped(ctx: { dataSource: DataSource }, why: string): DataSource {
  void why;
  return ctx.dataSource;
}
