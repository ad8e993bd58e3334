/**
 * The injectable clock: all "now" and "today" of the product come from here, so tests set
 * time instead of sleeping. Calendar days are days in Europe/Amsterdam.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at `at` until moved; for tests. */
export function fixedClock(at: Date): Clock & { set(at: Date): void } {
  let current = at;
  return { now: () => current, set: (next) => (current = next) };
}

const AMSTERDAM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Whole years between a birth date and a calendar date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const DAY_MS = 86_400_000;

/** The calendar date `days` days after `date` (YYYY-MM-DD; calendar arithmetic, no time zone). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (YYYY-MM-DD; negative when `to` lies before `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The calendar date `months` months after `date`; the 31st becomes the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** The calendar date (YYYY-MM-DD) in Europe/Amsterdam at instant `at`. */
export function amsterdamDate(at: Date): string {
  return AMSTERDAM_DAY.format(at);
}
