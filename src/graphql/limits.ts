/**
 * The query budget, checked on the validated document before any resolver or SQL runs.
 *
 * Why: GraphQL lets one small document ask for an exponential amount of work (nested lists of
 * lists, hundreds of aliases of one expensive field). Apollo Server has no limit of its own;
 * without one, a 600-byte query nesting `neighbours` sixteen levels deep held the process for
 * a minute and starved every other caller. So every operation is measured first:
 *
 * - **depth**: the longest chain of nested fields (fragments expanded);
 * - **aliases**: fields written under an alias, each a separate execution of its field;
 * - **cost**: one per field, a list field multiplying the cost of what it selects by how many
 *   items it can return: `first` for a connection (its default page size when absent), a
 *   declared size for a plain list (`LIST_SIZES`), and a declared price for root fields that
 *   cost more than one read (`FIELD_COSTS`);
 * - **mutation root fields**: a mutation request performs at most so many acts.
 *
 * Over budget answers HTTP 400 `QUERY_TOO_COMPLEX` with what was measured and the limit in
 * `extensions`. The budgets are configuration (`QUERY_MAX_*`); every operation the project ships
 * fits (test/graphql/limits.test.ts walks them).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode, FragmentDefinitionNode, getNamedType, getNullableType, GraphQLSchema, isListType, Kind, OperationDefinitionNode,
  SelectionSetNode, visit,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { getComplexity } from 'graphql-query-complexity';
import type { QueryBudget } from '../config';
import { appError } from './errors';
import { DEFAULT_PAGE_SIZE } from './pagination';

/** How many items a plain (unpaginated) list field can return, where that is not the default. */
const LIST_SIZES: Record<string, number> = {
  'Windstreek.neighbours': 8,
  'Query.teamLoads': 20,
  'FigureGroup.cells': 100,
  'FigureGroup.protectedMeasures': 50,
  'AssignmentProposal.candidates': 20,
};
/** Items of any other plain list. */
const DEFAULT_LIST_SIZE = 20;

/** Root fields that cost more than one read: their price replaces the default of 1. */
const FIELD_COSTS: Record<string, number> = {
  // Walks every table that refers to the student (about a dozen statements).
  'Query.studentExport': 200,
  // One aggregate statement per group, over the caller's whole scope.
  'Dashboard.intake': 100,
  'Dashboard.caseload': 100,
  'Dashboard.timeliness': 100,
  'Dashboard.results': 100,
  'Dashboard.privacy': 100,
  // Plans or applies retention over the partnership.
  'Mutation.runRetention': 500,
};

/** What an operation asks for. */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
  rootFields: number;
  operation: 'query' | 'mutation' | 'subscription';
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
}

/** Depth and aliases of a selection set, fragments expanded (validation has ruled out cycles). */
function walk(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, depth: number): { depth: number; aliases: number } {
  let result = { depth, aliases: 0 };
  for (const selection of set?.selections ?? []) {
    let inner: { depth: number; aliases: number };
    if (selection.kind === Kind.FIELD) {
      inner = walk(selection.selectionSet, fragments, depth + 1);
      if (selection.alias && selection.name.value !== '__typename') inner.aliases += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = walk(selection.selectionSet, fragments, depth);
    } else {
      inner = walk(fragments.get(selection.name.value)?.selectionSet, fragments, depth);
    }
    result = { depth: Math.max(result.depth, inner.depth), aliases: result.aliases + inner.aliases };
  }
  return result;
}

/** The operation `operationName` of `document` (or its only one). */
function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

/** Measures an operation of a validated document. */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}, operationName?: string | null): OperationMeasure {
  const operation = operationOf(document, operationName);
  if (!operation) return { depth: 0, aliases: 0, cost: 0, rootFields: 0, operation: 'query' };
  const fragments = fragmentsOf(document);
  const { depth, aliases } = walk(operation.selectionSet, fragments, 0);
  const rootFields = operation.selectionSet.selections.reduce((n, s) => n + (s.kind === Kind.FIELD && s.name.value !== '__typename' ? 1 : 0), 0);
  const cost = getComplexity({
    schema,
    query: document,
    variables,
    operationName: operation.name?.value,
    estimators: [
      ({ type, field, args, childComplexity }) => {
        const name = `${type.name}.${field.name}`;
        const own = FIELD_COSTS[name] ?? 1;
        const returns = getNullableType(field.type);
        const connection = getNamedType(returns).name.endsWith('Connection');
        if (connection) return own + (typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE) * childComplexity;
        // A connection's edges are as many as its `first`, already counted on the connection.
        if (type.name.endsWith('Connection') && field.name === 'edges') return own + childComplexity;
        if (isListType(returns)) return own + (LIST_SIZES[name] ?? DEFAULT_LIST_SIZE) * Math.max(childComplexity, 1);
        return own + childComplexity;
      },
    ],
  });
  return { depth, aliases, cost, rootFields, operation: operation.operation };
}

/**
 * The variables a measure depends on by value: those given as a field's `first` (the estimator
 * reads it) or to `@skip`/`@include` (they decide which selections count). Every other variable
 * matters only by whether it is given, null or a value: graphql-js's argument coercion, which
 * the measure runs, refuses a missing or null one in a required position and passes the value
 * on unread otherwise.
 */
function costVariables(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  visit(document, {
    Field(field) {
      for (const arg of field.arguments ?? []) if (arg.name.value === 'first' && arg.value.kind === Kind.VARIABLE) names.add(arg.value.name.value);
    },
    Directive(directive) {
      if (directive.name.value !== 'skip' && directive.name.value !== 'include') return;
      for (const arg of directive.arguments ?? []) if (arg.value.kind === Kind.VARIABLE) names.add(arg.value.name.value);
    },
  });
  return names;
}

/** Measures already taken of one parsed document, by operation and the variables they depend on. */
interface DocumentMeasures {
  costVariables: Set<string>;
  byKey: Map<string, OperationMeasure>;
}

/** Distinct measures kept per document: a client varying `first` must not grow one without bound. */
const MEASURES_PER_DOCUMENT = 64;

/**
 * Per parsed document (Apollo's document cache hands the same object for the same query text;
 * it is forgotten with it). A document Apollo did not cache is a new object each time: measured
 * each time.
 */
const measured = new WeakMap<DocumentNode, DocumentMeasures>();

/**
 * `measureOperation`, remembered per document: a repeated operation costs its variables'
 * coercion and a lookup. The variables are coerced on every call, so invalid ones are refused
 * exactly as `measureOperation` refuses them (its last coercion error); the measure is reused
 * only for the same operation with the same values of the variables it depends on
 * (`costVariables`) and the same given/null/value state of the rest.
 */
export function measureRequest(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}, operationName?: string | null): OperationMeasure {
  const operation = operationOf(document, operationName);
  if (!operation) return measureOperation(schema, document, variables, operationName);
  const { coerced, errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (errors?.length) throw errors[errors.length - 1];
  let measures = measured.get(document);
  if (!measures) measured.set(document, (measures = { costVariables: costVariables(document), byKey: new Map() }));
  const state = (operation.variableDefinitions ?? []).map(({ variable: { name: { value: name } } }) => {
    if (!Object.hasOwn(coerced!, name)) return '-';
    const value = coerced![name];
    if (measures.costVariables.has(name)) return JSON.stringify(value);
    return value === null ? 'null' : '+';
  });
  const key = JSON.stringify([operation.name?.value ?? null, ...state]);
  let measure = measures.byKey.get(key);
  if (measure) return measure;
  measure = measureOperation(schema, document, variables, operationName);
  // The oldest measure makes room (a Map iterates in insertion order).
  if (measures.byKey.size >= MEASURES_PER_DOCUMENT) measures.byKey.delete(measures.byKey.keys().next().value!);
  measures.byKey.set(key, measure);
  return measure;
}

/** The first limit `measure` exceeds, with what it measured, or null within budget. */
export function overBudget(measure: OperationMeasure, budget: QueryBudget): { what: string; measured: number; limit: number } | null {
  const checks: Array<[string, number, number]> = [
    ['depth', measure.depth, budget.maxDepth],
    ['aliases', measure.aliases, budget.maxAliases],
    ['cost', measure.cost, budget.maxCost],
  ];
  if (measure.operation === 'mutation') checks.push(['mutation root fields', measure.rootFields, budget.maxMutationFields]);
  const over = checks.find(([, measured, limit]) => measured > limit);
  return over ? { what: over[0], measured: over[1], limit: over[2] } : null;
}

/** The Apollo plugin that refuses an operation over budget before it executes. */
export function queryBudgetPlugin(budget: QueryBudget): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }) {
          let measure: OperationMeasure;
          try {
            measure = measureRequest(schema, document, request.variables ?? {}, request.operationName);
          } catch (error) {
            // Variables that do not coerce: the client's input, refused as execution would.
            throw appError('BAD_USER_INPUT', error instanceof Error ? error.message : 'Invalid variables.', { http: { status: 400 } });
          }
          const over = overBudget(measure, budget);
          if (!over) return;
          // Thrown before execution: no resolver has run, no statement beyond the caller's authentication.
          throw appError('QUERY_TOO_COMPLEX', `The operation is too large: its ${over.what} is ${over.measured}, the limit is ${over.limit}. Ask for less per request (fewer nested lists, smaller pages, fewer aliases).`, {
            measured: over.what, value: over.measured, limit: over.limit, cost: measure.cost, depth: measure.depth, aliases: measure.aliases, http: { status: 400 },
          });
        },
      };
    },
  };
}
