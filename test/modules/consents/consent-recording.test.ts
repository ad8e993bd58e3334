/**
 * Recording and withdrawing consent (AVG rule 4) and the privacy officer's consent
 * filter (item 5), end to end on the test clock (2026-03-16 in Amsterdam):
 * - the age rule at its boundaries (the day before and on the 12th and 16th birthday);
 * - each refusal writes nothing;
 * - only the coordinator of the student's school records and withdraws;
 * - a withdrawal cuts the Topteam's access on the very next request, on every path;
 * - the re-confirmation flag once the clock passes a birthday;
 * - the status / school / windstreek filters, each with a positive control.
 */
import { Phase } from '../../../src/domain/enums';
import { Consent, Guardian, School, Student, User } from '../../../src/app/entities';
import { createStudent, createTrajectory, unique } from '../../factories';
import { createWorld, World } from '../../factories/world';
import type { RecordConsentInput } from '../../generated/sdk';
import { startTestApp, TestApp, TEST_NOW } from '../../setup/app';
import { errorOf } from '../../setup/errors';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());
afterEach(() => app.clock.set(TEST_NOW));

/** A student of `school` born on `birthDate`, with one parent with and one without parental authority. */
async function studentWithParents(birthDate: string, school: School = world.schools.A1) {
  const ds = app.dataSource;
  const student = await createStudent(ds, school, { birthDate });
  const withAuthority = await ds.getRepository(Guardian).findOneByOrFail({ studentId: student.id });
  const withoutAuthority = await ds.getRepository(Guardian).save(
    ds.getRepository(Guardian).create({ partnershipId: student.partnershipId, studentId: student.id, name: unique('Stepparent '), relationship: 'stiefvader', hasParentalAuthority: false }),
  );
  return { student, withAuthority, withoutAuthority };
}

function input(student: Student, overrides: Partial<RecordConsentInput> = {}): RecordConsentInput {
  return {
    studentId: student.id,
    purpose: 'CARE_BY_TOPTEAM',
    grantorGuardianIds: [],
    studentGrants: false,
    recipients: ['Topteam A'],
    dataCategories: ['identity', 'case'],
    evidenceReference: 'form-42',
    ...overrides,
  };
}

const consentCount = (student: Student) => app.dataSource.getRepository(Consent).countBy({ studentId: student.id });

async function record(as: User, i: RecordConsentInput) {
  return (await app.sdk(as.email)).RecordConsent({ input: i });
}

describe('as school coordinator of A1, recordConsent follows the age rule on the day it was given', () => {
  // Turns 12 on the test date, 2026-03-16.
  const TWELVE_TODAY = '2014-03-16';
  // Turns 16 on the test date.
  const SIXTEEN_TODAY = '2010-03-16';

  test('the day before the 12th birthday (11): the parents with authority consent; the record is complete', async () => {
    const { student, withAuthority } = await studentWithParents(TWELVE_TODAY);
    const { recordConsent } = await record(world.users.schoolA1, input(student, { grantorGuardianIds: [withAuthority.id], givenOn: '2026-03-15' }));
    expect(recordConsent).toMatchObject({
      purpose: 'CARE_BY_TOPTEAM', legalBasis: 'CONSENT', studentAgeAtGrant: 11, recipients: ['Topteam A'], dataCategories: ['identity', 'case'],
      withdrawnAt: null, evidenceReference: 'form-42', valid: true, student: { id: student.id },
      grantors: [{ role: 'PARENT', name: withAuthority.name, hasParentalAuthority: true }],
    });
    // Given at 11 by the parents; the student is 12 today, so it already needs the student too.
    expect(recordConsent.needsReconfirmation).toBe(true);
    const row = await app.dataSource.getRepository(Consent).findOneByOrFail({ id: recordConsent.id });
    expect(row.recordedByUserId).toBe(world.users.schoolA1.id);
    expect(row.partnershipId).toBe(world.partnership.id);
  });

  test('the day before the 12th birthday (11): the student may not grant', async () => {
    const { student, withAuthority } = await studentWithParents(TWELVE_TODAY);
    const e = await errorOf(record(world.users.schoolA1, input(student, { grantorGuardianIds: [withAuthority.id], studentGrants: true, givenOn: '2026-03-15' })));
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.studentGrants' });
    expect(e.message).toMatch(/under 12/);
    expect(await consentCount(student)).toBe(0);
  });

  test('on the 12th birthday: the parents alone no longer suffice; student and parent do', async () => {
    const { student, withAuthority } = await studentWithParents(TWELVE_TODAY);
    const e = await errorOf(record(world.users.schoolA1, input(student, { grantorGuardianIds: [withAuthority.id] })));
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.studentGrants' });
    expect(await consentCount(student)).toBe(0);

    const { recordConsent } = await record(world.users.schoolA1, input(student, { grantorGuardianIds: [withAuthority.id], studentGrants: true }));
    expect(recordConsent.studentAgeAtGrant).toBe(12);
    expect(recordConsent.grantors.map((g) => g.role).sort()).toEqual(['PARENT', 'STUDENT']);
    expect(recordConsent.needsReconfirmation).toBe(false);
    expect(recordConsent.givenAt).toBe(TEST_NOW.toISOString());
  });

  test('at 12-15, a parent without parental authority does not count and is refused', async () => {
    const { student, withoutAuthority } = await studentWithParents(TWELVE_TODAY);
    const e = await errorOf(record(world.users.schoolA1, input(student, { grantorGuardianIds: [withoutAuthority.id], studentGrants: true })));
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.grantorGuardianIds' });
    expect(e.message).toMatch(/parental authority/);
    expect(await consentCount(student)).toBe(0);
  });

  test('the day before the 16th birthday (15): the student alone is refused; with a parent it is recorded', async () => {
    const { student, withAuthority } = await studentWithParents(SIXTEEN_TODAY);
    const e = await errorOf(record(world.users.schoolA1, input(student, { studentGrants: true, givenOn: '2026-03-15' })));
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.grantorGuardianIds' });
    expect(await consentCount(student)).toBe(0);
    const { recordConsent } = await record(world.users.schoolA1, input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id], givenOn: '2026-03-15' }));
    expect(recordConsent.studentAgeAtGrant).toBe(15);
    // Sixteen today: the student alone must confirm it again.
    expect(recordConsent.needsReconfirmation).toBe(true);
  });

  test('on the 16th birthday: parents are refused; the student alone consents', async () => {
    const { student, withAuthority } = await studentWithParents(SIXTEEN_TODAY);
    const e = await errorOf(record(world.users.schoolA1, input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id] })));
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.grantorGuardianIds' });
    expect(e.message).toMatch(/16 or over/);
    const noStudent = await errorOf(record(world.users.schoolA1, input(student, { studentGrants: false })));
    expect(noStudent).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.studentGrants' });
    expect(await consentCount(student)).toBe(0);
    const { recordConsent } = await record(world.users.schoolA1, input(student, { studentGrants: true }));
    expect(recordConsent).toMatchObject({ studentAgeAtGrant: 16, needsReconfirmation: false, grantors: [{ role: 'STUDENT', hasParentalAuthority: false }] });
    expect(recordConsent.grantors[0].name).toContain(student.givenName);
  });

  test('givenOn in the future, or a guardian of another student, is refused and writes nothing', async () => {
    const { student, withAuthority } = await studentWithParents('2013-01-01');
    const other = await studentWithParents('2013-01-01');
    const future = await errorOf(record(world.users.schoolA1, input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id], givenOn: '2026-03-17' })));
    expect(future).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.givenOn' });
    const foreign = await errorOf(record(world.users.schoolA1, input(student, { studentGrants: true, grantorGuardianIds: [other.withAuthority.id] })));
    expect(foreign.code).toBe('NOT_FOUND');
    expect(await consentCount(student)).toBe(0);
    expect(await consentCount(other.student)).toBe(0);
  });

  test('a second consent for the same purpose while one holds is a CONFLICT; after withdrawal it is recorded', async () => {
    const { student, withAuthority } = await studentWithParents('2013-01-01');
    const ok = input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id] });
    const first = (await record(world.users.schoolA1, ok)).recordConsent;
    expect((await errorOf(record(world.users.schoolA1, ok))).code).toBe('CONFLICT');
    // Another purpose is independent.
    await record(world.users.schoolA1, { ...ok, purpose: 'SHARE_WITH_PARTNERSHIP' });
    expect(await consentCount(student)).toBe(2);
    await (await app.sdk(world.users.schoolA1.email)).WithdrawConsent({ input: { consentId: first.id } });
    const second = (await record(world.users.schoolA1, ok)).recordConsent;
    expect(second.id).not.toBe(first.id);
    expect(await consentCount(student)).toBe(3);
  });

  test('a holding consent that needs re-confirmation is superseded by the new record (no gap, no CONFLICT)', async () => {
    const { student, withAuthority } = await studentWithParents(TWELVE_TODAY);
    const old = (await record(world.users.schoolA1, input(student, { grantorGuardianIds: [withAuthority.id], givenOn: '2026-03-15' }))).recordConsent;
    const renewed = (await record(world.users.schoolA1, input(student, { grantorGuardianIds: [withAuthority.id], studentGrants: true }))).recordConsent;
    expect(renewed.needsReconfirmation).toBe(false);
    const oldRow = await app.dataSource.getRepository(Consent).findOneByOrFail({ id: old.id });
    expect(oldRow.withdrawnAt?.toISOString()).toBe(TEST_NOW.toISOString());
    expect(oldRow.withdrawnByUserId).toBe(world.users.schoolA1.id);
  });
});

describe('who may record and withdraw', () => {
  test('as anyone but the coordinator of the student\'s school, recordConsent is refused and writes nothing', async () => {
    const { student, withAuthority } = await studentWithParents('2013-01-01');
    const ok = input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id] });
    // Cannot see the student at all: NOT_FOUND.
    for (const user of [world.users.schoolB1, world.users.admin, world.users.nobody, world.users.advisorA]) {
      expect((await errorOf(record(user, ok))).code).toBe('NOT_FOUND');
    }
    // Sees the student (identity) but does not record consent: FORBIDDEN.
    expect((await errorOf(record(world.users.privacy, ok))).code).toBe('FORBIDDEN');
    const mentee = await createStudent(app.dataSource, world.schools.A1, { mentorUserId: world.users.mentorA1.id, birthDate: '2013-01-01' });
    const menteeParent = await app.dataSource.getRepository(Guardian).findOneByOrFail({ studentId: mentee.id });
    expect((await errorOf(record(world.users.mentorA1, input(mentee, { studentGrants: true, grantorGuardianIds: [menteeParent.id] })))).code).toBe('FORBIDDEN');
    expect((await errorOf(record(world.users.scientistA, input(world.students.a1Team, { studentGrants: true })))).code).toBe('FORBIDDEN');
    expect(await consentCount(student)).toBe(0);
    expect(await consentCount(mentee)).toBe(0);
    // Positive control: the coordinator of A1 can.
    await record(world.users.schoolA1, ok);
    expect(await consentCount(student)).toBe(1);
  });

  test('as anyone but the coordinator of the student\'s school or the privacy officer, withdrawConsent is refused; twice is a CONFLICT', async () => {
    const { student, withAuthority } = await studentWithParents('2013-01-01');
    const { recordConsent } = await record(world.users.schoolA1, input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id] }));
    const withdraw = async (user: User) => (await app.sdk(user.email)).WithdrawConsent({ input: { consentId: recordConsent.id, reason: 'ouders trekken in' } });
    expect((await errorOf(withdraw(world.users.schoolB1))).code).toBe('NOT_FOUND');
    expect((await errorOf(withdraw(world.users.admin))).code).toBe('NOT_FOUND');
    for (const user of [world.users.coordinator, world.users.analyst, world.users.scientistA, world.users.advisorA]) {
      expect({ user: user.email, code: (await errorOf(withdraw(user))).code }).toEqual({ user: user.email, code: expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/) });
    }
    expect((await app.dataSource.getRepository(Consent).findOneByOrFail({ id: recordConsent.id })).withdrawnAt).toBeNull();

    app.clock.set(new Date('2026-03-20T08:00:00Z'));
    const { withdrawConsent } = await withdraw(world.users.schoolA1);
    expect(withdrawConsent).toMatchObject({ id: recordConsent.id, withdrawnAt: '2026-03-20T08:00:00.000Z', valid: false, needsReconfirmation: false });
    const row = await app.dataSource.getRepository(Consent).findOneByOrFail({ id: recordConsent.id });
    expect({ by: row.withdrawnByUserId, reason: row.withdrawalReason }).toEqual({ by: world.users.schoolA1.id, reason: 'ouders trekken in' });
    expect((await errorOf(withdraw(world.users.schoolA1))).code).toBe('CONFLICT');
    expect((await errorOf(withdraw(world.users.privacy))).code).toBe('CONFLICT');
  });

  test('as the privacy officer, records a withdrawal the parents sent to them, with the evidence; who recorded and who withdrew show on the record', async () => {
    const { student, withAuthority } = await studentWithParents('2013-01-01');
    const { recordConsent } = await record(world.users.schoolA1, input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id] }));
    const privacy = await app.sdk(world.users.privacy.email);
    const { withdrawConsent: w } = await privacy.WithdrawConsent({ input: { consentId: recordConsent.id, reason: 'Brief van de ouders', evidenceReference: '  AVG-2026-014 (brief 12 maart)  ' } });
    expect(w).toMatchObject({
      id: recordConsent.id, valid: false, withdrawalReason: 'Brief van de ouders', withdrawalEvidenceReference: 'AVG-2026-014 (brief 12 maart)',
      recordedBy: { id: world.users.schoolA1.id }, withdrawnBy: { id: world.users.privacy.id },
    });
    const row = await app.dataSource.getRepository(Consent).findOneByOrFail({ id: recordConsent.id });
    expect({ by: row.withdrawnByUserId, evidence: row.withdrawalEvidenceReference }).toEqual({ by: world.users.privacy.id, evidence: 'AVG-2026-014 (brief 12 maart)' });
    // The school coordinator sees who withdrew it only as far as they may read that account: not the privacy officer's.
    const seen = await app.gql<{ consent: { withdrawnBy: { id: string } | null; recordedBy: { id: string } | null } }>(
      world.users.schoolA1.email, 'query($id: ID!) { consent(id: $id) { withdrawnBy { id } recordedBy { id } } }', { id: recordConsent.id },
    );
    expect(seen.body.data?.consent).toEqual({ withdrawnBy: null, recordedBy: { id: world.users.schoolA1.id } });
  });
});

describe('as Topteam member of TA, a withdrawal of the care consent cuts access on the very next request', () => {
  const READ = `query ($studentId: ID!, $trajectoryId: ID!, $schoolId: ID!) {
    student(id: $studentId) { id givenName }
    students(first: 100) { edges { node { id } } }
    trajectory(id: $trajectoryId) { id phase student { id } }
    school(id: $schoolId) { id students(first: 100) { edges { node { id } } } }
  }`;

  test('student(id), students, trajectory(id).student and school(id).students; the trajectory row stays', async () => {
    const { student, withAuthority } = await studentWithParents('2013-01-01');
    const ds = app.dataSource;
    const trajectory = await createTrajectory(ds, student, world.schools.A1, world.users.schoolA1, { team: world.teams.TA, phase: Phase.ASSESSMENT });
    const { recordConsent } = await record(world.users.schoolA1, input(student, { studentGrants: true, grantorGuardianIds: [withAuthority.id] }));
    const vars = { studentId: student.id, trajectoryId: trajectory.id, schoolId: world.schools.A1.id };
    type Read = {
      student: { id: string; givenName: string } | null;
      students: { edges: Array<{ node: { id: string } }> };
      trajectory: { id: string; student: { id: string } | null } | null;
      school: { students: { edges: Array<{ node: { id: string } }> } } | null;
    };
    const read = async () => {
      const res = await app.gql<Read>(world.users.scientistA.email, READ, vars);
      expect(res.body.errors).toBeUndefined();
      return res.body.data!;
    };

    const before = await read();
    expect(before.student).toEqual({ id: student.id, givenName: student.givenName });
    expect(before.students.edges.map((e) => e.node.id)).toContain(student.id);
    expect(before.trajectory).toMatchObject({ id: trajectory.id, student: { id: student.id } });
    // The team reads the school (name, BRIN), and through it the students it may read.
    expect(before.school).not.toBeNull();
    expect(before.school!.students.edges.map((e) => e.node.id)).toContain(student.id);

    await (await app.sdk(world.users.schoolA1.email)).WithdrawConsent({ input: { consentId: recordConsent.id } });

    const after = await read();
    expect(after.student).toBeNull();
    expect(after.students.edges.map((e) => e.node.id)).not.toContain(student.id);
    expect(after.trajectory).toMatchObject({ id: trajectory.id, student: null });
    expect(after.school!.students.edges.map((e) => e.node.id)).not.toContain(student.id);
    // Positive control: the team still reads its other consented student.
    expect(after.students.edges.map((e) => e.node.id)).toContain(world.students.a1Team.id);
  });
});

describe('Consent.needsReconfirmation follows the clock', () => {
  const Q = `query ($id: ID!) { consent(id: $id) { id valid needsReconfirmation } }`;

  test('given at 11 by the parents: false until the 12th birthday, true from that day; still valid', async () => {
    const { student, withAuthority } = await studentWithParents('2014-06-10');
    const { recordConsent } = await record(world.users.schoolA1, input(student, { grantorGuardianIds: [withAuthority.id] }));
    expect(recordConsent).toMatchObject({ studentAgeAtGrant: 11, needsReconfirmation: false });
    app.clock.set(new Date('2026-06-09T12:00:00Z'));
    expect((await app.gql(world.users.schoolA1.email, Q, { id: recordConsent.id })).body.data).toEqual({ consent: { id: recordConsent.id, valid: true, needsReconfirmation: false } });
    // 2026-06-09T22:30Z is already 2026-06-10 in Amsterdam.
    app.clock.set(new Date('2026-06-09T22:30:00Z'));
    expect((await app.gql(world.users.schoolA1.email, Q, { id: recordConsent.id })).body.data).toEqual({ consent: { id: recordConsent.id, valid: true, needsReconfirmation: true } });
  });
});

describe("as privacy officer, consents(filter) by status, school and windstreek", () => {
  const Q = `query ($filter: ConsentFilter) { consents(first: 100, filter: $filter) { totalCount edges { node { id valid needsReconfirmation withdrawnAt } } } }`;
  type Page = { consents: { totalCount: number; edges: Array<{ node: { id: string; valid: boolean; needsReconfirmation: boolean; withdrawnAt: string | null } }> } };

  let valid: string;
  let reconfirm: string;
  let withdrawn: string;
  let b1Valid: string;

  beforeAll(async () => {
    // Valid: given at 13 by student and parent (school A1).
    const a = await studentWithParents('2013-01-01');
    valid = (await record(world.users.schoolA1, input(a.student, { studentGrants: true, grantorGuardianIds: [a.withAuthority.id] }))).recordConsent.id;
    // Needs re-confirmation: given at 15 with a parent, 16 since 2026-03-01 (school A1).
    const r = await studentWithParents('2010-03-01');
    reconfirm = (await record(world.users.schoolA1, input(r.student, { studentGrants: true, grantorGuardianIds: [r.withAuthority.id], givenOn: '2026-02-27' }))).recordConsent.id;
    // Withdrawn (school A1).
    const w = await studentWithParents('2013-01-01');
    withdrawn = (await record(world.users.schoolA1, input(w.student, { studentGrants: true, grantorGuardianIds: [w.withAuthority.id] }))).recordConsent.id;
    await (await app.sdk(world.users.schoolA1.email)).WithdrawConsent({ input: { consentId: withdrawn } });
    // Valid in school B1 (windstreek B): a 16-year-old alone.
    const b = await studentWithParents('2009-01-01', world.schools.B1);
    b1Valid = (await record(world.users.schoolB1, input(b.student, { studentGrants: true }))).recordConsent.id;
  });

  const ids = async (filter: Record<string, unknown>) => {
    const res = await app.gql<Page>(world.users.privacy.email, Q, { filter });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.consents.edges.map((e) => e.node);
  };

  test('status VALID, NEEDS_RECONFIRMATION and WITHDRAWN partition the records, agreeing with the fields', async () => {
    const v = await ids({ status: 'VALID', schoolId: world.schools.A1.id });
    const n = await ids({ status: 'NEEDS_RECONFIRMATION', schoolId: world.schools.A1.id });
    const w = await ids({ status: 'WITHDRAWN', schoolId: world.schools.A1.id });
    expect(v.map((c) => c.id)).toContain(valid);
    expect(v.map((c) => c.id)).not.toContain(reconfirm);
    expect(v.map((c) => c.id)).not.toContain(withdrawn);
    expect(n.map((c) => c.id)).toContain(reconfirm);
    expect(n.map((c) => c.id)).not.toContain(valid);
    expect(w.map((c) => c.id)).toContain(withdrawn);
    expect(w.map((c) => c.id)).not.toContain(valid);
    // SQL and the field resolver agree on every row.
    for (const c of v) expect(c).toMatchObject({ valid: true, needsReconfirmation: false });
    for (const c of n) expect(c).toMatchObject({ valid: true, needsReconfirmation: true });
    for (const c of w) expect(c.valid).toBe(false);
    // Together they are all of the school's records.
    const all = await ids({ schoolId: world.schools.A1.id });
    expect(v.length + n.length + w.length).toBe(all.length);
  });

  test('schoolId and windstreekId narrow by the student\'s school', async () => {
    const a1 = (await ids({ schoolId: world.schools.A1.id })).map((c) => c.id);
    expect(a1).toEqual(expect.arrayContaining([valid, reconfirm, withdrawn]));
    expect(a1).not.toContain(b1Valid);
    const inB = (await ids({ windstreekId: world.windstreken.B.id })).map((c) => c.id);
    expect(inB).toContain(b1Valid);
    expect(inB).not.toContain(valid);
    const inA = (await ids({ windstreekId: world.windstreken.A.id, status: 'VALID' })).map((c) => c.id);
    expect(inA).toContain(valid);
    expect(inA).not.toContain(b1Valid);
    expect(await ids({ schoolId: world.schools.B1.id, windstreekId: world.windstreken.A.id })).toEqual([]);
  });

  test('the status filter moves with the clock: the record given at 13 needs re-confirmation from the 16th birthday; the one given at 16 stays valid', async () => {
    app.clock.set(new Date('2029-01-02T12:00:00Z'));
    const n = (await ids({ status: 'NEEDS_RECONFIRMATION' })).map((c) => c.id);
    expect(n).toContain(valid);
    expect(n).not.toContain(b1Valid);
    expect((await ids({ status: 'VALID' })).map((c) => c.id)).toContain(b1Valid);
  });

  test('as school coordinator of B1, the filters never reach A1 records', async () => {
    const res = await app.gql<Page>(world.users.schoolB1.email, Q, { filter: { schoolId: world.schools.A1.id } });
    expect(res.body.data!.consents.totalCount).toBe(0);
    const own = await app.gql<Page>(world.users.schoolB1.email, Q, { filter: { status: 'VALID' } });
    expect(own.body.data!.consents.edges.map((e) => e.node.id)).toContain(b1Valid);
  });
});


describe('as privacy officer, trajectoriesLackingConsent lists running cases without valid care consent', () => {
  type Gap = { purpose: string; trajectoryIds: string[]; student: { id: string; givenName: string | null } };
  let ok: { student: Student; trajectory: string };
  let none: { student: Student; trajectory: string };
  let revoked: { student: Student; trajectory: string };
  let reconfirm: { student: Student; trajectory: string };
  let underReview: { student: Student; trajectory: string };
  let notRunning: Student;

  async function withTrajectory(birthDate: string, phase: Phase) {
    const made = await studentWithParents(birthDate);
    const t = await createTrajectory(app.dataSource, made.student, world.schools.A1, world.users.schoolA1, { team: world.teams.TA, phase });
    return { ...made, trajectory: t.id };
  }

  beforeAll(async () => {
    const o = await withTrajectory('2013-01-01', Phase.ASSESSMENT);
    await record(world.users.schoolA1, input(o.student, { studentGrants: true, grantorGuardianIds: [o.withAuthority.id] }));
    ok = o;
    none = await withTrajectory('2013-01-01', Phase.INTENSIVE);
    const r = await withTrajectory('2013-01-01', Phase.CONSOLIDATION);
    const c = (await record(world.users.schoolA1, input(r.student, { studentGrants: true, grantorGuardianIds: [r.withAuthority.id] }))).recordConsent;
    await (await app.sdk(world.users.schoolA1.email)).WithdrawConsent({ input: { consentId: c.id } });
    revoked = r;
    const n = await withTrajectory('2010-03-01', Phase.ACCEPTED);
    await record(world.users.schoolA1, input(n.student, { studentGrants: true, grantorGuardianIds: [n.withAuthority.id], givenOn: '2026-02-27' }));
    reconfirm = n;
    const requested = await studentWithParents('2013-01-01');
    underReview = { student: requested.student, trajectory: (await createTrajectory(app.dataSource, requested.student, world.schools.A1, world.users.schoolA1, { phase: Phase.REQUESTED })).id };
    const completed = await studentWithParents('2013-01-01');
    await createTrajectory(app.dataSource, completed.student, world.schools.A1, world.users.schoolA1, { phase: Phase.COMPLETED });
    notRunning = completed.student;
  });

  async function gaps(as: User, variables: Record<string, unknown> = {}) {
    const all: Gap[] = [];
    let after: string | null | undefined;
    do {
      const { trajectoriesLackingConsent: page } = await (await app.sdk(as.email)).TrajectoriesLackingConsent({ first: 2, after, ...variables });
      all.push(...(page.edges.map((e) => e.node) as Gap[]));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return all;
  }

  test('missing, withdrawn and needing re-confirmation are listed with their trajectory ids, registrations under review too; valid and finished are not', async () => {
    const list = await gaps(world.users.privacy);
    const byStudent = new Map(list.map((g) => [g.student.id, g]));
    expect(byStudent.get(none.student.id)).toEqual({ purpose: 'CARE_BY_TOPTEAM', trajectoryIds: [none.trajectory], student: { id: none.student.id, givenName: none.student.givenName } });
    expect(byStudent.get(revoked.student.id)?.trajectoryIds).toEqual([revoked.trajectory]);
    expect(byStudent.get(reconfirm.student.id)?.trajectoryIds).toEqual([reconfirm.trajectory]);
    expect(byStudent.get(world.students.a1Revoked.id)?.trajectoryIds).toEqual([world.trajectories.a1Revoked.id]);
    expect(byStudent.has(ok.student.id)).toBe(false);
    expect(byStudent.has(notRunning.id)).toBe(false);
    // A registration under review needs the consent too (it is asked before registering).
    expect(byStudent.get(underReview.student.id)?.trajectoryIds).toEqual([underReview.trajectory]);
    // Paging (first: 2) returned every student once.
    expect(new Set(list.map((g) => g.student.id)).size).toBe(list.length);
  });

  test('for another purpose the same running case without that consent is listed', async () => {
    const list = await gaps(world.users.privacy, { purpose: 'SHARE_WITH_PARTNERSHIP' });
    expect(list.map((g) => g.student.id)).toContain(ok.student.id);
    expect(list.map((g) => g.student.id)).not.toContain(notRunning.id);
  });

  test('never another partnership\'s students', async () => {
    const other = await createWorld(app.dataSource);
    const list = await gaps(world.users.privacy);
    expect(list.map((g) => g.student.id)).not.toContain(other.students.a1Revoked.id);
    expect((await gaps(other.users.privacy)).map((g) => g.student.id)).toContain(other.students.a1Revoked.id);
  });

  test('as anyone but the privacy officer: FORBIDDEN', async () => {
    for (const user of [world.users.schoolA1, world.users.scientistA, world.users.admin, world.users.coordinator]) {
      expect((await errorOf(gaps(user))).code).toBe('FORBIDDEN');
    }
  });
});
