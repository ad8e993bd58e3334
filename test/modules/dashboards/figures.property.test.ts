/**
 * Every figure of the programme's groups against an independent computation (./figures.ts)
 * over generated histories: for random data, a random role (so a random aggregate scope), a
 * random period, bucket size and breakdown, every cell the API returns equals the oracle's
 * number; where small counts are protected, every shown number still equals the oracle's,
 * no shown count is from 1 to k, no zero is hidden, and no breakdown leaves a single
 * suppressed cell next to a shown total.
 */
import fc from 'fast-check';
import { startTestApp, TestApp } from '../../setup/app';
import {
  basisOfMeasure, bucket, BucketSize, build, Built, durations, inCell, inScope, isProtected, items, localDay, months, percentileCont, Plan, planArb, RoleKey, stockInstant,
} from './figures';

const NOW = new Date('2026-03-16T10:00:00Z');
const TODAY = localDay(NOW);
const K = 5;
const NOW_MEASURES = ['RUNNING', 'WAITING_FOR_TEAM', 'ASSIGNED', 'CROSS_WINDSTREEK', 'OVERDUE', 'PAST_LIMIT', 'FOLLOW_UPS_OVERDUE'];
const SHARES: Record<string, [string, string]> = {
  CROSS_WINDSTREEK_SHARE: ['CROSS_WINDSTREEK', 'ASSIGNED'],
  STILL_IN_EDUCATION_SHARE: ['STILL_IN_EDUCATION', 'FOLLOW_UPS_RECORDED'],
  AT_EXPECTED_LEVEL_SHARE: ['AT_EXPECTED_LEVEL', 'FOLLOW_UPS_RECORDED'],
  DIPLOMA_EXPECTED_SHARE: ['DIPLOMA_EXPECTED', 'FOLLOW_UPS_RECORDED'],
};
const LOAD_WEIGHT: Record<string, number> = { ACCEPTED: 1, ASSESSMENT: 1, INTENSIVE: 1, CONSOLIDATION: 0.5 };

const QUERY = `query($filter: DashboardFilter) { dashboard(filter: $filter) { from until
  ${['intake', 'caseload', 'timeliness', 'results'].map((g) => `${g} { protected protectedMeasures cells { measure kind category bucket bucketStart scopeLevel scopeId count value p90 n norm suppressed } }`).join('\n')}
} }`;

interface Cell {
  measure: string; kind: string; category: string | null; bucket: string | null; bucketStart: string | null; scopeLevel: string; scopeId: string | null;
  count: number | null; value: number | null; p90: number | null; n: number | null; norm: number | null; suppressed: boolean;
}
interface Group { protected: boolean; protectedMeasures: string[]; cells: Cell[] }

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ now: NOW });
});
afterAll(() => app.stop());

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The oracle's value of a cell of the programme's groups. */
function expected(plan: Plan, built: Built, role: RoleKey, period: { from: string; until: string }, size: BucketSize, cell: Cell): Partial<Cell> & { rawN?: number } {
  const b = cell.bucketStart ? bucket(cell.bucketStart, size) : null;
  const inBucket = (day: string) => (b ? day >= b.start && day <= b.end : bucketsOf(period, size).some((x) => day >= x.start && day <= x.end));
  const count = (measure: string): number => {
    if (NOW_MEASURES.includes(measure)) return items(plan, role, measure).filter((i) => inCell(i, cell.scopeLevel, cell.scopeId, built) && i.category === cell.category).length;
    if (measure === 'RUNNING_AT_MONTH_END') {
      const last = months(b ? b.start : period.from, b && b.end < period.until ? b.end : period.until).pop()!;
      return items(plan, role, measure, stockInstant(last, period.until, plan.now)).filter((i) => inCell(i, cell.scopeLevel, cell.scopeId, built) && i.category === cell.category).length;
    }
    return items(plan, role, measure).filter((i) => inCell(i, cell.scopeLevel, cell.scopeId, built) && i.category === cell.category && inBucket(i.day!)).length;
  };
  const protectedMeasure = isProtected(plan, role, basisOfMeasure(cell.measure));
  switch (cell.kind) {
    case 'COUNT':
      return { count: count(cell.measure) };
    case 'SHARE': {
      const [num, den] = SHARES[cell.measure];
      const ratio = (100 * count(num)) / count(den);
      return { value: protectedMeasure ? Math.min(95, Math.max(5, Math.round(ratio))) : round1(ratio), n: count(den) };
    }
    case 'DURATION':
    case 'MEAN': {
      const within = (day: string) => day >= period.from && day <= period.until && (!b || (day >= b.start && day <= b.end));
      const source = cell.kind === 'DURATION' ? durations(plan, role, cell.measure) : items(plan, role, cell.measure);
      const values = source.filter((i) => inCell(i, cell.scopeLevel, cell.scopeId, built) && i.category === cell.category && within(i.day!)).map((i) => i.value!);
      // With protection, n (a count other figures could pin down) is not shown.
      const n = protectedMeasure ? null : values.length;
      if (cell.kind === 'MEAN') return { n, value: round1(values.reduce((a, x) => a + x, 0) / values.length), rawN: values.length };
      return { n, value: round1(percentileCont(values, 0.5)), p90: round1(percentileCont(values, 0.9)), rawN: values.length };
    }
    case 'LOAD': {
      const team = cell.scopeId === built.ids.team.TA ? 'TA' : 'TB';
      const carried = plan.trajectories.filter((t) => inScope(role, t) && t.team === team && LOAD_WEIGHT[t.phase] !== undefined);
      return { n: carried.length, value: round1(carried.reduce((a, t) => a + LOAD_WEIGHT[t.phase], 0)), norm: team === 'TA' ? 10 : 8 };
    }
    default:
      throw new Error(cell.kind);
  }
}

function bucketsOf(period: { from: string; until: string }, size: BucketSize) {
  const seen = new Map<string, ReturnType<typeof bucket>>();
  for (const m of months(period.from, period.until)) seen.set(bucket(m, size).label, bucket(m, size));
  return [...seen.values()];
}

const ROLE_ARB = fc.constantFrom<RoleKey>('analyst', 'coordinator', 'advisorA', 'schoolA1', 'scientistA');
const requestArb = fc.record({
  role: ROLE_ARB,
  size: fc.constantFrom<BucketSize>('MONTH', 'QUARTER', 'SCHOOL_YEAR'),
  breakdown: fc.constantFrom('PARTNERSHIP', 'WINDSTREEK', 'SCHOOL', 'TEAM'),
  fromDaysAgo: fc.integer({ min: 30, max: 700 }),
  untilDaysAgo: fc.integer({ min: 0, max: 29 }),
});

test('every figure equals the oracle for random histories, scopes, periods, buckets and breakdowns; protection hides exactly small counts and what would reveal them', async () => {
  let runs = 0;
  let protectedRuns = 0;
  let cellsChecked = 0;
  await fc.assert(
    fc.asyncProperty(planArb(NOW), requestArb, async (plan, req) => {
      runs += 1;
      const built = await build(app.dataSource, plan);
      const asked = { from: new Date(Date.parse(`${TODAY}T00:00:00Z`) - req.fromDaysAgo * 86_400_000).toISOString().slice(0, 10), until: new Date(Date.parse(`${TODAY}T00:00:00Z`) - req.untilDaysAgo * 86_400_000).toISOString().slice(0, 10) };
      const response = await app.gql<{ dashboard: Record<string, unknown> & { from: string; until: string } }>(built.users[req.role], QUERY, {
        filter: { from: asked.from, until: asked.until, bucket: req.size, breakdown: req.breakdown },
      });
      expect(response.body.errors).toBeUndefined();
      const d = response.body.data!.dashboard;
      // The period is widened to whole buckets, up to today.
      const period = { from: bucket(asked.from, req.size).start, until: [bucket(asked.until, req.size).end, TODAY].sort()[0] };
      expect({ from: d.from, until: d.until }).toEqual(period);
      for (const name of ['intake', 'caseload', 'timeliness', 'results']) {
        const group = d[name] as Group | null;
        expect(group).not.toBeNull();
        for (const cell of group!.cells) {
          const protectedMeasure = isProtected(plan, req.role, basisOfMeasure(cell.measure));
          expect([cell.measure, group!.protectedMeasures.includes(cell.measure)]).toEqual([cell.measure, protectedMeasure]);
          const { rawN, ...want } = expected(plan, built, req.role, period, req.size, cell);
          cellsChecked += 1;
          if (!cell.suppressed) {
            const got = Object.fromEntries(Object.keys(want).map((key) => [key, cell[key as keyof Cell]]));
            expect({ cell: [cell.measure, cell.category, cell.bucket, cell.scopeLevel], ...got }).toEqual({ cell: [cell.measure, cell.category, cell.bucket, cell.scopeLevel], ...want });
            if (protectedMeasure && cell.kind === 'COUNT') expect(cell.count! >= 1 && cell.count! <= K).toBe(false);
            // Medians, percentiles and means of protected figures only over at least k values.
            if (protectedMeasure && (cell.kind === 'DURATION' || cell.kind === 'MEAN')) expect(rawN).toBeGreaterThanOrEqual(K);
          } else {
            // Only protected figures are suppressed, never a zero, and a suppressed number is not there.
            expect(protectedMeasure).toBe(true);
            expect([cell.count, cell.value, cell.p90]).toEqual([null, null, null]);
            if (cell.kind === 'COUNT') expect(want.count).toBeGreaterThan(0);
            if (cell.kind === 'DURATION' || cell.kind === 'MEAN') expect(rawN).toBeLessThan(K);
          }
        }
        // No breakdown leaves exactly one suppressed cell under a shown total (it would be total minus the rest).
        if (req.breakdown !== 'PARTNERSHIP') {
          const lines = new Map<string, Cell[]>();
          for (const cell of group!.cells.filter((c) => c.kind === 'COUNT')) {
            const key = `${cell.measure}|${cell.category}|${cell.bucket}`;
            lines.set(key, [...(lines.get(key) ?? []), cell]);
          }
          for (const line of lines.values()) {
            const total = line.find((c) => c.scopeLevel === 'ALL');
            const parts = line.filter((c) => c.scopeLevel !== 'ALL');
            const partition = parts.length > 0 && (req.breakdown !== 'TEAM' || ['Trajectory', 'FollowUp', 'ExitQuestionnaire', 'Escalation', 'Complaint'].includes(basisOfMeasure(line[0].measure)));
            if (total && !total.suppressed && partition && line[0].measure !== 'RUNNING_AT_MONTH_END') {
              expect({ line: line[0].measure, suppressedParts: parts.filter((c) => c.suppressed).length }).not.toEqual({ line: line[0].measure, suppressedParts: 1 });
            }
          }
        }
        if (group!.protected) protectedRuns += 1;
      }
      // Nothing the oracle counts is missing: per COUNT measure, the whole period's total over categories.
      for (const name of ['intake', 'caseload', 'timeliness', 'results']) {
        const group = d[name] as Group;
        const measures = new Set(group.cells.filter((c) => c.kind === 'COUNT' && !NOW_MEASURES.includes(c.measure) && c.measure !== 'RUNNING_AT_MONTH_END').map((c) => c.measure));
        for (const measure of measures) {
          const shown = group.cells.filter((c) => c.measure === measure && c.scopeLevel === 'ALL' && c.bucket === null);
          if (shown.some((c) => c.suppressed)) continue;
          const total = shown.reduce((a, c) => a + c.count!, 0);
          const inPeriod = items(plan, req.role, measure).filter((i) => bucketsOf(period, req.size).some((x) => i.day! >= x.start && i.day! <= x.end)).length;
          expect([measure, total]).toEqual([measure, inPeriod]);
        }
      }
    }),
    { numRuns: 30, endOnFailure: true },
  );
  expect(runs).toBe(30);
  // The property must have seen both kinds of caller and real cells.
  expect(protectedRuns).toBeGreaterThan(0);
  expect(cellsChecked).toBeGreaterThan(1000);
}, 240_000);
