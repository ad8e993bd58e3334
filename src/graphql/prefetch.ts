/**
 * One statement for every relation below a query's root field.
 *
 * Without this, each level of a nested selection (`trajectories { student school { windstreek }
 * events { … } }`) costs its own batched statements through the request's loaders, and every row
 * is hydrated by TypeORM. When a root field of a query has returned its rows, `prefetch` walks the
 * selection (fragments, aliases and `@skip`/`@include` as graphql-js collects them) and, for the
 * relation fields declared in ./relations.ts, builds ONE statement that returns, per root row, a
 * JSON tree of the related rows at every level:
 *
 * - a `belongsTo` field is the target row by its foreign key AND the caller's read condition on
 *   the target (`accessibleWhere`, the same translation the loaders use), so a row the caller may
 *   not see is `null`, as from `loaders.byId`;
 * - a `hasMany` field is one page of the permitted children in keyset order (`first`, `after`),
 *   one row more to tell `hasNextPage`, and, only when `totalCount` is selected, their count, as
 *   from `loaders.children` and `loaders.childCount`.
 *
 * The rows come back as real entity instances (every column and virtual column, mapped as
 * TypeORM maps them: ./row-mapping.ts), so the field guard, the field permissions and the
 * access recorder see exactly what the loaders would have given them: this changes where rows
 * come from, not what any rule decides. For the compiled read path, which reads nothing of a row
 * but its selected plain properties, they are partial rows instead: the selected properties, the
 * foreign keys and keysets the plan needs, every property the caller's rules test and what the
 * access recorder reads (`neededProperties`); reading any other column of them throws, so no
 * rule can decide on a value that was not loaded. The values are filed (./prefetch-store.ts) and the field
 * guard of a relation field answers from them (./schema.ts), or the compiled execution
 * (./compiled-execution.ts) does, after the same permission check as ever. The plan is made from
 * the selection alone (`planPrefetch`), so the compiled execution can check it before the root
 * field runs and load it afterwards (`loadPrefetch`); the field guard's path does both at once
 * (`prefetch`); a relation that is not prefetched (arguments that validation will refuse, a relation the
 * caller's rules never grant, a field that is not a declared relation) resolves through the
 * loaders as before.
 */
import {
  FieldNode, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, getNamedType, isObjectType,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { RECORDED_PROPERTIES } from '../audit/access-recorder';
import { accessibleWhere } from '../authz/accessible';
import { propertiesTestedByRules } from '../authz/field-access';
import type { AppAbility } from '../authz/ability';
import { isSubjectType } from '../authz/subjects';
import type { Context } from './context';
import { Connection, DEFAULT_PAGE_SIZE, Keyset, MAX_PAGE_SIZE, PageReading, decodeCursor, toConnection } from './pagination';
import { fileRelation, pathKey } from './prefetch-store';
import { plainProperty } from './plain-fields';
import { RelationSpec, relationOf } from './relations';
import { RowColumns, columnSql, jsonObject, rowColumns, rowColumnsSql, toEntity } from './row-mapping';

type Row = { id: string } & Record<string, unknown>;

/** One relation field to load under a parent, as planned from the selection. */
interface PlannedRelation {
  /** The response key (alias or name). */
  key: string;
  spec: RelationSpec;
  meta: EntityMetadata;
  /** belongsTo: the parent's foreign-key column. */
  parentColumn?: ColumnMetadata;
  /** hasMany: page size and cursor; whether `totalCount` is selected. */
  limit: number;
  after?: string;
  counted: boolean;
  /** The paths (without list indices) under which the related rows' own fields resolve. */
  rowPaths: string[];
  children: PlannedRelation[];
  /** Partial rows (a compiled read): the columns to load; undefined: whole rows. */
  columns?: RowColumns;
}

/** Builds the statement: named parameters, fresh aliases. */
class Statement {
  readonly params: Record<string, unknown> = {};
  private aliases = 0;

  constructor(
    private readonly ability: AppAbility,
    private readonly dataSource: DataSource,
  ) {}

  alias(): string {
    return `pf${this.aliases++}`;
  }

  param(value: unknown): string {
    const name = `pf_v${Object.keys(this.params).length}`;
    this.params[name] = value;
    return `:${Array.isArray(value) ? '...' : ''}${name}`;
  }

  /** The caller's read condition on `meta` over `alias`, or null when no rule grants a row. */
  readable(meta: EntityMetadata, alias: string): string | null {
    const where = accessibleWhere(this.ability, 'read', meta.name as never, alias, this.dataSource, `${alias}_`);
    if (where === null) return null;
    Object.assign(this.params, where.params);
    return where.sql;
  }
}

function keysetColumn(meta: EntityMetadata, keyset: Keyset): ColumnMetadata {
  const column = meta.findColumnWithPropertyName(keyset.property);
  if (!column) throw new Error(`Keyset property ${keyset.property} is not a column of ${meta.name}`);
  return column;
}

/** The planned relations of the row at `alias`, as one JSON object keyed by their response keys. */
function relationsJson(st: Statement, relations: PlannedRelation[], alias: string): string {
  return jsonObject(relations.map((r) => [r.key, relationSql(st, r, alias)]));
}

/** The row at `alias` of `meta` with its planned relations: `{ c: columns, r: relations }`. */
function rowJson(st: Statement, meta: EntityMetadata, alias: string, relations: PlannedRelation[], partial?: RowColumns): string {
  const columns = rowColumnsSql(meta, alias, partial);
  const nested = relationsJson(st, relations, alias);
  return `json_build_object('c', ${columns}, 'r', ${nested})`;
}

/** The SQL of one relation of the row at `parent`. */
function relationSql(st: Statement, relation: PlannedRelation, parent: string): string {
  const { spec, meta } = relation;
  if (spec.kind === 'belongsTo') {
    const alias = st.alias();
    const where = st.readable(meta, alias);
    if (where === null) return 'NULL::json';
    const fk = columnSql(relation.parentColumn!, parent);
    return `(SELECT ${rowJson(st, meta, alias, relation.children, relation.columns)} FROM "${meta.tablePath}" "${alias}" WHERE "${alias}"."id" = ${fk} AND ${where})`;
  }
  const fk = meta.findColumnWithPropertyName(spec.foreignKey)!.databaseName;
  const inner = st.alias();
  const where = st.readable(meta, inner);
  if (where === null) return `json_build_object('rows', '[]'::json, 'count', 0)`;
  const key = keysetColumn(meta, spec.keyset).databaseName;
  const order = (a: string) => `"${a}"."${key}" ${spec.keyset.direction}, "${a}"."id" ${spec.keyset.direction}`;
  let after = '';
  if (relation.after) {
    const [value, id] = decodeCursor(relation.after, spec.keyset);
    after = ` AND ("${inner}"."${key}", "${inner}"."id") ${spec.keyset.direction === 'ASC' ? '>' : '<'} (${st.param(value)}, ${st.param(id)})`;
  }
  const page = st.alias();
  const rows = `(SELECT coalesce(json_agg(${rowJson(st, meta, page, relation.children, relation.columns)} ORDER BY ${order(page)}), '[]'::json)
    FROM (SELECT * FROM "${meta.tablePath}" "${inner}" WHERE "${inner}"."${fk}" = "${parent}"."id" AND ${where}${after} ORDER BY ${order(inner)} LIMIT ${relation.limit + 1}) "${page}")`;
  let count = 'NULL';
  if (relation.counted) {
    const counted = st.alias();
    count = `(SELECT count(*) FROM "${meta.tablePath}" "${counted}" WHERE "${counted}"."${fk}" = "${parent}"."id" AND ${st.readable(meta, counted)})`;
  }
  return `json_build_object('rows', ${rows}, 'count', ${count})`;
}

/** What the planner needs of a root field's resolve info (a compiled execution builds the same). */
export type RootFieldInfo = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues' | 'fieldNodes' | 'returnType' | 'path'>;

interface Walk {
  schema: GraphQLSchema;
  info: RootFieldInfo;
  ability: AppAbility;
  dataSource: DataSource;
  outcome: { filed: Set<string>; denied: Set<string> };
  /** Plan partial rows (a compiled read): only the columns the answer, the rules and the access log need. */
  partial: boolean;
}

/** What the plan of the rows of one type holds: their relations, and the properties they need (null: whole rows). */
interface TypePlan {
  relations: PlannedRelation[];
  properties: Set<string> | null;
}

/**
 * The properties a partial row of `subject` holds besides what the answer selects: every
 * property the caller's rules test (src/authz/field-access.ts), so a field permission decides on
 * the row's own values as with a whole row, and what the access recorder reads.
 */
function neededProperties(ability: AppAbility, subject: string): string[] {
  return [...RECORDED_PROPERTIES, ...propertiesTestedByRules(ability, subject)];
}

/** The partial rows' columns of a type's plan (undefined: whole rows). */
function columnsOf(walk: Walk, meta: EntityMetadata, properties: Set<string> | null, extra: string[]): RowColumns | undefined {
  if (!walk.partial || properties === null) return undefined;
  return rowColumns(meta, [...properties, ...extra, ...neededProperties(walk.ability, meta.name)]);
}

/**
 * The relations to prefetch under rows of `type` (entity `meta`) whose own fields resolve at
 * `paths`, from the field nodes selecting them.
 */
function plan(walk: Walk, type: GraphQLObjectType, meta: EntityMetadata, nodes: readonly FieldNode[], paths: string[], depth: number): TypePlan {
  if (depth > 8) return { relations: [], properties: null };
  const { info, outcome } = walk;
  const planned: PlannedRelation[] = [];
  // The selected fields' properties; null once a field is neither a plain property nor a relation.
  let properties: Set<string> | null = new Set();
  const fields = collectSubfields(walk.schema, info.fragments, info.variableValues, type, nodes as FieldNode[]);
  for (const [key, fieldNodes] of fields) {
    const name = fieldNodes[0].name.value;
    const spec = relationOf(type.name, name);
    const def = type.getFields()[name];
    if (!spec) {
      const property = name === '__typename' ? undefined : plainProperty(type.name, name);
      if (property !== undefined) properties?.add(property);
      else if (name !== '__typename') properties = null;
      continue;
    }
    if (!def || !isSubjectType(spec.target.name)) continue;
    // A relation the caller's rules never grant on this type resolves to null without a read.
    if (isSubjectType(type.name) && !walk.ability.can('read', type.name as never, name)) {
      for (const p of paths) outcome.denied.add(`${p}.${key}`);
      continue;
    }
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, fieldNodes[0], info.variableValues);
    } catch {
      continue;
    }
    const targetMeta = walk.dataSource.getMetadata(spec.target);
    const targetType = getNamedType(def.type);
    if (!isObjectType(targetType)) continue;
    const fieldPaths = paths.map((p) => `${p}.${key}`);
    if (spec.kind === 'belongsTo') {
      const parentColumn = meta.findColumnWithPropertyName(spec.foreignKey);
      if (!parentColumn) continue;
      properties?.add(spec.foreignKey);
      const target = plan(walk, targetType, targetMeta, fieldNodes, fieldPaths, depth + 1);
      const columns = columnsOf(walk, targetMeta, target.properties, []);
      planned.push({ key, spec, meta: targetMeta, parentColumn, limit: 0, counted: false, rowPaths: fieldPaths, children: target.relations, columns });
      for (const p of fieldPaths) outcome.filed.add(p);
      continue;
    }
    // hasMany: arguments validation would refuse are left to the resolver, which reports them.
    const first = args.first === undefined || args.first === null ? DEFAULT_PAGE_SIZE : args.first;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) continue;
    const after = typeof args.after === 'string' ? args.after : undefined;
    if (after !== undefined) {
      try {
        decodeCursor(after, spec.keyset);
      } catch {
        continue;
      }
    }
    const connection = collectSubfields(walk.schema, info.fragments, info.variableValues, targetType, fieldNodes);
    const rowPaths: string[] = [];
    const nodeNodes: FieldNode[] = [];
    let counted = false;
    let edgeType: GraphQLObjectType | undefined;
    for (const [connectionKey, connectionNodes] of connection) {
      const connectionField = connectionNodes[0].name.value;
      if (connectionField === 'totalCount') counted = true;
      if (connectionField !== 'edges') continue;
      edgeType = getNamedType(targetType.getFields().edges.type) as GraphQLObjectType;
      for (const [edgeKey, edgeNodes] of collectSubfields(walk.schema, info.fragments, info.variableValues, edgeType, connectionNodes)) {
        if (edgeNodes[0].name.value !== 'node') continue;
        nodeNodes.push(...edgeNodes);
        rowPaths.push(...fieldPaths.map((p) => `${p}.${connectionKey}.${edgeKey}`));
      }
    }
    const nodeType = edgeType && getNamedType(edgeType.getFields().node.type);
    const relation: PlannedRelation = { key, spec, meta: targetMeta, limit: first, after, counted, rowPaths, children: [] };
    let nodeProperties: Set<string> | null = new Set();
    if (nodeType && isObjectType(nodeType) && nodeNodes.length > 0) {
      const target = plan(walk, nodeType, targetMeta, nodeNodes, rowPaths, depth + 1);
      relation.children = target.relations;
      nodeProperties = target.properties;
    }
    // The keyset property makes each node's cursor.
    relation.columns = columnsOf(walk, targetMeta, nodeProperties, [spec.keyset.property]);
    planned.push(relation);
    for (const p of fieldPaths) outcome.filed.add(p);
  }
  return { relations: planned, properties };
}

interface Loaded {
  c: Record<string, unknown>;
  r: Record<string, unknown>;
}

/** Files the relations of `row` from its loaded JSON, building the related rows, recursively. */
function file(row: object, relations: PlannedRelation[], loaded: Record<string, unknown>, parentPaths: string[], countLater: Context['loaders'], parentId: string): void {
  for (const relation of relations) {
    const value = loaded[relation.key];
    const paths = parentPaths.map((p) => `${p}.${relation.key}`);
    if (relation.spec.kind === 'belongsTo') {
      let target: Row | null = null;
      if (value) {
        const child = value as Loaded;
        target = toEntity<Row>(relation.meta, child.c, relation.columns);
        file(target, relation.children, child.r, relation.rowPaths, countLater, target.id);
      }
      for (const p of paths) fileRelation(row, p, target);
      continue;
    }
    const { rows, count } = value as { rows: Loaded[]; count: number | string | null };
    const children = rows.map((child) => {
      const entity = toEntity<Row>(relation.meta, child.c, relation.columns);
      file(entity, relation.children, child.r, relation.rowPaths, countLater, entity.id);
      return entity;
    });
    const spec = relation.spec;
    const total = count === null ? () => countLater.childCount(spec.target, spec.foreignKey as never).load(parentId) : async () => Number(count);
    const connection: Connection<Row> = toConnection(children, relation.limit, spec.keyset, total);
    for (const p of paths) fileRelation(row, p, connection);
  }
}

/**
 * The relations to load below the rows of a query's root field, planned from the selection before
 * the rows exist: `connection` says whether the rows are the nodes of a connection (under
 * `edges.node`) or the field's own value (one row or a list). Null when the rows are not of one
 * subject type. Besides the statement's plan it names, by response path without list indices
 * (`trajectories.edges.node.school`), every relation field whose value the load will file and
 * every relation field the caller's rules never grant on its type (null without a read), so a
 * compiled execution (./compiled-execution.ts) knows before anything runs whether every relation
 * it meets is answered from the store. With `partial` (a compiled read, which reads nothing of a
 * row but the selected plain properties) the related rows are partial rows (./row-mapping.ts),
 * and the plan names the properties the root field's own rows need (`rowProperties`).
 */
export function planPrefetch(context: Context, info: RootFieldInfo, connection: boolean, partial = false): PrefetchPlan | null {
  const rootType = getNamedType(info.returnType);
  if (!isObjectType(rootType)) return null;
  const root = pathKey(info.path);
  // The row type and the paths its fields resolve at: under `edges.node` of a connection, or the field itself.
  let rowType: GraphQLObjectType = rootType;
  let nodes: FieldNode[] = [...info.fieldNodes];
  let paths = [root];
  if (connection) {
    const edgeType = getNamedType(rootType.getFields().edges?.type);
    if (!isObjectType(edgeType)) return null;
    const nodeType = getNamedType(edgeType.getFields().node?.type);
    if (!isObjectType(nodeType)) return null;
    const nodeNodes: FieldNode[] = [];
    const nodePaths: string[] = [];
    for (const [edgesKey, edgesNodes] of collectSubfields(info.schema, info.fragments, info.variableValues, rootType, nodes)) {
      if (edgesNodes[0].name.value !== 'edges') continue;
      for (const [nodeKey, nodeFieldNodes] of collectSubfields(info.schema, info.fragments, info.variableValues, edgeType, edgesNodes)) {
        if (nodeFieldNodes[0].name.value !== 'node') continue;
        nodeNodes.push(...nodeFieldNodes);
        nodePaths.push(`${root}.${edgesKey}.${nodeKey}`);
      }
    }
    rowType = nodeType;
    nodes = nodeNodes;
    paths = nodePaths;
  }
  if (!isSubjectType(rowType.name) || !context.dataSource.hasMetadata(rowType.name)) return null;
  const meta = context.dataSource.getMetadata(rowType.name);
  const outcome = { filed: new Set<string>(), denied: new Set<string>() };
  const walk: Walk = { schema: info.schema, info, ability: context.ability, dataSource: context.dataSource, outcome, partial };
  const { relations, properties } = nodes.length === 0 ? { relations: [], properties: new Set<string>() } : plan(walk, rowType, meta, nodes, paths, 0);
  const rowProperties = partial && properties ? [...new Set([...properties, ...neededProperties(context.ability, meta.name)])] : undefined;
  return { meta, relations, paths, filed: outcome.filed, denied: outcome.denied, rowProperties };
}

/** A root field's prefetch, planned (`planPrefetch`) and not yet loaded. */
export interface PrefetchPlan {
  /** The entity of the root field's rows. */
  meta: EntityMetadata;
  relations: PlannedRelation[];
  /** Where the rows' own fields resolve (paths without list indices). */
  paths: string[];
  /** The relation fields whose values `loadPrefetch` files for every row (paths without list indices). */
  filed: ReadonlySet<string>;
  /** The selected relation fields the caller's rules never grant on their type. */
  denied: ReadonlySet<string>;
  /** Planned `partial`: the properties the root field's rows need (undefined: whole rows). */
  rowProperties?: readonly string[];
}

/** The rows a root field answered with: a connection's nodes, a list's items, or one row. */
export function rootRows(result: unknown): Row[] {
  if (result instanceof Connection) return result.edges.map((e) => e.node as Row);
  if (Array.isArray(result)) return result.filter((r): r is Row => !!r && typeof r === 'object');
  return result && typeof result === 'object' ? [result as Row] : [];
}

/**
 * Loads, in one statement, the planned relations of `rows` and files them for the relation
 * fields. False when the rows are not rows of the plan's entity (nothing is filed then); true
 * without a statement when nothing below is a relation to prefetch.
 */
export async function loadPrefetch(context: Context, planned: PrefetchPlan, rows: Row[]): Promise<boolean> {
  const { meta, relations, paths } = planned;
  if (rows.some((r) => r.constructor !== meta.target || typeof r.id !== 'string')) return false;
  // Rows whose page statement carried their relations (`pageRelations`) are filed already.
  rows = rows.filter((r) => !FILED_WITH_PAGE.has(r));
  if (relations.length === 0 || rows.length === 0) return true;
  const st = new Statement(context.ability, context.dataSource);
  const alias = st.alias();
  const ids = [...new Set(rows.map((r) => r.id))];
  const sql = `SELECT "${alias}"."id" AS id, ${relationsJson(st, relations, alias)} AS r
    FROM "${meta.tablePath}" "${alias}" WHERE "${alias}"."id" IN (${st.param(ids)})`;
  const [query, parameters] = context.dataSource.driver.escapeQueryWithParameters(sql, st.params);
  const loaded: Array<{ id: string; r: Record<string, unknown> }> = await context.dataSource.query(query, parameters);
  const byId = new Map(loaded.map((l) => [l.id, l.r]));
  for (const row of rows) {
    const tree = byId.get(row.id);
    if (tree) file(row, relations, tree, paths, context.loaders, row.id);
  }
  return true;
}

/** Rows whose relations came with them, in their page's statement. */
const FILED_WITH_PAGE = new WeakSet<object>();

/**
 * The plan's relations for the statement of the root field's page to carry (./pagination.ts
 * `PageReading`): the same JSON per row as `loadPrefetch` selects, over the page's alias, filed
 * for each row once the rows are in; `loadPrefetch` then has nothing left to load for them.
 */
export function pageRelations(context: Context, planned: PrefetchPlan): NonNullable<PageReading['relations']> {
  return {
    sql(alias) {
      if (planned.relations.length === 0) return null;
      const st = new Statement(context.ability, context.dataSource);
      return { sql: relationsJson(st, planned.relations, alias), params: st.params };
    },
    loaded(rows, json) {
      rows.forEach((row, i) => {
        const tree = json[i] as Record<string, unknown> | null | undefined;
        if (!tree || row.constructor !== planned.meta.target) return;
        file(row, planned.relations, tree, planned.paths, context.loaders, row.id);
        FILED_WITH_PAGE.add(row);
      });
    },
  };
}

/**
 * Loads, in one statement, every declared relation selected below the rows a query's root field
 * returned, and files it for the relation resolvers. Returns without a statement when nothing
 * below is a relation to prefetch.
 */
export async function prefetch(context: Context, info: GraphQLResolveInfo, result: unknown): Promise<void> {
  const rows = rootRows(result);
  if (rows.length === 0) return;
  const planned = planPrefetch(context, info, result instanceof Connection);
  if (planned) await loadPrefetch(context, planned, rows);
}

/**
 * Rows of `entity` by id through this module's row mapping, with no permission condition: what
 * test/graphql/prefetch.test.ts compares with TypeORM's own hydration for every entity.
 */
export async function mappedRows(dataSource: DataSource, entity: Function, ids: string[]): Promise<Row[]> {
  const meta = dataSource.getMetadata(entity);
  const st = new Statement(undefined as never, dataSource);
  const alias = st.alias();
  const sql = `SELECT ${rowJson(st, meta, alias, [])} AS row FROM "${meta.tablePath}" "${alias}" WHERE "${alias}"."id" IN (${st.param(ids)})`;
  const [query, parameters] = dataSource.driver.escapeQueryWithParameters(sql, st.params);
  const rows: Array<{ row: Loaded }> = await dataSource.query(query, parameters);
  return rows.map((r) => toEntity<Row>(meta, r.row.c));
}
