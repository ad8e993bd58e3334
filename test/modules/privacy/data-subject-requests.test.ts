/**
 * Data-subject requests (AVG rule 7), end to end on the test clock:
 * - each act (receive, verify identity, extend, complete, reject) and what it records;
 * - the deadline arithmetic at month ends (31 January + 1 month = 28 February; + 3 = 30 April);
 * - one extension only, to three months after receipt in total, with a reason, within the first month;
 * - status refusals (complete before verification, anything after COMPLETED / REJECTED) change nothing;
 * - `overdue` and the open / overdue / studentId filters, each with a positive control;
 * - only the privacy officer of the partnership: other roles FORBIDDEN (receive) or NOT_FOUND (acts).
 */
import { DataSubjectRequest } from '../../../src/app/entities';
import { Role } from '../../../src/domain/enums';
import { createPartnership, createSchool, createStudent, createUser, createWindstreek } from '../../factories';
import { createWorld, World } from '../../factories/world';
import type { DataSubjectRequestKind, DsrFieldsFragment } from '../../generated/sdk';
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
const on = (day: string): Date => new Date(`${day}T11:00:00Z`);

const officer = () => app.sdk(world.users.privacy.email);

async function receive(receivedOn: string, kind: DataSubjectRequestKind = 'ACCESS', studentId = world.students.a1Plain.id): Promise<DsrFieldsFragment> {
  return (await (await officer()).ReceiveDataSubjectRequest({ input: { studentId, kind, receivedOn } })).receiveDataSubjectRequest;
}

const stored = (id: string) => app.dataSource.getRepository(DataSubjectRequest).findOneByOrFail({ id });

describe('as privacy officer, the acts of a data-subject request', () => {
  test('receiving records the request, RECEIVED, due one month later, handled by the officer', async () => {
    const r = await receive('2026-03-02', 'ERASURE');
    expect(r).toMatchObject({
      kind: 'ERASURE', status: 'RECEIVED', receivedOn: '2026-03-02', dueOn: '2026-04-02', identityVerifiedAt: null,
      extensionReason: null, completedAt: null, overdue: false, student: { id: world.students.a1Plain.id }, handledBy: { id: world.users.privacy.id },
    });
    expect((await stored(r.id)).partnershipId).toBe(world.partnership.id);
  });

  test('31 January + 1 month is 28 February; extended, + 3 months is 30 April', async () => {
    app.clock.set(on('2026-02-10'));
    const r = await receive('2026-01-31');
    expect(r.dueOn).toBe('2026-02-28');
    const extended = (await (await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'veel gegevens in meerdere systemen' } })).extendDataSubjectRequest;
    expect(extended).toMatchObject({ status: 'EXTENDED', dueOn: '2026-04-30', extensionReason: 'veel gegevens in meerdere systemen', receivedOn: '2026-01-31' });
  });

  test('other month ends: 31 December + 1 month is 31 January; 30 November + 3 months is 28 February', async () => {
    app.clock.set(on('2025-12-31'));
    expect((await receive('2025-12-31')).dueOn).toBe('2026-01-31');
    app.clock.set(on('2025-12-15'));
    const r = await receive('2025-11-30');
    expect(r.dueOn).toBe('2025-12-30');
    const extended = (await (await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'complex' } })).extendDataSubjectRequest;
    expect(extended.dueOn).toBe('2026-02-28');
  });

  test('a receipt date in the future is refused, naming the field', async () => {
    expect(await errorOf(receive('2026-03-17'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.receivedOn' });
    expect((await receive('2026-03-16')).dueOn).toBe('2026-04-16');
  });

  test('verify, then complete: IDENTITY_VERIFIED with the time, then COMPLETED with the time', async () => {
    const r = await receive('2026-03-10');
    const verified = (await (await officer()).VerifyRequesterIdentity({ input: { requestId: r.id } })).verifyRequesterIdentity;
    expect(verified).toMatchObject({ status: 'IDENTITY_VERIFIED', identityVerifiedAt: TEST_NOW.toISOString(), dueOn: '2026-04-10' });
    app.clock.set(on('2026-03-20'));
    const completed = (await (await officer()).CompleteDataSubjectRequest({ input: { requestId: r.id } })).completeDataSubjectRequest;
    expect(completed).toMatchObject({ status: 'COMPLETED', completedAt: on('2026-03-20').toISOString(), identityVerifiedAt: TEST_NOW.toISOString() });
  });

  test('an extended request stays EXTENDED when the identity is verified, and can then be completed', async () => {
    const r = await receive('2026-03-01');
    await (await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'complex' } });
    const verified = (await (await officer()).VerifyRequesterIdentity({ input: { requestId: r.id } })).verifyRequesterIdentity;
    expect(verified).toMatchObject({ status: 'EXTENDED', identityVerifiedAt: TEST_NOW.toISOString(), dueOn: '2026-06-01' });
    expect((await (await officer()).CompleteDataSubjectRequest({ input: { requestId: r.id } })).completeDataSubjectRequest.status).toBe('COMPLETED');
  });

  test('rejecting closes an open request: REJECTED with the time', async () => {
    const r = await receive('2026-03-05', 'OBJECTION');
    const rejected = (await (await officer()).RejectDataSubjectRequest({ input: { requestId: r.id, reason: 'Identiteit niet vast te stellen.' } })).rejectDataSubjectRequest;
    expect(rejected).toMatchObject({ status: 'REJECTED', completedAt: TEST_NOW.toISOString(), overdue: false, rejectionReason: 'Identiteit niet vast te stellen.' });
  });

  test('rejecting needs a reason: a blank one is BAD_USER_INPUT naming input.reason, and the request stays open', async () => {
    const r = await receive('2026-03-05');
    const error = await errorOf((await officer()).RejectDataSubjectRequest({ input: { requestId: r.id, reason: '  ' } }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect((await stored(r.id)).status).toBe('RECEIVED');
  });
});

describe('as privacy officer, refusals change nothing', () => {
  test('a request is extended once only; the second extension is INVALID_TRANSITION and keeps the first deadline', async () => {
    const r = await receive('2026-03-01');
    await (await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'eerste' } });
    const before = await stored(r.id);
    expect(await errorOf((await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'tweede' } }))).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await stored(r.id)).toEqual(before);
    expect(before).toMatchObject({ dueOn: '2026-06-01', extensionReason: 'eerste' });
  });

  test('an extension after verification is still possible once, and never past three months after receipt', async () => {
    const r = await receive('2026-03-01');
    await (await officer()).VerifyRequesterIdentity({ input: { requestId: r.id } });
    const extended = (await (await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'complex' } })).extendDataSubjectRequest;
    expect(extended).toMatchObject({ status: 'EXTENDED', dueOn: '2026-06-01' });
    expect(await errorOf((await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'nog meer' } }))).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await stored(r.id)).dueOn).toBe('2026-06-01');
  });

  test('an extension needs a reason (BAD_USER_INPUT input.reason) and must come within the first month', async () => {
    const r = await receive('2026-02-10');
    expect(await errorOf((await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: '   ' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(await stored(r.id)).toMatchObject({ status: 'RECEIVED', dueOn: '2026-03-10', extensionReason: null });
    // Today (16 March) the first month (until 10 March) is over.
    expect(await errorOf((await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'te laat' } }))).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await stored(r.id)).toMatchObject({ status: 'RECEIVED', dueOn: '2026-03-10', extensionReason: null });
    // Positive control: on the due date itself it still can.
    app.clock.set(on('2026-03-10'));
    expect((await (await officer()).ExtendDataSubjectRequest({ input: { requestId: r.id, reason: 'op tijd' } })).extendDataSubjectRequest.dueOn).toBe('2026-05-10');
  });

  test('completing before the identity is verified is INVALID_TRANSITION', async () => {
    const r = await receive('2026-03-10');
    const e = await errorOf((await officer()).CompleteDataSubjectRequest({ input: { requestId: r.id } }));
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.message).toMatch(/identity/);
    expect(await stored(r.id)).toMatchObject({ status: 'RECEIVED', completedAt: null });
  });

  test('verifying twice is CONFLICT', async () => {
    const r = await receive('2026-03-10');
    await (await officer()).VerifyRequesterIdentity({ input: { requestId: r.id } });
    expect(await errorOf((await officer()).VerifyRequesterIdentity({ input: { requestId: r.id } }))).toMatchObject({ code: 'CONFLICT' });
  });

  test('nothing happens to a COMPLETED or REJECTED request: every act is INVALID_TRANSITION', async () => {
    const completed = await receive('2026-03-10');
    await (await officer()).VerifyRequesterIdentity({ input: { requestId: completed.id } });
    await (await officer()).CompleteDataSubjectRequest({ input: { requestId: completed.id } });
    const rejected = await receive('2026-03-10');
    await (await officer()).RejectDataSubjectRequest({ input: { requestId: rejected.id, reason: 'Kennelijk ongegrond.' } });
    for (const r of [completed, rejected]) {
      const before = await stored(r.id);
      const sdk = await officer();
      const input = { requestId: r.id };
      const attempts = [
        sdk.VerifyRequesterIdentity({ input }),
        sdk.ExtendDataSubjectRequest({ input: { ...input, reason: 'x' } }),
        sdk.CompleteDataSubjectRequest({ input }),
        sdk.RejectDataSubjectRequest({ input: { ...input, reason: 'x' } }),
      ];
      for (const attempt of attempts) expect((await errorOf(attempt)).code).toBe('INVALID_TRANSITION');
      expect(await stored(r.id)).toEqual(before);
    }
  });
});

describe('as privacy officer, overdue and the list filters', () => {
  test('overdue: open and due before today in Amsterdam; not on the due date; never when closed', async () => {
    const student = await createStudent(app.dataSource, world.schools.A2);
    const overdue = await receive('2026-02-13', 'ACCESS', student.id); // due 13 March
    const dueToday = await receive('2026-02-16', 'ACCESS', student.id); // due 16 March
    const closedLate = await receive('2026-02-01', 'ACCESS', student.id); // due 1 March, rejected
    await (await officer()).RejectDataSubjectRequest({ input: { requestId: closedLate.id, reason: 'Kennelijk ongegrond.' } });
    expect(overdue.overdue).toBe(true);
    expect(dueToday.overdue).toBe(false);

    const list = async (filter: Record<string, unknown>) =>
      (await (await officer()).DataSubjectRequests({ filter: { studentId: student.id, ...filter }, first: 100 })).dataSubjectRequests.edges.map((e) => e.node.id).sort();
    expect(await list({})).toEqual([overdue.id, dueToday.id, closedLate.id].sort());
    expect(await list({ overdue: true })).toEqual([overdue.id]);
    expect(await list({ overdue: false })).toEqual([dueToday.id, closedLate.id].sort());
    expect(await list({ open: true })).toEqual([overdue.id, dueToday.id].sort());
    expect(await list({ open: false })).toEqual([closedLate.id]);
    expect(await list({ open: true, overdue: false })).toEqual([dueToday.id]);

    // One day later the request due today is overdue too.
    app.clock.set(on('2026-03-17'));
    expect(await list({ overdue: true })).toEqual([overdue.id, dueToday.id].sort());
    const nodes = (await (await officer()).DataSubjectRequests({ filter: { studentId: student.id }, first: 100 })).dataSubjectRequests.edges.map((e) => e.node);
    expect(nodes.find((n) => n.id === dueToday.id)?.overdue).toBe(true);
    expect(nodes.find((n) => n.id === closedLate.id)?.overdue).toBe(false);
  });

  test('the studentId filter returns the requests about that student only', async () => {
    const s1 = await createStudent(app.dataSource, world.schools.A1);
    const s2 = await createStudent(app.dataSource, world.schools.B1);
    const r1 = await receive('2026-03-01', 'ACCESS', s1.id);
    const r2 = await receive('2026-03-01', 'RECTIFICATION', s2.id);
    const of = async (studentId: string) => (await (await officer()).DataSubjectRequests({ filter: { studentId } })).dataSubjectRequests;
    expect((await of(s1.id)).edges.map((e) => e.node.id)).toEqual([r1.id]);
    expect((await of(s2.id)).edges.map((e) => e.node.id)).toEqual([r2.id]);
  });
});

describe('only the privacy officer of the partnership handles data-subject requests', () => {
  const others = ['admin', 'coordinator', 'analyst', 'advisorA', 'scientistA', 'schoolA1', 'mentorA1', 'nobody'] as const;

  test.each(others)('as %s: receiving is FORBIDDEN and writes nothing', async (who) => {
    const student = await createStudent(app.dataSource, world.schools.A1);
    const sdk = await app.sdk(world.users[who].email);
    expect((await errorOf(sdk.ReceiveDataSubjectRequest({ input: { studentId: student.id, kind: 'ACCESS', receivedOn: '2026-03-01' } }))).code).toBe('FORBIDDEN');
    expect(await app.dataSource.getRepository(DataSubjectRequest).countBy({ studentId: student.id })).toBe(0);
  });

  test.each(others)('as %s: the acts on an existing request are NOT_FOUND, the list is empty, the request unchanged', async (who) => {
    const r = await receive('2026-03-10');
    const before = await stored(r.id);
    const sdk = await app.sdk(world.users[who].email);
    const input = { requestId: r.id };
    for (const attempt of [
      sdk.VerifyRequesterIdentity({ input }),
      sdk.ExtendDataSubjectRequest({ input: { ...input, reason: 'x' } }),
      sdk.CompleteDataSubjectRequest({ input }),
      sdk.RejectDataSubjectRequest({ input: { ...input, reason: 'x' } }),
    ]) {
      expect((await errorOf(attempt)).code).toBe('NOT_FOUND');
    }
    expect(await stored(r.id)).toEqual(before);
    expect((await sdk.DataSubjectRequests({ filter: { studentId: world.students.a1Plain.id } })).dataSubjectRequests.totalCount).toBe(0);
    // Positive control: the officer sees it.
    expect((await (await officer()).DataSubjectRequests({ filter: { studentId: world.students.a1Plain.id }, first: 100 })).dataSubjectRequests.edges.map((e) => e.node.id)).toContain(r.id);
  });

  test("as privacy officer of another partnership: the student and the requests are NOT_FOUND, the list holds none of ours", async () => {
    const ds = app.dataSource;
    const other = await createPartnership(ds);
    const otherOfficer = await createUser(ds, other, [[Role.PRIVACY_OFFICER]]);
    const otherStudent = await createStudent(ds, await createSchool(ds, await createWindstreek(ds, other)));
    const r = await receive('2026-03-10');
    const sdk = await app.sdk(otherOfficer.email);
    expect((await errorOf(sdk.ReceiveDataSubjectRequest({ input: { studentId: world.students.a1Plain.id, kind: 'ACCESS', receivedOn: '2026-03-01' } }))).code).toBe('NOT_FOUND');
    expect((await errorOf(sdk.VerifyRequesterIdentity({ input: { requestId: r.id } }))).code).toBe('NOT_FOUND');
    expect((await sdk.DataSubjectRequests({ filter: { studentId: world.students.a1Plain.id } })).dataSubjectRequests.totalCount).toBe(0);
    // Positive control: in their own partnership they can.
    const own = (await sdk.ReceiveDataSubjectRequest({ input: { studentId: otherStudent.id, kind: 'ACCESS', receivedOn: '2026-03-01' } })).receiveDataSubjectRequest;
    expect((await sdk.DataSubjectRequests({})).dataSubjectRequests.edges.map((e) => e.node.id)).toEqual([own.id]);
  });
});
