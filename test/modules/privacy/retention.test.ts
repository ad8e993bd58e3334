/**
 * Retention (AVG rule 7), end to end on the test clock (2026-03-16 in Amsterdam):
 * - a trajectory that ends gets its retention class and start event from the act;
 * - the boundary: a record is kept through the last day of its term (start + term months)
 *   and erased / pseudonymised from the day after, for both trajectory classes and for the
 *   student's school data;
 * - legal hold (set and released through the API) keeps a record past its term;
 * - a dry run changes nothing and lists exactly the actions the real run then performs;
 * - a running trajectory and another partnership are never touched;
 * - only the privacy officer runs retention and sets legal holds;
 * - what a run did is logged (an `applyRetention` event and access-log CHANGE entries);
 * - consultations (PARTNERSHIP_DOSSIER, 36 months from the recorded outcome): the same boundary,
 *   hold and dry run; case text erased and the student unlinked, the skeleton kept; kept while
 *   a trajectory they led to still holds its case data; and a student keeps their identity
 *   while a consultation still names them.
 */
import { ConsentPurpose, ConsultationKind, ConsultationOutcome, Phase, RetentionClass } from '../../../src/domain/enums';
import { AccessLogEntry, Consent, Consultation, Guardian, Student, Trajectory, TrajectoryEvent } from '../../../src/app/entities';
import { appendRetentionLog, CONSULTATION_ERASED_MARKER, retentionFor, runRetention } from '../../../src/modules/privacy/retention';
import { verifyChain } from '../../../src/audit/chain';
import { createConsent, createConsultation, createStudent } from '../../factories';
import { ACT_CASES, actOperation, caseState, recordCounts, trajectoryIn } from '../../factories/workflow';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp } from '../../setup/app';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
});
beforeEach(async () => {
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());

const RUN = `mutation Run($input: RunRetentionInput!) {
  runRetention(input: $input) { asOf dryRun counts { kind count } actions { kind recordId studentId retentionClass termEndedOn erased { type count } } }
}`;
const HOLD = `mutation Hold($input: SetLegalHoldInput!) { setLegalHold(input: $input) { trajectoryId studentId legalHold } }`;

interface RunResult {
  asOf: string;
  dryRun: boolean;
  counts: Array<{ kind: string; count: number }>;
  actions: Array<{ kind: string; recordId: string; studentId: string | null; retentionClass: string; termEndedOn: string; erased: Array<{ type: string; count: number }> }>;
}

async function run(asOf: string, dryRun = false, as = world.users.privacy.email): Promise<RunResult> {
  const res = await app.gql<{ runRetention: RunResult }>(as, RUN, { input: { dryRun, asOf } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.runRetention;
}

/** A finished trajectory with case records whose term, for `retentionClass`, ends on `termEndsOn`. */
async function finished(phase: Phase, retentionClass: RetentionClass, startsOn: string, w: World = world) {
  const fixture = await trajectoryIn(app.dataSource, w, phase);
  await app.dataSource.getRepository(Trajectory).update(fixture.trajectory.id, { retentionClass, retentionStartsOn: startsOn, closingReason: 'Confidential reason.' });
  return fixture;
}

const isTreated = (result: RunResult, id: string) => result.actions.some((a) => a.recordId === id);

async function trajectoryRow(id: string) {
  return app.dataSource.getRepository(Trajectory).findOneByOrFail({ id });
}

describe('the retention class and start event are stamped when a trajectory ends', () => {
  test('by the act: refused and withdrawn-before-acceptance → registration without help; closed, cancelled after acceptance, completed → care dossier', async () => {
    const today = '2026-03-16';
    const cases: Array<{ act: keyof typeof ACT_CASES; phase: Phase; assigned: boolean; cls: RetentionClass; startsOn: string }> = [
      { act: 'refuseRegistration', phase: Phase.REQUESTED, assigned: false, cls: RetentionClass.REGISTRATION_WITHOUT_HELP, startsOn: today },
      { act: 'cancelTrajectory', phase: Phase.REQUESTED, assigned: false, cls: RetentionClass.REGISTRATION_WITHOUT_HELP, startsOn: today },
      { act: 'cancelTrajectory', phase: Phase.ASSESSMENT, assigned: true, cls: RetentionClass.CARE_DOSSIER, startsOn: today },
      { act: 'closeAfterAssessment', phase: Phase.ASSESSMENT, assigned: true, cls: RetentionClass.CARE_DOSSIER, startsOn: today },
      // Completed: the term starts with the final act, the 12-month follow-up.
      { act: 'completeTrajectory', phase: Phase.CONSOLIDATION, assigned: true, cls: RetentionClass.CARE_DOSSIER, startsOn: '2027-03-16' },
    ];
    for (const c of cases) {
      const fixture = await trajectoryIn(app.dataSource, world, c.phase);
      expect(await trajectoryRow(fixture.trajectory.id)).toMatchObject({ retentionClass: null, retentionStartsOn: null, legalHold: false });
      const performer = ACT_CASES[c.act].performer(world, c.assigned);
      const res = await app.gql(performer.email, actOperation(c.act), { input: ACT_CASES[c.act].input(fixture, {}, today) });
      expect(res.body.errors).toBeUndefined();
      expect(await trajectoryRow(fixture.trajectory.id)).toMatchObject({ retentionClass: c.cls, retentionStartsOn: c.startsOn });
    }
  });

  test('an act that does not end the trajectory stamps nothing', () => {
    const norms = app.config.phaseNorms;
    expect(retentionFor(Phase.ASSESSMENT, Phase.INTENSIVE, '2026-03-16', norms)).toBeNull();
    expect(retentionFor(Phase.INFO_REQUESTED, Phase.CANCELLED, '2026-03-16', norms)).toEqual({ retentionClass: RetentionClass.REGISTRATION_WITHOUT_HELP, retentionStartsOn: '2026-03-16' });
    expect(retentionFor(Phase.ACCEPTED, Phase.CANCELLED, '2026-03-16', norms)).toEqual({ retentionClass: RetentionClass.CARE_DOSSIER, retentionStartsOn: '2026-03-16' });
  });
});

describe('as privacy officer of the partnership, runRetention keeps a record through the last day of its term and treats it from the day after', () => {
  test('registration without help (12 months) and care dossier (240 months), both ending on 2026-03-10', async () => {
    const refused = await finished(Phase.REFUSED, RetentionClass.REGISTRATION_WITHOUT_HELP, '2025-03-10');
    const closed = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2006-03-10');
    const ids = [refused.trajectory.id, closed.trajectory.id];
    const before = await Promise.all(ids.map((id) => caseState(app.dataSource, id)));
    expect(recordCounts(before[1]).goals).toBeGreaterThan(0);

    for (const asOf of ['2026-03-09', '2026-03-10']) {
      const result = await run(asOf);
      expect(result.asOf).toBe(asOf);
      for (const id of ids) expect(isTreated(result, id)).toBe(false);
      expect(await Promise.all(ids.map((id) => caseState(app.dataSource, id)))).toEqual(before);
    }

    const result = await run('2026-03-11');
    expect(result.dryRun).toBe(false);
    for (const id of ids) expect(isTreated(result, id)).toBe(true);
    const closedAction = result.actions.find((a) => a.recordId === closed.trajectory.id)!;
    expect(closedAction).toMatchObject({ kind: 'PSEUDONYMISE_TRAJECTORY', retentionClass: 'CARE_DOSSIER', termEndedOn: '2026-03-10', studentId: closed.student.id });
    expect(closedAction.erased).toContainEqual({ type: 'Goal', count: recordCounts(before[1]).goals });
    expect(result.actions.find((a) => a.recordId === refused.trajectory.id)).toMatchObject({ retentionClass: 'REGISTRATION_WITHOUT_HELP', termEndedOn: '2026-03-10' });

    for (const id of ids) {
      const after = await caseState(app.dataSource, id);
      const counts = recordCounts(after);
      expect({ ...counts, events: 0, crossWindstreekAssignments: 0 }).toEqual({
        events: 0, goals: 0, evaluations: 0, notes: 0, handoverAdvice: 0, absences: 0, followUps: 0, escalations: 0, complaints: 0, exitQuestionnaires: 0, crossWindstreekAssignments: 0,
      });
      const row = await trajectoryRow(id);
      expect(row).toMatchObject({ problemAreas: [], closingReason: null, eligibility: null });
      expect(row.retentionAppliedAt).not.toBeNull();
      // The events stay (without reasons), with the act of the run by the privacy officer.
      const events = await app.dataSource.getRepository(TrajectoryEvent).find({ where: { trajectoryId: id }, order: { sequence: 'ASC' } });
      expect(events.length).toBeGreaterThan(1);
      const last = events[events.length - 1];
      expect(last).toMatchObject({ act: 'applyRetention', actorUserId: world.users.privacy.id, fromPhase: row.phase, toPhase: row.phase });
      expect(events.slice(0, -1).every((e) => e.reason === null)).toBe(true);
      // One access-log entry (CHANGE) per dossier.
      const logged = await app.dataSource.getRepository(AccessLogEntry).findBy({ objectId: id, action: 'CHANGE' as never });
      expect(logged).toHaveLength(1);
      // About the dossier itself, not folded into an entry about its student.
      expect(logged[0]).toMatchObject({ userId: world.users.privacy.id, objectType: 'Trajectory', role: 'PRIVACY_OFFICER', objects: null });
    }

    // A second run finds nothing more to do.
    const again = await run('2026-03-11');
    for (const id of ids) expect(isTreated(again, id)).toBe(false);
  });

  test('a student who left school 24 months ago: kept on the last day, pseudonymised the day after; guardians deleted, consents kept', async () => {
    const ended = await finished(Phase.CANCELLED, RetentionClass.REGISTRATION_WITHOUT_HELP, '2024-01-01');
    const studentId = ended.student.id;
    await app.dataSource.getRepository(Student).update(studentId, { leftSchoolOn: '2024-03-10', birthDate: '2011-05-04' });
    expect(await app.dataSource.getRepository(Guardian).countBy({ studentId })).toBeGreaterThan(0);
    const consents = await app.dataSource.getRepository(Consent).countBy({ studentId });
    expect(consents).toBeGreaterThan(0);
    const original = await app.dataSource.getRepository(Student).findOneByOrFail({ id: studentId });

    const onLastDay = await run('2026-03-10');
    expect(isTreated(onLastDay, ended.trajectory.id)).toBe(true); // its trajectory was due long before
    expect(isTreated(onLastDay, studentId)).toBe(false);
    expect(await app.dataSource.getRepository(Student).findOneByOrFail({ id: studentId })).toMatchObject({ givenName: original.givenName, studentNumber: original.studentNumber });

    const dayAfter = await run('2026-03-11');
    expect(dayAfter.actions.find((a) => a.recordId === studentId)).toMatchObject({ kind: 'PSEUDONYMISE_STUDENT', retentionClass: 'SCHOOL_DATA', termEndedOn: '2026-03-10' });
    const student = await app.dataSource.getRepository(Student).findOneByOrFail({ id: studentId });
    expect(student).toMatchObject({
      givenName: original.pseudonym, familyName: original.pseudonym, studentNumber: original.pseudonym, birthDate: '2011-01-01',
      developmentPlanReference: null, developmentPlanDate: null, mentorUserId: null,
    });
    expect(await app.dataSource.getRepository(Guardian).countBy({ studentId })).toBe(0);
    expect(await app.dataSource.getRepository(Consent).countBy({ studentId })).toBe(consents);
    // One entry about the student's record, as the run changed it (not folded per student: no objects).
    expect(await app.dataSource.getRepository(AccessLogEntry).findBy({ objectId: studentId, objectType: 'Student', action: 'CHANGE' as never })).toEqual([expect.objectContaining({
      studentId, userId: world.users.privacy.id, role: 'PRIVACY_OFFICER', legalBasis: 'LEGAL_TASK', objects: null,
      fields: ['Guardian', 'birthDate', 'developmentPlanDate', 'developmentPlanReference', 'familyName', 'givenName', 'studentNumber'],
    })]);
  });

  test('a student is kept while one of its trajectories is still within its term, even after leaving school', async () => {
    const ended = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2025-01-01');
    await app.dataSource.getRepository(Student).update(ended.student.id, { leftSchoolOn: '2020-01-01' });
    const result = await run('2026-03-16');
    expect(isTreated(result, ended.trajectory.id)).toBe(false);
    expect(isTreated(result, ended.student.id)).toBe(false);
    expect((await app.dataSource.getRepository(Student).findOneByOrFail({ id: ended.student.id })).retentionAppliedAt).toBeNull();
  });
});

describe('legal hold', () => {
  test('as privacy officer, a held trajectory and a held student are kept past their term; released, they are treated', async () => {
    const held = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2000-01-01');
    const control = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2000-01-01');
    const heldStudent = await finished(Phase.REFUSED, RetentionClass.REGISTRATION_WITHOUT_HELP, '2020-01-01');
    await app.dataSource.getRepository(Student).update(heldStudent.student.id, { leftSchoolOn: '2020-01-01' });

    for (const input of [{ trajectoryId: held.trajectory.id }, { studentId: heldStudent.student.id }]) {
      const res = await app.gql(world.users.privacy.email, HOLD, { input: { ...input, legalHold: true, reason: 'Complaint before the court.' } });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual({ setLegalHold: { trajectoryId: null, studentId: null, ...input, legalHold: true } });
    }
    expect((await trajectoryRow(held.trajectory.id)).legalHold).toBe(true);
    // The reason stays with each held record while the hold is set.
    expect((await trajectoryRow(held.trajectory.id)).legalHoldReason).toBe('Complaint before the court.');
    expect((await app.dataSource.getRepository(Student).findOneByOrFail({ id: heldStudent.student.id })).legalHoldReason).toBe('Complaint before the court.');
    const holdEvent = await app.dataSource.getRepository(TrajectoryEvent).findOneByOrFail({ trajectoryId: held.trajectory.id, act: 'setLegalHold' });
    expect(holdEvent).toMatchObject({ actorUserId: world.users.privacy.id, reason: 'Complaint before the court.' });

    const before = await caseState(app.dataSource, held.trajectory.id);
    const result = await run('2026-03-16');
    expect(isTreated(result, control.trajectory.id)).toBe(true); // positive control
    expect(isTreated(result, heldStudent.trajectory.id)).toBe(true);
    expect(isTreated(result, held.trajectory.id)).toBe(false);
    expect(isTreated(result, heldStudent.student.id)).toBe(false);
    expect(await caseState(app.dataSource, held.trajectory.id)).toEqual(before);

    for (const input of [{ trajectoryId: held.trajectory.id }, { studentId: heldStudent.student.id }]) {
      const res = await app.gql(world.users.privacy.email, HOLD, { input: { ...input, legalHold: false, reason: 'Case settled.' } });
      expect(res.body.errors).toBeUndefined();
    }
    expect((await trajectoryRow(held.trajectory.id)).legalHoldReason).toBeNull();
    expect((await app.dataSource.getRepository(Student).findOneByOrFail({ id: heldStudent.student.id })).legalHoldReason).toBeNull();
    const released = await run('2026-03-16');
    expect(isTreated(released, held.trajectory.id)).toBe(true);
    expect(isTreated(released, heldStudent.student.id)).toBe(true);
  });

  test('setLegalHold names exactly one record, of the own partnership', async () => {
    const ended = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2000-01-01');
    const both = await app.gql(world.users.privacy.email, HOLD, { input: { trajectoryId: ended.trajectory.id, studentId: ended.student.id, legalHold: true, reason: 'x' } });
    expect(both.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const other = await createWorld(app.dataSource);
    const foreign = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2000-01-01', other);
    const res = await app.gql(world.users.privacy.email, HOLD, { input: { trajectoryId: foreign.trajectory.id, legalHold: true, reason: 'x' } });
    expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await trajectoryRow(foreign.trajectory.id)).legalHold).toBe(false);
  });
});

describe('what the run never touches', () => {
  test('a dry run changes nothing and lists exactly what the real run then does', async () => {
    const a = await finished(Phase.REFUSED, RetentionClass.REGISTRATION_WITHOUT_HELP, '2020-01-01');
    const b = await finished(Phase.COMPLETED, RetentionClass.CARE_DOSSIER, '2001-01-01');
    await app.dataSource.getRepository(Student).update(a.student.id, { leftSchoolOn: '2020-01-01' });
    const states = async () => Promise.all([a, b].map((f) => caseState(app.dataSource, f.trajectory.id)));
    const studentBefore = await app.dataSource.getRepository(Student).findOneByOrFail({ id: a.student.id });
    const before = await states();
    const logBefore = await app.dataSource.getRepository(AccessLogEntry).countBy({ action: 'CHANGE' as never, userId: world.users.privacy.id });

    const dry = await run('2026-03-16', true);
    expect(dry.dryRun).toBe(true);
    expect(await states()).toEqual(before);
    expect(await app.dataSource.getRepository(Student).findOneByOrFail({ id: a.student.id })).toEqual(studentBefore);
    expect(await app.dataSource.getRepository(AccessLogEntry).countBy({ action: 'CHANGE' as never, userId: world.users.privacy.id })).toBe(logBefore);
    const planned = dry.actions.map((x) => `${x.kind}:${x.recordId}`);
    expect(planned).toEqual(expect.arrayContaining([`PSEUDONYMISE_TRAJECTORY:${a.trajectory.id}`, `PSEUDONYMISE_TRAJECTORY:${b.trajectory.id}`, `PSEUDONYMISE_STUDENT:${a.student.id}`]));
    expect(dry.counts).toEqual([
      { kind: 'PSEUDONYMISE_TRAJECTORY', count: dry.actions.filter((x) => x.kind === 'PSEUDONYMISE_TRAJECTORY').length },
      { kind: 'ANONYMISE_CONSULTATION', count: dry.actions.filter((x) => x.kind === 'ANONYMISE_CONSULTATION').length },
      { kind: 'PSEUDONYMISE_STUDENT', count: dry.actions.filter((x) => x.kind === 'PSEUDONYMISE_STUDENT').length },
    ]);

    const real = await run('2026-03-16');
    expect(real.actions.map((x) => `${x.kind}:${x.recordId}`)).toEqual(planned);
    expect(real.counts).toEqual(dry.counts);
  });

  test('a running trajectory is never touched, whatever its dates, nor is its student', async () => {
    const running = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    await app.dataSource.getRepository(Trajectory).update(running.trajectory.id, { retentionClass: RetentionClass.CARE_DOSSIER, retentionStartsOn: '1990-01-01' });
    await app.dataSource.getRepository(Student).update(running.student.id, { leftSchoolOn: '1990-01-01' });
    const control = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '1990-01-01');
    const before = await caseState(app.dataSource, running.trajectory.id);
    const result = await run('2026-03-16');
    expect(isTreated(result, control.trajectory.id)).toBe(true);
    expect(isTreated(result, running.trajectory.id)).toBe(false);
    expect(isTreated(result, running.student.id)).toBe(false);
    expect(await caseState(app.dataSource, running.trajectory.id)).toEqual(before);
  });

  test('another partnership is never touched', async () => {
    const other = await createWorld(app.dataSource);
    const foreign = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '1990-01-01', other);
    await app.dataSource.getRepository(Student).update(foreign.student.id, { leftSchoolOn: '1990-01-01' });
    const own = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '1990-01-01');
    const before = await caseState(app.dataSource, foreign.trajectory.id);
    const result = await run('2026-03-16');
    expect(isTreated(result, own.trajectory.id)).toBe(true);
    expect(result.actions.every((x) => x.recordId !== foreign.trajectory.id && x.recordId !== foreign.student.id)).toBe(true);
    expect(await caseState(app.dataSource, foreign.trajectory.id)).toEqual(before);
    expect((await app.dataSource.getRepository(Student).findOneByOrFail({ id: foreign.student.id })).retentionAppliedAt).toBeNull();
  });

  test('asOf in the future is refused', async () => {
    const res = await app.gql(world.users.privacy.email, RUN, { input: { dryRun: true, asOf: '2026-03-17' } });
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('the npm run retention path (no GraphQL request)', () => {
  test('runs in the partnership, logs its acts in the hash chain, and a dry run writes nothing', async () => {
    const ended = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '1990-01-01');
    const options = {
      partnershipId: world.partnership.id, asOf: '2026-03-16', actorUserId: world.users.privacy.id, membershipId: null,
      terms: app.config.retention, norms: app.config.phaseNorms, now: app.clock.now(),
    };
    const before = await caseState(app.dataSource, ended.trajectory.id);
    const dry = await runRetention(app.dataSource, { ...options, dryRun: true });
    expect(dry.actions.map((a) => a.recordId)).toContain(ended.trajectory.id);
    expect(await caseState(app.dataSource, ended.trajectory.id)).toEqual(before);

    const report = await runRetention(app.dataSource, { ...options, dryRun: false });
    await appendRetentionLog(app.dataSource, options, report.actions);
    expect(report.actions.map((a) => a.recordId)).toEqual(dry.actions.map((a) => a.recordId));
    expect((await trajectoryRow(ended.trajectory.id)).retentionAppliedAt).not.toBeNull();
    expect(await app.dataSource.getRepository(AccessLogEntry).countBy({ objectId: ended.trajectory.id, action: 'CHANGE' as never })).toBe(1);
    expect(await verifyChain(app.dataSource, world.partnership.id)).toMatchObject({ intact: true });
  });
});

describe('roles', () => {
  test('as any other role, runRetention and setLegalHold are FORBIDDEN and change nothing', async () => {
    const ended = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '1990-01-01');
    await createConsent(app.dataSource, ended.student, world.users.schoolA1, ConsentPurpose.SHARE_WITH_PARTNERSHIP);
    const before = await caseState(app.dataSource, ended.trajectory.id);
    const others = Object.entries(world.users).filter(([name]) => name !== 'privacy');
    expect(others.length).toBeGreaterThan(5);
    for (const [, user] of others) {
      for (const dryRun of [true, false]) {
        const res = await app.gql(user.email, RUN, { input: { dryRun } });
        expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
      const hold = await app.gql(user.email, HOLD, { input: { trajectoryId: ended.trajectory.id, legalHold: true, reason: 'x' } });
      expect(hold.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await caseState(app.dataSource, ended.trajectory.id)).toEqual(before);
    expect((await trajectoryRow(ended.trajectory.id)).legalHold).toBe(false);
    // Positive control: the privacy officer can.
    expect(isTreated(await run('2026-03-16'), ended.trajectory.id)).toBe(true);
  });
});

describe('consultations: PARTNERSHIP_DOSSIER, 36 months from the recorded outcome', () => {
  const HOLD_CONSULTATION = `mutation Hold($input: SetLegalHoldInput!) { setLegalHold(input: $input) { trajectoryId consultationId studentId legalHold } }`;
  const RECORD_ADVICE = `mutation Advice($input: RecordAdviceInput!) { recordAdvice(input: $input) { id outcome } }`;
  const repo = () => app.dataSource.getRepository(Consultation);

  /** The case text a pre-consultation carries, every field filled. */
  const caseText = () => ({
    developmentPlanReference: 'OPP-2023-17', developmentPlanDate: '2022-09-01', howIsTheStudentDoing: 'Mist veel lessen.', helpGivenAndResult: 'Mentorgesprekken, weinig effect.',
    otherAgenciesInvolved: 'Jeugdarts.', motivation: 'Ouders gemotiveerd.', agreementsNow: 'Dagstart bij de mentor.', advice: 'Aanmelden voor een Toptraject.',
  });

  /**
   * A pre-consultation at school A1 with all its case text and an outcome. `startsOn` stamps
   * its retention start; `recordedAt` alone (no stamp) makes it a legacy row; `outcome: null`
   * makes it a request never answered, created at `createdAt`.
   */
  async function consultationIn(w: World, options: { student?: Student | null; startsOn?: string; recordedAt?: Date; outcome?: ConsultationOutcome | null; createdAt?: Date } = {}) {
    const c = await createConsultation(app.dataSource, w.schools.A1, w.users.schoolA1, options.student ?? null);
    const answered = options.outcome !== null;
    await repo().update(c.id, {
      kind: ConsultationKind.PRE_CONSULTATION,
      ...caseText(),
      ...(answered
        ? { outcome: options.outcome ?? ConsultationOutcome.TOPTRAJECT, recordedAt: options.recordedAt ?? new Date('2023-03-10T09:00:00Z'), recordedByUserId: w.users.advisorA.id }
        : { advice: null }),
      ...(options.startsOn ? { retentionClass: RetentionClass.PARTNERSHIP_DOSSIER, retentionStartsOn: options.startsOn } : {}),
    });
    if (options.createdAt) await app.dataSource.query('UPDATE consultation SET created_at = $2 WHERE id = $1', [c.id, options.createdAt]);
    return repo().findOneByOrFail({ id: c.id });
  }

  const consultationRow = (id: string) => repo().findOneByOrFail({ id });

  function expectErased(row: Consultation, before: Consultation) {
    expect(row).toMatchObject({
      caseDescription: CONSULTATION_ERASED_MARKER, studentId: null,
      developmentPlanReference: null, developmentPlanDate: null, howIsTheStudentDoing: null, helpGivenAndResult: null, otherAgenciesInvolved: null,
      motivation: null, agreementsNow: null, advice: null,
      // The skeleton the partnership accounts with.
      kind: before.kind, schoolId: before.schoolId, windstreekId: before.windstreekId, outcome: before.outcome, recordedAt: before.recordedAt,
      createdAt: before.createdAt, requestedByUserId: before.requestedByUserId, recordedByUserId: before.recordedByUserId,
    });
    expect(row.retentionAppliedAt).not.toBeNull();
  }

  test('as a behavioural scientist recording advice, the consultation gets PARTNERSHIP_DOSSIER from today', async () => {
    const c = await createConsultation(app.dataSource, world.schools.A1, world.users.schoolA1);
    expect(await consultationRow(c.id)).toMatchObject({ retentionClass: null, retentionStartsOn: null, legalHold: false, retentionAppliedAt: null });
    const res = await app.gql(world.users.scientistA.email, RECORD_ADVICE, { input: { consultationId: c.id, advice: 'Structuur bieden.', outcome: 'ADVICE_SUFFICIENT' } });
    expect(res.body.errors).toBeUndefined();
    expect(await consultationRow(c.id)).toMatchObject({ retentionClass: RetentionClass.PARTNERSHIP_DOSSIER, retentionStartsOn: '2026-03-16' });
  });

  test('as privacy officer, a consultation is kept through the last day of its term and anonymised the day after (stamped, legacy and never answered alike)', async () => {
    const student = await createStudent(app.dataSource, world.schools.A1);
    const stamped = await consultationIn(world, { student, startsOn: '2023-03-10' });
    // Recorded before the stamp existed, at 00:30 on 10 March in Amsterdam: the start is that day.
    const legacy = await consultationIn(world, { recordedAt: new Date('2023-03-09T23:30:00Z') });
    const unanswered = await consultationIn(world, { outcome: null, createdAt: new Date('2023-03-10T09:00:00Z') });
    const all = [stamped, legacy, unanswered];

    for (const asOf of ['2026-03-09', '2026-03-10']) {
      const result = await run(asOf);
      for (const c of all) expect(isTreated(result, c.id)).toBe(false);
      for (const c of all) expect(await consultationRow(c.id)).toEqual(c);
    }

    const result = await run('2026-03-11');
    for (const c of all) {
      expect(result.actions.find((a) => a.recordId === c.id)).toEqual({
        kind: 'ANONYMISE_CONSULTATION', recordId: c.id, studentId: c.studentId, retentionClass: 'PARTNERSHIP_DOSSIER', termEndedOn: '2026-03-10', erased: [],
      });
      expectErased(await consultationRow(c.id), c);
    }
    expect(stamped.studentId).toBe(student.id);

    // One access-log entry per consultation, naming the student it was linked to.
    const logged = await app.dataSource.getRepository(AccessLogEntry).findBy({ objectId: stamped.id, action: 'CHANGE' as never });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ objectType: 'Consultation', studentId: student.id, userId: world.users.privacy.id, role: 'PRIVACY_OFFICER', legalBasis: 'LEGAL_TASK' });
    expect(logged[0].fields).toEqual(expect.arrayContaining(['caseDescription', 'advice', 'student']));
    expect(await app.dataSource.getRepository(AccessLogEntry).findBy({ objectId: unanswered.id, action: 'CHANGE' as never })).toMatchObject([{ objectType: 'Consultation', studentId: null }]);

    // Done once: a second run finds nothing, and the erased, never-answered request cannot be answered any more.
    const again = await run('2026-03-11');
    for (const c of all) expect(isTreated(again, c.id)).toBe(false);
    const late = await app.gql(world.users.advisorA.email, `mutation Outcome($input: RecordPreConsultationOutcomeInput!) { recordPreConsultationOutcome(input: $input) { id } }`, {
      input: { consultationId: unanswered.id, outcome: 'OTHER_SUPPORT' },
    });
    expect(late.body.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await consultationRow(unanswered.id)).toMatchObject({ outcome: null, advice: null, retentionClass: null });
  });

  test('as privacy officer, a held consultation is kept past its term; released, it is anonymised', async () => {
    const student = await createStudent(app.dataSource, world.schools.A1);
    const held = await consultationIn(world, { student, startsOn: '2020-01-01' });
    const control = await consultationIn(world, { startsOn: '2020-01-01' });

    const hold = await app.gql(world.users.privacy.email, HOLD_CONSULTATION, { input: { consultationId: held.id, legalHold: true, reason: 'Bezwaar van ouders loopt.' } });
    expect(hold.body.errors).toBeUndefined();
    expect(hold.body.data).toEqual({ setLegalHold: { trajectoryId: null, consultationId: held.id, studentId: null, legalHold: true } });
    expect((await consultationRow(held.id)).legalHold).toBe(true);
    expect((await app.dataSource.getRepository(Consultation).findOneByOrFail({ id: held.id })).legalHoldReason).toBe('Bezwaar van ouders loopt.');
    expect(await app.dataSource.getRepository(AccessLogEntry).findBy({ objectId: held.id, action: 'CHANGE' as never })).toMatchObject([
      { objectType: 'Consultation', studentId: student.id, fields: ['legalHold'], userId: world.users.privacy.id },
    ]);

    const result = await run('2026-03-16');
    expect(isTreated(result, control.id)).toBe(true); // positive control
    expect(isTreated(result, held.id)).toBe(false);
    expect(await consultationRow(held.id)).toEqual({ ...held, legalHold: true, legalHoldReason: 'Bezwaar van ouders loopt.' });

    const release = await app.gql(world.users.privacy.email, HOLD_CONSULTATION, { input: { consultationId: held.id, legalHold: false, reason: 'Bezwaar afgehandeld.' } });
    expect(release.body.errors).toBeUndefined();
    expect((await app.dataSource.getRepository(Consultation).findOneByOrFail({ id: held.id })).legalHoldReason).toBeNull();
    const released = await run('2026-03-16');
    expect(isTreated(released, held.id)).toBe(true);
    expectErased(await consultationRow(held.id), held);
  });

  test('setLegalHold on a consultation: exactly one record named, of the own partnership; FORBIDDEN for other roles', async () => {
    const own = await consultationIn(world, { startsOn: '2020-01-01' });
    const ended = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2000-01-01');
    const two = await app.gql(world.users.privacy.email, HOLD_CONSULTATION, { input: { consultationId: own.id, trajectoryId: ended.trajectory.id, legalHold: true, reason: 'x' } });
    expect(two.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const none = await app.gql(world.users.privacy.email, HOLD_CONSULTATION, { input: { legalHold: true, reason: 'x' } });
    expect(none.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const other = await createWorld(app.dataSource);
    const foreign = await consultationIn(other, { startsOn: '2020-01-01' });
    const res = await app.gql(world.users.privacy.email, HOLD_CONSULTATION, { input: { consultationId: foreign.id, legalHold: true, reason: 'x' } });
    expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await consultationRow(foreign.id)).legalHold).toBe(false);

    for (const user of [world.users.scientistA, world.users.advisorA, world.users.schoolA1, world.users.admin]) {
      const denied = await app.gql(user.email, HOLD_CONSULTATION, { input: { consultationId: own.id, legalHold: true, reason: 'x' } });
      expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await consultationRow(own.id)).legalHold).toBe(false);
    // Positive control: the privacy officer can.
    const allowed = await app.gql(world.users.privacy.email, HOLD_CONSULTATION, { input: { consultationId: own.id, legalHold: true, reason: 'x' } });
    expect(allowed.body.errors).toBeUndefined();
    expect((await consultationRow(own.id)).legalHold).toBe(true);
  });

  test('as privacy officer, a dry run lists a due consultation and changes nothing; the real run then does exactly that', async () => {
    const student = await createStudent(app.dataSource, world.schools.A1);
    const due = await consultationIn(world, { student, startsOn: '2020-01-01' });
    const logBefore = await app.dataSource.getRepository(AccessLogEntry).countBy({ action: 'CHANGE' as never, userId: world.users.privacy.id });

    const dry = await run('2026-03-16', true);
    expect(dry.actions.find((a) => a.recordId === due.id)).toMatchObject({ kind: 'ANONYMISE_CONSULTATION', studentId: student.id, termEndedOn: '2023-01-01' });
    expect(dry.counts.find((c) => c.kind === 'ANONYMISE_CONSULTATION')!.count).toBeGreaterThan(0);
    expect(await consultationRow(due.id)).toEqual(due);
    expect(await app.dataSource.getRepository(AccessLogEntry).countBy({ action: 'CHANGE' as never, userId: world.users.privacy.id })).toBe(logBefore);

    const real = await run('2026-03-16');
    expect(real.actions.map((a) => `${a.kind}:${a.recordId}`)).toEqual(dry.actions.map((a) => `${a.kind}:${a.recordId}`));
    expectErased(await consultationRow(due.id), due);
  });

  test('a consultation that led to a trajectory is kept while that trajectory runs, is held, or is within its term; it follows the trajectory in the same run', async () => {
    const running = await trajectoryIn(app.dataSource, world, Phase.INTENSIVE);
    const withinTerm = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2025-01-01');
    const held = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2000-01-01');
    await app.dataSource.getRepository(Trajectory).update(held.trajectory.id, { legalHold: true });
    const due = await finished(Phase.CLOSED, RetentionClass.CARE_DOSSIER, '2000-01-01');
    const linked = new Map<string, Consultation>();
    for (const f of [running, withinTerm, held, due]) {
      const c = await consultationIn(world, { student: f.student, startsOn: '2020-01-01' });
      await app.dataSource.getRepository(Trajectory).update(f.trajectory.id, { consultationId: c.id });
      linked.set(f.trajectory.id, c);
    }

    const result = await run('2026-03-16');
    for (const f of [running, withinTerm, held]) {
      const c = linked.get(f.trajectory.id)!;
      expect(isTreated(result, c.id)).toBe(false);
      expect(await consultationRow(c.id)).toEqual(c);
    }
    // Positive control: the trajectory past its term goes first, its consultation follows.
    const order = result.actions.map((a) => a.recordId);
    const c = linked.get(due.trajectory.id)!;
    expect(order).toContain(due.trajectory.id);
    expect(order.indexOf(c.id)).toBeGreaterThan(order.indexOf(due.trajectory.id));
    expectErased(await consultationRow(c.id), c);
  });

  test('another partnership\'s consultation is never touched', async () => {
    const other = await createWorld(app.dataSource);
    const foreignStudent = await createStudent(app.dataSource, other.schools.A1);
    const foreign = await consultationIn(other, { student: foreignStudent, startsOn: '1990-01-01' });
    const own = await consultationIn(world, { startsOn: '1990-01-01' });
    const result = await run('2026-03-16');
    expect(isTreated(result, own.id)).toBe(true);
    expect(isTreated(result, foreign.id)).toBe(false);
    expect(await consultationRow(foreign.id)).toEqual(foreign);
  });

  test('a student who left school keeps their identity while a consultation within its term (or held) still names them; once it is anonymised the student follows in the same run', async () => {
    const named = async (startsOn: string) => {
      const student = await createStudent(app.dataSource, world.schools.A1, { leftSchoolOn: '2020-01-01' });
      return { student, consultation: await consultationIn(world, { student, startsOn }) };
    };
    const within = await named('2025-01-01');
    const held = await named('2020-01-01');
    await repo().update(held.consultation.id, { legalHold: true });
    const past = await named('2020-01-01');

    const result = await run('2026-03-16');
    for (const kept of [within, held]) {
      expect(isTreated(result, kept.consultation.id)).toBe(false);
      expect(isTreated(result, kept.student.id)).toBe(false);
      expect(await app.dataSource.getRepository(Student).findOneByOrFail({ id: kept.student.id })).toMatchObject({
        givenName: kept.student.givenName, studentNumber: kept.student.studentNumber, retentionAppliedAt: null,
      });
      expect((await consultationRow(kept.consultation.id)).studentId).toBe(kept.student.id);
    }
    // Positive control: consultation first, then its student.
    const order = result.actions.map((a) => a.recordId);
    expect(order.indexOf(past.student.id)).toBeGreaterThan(order.indexOf(past.consultation.id));
    expect(order.indexOf(past.consultation.id)).toBeGreaterThanOrEqual(0);
    expect(await app.dataSource.getRepository(Student).findOneByOrFail({ id: past.student.id })).toMatchObject({ givenName: past.student.pseudonym });
  });

  test('the npm run retention path logs a consultation in the hash chain', async () => {
    const c = await consultationIn(world, { student: await createStudent(app.dataSource, world.schools.A1), startsOn: '1990-01-01' });
    const options = {
      partnershipId: world.partnership.id, asOf: '2026-03-16', actorUserId: world.users.privacy.id, membershipId: null,
      terms: app.config.retention, norms: app.config.phaseNorms, now: app.clock.now(),
    };
    const report = await runRetention(app.dataSource, { ...options, dryRun: false });
    await appendRetentionLog(app.dataSource, options, report.actions);
    expect(report.actions.map((a) => a.recordId)).toContain(c.id);
    expect(await app.dataSource.getRepository(AccessLogEntry).findBy({ objectId: c.id, action: 'CHANGE' as never })).toMatchObject([{ objectType: 'Consultation', studentId: c.studentId }]);
    expect(await verifyChain(app.dataSource, world.partnership.id)).toMatchObject({ intact: true });
  });
});
