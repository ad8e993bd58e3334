/**
 * The demo data of the README: deterministic, idempotent, and usable as documented: every demo
 * login of the README works and sees what its role promises.
 */
import { DEMO_PARTNERSHIP_CODE, demoEmail, demoId, seedDemoData } from '../../src/demo/seed';
import { Phase } from '../../src/domain/enums';
import { startTestApp, TestApp } from '../setup/app';

/** The acts that only add a record under a trajectory (their own list here, not the act table's flag). */
const ADDITIONS = ['addGoal', 'recordEvaluation', 'addHandoverAdvice', 'addNote', 'registerAbsence', 'escalateTrajectory', 'fileComplaint', 'recordExitQuestionnaire'];

const TODAY = new Date('2026-03-16T10:00:00Z');
const W = ['noord', 'oost', 'zuid', 'west'];

let app: TestApp;
let first: Record<string, number>;
let second: Record<string, number>;
let firstSeedMs: number;

beforeAll(async () => {
  app = await startTestApp({ now: TODAY, ownDatabase: true });
  const started = Date.now();
  first = await seedDemoData(app.dataSource, app.config, TODAY);
  firstSeedMs = Date.now() - started;
  second = await seedDemoData(app.dataSource, app.config, TODAY);
});
afterAll(() => app.stop());

async function scalar(sql: string): Promise<number> {
  const [row] = await app.dataSource.query(sql);
  return Number(Object.values(row)[0]);
}

// Other test files share the database: every query is scoped to the demo partnership.
const DEMO = `(SELECT id FROM partnership WHERE code = '${DEMO_PARTNERSHIP_CODE}')`;
/** The current demo students (`<w>/<n>/<k>`, four per school); every other demo student is one of the history. */
const CURRENT_STUDENTS = W.flatMap((w) => [1, 2, 3].flatMap((n) => [1, 2, 3, 4].map((k) => demoId(`student/${w}/${n}/${k}`))));
const NOT_CURRENT = `student_id <> ALL('{${CURRENT_STUDENTS.join(',')}}'::uuid[])`;
/** The ids of the history's trajectories. */
const HISTORY = `(SELECT id FROM trajectory WHERE partnership_id = ${DEMO} AND ${NOT_CURRENT})`;
const RUNNING = `('REQUESTED','IN_REVIEW','INFO_REQUESTED','ACCEPTED','ASSESSMENT','INTENSIVE','CONSOLIDATION')`;

test('seeding twice changes nothing: the second run inserts no row', () => {
  expect(first.partnership).toBe(1);
  expect(first.student).toBeGreaterThan(0);
  expect(Object.keys(second)).toEqual(Object.keys(first));
  expect(Object.values(second).every((n) => n === 0)).toBe(true);
});

test('seeding an empty database stays fast (well under 10 s, history included)', () => {
  expect(firstSeedMs).toBeLessThan(10_000);
});

test('seeding again on a later day inserts nothing either (ids do not depend on the date)', async () => {
  const later = await seedDemoData(app.dataSource, app.config, new Date('2027-01-01T10:00:00Z'));
  expect(Object.keys(later)).toEqual(Object.keys(first));
  expect(Object.values(later).every((n) => n === 0)).toBe(true);
});

test('one partnership with Noord, Oost, Zuid and West, three schools and a Topteam of five each, West with one vacancy', async () => {
  const p = await app.dataSource.query('SELECT id, name FROM partnership WHERE code = $1', [DEMO_PARTNERSHIP_CODE]);
  expect(p).toEqual([{ id: expect.any(String), name: 'Samenwerkingsverband VO Amsterdam-Diemen' }]);
  const windstreken = await app.dataSource.query('SELECT name FROM windstreek WHERE partnership_id = $1 ORDER BY name', [p[0].id]);
  expect(windstreken.map((r: { name: string }) => r.name)).toEqual(['Noord', 'Oost', 'West', 'Zuid']);
  const perWindstreek = await app.dataSource.query(
    `SELECT w.name, (SELECT count(*) FROM school s WHERE s.windstreek_id = w.id)::int AS schools,
            (SELECT count(*) FROM membership m JOIN topteam t ON t.id = m.topteam_id WHERE t.windstreek_id = w.id AND m.revoked_at IS NULL)::int AS members
       FROM windstreek w WHERE w.partnership_id = $1`,
    [p[0].id],
  );
  expect(perWindstreek).toHaveLength(4);
  // West's second ambulant hulpverlener left the team (the demo's incomplete team).
  for (const row of perWindstreek) expect(row).toEqual({ name: row.name, schools: 3, members: row.name === 'West' ? 4 : 5 });
});

test('staffing: the current assigned cases are staffed from their own team, each function by a member with it; every team member has a function', async () => {
  const current = `(SELECT id FROM trajectory WHERE partnership_id = ${DEMO} AND NOT ${NOT_CURRENT})`;
  expect(await scalar(`SELECT count(*) FROM membership m WHERE m.partnership_id = ${DEMO} AND m.role = 'TEAM_MEMBER' AND m.team_function IS NULL`)).toBe(0);
  // Every current case with a team has its gedragswetenschapper; the running ones past acceptance all three.
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${current} AND team_id IS NOT NULL AND behavioural_scientist_user_id IS NULL`)).toBe(0);
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${current} AND phase IN ('ASSESSMENT','INTENSIVE','CONSOLIDATION')
    AND (teacher_user_id IS NULL OR care_worker_user_id IS NULL)`)).toBe(0);
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${current} AND teacher_user_id IS NOT NULL`)).toBeGreaterThan(3);
  // Each staffed person holds that function in the case's team now.
  const wrong = await app.dataSource.query(
    `SELECT x.id, s.fn FROM trajectory x
       CROSS JOIN LATERAL (VALUES (x.behavioural_scientist_user_id, 'BEHAVIOURAL_SCIENTIST'), (x.teacher_user_id, 'TEACHER'), (x.care_worker_user_id, 'CARE_WORKER')) s(user_id, fn)
      WHERE x.partnership_id = ${DEMO} AND s.user_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.user_id = s.user_id AND m.topteam_id = x.team_id AND m.team_function::text = s.fn AND m.revoked_at IS NULL)`,
  );
  expect(wrong).toEqual([]);
  // Every staffing is an act in the case's event log.
  expect(await scalar(`SELECT count(*) FROM trajectory x WHERE x.partnership_id = ${DEMO} AND x.behavioural_scientist_user_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM trajectory_event e WHERE e.trajectory_id = x.id AND e.act = 'staffTrajectory')`)).toBe(0);
});

test('Topteam West is incomplete (one ambulant hulpverlener short) and says so; the other teams are complete', async () => {
  const { body } = await app.gql<{ topteams: { edges: Array<{ node: { name: string; composition: { careWorkers: number; complete: boolean; missing: string[]; warning: string | null } } }> } }>(
    demoEmail('admin'), '{ topteams { edges { node { name composition { careWorkers complete missing warning } } } } }',
  );
  const teams = Object.fromEntries(body.data!.topteams.edges.map((e) => [e.node.name, e.node.composition]));
  expect(teams['Topteam West']).toEqual({ careWorkers: 1, complete: false, missing: ['CARE_WORKER'], warning: 'Incomplete team: ambulant hulpverlener (CARE_WORKER) 1 of 2.' });
  for (const name of ['Topteam Noord', 'Topteam Oost', 'Topteam Zuid']) expect(teams[name]).toEqual({ careWorkers: 2, complete: true, missing: [], warning: null });
});

test('trajectories in every phase, overdue ones, a caseload for every team, a cross-windstreek case, one withdrawn and two expired consents', async () => {
  const demo = DEMO;
  const phases = (await app.dataSource.query(`SELECT DISTINCT phase FROM trajectory WHERE partnership_id = ${demo}`)).map((r: { phase: string }) => r.phase);
  expect(phases.sort()).toEqual(Object.values(Phase).sort());
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${demo} AND phase_due_on < '2026-03-16'`)).toBeGreaterThan(0);
  expect(await scalar(`SELECT count(*) FROM topteam t WHERE t.partnership_id = ${demo} AND NOT EXISTS (SELECT 1 FROM trajectory x WHERE x.team_id = t.id AND x.phase IN ('ASSESSMENT','INTENSIVE','CONSOLIDATION'))`)).toBe(0);
  expect(await scalar(`SELECT count(*) FROM trajectory x JOIN topteam t ON t.id = x.team_id WHERE x.partnership_id = ${demo} AND t.windstreek_id <> x.windstreek_id`)).toBeGreaterThan(0);
  expect(await scalar(`SELECT count(*) FROM consent WHERE partnership_id = ${demo} AND withdrawn_at IS NOT NULL`)).toBe(1);
  // The care consents of the refused and the closed case ended with them (the day before the test date at the latest),
  // and that of a registration under review expired yesterday (the privacy officer's tools, below).
  expect(await scalar(`SELECT count(*) FROM consent WHERE partnership_id = ${demo} AND withdrawn_at IS NULL AND valid_until < '2026-03-16'`)).toBe(3);
});

test("the privacy officer's tools have something to show: a withdrawal they recorded, a registration under review lacking consent, a student turning 16, a rectification request", async () => {
  const privacy = demoEmail('privacy');
  const [withdrawn] = await app.dataSource.query(
    `SELECT c.withdrawn_by_user_id, c.withdrawal_evidence_reference FROM consent c WHERE c.partnership_id = ${DEMO} AND c.withdrawn_at IS NOT NULL`,
  );
  expect(withdrawn).toEqual({ withdrawn_by_user_id: demoId('user/privacy'), withdrawal_evidence_reference: expect.stringContaining('functionaris gegevensbescherming') });

  const gaps = await app.gql<{ trajectoriesLackingConsent: { edges: Array<{ node: { student: { id: string }; trajectoryIds: string[] } }> } }>(
    privacy, '{ trajectoriesLackingConsent(first: 100) { edges { node { student { id } trajectoryIds } } } }',
  );
  const underReview = demoId('student/noord/2/2');
  expect(gaps.body.data!.trajectoriesLackingConsent.edges.map((e) => e.node.student.id)).toContain(underReview);
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE student_id = '${underReview}' AND phase = 'IN_REVIEW'`)).toBe(1);

  const coming = await app.gql<{ consentReconfirmations: Array<{ student: { id: string }; ageReached: number; turnsOn: string; consents: Array<{ purpose: string }> }> }>(
    privacy, '{ consentReconfirmations(filter: { within: 30 }) { student { id } ageReached turnsOn consents { purpose } } }',
  );
  expect(coming.body.data!.consentReconfirmations).toContainEqual({
    student: { id: demoId('student/west/3/3') }, ageReached: 16, turnsOn: '2026-03-28',
    consents: expect.arrayContaining([{ purpose: 'SHARE_WITH_PARTNERSHIP' }, { purpose: 'CARE_BY_TOPTEAM' }]),
  });

  expect(await scalar(`SELECT count(*) FROM data_subject_request WHERE partnership_id = ${DEMO} AND kind = 'RECTIFICATION' AND status = 'IDENTITY_VERIFIED'`)).toBe(1);
});

test('the meetings are stored on the day of the act that records them; a current case is past its intensive limit', async () => {
  const mismatched = (column: string, act: string) => scalar(`SELECT count(*) FROM trajectory x
    LEFT JOIN trajectory_event e ON e.trajectory_id = x.id AND e.act = '${act}'
    WHERE x.partnership_id = ${DEMO} AND x.${column} IS DISTINCT FROM (e.occurred_at AT TIME ZONE 'Europe/Amsterdam')::date`);
  expect(await mismatched('intro_meeting_on', 'startAssessment')).toBe(0);
  expect(await mismatched('start_meeting_on', 'agreeGoals')).toBe(0);
  expect(await mismatched('closing_meeting_on', 'closeAfterAssessment')).toBe(0);
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${DEMO} AND start_meeting_on IS NOT NULL`)).toBeGreaterThan(0);
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${DEMO} AND closing_meeting_on IS NOT NULL`)).toBeGreaterThan(0);
  // The intensive phase counts from the advice/start meeting; one current case is past its 16-week limit on the demo's date.
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${DEMO} AND phase = 'INTENSIVE' AND phase_limit_on <> start_meeting_on + 112`)).toBe(0);
  expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${DEMO} AND phase = 'INTENSIVE' AND phase_limit_on < '2026-03-16'`)).toBeGreaterThan(0);
});

describe('the history: two school years of finished trajectories for the dashboards', () => {
  test('the current demo students are the 48 of the tables; the history has students of its own', async () => {
    expect(await scalar(`SELECT count(*) FROM student WHERE partnership_id = ${DEMO} AND id = ANY('{${CURRENT_STUDENTS.join(',')}}'::uuid[])`)).toBe(48);
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${HISTORY} AND student_id IN (SELECT student_id FROM trajectory WHERE id NOT IN ${HISTORY})`)).toBe(0);
  });

  test('at least 300 trajectories, with registrations in at least 24 distinct months, over two school years', async () => {
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${DEMO}`)).toBeGreaterThanOrEqual(300);
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${HISTORY}`)).toBeGreaterThanOrEqual(300);
    const month = `to_char(created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM')`;
    expect(await scalar(`SELECT count(DISTINCT ${month}) FROM trajectory WHERE partnership_id = ${DEMO}`)).toBeGreaterThanOrEqual(24);
    // Intake in every month of the last full school year (1 August 2024 – 31 July 2025), and before it.
    expect(await scalar(`SELECT count(DISTINCT ${month}) FROM trajectory WHERE id IN ${HISTORY} AND created_at >= '2024-08-01' AND created_at < '2025-08-01'`)).toBe(12);
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${HISTORY} AND created_at < '2024-03-16'`)).toBeGreaterThan(0);
    // Registered between roughly 26 and 5 months ago.
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${HISTORY} AND (created_at < '2023-12-16' OR created_at >= '2025-10-18')`)).toBe(0);
  });

  test('every history trajectory is finished: each outcome at least 20 times, COMPLETED the majority', async () => {
    const rows: Array<{ phase: string; n: number }> = await app.dataSource.query(`SELECT phase, count(*)::int AS n FROM trajectory WHERE id IN ${HISTORY} GROUP BY phase`);
    const perPhase = Object.fromEntries(rows.map((r) => [r.phase, r.n]));
    expect(Object.keys(perPhase).sort()).toEqual(['CANCELLED', 'CLOSED', 'COMPLETED', 'REFUSED']);
    for (const n of Object.values(perPhase)) expect(n).toBeGreaterThanOrEqual(20);
    expect(perPhase.COMPLETED * 2).toBeGreaterThan(rows.reduce((sum, r) => sum + r.n, 0));
    // Cancelled after acceptance (a team was assigned), on every ground but a withdrawn consent: the history's consents hold.
    const reasons = await app.dataSource.query(`SELECT DISTINCT cancellation_reason AS reason FROM trajectory WHERE id IN ${HISTORY} AND phase = 'CANCELLED' ORDER BY 1`);
    expect(reasons.map((r: { reason: string }) => r.reason)).toEqual(['LEFT_SCHOOL', 'OTHER', 'REGULAR_EDUCATION_NOT_FEASIBLE', 'NEEDS_VERY_INTENSIVE_CARE', 'NOT_MOTIVATED']); // in the enum's order in the database
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${HISTORY} AND phase = 'CANCELLED' AND (team_id IS NULL OR closing_reason IS NULL)`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM consent WHERE partnership_id = ${DEMO} AND ${NOT_CURRENT} AND (withdrawn_at IS NOT NULL OR valid_until IS NOT NULL)`)).toBe(0);
  });

  test('the history changes no team\'s current load: nothing of it runs', async () => {
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${HISTORY} AND phase IN ${RUNNING}`)).toBe(0);
    const rows: Array<{ team: string; phase: 'ACCEPTED' | 'ASSESSMENT' | 'INTENSIVE' | 'CONSOLIDATION' }> = await app.dataSource.query(
      `SELECT t.name AS team, x.phase FROM trajectory x JOIN topteam t ON t.id = x.team_id WHERE x.partnership_id = ${DEMO} AND x.phase IN ${RUNNING}`,
    );
    const load: Record<string, number> = {};
    for (const { team, phase } of rows) load[team] = (load[team] ?? 0) + app.config.caseload.weights[phase];
    // The loads of the current cases alone (West at its overflow threshold, 90 % of 5).
    expect(load).toEqual({ 'Topteam Noord': 3, 'Topteam Oost': 2.5, 'Topteam Zuid': 3.5, 'Topteam West': 4.5 });
  });

  test('ended trajectories carry the retention class and start the workflow stamps', async () => {
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE partnership_id = ${DEMO} AND (retention_class IS NULL) <> (phase IN ${RUNNING})`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM trajectory WHERE id IN ${HISTORY} AND (retention_class = 'REGISTRATION_WITHOUT_HELP') <> (phase = 'REFUSED')`)).toBe(0);
    // COMPLETED: from the due date of the last follow-up.
    expect(await scalar(`SELECT count(*) FROM trajectory x WHERE x.partnership_id = ${DEMO} AND x.phase = 'COMPLETED'
      AND x.retention_starts_on <> (SELECT max(f.due_on) FROM follow_up f WHERE f.trajectory_id = x.id)`)).toBe(0);
  });

  test('the event log of every demo trajectory is legal, in order, and matches its row', async () => {
    const events: Array<{ id: string; phase: string; version: number; started: Date; act: string; from: string | null; to: string }> = await app.dataSource.query(
      `SELECT x.id, x.phase, x.version, x.phase_started_at AS started, e.act, e.from_phase AS from, e.to_phase AS to
         FROM trajectory x JOIN trajectory_event e ON e.trajectory_id = x.id WHERE x.partnership_id = ${DEMO} ORDER BY x.id, e.occurred_at, e.id`,
    );
    const problems: string[] = [];
    const byTrajectory = new Map<string, typeof events>();
    for (const e of events) byTrajectory.set(e.id, [...(byTrajectory.get(e.id) ?? []), e]);
    for (const [id, log] of byTrajectory) {
      let phase: string | null = null;
      for (const e of log) {
        if (e.from !== phase) problems.push(`${id}: ${e.act} from ${e.from} while in ${phase}`);
        phase = e.to;
      }
      const { phase: rowPhase, version } = log[0];
      // Adding a record does not raise the version (as in the API); every other act does.
      const acts = log.filter((e) => e.act !== 'submitRegistration' && e.act !== 'assignTeam' && !ADDITIONS.includes(e.act)).length;
      if (phase !== rowPhase) problems.push(`${id}: the log ends in ${phase}, the row is ${rowPhase}`);
      if (version !== 1 + acts) problems.push(`${id}: version ${version} after ${acts} acts`);
    }
    expect(problems).toEqual([]);
    expect(byTrajectory.size).toBeGreaterThanOrEqual(300);
  });

  test('timeliness: phase durations vary around the norms, a few intensive phases past their limit', async () => {
    const weeks = (from: string, to: string) => `SELECT (b.occurred_at::date - a.occurred_at::date) / 7.0 AS weeks
      FROM trajectory_event a JOIN trajectory_event b ON b.trajectory_id = a.trajectory_id AND b.act = '${to}' WHERE a.act = '${from}' AND a.trajectory_id IN ${HISTORY}`;
    const stats = async (from: string, to: string) => (await app.dataSource.query(
      `SELECT min(weeks)::float AS min, max(weeks)::float AS max, avg(weeks)::float AS avg, count(*) FILTER (WHERE weeks > 16)::int AS "overLimit" FROM (${weeks(from, to)}) d`,
    ))[0];
    const assessment = await stats('startAssessment', 'agreeGoals');
    expect(assessment.min).toBeGreaterThanOrEqual(3);
    expect(assessment.max).toBeLessThanOrEqual(6);
    const intensive = await stats('agreeGoals', 'startConsolidation');
    expect(intensive.min).toBeGreaterThanOrEqual(8);
    expect(intensive.max).toBeLessThanOrEqual(20);
    expect(intensive.avg).toBeGreaterThan(10);
    expect(intensive.avg).toBeLessThan(14);
    expect(intensive.overLimit).toBeGreaterThan(0);
    const decision = await stats('submitRegistration', 'acceptRegistration');
    expect(decision.min).toBeGreaterThanOrEqual(1);
    expect(decision.max).toBeLessThanOrEqual(6);
  });

  test('results: follow-ups answered yes and no, some overdue; exit scores; escalations; complaints; cross-windstreek help', async () => {
    const followUps = `follow_up WHERE trajectory_id IN ${HISTORY}`;
    for (const answer of ['still_in_education', 'at_expected_exit_level', 'diploma_expected']) {
      expect(await scalar(`SELECT count(*) FROM ${followUps} AND recorded_at IS NOT NULL AND ${answer}`)).toBeGreaterThan(0);
      expect(await scalar(`SELECT count(*) FROM ${followUps} AND recorded_at IS NOT NULL AND NOT ${answer}`)).toBeGreaterThan(0);
    }
    expect(await scalar(`SELECT count(*) FROM ${followUps} AND recorded_at IS NULL AND due_on < '2026-03-02'`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM ${followUps} AND recorded_at IS NULL AND due_on >= '2026-03-02'`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM ${followUps} AND recorded_at > '2026-03-16'`)).toBe(0);
    // Every COMPLETED one has its two follow-ups.
    expect(await scalar(`SELECT count(*) FROM trajectory x WHERE x.id IN ${HISTORY} AND x.phase = 'COMPLETED' AND (SELECT count(*) FROM follow_up f WHERE f.trajectory_id = x.id) <> 2`)).toBe(0);

    expect(await scalar(`SELECT count(DISTINCT score) FROM exit_questionnaire WHERE trajectory_id IN ${HISTORY}`)).toBeGreaterThanOrEqual(4);
    expect(await scalar(`SELECT count(*) FROM exit_questionnaire q JOIN trajectory x ON x.id = q.trajectory_id WHERE x.id IN ${HISTORY} AND x.phase NOT IN ('COMPLETED', 'CLOSED')`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM escalation WHERE trajectory_id IN ${HISTORY} AND resolved_at IS NOT NULL AND resolution IS NOT NULL`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM escalation WHERE trajectory_id IN ${HISTORY} AND resolved_at IS NULL`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(DISTINCT status) FROM complaint WHERE trajectory_id IN ${HISTORY}`)).toBeGreaterThanOrEqual(3);
    expect(await scalar(`SELECT count(*) FROM complaint WHERE trajectory_id IN ${HISTORY} AND status = 'RESOLVED' AND resolved_on IS NOT NULL`)).toBeGreaterThan(0);
    // Some help came from the team of a neighbouring windstreek.
    expect(await scalar(`SELECT count(*) FROM cross_windstreek_assignment a JOIN topteam o ON o.id = a.original_team_id JOIN topteam n ON n.id = a.assigned_team_id
      WHERE a.trajectory_id IN ${HISTORY} AND NOT EXISTS (SELECT 1 FROM windstreek_neighbour b WHERE b.windstreek_id = o.windstreek_id AND b.neighbour_id = n.windstreek_id)`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM cross_windstreek_assignment WHERE trajectory_id IN ${HISTORY}`)).toBeGreaterThan(0);
  });

  test('consultations over the same years: advice requests with several outcomes, pre-consultations that led to a trajectory or elsewhere', async () => {
    const older = `partnership_id = ${DEMO} AND created_at < '2025-10-16'`;
    const advice = await app.dataSource.query(`SELECT DISTINCT outcome FROM consultation WHERE ${older} AND kind = 'ADVICE' AND student_id IS NULL`);
    expect(advice.map((r: { outcome: string | null }) => r.outcome).sort()).toEqual(['ADVICE_SUFFICIENT', 'GO_TO_PRE_CONSULTATION', null]);
    expect(await scalar(`SELECT count(*) FROM consultation WHERE ${older} AND kind = 'PRE_CONSULTATION' AND outcome = 'OTHER_SUPPORT'`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM trajectory x JOIN consultation c ON c.id = x.consultation_id
      WHERE x.id IN ${HISTORY} AND c.outcome = 'TOPTRAJECT' AND c.student_id = x.student_id AND c.created_at < x.created_at`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM consultation WHERE ${older}`)).toBeGreaterThanOrEqual(50);
    // An answered consultation carries who answered and its retention stamp, as the consultation service leaves it.
    expect(await scalar(`SELECT count(*) FROM consultation WHERE partnership_id = ${DEMO} AND (outcome IS NULL) <> (recorded_by_user_id IS NULL OR retention_class IS NULL)`)).toBe(0);
  });
});

describe('every demo login of the README works', () => {
  const logins: Array<[string, string]> = [
    ['admin', 'ADMIN'], ['privacy', 'PRIVACY_OFFICER'], ['coordinator', 'PROGRAMME_COORDINATOR'], ['analyst', 'PARTNERSHIP_ANALYST'],
    ...W.flatMap((w): Array<[string, string]> => [
      [`advisor.${w}`, 'EDUCATION_ADVISOR'], [`scientist.${w}`, 'TEAM_MEMBER'], [`teacher.${w}`, 'TEAM_MEMBER'], [`careworker.${w}`, 'TEAM_MEMBER'],
      ...[1, 2, 3].flatMap((n): Array<[string, string]> => [[`school${n}.${w}`, 'SCHOOL_COORDINATOR'], [`mentor${n}.${w}`, 'MENTOR']]),
    ]),
  ];
  test.each(logins)('%s signs in as %s', async (local, role) => {
    const r = await app.gql<{ me: { email: string; memberships: Array<{ role: string }> } }>(demoEmail(local), '{ me { email memberships { role } } }');
    expect(r.status).toBe(200);
    expect(r.body.data?.me).toEqual({ email: demoEmail(local), memberships: [{ role }] });
  });

  test.each(W.flatMap((w) => [1, 2, 3].map((n) => `${n}.${w}`)))('the school coordinator and the mentor of school %s see students (the mentor a subset)', async (suffix) => {
    const count = async (who: string) => (await app.gql<{ students: { totalCount: number } }>(demoEmail(who), '{ students { totalCount } }')).body.data!.students.totalCount;
    const school = await count(`school${suffix}`);
    const mentor = await count(`mentor${suffix}`);
    expect(school).toBeGreaterThan(0);
    expect(mentor).toBeGreaterThan(0);
    expect(mentor).toBeLessThanOrEqual(school);
  });

  test.each(W)('the gedragswetenschapper of %s has a caseload', async (w) => {
    const r = await app.gql<{ trajectories: { totalCount: number } }>(demoEmail(`scientist.${w}`), '{ trajectories { totalCount } }');
    expect(r.body.data!.trajectories.totalCount).toBeGreaterThan(0);
  });
});

test('every refused demo registration carries a refusal ground from the handbook, and several grounds occur', async () => {
  const rows: Array<{ refusal_ground: string | null; n: number }> = await app.dataSource.query(
    `SELECT refusal_ground, count(*)::int AS n FROM trajectory WHERE phase = 'REFUSED' GROUP BY refusal_ground ORDER BY refusal_ground`,
  );
  expect(rows.every((r) => r.refusal_ground !== null)).toBe(true);
  expect(rows.length).toBeGreaterThanOrEqual(2);
  const [{ others }] = await app.dataSource.query(`SELECT count(*)::int AS others FROM trajectory WHERE refusal_ground IS NOT NULL AND phase <> 'REFUSED'`);
  expect(others).toBe(0);
});

test('a student who left school, and a student who moved to another school with the running case, mentor cleared and the transfer kept', async () => {
  expect(await app.dataSource.query(`SELECT left_school_on FROM student WHERE id = $1`, [demoId('student/noord/1/4')])).toEqual([{ left_school_on: '2026-02-24' }]);
  const moved = demoId('student/zuid/2/2');
  expect(await app.dataSource.query(`SELECT school_id, mentor_user_id FROM student WHERE id = $1`, [moved])).toEqual([{ school_id: demoId('school/zuid/3'), mentor_user_id: null }]);
  expect(await app.dataSource.query(`SELECT from_school_id, to_school_id, transferred_on, transferred_by_user_id FROM student_school_change WHERE student_id = $1`, [moved])).toEqual([
    { from_school_id: demoId('school/zuid/2'), to_school_id: demoId('school/zuid/3'), transferred_on: '2026-03-14', transferred_by_user_id: demoId('user/school2.zuid') },
  ]);
  const [running] = await app.dataSource.query(`SELECT id, school_id, windstreek_id, team_id, phase FROM trajectory WHERE student_id = $1`, [moved]);
  expect(running).toMatchObject({ school_id: demoId('school/zuid/3'), windstreek_id: demoId('windstreek/zuid'), team_id: demoId('topteam/zuid'), phase: 'ASSESSMENT' });
  expect(await app.dataSource.query(`SELECT act, from_phase, to_phase, actor_user_id FROM trajectory_event WHERE trajectory_id = $1 AND act = 'transferStudent'`, [running.id])).toEqual([
    { act: 'transferStudent', from_phase: 'ASSESSMENT', to_phase: 'ASSESSMENT', actor_user_id: demoId('user/school2.zuid') },
  ]);
  // Access moved with the student: the new school's coordinator sees them, the old one's not.
  const query = `{ student(id: "${moved}") { id schoolChanges { totalCount } } }`;
  expect((await app.gql(demoEmail('school3.zuid'), query)).body.data).toEqual({ student: { id: moved, schoolChanges: { totalCount: 1 } } });
  expect((await app.gql(demoEmail('school2.zuid'), query)).body.data).toEqual({ student: null });
});
