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

/** Every column and virtual column of the row at `alias`, as one JSON object keyed by property name. */
export function rowColumnsSql(meta: EntityMetadata, alias: string): string {
  return jsonObject(meta.columns.map((c) => [c.propertyName, columnSql(c, alias)]));
}

/** A row's values (keyed by property name) on a new entity instance, as TypeORM's hydration sets them. */
export function toEntity<T>(meta: EntityMetadata, values: Record<string, unknown>): T {
  const entity = meta.create() as T;
  for (const column of meta.columns) {
    let value = values[column.propertyName];
    if (value === undefined) value = null;
    else if (value !== null && INSTANTS.has(String(column.type))) value = new Date(value as string);
    column.setEntityValue(entity as ObjectLiteral, value);
  }
  return entity;
}

/**
 * The entities `qb` selects (its conditions, order and limit; no joins), read as JSON rows and
 * mapped by `toEntity` instead of TypeORM's hydration.
 */
export async function getEntities<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T[]> {
  const main = qb.expressionMap.mainAlias!;
  const rows: Array<{ row: Record<string, unknown> }> = await qb.select(rowColumnsSql(main.metadata, main.name), 'row').getRawMany();
  return rows.map((r) => toEntity<T>(main.metadata, r.row));
}
