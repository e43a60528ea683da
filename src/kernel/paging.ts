// The one page/cursor helper behind every paged read (records.list, association lists,
// timelines; search later). Cursors are sealed (kernel/cursor-seal.ts): they carry the scope
// they were made for (e.g. the object type) and the storage position, unreadable and
// tamper-evident, so a cursor from one list, tenant or storage is refused by another instead of
// silently paging the wrong thing.
import { invalidCursor } from '../arguments/paging.js';
import type { CursorSeal } from './cursor-seal.js';
import type { Page } from '../types.js';

// The page size and the cursor's shape are arguments, parsed at the facade (arguments/paging.ts).
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, readLimit } from '../arguments/paging.js';

/** An opaque cursor for `position` within `scope`, sealed with the storage's secret (kernel/cursor-seal.ts). */
export function encodeCursor(seal: CursorSeal, scope: string, position: string): string {
  return seal.seal(JSON.stringify([scope, position]));
}

/**
 * The storage position inside a cursor made by {@link encodeCursor} for the same scope with the
 * same seal: VALIDATION_ERROR (INVALID_CURSOR) for anything else, whether edited, forged, made
 * by another tenant or storage, or made for another list. `after` has the shape of a cursor
 * already (arguments/paging.ts readCursor, at the facade).
 */
export function decodeCursor(seal: CursorSeal, scope: string, after: string): string {
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

/** Builds a page; `next` is the storage position to resume after, when more may follow. */
export function toPage<T>(results: T[], seal: CursorSeal, scope: string, next: string | undefined): Page<T> {
  return next === undefined ? { results } : { results, paging: { next: { after: encodeCursor(seal, scope, next) } } };
}
