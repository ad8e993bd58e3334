/**
 * Test data, written straight to the database (test setup is not under test here). Every
 * factory takes the partnership explicitly; each test file builds its own partnership, so
 * files never see each other's rows and need no cleanup.
 */
import { randomUUID } from 'node:crypto';
import { DataSource, DeepPartial, ObjectLiteral } from 'typeorm';
import {
  Consent, Partnership, School, Student, Topteam, Trajectory, User, Membership, Windstreek, Guardian,
  TrajectoryEvent, Goal, Note, Consultation,
} from '../../src/app/entities';
import { ConsentPurpose, ExitLevel, GrantorRole, LegalBasis, Phase, ProblemArea, Role, TeamFunction, ConsultationKind } from '../../src/domain/enums';
import { studentPseudonym } from '../../src/domain/pseudonym';

let sequence = 0;
/** A short unique suffix for names and e-mails. */
export function unique(prefix = ''): string {
  sequence += 1;
  return `${prefix}${randomUUID().slice(0, 8)}${sequence}`;
}

async function insert<T extends ObjectLiteral>(ds: DataSource, entity: { new (): T }, row: DeepPartial<T>): Promise<T> {
  const repository = ds.getRepository(entity);
  return repository.save(repository.create(row) as T) as Promise<T>;
}

export function createPartnership(ds: DataSource): Promise<Partnership> {
  const code = unique('P');
  return insert(ds, Partnership, { name: `Samenwerkingsverband ${code}`, code });
}

export async function createWindstreek(ds: DataSource, p: Partnership, name = unique('W'), neighbours: Windstreek[] = []): Promise<Windstreek> {
  const w = await insert(ds, Windstreek, { partnershipId: p.id, name });
  for (const n of neighbours) {
    await ds.query('INSERT INTO windstreek_neighbour (partnership_id, windstreek_id, neighbour_id) VALUES ($3, $1, $2), ($3, $2, $1)', [w.id, n.id, p.id]);
  }
  return w;
}

/** BRIN codes (two digits, two letters or digits): 129,600 of them. */
const BRIN_CODES = 100 * 36 * 36;
/** Where this process starts in them: random, so processes rarely meet in a shared partnership. */
let brinIndex = Math.floor(Math.random() * BRIN_CODES);

/**
 * The next BRIN code of this process: never one it gave before (a school's code is unique in
 * its partnership; two random codes among a file's many schools collided now and then).
 */
function nextBrin(): string {
  const i = brinIndex++ % BRIN_CODES;
  return String(Math.floor(i / 1296)).padStart(2, '0') + (i % 1296).toString(36).toUpperCase().padStart(2, '0');
}

export function createSchool(ds: DataSource, w: Windstreek, name = unique('School ')): Promise<School> {
  return insert(ds, School, { partnershipId: w.partnershipId, windstreekId: w.id, name, brinCode: nextBrin() });
}

export function createTopteam(ds: DataSource, w: Windstreek, capacity = 10): Promise<Topteam> {
  return insert(ds, Topteam, { partnershipId: w.partnershipId, windstreekId: w.id, name: unique('Topteam '), capacity });
}

export interface Scope {
  windstreek?: Windstreek;
  school?: School;
  topteam?: Topteam;
  teamFunction?: TeamFunction;
}

/** A user (subject = e-mail) with one membership per `grants` entry. */
export async function createUser(ds: DataSource, p: Partnership, grants: Array<[Role, Scope?]> = [], local = unique('user')): Promise<User> {
  const email = `${local}@test.toptrajecten.test`.toLowerCase();
  const user = await insert(ds, User, { partnershipId: p.id, email, subject: email, name: local, active: true });
  for (const [role, scope = {}] of grants) await grant(ds, user, role, scope);
  return user;
}

export function grant(ds: DataSource, user: User, role: Role, scope: Scope = {}): Promise<Membership> {
  return insert(ds, Membership, {
    partnershipId: user.partnershipId,
    userId: user.id,
    role,
    windstreekId: scope.windstreek?.id ?? null,
    schoolId: scope.school?.id ?? null,
    topteamId: scope.topteam?.id ?? null,
    teamFunction: role === Role.TEAM_MEMBER ? (scope.teamFunction ?? TeamFunction.TEACHER) : null,
  });
}

export async function createStudent(ds: DataSource, school: School, overrides: Partial<Student> = {}): Promise<Student> {
  const id = randomUUID();
  const student = await insert<Student>(ds, Student, {
    id,
    partnershipId: school.partnershipId,
    schoolId: school.id,
    givenName: unique('Given'),
    familyName: unique('Family'),
    birthDate: '2011-05-04',
    studentNumber: unique('S').slice(0, 20),
    expectedExitLevel: ExitLevel.HAVO,
    pseudonym: studentPseudonym('test-pseudonym-key-0000', school.partnershipId, id),
    mentorUserId: null,
    ...overrides,
  });
  await insert(ds, Guardian, { partnershipId: school.partnershipId, studentId: student.id, name: unique('Parent '), relationship: 'moeder', hasParentalAuthority: true });
  return student;
}

/** A consent given 2026-01-05 by the student; withdrawn 2026-02-01 when `withdrawn`; last day `validUntil` (null: none). */
export function createConsent(ds: DataSource, student: Student, recordedBy: User, purpose: ConsentPurpose, withdrawn = false, validUntil: string | null = null): Promise<Consent> {
  return insert(ds, Consent, {
    partnershipId: student.partnershipId,
    studentId: student.id,
    purpose,
    legalBasis: LegalBasis.CONSENT,
    grantors: [{ role: GrantorRole.STUDENT, name: student.givenName, hasParentalAuthority: false }],
    studentAgeAtGrant: 14,
    recipients: ['Topteam'],
    dataCategories: ['identity', 'case'],
    givenAt: new Date('2026-01-05T09:00:00Z'),
    validUntil,
    withdrawnAt: withdrawn ? new Date('2026-02-01T09:00:00Z') : null,
    withdrawnByUserId: withdrawn ? recordedBy.id : null,
    evidenceReference: 'form-1',
    recordedByUserId: recordedBy.id,
  });
}

export async function createTrajectory(
  ds: DataSource,
  student: Student,
  school: School,
  registeredBy: User,
  options: { team?: Topteam | null; phase?: Phase; phaseDueOn?: string | null } = {},
): Promise<Trajectory> {
  const trajectory = await insert(ds, Trajectory, {
    partnershipId: student.partnershipId,
    studentId: student.id,
    schoolId: school.id,
    windstreekId: school.windstreekId,
    teamId: options.team?.id ?? null,
    phase: options.phase ?? (options.team ? Phase.ASSESSMENT : Phase.REQUESTED),
    phaseStartedAt: new Date('2026-02-02T09:00:00Z'),
    phaseDueOn: options.phaseDueOn ?? null,
    problemAreas: [ProblemArea.ABSENCE],
    registeredByUserId: registeredBy.id,
  });
  await insert(ds, TrajectoryEvent, { partnershipId: student.partnershipId, trajectoryId: trajectory.id, act: 'submitRegistration', fromPhase: null, toPhase: Phase.REQUESTED, actorUserId: registeredBy.id });
  await insert(ds, Goal, { partnershipId: student.partnershipId, trajectoryId: trajectory.id, description: unique('Goal '), agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true });
  await insert(ds, Note, { partnershipId: student.partnershipId, trajectoryId: trajectory.id, body: unique('Note '), authorUserId: registeredBy.id });
  return trajectory;
}

export function createConsultation(ds: DataSource, school: School, requestedBy: User, student: Student | null = null): Promise<Consultation> {
  return insert(ds, Consultation, {
    partnershipId: school.partnershipId,
    schoolId: school.id,
    windstreekId: school.windstreekId,
    studentId: student?.id ?? null,
    kind: ConsultationKind.ADVICE,
    caseDescription: unique('Case '),
    requestedByUserId: requestedBy.id,
  });
}
