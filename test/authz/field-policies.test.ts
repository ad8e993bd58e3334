/**
 * Field policies (src/authz/field-policies.ts): every field of every object type the schema
 * emits has a declared category, every declaration names a field that exists, the rules'
 * field lists come from the declaration, and filtering on a field the caller may not read is
 * refused with FORBIDDEN naming the argument (AVG rule 1, src/authz/README.md).
 */
import 'reflect-metadata';
import { extendSchema, GraphQLObjectType, GraphQLSchema, isIntrospectionType, parse } from 'graphql';
import { DataSource } from 'typeorm';
import { defineAbilityFor } from '../../src/authz/ability';
import type { Actor } from '../../src/authz/actor';
import { FIELD_CATEGORIES, FIELD_POLICIES, fieldsOf, isPagingType, policyOf } from '../../src/authz/field-policies';
import { createDataSource } from '../../src/app/database';
import { Phase, Role, TeamFunction } from '../../src/domain/enums';
import { getSchema } from '../../src/graphql/schema';
import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

/** The calendar day the abilities here are built for (when a consent holds depends on it). */
const TODAY = '2026-03-16';

const schema = getSchema();

/** Object types that carry data (Query and Mutation are operations, not data). */
function dataTypes(s: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(s.getTypeMap()).filter(
    (t): t is GraphQLObjectType => t instanceof GraphQLObjectType && !isIntrospectionType(t) && !['Query', 'Mutation', 'Subscription'].includes(t.name),
  );
}

/** `Type.field` of every field no policy declares. */
function unpoliced(s: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of dataTypes(s)) {
    for (const field of Object.keys(type.getFields())) {
      if (!policyOf(type.name, field)) missing.push(`${type.name}.${field}`);
    }
  }
  return missing;
}

/** `Type` or `Type.field` of every policy entry the schema does not have. */
function stale(s: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const [typeName, policy] of Object.entries(FIELD_POLICIES)) {
    const type = s.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) {
      found.push(typeName);
      continue;
    }
    for (const field of Object.keys(policy)) if (!type.getFields()[field]) found.push(`${typeName}.${field}`);
  }
  return found;
}

describe('the schema walk', () => {
  test('every field of every object type of the emitted schema has a policy', () => {
    const types = dataTypes(schema);
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['Student', 'Trajectory', 'Consent', 'ConsentGrantor', 'Eligibility', 'TeamLoad', 'StudentExport', 'PageInfo']));
    expect(unpoliced(schema)).toEqual([]);
  });

  test('every policy entry names a type and field the schema has (no stale entries)', () => {
    expect(Object.keys(FIELD_POLICIES).length).toBeGreaterThan(30);
    expect(stale(schema)).toEqual([]);
  });

  test('the walk fails for a field or a type without a policy', () => {
    const extended = extendSchema(schema, parse(`
      extend type Student { secretNote: String }
      type Unpoliced { anything: String }
      extend type Query { unpoliced: Unpoliced }
    `));
    expect(unpoliced(extended)).toEqual(['Student.secretNote', 'Unpoliced.anything']);
  });

  test('only connections, edges and PageInfo are PAGING, and they declare no fields one by one', () => {
    expect(isPagingType('StudentConnection')).toBe(true);
    expect(isPagingType('TrajectoryEdge')).toBe(true);
    expect(isPagingType('PageInfo')).toBe(true);
    expect(isPagingType('Student')).toBe(false);
    for (const name of Object.keys(FIELD_POLICIES)) expect(isPagingType(name)).toBe(false);
    for (const policy of Object.values(FIELD_POLICIES)) expect(Object.values(policy)).not.toContain('PAGING');
  });

  test('every category but PAGING is used, and every policy value is a known category', () => {
    const used = new Set(Object.values(FIELD_POLICIES).flatMap((policy) => Object.values(policy)));
    for (const category of used) expect(FIELD_CATEGORIES).toContain(category);
    expect([...used].sort()).toEqual(FIELD_CATEGORIES.filter((c) => c !== 'PAGING').sort());
  });
});

describe('fieldsOf', () => {
  test('gives the fields of the categories, plus the named relations', () => {
    expect(fieldsOf('Student', ['META', 'PSEUDONYM', 'PLANNING']).sort()).toEqual(['createdAt', 'expectedExitLevel', 'id', 'pseudonym']);
    expect(fieldsOf('Escalation', ['META', 'PLANNING']).sort()).toEqual(['createdAt', 'id', 'level', 'resolvedAt', 'trajectory']);
    expect(fieldsOf('Trajectory', ['PSEUDONYM'], ['student'])).toEqual(['studentPseudonym', 'student']);
  });

  test('throws on a type or an extra field the policies do not know', () => {
    expect(() => fieldsOf('Nonexistent', ['META'])).toThrow('No field policy for type Nonexistent');
    expect(() => fieldsOf('Student', ['META'], ['nickname'])).toThrow('No field policy for Student.nickname');
  });
});

describe('the rules grant only declared fields, and never a field of a category the role may not read', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  function actorWith(role: Role): Actor {
    return {
      userId: '00000000-0000-4000-8000-000000000001', subject: 's', email: 'e', name: 'n', partnershipId: '00000000-0000-4000-8000-000000000002',
      memberships: [{
        id: '00000000-0000-4000-8000-000000000101', role, teamFunction: role === Role.TEAM_MEMBER ? TeamFunction.BEHAVIOURAL_SCIENTIST : null,
        windstreekId: 'w', schoolId: 's', topteamId: 't', schoolWindstreekId: 'w', topteamWindstreekId: 'w',
      }],
    };
  }

  /** Categories a field-limited read rule of the role may grant (src/authz/README.md, "Field categories"). */
  const LIMITED_CATEGORIES: Partial<Record<Role, string[]>> = {
    [Role.PROGRAMME_COORDINATOR]: ['META', 'PSEUDONYM', 'PLANNING'],
    [Role.PRIVACY_OFFICER]: ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT'],
    [Role.TEAM_MEMBER]: ['META', 'PSEUDONYM', 'PLANNING', 'CONSENT'],
    // Goals and advice (CASE) of the own mentees, the rest of the trajectory row as planning.
    [Role.MENTOR]: ['META', 'PSEUDONYM', 'PLANNING', 'CASE'],
    // Everything of the own windstreek's registrations but the Topteam's notes.
    [Role.EDUCATION_ADVISOR]: ['META', 'PSEUDONYM', 'IDENTITY', 'PLANNING', 'CONSENT', 'CASE'],
    // Of a complaint about the Topteam only that it exists and its status (its content is FEEDBACK).
    [Role.SCHOOL_COORDINATOR]: ['META', 'PLANNING'],
  };

  test.each(Object.values(Role))('as %s, every field-limited read rule names declared fields of allowed categories', (role) => {
    const ability = defineAbilityFor(actorWith(role), dataSource, TODAY);
    const problems: string[] = [];
    for (const rule of ability.rules) {
      const actions = Array.isArray(rule.action) ? rule.action : [rule.action];
      if (!rule.fields || rule.inverted || !actions.some((a) => a === 'read' || a === 'manage')) continue;
      const subject = String(rule.subject);
      for (const field of Array.isArray(rule.fields) ? rule.fields : [rule.fields]) {
        const category = policyOf(subject, field);
        if (!category) problems.push(`${subject}.${field}: no policy`);
        // Relations followed explicitly (the target's own rules decide what it shows).
        else if (!(LIMITED_CATEGORIES[role] ?? []).includes(category) && !['student', 'events', 'escalations', 'crossWindstreekAssignments', 'complaints', 'exitQuestionnaires'].includes(field)) {
          problems.push(`${subject}.${field}: ${category}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('the programme coordinator is granted no identity and no case text (positive control: it has limited rules)', () => {
    const ability = defineAbilityFor(actorWith(Role.PROGRAMME_COORDINATOR), dataSource, TODAY);
    expect(ability.can('read', 'Student', 'pseudonym')).toBe(true);
    expect(ability.can('read', 'Student', 'givenName')).toBe(false);
    expect(ability.can('read', 'Trajectory', 'phase')).toBe(true);
    expect(ability.can('read', 'Trajectory', 'problemAreas')).toBe(false);
    expect(ability.can('read', 'TrajectoryEvent', 'reason')).toBe(false);
    expect(ability.can('read', 'Escalation', 'level')).toBe(true);
    expect(ability.can('read', 'Escalation', 'reason')).toBe(false);
  });

  test('feedback on the Topteam: the programme coordinator reads complaints and exit questionnaires whole; the school coordinator a complaint\'s status only, no questionnaire', () => {
    const coordinator = defineAbilityFor(actorWith(Role.PROGRAMME_COORDINATOR), dataSource, TODAY);
    const school = defineAbilityFor(actorWith(Role.SCHOOL_COORDINATOR), dataSource, TODAY);
    const can = (ability: typeof school, subject: 'Complaint' | 'ExitQuestionnaire', field: string) => ability.can('read', subject, field);
    expect({
      coordinator: ['description', 'complainant', 'resolution', 'status'].map((f) => can(coordinator, 'Complaint', f)),
      coordinatorExit: ['party', 'score', 'comment'].map((f) => can(coordinator, 'ExitQuestionnaire', f)),
      school: ['status', 'receivedOn', 'resolvedOn', 'description', 'complainant', 'resolution'].map((f) => can(school, 'Complaint', f)),
      schoolExit: ['party', 'score', 'comment'].map((f) => can(school, 'ExitQuestionnaire', f)),
    }).toEqual({
      coordinator: [true, true, true, true], coordinatorExit: [true, true, true],
      school: [true, true, true, false, false, false], schoolExit: [false, false, false],
    });
  });
});

describe('filtering on a field the caller may not read is refused', () => {
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app.dataSource);
  });
  afterAll(() => app.stop());

  type List = { totalCount: number; edges: Array<{ node: { id: string } }> };
  const idsOf = (list: List | undefined) => (list?.edges ?? []).map((e) => e.node.id).sort();
  const STUDENTS = `query($schoolId: ID) { students(first: 100, filter: { schoolId: $schoolId }) { totalCount edges { node { id } } } }`;
  const TRAJECTORIES = `query($phases: [Phase!], $teamId: ID, $overdue: Boolean) {
    trajectories(first: 100, filter: { phases: $phases, teamId: $teamId, overdue: $overdue }) { totalCount edges { node { id phase } } }
  }`;

  test('as programme coordinator, students(filter: { schoolId }) is FORBIDDEN naming filter.schoolId (it sees no school of a student)', async () => {
    const res = await app.gql(w.users.coordinator.subject, STUDENTS, { schoolId: w.schools.A1.id });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.errors?.[0]?.message).toContain('filter.schoolId');
    expect(res.body.data?.students ?? null).toBeNull();
  });

  test('as programme coordinator, students without a filter still lists every student (pseudonyms)', async () => {
    const res = await app.gql<{ students: List }>(w.users.coordinator.subject, STUDENTS, {});
    expect(res.body.errors).toBeUndefined();
    expect(idsOf(res.body.data?.students)).toEqual(expect.arrayContaining(Object.values(w.students).map((s) => s.id)));
  });

  test('as programme coordinator, trajectories(filter: { phases, teamId }) works: phase and team are planning fields', async () => {
    const res = await app.gql<{ trajectories: List }>(w.users.coordinator.subject, TRAJECTORIES, { phases: [Phase.ASSESSMENT, Phase.INTENSIVE], teamId: w.teams.TA.id });
    expect(res.body.errors).toBeUndefined();
    expect(idsOf(res.body.data?.trajectories)).toEqual([w.trajectories.a1Team.id, w.trajectories.a1Revoked.id].sort());
  });

  test('as programme coordinator, trajectories(filter: { overdue }) works (the due date is a planning field)', async () => {
    const late = await app.gql<{ trajectories: List }>(w.users.coordinator.subject, TRAJECTORIES, { teamId: w.teams.TB.id, overdue: true });
    const onTime = await app.gql<{ trajectories: List }>(w.users.coordinator.subject, TRAJECTORIES, { teamId: w.teams.TB.id, overdue: false });
    expect(late.body.errors).toBeUndefined();
    expect(onTime.body.errors).toBeUndefined();
    // Together the two answers are exactly TB's trajectories, each in one of them.
    expect([...idsOf(late.body.data?.trajectories), ...idsOf(onTime.body.data?.trajectories)].sort())
      .toEqual([w.trajectories.a2Cross.id, w.trajectories.b1Team.id].sort());
  });

  test('as school coordinator of A1, students(filter: { schoolId: A1 }) still works and lists the own students', async () => {
    const res = await app.gql<{ students: List }>(w.users.schoolA1.subject, STUDENTS, { schoolId: w.schools.A1.id });
    expect(res.body.errors).toBeUndefined();
    expect(idsOf(res.body.data?.students)).toEqual([w.students.a1Plain.id, w.students.a1Mentee.id, w.students.a1Team.id, w.students.a1Revoked.id].sort());
  });

  test('as privacy officer, students(filter: { schoolId }) works: the school is identity, which it reads', async () => {
    const res = await app.gql<{ students: List }>(w.users.privacy.subject, STUDENTS, { schoolId: w.schools.A2.id });
    expect(res.body.errors).toBeUndefined();
    expect(idsOf(res.body.data?.students)).toEqual([w.students.a2Req.id, w.students.a2Cross.id].sort());
  });
});
