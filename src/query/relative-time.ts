// Relative times of search filters (`{ relative: '-P90D' }`): a signed ISO-8601 duration added
// to the clock, so that a saved filter ("not contacted in 90 days") stays current.

const DURATION = /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/**
 * A parsed duration: calendar parts (years, months, days) and a fixed part in milliseconds.
 *
 * @example
 * parseDuration('-P1M2DT3H'); // { sign: -1, years: 0, months: 1, days: 2, milliseconds: 10800000 }
 */
export interface Duration {
  readonly sign: 1 | -1;
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly milliseconds: number;
}

/**
 * A signed ISO-8601 duration (`P1Y2M3W4DT5H6M7.5S`, each part optional, at least one present,
 * `-` in front for the past), or `undefined` when `text` is not one.
 *
 * @example
 * parseDuration('-P90D'); // { sign: -1, years: 0, months: 0, days: 90, milliseconds: 0 }
 * parseDuration('90 days'); // undefined
 */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim().endsWith('T')) return undefined;
  const [, sign, years, months, weeks, days, hours, minutes, seconds] = match;
  if ([years, months, weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return undefined;
  const number = (part: string | undefined): number => (part === undefined ? 0 : Number(part));
  const duration: Duration = {
    sign: sign === '-' ? -1 : 1,
    years: number(years),
    months: number(months),
    days: number(weeks) * 7 + number(days),
    milliseconds: Math.round(((number(hours) * 60 + number(minutes)) * 60 + number(seconds)) * 1000),
  };
  const total = duration.years * 12 + duration.months;
  // Beyond what a stored date can hold either way (0001 to 9999): refused rather than wrapped.
  if (total > 12 * 10_000 || duration.days > 366 * 10_000 || duration.milliseconds > 366 * 10_000 * 86_400_000) return undefined;
  return duration;
}

/**
 * `now` moved by `duration` in UTC: months and years by the calendar (the day clamped to the
 * month's last, so a month after 31 January is 28 or 29 February), then days and the fixed part.
 * `undefined` when the result leaves the years 0001–9999.
 *
 * @example
 * shiftTime(new Date('2026-03-31T12:00:00Z'), parseDuration('-P1M')!).toISOString(); // '2026-02-28T12:00:00.000Z'
 */
export function shiftTime(now: Date, duration: Duration): Date | undefined {
  const { sign } = duration;
  const monthIndex = now.getUTCFullYear() * 12 + now.getUTCMonth() + sign * (duration.years * 12 + duration.months);
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(2000, month + 1, 0)).getUTCDate() - (month === 1 && !isLeap(year) ? 1 : 0);
  const shifted = new Date(now.getTime());
  shifted.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  const time = shifted.getTime() + sign * (duration.days * 86_400_000 + duration.milliseconds);
  if (!Number.isFinite(time) || time < -62135596800000 || time > 253402300799999) return undefined;
  return new Date(time);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
