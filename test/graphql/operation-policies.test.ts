/**
 * Default deny for operations (src/graphql/policy.ts): every Query and Mutation declares how it
 * is authorized, each declaration names a subject and actions the rules really govern, and a
 * root field without one is refused before its resolver runs.
 */
import { GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLResolveInfo } from 'graphql';
import { defineAbilityFor } from '../../src/authz/ability';
import { loadActor } from '../../src/authz/actor';
import { isSubjectType } from '../../src/authz/subjects';
import { assertOperationPolicy, OperationPolicy, policyOf } from '../../src/graphql/policy';
import { getSchema } from '../../src/graphql/schema';
import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

const schema = getSchema();
const roots = [schema.getQueryType()!, schema.getMutationType()!];
const operations = roots.flatMap((type) => Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field, policy: policyOf(field) })));

/** The operations open to every signed-in caller, on purpose: adding one means adding it here. */
const OPEN: string[] = [];

test('every Query and Mutation declares its policy', () => {
  expect(operations.length).toBeGreaterThan(70);
  expect(operations.filter((o) => !o.policy).map((o) => o.name)).toEqual([]);
  expect(operations.filter((o) => o.policy?.kind === 'open').map((o) => o.name).sort()).toEqual(OPEN);
});

describe('each declaration names a subject and actions some role\'s rules grant', () => {
  let app: TestApp;
  let world: World;
  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app.dataSource);
  });
  afterAll(() => app?.stop());

  test('for every guarded operation, some role of the matrix has a rule for one of its actions on its subject', async () => {
    const abilities = await Promise.all(Object.values(world.users).map(async (user) => {
      const actor = (await loadActor(app.dataSource, user.subject))!;
      return defineAbilityFor(actor, app.dataSource, '2026-03-16');
    }));
    const ungoverned = operations.filter(({ policy }) => {
      if (policy?.kind !== 'guarded') return false;
      if (!isSubjectType(policy.subject)) return true;
      return !abilities.some((ability) => policy.actions.some((action) => ability.rulesFor(action, policy.subject as never).length > 0));
    }).map((o) => `${o.name}: ${JSON.stringify(o.policy)}`);
    expect(ungoverned).toEqual([]);
  });
});

describe('a root field without a declaration is refused', () => {
  const info = (parentType: GraphQLObjectType, fieldName: string, s: GraphQLSchema) => ({ parentType, fieldName, schema: s }) as unknown as GraphQLResolveInfo;

  test('in a schema of its own: undeclared → FORBIDDEN, declared → passes, non-root fields pass', () => {
    const declared: OperationPolicy = { kind: 'guarded', subject: 'Student', actions: ['read'] };
    const query = new GraphQLObjectType({
      name: 'Query',
      fields: { bare: { type: GraphQLString }, guarded: { type: GraphQLString, extensions: { policy: declared } } },
    });
    const other = new GraphQLObjectType({ name: 'Other', fields: { bare: { type: GraphQLString } } });
    const s = new GraphQLSchema({ query, types: [other] });
    expect(() => assertOperationPolicy(info(query, 'bare', s))).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(() => assertOperationPolicy(info(query, 'guarded', s))).not.toThrow();
    expect(() => assertOperationPolicy(info(other, 'bare', s))).not.toThrow();
  });

  test('over HTTP: the real `partnership` query with its declaration taken away answers FORBIDDEN and no data', async () => {
    const app = await startTestApp();
    const world = await createWorld(app.dataSource);
    const field = schema.getQueryType()!.getFields().partnership;
    const original = field.extensions;
    try {
      expect((await app.gql(world.users.admin.email, '{ partnership { id } }')).body.data).toEqual({ partnership: { id: world.partnership.id } });
      (field as { extensions: unknown }).extensions = { ...original, policy: undefined };
      const refused = await app.gql(world.users.admin.email, '{ partnership { id } }');
      expect(refused.body.data).toEqual({ partnership: null });
      expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    } finally {
      (field as { extensions: unknown }).extensions = original;
      await app.stop();
    }
  });
});
