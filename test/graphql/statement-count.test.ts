/**
 * Nested lists cost a bounded number of SQL statements, however many rows they return:
 * every relation goes through a per-request DataLoader that batches all parents into one
 * statement. The count comes from the server (`x-sql-statements`), so it includes the
 * actor lookup and every loader batch of the request.
 */
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../src/domain/enums';
import {
  createConsent, createPartnership, createSchool, createStudent, createTopteam, createTrajectory, createUser, createWindstreek,
} from '../factories';
import { startTestApp, TestApp } from '../setup/app';
import { buildAmsterdam, growSchools } from '../bench/dataset';
import { Operation, operationsFor } from '../bench/read-path';

const NESTED = `query Nested($first: Int) {
  trajectories(first: $first) {
    totalCount
    edges { node {
      id phase overdue
      student { id pseudonym givenName school { id name } consents { totalCount edges { node { purpose } } } }
      school { id name windstreek { id name } }
      team { id name windstreek { id name neighbours { id } } }
      events { totalCount edges { node { act toPhase } } }
      goals { edges { node { description } } }
    } }
  }
}`;

let app: TestApp;
let scientist: string;
let coordinator: string;
/** Programme coordinator (field-limited) and team member (relation-scoped): fields decided in SQL. */
let dual: string;

beforeAll(async () => {
  app = await startTestApp();
  const ds = app.dataSource;
  const p = await createPartnership(ds);
  const w = await createWindstreek(ds, p);
  await createWindstreek(ds, p, undefined, [w]);
  const schools = [await createSchool(ds, w), await createSchool(ds, w), await createSchool(ds, w)];
  const team = await createTopteam(ds, w, 200);
  const school = await createUser(ds, p, [[Role.SCHOOL_COORDINATOR, { school: schools[0] }]]);
  scientist = (await createUser(ds, p, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]])).email;
  coordinator = (await createUser(ds, p, [[Role.PROGRAMME_COORDINATOR]])).email;
  dual = (await createUser(ds, p, [[Role.PROGRAMME_COORDINATOR], [Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.TEACHER }]])).email;
  for (let i = 0; i < 100; i++) {
    const s = schools[i % schools.length];
    const student = await createStudent(ds, s);
    await createConsent(ds, student, school, ConsentPurpose.CARE_BY_TOPTEAM);
    await createTrajectory(ds, student, s, school, { team, phase: Phase.INTENSIVE, phaseDueOn: '2026-04-01' });
  }
});
afterAll(() => app.stop());

async function statementsFor(subject: string, first: number): Promise<{ statements: number; rows: number; names: unknown[] }> {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(subject)}` },
    body: JSON.stringify({ query: NESTED, variables: { first } }),
  });
  const body = (await response.json()) as { errors?: unknown; data: { trajectories: { edges: Array<{ node: { student: { givenName: unknown } } }> } } };
  expect(body.errors).toBeUndefined();
  const names = body.data.trajectories.edges.map((e) => e.node.student.givenName);
  return { statements: Number(response.headers.get('x-sql-statements')), rows: body.data.trajectories.edges.length, names };
}

describe('a nested list costs the same number of SQL statements for 5 rows as for 100', () => {
  test.each([
    ['the gedragswetenschapper of the team (full access)', () => scientist],
    ['the programme coordinator (field-limited access)', () => coordinator],
    ['a programme coordinator who is also in the team (fields granted through the team decided in SQL)', () => dual],
  ])('as %s', async (_label, who) => {
    const small = await statementsFor(who(), 5);
    const large = await statementsFor(who(), 100);
    expect(small.rows).toBe(5);
    expect(large.rows).toBe(100);
    expect(small.statements).toBeGreaterThan(3);
    expect(large.statements).toBe(small.statements);
  });

  test('identity follows the role that grants it: the coordinator alone sees no names, the coordinator in the team sees them all', async () => {
    expect((await statementsFor(coordinator, 5)).names).toEqual([null, null, null, null, null]);
    const names = (await statementsFor(dual, 100)).names;
    expect(names).toHaveLength(100);
    expect(names.every((n) => typeof n === 'string')).toBe(true);
  });
});

/**
 * Every operation the benchmark measures (test/bench/read-path.ts: each role's lists, a
 * trajectory with its records, team loads, consents, the access log, the dashboard, a note)
 * costs the same statements for a page of 5 as for a page of 50, and on the demo data as on
 * the demo data with its schools and cases copied twice and 3,000 more students.
 */
describe('the benchmark\'s operations: statements independent of page size and of data size', () => {
  let bench: TestApp;
  let ops: Operation[];
  let amsterdamId: string;

  beforeAll(async () => {
    bench = await startTestApp({ ownDatabase: true, now: new Date() });
    amsterdamId = await buildAmsterdam(bench.dataSource, bench.config, new Date(), 'tiny', () => undefined);
    ops = await operationsFor(bench.dataSource, amsterdamId);
  }, 120_000);
  afterAll(() => bench?.stop());

  async function statementsOf(op: Operation, variables: Record<string, unknown> | undefined): Promise<number> {
    const response = await fetch(bench.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await bench.token(op.subject)}` },
      body: JSON.stringify({ query: op.query, operationName: op.operationName, variables: variables ?? {} }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    expect({ op: op.label, errors: body.errors, answered: !!body.data && op.check(body.data) }).toEqual({ op: op.label, errors: undefined, answered: true });
    return Number(response.headers.get('x-sql-statements'));
  }

  const variablesOf = (op: Operation) => op.perConnection?.[0] ?? op.variables;

  test('page of 5 and page of 50; then twice the schools and cases: the same statements per operation', async () => {
    const before = new Map<string, number>();
    for (const op of ops) {
      const variables = variablesOf(op);
      const n = await statementsOf(op, variables);
      if (variables && 'first' in variables) expect({ op: op.label, small: await statementsOf(op, { ...variables, first: 5 }) }).toEqual({ op: op.label, small: n });
      expect(n).toBeGreaterThan(3);
      before.set(op.label, n);
    }
    const [{ count: trajectoriesBefore }] = await bench.dataSource.query('SELECT count(*)::int AS count FROM trajectory');
    await growSchools(bench.dataSource, amsterdamId, 2, 3_000);
    const [{ count: trajectoriesAfter }] = await bench.dataSource.query('SELECT count(*)::int AS count FROM trajectory');
    expect(trajectoriesAfter).toBe(3 * trajectoriesBefore);
    for (const op of ops) expect({ op: op.label, statements: await statementsOf(op, variablesOf(op)) }).toEqual({ op: op.label, statements: before.get(op.label) });
  }, 120_000);
});
