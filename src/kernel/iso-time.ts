// A clock reading as ISO-8601 UTC text, the form every stored time takes. Date's toISOString
// does the same, but it is a call into the engine's C++ side that costs more than the rest of a
// small write on a busy server (the HubSpot façade's creates: docs/performance.md); this is
// plain arithmetic the JIT compiles. test/kernel/iso-time.test.ts holds the two equal.

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years written with four digits. */
const FIRST_MS = -62_167_219_200_000;
const LAST_MS = 253_402_300_799_999;

const MS_PER_DAY = 86_400_000;
/** Days from 0000-03-01 (the start of a 400-year cycle counted from March) to 1970-01-01. */
const EPOCH_FROM_MARCH_ZERO = 719_468;
const DAYS_PER_ERA = 146_097;

/** The last reading and its text: the writes of one call, and calls in the same millisecond, share it. */
let lastMs = Number.NaN;
let lastText = '';

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const four = (n: number): string => (n < 1000 ? `0${three(n)}` : `${n}`);

/**
 * `new Date(ms).toISOString()`: `YYYY-MM-DDTHH:mm:ss.sssZ`. Years outside 0000–9999 (six digits
 * and a sign) and NaN (a RangeError) are left to Date itself.
 *
 * @example
 * isoTime(0); // '1970-01-01T00:00:00.000Z'
 */
export function isoTime(ms: number): string {
  if (ms === lastMs) return lastText;
  if (!(ms >= FIRST_MS && ms <= LAST_MS)) return new Date(ms).toISOString();
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;

  // The civil date: counted in 400-year eras from 0000-03-01, so a leap day ends each year.
  const fromMarchZero = days + EPOCH_FROM_MARCH_ZERO;
  const era = Math.floor(fromMarchZero / DAYS_PER_ERA);
  const dayOfEra = fromMarchZero - era * DAYS_PER_ERA; // 0 … 146096
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100)); // 0 = 1 March
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March … 11 = February
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

  lastMs = ms;
  lastText = `${four(year)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(millis)}Z`;
  return lastText;
}
