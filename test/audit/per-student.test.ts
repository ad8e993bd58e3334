/**
 * The access log is kept per request and student (src/audit/access-recorder.ts, `perStudent`):
 * who, when, which student, what and on which ground, not one row per object; students read
 * alike in one request share one entry that names them all. Proven here: the folding itself
 * (pure), what a list of cases writes through the API (one entry per student where each stands
 * on their own consent, one for all where they stand on the same ground), that the privacy
 * officer still finds an entry by its student and by any object it covered, in the student's
 * overview and export, that the chain verifies, and that the append refuses an entry that is not
 * one of the partnership's, writing nothing.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccessLogRow, consentOf, perStudent } from '../../src/audit/access-recorder';
import { canonical, verifyChain } from '../../src/audit/chain';
import { AccessAction, AccessOutcome, ConsentPurpose, LegalBasis, Phase, Role, TeamFunction } from '../../src/domain/enums';
import type { Partnership } from '../../src/modules/partnerships/partnership.entity';
import type { User } from '../../src/modules/users/user.entity';
import {
  createConsent, createPartnership, createSchool, createStudent, createTopteam, createTrajectory, createUser, createWindstreek,
} from '../factories';
import { startTestApp, TestApp } from '../setup/app';

const P = '00000000-0000-4000-8000-000000000001';
const S1 = '00000000-0000-4000-8000-0000000000a1';
const S2 = '00000000-0000-4000-8000-0000000000a2';
const T1 = '00000000-0000-4000-8000-0000000000b1';
const T2 = '00000000-0000-4000-8000-0000000000b2';
const C1 = '00000000-0000-4000-8000-0000000000c1';
const G1 = '00000000-0000-4000-8000-0000000000d1';

/** A per-object entry as the recorder gives it, grounds resolved. */
function row(objectType: string, objectId: string | null, studentId: string | null, fields: string[], more: Partial<AccessLogRow> = {}): AccessLogRow {
  return {
    id: randomUUID(), partnershipId: P, createdAt: new Date('2026-03-16T10:00:00Z'), userId: P, membershipId: 'm1', role: Role.TEAM_MEMBER,
    action: AccessAction.SEARCH, outcome: AccessOutcome.ALLOWED, studentId, objectType, objectId, fields,
    legalBasis: LegalBasis.CONSENT, consentId: C1, requestId: 'r1', objects: null, ...more,
  };
}

describe('perStudent (pure)', () => {
  test('a student and the trajectory and consent seen of them become one entry naming each object and every field by its type', () => {
    const out = perStudent([
      row('Trajectory', T1, S1, ['TrajectoryEvent.id', 'id', 'phase']),
      row('Student', S1, S1, ['givenName']),
      row('Consent', C1, S1, ['purpose']),
      // A guardian corrected by a data-subject request is noted as itself (src/modules/privacy).
      row('Guardian', G1, S1, ['name']),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      objectType: 'Student', objectId: S1, studentId: S1, action: AccessAction.SEARCH, outcome: AccessOutcome.ALLOWED,
      legalBasis: LegalBasis.CONSENT, consentId: C1, membershipId: 'm1',
      fields: ['Consent.purpose', 'Guardian.name', 'Student.givenName', 'Trajectory.id', 'Trajectory.phase', 'TrajectoryEvent.id'],
      objects: [`Consent:${C1}`, `Guardian:${G1}`, `Student:${S1}`, `Trajectory:${T1}`],
    });
  });

  test('students read alike in one request share one entry naming them all; a student read otherwise keeps their own', () => {
    const S3 = '00000000-0000-4000-8000-0000000000a3';
    const T3 = '00000000-0000-4000-8000-0000000000b3';
    const C2 = '00000000-0000-4000-8000-0000000000c2';
    const task = { legalBasis: LegalBasis.LEGAL_TASK, consentId: null };
    const out = perStudent([
      row('Trajectory', T2, S2, ['id'], task),
      row('Trajectory', T1, S1, ['id'], task),
      row('Student', S2, S2, ['pseudonym'], task),
      row('Student', S1, S1, ['pseudonym'], task),
      // Each on their own consent, and one searched, the other read: apart.
      row('Trajectory', T3, S3, ['id'], { consentId: C1 }),
      row('Trajectory', T1, S1, ['id'], { action: AccessAction.READ, consentId: C2 }),
      // Other fields, another membership, another act: apart.
      row('Student', S3, S3, ['givenName'], task),
      row('Student', S2, S2, ['pseudonym'], { ...task, membershipId: 'm2', role: Role.PROGRAMME_COORDINATOR }),
      row('Student', S1, S1, ['pseudonym'], { ...task, action: AccessAction.CHANGE }),
    ]);
    expect(out.map((e) => [e.objectId, e.studentId, e.action, e.membershipId, e.legalBasis, e.consentId, e.objects, e.fields])).toEqual([
      // S2 and S1 were read alike: one entry, in S2's place (the first seen), naming both.
      [null, null, AccessAction.SEARCH, 'm1', LegalBasis.LEGAL_TASK, null,
        [`Student:${S1}`, `Student:${S2}`, `Trajectory:${T1}`, `Trajectory:${T2}`], ['Student.pseudonym', 'Trajectory.id']],
      [S3, S3, AccessAction.SEARCH, 'm1', LegalBasis.CONSENT, C1, [`Trajectory:${T3}`], ['Trajectory.id']],
      [S1, S1, AccessAction.READ, 'm1', LegalBasis.CONSENT, C2, [`Trajectory:${T1}`], ['Trajectory.id']],
      [S3, S3, AccessAction.SEARCH, 'm1', LegalBasis.LEGAL_TASK, null, [`Student:${S3}`], ['Student.givenName']],
      [S2, S2, AccessAction.SEARCH, 'm2', LegalBasis.LEGAL_TASK, null, [`Student:${S2}`], ['Student.pseudonym']],
      [S1, S1, AccessAction.CHANGE, 'm1', LegalBasis.LEGAL_TASK, null, [`Student:${S1}`], ['Student.pseudonym']],
    ]);
  });

  test('students read alike each on their own consent share one entry that names every student\'s consent', () => {
    const S3 = '00000000-0000-4000-8000-0000000000a3';
    const T3 = '00000000-0000-4000-8000-0000000000b3';
    const C3 = '00000000-0000-4000-8000-0000000000c3';
    const out = perStudent([
      row('Trajectory', T3, S3, ['id', 'phase'], { consentId: C3 }),
      row('Trajectory', T1, S1, ['id', 'phase'], { consentId: C1 }),
      row('Student', S3, S3, ['givenName'], { consentId: C3 }),
      row('Student', S1, S1, ['givenName'], { consentId: C1 }),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      objectType: 'Student', objectId: null, studentId: null, action: AccessAction.SEARCH, membershipId: 'm1',
      legalBasis: LegalBasis.CONSENT, consentId: null,
      fields: ['Student.givenName', 'Trajectory.id', 'Trajectory.phase'],
      objects: [`Student:${S1}`, `Student:${S3}`, `Trajectory:${T1}`, `Trajectory:${T3}`],
      consents: [`Student:${S1}/Consent:${C1}`, `Student:${S3}/Consent:${C3}`],
    });
    expect(consentOf(S1, C1)).toBe(`Student:${S1}/Consent:${C1}`);
    // Its canonical text carries them as a seventeenth value, which the append reads back (below, through the API).
    expect(JSON.parse(canonical(out[0]))).toEqual([...JSON.parse(canonical({ ...out[0], consents: null })), out[0].consents]);
    // One student alone keeps their consent as the entry's own.
    const alone = perStudent([row('Trajectory', T1, S1, ['id'], { consentId: C1 })])[0];
    expect(alone).toMatchObject({ objectId: S1, consentId: C1 });
    expect(alone.consents ?? null).toBeNull();
  });

  test('denied attempts, reads of the log and entries without a student are written as they came, without objects', () => {
    const denied = row('Trajectory', T1, S1, ['trajectory'], { outcome: AccessOutcome.DENIED, action: AccessAction.READ });
    const logRead = row('AccessLog', null, S1, ['filter.studentId']);
    const noStudent = row('Trajectory', T2, null, ['id']);
    expect(perStudent([denied, logRead, noStudent])).toEqual([denied, logRead, noStudent]);
  });

  test('the canonical text has objects as a sixteenth value only where an entry has them, so entries written before keep their hashes', () => {
    const old = row('Student', S1, S1, ['givenName']);
    expect(JSON.parse(canonical(old))).toHaveLength(15);
    const folded = perStudent([old])[0];
    expect(JSON.parse(canonical(folded))).toEqual([...JSON.parse(canonical({ ...folded, objects: null })), [`Student:${S1}`]]);
    // Consents without objects (no such entry is made, but the text must still say which is which): null in the sixteenth place.
    expect(JSON.parse(canonical({ ...old, consents: ['x'] })).slice(15)).toEqual([null, ['x']]);
  });
});

describe('through the API', () => {
  let app: TestApp;
  let ds: DataSource;
  let partnership: Partnership;
  let scientist: User;
  let schoolCoordinator: User;
  let privacyOfficer: User;
  const cases: Array<{ student: string; trajectory: string; consent: string }> = [];

  beforeAll(async () => {
    app = await startTestApp();
    ds = app.dataSource;
    partnership = await createPartnership(ds);
    const w = await createWindstreek(ds, partnership);
    const school = await createSchool(ds, w);
    const team = await createTopteam(ds, w, 50);
    schoolCoordinator = await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school }]]);
    scientist = await createUser(ds, partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]);
    privacyOfficer = await createUser(ds, partnership, [[Role.PRIVACY_OFFICER]]);
    for (let i = 0; i < 4; i++) {
      const student = await createStudent(ds, school);
      const consent = await createConsent(ds, student, schoolCoordinator, ConsentPurpose.CARE_BY_TOPTEAM);
      const trajectory = await createTrajectory(ds, student, school, schoolCoordinator, { team, phase: Phase.INTENSIVE, phaseDueOn: '2026-04-01' });
      cases.push({ student: student.id, trajectory: trajectory.id, consent: consent.id });
    }
  });
  afterAll(() => app.stop());

  async function post(user: User, query: string, variables: Record<string, unknown> = {}) {
    const requestId = `per-student-${randomUUID()}`;
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(user.email)}`, 'x-request-id': requestId },
      body: JSON.stringify({ query, variables }),
    });
    return { body: (await response.json()) as { data?: Record<string, any>; errors?: unknown[] }, requestId };
  }

  const CASELOAD = `{ trajectories(first: 20) { edges { node { id phase student { id givenName } } } } }`;

  test('a team member\'s list of four cases with their students writes one entry naming every student\'s consent', async () => {
    const { body, requestId } = await post(scientist, CASELOAD);
    expect(body.errors).toBeUndefined();
    expect(body.data!.trajectories.edges).toHaveLength(4);
    const entries: Array<Record<string, unknown>> = await ds.query(
      `SELECT object_type, object_id, student_id, action::text AS action, outcome::text AS outcome, fields, objects, consents,
              legal_basis::text AS legal_basis, consent_id, role::text AS role
         FROM access_log_entry WHERE partnership_id = $1 AND request_id = $2 ORDER BY sequence`, [partnership.id, requestId]);
    expect(entries).toEqual([{
      object_type: 'Student', object_id: null, student_id: null, action: 'SEARCH', outcome: 'ALLOWED',
      fields: ['Student.givenName', 'Student.id', 'Trajectory.id', 'Trajectory.phase', 'Trajectory.student'],
      objects: cases.flatMap((c) => [`Student:${c.student}`, `Trajectory:${c.trajectory}`]).sort(),
      consents: cases.map((c) => `Student:${c.student}/Consent:${c.consent}`).sort(),
      legal_basis: 'CONSENT', consent_id: null, role: 'TEAM_MEMBER',
    }]);
    expect(await verifyChain(ds, partnership.id)).toEqual({ intact: true, entries: expect.any(Number) });
  });

  test('the privacy officer finds that entry by any trajectory it covered, with or without its type, and reads its objects and consents', async () => {
    const { requestId } = await post(scientist, CASELOAD);
    const query = `query Find($filter: AccessLogFilter) { accessLog(first: 50, filter: $filter) { edges { node { requestId objectType objectId objects consents consentId legalBasis fields } } } }`;
    const ofRequest = (body: { data?: Record<string, any> }) => body.data!.accessLog.edges.map((e: { node: Record<string, unknown> }) => e.node).filter((n: { requestId: string }) => n.requestId === requestId);
    for (const c of cases) {
      for (const filter of [{ objectId: c.trajectory }, { objectType: 'Trajectory', objectId: c.trajectory }]) {
        const { body } = await post(privacyOfficer, query, { filter });
        expect(body.errors).toBeUndefined();
        expect(ofRequest(body)).toEqual([{
          requestId, objectType: 'Student', objectId: null, consentId: null, legalBasis: 'CONSENT',
          objects: expect.arrayContaining([`Student:${c.student}`, `Trajectory:${c.trajectory}`]),
          consents: expect.arrayContaining([`Student:${c.student}/Consent:${c.consent}`]), fields: expect.arrayContaining(['Trajectory.phase']),
        }]);
      }
    }
    // An object the page did not cover does not find it.
    const { body } = await post(privacyOfficer, query, { filter: { objectType: 'Trajectory', objectId: randomUUID() } });
    expect(body.errors).toBeUndefined();
    expect(ofRequest(body)).toEqual([]);
  });

  test('the privacy officer finds the entries that stood on one consent: its student\'s own, and an entry about several that names it', async () => {
    const page = await post(scientist, CASELOAD);
    const [one, other] = cases;
    const single = await post(scientist, 'query($id: ID!) { trajectory(id: $id) { id phase } }', { id: one.trajectory });
    const byConsent = async (consentId: string) => {
      const { body } = await post(privacyOfficer, 'query($c: ID!) { accessLog(first: 100, filter: { consentId: $c }) { edges { node { requestId consentId consents } } } }', { c: consentId });
      expect(body.errors).toBeUndefined();
      return body.data!.accessLog.edges.map((e: { node: { requestId: string } }) => e.node.requestId) as string[];
    };
    const found = await byConsent(one.consent);
    expect(found).toEqual(expect.arrayContaining([page.requestId, single.requestId]));
    // Another student's consent finds the page (it names that one too), not the single read of this student.
    const others = await byConsent(other.consent);
    expect(others).toContain(page.requestId);
    expect(others).not.toContain(single.requestId);
    // A consent that no entry stood on finds nothing; a consent id that is no consent neither.
    const unused = await createConsent(ds, await createStudent(ds, await createSchool(ds, await createWindstreek(ds, partnership))), schoolCoordinator, ConsentPurpose.CARE_BY_TOPTEAM);
    expect(await byConsent(unused.id)).toEqual([]);
    expect(await byConsent(randomUUID())).toEqual([]);
    // Not a uuid: refused, naming the argument.
    const bad = await post(privacyOfficer, '{ accessLog(first: 1, filter: { consentId: "nope" }) { totalCount } }');
    expect(JSON.stringify(bad.body.errors)).toContain('consentId');
  });

  test('a student\'s art. 15 export shows of such an entry only that student\'s objects and consent, no other student\'s', async () => {
    const { requestId } = await post(scientist, CASELOAD);
    const [one, ...others] = cases;
    const exported = await post(privacyOfficer, 'query($id: ID!) { studentExport(studentId: $id) { tables { table rows } } }', { id: one.student });
    expect(exported.body.errors).toBeUndefined();
    const log = exported.body.data!.studentExport.tables.find((t: { table: string }) => t.table === 'access_log_entry');
    const entry = log.rows.find((r: { request_id: string }) => r.request_id === requestId);
    expect(entry).toMatchObject({
      legal_basis: 'CONSENT', consent_id: null,
      objects: [`Student:${one.student}`, `Trajectory:${one.trajectory}`],
      consents: [`Student:${one.student}/Consent:${one.consent}`],
    });
    // Positive control: in the database the entry names all four.
    const [stored] = await ds.query('SELECT objects, consents FROM access_log_entry WHERE request_id = $1', [requestId]);
    expect(stored.objects).toHaveLength(8);
    expect(stored.consents).toHaveLength(4);
    const copy = JSON.stringify(log.rows);
    for (const other of others) for (const id of [other.student, other.trajectory, other.consent]) expect(copy).not.toContain(id);
    // An entry about this student alone is the student's whole, and stays as it is.
    const single = await post(scientist, 'query($id: ID!) { trajectory(id: $id) { id phase } }', { id: one.trajectory });
    expect(single.body.errors).toBeUndefined();
    const [alone] = await ds.query('SELECT objects, consent_id FROM access_log_entry WHERE request_id = $1', [single.requestId]);
    expect(alone.consent_id).toBe(one.consent);
    const again = await post(privacyOfficer, 'query($id: ID!) { studentExport(studentId: $id) { tables { table rows } } }', { id: one.student });
    const rows = again.body.data!.studentExport.tables.find((t: { table: string }) => t.table === 'access_log_entry').rows;
    expect(rows.find((r: { request_id: string }) => r.request_id === single.requestId)).toMatchObject({ student_id: one.student, objects: alone.objects, consent_id: one.consent });
  });

  test('a school coordinator\'s list of four students on one ground writes one entry naming all four; each student\'s overview and export show it', async () => {
    const { body, requestId } = await post(schoolCoordinator, '{ students(first: 20) { edges { node { id givenName } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data!.students.edges).toHaveLength(4);
    const entries: Array<Record<string, unknown>> = await ds.query(
      `SELECT object_type, object_id, student_id, action::text AS action, fields, objects, legal_basis::text AS legal_basis, consent_id
         FROM access_log_entry WHERE partnership_id = $1 AND request_id = $2`, [partnership.id, requestId]);
    expect(entries).toEqual([{
      object_type: 'Student', object_id: null, student_id: null, action: 'SEARCH', fields: ['Student.givenName', 'Student.id'],
      objects: cases.map((c) => `Student:${c.student}`).sort(), legal_basis: 'LEGAL_TASK', consent_id: null,
    }]);
    expect(await verifyChain(ds, partnership.id)).toEqual({ intact: true, entries: expect.any(Number) });
    const [one, other] = cases;
    // "Who saw my data": the student's overview and the log filtered by the student find the one entry.
    const overview = await post(privacyOfficer, 'query($id: ID!) { studentAccessOverview(studentId: $id, first: 100) { edges { node { requestId objects } } } }', { id: one.student });
    expect(overview.body.errors).toBeUndefined();
    expect(overview.body.data!.studentAccessOverview.edges.map((e: { node: { requestId: string } }) => e.node.requestId)).toContain(requestId);
    const filtered = await post(privacyOfficer, 'query($id: ID!) { accessLog(first: 100, filter: { studentId: $id }) { edges { node { requestId objects } } } }', { id: other.student });
    expect(filtered.body.errors).toBeUndefined();
    expect(filtered.body.data!.accessLog.edges.map((e: { node: { requestId: string } }) => e.node.requestId)).toContain(requestId);
    // Nor does it leak into another student's: a student of another school is in no such entry.
    const stranger = await createStudent(ds, await createSchool(ds, await createWindstreek(ds, partnership)));
    const none = await post(privacyOfficer, 'query($id: ID!) { studentAccessOverview(studentId: $id, first: 100) { edges { node { requestId } } } }', { id: stranger.id });
    expect(none.body.data!.studentAccessOverview.edges.map((e: { node: { requestId: string } }) => e.node.requestId)).not.toContain(requestId);
    // The art. 15 export of the student holds the entry.
    const exported = await post(privacyOfficer, 'query($id: ID!) { studentExport(studentId: $id) { tables { table rows } } }', { id: one.student });
    expect(exported.body.errors).toBeUndefined();
    const log = exported.body.data!.studentExport.tables.find((t: { table: string }) => t.table === 'access_log_entry');
    expect(log.rows.map((r: { request_id: string }) => r.request_id)).toContain(requestId);
    // Of the four students it names, the copy shows the one it is for.
    expect(log.rows.find((r: { request_id: string }) => r.request_id === requestId).objects).toEqual([`Student:${one.student}`]);
  });

  test('the append refuses an entry of another partnership or a text that is no entry, and writes nothing', async () => {
    const count = async () => (await ds.query('SELECT count(*)::int AS n FROM access_log_entry WHERE partnership_id = $1', [partnership.id]))[0].n as number;
    const before = await count();
    const ours = row('Student', cases[0].student, cases[0].student, ['Student.id'], { partnershipId: partnership.id, userId: scientist.id, membershipId: null, consentId: null, objects: [`Student:${cases[0].student}`] });
    const foreign = { ...ours, id: randomUUID(), partnershipId: randomUUID() };
    await expect(ds.query('SELECT access_log_append($1::uuid, $2::text[])', [partnership.id, [canonical(ours), canonical(foreign)]])).rejects.toThrow(/not entries of partnership/);
    await expect(ds.query('SELECT access_log_append($1::uuid, $2::text[])', [partnership.id, [canonical(ours), '{"id": 1}']])).rejects.toThrow(/not entries of partnership/);
    // Seventeen values whose last is not a list of consents, or eighteen, is no entry either.
    await expect(ds.query('SELECT access_log_append($1::uuid, $2::text[])', [partnership.id, [JSON.stringify([...JSON.parse(canonical({ ...ours, id: randomUUID() })), null])]])).rejects.toThrow(/not entries of partnership/);
    await expect(ds.query('SELECT access_log_append($1::uuid, $2::text[])', [partnership.id, [canonical(ours), JSON.stringify([...JSON.parse(canonical({ ...ours, id: randomUUID(), consents: ['c'] })), 'extra'])]])).rejects.toThrow(/not entries of partnership/);
    expect(await count()).toBe(before);
  });
});
