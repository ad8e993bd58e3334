/**
 * Generated programme histories for the dashboard tests, written straight to the database,
 * and an independent oracle: every figure computed again in plain TypeScript from the same
 * plan, without importing src/modules/dashboards or src/authz. The oracle states the
 * aggregate scopes and who may read which rows (hence who gets exact figures) from the access
 * matrix, in its own words.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ConsultationKind, ConsultationOutcome, FollowUpMoment, Party, Phase, RefusalGround, Role, TeamFunction } from '../../../src/domain/enums';
import { studentPseudonym } from '../../../src/domain/pseudonym';
import {
  createConsent, createPartnership, createSchool, createTopteam, createUser, createWindstreek,
} from '../../factories';
import { ConsentPurpose } from '../../../src/domain/enums';

// ---------------------------------------------------------------------------------------------
// Calendar (independent of src/)
// ---------------------------------------------------------------------------------------------

const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The Amsterdam calendar day of an instant. */
export const localDay = (at: Date) => DAY.format(at);
const DAY_MS = 86_400_000;
export const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
/** The instant Amsterdam's day `date` begins. */
export function localMidnight(date: string): Date {
  // 00:00 in Amsterdam is 22:00 or 23:00 UTC the day before; find the one that formats as `date`.
  for (const hour of [22, 23]) {
    const candidate = new Date(Date.parse(`${plusDays(date, -1)}T${hour}:00:00Z`));
    if (localDay(candidate) === date && localDay(new Date(candidate.getTime() - 1)) !== date) return candidate;
  }
  throw new Error(`no midnight for ${date}`);
}
const monthOf = (date: string) => `${date.slice(0, 7)}-01`;
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};
const lastDay = (month: string) => plusDays(nextMonth(month), -1);

export type BucketSize = 'MONTH' | 'QUARTER' | 'SCHOOL_YEAR';
/** The bucket containing `date`: label, first and last day. */
export function bucket(date: string, size: BucketSize): { label: string; start: string; end: string } {
  const [y, m] = date.split('-').map(Number);
  if (size === 'MONTH') return { label: date.slice(0, 7), start: monthOf(date), end: lastDay(monthOf(date)) };
  if (size === 'QUARTER') {
    const q = Math.ceil(m / 3);
    const start = `${y}-${String(3 * q - 2).padStart(2, '0')}-01`;
    return { label: `${y}-Q${q}`, start, end: lastDay(`${y}-${String(3 * q).padStart(2, '0')}-01`) };
  }
  const first = m >= 8 ? y : y - 1;
  return { label: `${first}/${first + 1}`, start: `${first}-08-01`, end: `${first + 1}-07-31` };
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

export type SchoolKey = 'A1' | 'A2' | 'B1';
export type TeamKey = 'TA' | 'TB';
const WINDSTREEK_OF: Record<SchoolKey, 'A' | 'B'> = { A1: 'A', A2: 'A', B1: 'B' };
const TEAM_WINDSTREEK: Record<TeamKey, 'A' | 'B'> = { TA: 'A', TB: 'B' };
const ACTIVE = ['REQUESTED', 'IN_REVIEW', 'INFO_REQUESTED', 'ACCEPTED', 'ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION'];
const CARRIED = ['ACCEPTED', 'ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION'];
const ENDED = ['REFUSED', 'CLOSED', 'COMPLETED', 'CANCELLED'];

/** An event: a phase change, or an act in the phase (from = to). */
export interface PlanEvent { from: Phase | null; to: Phase; at: Date }
export interface PlanTrajectory {
  school: SchoolKey;
  team: TeamKey | null;
  created: Date;
  events: PlanEvent[];
  phase: Phase;
  phaseStartedAt: Date;
  phaseDueOn: string | null;
  phaseLimitOn: string | null;
  followUps: Array<{ moment: FollowUpMoment; dueOn: string; recorded: boolean; still: boolean; level: boolean; diploma: boolean }>;
  exits: Array<{ party: Party; score: number; at: Date }>;
  escalations: Array<{ level: number; at: Date; resolvedAt: Date | null }>;
  complaints: Array<{ complainant: Party; receivedOn: string; resolvedOn: string | null }>;
  /** The refusal ground of a refused registration (null: recorded before grounds existed). */
  refusalGround: RefusalGround | null;
}
export interface PlanConsultation { school: SchoolKey; kind: ConsultationKind; at: Date; outcome: ConsultationOutcome | null }
export interface Plan { now: Date; trajectories: PlanTrajectory[]; consultations: PlanConsultation[] }

/** Where a route goes, as phase changes after the registration. */
const ROUTES: Phase[][] = [
  [],
  [Phase.INFO_REQUESTED],
  [Phase.INFO_REQUESTED, Phase.IN_REVIEW],
  [Phase.REFUSED],
  [Phase.INFO_REQUESTED, Phase.IN_REVIEW, Phase.REFUSED],
  [Phase.CANCELLED],
  [Phase.ACCEPTED],
  [Phase.ACCEPTED, Phase.ASSESSMENT],
  [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.CLOSED],
  [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE],
  [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CANCELLED],
  [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION],
  [Phase.ACCEPTED, Phase.ASSESSMENT, Phase.INTENSIVE, Phase.CONSOLIDATION, Phase.COMPLETED],
];
/** Times of day (UTC) acts happen at: 23:30 UTC is the next day in Amsterdam. */
const HOURS = ['08:00', '13:15', '22:30', '23:30'];

const trajectoryArb = (now: Date) =>
  fc.record({
    school: fc.constantFrom<SchoolKey>('A1', 'A2', 'B1'),
    team: fc.constantFrom<TeamKey | null>('TA', 'TB', 'TA', null),
    startDay: fc.integer({ min: 20, max: 640 }),
    route: fc.integer({ min: 0, max: ROUTES.length - 1 }),
    gaps: fc.array(fc.integer({ min: 1, max: 130 }), { minLength: 6, maxLength: 6 }),
    hours: fc.array(fc.constantFrom(...HOURS), { minLength: 7, maxLength: 7 }),
    assignGap: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
    dueShift: fc.integer({ min: -40, max: 40 }),
    refusalGround: fc.constantFrom<RefusalGround | null>(...Object.values(RefusalGround), null),
    followUps: fc.array(fc.record({ recorded: fc.boolean(), still: fc.boolean(), level: fc.boolean(), diploma: fc.boolean() }), { minLength: 2, maxLength: 2 }),
    exits: fc.uniqueArray(fc.record({ party: fc.constantFrom(Party.STUDENT, Party.PARENTS, Party.SCHOOL), score: fc.integer({ min: 1, max: 5 }), after: fc.integer({ min: 0, max: 20 }) }), { selector: (e) => e.party, maxLength: 3 }),
    escalation: fc.option(fc.record({ level: fc.integer({ min: 1, max: 4 }), after: fc.integer({ min: 0, max: 60 }), resolvedAfter: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }) }), { nil: null }),
    complaint: fc.option(fc.record({ complainant: fc.constantFrom(Party.STUDENT, Party.PARENTS), after: fc.integer({ min: 0, max: 60 }), resolvedAfter: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }) }), { nil: null }),
  }).map((g): PlanTrajectory => {
    const today = localDay(now);
    const at = (date: string, i: number) => new Date(`${date}T${g.hours[i % g.hours.length]}:00Z`);
    const created = at(plusDays(today, -g.startDay), 0);
    const events: PlanEvent[] = [{ from: null, to: Phase.REQUESTED, at: created }];
    let day = localDay(created);
    for (const [i, to] of ROUTES[g.route].entries()) {
      day = plusDays(day, g.gaps[i]);
      const when = at(day, i + 1);
      if (when >= now) break;
      events.push({ from: events[events.length - 1].to, to, at: when });
      if (to === Phase.ACCEPTED && g.assignGap !== null && g.team) {
        const assigned = new Date(when.getTime() + g.assignGap * 3_600_000);
        if (assigned < now) events.push({ from: Phase.ACCEPTED, to: Phase.ACCEPTED, at: assigned });
      }
    }
    const phaseChanges = events.filter((e) => e.from !== e.to);
    const last = phaseChanges[phaseChanges.length - 1];
    const phase = last.to;
    const accepted = events.some((e) => e.to === Phase.ACCEPTED);
    const team = accepted && ![Phase.REQUESTED, Phase.IN_REVIEW, Phase.INFO_REQUESTED, Phase.REFUSED].includes(phase) ? g.team : null;
    const ended = localDay(last.at);
    const due = ['ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION'].includes(phase) ? plusDays(today, g.dueShift) : null;
    const completedOn = phase === Phase.COMPLETED ? ended : null;
    return {
      school: g.school, team, created, events, phase, phaseStartedAt: last.at, phaseDueOn: due,
      refusalGround: phase === Phase.REFUSED ? g.refusalGround : null,
      phaseLimitOn: phase === Phase.INTENSIVE ? plusDays(today, g.dueShift + 20) : null,
      followUps: completedOn
        ? ([[FollowUpMoment.THREE_MONTHS, 91], [FollowUpMoment.TWELVE_MONTHS, 365]] as const).map(([moment, days], i) => {
            const dueOn = plusDays(completedOn, days);
            const f = g.followUps[i];
            return { moment, dueOn, recorded: f.recorded && dueOn <= today, still: f.still, level: f.level, diploma: f.diploma };
          })
        : [],
      exits: phase === Phase.COMPLETED || phase === Phase.CLOSED
        ? g.exits.map((e) => ({ party: e.party, score: e.score, at: new Date(Math.min(now.getTime() - 1000, last.at.getTime() + e.after * DAY_MS)) }))
        : [],
      escalations: accepted && g.escalation
        ? [(() => {
            const opened = new Date(Math.min(now.getTime() - 2000, created.getTime() + g.escalation!.after * DAY_MS));
            const resolved = g.escalation!.resolvedAfter === null ? null : new Date(opened.getTime() + g.escalation!.resolvedAfter * DAY_MS);
            return { level: g.escalation!.level, at: opened, resolvedAt: resolved && resolved < now ? resolved : null };
          })()]
        : [],
      complaints: accepted && g.complaint
        ? [(() => {
            const receivedOn = [plusDays(localDay(created), g.complaint!.after), today].sort()[0];
            const resolvedOn = g.complaint!.resolvedAfter === null ? null : plusDays(receivedOn, g.complaint!.resolvedAfter);
            return { complainant: g.complaint!.complainant, receivedOn, resolvedOn: resolvedOn && resolvedOn <= today ? resolvedOn : null };
          })()]
        : [],
    };
  });

const consultationArb = (now: Date) =>
  fc.record({
    school: fc.constantFrom<SchoolKey>('A1', 'A2', 'B1'),
    kind: fc.constantFrom(ConsultationKind.ADVICE, ConsultationKind.PRE_CONSULTATION),
    daysAgo: fc.integer({ min: 1, max: 640 }),
    hour: fc.constantFrom(...HOURS),
    outcome: fc.constantFrom(null, ConsultationOutcome.ADVICE_SUFFICIENT, ConsultationOutcome.TOPTRAJECT, ConsultationOutcome.OTHER_SUPPORT),
  }).map((c): PlanConsultation => ({ school: c.school, kind: c.kind, at: new Date(`${plusDays(localDay(now), -c.daysAgo)}T${c.hour}:00Z`), outcome: c.outcome }));

export const planArb = (now: Date, max = 40) =>
  fc.record({
    trajectories: fc.array(trajectoryArb(now), { minLength: 0, maxLength: max }),
    consultations: fc.array(consultationArb(now), { maxLength: 12 }),
  }).map((p): Plan => ({ now, ...p }));

// ---------------------------------------------------------------------------------------------
// Writing a plan
// ---------------------------------------------------------------------------------------------

export const ROLES = ['analyst', 'coordinator', 'advisorA', 'schoolA1', 'scientistA', 'privacy', 'mentorA1', 'admin'] as const;
export type RoleKey = (typeof ROLES)[number];

export interface Built {
  partnershipId: string;
  ids: { school: Record<SchoolKey, string>; windstreek: Record<'A' | 'B', string>; team: Record<TeamKey, string> };
  users: Record<RoleKey, string>;
}

async function insertRows(ds: DataSource, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const columns = Object.keys(chunk[0]);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => `(${columns.map((c) => `$${params.push(row[c])}`).join(', ')})`);
    await ds.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Writes the plan into a new partnership with windstreken A and B, schools A1, A2 (A), B1 (B), teams TA (A), TB (B). */
export async function build(ds: DataSource, plan: Plan): Promise<Built> {
  const p = await createPartnership(ds);
  const A = await createWindstreek(ds, p);
  const B = await createWindstreek(ds, p, undefined, [A]);
  const schools = { A1: await createSchool(ds, A), A2: await createSchool(ds, A), B1: await createSchool(ds, B) };
  const teams = { TA: await createTopteam(ds, A, 10), TB: await createTopteam(ds, B, 8) };
  const users = {
    analyst: await createUser(ds, p, [[Role.PARTNERSHIP_ANALYST]]),
    coordinator: await createUser(ds, p, [[Role.PROGRAMME_COORDINATOR]]),
    advisorA: await createUser(ds, p, [[Role.EDUCATION_ADVISOR, { windstreek: A }]]),
    schoolA1: await createUser(ds, p, [[Role.SCHOOL_COORDINATOR, { school: schools.A1 }]]),
    scientistA: await createUser(ds, p, [[Role.TEAM_MEMBER, { topteam: teams.TA, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]),
    privacy: await createUser(ds, p, [[Role.PRIVACY_OFFICER]]),
    mentorA1: await createUser(ds, p, [[Role.MENTOR, { school: schools.A1 }]]),
    admin: await createUser(ds, p, [[Role.ADMIN]]),
  };
  const by = users.schoolA1.id;
  const students: Array<Record<string, unknown>> = [];
  const trajectories: Array<Record<string, unknown>> = [];
  const events: Array<Record<string, unknown>> = [];
  const followUps: Array<Record<string, unknown>> = [];
  const exits: Array<Record<string, unknown>> = [];
  const escalations: Array<Record<string, unknown>> = [];
  const complaints: Array<Record<string, unknown>> = [];
  const consultations: Array<Record<string, unknown>> = [];
  const base = { partnership_id: p.id };
  for (const t of plan.trajectories) {
    const studentId = randomUUID();
    const school = schools[t.school];
    students.push({
      ...base, id: studentId, school_id: school.id, given_name: 'G', family_name: 'F', birth_date: '2011-05-04', student_number: studentId.slice(0, 12),
      expected_exit_level: 'HAVO', pseudonym: studentPseudonym('test-pseudonym-key-0000', p.id, studentId),
    });
    const id = randomUUID();
    trajectories.push({
      ...base, id, created_at: t.created, student_id: studentId, school_id: school.id, windstreek_id: school.windstreekId, team_id: t.team && teams[t.team].id,
      version: 1, updated_at: t.phaseStartedAt, phase: t.phase, phase_started_at: t.phaseStartedAt, phase_due_on: t.phaseDueOn, phase_limit_on: t.phaseLimitOn, problem_areas: '{ABSENCE}', registered_by_user_id: by,
      refusal_ground: t.refusalGround,
    });
    for (const e of t.events) events.push({ ...base, trajectory_id: id, act: e.from === e.to ? 'assignTeam' : 'act', from_phase: e.from, to_phase: e.to, actor_user_id: by, occurred_at: e.at, created_at: e.at });
    for (const f of t.followUps) {
      followUps.push({
        ...base, trajectory_id: id, moment: f.moment, due_on: f.dueOn, recorded_at: f.recorded ? localMidnight(f.dueOn) : null,
        still_in_education: f.recorded ? f.still : null, at_expected_exit_level: f.recorded ? f.level : null, diploma_expected: f.recorded ? f.diploma : null,
      });
    }
    for (const x of t.exits) exits.push({ ...base, trajectory_id: id, party: x.party, score: x.score, created_at: x.at });
    for (const x of t.escalations) escalations.push({ ...base, trajectory_id: id, level: x.level, reason: 'r', raised_by_user_id: by, created_at: x.at, resolved_at: x.resolvedAt });
    for (const x of t.complaints) complaints.push({ ...base, trajectory_id: id, complainant: x.complainant, description: 'd', status: x.resolvedOn ? 'RESOLVED' : 'RECEIVED', received_on: x.receivedOn, resolved_on: x.resolvedOn });
  }
  for (const c of plan.consultations) {
    const school = schools[c.school];
    consultations.push({
      ...base, school_id: school.id, windstreek_id: school.windstreekId, kind: c.kind, case_description: 'c', requested_by_user_id: by, created_at: c.at,
      outcome: c.outcome, recorded_at: c.outcome ? c.at : null,
    });
  }
  for (const [table, rows] of [['student', students], ['trajectory', trajectories], ['trajectory_event', events], ['follow_up', followUps], ['exit_questionnaire', exits],
    ['escalation', escalations], ['complaint', complaints], ['consultation', consultations]] as const) {
    if (rows.length) await insertRows(ds, table, rows);
  }
  // Every student consents to care by the Topteam: the team reads its whole caseload.
  const rows: Array<{ id: string; partnership_id: string; given_name: string }> = await ds.query('SELECT id, partnership_id, given_name FROM student WHERE partnership_id = $1', [p.id]);
  for (const s of rows) await createConsent(ds, { id: s.id, partnershipId: s.partnership_id, givenName: s.given_name } as never, users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM);
  return {
    partnershipId: p.id,
    ids: { school: { A1: schools.A1.id, A2: schools.A2.id, B1: schools.B1.id }, windstreek: { A: A.id, B: B.id }, team: { TA: teams.TA.id, TB: teams.TB.id } },
    users: Object.fromEntries(Object.entries(users).map(([k, u]) => [k, u.email])) as Record<RoleKey, string>,
  };
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

/** One countable thing: its breakdown cell and, by temporal kind, its day (FLOW) or instant filter. */
interface Item { school: SchoolKey | null; team: TeamKey | null | undefined; category: string | null; day?: string; value?: number }

/** Which trajectories a role counts (its aggregate scope), by the access matrix. */
export function inScope(role: RoleKey, t: { school: SchoolKey; team: TeamKey | null }): boolean {
  switch (role) {
    case 'analyst':
    case 'coordinator':
      return true;
    case 'advisorA':
      return WINDSTREEK_OF[t.school] === 'A';
    case 'schoolA1':
      return t.school === 'A1';
    case 'scientistA':
      return t.team === 'TA';
    default:
      return false;
  }
}

/** Whether a role may count consultations of a school (the team counts none). */
function consultationInScope(role: RoleKey, school: SchoolKey): boolean {
  return ['analyst', 'coordinator'].includes(role) || (role === 'advisorA' && WINDSTREEK_OF[school] === 'A') || (role === 'schoolA1' && school === 'A1');
}

/**
 * Whether a role may read the rows behind a basis (so gets exact figures), by the access
 * matrix: the analyst reads nothing; the programme coordinator trajectories and escalations
 * (planning) and the feedback on the teams (complaints, exit questionnaires) but no other case
 * records or consultations; the advisor its windstreek's trajectories and consultations, case
 * records only through events and goals; the school coordinator everything in its scope but the
 * exit questionnaires; the team everything in its scope (every generated student consents to care).
 */
export function readsBasis(role: RoleKey, basis: string): boolean {
  switch (role) {
    case 'coordinator':
      return ['Trajectory', 'Escalation', 'Complaint', 'ExitQuestionnaire'].includes(basis);
    case 'advisorA':
      return basis === 'Trajectory' || basis === 'Consultation';
    case 'schoolA1':
      return basis !== 'ExitQuestionnaire';
    case 'scientistA':
      return true;
    default:
      return false;
  }
}

const MEASURE_BASIS: Record<string, string> = {
  ADVICE_REQUESTS: 'Consultation', PRE_CONSULTATIONS: 'Consultation', FOLLOW_UPS_DUE: 'FollowUp', FOLLOW_UPS_OVERDUE: 'FollowUp', FOLLOW_UPS_RECORDED: 'FollowUp',
  STILL_IN_EDUCATION: 'FollowUp', AT_EXPECTED_LEVEL: 'FollowUp', DIPLOMA_EXPECTED: 'FollowUp', STILL_IN_EDUCATION_SHARE: 'FollowUp', AT_EXPECTED_LEVEL_SHARE: 'FollowUp',
  DIPLOMA_EXPECTED_SHARE: 'FollowUp', EXIT_QUESTIONNAIRES: 'ExitQuestionnaire', EXIT_SCORE: 'ExitQuestionnaire', ESCALATIONS_OPENED: 'Escalation',
  ESCALATIONS_RESOLVED: 'Escalation', COMPLAINTS_RECEIVED: 'Complaint', COMPLAINTS_RESOLVED: 'Complaint',
};
export const basisOfMeasure = (measure: string) => MEASURE_BASIS[measure] ?? 'Trajectory';

/** Whether the role's figures of `basis` are protected in this plan: some row in scope the role may not read. */
export function isProtected(plan: Plan, role: RoleKey, basis: string): boolean {
  if (readsBasis(role, basis)) return false;
  if (basis === 'Consultation') return plan.consultations.some((c) => consultationInScope(role, c.school));
  const ts = plan.trajectories.filter((t) => inScope(role, t));
  switch (basis) {
    case 'Trajectory': return ts.length > 0;
    case 'FollowUp': return ts.some((t) => t.followUps.length > 0);
    case 'ExitQuestionnaire': return ts.some((t) => t.exits.length > 0);
    case 'Escalation': return ts.some((t) => t.escalations.length > 0);
    case 'Complaint': return ts.some((t) => t.complaints.length > 0);
    default: return true;
  }
}

const phaseAt = (t: PlanTrajectory, instant: Date) => [...t.events].filter((e) => e.at < instant).pop()?.to ?? null;

/** The countable items of a COUNT measure in a role's scope, with how each is dated. */
export function items(plan: Plan, role: RoleKey, measure: string, stockInstant?: Date): Item[] {
  const today = localDay(plan.now);
  const ts = plan.trajectories.filter((t) => inScope(role, t));
  const of = (t: PlanTrajectory, extra: Partial<Item>): Item => ({ school: t.school, team: t.team, category: null, ...extra });
  const fus = ts.flatMap((t) => t.followUps.map((f) => ({ t, f })));
  switch (measure) {
    case 'ADVICE_REQUESTS':
    case 'PRE_CONSULTATIONS':
      return plan.consultations
        .filter((c) => consultationInScope(role, c.school) && c.kind === (measure === 'ADVICE_REQUESTS' ? ConsultationKind.ADVICE : ConsultationKind.PRE_CONSULTATION))
        .map((c) => ({ school: c.school, team: undefined, category: c.outcome ?? 'OPEN', day: localDay(c.at) }));
    case 'REGISTRATIONS':
      return ts.map((t) => of(t, {
        day: localDay(t.created),
        category: t.events.some((e) => e.to === Phase.ACCEPTED) ? 'ACCEPTED' : t.phase === Phase.REFUSED ? 'REFUSED' : t.phase === Phase.CANCELLED ? 'WITHDRAWN' : 'PENDING',
      }));
    case 'REFUSALS':
      return ts.filter((t) => t.phase === Phase.REFUSED).map((t) => of(t, { day: localDay(t.created), category: t.refusalGround ?? 'UNRECORDED' }));
    case 'REGISTRATIONS_INFO_REQUESTED':
      return ts.filter((t) => t.events.some((e) => e.to === Phase.INFO_REQUESTED)).map((t) => of(t, { day: localDay(t.created) }));
    case 'RUNNING':
      return ts.filter((t) => ACTIVE.includes(t.phase)).map((t) => of(t, { category: t.phase }));
    case 'RUNNING_AT_MONTH_END':
      return ts.map((t) => ({ t, phase: phaseAt(t, stockInstant!) })).filter(({ phase }) => phase && ACTIVE.includes(phase)).map(({ t, phase }) => of(t, { category: phase }));
    case 'WAITING_FOR_TEAM':
      return ts.filter((t) => t.phase === Phase.ACCEPTED && !t.team).map((t) => of(t, {}));
    case 'ASSIGNED':
      return ts.filter((t) => t.team && CARRIED.includes(t.phase)).map((t) => of(t, {}));
    case 'CROSS_WINDSTREEK':
      return ts.filter((t) => t.team && CARRIED.includes(t.phase) && TEAM_WINDSTREEK[t.team] !== WINDSTREEK_OF[t.school]).map((t) => of(t, {}));
    case 'OVERDUE':
      return ts.filter((t) => ACTIVE.includes(t.phase) && t.phaseDueOn !== null && t.phaseDueOn < today).map((t) => of(t, { category: t.phase }));
    case 'PAST_LIMIT':
      return ts.filter((t) => t.phase === Phase.INTENSIVE && t.phaseLimitOn !== null && t.phaseLimitOn < today).map((t) => of(t, {}));
    case 'FOLLOW_UPS_DUE':
      return fus.map(({ t, f }) => of(t, { category: f.moment, day: f.dueOn }));
    case 'FOLLOW_UPS_OVERDUE':
      return fus.filter(({ f }) => !f.recorded && f.dueOn < today).map(({ t, f }) => of(t, { category: f.moment }));
    case 'FOLLOW_UPS_RECORDED':
      return fus.filter(({ f }) => f.recorded).map(({ t, f }) => of(t, { category: f.moment, day: f.dueOn }));
    case 'STILL_IN_EDUCATION':
    case 'AT_EXPECTED_LEVEL':
    case 'DIPLOMA_EXPECTED': {
      const key = ({ STILL_IN_EDUCATION: 'still', AT_EXPECTED_LEVEL: 'level', DIPLOMA_EXPECTED: 'diploma' } as const)[measure];
      return fus.filter(({ f }) => f.recorded && f[key]).map(({ t, f }) => of(t, { category: f.moment, day: f.dueOn }));
    }
    case 'ENDED':
      return ts.filter((t) => ENDED.includes(t.phase)).map((t) => of(t, { category: t.phase, day: localDay(t.phaseStartedAt) }));
    case 'EXIT_QUESTIONNAIRES':
      return ts.flatMap((t) => t.exits.map((x) => of(t, { category: x.party, day: localDay(x.at) })));
    case 'EXIT_SCORE':
      return ts.flatMap((t) => t.exits.map((x) => of(t, { category: x.party, day: localDay(x.at), value: x.score })));
    case 'ESCALATIONS_OPENED':
      return ts.flatMap((t) => t.escalations.map((x) => of(t, { category: `LEVEL_${x.level}`, day: localDay(x.at) })));
    case 'ESCALATIONS_RESOLVED':
      return ts.flatMap((t) => t.escalations.filter((x) => x.resolvedAt).map((x) => of(t, { day: localDay(x.resolvedAt!) })));
    case 'COMPLAINTS_RECEIVED':
      return ts.flatMap((t) => t.complaints.map((x) => of(t, { category: x.complainant, day: x.receivedOn })));
    case 'COMPLAINTS_RESOLVED':
      return ts.flatMap((t) => t.complaints.filter((x) => x.resolvedOn).map((x) => of(t, { day: x.resolvedOn! })));
    default:
      throw new Error(`no oracle for ${measure}`);
  }
}

/** Phase intervals of a trajectory: each phase change until the next one. */
function intervals(t: PlanTrajectory): Array<{ phase: Phase; entered: string; left: string | null; next: Phase | null }> {
  const changes = t.events.filter((e) => e.from !== e.to);
  return changes.map((e, i) => ({ phase: e.to, entered: localDay(e.at), left: changes[i + 1] ? localDay(changes[i + 1].at) : null, next: changes[i + 1]?.to ?? null }));
}

const NEXT: Record<string, Phase[]> = { ASSESSMENT: [Phase.INTENSIVE, Phase.CLOSED], INTENSIVE: [Phase.CONSOLIDATION], CONSOLIDATION: [Phase.COMPLETED] };

/** The durations (days, dated by their end) of a DURATION measure in a role's scope. */
export function durations(plan: Plan, role: RoleKey, measure: string): Item[] {
  const ts = plan.trajectories.filter((t) => inScope(role, t));
  return ts.flatMap((t): Item[] => {
    const iv = intervals(t);
    const item = (start: string, end: string): Item => ({ school: t.school, team: t.team, category: null, day: end, value: daysBetween(start, end) });
    switch (measure) {
      case 'DURATION_REGISTRATION_TO_DECISION': {
        const requested = iv.find((x) => x.phase === Phase.REQUESTED);
        const decision = iv.find((x) => x.phase === Phase.ACCEPTED || x.phase === Phase.REFUSED);
        return requested && decision ? [item(requested.entered, decision.entered)] : [];
      }
      case 'DURATION_DECISION_TO_START':
        return iv.filter((x) => x.phase === Phase.ACCEPTED && x.next === Phase.ASSESSMENT).map((x) => item(x.entered, x.left!));
      default: {
        const phase = measure.replace('DURATION_', '');
        return iv.filter((x) => x.phase === phase && x.next !== null && NEXT[phase].includes(x.next)).map((x) => item(x.entered, x.left!));
      }
    }
  });
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** A cell's scope filter on an item. */
export function inCell(item: Item, scopeLevel: string, scopeId: string | null, built: Built): boolean {
  switch (scopeLevel) {
    case 'ALL':
      return true;
    case 'WINDSTREEK':
      return item.school !== null && built.ids.windstreek[WINDSTREEK_OF[item.school]] === scopeId;
    case 'SCHOOL':
      return item.school !== null && built.ids.school[item.school] === scopeId;
    case 'TEAM':
      return !!item.team && built.ids.team[item.team] === scopeId;
    case 'NO_TEAM':
      return item.team === null;
    default:
      throw new Error(scopeLevel);
  }
}

/** The instant a stock is counted at for a month: its end, the end of `until`, or now, whichever comes first. */
export function stockInstant(month: string, until: string, now: Date): Date {
  const candidates = [localMidnight(nextMonth(month)), localMidnight(plusDays(until, 1)), now];
  return candidates.reduce((a, b) => (a < b ? a : b));
}

/** Months (first days) from `from` to `until`. */
export function months(from: string, until: string): string[] {
  const out: string[] = [];
  for (let m = monthOf(from); m <= until; m = nextMonth(m)) out.push(m);
  return out;
}
