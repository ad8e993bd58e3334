/**
 * The privacy officer's consent tools, against oracles written here:
 * - the consents query's date filters (given, withdrawn, ending): calendar days in Amsterdam,
 *   both ends inclusive; instants just before and after midnight in Amsterdam; a range that ends
 *   before it starts is BAD_USER_INPUT;
 * - the missing-consent list includes registrations under review and filters by school and windstreek;
 * - `consentReconfirmations`: students turning 12 or 16 today, in N days (listed) and in N + 1 days
 *   (not), consents that end before the birthday or already match the rule (not listed), and
 *   29 February birthdays (1 March in a year without one, as `ageOn` counts);
 * - only the privacy officer (FORBIDDEN for every other role), and the students shown are logged.
 */
import { Consent, Student } from '../../../src/app/entities';
import { addDays, ageOn, amsterdamDate } from '../../../src/domain/clock';
import { ConsentPurpose, GrantorRole, LegalBasis, Phase } from '../../../src/domain/enums';
import { birthdayAt } from '../../../src/modules/consents/consent-validity';
import { birthdayAtSql } from '../../../src/modules/consents/consent.service';
import { createSchool, createStudent, createTrajectory, createWindstreek } from '../../factories';
import { createWorld, World } from '../../factories/world';
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

const officer = () => app.sdk(world.users.privacy.email);

type Grantors = Consent['grantors'];
const PARENT: Grantors = [{ role: GrantorRole.PARENT, name: 'Ouder', hasParentalAuthority: true }];
const STUDENT_AND_PARENT: Grantors = [{ role: GrantorRole.STUDENT, name: 'Leerling', hasParentalAuthority: false }, ...PARENT];
const STUDENT_ALONE: Grantors = [{ role: GrantorRole.STUDENT, name: 'Leerling', hasParentalAuthority: false }];

async function consent(student: Student, fields: Partial<Consent> = {}): Promise<Consent> {
  const repo = app.dataSource.getRepository(Consent);
  return repo.save(repo.create({
    partnershipId: student.partnershipId, studentId: student.id, purpose: ConsentPurpose.CARE_BY_TOPTEAM, legalBasis: LegalBasis.CONSENT,
    grantors: STUDENT_AND_PARENT, studentAgeAtGrant: 14, recipients: ['Topteam'], dataCategories: ['identity'],
    givenAt: new Date('2026-01-05T09:00:00Z'), validUntil: null, withdrawnAt: null, withdrawnByUserId: null,
    evidenceReference: null, recordedByUserId: world.users.schoolA1.id, ...fields,
  }));
}

describe('consents: date filters (Amsterdam days, both ends inclusive)', () => {
  let rows: Consent[];
  let schoolId: string;

  beforeAll(async () => {
    const school = await createSchool(app.dataSource, world.windstreken.A);
    schoolId = school.id;
    const withdrawnBy = { withdrawnByUserId: world.users.privacy.id };
    // Instants around midnight in Amsterdam (CET, UTC+1 in winter; CEST, UTC+2 from 29 March).
    const specs: Array<Partial<Consent>> = [
      { givenAt: new Date('2026-02-28T22:59:59Z') }, // 28 Feb 23:59:59 Amsterdam
      { givenAt: new Date('2026-02-28T23:00:00Z') }, // 1 Mar 00:00 Amsterdam
      { givenAt: new Date('2026-03-01T12:00:00Z'), validUntil: '2026-03-31' },
      { givenAt: new Date('2026-03-10T22:59:59Z'), validUntil: '2026-04-01' }, // 10 Mar Amsterdam
      { givenAt: new Date('2026-03-10T23:00:00Z'), validUntil: '2026-03-30' }, // 11 Mar Amsterdam
      { givenAt: new Date('2026-01-10T09:00:00Z'), withdrawnAt: new Date('2026-03-05T22:59:59Z'), ...withdrawnBy }, // withdrawn 5 Mar Amsterdam
      { givenAt: new Date('2026-01-10T09:00:00Z'), withdrawnAt: new Date('2026-03-05T23:00:00Z'), ...withdrawnBy }, // withdrawn 6 Mar Amsterdam
      { givenAt: new Date('2026-01-11T09:00:00Z'), withdrawnAt: new Date('2026-03-12T10:00:00Z'), validUntil: '2026-03-31', ...withdrawnBy },
    ];
    rows = [];
    for (const spec of specs) rows.push(await consent(await createStudent(app.dataSource, school), spec));
  });

  type Range = { givenFrom?: string; givenUntil?: string; withdrawnFrom?: string; withdrawnUntil?: string; endingFrom?: string; endingUntil?: string };
  /** The oracle: by the Amsterdam day of each instant, inclusive; NULL dates never match. */
  function expected(range: Range): string[] {
    const within = (day: string | null, from?: string, until?: string) => (from === undefined && until === undefined) || (day !== null && (!from || day >= from) && (!until || day <= until));
    return rows
      .filter((c) => within(amsterdamDate(c.givenAt), range.givenFrom, range.givenUntil))
      .filter((c) => within(c.withdrawnAt ? amsterdamDate(c.withdrawnAt) : null, range.withdrawnFrom, range.withdrawnUntil))
      .filter((c) => within(c.validUntil, range.endingFrom, range.endingUntil))
      .map((c) => c.id)
      .sort();
  }

  const RANGES: Range[] = [
    { givenFrom: '2026-03-01' },
    { givenUntil: '2026-02-28' },
    { givenFrom: '2026-02-28', givenUntil: '2026-02-28' },
    { givenFrom: '2026-03-01', givenUntil: '2026-03-01' },
    { givenFrom: '2026-03-10', givenUntil: '2026-03-10' },
    { givenFrom: '2026-03-11' },
    { withdrawnFrom: '2026-03-05', withdrawnUntil: '2026-03-05' },
    { withdrawnFrom: '2026-03-06' },
    { withdrawnUntil: '2026-03-06' },
    { endingFrom: '2026-03-31' },
    { endingUntil: '2026-03-31' },
    { endingFrom: '2026-03-30', endingUntil: '2026-03-31' },
    { givenFrom: '2026-01-01', withdrawnFrom: '2026-03-12', endingUntil: '2026-03-31' },
  ];

  test.each(RANGES)('%o matches the oracle exactly', async (range) => {
    const answer = await (await officer()).ConsentsByDates({ first: 100, filter: { schoolId, ...range } });
    const ids = answer.consents.edges.map((e) => e.node.id).sort();
    expect(ids).toEqual(expected(range));
    expect(answer.consents.totalCount).toBe(ids.length);
  });

  test('the boundaries are what the oracle says: the midnight instants fall on their Amsterdam day', async () => {
    // Positive controls, so the oracle is not trivially empty: one each side of midnight.
    expect(expected({ givenFrom: '2026-02-28', givenUntil: '2026-02-28' })).toEqual([rows[0].id]);
    expect(expected({ givenFrom: '2026-03-11', givenUntil: '2026-03-11' })).toEqual([rows[4].id]);
    expect(expected({ withdrawnFrom: '2026-03-05', withdrawnUntil: '2026-03-05' })).toEqual([rows[5].id]);
    expect(expected({ endingFrom: '2026-03-31', endingUntil: '2026-03-31' }).sort()).toEqual([rows[2].id, rows[7].id].sort());
  });

  test('a range that ends before it starts is BAD_USER_INPUT naming the until field', async () => {
    const error = await errorOf((await officer()).ConsentsByDates({ filter: { givenFrom: '2026-03-02', givenUntil: '2026-03-01' } }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.givenUntil' });
    expect(await errorOf((await officer()).ConsentsByDates({ filter: { endingFrom: '2026-03-02', endingUntil: '2026-03-01' } }))).toMatchObject({ field: 'filter.endingUntil' });
  });

  test('a school coordinator filters the own school\'s consents by date too (the dates are theirs to read)', async () => {
    const answer = await (await app.sdk(world.users.schoolA1.email)).ConsentsByDates({ first: 100, filter: { givenFrom: '2026-01-05', givenUntil: '2026-01-05' } });
    expect(answer.consents.totalCount).toBeGreaterThan(0);
    for (const edge of answer.consents.edges) expect(amsterdamDate(new Date(edge.node.givenAt))).toBe('2026-01-05');
  });
});

describe('missing consent: registrations under review, by school and windstreek', () => {
  test('under review (REQUESTED, IN_REVIEW, INFO_REQUESTED) and running trajectories without valid consent are listed; finished ones and covered ones are not', async () => {
    const W = await createWindstreek(app.dataSource, world.partnership);
    const S1 = await createSchool(app.dataSource, W);
    const S2 = await createSchool(app.dataSource, W);
    const by = world.users.schoolA1;
    const cases: Array<{ school: typeof S1; phase: Phase; consent: 'none' | 'valid' | 'withdrawn' | 'expired' }> = [
      { school: S1, phase: Phase.REQUESTED, consent: 'none' },
      { school: S1, phase: Phase.IN_REVIEW, consent: 'withdrawn' },
      { school: S1, phase: Phase.INFO_REQUESTED, consent: 'expired' },
      { school: S1, phase: Phase.IN_REVIEW, consent: 'valid' },
      { school: S2, phase: Phase.ACCEPTED, consent: 'none' },
      { school: S2, phase: Phase.CONSOLIDATION, consent: 'valid' },
      { school: S2, phase: Phase.REFUSED, consent: 'none' },
      { school: S2, phase: Phase.COMPLETED, consent: 'none' },
    ];
    const made: Array<{ studentId: string; schoolId: string; trajectoryId: string; lacking: boolean }> = [];
    for (const c of cases) {
      const student = await createStudent(app.dataSource, c.school);
      const trajectory = await createTrajectory(app.dataSource, student, c.school, by, { phase: c.phase });
      if (c.consent === 'valid') await consent(student);
      if (c.consent === 'withdrawn') await consent(student, { withdrawnAt: new Date('2026-03-01T09:00:00Z'), withdrawnByUserId: by.id });
      if (c.consent === 'expired') await consent(student, { validUntil: '2026-03-15' });
      // The oracle: needs consent in the phase, and none holds today (16 March).
      const needs = [Phase.REQUESTED, Phase.IN_REVIEW, Phase.INFO_REQUESTED, Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION].includes(c.phase);
      made.push({ studentId: student.id, schoolId: c.school.id, trajectoryId: trajectory.id, lacking: needs && c.consent !== 'valid' });
    }
    const list = async (filter: Record<string, string>) => {
      const answer = (await (await officer()).LackingConsentFiltered({ first: 100, purpose: 'CARE_BY_TOPTEAM', filter })).trajectoriesLackingConsent;
      expect(answer.totalCount).toBe(answer.edges.length);
      return answer.edges.map((e) => ({ studentId: e.node.student!.id, trajectoryIds: e.node.trajectoryIds })).sort((a, b) => a.studentId.localeCompare(b.studentId));
    };
    const oracle = (keep: (m: (typeof made)[number]) => boolean) =>
      made.filter((m) => m.lacking && keep(m)).map((m) => ({ studentId: m.studentId, trajectoryIds: [m.trajectoryId] })).sort((a, b) => a.studentId.localeCompare(b.studentId));

    expect(await list({ windstreekId: W.id })).toEqual(oracle(() => true));
    expect(oracle(() => true)).toHaveLength(4);
    expect(await list({ schoolId: S1.id })).toEqual(oracle((m) => m.schoolId === S1.id));
    expect(await list({ schoolId: S2.id })).toEqual(oracle((m) => m.schoolId === S2.id));
    expect(await list({ schoolId: S2.id, windstreekId: world.windstreken.A.id })).toEqual([]);
  });
});

describe('consentReconfirmations', () => {
  const reconfirmations = async (filter: Record<string, unknown>) =>
    (await (await officer()).ConsentReconfirmations({ filter })).consentReconfirmations;

  test('turning 12 today and in N days are listed, in N + 1 days not; ending before the birthday, withdrawn, passed or already matching are not', async () => {
    const school = await createSchool(app.dataSource, world.windstreken.B);
    const student = (birthDate: string) => createStudent(app.dataSource, school, { birthDate });
    const today = await student('2014-03-16'); // 12 today
    await consent(today, { grantors: PARENT, studentAgeAtGrant: 11 });
    const inTen = await student('2014-03-26'); // 12 on today + 10
    const c10 = await consent(inTen, { grantors: PARENT, studentAgeAtGrant: 11, purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP });
    const inEleven = await student('2014-03-27'); // 12 on today + 11
    await consent(inEleven, { grantors: PARENT, studentAgeAtGrant: 11 });
    const sixteen = await student('2010-03-20'); // 16 on today + 4; student and parent consented
    const c16 = await consent(sixteen, { grantors: STUDENT_AND_PARENT, studentAgeAtGrant: 15 });
    await consent(sixteen, { grantors: STUDENT_ALONE, studentAgeAtGrant: 15, purpose: ConsentPurpose.SHARE_WITH_PARTNERSHIP }); // matches at 16: not listed
    const endsBefore = await student('2014-03-20');
    await consent(endsBefore, { grantors: PARENT, studentAgeAtGrant: 11, validUntil: '2026-03-19' });
    const withdrawn = await student('2014-03-21');
    await consent(withdrawn, { grantors: PARENT, studentAgeAtGrant: 11, withdrawnAt: new Date('2026-03-01T09:00:00Z'), withdrawnByUserId: world.users.schoolA1.id });
    const passed = await student('2014-03-15'); // turned 12 yesterday: already NEEDS_RECONFIRMATION, not "coming"
    await consent(passed, { grantors: PARENT, studentAgeAtGrant: 11 });
    await student('2014-03-18'); // no consent at all

    const within10 = await reconfirmations({ within: 10, schoolId: school.id });
    expect(within10.map((r) => ({ id: r.student!.id, ageReached: r.ageReached, turnsOn: r.turnsOn, birthDate: r.birthDate, consents: r.consents.map((c) => c.id) }))).toEqual([
      { id: today.id, ageReached: 12, turnsOn: '2026-03-16', birthDate: '2014-03-16', consents: [expect.any(String)] },
      { id: sixteen.id, ageReached: 16, turnsOn: '2026-03-20', birthDate: '2010-03-20', consents: [c16.id] },
      { id: inTen.id, ageReached: 12, turnsOn: '2026-03-26', birthDate: '2014-03-26', consents: [c10.id] },
    ]);
    // Today's birthday: its consent already needs re-confirmation; the coming ones still hold as VALID.
    expect(within10[0].consents[0].status).toBe('NEEDS_RECONFIRMATION');
    expect(within10[2].consents[0].status).toBe('VALID');
    expect((await reconfirmations({ within: 11, schoolId: school.id })).map((r) => r.student!.id)).toContain(inEleven.id);
    expect((await reconfirmations({ within: 0, schoolId: school.id })).map((r) => r.student!.id)).toEqual([today.id]);
    // The windstreek filter: B holds the school, A does not.
    expect((await reconfirmations({ within: 10, windstreekId: world.windstreken.B.id, schoolId: school.id })).length).toBe(3);
    expect(await reconfirmations({ within: 10, windstreekId: world.windstreken.A.id, schoolId: school.id })).toEqual([]);
  });

  test('29 February: turns 16 on 29 February in a leap year, and 12 on 1 March in a year without one', async () => {
    const school = await createSchool(app.dataSource, world.windstreken.B);
    const leap = await createStudent(app.dataSource, school, { birthDate: '2012-02-29' });
    await consent(leap, { grantors: STUDENT_AND_PARENT, studentAgeAtGrant: 13 });
    app.clock.set(new Date('2028-02-20T11:00:00Z'));
    expect(await reconfirmations({ within: 8, schoolId: school.id })).toEqual([]);
    expect((await reconfirmations({ within: 9, schoolId: school.id })).map((r) => [r.ageReached, r.turnsOn])).toEqual([[16, '2028-02-29']]);

    const noLeap = await createStudent(app.dataSource, school, { birthDate: '2088-02-29' });
    await consent(noLeap, { grantors: PARENT, studentAgeAtGrant: 8 });
    app.clock.set(new Date('2100-02-20T11:00:00Z'));
    expect((await reconfirmations({ within: 8, schoolId: school.id })).map((r) => r.student!.id)).toEqual([]);
    expect((await reconfirmations({ within: 9, schoolId: school.id })).map((r) => [r.student!.id, r.ageReached, r.turnsOn])).toEqual([[noLeap.id, 12, '2100-03-01']]);
  });

  test('birthdayAt and its SQL twin agree with ageOn on every day of four years, 29 February included', async () => {
    const dates: string[] = [];
    for (let d = '2011-01-01'; d <= '2014-12-31'; d = addDays(d, 1)) dates.push(d);
    dates.push('2088-02-29', '2088-03-01', '2088-02-28');
    for (const birth of dates) {
      for (const age of [12, 16]) {
        const day = birthdayAt(birth, age);
        expect([ageOn(birth, day), ageOn(birth, addDays(day, -1))]).toEqual([age, age - 1]);
      }
    }
    const rows: Array<{ b: string; d12: string; d16: string }> = await app.dataSource.query(
      `SELECT s.birth_date::text AS b, ${birthdayAtSql('s', 12)}::text AS d12, ${birthdayAtSql('s', 16)}::text AS d16 FROM unnest($1::date[]) AS s(birth_date)`,
      [dates],
    );
    for (const row of rows) expect([row.d12, row.d16]).toEqual([birthdayAt(row.b, 12), birthdayAt(row.b, 16)]);
    expect(rows).toHaveLength(dates.length);
  });

  test('within outside 0..366 is refused (BAD_USER_INPUT)', async () => {
    expect(await errorOf((await officer()).ConsentReconfirmations({ filter: { within: 367 } }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await errorOf((await officer()).ConsentReconfirmations({ filter: { within: -1 } }))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  test('the students shown are logged as a search by the privacy officer', async () => {
    const school = await createSchool(app.dataSource, world.windstreken.A);
    const s = await createStudent(app.dataSource, school, { birthDate: '2014-03-20' });
    const given = await consent(s, { grantors: PARENT, studentAgeAtGrant: 11 });
    expect((await reconfirmations({ within: 5, schoolId: school.id })).map((r) => r.student!.id)).toEqual([s.id]);
    const entries: Array<{ action: string; object_type: string; user_id: string; role: string }> = await app.dataSource.query(
      `SELECT action, object_type, object_id, objects, fields, user_id, role::text AS role FROM access_log_entry WHERE student_id = $1 ORDER BY sequence`, [s.id],
    );
    // One entry for the student, covering the student and the consent shown, with the fields each showed.
    expect(entries).toEqual([{
      action: 'SEARCH', object_type: 'Student', object_id: s.id, objects: [`Consent:${given.id}`, `Student:${s.id}`],
      fields: ['Consent.id', 'Consent.purpose', 'Consent.status', 'Student.birthDate', 'Student.givenName', 'Student.id'],
      user_id: world.users.privacy.id, role: 'PRIVACY_OFFICER',
    }]);
  });
});

describe('only the privacy officer', () => {
  const others = ['admin', 'coordinator', 'analyst', 'advisorA', 'scientistA', 'teacherB', 'schoolA1', 'mentorA1'] as const;

  test.each(others)('%s: consentReconfirmations and the missing-consent list are FORBIDDEN', async (who) => {
    const sdk = await app.sdk(world.users[who].email);
    expect((await errorOf(sdk.ConsentReconfirmations({ filter: { within: 30 } }))).code).toBe('FORBIDDEN');
    expect((await errorOf(sdk.LackingConsentFiltered({ filter: { schoolId: world.schools.A1.id } }))).code).toBe('FORBIDDEN');
  });

  test('the privacy officer gets an answer (positive control)', async () => {
    const sdk = await officer();
    await expect(sdk.ConsentReconfirmations({ filter: { within: 30 } })).resolves.toBeDefined();
    await expect(sdk.LackingConsentFiltered({ filter: { schoolId: world.schools.A1.id } })).resolves.toBeDefined();
  });

  test('an unknown id in a filter is BAD_USER_INPUT, not a leak', async () => {
    expect((await errorOf((await officer()).LackingConsentFiltered({ filter: { schoolId: 'nope' } }))).code).toBe('BAD_USER_INPUT');
  });
});
