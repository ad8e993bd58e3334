/**
 * Default deny for filters (src/graphql/reads.ts): every field of every filter input declares
 * what it reveals, and the declaration is checked for every operation before its resolver runs,
 * without any service calling it.
 */
import { getMetadataStorage } from 'type-graphql';
import { isInputObjectType } from 'graphql';
import { isSubjectType } from '../../src/authz/subjects';
import { revealedBy } from '../../src/graphql/reads';
import { getSchema } from '../../src/graphql/schema';
import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

const schema = getSchema();

/** The input types that are arguments named `filter` of a Query or Mutation, with their classes. */
function filterInputs(): Array<{ name: string; fields: string[]; cls: Function | undefined }> {
  const names = new Set<string>();
  for (const type of [schema.getQueryType()!, schema.getMutationType()!]) {
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) {
        let t = arg.type as { ofType?: unknown };
        while (t.ofType) t = t.ofType as { ofType?: unknown };
        if (isInputObjectType(t) && (arg.name === 'filter' || t.name.endsWith('Filter'))) names.add(t.name);
      }
    }
  }
  const classes = getMetadataStorage().inputTypes;
  return [...names].sort().map((name) => {
    const type = schema.getType(name);
    return {
      name,
      fields: isInputObjectType(type) ? Object.keys(type.getFields()).sort() : [],
      cls: classes.find((c) => c.name === name)?.target,
    };
  });
}

test('every field of every filter input declares what it reveals, naming real subjects', () => {
  const inputs = filterInputs();
  expect(inputs.map((i) => i.name)).toEqual(expect.arrayContaining(['ConsentFilter', 'StudentFilter', 'TrajectoryFilter']));
  const problems: string[] = [];
  for (const input of inputs) {
    const declared = input.cls && revealedBy(input.cls);
    for (const field of input.fields) {
      const revealed = declared?.get(field);
      if (!revealed) problems.push(`${input.name}.${field}: no @Reveals or @RevealsNothing`);
      else if ('subject' in revealed && !isSubjectType(revealed.subject)) problems.push(`${input.name}.${field}: unknown subject ${revealed.subject}`);
    }
  }
  expect(problems).toEqual([]);
});

describe('the check runs for every operation, before its resolver', () => {
  let app: TestApp;
  let world: World;
  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app.dataSource);
  });
  afterAll(() => app?.stop());

  // The programme coordinator sees students by pseudonym only: not their school.
  test('as PROGRAMME_COORDINATOR, students(filter: { schoolId }) is FORBIDDEN, naming the argument, before any list statement', async () => {
    const coordinator = world.users.coordinator.email;
    const allowed = await app.gql(coordinator, '{ students { totalCount } }');
    expect(allowed.body.errors).toBeUndefined();
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(coordinator)}` },
      body: JSON.stringify({ query: 'query ($id: ID!) { students(filter: { schoolId: $id }) { totalCount } }', variables: { id: world.schools.A1.id } }),
    });
    const body = (await response.json()) as { data?: { students: unknown } | null; errors?: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors?.map((e) => [e.extensions.code, e.message])).toEqual([['FORBIDDEN', 'filter.schoolId: you may not filter on Student.school, a field you may not read.']]);
    expect(body.data ?? null).toBeNull();
    // Only the caller's authentication and the request's transaction ran (begin, bind, log, commit): no count of students.
    expect(Number(response.headers.get('x-sql-statements'))).toBeLessThanOrEqual(5);
  });
});
