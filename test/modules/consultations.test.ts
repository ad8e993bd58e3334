/**
 * Steps 1 and 2 of the handbook through HTTP with the typed SDK: the school coordinator asks
 * the gedragswetenschapper for preventive advice (requestAdvice, recordAdvice) and organises
 * a collegiaal vooroverleg (requestPreConsultation, recordPreConsultationOutcome); a
 * pre-consultation that advised a Toptraject then carries a registration (submitRegistration).
 *
 * Who: the coordinator of the school asks; the gedragswetenschapper of the windstreek's
 * Topteam answers advice; the onderwijsadviseur of the windstreek or that gedragswetenschapper
 * records the outcome of a pre-consultation. Everyone else gets FORBIDDEN (may see it) or
 * NOT_FOUND (may not), and nothing is written. The database is used for setup and to check
 * the rows written.
 */
import { ClientError } from 'graphql-request';
import { ConsentPurpose, Role, TeamFunction } from '../../src/domain/enums';
import { User } from '../../src/app/entities';
import { createConsent, createStudent, createUser, unique } from '../factories';
import { createWorld, World } from '../factories/world';
import type { RequestPreConsultationInput } from '../generated/sdk';
import { startTestApp, TEST_NOW, TestApp } from '../setup/app';
import { errorOf } from '../setup/errors';

let app: TestApp;
let world: World;
/** Users beyond createWorld's: a teacher of team A, the gedragswetenschapper of team B, a coordinator of A1 and A2. */
let extra: { teacherA: User; scientistB: User; schoolA1A2: User };
/** Every user but the ones allowed to act, keyed by name (createWorld's plus `extra`). */
let everyone: Record<string, User>;

beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
  const ds = app.dataSource;
  const { A1, A2 } = world.schools;
  extra = {
    teacherA: await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]),
    scientistB: await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TB, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]),
    schoolA1A2: await createUser(ds, world.partnership, [[Role.SCHOOL_COORDINATOR, { school: A1 }], [Role.SCHOOL_COORDINATOR, { school: A2 }]]),
  };
  everyone = { ...world.users, teacherA: extra.teacherA, scientistB: extra.scientistB };
});
afterAll(() => app.stop());

/** The users of `everyone` other than `allowed`. */
function othersThan(...allowed: string[]): Array<[string, User]> {
  return Object.entries(everyone).filter(([name]) => !allowed.includes(name));
}

async function sdkOf(user: User) {
  return app.sdk(user.subject);
}

/** Consultations of this test's partnership (all tests share one database). */
async function consultationCount(): Promise<number> {
  const [row] = await app.dataSource.query('SELECT count(*)::int AS n FROM consultation WHERE partnership_id = $1', [world.partnership.id]);
  return row.n;
}

async function consultationRow(id: string) {
  const [row] = await app.dataSource.query(
    `SELECT partnership_id, kind, school_id, windstreek_id, student_id, case_description, requested_by_user_id,
            development_plan_reference, development_plan_date::text AS development_plan_date, how_is_the_student_doing,
            help_given_and_result, other_agencies_involved, motivation, agreements_now,
            advice, outcome, recorded_at, recorded_by_user_id
       FROM consultation WHERE id = $1`,
    [id],
  );
  return row;
}

/** The outcome columns of a consultation: what a refused record must leave untouched. */
async function outcomeColumns(id: string) {
  const { advice, outcome, recorded_at, recorded_by_user_id } = await consultationRow(id);
  return { advice, outcome, recorded_at, recorded_by_user_id };
}

const NOTHING_RECORDED = { advice: null, outcome: null, recorded_at: null, recorded_by_user_id: null };

function preConsultationInput(overrides: Partial<RequestPreConsultationInput> = {}): RequestPreConsultationInput {
  return {
    caseDescription: unique('Leerling verzuimt veel en haakt af in de les. '),
    developmentPlanReference: 'OPP-2026-017',
    developmentPlanDate: '2026-02-20',
    howIsTheStudentDoing: 'Slaapt slecht, komt te laat, cijfers dalen.',
    helpGivenAndResult: 'Mentorgesprekken en een rooster op maat; verzuim bleef gelijk.',
    otherAgenciesInvolved: 'Leerplicht en het wijkteam.',
    motivation: 'Mentor, docenten en ouders willen; de leerling twijfelt maar doet mee.',
    agreementsNow: 'Dagelijkse check-in bij de zorgcoördinator.',
    ...overrides,
  };
}

/** An advice request of school A1 (anonymous), made through the API by its coordinator. */
async function adviceRequest(): Promise<string> {
  const sdk = await sdkOf(world.users.schoolA1);
  return (await sdk.RequestAdvice({ input: { caseDescription: unique('Anonieme casus ') } })).requestAdvice.id;
}

/** A pre-consultation of school A1, made through the API by its coordinator. */
async function preConsultation(studentId?: string): Promise<string> {
  const sdk = await sdkOf(world.users.schoolA1);
  return (await sdk.RequestPreConsultation({ input: preConsultationInput({ studentId }) })).requestPreConsultation.id;
}

/**
 * What asking on behalf of school A1 answers for everyone but its coordinator: NOT_FOUND for
 * whoever cannot see the school, FORBIDDEN for whoever can but does not coordinate it.
 */
const REQUEST_REFUSALS = {
  admin: 'FORBIDDEN', privacy: 'FORBIDDEN', coordinator: 'FORBIDDEN', analyst: 'FORBIDDEN',
  advisorA: 'FORBIDDEN', scientistA: 'FORBIDDEN', teacherB: 'FORBIDDEN', teacherA: 'FORBIDDEN', scientistB: 'FORBIDDEN',
  schoolB1: 'NOT_FOUND', mentorA1: 'NOT_FOUND', nobody: 'NOT_FOUND',
};

describe('requestAdvice (step 1, preventief advies)', () => {
  test('as SCHOOL_COORDINATOR of A1, asks advice about a named student: an ADVICE consultation of A1 in windstreek A, nothing recorded yet', async () => {
    const before = await consultationCount();
    const sdk = await sdkOf(world.users.schoolA1);
    const caseDescription = unique('Leerling trekt zich terug ');
    const { requestAdvice: c } = await sdk.RequestAdvice({ input: { studentId: world.students.a1Plain.id, caseDescription: `  ${caseDescription}  ` } });

    expect(c).toMatchObject({
      kind: 'ADVICE', caseDescription, outcome: null, advice: null, recordedAt: null, developmentPlanReference: null,
      school: { id: world.schools.A1.id }, windstreek: { id: world.windstreken.A.id }, student: { id: world.students.a1Plain.id },
    });
    expect(await consultationCount()).toBe(before + 1);
    expect(await consultationRow(c.id)).toMatchObject({
      partnership_id: world.partnership.id, kind: 'ADVICE', school_id: world.schools.A1.id, windstreek_id: world.windstreken.A.id,
      student_id: world.students.a1Plain.id, case_description: caseDescription, requested_by_user_id: world.users.schoolA1.id,
      development_plan_reference: null, how_is_the_student_doing: null, ...NOTHING_RECORDED,
    });
  });

  test('as SCHOOL_COORDINATOR of A1, asks advice anonymously (no student): the consultation has no student, only the case description', async () => {
    const sdk = await sdkOf(world.users.schoolA1);
    const caseDescription = unique('Anonieme casus: leerling van 14, veel verzuim ');
    const { requestAdvice: c } = await sdk.RequestAdvice({ input: { caseDescription } });
    expect(c).toMatchObject({ kind: 'ADVICE', caseDescription, student: null, school: { id: world.schools.A1.id } });
    expect(await consultationRow(c.id)).toMatchObject({ student_id: null, case_description: caseDescription, school_id: world.schools.A1.id });
  });

  test('as the gedragswetenschapper of team A, the new advice request is visible (it reaches the advisor of the windstreek); the coordinator of B1 does not see it', async () => {
    const id = await adviceRequest();
    expect((await (await sdkOf(world.users.scientistA)).ConsultationById({ id })).consultation?.id).toBe(id);
    expect((await (await sdkOf(world.users.advisorA)).ConsultationById({ id })).consultation?.id).toBe(id);
    expect((await (await sdkOf(world.users.schoolB1)).ConsultationById({ id })).consultation).toBeNull();
  });

  test('as SCHOOL_COORDINATOR of A1 and A2, without schoolId is BAD_USER_INPUT naming input.schoolId; with schoolId A2 the consultation belongs to A2', async () => {
    const sdk = await sdkOf(extra.schoolA1A2);
    const before = await consultationCount();
    expect(await errorOf(sdk.RequestAdvice({ input: { caseDescription: 'Casus' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.schoolId' });
    expect(await consultationCount()).toBe(before);

    const { requestAdvice: c } = await sdk.RequestAdvice({ input: { schoolId: world.schools.A2.id, studentId: world.students.a2Req.id, caseDescription: 'Casus' } });
    expect(await consultationRow(c.id)).toMatchObject({ school_id: world.schools.A2.id, windstreek_id: world.windstreken.A.id, student_id: world.students.a2Req.id });
  });

  test('a student of another school is NOT_FOUND (hidden or visible), and nothing is written', async () => {
    const before = await consultationCount();
    // A student the coordinator of A1 cannot see at all.
    const hidden = await sdkOf(world.users.schoolA1);
    expect(await errorOf(hidden.RequestAdvice({ input: { studentId: world.students.b1Team.id, caseDescription: 'Casus' } }))).toMatchObject({ code: 'NOT_FOUND' });
    // A student the coordinator of A1 and A2 can see, but of the other school than the one named.
    const both = await sdkOf(extra.schoolA1A2);
    expect(await errorOf(both.RequestAdvice({ input: { schoolId: world.schools.A1.id, studentId: world.students.a2Req.id, caseDescription: 'Casus' } }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf(both.RequestPreConsultation({ input: preConsultationInput({ schoolId: world.schools.A1.id, studentId: world.students.a2Req.id }) }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await consultationCount()).toBe(before);
  });

  test('a blank case description is BAD_USER_INPUT naming input.caseDescription', async () => {
    const sdk = await sdkOf(world.users.schoolA1);
    const before = await consultationCount();
    expect(await errorOf(sdk.RequestAdvice({ input: { caseDescription: '   ' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.caseDescription' });
    expect(await consultationCount()).toBe(before);
  });

  test('as any other user, requestAdvice naming school A1 is FORBIDDEN or NOT_FOUND and writes nothing', async () => {
    const before = await consultationCount();
    const codes: Record<string, string> = {};
    for (const [name, user] of othersThan('schoolA1')) {
      const sdk = await sdkOf(user);
      codes[name] = (await errorOf(sdk.RequestAdvice({ input: { schoolId: world.schools.A1.id, caseDescription: 'Casus' } }))).code;
    }
    expect(codes).toEqual(REQUEST_REFUSALS);
    expect(await consultationCount()).toBe(before);
  });

  test('as a user who coordinates no school, requestAdvice without schoolId is FORBIDDEN and writes nothing', async () => {
    const before = await consultationCount();
    for (const [name, user] of othersThan('schoolA1', 'schoolB1')) {
      const sdk = await sdkOf(user);
      expect([name, (await errorOf(sdk.RequestAdvice({ input: { caseDescription: 'Casus' } }))).code]).toEqual([name, 'FORBIDDEN']);
    }
    expect(await consultationCount()).toBe(before);
  });
});

describe('recordAdvice (step 1, the gedragswetenschapper or the advisor answers)', () => {
  test('as the education advisor of windstreek A ("of de onderwijsadviseur"), answers an advice request of a school in A; the advisor of B may not see it', async () => {
    const id = await adviceRequest();
    const advisorB = await createUser(app.dataSource, world.partnership, [[Role.EDUCATION_ADVISOR, { windstreek: world.windstreken.B }]]);
    expect(await errorOf((await sdkOf(advisorB)).RecordAdvice({ input: { consultationId: id, advice: 'x', outcome: 'ADVICE_SUFFICIENT' } }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await outcomeColumns(id)).toEqual(NOTHING_RECORDED);
    const { recordAdvice: c } = await (await sdkOf(world.users.advisorA)).RecordAdvice({ input: { consultationId: id, advice: 'Bespreek het in een vooroverleg.', outcome: 'GO_TO_PRE_CONSULTATION' } });
    expect(c).toMatchObject({ outcome: 'GO_TO_PRE_CONSULTATION', advice: 'Bespreek het in een vooroverleg.' });
    expect(await outcomeColumns(id)).toMatchObject({ outcome: 'GO_TO_PRE_CONSULTATION', recorded_by_user_id: world.users.advisorA.id });
  });

  test('as the gedragswetenschapper of team A, records the advice and the outcome, with who and when', async () => {
    const id = await adviceRequest();
    const sdk = await sdkOf(world.users.scientistA);
    const { recordAdvice: c } = await sdk.RecordAdvice({ input: { consultationId: id, advice: ' Structuur bieden; start met een dagstart. ', outcome: 'ADVICE_SUFFICIENT' } });
    expect(c).toMatchObject({ id, kind: 'ADVICE', advice: 'Structuur bieden; start met een dagstart.', outcome: 'ADVICE_SUFFICIENT' });
    expect(new Date(c.recordedAt!).toISOString()).toBe(TEST_NOW.toISOString());
    const row = await consultationRow(id);
    expect(row).toMatchObject({ advice: 'Structuur bieden; start met een dagstart.', outcome: 'ADVICE_SUFFICIENT', recorded_by_user_id: world.users.scientistA.id });
    expect(new Date(row.recorded_at).toISOString()).toBe(TEST_NOW.toISOString());
    // The school reads the answer.
    const { consultation } = await (await sdkOf(world.users.schoolA1)).ConsultationById({ id });
    expect(consultation).toMatchObject({ advice: 'Structuur bieden; start met een dagstart.', outcome: 'ADVICE_SUFFICIENT' });
  });

  test('as the gedragswetenschapper, GO_TO_PRE_CONSULTATION is the other possible outcome', async () => {
    const id = await adviceRequest();
    const { recordAdvice: c } = await (await sdkOf(world.users.scientistA)).RecordAdvice({ input: { consultationId: id, advice: 'Bespreek in vooroverleg.', outcome: 'GO_TO_PRE_CONSULTATION' } });
    expect(c.outcome).toBe('GO_TO_PRE_CONSULTATION');
    expect((await consultationRow(id)).outcome).toBe('GO_TO_PRE_CONSULTATION');
  });

  test('recording twice is CONFLICT, and the first advice stays', async () => {
    const id = await adviceRequest();
    const sdk = await sdkOf(world.users.scientistA);
    await sdk.RecordAdvice({ input: { consultationId: id, advice: 'Eerste advies.', outcome: 'ADVICE_SUFFICIENT' } });
    const first = await outcomeColumns(id);
    expect(await errorOf(sdk.RecordAdvice({ input: { consultationId: id, advice: 'Tweede advies.', outcome: 'GO_TO_PRE_CONSULTATION' } }))).toMatchObject({ code: 'CONFLICT' });
    expect(await outcomeColumns(id)).toEqual(first);
    expect(first).toMatchObject({ advice: 'Eerste advies.', outcome: 'ADVICE_SUFFICIENT' });
  });

  test('two simultaneous recordings: exactly one succeeds, the other is CONFLICT', async () => {
    const id = await adviceRequest();
    const sdk = await sdkOf(world.users.scientistA);
    const results = await Promise.allSettled([
      sdk.RecordAdvice({ input: { consultationId: id, advice: 'A', outcome: 'ADVICE_SUFFICIENT' } }),
      sdk.RecordAdvice({ input: { consultationId: id, advice: 'B', outcome: 'GO_TO_PRE_CONSULTATION' } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0].reason as ClientError).response.errors?.[0].extensions?.code).toBe('CONFLICT');
    const winner = (won[0] as PromiseFulfilledResult<{ recordAdvice: { advice?: string | null } }>).value.recordAdvice.advice;
    expect((await consultationRow(id)).advice).toBe(winner);
  });

  test('an outcome of a pre-consultation (TOPTRAJECT, OTHER_SUPPORT) is BAD_USER_INPUT naming input.outcome; nothing recorded', async () => {
    const id = await adviceRequest();
    const sdk = await sdkOf(world.users.scientistA);
    for (const outcome of ['TOPTRAJECT', 'OTHER_SUPPORT'] as const) {
      expect(await errorOf(sdk.RecordAdvice({ input: { consultationId: id, advice: 'Advies', outcome } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.outcome' });
    }
    expect(await outcomeColumns(id)).toEqual(NOTHING_RECORDED);
  });

  test('on a pre-consultation it is BAD_USER_INPUT naming input.consultationId; nothing recorded', async () => {
    const id = await preConsultation();
    const sdk = await sdkOf(world.users.scientistA);
    expect(await errorOf(sdk.RecordAdvice({ input: { consultationId: id, advice: 'Advies', outcome: 'ADVICE_SUFFICIENT' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.consultationId' });
    expect(await outcomeColumns(id)).toEqual(NOTHING_RECORDED);
  });

  test('as any other user, recordAdvice is FORBIDDEN (may see it) or NOT_FOUND (may not), and nothing is recorded', async () => {
    const id = await adviceRequest();
    const codes: Record<string, string> = {};
    for (const [name, user] of othersThan('scientistA', 'advisorA')) {
      const sdk = await sdkOf(user);
      codes[name] = (await errorOf(sdk.RecordAdvice({ input: { consultationId: id, advice: 'Advies', outcome: 'ADVICE_SUFFICIENT' } }))).code;
    }
    expect(codes).toEqual({
      admin: 'NOT_FOUND', privacy: 'NOT_FOUND', coordinator: 'NOT_FOUND', analyst: 'NOT_FOUND',
      // The school sees its request but does not answer it.
      schoolA1: 'FORBIDDEN',
      teacherB: 'NOT_FOUND', schoolB1: 'NOT_FOUND', mentorA1: 'NOT_FOUND', nobody: 'NOT_FOUND',
      // A teacher of the right team is not the gedragswetenschapper; the one of team B serves another windstreek.
      teacherA: 'NOT_FOUND', scientistB: 'NOT_FOUND',
    });
    expect(await outcomeColumns(id)).toEqual(NOTHING_RECORDED);
  });
});

describe('requestPreConsultation (step 2, collegiaal vooroverleg)', () => {
  test('as SCHOOL_COORDINATOR of A1, organises a pre-consultation about a student with the OPP and the five questions; all stored', async () => {
    const before = await consultationCount();
    const input = preConsultationInput({ studentId: world.students.a1Mentee.id });
    const { requestPreConsultation: c } = await (await sdkOf(world.users.schoolA1)).RequestPreConsultation({ input });
    expect(c).toMatchObject({
      kind: 'PRE_CONSULTATION', caseDescription: input.caseDescription.trim(), developmentPlanReference: 'OPP-2026-017', developmentPlanDate: '2026-02-20',
      howIsTheStudentDoing: input.howIsTheStudentDoing, helpGivenAndResult: input.helpGivenAndResult, otherAgenciesInvolved: input.otherAgenciesInvolved,
      motivation: input.motivation, agreementsNow: input.agreementsNow, outcome: null,
      school: { id: world.schools.A1.id }, windstreek: { id: world.windstreken.A.id }, student: { id: world.students.a1Mentee.id },
    });
    expect(await consultationCount()).toBe(before + 1);
    expect(await consultationRow(c.id)).toEqual({
      partnership_id: world.partnership.id, kind: 'PRE_CONSULTATION', school_id: world.schools.A1.id, windstreek_id: world.windstreken.A.id,
      student_id: world.students.a1Mentee.id, case_description: input.caseDescription.trim(), requested_by_user_id: world.users.schoolA1.id,
      development_plan_reference: 'OPP-2026-017', development_plan_date: '2026-02-20', how_is_the_student_doing: input.howIsTheStudentDoing,
      help_given_and_result: input.helpGivenAndResult, other_agencies_involved: input.otherAgenciesInvolved, motivation: input.motivation,
      agreements_now: input.agreementsNow, ...NOTHING_RECORDED,
    });
  });

  test('as SCHOOL_COORDINATOR of A1, an anonymous pre-consultation has no student', async () => {
    const { requestPreConsultation: c } = await (await sdkOf(world.users.schoolA1)).RequestPreConsultation({ input: preConsultationInput() });
    expect(c).toMatchObject({ kind: 'PRE_CONSULTATION', student: null });
    expect((await consultationRow(c.id)).student_id).toBeNull();
  });

  test.each(['howIsTheStudentDoing', 'helpGivenAndResult', 'otherAgenciesInvolved', 'motivation', 'agreementsNow', 'developmentPlanReference', 'caseDescription'] as const)(
    'a blank %s is BAD_USER_INPUT naming it; nothing is written',
    async (field) => {
      const before = await consultationCount();
      const sdk = await sdkOf(world.users.schoolA1);
      expect(await errorOf(sdk.RequestPreConsultation({ input: preConsultationInput({ [field]: ' ' }) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
      expect(await errorOf(sdk.RequestPreConsultation({ input: preConsultationInput({ [field]: '' }) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
      expect(await consultationCount()).toBe(before);
    },
  );

  test('a missing question is refused as BAD_USER_INPUT (the schema requires all five), nothing is written', async () => {
    const before = await consultationCount();
    const { motivation: _omitted, ...withoutMotivation } = preConsultationInput();
    const sdk = await sdkOf(world.users.schoolA1);
    expect((await errorOf(sdk.RequestPreConsultation({ input: withoutMotivation as RequestPreConsultationInput }))).code).toBe('BAD_USER_INPUT');
    expect(await consultationCount()).toBe(before);
  });

  test('an OPP date in the future is BAD_USER_INPUT naming input.developmentPlanDate; today is fine', async () => {
    const sdk = await sdkOf(world.users.schoolA1);
    const before = await consultationCount();
    expect(await errorOf(sdk.RequestPreConsultation({ input: preConsultationInput({ developmentPlanDate: '2026-03-17' }) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.developmentPlanDate' });
    expect(await consultationCount()).toBe(before);
    const { requestPreConsultation: c } = await sdk.RequestPreConsultation({ input: preConsultationInput({ developmentPlanDate: '2026-03-16' }) });
    expect(c.developmentPlanDate).toBe('2026-03-16');
  });

  test('as any other user, requestPreConsultation for school A1 is FORBIDDEN or NOT_FOUND and writes nothing', async () => {
    const before = await consultationCount();
    const codes: Record<string, string> = {};
    for (const [name, user] of othersThan('schoolA1')) {
      const sdk = await sdkOf(user);
      codes[name] = (await errorOf(sdk.RequestPreConsultation({ input: preConsultationInput({ schoolId: world.schools.A1.id }) }))).code;
    }
    expect(codes).toEqual(REQUEST_REFUSALS);
    expect(await consultationCount()).toBe(before);
  });
});

describe('recordPreConsultationOutcome (step 2, the outcome)', () => {
  test('as the onderwijsadviseur of windstreek A, records TOPTRAJECT with who and when', async () => {
    const id = await preConsultation();
    const { recordPreConsultationOutcome: c } = await (await sdkOf(world.users.advisorA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } });
    expect(c).toMatchObject({ id, kind: 'PRE_CONSULTATION', outcome: 'TOPTRAJECT', advice: null });
    const row = await consultationRow(id);
    expect(row).toMatchObject({ outcome: 'TOPTRAJECT', advice: null, recorded_by_user_id: world.users.advisorA.id });
    expect(new Date(row.recorded_at).toISOString()).toBe(TEST_NOW.toISOString());
  });

  test('as the gedragswetenschapper of team A, records OTHER_SUPPORT with advice', async () => {
    const id = await preConsultation(world.students.a1Plain.id);
    const { recordPreConsultationOutcome: c } = await (await sdkOf(world.users.scientistA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'OTHER_SUPPORT', advice: 'Schoolmaatschappelijk werk inschakelen.' } });
    expect(c).toMatchObject({ outcome: 'OTHER_SUPPORT', advice: 'Schoolmaatschappelijk werk inschakelen.' });
    expect(await consultationRow(id)).toMatchObject({ outcome: 'OTHER_SUPPORT', advice: 'Schoolmaatschappelijk werk inschakelen.', recorded_by_user_id: world.users.scientistA.id });
  });

  test('recording twice is CONFLICT, also by the other party; the first outcome stays', async () => {
    const id = await preConsultation();
    await (await sdkOf(world.users.advisorA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } });
    const first = await outcomeColumns(id);
    expect(await errorOf((await sdkOf(world.users.advisorA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } }))).toMatchObject({ code: 'CONFLICT' });
    expect(await errorOf((await sdkOf(world.users.scientistA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'OTHER_SUPPORT' } }))).toMatchObject({ code: 'CONFLICT' });
    expect(await outcomeColumns(id)).toEqual(first);
    expect(first.outcome).toBe('TOPTRAJECT');
  });

  test('an outcome of advice (ADVICE_SUFFICIENT, GO_TO_PRE_CONSULTATION) is BAD_USER_INPUT naming input.outcome; nothing recorded', async () => {
    const id = await preConsultation();
    const sdk = await sdkOf(world.users.advisorA);
    for (const outcome of ['ADVICE_SUFFICIENT', 'GO_TO_PRE_CONSULTATION'] as const) {
      expect(await errorOf(sdk.RecordPreConsultationOutcome({ input: { consultationId: id, outcome } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.outcome' });
    }
    expect(await outcomeColumns(id)).toEqual(NOTHING_RECORDED);
  });

  test('on an advice request: the gedragswetenschapper and the advisor get BAD_USER_INPUT naming input.consultationId; nothing recorded', async () => {
    const id = await adviceRequest();
    expect(await errorOf((await sdkOf(world.users.scientistA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.consultationId' });
    expect(await errorOf((await sdkOf(world.users.advisorA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.consultationId' });
    expect(await outcomeColumns(id)).toEqual(NOTHING_RECORDED);
  });

  test('as any other user, recordPreConsultationOutcome is FORBIDDEN (may see it) or NOT_FOUND (may not), and nothing is recorded', async () => {
    const id = await preConsultation();
    const codes: Record<string, string> = {};
    for (const [name, user] of othersThan('advisorA', 'scientistA')) {
      const sdk = await sdkOf(user);
      codes[name] = (await errorOf(sdk.RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } }))).code;
    }
    expect(codes).toEqual({
      admin: 'NOT_FOUND', privacy: 'NOT_FOUND', coordinator: 'NOT_FOUND', analyst: 'NOT_FOUND',
      schoolA1: 'FORBIDDEN', // organises it, but does not decide the outcome
      teacherB: 'NOT_FOUND', schoolB1: 'NOT_FOUND', mentorA1: 'NOT_FOUND', nobody: 'NOT_FOUND',
      teacherA: 'NOT_FOUND', scientistB: 'NOT_FOUND',
    });
    expect(await outcomeColumns(id)).toEqual(NOTHING_RECORDED);
  });
});

describe('the pre-consultation carries the registration (step 3)', () => {
  /** A student of A1 with the consents a registration needs. */
  async function registrableStudent() {
    const student = await createStudent(app.dataSource, world.schools.A1);
    for (const purpose of [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM]) await createConsent(app.dataSource, student, world.users.schoolA1, purpose);
    return student;
  }

  function registration(studentId: string, consultationId: string) {
    return {
      studentId, consultationId, problemAreas: ['ABSENCE'] as never, enrolledInRegularEducation: true, regularEducationFeasible: true,
      studentMotivated: true, parentsMotivated: true, schoolMotivated: true, goalsReachableWithinTerm: true, singleQuestion: false,
      needsVeryIntensiveCare: false, parentsInformedOn: '2026-03-10',
    };
  }

  async function trajectoriesOf(studentId: string): Promise<Array<{ consultation_id: string | null }>> {
    return app.dataSource.query('SELECT consultation_id FROM trajectory WHERE student_id = $1', [studentId]);
  }

  test('as SCHOOL_COORDINATOR of A1, a pre-consultation about the student with outcome TOPTRAJECT is accepted as input.consultationId and linked to the trajectory', async () => {
    const student = await registrableStudent();
    const id = await preConsultation(student.id);
    await (await sdkOf(world.users.advisorA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } });
    const { submitRegistration: t } = await (await sdkOf(world.users.schoolA1)).SubmitRegistration({ input: registration(student.id, id) });
    expect(t.phase).toBe('REQUESTED');
    expect(await trajectoriesOf(student.id)).toEqual([{ consultation_id: id }]);
  });

  test('as SCHOOL_COORDINATOR of A1, an anonymous pre-consultation with outcome TOPTRAJECT is accepted too', async () => {
    const student = await registrableStudent();
    const id = await preConsultation();
    await (await sdkOf(world.users.scientistA)).RecordPreConsultationOutcome({ input: { consultationId: id, outcome: 'TOPTRAJECT' } });
    await (await sdkOf(world.users.schoolA1)).SubmitRegistration({ input: registration(student.id, id) });
    expect(await trajectoriesOf(student.id)).toEqual([{ consultation_id: id }]);
  });

  test('a pre-consultation with outcome OTHER_SUPPORT, one without an outcome, and an advice request are refused: BAD_USER_INPUT naming input.consultationId, no trajectory', async () => {
    const student = await registrableStudent();
    const other = await preConsultation(student.id);
    await (await sdkOf(world.users.advisorA)).RecordPreConsultationOutcome({ input: { consultationId: other, outcome: 'OTHER_SUPPORT' } });
    const open = await preConsultation(student.id);
    const advice = await adviceRequest();
    await (await sdkOf(world.users.scientistA)).RecordAdvice({ input: { consultationId: advice, advice: 'Vooroverleg', outcome: 'GO_TO_PRE_CONSULTATION' } });

    const sdk = await sdkOf(world.users.schoolA1);
    for (const consultationId of [other, open, advice]) {
      expect(await errorOf(sdk.SubmitRegistration({ input: registration(student.id, consultationId) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.consultationId' });
    }
    expect(await trajectoriesOf(student.id)).toEqual([]);
  });
});
