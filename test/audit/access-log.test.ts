/**
 * The access log (NEN 7513 style, AVG rule 5): for a scripted set of reads and writes,
 * exactly one entry per act with every required field, written in one statement per
 * request; no log, no data; append-only; a hash chain that `verifyChain` (the logic of
 * `npm run audit:verify`) checks, also under concurrent requests.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CHAIN_COLUMNS, chainRowOf, checkChain, verifyChain } from '../../src/audit/chain';
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../src/domain/enums';
import type { Partnership } from '../../src/modules/partnerships/partnership.entity';
import type { School } from '../../src/modules/schools/school.entity';
import type { Student } from '../../src/modules/students/student.entity';
import type { Trajectory } from '../../src/modules/trajectories/trajectory.entity';
import type { Consent } from '../../src/modules/consents/consent.entity';
import type { Topteam } from '../../src/modules/topteams/topteam.entity';
import type { Windstreek } from '../../src/modules/windstreken/windstreek.entity';
import type { User } from '../../src/modules/users/user.entity';
import {
  createConsent, createPartnership, createSchool, createStudent, createTopteam, createTrajectory, createUser, createWindstreek, unique,
} from '../factories';
import { startTestApp, TestApp } from '../setup/app';

interface LogRow {
  sequence: string;
  user_id: string;
  membership_id: string | null;
  role: string | null;
  action: string;
  outcome: string;
  student_id: string | null;
  object_type: string;
  object_id: string | null;
  fields: string[];
  legal_basis: string | null;
  consent_id: string | null;
  request_id: string;
  objects: string[] | null;
  previous_hash: string | null;
  hash: string;
}

let app: TestApp;
let ds: DataSource;
let partnership: Partnership;
let school: School;
let schoolCoordinator: User;
let scientist: User;
let privacyOfficer: User;
let st1: Student;
let st2: Student;
let tr1: Trajectory;
let careConsent: Consent;
let shareConsent: Consent;
let windstreek: Windstreek;
let team: Topteam;

async function membershipOf(user: User): Promise<string> {
  const [row] = await ds.query('SELECT id FROM membership WHERE user_id = $1', [user.id]);
  return row.id;
}

/** POSTs an operation with a chosen request id; returns body and statement count. */
async function post(user: User, query: string, variables: Record<string, unknown> = {}, requestId = `audit-${randomUUID()}`) {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(user.email)}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  return { body, requestId, statements: Number(response.headers.get('x-sql-statements')) };
}

async function entriesOf(requestId: string): Promise<LogRow[]> {
  return ds.query(
    `SELECT sequence::text AS sequence, user_id, membership_id, role::text AS role, action::text AS action, outcome::text AS outcome,
            student_id, object_type, object_id, fields, legal_basis::text AS legal_basis, consent_id, request_id, objects, previous_hash, hash
       FROM access_log_entry e WHERE partnership_id = $1 AND request_id = $2 ORDER BY e.sequence`,
    [partnership.id, requestId],
  );
}

const STUDENT = 'query One($id: ID!) { student(id: $id) { id givenName familyName } }';

/** Runs `fn` while every access-log write of partnership `partnershipId` fails (a trigger raises), console errors muted. */
async function withLogDown(partnershipId: string, fn: () => Promise<void>): Promise<void> {
  const name = `audit_test_fail_${partnershipId.replace(/-/g, '')}`;
  await ds.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'log store down'; END $$`);
  await ds.query(`CREATE TRIGGER ${name} BEFORE INSERT ON access_log_entry FOR EACH ROW WHEN (NEW.partnership_id = '${partnershipId}') EXECUTE FUNCTION ${name}()`);
  const errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await fn();
  } finally {
    errorLog.mockRestore();
    await ds.query(`DROP TRIGGER ${name} ON access_log_entry`);
    await ds.query(`DROP FUNCTION ${name}()`);
  }
}

/** How many entries request `requestId` wrote in partnership `partnershipId`. */
async function entryCount(partnershipId: string, requestId: string): Promise<number> {
  const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM access_log_entry WHERE partnership_id = $1 AND request_id = $2', [partnershipId, requestId]);
  return n;
}

beforeAll(async () => {
  app = await startTestApp();
  ds = app.dataSource;
  partnership = await createPartnership(ds);
  const w = await createWindstreek(ds, partnership);
  windstreek = w;
  school = await createSchool(ds, w);
  team = await createTopteam(ds, w);
  schoolCoordinator = await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school }]]);
  scientist = await createUser(ds, partnership, [[Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]);
  privacyOfficer = await createUser(ds, partnership, [[Role.PRIVACY_OFFICER]]);
  st1 = await createStudent(ds, school);
  st2 = await createStudent(ds, school);
  shareConsent = await createConsent(ds, st1, schoolCoordinator, ConsentPurpose.SHARE_WITH_PARTNERSHIP);
  careConsent = await createConsent(ds, st1, schoolCoordinator, ConsentPurpose.CARE_BY_TOPTEAM);
  tr1 = await createTrajectory(ds, st1, school, schoolCoordinator, { team, phase: Phase.INTENSIVE, phaseDueOn: '2026-04-01' });
});
afterAll(() => app.stop());

describe('one entry per act, with every required field', () => {
  test('as SCHOOL_COORDINATOR of the school, reading one student writes one READ entry on the legal task', async () => {
    const { body, requestId } = await post(schoolCoordinator, STUDENT, { id: st1.id });
    expect(body.errors).toBeUndefined();
    expect(body.data!.student.id).toBe(st1.id);
    const entries = await entriesOf(requestId);
    expect(entries).toEqual([
      expect.objectContaining({
        user_id: schoolCoordinator.id, membership_id: await membershipOf(schoolCoordinator), role: 'SCHOOL_COORDINATOR',
        action: 'READ', outcome: 'ALLOWED', student_id: st1.id, object_type: 'Student', object_id: st1.id, objects: [`Student:${st1.id}`],
        fields: ['Student.familyName', 'Student.givenName', 'Student.id'], legal_basis: 'LEGAL_TASK', consent_id: null, request_id: requestId,
      }),
    ]);
    expect(entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('as SCHOOL_COORDINATOR, a student list writes one SEARCH entry naming the students returned (read alike), in one statement', async () => {
    // A school of its own with two students: other tests add students to the shared school.
    const twoSchool = await createSchool(ds, windstreek);
    const coordinator = await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school: twoSchool }]]);
    const both = [await createStudent(ds, twoSchool), await createStudent(ds, twoSchool)];
    const list = 'query L($first: Int) { students(first: $first) { edges { node { id givenName } } } }';
    const one = await post(coordinator, list, { first: 1 });
    const two = await post(coordinator, list, { first: 2 });
    expect(two.body.errors).toBeUndefined();
    const ids = two.body.data!.students.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    expect(ids).toEqual(both.map((s) => s.id).sort());
    const entries = await entriesOf(two.requestId);
    expect(entries.map((e) => [e.object_type, e.object_id, e.student_id, e.action, e.fields, e.objects])).toEqual([
      ['Student', null, null, 'SEARCH', ['Student.givenName', 'Student.id'], ids.map((id: string) => `Student:${id}`)],
    ]);
    // A student read alone keeps an entry of their own.
    const alone = one.body.data!.students.edges[0].node.id;
    expect((await entriesOf(one.requestId)).map((e) => [e.object_id, e.student_id])).toEqual([[alone, alone]]);
    // One INSERT per request, however many entries: 1 and 2 rows cost the same.
    expect(two.statements).toBe(one.statements);
    // And it travels with the COMMIT: the authentication, the transaction started bound, the
    // page, then the entries and the COMMIT in one text (src/graphql/unit-of-work.ts `commitWith`).
    expect(one.statements).toBe(4);
  });

  test('a read that answers null costs one statement more than one that finds its row, whether the row is missing or hidden', async () => {
    const found = await post(schoolCoordinator, STUDENT, { id: st1.id });
    const missing = await post(schoolCoordinator, STUDENT, { id: randomUUID() });
    expect(found.body.data!.student.id).toBe(st1.id);
    expect(missing.body.data!.student).toBeNull();
    expect(await entriesOf(missing.requestId)).toHaveLength(0);
    // found: select + the log write; missing: select + the existence check that tells a hidden
    // row (logged DENIED) from a missing one + the same append with nothing in it, so that hidden
    // and missing cost the same (test/audit/denied-reads.test.ts).
    expect(missing.statements).toBe(found.statements + 1);
  });

  test('as TEAM_MEMBER of the team, a trajectory with its student and goals writes one entry for the student covering the trajectory and the student, on consent', async () => {
    const { body, requestId } = await post(
      scientist,
      'query T($id: ID!) { trajectory(id: $id) { id phase student { id givenName } goals { edges { node { description } } } } }',
      { id: tr1.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.trajectory.student.id).toBe(st1.id);
    expect(body.data!.trajectory.goals.edges).toHaveLength(1);
    const entries = await entriesOf(requestId);
    const membership = await membershipOf(scientist);
    // Same act, student, membership and consent: one entry, each field named with its type, each object covered listed.
    expect(entries).toEqual([
      expect.objectContaining({
        object_type: 'Student', object_id: st1.id, student_id: st1.id, action: 'READ', outcome: 'ALLOWED',
        objects: [`Student:${st1.id}`, `Trajectory:${tr1.id}`],
        fields: ['Goal.description', 'Student.givenName', 'Student.id', 'Trajectory.goals', 'Trajectory.id', 'Trajectory.phase', 'Trajectory.student'],
        user_id: scientist.id, membership_id: membership, role: 'TEAM_MEMBER', legal_basis: 'CONSENT', consent_id: careConsent.id, request_id: requestId,
      }),
    ]);
  });

  test('as SCHOOL_COORDINATOR, a mutation writes a CHANGE entry for the student it creates', async () => {
    const { body, requestId } = await post(
      schoolCoordinator,
      'mutation C($input: CreateStudentInput!) { createStudent(input: $input) { id givenName } }',
      { input: { givenName: 'Audit', familyName: unique('Log'), birthDate: '2012-03-04', studentNumber: unique('N').slice(0, 20), expectedExitLevel: 'HAVO' } },
    );
    expect(body.errors).toBeUndefined();
    const id = body.data!.createStudent.id;
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({
        object_type: 'Student', object_id: id, student_id: id, action: 'CHANGE', outcome: 'ALLOWED', fields: ['Student.givenName', 'Student.id'],
        objects: [`Student:${id}`], user_id: schoolCoordinator.id, role: 'SCHOOL_COORDINATOR', legal_basis: 'LEGAL_TASK', request_id: requestId,
      }),
    ]);
  });

  test('as SCHOOL_COORDINATOR, a refused mutation on a trajectory writes one DENIED entry naming the mutation and the trajectory', async () => {
    const { body, requestId } = await post(
      schoolCoordinator,
      'mutation N($input: AddNoteInput!) { addNote(input: $input) { id } }',
      { input: { trajectoryId: tr1.id, body: 'not mine to write' } },
    );
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(body.errors?.[0]?.extensions?.code);
    expect(body.data ?? null).toBeNull();
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({
        object_type: 'Trajectory', object_id: tr1.id, student_id: st1.id, action: 'CHANGE', outcome: 'DENIED', fields: ['addNote'],
        // A denied attempt stays an entry about the one object it named, not folded per student.
        objects: null, user_id: schoolCoordinator.id, role: 'SCHOOL_COORDINATOR', request_id: requestId,
        // Nothing was processed, so no basis was used.
        legal_basis: null, consent_id: null,
      }),
    ]);
  });

  test.each([
    ['withdrawConsent', 'mutation W($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }', () => ({ consentId: careConsent.id, reason: 'not mine' }), () => careConsent.studentId],
    ['submitRegistration', 'mutation R($input: SubmitRegistrationInput!) { submitRegistration(input: $input) { id } }', () => ({
      studentId: st2.id, problemAreas: ['ABSENCE'], parentsInformedOn: '2026-03-01', enrolledInRegularEducation: true, regularEducationFeasible: true,
      studentMotivated: true, parentsMotivated: true, schoolMotivated: true, goalsReachableWithinTerm: true, singleQuestion: false, needsVeryIntensiveCare: false,
    }), () => st2.id],
  ])('as a gedragswetenschapper, a refused %s writes a DENIED entry that names the student (so the student\'s overview shows the attempt)', async (field, mutation, input, studentId) => {
    const { body, requestId } = await post(scientist, mutation, { input: input() });
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(body.errors?.[0]?.extensions?.code);
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({ action: 'CHANGE', outcome: 'DENIED', fields: [field], student_id: studentId(), objects: null, user_id: scientist.id }),
    ]);
  });

  test('a refused mutation naming a made-up student names nobody (and still logs the attempt)', async () => {
    const { body, requestId } = await post(scientist, 'mutation W($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }', { input: { consentId: randomUUID() } });
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await entriesOf(requestId)).toEqual([expect.objectContaining({ outcome: 'DENIED', fields: ['withdrawConsent'], student_id: null })]);
  });

  test('as PRIVACY_OFFICER, 25 aliased reads of the log in one request write one entry, not 25', async () => {
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: accessLog(first: 1, filter: { studentId: "${st1.id}" }) { totalCount }`).join(' ');
    const { body, requestId } = await post(privacyOfficer, `{ ${aliases} }`);
    expect(body.errors).toBeUndefined();
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({ object_type: 'AccessLog', action: 'SEARCH', outcome: 'ALLOWED', student_id: st1.id, fields: ['filter.studentId'] }),
    ]);
  });

  test('as a user whose membership was revoked, aliased reads of the log write one DENIED entry, not one per alias', async () => {
    const revoked = await createUser(ds, partnership, [[Role.PRIVACY_OFFICER]]);
    await ds.query('UPDATE membership SET revoked_at = now() WHERE user_id = $1', [revoked.id]);
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: accessLog(first: 1) { totalCount }`).join(' ');
    const { requestId } = await post(revoked, `{ ${aliases} }`);
    const entries = await entriesOf(requestId);
    expect(entries.length).toBeLessThanOrEqual(1);
  });

  test('a user without any membership who tries 20 aliased reads of students writes one entry naming every attempt', async () => {
    const outsider = await createUser(ds, partnership, []);
    const aliases = Array.from({ length: 20 }, (_, i) => `s${i}: student(id: "${i % 2 ? st1.id : st2.id}") { id }`).join(' ');
    const { body, requestId } = await post(outsider, `{ ${aliases} }`);
    expect(Object.keys(body.data ?? {})).toHaveLength(20);
    expect(Object.values(body.data ?? {}).every((v) => v === null)).toBe(true);
    const entries = await entriesOf(requestId);
    expect(entries).toEqual([expect.objectContaining({ object_type: 'Request', outcome: 'DENIED', user_id: outsider.id, student_id: null, objects: null })]);
    expect(entries[0].fields).toEqual([`Student ${st1.id}: student`, `Student ${st2.id}: student`].sort());
  });

  test('as PRIVACY_OFFICER, reading the access log is itself logged', async () => {
    await post(schoolCoordinator, STUDENT, { id: st1.id }); // an entry about st1 to list, whatever ran before
    const { body, requestId } = await post(
      privacyOfficer,
      'query A($filter: AccessLogFilter) { accessLog(first: 100, filter: $filter) { edges { node { objectType action } } } }',
      { filter: { studentId: st1.id } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.accessLog.edges.length).toBeGreaterThan(0);
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({
        object_type: 'AccessLog', object_id: null, student_id: st1.id, action: 'SEARCH', outcome: 'ALLOWED', fields: ['filter.studentId'], objects: null,
        user_id: privacyOfficer.id, role: 'PRIVACY_OFFICER', legal_basis: 'LEGAL_TASK', request_id: requestId,
      }),
    ]);
  });
});

describe('on which grounds: the membership whose rules granted the row, and the consent it stood on', () => {
  test('as EDUCATION_ADVISOR of the windstreek, reading a registered student names the consent to share with the partnership', async () => {
    const advisor = await createUser(ds, partnership, [[Role.EDUCATION_ADVISOR, { windstreek }]]);
    const { body, requestId } = await post(advisor, STUDENT, { id: st1.id });
    expect(body.data!.student.id).toBe(st1.id);
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({
        object_type: 'Student', object_id: st1.id, objects: [`Student:${st1.id}`], fields: ['Student.familyName', 'Student.givenName', 'Student.id'],
        outcome: 'ALLOWED', role: 'EDUCATION_ADVISOR', membership_id: await membershipOf(advisor),
        legal_basis: 'CONSENT', consent_id: shareConsent.id,
      }),
    ]);
  });

  test('as TEAM_MEMBER, the pseudonymised stub of a case whose care consent was withdrawn stands on the legal task, no consent', async () => {
    const st = await createStudent(ds, school);
    await createConsent(ds, st, schoolCoordinator, ConsentPurpose.CARE_BY_TOPTEAM, true);
    const tr = await createTrajectory(ds, st, school, schoolCoordinator, { team, phase: Phase.INTENSIVE });
    const { body, requestId } = await post(scientist, 'query T($id: ID!) { trajectory(id: $id) { id phase careConsentValid studentPseudonym } }', { id: tr.id });
    expect(body.data!.trajectory).toMatchObject({ id: tr.id, careConsentValid: false });
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({
        object_type: 'Student', object_id: st.id, student_id: st.id, objects: [`Trajectory:${tr.id}`],
        fields: ['Trajectory.careConsentValid', 'Trajectory.id', 'Trajectory.phase', 'Trajectory.studentPseudonym'],
        role: 'TEAM_MEMBER', legal_basis: 'LEGAL_TASK', consent_id: null,
      }),
    ]);
  });

  test('as a user who is TEAM_MEMBER and SCHOOL_COORDINATOR of another school, each row names the membership that granted it', async () => {
    const otherSchool = await createSchool(ds, windstreek);
    const dual = await createUser(ds, partnership, [
      [Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.TEACHER }],
      [Role.SCHOOL_COORDINATOR, { school: otherSchool }],
    ]);
    const [teamMembership] = await ds.query(`SELECT id FROM membership WHERE user_id = $1 AND role = 'TEAM_MEMBER'`, [dual.id]);
    const [schoolMembership] = await ds.query(`SELECT id FROM membership WHERE user_id = $1 AND role = 'SCHOOL_COORDINATOR'`, [dual.id]);
    const own = await createStudent(ds, otherSchool);
    const { body, requestId } = await post(dual, 'query Two($a: ID!, $b: ID!) { a: student(id: $a) { id } b: student(id: $b) { id } }', { a: st1.id, b: own.id });
    expect(body.data).toEqual({ a: { id: st1.id }, b: { id: own.id } });
    const entries = await entriesOf(requestId);
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.object_id === st1.id)).toMatchObject({
      objects: [`Student:${st1.id}`], membership_id: teamMembership.id, role: 'TEAM_MEMBER', legal_basis: 'CONSENT', consent_id: careConsent.id,
    });
    // TEAM_MEMBER comes first in the role order, yet the school's own student is the school coordinator's.
    expect(entries.find((e) => e.object_id === own.id)).toMatchObject({
      objects: [`Student:${own.id}`], membership_id: schoolMembership.id, role: 'SCHOOL_COORDINATOR', legal_basis: 'LEGAL_TASK', consent_id: null,
    });
  });

  test('as PROGRAMME_COORDINATOR and TEAM_MEMBER, a name shown through the team names the team and its consent, a pseudonym alone the coordinator', async () => {
    const dual = await createUser(ds, partnership, [[Role.PROGRAMME_COORDINATOR], [Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.CARE_WORKER }]]);
    const [teamMembership] = await ds.query(`SELECT id FROM membership WHERE user_id = $1 AND role = 'TEAM_MEMBER'`, [dual.id]);
    const [coordinatorMembership] = await ds.query(`SELECT id FROM membership WHERE user_id = $1 AND role = 'PROGRAMME_COORDINATOR'`, [dual.id]);
    const named = await post(dual, 'query N($id: ID!) { student(id: $id) { id pseudonym givenName } }', { id: st1.id });
    expect(named.body.data!.student).toMatchObject({ id: st1.id, givenName: st1.givenName });
    expect(await entriesOf(named.requestId)).toEqual([expect.objectContaining({
      object_id: st1.id, objects: [`Student:${st1.id}`], fields: ['Student.givenName', 'Student.id', 'Student.pseudonym'], membership_id: teamMembership.id, role: 'TEAM_MEMBER', legal_basis: 'CONSENT', consent_id: careConsent.id,
    })]);
    // PROGRAMME_COORDINATOR comes first in the role order and suffices for the pseudonym.
    const pseudonymOnly = await post(dual, 'query P($id: ID!) { student(id: $id) { id pseudonym } }', { id: st1.id });
    expect(await entriesOf(pseudonymOnly.requestId)).toEqual([expect.objectContaining({
      object_id: st1.id, objects: [`Student:${st1.id}`], fields: ['Student.id', 'Student.pseudonym'], membership_id: coordinatorMembership.id, role: 'PROGRAMME_COORDINATOR', legal_basis: 'LEGAL_TASK', consent_id: null,
    })]);
    // In one request, the same student's name (the team's, on consent) and the case's phase (the
    // coordinator's planning view, on the legal task): two grounds, so two entries, not one.
    const both = await post(dual, 'query B($s: ID!, $t: ID!) { s: student(id: $s) { id givenName } t: trajectory(id: $t) { id phase } }', { s: st1.id, t: tr1.id });
    expect(both.body.errors).toBeUndefined();
    expect(both.body.data).toEqual({ s: { id: st1.id, givenName: st1.givenName }, t: { id: tr1.id, phase: 'INTENSIVE' } });
    const entries = (await entriesOf(both.requestId)).sort((a, b) => a.objects![0].localeCompare(b.objects![0]));
    expect(entries).toEqual([
      expect.objectContaining({
        object_type: 'Student', object_id: st1.id, student_id: st1.id, action: 'READ', outcome: 'ALLOWED', objects: [`Student:${st1.id}`], fields: ['Student.givenName', 'Student.id'],
        membership_id: teamMembership.id, role: 'TEAM_MEMBER', legal_basis: 'CONSENT', consent_id: careConsent.id,
      }),
      expect.objectContaining({
        object_type: 'Student', object_id: st1.id, student_id: st1.id, action: 'READ', outcome: 'ALLOWED', objects: [`Trajectory:${tr1.id}`], fields: ['Trajectory.id', 'Trajectory.phase'],
        membership_id: coordinatorMembership.id, role: 'PROGRAMME_COORDINATOR', legal_basis: 'LEGAL_TASK', consent_id: null,
      }),
    ]);
  });

  test('as PRIVACY_OFFICER, the "who saw my data" overview shows each access with its role, membership, basis and the consent record used', async () => {
    const { requestId } = await post(scientist, STUDENT, { id: st1.id });
    const [entry] = await entriesOf(requestId);
    const { body } = await post(
      privacyOfficer,
      `query O($id: ID!) { studentAccessOverview(studentId: $id, first: 100) { edges { node { requestId role membershipId legalBasis consentId consent { id purpose givenAt } user { id } } } } }`,
      { id: st1.id },
    );
    expect(body.errors).toBeUndefined();
    const mine = body.data!.studentAccessOverview.edges.map((e: { node: Record<string, unknown> }) => e.node).filter((n: { requestId: string }) => n.requestId === requestId);
    expect(mine).toEqual([{
      requestId, role: 'TEAM_MEMBER', membershipId: entry.membership_id, legalBasis: 'CONSENT', consentId: careConsent.id,
      consent: { id: careConsent.id, purpose: 'CARE_BY_TOPTEAM', givenAt: careConsent.givenAt.toISOString() }, user: { id: scientist.id },
    }]);
  });

  test('the grounds cost the same number of statements for 1 and for 8 rows (never one per row)', async () => {
    const count = async (n: number) => {
      const { body, statements } = await post(scientist, `query L($n: Int) { students(first: $n) { edges { node { id givenName } } } }`, { n });
      expect(body.errors).toBeUndefined();
      return { rows: body.data!.students.edges.length as number, statements };
    };
    const extra = [];
    for (let i = 0; i < 8; i++) {
      const st = await createStudent(ds, school);
      await createConsent(ds, st, schoolCoordinator, ConsentPurpose.CARE_BY_TOPTEAM);
      await createTrajectory(ds, st, school, schoolCoordinator, { team, phase: Phase.ASSESSMENT });
      extra.push(st);
    }
    const one = await count(1);
    const many = await count(9);
    expect(one.rows).toBe(1);
    expect(many.rows).toBeGreaterThanOrEqual(8);
    expect(many.statements).toBe(one.statements);
  });
});

describe('no log entry, no data', () => {
  test('as SCHOOL_COORDINATOR, when the entry cannot be written the response carries INTERNAL_SERVER_ERROR and no data', async () => {
    const p2 = await createPartnership(ds);
    const s2 = await createSchool(ds, await createWindstreek(ds, p2));
    const coordinator2 = await createUser(ds, p2, [[Role.SCHOOL_COORDINATOR, { school: s2 }]]);
    const student = await createStudent(ds, s2);
    // Positive control: the same read works while the log can be written.
    const before = await post(coordinator2, STUDENT, { id: student.id });
    expect(before.body.data!.student.givenName).toBe(student.givenName);

    await withLogDown(p2.id, async () => {
      const after = await post(coordinator2, STUDENT, { id: student.id });
      expect(after.body.data).toBeUndefined();
      expect(after.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      expect(JSON.stringify(after.body)).not.toContain(student.givenName);
      expect(await ds.query('SELECT 1 FROM access_log_entry WHERE request_id = $1', [after.requestId])).toHaveLength(0);
    });
  });

  test('as SCHOOL_COORDINATOR, when a mutation\'s entry cannot be written its change is undone too: no student, no entry, no data', async () => {
    const p2 = await createPartnership(ds);
    const s2 = await createSchool(ds, await createWindstreek(ds, p2));
    const coordinator2 = await createUser(ds, p2, [[Role.SCHOOL_COORDINATOR, { school: s2 }]]);
    const CREATE = 'mutation C($input: CreateStudentInput!) { createStudent(input: $input) { id givenName } }';
    const input = () => ({ givenName: 'Unlogged', familyName: unique('Change'), birthDate: '2012-03-04', studentNumber: unique('U').slice(0, 20), expectedExitLevel: 'HAVO' });
    const students = async () => Number((await ds.query('SELECT count(*)::int AS n FROM student WHERE school_id = $1', [s2.id]))[0].n);
    // Positive control: with the log writable, the change and its entry both land.
    const ok = await post(coordinator2, CREATE, { input: input() });
    expect(ok.body.errors).toBeUndefined();
    expect(await students()).toBe(1);
    expect(await entryCount(p2.id, ok.requestId)).toBe(1);

    await withLogDown(p2.id, async () => {
      const failed = await post(coordinator2, CREATE, { input: input() });
      expect(failed.body.data).toBeUndefined();
      expect(failed.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      expect(await students()).toBe(1);
      expect(await entryCount(p2.id, failed.requestId)).toBe(0);
    });
  });
});

describe('a mutation request is one unit of work', () => {
  const CREATE_TWO = `mutation Two($a: CreateStudentInput!, $b: CreateStudentInput!) {
    a: createStudent(input: $a) { id }
    b: createStudent(input: $b) { id }
  }`;
  const input = (studentNumber: string) => ({ givenName: 'Unit', familyName: unique('Work'), birthDate: '2012-03-04', studentNumber, expectedExitLevel: 'VWO' });

  test('a root field that fails (CONFLICT) leaves nothing; the field before it and its log entry commit', async () => {
    const taken = unique('T').slice(0, 20);
    const first = unique('F').slice(0, 20);
    await post(schoolCoordinator, 'mutation C($input: CreateStudentInput!) { createStudent(input: $input) { id } }', { input: input(taken) });
    const { body, requestId } = await post(schoolCoordinator, CREATE_TWO, { a: input(first), b: input(taken) });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['b'], extensions: expect.objectContaining({ code: 'CONFLICT' }) })]);
    // `createStudent` is non-null, so the failed `b` nulls the whole answer (GraphQL), but `a` ran and stays.
    expect(body.data).toBeNull();
    const rows = await ds.query('SELECT id, student_number FROM student WHERE school_id = $1 AND student_number = ANY($2)', [school.id, [taken, first]]);
    expect(rows.map((r: { student_number: string }) => r.student_number).sort()).toEqual([first, taken].sort());
    const created = rows.find((r: { student_number: string }) => r.student_number === first).id;
    expect(await entriesOf(requestId)).toEqual([expect.objectContaining({ object_type: 'Student', object_id: created, action: 'CHANGE', outcome: 'ALLOWED' })]);
  });

  test('a request answers only after its change is committed: the next request sees it', async () => {
    const { body } = await post(schoolCoordinator, 'mutation C($input: CreateStudentInput!) { createStudent(input: $input) { id } }', { input: input(unique('N').slice(0, 20)) });
    const read = await post(schoolCoordinator, STUDENT, { id: body.data!.createStudent.id });
    expect(read.body.data!.student.id).toBe(body.data!.createStudent.id);
  });
});

describe('append-only and hash-chained', () => {
  test('UPDATE and DELETE on access_log_entry are refused, and the rows stay as they were', async () => {
    await post(schoolCoordinator, STUDENT, { id: st1.id }); // at least one entry, whatever ran before
    const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM access_log_entry WHERE partnership_id = $1', [partnership.id]);
    expect(count).toBeGreaterThan(0);
    await expect(ds.query(`UPDATE access_log_entry SET object_type = 'X' WHERE partnership_id = $1`, [partnership.id])).rejects.toThrow(/append-only/);
    await expect(ds.query('DELETE FROM access_log_entry WHERE partnership_id = $1', [partnership.id])).rejects.toThrow(/append-only/);
    const [after] = await ds.query(
      `SELECT count(*)::int AS count, count(*) FILTER (WHERE object_type = 'X')::int AS changed FROM access_log_entry WHERE partnership_id = $1`,
      [partnership.id],
    );
    expect(after).toEqual({ count, changed: 0 });
  });

  async function asSuperuser(sql: string, params: unknown[]): Promise<void> {
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('ALTER TABLE access_log_entry DISABLE TRIGGER access_log_entry_append_only');
      await runner.query(sql, params);
      await runner.query('ALTER TABLE access_log_entry ENABLE TRIGGER access_log_entry_append_only');
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  test('a tampered row is reported at exactly its sequence; restoring it makes the chain intact again', async () => {
    // At least three entries, whatever ran before.
    for (let i = 0; i < 3; i++) await post(schoolCoordinator, STUDENT, { id: st2.id });
    const rows: Array<{ sequence: string; object_type: string }> = await ds.query(
      'SELECT sequence::text AS sequence, object_type FROM access_log_entry e WHERE partnership_id = $1 ORDER BY e.sequence', [partnership.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(await verifyChain(ds, partnership.id)).toEqual({ intact: true, entries: rows.length });

    const victim = rows[Math.floor(rows.length / 2)];
    await asSuperuser(`UPDATE access_log_entry SET object_type = 'Tampered' WHERE partnership_id = $1 AND sequence = $2`, [partnership.id, victim.sequence]);
    try {
      const report = await verifyChain(ds, partnership.id);
      expect(report).toEqual({
        intact: false, entries: rows.length,
        broken: expect.objectContaining({ partnershipId: partnership.id, sequence: victim.sequence, field: 'hash', expected: expect.any(String), found: expect.any(String) }),
      });
    } finally {
      await asSuperuser(`UPDATE access_log_entry SET object_type = $3 WHERE partnership_id = $1 AND sequence = $2`, [partnership.id, victim.sequence, victim.object_type]);
    }
    expect(await verifyChain(ds, partnership.id)).toEqual({ intact: true, entries: rows.length });
  });

  test('verification reads the chain in batches: across batch boundaries it is intact, and a tampered row in a later batch is found at its sequence', async () => {
    for (let i = 0; i < 5; i++) await post(schoolCoordinator, STUDENT, { id: st2.id });
    const rows: Array<{ sequence: string; object_type: string }> = await ds.query(
      'SELECT sequence::text AS sequence, object_type FROM access_log_entry e WHERE partnership_id = $1 ORDER BY e.sequence', [partnership.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // Batches of 2: every boundary between two batches is a link the walker must carry over.
    expect(await verifyChain(ds, partnership.id, 2)).toEqual({ intact: true, entries: rows.length });
    expect(await verifyChain(ds, partnership.id, 3)).toEqual({ intact: true, entries: rows.length });
    const victim = rows[rows.length - 2];
    await asSuperuser(`UPDATE access_log_entry SET object_type = 'Tampered' WHERE partnership_id = $1 AND sequence = $2`, [partnership.id, victim.sequence]);
    try {
      expect(await verifyChain(ds, partnership.id, 2)).toEqual({
        intact: false, entries: rows.length,
        broken: expect.objectContaining({ partnershipId: partnership.id, sequence: victim.sequence, field: 'hash' }),
      });
    } finally {
      await asSuperuser(`UPDATE access_log_entry SET object_type = $3 WHERE partnership_id = $1 AND sequence = $2`, [partnership.id, victim.sequence, victim.object_type]);
    }
  });

  test('a removed entry breaks the link of the next one (pure check over the rows verifyChain reads)', async () => {
    // At least three entries, whatever ran before.
    for (let i = 0; i < 3; i++) await post(schoolCoordinator, STUDENT, { id: st1.id });
    await post(privacyOfficer, '{ accessLog(first: 1) { totalCount } }'); // an entry without `objects`: fifteen values in its canonical text
    const raw: Array<Record<string, unknown>> = await ds.query(`SELECT ${CHAIN_COLUMNS} FROM access_log_entry e WHERE e.partnership_id = $1 ORDER BY e.sequence`, [partnership.id]);
    const all = raw.map(chainRowOf);
    expect(all.length).toBeGreaterThanOrEqual(4);
    // Both forms of the canonical text are in the chain checked: with and without `objects`.
    expect(all.some((r) => r.objects === null)).toBe(true);
    expect(all.some((r) => r.objects !== null)).toBe(true);
    expect(checkChain(all)).toEqual({ intact: true, entries: all.length });
    const gap = [all[0], ...all.slice(2)];
    expect(checkChain(gap)).toEqual({
      intact: false, entries: gap.length,
      broken: { partnershipId: partnership.id, sequence: all[2].sequence, field: 'previousHash', expected: all[0].hash, found: all[1].hash },
    });
  });

  test('as SCHOOL_COORDINATOR and TEAM_MEMBER, 10 parallel reads keep the chain intact, one entry each', async () => {
    const [{ n: before }] = await ds.query('SELECT count(*)::int AS n FROM access_log_entry WHERE partnership_id = $1', [partnership.id]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(i % 2 === 0 ? schoolCoordinator : scientist, STUDENT, { id: st1.id })),
    );
    for (const r of results) expect(r.body.data!.student.id).toBe(st1.id);
    for (const r of results) expect(await entriesOf(r.requestId)).toHaveLength(1);
    const [{ n: after }] = await ds.query('SELECT count(*)::int AS n FROM access_log_entry WHERE partnership_id = $1', [partnership.id]);
    expect(after - before).toBe(10);
    expect(await verifyChain(ds, partnership.id)).toEqual({ intact: true, entries: after });
  });
});
