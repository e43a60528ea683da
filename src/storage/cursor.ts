// The one codec for storage cursors: the `after` tokens of scanRecords, scanEdges and pageEdges,
// used by the memory adapter and both SQL adapters alike (and offered to other adapters through
// 'crmkit/storage').
//
// A token is `<position>.<tag>`: the position a scan resumes after (a few strings and numbers,
// as base64url JSON) and a 64-bit hash of (owner, kind of scan, scope, position). The owner is
// the storage's tenant (a SQL database holds many), the scope names what is paged (the object
// type; the two types; the record, the other type and the label filter). So a token from
// another tenant, another scan or kind of scan, or an edited one, is refused with one error on
// every storage instead of silently positioning a scan.
//
// The tag is a check against mistakes, not a secret: the engine seals every cursor it hands to
// callers (kernel/cursor-seal.ts), which makes public cursors unreadable and tamper-evident.
// Isolation never rests on it either: every SQL scan also filters by tenant, so even a forged
// token could only move the start of a scan within the caller's own rows. Plain JavaScript
// (no Buffer, no node:crypto): the memory adapter runs in browsers.
import { CrmError } from '../errors.js';

/**
 * What a storage cursor pages: a record scan, an edge scan, or one record's association pages.
 *
 * @example
 * const kind: StorageCursorKind = 'page';
 */
export type StorageCursorKind = 'records' | 'edges' | 'page';

/**
 * The type of each value of a cursor's position: `'integer'` a safe integer (a row number),
 * `'string'` any string (an id, a time), `'bigint'` a decimal integer as a string (a 64-bit
 * database sequence, which a JavaScript number cannot hold exactly).
 *
 * @example
 * const shape: CursorShape = ['string', 'integer']; // (createdAt, seq)
 */
export type CursorShape = readonly ('integer' | 'string' | 'bigint')[];

/**
 * A cursor's position: the values a scan resumes after, in the order its {@link CursorShape}
 * names them.
 *
 * @example
 * const position: CursorPosition = ['2026-01-01T00:00:00.000Z', 42];
 */
export type CursorPosition = readonly (string | number)[];

/** Longer tokens were not made by this codec (ids are bounded, and a position holds two at most). */
const MAX_TOKEN_LENGTH = 16_384;
const TOKEN = /^([A-Za-z0-9_-]+)\.([0-9a-z]{14})$/;
const BIGINT = /^-?[0-9]{1,19}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The error every storage answers for a cursor it did not make for that scan: VALIDATION_ERROR
 * with one INVALID_CURSOR issue. The same on every storage (the conformance suite checks it);
 * the message shows the start of what was given.
 *
 * @example
 * throw invalidStorageCursor('garbage'); // VALIDATION_ERROR, issues [{ code: 'INVALID_CURSOR', message: 'unknown cursor' }]
 */
export function invalidStorageCursor(after: unknown): CrmError {
  const shown = typeof after === 'string' ? JSON.stringify(after.slice(0, 60)) : typeof after;
  return new CrmError('VALIDATION_ERROR', `storage: ${shown} is not one of its cursors for this scan`, {
    issues: [{ code: 'INVALID_CURSOR', message: 'unknown cursor' }],
  });
}

/**
 * The scope of a page of one record's associations: the record, the other type and the label
 * filter, as a set (the same names in another order are the same filter; no filter is `*`).
 *
 * @example
 * cursors.encode('page', edgePageScope('companies', 'co1', 'contacts', ['primary']), [createdAt, seq]);
 */
export function edgePageScope(objectType: string, id: string, toType: string, labels: readonly string[] | undefined): readonly string[] {
  return [objectType, id, toType, labels === undefined ? '*' : JSON.stringify([...new Set(labels)].sort())];
}

/** Two 32-bit FNV-1a-style lanes with different primes: 64 bits, stable, cheap, not a secret. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x2f5a7d13;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36).padStart(7, '0');
}

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The text `toBase64Url` encoded, or undefined for anything that is not well-formed UTF-8. */
function fromBase64Url(data: string): string | undefined {
  try {
    const binary = atob(data.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether `values` (parsed JSON) has the types `shape` names. */
function fits(values: unknown, shape: CursorShape): values is (string | number)[] {
  if (!Array.isArray(values) || values.length !== shape.length) return false;
  return shape.every((type, at) => {
    const value: unknown = values[at];
    if (type === 'integer') return Number.isSafeInteger(value);
    if (type === 'bigint') return typeof value === 'string' && BIGINT.test(value);
    return typeof value === 'string';
  });
}

/**
 * Makes and reads the cursors of one storage: `owner` is what the storage holds among others
 * sharing its database (a SQL adapter's tenant; `''` when there is nothing to tell apart).
 *
 * @example
 * const cursors = new StorageCursors(tenant);
 * const after = cursors.encode('records', ['contacts'], [42]);
 * cursors.decode('records', ['contacts'], after, ['integer']); // [42]
 * cursors.decode('records', ['companies'], after, ['integer']); // throws VALIDATION_ERROR (INVALID_CURSOR)
 */
export class StorageCursors {
  constructor(private readonly owner = '') {}

  private tag(kind: StorageCursorKind, scope: readonly string[], data: string): string {
    return hash64(`${JSON.stringify([this.owner, kind, ...scope])}\u0000${data}`);
  }

  /**
   * The token resuming a scan of `kind` over `scope` after `position`.
   *
   * @example
   * cursors.encode('edges', ['contacts', 'companies'], ['c1', 'co9']);
   */
  encode(kind: StorageCursorKind, scope: readonly string[], position: CursorPosition): string {
    const data = toBase64Url(JSON.stringify(position));
    return `${data}.${this.tag(kind, scope, data)}`;
  }

  /**
   * The position `after` resumes after, `undefined` for no cursor (start at the beginning);
   * {@link invalidStorageCursor} for a token this codec did not make for this owner, kind and
   * scope, or whose position does not have `shape`.
   *
   * @example
   * const [seq] = cursors.decode('records', ['contacts'], request.after, ['integer']) ?? [0];
   */
  decode(kind: StorageCursorKind, scope: readonly string[], after: unknown, shape: CursorShape): (string | number)[] | undefined {
    if (after === undefined) return undefined;
    const match = typeof after === 'string' && after.length <= MAX_TOKEN_LENGTH ? TOKEN.exec(after) : null;
    if (match !== null && match[2] === this.tag(kind, scope, match[1]!)) {
      const text = fromBase64Url(match[1]!);
      let values: unknown;
      try {
        values = text === undefined ? undefined : JSON.parse(text);
      } catch {
        values = undefined;
      }
      if (fits(values, shape)) return values;
    }
    throw invalidStorageCursor(after);
  }
}
