// The one page/cursor helper behind every paged read (records.list now; association lists,
// timelines and search later). Cursors are opaque to callers: they carry the scope they were
// made for (e.g. the object type) and the storage position, so a cursor from one list is
// refused by another instead of silently paging the wrong thing.
import { CrmError, describeValue, validationError } from '../errors.js';
import type { Page } from '../types.js';

/** Page size when a call names none. */
export const DEFAULT_PAGE_SIZE = 100;

const CURSOR_VERSION = 'c1';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** An opaque cursor for `position` within `scope`. */
export function encodeCursor(scope: string, position: string): string {
  return toBase64Url(JSON.stringify([CURSOR_VERSION, scope, position]));
}

function invalidCursor(after: unknown, why: string): CrmError {
  return validationError([{ code: 'INVALID_CURSOR', property: 'after', message: `${describeValue(after)} is not a valid cursor: ${why}` }]);
}

/** The storage position inside a cursor made by {@link encodeCursor} for the same scope. */
export function decodeCursor(scope: string, after: unknown): string {
  if (typeof after !== 'string' || after.length === 0 || after.length > 4_096) throw invalidCursor(after, 'expected a cursor string from paging.next.after');
  const text = fromBase64Url(after);
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== CURSOR_VERSION || typeof parsed[2] !== 'string') {
    throw invalidCursor(after, 'it was not made by crmkit');
  }
  if (parsed[1] !== scope) throw invalidCursor(after, `it pages ${JSON.stringify(parsed[1])}, not ${JSON.stringify(scope)}`);
  return parsed[2];
}

/** A page size from caller options: a whole number from 1 up (default {@link DEFAULT_PAGE_SIZE}). */
export function readLimit(limit: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (limit === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw validationError([
      { code: 'INVALID_ARGUMENT', property: 'limit', message: `limit must be a whole number from 1 to ${max}, got ${describeValue(limit)}` },
    ]);
  }
  return limit;
}

/** Builds a page; `next` is the storage position to resume after, when more may follow. */
export function toPage<T>(results: T[], scope: string, next: string | undefined): Page<T> {
  return next === undefined ? { results } : { results, paging: { next: { after: encodeCursor(scope, next) } } };
}
