/**
 * Bad input (the README, "Errors"): a malformed id, an unknown enum value, a page size out of
 * range, a cursor that is not ours, a foreign id, a rule the input breaks — each answers a
 * stable code with a plain-English message that names the offending field where there is
 * one, and writes nothing. A foreign id answers exactly like a missing one. A write that
 * fails half-way leaves nothing behind.
 *
 * Every test counts the rows of the affected tables for its own partnerships before and
 * after; other test files share the database, so nothing global is assumed.
 */
import { randomUUID } from 'node:crypto';
import { Role } from '../../src/domain/enums';
import { createPartnership, createSchool, createStudent, createUser, createWindstreek, unique } from '../factories';
import { createWorld, World } from '../factories/world';
import { GraphQLResponse, startTestApp, TestApp } from '../setup/app';

type GqlError = NonNullable<GraphQLResponse['body']['errors']>[number];

const CREATE_SCHOOL = 'mutation($input: CreateSchoolInput!) { createSchool(input: $input) { id name brinCode } }';
const CREATE_STUDENT = 'mutation($input: CreateStudentInput!) { createStudent(input: $input) { id studentNumber guardians { totalCount } } }';
const GRANT = 'mutation($input: GrantMembershipInput!) { grantMembership(input: $input) { id role } }';
const STUDENTS = 'query($first: Int, $after: String) { students(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id } } } }';

/** What a client-visible message must never contain: SQL, table, column, constraint or index names, stacks. */
const INTERNALS = /duplicate key|violates|constraint|relation "|"school"|"student"|"guardian"|app_user|brin_code|student_number|school_id|partnership_id|IDX_|UQ_|FK_|select |insert into|update |QueryFailedError|typeorm|\n\s+at |node_modules/i;

/** The one error of a response: the expected code, plain English, no data for the failed field. */
function expectError(response: GraphQLResponse, code: string, field?: string | RegExp): GqlError {
  expect(response.body.errors).toHaveLength(1);
  const error = response.body.errors![0];
  expect(error.extensions?.code).toBe(code);
  if (field instanceof RegExp) expect(String(error.extensions?.field)).toMatch(field);
  else if (field !== undefined) expect(error.extensions?.field).toBe(field);
  expect(error.message.length).toBeGreaterThan(5);
  expect(error.message).not.toMatch(INTERNALS);
  expect(error.extensions).not.toHaveProperty('stacktrace');
  const data = response.body.data as Record<string, unknown> | null | undefined;
  if (data) for (const value of Object.values(data)) expect(value).toBeNull();
  return error;
}

describe('bad input answers stable codes and writes nothing', () => {
  let app: TestApp;
  let world: World;
  let other: { partnershipId: string; windstreekId: string; userId: string };

  /** Row counts of the tables a bad write could touch, for both partnerships of this file. */
  async function counts(): Promise<Record<string, number>> {
    const ids = [world.partnership.id, other.partnershipId];
    const result: Record<string, number> = {};
    for (const table of ['school', 'student', 'guardian', 'membership', 'app_user', 'windstreek', 'topteam']) {
      const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM ${table} WHERE partnership_id = ANY($1)`, [ids]);
      result[table] = count;
    }
    return result;
  }

  /** A valid createStudent input for school A1 (no schoolId: the coordinator has one school). */
  function studentInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      givenName: 'Noor',
      familyName: 'de Vries',
      birthDate: '2012-05-04',
      studentNumber: unique('N').slice(0, 20),
      expectedExitLevel: 'HAVO',
      guardians: [
        { name: 'Fatima de Vries', relationship: 'moeder', hasParentalAuthority: true },
        { name: 'Jan de Vries', relationship: 'vader', hasParentalAuthority: true },
      ],
      ...overrides,
    };
  }

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app.dataSource);
    const otherPartnership = await createPartnership(app.dataSource);
    const otherWindstreek = await createWindstreek(app.dataSource, otherPartnership);
    const otherUser = await createUser(app.dataSource, otherPartnership, []);
    other = { partnershipId: otherPartnership.id, windstreekId: otherWindstreek.id, userId: otherUser.id };
  });
  afterAll(() => app.stop());

  describe('malformed ids', () => {
    test('as SCHOOL_COORDINATOR of A1, student(id: "not-a-uuid") answers BAD_USER_INPUT naming id', async () => {
      const response = await app.gql(world.users.schoolA1.email, '{ student(id: "not-a-uuid") { id } }');
      expectError(response, 'BAD_USER_INPUT', 'id');
      // Positive control: a well-formed id of an own student is read.
      const ok = await app.gql<{ student: { id: string } }>(world.users.schoolA1.email, `{ student(id: "${world.students.a1Plain.id}") { id } }`);
      expect(ok.body.data!.student.id).toBe(world.students.a1Plain.id);
    });

    test('as ADMIN, school(id:) with an id that is not a uuid (SQL-looking, empty) answers BAD_USER_INPUT naming id', async () => {
      for (const id of ["1' OR '1'='1", '', `${world.schools.A1.id}x`]) {
        expectError(await app.gql(world.users.admin.email, 'query($id: ID!) { school(id: $id) { id } }', { id }), 'BAD_USER_INPUT', 'id');
      }
    });

    test('as ADMIN, createSchool with windstreekId "x" answers BAD_USER_INPUT naming windstreekId and writes nothing', async () => {
      const before = await counts();
      const response = await app.gql(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: '11AA', windstreekId: 'x' } });
      expectError(response, 'BAD_USER_INPUT', /^(input\.)?windstreekId$/);
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1, createStudent with a malformed mentorUserId answers BAD_USER_INPUT naming mentorUserId and writes nothing', async () => {
      const before = await counts();
      const response = await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ mentorUserId: 'mentor-1' }) });
      expectError(response, 'BAD_USER_INPUT', /^(input\.)?mentorUserId$/);
      expect(await counts()).toEqual(before);
    });
  });

  describe('unknown enum values', () => {
    test('as ADMIN, grantMembership with role WIZARD in the document answers BAD_USER_INPUT and writes nothing', async () => {
      const before = await counts();
      const response = await app.gql(world.users.admin.email, `mutation { grantMembership(input: { userId: "${world.users.nobody.id}", role: WIZARD }) { id } }`);
      expect(response.status).toBe(400);
      expectError(response, 'BAD_USER_INPUT');
      expect(response.body.errors![0].message).toMatch(/WIZARD/);
      expect(await counts()).toEqual(before);
    });

    test('as ADMIN, grantMembership with role "WIZARD" in variables answers BAD_USER_INPUT and writes nothing', async () => {
      const before = await counts();
      const response = await app.gql(world.users.admin.email, GRANT, { input: { userId: world.users.nobody.id, role: 'WIZARD' } });
      expectError(response, 'BAD_USER_INPUT');
      expect(response.body.errors![0].message).toMatch(/WIZARD/);
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1, createStudent with expectedExitLevel "GYMNASIUM" answers BAD_USER_INPUT and writes nothing', async () => {
      const before = await counts();
      expectError(await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ expectedExitLevel: 'GYMNASIUM' }) }), 'BAD_USER_INPUT');
      expect(await counts()).toEqual(before);
    });
  });

  describe('pagination arguments', () => {
    test('as SCHOOL_COORDINATOR of a school with four students, first: 101 and first: 0 (and -1) answer BAD_USER_INPUT naming first', async () => {
      // A school of its own: other tests here register students at A1.
      const school = await createSchool(app.dataSource, world.windstreken.A);
      const coordinator = await createUser(app.dataSource, world.partnership, [[Role.SCHOOL_COORDINATOR, { school }]]);
      for (let i = 0; i < 4; i++) await createStudent(app.dataSource, school);
      for (const first of [101, 0, -1]) {
        expectError(await app.gql(coordinator.email, STUDENTS, { first }), 'BAD_USER_INPUT', 'first');
      }
      // Positive control: the bounds themselves are accepted.
      for (const first of [1, 100]) {
        const ok = await app.gql<{ students: { totalCount: number; edges: unknown[] } }>(coordinator.email, STUDENTS, { first });
        expect(ok.body.errors).toBeUndefined();
        expect(ok.body.data!.students.totalCount).toBe(4);
        expect(ok.body.data!.students.edges).toHaveLength(Math.min(first, 4));
      }
    });

    test('as SCHOOL_COORDINATOR of A1, first: 101 on a nested connection (student.guardians) answers BAD_USER_INPUT naming first', async () => {
      const response = await app.gql(world.users.schoolA1.email, `{ student(id: "${world.students.a1Plain.id}") { id guardians(first: 101) { totalCount } } }`);
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(response.body.errors![0].path).toEqual(['student', 'guardians']);
    });

    test('as SCHOOL_COORDINATOR of A1, a garbage after cursor answers BAD_USER_INPUT naming after', async () => {
      for (const after of ['garbage', '!!!', Buffer.from('{"not":"ours"}').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url')]) {
        expectError(await app.gql(world.users.schoolA1.email, STUDENTS, { first: 2, after }), 'BAD_USER_INPUT', 'after');
      }
      // Positive control: the endCursor of a real page is accepted and continues the list.
      const page1 = await app.gql<{ students: { pageInfo: { endCursor: string }; edges: Array<{ node: { id: string } }> } }>(world.users.schoolA1.email, STUDENTS, { first: 2 });
      const page2 = await app.gql<{ students: { edges: Array<{ node: { id: string } }> } }>(world.users.schoolA1.email, STUDENTS, { first: 2, after: page1.body.data!.students.pageInfo.endCursor });
      expect(page2.body.errors).toBeUndefined();
      const ids = [...page1.body.data!.students.edges, ...page2.body.data!.students.edges].map((e) => e.node.id);
      expect(new Set(ids).size).toBe(4);
    });

    test('as SCHOOL_COORDINATOR of A1, a forged cursor of the right shape but with values that are not ours answers BAD_USER_INPUT naming after (not an internal error)', async () => {
      const forged = [
        ['not-a-timestamp', randomUUID()],
        ['2026-01-01T00:00:00.000Z', 'not-a-uuid'],
        [42, randomUUID()],
        // Impossible dates that Date.parse would roll over to 1 March.
        ['2024-02-30T10:00:00.000Z', randomUUID()],
        ['2025-02-29T00:00:00.000Z', randomUUID()],
        ['2024-04-31T12:00:00Z', randomUUID()],
      ].map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url'));
      const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const answers: unknown[] = [];
      try {
        for (const after of forged) answers.push((await app.gql(world.users.schoolA1.email, STUDENTS, { first: 2, after })).body.errors?.[0]?.extensions);
      } finally {
        silenced.mockRestore();
      }
      expect(answers).toEqual(forged.map(() => ({ code: 'BAD_USER_INPUT', field: 'after' })));
    });
  });

  describe('foreign ids answer like missing ones', () => {
    test('as ADMIN of partnership 1, createSchool with a windstreekId of partnership 2 answers NOT_FOUND, like a random id, and writes nothing', async () => {
      const before = await counts();
      const foreign = await app.gql(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: '12AA', windstreekId: other.windstreekId } });
      const missing = await app.gql(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: '12AB', windstreekId: randomUUID() } });
      const foreignError = expectError(foreign, 'NOT_FOUND');
      const missingError = expectError(missing, 'NOT_FOUND');
      expect(foreignError.message).toBe(missingError.message);
      expect(foreignError.extensions).toEqual(missingError.extensions);
      expect(await counts()).toEqual(before);
      // Positive control: the own windstreek works.
      const ok = await app.gql<{ createSchool: { brinCode: string } }>(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: '12AC', windstreekId: world.windstreken.A.id } });
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.createSchool.brinCode).toBe('12AC');
      expect((await counts()).school).toBe(before.school + 1);
    });

    test('as ADMIN of partnership 1, grantMembership for a user of partnership 2 answers NOT_FOUND, like a random id, and writes nothing', async () => {
      const before = await counts();
      const foreign = expectError(await app.gql(world.users.admin.email, GRANT, { input: { userId: other.userId, role: 'PARTNERSHIP_ANALYST' } }), 'NOT_FOUND');
      const missing = expectError(await app.gql(world.users.admin.email, GRANT, { input: { userId: randomUUID(), role: 'PARTNERSHIP_ANALYST' } }), 'NOT_FOUND');
      expect(foreign.message).toBe(missing.message);
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1, createStudent with the schoolId of school A2 answers NOT_FOUND with the same message as a random id, and writes nothing', async () => {
      const before = await counts();
      const foreign = expectError(await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ schoolId: world.schools.A2.id }) }), 'NOT_FOUND');
      const missing = expectError(await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ schoolId: randomUUID() }) }), 'NOT_FOUND');
      expect(foreign.message).toBe(missing.message);
      expect(foreign.extensions).toEqual(missing.extensions);
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1, createStudent with a mentorUserId that is not a mentor at A1 answers NOT_FOUND and writes no student and no guardians', async () => {
      const mentorA2 = await createUser(app.dataSource, world.partnership, [[Role.MENTOR, { school: world.schools.A2 }]]);
      const before = await counts();
      const messages: string[] = [];
      // A mentor at another school, a coordinator (not a mentor), a user of another partnership, a random id.
      for (const mentorUserId of [mentorA2.id, world.users.schoolA1.id, other.userId, randomUUID()]) {
        const response = await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ mentorUserId }) });
        messages.push(expectError(response, 'NOT_FOUND').message);
      }
      expect(new Set(messages).size).toBe(1);
      expect(await counts()).toEqual(before);
      // Positive control: the mentor of A1 is accepted; one student and two guardians are written.
      const ok = await app.gql<{ createStudent: { guardians: { totalCount: number } } }>(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ mentorUserId: world.users.mentorA1.id }) });
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.createStudent.guardians.totalCount).toBe(2);
      const after = await counts();
      expect([after.student - before.student, after.guardian - before.guardian]).toEqual([1, 2]);
    });
  });

  describe('rules the input breaks', () => {
    test('as ADMIN, createSchool with an invalid BRIN code answers BAD_USER_INPUT naming brinCode and writes nothing', async () => {
      const before = await counts();
      for (const brinCode of ['12ab', 'ABCD', '123', '12ABC', '']) {
        expectError(await app.gql(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode, windstreekId: world.windstreken.A.id } }), 'BAD_USER_INPUT', /^(input\.)?brinCode$/);
      }
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1, a birthDate in the future answers BAD_USER_INPUT naming input.birthDate and writes nothing', async () => {
      const before = await counts();
      const error = expectError(await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ birthDate: '2026-03-17' }) }), 'BAD_USER_INPUT', 'input.birthDate');
      expect(error.message).toMatch(/future/);
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1, an impossible calendar date answers BAD_USER_INPUT and writes nothing', async () => {
      const before = await counts();
      expectError(await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ birthDate: '2012-02-30' }) }), 'BAD_USER_INPUT');
      expect(await counts()).toEqual(before);
    });

    test('as ADMIN, createSchool with a BRIN code already used in the partnership answers CONFLICT without constraint names, and writes nothing', async () => {
      const before = await counts();
      const error = expectError(await app.gql(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: world.schools.A1.brinCode, windstreekId: world.windstreken.B.id } }), 'CONFLICT');
      expect(error.message).toMatch(/BRIN/);
      expect(await counts()).toEqual(before);
    });

    test('as ADMIN, grantMembership SCHOOL_COORDINATOR with a windstreekId (a scope that does not fit the role) answers BAD_USER_INPUT and writes nothing', async () => {
      const before = await counts();
      expectError(await app.gql(world.users.admin.email, GRANT, { input: { userId: world.users.nobody.id, role: 'SCHOOL_COORDINATOR', windstreekId: world.windstreken.A.id } }), 'BAD_USER_INPUT', 'input.windstreekId');
      expectError(await app.gql(world.users.admin.email, GRANT, { input: { userId: world.users.nobody.id, role: 'SCHOOL_COORDINATOR', schoolId: world.schools.A1.id, windstreekId: world.windstreken.A.id } }), 'BAD_USER_INPUT', 'input.windstreekId');
      expectError(await app.gql(world.users.admin.email, GRANT, { input: { userId: world.users.nobody.id, role: 'SCHOOL_COORDINATOR' } }), 'BAD_USER_INPUT', 'input.schoolId');
      expectError(await app.gql(world.users.admin.email, GRANT, { input: { userId: world.users.nobody.id, role: 'MENTOR', schoolId: world.schools.A1.id, teamFunction: 'TEACHER' } }), 'BAD_USER_INPUT', 'input.teamFunction');
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1 (not an admin), createSchool answers FORBIDDEN and writes nothing', async () => {
      const before = await counts();
      for (const user of [world.users.schoolA1, world.users.coordinator, world.users.privacy]) {
        expectError(await app.gql(user.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: '13AA', windstreekId: world.windstreken.A.id } }), 'FORBIDDEN');
      }
      expect(await counts()).toEqual(before);
    });

    test('as SCHOOL_COORDINATOR of A1, a duplicate student number at the school answers CONFLICT and writes no student and no guardians', async () => {
      const studentNumber = unique('D').slice(0, 20);
      const first = await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ studentNumber }) });
      expect(first.body.errors).toBeUndefined();
      const before = await counts();
      const error = expectError(await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ studentNumber, givenName: 'Other' }) }), 'CONFLICT');
      expect(error.message).toMatch(/student number/);
      expect(await counts()).toEqual(before);
      const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM student WHERE school_id = $1 AND student_number = $2', [world.schools.A1.id, studentNumber]);
      expect(count).toBe(1);
    });
  });

  describe('a write that fails half-way leaves nothing', () => {
    let trigger: string;
    const marker = `Failing guardian ${unique()}`;

    beforeAll(async () => {
      // A trigger that fails the insert of one guardian with a marker name only: the second
      // guardian of a createStudent fails after the student and the first guardian were written.
      trigger = `bad_input_test_${unique().replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
      await app.dataSource.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'insert into relation "guardian" violates check constraint "guardian_secret_rule"'; END $$`);
      await app.dataSource.query(`CREATE TRIGGER ${trigger} BEFORE INSERT ON guardian FOR EACH ROW WHEN (NEW.name = '${marker}') EXECUTE FUNCTION ${trigger}()`);
    });
    afterAll(async () => {
      await app.dataSource.query(`DROP TRIGGER IF EXISTS ${trigger} ON guardian`);
      await app.dataSource.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
    });

    test('as SCHOOL_COORDINATOR of A1, createStudent whose second guardian fails in the database writes no student and no guardian, and answers a masked INTERNAL_SERVER_ERROR', async () => {
      const before = await counts();
      const studentNumber = unique('H').slice(0, 20);
      const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      let response: GraphQLResponse;
      try {
        response = await app.gql(world.users.schoolA1.email, CREATE_STUDENT, {
          input: studentInput({
            studentNumber,
            guardians: [
              { name: 'First guardian', relationship: 'moeder', hasParentalAuthority: true },
              { name: marker, relationship: 'vader', hasParentalAuthority: true },
            ],
          }),
        });
      } finally {
        silenced.mockRestore();
      }
      const error = expectError(response, 'INTERNAL_SERVER_ERROR');
      expect(error.message).not.toMatch(/guardian_secret_rule/);
      expect(await counts()).toEqual(before);
      const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM student WHERE school_id = $1 AND student_number = $2', [world.schools.A1.id, studentNumber]);
      expect(count).toBe(0);
      // Positive control: the same input without the failing guardian is written in full.
      const ok = await app.gql<{ createStudent: { guardians: { totalCount: number } } }>(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ studentNumber }) });
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.createStudent.guardians.totalCount).toBe(2);
    });
  });

  describe('field names in BAD_USER_INPUT are one convention', () => {
    test('as ADMIN and SCHOOL_COORDINATOR, a field of a mutation input is named input.<field> whether format validation or a service rule rejects it', async () => {
      // A service rule names `input.birthDate` / `input.windstreekId` (see above); the format
      // checks on the same `input` argument must use the same path (errors.ts documents `input.brinCode`).
      const brin = await app.gql(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: 'nope', windstreekId: world.windstreken.A.id } });
      const windstreek = await app.gql(world.users.admin.email, CREATE_SCHOOL, { input: { name: unique('School '), brinCode: '14AA', windstreekId: 'x' } });
      const guardianName = await app.gql(world.users.schoolA1.email, CREATE_STUDENT, { input: studentInput({ guardians: [{ name: '', relationship: 'moeder', hasParentalAuthority: true }] }) });
      expect([brin, windstreek, guardianName].map((r) => r.body.errors?.[0]?.extensions?.field)).toEqual([
        'input.brinCode',
        'input.windstreekId',
        expect.stringMatching(/^input\.guardians(\.|\[)0\]?\.name$/),
      ]);
    });
  });
});
