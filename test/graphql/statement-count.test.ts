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
