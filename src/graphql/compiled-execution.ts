/**
 * A second executor for queries: the compiled read path.
 *
 * graphql-js resolves an answer field by field: for each field of each object it builds a
 * resolve info, calls the field's resolver (our field guard, ./schema.ts), and completes the
 * value through a chain of checks and, wherever a value is a promise, more promises. A nested list
 * of 50 rows is about a thousand such resolutions, and they, not SQL, are most of what a read
 * costs the API. Yet almost every query of the API asks for plain properties of entity rows, for
 * relations the one-statement prefetch (./prefetch.ts) loads, and for paging: nothing a resolver
 * of its own has to decide. This executor answers such a query by walking the selection once,
 * before anything runs, into a plan of what each object's fields are, and then completing the
 * rows against that plan in one synchronous pass.
 *
 * The rules stay where they are; this only calls them from another loop:
 * - each root field runs through its real guarded resolver (`field.resolve` of the built schema:
 *   deadline, operation policy, filter checks, ./schema.ts), with graphql-js's own resolve info;
 *   with `context.compiledRead` set, the guard leaves the relations to this executor, which loads
 *   them with the same planner and statement (`planPrefetch`, `loadPrefetch`);
 * - it reads partial rows (src/graphql/row-mapping.ts): only the columns its answer, the caller's
 *   rules and the access recorder need; reading any other column throws, and graphql-js answers
 *   with whole rows instead. Where one root field reads an entity, its page's own statement also
 *   carries the count and the relations below the rows (`pageReadings`, ./pagination.ts), and a
 *   row read by id carries the relations below it in its own (the loaders' `readWith`);
 * - every field of an object is granted or nulled by `mayReadField` (src/authz/field-access.ts)
 *   and, when granted, recorded by `context.access` (src/audit/access-recorder.ts; the fields
 *   granted at once together, `seeFields`), exactly as the field guard records them one by one;
 *   a permission SQL must decide is a promise, collected and awaited after the synchronous pass
 *   (the same per-request batch), so the common field creates no promise;
 * - a plain field's value is the property type-graphql's own resolver reads (`plainProperty`), a
 *   relation's the value the prefetch filed (./prefetch-store.ts), a leaf goes through its type's
 *   `serialize` as in graphql-js; `totalCount` is awaited like a permission.
 *
 * It runs a query only when the whole operation is compilable: every selected field (after
 * fragments and `@skip`/`@include`, collected by graphql-js's own functions) is `__typename`, a
 * root field of Query whose rows are entities (a connection, a list or one row), a plain
 * property, a field resolver of the row and the context alone (`simpleResolver`, called as
 * type-graphql calls it), or a relation the prefetch plans or the caller's rules never grant.
 * Anything else (a `@FieldResolver` with arguments or one declared to return a promise, an
 * abstract type, arguments the planner leaves to the resolver, a mutation, a document with
 * errors) runs through graphql-js `execute`, decided
 * before anything ran. Where the compiled answer would differ from graphql-js's (a null in a
 * non-null field, a value that does not serialize, a relation that was not filed, a failing
 * permission or count statement), it is abandoned before it leaves: the access recorder and the
 * loaders are reset and graphql-js answers the query again in the same transaction (reads only).
 * An error of a root field (its policy, its arguments, NOT_FOUND, its prefetch) is reported as
 * graphql-js reports it, located at the field (a non-null one nulls the whole answer). Never
 * after a failed statement: the transaction serves nothing more then, so a statement that fails
 * while the rows are completed (a count, a permission SQL decides) ends the answer with its
 * error, located at its root field, instead of graphql-js's field path.
 *
 * Apollo Server runs it through its gateway seam (`compiledGateway`): Apollo calls the gateway's
 * executor in place of graphql-js, after its `executionDidStart` hooks and before `executionDidEnd`,
 * so the request's unit of work (./unit-of-work.ts: transaction, access log before commit,
 * deadline, rollback) is untouched. `READ_COMPILED=false` sends every operation to graphql-js.
 */
import {
  ExecutionArgs, ExecutionResult, FieldNode, GraphQLError, GraphQLLeafType, GraphQLObjectType, GraphQLOutputType,
  GraphQLResolveInfo, GraphQLSchema, execute, getNamedType, isLeafType, isListType, isNonNullType, isObjectType, locatedError,
} from 'graphql';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { QueryFailedError } from 'typeorm';
import { ExecutionContext, buildExecutionContext, buildResolveInfo } from 'graphql/execution/execute';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';
import { addPath, pathToArray } from 'graphql/jsutils/Path';
import { AccessRecorder } from '../audit/access-recorder';
import { mayReadField } from '../authz/field-access';
import { isSubjectType } from '../authz/subjects';
import type { Context } from './context';
import { RequestObservation, observation } from './observation';
import { SimpleResolver, plainProperty, simpleResolver } from './plain-fields';
import { Connection, PageReading } from './pagination';
import { PrefetchPlan, loadPrefetch, pageRelations, planPrefetch, rootRows } from './prefetch';
import { prefetchedAt } from './prefetch-store';
import { relationOf } from './relations';
import { UnloadedColumn } from './row-mapping';

/** How a value is completed: a leaf, a list of values, or an object; `nonNull` as its type says. */
interface ValueShape {
  nonNull: boolean;
  list?: ValueShape;
  leaf?: GraphQLLeafType;
  object?: ObjectShape;
}

/** A selected field of an object type and where its value comes from. */
interface FieldShape {
  /** The response key (alias or name). */
  key: string;
  name: string;
  source: 'typename' | 'property' | 'resolver' | 'relation' | 'denied';
  /** `property`: the property type-graphql's resolver reads. */
  property: string;
  /** `resolver`: the field resolver of the row and the context alone (./plain-fields.ts). */
  resolve?: SimpleResolver;
  /** `relation`: the response path without list indices, under which the prefetch filed it. */
  path: string;
  value: ValueShape;
}

interface ObjectShape {
  type: GraphQLObjectType;
  fields: FieldShape[];
}

/** A root field of the operation, compiled. */
interface RootShape {
  key: string;
  fieldNodes: readonly FieldNode[];
  /** Undefined for `__typename`. */
  field?: {
    def: ReturnType<GraphQLObjectType['getFields']>[string];
    info: GraphQLResolveInfo;
    connection: boolean;
    plan: PrefetchPlan;
    value: ValueShape;
  };
}

/** Thrown where the compiled answer would not be graphql-js's: graphql-js answers instead. */
class Abandon extends Error {}

/**
 * A statement that failed while the rows were completed (a count, a permission SQL decides), with
 * the root field it belonged to: the transaction cannot serve graphql-js any more, so the answer
 * is that error, at its root field.
 */
class Failed extends Error {
  constructor(readonly error: unknown, readonly root: RootShape | undefined) {
    super('A statement failed while the answer was completed.');
  }
}

/** The shapes of an operation's selection, or null as soon as one field is not compilable. */
class Compiler {
  constructor(private readonly exe: ExecutionContext) {}

  value(type: GraphQLOutputType, nodes: readonly FieldNode[], path: string, plan: PrefetchPlan): ValueShape | null {
    if (isNonNullType(type)) {
      const inner = this.value(type.ofType, nodes, path, plan);
      return inner && { ...inner, nonNull: true };
    }
    if (isListType(type)) {
      const item = this.value(type.ofType, nodes, path, plan);
      return item && { nonNull: false, list: item };
    }
    if (isLeafType(type)) return { nonNull: false, leaf: type };
    if (isObjectType(type)) {
      const object = this.object(type, nodes, path, plan);
      return object && { nonNull: false, object };
    }
    return null;
  }

  object(type: GraphQLObjectType, nodes: readonly FieldNode[], path: string, plan: PrefetchPlan): ObjectShape | null {
    if (type.isTypeOf) return null;
    const { schema, fragments, variableValues } = this.exe;
    const fields: FieldShape[] = [];
    for (const [key, fieldNodes] of collectSubfields(schema, fragments, variableValues, type, nodes)) {
      const name = fieldNodes[0].name.value;
      const fieldPath = `${path}.${key}`;
      if (name === '__typename') {
        fields.push({ key, name, source: 'typename', property: '', path: fieldPath, value: { nonNull: true } });
        continue;
      }
      const def = type.getFields()[name];
      if (!def) return null;
      if (relationOf(type.name, name)) {
        if (plan.denied.has(fieldPath)) {
          fields.push({ key, name, source: 'denied', property: '', path: fieldPath, value: { nonNull: isNonNullType(def.type) } });
          continue;
        }
        if (!plan.filed.has(fieldPath)) return null;
        const value = this.value(def.type, fieldNodes, fieldPath, plan);
        if (!value) return null;
        fields.push({ key, name, source: 'relation', property: '', path: fieldPath, value });
        continue;
      }
      if (def.args.length > 0) return null;
      const property = plainProperty(type.name, name);
      const resolve = property === undefined ? simpleResolver(type.name, name) : undefined;
      if (property === undefined && !resolve) return null;
      const value = this.value(def.type, fieldNodes, fieldPath, plan);
      if (!value) return null;
      fields.push({ key, name, source: resolve ? 'resolver' : 'property', property: property ?? '', resolve, path: fieldPath, value });
    }
    return { type, fields };
  }

  /** The root fields of a query, or null when one of them (or anything below) is not compilable. */
  operation(context: Context): RootShape[] | null {
    const { schema, fragments, variableValues, operation } = this.exe;
    const queryType = schema.getQueryType();
    if (!queryType || operation.operation !== 'query') return null;
    const roots: RootShape[] = [];
    for (const [key, fieldNodes] of collectFields(schema, fragments, variableValues, queryType, operation.selectionSet)) {
      const name = fieldNodes[0].name.value;
      if (name === '__typename') {
        roots.push({ key, fieldNodes });
        continue;
      }
      const def = queryType.getFields()[name];
      if (!def) return null;
      const connection = rowsOf(getNamedType(def.type));
      if (connection === null) return null;
      const info = buildResolveInfo(this.exe, def, fieldNodes, queryType, addPath(undefined, key, queryType.name));
      const plan = planPrefetch(context, info, connection, true);
      if (!plan) return null;
      const value = this.value(def.type, fieldNodes, key, plan);
      if (!value) return null;
      roots.push({ key, fieldNodes, field: { def, info, connection, plan, value } });
    }
    return roots;
  }
}

/** Whether a root field's type holds entity rows as a connection (true) or as one row or a list (false); null for anything else. */
function rowsOf(type: ReturnType<typeof getNamedType>): boolean | null {
  if (!isObjectType(type)) return null;
  if (isSubjectType(type.name)) return false;
  const edges = type.getFields().edges;
  const edgeType = edges && getNamedType(edges.type);
  const node = isObjectType(edgeType) ? edgeType.getFields().node : undefined;
  return node && isSubjectType(getNamedType(node.type).name) ? true : null;
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * Completes values against their shapes, synchronously; what must wait (a permission SQL
 * decides, a count) is collected in `pending` and continued once it is in.
 */
class Completion {
  private pending: Array<Promise<void>> = [];
  /** Set when the answer is abandoned: continuations still arriving do nothing. */
  abandoned = false;
  /** The request's recorder when the completion began (a fallback gets a fresh one). */
  private readonly access: AccessRecorder | undefined;
  /** The root field being completed (what a failing statement is reported at). */
  root: RootShape | undefined;
  /** The first statement that failed, if one did. */
  failure: Failed | undefined;
  /** Everything ever waited for, so an abandoned completion can let it all finish first. */
  private readonly waited: Array<Promise<void>> = [];

  constructor(private readonly context: Context) {
    this.access = context.access;
  }

  private wait<T>(promise: PromiseLike<T>, then: (value: T) => void): void {
    const root = this.root;
    const continued = Promise.resolve(promise).then((value) => {
      if (!this.abandoned) then(value);
    }, (error: unknown) => {
      throw (this.failure ??= new Failed(error, root));
    });
    // Awaited through `drain`; a rejection after the answer was abandoned is not unhandled.
    continued.catch(() => undefined);
    this.pending.push(continued);
    this.waited.push(continued);
  }

  /** Lets everything waited for finish (after abandoning: its continuations do nothing more). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.waited);
  }

  /** Waits for everything collected, and for what those continuations collect in turn. */
  async drain(): Promise<void> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
  }

  object(row: object, shape: ObjectShape, info: GraphQLResolveInfo): Record<string, unknown> {
    this.context.unitOfWork?.checkDeadline();
    // Without a prototype, as graphql-js builds its results: an alias `__proto__` is just a key.
    const out: Record<string, unknown> = Object.create(null);
    // The fields granted at once: recorded together, before anything below the object is
    // (the log's entries come in graphql-js's order), then completed in their places.
    const granted: FieldShape[] = [];
    for (const field of shape.fields) {
      if (field.source === 'typename') {
        out[field.key] = shape.type.name;
        continue;
      }
      const grant = mayReadField(this.context, row, field.name);
      if (grant === true) {
        out[field.key] = null;
        granted.push(field);
      } else if (grant === false) {
        this.refused(field, out);
      } else {
        out[field.key] = null;
        this.wait(grant, (ok) => {
          if (!ok) return this.refused(field, out);
          this.access?.see(row, field.name, info);
          this.field(row, field, info, out);
        });
      }
    }
    if (granted.length > 0) this.access?.seeFields(row, granted.map((f) => f.name), info);
    for (const field of granted) this.field(row, field, info, out);
    return out;
  }

  /** A granted (and recorded) field: its value completed. */
  private field(row: object, field: FieldShape, info: GraphQLResolveInfo, out: Record<string, unknown>): void {
    // A relation planned as never granted that a rule grants after all: graphql-js would load it.
    if (field.source === 'denied') throw new Abandon();
    let value: unknown;
    if (field.source === 'relation') {
      value = prefetchedAt(row, field.path);
      if (value === undefined) throw new Abandon();
    } else if (field.source === 'resolver') {
      value = this.resolved(row, field);
    } else {
      value = (row as Record<string, unknown>)[field.property];
    }
    this.value(value, field.value, out, field.key, info);
  }

  /**
   * A simple field resolver's value. Only an answer it gives at once is used: an error, or a
   * promise (a statement of its own), leaves the field to graphql-js, which locates its error at
   * the field; the promise is let finish first, and a statement that failed (the transaction then
   * serves nothing more) ends the answer instead.
   */
  private resolved(row: object, field: FieldShape): unknown {
    let value: unknown;
    try {
      value = field.resolve!(row, this.context);
    } catch (error) {
      if (error instanceof UnloadedColumn) throw error;
      throw new Abandon();
    }
    if (isPromiseLike(value)) {
      const root = this.root;
      const settled = Promise.resolve(value).then(() => undefined, (error: unknown) => {
        if (error instanceof QueryFailedError) this.failure ??= new Failed(error, root);
      });
      this.waited.push(settled);
      throw new Abandon();
    }
    return value;
  }

  private refused(field: FieldShape, out: Record<string, unknown>): void {
    if (field.value.nonNull) throw new Abandon();
    out[field.key] = null;
  }

  /** Completes `value` into `parent[slot]` as graphql-js's completeValue does. */
  value(value: unknown, shape: ValueShape, parent: Record<string | number, unknown>, slot: string | number, info: GraphQLResolveInfo): void {
    if (isPromiseLike(value)) {
      parent[slot] = null;
      this.wait(value, (resolved) => this.value(resolved, shape, parent, slot, info));
      return;
    }
    if (value instanceof Error) throw new Abandon();
    if (value === null || value === undefined) {
      if (shape.nonNull) throw new Abandon();
      parent[slot] = null;
      return;
    }
    if (shape.list) {
      if (!Array.isArray(value)) throw new Abandon();
      const items: unknown[] = new Array(value.length);
      parent[slot] = items;
      for (let i = 0; i < value.length; i++) this.value(value[i], shape.list, items as Record<number, unknown>, i, info);
      return;
    }
    if (shape.leaf) {
      let serialized: unknown;
      try {
        serialized = shape.leaf.serialize(value);
      } catch {
        throw new Abandon();
      }
      if (serialized === null || serialized === undefined) throw new Abandon();
      parent[slot] = serialized;
      return;
    }
    if (typeof value !== 'object') throw new Abandon();
    parent[slot] = this.object(value, shape.object!, info);
  }
}

/**
 * Per entity, how the root fields' pages are read (./pagination.ts `PageReading`): partial rows
 * with the properties they need (`PrefetchPlan.rowProperties`; the union over root fields of the
 * same entity, whole rows when one of them needs whole rows), and, where one root field alone
 * reads the entity, its count (when selected) and its relations in the page's own statement.
 */
function pageReadings(context: Context, roots: RootShape[]): Map<Function, PageReading> {
  const byEntity = new Map<Function, RootShape[]>();
  for (const root of roots) {
    if (!root.field) continue;
    const entity = root.field.plan.meta.target as Function;
    const ofEntity = byEntity.get(entity);
    if (ofEntity) ofEntity.push(root);
    else byEntity.set(entity, [root]);
  }
  const readings = new Map<Function, PageReading>();
  for (const [entity, ofEntity] of byEntity) {
    const plans = ofEntity.map((r) => r.field!.plan);
    const properties = plans.every((p) => p.rowProperties) ? [...new Set(plans.flatMap((p) => p.rowProperties!))] : undefined;
    if (ofEntity.length > 1) {
      readings.set(entity, { properties, counted: false });
      continue;
    }
    const { plan, connection, value } = ofEntity[0].field!;
    const counted = connection && !!value.object?.fields.some((f) => f.name === 'totalCount');
    readings.set(entity, { properties, counted, relations: pageRelations(context, plan) });
  }
  return readings;
}

/** The outcome of a root field's resolver. */
type Settled = { ok: true; value: unknown } | { ok: false };

/**
 * Runs a compiled query: the root fields through their guarded resolvers, the prefetch of the
 * relations below their rows, then the completion. Null when the answer is abandoned.
 */
async function runCompiled(exe: ExecutionContext, context: Context, roots: RootShape[]): Promise<ExecutionResult | null> {
  const errors: GraphQLError[] = [];
  /** graphql-js's errors once a non-null root field failed: the whole answer is null then. */
  let nulled: GraphQLError[] | undefined;
  const settled: Array<Promise<Settled>> = [];
  let outcomes: Settled[];
  /** Set when a root field read a column its partial rows did not load: graphql-js answers instead. */
  let unloaded = false;
  context.compiledRead = true;
  context.loaders.readWith(pageReadings(context, roots));
  try {
    for (const root of roots) {
      const field = root.field;
      if (!field) {
        settled.push(Promise.resolve({ ok: true, value: undefined }));
        continue;
      }
      const fail = (error: unknown): Settled => {
        if (error instanceof UnloadedColumn) unloaded = true;
        errors.push(locatedError(error, root.fieldNodes, pathToArray(field.info.path)));
        if (isNonNullType(field.def.type)) nulled ??= [...errors];
        return { ok: false };
      };
      try {
        const args = getArgumentValues(field.def, root.fieldNodes[0], exe.variableValues);
        const result = field.def.resolve!(undefined, args, context, field.info);
        settled.push(Promise.resolve(result).then((value): Settled => ({ ok: true, value }), fail));
      } catch (error) {
        settled.push(Promise.resolve(fail(error)));
      }
    }
    // Every root field has finished before anything below them runs: an abandoned answer leaves
    // no resolver of it running next to graphql-js's.
    outcomes = await Promise.all(settled);
    if (context.unitOfWork?.expired) return { data: null, errors: [context.unitOfWork.timeoutError!] };
    if (unloaded) return null;
    // A non-null root field that failed nulls the whole answer: graphql-js answers with the
    // errors up to and including that one. (Its other root fields run on there, unanswered;
    // here they are not completed, so nothing of them is logged as shown.) No fallback: the
    // failure may have been a statement, after which the transaction serves nothing more.
    if (nulled) return { data: null, errors: nulled };
    for (let i = 0; i < roots.length; i++) {
      const field = roots[i].field;
      const outcome = outcomes[i];
      if (!field || !outcome.ok || outcome.value === null || outcome.value === undefined) continue;
      if (outcome.value instanceof Connection !== field.connection) return null;
      let loaded: boolean;
      try {
        loaded = await loadPrefetch(context, field.plan, rootRows(outcome.value));
      } catch (error) {
        // The root field's prefetch failed, as it fails its root field in graphql-js.
        if (context.unitOfWork?.expired) return { data: null, errors: [context.unitOfWork.timeoutError!] };
        const located = locatedError(error, roots[i].fieldNodes, pathToArray(field.info.path));
        if (isNonNullType(field.def.type)) return { data: null, errors: [...errors, located] };
        errors.push(located);
        outcomes[i] = { ok: false };
        continue;
      }
      if (!loaded) return null;
    }
  } catch {
    if (context.unitOfWork?.expired) return { data: null, errors: [context.unitOfWork.timeoutError!] };
    return null;
  } finally {
    context.compiledRead = false;
    context.loaders.readWith(undefined);
  }

  const completion = new Completion(context);
  const data: Record<string, unknown> = Object.create(null);
  try {
    for (let i = 0; i < roots.length; i++) {
      const { key, field } = roots[i];
      const outcome = outcomes[i];
      completion.root = roots[i];
      if (!field) data[key] = exe.schema.getQueryType()!.name;
      else if (!outcome.ok) data[key] = null;
      else completion.value(outcome.value, field.value, data, key, field.info);
    }
    await completion.drain();
  } catch (error) {
    completion.abandoned = true;
    // Whether a statement failed decides between graphql-js and this answer: wait for all of them.
    await completion.settle();
    if (context.unitOfWork?.expired) return { data: null, errors: [context.unitOfWork.timeoutError!] };
    if ((error instanceof Abandon || error instanceof UnloadedColumn) && !completion.failure) return null;
    const failed = completion.failure ?? (error instanceof Failed ? error : new Failed(error, completion.root));
    const root = failed.root ?? roots[0];
    return { data: null, errors: [...errors, locatedError(failed.error, root.fieldNodes, [root.key])] };
  }
  return errors.length > 0 ? { data, errors } : { data };
}

/** Which executor answered: the request log's `executor` (./observation.ts). */
export type Executor = NonNullable<RequestObservation['executor']>;

function noteExecutor(executor: Executor): void {
  const o = observation();
  if (o) o.executor = executor;
}

/**
 * Executes an operation: compiled when the whole query is compilable, else (and for every
 * mutation) through graphql-js `execute` with the arguments Apollo Server would give it.
 */
export async function executeOperation(args: ExecutionArgs & { contextValue: Context }): Promise<ExecutionResult> {
  const context = args.contextValue;
  if (!context.config.readCompiled || !context.config.readPrefetch) return graphqlJs(args, 'graphql-js');
  const exe = buildExecutionContext(args);
  if (!('schema' in exe)) return graphqlJs(args, 'graphql-js');
  const roots = new Compiler(exe).operation(context);
  if (!roots) return graphqlJs(args, 'graphql-js');
  const answer = await runCompiled(exe, context, roots);
  if (answer) {
    noteExecutor('compiled');
    return answer;
  }
  // Nothing of the abandoned answer may count: not its log entries, not its loaders' rows.
  if (context.access) context.access = new AccessRecorder();
  context.loaders.clear();
  return graphqlJs(args, 'fallback');
}

async function graphqlJs(args: ExecutionArgs, executor: Executor): Promise<ExecutionResult> {
  noteExecutor(executor);
  return execute(args);
}

type Gateway = ApolloServerOptionsWithGateway<Context>['gateway'];

/**
 * Apollo Server's gateway seam, with our one schema: Apollo executes every operation through
 * `executeOperation` (with graphql-js's arguments: no root value, the request's variables and
 * operation name) and keeps running its plugins' execution hooks around it.
 */
export function compiledGateway(schema: GraphQLSchema): Gateway {
  let listener: Parameters<Gateway['onSchemaLoadOrUpdate']>[0] | undefined;
  return {
    onSchemaLoadOrUpdate(callback) {
      listener = callback;
      return () => {
        listener = undefined;
      };
    },
    async load() {
      listener?.({ apiSchema: schema, coreSupergraphSdl: '' });
      return {
        executor: (requestContext) => executeOperation({
          schema,
          document: requestContext.document,
          rootValue: undefined,
          contextValue: requestContext.context as Context,
          variableValues: requestContext.request.variables,
          operationName: requestContext.request.operationName,
        }),
      };
    },
    async stop() {},
  };
}
