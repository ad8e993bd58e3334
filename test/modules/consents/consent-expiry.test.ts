/**
 * Consent with a last day (`validUntil`, inclusive): it holds through that day and has
 * EXPIRED from the day after, by the Amsterdam calendar of the injectable clock. Expiry gates
 * exactly like a withdrawal (AVG rule 4, src/authz/README.md) and shows in the privacy officer's status filter
 * and missing-consent list. Test clock: 2026-03-16 in Amsterdam.
 */
import { Phase } from '../../../src/domain/enums';
import { Consent, Guardian, Note, Student, Trajectory, User } from '../../../src/app/entities';
import { createStudent, createTrajectory } from '../../factories';
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

/** Noon in Amsterdam on `day`. */
const noonOn = (day: string) => new Date(`${day}T11:00:00Z`);
/** 23:30 in Amsterdam on `day` (winter time: UTC+1). */
const lateOn = (day: string) => new Date(`${day}T22:30:00Z`);

/** A 13-year-old of A1 with a parent with parental authority. */
async function student13(): Promise<{ student: Student; parent: Guardian }> {
  const student = await createStudent(app.dataSource, world.schools.A1, { birthDate: '2013-01-01' });
  const parent = await app.dataSource.getRepository(Guardian).findOneByOrFail({ studentId: student.id });
  return { student, parent };
}

function careInput(student: Student, parent: Guardian, overrides: Partial<RecordConsentInput> = {}): RecordConsentInput {
  return {
    studentId: student.id, purpose: 'CARE_BY_TOPTEAM', grantorGuardianIds: [parent.id], studentGrants: true,
    recipients: ['Topteam A'], dataCategories: ['identity', 'case'], ...overrides,
  };
}

async function record(as: User, input: RecordConsentInput) {
  return (await app.sdk(as.email)).RecordConsent({ input });
}

describe('as school coordinator of A1, recordConsent with a last day', () => {
  test('stores validUntil and answers VALID; a day in the past is BAD_USER_INPUT naming input.validUntil and writes nothing', async () => {
    const { student, parent } = await student13();
    const count = () => app.dataSource.getRepository(Consent).countBy({ studentId: student.id });

    const error = await errorOf(record(world.users.schoolA1, careInput(student, parent, { validUntil: '2026-03-15' })));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validUntil' });
    expect(await count()).toBe(0);

    // Today itself is allowed: it holds through today.
    const { recordConsent } = await record(world.users.schoolA1, careInput(student, parent, { validUntil: '2026-03-16' }));
    expect(recordConsent).toMatchObject({ validUntil: '2026-03-16', valid: true, status: 'VALID' });
    expect(await count()).toBe(1);
  });

  test('a malformed date is refused by the LocalDate scalar and writes nothing', async () => {
    const { student, parent } = await student13();
    expect((await errorOf(record(world.users.schoolA1, careInput(student, parent, { validUntil: '2026-02-30' })))).code).toBe('BAD_USER_INPUT');
    expect(await app.dataSource.getRepository(Consent).countBy({ studentId: student.id })).toBe(0);
  });

  test('once a consent has expired, a new one is recorded without CONFLICT and the expired record stays as it was', async () => {
    const { student, parent } = await student13();
    const { recordConsent: first } = await record(world.users.schoolA1, careInput(student, parent, { validUntil: '2026-03-20' }));
    // While it holds, a second is a CONFLICT.
    expect((await errorOf(record(world.users.schoolA1, careInput(student, parent)))).code).toBe('CONFLICT');

    app.clock.set(noonOn('2026-03-21'));
    const { recordConsent: second } = await record(world.users.schoolA1, careInput(student, parent));
    expect(second).toMatchObject({ validUntil: null, status: 'VALID' });
    const old = await app.dataSource.getRepository(Consent).findOneByOrFail({ id: first.id });
    expect({ withdrawnAt: old.withdrawnAt, validUntil: old.validUntil }).toEqual({ withdrawnAt: null, validUntil: '2026-03-20' });
  });
});

describe('as Topteam member of TA, an expired care consent cuts access like a withdrawal, on the first request of the day after', () => {
  const READ = `query ($studentId: ID!, $trajectoryId: ID!) {
    student(id: $studentId) { id givenName }
    students(first: 100) { edges { node { id } } }
    trajectory(id: $trajectoryId) { id phase careConsentValid studentPseudonym problemAreas student { id } goals { totalCount } }
    trajectories(first: 100) { edges { node { id problemAreas } } }
  }`;
  type Read = {
    student: { id: string } | null;
    students: { edges: Array<{ node: { id: string } }> };
    trajectory: { id: string; phase: string; careConsentValid: boolean; studentPseudonym: string; problemAreas: string[] | null; student: { id: string } | null; goals: { totalCount: number } | null } | null;
    trajectories: { edges: Array<{ node: { id: string; problemAreas: string[] | null } }> };
  };

  test('last day 2026-03-20: full access at 23:30 that day, a flagged stub from midnight; the clock back restores it (nothing was written)', async () => {
    const { student, parent } = await student13();
    const trajectory = await createTrajectory(app.dataSource, student, world.schools.A1, world.users.schoolA1, { team: world.teams.TA, phase: Phase.ASSESSMENT });
    await record(world.users.schoolA1, careInput(student, parent, { validUntil: '2026-03-20' }));
    const read = async () => {
      const res = await app.gql<Read>(world.users.scientistA.email, READ, { studentId: student.id, trajectoryId: trajectory.id });
      expect(res.body.errors).toBeUndefined();
      return res.body.data!;
    };

    app.clock.set(lateOn('2026-03-20'));
    const last = await read();
    expect(last.student).toEqual({ id: student.id, givenName: student.givenName });
    expect(last.students.edges.map((e) => e.node.id)).toContain(student.id);
    expect(last.trajectory).toMatchObject({ careConsentValid: true, student: { id: student.id }, problemAreas: expect.any(Array), goals: { totalCount: expect.any(Number) } });
    expect(last.trajectories.edges.find((e) => e.node.id === trajectory.id)?.node.problemAreas).toEqual(expect.any(Array));

    app.clock.set(new Date('2026-03-20T23:00:01Z')); // 00:00:01 on the 21st in Amsterdam
    const after = await read();
    expect(after.student).toBeNull();
    expect(after.students.edges.map((e) => e.node.id)).not.toContain(student.id);
    expect(after.trajectory).toEqual({
      id: trajectory.id, phase: 'ASSESSMENT', careConsentValid: false, studentPseudonym: student.pseudonym, problemAreas: null, student: null, goals: null,
    });
    // In the list too: the stub, without case fields.
    expect(after.trajectories.edges.find((e) => e.node.id === trajectory.id)?.node).toEqual({ id: trajectory.id, problemAreas: null });
    // Positive control: the team's other consented case is untouched.
    expect(after.students.edges.map((e) => e.node.id)).toContain(world.students.a1Team.id);

    // Expiry is a matter of the day, not a write: back on the last day, access is back.
    app.clock.set(noonOn('2026-03-20'));
    expect((await read()).student).not.toBeNull();
    expect(await app.dataSource.getRepository(Trajectory).countBy({ id: trajectory.id, phase: Phase.ASSESSMENT })).toBe(1);
  });

  test('an expired care consent refuses the team writing the case (FORBIDDEN); nothing is written', async () => {
    const { student, parent } = await student13();
    const trajectory = await createTrajectory(app.dataSource, student, world.schools.A1, world.users.schoolA1, { team: world.teams.TA, phase: Phase.ASSESSMENT });
    await record(world.users.schoolA1, careInput(student, parent, { validUntil: '2026-03-20' }));
    const note = { trajectoryId: trajectory.id, body: 'Gesprek met mentor.' };
    const sdk = await app.sdk(world.users.scientistA.email);

    app.clock.set(noonOn('2026-03-20'));
    expect((await sdk.AddNote({ input: note })).addNote.body).toBe(note.body);

    const notes = () => app.dataSource.getRepository(Note).countBy({ trajectoryId: trajectory.id });
    const before = await notes();
    app.clock.set(noonOn('2026-03-21'));
    expect((await errorOf(sdk.AddNote({ input: note }))).code).toBe('FORBIDDEN');
    expect(await notes()).toBe(before);
  });
});

describe('as privacy officer, expiry in the status filter, on the record and in the missing-consent list', () => {
  const Q = `query ($filter: ConsentFilter) { consents(first: 100, filter: $filter) { totalCount edges { node { id status valid validUntil } } } }`;
  type Page = { consents: { totalCount: number; edges: Array<{ node: { id: string; status: string; valid: boolean; validUntil: string | null } }> } };
  const byStatus = async (status: string, studentId: string) => {
    const res = await app.gql<Page>(world.users.privacy.email, Q, { filter: { status, studentId } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.consents;
  };

  test('EXPIRED from the day after the last day; VALID through it; a withdrawn one is WITHDRAWN, never EXPIRED', async () => {
    const { student, parent } = await student13();
    const trajectory = await createTrajectory(app.dataSource, student, world.schools.A1, world.users.schoolA1, { team: world.teams.TA, phase: Phase.INTENSIVE });
    const { recordConsent: care } = await record(world.users.schoolA1, careInput(student, parent, { validUntil: '2026-03-20' }));
    const { recordConsent: share } = await record(world.users.schoolA1, careInput(student, parent, { purpose: 'SHARE_WITH_PARTNERSHIP', validUntil: '2026-03-18' }));
    await (await app.sdk(world.users.schoolA1.email)).WithdrawConsent({ input: { consentId: share.id } });

    app.clock.set(noonOn('2026-03-20'));
    expect((await byStatus('VALID', student.id)).edges.map((e) => e.node)).toEqual([{ id: care.id, status: 'VALID', valid: true, validUntil: '2026-03-20' }]);
    expect((await byStatus('EXPIRED', student.id)).totalCount).toBe(0);

    app.clock.set(noonOn('2026-03-21'));
    const expired = await byStatus('EXPIRED', student.id);
    expect(expired).toEqual({ totalCount: 1, edges: [{ node: { id: care.id, status: 'EXPIRED', valid: false, validUntil: '2026-03-20' } }] });
    expect((await byStatus('VALID', student.id)).totalCount).toBe(0);
    expect((await byStatus('NEEDS_RECONFIRMATION', student.id)).totalCount).toBe(0);
    // The withdrawn one passed its last day too, but it is WITHDRAWN.
    expect((await byStatus('WITHDRAWN', student.id)).edges.map((e) => e.node)).toEqual([{ id: share.id, status: 'WITHDRAWN', valid: false, validUntil: '2026-03-18' }]);

    // The running trajectory now lacks care consent.
    const gaps = await (await app.sdk(world.users.privacy.email)).TrajectoriesLackingConsent({ first: 100 });
    const gap = gaps.trajectoriesLackingConsent.edges.find((e) => e.node.student.id === student.id);
    expect(gap?.node).toMatchObject({ purpose: 'CARE_BY_TOPTEAM', trajectoryIds: [trajectory.id] });
    // Positive control: on the last day it is not listed.
    app.clock.set(noonOn('2026-03-20'));
    const before = await (await app.sdk(world.users.privacy.email)).TrajectoriesLackingConsent({ first: 100 });
    expect(before.trajectoriesLackingConsent.edges.some((e) => e.node.student.id === student.id)).toBe(false);
  });
});
