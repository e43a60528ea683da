// The one page/cursor helper behind every paged read (records.list, association lists,
// timelines; search later). Cursors are sealed (kernel/cursor-seal.ts): they carry the scope
// they were made for (e.g. the object type) and the storage position, unreadable and
// tamper-evident, so a cursor from one list, tenant or storage is refused by another instead of
// silently paging the wrong thing.
import { CrmError, describeValue, validationError } from '../errors.js';
import type { CursorSeal } from './cursor-seal.js';
import type { Page } from '../types.js';

/** Page size when a call names none. */
export const DEFAULT_PAGE_SIZE = 100;

/** A cursor longer than this was not made by crmkit (ours are a few hundred characters at most). */
const MAX_CURSOR_LENGTH = 4_096;

/** An opaque cursor for `position` within `scope`, sealed with the storage's secret (kernel/cursor-seal.ts). */
export function encodeCursor(seal: CursorSeal, scope: string, position: string): string {
  return seal.seal(JSON.stringify([scope, position]));
}

function invalidCursor(after: unknown, why: string): CrmError {
  return validationError([{ code: 'INVALID_CURSOR', property: 'after', message: `${describeValue(after)} is not a valid cursor: ${why}` }]);
}

/**
 * The storage position inside a cursor made by {@link encodeCursor} for the same scope with the
 * same seal: VALIDATION_ERROR (INVALID_CURSOR) for anything else, whether edited, forged, made
 * by another tenant or storage, or made for another list.
 */
export function decodeCursor(seal: CursorSeal, scope: string, after: unknown): string {
  if (typeof after !== 'string' || after.length === 0 || after.length > MAX_CURSOR_LENGTH) {
    throw invalidCursor(after, 'expected a cursor string from paging.next.after');
  }
  const text = seal.open(after);
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw invalidCursor(after, 'it was not made by this CRM (edited, or from another storage or tenant)');
  }
  // The scope is inside the seal, so naming it reveals nothing the caller did not ask for.
  if (parsed[0] !== scope) throw invalidCursor(after, 'it pages another list');
  return parsed[1];
}

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

/** Builds a page; `next` is the storage position to resume after, when more may follow. */
export function toPage<T>(results: T[], seal: CursorSeal, scope: string, next: string | undefined): Page<T> {
  return next === undefined ? { results } : { results, paging: { next: { after: encodeCursor(seal, scope, next) } } };
}
