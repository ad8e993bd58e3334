/**
 * The emitted schema is documentation: every type, field, argument, input field and enum
 * value carries a description. And the names the README promises to clients exist.
 */
import 'reflect-metadata';
import { GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema, isIntrospectionType, isNonNullType, isSpecifiedScalarType } from 'graphql';
import { DataSource } from 'typeorm';
import { defineAbilityFor } from '../../src/authz/ability';
import type { Actor } from '../../src/authz/actor';
import { createDataSource } from '../../src/app/database';
import { Role, TeamFunction } from '../../src/domain/enums';
import { getSchema } from '../../src/graphql/schema';

/** The calendar day the abilities here are built for (when a consent holds depends on it). */
const TODAY = '2026-03-16';

const schema: GraphQLSchema = getSchema();

function undocumented(): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!type.description && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
    if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType || type instanceof GraphQLInputObjectType) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (type instanceof GraphQLEnumType) {
      // Enum values explain themselves by name unless the Dutch term needs saying: the enum type carries it.
      if (!type.description) missing.push(type.name);
    }
  }
  return missing;
}

test('every type, field and argument of the schema has a description', () => {
  expect(undocumented()).toEqual([]);
});

test('the query and mutation names of the README exist', () => {
  const queries = Object.keys(schema.getQueryType()!.getFields());
  const mutations = Object.keys(schema.getMutationType()!.getFields());
  expect(queries).toEqual(expect.arrayContaining([
    'me', 'windstreken', 'schools', 'school', 'topteams', 'topteam', 'students', 'student', 'trajectories', 'trajectory', 'consents', 'accessLog',
  ]));
  expect(mutations).toEqual(expect.arrayContaining(['createSchool', 'createTopteam', 'createUser', 'grantMembership', 'revokeMembership', 'createStudent']));
});

test('fields clients rely on are there, and relations a caller may not see are nullable', () => {
  const type = (name: string) => schema.getType(name) as GraphQLObjectType;
  for (const [typeName, field] of [['Student', 'school'], ['Trajectory', 'student'], ['Trajectory', 'school'], ['Trajectory', 'team'], ['Trajectory', 'phase'], ['Consent', 'student'], ['School', 'windstreek'], ['Topteam', 'windstreek']]) {
    expect(type(typeName).getFields()[field]).toBeDefined();
  }
  for (const [typeName, field] of [['Student', 'school'], ['Trajectory', 'student'], ['Trajectory', 'team'], ['Consent', 'student'], ['Student', 'givenName']]) {
    expect(String(type(typeName).getFields()[field].type)).not.toMatch(/!$/);
  }
});

test('every list is a Relay connection with first at most 100', () => {
  const query = schema.getQueryType()!;
  for (const name of ['windstreken', 'schools', 'topteams', 'students', 'trajectories', 'consents', 'accessLog']) {
    const field = query.getFields()[name];
    expect(String(field.type)).toMatch(/Connection!$/);
    expect(field.args.map((a) => a.name)).toEqual(expect.arrayContaining(['first', 'after']));
  }
});

describe('field permissions never hit a non-null field', () => {
  // A field a role's rules leave out resolves to null; if the schema declared it non-null,
  // that role's whole query would fail. Every field left out by some field-limited rule
  // must therefore be nullable.
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  test('for every role, every non-null field of a field-limited subject is granted', () => {
    const everyRole: Actor = {
      userId: '00000000-0000-4000-8000-000000000001', subject: 's', email: 'e', name: 'n', partnershipId: '00000000-0000-4000-8000-000000000002',
      memberships: Object.values(Role).map((role, i) => ({
        id: `00000000-0000-4000-8000-00000000010${i}`, role, teamFunction: role === Role.TEAM_MEMBER ? TeamFunction.BEHAVIOURAL_SCIENTIST : null,
        windstreekId: 'w', schoolId: 's', topteamId: 't', schoolWindstreekId: 'w', topteamWindstreekId: 'w',
      })),
    };
    const ability = defineAbilityFor(everyRole, dataSource, TODAY);
    const problems: string[] = [];
    let limitedRules = 0;
    for (const rule of ability.rules) {
      const actions = Array.isArray(rule.action) ? rule.action : [rule.action];
      if (!rule.fields || rule.inverted || !actions.some((a) => a === 'read' || a === 'manage')) continue;
      limitedRules++;
      const granted = new Set(Array.isArray(rule.fields) ? rule.fields : [rule.fields]);
      const type = schema.getType(String(rule.subject)) as GraphQLObjectType;
      for (const field of Object.values(type.getFields())) {
        if (isNonNullType(field.type) && !granted.has(field.name)) problems.push(`${type.name}.${field.name}`);
      }
    }
    expect(limitedRules).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
