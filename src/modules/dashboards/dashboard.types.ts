/**
 * The dashboard's GraphQL shape: one `dashboard(filter)` query, five figure groups, each a
 * flat list of cells a chart can draw directly (measure × category × bucket × scope).
 */
import { RevealsNothing } from '../../graphql/reads';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { DashboardBucket } from './periods';
import { DashboardMeasure } from './measures';

export enum DashboardBreakdown {
  PARTNERSHIP = 'PARTNERSHIP',
  WINDSTREEK = 'WINDSTREEK',
  SCHOOL = 'SCHOOL',
  TEAM = 'TEAM',
}
registerEnumType(DashboardBreakdown, {
  name: 'DashboardBreakdown',
  description: 'How figures are broken down (uitsplitsing): not at all (your whole scope, for the partnership staff the samenwerkingsverband), per windstreek, per school, or per Topteam (with the cases waiting for a team apart).',
});

export enum FigureScopeLevel {
  ALL = 'ALL',
  WINDSTREEK = 'WINDSTREEK',
  SCHOOL = 'SCHOOL',
  TEAM = 'TEAM',
  NO_TEAM = 'NO_TEAM',
}
registerEnumType(FigureScopeLevel, {
  name: 'FigureScopeLevel',
  description: 'What a cell covers: ALL (your whole aggregate scope), one windstreek, one school, one Topteam, or the cases without a team (nog geen team).',
});

export enum FigureKind {
  COUNT = 'COUNT',
  SHARE = 'SHARE',
  DURATION = 'DURATION',
  MEAN = 'MEAN',
  LOAD = 'LOAD',
}
registerEnumType(FigureKind, {
  name: 'FigureKind',
  description: 'COUNT: `count`. SHARE: `value` in whole percents. DURATION: `value` the median and `p90` the 90th percentile in days, `norm` the handbook\'s norm in days. MEAN: `value` the mean. LOAD: `value` a team\'s weighted load, `norm` its capacity. `n` is the number of rows behind a SHARE (the denominator), DURATION, MEAN or LOAD.',
});

@InputType({ description: 'Which figures: the period, its buckets and the breakdown (filter van het dashboard).' })
export class DashboardFilter {
  @RevealsNothing('the figures are governed per group by the aggregate rules and small-count protection, not by row fields')
  @Field(() => LocalDate, { nullable: true, description: 'First day of the period (vanaf); default: the start of the previous school year. With small-count protection it widens to the start of its bucket.' })
  from?: string;

  @RevealsNothing('the figures are governed per group by the aggregate rules and small-count protection, not by row fields')
  @Field(() => LocalDate, { nullable: true, description: 'Last day of the period (tot en met), not after today; default: today. With small-count protection it widens to the end of its bucket.' })
  until?: string;

  @RevealsNothing('the figures are governed per group by the aggregate rules and small-count protection, not by row fields')
  @Field(() => DashboardBucket, { nullable: true, description: 'Bucket size of the figures over time; default QUARTER.' })
  bucket?: DashboardBucket;

  @RevealsNothing('the figures are governed per group by the aggregate rules and small-count protection, not by row fields')
  @Field(() => DashboardBreakdown, { nullable: true, description: 'Breakdown; default PARTNERSHIP (no breakdown). Cells for your whole scope (ALL) come with every breakdown.' })
  breakdown?: DashboardBreakdown;
}

@ObjectType({ description: 'One number of a figure (cel): a measure, optionally a category, for one bucket (or now, or the whole period) and one scope.' })
export class FigureCell {
  @Field(() => DashboardMeasure, { description: 'What is measured (maat).' })
  measure: DashboardMeasure;

  @Field(() => FigureKind, { description: 'Which of the number fields carries the figure.' })
  kind: FigureKind;

  @Field(() => String, { nullable: true, description: 'The category within the measure (categorie), e.g. a phase, an outcome, a party; see the measure.' })
  category: string | null;

  @Field(() => String, { nullable: true, description: 'The bucket (periode): "2026-03", "2026-Q1" or "2025/2026"; null for a figure of today (stand van nu) or of the whole period.' })
  bucket: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'First day of the bucket; null with `bucket`.' })
  bucketStart: string | null;

  @Field(() => FigureScopeLevel, { description: 'What the cell covers.' })
  scopeLevel: FigureScopeLevel;

  @Field(() => ID, { nullable: true, description: 'The windstreek, school or team; null for ALL and NO_TEAM.' })
  scopeId: string | null;

  @Field(() => String, { description: 'Name of what the cell covers.' })
  scopeName: string;

  @Field(() => Int, { nullable: true, description: 'COUNT: the number (aantal); null when suppressed.' })
  count: number | null;

  @Field(() => Float, { nullable: true, description: 'SHARE, DURATION, MEAN, LOAD: the value; null when suppressed.' })
  value: number | null;

  @Field(() => Float, { nullable: true, description: 'DURATION: the 90th percentile in days; null when suppressed.' })
  p90: number | null;

  @Field(() => Int, { nullable: true, description: 'How many rows the value stands on; null when suppressed or not shown.' })
  n: number | null;

  @Field(() => Float, { nullable: true, description: 'DURATION: the handbook\'s norm in days; LOAD: the team\'s capacity.' })
  norm: number | null;

  @Field(() => Boolean, { description: 'The number is withheld (onderdrukt) to protect small groups; it is not zero.' })
  suppressed: boolean;
}

@ObjectType({ description: 'A figure group (cijfergroep) of the dashboard.' })
export class FigureGroup {
  @Field(() => [DashboardMeasure], { description: 'The measures of this group within your aggregate scope: a measure listed here without a cell for some breakdown value counts 0 there.' })
  measures: DashboardMeasure[];

  @Field(() => Boolean, { description: 'Small counts are suppressed for you in this group (kleine aantallen onderdrukt): you may count rows here that you may not read.' })
  protected: boolean;

  @Field(() => [DashboardMeasure], { description: 'The measures of this group whose small counts are suppressed for you.' })
  protectedMeasures: DashboardMeasure[];

  @Field(() => [FigureCell], { description: 'The cells, by measure, category, bucket and scope. Cells for your whole scope (ALL) are always there; a windstreek, school or team with a count of 0 is left out.' })
  cells: FigureCell[];
}

@ObjectType({ description: 'Dashboard (cijfers): the programme\'s figures within your aggregate scope, computed in the database. A group is null when your role has no figures of that kind.' })
export class Dashboard {
  @Field(() => LocalDate, { description: 'First day of the period the figures cover.' })
  from: string;

  @Field(() => LocalDate, { description: 'Last day of the period the figures cover.' })
  until: string;

  @Field(() => LocalDate, { description: 'Today (Europe/Amsterdam): the day of the figures of now.' })
  today: string;

  @Field(() => DashboardBucket, { description: 'The bucket size.' })
  bucket: DashboardBucket;

  @Field(() => DashboardBreakdown, { description: 'The breakdown.' })
  breakdown: DashboardBreakdown;

  @Field(() => Int, { description: 'k: counts from 1 to k are suppressed in protected groups.' })
  smallCountThreshold: number;

  @Field(() => FigureGroup, { nullable: true, description: 'Instroom: advice and pre-consultation requests and outcomes, registrations by outcome.' })
  intake: FigureGroup | null;

  @Field(() => FigureGroup, { nullable: true, description: 'Caseload (caseload): trajectories per phase now and at the end of each month, waiting for a team, team load against capacity, cross-windstreek share.' })
  caseload: FigureGroup | null;

  @Field(() => FigureGroup, { nullable: true, description: 'Tijdigheid: overdue per phase, past the limit of the intensive phase, follow-ups due and overdue, durations against the handbook\'s norms.' })
  timeliness: FigureGroup | null;

  @Field(() => FigureGroup, { nullable: true, description: 'Resultaten: how trajectories ended, follow-up outcomes, exit questionnaires, escalations and complaints.' })
  results: FigureGroup | null;

  @Field(() => FigureGroup, { nullable: true, description: 'Privacy: consents per purpose and status, running trajectories lacking consent, data-subject requests, access-log entries per role and basis. The privacy officer\'s.' })
  privacy: FigureGroup | null;
}
