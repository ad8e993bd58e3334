/**
 * Denied single reads in the access log (AVG rule 5, "every … DENIED ATTEMPT"): a root
 * `student(id)`, `trajectory(id)` or `consent(id)` that answers null for a row of the caller's
 * partnership the caller may not see writes a DENIED READ entry (object, id, student), while
 * the client gets exactly the answer of a missing id (AVG rule 2, src/authz/README.md). A missing id, or one of
 * another partnership, writes nothing. The existence check is one statement per request, and
 * only when a single read answered null; the chain stays intact.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { verifyChain } from '../../src/audit/chain';
import { Role } from '../../src/domain/enums';
import { createPartnership, createSchool, createStudent, createUser, createWindstreek } from '../factories';
import { useAppWithWorld } from '../setup/app-with-world';
import type { User } from '../../src/modules/users/user.entity';

interface LogRow {
  partnership_id: string;
  user_id: string;
  role: string | null;
  action: string;
  outcome: string;
  student_id: string | null;
  object_type: string;
  object_id: string | null;
  fields: string[];
  request_id: string;
  objects: string[] | null;
}

const { app, world, post: postRaw } = useAppWithWorld();
let ds: DataSource;
let consentA1Team: string;
let consentB1Team: string;

/** POSTs an operation with its own request id; returns the raw body text, parsed body and statement count. */
async function post(user: User, query: string, variables: Record<string, unknown> = {}) {
  const requestId = `denied-${randomUUID()}`;
  const response = await postRaw<{ data?: Record<string, any> | null; errors?: unknown[] }>(user.email, query, variables, { 'x-request-id': requestId });
  return { status: response.status, text: response.text, body: response.body, requestId, statements: Number(response.headers.get('x-sql-statements')) };
}

/** Every entry of a request, in any partnership. */
async function entriesOf(requestId: string): Promise<LogRow[]> {
  return ds.query(
    `SELECT partnership_id, user_id, role::text AS role, action::text AS action, outcome::text AS outcome, student_id,
            object_type, object_id, fields, request_id, objects
       FROM access_log_entry e WHERE request_id = $1 ORDER BY e.partnership_id, e.sequence`,
    [requestId],
  );
}

const STUDENT = 'query S($id: ID!) { student(id: $id) { id givenName } }';
const TRAJECTORY = 'query T($id: ID!) { trajectory(id: $id) { id phase } }';
const CONSENT = 'query C($id: ID!) { consent(id: $id) { id purpose } }';
const THREE = 'query R($s: ID!, $t: ID!, $c: ID!) { student(id: $s) { id } trajectory(id: $t) { id } consent(id: $c) { id } }';

beforeAll(async () => {
  ds = app.dataSource;
  const consentOf = async (studentId: string): Promise<string> =>
    (await ds.query(`SELECT id FROM consent WHERE student_id = $1 ORDER BY created_at, id LIMIT 1`, [studentId]))[0].id;
  consentA1Team = await consentOf(world.students.a1Team.id);
  consentB1Team = await consentOf(world.students.b1Team.id);
});

describe('a hidden single read is logged as DENIED, and answers like a missing one', () => {
  test('as SCHOOL_COORDINATOR of B1, student(id: <a student of A1>) answers null and writes one DENIED READ entry with that student', async () => {
    const { schoolA1, schoolB1 } = world.users;
    const a1 = world.students.a1Plain;
    // Positive control: the student exists and its own school coordinator reads it.
    const own = await post(schoolA1, STUDENT, { id: a1.id });
    expect(own.body.data!.student).toEqual({ id: a1.id, givenName: a1.givenName });

    const hidden = await post(schoolB1, STUDENT, { id: a1.id });
    const missing = await post(schoolB1, STUDENT, { id: randomUUID() });
    expect(hidden.body).toEqual({ data: { student: null } });
    // Exactly the same answer as a missing id: status, bytes, no error.
    expect(hidden.status).toBe(missing.status);
    expect(hidden.text).toBe(missing.text);
    expect(await entriesOf(hidden.requestId)).toEqual([
      {
        partnership_id: world.partnership.id, user_id: schoolB1.id, role: 'SCHOOL_COORDINATOR',
        action: 'READ', outcome: 'DENIED', student_id: a1.id, object_type: 'Student', object_id: a1.id,
        fields: ['student'], request_id: hidden.requestId, objects: null,
      },
    ]);
  });

  test('as SCHOOL_COORDINATOR of B1, student(id: <random uuid>) answers null and writes no entry', async () => {
    const missing = await post(world.users.schoolB1, STUDENT, { id: randomUUID() });
    expect(missing.body).toEqual({ data: { student: null } });
    expect(await entriesOf(missing.requestId)).toEqual([]);
  });

  test('as SCHOOL_COORDINATOR of B1, student(id: <a student of another partnership>) answers null and writes no entry in either log', async () => {
    const p2 = await createPartnership(ds);
    const s2 = await createSchool(ds, await createWindstreek(ds, p2));
    const coordinator2 = await createUser(ds, p2, [[Role.SCHOOL_COORDINATOR, { school: s2 }]]);
    const foreign = await createStudent(ds, s2);
    // Positive control: it exists and is readable in its own partnership.
    const own = await post(coordinator2, STUDENT, { id: foreign.id });
    expect(own.body.data!.student.id).toBe(foreign.id);

    const countIn = async (partnershipId: string): Promise<number> =>
      (await ds.query('SELECT count(*)::int AS n FROM access_log_entry WHERE partnership_id = $1', [partnershipId]))[0].n;
    const before = [await countIn(world.partnership.id), await countIn(p2.id)];
    const probe = await post(world.users.schoolB1, STUDENT, { id: foreign.id });
    const missing = await post(world.users.schoolB1, STUDENT, { id: randomUUID() });
    expect(probe.body).toEqual({ data: { student: null } });
    expect(probe.text).toBe(missing.text);
    expect(await entriesOf(probe.requestId)).toEqual([]);
    expect([await countIn(world.partnership.id), await countIn(p2.id)]).toEqual(before);
    // Nothing tells the two apart to the client, not even the cost.
    expect(probe.statements).toBe(missing.statements);
  });

  test('as SCHOOL_COORDINATOR of B1, hidden trajectory(id) and consent(id) of A1 answer null and write DENIED entries with their student', async () => {
    const { schoolB1 } = world.users;
    const a1Team = world.students.a1Team;
    const trajectoryId = world.trajectories.a1Team.id;
    // Positive control: the same reads of B1's own trajectory and consent answer.
    const ownT = await post(schoolB1, TRAJECTORY, { id: world.trajectories.b1Team.id });
    const ownC = await post(schoolB1, CONSENT, { id: consentB1Team });
    expect(ownT.body.data!.trajectory.id).toBe(world.trajectories.b1Team.id);
    expect(ownC.body.data!.consent.id).toBe(consentB1Team);

    const t = await post(schoolB1, TRAJECTORY, { id: trajectoryId });
    const c = await post(schoolB1, CONSENT, { id: consentA1Team });
    expect(t.body).toEqual({ data: { trajectory: null } });
    expect(c.body).toEqual({ data: { consent: null } });
    expect(t.text).toBe((await post(schoolB1, TRAJECTORY, { id: randomUUID() })).text);
    expect(c.text).toBe((await post(schoolB1, CONSENT, { id: randomUUID() })).text);
    expect(await entriesOf(t.requestId)).toEqual([
      expect.objectContaining({
        action: 'READ', outcome: 'DENIED', object_type: 'Trajectory', object_id: trajectoryId, student_id: a1Team.id,
        fields: ['trajectory'], objects: null, user_id: schoolB1.id, partnership_id: world.partnership.id,
      }),
    ]);
    expect(await entriesOf(c.requestId)).toEqual([
      expect.objectContaining({
        action: 'READ', outcome: 'DENIED', object_type: 'Consent', object_id: consentA1Team, student_id: a1Team.id,
        fields: ['consent'], objects: null, user_id: schoolB1.id, partnership_id: world.partnership.id,
      }),
    ]);
  });

  test('as SCHOOL_COORDINATOR of B1, one request with a visible, a hidden and a missing read logs the visible one ALLOWED and the hidden one DENIED only', async () => {
    const { schoolB1 } = world.users;
    const visible = world.students.b1Team;
    const hidden = world.students.a1Mentee;
    const r = await post(
      schoolB1,
      'query M($v: ID!, $h: ID!, $m: ID!) { v: student(id: $v) { id } h: student(id: $h) { id } m: student(id: $m) { id } }',
      { v: visible.id, h: hidden.id, m: randomUUID() },
    );
    expect(r.body).toEqual({ data: { v: { id: visible.id }, h: null, m: null } });
    const entries = await entriesOf(r.requestId);
    expect(entries).toHaveLength(2);
    expect(entries).toEqual(expect.arrayContaining([
      expect.objectContaining({ outcome: 'ALLOWED', action: 'READ', object_type: 'Student', object_id: visible.id, objects: [`Student:${visible.id}`], fields: ['Student.id'] }),
      expect.objectContaining({ outcome: 'DENIED', action: 'READ', object_type: 'Student', object_id: hidden.id, student_id: hidden.id, fields: ['student'], objects: null }),
    ]));
  });
});

describe('cost: one extra statement, only when a single read answered null', () => {
  /** Counts the existence checks the plugin runs (the only UNION ALL over student/trajectory/consent ids). */
  function spyExistenceChecks(): { count: () => number; restore: () => void } {
    // Every statement of a request runs on its unit of work's query runner.
    const prototype = PostgresQueryRunner.prototype;
    const original = prototype.query;
    let n = 0;
    const spy = jest.spyOn(prototype, 'query').mockImplementation(function (this: PostgresQueryRunner, ...args: Parameters<typeof original>) {
      if (/partnership_id = \$1 AND id = ANY\(\$\d::uuid\[\]\)/.test(String(args[0]))) n++;
      return original.apply(this, args);
    } as typeof original);
    return { count: () => n, restore: () => spy.mockRestore() };
  }

  test('as SCHOOL_COORDINATOR of B1, single reads that all succeed run no existence check; three hidden ones cost exactly one statement more', async () => {
    const { schoolB1 } = world.users;
    const checks = spyExistenceChecks();
    try {
      const visible = await post(schoolB1, THREE, { s: world.students.b1Team.id, t: world.trajectories.b1Team.id, c: consentB1Team });
      expect(visible.body).toEqual({ data: { student: { id: world.students.b1Team.id }, trajectory: { id: world.trajectories.b1Team.id }, consent: { id: consentB1Team } } });
      expect(checks.count()).toBe(0);
      // Three objects of one student, read on one ground: one entry about the student covering them.
      const b1Team = world.students.b1Team.id;
      expect(await entriesOf(visible.requestId)).toEqual([expect.objectContaining({
        outcome: 'ALLOWED', action: 'READ', object_type: 'Student', object_id: b1Team, student_id: b1Team, role: 'SCHOOL_COORDINATOR',
        objects: [`Consent:${consentB1Team}`, `Student:${b1Team}`, `Trajectory:${world.trajectories.b1Team.id}`], fields: ['Consent.id', 'Student.id', 'Trajectory.id'],
      })]);

      const hidden = await post(schoolB1, THREE, { s: world.students.a1Team.id, t: world.trajectories.a1Team.id, c: consentA1Team });
      expect(hidden.body).toEqual({ data: { student: null, trajectory: null, consent: null } });
      expect(checks.count()).toBe(1);
      // Denied attempts stay one entry per object, even about one student.
      const a1Team = world.students.a1Team.id;
      expect(await entriesOf(hidden.requestId)).toEqual(expect.arrayContaining([
        expect.objectContaining({ outcome: 'DENIED', action: 'READ', object_type: 'Student', object_id: a1Team, student_id: a1Team, fields: ['student'], objects: null }),
        expect.objectContaining({ outcome: 'DENIED', action: 'READ', object_type: 'Trajectory', object_id: world.trajectories.a1Team.id, student_id: a1Team, fields: ['trajectory'], objects: null }),
        expect.objectContaining({ outcome: 'DENIED', action: 'READ', object_type: 'Consent', object_id: consentA1Team, student_id: a1Team, fields: ['consent'], objects: null }),
      ]));
      expect(await entriesOf(hidden.requestId)).toHaveLength(3);
      // Same selects and one log write each; the hidden request adds the one existence check.
      expect(hidden.statements).toBe(visible.statements + 1);

      const missing = await post(schoolB1, THREE, { s: randomUUID(), t: randomUUID(), c: randomUUID() });
      expect(missing.body).toEqual({ data: { student: null, trajectory: null, consent: null } });
      expect(checks.count()).toBe(2);
      expect(await entriesOf(missing.requestId)).toEqual([]);
      // The existence check and an append with nothing to append: a missing id costs what a hidden one costs.
      expect(missing.statements).toBe(hidden.statements);
    } finally {
      checks.restore();
    }
  });

  test('as SCHOOL_COORDINATOR of B1, a visible read costs the same as before: its select and the log write, no more', async () => {
    const { schoolB1 } = world.users;
    const one = await post(schoolB1, STUDENT, { id: world.students.b1Team.id });
    const hidden = await post(schoolB1, STUDENT, { id: world.students.a1Plain.id });
    expect(one.body.data!.student.id).toBe(world.students.b1Team.id);
    expect(hidden.body.data!.student).toBeNull();
    // actor + select + write; the hidden read adds exactly one.
    expect(hidden.statements).toBe(one.statements + 1);
  });
});

describe('the hash chain', () => {
  test('as SCHOOL_COORDINATOR of B1, parallel hidden and visible reads keep the chain intact', async () => {
    const { schoolB1 } = world.users;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      post(schoolB1, STUDENT, { id: i % 2 === 0 ? world.students.a1Plain.id : world.students.b1Team.id })));
    for (const [i, r] of results.entries()) {
      const entries = await entriesOf(r.requestId);
      expect(entries).toEqual([i % 2 === 0
        ? expect.objectContaining({ outcome: 'DENIED', object_id: world.students.a1Plain.id, objects: null })
        : expect.objectContaining({ outcome: 'ALLOWED', object_id: world.students.b1Team.id, objects: [`Student:${world.students.b1Team.id}`] })]);
    }
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM access_log_entry WHERE partnership_id = $1', [world.partnership.id]);
    expect(n).toBeGreaterThanOrEqual(8);
    expect(await verifyChain(ds, world.partnership.id)).toEqual({ intact: true, entries: n });
  });
});
