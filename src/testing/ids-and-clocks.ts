// Deterministic ids and clocks for tests and demos (`createCrm({ ids, clock })`). Each one can
// fork: `crm.fork()` asks the parent's generator and clock for a copy that continues from where
// they are, so every fork of one seeded base hands out the same next id and reads the same next
// time whatever the other forks did (issue 12: two forks of one base used to hand out t-2, then
// t-3, so a test's ids depended on which tests ran before it). Only CrmError comes from
// 'crmkit': this file must load with no test runner installed.
import { CrmError, type Clock, type IdGenerator } from 'crmkit';

/**
 * Options of {@link sequentialIds}.
 *
 * @example
 * sequentialIds({ prefix: 'c-', start: 100 }); // 'c-100', 'c-101', …
 */
export interface SequentialIdsOptions {
  /** Put before the number (default `'id-'`); may be empty. */
  prefix?: string;
  /** The first number handed out (default 1): a whole number, 0 or more. */
  start?: number;
}

/** A time as `fixedClock` and `steppingClock` accept it: a Date, an ISO-8601 string or epoch milliseconds. */
export type TimeInput = Date | string | number;

const DEFAULT_START = '2026-01-01T00:00:00.000Z';

/** The VALIDATION_ERROR for one bad argument of a `crmkit/testing` call. */
function invalid(call: string, property: string, message: string): CrmError<'VALIDATION_ERROR'> {
  return new CrmError('VALIDATION_ERROR', `${call}: ${property} ${message}`, {
    issues: [{ code: 'INVALID_ARGUMENT', property, message: `${property} ${message}` }],
  });
}

/** Epoch milliseconds of a time argument, or a VALIDATION_ERROR naming it. */
function millisOf(call: string, property: string, value: TimeInput): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' || typeof value === 'string' ? new Date(value).getTime() : Number.NaN;
  // A string must say which instant it means: Date.parse reads '2026-01-01' as UTC but
  // '2026-01-01T00:00' as local time, so only a date, or a date-time with Z or an offset, is taken.
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    throw invalid(call, property, `must be a Date, epoch milliseconds or an ISO-8601 date or UTC date-time ('2026-01-01T00:00:00Z'), not ${JSON.stringify(value)}`);
  }
  if (!Number.isFinite(ms)) throw invalid(call, property, `must be a valid time, not ${describe(value)}`);
  return ms;
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'number' ? String(value) : typeof value;
}

/**
 * Ids `'id-1'`, `'id-2'`, …: deterministic record ids for tests (`createCrm({ ids })`). Takes a
 * prefix, or `{ prefix, start }`. The generator has `fork()`: a copy that goes on from the next
 * number on its own, which `crm.fork()` uses so that every fork of one base hands out the same
 * next id.
 *
 * @example
 * const crm = await createCrm({ ids: sequentialIds('c-') });
 * (await crm.records.create('contacts', {})).id; // 'c-1'
 * const ids = sequentialIds({ prefix: 't-', start: 100 });
 * ids(); // 't-100'
 * const copy = ids.fork();
 * copy(); // 't-101'
 * ids(); // 't-101' too: the copy and the original go on independently
 */
export function sequentialIds(options: string | SequentialIdsOptions = {}): IdGenerator & { fork(): IdGenerator } {
  const call = 'sequentialIds';
  let prefix: string;
  let start: number;
  if (typeof options === 'string') {
    prefix = options;
    start = 1;
  } else if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    const unknown = Object.keys(options).filter((key) => key !== 'prefix' && key !== 'start');
    if (unknown.length > 0) throw invalid(call, unknown[0]!, 'is not an option (known: prefix, start)');
    prefix = options.prefix ?? 'id-';
    start = options.start ?? 1;
    if (typeof prefix !== 'string') throw invalid(call, 'prefix', `must be a string, not ${describe(prefix)}`);
  } else {
    throw invalid(call, 'options', `must be a prefix string or { prefix, start }, not ${options === null ? 'null' : describe(options)}`);
  }
  if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0) {
    throw invalid(call, 'start', `must be a whole number, 0 or more, not ${describe(start)}`);
  }
  return counter(prefix, start);
}

function counter(prefix: string, next: number): IdGenerator & { fork(): IdGenerator } {
  const ids = (): string => `${prefix}${next++}`;
  return Object.assign(ids, { fork: () => counter(prefix, next) });
}

/**
 * A clock that always reads `at` (default 2026-01-01T00:00:00.000Z): every call of a CRM on it
 * happens at the same instant, so `createdAt`, `updatedAt` and history times are all one value.
 * Each reading is a new Date, so a caller that changes one changes nothing else. `fork()` answers
 * a clock reading the same time.
 *
 * @example
 * const crm = await createCrm({ clock: fixedClock('2026-03-01T09:00:00Z') });
 * (await crm.records.create('contacts', {})).createdAt; // '2026-03-01T09:00:00.000Z'
 */
export function fixedClock(at: TimeInput = DEFAULT_START): Clock & { fork(): Clock } {
  const ms = millisOf('fixedClock', 'at', at);
  const clock = (): Date => new Date(ms);
  return Object.assign(clock, { fork: () => fixedClock(ms) });
}

/**
 * A clock that reads `start` first (default 2026-01-01T00:00:00.000Z) and `stepMs` later (default
 * 1,000; 0 or more) on every reading after that (`createCrm({ clock })`). crmkit reads the clock
 * once per call, so each call happens one step after the one before. `fork()` answers a clock
 * that goes on from the next reading on its own.
 *
 * @example
 * const crm = await createCrm({ clock: steppingClock('2026-01-01T00:00:00.000Z', 1_000) });
 * const clock = steppingClock(0, 10);
 * clock().getTime(); // 0
 * const copy = clock.fork();
 * copy().getTime();  // 10
 * clock().getTime(); // 10 too
 */
export function steppingClock(start: TimeInput = DEFAULT_START, stepMs = 1_000): Clock & { fork(): Clock } {
  const first = millisOf('steppingClock', 'start', start);
  if (typeof stepMs !== 'number' || !Number.isFinite(stepMs) || stepMs < 0) {
    throw invalid('steppingClock', 'stepMs', `must be a finite number of milliseconds, 0 or more, not ${describe(stepMs)}`);
  }
  return stepper(first, stepMs);
}

function stepper(next: number, stepMs: number): Clock & { fork(): Clock } {
  const clock = (): Date => {
    const at = next;
    next += stepMs;
    return new Date(at);
  };
  return Object.assign(clock, { fork: () => stepper(next, stepMs) });
}
