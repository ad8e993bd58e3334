/**
 * Relay connections with keyset pagination. Every list of the API is a connection built
 * here: `first` (1–100, default 20), an opaque `after` cursor, `pageInfo`, and a
 * `totalCount` that is only counted when asked for. Rows are ordered by a keyset
 * `(column, id)` with an index behind it; the cursor carries that pair.
 */
import { Max, Min } from 'class-validator';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../domain/ids';
import { badInput } from './errors';
import { RowColumns, getEntities, getEntitiesWith, rowColumns } from './row-mapping';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (pageInfo.endCursor of the previous page).' })
  after?: string;
}

@ObjectType({ description: 'Where a page stands in its list (paginering).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page; pass it as `after` for the next.' })
  endCursor: string | null;
}

/** One item of a connection with its cursor. */
export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of a list; `totalCount` is a getter so the count runs only when selected. */
export class Connection<T> {
  constructor(
    readonly edges: Edge<T>[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  get totalCount(): Promise<number> {
    return this.count();
  }

  static empty<T>(): Connection<T> {
    return new Connection<T>([], { hasNextPage: false, endCursor: null }, async () => 0);
  }
}

const connectionTypes = new Map<Function, ClassType>();

/** The GraphQL `XConnection` and `XEdge` types of node type `node` (created once). */
export function connectionType<T extends object>(node: ClassType<T>, description: string): ClassType<Connection<T>> {
  const existing = connectionTypes.get(node);
  if (existing) return existing as ClassType<Connection<T>>;

  @ObjectType(`${node.name}Edge`, { description: `An item of a list of ${description}, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: 'Opaque cursor of this item.' })
    cursor: string;

    @Field(() => node, { description: `The item (${description}).` })
    node: T;
  }

  @ObjectType(`${node.name}Connection`, { description: `A page of ${description}.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Paging information.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list holds that you may see.' })
    totalCount: number;
  }

  connectionTypes.set(node, ConnectionType);
  return ConnectionType as unknown as ClassType<Connection<T>>;
}

/** The keyset a list is ordered by: a column (property name) and the id as tie-breaker. */
export interface Keyset {
  property: string;
  /** What the column holds, so a cursor can be checked before it reaches SQL. */
  kind: 'timestamp' | 'date' | 'text' | 'sequence';
  direction: 'ASC' | 'DESC';
}

export const NEWEST_FIRST: Keyset = { property: 'createdAt', kind: 'timestamp', direction: 'DESC' };
export const OLDEST_FIRST: Keyset = { property: 'createdAt', kind: 'timestamp', direction: 'ASC' };
export const BY_NAME: Keyset = { property: 'name', kind: 'text', direction: 'ASC' };
export const IN_SEQUENCE: Keyset = { property: 'sequence', kind: 'sequence', direction: 'ASC' };
export const BY_DUE_DATE: Keyset = { property: 'dueOn', kind: 'date', direction: 'ASC' };

type CursorValue = string;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * Whether an ISO instant names a real moment as written: `Date.parse` rolls impossible dates
 * over (2024-02-30 becomes 1 March), so the value must survive a round trip unchanged.
 */
function isRealInstant(value: string): boolean {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const normalized = new Date(time).toISOString();
  // Our cursors carry milliseconds (toISOString); accept fewer or more fractional digits of the same instant.
  return normalized.slice(0, 19) === value.slice(0, 19);
}

function encodeCursor(value: unknown, id: string): string {
  const v = value instanceof Date ? value.toISOString() : String(value);
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}

/**
 * Decodes an `after` cursor of a list ordered by `keyset`. Cursors are opaque to clients
 * but not trusted: a cursor that is not ours (or of another list) is bad input, checked
 * here so that no malformed value reaches SQL.
 */
export function decodeCursor(cursor: string, keyset: Keyset): [CursorValue, string] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [value, id] = decoded as unknown[];
    const valueFits =
      typeof value === 'string' &&
      (keyset.kind === 'text'
        ? value.length <= 1000
        : keyset.kind === 'sequence'
          ? /^\d{1,18}$/.test(value)
          : keyset.kind === 'date'
            ? /^\d{4}-\d{2}-\d{2}$/.test(value) && isRealInstant(`${value}T00:00:00.000Z`)
          : ISO_INSTANT.test(value) && isRealInstant(value));
    if (valueFits && isUuid(id)) return [value, id];
  }
  throw badInput('after', 'after: not a cursor of this list.');
}

/** Page size from the arguments (validation already bounded it). */
export function pageSize(args: ConnectionArgs): number {
  return args.first ?? DEFAULT_PAGE_SIZE;
}

/** Column reference of a keyset property on `alias`. */
function keysetColumn<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, keyset: Keyset): string {
  const column = qb.expressionMap.mainAlias!.metadata.findColumnWithPropertyName(keyset.property);
  if (!column) throw new Error(`Keyset property ${keyset.property} is not a column`);
  return `"${alias}"."${column.databaseName}"`;
}

/** Adds the keyset condition for `after` and the keyset order to `qb`. */
export function applyKeyset<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, keyset: Keyset, after: string | undefined): SelectQueryBuilder<T> {
  const column = keysetColumn(qb, alias, keyset);
  if (after) {
    const [value, id] = decodeCursor(after, keyset);
    const op = keyset.direction === 'ASC' ? '>' : '<';
    qb.andWhere(`(${column}, "${alias}"."id") ${op} (:keysetValue, :keysetId)`, { keysetValue: value, keysetId: id });
  }
  return qb.orderBy(column, keyset.direction).addOrderBy(`"${alias}"."id"`, keyset.direction);
}

/** The SQL `ORDER BY` of a keyset on `alias`, for window functions. */
export function keysetOrderSql<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, keyset: Keyset): string {
  return `${keysetColumn(qb, alias, keyset)} ${keyset.direction}, "${alias}"."id" ${keyset.direction}`;
}

/** An edge of a keyset page: its cursor is encoded when read (an answer that selects no cursor encodes none). */
class KeysetEdge<T extends { id: string }> implements Edge<T> {
  constructor(readonly node: T, private readonly keyset: Keyset) {}

  get cursor(): string {
    return encodeCursor((this.node as Record<string, unknown>)[this.keyset.property], this.node.id);
  }
}

/** Builds a connection from `limit + 1` fetched rows. */
export function toConnection<T extends { id: string }>(rows: T[], limit: number, keyset: Keyset, count: () => Promise<number>): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => new KeysetEdge(node, keyset));
  return new Connection(edges, { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null }, count);
}

/**
 * How a compiled read (./compiled-execution.ts) wants a page read, all in its one statement:
 * partial rows holding `properties` and the keyset's (./row-mapping.ts), the count when the
 * answer shows it, and more JSON per row (the relations below the rows, ./prefetch.ts), handed
 * to `loaded` with the rows.
 */
export interface PageReading {
  properties?: readonly string[];
  counted: boolean;
  relations?: {
    /** The JSON of the row at `alias`, with its named parameters. */
    sql(alias: string): { sql: string; params: Record<string, unknown> } | null;
    loaded(rows: Array<{ id: string }>, json: unknown[]): void;
  };
}

/**
 * One page of `qb` (already permission-filtered, or `null` for "nothing allowed").
 * Costs one statement for the page and, only if `totalCount` is selected, one for the count;
 * a compiled read (`reading`) has the count and the relations below the rows in the page's statement.
 */
export async function paginate<T extends { id: string }>(
  qb: SelectQueryBuilder<T> | null,
  alias: string,
  args: ConnectionArgs,
  keyset: Keyset,
  reading?: PageReading,
): Promise<Connection<T>> {
  if (qb === null) return Connection.empty<T>();
  const limit = pageSize(args);
  const countQb = qb.clone();
  let counted: Promise<number> | undefined;
  const partial = reading?.properties && rowColumns(qb.expressionMap.mainAlias!.metadata, [...reading.properties, keyset.property]);
  if (!reading || (!reading.counted && !reading.relations)) {
    const rows = await getEntities(applyKeyset(qb, alias, keyset, args.after).limit(limit + 1), partial);
    return toConnection(rows, limit, keyset, () => (counted ??= countQb.getCount()));
  }
  const page = applyKeyset(qb, alias, keyset, args.after).limit(limit + 1);
  // The same conditions and parameters, unordered: one count of the whole list (an InitPlan).
  const total = reading.counted ? `(SELECT count(*) FROM (${countQb.clone().select('1').getQuery()}) "counted")` : undefined;
  const raw = await readRaw(page, alias, reading, partial, total);
  const rows = raw.map((r) => r.entity);
  // No row, no count in the statement: the list may hold rows before the cursor.
  const count = reading.counted && raw.length > 0 ? async () => Number(raw[0].extra.total) : () => (counted ??= countQb.getCount());
  return toConnection(rows, limit, keyset, count);
}

/** The rows of `qb` as `reading` wants them (its columns, the relations below them filed), with the extra JSON `total` asks for. */
async function readRaw<T extends { id: string }>(qb: SelectQueryBuilder<T>, alias: string, reading: PageReading, partial: RowColumns | undefined, total?: string) {
  const extra: Record<string, string> = {};
  if (total) extra.total = total;
  const relations = reading.relations?.sql(alias);
  if (relations) {
    extra.relations = relations.sql;
    qb.setParameters({ ...qb.getParameters(), ...relations.params });
  }
  const raw = await getEntitiesWith(qb, partial, extra);
  if (relations) reading.relations!.loaded(raw.map((r) => r.entity), raw.map((r) => r.extra.relations));
  return raw;
}

/** Rows of `qb` (by id: no page, no count) as a compiled read wants them (`PageReading`): its columns, and the relations below them in the same statement. */
export async function readRows<T extends { id: string }>(qb: SelectQueryBuilder<T>, alias: string, reading: PageReading): Promise<T[]> {
  const partial = reading.properties && rowColumns(qb.expressionMap.mainAlias!.metadata, [...reading.properties]);
  return (await readRaw(qb, alias, reading, partial)).map((r) => r.entity);
}
