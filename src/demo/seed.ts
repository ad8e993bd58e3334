/**
 * The demo data of the README, "Demo data": one partnership with four windstreken, three schools and
 * one Topteam each, a user for every role, students at every school, and trajectories in every
 * phase with their history. The data is described as tables at the top; everything else is
 * derived from them and from `today`: ids are name-based UUIDs, dates are calendar days counted
 * back from today. All rows go in with `ON CONFLICT DO NOTHING` in one transaction, so a second
 * run inserts nothing.
 *
 * Besides the current cases (TRAJECTORIES: few, recent, hand-written) the partnership has a
 * history for its dashboards (intake, caseload over time, timeliness, results): about two
 * school years of generated trajectories on students of their own (`history/<w>/<n>/<j>`),
 * registered between roughly 26 and 5 months ago, with advice requests and pre-consultations
 * over the same years (see "The history" below). The history is drawn by a PRNG with a fixed
 * seed, never from the date, so every run (on any day) yields the same names and ids. Every
 * history trajectory is finished (REFUSED, CLOSED, CANCELLED after acceptance or COMPLETED),
 * so it adds nothing to a team's current load, the assignment proposals or the caseloads.
 * Both kinds of spec go through the same row building: route acts from the workflow's table,
 * case work by phase, the trajectory row as the workflow leaves it (phase dates, version,
 * closing reason, retention stamp).
 */
import { createHash } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { Config, PhaseNorms } from '../config';
import { addDays, addMonths, ageOn, amsterdamDate } from '../domain/clock';
import {
  CancellationReason, ComplaintStatus, ConsentPurpose, ConsultationKind, ConsultationOutcome, DataSubjectRequestKind, DataSubjectRequestStatus,
  ExitLevel, GoalProgress, HandoverRecipient, GrantorRole, LegalBasis, Party, Phase, ProblemArea as P, RefusalGround, Role, TeamFunction,
} from '../domain/enums';
import { studentPseudonym } from '../domain/pseudonym';
import { consultationRetention, retentionFor } from '../modules/privacy/retention/policy';
import { CooperationAgreements } from '../modules/trajectories/cooperation-agreements';
import { Eligibility } from '../modules/trajectories/eligibility';
import { ACTS, ActName, ActSpec } from '../modules/trajectories/workflow/acts';
import { COMPLAINT_ACTS } from '../modules/trajectories/workflow/oversight.service';
import { transferEventReason } from '../modules/students/student.service';
import { followUpDates, phaseDates } from '../modules/trajectories/workflow/phase-norms';
import { demoEmail } from '../auth/demo-accounts';
import { snakeCase } from '../db/naming';

export { DEMO_DOMAIN, demoEmail } from '../auth/demo-accounts';
export const DEMO_PARTNERSHIP_CODE = 'VO2701';
export const DEMO_PARTNERSHIP_NAME = 'Samenwerkingsverband VO Amsterdam-Diemen';

/** A stable UUID (version-5 layout) for the demo record called `name`. */
export function demoId(name: string): string {
  const hex = createHash('sha1').update(`toptrajecten-demo/${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------------------------

type W = 'noord' | 'oost' | 'zuid' | 'west';
/** Windstreek, school 1–3, student: 1–4 for the current demo students, numbered per school in the history. */
type StudentRef = [W, number, number];

/**
 * `capacity`: the team's capacity today. West's was lowered (see CAPACITY_CHANGES): with its
 * load of 4.5 it is at its overflow threshold (90 % of 5), which is why its newest cases went
 * to the teams of Zuid and Noord.
 */
const WINDSTREKEN: { key: W; name: string; capacity: number; schools: [name: string, brin: string][] }[] = [
  { key: 'noord', name: 'Noord', capacity: 12, schools: [['Noorderlicht College', '14NA'], ['IJpleinlyceum', '14NB'], ['Scholengemeenschap Buikslotermeer', '14NC']] },
  { key: 'oost', name: 'Oost', capacity: 12, schools: [['Watergraafsmeer College', '15OA'], ['Oostpoort Lyceum', '15OB'], ['Diemerpark Scholengemeenschap', '15OC']] },
  { key: 'zuid', name: 'Zuid', capacity: 12, schools: [['Amstelveld Lyceum', '16ZA'], ['Rivierenbuurt College', '16ZB'], ['Buitenveldert Scholengemeenschap', '16ZC']] },
  { key: 'west', name: 'West', capacity: 5, schools: [['Bos en Lommer College', '17WA'], ['Slotervaart Lyceum', '17WB'], ['Westerpark Scholengemeenschap', '17WC']] },
];
/** Bordering windstreken; stored in both directions. Noord–Zuid and Oost–West do not border. */
const NEIGHBOURS: [W, W][] = [['noord', 'oost'], ['noord', 'west'], ['oost', 'zuid'], ['zuid', 'west']];

const PARTNERSHIP_USERS: [local: string, role: Role][] = [
  ['admin', Role.ADMIN], ['privacy', Role.PRIVACY_OFFICER], ['coordinator', Role.PROGRAMME_COORDINATOR], ['analyst', Role.PARTNERSHIP_ANALYST],
];
/** The five members of every Topteam: `<local>.<windstreek>`. */
const TEAM_MEMBERS: [local: string, fn: TeamFunction][] = [
  ['scientist', TeamFunction.BEHAVIOURAL_SCIENTIST], ['teacher', TeamFunction.TEACHER], ['teacher2', TeamFunction.TEACHER],
  ['careworker', TeamFunction.CARE_WORKER], ['careworker2', TeamFunction.CARE_WORKER],
];

/**
 * A vacancy: West's second ambulant hulpverlener left the team this many days ago (the
 * membership is revoked), so Topteam West is incomplete and its `composition` warns.
 */
const VACANCY = { local: 'careworker2.west', daysAgo: 20 };

const STUDENTS_PER_SCHOOL = 4;
const MENTEES_PER_SCHOOL = 3; // students 1–3 of each school have the school's mentor (in the history: three of every four)
const GIVEN = ['Sanne', 'Daan', 'Fatima', 'Mohamed', 'Lotte', 'Jesse', 'Noor', 'Bram', 'Yasmine', 'Thijs', 'Emma', 'Ilias', 'Julia', 'Sem', 'Amira', 'Lucas', 'Fleur', 'Mees', 'Zeynep', 'Ruben', 'Sara', 'Milan', 'Nadia', 'Luuk', 'Esra'];
const FAMILY = ['de Vries', 'Jansen', 'El Amrani', 'Bakker', 'Visser', 'Yilmaz', 'Smit', 'Meijer', 'de Boer', 'Bouzid', 'Mulder', 'de Jong', 'Kramer', 'Pinas', 'Dekker', 'Öztürk', 'van Dijk', 'Vos', 'Hoekstra', 'Kartosen', 'Brouwer', 'Peters', 'Koç', 'van den Berg'];
const PARENT_GIVEN = ['Karin', 'Mark', 'Samira', 'Hassan', 'Monique', 'Erik', 'Aylin', 'Dennis', 'Mariska', 'Rachid', 'Ingrid', 'Patrick', 'Hülya'];
const EXIT_LEVELS = Object.values(ExitLevel);
/** Current students were enrolled this many days ago (history students earlier when their registration needs it). */
const ENROLLED_DAYS_AGO = 420;

type Actor = 'school' | 'advisor' | 'scientist' | 'careworker';
/**
 * An act as the event log names it: an act of the workflow's table (`ACTS` in
 * workflow/acts.ts), or one of the two the registration writes itself.
 */
type EventAct = ActName | 'submitRegistration' | 'assignTeam';
type ComplaintAct = keyof typeof COMPLAINT_ACTS;

/** Absence registered by the school: [days ago, lessons, authorised, note]. */
type AbsenceSpec = [daysAgo: number, lessonsMissed: number, authorised: boolean, note: string | null];
/** A step on the escalation ladder, raised by the gedragswetenschapper; resolved by the programme coordinator, or still open. */
interface EscalationSpec { level: number; reason: string; daysAgo: number; resolved?: { daysAgo: number; resolution: string } }
/** A complaint, filed with the team, then moved on by the acts of its own small state machine (`COMPLAINT_ACTS`). */
interface ComplaintSpec { complainant: Party; description: string; daysAgo: number; steps: [act: ComplaintAct, daysAgo: number, resolution: string | null][] }
/** One party's exit questionnaire, recorded a week after the trajectory ended. */
type ExitAnswer = [party: Party, score: number, comment: string | null];
/**
 * How a follow-up went (one per moment, in `followUpDates` order): once due more than
 * FOLLOW_UP_RECORDED_AFTER_DAYS ago it is recorded `daysLate` days after its due date with
 * these answers, unless `missed` (then it stays open although due: overdue).
 */
interface FollowUpSpec { answers: [stillInEducation: boolean, atExpectedExitLevel: boolean, diplomaExpected: boolean]; daysLate: number; missed?: boolean }
const FOLLOW_UP_DEFAULT: FollowUpSpec = { answers: [true, true, true], daysLate: 2 };
/** A follow-up due more than this many days ago has been recorded (unless missed); a younger one is still open. */
const FOLLOW_UP_RECORDED_AFTER_DAYS = 14;

/** Case work beyond what every trajectory in its phase gets; dates as days before today. */
interface CaseExtras {
  /** Cooperation agreements (samenwerkingsafspraken), recorded on the day the intensive phase started. */
  cooperation?: Omit<CooperationAgreements, 'agreedOn'>;
  /** A second hand-over advice, for home or a network partner (not taken into the OPP). */
  extraAdvice?: [recipient: HandoverRecipient, recipientName: string | null, advice: string];
  absences?: AbsenceSpec[];
  escalations?: EscalationSpec[];
  complaint?: ComplaintSpec;
  exitAnswers?: ExitAnswer[];
  followUps?: FollowUpSpec[];
}

/**
 * One trajectory. `days`: days since its current phase started; earlier acts lie `gaps[act]`
 * (default: STEPS) days before the next. `team`: an overflow team of another windstreek.
 * `history`: on a student of the history (see `studentKey`). `cancelledIn`: the phase a
 * CANCELLED trajectory was cancelled from (default INTENSIVE), `cancellationReason` why
 * (required for CANCELLED). `careConsentEndsWithCase`: the care consent was given for this
 * trajectory only and expired the day it ended. `reasons`: the texts of its route acts, over
 * ACT_REASONS.
 */
interface TrajectorySpec extends CaseExtras {
  at: StudentRef; phase: Phase; days: number; areas: P[]; team?: W; preConsultation?: boolean; infoRound?: boolean; history?: boolean;
  cancelledIn?: Phase; cancellationReason?: CancellationReason; careConsentEndsWithCase?: boolean;
  gaps?: Partial<Record<EventAct, number>>; reasons?: Partial<Record<EventAct, string>>;
}
const TRAJECTORIES: TrajectorySpec[] = [
  { at: ['noord', 1, 1], phase: Phase.INTENSIVE, days: 95, areas: [P.ABSENCE, P.MOTIVATION], preConsultation: true },
  { at: ['noord', 1, 2], phase: Phase.REQUESTED, days: 2, areas: [P.EXECUTIVE_FUNCTIONS] },
  { at: ['noord', 2, 1], phase: Phase.ASSESSMENT, days: 10, areas: [P.INTERNALISING_BEHAVIOUR] },
  { at: ['noord', 2, 2], phase: Phase.IN_REVIEW, days: 4, areas: [P.EXTERNALISING_BEHAVIOUR, P.COMPLEX_LEISURE_SITUATION] },
  { at: ['noord', 3, 1], phase: Phase.COMPLETED, days: 140, areas: [P.EXECUTIVE_FUNCTIONS, P.MOTIVATION], infoRound: true },
  { at: ['oost', 1, 1], phase: Phase.ASSESSMENT, days: 35, areas: [P.COMPLEX_HOME_SITUATION, P.ABSENCE], preConsultation: true },
  { at: ['oost', 1, 2], phase: Phase.INFO_REQUESTED, days: 6, areas: [P.MOTIVATION] },
  { at: ['oost', 2, 1], phase: Phase.CONSOLIDATION, days: 40, areas: [P.EXTERNALISING_BEHAVIOUR] },
  { at: ['oost', 2, 2], phase: Phase.ACCEPTED, days: 3, areas: [P.INTERNALISING_BEHAVIOUR, P.ABSENCE] },
  { at: ['oost', 3, 1], phase: Phase.CANCELLED, days: 12, areas: [P.COMPLEX_HOME_SITUATION], cancellationReason: CancellationReason.CONSENT_WITHDRAWN },
  { at: ['zuid', 1, 1], phase: Phase.INTENSIVE, days: 30, areas: [P.EXECUTIVE_FUNCTIONS] },
  { at: ['zuid', 1, 2], phase: Phase.REFUSED, days: 20, areas: [P.EXECUTIVE_FUNCTIONS], careConsentEndsWithCase: true },
  { at: ['zuid', 2, 1], phase: Phase.CLOSED, days: 15, areas: [P.INTERNALISING_BEHAVIOUR, P.COMPLEX_HOME_SITUATION], careConsentEndsWithCase: true },
  { at: ['zuid', 2, 2], phase: Phase.ASSESSMENT, days: 5, areas: [P.ABSENCE] },
  { at: ['zuid', 3, 1], phase: Phase.CONSOLIDATION, days: 100, areas: [P.MOTIVATION, P.COMPLEX_LEISURE_SITUATION] },
  { at: ['west', 1, 1], phase: Phase.INTENSIVE, days: 50, team: 'zuid', areas: [P.EXTERNALISING_BEHAVIOUR, P.COMPLEX_LEISURE_SITUATION] },
  { at: ['west', 1, 2], phase: Phase.ACCEPTED, days: 1, team: 'noord', areas: [P.ABSENCE] },
  { at: ['west', 1, 3], phase: Phase.CONSOLIDATION, days: 20, areas: [P.INTERNALISING_BEHAVIOUR] },
  { at: ['west', 2, 1], phase: Phase.COMPLETED, days: 100, areas: [P.MOTIVATION] },
  { at: ['west', 2, 2], phase: Phase.REQUESTED, days: 1, areas: [P.COMPLEX_HOME_SITUATION, P.ABSENCE], preConsultation: true },
  { at: ['west', 2, 3], phase: Phase.INTENSIVE, days: 60, areas: [P.EXTERNALISING_BEHAVIOUR] },
  { at: ['west', 3, 1], phase: Phase.ASSESSMENT, days: 20, areas: [P.EXECUTIVE_FUNCTIONS, P.INTERNALISING_BEHAVIOUR] },
  // Past the intensive phase's hard limit (16 weeks) on the demo's date: the programme coordinator's overdueCases shows it.
  { at: ['west', 3, 2], phase: Phase.INTENSIVE, days: 120, areas: [P.MOTIVATION, P.ABSENCE] },
  { at: ['west', 3, 3], phase: Phase.ASSESSMENT, days: 8, areas: [P.ABSENCE, P.COMPLEX_HOME_SITUATION] },
];
/** The case work of single current cases, by student key (attached to their TRAJECTORIES entry). */
const CASE_EXTRAS: Record<string, CaseExtras> = {
  // A trajectory with the ABSENCE problem area: absence registered by the school, and an open escalation.
  'noord/1/1': {
    cooperation: {
      teachers: ['Mw. S. de Wit (Nederlands)', 'Dhr. K. Ouali (wiskunde)'], mentor: 'Mw. L. Peters', careCoordinator: 'Dhr. R. Smit', management: 'Mw. A. Kok (teamleider onderbouw)',
      agreements: 'Elke maandag een check-in van tien minuten met de mentor; de docenten melden verzuim dezelfde dag aan de zorgcoördinator; '
        + 'de teamleider zit bij de evaluatie na zes weken.',
    },
    absences: [[23, 2, false, 'Eerste twee uur afwezig, geen bericht van thuis.'], [16, 6, true, 'Ziek gemeld door moeder.'], [11, 1, false, null]],
    escalations: [{ level: 2, daysAgo: 9, reason: 'Afspraken over de opvang bij verzuim worden op school niet nagekomen; overleg met de zorgcoördinator leverde geen verbetering op.' }],
  },
  'oost/2/1': {
    extraAdvice: [HandoverRecipient.NETWORK_PARTNER, 'Buurtteam Amsterdam-Oost', 'Sluit aan bij het oudergesprek over de avondstructuur; houd dezelfde weekplanning aan als op school.'],
    complaint: {
      complainant: Party.PARENTS, daysAgo: 18, description: 'Ouders zijn te laat geïnformeerd over de overgang naar de borgingsfase.',
      steps: [['handleComplaint', 12, 'Excuses aangeboden; ouders krijgen voortaan bij elke faseovergang binnen een week bericht van de ambulant hulpverlener.']],
    },
  },
  'noord/3/1': {
    exitAnswers: [
      [Party.STUDENT, 4, 'De vaste check-ins hielpen me om bij te blijven.'], [Party.PARENTS, 5, 'Fijn dat we steeds op de hoogte waren.'], [Party.SCHOOL, 4, 'Heldere handelingsadviezen voor de mentor.'],
    ],
  },
};
/**
 * Students who moved to another school of their windstreek (overstap, `transferStudent`):
 * [student, the school (1–3) they moved to, days ago]. The coordinator of the school they left
 * handed them over: the mentor was cleared, the transfer is in the student's history, and a
 * running case followed with an event of its own (its team and home windstreek stayed).
 */
const TRANSFERS: [StudentRef, number, number][] = [[['zuid', 2, 2], 3, 2]];
/** Current students who left school (uitschrijving, `recordLeftSchool`), without a case: [student, days ago]. */
const LEFT_SCHOOL: [StudentRef, number][] = [[['noord', 1, 4], 20]];
/** Capacity changes by the programme coordinator: [windstreek, days ago, previous, new, reason]. */
const CAPACITY_CHANGES: [W, number, number, number, string][] = [
  ['west', 120, 10, 5, 'Twee teamleden langdurig afwezig; capaciteit tijdelijk gehalveerd. Nieuwe aanmeldingen gaan zo nodig naar de buurteams.'],
];

/**
 * The route acts: who does each, and days since the previous act. Which phases allow an act
 * and where it leads come from the workflow's table; the seed only adds the timing. The team
 * is assigned within the acceptance, by the reviewing advisor, as the API does.
 */
const STEPS: Partial<Record<EventAct, { by: Actor; gap: number }>> = {
  submitRegistration: { by: 'school', gap: 0 },
  requestInformation: { by: 'advisor', gap: 5 },
  supplementRegistration: { by: 'school', gap: 6 },
  acceptRegistration: { by: 'advisor', gap: 6 },
  refuseRegistration: { by: 'advisor', gap: 7 },
  assignTeam: { by: 'advisor', gap: 0 },
  startAssessment: { by: 'scientist', gap: 3 },
  agreeGoals: { by: 'scientist', gap: 28 },
  closeAfterAssessment: { by: 'scientist', gap: 30 },
  startConsolidation: { by: 'scientist', gap: 84 },
  completeTrajectory: { by: 'scientist', gap: 91 },
  cancelTrajectory: { by: 'scientist', gap: 21 },
};
function step(act: EventAct): { by: Actor; gap: number } {
  const timing = STEPS[act];
  if (!timing) throw new Error(`seed: no timing for the route act ${act}`);
  return timing;
}

/**
 * The acts that led to a trajectory's current phase. A registration is reviewed from
 * REQUESTED directly; IN_REVIEW is the phase after the school supplemented what was asked.
 * A cancellation ends the route to `cancelledIn` (the seed cancels accepted trajectories only).
 */
function route({ phase, infoRound, cancelledIn = Phase.INTENSIVE }: Pick<TrajectorySpec, 'phase' | 'infoRound' | 'cancelledIn'>): EventAct[] {
  const infoRequested: EventAct[] = ['submitRegistration', 'requestInformation'];
  const supplemented: EventAct[] = [...infoRequested, 'supplementRegistration'];
  const review: EventAct[] = infoRound ? supplemented : ['submitRegistration'];
  const accepted: EventAct[] = [...review, 'acceptRegistration', 'assignTeam'];
  const assessment: EventAct[] = [...accepted, 'startAssessment'];
  const intensive: EventAct[] = [...assessment, 'agreeGoals'];
  const consolidation: EventAct[] = [...intensive, 'startConsolidation'];
  const running: Partial<Record<Phase, EventAct[]>> = { ACCEPTED: accepted, ASSESSMENT: assessment, INTENSIVE: intensive, CONSOLIDATION: consolidation };
  const cancelledFrom = running[cancelledIn];
  if (phase === Phase.CANCELLED && !cancelledFrom) throw new Error(`seed: the seed cancels accepted trajectories only, not in ${cancelledIn}`);
  const routes: Record<Phase, EventAct[]> = {
    REQUESTED: ['submitRegistration'], IN_REVIEW: supplemented, INFO_REQUESTED: infoRequested, ACCEPTED: accepted,
    REFUSED: [...review, 'refuseRegistration'], ASSESSMENT: assessment, INTENSIVE: intensive, CONSOLIDATION: consolidation,
    COMPLETED: [...consolidation, 'completeTrajectory'], CLOSED: [...assessment, 'closeAfterAssessment'], CANCELLED: [...(cancelledFrom ?? []), 'cancelTrajectory'],
  };
  return routes[phase];
}

/**
 * The phases around an act done in `phase`, as the API records them: from the act table, and
 * refused (so the seed cannot drift from it) when the table does not allow the act there.
 */
function transition(act: EventAct, phase: Phase | null): { fromPhase: Phase | null; toPhase: Phase } {
  if (act === 'submitRegistration' && phase === null) return { fromPhase: null, toPhase: Phase.REQUESTED };
  if (act === 'assignTeam' && phase === Phase.ACCEPTED) return { fromPhase: phase, toPhase: phase };
  const spec: ActSpec | undefined = (ACTS as Record<string, ActSpec>)[act];
  if (!spec || phase === null || !spec.from.includes(phase)) throw new Error(`seed: the act ${act} is not possible in phase ${phase}`);
  return { fromPhase: phase, toPhase: spec.to ?? phase };
}

/**
 * The meetings a trajectory's phase acts store (the intro meeting, the advice/start meeting, the
 * advice meeting that closes it), each held on the day of its act.
 */
function meetingDates(actDate: (act: EventAct) => Date | undefined): { introMeetingOn: string | null; startMeetingOn: string | null; closingMeetingOn: string | null } {
  const on = (act: EventAct) => { const d = actDate(act); return d ? amsterdamDate(d) : null; };
  return { introMeetingOn: on('startAssessment'), startMeetingOn: on('agreeGoals'), closingMeetingOn: on('closeAfterAssessment') };
}

/** Acts that end a trajectory early; their reason is the trajectory's closing reason. */
const CLOSING_ACTS: EventAct[] = ['refuseRegistration', 'closeAfterAssessment', 'cancelTrajectory'];
/** The texts of the route acts, unless a spec has its own (`reasons`); cancellations by CANCELLATION_EXPLANATION. */
const ACT_REASONS: Partial<Record<EventAct, string>> = {
  requestInformation: 'Graag het actuele verzuimoverzicht en de handelingsadviezen uit het OPP toevoegen.',
  supplementRegistration: 'Verzuimoverzicht en OPP met handelingsadviezen toegevoegd.',
  refuseRegistration: 'Enkelvoudige vraag (IQ-onderzoek): geen Toptraject. Verwezen naar de orthopedagoog van de school.',
  closeAfterAssessment: 'Onderzoeksfase afgerond: zeer intensieve zorg nodig (specialistische GGZ). Advies over een andere route gegeven.',
};
/** The explanation of a cancellation (the API requires one for OTHER), by its reason. */
const CANCELLATION_EXPLANATION: Record<CancellationReason, string> = {
  CONSENT_WITHDRAWN: 'Toestemming voor zorg door het Topteam ingetrokken door leerling en ouders; begeleiding per direct gestopt.',
  LEFT_SCHOOL: 'Leerling is verhuisd en ingeschreven op een school buiten de regio; de begeleiding is afgesloten en de nieuwe school is geïnformeerd.',
  REGULAR_EDUCATION_NOT_FEASIBLE: 'Regulier onderwijs bleek niet haalbaar; de leerling stapt over naar het voortgezet speciaal onderwijs.',
  NEEDS_VERY_INTENSIVE_CARE: 'Ernstige psychische problemen; de leerling is aangemeld bij de specialistische jeugd-ggz.',
  NOT_MOTIVATED: 'Leerling en ouders willen niet langer meewerken aan de afspraken van het Toptraject.',
  OTHER: 'Leerling is opgenomen in een dagbehandeling; het Topteam heeft de begeleiding overgedragen aan de behandelaar.',
};
/** The target-group answers of every demo registration: all criteria met, no exclusion. */
const ELIGIBILITY: Eligibility = {
  enrolledInRegularEducation: true, regularEducationFeasible: true, studentMotivated: true, parentsMotivated: true,
  schoolMotivated: true, goalsReachableWithinTerm: true, singleQuestion: false, needsVeryIntensiveCare: false,
};
/** Parents are informed this many days before the registration is submitted. */
const PARENTS_INFORMED_DAYS_BEFORE = 4;
/** A pre-consultation that led to a registration was held this many days before it. */
const PRE_CONSULTATION_DAYS_BEFORE = 14;
/** The step (see `at`) of the oversight acts: after any route act of the same day, so the event log stays in order. */
const OVERSIGHT_STEP = 12;
const GOAL_TEXT: Record<P, string> = {
  EXECUTIVE_FUNCTIONS: 'Plant het huiswerk zelfstandig in de agenda en levert 80% van de opdrachten op tijd in.',
  MOTIVATION: 'Formuleert een eigen doel voor dit schooljaar en bespreekt de voortgang wekelijks met de mentor.',
  ABSENCE: 'Is elke ochtend om 8.30 uur op school; het ongeoorloofd verzuim daalt naar nul uur per week.',
  EXTERNALISING_BEHAVIOUR: 'Herkent spanning op tijd en gebruikt de afgesproken time-out in plaats van de les te verstoren.',
  INTERNALISING_BEHAVIOUR: 'Vraagt in de klas om hulp en doet mee aan ten minste één groepsopdracht per week.',
  COMPLEX_HOME_SITUATION: 'Ouders en school hebben elke twee weken contact; thuis is er een vaste, rustige werkplek.',
  COMPLEX_LEISURE_SITUATION: 'Heeft een vaste vrijetijdsbesteding (sport of bijbaan) en een avondroutine op schooldagen.',
};
const GOAL_PROGRESS: Partial<Record<Phase, GoalProgress>> = {
  INTENSIVE: GoalProgress.IN_PROGRESS, CONSOLIDATION: GoalProgress.ACHIEVED, COMPLETED: GoalProgress.ACHIEVED, CANCELLED: GoalProgress.NOT_ACHIEVED,
};
/** Evaluations this many days into the intensive phase: [what works, what to stop, summary]. */
const EVALUATIONS: [days: number, whatWorks: string, whatToStop: string, summary: string][] = [
  [42, 'Korte vaste check-in bij binnenkomst; complimenten van de mentor werken motiverend.', 'Lange gesprekken achteraf over wat er misging.', 'Goede start: doelen blijven leidend, frequentie gelijk houden.'],
  [70, 'Weekplanning op papier en een vaste werkplek in het lokaal.', 'Huiswerk laten controleren door ouders; dat geeft thuis spanning.', 'Voortgang op beide doelen; toewerken naar de borgingsfase.'],
];
const NOTE_TEXT: Partial<Record<Phase, string>> = {
  ACCEPTED: 'Dossier besproken in het teamoverleg; kennismaking met leerling en ouders wordt ingepland.',
  ASSESSMENT: 'Lesobservatie gedaan; vragenlijsten uitgezet bij mentor en ouders. Gesprek met de leerling volgende week.',
  INTENSIVE: 'Tweewekelijks overleg met de mentor loopt goed; ouders willen vaker een korte terugkoppeling.',
  CONSOLIDATION: 'Handelingsadviezen overgedragen aan de mentor en opgenomen in het OPP; contact afgebouwd naar eens per drie weken.',
  COMPLETED: 'Afsluitend gesprek gevoerd en exit-vragenlijsten verstuurd. Follow-up na drie maanden ingepland.',
  CLOSED: 'Hulpvraag past niet bij een Toptraject; route naar specialistische zorg besproken met school en ouders.',
  // CANCELLED: none; the cancellation's explanation says what happened. (Where the consent for
  // care was withdrawn the team may no longer write in the case at all: writeCase needs it.)
};
/** The hand-over advice (handelingsadvies), written before consolidation (the workflow requires one). */
const HANDOVER_ADVICE = 'Start de dag met een korte check-in bij de mentor; werk met een weekplanning op papier en een vaste werkplek in het lokaal. '
  + 'Bespreek de voortgang eens per twee weken kort met leerling en ouders en spreek complimenten concreet uit.';

/**
 * An advice request (step 1) or a pre-consultation (step 2) not tied to a registration; both
 * anonymous. `outcome` null: never answered; else answered `answeredAfterDays` days after it
 * was asked (same day by default). The outcomes each kind can have are the consultation
 * service's (advice: ADVICE_SUFFICIENT or GO_TO_PRE_CONSULTATION; pre-consultation:
 * TOPTRAJECT or OTHER_SUPPORT).
 */
interface ConsultationSpec {
  kind: ConsultationKind; school: [W, number]; daysAgo: number; outcome: ConsultationOutcome | null; answeredAfterDays?: number;
  caseDescription: string; advice: string | null;
}
const CONSULTATIONS: ConsultationSpec[] = [
  { kind: ConsultationKind.ADVICE, school: ['noord', 2], daysAgo: 45, outcome: ConsultationOutcome.ADVICE_SUFFICIENT, caseDescription: 'Leerling klas 2 vhaves mist structuur bij het plannen van toetsen; mentor vraagt om tips.', advice: 'Werk met een weekplanner en een vast planmoment met de mentor; na zes weken evalueren.' },
  { kind: ConsultationKind.ADVICE, school: ['zuid', 3], daysAgo: 25, outcome: ConsultationOutcome.GO_TO_PRE_CONSULTATION, caseDescription: 'Leerling klas 3 trekt zich terug en verzuimt steeds vaker op maandag.', advice: 'Plan een collegiaal vooroverleg met de onderwijsadviseur; breng het verzuimoverzicht mee.' },
];
/** Who records a consultation's outcome, in its windstreek: `<local>.<w>`. */
const ANSWERED_BY: Record<ConsultationKind, 'scientist' | 'advisor'> = { ADVICE: 'scientist', PRE_CONSULTATION: 'advisor' };
/** The answers to the questions of a pre-consultation; what is agreed depends on where it led. */
const PRE_CONSULTATION_ANSWERS = {
  howIsTheStudentDoing: 'Wisselend: goede dagen op school, maar regelmatig afwezig in het eerste uur.',
  helpGivenAndResult: 'Mentorgesprekken en begeleiding door de zorgcoördinator; kort effect, geen blijvende verbetering.',
  otherAgenciesInvolved: 'Leerplichtambtenaar (zorgmelding) en de jeugdarts.',
  motivation: 'Leerling, ouders, mentor en docenten willen actief meewerken.',
};
const AGREEMENTS_NOW: Partial<Record<ConsultationOutcome, string>> = {
  TOPTRAJECT: 'School registreert verzuim dagelijks; aanmelding voor een Toptraject binnen twee weken.',
  OTHER_SUPPORT: 'Geen aanmelding voor een Toptraject; de school schakelt de besproken ondersteuning in en evalueert over zes weken.',
};
/** The pre-consultation that led to a registration (`preConsultation` of a spec). */
const PRE_CONSULTATION = {
  caseDescription: 'Leerling loopt vast op verzuim en motivatie; de school zoekt ambulante ondersteuning naast de eigen zorgstructuur.',
  advice: 'Aanmelden voor een Toptraject met de probleemgebieden verzuim en motivatie.',
};
const DATA_SUBJECT_REQUEST = { student: ['oost', 3, 1] as StudentRef, kind: DataSubjectRequestKind.ACCESS, daysAgo: 6 };
/**
 * The privacy officer's tools (README, "Consent" and "Data-subject requests"): the withdrawn care
 * consent of the case cancelled for that reason was sent to, and recorded by, the privacy officer
 * (with the letter as evidence); a registration under review whose care consent, limited in time,
 * expired yesterday (in the missing-consent list); a student of a running case who turns 16 soon,
 * whose consent given with the parents will then need re-confirmation; and a rectification
 * request, the identity verified, ready to be carried out.
 */
const PRIVACY_DEMO = {
  withdrawnByPrivacyOfficer: 'oost/3/1',
  withdrawalEvidence: 'Brief van de ouders, ontvangen door de functionaris gegevensbescherming (privacydossier 2026-014)',
  withdrawalReason: 'Ouders trekken de toestemming voor zorg door het Topteam in; zij zoeken hulp elders.',
  careConsentExpiredUnderReview: 'noord/2/2',
  turningSixteen: { student: 'west/3/3', inDays: 12 },
  rectification: { student: ['noord', 2, 1] as StudentRef, daysAgo: 3 },
};

// ---------------------------------------------------------------------------------------------
// The history: two school years of finished trajectories and consultations, generated
// ---------------------------------------------------------------------------------------------

/** Durations in days as bands [share, min, max]: a band by its share, then a day in it uniformly. */
type Bands = [share: number, min: number, max: number][];

/**
 * The history's shape. Shares are of the history trajectories unless said otherwise. The
 * durations vary around the handbook's norms (config defaults: assessment 4 weeks, intensive
 * 12 weeks with a limit of 16, consolidation 3 months), with some over them.
 */
const HISTORY = {
  /**
   * The PRNG's seed. Changing it, or any share, count or draw below, draws another history
   * under the same names: a database seeded before keeps its old rows (and may refuse new
   * students whose numbers its old ones hold), so reseed that one from empty.
   */
  seed: 0x7097_2024,
  trajectories: 340,
  /** Registrations between about 26 and 5 months ago. */
  registeredDaysAgo: [150, 790] as [number, number],
  /** Every history trajectory ended at least this long ago (its exit questionnaires, a week later, lie in the past too). */
  endedDaysAgo: 14,
  /** Drawn again when the route does not fit before `endedDaysAgo` (then a refusal at last): fewer completions come out than drawn. */
  outcomes: [[Phase.COMPLETED, 0.68], [Phase.REFUSED, 0.1], [Phase.CLOSED, 0.1], [Phase.CANCELLED, 0.12]] as [Phase, number][],
  cancelledIn: [[Phase.ACCEPTED, 0.1], [Phase.ASSESSMENT, 0.25], [Phase.INTENSIVE, 0.5], [Phase.CONSOLIDATION, 0.15]] as [Phase, number][],
  /** Not CONSENT_WITHDRAWN: the history's consents hold (the demo's one withdrawn consent is a current case's). */
  cancellationReasons: [
    [CancellationReason.LEFT_SCHOOL, 0.4], [CancellationReason.REGULAR_EDUCATION_NOT_FEASIBLE, 0.15], [CancellationReason.NEEDS_VERY_INTENSIVE_CARE, 0.1],
    [CancellationReason.NOT_MOTIVATED, 0.1], [CancellationReason.OTHER, 0.25],
  ] as [CancellationReason, number][],
  infoRound: 0.2,
  preConsultation: 0.06,
  /** Assigned to the team of a neighbouring windstreek (overflow). */
  crossWindstreek: 0.1,
  /** Of the trajectories with an intensive phase: an escalation in it (resolved by this share), a complaint. */
  escalation: 0.14, escalationResolved: 0.65, complaint: 0.06,
  /** Of the COMPLETED and CLOSED ones: exit questionnaires by 1–3 parties. */
  exitQuestionnaires: 0.8,
  exitScores: [[1, 0.04], [2, 0.08], [3, 0.22], [4, 0.38], [5, 0.28]] as [number, number][],
  /** Per follow-up: left unrecorded although due; the answers (level and diploma given still in education). */
  followUpMissed: 0.07, stillInEducation: 0.85, atExpectedExitLevel: 0.82, diplomaExpected: 0.71,
  /** Anonymous consultations over the same years: advice requests and pre-consultations that led elsewhere. */
  adviceRequests: 36,
  adviceOutcomes: [[ConsultationOutcome.ADVICE_SUFFICIENT, 0.55], [ConsultationOutcome.GO_TO_PRE_CONSULTATION, 0.3], [null, 0.15]] as [ConsultationOutcome | null, number][],
  preConsultations: 12,
};
/** Days since the previous act, per route act of a history trajectory. */
const HISTORY_GAPS: Partial<Record<EventAct, Bands>> = {
  requestInformation: [[1, 2, 10]],
  supplementRegistration: [[1, 2, 14]],
  // registration → decision 1–6 weeks (with an information round: DECISION_AFTER_SUPPLEMENT, 1–5.5 weeks in all)
  acceptRegistration: [[0.75, 7, 21], [0.25, 22, 42]],
  refuseRegistration: [[0.75, 7, 21], [0.25, 22, 42]],
  assignTeam: [[1, 0, 0]],
  startAssessment: [[0.8, 0, 14], [0.2, 15, 28]],
  agreeGoals: [[0.7, 21, 28], [0.3, 29, 42]],
  closeAfterAssessment: [[0.7, 21, 28], [0.3, 29, 42]],
  startConsolidation: [[0.6, 56, 84], [0.3, 85, 112], [0.1, 113, 140]],
  completeTrajectory: [[0.7, 70, 91], [0.3, 92, 112]],
};
const DECISION_AFTER_SUPPLEMENT: Bands = [[1, 3, 14]];
/** Days in the phase a cancelled history trajectory was cancelled from. */
const CANCELLED_AFTER: Partial<Record<Phase, Bands>> = {
  ACCEPTED: [[1, 3, 21]], ASSESSMENT: [[1, 7, 35]], INTENSIVE: [[1, 14, 100]], CONSOLIDATION: [[1, 14, 70]],
};
const COMPLAINT_PATHS: [ComplaintAct[], number][] = [
  [[], 0.15], [['handleComplaint'], 0.3], [['handleComplaint', 'escalateComplaint'], 0.15],
  [['handleComplaint', 'resolveComplaint'], 0.3], [['handleComplaint', 'escalateComplaint', 'resolveComplaint'], 0.1],
];
/** What a recorded demo follow-up says about how it is going (hoe gaat het), by its answers. */
function howIsItGoingText(stillInEducation: boolean, diplomaExpected: boolean): string {
  if (!stillInEducation) return 'Leerling is van school gegaan; contact met de leerplichtambtenaar loopt.';
  return diplomaExpected
    ? 'Gaat goed: de leerling is op school, de mentor is tevreden en de afspraken uit het OPP lopen.'
    : 'Leerling is op school, maar het diploma is nog onzeker; de school houdt vinger aan de pols.';
}

/** The handbook's criterion behind each refusal text (any other text: OTHER, the text explains it). */
const REFUSAL_GROUNDS: Record<string, RefusalGround> = {
  [ACT_REASONS.refuseRegistration!]: RefusalGround.SINGLE_QUESTION,
  'Leerling en ouders zijn (nog) niet gemotiveerd; eerst een gesprek met de leerplichtambtenaar, daarna eventueel opnieuw aanmelden.': RefusalGround.NOT_MOTIVATED,
};

/** The texts the history draws from (refusals and closures: the current demo's first). */
const HISTORY_TEXTS = {
  refuseRegistration: [
    ACT_REASONS.refuseRegistration!,
    'Hulpvraag past binnen de basisondersteuning van de school; advies over de aanpak gegeven aan de zorgcoördinator.',
    'Leerling en ouders zijn (nog) niet gemotiveerd; eerst een gesprek met de leerplichtambtenaar, daarna eventueel opnieuw aanmelden.',
  ],
  closeAfterAssessment: [
    ACT_REASONS.closeAfterAssessment!,
    'Onderzoeksfase afgerond: de hulpvraag ligt vooral thuis. Doorverwezen naar het Ouder- en Kindteam.',
    'Onderzoeksfase afgerond: de school kan met de handelingsadviezen zelf verder; een intensieve fase is niet nodig.',
  ],
  escalation: [
    'De afgesproken opvang bij binnenkomst wordt op school niet geboden; overleg met de zorgcoördinator hielp niet.',
    'Ouders zeggen afspraken herhaaldelijk af; de begeleiding thuis ligt stil.',
    'De school zet de afgesproken aanpassingen in het rooster niet in; de leerling valt opnieuw uit.',
  ],
  escalationResolution: [
    'Overleg met de schoolleiding: vaste contactpersoon aangewezen en afspraken schriftelijk vastgelegd.',
    'Gesprek met ouders en de leerplichtambtenaar; nieuwe afspraken over aanwezigheid bij de gesprekken.',
    'Aanpassingen in het rooster alsnog ingevoerd; evaluatie na vier weken was positief.',
  ],
  complaint: [
    'Ouders hoorden pas achteraf dat de begeleiding werd afgebouwd.',
    'De leerling voelt zich niet gehoord bij het opstellen van de doelen.',
    'Afspraken werden meerdere keren kort van tevoren verzet.',
  ],
  handleComplaint: [
    'Gesprek gevoerd met klager en teamlid; excuses aangeboden en afspraken over de communicatie gemaakt.',
    'Doelen samen met de leerling opnieuw geformuleerd; klager is tevreden met de afhandeling.',
  ],
  resolveComplaint: [
    'Klacht afgehandeld: klager heeft de afspraken bevestigd, geen verdere stappen.',
    'Uitspraak klachtencommissie aanbieder: deels gegrond; verbeterpunten in het teamoverleg besproken.',
  ],
  exitComment: {
    low: ['Het duurde lang voordat er echt iets veranderde.', 'Te weinig contact met de mentor.'],
    middle: ['Sommige afspraken werkten goed, andere minder.', 'Redelijk geholpen, maar het einde kwam snel.'],
    high: ['Ik ga weer met plezier naar school.', 'Eindelijk iemand die met ons meedacht.', 'De adviezen zijn direct in het OPP en de les toegepast.'],
  },
  advice: [
    ['Leerling klas 1 vergeet structureel huiswerk en materialen; mentor vraagt om tips.', 'Werk met een weekplanner en een vast planmoment met de mentor; na zes weken evalueren.'],
    ['Leerling klas 2 reageert fel op correctie door docenten; incidenten in de les nemen toe.', 'Maak afspraken over een time-outplek en een vast aanspreekpunt; bespreek triggers met de leerling.'],
    ['Leerling klas 3 verzuimt regelmatig het eerste uur; thuis is het onrustig.', 'Bespreek het verzuim met ouders en de leerplichtambtenaar; plan bij geen verbetering een vooroverleg.'],
    ['Leerling klas 4 is stil en teruggetrokken, cijfers zakken weg.', 'Plan een gesprek met de leerling en de jeugdarts; overweeg een collegiaal vooroverleg.'],
    ['Leerling klas 2 heeft weinig motivatie en geen doel voor ogen.', 'Laat de leerling een eigen doel formuleren en bespreek de voortgang wekelijks met de mentor.'],
  ] as [string, string][],
  otherSupport: [
    ['Leerling met een complexe thuissituatie; de school twijfelt tussen een Toptraject en hulp via de wijk.', 'Geen Toptraject: de hulpvraag ligt thuis. Ouder- en Kindteam inschakelen; de school volgt het verzuim.'],
    ['Leerling met ernstige angstklachten die de school niet meer bereikt.', 'Geen Toptraject: verwijzen naar specialistische GGZ via de huisarts; de school biedt een aangepast rooster.'],
    ['Leerling met een enkelvoudige leervraag (dyslexie) en faalangst.', 'Geen Toptraject: remedial teaching en een faalangstreductietraining op school.'],
  ] as [string, string][],
};

/** mulberry32: a small, fast PRNG with a fixed seed, so the history is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomness(seed: number) {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  /** One of `table`'s values, by their shares (which need not add up to 1). */
  const weighted = <T>(table: [T, number][]): T => {
    let r = next() * table.reduce((sum, [, share]) => sum + share, 0);
    for (const [value, share] of table) if ((r -= share) < 0) return value;
    return table[table.length - 1][0];
  };
  return {
    int, pick, weighted,
    chance: (p: number) => next() < p,
    days: (bands: Bands) => { const [min, max] = weighted(bands.map(([share, lo, hi]) => [[lo, hi] as const, share])); return int(min, max); },
    /** `count` distinct items of `items`, in their order. */
    some: <T>(items: readonly T[], count: number): T[] => {
      const chosen = new Set<T>();
      while (chosen.size < Math.min(count, items.length)) chosen.add(pick(items));
      return items.filter((item) => chosen.has(item));
    },
  };
}

/**
 * Whether a trajectory completed `completedAgo` days ago has a follow-up within a few days of
 * the recording boundary (due FOLLOW_UP_RECORDED_AFTER_DAYS ago). Due dates are calendar
 * months after the completion, whose length in days depends on the day of seeding: near the
 * boundary, a later run could find a follow-up recorded that an earlier one left open (a new
 * event, a changed row). The history keeps clear of it.
 */
function nearFollowUpBoundary(completedAgo: number, norms: PhaseNorms): boolean {
  return norms.followUpMonths.some((months) => Math.abs(completedAgo - (months * 30.44 + FOLLOW_UP_RECORDED_AFTER_DAYS)) <= 5);
}

/**
 * The history, drawn from HISTORY by the seeded PRNG: specs in the terms of the current ones
 * (days before today), so the same row building serves both. Depends on nothing but the
 * constants and the phase norms; not on the date.
 */
function generateHistory(norms: PhaseNorms): { trajectories: TrajectorySpec[]; consultations: ConsultationSpec[] } {
  const random = randomness(HISTORY.seed);
  const windstreken = WINDSTREKEN.map((w) => w.key);
  const areas = Object.values(P);
  const [newest, oldest] = HISTORY.registeredDaysAgo;
  const perSchool = new Map<string, number>();
  const trajectories: TrajectorySpec[] = [];
  for (let h = 0; h < HISTORY.trajectories; h++) {
    const w = random.pick(windstreken);
    const n = random.int(1, 3);
    const j = (perSchool.get(`${w}/${n}`) ?? 0) + 1;
    perSchool.set(`${w}/${n}`, j);
    let registeredAgo = random.int(newest, oldest);
    const infoRound = random.chance(HISTORY.infoRound);
    // An outcome whose route fits between the registration and `endedDaysAgo` (drawn again
    // when not; a refusal always fits), so the most recent registrations end early more often.
    let phase: Phase;
    let cancelledIn: Phase | undefined;
    let acts: EventAct[];
    let gaps: Partial<Record<EventAct, number>>;
    for (let attempt = 0; ; attempt++) {
      phase = attempt < 8 ? random.weighted(HISTORY.outcomes) : Phase.REFUSED;
      cancelledIn = phase === Phase.CANCELLED ? random.weighted(HISTORY.cancelledIn) : undefined;
      acts = route({ phase, infoRound, cancelledIn });
      gaps = {};
      for (const [i, act] of acts.entries()) {
        if (i === 0) continue;
        const bands = act === 'cancelTrajectory' ? CANCELLED_AFTER[cancelledIn!]
          : (act === 'acceptRegistration' || act === 'refuseRegistration') && infoRound ? DECISION_AFTER_SUPPLEMENT : HISTORY_GAPS[act];
        gaps[act] = random.days(bands!);
      }
      if (Object.values(gaps).reduce((a, b) => a + b, 0) <= registeredAgo - HISTORY.endedDaysAgo) break;
    }
    const total = Object.values(gaps).reduce((a, b) => a + b, 0);
    if (phase === Phase.COMPLETED) while (nearFollowUpBoundary(registeredAgo - total, norms)) registeredAgo += 11;
    /** Days before today of each route act. */
    const ago = {} as Partial<Record<EventAct, number>>;
    acts.reduce((days, act) => (ago[act] = days - (gaps[act] ?? 0)), registeredAgo);

    const cancellationReason = phase === Phase.CANCELLED ? random.weighted(HISTORY.cancellationReasons) : undefined;
    const spec: TrajectorySpec = {
      at: [w, n, j], history: true, phase, days: registeredAgo - total, areas: random.some(areas, random.int(1, 2)), infoRound, cancelledIn, cancellationReason, gaps,
      preConsultation: random.chance(HISTORY.preConsultation),
      team: random.chance(HISTORY.crossWindstreek) ? random.pick(NEIGHBOURS.flatMap(([a, b]) => (a === w ? [b] : b === w ? [a] : []))) : undefined,
      reasons: {
        refuseRegistration: random.pick(HISTORY_TEXTS.refuseRegistration),
        closeAfterAssessment: random.pick(HISTORY_TEXTS.closeAfterAssessment),
      },
    };
    // Oversight in the intensive phase, a few days clear of its start and end.
    const intensiveFrom = ago.agreeGoals;
    const intensiveUntil = ago.startConsolidation ?? ago.cancelTrajectory;
    if (intensiveFrom !== undefined && intensiveUntil !== undefined) {
      const inIntensive = () => intensiveFrom - random.int(3, intensiveFrom - intensiveUntil - 3);
      if (random.chance(HISTORY.escalation)) {
        const daysAgo = inIntensive();
        const resolved = random.chance(HISTORY.escalationResolved)
          ? { daysAgo: Math.max(1, daysAgo - random.int(3, 45)), resolution: random.pick(HISTORY_TEXTS.escalationResolution) } : undefined;
        spec.escalations = [{ level: random.int(1, 3), reason: random.pick(HISTORY_TEXTS.escalation), daysAgo, resolved }];
      }
      if (random.chance(HISTORY.complaint)) {
        const daysAgo = inIntensive();
        let stepAgo = daysAgo;
        const steps = random.weighted(COMPLAINT_PATHS).map((act): ComplaintSpec['steps'][number] => {
          stepAgo = Math.max(1, stepAgo - random.int(3, 20));
          const texts = act === 'escalateComplaint' ? null : HISTORY_TEXTS[act];
          return [act, stepAgo, texts && random.pick(texts)];
        });
        spec.complaint = { complainant: random.pick([Party.STUDENT, Party.PARENTS]), description: random.pick(HISTORY_TEXTS.complaint), daysAgo, steps };
      }
    }
    if ((phase === Phase.COMPLETED || phase === Phase.CLOSED) && random.chance(HISTORY.exitQuestionnaires)) {
      spec.exitAnswers = random.some(Object.values(Party), random.int(1, 3)).map((party): ExitAnswer => {
        const score = random.weighted(HISTORY.exitScores);
        const comments = HISTORY_TEXTS.exitComment[score <= 2 ? 'low' : score === 3 ? 'middle' : 'high'];
        return [party, score, random.chance(0.6) ? random.pick(comments) : null];
      });
    }
    if (phase === Phase.COMPLETED) {
      spec.followUps = norms.followUpMonths.map((): FollowUpSpec => {
        const inEducation = random.chance(HISTORY.stillInEducation);
        return {
          answers: [inEducation, inEducation && random.chance(HISTORY.atExpectedExitLevel), inEducation && random.chance(HISTORY.diplomaExpected)],
          daysLate: random.int(-10, 12), missed: random.chance(HISTORY.followUpMissed),
        };
      });
    }
    trajectories.push(spec);
  }

  const school = (): [W, number] => [random.pick(windstreken), random.int(1, 3)];
  const consultations: ConsultationSpec[] = [];
  for (let c = 0; c < HISTORY.adviceRequests; c++) {
    const outcome = random.weighted(HISTORY.adviceOutcomes);
    const [caseDescription, advice] = random.pick(HISTORY_TEXTS.advice);
    consultations.push({
      kind: ConsultationKind.ADVICE, school: school(), daysAgo: random.int(newest, oldest), outcome, answeredAfterDays: random.int(0, 10),
      caseDescription, advice: outcome && advice,
    });
  }
  for (let c = 0; c < HISTORY.preConsultations; c++) {
    const [caseDescription, advice] = random.pick(HISTORY_TEXTS.otherSupport);
    consultations.push({
      kind: ConsultationKind.PRE_CONSULTATION, school: school(), daysAgo: random.int(newest, oldest), outcome: ConsultationOutcome.OTHER_SUPPORT,
      answeredAfterDays: random.int(0, 3), caseDescription, advice,
    });
  }
  return { trajectories, consultations };
}

// ---------------------------------------------------------------------------------------------
// Dates: calendar days as 'YYYY-MM-DD' (UTC arithmetic), instants at a fixed time of such a day
// ---------------------------------------------------------------------------------------------

/** An instant on `date` (a working morning in Amsterdam), `step` ten-minute steps after 08:00 UTC. */
function at(date: string, step = 0): Date {
  return new Date(Date.parse(`${date}T08:00:00Z`) + step * 600_000);
}

// ---------------------------------------------------------------------------------------------
// Building the rows
// ---------------------------------------------------------------------------------------------

export const SEED_TABLES = [
  'partnership', 'windstreek', 'windstreek_neighbour', 'school', 'topteam', 'app_user', 'membership', 'team_capacity_change', 'student', 'student_school_change', 'guardian', 'consent',
  'consultation', 'trajectory', 'trajectory_event', 'cross_windstreek_assignment', 'goal', 'evaluation', 'note', 'handover_advice', 'absence_registration', 'follow_up',
  'escalation', 'complaint', 'exit_questionnaire', 'data_subject_request',
] as const;
export type SeedTable = (typeof SEED_TABLES)[number];
/** Rows actually inserted per table (all 0 when the demo data was already there). */
export type SeedSummary = Record<SeedTable, number>;
type Row = Record<string, unknown>;

const ids = {
  partnership: demoId('partnership'),
  windstreek: (w: W) => demoId(`windstreek/${w}`),
  school: (w: W, n: number) => demoId(`school/${w}/${n}`),
  team: (w: W) => demoId(`topteam/${w}`),
  user: (local: string) => demoId(`user/${local}`),
  student: ([w, n, k]: StudentRef) => demoId(`student/${w}/${n}/${k}`),
};
/**
 * The name of a spec's student, and of everything of its trajectory: `<w>/<n>/<k>` for the
 * current demo students, `history/<w>/<n>/<j>` for those of the history.
 */
const studentKey = ({ at: ref, history }: Pick<TrajectorySpec, 'at' | 'history'>) => `${history ? 'history/' : ''}${ref.join('/')}`;
const personName = (i: number) => `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7) % FAMILY.length]}`; // distinct for i < 600
const windstreekName = (w: W) => WINDSTREKEN.find((x) => x.key === w)!.name;
const brinCode = (w: W, n: number) => WINDSTREKEN.find((x) => x.key === w)!.schools[n - 1][1];
const teamName = (w: W) => `Topteam ${windstreekName(w)}`;

interface Guardian { name: string; relationship: string; hasParentalAuthority: boolean }
interface StudentInfo { id: string; birthDate: string; fullName: string; studentNumber: string; guardians: Guardian[]; opp: Row }
interface RouteEvent { act: EventAct; at: Date; fromPhase: Phase | null; toPhase: Phase }
interface Plan { key: string; spec: TrajectorySpec; id: string; team: W | null; acts: RouteEvent[] }

function buildDemoData(config: Config, now: Date): Record<SeedTable, Row[]> {
  const today = amsterdamDate(now);
  const p = ids.partnership;
  const rows = Object.fromEntries(SEED_TABLES.map((t) => [t, [] as Row[]])) as Record<SeedTable, Row[]>;
  const history = generateHistory(config.phaseNorms);
  // Set up well before the oldest history (four months ahead of it).
  const setUpAt = at(addDays(today, -(HISTORY.registeredDaysAgo[1] + 120)));
  const row = (table: SeedTable, id: string, createdAt: Date, fields: Row) => rows[table].push({ id, partnershipId: p, createdAt, ...fields });
  const add = (table: SeedTable, idName: string, createdAt: Date, fields: Row) => row(table, demoId(`${table}/${idName}`), createdAt, fields);

  // Structure and users.
  rows.partnership.push({ id: p, name: DEMO_PARTNERSHIP_NAME, code: DEMO_PARTNERSHIP_CODE, createdAt: setUpAt });
  const users: { local: string; role: Role; scope: Row }[] = PARTNERSHIP_USERS.map(([local, role]) => ({ local, role, scope: {} }));
  for (const { key: w, name: wName, capacity, schools } of WINDSTREKEN) {
    row('windstreek', ids.windstreek(w), setUpAt, { name: wName });
    row('topteam', ids.team(w), setUpAt, { name: teamName(w), capacity, windstreekId: ids.windstreek(w) });
    users.push({ local: `advisor.${w}`, role: Role.EDUCATION_ADVISOR, scope: { windstreekId: ids.windstreek(w) } });
    for (const [local, teamFunction] of TEAM_MEMBERS) users.push({ local: `${local}.${w}`, role: Role.TEAM_MEMBER, scope: { topteamId: ids.team(w), teamFunction } });
    schools.forEach(([schoolName, brin], i) => {
      const schoolId = ids.school(w, i + 1);
      row('school', schoolId, setUpAt, { name: schoolName, brinCode: brin, windstreekId: ids.windstreek(w) });
      users.push({ local: `school${i + 1}.${w}`, role: Role.SCHOOL_COORDINATOR, scope: { schoolId } }, { local: `mentor${i + 1}.${w}`, role: Role.MENTOR, scope: { schoolId } });
    });
  }
  for (const [a, b] of NEIGHBOURS) rows.windstreek_neighbour.push({ partnershipId: p, windstreekId: ids.windstreek(a), neighbourId: ids.windstreek(b) }, { partnershipId: p, windstreekId: ids.windstreek(b), neighbourId: ids.windstreek(a) });
  users.forEach(({ local, role, scope }, i) => {
    row('app_user', ids.user(local), setUpAt, { subject: demoEmail(local), email: demoEmail(local), name: personName(i), active: true });
    const revokedAt = local === VACANCY.local ? at(addDays(today, -VACANCY.daysAgo)) : null;
    add('membership', local, setUpAt, { userId: ids.user(local), role, teamFunction: null, windstreekId: null, schoolId: null, topteamId: null, revokedAt, ...scope });
  });
  for (const [w, daysAgo, previousCapacity, newCapacity, reason] of CAPACITY_CHANGES) {
    add('team_capacity_change', `${w}/${daysAgo}`, at(addDays(today, -daysAgo)), { topteamId: ids.team(w), previousCapacity, newCapacity, reason, changedByUserId: ids.user('coordinator') });
  }

  // Trajectory timelines first: the students' development plans and consents date from them.
  const current = TRAJECTORIES.map((spec) => ({ ...spec, ...CASE_EXTRAS[studentKey(spec)] }));
  for (const key of Object.keys(CASE_EXTRAS)) if (!TRAJECTORIES.some((spec) => studentKey(spec) === key)) throw new Error(`seed: case work for ${key}, which has no trajectory`);
  const plans = new Map<string, Plan>();
  for (const spec of [...current, ...history.trajectories]) {
    const key = studentKey(spec);
    // One trajectory per demo student (so never two running ones: trajectory_one_running_per_student).
    if (plans.has(key)) throw new Error(`seed: two trajectories for student ${key}`);
    if ((spec.phase === Phase.CANCELLED) !== (spec.cancellationReason !== undefined)) throw new Error(`seed: ${key} needs a cancellation reason exactly when CANCELLED`);
    const acts = route(spec);
    let date = addDays(today, -spec.days);
    const dates = acts.map(() => '');
    for (let i = acts.length - 1; i >= 0; i--) [dates[i], date] = [date, addDays(date, -(spec.gaps?.[acts[i]] ?? step(acts[i]).gap))];
    const team = acts.includes('assignTeam') ? (spec.team ?? spec.at[0]) : null;
    let phase: Phase | null = null;
    const events = acts.map((act, i): RouteEvent => {
      const phases = transition(act, phase);
      phase = phases.toPhase;
      return { act, at: at(dates[i], i), ...phases };
    });
    if (phase !== spec.phase) throw new Error(`seed: the route of ${key} ends in ${phase}, not ${spec.phase}`);
    plans.set(key, { key, spec, id: demoId(`trajectory/${key}`), team, acts: events });
  }

  // Students and their guardians: the current ones (STUDENTS_PER_SCHOOL per school), then one
  // per history trajectory. `i` numbers them all; names, ages and student numbers follow from it.
  const students = new Map<string, StudentInfo>();
  /** The transfer of the student called `key` (TRANSFERS): the school number moved to and the day. */
  const transferOf = (key: string) => {
    const found = TRANSFERS.find(([ref]) => ref.join('/') === key);
    return found && { to: found[1], on: addDays(today, -found[2]) };
  };
  const studentRefs: { key: string; ref: StudentRef; mentee: boolean }[] = WINDSTREKEN.flatMap(({ key: w, schools }) => schools.flatMap((_, s) =>
    Array.from({ length: STUDENTS_PER_SCHOOL }, (__, k): { key: string; ref: StudentRef; mentee: boolean } => {
      const ref: StudentRef = [w, s + 1, k + 1];
      return { key: ref.join('/'), ref, mentee: k + 1 <= MENTEES_PER_SCHOOL };
    })));
  for (const spec of history.trajectories) studentRefs.push({ key: studentKey(spec), ref: spec.at, mentee: (spec.at[2] - 1) % STUDENTS_PER_SCHOOL < MENTEES_PER_SCHOOL });
  studentRefs.forEach(({ key, ref: [w, n], mentee }, i) => {
    const id = demoId(`student/${key}`);
    const trajectory = plans.get(key);
    const submitted = trajectory ? amsterdamDate(trajectory.acts[0].at) : null;
    const [givenName, familyName] = [GIVEN[(i * 3) % GIVEN.length], FAMILY[(i * 5 + 2) % FAMILY.length]];
    // Ages 12–17: today for a current student, at the registration for one of the history.
    const age = 12 + (i % 6);
    const birthDate = key === PRIVACY_DEMO.turningSixteen.student
      ? addDays(addMonths(today, -12 * 16), PRIVACY_DEMO.turningSixteen.inDays)
      : addDays(addMonths(trajectory?.spec.history ? submitted! : today, -12 * age), -(10 + ((i * 41) % 300)));
    const studentNumber = String(24_100 + i * 17);
    const mother = `${PARENT_GIVEN[(i * 2) % PARENT_GIVEN.length]} ${FAMILY[(i * 11 + 7) % FAMILY.length]}`;
    const father = `${PARENT_GIVEN[(i * 2 + 1) % PARENT_GIVEN.length]} ${familyName}`;
    const guardians: Guardian[] = [{ name: mother, relationship: 'moeder', hasParentalAuthority: true }];
    if (i % 3 > 0) guardians.push({ name: father, relationship: 'vader', hasParentalAuthority: i % 3 === 1 });
    const opp = { developmentPlanReference: submitted ? `OPP-${brinCode(w, n)}-${studentNumber}` : null, developmentPlanDate: submitted ? addDays(submitted, -30) : null };
    // Enrolled well before the registration; a student whose trajectory was cancelled because
    // they left school was unenrolled that day (and has no mentor any more).
    const enrolledOn = submitted && addDays(submitted, -45) < addDays(today, -ENROLLED_DAYS_AGO) ? addDays(submitted, -45) : addDays(today, -ENROLLED_DAYS_AGO);
    const leftDaysAgo = LEFT_SCHOOL.find(([ref]) => ref.join('/') === key)?.[1];
    const leftSchoolOn = trajectory?.spec.cancellationReason === CancellationReason.LEFT_SCHOOL ? amsterdamDate(trajectory.acts[trajectory.acts.length - 1].at)
      : leftDaysAgo !== undefined ? addDays(today, -leftDaysAgo) : null;
    // A transferred student attends the new school, without a mentor; the transfer is kept.
    const transfer = transferOf(key);
    if (transfer) {
      add('student_school_change', key, at(transfer.on, 2), {
        studentId: id, fromSchoolId: ids.school(w, n), toSchoolId: ids.school(w, transfer.to), transferredOn: transfer.on, transferredByUserId: ids.user(`school${n}.${w}`),
      });
    }
    row('student', id, at(enrolledOn), {
      schoolId: ids.school(w, transfer?.to ?? n),
      mentorUserId: mentee && !leftSchoolOn && !transfer ? ids.user(`mentor${n}.${w}`) : null, givenName, familyName, birthDate, studentNumber,
      expectedExitLevel: EXIT_LEVELS[i % EXIT_LEVELS.length], pseudonym: studentPseudonym(config.pseudonymKey, p, id), leftSchoolOn,
      ...opp,
    });
    guardians.forEach((g, j) => add('guardian', `${key}/${j}`, at(enrolledOn), { studentId: id, ...g }));
    students.set(key, { id, birthDate, fullName: `${givenName} ${familyName}`, studentNumber, guardians, opp });
  });

  /**
   * A consultation as the consultation service leaves it: asked by the school's coordinator on
   * `heldOn`; an outcome recorded by ANSWERED_BY, which stamps its retention class and start.
   */
  const consultation = (idName: string, heldOn: string, c: Omit<ConsultationSpec, 'daysAgo'> & { studentId?: string; opp?: Row }): string => {
    const [w, n] = c.school;
    const recordedAt = c.outcome ? at(addDays(heldOn, c.answeredAfterDays ?? 0), 6) : null;
    const preConsultation = c.kind === ConsultationKind.PRE_CONSULTATION
      ? { ...PRE_CONSULTATION_ANSWERS, agreementsNow: c.outcome && AGREEMENTS_NOW[c.outcome], ...(c.opp ?? { developmentPlanReference: `OPP-${brinCode(w, n)}-${heldOn}`, developmentPlanDate: addDays(heldOn, -30) }) }
      : {};
    add('consultation', idName, at(heldOn), {
      kind: c.kind, schoolId: ids.school(w, n), windstreekId: ids.windstreek(w), studentId: c.studentId ?? null, requestedByUserId: ids.user(`school${n}.${w}`),
      caseDescription: c.caseDescription, ...preConsultation, advice: c.advice, outcome: c.outcome,
      recordedAt, recordedByUserId: recordedAt && ids.user(`${ANSWERED_BY[c.kind]}.${w}`), ...(recordedAt ? consultationRetention(recordedAt) : {}),
    });
    return demoId(`consultation/${idName}`);
  };

  let staffed = 0;
  for (const plan of plans.values()) {
    const { key, spec, team } = plan;
    const [w, n] = spec.at;
    const student = students.get(key)!;
    const actor: Record<Actor, string> = {
      school: ids.user(`school${n}.${w}`), advisor: ids.user(`advisor.${w}`),
      scientist: ids.user(`scientist.${team ?? w}`), careworker: ids.user(`careworker.${team ?? w}`),
    };
    const submitted = amsterdamDate(plan.acts[0].at);
    const phaseAct = [...plan.acts].reverse().find((e) => e.fromPhase !== e.toPhase)!;
    const phaseStart = amsterdamDate(phaseAct.at);
    const actDate = (act: EventAct) => plan.acts.find((a) => a.act === act)?.at;
    /** The phase the trajectory was in at `instant` (after the route acts done by then). */
    const phaseAt = (instant: Date) => [...plan.acts].reverse().find((e) => e.at <= instant)?.toPhase ?? null;
    const reasonOf = (act: EventAct) => spec.reasons?.[act] ?? (act === 'cancelTrajectory' ? CANCELLATION_EXPLANATION[spec.cancellationReason!] : ACT_REASONS[act]) ?? null;

    // Consents for both purposes, a day before the registration; grantors by the age rule.
    const givenAt = at(addDays(submitted, -1), 30);
    const age = ageOn(student.birthDate, amsterdamDate(givenAt));
    const parents = student.guardians.filter((g) => g.hasParentalAuthority).map((g) => ({ role: GrantorRole.PARENT, name: g.name, hasParentalAuthority: true }));
    const self = { role: GrantorRole.STUDENT, name: student.fullName, hasParentalAuthority: false };
    const grantors = age < 12 ? parents : age < 16 ? [self, ...parents] : [self];
    const consents: [ConsentPurpose, string[], string[]][] = [
      [ConsentPurpose.SHARE_WITH_PARTNERSHIP, [DEMO_PARTNERSHIP_NAME, `Onderwijsadviseur ${windstreekName(w)}`], ['identiteitsgegevens', 'schoolgegevens', 'OPP', 'hulpvraag']],
      [ConsentPurpose.CARE_BY_TOPTEAM, [teamName(team ?? w)], ['identiteitsgegevens', 'OPP', 'hulpvraag', 'verzuim', 'gezinssituatie']],
    ];
    for (const [purpose, recipients, dataCategories] of consents) {
      const care = purpose === ConsentPurpose.CARE_BY_TOPTEAM;
      // Withdrawn the morning the trajectory was cancelled for that reason, before the cancellation itself.
      const withdrawn = care && spec.cancellationReason === CancellationReason.CONSENT_WITHDRAWN ? at(phaseStart) : null;
      const byPrivacyOfficer = withdrawn && key === PRIVACY_DEMO.withdrawnByPrivacyOfficer;
      // A care consent given for this trajectory only ended with it: the demo shows EXPIRED consents.
      const validUntil = care && spec.careConsentEndsWithCase ? phaseStart : care && key === PRIVACY_DEMO.careConsentExpiredUnderReview ? addDays(today, -1) : null;
      add('consent', `${key}/${purpose}`, givenAt, {
        studentId: student.id, purpose, legalBasis: LegalBasis.CONSENT, grantors: JSON.stringify(grantors), studentAgeAtGrant: age, recipients, dataCategories,
        givenAt, validUntil, withdrawnAt: withdrawn, withdrawnByUserId: byPrivacyOfficer ? ids.user('privacy') : withdrawn && actor.school,
        ...(byPrivacyOfficer ? { withdrawalReason: PRIVACY_DEMO.withdrawalReason, withdrawalEvidenceReference: PRIVACY_DEMO.withdrawalEvidence } : {}),
        evidenceReference: `Toestemmingsformulier ${student.studentNumber}, getekend ${amsterdamDate(givenAt)} (leerlingdossier)`, recordedByUserId: actor.school,
      });
    }

    // The pre-consultation that led to the registration.
    const consultationId = spec.preConsultation
      ? consultation(key, addDays(submitted, -PRE_CONSULTATION_DAYS_BEFORE), {
        kind: ConsultationKind.PRE_CONSULTATION, school: [w, n], outcome: ConsultationOutcome.TOPTRAJECT, ...PRE_CONSULTATION, studentId: student.id, opp: student.opp,
      })
      : null;

    // The event log: the route acts, then one event per act of the case work below. Every act
    // after the registration goes through the workflow, which bumps the version (the team is
    // assigned within the acceptance, so that bumps nothing of its own).
    const events: Array<RouteEvent & { idName: string; actorUserId: string; reason: string | null }> = plan.acts.map((e, j) => {
      const overflow = team && team !== w ? `; ${teamName(w)} zit boven de overloopdrempel, ${teamName(team)} heeft ruimte en ligt ernaast` : '';
      const reason = e.act === 'assignTeam' ? `Toegewezen aan ${teamName(team!)}${overflow}.` : reasonOf(e.act);
      return { ...e, idName: String(j), actorUserId: actor[step(e.act).by], reason };
    });
    const child = (table: SeedTable, idName: string, createdAt: Date, fields: Row) => add(table, `${key}/${idName}`, createdAt, { trajectoryId: plan.id, ...fields });
    // Assigned outside the home windstreek (overflow): the explicit record the assignment writes,
    // approved by whoever assigned the team (the reviewing advisor), with the event's reason.
    const assignment = events.find((e) => e.act === 'assignTeam');
    if (assignment && team && team !== w) {
      child('cross_windstreek_assignment', '0', assignment.at, {
        originalTeamId: ids.team(w), assignedTeamId: ids.team(team), reason: assignment.reason, approvedByUserId: assignment.actorUserId,
      });
    }
    /**
     * A non-moving act of the case work: its event (from = to = the phase then, with the
     * reason the API records) and the record it writes, if any. `idName` names both (not by
     * date: ids must not depend on the day of seeding).
     */
    const caseAct = (act: ActName, idName: string, by: string, instant: Date, record?: [table: SeedTable, fields: Row], reason: string | null = null) => {
      if (record) child(record[0], idName, instant, record[1]);
      const phases = transition(act, phaseAt(instant));
      if (phases.fromPhase !== phases.toPhase) throw new Error(`seed: ${act} moves the phase; put it in the route`);
      events.push({ act, at: instant, ...phases, idName: `${act}/${idName}`, actorUserId: by, reason });
    };

    // Team work: a note for every assigned trajectory; goals from the assessment on (they are
    // agreed before the intensive phase starts), evaluations in the intensive phase.
    const note = NOTE_TEXT[spec.phase];
    if (team && note) caseAct('addNote', '0', actor.careworker, at(phaseStart, 20), ['note', { body: note, authorUserId: actor.careworker }]);
    // Staffing (bezetting) of the current cases, right after the assignment, by the team's
    // gedragswetenschapper: itself, a Topdocent and an ambulant hulpverlener of the team (the two
    // of each in turn; West's remaining one), an accepted case only its gedragswetenschapper yet.
    const assignedAt = actDate('assignTeam');
    const staff = { behaviouralScientistUserId: null as string | null, teacherUserId: null as string | null, careWorkerUserId: null as string | null };
    if (team && assignedAt && !spec.history) {
      const second = staffed++ % 2 === 1;
      staff.behaviouralScientistUserId = actor.scientist;
      if (spec.phase !== Phase.ACCEPTED) {
        staff.teacherUserId = ids.user(`${second ? 'teacher2' : 'teacher'}.${team}`);
        const careworker = `${second ? 'careworker2' : 'careworker'}.${team}`;
        staff.careWorkerUserId = ids.user(careworker === VACANCY.local ? `careworker.${team}` : careworker);
      }
      caseAct('staffTrajectory', '0', actor.scientist, new Date(assignedAt.getTime() + 600_000), undefined, 'Casusverdeling in het teamoverleg.');
    }
    const intensiveFrom = actDate('agreeGoals');
    if (intensiveFrom) {
      const intensiveStart = amsterdamDate(intensiveFrom);
      const intensiveUntil = amsterdamDate(actDate('startConsolidation') ?? actDate('cancelTrajectory') ?? now);
      const progress = GOAL_PROGRESS[spec.phase]!;
      // The final progress is recorded in the intensive phase: after two weeks while it runs,
      // else on its last day before it ended.
      const progressOn = spec.phase === Phase.INTENSIVE ? addDays(intensiveStart, 14) : addDays(intensiveUntil, -1);
      spec.areas.forEach((area, j) => {
        caseAct('addGoal', String(j), actor.scientist, at(addDays(intensiveStart, -1), 20 + j), ['goal', {
          description: GOAL_TEXT[area], agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true, progress, progressNote: null,
        }]);
        caseAct('updateGoalProgress', String(j), actor.scientist, at(progressOn, 20 + j));
      });
      for (const [days, whatWorks, whatToStop, summary] of EVALUATIONS) {
        const evaluatedOn = addDays(intensiveStart, days);
        if (evaluatedOn < intensiveUntil) caseAct('recordEvaluation', String(days), actor.scientist, at(evaluatedOn, 30), ['evaluation', { evaluatedOn, whatWorks, whatToStop, summary, authorUserId: actor.scientist }]);
      }
    }
    // The hand-over advice, written in the intensive phase: consolidation needs one.
    const consolidationFrom = actDate('startConsolidation');
    // For the school; once the trajectory is completed, the school coordinator has taken it into the OPP
    // two weeks into the consolidation (still running: not yet).
    if (consolidationFrom) {
      const writtenOn = addDays(amsterdamDate(consolidationFrom), -2);
      const takenIntoOppOn = spec.phase === Phase.COMPLETED ? addDays(amsterdamDate(consolidationFrom), 14) : null;
      caseAct('addHandoverAdvice', '0', actor.scientist, at(writtenOn, 24), ['handover_advice', {
        advice: HANDOVER_ADVICE, writtenOn, recipient: HandoverRecipient.SCHOOL, recipientName: null, takenIntoOppOn, authorUserId: actor.scientist,
      }]);
      if (takenIntoOppOn) caseAct('markHandoverAdviceTakenIntoOpp', '0', actor.school, at(takenIntoOppOn, 24));
      if (spec.extraAdvice) {
        const [recipient, recipientName, advice] = spec.extraAdvice;
        caseAct('addHandoverAdvice', '1', actor.scientist, at(writtenOn, 25), ['handover_advice', {
          advice, writtenOn, recipient, recipientName, takenIntoOppOn: null, authorUserId: actor.scientist,
        }]);
      }
    }
    // The cooperation agreements, made at the start of the intensive phase (they overwrite: the version rises).
    const intensiveOn = actDate('agreeGoals');
    const cooperationAgreements: CooperationAgreements | null = spec.cooperation && intensiveOn
      ? { agreedOn: amsterdamDate(intensiveOn), ...spec.cooperation }
      : null;
    if (cooperationAgreements) caseAct('recordCooperationAgreements', '0', actor.scientist, at(cooperationAgreements.agreedOn, 26));
    (spec.absences ?? []).forEach(([daysAgo, lessonsMissed, authorised, absenceNote], j) => {
      const absentOn = addDays(today, -daysAgo);
      caseAct('registerAbsence', String(j), actor.school, at(absentOn, 40), ['absence_registration', {
        absentOn, lessonsMissed, authorised, note: absenceNote, registeredByUserId: actor.school,
      }]);
    });
    if (spec.phase === Phase.COMPLETED) {
      // Created by the completion itself; recorded when due long enough ago (unless missed), else still open.
      const completed = actDate('completeTrajectory')!;
      followUpDates(phaseStart, config.phaseNorms).forEach(({ moment, dueOn }, j) => {
        const { answers: [stillInEducation, atExpectedExitLevel, diplomaExpected], daysLate, missed } = spec.followUps?.[j] ?? FOLLOW_UP_DEFAULT;
        const recordedAt = !missed && addDays(dueOn, FOLLOW_UP_RECORDED_AFTER_DAYS) < today ? at(addDays(dueOn, daysLate)) : null;
        child('follow_up', moment, completed, {
          moment, dueOn, recordedAt, stillInEducation: recordedAt && stillInEducation, atExpectedExitLevel: recordedAt && atExpectedExitLevel,
          diplomaExpected: recordedAt && diplomaExpected, recordedByUserId: recordedAt && actor.scientist,
          howIsItGoing: recordedAt ? howIsItGoingText(stillInEducation, diplomaExpected) : null,
        });
        if (recordedAt) caseAct('recordFollowUp', moment, actor.scientist, recordedAt, undefined, moment);
      });
    }
    (spec.escalations ?? []).forEach(({ level, reason, daysAgo, resolved }, j) => {
      const resolvedAt = resolved ? at(addDays(today, -resolved.daysAgo), OVERSIGHT_STEP + 1) : null;
      caseAct('escalateTrajectory', String(j), actor.scientist, at(addDays(today, -daysAgo), OVERSIGHT_STEP), ['escalation', {
        level, reason, raisedByUserId: actor.scientist, resolvedAt, resolution: resolved?.resolution ?? null,
      }], `Level ${level}: ${reason}`);
      if (resolvedAt) caseAct('resolveEscalation', String(j), ids.user('coordinator'), resolvedAt, undefined, resolved!.resolution);
    });
    if (spec.complaint) {
      // The complaint's state after its steps, by the complaint acts' own table.
      const { complainant, description, daysAgo, steps } = spec.complaint;
      const receivedOn = addDays(today, -daysAgo);
      const complaint = { status: ComplaintStatus.RECEIVED, receivedOn, escalatedOn: null as string | null, resolvedOn: null as string | null, resolution: null as string | null };
      for (const [act, stepDaysAgo, resolution] of steps) {
        if (!COMPLAINT_ACTS[act].from.includes(complaint.status)) throw new Error(`seed: ${act} is not possible for a complaint with status ${complaint.status}`);
        complaint.status = COMPLAINT_ACTS[act].to;
        if (act === 'escalateComplaint') complaint.escalatedOn = addDays(today, -stepDaysAgo);
        if (act === 'resolveComplaint') complaint.resolvedOn = addDays(today, -stepDaysAgo);
        if (resolution !== null) complaint.resolution = resolution;
      }
      caseAct('fileComplaint', '0', actor.scientist, at(receivedOn, OVERSIGHT_STEP), ['complaint', { complainant, description, ...complaint }], `Complaint by ${complainant}`);
      steps.forEach(([act, stepDaysAgo, resolution], j) => caseAct(act, '0', actor.scientist, at(addDays(today, -stepDaysAgo), OVERSIGHT_STEP + 2 + j), undefined, resolution));
    }
    // A running case followed its student to the new school: the transfer's event, by the school that handed them over.
    const transfer = spec.history ? undefined : transferOf(key);
    if (transfer) caseAct('transferStudent', '0', actor.school, at(transfer.on, 2), undefined, transferEventReason(transfer.on));
    (spec.exitAnswers ?? []).forEach(([party, score, comment], j) =>
      caseAct('recordExitQuestionnaire', party, actor.careworker, at(addDays(phaseStart, 7), j), ['exit_questionnaire', { party, score, comment }], `Exit questionnaire of ${party}`));

    const last = events.reduce((a, b) => (b.at > a.at ? b : a));
    // Every act raises the version, as performAct does, except additions of a record (`adds`).
    const workflowActs = events.filter((e) => e.act !== 'submitRegistration' && e.act !== 'assignTeam' && !(ACTS[e.act as ActName] as ActSpec | undefined)?.adds).length;
    const closingReason = CLOSING_ACTS.includes(phaseAct.act) ? reasonOf(phaseAct.act) : null;
    // An ended trajectory carries its retention class and start, as the workflow stamps them.
    const retention = phaseAct.fromPhase && retentionFor(phaseAct.fromPhase, spec.phase, phaseStart, config.phaseNorms);
    row('trajectory', plan.id, plan.acts[0].at, {
      studentId: student.id, schoolId: ids.school(w, transfer?.to ?? n), windstreekId: ids.windstreek(w),
      teamId: team && ids.team(team), ...staff, consultationId, phase: spec.phase, phaseStartedAt: phaseAct.at, ...phaseDates(spec.phase, phaseStart, config.phaseNorms),
      // The meetings the phase acts record, held on the day of the act.
      ...meetingDates(actDate),
      problemAreas: spec.areas, parentsInformedOn: addDays(submitted, -PARENTS_INFORMED_DAYS_BEFORE), eligibility: JSON.stringify(ELIGIBILITY),
      cooperationAgreements: cooperationAgreements && JSON.stringify(cooperationAgreements),
      cancellationReason: spec.cancellationReason ?? null,
      registeredByUserId: actor.school, closingReason,
      refusalGround: phaseAct.act === 'refuseRegistration' ? REFUSAL_GROUNDS[closingReason ?? ''] ?? RefusalGround.OTHER : null,
      retentionClass: retention?.retentionClass ?? null, retentionStartsOn: retention?.retentionStartsOn ?? null,
      updatedAt: last.at, version: 1 + workflowActs,
    });
    for (const { idName, act, at: occurredAt, fromPhase, toPhase, actorUserId, reason } of events) {
      child('trajectory_event', idName, occurredAt, { act, fromPhase, toPhase, actorUserId, reason, occurredAt });
    }
  }

  // Consultations not tied to a registration (anonymous): the current demo's, then the history's.
  CONSULTATIONS.forEach((c, j) => consultation(`advice/${j}`, addDays(today, -c.daysAgo), c));
  history.consultations.forEach((c, j) => consultation(`history/${j}`, addDays(today, -c.daysAgo), c));
  // One data-subject request.
  const receivedOn = addDays(today, -DATA_SUBJECT_REQUEST.daysAgo);
  add('data_subject_request', '0', at(receivedOn), {
    studentId: ids.student(DATA_SUBJECT_REQUEST.student), kind: DATA_SUBJECT_REQUEST.kind, status: DataSubjectRequestStatus.IDENTITY_VERIFIED, receivedOn,
    identityVerifiedAt: at(addDays(receivedOn, 1)), dueOn: addMonths(receivedOn, 1), extensionReason: null, completedAt: null, handledByUserId: ids.user('privacy'),
  });
  // A rectification request (a misspelt name), the identity verified: `carryOutRectification` applies it.
  const rectificationOn = addDays(today, -PRIVACY_DEMO.rectification.daysAgo);
  add('data_subject_request', '1', at(rectificationOn), {
    studentId: ids.student(PRIVACY_DEMO.rectification.student), kind: DataSubjectRequestKind.RECTIFICATION, status: DataSubjectRequestStatus.IDENTITY_VERIFIED,
    receivedOn: rectificationOn, identityVerifiedAt: at(rectificationOn), dueOn: addMonths(rectificationOn, 1), extensionReason: null, completedAt: null,
    handledByUserId: ids.user('privacy'),
  });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Inserting
// ---------------------------------------------------------------------------------------------

/** PostgreSQL takes at most 65,535 bind parameters per statement; rows go in chunks well below that. */
const MAX_PARAMETERS = 65_535;
const MAX_ROWS_PER_STATEMENT = 1_000;

/** Inserts rows (camelCase keys) that are not there yet, in chunks; returns how many went in. */
async function insertMissing(queryRunner: QueryRunner, table: SeedTable, rows: Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const key = table === 'windstreek_neighbour' ? '"windstreek_id", "neighbour_id"' : '"id"';
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${snakeCase(c)}"`).join(', ')}) VALUES `;
  const chunk = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + chunk).map((row) => `(${columns.map((c) => `$${params.push(row[c] ?? null)}`).join(', ')})`);
    const result = await queryRunner.query(`${head}${tuples.join(', ')} ON CONFLICT (${key}) DO NOTHING`, params, true);
    inserted += result.affected ?? 0;
  }
  return inserted;
}

/** True when no partnership exists yet: the first start of a fresh database. */
export async function isDatabaseEmpty(dataSource: DataSource): Promise<boolean> {
  const [row] = await dataSource.query(`SELECT EXISTS (SELECT 1 FROM "partnership") AS "present"`);
  return !row.present;
}

/** Loads the demo data (idempotent, one transaction); dates count back from `today`. */
export async function seedDemoData(dataSource: DataSource, config: Config, today: Date = new Date()): Promise<SeedSummary> {
  const data = buildDemoData(config, today);
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    const summary = {} as SeedSummary;
    for (const table of SEED_TABLES) summary[table] = await insertMissing(queryRunner, table, data[table]);
    await queryRunner.commitTransaction();
    return summary;
  } catch (error) {
    await queryRunner.rollbackTransaction();
    throw error;
  } finally {
    await queryRunner.release();
  }
}
