/**
 * Idempotent mutations (src/graphql/idempotency.ts): the four cases of the Idempotency-Key
 * header, concurrency included, each asserting what was written.
 */
import { randomUUID } from 'node:crypto';
import { Role } from '../../src/domain/enums';
import { createUser, unique } from '../factories';
import { useAppWithWorld } from '../setup/app-with-world';

const CREATE = 'mutation C($input: CreateStudentInput!) { createStudent(input: $input) { id studentNumber } }';

const { app, world, post } = useAppWithWorld();
let colleague: string;
beforeAll(async () => {
  colleague = (await createUser(app.dataSource, world.partnership, [[Role.SCHOOL_COORDINATOR, { school: world.schools.A1 }]])).email;
});

const input = (studentNumber = unique('N').slice(0, 20)) => ({ givenName: 'Idem', familyName: unique('Potent'), birthDate: '2012-03-04', studentNumber, expectedExitLevel: 'HAVO' });

async function send(subject: string, key: string | null, query: string, variables: Record<string, unknown>) {
  const response = await post<{ data?: any; errors?: Array<{ extensions: Record<string, unknown> }> }>(subject, query, variables, key === null ? {} : { 'idempotency-key': key });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: response.body };
}

async function studentsNumbered(studentNumber: string): Promise<number> {
  const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM student WHERE student_number = $1', [studentNumber]);
  return n;
}

test('the same key and payload from the same user: one effect, the same answer replayed', async () => {
  const key = randomUUID();
  const variables = { input: input() };
  const first = await send(world.users.schoolA1.email, key, CREATE, variables);
  const retry = await send(world.users.schoolA1.email, key, CREATE, variables);
  expect(first.status).toBe(200);
  expect(first.body.errors).toBeUndefined();
  expect(retry).toEqual({ status: 200, replayed: 'true', body: first.body });
  expect(await studentsNumbered(variables.input.studentNumber)).toBe(1);
});

test('the same key with a different payload: 422, nothing written', async () => {
  const key = randomUUID();
  await send(world.users.schoolA1.email, key, CREATE, { input: input() });
  const other = input();
  const refused = await send(world.users.schoolA1.email, key, CREATE, { input: other });
  expect(refused.status).toBe(422);
  expect(refused.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  expect(await studentsNumbered(other.studentNumber)).toBe(0);
});

test('the same key while the first request is still running: 409, nothing written', async () => {
  const key = randomUUID();
  const variables = { input: input() };
  const claimAsRunning = async () => {
    // Claim the key as a running request would (no answer yet), with the hash of this very request.
    await send(world.users.schoolA1.email, key, CREATE, variables);
    await app.dataSource.query('UPDATE idempotency_key SET response_status = NULL, response_body = NULL WHERE key = $1', [key]);
  };
  await claimAsRunning();
  const before = await studentsNumbered(variables.input.studentNumber);
  const busy = await send(world.users.schoolA1.email, key, CREATE, variables);
  expect(busy.status).toBe(409);
  expect(busy.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
  expect(await studentsNumbered(variables.input.studentNumber)).toBe(before);
});

test('ten concurrent requests with one key: exactly one effect; the others wait (409) or replay the answer', async () => {
  const key = randomUUID();
  const variables = { input: input() };
  const answers = await Promise.all(Array.from({ length: 10 }, () => send(world.users.schoolA1.email, key, CREATE, variables)));
  expect(await studentsNumbered(variables.input.studentNumber)).toBe(1);
  const applied = answers.filter((a) => a.status === 200 && a.replayed === null);
  expect(applied).toHaveLength(1);
  for (const a of answers.filter((x) => x !== applied[0])) {
    if (a.status === 200) expect(a).toEqual({ status: 200, replayed: 'true', body: applied[0].body });
    else expect([a.status, a.body.errors![0].extensions.code]).toEqual([409, 'CONFLICT']);
  }
});

test('another user with the same key and payload: no replay of someone else\'s answer, their own effect', async () => {
  const key = randomUUID();
  const first = await send(world.users.schoolA1.email, key, CREATE, { input: input() });
  const theirs = await send(colleague, key, CREATE, { input: input() });
  expect(theirs.replayed).toBeNull();
  expect(theirs.body.errors).toBeUndefined();
  expect(theirs.body.data.createStudent.id).not.toBe(first.body.data.createStudent.id);
});

test('an unusable key is refused (400); queries ignore the header; without a key every request applies', async () => {
  const bad = await send(world.users.schoolA1.email, 'bad key with spaces', CREATE, { input: input() });
  expect([bad.status, bad.body.errors![0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
  const query = await send(world.users.schoolA1.email, 'q-1', '{ me { id } }', {});
  const again = await send(world.users.schoolA1.email, 'q-1', '{ me { id } }', {});
  expect([query.status, again.status, again.replayed]).toEqual([200, 200, null]);
  const variables = { input: input() };
  await send(world.users.schoolA1.email, null, CREATE, variables);
  const second = await send(world.users.schoolA1.email, null, CREATE, variables);
  // Without a key the retry runs again (and here meets the unique student number).
  expect(second.body.errors?.[0]?.extensions.code).toBe('CONFLICT');
});
