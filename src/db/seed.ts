/**
 * The demo data of API.md "Demo data": one partnership with four windstreken, three schools and
 * one Topteam each, a user for every role, students at every school, and trajectories in every
 * phase with their history. The data is described as tables at the top; everything else is
 * derived from them and from `today`: ids are name-based UUIDs, dates are calendar days counted
 * back from today. All rows go in with `ON CONFLICT DO NOTHING` in one transaction, so a second
 * run inserts nothing.
 */
import { createHash } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { Config } from '../config';
import { addDays, addMonths, ageOn, amsterdamDate } from '../domain/clock';
import {
  CancellationReason, ComplaintStatus, ConsentPurpose, ConsultationKind, ConsultationOutcome, DataSubjectRequestKind, DataSubjectRequestStatus,
  ExitLevel, GoalProgress, GrantorRole, LegalBasis, Party, Phase, ProblemArea as P, Role, TeamFunction,
} from '../domain/enums';
import { studentPseudonym } from '../domain/pseudonym';
import { Eligibility } from '../modules/trajectories/eligibility';
import { ACTS, ActName, ActSpec } from '../modules/trajectories/workflow/acts';
import { followUpDates, phaseDates } from '../modules/trajectories/workflow/phase-norms';
import { snakeCase } from './naming';

export const DEMO_DOMAIN = 'demo.toptrajecten.test';
export const DEMO_PARTNERSHIP_CODE = 'VO2701';
export const DEMO_PARTNERSHIP_NAME = 'Samenwerkingsverband VO Amsterdam-Diemen';

/** The e-mail (and token subject) of a demo user, e.g. `demoEmail('advisor.noord')`. */
export function demoEmail(localPart: string): string {
  return `${localPart}@${DEMO_DOMAIN}`.toLowerCase();
}

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
type StudentRef = [W, number, number]; // windstreek, school 1–3, student 1–4

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

const STUDENTS_PER_SCHOOL = 4;
const MENTEES_PER_SCHOOL = 3; // students 1–3 of each school have the school's mentor
const GIVEN = ['Sanne', 'Daan', 'Fatima', 'Mohamed', 'Lotte', 'Jesse', 'Noor', 'Bram', 'Yasmine', 'Thijs', 'Emma', 'Ilias', 'Julia', 'Sem', 'Amira', 'Lucas', 'Fleur', 'Mees', 'Zeynep', 'Ruben', 'Sara', 'Milan', 'Nadia', 'Luuk', 'Esra'];
const FAMILY = ['de Vries', 'Jansen', 'El Amrani', 'Bakker', 'Visser', 'Yilmaz', 'Smit', 'Meijer', 'de Boer', 'Bouzid', 'Mulder', 'de Jong', 'Kramer', 'Pinas', 'Dekker', 'Öztürk', 'van Dijk', 'Vos', 'Hoekstra', 'Kartosen', 'Brouwer', 'Peters', 'Koç', 'van den Berg'];
const PARENT_GIVEN = ['Karin', 'Mark', 'Samira', 'Hassan', 'Monique', 'Erik', 'Aylin', 'Dennis', 'Mariska', 'Rachid', 'Ingrid', 'Patrick', 'Hülya'];
const EXIT_LEVELS = Object.values(ExitLevel);

interface TrajectorySpec { at: StudentRef; phase: Phase; days: number; areas: P[]; team?: W; preConsultation?: boolean; infoRound?: boolean }
/** `days`: days since the current phase started. `team`: an overflow team of another windstreek. */
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
  { at: ['oost', 3, 1], phase: Phase.CANCELLED, days: 12, areas: [P.COMPLEX_HOME_SITUATION] },
  { at: ['zuid', 1, 1], phase: Phase.INTENSIVE, days: 30, areas: [P.EXECUTIVE_FUNCTIONS] },
  { at: ['zuid', 1, 2], phase: Phase.REFUSED, days: 20, areas: [P.EXECUTIVE_FUNCTIONS] },
  { at: ['zuid', 2, 1], phase: Phase.CLOSED, days: 15, areas: [P.INTERNALISING_BEHAVIOUR, P.COMPLEX_HOME_SITUATION] },
  { at: ['zuid', 2, 2], phase: Phase.ASSESSMENT, days: 5, areas: [P.ABSENCE] },
  { at: ['zuid', 3, 1], phase: Phase.CONSOLIDATION, days: 100, areas: [P.MOTIVATION, P.COMPLEX_LEISURE_SITUATION] },
  { at: ['west', 1, 1], phase: Phase.INTENSIVE, days: 50, team: 'zuid', areas: [P.EXTERNALISING_BEHAVIOUR, P.COMPLEX_LEISURE_SITUATION] },
  { at: ['west', 1, 2], phase: Phase.ACCEPTED, days: 1, team: 'noord', areas: [P.ABSENCE] },
  { at: ['west', 1, 3], phase: Phase.CONSOLIDATION, days: 20, areas: [P.INTERNALISING_BEHAVIOUR] },
  { at: ['west', 2, 1], phase: Phase.COMPLETED, days: 100, areas: [P.MOTIVATION] },
  { at: ['west', 2, 2], phase: Phase.REQUESTED, days: 1, areas: [P.COMPLEX_HOME_SITUATION, P.ABSENCE], preConsultation: true },
  { at: ['west', 2, 3], phase: Phase.INTENSIVE, days: 60, areas: [P.EXTERNALISING_BEHAVIOUR] },
  { at: ['west', 3, 1], phase: Phase.ASSESSMENT, days: 20, areas: [P.EXECUTIVE_FUNCTIONS, P.INTERNALISING_BEHAVIOUR] },
  { at: ['west', 3, 2], phase: Phase.INTENSIVE, days: 70, areas: [P.MOTIVATION, P.ABSENCE] },
  { at: ['west', 3, 3], phase: Phase.ASSESSMENT, days: 8, areas: [P.ABSENCE, P.COMPLEX_HOME_SITUATION] },
];
/** Capacity changes by the programme coordinator: [windstreek, days ago, previous, new, reason]. */
const CAPACITY_CHANGES: [W, number, number, number, string][] = [
  ['west', 120, 10, 5, 'Twee teamleden langdurig afwezig; capaciteit tijdelijk gehalveerd. Nieuwe aanmeldingen gaan zo nodig naar de buurteams.'],
];

type Actor = 'school' | 'advisor' | 'scientist' | 'careworker';
/**
 * An act as the event log names it: an act of the workflow's table (`ACTS` in
 * workflow/acts.ts), or one of the two the registration writes itself.
 */
type EventAct = ActName | 'submitRegistration' | 'assignTeam';
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
 */
function route({ phase, infoRound }: TrajectorySpec): EventAct[] {
  const infoRequested: EventAct[] = ['submitRegistration', 'requestInformation'];
  const supplemented: EventAct[] = [...infoRequested, 'supplementRegistration'];
  const review: EventAct[] = infoRound ? supplemented : ['submitRegistration'];
  const accepted: EventAct[] = [...review, 'acceptRegistration', 'assignTeam'];
  const assessment: EventAct[] = [...accepted, 'startAssessment'];
  const intensive: EventAct[] = [...assessment, 'agreeGoals'];
  const consolidation: EventAct[] = [...intensive, 'startConsolidation'];
  const routes: Record<Phase, EventAct[]> = {
    REQUESTED: ['submitRegistration'], IN_REVIEW: supplemented, INFO_REQUESTED: infoRequested, ACCEPTED: accepted,
    REFUSED: [...review, 'refuseRegistration'], ASSESSMENT: assessment, INTENSIVE: intensive, CONSOLIDATION: consolidation,
    COMPLETED: [...consolidation, 'completeTrajectory'], CLOSED: [...assessment, 'closeAfterAssessment'], CANCELLED: [...intensive, 'cancelTrajectory'],
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

/** Acts that end a trajectory early; their reason is the trajectory's closing reason. */
const CLOSING_ACTS: EventAct[] = ['refuseRegistration', 'closeAfterAssessment', 'cancelTrajectory'];
const ACT_REASONS: Partial<Record<EventAct, string>> = {
  requestInformation: 'Graag het actuele verzuimoverzicht en de handelingsadviezen uit het OPP toevoegen.',
  supplementRegistration: 'Verzuimoverzicht en OPP met handelingsadviezen toegevoegd.',
  refuseRegistration: 'Enkelvoudige vraag (IQ-onderzoek): geen Toptraject. Verwezen naar de orthopedagoog van de school.',
  closeAfterAssessment: 'Onderzoeksfase afgerond: zeer intensieve zorg nodig (specialistische GGZ). Advies over een andere route gegeven.',
  cancelTrajectory: 'Toestemming voor zorg door het Topteam ingetrokken door leerling en ouders; begeleiding per direct gestopt.',
};
/** Why the cancelled demo trajectory ended: its student and parents withdrew the consent for care. */
const CANCELLATION_REASON = CancellationReason.CONSENT_WITHDRAWN;
/** The target-group answers of every demo registration: all criteria met, no exclusion. */
const ELIGIBILITY: Eligibility = {
  enrolledInRegularEducation: true, regularEducationFeasible: true, studentMotivated: true, parentsMotivated: true,
  schoolMotivated: true, goalsReachableWithinTerm: true, singleQuestion: false, needsVeryIntensiveCare: false,
};
/** Parents are informed this many days before the registration is submitted. */
const PARENTS_INFORMED_DAYS_BEFORE = 4;
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
  // CANCELLED: none. The consent for care was withdrawn, so the team may no longer write in the
  // case (writeCase needs it); the cancellation's reason says what happened.
};
/** The hand-over advice (handelingsadvies), written before consolidation (the workflow requires one). */
const HANDOVER_ADVICE = 'Start de dag met een korte check-in bij de mentor; werk met een weekplanning op papier en een vaste werkplek in het lokaal. '
  + 'Bespreek de voortgang eens per twee weken kort met leerling en ouders en spreek complimenten concreet uit.';
/** Absence registered by the school during a trajectory with the ABSENCE problem area: [days ago, lessons, authorised, note]. */
const ABSENCE = { at: 'noord/1/1', days: [
  [23, 2, false, 'Eerste twee uur afwezig, geen bericht van thuis.'], [16, 6, true, 'Ziek gemeld door moeder.'], [11, 1, false, null],
] as [daysAgo: number, lessonsMissed: number, authorised: boolean, note: string | null][] };
const ESCALATION = { at: 'noord/1/1', level: 2, daysAgo: 9, reason: 'Afspraken over de opvang bij verzuim worden op school niet nagekomen; overleg met de zorgcoördinator leverde geen verbetering op.' };
const COMPLAINT = { at: 'oost/2/1', complainant: Party.PARENTS, status: ComplaintStatus.HANDLED_BY_TEAM, daysAgo: 18, handledAfterDays: 6, description: 'Ouders zijn te laat geïnformeerd over de overgang naar de borgingsfase.' };
const EXIT_QUESTIONNAIRES = { at: 'noord/3/1', answers: [
  [Party.STUDENT, 4, 'De vaste check-ins hielpen me om bij te blijven.'], [Party.PARENTS, 5, 'Fijn dat we steeds op de hoogte waren.'], [Party.SCHOOL, 4, 'Heldere handelingsadviezen voor de mentor.'],
] as [Party, number, string][] };
const ADVICE_REQUESTS: { school: [W, number]; daysAgo: number; outcome: ConsultationOutcome; caseDescription: string; advice: string }[] = [
  { school: ['noord', 2], daysAgo: 45, outcome: ConsultationOutcome.ADVICE_SUFFICIENT, caseDescription: 'Leerling klas 2 vhaves mist structuur bij het plannen van toetsen; mentor vraagt om tips.', advice: 'Werk met een weekplanner en een vast planmoment met de mentor; na zes weken evalueren.' },
  { school: ['zuid', 3], daysAgo: 25, outcome: ConsultationOutcome.GO_TO_PRE_CONSULTATION, caseDescription: 'Leerling klas 3 trekt zich terug en verzuimt steeds vaker op maandag.', advice: 'Plan een collegiaal vooroverleg met de onderwijsadviseur; breng het verzuimoverzicht mee.' },
];
const PRE_CONSULTATION = {
  caseDescription: 'Leerling loopt vast op verzuim en motivatie; de school zoekt ambulante ondersteuning naast de eigen zorgstructuur.',
  howIsTheStudentDoing: 'Wisselend: goede dagen op school, maar regelmatig afwezig in het eerste uur.',
  helpGivenAndResult: 'Mentorgesprekken en begeleiding door de zorgcoördinator; kort effect, geen blijvende verbetering.',
  otherAgenciesInvolved: 'Leerplichtambtenaar (zorgmelding) en de jeugdarts.',
  motivation: 'Leerling, ouders, mentor en docenten willen actief meewerken.',
  agreementsNow: 'School registreert verzuim dagelijks; aanmelding voor een Toptraject binnen twee weken.',
  advice: 'Aanmelden voor een Toptraject met de probleemgebieden verzuim en motivatie.',
};
const DATA_SUBJECT_REQUEST = { student: ['oost', 3, 1] as StudentRef, kind: DataSubjectRequestKind.ACCESS, daysAgo: 6 };

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
  'partnership', 'windstreek', 'windstreek_neighbour', 'school', 'topteam', 'app_user', 'membership', 'team_capacity_change', 'student', 'guardian', 'consent',
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
const personName = (i: number) => `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7) % FAMILY.length]}`; // distinct for i < 600
const windstreekName = (w: W) => WINDSTREKEN.find((x) => x.key === w)!.name;
const teamName = (w: W) => `Topteam ${windstreekName(w)}`;

interface Guardian { name: string; relationship: string; hasParentalAuthority: boolean }
interface StudentInfo { id: string; birthDate: string; fullName: string; studentNumber: string; guardians: Guardian[]; opp: Row }
interface RouteEvent { act: EventAct; at: Date; fromPhase: Phase | null; toPhase: Phase }
interface Plan { key: string; spec: TrajectorySpec; id: string; team: W | null; acts: RouteEvent[] }

function buildDemoData(config: Config, now: Date): Record<SeedTable, Row[]> {
  const today = amsterdamDate(now);
  const p = ids.partnership;
  const rows = Object.fromEntries(SEED_TABLES.map((t) => [t, [] as Row[]])) as Record<SeedTable, Row[]>;
  const setUpAt = at(addDays(today, -730));
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
    schools.forEach(([schoolName, brinCode], i) => {
      const schoolId = ids.school(w, i + 1);
      row('school', schoolId, setUpAt, { name: schoolName, brinCode, windstreekId: ids.windstreek(w) });
      users.push({ local: `school${i + 1}.${w}`, role: Role.SCHOOL_COORDINATOR, scope: { schoolId } }, { local: `mentor${i + 1}.${w}`, role: Role.MENTOR, scope: { schoolId } });
    });
  }
  for (const [a, b] of NEIGHBOURS) rows.windstreek_neighbour.push({ windstreekId: ids.windstreek(a), neighbourId: ids.windstreek(b) }, { windstreekId: ids.windstreek(b), neighbourId: ids.windstreek(a) });
  users.forEach(({ local, role, scope }, i) => {
    row('app_user', ids.user(local), setUpAt, { subject: demoEmail(local), email: demoEmail(local), name: personName(i), active: true });
    add('membership', local, setUpAt, { userId: ids.user(local), role, teamFunction: null, windstreekId: null, schoolId: null, topteamId: null, ...scope });
  });
  for (const [w, daysAgo, previousCapacity, newCapacity, reason] of CAPACITY_CHANGES) {
    add('team_capacity_change', `${w}/${daysAgo}`, at(addDays(today, -daysAgo)), { topteamId: ids.team(w), previousCapacity, newCapacity, reason, changedByUserId: ids.user('coordinator') });
  }

  // Trajectory timelines first: the students' development plans and consents date from them.
  const plans = new Map<string, Plan>();
  for (const spec of TRAJECTORIES) {
    const key = spec.at.join('/');
    // One trajectory per demo student (so never two running ones: trajectory_one_running_per_student).
    if (plans.has(key)) throw new Error(`seed: two trajectories for student ${key}`);
    const acts = route(spec);
    let date = addDays(today, -spec.days);
    const dates = acts.map(() => '');
    for (let i = acts.length - 1; i >= 0; i--) [dates[i], date] = [date, addDays(date, -step(acts[i]).gap)];
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

  // Students and their guardians.
  const students = new Map<string, StudentInfo>();
  const enrolledAt = at(addDays(today, -420));
  let i = 0;
  for (const { key: w, schools } of WINDSTREKEN) {
    schools.forEach(([, brin], s) => {
      for (let k = 1; k <= STUDENTS_PER_SCHOOL; k++, i++) {
        const ref: StudentRef = [w, s + 1, k];
        const id = ids.student(ref);
        const [givenName, familyName] = [GIVEN[(i * 3) % GIVEN.length], FAMILY[(i * 5 + 2) % FAMILY.length]];
        const age = 12 + (i % 6);
        const birthDate = addDays(addMonths(today, -12 * age), -(10 + ((i * 41) % 300)));
        const studentNumber = String(24_100 + i * 17);
        const mother = `${PARENT_GIVEN[(i * 2) % PARENT_GIVEN.length]} ${FAMILY[(i * 11 + 7) % FAMILY.length]}`;
        const father = `${PARENT_GIVEN[(i * 2 + 1) % PARENT_GIVEN.length]} ${familyName}`;
        const guardians: Guardian[] = [{ name: mother, relationship: 'moeder', hasParentalAuthority: true }];
        if (i % 3 > 0) guardians.push({ name: father, relationship: 'vader', hasParentalAuthority: i % 3 === 1 });
        const trajectory = plans.get(ref.join('/'));
        const submitted = trajectory ? amsterdamDate(trajectory.acts[0].at) : null;
        const opp = { developmentPlanReference: submitted ? `OPP-${brin}-${studentNumber}` : null, developmentPlanDate: submitted ? addDays(submitted, -30) : null };
        row('student', id, enrolledAt, {
          schoolId: ids.school(w, s + 1),
          mentorUserId: k <= MENTEES_PER_SCHOOL ? ids.user(`mentor${s + 1}.${w}`) : null, givenName, familyName, birthDate, studentNumber,
          expectedExitLevel: EXIT_LEVELS[i % EXIT_LEVELS.length], pseudonym: studentPseudonym(config.pseudonymKey, p, id),
          ...opp,
        });
        guardians.forEach((g, j) => add('guardian', `${ref.join('/')}/${j}`, enrolledAt, { studentId: id, ...g }));
        students.set(ref.join('/'), { id, birthDate, fullName: `${givenName} ${familyName}`, studentNumber, guardians, opp });
      }
    });
  }

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
      // Withdrawn the morning the trajectory was cancelled, before the cancellation itself.
      const withdrawn = purpose === ConsentPurpose.CARE_BY_TOPTEAM && spec.phase === Phase.CANCELLED ? at(phaseStart) : null;
      // A care consent given for the duration of a trajectory that was refused or closed (no
      // follow-ups to come) ended with it: the demo shows EXPIRED consents.
      const validUntil = purpose === ConsentPurpose.CARE_BY_TOPTEAM && (spec.phase === Phase.REFUSED || spec.phase === Phase.CLOSED) ? phaseStart : null;
      add('consent', `${key}/${purpose}`, givenAt, {
        studentId: student.id, purpose, legalBasis: LegalBasis.CONSENT, grantors: JSON.stringify(grantors), studentAgeAtGrant: age, recipients, dataCategories,
        givenAt, validUntil, withdrawnAt: withdrawn, withdrawnByUserId: withdrawn && actor.school,
        evidenceReference: `Toestemmingsformulier ${student.studentNumber}, getekend ${amsterdamDate(givenAt)} (leerlingdossier)`, recordedByUserId: actor.school,
      });
    }

    // The pre-consultation that led to the registration.
    let consultationId: string | null = null;
    if (spec.preConsultation) {
      consultationId = demoId(`consultation/${key}`);
      const held = at(addDays(submitted, -14));
      add('consultation', key, held, {
        kind: ConsultationKind.PRE_CONSULTATION, schoolId: ids.school(w, n), windstreekId: ids.windstreek(w), studentId: student.id, requestedByUserId: actor.school,
        ...student.opp, ...PRE_CONSULTATION, outcome: ConsultationOutcome.TOPTRAJECT, recordedAt: at(amsterdamDate(held), 6),
      });
    }

    // The event log: the route acts, then one event per act of the case work below. Every act
    // after the registration goes through the workflow, which bumps the version (the team is
    // assigned within the acceptance, so that bumps nothing of its own).
    const events: Array<RouteEvent & { idName: string; actorUserId: string; reason: string | null }> = plan.acts.map((e, j) => {
      const overflow = team && team !== w ? `; ${teamName(w)} zit boven de overloopdrempel, ${teamName(team)} heeft ruimte en ligt ernaast` : '';
      const reason = e.act === 'assignTeam' ? `Toegewezen aan ${teamName(team!)}${overflow}.` : (ACT_REASONS[e.act] ?? null);
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
     * A non-moving act of the case work: its event (from = to = the phase then) and the record it
     * writes, if any. `idName` names both (not by date: ids must not depend on the day of seeding).
     */
    const caseAct = (act: ActName, idName: string, by: string, instant: Date, record?: [table: SeedTable, fields: Row]) => {
      if (record) child(record[0], idName, instant, record[1]);
      const phases = transition(act, phaseAt(instant));
      if (phases.fromPhase !== phases.toPhase) throw new Error(`seed: ${act} moves the phase; put it in the route`);
      events.push({ act, at: instant, ...phases, idName: `${act}/${idName}`, actorUserId: by, reason: null });
    };

    // Team work: a note for every assigned trajectory; goals from the assessment on (they are
    // agreed before the intensive phase starts), evaluations in the intensive phase.
    const note = NOTE_TEXT[spec.phase];
    if (team && note) caseAct('addNote', '0', actor.careworker, at(phaseStart, 20), ['note', { body: note, authorUserId: actor.careworker }]);
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
    if (consolidationFrom) {
      caseAct('addHandoverAdvice', '0', actor.scientist, at(addDays(amsterdamDate(consolidationFrom), -2), 24), ['handover_advice', {
        advice: HANDOVER_ADVICE, addedToDevelopmentPlan: true, authorUserId: actor.scientist,
      }]);
    }
    if (key === ABSENCE.at) {
      ABSENCE.days.forEach(([daysAgo, lessonsMissed, authorised, absenceNote], j) => {
        const absentOn = addDays(today, -daysAgo);
        caseAct('registerAbsence', String(j), actor.school, at(absentOn, 40), ['absence_registration', {
          absentOn, lessonsMissed, authorised, note: absenceNote, registeredByUserId: actor.school,
        }]);
      });
    }
    if (spec.phase === Phase.COMPLETED) {
      // Created by the completion itself; recorded when due more than two weeks ago, else still open.
      const completed = actDate('completeTrajectory')!;
      for (const { moment, dueOn } of followUpDates(phaseStart, config.phaseNorms)) {
        const recorded = addDays(dueOn, 14) < today;
        child('follow_up', moment, completed, {
          moment, dueOn, recordedAt: recorded ? at(addDays(dueOn, 2)) : null, stillInEducation: recorded || null, atExpectedExitLevel: recorded || null,
          diplomaExpected: recorded || null, recordedByUserId: recorded ? actor.scientist : null,
        });
        if (recorded) caseAct('recordFollowUp', moment, actor.scientist, at(addDays(dueOn, 2)));
      }
    }
    if (key === ESCALATION.at) {
      caseAct('escalateTrajectory', '0', actor.scientist, at(addDays(today, -ESCALATION.daysAgo)), ['escalation', {
        level: ESCALATION.level, reason: ESCALATION.reason, raisedByUserId: actor.scientist, resolvedAt: null, resolution: null,
      }]);
    }
    if (key === COMPLAINT.at) {
      const receivedOn = addDays(today, -COMPLAINT.daysAgo);
      caseAct('fileComplaint', '0', actor.scientist, at(receivedOn), ['complaint', {
        complainant: COMPLAINT.complainant, description: COMPLAINT.description, status: COMPLAINT.status, receivedOn, escalatedOn: null, resolvedOn: null,
      }]);
      caseAct('handleComplaint', '0', actor.scientist, at(addDays(receivedOn, COMPLAINT.handledAfterDays)));
    }
    if (key === EXIT_QUESTIONNAIRES.at) {
      EXIT_QUESTIONNAIRES.answers.forEach(([party, score, comment], j) =>
        caseAct('recordExitQuestionnaire', party, actor.careworker, at(addDays(phaseStart, 7), j), ['exit_questionnaire', { party, score, comment }]));
    }

    const last = events.reduce((a, b) => (b.at > a.at ? b : a));
    const workflowActs = events.filter((e) => e.act !== 'submitRegistration' && e.act !== 'assignTeam').length;
    row('trajectory', plan.id, plan.acts[0].at, {
      studentId: student.id, schoolId: ids.school(w, n), windstreekId: ids.windstreek(w),
      teamId: team && ids.team(team), consultationId, phase: spec.phase, phaseStartedAt: phaseAct.at, ...phaseDates(spec.phase, phaseStart, config.phaseNorms),
      problemAreas: spec.areas, parentsInformedOn: addDays(submitted, -PARENTS_INFORMED_DAYS_BEFORE), eligibility: JSON.stringify(ELIGIBILITY),
      cancellationReason: spec.phase === Phase.CANCELLED ? CANCELLATION_REASON : null,
      registeredByUserId: actor.school, closingReason: CLOSING_ACTS.includes(phaseAct.act) ? ACT_REASONS[phaseAct.act] : null,
      updatedAt: last.at, version: 1 + workflowActs,
    });
    for (const { idName, act, at: occurredAt, fromPhase, toPhase, actorUserId, reason } of events) {
      child('trajectory_event', idName, occurredAt, { act, fromPhase, toPhase, actorUserId, reason, occurredAt });
    }
  }

  // Anonymous advice requests (step 1) and one data-subject request.
  ADVICE_REQUESTS.forEach(({ school: [w, n], daysAgo, outcome, caseDescription, advice }, j) => {
    const held = at(addDays(today, -daysAgo));
    add('consultation', `advice/${j}`, held, {
      kind: ConsultationKind.ADVICE, schoolId: ids.school(w, n), windstreekId: ids.windstreek(w), studentId: null, caseDescription,
      requestedByUserId: ids.user(`school${n}.${w}`), advice, outcome, recordedAt: at(amsterdamDate(held), 6),
    });
  });
  const receivedOn = addDays(today, -DATA_SUBJECT_REQUEST.daysAgo);
  add('data_subject_request', '0', at(receivedOn), {
    studentId: ids.student(DATA_SUBJECT_REQUEST.student), kind: DATA_SUBJECT_REQUEST.kind, status: DataSubjectRequestStatus.IDENTITY_VERIFIED, receivedOn,
    identityVerifiedAt: at(addDays(receivedOn, 1)), dueOn: addMonths(receivedOn, 1), extensionReason: null, completedAt: null, handledByUserId: ids.user('privacy'),
  });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Inserting
// ---------------------------------------------------------------------------------------------

/** Inserts rows (camelCase keys) that are not there yet; returns how many went in. */
async function insertMissing(queryRunner: QueryRunner, table: SeedTable, rows: Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const params: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((c) => `$${params.push(row[c] ?? null)}`).join(', ')})`);
  const key = table === 'windstreek_neighbour' ? '"windstreek_id", "neighbour_id"' : '"id"';
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${snakeCase(c)}"`).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${key}) DO NOTHING`;
  const result = await queryRunner.query(sql, params, true);
  return result.affected ?? 0;
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
