/**
 * The privacy officer's export of everything held on one student (AVG art. 15) and the
 * "who saw my data" overview (AVG rule 7).
 *
 * Two students of the same school (A1) get the same full history: a trajectory through every
 * record the workflow writes (events, goals, hand-over advice, evaluation, note, absence,
 * escalation, complaint; a second, completed one with follow-ups and an exit questionnaire;
 * a cross-windstreek reassignment), consents and guardians, a consultation, a data-subject
 * request and access-log entries from reads by the school coordinator and a team member.
 *
 * The export's table list is checked against an oracle built from the database catalog
 * (every table with a `student_id` column, every table with a `trajectory_id` column), not
 * from the entity metadata the export walks; every row of the oracle is in the export, and
 * nothing of the other student is.
 */
import { ClientError } from 'graphql-request';
import { Phase, Role } from '../../../src/domain/enums';
import type { Student } from '../../../src/app/entities';
import { createConsultation, createPartnership, createSchool, createStudent, createUser, createWindstreek } from '../../factories';
import { ACT_CASES, actOperation, prepareAct, trajectoryIn, TrajectoryFixture } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp, TEST_NOW } from '../../setup/app';

let app: TestApp;
let world: World;

interface Seeded {
  student: Student;
  intensive: TrajectoryFixture;
  completed: TrajectoryFixture;
}
let first: Seeded;
let second: Seeded;

async function errorCode(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ClientError)) throw new Error(`expected a GraphQL error, got ${error === null ? 'success' : String(error)}`);
  return error.response.errors?.[0]?.extensions?.code;
}

const ACTS_ON_INTENSIVE = ['addNote', 'recordEvaluation', 'registerAbsence', 'escalateTrajectory', 'fileComplaint'] as const;

async function act(name: keyof typeof ACT_CASES, fixture: TrajectoryFixture): Promise<void> {
  const today = TEST_NOW.toISOString().slice(0, 10);
  const extras = await prepareAct(app.dataSource, world, name, fixture, today);
  const spec = ACT_CASES[name];
  const res = await app.gql(spec.performer(world, true).email, actOperation(name), { input: spec.input(fixture, extras, today) });
  if (res.body.errors) throw new Error(`${name}: ${JSON.stringify(res.body.errors)}`);
}

/** A student of school A1 with the full history of the file header (two trajectories). */
async function seedStudent(): Promise<Seeded> {
  const ds = app.dataSource;
  const intensive = await trajectoryIn(ds, world, Phase.INTENSIVE);
  const student = intensive.student;
  const completed = await trajectoryIn(ds, world, Phase.COMPLETED, { consents: [] });
  // The second trajectory belongs to the same student.
  await ds.query('UPDATE trajectory SET student_id = $1 WHERE id = $2', [student.id, completed.trajectory.id]);
  await ds.query('DELETE FROM guardian WHERE student_id = $1', [completed.student.id]);
  for (const name of ACTS_ON_INTENSIVE) await act(name, intensive);
  await act('recordExitQuestionnaire', { ...completed, student });
  await createConsultation(ds, world.schools.A1, world.users.schoolA1, student);
  await (await app.sdk(world.users.privacy.email)).ReceiveDataSubjectRequest({ input: { studentId: student.id, kind: 'ACCESS', receivedOn: '2026-03-10' } });
  return { student, intensive, completed };
}

const READ_STUDENT = 'query($id: ID!) { student(id: $id) { id givenName familyName } }';

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
  first = await seedStudent();
  second = await seedStudent();
  // Reads of the first student, at distinct times: the school coordinator, a team member, the school coordinator again.
  for (const [who, at] of [['schoolA1', '2026-03-16T10:01:00Z'], ['scientistA', '2026-03-16T10:02:00Z'], ['schoolA1', '2026-03-16T10:03:00Z']] as const) {
    app.clock.set(new Date(at));
    const res = await app.gql<{ student: { id: string } | null }>(world.users[who].email, READ_STUDENT, { id: first.student.id });
    expect(res.body.data?.student?.id).toBe(first.student.id);
  }
  // A read of the other student, which must not show up in the first student's overview.
  await app.gql(world.users.schoolA1.email, READ_STUDENT, { id: second.student.id });
  app.clock.set(new Date('2026-03-16T10:04:00Z'));
  // Finally move both cases across windstreken (team TB of windstreek B).
  for (const s of [first, second]) await act('reassignTeam', s.intensive);
  // Later entries (the tests' own reads and exports) come after these, as on a real clock.
  app.clock.set(new Date('2026-03-16T10:05:00Z'));
}, 60_000);
afterAll(() => app.stop());

type Rows = Map<string, Set<string>>;

/** The oracle: from the catalog, rows of tables (partitions counted in their parent) with `student_id` = the student or `trajectory_id` in the student's trajectories. */
async function rowsAbout(studentId: string): Promise<Rows> {
  const ds = app.dataSource;
  const columns: Array<{ table_name: string; column_name: string }> = await ds.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN pg_class t ON t.relname = c.table_name AND t.relnamespace = current_schema()::regnamespace
      WHERE c.table_schema = current_schema() AND c.column_name IN ('student_id', 'trajectory_id') AND c.data_type = 'uuid'
        AND NOT t.relispartition`, // a partition's rows are its parent's (the access log by month)
  );
  const trajectoryIds = (await ds.query('SELECT id FROM trajectory WHERE student_id = $1', [studentId])).map((r: { id: string }) => r.id);
  const result: Rows = new Map();
  for (const { table_name, column_name } of columns) {
    if (table_name === 'student') continue;
    const ids = column_name === 'student_id' ? [studentId] : trajectoryIds;
    const rows: Array<{ id: string }> = await ds.query(`SELECT id FROM "${table_name}" WHERE "${column_name}" = ANY($1::uuid[])`, [ids]);
    if (rows.length === 0) continue;
    const set = result.get(table_name) ?? new Set<string>();
    for (const r of rows) set.add(r.id);
    result.set(table_name, set);
  }
  return result;
}

async function exportOf(studentId: string, as = world.users.privacy.email) {
  return (await (await app.sdk(as)).StudentExport({ studentId })).studentExport;
}

describe('as privacy officer, the export of one student (AVG art. 15)', () => {
  test('holds every table and every row about the student that the database holds, and the student row', async () => {
    const oracle = await rowsAbout(first.student.id);
    // Positive control: the seed really reaches all these tables.
    expect([...oracle.keys()]).toEqual(expect.arrayContaining([
      'consent', 'guardian', 'trajectory', 'trajectory_event', 'goal', 'handover_advice', 'follow_up', 'evaluation', 'note', 'absence_registration',
      'escalation', 'complaint', 'exit_questionnaire', 'cross_windstreek_assignment', 'consultation', 'data_subject_request', 'access_log_entry',
    ]));
    const exported = await exportOf(first.student.id);
    expect(exported.studentId).toBe(first.student.id);
    expect(exported.student).toMatchObject({ id: first.student.id, given_name: first.student.givenName, family_name: first.student.familyName });
    expect(exported.tables.map((t) => t.table)).toEqual([...oracle.keys()].sort());
    for (const t of exported.tables) {
      const ids = (t.rows as Array<{ id: string }>).map((r) => r.id);
      expect({ table: t.table, ids: [...ids].sort() }).toEqual({ table: t.table, ids: [...oracle.get(t.table)!].sort() });
    }
    // Rows carry their columns, e.g. the note's body and the trajectory's phase.
    const note = exported.tables.find((t) => t.table === 'note')!.rows[0] as Record<string, unknown>;
    expect(note.body).toBe('Called the mentor.');
  });

  test('holds nothing about the other student of the same school', async () => {
    const exported = await exportOf(first.student.id);
    const text = JSON.stringify(exported);
    const foreign = [second.student.id, second.intensive.trajectory.id, second.completed.trajectory.id, second.student.givenName + '"', second.student.familyName + '"'];
    for (const value of foreign) expect(text).not.toContain(value);
    const oracleOfOther = await rowsAbout(second.student.id);
    expect(oracleOfOther.size).toBeGreaterThan(0);
    for (const ids of oracleOfOther.values()) for (const id of ids) expect(text).not.toContain(id);
    // Positive control: the other student's own export holds them.
    const other = JSON.stringify(await exportOf(second.student.id));
    expect(other).toContain(second.intensive.trajectory.id);
    expect(other).not.toContain(first.intensive.trajectory.id);
  });

  test('is logged as an EXPORT of the student by the privacy officer', async () => {
    await exportOf(first.student.id);
    const entries: Array<{ user_id: string; action: string; object_type: string; object_id: string; objects: string[] | null; fields: string[]; role: string }> = await app.dataSource.query(
      `SELECT user_id, action, object_type, object_id, objects, fields, role FROM access_log_entry WHERE student_id = $1 AND action = 'EXPORT' ORDER BY sequence`,
      [first.student.id],
    );
    expect(entries.length).toBeGreaterThan(0);
    // One entry about the student, its fields the tables exported as they are named (not "Student.<table>").
    expect(entries.at(-1)).toMatchObject({ user_id: world.users.privacy.id, object_type: 'Student', object_id: first.student.id, objects: null, role: Role.PRIVACY_OFFICER });
    expect(entries.at(-1)!.fields).toEqual(expect.arrayContaining(['student', 'trajectory', 'note']));
  });

  test.each(['admin', 'coordinator', 'analyst', 'advisorA', 'scientistA', 'schoolA1', 'mentorA1', 'nobody'] as const)('as %s: FORBIDDEN', async (who) => {
    expect(await errorCode(exportOf(first.student.id, world.users[who].email))).toBe('FORBIDDEN');
  });

  test('as privacy officer of another partnership: NOT_FOUND; their own student exports', async () => {
    const ds = app.dataSource;
    const other = await createPartnership(ds);
    const officer = await createUser(ds, other, [[Role.PRIVACY_OFFICER]]);
    const own = await createStudent(ds, await createSchool(ds, await createWindstreek(ds, other)));
    expect(await errorCode(exportOf(first.student.id, officer.email))).toBe('NOT_FOUND');
    const exported = await exportOf(own.id, officer.email);
    expect(exported.student).toMatchObject({ id: own.id });
    expect(exported.tables.map((t) => t.table)).toEqual(['guardian']);
  });
});

describe('as privacy officer, who saw the data of one student', () => {
  test('lists the reads by the school coordinator and the team member in order, with name, role, object, fields and basis', async () => {
    const sdk = await app.sdk(world.users.privacy.email);
    const nodes = [];
    let after: string | null | undefined;
    do {
      const page = (await sdk.StudentAccessOverview({ studentId: first.student.id, first: 5, after })).studentAccessOverview;
      nodes.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);

    // Chronological, oldest first.
    const sequences = nodes.map((n) => BigInt(n.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const times = nodes.map((n) => n.createdAt);
    expect(times).toEqual([...times].sort());

    const reads = nodes.filter((n) => n.action === 'READ' && n.objectType === 'Student');
    expect(reads.map((n) => [n.user?.name, n.role, n.legalBasis, n.createdAt])).toEqual([
      [world.users.schoolA1.name, 'SCHOOL_COORDINATOR', 'LEGAL_TASK', '2026-03-16T10:01:00.000Z'],
      [world.users.scientistA.name, 'TEAM_MEMBER', 'CONSENT', '2026-03-16T10:02:00.000Z'],
      [world.users.schoolA1.name, 'SCHOOL_COORDINATOR', 'LEGAL_TASK', '2026-03-16T10:03:00.000Z'],
    ]);
    for (const r of reads) expect([r.objectId, r.objects, r.fields]).toEqual([first.student.id, [`Student:${first.student.id}`], ['Student.familyName', 'Student.givenName', 'Student.id']]);
    // The team member's changes (the acts of the seed) are there too, and nothing of another student.
    expect(nodes.some((n) => n.user?.id === world.users.scientistA.id && n.action === 'CHANGE')).toBe(true);
    const ofOther: Array<{ id: string }> = await app.dataSource.query('SELECT id FROM access_log_entry WHERE student_id = $1', [second.student.id]);
    expect(ofOther.length).toBeGreaterThan(0);
  });

  test('reading the overview is itself logged', async () => {
    const count = async () =>
      Number((await app.dataSource.query(`SELECT count(*) AS n FROM access_log_entry WHERE student_id = $1 AND object_type = 'AccessLog' AND user_id = $2`, [first.student.id, world.users.privacy.id]))[0].n);
    const before = await count();
    await (await app.sdk(world.users.privacy.email)).StudentAccessOverview({ studentId: first.student.id, first: 1 });
    expect(await count()).toBe(before + 1);
  });

  test.each(['admin', 'coordinator', 'scientistA', 'schoolA1'] as const)('as %s: FORBIDDEN', async (who) => {
    expect(await errorCode((await app.sdk(world.users[who].email)).StudentAccessOverview({ studentId: first.student.id }))).toBe('FORBIDDEN');
  });

  test('the access log filters by period: from inclusive, until exclusive', async () => {
    const sdk = await app.sdk(world.users.privacy.email);
    const within = async (from: string, until: string) =>
      (await sdk.AccessLogPeriod({ filter: { studentId: first.student.id, action: 'READ', from, until }, first: 100 })).accessLog.edges.map((e) => e.node.createdAt).sort();
    expect(await within('2026-03-16T10:01:00.000Z', '2026-03-16T10:03:00.000Z')).toEqual(['2026-03-16T10:01:00.000Z', '2026-03-16T10:02:00.000Z']);
    expect(await within('2026-03-16T10:02:00.001Z', '2026-03-16T10:04:00.000Z')).toEqual(['2026-03-16T10:03:00.000Z']);
  });

  test('the access log filters by object, role and legal basis, each exactly as the rows hold them', async () => {
    const sdk = await app.sdk(world.users.privacy.email);
    // The team member's acts on the case are logged in entries about the student that cover it.
    const trajectory = first.intensive.trajectory.id;
    const covers = `EXISTS (SELECT 1 FROM unnest(objects) AS o WHERE o = 'Trajectory:' || $2::text)`;
    const cases: Array<[Record<string, unknown>, string, unknown[]]> = [
      [{ objectType: 'Trajectory', objectId: trajectory }, `((object_type = 'Trajectory' AND object_id = $2::uuid) OR ${covers})`, [trajectory]],
      [{ objectId: trajectory }, `(object_id = $2::uuid OR EXISTS (SELECT 1 FROM unnest(objects) AS o WHERE split_part(o, ':', 2) = $2::text))`, [trajectory]],
      [{ studentId: first.student.id, objectType: 'Trajectory' }, `student_id = $2 AND (object_type = 'Trajectory' OR EXISTS (SELECT 1 FROM unnest(objects) AS o WHERE o LIKE 'Trajectory:%'))`, [first.student.id]],
      [{ studentId: first.student.id, role: 'SCHOOL_COORDINATOR' }, `student_id = $2 AND role = 'SCHOOL_COORDINATOR'`, [first.student.id]],
      [{ studentId: first.student.id, legalBasis: 'CONSENT' }, `student_id = $2 AND legal_basis = 'CONSENT'`, [first.student.id]],
      [{ studentId: first.student.id, legalBasis: 'LEGAL_TASK' }, `student_id = $2 AND legal_basis = 'LEGAL_TASK'`, [first.student.id]],
    ];
    let nonEmpty = 0;
    for (const [filter, where, params] of cases) {
      // The oracle first: the reads below add entries of their own (about the access log, not these).
      const rows: Array<{ sequence: string }> = await app.dataSource.query(
        `SELECT sequence::text AS sequence FROM access_log_entry WHERE partnership_id = $1 AND ${where} ORDER BY access_log_entry.sequence`, [world.partnership.id, ...params],
      );
      const listed = (await sdk.AccessLogPeriod({ filter: filter as never, first: 100 })).accessLog.edges.map((e) => String(e.node.sequence)).sort((a, b) => Number(a) - Number(b));
      expect({ filter, listed }).toEqual({ filter, listed: rows.map((r) => r.sequence) });
      if (rows.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBe(cases.length);
    // The trajectory is found in entries about its student, by the objects they covered.
    const byTrajectory = (await sdk.AccessLogPeriod({ filter: { objectType: 'Trajectory', objectId: trajectory }, first: 100 })).accessLog.edges.map((e) => e.node);
    expect(byTrajectory.filter((n) => n.objectType === 'Student')).not.toHaveLength(0);
    for (const n of byTrajectory) {
      expect(n.objectType === 'Trajectory' ? n.objectId : n.objects).toEqual(n.objectType === 'Trajectory' ? trajectory : expect.arrayContaining([`Trajectory:${trajectory}`]));
    }
  });
});
