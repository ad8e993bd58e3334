/**
 * The dashboard per role: who gets which figure groups (and nothing outside their aggregate
 * scope), small-count protection for the analyst (cells of 1–5 suppressed, 0 and 6+ shown, no
 * suppressed cell recoverable from anything the same caller can ask), the aggregate leaks
 * other GraphQL servers have had, bad input, and a full dashboard's cost in statements.
 */
import { OperationDefinitionNode, parse } from 'graphql';
import { Phase } from '../../../src/domain/enums';
import type { Context } from '../../../src/graphql/context';
import { planForFigures } from '../../../src/modules/dashboards/dashboard.service';
import { startTestApp, TestApp } from '../../setup/app';
import { build, Built, localDay, Plan, PlanTrajectory, RoleKey, SchoolKey, TeamKey } from './figures';

const NOW = new Date('2026-03-16T10:00:00Z');
const GROUPS = ['intake', 'caseload', 'timeliness', 'results', 'privacy'] as const;
const CELLS = 'cells { measure kind category bucket bucketStart scopeLevel scopeId scopeName count value p90 n norm suppressed }';
const FULL = `query($filter: DashboardFilter) { dashboard(filter: $filter) { from until bucket breakdown smallCountThreshold
  ${GROUPS.map((g) => `${g} { protected protectedMeasures ${CELLS} }`).join('\n')} } }`;

interface Cell { measure: string; category: string | null; bucket: string | null; scopeLevel: string; scopeId: string | null; scopeName: string; count: number | null; value: number | null; n: number | null; suppressed: boolean }
type Dashboard = Record<(typeof GROUPS)[number], { protected: boolean; protectedMeasures: string[]; cells: Cell[] } | null> & { from: string; until: string };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ now: NOW });
});
afterAll(() => app.stop());

async function dashboardAs(email: string, filter: Record<string, unknown> = {}): Promise<Dashboard> {
  const r = await app.gql<{ dashboard: Dashboard }>(email, FULL, { filter });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.dashboard;
}

/** An accepted registration of `school`, submitted on `day` (10:00 UTC), assigned to `team` (null: waiting for one). */
function accepted(school: SchoolKey, team: TeamKey | null, day: string): PlanTrajectory {
  const submitted = new Date(`${day}T10:00:00Z`);
  const acceptedAt = new Date(`${day}T11:00:00Z`);
  return {
    school, team, created: submitted, phase: Phase.ACCEPTED, phaseStartedAt: acceptedAt, phaseDueOn: null, phaseLimitOn: null,
    events: [{ from: null, to: Phase.REQUESTED, at: submitted }, { from: Phase.REQUESTED, to: Phase.ACCEPTED, at: acceptedAt }],
    followUps: [], exits: [], escalations: [], complaints: [], refusalGround: null,
  };
}
const times = (n: number, make: (i: number) => PlanTrajectory) => Array.from({ length: n }, (_, i) => make(i));
const cellsOf = (d: Dashboard, measure: string, filter: Partial<Cell> = {}) =>
  GROUPS.flatMap((g) => d[g]?.cells ?? []).filter((c) => c.measure === measure && Object.entries(filter).every(([k, v]) => c[k as keyof Cell] === v));

describe('who gets which figures', () => {
  let built: Built;
  beforeAll(async () => {
    built = await build(app.dataSource, {
      now: NOW, consultations: [],
      trajectories: [...times(3, () => accepted('A1', 'TA', '2026-01-10')), ...times(2, () => accepted('A2', 'TA', '2026-01-12')), ...times(4, () => accepted('B1', 'TB', '2026-02-03'))],
    });
  });

  test.each<[RoleKey, (typeof GROUPS)[number][]]>([
    ['analyst', ['intake', 'caseload', 'timeliness', 'results']],
    ['coordinator', ['intake', 'caseload', 'timeliness', 'results']],
    ['advisorA', ['intake', 'caseload', 'timeliness', 'results']],
    ['schoolA1', ['intake', 'caseload', 'timeliness', 'results']],
    ['scientistA', ['intake', 'caseload', 'timeliness', 'results']],
    ['privacy', ['privacy']],
    ['mentorA1', []],
    ['admin', []],
  ])('as %s, the groups %j and no others', async (role, groups) => {
    const d = await dashboardAs(built.users[role]);
    expect(GROUPS.filter((g) => d[g] !== null)).toEqual(groups);
  });

  test.each<[RoleKey, number, string[]]>([
    ['coordinator', 9, ['A1', 'A2', 'B1']],
    ['analyst', 9, ['A1', 'A2', 'B1']],
    ['advisorA', 5, ['A1', 'A2']],
    ['schoolA1', 3, ['A1']],
    ['scientistA', 5, ['A1', 'A2']],
  ])('as %s, registrations count %i rows, only of the schools %j', async (role, total, schools) => {
    const d = await dashboardAs(built.users[role], { breakdown: 'SCHOOL', bucket: 'SCHOOL_YEAR' });
    const all = cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED', scopeLevel: 'ALL', bucket: null })[0];
    // The analyst's 9 is shown (not 1–5): the count itself is safe.
    expect(all.count).toBe(total);
    const seen = [...new Set(cellsOf(d, 'REGISTRATIONS', { scopeLevel: 'SCHOOL' }).map((c) => c.scopeId))].sort();
    expect(seen).toEqual(schools.map((s) => built.ids.school[s as SchoolKey]).sort());
  });

  test('a school coordinator\'s figures equal the programme coordinator\'s figures of that school, measure by measure', async () => {
    const school = await dashboardAs(built.users.schoolA1, { bucket: 'MONTH' });
    const coordinator = await dashboardAs(built.users.coordinator, { bucket: 'MONTH', breakdown: 'SCHOOL' });
    const own = GROUPS.flatMap((g) => school[g]?.cells ?? []).filter((c) => c.count !== null && c.scopeLevel === 'ALL');
    expect(own.length).toBeGreaterThan(10);
    for (const cell of own) {
      const twin = cellsOf(coordinator, cell.measure, { category: cell.category, bucket: cell.bucket, scopeLevel: 'SCHOOL', scopeId: built.ids.school.A1 })[0];
      expect([cell.measure, cell.category, cell.bucket, twin?.count ?? 0]).toEqual([cell.measure, cell.category, cell.bucket, cell.count]);
    }
  });

  test('nothing of another samenwerkingsverband is counted', async () => {
    const other = await build(app.dataSource, { now: NOW, consultations: [], trajectories: times(7, () => accepted('A1', 'TA', '2026-01-10')) });
    const d = await dashboardAs(built.users.analyst);
    expect(cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED', scopeLevel: 'ALL', bucket: null })[0].count).toBe(9);
    const ids = new Set(GROUPS.flatMap((g) => d[g]?.cells ?? []).map((c) => c.scopeId));
    for (const id of [...Object.values(other.ids.school), ...Object.values(other.ids.team), ...Object.values(other.ids.windstreek)]) expect(ids.has(id)).toBe(false);
  });

  test('the exact callers get no protection, the analyst all of it', async () => {
    for (const role of ['coordinator', 'schoolA1', 'scientistA', 'advisorA'] as const) {
      expect([role, (await dashboardAs(built.users[role])).caseload!.protected]).toEqual([role, false]);
    }
    const analyst = await dashboardAs(built.users.analyst);
    expect(analyst.caseload!.protected).toBe(true);
    expect(analyst.intake!.protectedMeasures).toContain('REGISTRATIONS');
  });
});

describe('small-count protection', () => {
  /**
   * Registrations, all accepted in January 2026: A1 3, A2 4 (windstreek A: 7), B1 6 (B: 6);
   * team TA has A1 and A2's (7), TB B1's (6).
   */
  let built: Built;
  beforeAll(async () => {
    built = await build(app.dataSource, {
      now: NOW, consultations: [],
      trajectories: [...times(3, () => accepted('A1', 'TA', '2026-01-10')), ...times(4, () => accepted('A2', 'TA', '2026-01-14')), ...times(6, () => accepted('B1', 'TB', '2026-01-20'))],
    });
  });

  test('for the analyst: 1–5 suppressed, 0 and 6+ shown, no number behind a suppressed cell', async () => {
    const d = await dashboardAs(built.users.analyst, { breakdown: 'SCHOOL', bucket: 'MONTH', from: '2026-01-01', until: '2026-03-16' });
    const at = (school: SchoolKey, bucket: string) => cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED', scopeLevel: 'SCHOOL', scopeId: built.ids.school[school], bucket })[0];
    expect(at('A1', '2026-01')).toMatchObject({ suppressed: true, count: null });
    expect(at('A2', '2026-01')).toMatchObject({ suppressed: true, count: null });
    expect(at('B1', '2026-01')).toMatchObject({ suppressed: false, count: 6 });
    // A zero: shown for the whole scope, left out (sparse) for a school.
    expect(cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED', scopeLevel: 'ALL', bucket: '2026-02' })[0]).toMatchObject({ suppressed: false, count: 0 });
    expect(at('A1', '2026-02')).toBeUndefined();
    expect(cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED', scopeLevel: 'ALL', bucket: '2026-01' })[0]).toMatchObject({ count: 13, suppressed: false });
    for (const cell of GROUPS.flatMap((g) => d[g]?.cells ?? [])) {
      if (cell.suppressed) expect([cell.count, cell.value, cell.n]).toEqual([null, null, null]);
      else if (cell.count !== null) expect(cell.count >= 1 && cell.count <= 5).toBe(false);
    }
  });

  test('a 6 is suppressed too when it would reveal a small count: one more in B1 in March makes the quarter 7 = 6 + 1', async () => {
    const more = await build(app.dataSource, { now: NOW, consultations: [], trajectories: [...times(6, () => accepted('B1', 'TB', '2026-01-20')), accepted('B1', 'TB', '2026-03-02')] });
    const monthly = await dashboardAs(more.users.analyst, { breakdown: 'SCHOOL', bucket: 'MONTH', from: '2026-01-01' });
    const quarterly = await dashboardAs(more.users.analyst, { breakdown: 'SCHOOL', bucket: 'QUARTER', from: '2026-01-01' });
    const b1 = (d: Dashboard, bucket: string) => cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED', scopeLevel: 'SCHOOL', scopeId: more.ids.school.B1, bucket })[0];
    expect(b1(monthly, '2026-03')).toMatchObject({ suppressed: true, count: null });
    expect(b1(quarterly, '2026-Q1')).toMatchObject({ suppressed: false, count: 7 });
    // 7 − 6 would be March's 1: January's 6 is withheld as well, in every request.
    expect(b1(monthly, '2026-01')).toMatchObject({ suppressed: true, count: null });
  });

  test('the programme coordinator, who reads these rows, gets the exact numbers', async () => {
    const d = await dashboardAs(built.users.coordinator, { breakdown: 'SCHOOL', bucket: 'MONTH', from: '2026-01-01' });
    expect(cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED', scopeLevel: 'SCHOOL', scopeId: built.ids.school.A1, bucket: '2026-01' })[0]).toMatchObject({ count: 3, suppressed: false });
  });

  test('the analyst\'s team loads: teamLoads is not theirs any more, the dashboard\'s load is suppressed for 1–5 cases and shown from 6', async () => {
    const loads = await app.gql<{ teamLoads: unknown[] }>(built.users.analyst, '{ teamLoads { teamId counts { accepted } } }');
    expect(loads.body.data!.teamLoads).toEqual([]);
    const loadsOf = async (trajectories: PlanTrajectory[]) => {
      const partnership = await build(app.dataSource, { now: NOW, consultations: [], trajectories });
      const d = await dashboardAs(partnership.users.analyst);
      return (team: TeamKey) => cellsOf(d, 'TEAM_LOAD', { scopeId: partnership.ids.team[team] })[0] as Cell & { norm: number };
    };
    // TA carries 2 cases: its load would show that count.
    const small = await loadsOf(times(2, () => accepted('A1', 'TA', '2026-01-10')));
    expect(small('TA')).toMatchObject({ suppressed: true, value: null, n: null, norm: 10 });
    expect(small('TB')).toMatchObject({ suppressed: false, value: 0, n: 0, norm: 8 });
    const large = await loadsOf([...times(7, () => accepted('A1', 'TA', '2026-01-10')), ...times(6, () => accepted('B1', 'TB', '2026-01-10'))]);
    expect(large('TA')).toMatchObject({ suppressed: false, value: 7, n: 7, norm: 10 });
    expect(large('TB')).toMatchObject({ suppressed: false, value: 6, n: 6, norm: 8 });
  });

  /**
   * Every request the analyst can make about one measure (each bucket size, each breakdown,
   * overlapping periods) gives linear equations over the unknown counts per school, team (or
   * none) and month, every combination an unknown (the analyst does not know which are 0). A
   * withheld small count is recoverable if its row is in the span of the shown ones; none may be.
   */
  test('no suppressed cell can be recovered from totals, siblings or the difference of overlapping requests', async () => {
    // Registrations from June to October 2025 (a school year and two quarters straddle), counts 0–8 per school and month.
    const counts: Array<[SchoolKey, TeamKey, string, number]> = [
      ['A1', 'TA', '2025-06-05', 3], ['A2', 'TA', '2025-06-06', 7], ['B1', 'TB', '2025-06-07', 6],
      ['A1', 'TA', '2025-07-05', 1], ['A2', 'TA', '2025-07-06', 8], ['B1', 'TB', '2025-07-07', 2],
      ['A1', 'TA', '2025-08-05', 6], ['A2', 'TA', '2025-08-06', 2], ['B1', 'TB', '2025-08-07', 9],
      ['A1', 'TB', '2025-09-05', 4], ['A2', 'TA', '2025-09-06', 6], ['B1', 'TB', '2025-09-07', 7],
      ['A1', 'TA', '2025-10-05', 7], ['A2', 'TA', '2025-10-06', 0], ['B1', 'TB', '2025-10-07', 1],
    ];
    const fresh = await build(app.dataSource, { now: NOW, consultations: [], trajectories: counts.flatMap(([s, t, day, n]) => times(n, () => accepted(s, t, day))) });
    // The unknowns: one per (school, team or none, month) of the data's months.
    const months = [...new Set(counts.map(([, , day]) => day.slice(0, 7)))];
    const unknowns = (['A1', 'A2', 'B1'] as const).flatMap((s) => (['TA', 'TB', null] as const).flatMap((t) => months.map((month) => ({ s, t, month }))));
    const truth = unknowns.map((u) => counts.filter(([s, t, day]) => s === u.s && t === u.t && day.startsWith(u.month)).reduce((sum, [, , , n]) => sum + n, 0));
    const rows: Array<{ vector: number[]; shown: boolean; label: string }> = [];
    const windstreekOf = (s: SchoolKey) => (s === 'B1' ? 'B' : 'A');
    for (const bucket of ['MONTH', 'QUARTER', 'SCHOOL_YEAR']) {
      for (const breakdown of ['PARTNERSHIP', 'WINDSTREEK', 'SCHOOL', 'TEAM']) {
        for (const [from, until] of [['2025-06-01', '2025-10-31'], ['2025-07-01', '2025-09-30'], ['2025-04-01', '2026-03-16']]) {
          const d = await dashboardAs(fresh.users.analyst, { bucket, breakdown, from, until });
          for (const cell of cellsOf(d, 'REGISTRATIONS', { category: 'ACCEPTED' })) {
            const months = cell.bucket === null ? null : monthsOfBucket(cell.bucket);
            const inPeriod = (m: string) => m >= d.from.slice(0, 7) && m <= d.until.slice(0, 7);
            const vector = unknowns.map((u) => {
              const inTime = months ? months.includes(u.month) : inPeriod(u.month);
              const inScope = cell.scopeLevel === 'ALL' || (cell.scopeLevel === 'SCHOOL' && fresh.ids.school[u.s] === cell.scopeId)
                || (cell.scopeLevel === 'WINDSTREEK' && fresh.ids.windstreek[windstreekOf(u.s)] === cell.scopeId)
                || (cell.scopeLevel === 'TEAM' && u.t !== null && fresh.ids.team[u.t] === cell.scopeId) || (cell.scopeLevel === 'NO_TEAM' && u.t === null);
              return inTime && inScope ? 1 : 0;
            });
            rows.push({ vector, shown: !cell.suppressed, label: `${bucket}/${breakdown} ${cell.bucket} ${cell.scopeLevel} ${cell.scopeName}` });
          }
        }
      }
    }
    const shown = rows.filter((r) => r.shown).map((r) => r.vector);
    // The small counts (1–5) among the withheld cells: none may follow from what is shown.
    // (A larger withheld cell may: it is withheld as a complement, over-cautiously.)
    const small = rows.filter((r) => {
      const value = r.vector.reduce((sum, x, i) => sum + x * truth[i], 0);
      return !r.shown && value >= 1 && value <= 5;
    });
    expect(small.length).toBeGreaterThan(10);
    const recoverable = small.filter((r) => inSpan(shown, r.vector)).map((r) => r.label);
    expect(recoverable).toEqual([]);
    // Positive control: the check itself finds a cell the shown ones pin down (a shown total is in the span).
    expect(inSpan(shown, rows.find((r) => r.shown && r.vector.filter((x) => x).length > 1)!.vector)).toBe(true);
  });
});

/** The months ('YYYY-MM') of a bucket label: '2025-07', '2025-Q3' or '2025/2026'. */
function monthsOfBucket(label: string): string[] {
  const pad = (m: number) => String(m).padStart(2, '0');
  if (/^\d{4}-\d{2}$/.test(label)) return [label];
  const quarter = /^(\d{4})-Q(\d)$/.exec(label);
  if (quarter) return [1, 2, 3].map((i) => `${quarter[1]}-${pad(3 * Number(quarter[2]) - 3 + i)}`);
  const first = Number(label.slice(0, 4));
  return Array.from({ length: 12 }, (_, i) => (i < 5 ? `${first}-${pad(8 + i)}` : `${first + 1}-${pad(i - 4)}`));
}

/** Whether `target` is a linear combination of `vectors` (Gaussian elimination with rationals as floats). */
function inSpan(vectors: number[][], target: number[]): boolean {
  const rank = (m: number[][]) => {
    const a = m.map((r) => [...r]);
    let r = 0;
    for (let c = 0; c < (a[0]?.length ?? 0) && r < a.length; c++) {
      const pivot = a.findIndex((row, i) => i >= r && Math.abs(row[c]) > 1e-9);
      if (pivot < 0) continue;
      [a[r], a[pivot]] = [a[pivot], a[r]];
      for (let i = 0; i < a.length; i++) {
        if (i === r) continue;
        const f = a[i][c] / a[r][c];
        for (let j = c; j < a[i].length; j++) a[i][j] -= f * a[r][j];
      }
      r++;
    }
    return r;
  };
  return rank([...vectors, target]) === rank(vectors);
}

describe('the aggregate leaks other servers have had are closed', () => {
  let built: Built;
  beforeAll(async () => {
    built = await build(app.dataSource, { now: NOW, consultations: [], trajectories: times(3, () => accepted('A1', 'TA', '2026-01-10')) });
  });

  test('counts through relations respect permissions: the analyst counts no students or trajectories anywhere', async () => {
    const r = await app.gql<Record<string, unknown>>(built.users.analyst, `{
      students { totalCount } trajectories { totalCount } consents { totalCount }
      schools { edges { node { students { totalCount } trajectories { totalCount } } } }
      topteams { edges { node { trajectories { totalCount } } } }
      windstreken { edges { node { schools { edges { node { students { totalCount } } } } } } }
    }`);
    expect(r.body.errors).toBeUndefined();
    const totals = JSON.stringify(r.body.data).match(/"totalCount":\d+/g) ?? [];
    expect(totals.length).toBeGreaterThan(5);
    expect(totals.every((t) => t === '"totalCount":0')).toBe(true);
  });

  test('filters cannot narrow a count below the protection: the dashboard has no filter by student, phase or id', async () => {
    const r = await app.gql(built.users.analyst, '{ dashboard(filter: { studentId: "x" }) { from } }');
    expect(r.status).toBe(400);
  });
});

describe('running cases at a month\'s end', () => {
  test('a case counts at the end of every month it was running, from the month of its first event to the last month before it closed; the day it closed ends that', async () => {
    // Registered 31 January 23:30 (Amsterdam), running through February, closed 1 March 08:00 (Amsterdam);
    // a second one accepted in February and still running.
    const at = (iso: string) => new Date(iso);
    const closedEarly: PlanTrajectory = {
      ...accepted('A1', 'TA', '2026-01-31'),
      created: at('2026-01-31T22:30:00Z'), phase: Phase.CLOSED, phaseStartedAt: at('2026-03-01T07:00:00Z'),
      events: [
        { from: null, to: Phase.REQUESTED, at: at('2026-01-31T22:30:00Z') },
        { from: Phase.REQUESTED, to: Phase.ACCEPTED, at: at('2026-02-02T09:00:00Z') },
        { from: Phase.ACCEPTED, to: Phase.ASSESSMENT, at: at('2026-02-10T09:00:00Z') },
        { from: Phase.ASSESSMENT, to: Phase.CLOSED, at: at('2026-03-01T07:00:00Z') },
      ],
    };
    const running = accepted('B1', 'TB', '2026-02-12');
    const fresh = await build(app.dataSource, { now: NOW, consultations: [], trajectories: [closedEarly, running] });
    const d = await dashboardAs(fresh.users.coordinator, { bucket: 'MONTH', from: '2025-12-01' });
    const atEnd = (bucket: string) => cellsOf(d, 'RUNNING_AT_MONTH_END', { scopeLevel: 'ALL', bucket })
      .filter((c) => (c.count ?? 0) > 0).map((c) => [c.category, c.count]).sort();
    expect(atEnd('2025-12')).toEqual([]);
    // 31 January 23:30 in Amsterdam is still January: requested at its end.
    expect(atEnd('2026-01')).toEqual([['REQUESTED', 1]]);
    expect(atEnd('2026-02')).toEqual([['ACCEPTED', 1], ['ASSESSMENT', 1]]);
    // Closed on the first morning of March: only the other case runs at March's end (today).
    expect(atEnd('2026-03')).toEqual([['ACCEPTED', 1]]);
  });
});

describe('bad input', () => {
  let built: Built;
  beforeAll(async () => {
    built = await build(app.dataSource, { now: NOW, consultations: [], trajectories: [] });
  });

  test.each([
    [{ until: '2026-03-17' }, 'filter.until'],
    [{ from: '2026-03-10', until: '2026-03-01' }, 'filter.from'],
    [{ from: '2020-01-01' }, 'filter.from'],
  ])('%j answers BAD_USER_INPUT naming %s', async (filter, field) => {
    const r = await app.gql(built.users.coordinator, FULL, { filter });
    expect(r.body.data).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.body.errors![0].message).toMatch(new RegExp(`^${field}: `));
  });

  test('an impossible date is refused by the scalar', async () => {
    const r = await app.gql(built.users.coordinator, FULL, { filter: { from: '2026-02-30' } });
    expect(r.status).toBe(400);
  });
});

describe('cost', () => {
  async function statements(email: string): Promise<number> {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(email)}` },
      body: JSON.stringify({ query: FULL, variables: { filter: { breakdown: 'SCHOOL', bucket: 'MONTH' } } }),
    });
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
    return Number(response.headers.get('x-sql-statements'));
  }

  test('alone, the dashboard plans its statements without nested loops; beside another root field it leaves the plans alone, and the figures are the same', async () => {
    const world = await build(app.dataSource, {
      now: NOW, consultations: [],
      trajectories: times(40, (i) => accepted((['A1', 'A2', 'B1'] as const)[i % 3], i % 2 ? 'TA' : 'TB', localDay(new Date(NOW.getTime() - (1 + (i % 300)) * 86_400_000)))),
    });
    const ask = async (query: string) => {
      const response = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(world.users.analyst)}` },
        body: JSON.stringify({ query, variables: { filter: { breakdown: 'SCHOOL', bucket: 'MONTH' } } }),
      });
      const body = (await response.json()) as { data?: { dashboard: Dashboard }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return { dashboard: body.data!.dashboard, statements: Number(response.headers.get('x-sql-statements')) };
    };
    const alone = await ask(FULL);
    // \`__typename\` beside it reads nothing: still alone.
    const withTypename = await ask(FULL.replace('{ dashboard(', '{ __typename dashboard('));
    // A second root field that reads rows: the transaction's setting would reach its statement too.
    const beside = await ask(FULL.replace('{ dashboard(', '{ schools(first: 1) { totalCount } dashboard('));
    expect(alone.dashboard.results!.cells.length).toBeGreaterThan(0);
    expect(withTypename.dashboard).toEqual(alone.dashboard);
    expect(beside.dashboard).toEqual(alone.dashboard);
    expect(withTypename.statements).toBe(alone.statements);
    // Which requests get the setting: the dashboard alone (and \`__typename\`), not beside another field.
    const sent: string[] = [];
    const ctx = { dataSource: { query: async (sql: string) => void sent.push(sql) } } as unknown as Context;
    const operation = (query: string) => parse(query).definitions[0] as OperationDefinitionNode;
    await planForFigures(ctx, operation(FULL));
    await planForFigures(ctx, operation(FULL.replace('{ dashboard(', '{ __typename dashboard(')));
    expect(sent).toEqual(['SET LOCAL enable_nestloop = off', 'SET LOCAL enable_nestloop = off']);
    await planForFigures(ctx, operation(FULL.replace('{ dashboard(', '{ schools(first: 1) { totalCount } dashboard(')));
    await planForFigures(ctx, operation(FULL.replace('{ dashboard(', '{ ...on Query { me { id } } dashboard(')));
    expect(sent).toHaveLength(2);
  }, 60_000);

  test('a full dashboard costs the same number of statements for 10 and for 1,000 trajectories', async () => {
    const plan = (n: number): Plan => ({
      now: NOW, consultations: [],
      trajectories: times(n, (i) => accepted((['A1', 'A2', 'B1'] as const)[i % 3], i % 2 ? 'TA' : 'TB', localDay(new Date(NOW.getTime() - (1 + (i % 600)) * 86_400_000)))),
    });
    const small = await build(app.dataSource, plan(10));
    const large = await build(app.dataSource, plan(1000));
    for (const role of ['analyst', 'coordinator', 'schoolA1', 'privacy'] as const) {
      const a = await statements(small.users[role]);
      const b = await statements(large.users[role]);
      expect([role, b]).toEqual([role, a]);
      // The actor; the request's transaction (begin, bind to the partnership, commit); one
      // statement per group and one for the names.
      expect(a).toBeLessThanOrEqual(11);
    }
  }, 60_000);
});
