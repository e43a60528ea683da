// The arguments of a paged call: the page size and the cursor. Their shapes are checked here, at
// the facade; opening a cursor needs the storage's seal and the list's scope, so that stays with
// the paging helper (kernel/paging.ts decodeCursor).
import { describeValue, validationError, type CrmError } from '../errors.js';

/**
 * Page size when a call names none.
 *
 * @example
 * (await crm.records.list('contacts')).results.length <= DEFAULT_PAGE_SIZE; // true
 */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * The largest page any paged call answers (records.list, associations.list, crm.timeline): one
 * call's memory stays bounded whatever a caller asks for; more comes by following
 * `paging.next.after`.
 *
 * @example
 * await crm.records.list('contacts', { limit: MAX_PAGE_SIZE });
 */
export const MAX_PAGE_SIZE = 1_000;

/**
 * A cursor longer than this was not made by crmkit (ours are a few hundred characters at most).
 *
 * @example
 * readCursor('x'.repeat(MAX_CURSOR_LENGTH + 1)); // VALIDATION_ERROR (INVALID_CURSOR)
 */
export const MAX_CURSOR_LENGTH = 4_096;

/**
 * A page size from caller options: a whole number from 1 to `max` (default
 * {@link MAX_PAGE_SIZE}), {@link DEFAULT_PAGE_SIZE} when none is given; otherwise
 * VALIDATION_ERROR naming the maximum (`max` on the issue).
 *
 * @example
 * readLimit(undefined); // 100
 * readLimit(1e9);       // VALIDATION_ERROR: limit 1000000000 is above the maximum page size, 1000 …
 */
export function readLimit(limit: unknown, max = MAX_PAGE_SIZE): number {
  if (limit === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    const message =
      typeof limit === 'number' && Number.isInteger(limit) && limit > max
        ? `limit ${limit} is above the maximum page size, ${max}: ask for at most ${max} and follow paging.next.after for the rest`
        : `limit must be a whole number from 1 to ${max}, got ${describeValue(limit)}`;
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'limit', max, message }]);
  }
  return limit;
}

/**
 * The VALIDATION_ERROR (INVALID_CURSOR) for an `after` that is not a cursor this list made,
 * saying why.
 *
 * @example
 * throw invalidCursor(after, 'it pages another list');
 */
export function invalidCursor(after: unknown, why: string): CrmError<'VALIDATION_ERROR'> {
  return validationError([{ code: 'INVALID_CURSOR', property: 'after', message: `${describeValue(after)} is not a valid cursor: ${why}` }]);
}

/**
 * A cursor as a caller passes it (`paging.next.after` of the previous page): `undefined` for the
 * first page, else a non-empty string of crmkit's length; otherwise VALIDATION_ERROR
 * (INVALID_CURSOR). Whether this list made it is the paging helper's to say.
 *
 * @example
 * readCursor(page.paging?.next?.after); // the string, or undefined
 * readCursor(42);                       // VALIDATION_ERROR: 42 is not a valid cursor: …
 */
export function readCursor(after: unknown): string | undefined {
  if (after === undefined) return undefined;
  if (typeof after !== 'string' || after.length === 0 || after.length > MAX_CURSOR_LENGTH) {
    throw invalidCursor(after, 'expected a cursor string from paging.next.after');
  }
  return after;
}
