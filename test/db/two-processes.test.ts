/**
 * Two API processes on one database, as replicas behind a load balancer run: the first
 * (test/setup/api-process.ts) with its embedded PostgreSQL and the demo data, the second
 * connected to that database through DATABASE_URL (the API's role) and MIGRATION_DATABASE_URL
 * (the owner). Shown here: assignments sent through both at once never fill a team past its
 * capacity (the team's row lock is in the database, not in a process); one Idempotency-Key
 * sent to both applies its mutation once; the access-log chain, written by both, verifies.
 */
import { Client } from 'pg';
import { createDataSource } from '../../src/app/database';
import { verifyChain } from '../../src/audit/chain';
import { ApiProcess, cleanUp, connectToDatabase, databaseUrls, DEMO, makeDataDir, startApiProcess } from '../setup/api-process';

const dataDirA = makeDataDir('two-a');
const dataDirB = makeDataDir('two-b'); // the second process's own files (checkpoints); its database is the first's
let a: ApiProcess | undefined;
let b: ApiProcess | undefined;
let owner: Client;

beforeAll(async () => {
  a = await startApiProcess(dataDirA);
  b = await startApiProcess(dataDirB, {}, { database: databaseUrls(dataDirA) });
  owner = await connectToDatabase(dataDirA);
}, 90_000);

afterAll(async () => {
  await owner?.end();
  await cleanUp(b, dataDirB);
  await cleanUp(a, dataDirA);
});

type Answer = { status: number; replayed: string | null; body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> } };

/** POST an operation to `api` as `subject`, with extra headers. */
async function post(api: ApiProcess, subject: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${api.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.token(subject)}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as Answer['body'] };
}

const TEAM_LOADS = '{ teamLoads { teamId load capacity } }';
const ASSIGN = 'mutation Assign($input: AssignTeamInput!) { assignTeam(input: $input) { id team { id } } }';

test('both processes serve the same data', async () => {
  const [fromA, fromB] = await Promise.all([a!, b!].map((api) => post(api, DEMO('coordinator'), TEAM_LOADS, {})));
  expect(fromA.status).toBe(200);
  expect(fromA.body.data?.teamLoads).toHaveLength(4);
  expect(fromB).toEqual(fromA);
});

test('assignments sent through both processes at once fill a team exactly to its capacity, never past it', async () => {
  const [{ id: partnershipId }] = (await owner.query<{ id: string }>('SELECT id FROM partnership ORDER BY code LIMIT 1')).rows;
  // Twelve accepted cases waiting for a team, on students without a trajectory.
  const waiting = (await owner.query<{ id: string }>(
    `INSERT INTO trajectory (partnership_id, student_id, school_id, windstreek_id, phase, phase_started_at, problem_areas, registered_by_user_id, version, eligibility)
     SELECT $1, s.id, s.school_id, sc.windstreek_id, 'ACCEPTED', now(), t.problem_areas, t.registered_by_user_id, 1, t.eligibility
       FROM (SELECT * FROM student st WHERE st.partnership_id = $1 AND NOT EXISTS (SELECT 1 FROM trajectory x WHERE x.student_id = st.id) ORDER BY st.id LIMIT 12) s
       JOIN school sc ON sc.id = s.school_id
      CROSS JOIN (SELECT problem_areas, registered_by_user_id, eligibility FROM trajectory WHERE partnership_id = $1 AND eligibility IS NOT NULL ORDER BY id LIMIT 1) t
     RETURNING id`, [partnershipId])).rows.map((r) => r.id);
  expect(waiting).toHaveLength(12);
  const [{ id: team }] = (await owner.query<{ id: string }>(
    'SELECT t.id FROM topteam t JOIN membership m ON m.topteam_id = t.id JOIN app_user u ON u.id = m.user_id WHERE u.email = $1', [DEMO('scientist.zuid')],
  )).rows;
  const loadOf = async (api: ApiProcess) => {
    const answer = await post(api, DEMO('coordinator'), TEAM_LOADS, {});
    return (answer.body.data!.teamLoads as Array<{ teamId: string; load: number; capacity: number }>).find((l) => l.teamId === team)!;
  };
  // Room for exactly five more new cases (an accepted case weighs 1).
  const before = await loadOf(a!);
  const capacity = Math.ceil(before.load) + 5;
  const room = Math.floor(capacity - before.load);
  await owner.query('UPDATE topteam SET capacity = $2 WHERE id = $1', [team, capacity]);

  const outcomes = await Promise.all(waiting.map((trajectoryId, i) => post(i % 2 === 0 ? a! : b!, DEMO('coordinator'), ASSIGN, { input: { trajectoryId, teamId: team, reason: 'Two processes: overflow test.' } })));
  const assigned = outcomes.filter((o) => (o.body.data?.assignTeam as { team?: { id: string } } | null)?.team?.id === team);
  const conflicts = outcomes.filter((o) => o.body.errors?.[0]?.extensions?.code === 'CONFLICT');
  expect({ assigned: assigned.length, conflicts: conflicts.length }).toEqual({ assigned: room, conflicts: waiting.length - room });
  // In the database: the team holds exactly `room` of the new cases, and its load is within its capacity, seen from either process.
  const inTeam = (await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM trajectory WHERE id = ANY($1::uuid[]) AND team_id = $2', [waiting, team])).rows[0].n;
  expect(inTeam).toBe(room);
  const [afterA, afterB] = [await loadOf(a!), await loadOf(b!)];
  expect(afterB).toEqual(afterA);
  expect(afterA.load).toBeCloseTo(before.load + room, 6);
  expect(afterA.load).toBeLessThanOrEqual(capacity);
}, 60_000);

test('one Idempotency-Key sent to both processes applies the mutation once; the other answers CONFLICT or the replay', async () => {
  const create = 'mutation Create($input: CreateStudentInput!) { createStudent(input: $input) { id studentNumber } }';
  const variables = { input: { givenName: 'Ida', familyName: 'Idempotent', birthDate: '2012-05-01', expectedExitLevel: 'VWO', studentNumber: 'idem-two-processes' } };
  const headers = { 'idempotency-key': 'two-processes-1' };
  const [fromA, fromB] = await Promise.all([a!, b!].map((api) => post(api, DEMO('school1.noord'), create, variables, headers)));
  const applied = [fromA, fromB].filter((o) => o.status === 200 && o.replayed === null);
  expect(applied).toHaveLength(1);
  const other = applied[0] === fromA ? fromB : fromA;
  // At the same moment: 409 while the first still runs, or (if it had finished) the first answer replayed.
  if (other.status === 409) expect(other.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  else expect({ status: other.status, replayed: other.replayed, body: other.body }).toEqual({ status: 200, replayed: 'true', body: applied[0].body });
  // Retried afterwards through either process: the first answer, replayed.
  for (const api of [a!, b!]) {
    const retry = await post(api, DEMO('school1.noord'), create, variables, headers);
    expect({ status: retry.status, replayed: retry.replayed, body: retry.body }).toEqual({ status: 200, replayed: 'true', body: applied[0].body });
  }
  const count = (await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM student WHERE student_number = 'idem-two-processes'")).rows[0].n;
  expect(count).toBe(1);
}, 60_000);

test('afterwards the access-log chain, written by both processes, verifies', async () => {
  const dataSource = createDataSource({ url: databaseUrls(dataDirA).ownerUrl, poolSize: 1 });
  await dataSource.initialize();
  try {
    const report = await verifyChain(dataSource);
    expect(report.intact).toBe(true);
    // Every entry of the tests above is in it (the reads of student data by both processes included).
    const total = (await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM access_log_entry')).rows[0].n;
    expect(total).toBeGreaterThan(0);
    expect(report.entries).toBe(total);
  } finally {
    await dataSource.destroy();
  }
});
