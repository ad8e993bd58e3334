/**
 * Small-count protection (src/authz/README.md, "Aggregates"): what a caller whose aggregate scope is wider than
 * the rows they may read sees of a figure.
 *
 * - **Primary suppression.** A count from 1 to k (configuration, default 5) is not shown: the
 *   cell says `suppressed` and carries no number. 0 is shown: it identifies nobody.
 * - **Complementary suppression.** A suppressed count must not follow from the counts that are
 *   shown. Every figure is a table of cells linked by sums: a windstreek is the sum of its
 *   schools, the partnership the sum of its windstreken and of its teams (plus the cases
 *   without a team), a quarter and a school year the sums of their months. For each such
 *   relation (a parent and its children) where exactly one member is suppressed, the smallest
 *   other non-zero member is suppressed too, until no relation has exactly one. The table is
 *   always the caller's whole scope over every month with data and every breakdown, whatever
 *   the request asked for, so two requests (other periods, other breakdowns, other bucket
 *   sizes) show slices of one and the same protected table: their difference shows nothing
 *   that table does not.
 * - **Shares** (percentages) are rounded to whole percents and clamped to 5–95, and shown only
 *   when numerator, denominator and their difference would all be shown as counts: a share of
 *   a known total is that count in disguise.
 * - **Medians, percentiles and means** only over at least k values.
 *
 * Pure functions; `dashboard.service.ts` builds the tables.
 */

/** A sum relation: `parent` = the sum of `children` (keys of cells). */
export interface SumRelation {
  parent: string;
  children: string[];
}

/** Whether `count` is a small count: from 1 to k. */
export function isSmallCount(count: number, k: number): boolean {
  return count >= 1 && count <= k;
}

/**
 * The keys of the cells to suppress in a table of counts `values` linked by `relations`:
 * every small count, and as few others as this greedy pass needs so that no relation has
 * exactly one suppressed member. Deterministic: the same table gives the same answer.
 */
export function suppressedCells(values: ReadonlyMap<string, number>, relations: readonly SumRelation[], k: number): Set<string> {
  const suppressed = new Set<string>();
  for (const [key, value] of values) if (isSmallCount(value, k)) suppressed.add(key);
  const valueOf = (key: string) => values.get(key) ?? 0;
  // Relations touching a cell, so that suppressing it re-examines only those.
  const touching = new Map<string, SumRelation[]>();
  for (const relation of relations) {
    for (const key of [relation.parent, ...relation.children]) {
      if (!touching.has(key)) touching.set(key, []);
      touching.get(key)!.push(relation);
    }
  }
  // A FIFO queue read by index (shift() would copy the array at every step: quadratic on a
  // partnership's table of tens of thousands of relations).
  const queue: SumRelation[] = [...relations];
  const queued = new Set<SumRelation>(queue);
  for (let head = 0; head < queue.length; head++) {
    const relation = queue[head];
    queued.delete(relation);
    if (suppressedMembers(relation, suppressed) !== 1) continue;
    const candidates = [relation.parent, ...relation.children]
      .filter((key) => !suppressed.has(key) && valueOf(key) > 0)
      .sort((a, b) => valueOf(a) - valueOf(b) || (a < b ? -1 : a > b ? 1 : 0));
    // None: every other member is a shown 0, so the one suppressed member is 0 as well and
    // was never suppressed; kept for safety.
    const next = candidates[0];
    if (next === undefined) continue;
    suppressed.add(next);
    for (const other of touching.get(next) ?? []) {
      if (!queued.has(other)) {
        queued.add(other);
        queue.push(other);
      }
    }
  }
  return suppressed;
}

/** How many members of `relation` are suppressed: 0, 1, or 2 for two or more (all the caller asks). */
function suppressedMembers(relation: SumRelation, suppressed: ReadonlySet<string>): number {
  let count = suppressed.has(relation.parent) ? 1 : 0;
  for (const child of relation.children) {
    if (suppressed.has(child) && ++count > 1) return count;
  }
  return count;
}

/** A share in whole percents, clamped to 5–95 (never 0 or 100: those would name everyone or no one). */
export function protectedPercentage(numerator: number, denominator: number): number {
  return Math.min(95, Math.max(5, Math.round((100 * numerator) / denominator)));
}

/** Whether a share numerator/denominator may be shown to a protected caller, given which counts are suppressed. */
export function shareShown(numerator: number, denominator: number, k: number, numeratorSuppressed: boolean, denominatorSuppressed: boolean): boolean {
  return denominator > 0 && !numeratorSuppressed && !denominatorSuppressed && !isSmallCount(numerator, k) && !isSmallCount(denominator - numerator, k) && !isSmallCount(denominator, k);
}
