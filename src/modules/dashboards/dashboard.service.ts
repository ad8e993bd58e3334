/**
 * The dashboard: the period, then per selected figure group one statement
 * (./dashboard.sql.ts) and the cells built from its rows.
 *
 * Counts come back per month and breakdown cell and are summed here into buckets, windstreken,
 * schools, teams and the whole scope. For a caller who may count rows they may not read (a
 * `PROTECTION` row above zero), a measure is protected (./suppression.ts): its table is built
 * over every month with data, whatever the period asked for, protected as a whole, and only
 * then sliced to the request, so that no two requests can be combined to undo it; the period
 * widens to whole buckets.
 */
import { unscoped } from '../../graphql/reads';
import type { FigureGroupKey } from '../../authz/rules/aggregate.rules';
import type { Context } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { Dashboard, DashboardBreakdown, DashboardFilter, FigureCell, FigureGroup, FigureKind, FigureScopeLevel } from './dashboard.types';
import { FigureRow, groupStatement } from './dashboard.sql';
import { ACTIVE_PHASES } from '../../domain/enums';
import { basisOf, CARRIED_PHASES, DashboardMeasure, MEASURES, measuresOf } from './measures';
import { Bucket, bucketOf, bucketsBetween, DashboardBucket, monthsBetween, previousSchoolYearStart, snapToBuckets } from './periods';
import { isSmallCount, protectedPercentage, shareShown, SumRelation, suppressedCells } from './suppression';

/** What a dashboard request asked for, resolved: kept on the Dashboard object for its group resolvers. */
export interface DashboardPlan {
  from: string;
  until: string;
  bucket: DashboardBucket;
  breakdown: DashboardBreakdown;
  /** Names of windstreken, schools and teams, read once per request when a group needs them. */
  names?: Promise<Map<string, string>>;
}

export type DashboardResult = Dashboard & { plan: DashboardPlan };

/** Validates the filter and fixes the period; the groups are computed when selected. */
export function dashboard(ctx: Context, filter: DashboardFilter | undefined): DashboardResult {
  const today = ctx.today;
  const asked = { from: filter?.from ?? previousSchoolYearStart(today), until: filter?.until ?? today };
  if (asked.until > today) throw badInput('filter.until', 'filter.until: the period cannot end after today.');
  if (asked.from > asked.until) throw badInput('filter.from', 'filter.from: the period must start on or before its last day (filter.until).');
  const maxMonths = ctx.config.dashboard.maxMonths;
  if (monthsBetween(asked.from, asked.until).length > maxMonths) throw badInput('filter.from', `filter.from: a period spans at most ${maxMonths} months.`);
  const bucket = filter?.bucket ?? DashboardBucket.QUARTER;
  // Whole buckets, so that every bucket shown is a whole month, quarter or school year (up to
  // today): a partial bucket would be one more overlapping count to subtract.
  const whole = snapToBuckets(asked.from, asked.until, bucket);
  const from = whole.from;
  const until = whole.until < today ? whole.until : today;
  const plan: DashboardPlan = { from, until, bucket, breakdown: filter?.breakdown ?? DashboardBreakdown.PARTNERSHIP };
  return {
    plan, from, until, today, bucket: plan.bucket, breakdown: plan.breakdown, smallCountThreshold: ctx.config.dashboard.smallCountK,
    intake: null, caseload: null, timeliness: null, results: null, privacy: null,
  };
}

/** One breakdown cell: its level, id and the key used in the tables. */
interface Scope {
  level: FigureScopeLevel;
  id: string | null;
  key: string;
}
const ALL: Scope = { level: FigureScopeLevel.ALL, id: null, key: 'ALL' };

/** The scope cells a row counts in: the whole scope, its windstreek and school, its team (or none). */
function scopesOf(row: FigureRow, withTeam: boolean): Scope[] {
  const scopes: Scope[] = [ALL];
  if (row.windstreek_id) scopes.push({ level: FigureScopeLevel.WINDSTREEK, id: row.windstreek_id, key: `W:${row.windstreek_id}` });
  if (row.school_id) scopes.push({ level: FigureScopeLevel.SCHOOL, id: row.school_id, key: `S:${row.school_id}` });
  if (withTeam) scopes.push(row.team_id ? { level: FigureScopeLevel.TEAM, id: row.team_id, key: `T:${row.team_id}` } : { level: FigureScopeLevel.NO_TEAM, id: null, key: 'T:-' });
  return scopes;
}

/** The scope levels a breakdown shows, besides ALL. */
function levelsShown(breakdown: DashboardBreakdown): FigureScopeLevel[] {
  switch (breakdown) {
    case DashboardBreakdown.PARTNERSHIP:
      return [];
    case DashboardBreakdown.WINDSTREEK:
      return [FigureScopeLevel.WINDSTREEK];
    case DashboardBreakdown.SCHOOL:
      return [FigureScopeLevel.SCHOOL];
    case DashboardBreakdown.TEAM:
      return [FigureScopeLevel.TEAM, FigureScopeLevel.NO_TEAM];
  }
}

/** Time cells: a bucket ('MONTH:2026-03', 'QUARTER:2026-Q1', 'SCHOOL_YEAR:2025/2026') or NOW. */
const NOW = 'NOW';
const timeKey = (size: DashboardBucket, label: string) => `${size}:${label}`;

/** A count table: values per cell key `measure|category|time|scope`, with what each key stands for. */
class CountTable {
  readonly values = new Map<string, number>();
  /** The windstreek of each school, as the rows say. */
  readonly windstreekOf = new Map<string, string>();
  readonly cells = new Map<string, { measure: DashboardMeasure; category: string | null; time: string; scope: Scope }>();

  add(measure: DashboardMeasure, category: string | null, time: string, scope: Scope, n: number): void {
    const key = `${measure}|${category ?? ''}|${time}|${scope.key}`;
    this.values.set(key, (this.values.get(key) ?? 0) + n);
    if (!this.cells.has(key)) this.cells.set(key, { measure, category, time, scope });
  }

  key(measure: DashboardMeasure, category: string | null, time: string, scope: Scope): string {
    return `${measure}|${category ?? ''}|${time}|${scope.key}`;
  }

  value(key: string): number {
    return this.values.get(key) ?? 0;
  }
}

/**
 * The sum relations of a protected count table: per measure, category and time, the whole
 * scope = its windstreken = its teams (and the cases without one), a windstreek = its schools;
 * per measure, category and scope, a quarter and a school year = their months (FLOW only).
 * Between measures, per scope: the cases with a team plus those waiting for one are the
 * running cases from acceptance on; the running cases of the current month's end are today's.
 */
function relationsOf(table: CountTable, flows: Set<DashboardMeasure>, currentMonth: string): SumRelation[] {
  const byParent = new Map<string, Set<string>>();
  const link = (parent: string, child: string) => {
    if (!byParent.has(parent)) byParent.set(parent, new Set());
    byParent.get(parent)!.add(child);
  };
  for (const [key, cell] of table.cells) {
    const { measure, category, time, scope } = cell;
    if (scope.level === FigureScopeLevel.WINDSTREEK) link(`${table.key(measure, category, time, ALL)}#geo`, key);
    if (scope.level === FigureScopeLevel.TEAM || scope.level === FigureScopeLevel.NO_TEAM) link(`${table.key(measure, category, time, ALL)}#team`, key);
    const windstreek = scope.level === FigureScopeLevel.SCHOOL ? table.windstreekOf.get(scope.id!) : undefined;
    if (windstreek) link(`${table.key(measure, category, time, { level: FigureScopeLevel.WINDSTREEK, id: windstreek, key: `W:${windstreek}` })}#geo`, key);
    if (flows.has(measure) && time.startsWith(`${DashboardBucket.MONTH}:`)) {
      const month = `${time.slice(DashboardBucket.MONTH.length + 1)}-01`;
      for (const size of [DashboardBucket.QUARTER, DashboardBucket.SCHOOL_YEAR]) {
        link(`${table.key(measure, category, timeKey(size, bucketOf(month, size).label), scope)}#time`, key);
      }
    }
  }
  const relations = [...byParent].map(([parent, children]) => ({ parent: parent.slice(0, parent.lastIndexOf('#')), children: [...children] }));
  const scopes = new Map([...table.cells.values()].map((c) => [c.scope.key, c.scope]));
  for (const scope of scopes.values()) {
    const running = (phase: string, time = NOW) => table.key(DashboardMeasure.RUNNING, phase, time, scope);
    relations.push({
      parent: table.key(DashboardMeasure.ASSIGNED, null, NOW, scope),
      children: [table.key(DashboardMeasure.WAITING_FOR_TEAM, null, NOW, scope), ...CARRIED_PHASES.map((p) => running(p))],
    });
    for (const phase of ACTIVE_PHASES) {
      relations.push({ parent: running(phase), children: [table.key(DashboardMeasure.RUNNING_AT_MONTH_END, phase, timeKey(DashboardBucket.MONTH, currentMonth), scope)] });
    }
  }
  return relations;
}

/** The figure group `group` for the caller, or null when they may count nothing in it. */
export async function figureGroup(ctx: Context, plan: DashboardPlan, group: FigureGroupKey): Promise<FigureGroup | null> {
  const k = ctx.config.dashboard.smallCountK;
  const statement = groupStatement(ctx, { group, from: plan.from, until: plan.until, bucket: plan.bucket, breakdown: plan.breakdown });
  if (!statement) return null;
  const [sql, parameters] = unscoped(ctx, 'escaping the group statement, whose every branch carries the aggregate rules (dashboard.sql.ts)').driver.escapeQueryWithParameters(statement.sql, statement.params);
  const rows: FigureRow[] = await unscoped(ctx, 'the group statement: filtered by the aggregate rules translated to SQL in every branch (dashboard.sql.ts)').query(sql, parameters);

  const unreadable = new Map(rows.filter((r) => r.measure === 'PROTECTION').map((r) => [r.category!, Number(r.n)]));
  const measures = measuresOf(group).filter((m) => unreadable.has(basisOf(m)));
  const isProtected = (m: DashboardMeasure) => (unreadable.get(basisOf(m)) ?? 0) > 0;
  const protectedMeasures = measures.filter(isProtected);
  const anyProtected = protectedMeasures.length > 0;
  const buckets = bucketsBetween(plan.from, plan.until, plan.bucket);
  const shownLevels = new Set([FigureScopeLevel.ALL, ...levelsShown(plan.breakdown)]);
  const names = await namesFor(ctx, plan, rows);
  const cells: FigureCell[] = [];
  const cell = (measure: DashboardMeasure, category: string | null, bucket: Bucket | null, scope: Scope, values: Partial<FigureCell>): FigureCell => ({
    measure, kind: kindOf(measure), category, bucket: bucket?.label ?? null, bucketStart: bucket?.start ?? null, scopeLevel: scope.level, scopeId: scope.id,
    scopeName: scopeName(scope, names), count: null, value: null, p90: null, n: null, norm: null, suppressed: false, ...values,
  });

  // Counts: one table per request, summed from the month rows; protected measures suppressed over the whole table.
  const table = new CountTable();
  const flows = new Set<DashboardMeasure>();
  for (const row of rows) {
    const measure = row.measure as DashboardMeasure;
    const spec = MEASURES[measure];
    if (!spec || spec.kind !== 'COUNT') continue;
    const n = Number(row.n);
    if (row.school_id && row.windstreek_id) table.windstreekOf.set(row.school_id, row.windstreek_id);
    const scopes = scopesOf(row, BASES_WITH_TEAM.has(spec.basis));
    const times: string[] = [];
    if (spec.temporal === 'NOW') times.push(NOW);
    else {
      const month = String(row.month).slice(0, 10);
      if (spec.temporal === 'FLOW') flows.add(measure);
      times.push(timeKey(DashboardBucket.MONTH, month.slice(0, 7)));
      if (spec.temporal === 'FLOW') for (const size of [DashboardBucket.QUARTER, DashboardBucket.SCHOOL_YEAR]) times.push(timeKey(size, bucketOf(month, size).label));
    }
    for (const time of times) for (const scope of scopes) table.add(measure, row.category, time, scope, n);
  }
  const suppressed = anyProtected ? suppressedCells(protectedValues(table, isProtected), relationsOf(table, flows, ctx.today.slice(0, 7)), k) : new Set<string>();

  // The value of a count cell for the request: a bucket, the whole period, or now.
  const countAt = (measure: DashboardMeasure, category: string | null, bucket: Bucket | null, scope: Scope): { count: number; suppressed: boolean } => {
    const spec = MEASURES[measure] as { temporal: string };
    if (spec.temporal === 'NOW') {
      const key = table.key(measure, category, NOW, scope);
      return { count: table.value(key), suppressed: suppressed.has(key) };
    }
    if (spec.temporal === 'STOCK') {
      // A stock shows its last month in the bucket (or in the period).
      const last = monthsBetween(bucket?.start ?? plan.from, bucket && bucket.end < plan.until ? bucket.end : plan.until).pop()!;
      const key = table.key(measure, category, timeKey(DashboardBucket.MONTH, last.slice(0, 7)), scope);
      return { count: table.value(key), suppressed: suppressed.has(key) };
    }
    if (bucket) {
      const key = table.key(measure, category, timeKey(plan.bucket, bucket.label), scope);
      return { count: table.value(key), suppressed: suppressed.has(key) };
    }
    // The whole period: the sum of its buckets; suppressed when one of them is (it then adds nothing a caller could subtract).
    const parts = buckets.map((b) => countAt(measure, category, b, scope));
    return { count: parts.reduce((sum, p) => sum + p.count, 0), suppressed: parts.some((p) => p.suppressed) };
  };

  // Each measure's categories and shown scopes, indexed in one pass over the table (not one pass per measure and category).
  const categoriesByMeasure = new Map<DashboardMeasure, Set<string | null>>();
  const scopesByMeasure = new Map<DashboardMeasure, Map<string, Scope>>();
  for (const c of table.cells.values()) {
    if (!categoriesByMeasure.has(c.measure)) categoriesByMeasure.set(c.measure, new Set());
    categoriesByMeasure.get(c.measure)!.add(c.category);
    if (!scopesByMeasure.has(c.measure)) scopesByMeasure.set(c.measure, new Map([[ALL.key, ALL]]));
    if (shownLevels.has(c.scope.level)) scopesByMeasure.get(c.measure)!.set(c.scope.key, c.scope);
  }
  const categoriesOf = (measure: DashboardMeasure) => [...(categoriesByMeasure.get(measure) ?? [])];
  const scopesShown = (measure: DashboardMeasure) => [...(scopesByMeasure.get(measure)?.values() ?? [ALL])];
  for (const measure of measures) {
    const spec = MEASURES[measure];
    if (spec.kind === 'COUNT') {
      const times: Array<Bucket | null> = spec.temporal === 'NOW' ? [null] : [...buckets, null];
      const categories = categoriesOf(measure);
      // A measure without categories and nothing to count still says 0 for the whole scope.
      if (categories.length === 0 && !spec.category && spec.temporal !== 'STOCK') categories.push(null);
      for (const category of categories) {
        for (const scope of scopesShown(measure)) {
          for (const bucket of times) {
            const at = countAt(measure, category, bucket, scope);
            // Sparse breakdowns: a windstreek, school or team with nothing to count has no cell (0).
            if (!at.suppressed && at.count === 0 && scope.level !== FigureScopeLevel.ALL) continue;
            cells.push(cell(measure, category, bucket, scope, at.suppressed ? { suppressed: true } : { count: at.count }));
          }
        }
      }
    } else if (spec.kind === 'SHARE') {
      const denominatorSpec = MEASURES[spec.denominator] as { temporal: string };
      const times: Array<Bucket | null> = denominatorSpec.temporal === 'NOW' ? [null] : [...buckets, null];
      for (const category of categoriesOf(spec.denominator)) {
        for (const scope of scopesShown(spec.denominator)) {
          for (const bucket of times) {
            const den = countAt(spec.denominator, category, bucket, scope);
            if (den.count === 0 && !den.suppressed) continue;
            const num = countAt(spec.numerator, category, bucket, scope);
            if (!isProtected(measure)) {
              cells.push(cell(measure, category, bucket, scope, { value: Math.round((1000 * num.count) / den.count) / 10, n: den.count }));
            } else if (shareShown(num.count, den.count, k, num.suppressed, den.suppressed)) {
              cells.push(cell(measure, category, bucket, scope, { value: protectedPercentage(num.count, den.count), n: den.count }));
            } else cells.push(cell(measure, category, bucket, scope, { suppressed: true }));
          }
        }
      }
    }
  }

  // Durations, means and loads: computed per requested bucket and breakdown in SQL.
  for (const row of rows) {
    const measure = row.measure as DashboardMeasure;
    const spec = MEASURES[measure];
    if (!spec || spec.kind === 'COUNT' || spec.kind === 'SHARE') continue;
    const scope = levelScope(row);
    if (!shownLevels.has(scope.level) && spec.kind !== 'LOAD') continue;
    const bucket = row.bucket ? buckets.find((b) => b.label === row.bucket) ?? null : null;
    if (row.bucket && !bucket) continue;
    const n = Number(row.n);
    if (spec.kind === 'LOAD') {
      // A load is a weighted sum of the team's running cases per phase: with protection it is
      // shown only when each of those counts is (then it tells nothing they do not).
      const parts = CARRIED_PHASES.map((phase) => table.key(DashboardMeasure.RUNNING, phase, NOW, scope));
      const hidden = isProtected(measure) && (isSmallCount(n, k) || parts.some((key) => suppressed.has(key)));
      cells.push(cell(measure, null, null, scope, hidden ? { suppressed: true, norm: row.norm } : { value: round(row.value), n, norm: row.norm }));
      continue;
    }
    const norm = spec.kind === 'DURATION' ? spec.norm(ctx.config) : null;
    // Medians, percentiles and means only over at least k values; with protection their n,
    // a count that other figures could pin down, is not shown.
    if (isProtected(measure) && n < k) cells.push(cell(measure, row.category, bucket, scope, { suppressed: true, norm }));
    else cells.push(cell(measure, row.category, bucket, scope, { value: round(row.value), p90: row.p90 === null ? null : round(row.p90), n: isProtected(measure) ? null : n, norm }));
  }
  return { measures, protected: anyProtected, protectedMeasures, cells };
}

/** Bases whose rows have a team (trajectories and their records): the team breakdown applies. */
const BASES_WITH_TEAM = new Set(['Trajectory', 'FollowUp', 'ExitQuestionnaire', 'Escalation', 'Complaint']);

const round = (x: number | null) => (x === null ? null : Math.round(Number(x) * 10) / 10);

function kindOf(measure: DashboardMeasure): FigureKind {
  return FigureKind[MEASURES[measure].kind];
}

/** The table of the protected measures only (exact ones need no protection). */
function protectedValues(table: CountTable, isProtected: (m: DashboardMeasure) => boolean): Map<string, number> {
  const values = new Map<string, number>();
  for (const [key, cell] of table.cells) if (isProtected(cell.measure)) values.set(key, table.value(key));
  return values;
}

/** The scope of a DURATION, MEAN or LOAD row, from its level and breakdown columns. */
function levelScope(row: FigureRow): Scope {
  switch (row.level) {
    case 'WINDSTREEK':
      return { level: FigureScopeLevel.WINDSTREEK, id: row.windstreek_id, key: `W:${row.windstreek_id}` };
    case 'SCHOOL':
      return { level: FigureScopeLevel.SCHOOL, id: row.school_id, key: `S:${row.school_id}` };
    case 'TEAM':
      return row.team_id ? { level: FigureScopeLevel.TEAM, id: row.team_id, key: `T:${row.team_id}` } : { level: FigureScopeLevel.NO_TEAM, id: null, key: 'T:-' };
    default:
      return ALL;
  }
}

function scopeName(scope: Scope, names: Map<string, string>): string {
  if (scope.level === FigureScopeLevel.ALL) return 'Totaal';
  if (scope.level === FigureScopeLevel.NO_TEAM) return 'Nog geen team';
  return names.get(scope.id!) ?? scope.id!;
}

/**
 * Names of the windstreken, schools and teams the rows mention, read once per request.
 * NOTE: read without the ability: structure names only, of the ids in the caller's own figures.
 */
async function namesFor(ctx: Context, plan: DashboardPlan, rows: FigureRow[]): Promise<Map<string, string>> {
  if (!rows.some((r) => r.windstreek_id || r.school_id || r.team_id)) return new Map();
  plan.names ??= unscoped(ctx, 'structure names (windstreek, school, team) of the ids in the caller\'s own figures')
    .query(
      `SELECT id, name FROM windstreek WHERE partnership_id = $1 UNION ALL SELECT id, name FROM school WHERE partnership_id = $1
       UNION ALL SELECT id, name FROM topteam WHERE partnership_id = $1`,
      [ctx.actor.partnershipId],
    )
    .then((named: Array<{ id: string; name: string }>) => new Map(named.map((r) => [r.id, r.name])));
  return plan.names;
}
