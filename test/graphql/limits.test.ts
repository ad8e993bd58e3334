/**
 * The query budget (src/graphql/limits.ts): every operation the project ships fits it, with
 * every page at its largest; each kind of oversized operation (depth, aliases, list
 * multiplication, aliased mutations) is refused with HTTP 400 QUERY_TOO_COMPLEX before any
 * resolver runs (no SQL statement beyond the caller's authentication), and the server still
 * answers another caller promptly afterwards.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import {
  DocumentNode, GraphQLInputType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, Kind, OperationDefinitionNode, parse, typeFromAST, validate,
} from 'graphql';
import { loadConfig } from '../../src/config';
import { measureOperation, measureRequest, overBudget } from '../../src/graphql/limits';
import { MAX_PAGE_SIZE } from '../../src/graphql/pagination';
import { getSchema } from '../../src/graphql/schema';
import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

const OPERATIONS = path.join(__dirname, '..', 'operations');
const budget = loadConfig({ NODE_ENV: 'test' }).queryBudget;

/** Every operation of test/operations/*.graphql, with its file's fragments. */
function shippedOperations(): Array<{ name: string; document: DocumentNode }> {
  const files = fs.readdirSync(OPERATIONS).filter((f) => f.endsWith('.graphql'));
  const document = parse(files.map((f) => fs.readFileSync(path.join(OPERATIONS, f), 'utf8')).join('\n'));
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((o) => ({ name: o.name!.value, document }));
}

/** A value of `type` that coerces (required fields only): inputs do not change the cost. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, sample(f.type)]));
  }
  if (isScalarType(type)) {
    const samples: Record<string, unknown> = { Int: 1, Float: 1, Boolean: true, LocalDate: '2026-01-05', DateTimeISO: '2026-01-05T10:00:00Z' };
    return samples[type.name] ?? '00000000-0000-4000-8000-000000000000';
  }
  return null;
}

/** Worst-case variables: every `first` at the largest page, every other variable a sample. */
function largestPages(document: DocumentNode, name: string): Record<string, unknown> {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name)!;
  return Object.fromEntries((operation.variableDefinitions ?? []).map((v) => {
    const variable = v.variable.name.value;
    if (/first/i.test(variable)) return [variable, MAX_PAGE_SIZE];
    return [variable, sample(typeFromAST(getSchema(), v.type) as GraphQLInputType)];
  }));
}

describe('every shipped operation fits the budget', () => {
  const operations = shippedOperations();
  test('the shipped operations are found and valid', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(validate(getSchema(), operations[0].document)).toEqual([]);
  });
  test.each(operations.map((o) => [o.name, o]))('%s', (_name, { name, document }) => {
    const measure = measureOperation(getSchema(), document, largestPages(document, name), name);
    if (process.env.SHOW_COST) console.log(name, JSON.stringify(measure));
    expect(overBudget(measure, budget)).toBeNull();
  });
});

/** Windstreken, their schools and students, each page `$n` long; the students only `@include(if: $students)`. */
const PAGED = `query Paged($n: Int, $students: Boolean! = true, $after: String) {
  windstreken(first: $n, after: $after) { edges { node { schools(first: $n) { edges { node { students(first: $n) @include(if: $students) { edges { node { id } } } } } } } } }
}`;

describe('a measure is remembered per parsed document (measureRequest)', () => {
  const schema = getSchema();

  test('it equals measureOperation for every combination of the variables it depends on, in any order of asking', () => {
    const document = parse(PAGED);
    const cases: Array<Record<string, unknown>> = [
      { n: 10 }, { n: 100 }, { n: 10, students: false }, {}, { n: null }, { n: 10, after: 'x' }, { n: 10, after: null }, { n: 100 }, { n: 10 }, {},
    ];
    const distinct = new Set<number>();
    for (const variables of cases) {
      const measure = measureRequest(schema, document, variables, 'Paged');
      expect(measure).toEqual(measureOperation(schema, document, variables, 'Paged'));
      distinct.add(measure.cost);
    }
    // The page size and the @include are in the cost: the cases are not all one measure.
    expect(distinct.size).toBeGreaterThanOrEqual(4);
    // Another operation of the same document is measured as itself.
    const two = parse(`${PAGED} query Me { me { id } }`);
    expect(measureRequest(schema, two, { n: 100 }, 'Paged')).toEqual(measureOperation(schema, two, { n: 100 }, 'Paged'));
    expect(measureRequest(schema, two, {}, 'Me')).toEqual(measureOperation(schema, two, {}, 'Me'));
  });

  test('variables that do not coerce are refused on every request, with the error measureOperation throws, also once the document was measured', () => {
    const document = parse(PAGED);
    measureRequest(schema, document, { n: 10 }, 'Paged');
    for (const variables of [{ n: 'ten' }, { n: 10, students: 'yes' }, { n: 1.5, students: null }]) {
      const error = (() => {
        try {
          measureOperation(schema, document, variables, 'Paged');
        } catch (caught) {
          return caught as Error;
        }
        throw new Error('measureOperation accepted invalid variables');
      })();
      expect(() => measureRequest(schema, document, variables, 'Paged')).toThrow(error.message);
    }
  });
});

describe('an operation over budget is refused before it runs', () => {
  let app: TestApp;
  let world: World;
  beforeAll(async () => {
    app = await startTestApp({ defaultBudget: true });
    world = await createWorld(app.dataSource);
  });
  afterAll(() => app.stop());

  async function post(subject: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(subject)}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
    return { status: response.status, body, statements: Number(response.headers.get('x-sql-statements')) };
  }

  const nested = (levels: number) => `{ windstreken { edges { node { ${'neighbours { '.repeat(levels)}id${' }'.repeat(levels)} } } } }`;
  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `s${i}: students(first: 100) { totalCount }`).join(' ')} }`;
  const multiplied = '{ windstreken(first: 100) { edges { node { schools(first: 100) { edges { node { students(first: 100) { edges { node { id } } } } } } } } } }';
  const mutations = (n: number) => `mutation { ${Array.from({ length: n }, (_, i) => `n${i}: addNote(input: { trajectoryId: "00000000-0000-4000-8000-000000000000", body: "x" }) { id }`).join(' ')} }`;

  test.each([
    ['depth: neighbours of neighbours, 16 levels', () => nested(16), 'depth'],
    ['aliases: 101 aliased student lists', () => aliases(101), 'aliases'],
    ['list multiplication: students of schools of windstreken, 100 each', () => multiplied, 'cost'],
    ['aliased mutations: 11 notes in one request', () => mutations(11), 'mutation root fields'],
  ])('%s', async (_label, query, measured) => {
    // A query refused at validation: only the caller's authentication ran.
    const baseline = await post(world.users.coordinator.email, '{ noSuchField }');
    expect(baseline.status).toBe(400);
    const refused = await post(world.users.coordinator.email, query());
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measured, value: expect.any(Number), limit: expect.any(Number) });
    expect(refused.body.errors![0].extensions.value as number).toBeGreaterThan(refused.body.errors![0].extensions.limit as number);
    // No resolver ran, no transaction began: the only statement is the caller's authentication.
    expect(refused.statements).toBe(baseline.statements);
    // Another caller is answered at once.
    const started = Date.now();
    const other = await post(world.users.schoolA1.email, '{ me { id } }');
    expect(other.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('the same query text is refused or answered by its variables on every request, not by what it cost the last time', async () => {
    const within = { n: 5 };
    const over = { n: 100 };
    const document = parse(PAGED);
    expect(overBudget(measureOperation(getSchema(), document, within, 'Paged'), budget)).toBeNull();
    expect(overBudget(measureOperation(getSchema(), document, over, 'Paged'), budget)).toMatchObject({ what: 'cost' });
    expect(overBudget(measureOperation(getSchema(), document, { ...over, students: false }, 'Paged'), budget)).toBeNull();
    const user = world.users.coordinator.email;
    for (let round = 0; round < 2; round++) {
      expect((await post(user, PAGED, within)).status).toBe(200);
      const refused = await post(user, PAGED, over);
      expect(refused.status).toBe(400);
      expect(refused.body.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measured: 'cost' });
      expect((await post(user, PAGED, { ...over, students: false })).status).toBe(200);
      const invalid = await post(user, PAGED, { n: 'five' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  test('at the limits, the same shapes are answered', async () => {
    expect((await post(world.users.coordinator.email, nested(3))).status).toBe(200);
    expect((await post(world.users.coordinator.email, aliases(5))).status).toBe(200);
    const tenNotes = await post(world.users.coordinator.email, mutations(10));
    expect(tenNotes.body.errors?.every((e) => e.extensions.code !== 'QUERY_TOO_COMPLEX')).toBe(true);
  });

  test('the limits are configuration', () => {
    expect(loadConfig({ NODE_ENV: 'test', QUERY_MAX_DEPTH: '8', QUERY_MAX_ALIASES: '3', QUERY_MAX_COST: '1000', MUTATION_MAX_FIELDS: '2' }).queryBudget).toEqual({
      maxDepth: 8, maxAliases: 3, maxCost: 1000, maxMutationFields: 2,
    });
    expect(() => loadConfig({ NODE_ENV: 'test', QUERY_MAX_COST: '0' })).toThrow('QUERY_MAX_COST must be a whole number from 1 to 1000000000000, got "0"');
  });
});
