/**
 * The dashboard's calendar: periods and their buckets (month, quarter, school year), all in
 * calendar days of Europe/Amsterdam as 'YYYY-MM-DD'. A Dutch school year runs from 1 August to
 * 31 July. Months nest in quarters and in school years, so every bucket is a sum of months:
 * figures are counted per month and summed here.
 */
import { registerEnumType } from 'type-graphql';

export enum DashboardBucket {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  SCHOOL_YEAR = 'SCHOOL_YEAR',
}
registerEnumType(DashboardBucket, {
  name: 'DashboardBucket',
  description: 'Time bucket of a figure: maand, kwartaal (calendar quarter) or schooljaar (1 August to 31 July).',
});

/** First month of the school year: August. */
const SCHOOL_YEAR_START_MONTH = 8;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const parts = (date: string) => date.split('-').map(Number) as [number, number, number];
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** One bucket: its label ('2026-03', '2026-Q1', '2025/2026'), first and last day. */
export interface Bucket {
  label: string;
  start: string;
  end: string;
}

/** The bucket of size `size` that contains `date`. */
export function bucketOf(date: string, size: DashboardBucket): Bucket {
  const [y, m] = parts(date);
  switch (size) {
    case DashboardBucket.MONTH:
      return { label: `${y}-${pad(m)}`, start: ymd(y, m, 1), end: ymd(y, m, lastDayOf(y, m)) };
    case DashboardBucket.QUARTER: {
      const q = Math.floor((m - 1) / 3) + 1;
      return { label: `${y}-Q${q}`, start: ymd(y, 3 * q - 2, 1), end: ymd(y, 3 * q, lastDayOf(y, 3 * q)) };
    }
    case DashboardBucket.SCHOOL_YEAR: {
      const first = m >= SCHOOL_YEAR_START_MONTH ? y : y - 1;
      return { label: `${first}/${first + 1}`, start: ymd(first, SCHOOL_YEAR_START_MONTH, 1), end: ymd(first + 1, SCHOOL_YEAR_START_MONTH - 1, 31) };
    }
  }
}

/** SQL: the label of the bucket of size `size` containing the date expression `date` (the twin of `bucketOf(...).label`). */
export function bucketLabelSql(date: string, size: DashboardBucket): string {
  switch (size) {
    case DashboardBucket.MONTH:
      return `to_char(${date}, 'YYYY-MM')`;
    case DashboardBucket.QUARTER:
      return `to_char(${date}, 'YYYY-"Q"Q')`;
    case DashboardBucket.SCHOOL_YEAR:
      return `(CASE WHEN extract(month FROM ${date}) >= ${SCHOOL_YEAR_START_MONTH}
                THEN extract(year FROM ${date})::int || '/' || (extract(year FROM ${date})::int + 1)
                ELSE (extract(year FROM ${date})::int - 1) || '/' || extract(year FROM ${date})::int END)`;
  }
}

/** The first day of the month of `date`. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The first days of the months from the month of `from` to the month of `until`, in order. */
export function monthsBetween(from: string, until: string): string[] {
  const months: string[] = [];
  let [y, m] = parts(from);
  const last = monthOf(until);
  for (let month = ymd(y, m, 1); month <= last; month = ymd(y, m, 1)) {
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}

/** The buckets of size `size` that overlap `from`..`until`, in order. */
export function bucketsBetween(from: string, until: string, size: DashboardBucket): Bucket[] {
  const seen = new Map<string, Bucket>();
  for (const month of monthsBetween(from, until)) {
    const bucket = bucketOf(month, size);
    seen.set(bucket.label, bucket);
  }
  return [...seen.values()];
}

/** `from`..`until` widened to whole buckets of `size`: what small-count protection counts over. */
export function snapToBuckets(from: string, until: string, size: DashboardBucket): { from: string; until: string } {
  return { from: bucketOf(from, size).start, until: bucketOf(until, size).end };
}

/** The start of the school year before the one containing `today`: the default start of a dashboard (two school years). */
export function previousSchoolYearStart(today: string): string {
  const [y] = parts(bucketOf(today, DashboardBucket.SCHOOL_YEAR).start);
  return ymd(y - 1, SCHOOL_YEAR_START_MONTH, 1);
}
