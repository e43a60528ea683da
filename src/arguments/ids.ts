// Record ids as callers pass them, and the text every storage can keep. An id is checked once,
// where it enters (the facade, or the id generator's answer), so the services take a `string`.
import { describeValue, validationError } from '../errors.js';

// NUL and unpaired UTF-16 surrogates: text no database stores as text (PostgreSQL refuses both).
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** ES2024's String#isWellFormed (no unpaired surrogate): native, and about ten times faster than the pattern on short text. */
type WellFormed = string & { isWellFormed(): boolean };
const hasWellFormed = typeof (String.prototype as Partial<WellFormed>).isWellFormed === 'function';

/**
 * Whether a string can be stored by every storage: no NUL character and no unpaired surrogate.
 * Refusing them keeps a write's outcome the same on memory, SQLite and PostgreSQL.
 *
 * @example
 * isStorableText('a\u0000b'); // false
 */
export function isStorableText(value: string): boolean {
  return hasWellFormed ? (value as WellFormed).isWellFormed() && !value.includes('\u0000') : isStorableByPattern(value);
}

/** {@link isStorableText} by the pattern alone: what runtimes without String#isWellFormed use (exported for the test that holds the two equal). */
export function isStorableByPattern(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The longest id crmkit takes: longer ones were not made by an id generator. */
const MAX_ID_LENGTH = 1_000;

/**
 * VALIDATION_ERROR (INVALID_ID) unless `id` is a record id: a non-empty string of at most 1,000
 * characters that every storage can keep.
 *
 * @example
 * checkId('a1');  // passes
 * checkId(42);    // VALIDATION_ERROR: 42 is not a record id
 */
export function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !isStorableText(id)) {
    throw validationError([{ code: 'INVALID_ID', property: 'id', message: `${describeValue(id)} is not a record id` }]);
  }
}

/**
 * The record id a caller passed, or VALIDATION_ERROR (INVALID_ID), as {@link checkId}.
 *
 * @example
 * const id = parseId(input); // a string from here on
 */
export function parseId(id: unknown): string {
  checkId(id);
  return id;
}
