/**
 * One whole Toptraject through the API with the typed SDK, exactly as the handbook runs it:
 * from the school's first call for advice to the follow-up twelve months after the
 * consolidation phase. The clock moves with the story; nothing sleeps.
 */
import { ConsentPurpose, Role, TeamFunction } from '../../../src/domain/enums';
import { createConsent, createUser } from '../../factories';
import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp } from '../../setup/app';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp({ now: new Date('2026-01-12T09:00:00Z') });
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());

/** Moves the API's clock to 10:00 Amsterdam time on `day`. */
function onDay(day: string): void {
  app.clock.set(new Date(`${day}T09:00:00Z`));
}

test('from advice to the 12-month follow-up, every step recorded', async () => {
  const ds = app.dataSource;
  const teacher = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.TEACHER }]]);
  const careWorker = await createUser(ds, world.partnership, [[Role.TEAM_MEMBER, { topteam: world.teams.TA, teamFunction: TeamFunction.CARE_WORKER }]]);
  const school = await app.sdk(world.users.schoolA1.email);
  const advisor = await app.sdk(world.users.advisorA.email);
  const scientist = await app.sdk(world.users.scientistA.email);
  const topdocent = await app.sdk(teacher.email);
  const hulpverlener = await app.sdk(careWorker.email);

  // The school registers its student (with parents) and records the consents on paper.
  const { createStudent: student } = await school.CreateStudent({
    input: {
      givenName: 'Noor', familyName: 'El Amrani', birthDate: '2012-09-14', studentNumber: 'J-2041', expectedExitLevel: 'HAVO' as never,
      guardians: [{ name: 'Samira El Amrani', relationship: 'moeder', hasParentalAuthority: true }],
    },
  });

  // Step 1: preventive advice from the gedragswetenschapper; the advice is to go to a pre-consultation.
  const { requestAdvice: advice } = await school.RequestAdvice({ input: { studentId: student.id, caseDescription: 'Verzuimt steeds vaker, lijkt somber.' } });
  const recordedAdvice = await scientist.RecordAdvice({ input: { consultationId: advice.id, advice: 'Bespreek in een vooroverleg.', outcome: 'GO_TO_PRE_CONSULTATION' as never } });
  expect(recordedAdvice.recordAdvice.outcome).toBe('GO_TO_PRE_CONSULTATION');

  // Step 2: collegiaal vooroverleg with the OPP and the five questions; outcome: a Toptraject.
  onDay('2026-01-19');
  const { requestPreConsultation: pre } = await school.RequestPreConsultation({
    input: {
      studentId: student.id, caseDescription: 'Vooroverleg Noor.', developmentPlanReference: 'OPP-2026-014', developmentPlanDate: '2026-01-05',
      howIsTheStudentDoing: 'Somber, trekt zich terug.', helpGivenAndResult: 'Mentorgesprekken, weinig effect.', otherAgenciesInvolved: 'Geen.',
      motivation: 'Leerling, ouders en mentor willen aan de slag.', agreementsNow: 'Aanmelden voor een Toptraject.',
    },
  });
  await advisor.RecordPreConsultationOutcome({ input: { consultationId: pre.id, outcome: 'TOPTRAJECT' as never } });

  // Step 3: the registration, with consents and parents informed.
  for (const purpose of [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM]) {
    await createConsent(ds, { ...student, partnershipId: world.partnership.id } as never, world.users.schoolA1, purpose);
  }
  const { submitRegistration: registered } = await school.SubmitRegistration({
    input: {
      studentId: student.id, consultationId: pre.id, problemAreas: ['ABSENCE', 'INTERNALISING_BEHAVIOUR'] as never,
      enrolledInRegularEducation: true, regularEducationFeasible: true, studentMotivated: true, parentsMotivated: true, schoolMotivated: true,
      goalsReachableWithinTerm: true, singleQuestion: false, needsVeryIntensiveCare: false, parentsInformedOn: '2026-01-19',
    },
  });
  const id = registered.id;

  // Step 4: the advisor asks for more, the school supplements, the advisor accepts; team A gets the case.
  onDay('2026-01-21');
  await advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'REQUEST_INFORMATION' as never, reason: 'Graag het verzuimoverzicht.' } });
  await school.SupplementRegistration({ input: { trajectoryId: id, supplement: 'Verzuimoverzicht toegevoegd.' } });
  const accepted = await advisor.ReviewRegistration({ input: { trajectoryId: id, decision: 'ACCEPT' as never } });
  expect(accepted.reviewRegistration.team?.id).toBe(world.teams.TA.id);

  // Onderzoeksfase: from the intro meeting, four weeks.
  onDay('2026-01-26');
  const assessment = await scientist.StartAssessment({ input: { trajectoryId: id, introMeetingOn: '2026-01-26' } });
  expect(assessment.startAssessment).toMatchObject({ phase: 'ASSESSMENT', phaseDueOn: '2026-02-23' });

  // Advies/startgesprek: a goal agreed with student, parents and school; the intensive phase starts.
  onDay('2026-02-20');
  const { addGoal: goal } = await topdocent.AddGoal({
    input: { trajectoryId: id, description: 'Noor is elke dag op school.', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true },
  });
  const intensive = await scientist.AgreeGoals({ input: { trajectoryId: id, meetingOn: '2026-02-20' } });
  expect(intensive.agreeGoals).toMatchObject({ phase: 'INTENSIVE', phaseDueOn: '2026-05-15', phaseLimitOn: '2026-06-12' });

  // Intensieve fase: evaluation, progress, hand-over advice, a team note; the school keeps registering absence.
  onDay('2026-03-20');
  await school.RegisterAbsence({ input: { trajectoryId: id, absentOn: '2026-03-19', lessonsMissed: 2, authorised: false } });
  await topdocent.RecordEvaluation({ input: { trajectoryId: id, evaluatedOn: '2026-03-20', whatWorks: 'Ochtendcheck-in met de mentor.', whatToStop: 'Straf bij te laat komen.' } });
  await hulpverlener.AddNote({ input: { trajectoryId: id, body: 'Huisbezoek: moeder steunt de aanpak.' } });
  onDay('2026-04-24');
  await topdocent.UpdateGoalProgress({ input: { goalId: goal.id, progress: 'ACHIEVED' as never, progressNote: 'Vier weken geen ongeoorloofd verzuim.' } });
  await topdocent.AddHandoverAdvice({ input: { trajectoryId: id, advice: 'Dagelijkse check-in bij binnenkomst.', recipient: 'SCHOOL' as never } });

  // Borgingsfase: three months of hand-over, then completion with two follow-ups.
  onDay('2026-05-04');
  const consolidation = await scientist.StartConsolidation({ input: { trajectoryId: id } });
  expect(consolidation.startConsolidation).toMatchObject({ phase: 'CONSOLIDATION', phaseDueOn: '2026-08-04' });
  onDay('2026-08-04');
  await scientist.CompleteTrajectory({ input: { trajectoryId: id } });

  // Exit-vragenlijst of every party.
  for (const [party, score] of [['STUDENT', 4], ['PARENTS', 5], ['SCHOOL', 4]] as const) {
    await hulpverlener.RecordExitQuestionnaire({ input: { trajectoryId: id, party: party as never, score } });
  }

  // Follow-ups at +3 and +12 months.
  onDay('2026-11-04');
  await scientist.RecordFollowUp({ input: { trajectoryId: id, moment: 'THREE_MONTHS' as never, stillInEducation: true, atExpectedExitLevel: true, diplomaExpected: true } });
  onDay('2027-08-04');
  await scientist.RecordFollowUp({ input: { trajectoryId: id, moment: 'TWELVE_MONTHS' as never, stillInEducation: true, atExpectedExitLevel: true, diplomaExpected: true } });

  // The trajectory as the team sees it at the end.
  const { trajectory } = await scientist.WorkflowTrajectory({ id });
  expect(trajectory).toMatchObject({ phase: 'COMPLETED', overdue: false });
  expect(trajectory!.events!.edges.map((e) => [e.node.act, e.node.fromPhase, e.node.toPhase])).toEqual([
    ['submitRegistration', null, 'REQUESTED'],
    ['requestInformation', 'REQUESTED', 'INFO_REQUESTED'],
    ['supplementRegistration', 'INFO_REQUESTED', 'IN_REVIEW'],
    ['acceptRegistration', 'IN_REVIEW', 'ACCEPTED'],
    ['assignTeam', 'ACCEPTED', 'ACCEPTED'],
    ['startAssessment', 'ACCEPTED', 'ASSESSMENT'],
    ['addGoal', 'ASSESSMENT', 'ASSESSMENT'],
    ['agreeGoals', 'ASSESSMENT', 'INTENSIVE'],
    ['registerAbsence', 'INTENSIVE', 'INTENSIVE'],
    ['recordEvaluation', 'INTENSIVE', 'INTENSIVE'],
    ['addNote', 'INTENSIVE', 'INTENSIVE'],
    ['updateGoalProgress', 'INTENSIVE', 'INTENSIVE'],
    ['addHandoverAdvice', 'INTENSIVE', 'INTENSIVE'],
    ['startConsolidation', 'INTENSIVE', 'CONSOLIDATION'],
    ['completeTrajectory', 'CONSOLIDATION', 'COMPLETED'],
    ['recordExitQuestionnaire', 'COMPLETED', 'COMPLETED'],
    ['recordExitQuestionnaire', 'COMPLETED', 'COMPLETED'],
    ['recordExitQuestionnaire', 'COMPLETED', 'COMPLETED'],
    ['recordFollowUp', 'COMPLETED', 'COMPLETED'],
    ['recordFollowUp', 'COMPLETED', 'COMPLETED'],
  ]);
  expect(trajectory!.followUps!.edges.map((e) => [e.node.moment, e.node.dueOn, e.node.stillInEducation, Boolean(e.node.recordedAt)])).toEqual([
    ['THREE_MONTHS', '2026-11-04', true, true],
    ['TWELVE_MONTHS', '2027-08-04', true, true],
  ]);
  expect(trajectory!.goals!.edges.map((e) => e.node.progress)).toEqual(['ACHIEVED']);
  expect(trajectory!.handoverAdvice!.totalCount).toBe(1);
  expect(trajectory!.absences!.totalCount).toBe(1);

  // Who did what: each event carries the acting user.
  const actors = await ds.query(`SELECT act, actor_user_id FROM trajectory_event WHERE trajectory_id = $1 ORDER BY sequence`, [id]);
  const by = Object.fromEntries(actors.map((r: { act: string; actor_user_id: string }) => [r.act, r.actor_user_id]));
  expect(by).toMatchObject({
    submitRegistration: world.users.schoolA1.id, acceptRegistration: world.users.advisorA.id, startAssessment: world.users.scientistA.id,
    addGoal: teacher.id, addNote: careWorker.id, registerAbsence: world.users.schoolA1.id, recordFollowUp: world.users.scientistA.id,
  });
});
