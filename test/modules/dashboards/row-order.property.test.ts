/**
 * The dashboard's figures do not depend on the order PostgreSQL returns a group statement's rows
 * in. That order is the plan's, and a plan may change between two executions of the same
 * statement (a prepared statement turns generic after five, statistics change). The greedy
 * complementary suppression walks the count table in its order: were that PostgreSQL's order,
 * the same data could suppress other cells in two requests, and the two answers together could
 * show what each withholds. `figuresOf` takes the rows in the order of their keys.
 */
import fc from 'fast-check';
import { loadConfig } from '../../../src/config';
import { DashboardBreakdown } from '../../../src/modules/dashboards/dashboard.types';
import type { FigureRow } from '../../../src/modules/dashboards/dashboard.sql';
import { figuresOf } from '../../../src/modules/dashboards/dashboard.service';
import { DashboardBucket } from '../../../src/modules/dashboards/periods';

const config = loadConfig({ NODE_ENV: 'test' });
const today = '2026-03-16';
const places = [
  { windstreek_id: 'w-a', school_id: 's-a1' }, { windstreek_id: 'w-a', school_id: 's-a2' },
  { windstreek_id: 'w-b', school_id: 's-b1' }, { windstreek_id: 'w-b', school_id: 's-b2' },
];
const teams = ['t-a', 't-b', null];
const months = ['2025-06-01', '2025-07-01', '2025-08-01', '2025-09-01', '2025-10-01', '2026-01-01'];
const categories = ['ACCEPTED', 'REFUSED', 'PENDING'];

/** Month rows of registrations (counts 1–9, many small) in distinct cells, for a caller protected on trajectories. */
const rowsArb = fc.uniqueArray(
  fc.record({ place: fc.nat(places.length - 1), team: fc.nat(teams.length - 1), month: fc.nat(months.length - 1), category: fc.nat(categories.length - 1), n: fc.integer({ min: 1, max: 9 }) }),
  { minLength: 1, maxLength: 40, selector: (r) => `${r.place}|${r.team}|${r.month}|${r.category}` },
).map((cells): FigureRow[] => [
  { measure: 'PROTECTION', category: 'Trajectory', month: null, windstreek_id: null, school_id: null, team_id: null, n: 1, value: null, p90: null, norm: null, bucket: null, level: null },
  ...cells.map((c) => ({
    measure: 'REGISTRATIONS', category: categories[c.category], month: months[c.month], ...places[c.place], team_id: teams[c.team],
    n: c.n, value: null, p90: null, norm: null, bucket: null, level: null,
  })),
]);

test('the same rows in any order give the same figures: the same suppressed cells, in the same order', () => {
  const names = new Map<string, string>();
  fc.assert(
    fc.property(rowsArb, fc.array(fc.nat(), { minLength: 1, maxLength: 1 }), fc.constantFrom(...Object.values(DashboardBreakdown)), fc.constantFrom(...Object.values(DashboardBucket)), (rows, [seed], breakdown, bucket) => {
      const plan = { from: '2025-06-01', until: today, bucket, breakdown };
      const inOrder = figuresOf('intake', plan, rows, names, { config, today });
      // Another order: reversed, then rotated by the seed.
      const other = [...rows].reverse();
      const turned = [...other.slice(seed % other.length), ...other.slice(0, seed % other.length)];
      expect(figuresOf('intake', plan, turned, names, { config, today })).toEqual(inOrder);
      // And the protection did its work on these rows: nothing from 1 to 5 is shown.
      expect(inOrder.protected).toBe(true);
      for (const cell of inOrder.cells) if (cell.count !== null) expect(cell.count >= 1 && cell.count <= 5).toBe(false);
    }),
    { numRuns: 300, seed: 20261206 },
  );
});
