/**
 * Rectification and erasure requests carried out (AVG art. 16 and 17):
 * - carryOutRectification corrects the request's student through the student change (names,
 *   student number), completes the request with its resolution and logs the change; the privacy
 *   officer cannot change identity through updateStudent;
 * - carryOutErasure: a dry run lists and writes nothing; the real run erases ended trajectories'
 *   case records, anonymises consultations and pseudonymises the student, keeps consents, the
 *   access log, running care and held records with their reason, and logs each dossier;
 * - refusals (identity not verified, wrong kind, closed, duplicate student number) are
 *   INVALID_TRANSITION / CONFLICT and change nothing; a fault midway leaves no partial write;
 * - other roles never reach a request.
 */
import { Consent, Consultation, DataSubjectRequest, Goal, Guardian, Note, Student, Trajectory, TrajectoryEvent } from '../../../src/app/entities';
import { ConsentPurpose, Phase } from '../../../src/domain/enums';
import { KEPT_REASONS } from '../../../src/modules/privacy/retention/index';
import { createConsent, createConsultation, createSchool, createStudent, createTrajectory } from '../../factories';
import { createWorld, World } from '../../factories/world';
import type { DataSubjectRequestKind } from '../../generated/sdk';
import { startTestApp, TestApp } from '../../setup/app';
import { errorOf } from '../../setup/errors';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());

const officer = () => app.sdk(world.users.privacy.email);
const stored = (id: string) => app.dataSource.getRepository(DataSubjectRequest).findOneByOrFail({ id });
const studentRow = (id: string) => app.dataSource.getRepository(Student).findOneByOrFail({ id });

async function request(studentId: string, kind: DataSubjectRequestKind, verified = true): Promise<string> {
  const sdk = await officer();
  const { receiveDataSubjectRequest: r } = await sdk.ReceiveDataSubjectRequest({ input: { studentId, kind, receivedOn: '2026-03-10' } });
  if (verified) await sdk.VerifyRequesterIdentity({ input: { requestId: r.id } });
  return r.id;
}

describe('carryOutRectification', () => {
  test('corrects the names, completes the request with the fields named, and logs the change of the student', async () => {
    const s = await createStudent(app.dataSource, world.schools.A1);
    const requestId = await request(s.id, 'RECTIFICATION');
    const { carryOutRectification: r } = await (await officer()).CarryOutRectification({ input: { requestId, givenName: ' Fatima ', familyName: 'El Amrani' } });
    expect(r).toMatchObject({
      correctedFields: ['givenName', 'familyName'],
      request: { id: requestId, status: 'COMPLETED', resolution: 'Rectified: givenName, familyName.' },
      student: { id: s.id, givenName: 'Fatima', familyName: 'El Amrani', studentNumber: s.studentNumber },
    });
    expect(await studentRow(s.id)).toMatchObject({ givenName: 'Fatima', familyName: 'El Amrani', studentNumber: s.studentNumber, birthDate: s.birthDate });
    // Receiving and verifying showed the student's id (a CHANGE answer); the rectification names the fields corrected,
    // together with those its answer selected, in the one entry about the student.
    const entries: Array<{ fields: string[]; role: string; user_id: string; object_id: string; objects: string[] }> = await app.dataSource.query(
      `SELECT fields, role::text AS role, user_id, object_id, objects FROM access_log_entry
        WHERE student_id = $1 AND action = 'CHANGE' AND object_type = 'Student' AND 'Student.givenName' = ANY(fields)`, [s.id],
    );
    expect(entries).toEqual([{
      role: 'PRIVACY_OFFICER', user_id: world.users.privacy.id, object_id: s.id, objects: [`Student:${s.id}`],
      fields: ['Student.birthDate', 'Student.familyName', 'Student.givenName', 'Student.id', 'Student.studentNumber'],
    }]);
  });

  test('the change is logged even when the answer does not select the student', async () => {
    const s = await createStudent(app.dataSource, world.schools.A1);
    const requestId = await request(s.id, 'RECTIFICATION');
    const answer = await app.gql(world.users.privacy.email, 'mutation($input: CarryOutRectificationInput!) { carryOutRectification(input: $input) { correctedFields } }', { input: { requestId, studentNumber: 'R-123' } });
    expect(answer.body.data).toEqual({ carryOutRectification: { correctedFields: ['studentNumber'] } });
    const rows: Array<{ fields: string[]; objects: string[] }> = await app.dataSource.query(
      `SELECT fields, objects FROM access_log_entry WHERE student_id = $1 AND action = 'CHANGE' AND object_type = 'Student' AND 'Student.studentNumber' = ANY(fields)`, [s.id],
    );
    expect(rows).toEqual([{ fields: ['Student.studentNumber'], objects: [`Student:${s.id}`] }]);
    expect((await studentRow(s.id)).studentNumber).toBe('R-123');
  });

  test('before the identity is verified, for another kind, or when closed: INVALID_TRANSITION and nothing changes', async () => {
    const s = await createStudent(app.dataSource, world.schools.A1);
    const unverified = await request(s.id, 'RECTIFICATION', false);
    const erasure = await request(s.id, 'ERASURE');
    const closed = await request(s.id, 'RECTIFICATION');
    await (await officer()).CompleteDataSubjectRequest({ input: { requestId: closed } });
    for (const requestId of [unverified, erasure, closed]) {
      const before = await stored(requestId);
      const error = await errorOf((await officer()).CarryOutRectification({ input: { requestId, givenName: 'Changed' } }));
      expect(error.code).toBe('INVALID_TRANSITION');
      expect(await stored(requestId)).toEqual(before);
    }
    expect((await studentRow(s.id)).givenName).toBe(s.givenName);
  });

  test('a student number in use at the school is CONFLICT: neither the student nor the request changes', async () => {
    const s = await createStudent(app.dataSource, world.schools.A1);
    const other = await createStudent(app.dataSource, world.schools.A1);
    const requestId = await request(s.id, 'RECTIFICATION');
    const error = await errorOf((await officer()).CarryOutRectification({ input: { requestId, givenName: 'Nieuw', studentNumber: other.studentNumber } }));
    expect(error.code).toBe('CONFLICT');
    expect(await studentRow(s.id)).toMatchObject({ givenName: s.givenName, studentNumber: s.studentNumber });
    expect(await stored(requestId)).toMatchObject({ status: 'IDENTITY_VERIFIED', completedAt: null, resolution: null });
  });

  test('no field to correct is BAD_USER_INPUT and leaves the request open', async () => {
    const s = await createStudent(app.dataSource, world.schools.A1);
    const requestId = await request(s.id, 'RECTIFICATION');
    expect(await errorOf((await officer()).CarryOutRectification({ input: { requestId } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect((await stored(requestId)).status).toBe('IDENTITY_VERIFIED');
  });

  test('the privacy officer cannot change identity through updateStudent (only by a rectification request)', async () => {
    const s = await createStudent(app.dataSource, world.schools.A1);
    const error = await errorOf((await officer()).UpdateStudent({ input: { studentId: s.id, givenName: 'Buiten verzoek' } }));
    expect(error.code).toBe('FORBIDDEN');
    expect((await studentRow(s.id)).givenName).toBe(s.givenName);
  });

  test('other roles never reach the request: NOT_FOUND, nothing changes', async () => {
    const s = await createStudent(app.dataSource, world.schools.A1);
    const requestId = await request(s.id, 'RECTIFICATION');
    for (const who of ['schoolA1', 'coordinator', 'admin', 'scientistA', 'analyst'] as const) {
      const error = await errorOf((await app.sdk(world.users[who].email)).CarryOutRectification({ input: { requestId, givenName: 'X' } }));
      // As for every act on a request: a request they may not update answers like a missing one (AVG rule 2).
      expect(error.code).toBe('NOT_FOUND');
      expect((await errorOf((await app.sdk(world.users[who].email)).CarryOutErasure({ input: { requestId, dryRun: true } }))).code).toBe('NOT_FOUND');
    }
    expect((await studentRow(s.id)).givenName).toBe(s.givenName);
    expect((await stored(requestId)).status).toBe('IDENTITY_VERIFIED');
  });
});

describe('carryOutRectification: the birth date and the guardians', () => {
  const guardiansOf = (studentId: string) => app.dataSource.getRepository(Guardian).find({ where: { studentId }, order: { createdAt: 'ASC', id: 'ASC' } });
  /** A student with a second guardian, and the two guardians. */
  async function family(birthDate?: string) {
    const s = await createStudent(app.dataSource, world.schools.A1, birthDate ? { birthDate } : {});
    await app.dataSource.getRepository(Guardian).insert({ partnershipId: s.partnershipId, studentId: s.id, name: 'Karim Bakker', relationship: 'vader', hasParentalAuthority: true });
    return { s, guardians: await guardiansOf(s.id) };
  }

  test('corrects the birth date and a guardian field by field: exact values, the resolution, the access log', async () => {
    const { s, guardians: [mother, father] } = await family();
    const requestId = await request(s.id, 'RECTIFICATION');
    const { carryOutRectification: r } = await (await officer()).CarryOutRectification({
      input: { requestId, birthDate: '2011-06-04', guardians: [{ guardianId: father.id, name: ' Karim El Bakkali ', relationship: 'stiefvader' }] },
    });
    expect(r).toMatchObject({
      correctedFields: ['birthDate', 'guardians.name', 'guardians.relationship'],
      request: { id: requestId, status: 'COMPLETED', resolution: `Rectified: birthDate; guardian ${father.id}: name, relationship.` },
      student: { id: s.id, givenName: s.givenName, birthDate: '2011-06-04' },
    });
    expect(await studentRow(s.id)).toMatchObject({ birthDate: '2011-06-04', givenName: s.givenName, familyName: s.familyName, studentNumber: s.studentNumber });
    const after = await guardiansOf(s.id);
    expect(after.map((g) => [g.id, g.name, g.relationship, g.hasParentalAuthority])).toEqual([
      [mother.id, mother.name, mother.relationship, true],
      [father.id, 'Karim El Bakkali', 'stiefvader', true],
    ]);
    const logged: Array<{ object_type: string; object_id: string; objects: string[]; fields: string[] }> = await app.dataSource.query(
      `SELECT object_type, object_id, objects, fields FROM access_log_entry
        WHERE student_id = $1 AND action = 'CHANGE' AND user_id = $2 AND ('Student.birthDate' = ANY(fields) OR $3 = ANY(objects) OR object_type = 'Guardian')`,
      [s.id, world.users.privacy.id, `Guardian:${father.id}`],
    );
    // One CHANGE entry about the student, covering the guardian corrected and the student: the
    // fields corrected and those the answer selected, each named with its type.
    expect(logged).toEqual([{
      object_type: 'Student', object_id: s.id, objects: [`Guardian:${father.id}`, `Student:${s.id}`],
      fields: ['Guardian.name', 'Guardian.relationship', 'Student.birthDate', 'Student.familyName', 'Student.givenName', 'Student.id', 'Student.studentNumber'],
    }]);
  });

  test('only the guardians: the student stays as it was', async () => {
    const { s, guardians: [mother] } = await family();
    const requestId = await request(s.id, 'RECTIFICATION');
    const before = await studentRow(s.id);
    const { carryOutRectification: r } = await (await officer()).CarryOutRectification({ input: { requestId, guardians: [{ guardianId: mother.id, name: 'Samira Bakker' }] } });
    expect(r.correctedFields).toEqual(['guardians.name']);
    expect(r.request.resolution).toBe(`Rectified: guardian ${mother.id}: name.`);
    expect(await studentRow(s.id)).toEqual(before);
    expect((await guardiansOf(s.id))[0].name).toBe('Samira Bakker');
  });

  test.each([
    ['a birth date in the future', { birthDate: '2026-03-17' }, 'BAD_USER_INPUT', 'input.birthDate'],
    ['a birth date outside the school age (7)', { birthDate: '2019-01-01' }, 'BAD_USER_INPUT', 'input.birthDate'],
    ['a birth date outside the school age (26)', { birthDate: '2000-01-01' }, 'BAD_USER_INPUT', 'input.birthDate'],
    ['not a date', { birthDate: '2011-02-30' }, 'BAD_USER_INPUT', undefined],
    ['a guardian without a field', { guardians: [{ guardianId: 'MOTHER' }] }, 'BAD_USER_INPUT', 'input.guardians[0]'],
    ['a guardian named twice', { guardians: [{ guardianId: 'MOTHER', name: 'A' }, { guardianId: 'MOTHER', relationship: 'voogd' }] }, 'BAD_USER_INPUT', 'input.guardians[1].guardianId'],
    ['a guardian id that is no id', { guardians: [{ guardianId: 'nope', name: 'A' }] }, 'BAD_USER_INPUT', 'input.guardians[0].guardianId'],
    ['the guardian of another student, after a valid correction', { birthDate: '2011-06-04', guardians: [{ guardianId: 'MOTHER', name: 'Ok' }, { guardianId: 'OTHER', name: 'Niet van deze leerling' }] }, 'NOT_FOUND', undefined],
  ] as const)('%s: %s, nothing written, the request stays open', async (_what, bad, code, field) => {
    const { s, guardians } = await family();
    const other = await family();
    const ids: Record<string, string> = { MOTHER: guardians[0].id, OTHER: other.guardians[0].id };
    const input = JSON.parse(JSON.stringify(bad).replace(/"(MOTHER|OTHER)"/g, (_m, k: string) => JSON.stringify(ids[k])));
    const requestId = await request(s.id, 'RECTIFICATION');
    const before = { student: await studentRow(s.id), guardians: await guardiansOf(s.id), other: await guardiansOf(other.s.id), request: await stored(requestId) };
    const error = await errorOf((await officer()).CarryOutRectification({ input: { requestId, ...input } }));
    expect(error.code).toBe(code);
    if (field) expect(error.field).toBe(field);
    expect({ student: await studentRow(s.id), guardians: await guardiansOf(s.id), other: await guardiansOf(other.s.id), request: await stored(requestId) }).toEqual(before);
  });

  test.each([
    // 16 on today (2026-03-16) by the recorded date, consenting alone; in truth 15: the parents must consent with the student.
    ['a 16-year-old who is in truth 15', '2010-01-10', '2010-06-01', [{ role: 'STUDENT', hasParentalAuthority: false }]],
    // 15 by the recorded date, consenting with a parent; in truth 16: the student consents alone.
    ['a 15-year-old who is in truth 16', '2010-06-01', '2010-01-10', [{ role: 'STUDENT', hasParentalAuthority: false }, { role: 'PARENT', hasParentalAuthority: true }]],
  ] as const)('%s: the consent still holds but needs re-confirmation from the next request on', async (_what, recorded, corrected, grantors) => {
    const { s } = await family(recorded);
    const consent = await createConsent(app.dataSource, s, world.users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM);
    await app.dataSource.getRepository(Consent).update({ id: consent.id }, { grantors: grantors.map((g) => ({ ...g, name: 'Grantor' })) as never });
    const query = 'query($id: ID!) { consent(id: $id) { valid status needsReconfirmation } }';
    const stateNow = async () => (await app.gql(world.users.privacy.email, query, { id: consent.id })).body.data;
    expect(await stateNow()).toEqual({ consent: { valid: true, status: 'VALID', needsReconfirmation: false } });
    const requestId = await request(s.id, 'RECTIFICATION');
    await (await officer()).CarryOutRectification({ input: { requestId, birthDate: corrected } });
    expect(await stateNow()).toEqual({ consent: { valid: true, status: 'NEEDS_RECONFIRMATION', needsReconfirmation: true } });
    // The consent record itself is not touched.
    expect(await app.dataSource.getRepository(Consent).findOneByOrFail({ id: consent.id })).toMatchObject({ withdrawnAt: null, validUntil: null, studentAgeAtGrant: 14 });
  });
});

describe('carryOutErasure', () => {
  async function dossier(phase = Phase.COMPLETED) {
    const school = await createSchool(app.dataSource, world.windstreken.A);
    const student = await createStudent(app.dataSource, school);
    const ended = await createTrajectory(app.dataSource, student, school, world.users.schoolA1, { team: world.teams.TA, phase });
    const consultation = await createConsultation(app.dataSource, school, world.users.schoolA1, student);
    await createConsent(app.dataSource, student, world.users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM);
    return { school, student, ended, consultation };
  }
  const count = async (entity: Function, where: Record<string, unknown>) => app.dataSource.getRepository(entity as never).countBy(where as never);

  test('a dry run lists what would be erased and kept and writes nothing', async () => {
    const { student, ended, consultation } = await dossier();
    const requestId = await request(student.id, 'ERASURE');
    const before = { request: await stored(requestId), student: await studentRow(student.id), goals: await count(Goal, { trajectoryId: ended.id }) };
    const { carryOutErasure: r } = await (await officer()).CarryOutErasure({ input: { requestId, dryRun: true } });
    expect(r.dryRun).toBe(true);
    expect(r.erased.map((e) => [e.kind, e.recordId])).toEqual([
      ['PSEUDONYMISE_TRAJECTORY', ended.id], ['ANONYMISE_CONSULTATION', consultation.id], ['PSEUDONYMISE_STUDENT', student.id],
    ]);
    expect(r.request).toMatchObject({ status: 'IDENTITY_VERIFIED', resolution: null, completedAt: null });
    expect(await stored(requestId)).toEqual(before.request);
    expect(await studentRow(student.id)).toEqual(before.student);
    expect(await count(Goal, { trajectoryId: ended.id })).toBe(before.goals);
    expect(before.goals).toBe(1);
  });

  test('erases the ended dossier and the identity, keeps consents, the log and the requests with their reasons, completes and logs', async () => {
    const { student, ended, consultation } = await dossier();
    const requestId = await request(student.id, 'ERASURE');
    const { carryOutErasure: r } = await (await officer()).CarryOutErasure({ input: { requestId, dryRun: false } });
    expect(r.dryRun).toBe(false);
    expect(r.erased.map((e) => e.kind)).toEqual(['PSEUDONYMISE_TRAJECTORY', 'ANONYMISE_CONSULTATION', 'PSEUDONYMISE_STUDENT']);
    expect(r.erased[0].erased).toEqual(expect.arrayContaining([{ type: 'Goal', count: 1 }, { type: 'Note', count: 1 }]));
    expect(r.erased[2].erased).toEqual([{ type: 'Guardian', count: 1 }]);
    expect(r.kept).toEqual([
      { type: 'Consent', recordId: null, count: 1, reason: KEPT_REASONS.consent },
      { type: 'AccessLogEntry', recordId: null, count: expect.any(Number), reason: KEPT_REASONS.accessLog },
      { type: 'DataSubjectRequest', recordId: null, count: 1, reason: KEPT_REASONS.requests },
    ]);
    expect(r.request).toMatchObject({ status: 'COMPLETED' });
    expect(r.request.resolution).toContain(`PSEUDONYMISE_STUDENT ${student.id}`);

    const after = await studentRow(student.id);
    expect(after).toMatchObject({ givenName: after.pseudonym, familyName: after.pseudonym, studentNumber: after.pseudonym, birthDate: '2011-01-01' });
    expect(after.retentionAppliedAt).not.toBeNull();
    expect(await count(Guardian, { studentId: student.id })).toBe(0);
    expect(await count(Goal, { trajectoryId: ended.id })).toBe(0);
    expect(await count(Note, { trajectoryId: ended.id })).toBe(0);
    expect((await app.dataSource.getRepository(Trajectory).findOneByOrFail({ id: ended.id })).problemAreas).toEqual([]);
    expect(await app.dataSource.getRepository(Consultation).findOneByOrFail({ id: consultation.id })).toMatchObject({ studentId: null, caseDescription: '[verwijderd na bewaartermijn]' });
    expect(await count(Consent, { studentId: student.id })).toBe(1);
    const events = await app.dataSource.getRepository(TrajectoryEvent).findBy({ trajectoryId: ended.id, act: 'applyErasure' });
    expect(events.map((e) => [e.actorUserId, e.reason])).toEqual([[world.users.privacy.id, `Erasure on data-subject request ${requestId}: case records erased, trajectory pseudonymised.`]]);
    const logged: Array<{ object_type: string; object_id: string; objects: null }> = await app.dataSource.query(
      `SELECT object_type, object_id, objects FROM access_log_entry WHERE student_id = $1 AND action = 'CHANGE' AND user_id = $2 AND 'Guardian' = ANY(fields) OR (student_id = $1 AND object_type IN ('Trajectory', 'Consultation') AND action = 'CHANGE')
        ORDER BY object_type`, [student.id, world.users.privacy.id],
    );
    // One entry per erased dossier, as a retention run writes them: not folded into one about the student.
    expect(logged).toEqual([
      { object_type: 'Consultation', object_id: consultation.id, objects: null },
      { object_type: 'Student', object_id: student.id, objects: null },
      { object_type: 'Trajectory', object_id: ended.id, objects: null },
    ]);
  });

  test('running care and a legal hold are kept with their reason, and with them the identity', async () => {
    const { school, student, ended } = await dossier();
    const running = await createTrajectory(app.dataSource, student, school, world.users.schoolA1, { team: world.teams.TA, phase: Phase.INTENSIVE });
    const held = await createTrajectory(app.dataSource, student, school, world.users.schoolA1, { team: world.teams.TA, phase: Phase.CLOSED });
    await app.dataSource.getRepository(Trajectory).update({ id: held.id }, { legalHold: true, legalHoldReason: 'klachtprocedure' });
    const requestId = await request(student.id, 'ERASURE');
    const { carryOutErasure: r } = await (await officer()).CarryOutErasure({ input: { requestId, dryRun: false } });
    expect(r.erased.map((e) => [e.kind, e.recordId])).toEqual([['PSEUDONYMISE_TRAJECTORY', ended.id], ['ANONYMISE_CONSULTATION', expect.any(String)]]);
    expect(r.kept.slice(0, 3)).toEqual([
      { type: 'Trajectory', recordId: running.id, count: 1, reason: KEPT_REASONS.running },
      { type: 'Trajectory', recordId: held.id, count: 1, reason: 'On legal hold: klachtprocedure.' },
      { type: 'Student', recordId: student.id, count: 1, reason: KEPT_REASONS.identityStillNeeded },
    ]);
    expect(await studentRow(student.id)).toMatchObject({ givenName: student.givenName, retentionAppliedAt: null });
    expect(await count(Goal, { trajectoryId: running.id })).toBe(1);
    expect(await count(Goal, { trajectoryId: held.id })).toBe(1);
    expect(await count(Goal, { trajectoryId: ended.id })).toBe(0);
  });

  test('before the identity is verified, or for a RECTIFICATION request: INVALID_TRANSITION and nothing erased', async () => {
    const { student, ended } = await dossier();
    for (const requestId of [await request(student.id, 'ERASURE', false), await request(student.id, 'RECTIFICATION')]) {
      const before = await stored(requestId);
      expect((await errorOf((await officer()).CarryOutErasure({ input: { requestId, dryRun: false } }))).code).toBe('INVALID_TRANSITION');
      expect(await stored(requestId)).toEqual(before);
    }
    expect(await count(Goal, { trajectoryId: ended.id })).toBe(1);
    expect((await studentRow(student.id)).givenName).toBe(student.givenName);
  });

  test('a fault midway (the student cannot be written) rolls back the whole erasure: no partial write', async () => {
    const { student, ended, consultation } = await dossier();
    const requestId = await request(student.id, 'ERASURE');
    const fn = `test_fail_student_${student.id.replace(/-/g, '')}`;
    await app.dataSource.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = '${student.id}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
    await app.dataSource.query(`CREATE TRIGGER ${fn} BEFORE UPDATE ON student FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      const answer = await app.gql(world.users.privacy.email, 'mutation($input: CarryOutErasureInput!) { carryOutErasure(input: $input) { dryRun } }', { input: { requestId, dryRun: false } });
      expect(answer.body.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await app.dataSource.query(`DROP TRIGGER ${fn} ON student`);
      await app.dataSource.query(`DROP FUNCTION ${fn}()`);
    }
    expect(await count(Goal, { trajectoryId: ended.id })).toBe(1);
    expect(await count(Guardian, { studentId: student.id })).toBe(1);
    expect((await app.dataSource.getRepository(Consultation).findOneByOrFail({ id: consultation.id })).studentId).toBe(student.id);
    expect(await app.dataSource.getRepository(TrajectoryEvent).countBy({ trajectoryId: ended.id, act: 'applyErasure' })).toBe(0);
    expect(await stored(requestId)).toMatchObject({ status: 'IDENTITY_VERIFIED', resolution: null });
  });
});
