/**
 * The closed vocabularies of the handbook (`src/domain/README.md`), shared by tables, GraphQL and rules.
 * Each value is English in code; the GraphQL description gives the Dutch term.
 */
import { registerEnumType } from 'type-graphql';

/** Role of a membership; the scope it needs is fixed by `ROLE_SCOPE`. */
export enum Role {
  ADMIN = 'ADMIN',
  PRIVACY_OFFICER = 'PRIVACY_OFFICER',
  PROGRAMME_COORDINATOR = 'PROGRAMME_COORDINATOR',
  PARTNERSHIP_ANALYST = 'PARTNERSHIP_ANALYST',
  EDUCATION_ADVISOR = 'EDUCATION_ADVISOR',
  TEAM_MEMBER = 'TEAM_MEMBER',
  SCHOOL_COORDINATOR = 'SCHOOL_COORDINATOR',
  MENTOR = 'MENTOR',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'Role of a membership (rol).',
  valuesConfig: {
    ADMIN: { description: 'Beheerder: manages structure and accounts; sees no student data.' },
    PRIVACY_OFFICER: { description: 'Functionaris gegevensbescherming (FG).' },
    PROGRAMME_COORDINATOR: { description: 'Coördinator Toptrajecten.' },
    PARTNERSHIP_ANALYST: { description: 'Accounthouder / kwaliteit SWV: aggregates only.' },
    EDUCATION_ADVISOR: { description: 'Onderwijsadviseur of one windstreek.' },
    TEAM_MEMBER: { description: 'Member of a Topteam (see TeamFunction).' },
    SCHOOL_COORDINATOR: { description: 'Zorgcoördinator / ondersteuningscoördinator of one school.' },
    MENTOR: { description: 'Mentor at one school: sees own mentees only.' },
  },
});

/** What a membership is scoped to. */
export enum ScopeKind {
  PARTNERSHIP = 'PARTNERSHIP',
  WINDSTREEK = 'WINDSTREEK',
  SCHOOL = 'SCHOOL',
  TOPTEAM = 'TOPTEAM',
}
registerEnumType(ScopeKind, { name: 'ScopeKind', description: 'What a membership is scoped to (reikwijdte).' });

/** The scope each role requires; one home for this rule. */
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  [Role.ADMIN]: ScopeKind.PARTNERSHIP,
  [Role.PRIVACY_OFFICER]: ScopeKind.PARTNERSHIP,
  [Role.PROGRAMME_COORDINATOR]: ScopeKind.PARTNERSHIP,
  [Role.PARTNERSHIP_ANALYST]: ScopeKind.PARTNERSHIP,
  [Role.EDUCATION_ADVISOR]: ScopeKind.WINDSTREEK,
  [Role.TEAM_MEMBER]: ScopeKind.TOPTEAM,
  [Role.SCHOOL_COORDINATOR]: ScopeKind.SCHOOL,
  [Role.MENTOR]: ScopeKind.SCHOOL,
};

/** Function of a Topteam member. */
export enum TeamFunction {
  BEHAVIOURAL_SCIENTIST = 'BEHAVIOURAL_SCIENTIST',
  TEACHER = 'TEACHER',
  CARE_WORKER = 'CARE_WORKER',
}
registerEnumType(TeamFunction, {
  name: 'TeamFunction',
  description: 'Function within a Topteam (functie).',
  valuesConfig: {
    BEHAVIOURAL_SCIENTIST: { description: 'Gedragswetenschapper: final responsibility for each trajectory.' },
    TEACHER: { description: 'Topdocent: didactic and school skills.' },
    CARE_WORKER: { description: 'Ambulant hulpverlener: behaviour, social-emotional development, parents.' },
  },
});

/** The handbook's Topteam: how many members of each function a complete team has (1 gedragswetenschapper, 2 Topdocenten, 2 ambulant hulpverleners). */
export const TEAM_COMPOSITION: Readonly<Record<TeamFunction, number>> = {
  [TeamFunction.BEHAVIOURAL_SCIENTIST]: 1,
  [TeamFunction.TEACHER]: 2,
  [TeamFunction.CARE_WORKER]: 2,
};

/** The Dutch name of each function, for messages. */
export const TEAM_FUNCTION_NAMES: Readonly<Record<TeamFunction, string>> = {
  [TeamFunction.BEHAVIOURAL_SCIENTIST]: 'gedragswetenschapper',
  [TeamFunction.TEACHER]: 'Topdocent',
  [TeamFunction.CARE_WORKER]: 'ambulant hulpverlener',
};

/** Expected exit level (verwacht uitstroomniveau). */
export enum ExitLevel {
  VMBO_BB = 'VMBO_BB',
  VMBO_KB = 'VMBO_KB',
  VMBO_GT = 'VMBO_GT',
  HAVO = 'HAVO',
  VWO = 'VWO',
}
registerEnumType(ExitLevel, { name: 'ExitLevel', description: 'Expected exit level (verwacht uitstroomniveau).' });

/** Phase of a trajectory; the registration steps come first. */
export enum Phase {
  REQUESTED = 'REQUESTED',
  IN_REVIEW = 'IN_REVIEW',
  INFO_REQUESTED = 'INFO_REQUESTED',
  ACCEPTED = 'ACCEPTED',
  REFUSED = 'REFUSED',
  ASSESSMENT = 'ASSESSMENT',
  INTENSIVE = 'INTENSIVE',
  CONSOLIDATION = 'CONSOLIDATION',
  COMPLETED = 'COMPLETED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(Phase, {
  name: 'Phase',
  description: 'Phase of a Toptraject (fase).',
  valuesConfig: {
    REQUESTED: { description: 'Aanmelding ingediend: registration submitted.' },
    IN_REVIEW: { description: 'Dossier in behandeling bij de onderwijsadviseur.' },
    INFO_REQUESTED: { description: 'Aanvullende informatie gevraagd aan de school.' },
    ACCEPTED: { description: 'Aanmelding geaccepteerd en gedeeld met het Topteam.' },
    REFUSED: { description: 'Aanmelding afgewezen.' },
    ASSESSMENT: { description: 'Onderzoeksfase (4 weeks).' },
    INTENSIVE: { description: 'Intensieve fase (12, at most 16 weeks).' },
    CONSOLIDATION: { description: 'Borgingsfase (3 months).' },
    COMPLETED: { description: 'Afgerond; follow-ups after 3 and 12 months.' },
    CLOSED: { description: 'Afgesloten na de onderzoeksfase: advice for another route.' },
    CANCELLED: { description: 'Voortijdig beëindigd (consent withdrawn, left school, other).' },
  },
});

/** Phases in which a trajectory is still running (not finished, refused or cancelled). */
export const ACTIVE_PHASES: readonly Phase[] = [
  Phase.REQUESTED,
  Phase.IN_REVIEW,
  Phase.INFO_REQUESTED,
  Phase.ACCEPTED,
  Phase.ASSESSMENT,
  Phase.INTENSIVE,
  Phase.CONSOLIDATION,
];

/** Problem areas of the target group (probleemgebieden). */
export enum ProblemArea {
  EXECUTIVE_FUNCTIONS = 'EXECUTIVE_FUNCTIONS',
  MOTIVATION = 'MOTIVATION',
  ABSENCE = 'ABSENCE',
  EXTERNALISING_BEHAVIOUR = 'EXTERNALISING_BEHAVIOUR',
  INTERNALISING_BEHAVIOUR = 'INTERNALISING_BEHAVIOUR',
  COMPLEX_HOME_SITUATION = 'COMPLEX_HOME_SITUATION',
  COMPLEX_LEISURE_SITUATION = 'COMPLEX_LEISURE_SITUATION',
}
registerEnumType(ProblemArea, {
  name: 'ProblemArea',
  description:
    'Problem area (probleemgebied): executieve functies, motivatie, verzuim, externaliserend gedrag, internaliserend gedrag, complexe thuissituatie, complexe vrijetijdssituatie.',
});

/** Purpose a consent is given for (doel). */
export enum ConsentPurpose {
  SHARE_WITH_PARTNERSHIP = 'SHARE_WITH_PARTNERSHIP',
  CARE_BY_TOPTEAM = 'CARE_BY_TOPTEAM',
  SHARE_WITH_EXTERNAL_PARTNER = 'SHARE_WITH_EXTERNAL_PARTNER',
}
registerEnumType(ConsentPurpose, {
  name: 'ConsentPurpose',
  description: 'Purpose of a consent (doel van de toestemming).',
  valuesConfig: {
    SHARE_WITH_PARTNERSHIP: { description: 'Delen met het samenwerkingsverband (dossier review).' },
    CARE_BY_TOPTEAM: { description: 'Zorg door het Topteam (Jeugdwet).' },
    SHARE_WITH_EXTERNAL_PARTNER: { description: 'Delen met een externe partner.' },
  },
});

/** Legal basis of a processing (grondslag). */
export enum LegalBasis {
  CONSENT = 'CONSENT',
  LEGAL_TASK = 'LEGAL_TASK',
}
registerEnumType(LegalBasis, {
  name: 'LegalBasis',
  description: 'Legal basis (grondslag): toestemming, or wettelijke taak (art. 17a WVO).',
});

/** Who gave (part of) a consent. */
export enum GrantorRole {
  STUDENT = 'STUDENT',
  PARENT = 'PARENT',
}
registerEnumType(GrantorRole, { name: 'GrantorRole', description: 'Who granted a consent: leerling or ouder/verzorger.' });

/** Kind of consultation before a registration. */
export enum ConsultationKind {
  ADVICE = 'ADVICE',
  PRE_CONSULTATION = 'PRE_CONSULTATION',
}
registerEnumType(ConsultationKind, {
  name: 'ConsultationKind',
  description: 'Preventief advies (step 1) or collegiaal vooroverleg (step 2).',
});

/** Outcome of a consultation. */
export enum ConsultationOutcome {
  ADVICE_SUFFICIENT = 'ADVICE_SUFFICIENT',
  GO_TO_PRE_CONSULTATION = 'GO_TO_PRE_CONSULTATION',
  TOPTRAJECT = 'TOPTRAJECT',
  OTHER_SUPPORT = 'OTHER_SUPPORT',
}
registerEnumType(ConsultationOutcome, {
  name: 'ConsultationOutcome',
  description: 'Uitkomst: advies volstaat, door naar vooroverleg, Toptraject, of andere ondersteuning.',
});

/** Progress of a goal. */
export enum GoalProgress {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  ACHIEVED = 'ACHIEVED',
  NOT_ACHIEVED = 'NOT_ACHIEVED',
}
registerEnumType(GoalProgress, { name: 'GoalProgress', description: 'Voortgang van een doel.' });

/** Which follow-up moment. */
export enum FollowUpMoment {
  THREE_MONTHS = 'THREE_MONTHS',
  TWELVE_MONTHS = 'TWELVE_MONTHS',
}
registerEnumType(FollowUpMoment, { name: 'FollowUpMoment', description: 'Follow-up moment: 3 or 12 months after consolidation.' });

/** Status of a complaint. */
export enum ComplaintStatus {
  RECEIVED = 'RECEIVED',
  HANDLED_BY_TEAM = 'HANDLED_BY_TEAM',
  ESCALATED_TO_PROVIDER = 'ESCALATED_TO_PROVIDER',
  RESOLVED = 'RESOLVED',
}
registerEnumType(ComplaintStatus, { name: 'ComplaintStatus', description: 'Status of a complaint (klacht).' });

/** A party answering the exit questionnaire, or filing a complaint. */
export enum Party {
  STUDENT = 'STUDENT',
  PARENTS = 'PARENTS',
  SCHOOL = 'SCHOOL',
}
registerEnumType(Party, { name: 'Party', description: 'Partij: leerling, ouders of school.' });

/** Who a hand-over advice (handelingsadvies) is addressed to. */
export enum HandoverRecipient {
  SCHOOL = 'SCHOOL',
  HOME = 'HOME',
  NETWORK_PARTNER = 'NETWORK_PARTNER',
}
registerEnumType(HandoverRecipient, {
  name: 'HandoverRecipient',
  description: 'Recipient of a hand-over advice (ontvanger): the school, home (the parents), or a partner in the network around the student (netwerkpartner).',
  valuesConfig: {
    SCHOOL: { description: 'The school (mentor, teachers, zorgcoördinator).' },
    HOME: { description: 'Home: the parents (ouders/verzorgers).' },
    NETWORK_PARTNER: { description: 'A partner in the network around the student (netwerkpartner, e.g. youth care); named in recipientName.' },
  },
});

/** Kind of access-log event (NEN 7513). */
export enum AccessAction {
  READ = 'READ',
  SEARCH = 'SEARCH',
  EXPORT = 'EXPORT',
  CHANGE = 'CHANGE',
}
registerEnumType(AccessAction, { name: 'AccessAction', description: 'Kind of access (soort handeling) in the access log.' });

/** Outcome of an access attempt. */
export enum AccessOutcome {
  ALLOWED = 'ALLOWED',
  DENIED = 'DENIED',
}
registerEnumType(AccessOutcome, { name: 'AccessOutcome', description: 'Outcome of an access attempt (toegestaan/geweigerd).' });

/** Kind of data-subject request (AVG art. 15–21). */
export enum DataSubjectRequestKind {
  ACCESS = 'ACCESS',
  RECTIFICATION = 'RECTIFICATION',
  ERASURE = 'ERASURE',
  OBJECTION = 'OBJECTION',
}
registerEnumType(DataSubjectRequestKind, {
  name: 'DataSubjectRequestKind',
  description: 'Verzoek van een betrokkene: inzage, rectificatie, verwijdering, bezwaar.',
});

/** Status of a data-subject request. */
export enum DataSubjectRequestStatus {
  RECEIVED = 'RECEIVED',
  IDENTITY_VERIFIED = 'IDENTITY_VERIFIED',
  EXTENDED = 'EXTENDED',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
}
registerEnumType(DataSubjectRequestStatus, { name: 'DataSubjectRequestStatus', description: 'Status of a data-subject request.' });

/** Retention class of a record (bewaartermijnklasse). */
export enum RetentionClass {
  REGISTRATION_WITHOUT_HELP = 'REGISTRATION_WITHOUT_HELP',
  PARTNERSHIP_DOSSIER = 'PARTNERSHIP_DOSSIER',
  SCHOOL_DATA = 'SCHOOL_DATA',
  CARE_DOSSIER = 'CARE_DOSSIER',
}
registerEnumType(RetentionClass, {
  name: 'RetentionClass',
  description:
    'Bewaartermijnklasse: registration that led to no help (short), partnership dossier (3 years), school-side data (2 years after leaving), care dossier (20 years after care ends).',
});

/** Why a trajectory was cancelled (reden voortijdige beëindiging). */
/**
 * Why a trajectory was cancelled (reden voortijdige beëindiging). Besides consent and leaving
 * the school, the handbook's conditions for a Toptraject that stop holding while it runs
 * (its target group and the situations in which it is "niet zinvol"), so cancellations can be
 * counted by ground; OTHER needs an explanation.
 */
export enum CancellationReason {
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
  LEFT_SCHOOL = 'LEFT_SCHOOL',
  REGULAR_EDUCATION_NOT_FEASIBLE = 'REGULAR_EDUCATION_NOT_FEASIBLE',
  NEEDS_VERY_INTENSIVE_CARE = 'NEEDS_VERY_INTENSIVE_CARE',
  NOT_MOTIVATED = 'NOT_MOTIVATED',
  OTHER = 'OTHER',
}
registerEnumType(CancellationReason, {
  name: 'CancellationReason',
  description: 'Reden voortijdige beëindiging van een Toptraject.',
  valuesConfig: {
    CONSENT_WITHDRAWN: { description: 'De toestemming voor zorg door het Topteam is ingetrokken.' },
    LEFT_SCHOOL: { description: 'De leerling staat niet meer ingeschreven op de school (verhuisd, naar een andere school).' },
    REGULAR_EDUCATION_NOT_FEASIBLE: { description: 'Regulier onderwijs blijkt niet haalbaar: de leerling gaat naar een andere route, bijvoorbeeld speciaal onderwijs.' },
    NEEDS_VERY_INTENSIVE_CARE: { description: 'De leerling blijkt zeer intensieve hulpverlening nodig te hebben (ernstige psychische of psychiatrische problemen, ernstige problemen in de gezinssituatie).' },
    NOT_MOTIVATED: { description: 'De school, de leerling of de ouders willen niet langer actief aan de slag met het Toptraject.' },
    OTHER: { description: 'Een andere reden; de toelichting (explanation) is dan verplicht.' },
  },
});

/**
 * Why a registration is refused (reden afwijzing): the handbook's target group ("doelgroep") and
 * the situations in which a Toptraject is "niet zinvol", one per criterion, so refusals can be
 * counted by criterion; OTHER needs an explanation.
 */
export enum RefusalGround {
  NOT_IN_REGULAR_EDUCATION = 'NOT_IN_REGULAR_EDUCATION',
  REGULAR_EDUCATION_NOT_FEASIBLE = 'REGULAR_EDUCATION_NOT_FEASIBLE',
  SINGLE_QUESTION = 'SINGLE_QUESTION',
  NEEDS_VERY_INTENSIVE_CARE = 'NEEDS_VERY_INTENSIVE_CARE',
  NOT_MOTIVATED = 'NOT_MOTIVATED',
  GOALS_NOT_REACHABLE_IN_TERM = 'GOALS_NOT_REACHABLE_IN_TERM',
  OTHER = 'OTHER',
}
registerEnumType(RefusalGround, {
  name: 'RefusalGround',
  description: 'Reden afwijzing van een aanmelding, naar de doelgroepcriteria van het handboek.',
  valuesConfig: {
    NOT_IN_REGULAR_EDUCATION: { description: 'De leerling staat niet ingeschreven op een school voor regulier voortgezet onderwijs, of zet daar de schoolloopbaan niet voort.' },
    REGULAR_EDUCATION_NOT_FEASIBLE: { description: 'Regulier onderwijs is voor de leerling naar verwachting niet haalbaar.' },
    SINGLE_QUESTION: { description: 'De school heeft een enkelvoudige vraag, bijvoorbeeld een IQ-bepaling.' },
    NEEDS_VERY_INTENSIVE_CARE: { description: 'De leerling heeft zeer intensieve hulpverlening nodig (ernstige psychische of psychiatrische problemen, ernstige problemen in de gezinssituatie).' },
    NOT_MOTIVATED: { description: 'De school, de leerling of de ouders zijn niet gemotiveerd voor een Toptraject en de aanpak die hierbij hoort.' },
    GOALS_NOT_REACHABLE_IN_TERM: { description: 'De doelen zijn naar verwachting niet binnen de termijn van een Toptraject te halen.' },
    OTHER: { description: 'Een andere reden; de toelichting (reason) is dan verplicht.' },
  },
});

/**
 * How a case stands against its dates (tijdigheid), from the request's calendar day in
 * Amsterdam: the current phase past its due date, the intensive phase past its hard limit
 * ("maximaal twaalf tot zestien weken"), a follow-up that can be recorded now, or one past due.
 */
export enum Timeliness {
  ON_TIME = 'ON_TIME',
  OVERDUE = 'OVERDUE',
  PAST_LIMIT = 'PAST_LIMIT',
  FOLLOW_UP_DUE = 'FOLLOW_UP_DUE',
  FOLLOW_UP_OVERDUE = 'FOLLOW_UP_OVERDUE',
}
registerEnumType(Timeliness, {
  name: 'Timeliness',
  description: 'Tijdigheid van een traject, op de kalenderdag van de vraag (Europe/Amsterdam).',
  valuesConfig: {
    ON_TIME: { description: 'Op tijd: niets is over tijd of te doen.' },
    OVERDUE: { description: 'De huidige fase is voorbij de uiterste datum.' },
    PAST_LIMIT: { description: 'De intensieve fase is voorbij de uiterste grens (zestien weken).' },
    FOLLOW_UP_DUE: { description: 'Een follow-up kan nu worden vastgelegd (vanaf 14 dagen voor de datum tot en met de datum).' },
    FOLLOW_UP_OVERDUE: { description: 'Een follow-up is voorbij de datum en niet vastgelegd.' },
  },
});
