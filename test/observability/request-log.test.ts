/**
 * The request log (src/graphql/observation.ts): one JSON line per request to /graphql with its
 * id, user, roles, operation, duration, SQL statements and outcome, also for a request refused
 * before Apollo ran it; never the token, the variables or the answer.
 */
import { randomUUID } from 'node:crypto';
import { createStudent, unique } from '../factories';
import { useAppWithWorld } from '../setup/app-with-world';

const { app, world } = useAppWithWorld();

const RENAME = 'mutation RenameStudent($input: UpdateStudentInput!) { updateStudent(input: $input) { id givenName } }';
const READ = 'query ReadStudent($id: ID!) { student(id: $id) { id givenName familyName } }';

/** POSTs with a raw Authorization header and a request id; the answer's body, status and statement count. */
async function post(authorization: string | null, query: string, variables: Record<string, unknown> = {}) {
  const requestId = `log-${randomUUID()}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestId };
  if (authorization) headers.authorization = authorization;
  const response = await fetch(app.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: string } }> };
  return { requestId, status: response.status, body, statements: Number(response.headers.get('x-sql-statements')), echoed: response.headers.get('x-request-id') };
}

/** The request lines of `requestId` (the answer is sent before the line is written: wait a moment for it). */
async function linesOf(requestId: string): Promise<Array<Record<string, unknown>>> {
  for (let i = 0; i < 50; i++) {
    const lines = app.logs().filter((l) => l.msg === 'request' && l.requestId === requestId);
    if (lines.length) return lines;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return [];
}

test('one line per request: id, user, roles, operation, duration, SQL statements, outcome', async () => {
  const student = await createStudent(app.dataSource, world.schools.A1);
  const token = await app.token(world.users.schoolA1.email);
  const renamed = await post(`Bearer ${token}`, RENAME, { input: { studentId: student.id, givenName: unique('Naam') } });
  expect(renamed.status).toBe(200);
  expect(renamed.echoed).toBe(renamed.requestId);
  expect(await linesOf(renamed.requestId)).toEqual([expect.objectContaining({
    level: 30,
    requestId: renamed.requestId,
    userId: world.users.schoolA1.id,
    roles: ['SCHOOL_COORDINATOR'],
    operation: 'RenameStudent',
    operationType: 'mutation',
    sqlStatements: renamed.statements,
    status: 200,
    outcome: 'OK',
    durationMs: expect.any(Number),
  })]);
  expect(renamed.statements).toBeGreaterThan(2);

  // Refused by the rules: the outcome is the answer's code.
  const refused = await post(`Bearer ${await app.token(world.users.analyst.email)}`, RENAME, { input: { studentId: student.id, givenName: 'x' } });
  expect(refused.body.errors?.[0]?.extensions?.code).toBeDefined();
  const [refusedLine] = await linesOf(refused.requestId);
  expect(refusedLine).toMatchObject({ userId: world.users.analyst.id, roles: ['PARTNERSHIP_ANALYST'], operation: 'RenameStudent', outcome: refused.body.errors![0].extensions!.code });

  // Refused before Apollo ran it (no valid token): no user, no operation, UNAUTHENTICATED.
  const anonymous = await post('Bearer not-a-token', READ, { id: student.id });
  expect(anonymous.status).toBe(401);
  expect(await linesOf(anonymous.requestId)).toEqual([expect.objectContaining({ userId: null, roles: [], operation: null, operationType: null, status: 401, outcome: 'UNAUTHENTICATED' })]);

  // A document that does not parse: no operation resolved, BAD_USER_INPUT.
  const broken = await post(`Bearer ${token}`, '{ me { id ');
  expect(await linesOf(broken.requestId)).toEqual([expect.objectContaining({ userId: world.users.schoolA1.id, operation: null, outcome: 'BAD_USER_INPUT' })]);
});

test('the log carries no token, no variables and no answer: a name sent and read back is nowhere in it', async () => {
  const student = await createStudent(app.dataSource, world.schools.A1);
  const name = `Vertrouwelijk${randomUUID().slice(0, 8)}`;
  const family = `Geheim${randomUUID().slice(0, 8)}`;
  const token = await app.token(world.users.schoolA1.email);
  const before = app.logText().length;
  const renamed = await post(`Bearer ${token}`, RENAME, { input: { studentId: student.id, givenName: name, familyName: family } });
  expect(renamed.body.data).toEqual({ updateStudent: { id: student.id, givenName: name } });
  const read = await post(`Bearer ${token}`, READ, { id: student.id });
  expect(read.body.data).toEqual({ student: { id: student.id, givenName: name, familyName: family } });
  const bad = await post(`Bearer ${token}x`, READ, { id: student.id });
  await linesOf(bad.requestId);
  const written = app.logText().slice(before);
  // Something was written (three request lines), and none of it is what must stay out.
  expect(written.split('\n').filter((l) => l.includes('"msg":"request"'))).toHaveLength(3);
  for (const secret of [name, family, token, token.split('.')[2], 'Bearer']) expect(written).not.toContain(secret);
  expect(written).not.toMatch(/"(variables|query|authorization|data|body)":/i);
});
