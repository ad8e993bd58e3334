/**
 * One figure group → one SQL statement. Every measure of the group is a branch of one
 * `UNION ALL`, each a `GROUP BY` over its basis table restricted by the caller's `aggregate`
 * rules for the group (translated by src/authz/accessible.ts, like every read), so no row
 * outside the caller's scope is counted and no row leaves the database: what comes back are
 * counts per month, category, school and team (bounded by the structure and the calendar, not
 * by the number of trajectories), and per requested bucket and breakdown for medians and means.
 *
 * Besides the figures, each basis table of the group gets one `PROTECTION` row: how many of
 * the rows the caller may count they may not read. Zero means exact figures; otherwise small
 * counts are suppressed (./suppression.ts).
 *
 * NOTE: this statement reads with `ctx.dataSource.query`, not through `accessibleQuery`; the
 * permission filter is still the rules translator's (`accessibleFieldWhere` for the
 * `aggregate` action and the group), applied to every branch.
 */
import { subject } from '@casl/ability';
import { accessibleFieldWhere, accessibleWhere, conditionWhere, SqlFragment } from '../../authz/accessible';
import type { FigureGroupKey } from '../../authz/rules/aggregate.rules';
import { ACTIVE_PHASES, Phase } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { consentExpired, consentHolds } from '../../authz/consent-holds';
import { Consent } from '../consents/consent.entity';
import { matchesAgeRuleSql } from '../consents/consent.service';
import { Topteam } from '../topteams/topteam.entity';
import { phaseBeganOnSql } from '../trajectories/workflow/phase-norms';
import { DashboardBreakdown } from './dashboard.types';
import {
  Basis, BASES, BasisName, CARRIED_PHASES, CountMeasure, DashboardMeasure, DurationMeasure, local, MeanMeasure, MEASURES, measuresOf, samePartnership, SqlHelpers,
} from './measures';
import { bucketLabelSql, DashboardBucket } from './periods';

/** One row of a group's statement. */
export interface FigureRow {
  measure: string;
  category: string | null;
  /** FLOW and STOCK counts: the month (first day). */
  month: string | null;
  windstreek_id: string | null;
  school_id: string | null;
  team_id: string | null;
  n: number;
  value: number | null;
  p90: number | null;
  norm: number | null;
  /** DURATION and MEAN: the bucket label, null for the whole period. */
  bucket: string | null;
  /** DURATION, MEAN and LOAD: the scope level of the row (ALL, WINDSTREEK, SCHOOL, TEAM). */
  level: string | null;
}

/** What a group's statement covers. */
export interface GroupQuery {
  group: FigureGroupKey;
  from: string;
  until: string;
  bucket: DashboardBucket;
  breakdown: DashboardBreakdown;
}

const COLUMNS = 'measure, category, month, windstreek_id, school_id, team_id, n, value, p90, norm, bucket, level';

/** Collects named parameters and gives every translated fragment its own prefix. */
class Statement {
  readonly params: Record<string, unknown> = {};
  private prefixes = 0;

  constructor(readonly ctx: Context) {}

  /** A fragment's SQL, its parameters merged in. */
  use(fragment: SqlFragment): string {
    Object.assign(this.params, fragment.params);
    return fragment.sql;
  }

  prefix(): string {
    return `f${this.prefixes++}_`;
  }

  /** The caller's `aggregate` scope of `basis` for `group` over `alias`; null: nothing to count. */
  scope(basis: BasisName, group: FigureGroupKey, alias: string): string | null {
    const where = accessibleFieldWhere(this.ctx.ability, 'aggregate', BASES[basis].entity, group, alias, this.ctx.dataSource, this.prefix());
    return where && this.use(where);
  }

  /**
   * Whether the caller may read the row `alias` of `basis`: their `read` rules (of the basis's
   * `countedField` where it has one). The privacy group's trajectories are the rows
   * `trajectoriesLackingConsent` lists, which whoever `supervise`s the partnership reads.
   */
  readable(basis: BasisName, group: FigureGroupKey, alias: string): string {
    if (group === 'privacy' && basis === 'Trajectory') {
      const partnership = subject('Partnership', { id: this.ctx.actor.partnershipId, partnershipId: this.ctx.actor.partnershipId });
      return this.ctx.ability.can('supervise', partnership as never) ? 'TRUE' : 'FALSE';
    }
    const { entity, countedField } = BASES[basis] as Basis;
    const where = countedField
      ? accessibleFieldWhere(this.ctx.ability, 'read', entity, countedField, alias, this.ctx.dataSource, this.prefix())
      : accessibleWhere(this.ctx.ability, 'read', entity, alias, this.ctx.dataSource, this.prefix());
    return where ? `COALESCE(${this.use(where)}, FALSE)` : 'FALSE';
  }

  readonly helpers: SqlHelpers = {
    holds: (c) => this.use(conditionWhere(this.ctx.dataSource, Consent, consentHolds(this.ctx.today), c, this.prefix())),
    expired: (c) => this.use(conditionWhere(this.ctx.dataSource, Consent, consentExpired(this.ctx.today), c, this.prefix())),
    matchesAgeRule: (c, s) => matchesAgeRuleSql(c, s),
    partnership: 'CAST(:partnership AS uuid)',
  };
}

/** The FROM clause of a basis row `a` and its breakdown columns (school's windstreek, school, team). */
function source(basis: BasisName, a: string): { from: string; w: string; s: string; t: string } {
  const { table, reach } = BASES[basis];
  switch (reach) {
    case 'trajectory':
      return { from: `"${table}" "${a}" JOIN "school" "${a}_sc" ON "${a}_sc"."id" = "${a}"."school_id"`, w: `"${a}_sc"."windstreek_id"`, s: `"${a}"."school_id"`, t: `"${a}"."team_id"` };
    case 'record':
      return {
        from: `"${table}" "${a}" JOIN "trajectory" "${a}_tr" ON "${a}_tr"."id" = "${a}"."trajectory_id" AND ${samePartnership(`${a}_tr`, a)}
          JOIN "school" "${a}_sc" ON "${a}_sc"."id" = "${a}_tr"."school_id"`,
        w: `"${a}_sc"."windstreek_id"`, s: `"${a}_tr"."school_id"`, t: `"${a}_tr"."team_id"`,
      };
    case 'consultation':
      return { from: `"${table}" "${a}" JOIN "school" "${a}_sc" ON "${a}_sc"."id" = "${a}"."school_id"`, w: `"${a}_sc"."windstreek_id"`, s: `"${a}"."school_id"`, t: 'NULL' };
    case 'student':
      return {
        from: `"${table}" "${a}" LEFT JOIN "student" "${a}_st" ON "${a}_st"."id" = "${a}"."student_id" LEFT JOIN "school" "${a}_sc" ON "${a}_sc"."id" = "${a}_st"."school_id"`,
        w: `"${a}_sc"."windstreek_id"`, s: `"${a}_st"."school_id"`, t: 'NULL',
      };
    case 'none':
      return { from: `"${table}" "${a}"`, w: 'NULL', s: 'NULL', t: 'NULL' };
  }
}

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** A count branch: per category, month (FLOW, STOCK), period flag and breakdown cell. */
function countBranch(st: Statement, q: GroupQuery, measure: DashboardMeasure, spec: CountMeasure, a: string): string | null {
  const scope = st.scope(spec.basis, q.group, a);
  if (scope === null) return null;
  const src = source(spec.basis, a);
  const where = [scope];
  if (spec.where) where.push(spec.where(a, st.helpers));
  let from = src.from + (spec.expand ? ` ${spec.expand(a)}` : '');
  let category = spec.category ? spec.category(a, st.helpers) : 'NULL';
  let month = 'NULL::date';
  if (spec.temporal === 'FLOW') {
    const date = spec.date!(a);
    where.push(`${date} IS NOT NULL`);
    month = `date_trunc('month', ${date})::date`;
  } else if (spec.temporal === 'STOCK') {
    // The phase at the end of each month of the period (for the current month: now), from
    // the last phase-carrying event before that instant. Only the months that can have an
    // active phase are looked at: none before the month of the trajectory's first such event
    // (no event before its end), none after the month of its last one when that one ended it
    // (every later month's end finds that event). A protected caller's table spans every month
    // with data, and most cases run for a few of them.
    from += ` CROSS JOIN LATERAL (SELECT min("${a}_f"."occurred_at") AS first_at FROM "trajectory_event" "${a}_f"
        WHERE "${a}_f"."trajectory_id" = "${a}"."id" AND "${a}_f"."to_phase" IS NOT NULL) "${a}_b"
      CROSS JOIN LATERAL (SELECT "${a}_l"."to_phase" AS phase, "${a}_l"."occurred_at" AS at FROM "trajectory_event" "${a}_l"
        WHERE "${a}_l"."trajectory_id" = "${a}"."id" AND "${a}_l"."to_phase" IS NOT NULL ORDER BY "${a}_l"."sequence" DESC LIMIT 1) "${a}_z"
      CROSS JOIN LATERAL (SELECT m::date AS month FROM generate_series(
          GREATEST(date_trunc('month', CAST(:from AS date)), date_trunc('month', "${a}_b".first_at AT TIME ZONE 'Europe/Amsterdam')),
          CASE WHEN "${a}_z".phase IN (${quoted(ACTIVE_PHASES)}) THEN CAST(:until AS date)
               ELSE LEAST(CAST(:until AS date), ("${a}_z".at AT TIME ZONE 'Europe/Amsterdam')::date) END,
          interval '1 month') m) "${a}_m"
      CROSS JOIN LATERAL (SELECT "${a}_e"."to_phase" AS phase FROM "trajectory_event" "${a}_e"
        WHERE "${a}_e"."trajectory_id" = "${a}"."id" AND "${a}_e"."to_phase" IS NOT NULL
          AND "${a}_e"."occurred_at" < LEAST((("${a}_m".month + interval '1 month')::timestamp AT TIME ZONE 'Europe/Amsterdam'),
                                             ((CAST(:until AS date) + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'), CAST(:now AS timestamptz))
        ORDER BY "${a}_e"."sequence" DESC LIMIT 1) "${a}_p"`;
    where.push(`"${a}_p".phase IN (${quoted(ACTIVE_PHASES)})`);
    category = `"${a}_p".phase::text`;
    month = `"${a}_m".month`;
  }
  return `SELECT '${measure}'::text AS measure, (${category})::text AS category, ${month} AS month,
      ${src.w}::uuid AS windstreek_id, ${src.s}::uuid AS school_id, ${src.t}::uuid AS team_id, count(*)::int AS n,
      NULL::float8 AS value, NULL::float8 AS p90, NULL::float8 AS norm, NULL::text AS bucket, NULL::text AS level
    FROM ${from} WHERE ${where.join(' AND ')} GROUP BY 2, 3, 4, 5, 6`;
}

/** The breakdown column of a distribution row set, and its level name. */
function breakdownColumn(breakdown: DashboardBreakdown): { column: string; level: string } | null {
  switch (breakdown) {
    case DashboardBreakdown.PARTNERSHIP:
      return null;
    case DashboardBreakdown.WINDSTREEK:
      return { column: 'w', level: 'WINDSTREEK' };
    case DashboardBreakdown.SCHOOL:
      return { column: 's', level: 'SCHOOL' };
    case DashboardBreakdown.TEAM:
      return { column: 't', level: 'TEAM' };
  }
}

/**
 * A distribution branch over `rows` (a subquery with measure, category, end_on, w, s, t, x):
 * per measure and category, per requested bucket and breakdown cell, and for the whole period
 * and scope: the count and either the median and 90th percentile (DURATION) or the mean.
 */
function distributionBranch(q: GroupQuery, rows: string, kind: 'DURATION' | 'MEAN'): string {
  const dim = breakdownColumn(q.breakdown);
  const sets = dim
    ? `(measure, category, bucket_label, ${dim.column}), (measure, category, bucket_label), (measure, category, ${dim.column}), (measure, category)`
    : '(measure, category, bucket_label), (measure, category)';
  const column = (name: 'w' | 's' | 't') => (dim?.column === name ? name : 'NULL');
  const values = kind === 'DURATION'
    ? 'percentile_cont(0.5) WITHIN GROUP (ORDER BY x)::float8 AS value, percentile_cont(0.9) WITHIN GROUP (ORDER BY x)::float8 AS p90'
    : 'avg(x)::float8 AS value, NULL::float8 AS p90';
  return `SELECT measure, category, NULL::date AS month,
      ${column('w')}::uuid AS windstreek_id, ${column('s')}::uuid AS school_id, ${column('t')}::uuid AS team_id, count(*)::int AS n, ${values},
      NULL::float8 AS norm, CASE WHEN grouping(bucket_label) = 0 THEN bucket_label END AS bucket,
      ${dim ? `CASE WHEN grouping(${dim.column}) = 0 THEN '${dim.level}' ELSE 'ALL' END` : `'ALL'`} AS level
    FROM (SELECT r.*, ${bucketLabelSql('r.end_on', q.bucket)} AS bucket_label FROM (${rows}) r
          WHERE r.end_on BETWEEN CAST(:from AS date) AND CAST(:until AS date)) d
    GROUP BY GROUPING SETS (${sets})`;
}

/**
 * The durations of the group's DURATION measures: phase-change intervals of every trajectory
 * in scope (events that change the phase, in recording order), paired into the intervals the
 * measures name. A phase that starts with a meeting (the assessment, the intensive phase, the
 * closure) begins on the meeting's day when it is stored, else on the day of the act
 * (`phaseBeganOnSql`).
 */
function durationRows(st: Statement, q: GroupQuery, measures: Array<[DashboardMeasure, DurationMeasure]>, a: string): string | null {
  const scope = st.scope('Trajectory', q.group, a);
  if (scope === null || measures.length === 0) return null;
  const src = source('Trajectory', a);
  const began = phaseBeganOnSql(`"${a}"`, `"${a}_e"."to_phase"::text`, local(`"${a}_e"."occurred_at"`));
  const iv = `SELECT "${a}"."id" AS id, ${src.w} AS w, ${src.s} AS s, ${src.t} AS t, "${a}_e"."to_phase"::text AS phase,
      ${began} AS entered_on,
      lead(${began}) OVER win AS left_on,
      (lead("${a}_e"."to_phase") OVER win)::text AS next_phase
    FROM ${src.from} JOIN "trajectory_event" "${a}_e" ON "${a}_e"."trajectory_id" = "${a}"."id" AND ${samePartnership(`${a}_e`, a)}
      AND "${a}_e"."to_phase" IS NOT NULL AND "${a}_e"."from_phase"::text IS DISTINCT FROM "${a}_e"."to_phase"::text
    WHERE ${scope}
    WINDOW win AS (PARTITION BY "${a}"."id" ORDER BY "${a}_e"."sequence")`;
  /** What follows each phase when it ran its normal course. */
  const NEXT: Partial<Record<string, Phase[]>> = {
    [Phase.ASSESSMENT]: [Phase.INTENSIVE, Phase.CLOSED],
    [Phase.INTENSIVE]: [Phase.CONSOLIDATION],
    [Phase.CONSOLIDATION]: [Phase.COMPLETED],
  };
  const parts = measures.map(([measure, spec]) => {
    const pick = (from: string, where: string) => `SELECT '${measure}'::text AS measure, NULL::text AS category, id, w, s, t, ${from} FROM iv WHERE ${where}`;
    switch (spec.interval) {
      case 'registrationToDecision':
        return `SELECT '${measure}'::text AS measure, NULL::text AS category, id, w, s, t,
            min(entered_on) FILTER (WHERE phase IN ('ACCEPTED', 'REFUSED')) AS end_on,
            min(entered_on) FILTER (WHERE phase IN ('ACCEPTED', 'REFUSED')) - min(entered_on) FILTER (WHERE phase = 'REQUESTED') AS x
          FROM iv GROUP BY id, w, s, t`;
      case 'decisionToStart':
        return pick('left_on AS end_on, left_on - entered_on AS x', `phase = 'ACCEPTED' AND next_phase = 'ASSESSMENT'`);
      default:
        return pick('left_on AS end_on, left_on - entered_on AS x', `phase = '${spec.interval}' AND next_phase IN (${quoted(NEXT[spec.interval]!)})`);
    }
  });
  return `WITH iv AS (${iv}) SELECT * FROM (${parts.join(' UNION ALL ')}) u WHERE end_on IS NOT NULL AND x IS NOT NULL`;
}

/** Rows of a MEAN measure: its basis rows in scope with category, date and value. */
function meanRows(st: Statement, q: GroupQuery, measure: DashboardMeasure, spec: MeanMeasure, a: string): string | null {
  const scope = st.scope(spec.basis, q.group, a);
  if (scope === null) return null;
  const src = source(spec.basis, a);
  return `SELECT '${measure}'::text AS measure, (${spec.category(a)})::text AS category, ${src.w} AS w, ${src.s} AS s, ${src.t} AS t,
      ${spec.date(a)} AS end_on, (${spec.value(a)})::float8 AS x
    FROM ${src.from} WHERE ${scope}`;
}

/** Per team in the caller's `aggregate` scope of Topteam: its load from the trajectories in scope, and its capacity. */
function loadBranch(st: Statement, q: GroupQuery, measure: DashboardMeasure, a: string): string | null {
  const teams = accessibleFieldWhere(st.ctx.ability, 'aggregate', Topteam, q.group, a, st.ctx.dataSource, st.prefix());
  const cases = st.scope('Trajectory', q.group, `${a}_x`);
  if (!teams || !cases) return null;
  const weights = st.ctx.config.caseload.weights;
  const weight = CARRIED_PHASES.map((phase) => {
    st.params[`weight_${phase}`] = weights[phase];
    return `WHEN '${phase}' THEN CAST(:weight_${phase} AS float8)`;
  }).join(' ');
  return `SELECT '${measure}'::text AS measure, NULL::text AS category, NULL::date AS month,
      "${a}"."windstreek_id" AS windstreek_id, NULL::uuid AS school_id, "${a}"."id" AS team_id, count("${a}_x"."id")::int AS n,
      COALESCE(sum(CASE "${a}_x"."phase" ${weight} END), 0)::float8 AS value, NULL::float8 AS p90, "${a}"."capacity"::float8 AS norm,
      NULL::text AS bucket, 'TEAM'::text AS level
    FROM "topteam" "${a}" LEFT JOIN "trajectory" "${a}_x" ON "${a}_x"."team_id" = "${a}"."id" AND ${samePartnership(`${a}_x`, a)} AND "${a}_x"."phase" IN (${quoted(CARRIED_PHASES)}) AND ${cases}
    WHERE ${st.use(teams)}
    GROUP BY "${a}"."id"`;
}

/** The PROTECTION row of a basis: how many rows in the caller's scope they may not read. */
function protectionBranch(st: Statement, q: GroupQuery, basis: BasisName, a: string): string | null {
  const scope = st.scope(basis, q.group, a);
  if (scope === null) return null;
  return `SELECT 'PROTECTION'::text AS measure, '${basis}'::text AS category, NULL::date AS month,
      NULL::uuid AS windstreek_id, NULL::uuid AS school_id, NULL::uuid AS team_id,
      count(*) FILTER (WHERE NOT ${st.readable(basis, q.group, a)})::int AS n,
      NULL::float8 AS value, NULL::float8 AS p90, NULL::float8 AS norm, NULL::text AS bucket, NULL::text AS level
    FROM "${BASES[basis].table}" "${a}" WHERE ${scope}`;
}

/** The group's statement, or null when the caller may count nothing in it. */
export function groupStatement(ctx: Context, q: GroupQuery): { sql: string; params: Record<string, unknown> } | null {
  const st = new Statement(ctx);
  Object.assign(st.params, { from: q.from, until: q.until, today: ctx.today, now: ctx.clock.now().toISOString(), partnership: ctx.actor.partnershipId });
  const measures = measuresOf(q.group);
  const branches: string[] = [];
  const bases = new Set<BasisName>();
  const durations: Array<[DashboardMeasure, DurationMeasure]> = [];
  measures.forEach((measure, i) => {
    const spec = MEASURES[measure];
    const a = `m${i}`;
    let branch: string | null = null;
    if (spec.kind === 'COUNT') branch = countBranch(st, q, measure, spec, a);
    else if (spec.kind === 'LOAD') branch = loadBranch(st, q, measure, a);
    else if (spec.kind === 'MEAN') {
      const rows = meanRows(st, q, measure, spec, a);
      branch = rows && distributionBranch(q, rows, 'MEAN');
    } else if (spec.kind === 'DURATION') durations.push([measure, spec]);
    if (branch) {
      branches.push(branch);
      if (spec.kind !== 'SHARE') bases.add(spec.basis);
    }
  });
  const durationSource = durationRows(st, q, durations, 'dur');
  if (durationSource) {
    branches.push(distributionBranch(q, durationSource, 'DURATION'));
    bases.add('Trajectory');
  }
  if (branches.length === 0) return null;
  [...bases].forEach((basis, i) => {
    const branch = protectionBranch(st, q, basis, `p${i}`);
    if (branch) branches.push(branch);
  });
  const sql = branches.map((b) => `SELECT ${COLUMNS} FROM (${b}) AS b`).join('\nUNION ALL\n');
  return { sql, params: st.params };
}
