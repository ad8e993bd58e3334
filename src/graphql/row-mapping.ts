/**
 * Reading rows without TypeORM's hydration. PostgreSQL builds each row as one JSON object keyed by
 * property name (every column and virtual column of the entity), and it is mapped onto a new
 * entity instance the way TypeORM's hydration maps it: instants become `Date`s, big numbers stay
 * text, dates stay `YYYY-MM-DD`. The result is the same instance `getMany()` gives
 * (test/graphql/prefetch.test.ts compares both for every entity), at a fraction of the work: the
 * field guard, the field permissions and the access recorder cannot tell them apart.
 *
 * The page and loader reads (./pagination.ts, ./loaders.ts) use `getEntities`, and the prefetch of
 * a query's relations (./prefetch.ts) builds its trees from `rowColumnsSql` and `toEntity`.
 *
 * A read of the compiled path (./compiled-execution.ts) loads partial rows: only the columns
 * its answer, the caller's rules and the access recorder need (`RowColumns`, chosen in
 * ./prefetch.ts). Such a row is an instance of the entity like any other, except that reading a
 * column it did not load throws `UnloadedColumn` instead of giving a value: a rule or a resolver
 * that needs more than was chosen can never decide on a missing value, and the compiled read
 * answers the query through graphql-js with whole rows instead.
 */
import type { EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

const INSTANTS = new Set(['timestamptz', 'timestamp', 'timestamp with time zone']);
const TEXT_NUMBERS = new Set(['bigint', 'int8', 'numeric', 'decimal']);

/** A column's value in SQL, as TypeORM would read it: big numbers as text (TypeORM gives strings). */
export function columnSql(column: ColumnMetadata, alias: string): string {
  if (column.isVirtualProperty && column.query) return `(${column.query(`"${alias}"`)})`;
  const ref = `"${alias}"."${column.databaseName}"`;
  return TEXT_NUMBERS.has(String(column.type)) ? `${ref}::text` : ref;
}

/**
 * `json_build_object(k, v, …)`: json, not jsonb, since the object is only built to be sent (no
 * conversion into the binary form). A call takes at most 100 arguments; a wider object is built
 * as jsonb in chunks and concatenated.
 */
export function jsonObject(pairs: Array<[string, string]>): string {
  const args = (chunk: Array<[string, string]>) => chunk.map(([k, v]) => `'${k}', ${v}`).join(', ');
  if (pairs.length <= 50) return `json_build_object(${args(pairs)})`;
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) chunks.push(`jsonb_build_object(${args(pairs.slice(i, i + 50))})`);
  return `(${chunks.join(' || ')})::json`;
}

/** Thrown by a partial row when a column it did not load is read. */
export class UnloadedColumn extends Error {
  constructor(readonly entity: string, readonly property: string) {
    super(`${entity}.${property} was not loaded with this row.`);
  }
}

/**
 * Some of an entity's columns, for partial rows: `prototype` is the entity's prototype extended
 * by a throwing getter for every column not among them (an assignment defines the property on
 * the row, as on any instance).
 */
export interface RowColumns {
  columns: readonly ColumnMetadata[];
  prototype: object;
}

const PARTIAL = new WeakMap<EntityMetadata, Map<string, RowColumns>>();

/**
 * The columns of `meta` with these property names (other names are ignored; `id` is always
 * among them), or undefined when that is every column: whole rows then. Built once per set.
 */
export function rowColumns(meta: EntityMetadata, properties: Iterable<string>): RowColumns | undefined {
  const wanted = new Set(properties);
  wanted.add('id');
  const columns = meta.columns.filter((c) => wanted.has(c.propertyName));
  if (columns.length === meta.columns.length) return undefined;
  const key = columns.map((c) => c.propertyName).join(',');
  let byKey = PARTIAL.get(meta);
  if (!byKey) PARTIAL.set(meta, (byKey = new Map()));
  let known = byKey.get(key);
  if (!known) {
    const prototype = Object.create((meta.target as Function).prototype) as object;
    for (const column of meta.columns) {
      if (columns.includes(column)) continue;
      const property = column.propertyName;
      Object.defineProperty(prototype, property, {
        configurable: true,
        get() {
          throw new UnloadedColumn(meta.name, property);
        },
        set(value: unknown) {
          Object.defineProperty(this, property, { value, writable: true, enumerable: true, configurable: true });
        },
      });
    }
    byKey.set(key, (known = { columns, prototype }));
  }
  return known;
}

/** The columns (every column and virtual column, or those of `partial`) of the row at `alias`, as one JSON object keyed by property name. */
export function rowColumnsSql(meta: EntityMetadata, alias: string, partial?: RowColumns): string {
  return jsonObject((partial?.columns ?? meta.columns).map((c) => [c.propertyName, columnSql(c, alias)]));
}

/** A row's values (keyed by property name) on a new entity instance, as TypeORM's hydration sets them; a partial row with `partial`. */
export function toEntity<T>(meta: EntityMetadata, values: Record<string, unknown>, partial?: RowColumns): T {
  const entity = (partial ? Object.create(partial.prototype) : meta.create()) as T;
  for (const column of partial?.columns ?? meta.columns) {
    let value = values[column.propertyName];
    if (value === undefined) value = null;
    else if (value !== null && INSTANTS.has(String(column.type))) value = new Date(value as string);
    column.setEntityValue(entity as ObjectLiteral, value);
  }
  return entity;
}

/**
 * The entities `qb` selects (its conditions, order and limit; no joins), read as JSON rows and
 * mapped by `toEntity` instead of TypeORM's hydration; partial rows with `partial`.
 */
export async function getEntities<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, partial?: RowColumns): Promise<T[]> {
  return (await getEntitiesWith(qb, partial, {})).map((r) => r.entity);
}

/**
 * As `getEntities`, with more values per row in the same statement (`extra`: SQL by name), each
 * row's given with its entity.
 */
export async function getEntitiesWith<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  partial: RowColumns | undefined,
  extra: Record<string, string>,
): Promise<Array<{ entity: T; extra: Record<string, unknown> }>> {
  const main = qb.expressionMap.mainAlias!;
  qb.select(rowColumnsSql(main.metadata, main.name, partial), 'row');
  for (const [name, sql] of Object.entries(extra)) qb.addSelect(sql, name);
  const rows: Array<{ row: Record<string, unknown> } & Record<string, unknown>> = await qb.getRawMany();
  return rows.map(({ row, ...values }) => ({ entity: toEntity<T>(main.metadata, row, partial), extra: values }));
}
