/**
 * Trajectories in any phase of the workflow, written straight to the database (setup, not
 * under test), on a `createWorld` partnership:
 *
 *   const { trajectory } = await trajectoryIn(ds, world, Phase.INTENSIVE);
 *
 * gives a new student of school A1 (windstreek A) with valid consents to share with the
 * partnership and for care by the Topteam, a trajectory assigned to team TA (from ACCEPTED
 * on; none before) whose history of events leads to the phase, the phase's dates by the
 * default norms, and what the next act of the phase needs, so every act allowed in the phase
 * can succeed:
 *
 * | phase                         | extra rows                                              |
 * |-------------------------------|---------------------------------------------------------|
 * | ASSESSMENT and later          | one goal agreed with student, parents and school        |
 * | INTENSIVE and later           | one hand-over advice                                    |
 * | COMPLETED                     | both follow-ups, completed 3 months ago (3-month one due today) |
 * | CLOSED / REFUSED / CANCELLED  | closingReason / cancellationReason                      |
 *
 * With `team: null` from ACCEPTED on, the case was accepted but no team took it (the overflow
 * rule found none under its threshold): its history then has no `assignTeam` event.
 *
 * Options change the school, team, consents, mentor, dates and extra rows. `caseState`
 * reads what an act may change (the row and every record under it), so a test can check
 * that a refused act changed nothing. `ACT_CASES` / `prepareAct` / `actOperation` perform
 * every act of ACTS with valid input, for table-driven tests.
 */
import { DataSource } from 'typeorm';
import type { PhaseNorms } from '../../src/config';
import { loadConfig } from '../../src/config';
import {
  AbsenceRegistration, Complaint, Consent, CrossWindstreekAssignment, Escalation, Evaluation, ExitQuestionnaire, FollowUp, Goal, HandoverAdvice, Note, School, Student,
  Topteam, Trajectory, TrajectoryEvent, User,
} from '../../src/app/entities';
import { addDays, addMonths, amsterdamDate } from '../../src/domain/clock';
import { CancellationReason, ConsentPurpose, HandoverRecipient, Party, Phase, ProblemArea } from '../../src/domain/enums';
import { ACTS, ActName, ActSpec } from '../../src/modules/trajectories/workflow/acts';
import { followUpDates, phaseDates } from '../../src/modules/trajectories/workflow/phase-norms';
import { TEST_NOW } from '../setup/app';
import { createConsent, createStudent, unique } from './index';
import type { World } from './world';

const { REQUESTED, IN_REVIEW, INFO_REQUESTED, ACCEPTED, REFUSED, ASSESSMENT, INTENSIVE, CONSOLIDATION, COMPLETED, CLOSED, CANCELLED } = Phase;

/** The acts (event act, from, to) that lead from nothing to each phase, as the API records them. */
const PATHS: Record<Phase, Array<[string, Phase | null, Phase]>> = (() => {
  const submit: [string, Phase | null, Phase] = ['submitRegistration', null, REQUESTED];
  const accepted: Array<[string, Phase | null, Phase]> = [submit, ['acceptRegistration', REQUESTED, ACCEPTED], ['assignTeam', ACCEPTED, ACCEPTED]];
  const assessment = [...accepted, ['startAssessment', ACCEPTED, ASSESSMENT]] as Array<[string, Phase | null, Phase]>;
  const intensive = [...assessment, ['agreeGoals', ASSESSMENT, INTENSIVE]] as Array<[string, Phase | null, Phase]>;
  const consolidation = [...intensive, ['startConsolidation', INTENSIVE, CONSOLIDATION]] as Array<[string, Phase | null, Phase]>;
  return {
    [REQUESTED]: [submit],
    [INFO_REQUESTED]: [submit, ['requestInformation', REQUESTED, INFO_REQUESTED]],
    [IN_REVIEW]: [submit, ['requestInformation', REQUESTED, INFO_REQUESTED], ['supplementRegistration', INFO_REQUESTED, IN_REVIEW]],
    [REFUSED]: [submit, ['refuseRegistration', REQUESTED, REFUSED]],
    [ACCEPTED]: accepted,
    [ASSESSMENT]: assessment,
    [INTENSIVE]: intensive,
    [CONSOLIDATION]: consolidation,
    [COMPLETED]: [...consolidation, ['completeTrajectory', CONSOLIDATION, COMPLETED]],
    [CLOSED]: [...assessment, ['closeAfterAssessment', ASSESSMENT, CLOSED]],
    [CANCELLED]: [...assessment, ['cancelTrajectory', ASSESSMENT, CANCELLED]],
  };
})();

const BEFORE_ACCEPTANCE: readonly Phase[] = [REQUESTED, IN_REVIEW, INFO_REQUESTED, REFUSED];
const FROM_ASSESSMENT: readonly Phase[] = [ASSESSMENT, INTENSIVE, CONSOLIDATION, COMPLETED, CLOSED, CANCELLED];
const FROM_INTENSIVE: readonly Phase[] = [INTENSIVE, CONSOLIDATION, COMPLETED];

export interface TrajectoryInOptions {
  /** The student's school; default school A1 of the world. */
  school?: School;
  /**
   * The assigned team; default TA from ACCEPTED on (also COMPLETED, CLOSED, CANCELLED), null before.
   * `null` in ACCEPTED: accepted, waiting for the programme coordinator to assign a team.
   */
  team?: Topteam | null;
  /** Purposes with a valid consent; default SHARE_WITH_PARTNERSHIP and CARE_BY_TOPTEAM. */
  consents?: ConsentPurpose[];
  /** Purposes whose consent was given and withdrawn (e.g. CARE_BY_TOPTEAM after a withdrawal). */
  withdrawn?: ConsentPurpose[];
  /** The student's mentor; default none. */
  mentor?: User | null;
  /** "Now" of the test (the app's clock); default TEST_NOW. Dates below default relative to it. */
  now?: Date;
  /** The calendar day the current phase started; default 7 days before today (COMPLETED: 3 months before today). */
  phaseStartedOn?: string;
  /** The norms for the phase's dates; default the built-in ones (4 / 12 / 16 weeks, 3 months, follow-ups 3 and 12 months). */
  norms?: PhaseNorms;
  /** A goal agreed with student, parents and school; default from ASSESSMENT on. */
  agreedGoal?: boolean;
  /** A hand-over advice; default from INTENSIVE on. */
  handoverAdvice?: boolean;
  /** COMPLETED: plan both follow-ups (due after phaseStartedOn by the norms); default true. */
  followUps?: boolean;
}

export interface TrajectoryFixture {
  trajectory: Trajectory;
  student: Student;
  goal: Goal | null;
  handoverAdvice: HandoverAdvice | null;
  followUps: FollowUp[];
}

const DEFAULT_NORMS = loadConfig({ NODE_ENV: 'test' }).phaseNorms;

/** A trajectory in `phase` on `world`, with the consents and rows its next acts need (see the file header). */
export async function trajectoryIn(ds: DataSource, world: World, phase: Phase, options: TrajectoryInOptions = {}): Promise<TrajectoryFixture> {
  const school = options.school ?? world.schools.A1;
  const team = options.team !== undefined ? options.team : BEFORE_ACCEPTANCE.includes(phase) ? null : world.teams.TA;
  const norms = options.norms ?? DEFAULT_NORMS;
  const today = amsterdamDate(options.now ?? TEST_NOW);
  const startedOn = options.phaseStartedOn ?? (phase === COMPLETED ? addMonths(today, -3) : addDays(today, -7));
  // 09:00 (winter) or 10:00 (summer) in Amsterdam: the calendar day `startedOn` either way.
  const phaseStartedAt = new Date(`${startedOn}T08:00:00Z`);
  const registrar = world.users.schoolA1;

  const student = await createStudent(ds, school, { mentorUserId: options.mentor?.id ?? null });
  for (const purpose of options.consents ?? [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM]) {
    await createConsent(ds, student, registrar, purpose);
  }
  for (const purpose of options.withdrawn ?? []) await createConsent(ds, student, registrar, purpose, true);

  // The history that leads here, one act a day, ending at the phase start. A case without a
  // team was never assigned one. The meetings its phase acts record fall on their days.
  const path = PATHS[phase].filter(([act]) => team !== null || act !== 'assignTeam');
  const actAt = (index: number) => new Date(phaseStartedAt.getTime() - (path.length - 1 - index) * 86_400_000);
  const meetingOf = (act: string) => {
    const index = path.findIndex(([a]) => a === act);
    return index < 0 ? null : amsterdamDate(actAt(index));
  };

  const trajectories = ds.getRepository(Trajectory);
  const trajectory = await trajectories.save(
    trajectories.create({
      partnershipId: student.partnershipId,
      studentId: student.id,
      schoolId: school.id,
      windstreekId: school.windstreekId,
      teamId: team?.id ?? null,
      phase,
      phaseStartedAt,
      ...phaseDates(phase, startedOn, norms),
      introMeetingOn: meetingOf('startAssessment'),
      startMeetingOn: meetingOf('agreeGoals'),
      closingMeetingOn: meetingOf('closeAfterAssessment'),
      problemAreas: [ProblemArea.ABSENCE, ProblemArea.MOTIVATION],
      parentsInformedOn: addDays(startedOn, -30),
      eligibility: {
        enrolledInRegularEducation: true, regularEducationFeasible: true, studentMotivated: true, parentsMotivated: true,
        schoolMotivated: true, goalsReachableWithinTerm: true, singleQuestion: false, needsVeryIntensiveCare: false,
      },
      cancellationReason: phase === CANCELLED ? CancellationReason.LEFT_SCHOOL : null,
      closingReason: phase === CLOSED ? unique('Advice for another route ') : phase === REFUSED ? unique('Refused because ') : null,
      registeredByUserId: registrar.id,
    }),
  );

  const events = ds.getRepository(TrajectoryEvent);
  for (const [index, [act, fromPhase, toPhase]] of path.entries()) {
    const actor = act.endsWith('Registration') && act !== 'submitRegistration' && act !== 'supplementRegistration' ? world.users.advisorA
      : act === 'submitRegistration' || act === 'supplementRegistration' ? registrar
      : act === 'assignTeam' ? world.users.advisorA
      : world.users.scientistA;
    await events.save(
      events.create({
        partnershipId: trajectory.partnershipId, trajectoryId: trajectory.id, act, fromPhase, toPhase, actorUserId: actor.id,
        occurredAt: actAt(index), reason: null,
      }),
    );
  }

  const base = { partnershipId: trajectory.partnershipId, trajectoryId: trajectory.id };
  let goal: Goal | null = null;
  if (options.agreedGoal ?? FROM_ASSESSMENT.includes(phase)) {
    goal = await ds.getRepository(Goal).save(
      ds.getRepository(Goal).create({ ...base, description: unique('Goal '), agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true }),
    );
  }
  let handoverAdvice: HandoverAdvice | null = null;
  if (options.handoverAdvice ?? FROM_INTENSIVE.includes(phase)) {
    handoverAdvice = await ds.getRepository(HandoverAdvice).save(
      ds.getRepository(HandoverAdvice).create({
        ...base, advice: unique('Advice '), writtenOn: startedOn, recipient: HandoverRecipient.SCHOOL, recipientName: null, takenIntoOppOn: null,
        authorUserId: world.users.scientistA.id,
      }),
    );
  }
  const followUps: FollowUp[] = [];
  if (phase === COMPLETED && (options.followUps ?? true)) {
    for (const { moment, dueOn } of followUpDates(startedOn, norms)) {
      followUps.push(await ds.getRepository(FollowUp).save(ds.getRepository(FollowUp).create({ ...base, moment, dueOn })));
    }
  }
  return { trajectory, student, goal, handoverAdvice, followUps };
}

/** Tables of records under a trajectory, by the name `caseState` reports their count under. */
const CHILD_TABLES = {
  events: TrajectoryEvent, goals: Goal, evaluations: Evaluation, notes: Note, handoverAdvice: HandoverAdvice, absences: AbsenceRegistration,
  followUps: FollowUp, escalations: Escalation, complaints: Complaint, exitQuestionnaires: ExitQuestionnaire,
  crossWindstreekAssignments: CrossWindstreekAssignment,
} as const;

export type CaseState = {
  phase: Phase;
  version: number;
  teamId: string | null;
  phaseDueOn: string | null;
  closingReason: string | null;
  cancellationReason: string | null;
  /** The cooperation agreements on the trajectory row, as JSON. */
  cooperationAgreements: string | null;
  /** The meetings the phase acts store. */
  meetings: { introMeetingOn: string | null; startMeetingOn: string | null; closingMeetingOn: string | null };
  /** Per table, the rows under the trajectory, each as its JSON (so an update shows too). */
  records: Record<keyof typeof CHILD_TABLES, string[]>;
  consents: number;
};

/** What any act may change about a trajectory: its row and every record under it. */
export async function caseState(ds: DataSource, trajectoryId: string): Promise<CaseState> {
  const row = await ds.getRepository(Trajectory).findOneByOrFail({ id: trajectoryId });
  const records = {} as CaseState['records'];
  for (const [name, entity] of Object.entries(CHILD_TABLES) as Array<[keyof typeof CHILD_TABLES, typeof Goal]>) {
    // Events in the order they were recorded; other records in a stable order.
    const order = name === 'events' ? { sequence: 'ASC' } : { id: 'ASC' };
    const rows = await ds.getRepository(entity).find({ where: { trajectoryId }, order: order as never });
    records[name] = rows.map((r) => JSON.stringify(r));
  }
  const consents = await ds.getRepository(Consent).countBy({ studentId: row.studentId });
  return {
    phase: row.phase, version: row.version, teamId: row.teamId, phaseDueOn: row.phaseDueOn, closingReason: row.closingReason,
    cancellationReason: row.cancellationReason, cooperationAgreements: row.cooperationAgreements && JSON.stringify(row.cooperationAgreements), records, consents,
    meetings: { introMeetingOn: row.introMeetingOn, startMeetingOn: row.startMeetingOn, closingMeetingOn: row.closingMeetingOn },
  };
}

/** Counts of `caseState(...).records`, for readable assertions. */
export function recordCounts(state: CaseState): Record<keyof typeof CHILD_TABLES, number> {
  return Object.fromEntries(Object.entries(state.records).map(([k, v]) => [k, v.length])) as Record<keyof typeof CHILD_TABLES, number>;
}

// ---------------------------------------------------------------------------------------
// Every act of ACTS as a GraphQL call with valid input, for table-driven tests.

/** Rows an act addresses besides the trajectory (made by `ActCase.prepare`). */
export interface ActExtras {
  goalId?: string;
  escalationId?: string;
  complaintId?: string;
  handoverAdviceId?: string;
  /** reassignTeam: the team to move the case to (the world's other team). */
  teamId?: string;
  /** transferStudent: the school the student moves to (the world's school A2). */
  toSchoolId?: string;
  /** staffTrajectory: the team's gedragswetenschapper, to staff the case with. */
  staffUserId?: string;
}

export interface ActCase {
  /** The GraphQL input type of the mutation (`ACTS[act].mutation`). */
  inputType: string;
  /** The record the mutation addresses, when not the trajectory: its visibility decides NOT_FOUND. */
  target: 'Trajectory' | 'Goal' | 'Escalation' | 'Complaint' | 'Student' | 'HandoverAdvice';
  /** Valid input for the trajectory in `fixture` on the calendar day `today`. */
  input(fixture: TrajectoryFixture, extras: ActExtras, today: string): Record<string, unknown>;
  /**
   * How to build the trajectory the act is tried on, when not the default of `trajectoryIn`
   * (assignTeam: a case without a team).
   */
  fixture?: TrajectoryInOptions;
  /**
   * The user who may perform the act on a trajectory of school A1 (windstreek A) assigned to
   * team TA (`teamAssigned`) or not yet assigned. Team members cannot see a trajectory before
   * it is assigned (only the gedragswetenschapper of the windstreek's team sees an ACCEPTED one
   * waiting for a team, planning fields only), so for a team act that user then gets NOT_FOUND.
   */
  performer(world: World, teamAssigned: boolean): User;
}

const scientist = (world: World) => world.users.scientistA;
const advisor = (world: World) => world.users.advisorA;
const school = (world: World) => world.users.schoolA1;

/** One case per act of ACTS (the compiler checks that none is missing). */
export const ACT_CASES = {
  acceptRegistration: { inputType: 'ReviewRegistrationInput', target: 'Trajectory', performer: advisor, input: (f) => ({ trajectoryId: f.trajectory.id, decision: 'ACCEPT' }) },
  requestInformation: { inputType: 'ReviewRegistrationInput', target: 'Trajectory', performer: advisor, input: (f) => ({ trajectoryId: f.trajectory.id, decision: 'REQUEST_INFORMATION', reason: 'Please add the OPP.' }) },
  refuseRegistration: { inputType: 'ReviewRegistrationInput', target: 'Trajectory', performer: advisor, input: (f) => ({ trajectoryId: f.trajectory.id, decision: 'REFUSE', refusalGround: 'REGULAR_EDUCATION_NOT_FEASIBLE', reason: 'Another route fits better.' }) },
  supplementRegistration: { inputType: 'SupplementRegistrationInput', target: 'Trajectory', performer: school, input: (f) => ({ trajectoryId: f.trajectory.id, supplement: 'OPP attached.' }) },
  startAssessment: { inputType: 'StartAssessmentInput', target: 'Trajectory', performer: scientist, input: (f, _x, today) => ({ trajectoryId: f.trajectory.id, introMeetingOn: today }) },
  agreeGoals: { inputType: 'AgreeGoalsInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id }) },
  closeAfterAssessment: { inputType: 'CloseAfterAssessmentInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id, adviceForOtherRoute: 'Specialised care first.' }) },
  startConsolidation: { inputType: 'StartConsolidationInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id }) },
  completeTrajectory: { inputType: 'CompleteTrajectoryInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id }) },
  // Before acceptance the school withdraws; afterwards the gedragswetenschapper cancels.
  cancelTrajectory: {
    inputType: 'CancelTrajectoryInput', target: 'Trajectory',
    performer: (world, assigned) => (assigned ? world.users.scientistA : world.users.schoolA1),
    input: (f) => ({ trajectoryId: f.trajectory.id, reason: 'LEFT_SCHOOL' }),
  },
  recordFollowUp: {
    inputType: 'RecordFollowUpInput', target: 'Trajectory', performer: scientist,
    input: (f) => ({ trajectoryId: f.trajectory.id, moment: 'THREE_MONTHS', stillInEducation: true, atExpectedExitLevel: true, diplomaExpected: false }),
  },
  addGoal: {
    inputType: 'AddGoalInput', target: 'Trajectory', performer: scientist,
    input: (f) => ({ trajectoryId: f.trajectory.id, description: 'Attends every lesson on Mondays.', agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: false }),
  },
  updateGoalProgress: { inputType: 'UpdateGoalProgressInput', target: 'Goal', performer: scientist, input: (_f, x) => ({ goalId: x.goalId, progress: 'IN_PROGRESS', progressNote: 'Two of three Mondays.' }) },
  recordEvaluation: {
    inputType: 'RecordEvaluationInput', target: 'Trajectory', performer: scientist,
    input: (f, _x, today) => ({ trajectoryId: f.trajectory.id, evaluatedOn: today, whatWorks: 'Morning check-in.', whatToStop: 'Long phone calls.' }),
  },
  addHandoverAdvice: { inputType: 'AddHandoverAdviceInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id, advice: 'Keep the morning check-in.', recipient: 'SCHOOL' }) },
  markHandoverAdviceTakenIntoOpp: {
    inputType: 'MarkHandoverAdviceTakenIntoOppInput', target: 'HandoverAdvice', performer: school,
    input: (_f, x, today) => ({ handoverAdviceId: x.handoverAdviceId, takenOn: today }),
  },
  recordCooperationAgreements: {
    inputType: 'RecordCooperationAgreementsInput', target: 'Trajectory', performer: scientist,
    input: (f, _x, today) => ({
      trajectoryId: f.trajectory.id, expectedVersion: f.trajectory.version, agreedOn: today, teachers: ['Mw. De Vries (wiskunde)'], mentor: 'Dhr. Bakker',
      careCoordinator: 'Mw. Jansen', management: 'Dhr. Visser (teamleider)', agreements: 'Weekly check-in on Monday; the mentor reports absence the same day.',
    }),
  },
  addNote: { inputType: 'AddNoteInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id, body: 'Called the mentor.' }) },
  registerAbsence: {
    inputType: 'RegisterAbsenceInput', target: 'Trajectory', performer: school,
    input: (f, _x, today) => ({ trajectoryId: f.trajectory.id, absentOn: today, lessonsMissed: 2, authorised: false }),
  },
  escalateTrajectory: { inputType: 'EscalateTrajectoryInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id, level: 1, reason: 'The school does not reply.' }) },
  resolveEscalation: { inputType: 'ResolveEscalationInput', target: 'Escalation', performer: (w) => w.users.coordinator, input: (_f, x) => ({ escalationId: x.escalationId, resolution: 'Talked to the director.' }) },
  fileComplaint: {
    inputType: 'FileComplaintInput', target: 'Trajectory', performer: scientist,
    input: (f, _x, today) => ({ trajectoryId: f.trajectory.id, complainant: 'PARENTS', description: 'Too few meetings.', receivedOn: today }),
  },
  handleComplaint: { inputType: 'ComplaintResolutionInput', target: 'Complaint', performer: scientist, input: (_f, x) => ({ complaintId: x.complaintId, resolution: 'Extra meeting planned.' }) },
  escalateComplaint: { inputType: 'EscalateComplaintInput', target: 'Complaint', performer: scientist, input: (_f, x) => ({ complaintId: x.complaintId }) },
  resolveComplaint: { inputType: 'ComplaintResolutionInput', target: 'Complaint', performer: scientist, input: (_f, x) => ({ complaintId: x.complaintId, resolution: 'Resolved with the parents.' }) },
  recordExitQuestionnaire: { inputType: 'RecordExitQuestionnaireInput', target: 'Trajectory', performer: scientist, input: (f) => ({ trajectoryId: f.trajectory.id, party: 'STUDENT', score: 4, comment: 'Helpful.' }) },
  // An accepted case no team took yet: the overflow rule chooses (the home team TA when it has room).
  assignTeam: { inputType: 'AssignTeamInput', target: 'Trajectory', performer: (w) => w.users.coordinator, fixture: { team: null }, input: (f) => ({ trajectoryId: f.trajectory.id }) },
  reassignTeam: {
    inputType: 'ReassignTeamInput', target: 'Trajectory', performer: (w) => w.users.coordinator,
    input: (f, x) => ({ trajectoryId: f.trajectory.id, teamId: x.teamId, reason: 'Team TA is over capacity after the lowering.' }),
  },
  // The student moves to school A2; a running case follows. The mutation addresses the student.
  transferStudent: {
    inputType: 'TransferStudentInput', target: 'Student', performer: school,
    input: (f, x, today) => ({ studentId: f.trajectory.studentId, toSchoolId: x.toSchoolId, transferredOn: today }),
  },
  // The gedragswetenschapper of the case's team TA staffs itself as the responsible one.
  staffTrajectory: {
    inputType: 'StaffTrajectoryInput', target: 'Trajectory', performer: scientist,
    input: (f, x) => ({ trajectoryId: f.trajectory.id, behaviouralScientistId: x.staffUserId }),
  },
} satisfies Record<ActName, ActCase>;

/**
 * The rows `act` addresses besides the trajectory, inserted for `fixture` (a goal, an open
 * escalation, a received complaint), or the team a reassignment moves the case to.
 */
export async function prepareAct(ds: DataSource, world: World, act: ActName, fixture: TrajectoryFixture, today: string): Promise<ActExtras> {
  const base = { partnershipId: fixture.trajectory.partnershipId, trajectoryId: fixture.trajectory.id };
  if (act === 'reassignTeam') {
    return { teamId: fixture.trajectory.teamId === world.teams.TB.id ? world.teams.TA.id : world.teams.TB.id };
  }
  if (act === 'transferStudent') return { toSchoolId: world.schools.A2.id };
  if (act === 'staffTrajectory') return { staffUserId: world.users.scientistA.id };
  switch (ACT_CASES[act].target) {
    case 'Goal':
      return {
        goalId: fixture.goal?.id
          ?? (await ds.getRepository(Goal).save(ds.getRepository(Goal).create({ ...base, description: unique('Goal '), agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true }))).id,
      };
    case 'Escalation':
      return {
        escalationId: (await ds.getRepository(Escalation).save(ds.getRepository(Escalation).create({ ...base, level: 1, reason: unique('Stalls '), raisedByUserId: world.users.scientistA.id }))).id,
      };
    case 'Complaint':
      return {
        complaintId: (await ds.getRepository(Complaint).save(ds.getRepository(Complaint).create({ ...base, complainant: Party.PARENTS, description: unique('Complaint '), receivedOn: today }))).id,
      };
    case 'HandoverAdvice': {
      // A fresh advice, written the day before and not yet taken into the OPP.
      const advice = ds.getRepository(HandoverAdvice).create({
        ...base, advice: unique('Advice '), writtenOn: addDays(today, -1), recipient: HandoverRecipient.SCHOOL, recipientName: null, takenIntoOppOn: null,
        authorUserId: world.users.scientistA.id,
      });
      return { handoverAdviceId: (await ds.getRepository(HandoverAdvice).save(advice)).id };
    }
    default:
      return {};
  }
}

/** The raw GraphQL operation of `act` (selecting only `id`), for a call through `app.gql`. */
export function actOperation(act: ActName): string {
  const mutation = (ACTS[act] as ActSpec).mutation;
  return `mutation Act($input: ${ACT_CASES[act].inputType}!) { ${mutation}(input: $input) { id } }`;
}
