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
import { Kind, OperationDefinitionNode } from 'graphql';
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

/**
 * The planner's choice for the group statements: no nested loops, for the rest of the request's
 * transaction. A group statement joins a record to its case and, through the caller's rules, to
 * that case again; PostgreSQL 18 merges the two, and row-level security's condition (which
 * serves no index) leaves it estimating 2 rows where a partnership has a thousand: it then
 * loops over every case of the partnership for every record. At national scale, one request at
 * a time, EXPLAIN ANALYZE of the four groups of the analyst's dashboard: intake 136 → 60 ms,
 * caseload 215 → 210, timeliness 166 → 141, results 508 → 148 without nested loops. Only where
 * the dashboard is the operation's only root field (besides `__typename`): a setting of the
 * transaction would reach any other root field's statements too. The answer is the same either
 * way; only the plans differ.
 */
export async function planForFigures(ctx: Context, operation: OperationDefinitionNode): Promise<void> {
  const roots = operation.selectionSet.selections.filter((s) => !(s.kind === Kind.FIELD && s.name.value === '__typename'));
  if (roots.length !== 1 || roots[0].kind !== Kind.FIELD) return;
  await unscoped(ctx, 'a planner setting of the dashboard request\'s own transaction: reads no rows').query('SET LOCAL enable_nestloop = off');
}

/** One breakdown cell: its level, id and the key used in the tables. */
interface Scope {
  level: FigureScopeLevel;
  id: string | null;
  key: string;
}
const ALL: Scope = { level: FigureScopeLevel.ALL, id: null, key: 'ALL' };

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

/** A cell of a count table: what its key stands for, and its value. */
interface CountCell {
  measure: DashboardMeasure;
  category: string | null;
  time: string;
  scope: Scope;
  /** The key without its scope (`measure|category|time|`), shared by the cells of every scope. */
  prefix: string;
  value: number;
}

/**
 * A count table: cells per key `measure|category|time|scope`. A partnership's protected table
 * has tens of thousands of cells, built from every month row: each key is built from a prefix
 * made once per row and time, and looked up once.
 */
class CountTable {
  readonly cells = new Map<string, CountCell>();
  /** The windstreek of each school, as the rows say. */
  readonly windstreekOf = new Map<string, string>();

  add(prefix: string, measure: DashboardMeasure, category: string | null, time: string, scope: Scope, n: number): void {
    const key = prefix + scope.key;
    const cell = this.cells.get(key);
    if (cell) cell.value += n;
    else this.cells.set(key, { measure, category, time, scope, prefix, value: n });
  }

  key(measure: DashboardMeasure, category: string | null, time: string, scope: Scope): string {
    return `${measureTimePrefix(measure, category, time)}${scope.key}`;
  }

  value(key: string): number {
    return this.cells.get(key)?.value ?? 0;
  }
}

/** A key's part before its scope. */
const measureTimePrefix = (measure: DashboardMeasure, category: string | null, time: string) => `${measure}|${category ?? ''}|${time}|`;

/** The scope cells of the rows, made once per id (a table adds each row to several). */
class Scopes {
  private readonly made = new Map<string, Scope>();

  private of(level: FigureScopeLevel, id: string | null, key: string): Scope {
    let scope = this.made.get(key);
    if (!scope) this.made.set(key, (scope = { level, id, key }));
    return scope;
  }

  windstreek(id: string): Scope {
    return this.of(FigureScopeLevel.WINDSTREEK, id, `W:${id}`);
  }

  school(id: string): Scope {
    return this.of(FigureScopeLevel.SCHOOL, id, `S:${id}`);
  }

  team(id: string | null): Scope {
    return id ? this.of(FigureScopeLevel.TEAM, id, `T:${id}`) : this.of(FigureScopeLevel.NO_TEAM, null, 'T:-');
  }

  /** The scope cells a row counts in: the whole scope, its windstreek and school, its team (or none). */
  ofRow(row: FigureRow, withTeam: boolean): Scope[] {
    const scopes: Scope[] = [ALL];
    if (row.windstreek_id) scopes.push(this.windstreek(row.windstreek_id));
    if (row.school_id) scopes.push(this.school(row.school_id));
    if (withTeam) scopes.push(this.team(row.team_id));
    return scopes;
  }
}

/** The time keys of a month ('YYYY-MM-DD'): its month, and its quarter and school year. */
class MonthTimes {
  private readonly made = new Map<string, { month: string; wider: string[] }>();

  of(month: string): { month: string; wider: string[] } {
    let times = this.made.get(month);
    if (!times) {
      times = {
        month: timeKey(DashboardBucket.MONTH, month.slice(0, 7)),
        wider: [DashboardBucket.QUARTER, DashboardBucket.SCHOOL_YEAR].map((size) => timeKey(size, bucketOf(month, size).label)),
      };
      this.made.set(month, times);
    }
    return times;
  }
}

/**
 * The sum relations of a protected count table: per measure, category and time, the whole
 * scope = its windstreken = its teams (and the cases without one), a windstreek = its schools;
 * per measure, category and scope, a quarter and a school year = their months (FLOW only).
 * Between measures, per scope: the cases with a team plus those waiting for one are the
 * running cases from acceptance on; the running cases of the current month's end are today's.
 * In the order their first member appears in the table (the greedy suppression depends on it).
 */
function relationsOf(table: CountTable, flows: Set<DashboardMeasure>, currentMonth: string, scopes: Scopes, times: MonthTimes): SumRelation[] {
  const relations: SumRelation[] = [];
  /** Per kind of sum (geography, teams, time), the relation of each parent key. */
  const byParent = { geo: new Map<string, SumRelation>(), team: new Map<string, SumRelation>(), time: new Map<string, SumRelation>() };
  const link = (kind: keyof typeof byParent, parent: string, child: string) => {
    let relation = byParent[kind].get(parent);
    if (!relation) {
      relation = { parent, children: [] };
      byParent[kind].set(parent, relation);
      relations.push(relation);
    }
    // A child is added once: the table's keys are distinct, and each cell links once per kind.
    relation.children.push(child);
  };
  for (const [key, cell] of table.cells) {
    const { measure, time, scope, prefix } = cell;
    if (scope.level === FigureScopeLevel.WINDSTREEK) link('geo', prefix + ALL.key, key);
    if (scope.level === FigureScopeLevel.TEAM || scope.level === FigureScopeLevel.NO_TEAM) link('team', prefix + ALL.key, key);
    const windstreek = scope.level === FigureScopeLevel.SCHOOL ? table.windstreekOf.get(scope.id!) : undefined;
    if (windstreek) link('geo', prefix + scopes.windstreek(windstreek).key, key);
    if (flows.has(measure) && time.startsWith(`${DashboardBucket.MONTH}:`)) {
      const month = `${time.slice(DashboardBucket.MONTH.length + 1)}-01`;
      for (const wider of times.of(month).wider) link('time', `${measureTimePrefix(measure, cell.category, wider)}${scope.key}`, key);
    }
  }
  const shown = new Map([...table.cells.values()].map((c) => [c.scope.key, c.scope]));
  for (const scope of shown.values()) {
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
  const statement = groupStatement(ctx, { group, from: plan.from, until: plan.until, bucket: plan.bucket, breakdown: plan.breakdown });
  if (!statement) return null;
  const [sql, parameters] = unscoped(ctx, 'escaping the group statement, whose every branch carries the aggregate rules (dashboard.sql.ts)').driver.escapeQueryWithParameters(statement.sql, statement.params);
  const rows: FigureRow[] = await unscoped(ctx, 'the group statement: filtered by the aggregate rules translated to SQL in every branch (dashboard.sql.ts)').query(sql, parameters);
  const names = await namesFor(ctx, plan, rows);
  return figuresOf(group, plan, rows, names, { config: ctx.config, today: ctx.today });
}

/** A row's identity in its statement: what it counts, when, where. */
const rowKey = (r: FigureRow) => `${r.measure}|${r.category ?? ''}|${r.month ?? ''}|${r.bucket ?? ''}|${r.level ?? ''}|${r.windstreek_id ?? ''}|${r.school_id ?? ''}|${r.team_id ?? ''}`;

/**
 * The figure group from its statement's rows and the names of the places they mention. The rows
 * are taken in the order of their keys, not in PostgreSQL's (which a plan may change from one
 * execution to the next): the greedy complementary suppression follows the table's order, and
 * the same data must give the same suppressed cells in every request, and the same answer.
 */
export function figuresOf(group: FigureGroupKey, plan: DashboardPlan, statementRows: FigureRow[], names: Map<string, string>, at: { config: Context['config']; today: string }): FigureGroup {
  const k = at.config.dashboard.smallCountK;
  const keys = new Map(statementRows.map((r) => [r, rowKey(r)]));
  const rows = [...statementRows].sort((a, b) => {
    const x = keys.get(a)!;
    const y = keys.get(b)!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const unreadable = new Map(rows.filter((r) => r.measure === 'PROTECTION').map((r) => [r.category!, Number(r.n)]));
  const measures = measuresOf(group).filter((m) => unreadable.has(basisOf(m)));
  const isProtected = (m: DashboardMeasure) => (unreadable.get(basisOf(m)) ?? 0) > 0;
  const protectedMeasures = measures.filter(isProtected);
  const anyProtected = protectedMeasures.length > 0;
  const buckets = bucketsBetween(plan.from, plan.until, plan.bucket);
  const shownLevels = new Set([FigureScopeLevel.ALL, ...levelsShown(plan.breakdown)]);
  const cells: FigureCell[] = [];
  const cell = (measure: DashboardMeasure, category: string | null, bucket: Bucket | null, scope: Scope, values: Partial<FigureCell>): FigureCell => ({
    measure, kind: kindOf(measure), category, bucket: bucket?.label ?? null, bucketStart: bucket?.start ?? null, scopeLevel: scope.level, scopeId: scope.id,
    scopeName: scopeName(scope, names), count: null, value: null, p90: null, n: null, norm: null, suppressed: false, ...values,
  });

  // Counts: one table per request, summed from the month rows; protected measures suppressed over the whole table.
  const table = new CountTable();
  const flows = new Set<DashboardMeasure>();
  const scopeCells = new Scopes();
  const monthTimes = new MonthTimes();
  for (const row of rows) {
    const measure = row.measure as DashboardMeasure;
    const spec = MEASURES[measure];
    if (!spec || spec.kind !== 'COUNT') continue;
    const n = Number(row.n);
    if (row.school_id && row.windstreek_id) table.windstreekOf.set(row.school_id, row.windstreek_id);
    const scopes = scopeCells.ofRow(row, BASES_WITH_TEAM.has(spec.basis));
    let times: string[];
    if (spec.temporal === 'NOW') times = [NOW];
    else {
      const month = monthTimes.of(String(row.month).slice(0, 10));
      if (spec.temporal === 'FLOW') {
        flows.add(measure);
        times = [month.month, ...month.wider];
      } else times = [month.month];
    }
    for (const time of times) {
      const prefix = measureTimePrefix(measure, row.category, time);
      for (const scope of scopes) table.add(prefix, measure, row.category, time, scope, n);
    }
  }
  const suppressed = anyProtected
    ? suppressedCells(protectedValues(table, isProtected), relationsOf(table, flows, at.today.slice(0, 7), scopeCells, monthTimes), k)
    : new Set<string>();

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
    const norm = spec.kind === 'DURATION' ? spec.norm(at.config) : null;
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
  for (const [key, cell] of table.cells) if (isProtected(cell.measure)) values.set(key, cell.value);
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
