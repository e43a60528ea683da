// The storage cursor codec (src/storage/cursor.ts, exported from 'crmkit/storage'): a token
// gives back the position it was made with, for the owner, kind and scope it was made for and
// no other, and any edit to it (or any string it did not make) is the one INVALID_CURSOR error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError, edgePageScope, StorageCursors, type CursorShape, type StorageCursorKind } from 'crmkit/storage';

const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);
const KINDS: readonly StorageCursorKind[] = ['records', 'edges', 'page'];

/** The error `run` throws, which must be the codec's INVALID_CURSOR. */
function refusal(run: () => unknown): CrmError<'VALIDATION_ERROR'> {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CrmError);
  const error = caught as CrmError<'VALIDATION_ERROR'>;
  expect(error.code).toBe('VALIDATION_ERROR');
  expect(error.details.issues).toEqual([{ code: 'INVALID_CURSOR', message: 'unknown cursor' }]);
  return error;
}

/** A position and the shape it has: safe integers, any strings (lone surrogates too), decimal bigints. */
const positioned = fc
  .array(
    fc.oneof(
      fc.maxSafeInteger().map((value) => ['integer', value] as const),
      fc.string({ unit: 'binary', maxLength: 40 }).map((value) => ['string', value] as const),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ['bigint', String(value)] as const),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((pairs) => ({ shape: pairs.map(([type]) => type) as CursorShape, position: pairs.map(([, value]) => value) }));

const scope = fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 });

describe('StorageCursors', () => {
  it('decodes what it encoded, for the same owner, kind and scope', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...KINDS), scope, positioned, (owner, kind, names, { shape, position }) => {
        const cursors = new StorageCursors(owner);
        expect(cursors.decode(kind, names, cursors.encode(kind, names, position), shape)).toEqual(position);
      }),
      { numRuns: 300 * FUZZ_SCALE },
    );
  });

  it('no cursor is the start of the scan', () => {
    expect(new StorageCursors('t').decode('records', ['contacts'], undefined, ['integer'])).toBeUndefined();
  });

  it('refuses a token made for another owner (tenant), kind of scan or scope', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom(...KINDS),
        fc.constantFrom(...KINDS),
        scope,
        scope,
        positioned,
        (owner, otherOwner, kind, otherKind, names, otherNames, { shape, position }) => {
          fc.pre(owner !== otherOwner || kind !== otherKind || JSON.stringify(names) !== JSON.stringify(otherNames));
          const token = new StorageCursors(owner).encode(kind, names, position);
          refusal(() => new StorageCursors(otherOwner).decode(otherKind, otherNames, token, shape));
        },
      ),
      { numRuns: 300 * FUZZ_SCALE },
    );
  });

  it('refuses a token with any one character changed, dropped or added', () => {
    const cursors = new StorageCursors('acme');
    fc.assert(
      fc.property(positioned, fc.nat(), fc.constantFrom(...'abcXYZ019-_.=+/ '), fc.constantFrom('change', 'drop', 'add'), ({ shape, position }, where, character, edit) => {
        const token = cursors.encode('records', ['contacts'], position);
        const at = where % token.length;
        const edited =
          edit === 'drop'
            ? token.slice(0, at) + token.slice(at + 1)
            : token.slice(0, at) + character + token.slice(edit === 'add' ? at : at + 1);
        fc.pre(edited !== token);
        refusal(() => cursors.decode('records', ['contacts'], edited, shape));
      }),
      { numRuns: 500 * FUZZ_SCALE },
    );
  });

  it('refuses strings and values it did not make, and a position of another shape', () => {
    const cursors = new StorageCursors();
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (garbage) => {
        refusal(() => cursors.decode('records', ['contacts'], garbage, ['integer']));
      }),
      { numRuns: 300 * FUZZ_SCALE },
    );
    for (const value of [null, 42, {}, ['x'], 'x'.repeat(20_000)]) refusal(() => cursors.decode('records', ['contacts'], value, ['integer']));
    // Its own token, read as another shape: a string where an integer was, or one value more.
    const token = cursors.encode('page', ['companies'], ['2026-01-01T00:00:00.000Z', 7]);
    refusal(() => cursors.decode('page', ['companies'], token, ['integer', 'integer']));
    refusal(() => cursors.decode('page', ['companies'], token, ['string', 'integer', 'integer']));
    refusal(() => cursors.decode('page', ['companies'], cursors.encode('page', ['companies'], ['12a']), ['bigint']));
    // The message shows the start of what was given, nothing more.
    expect(refusal(() => cursors.decode('records', ['contacts'], `x${'y'.repeat(500)}`, ['integer'])).message.length).toBeLessThan(140);
  });

  it('a page scope is the record, the other type and the label filter as a set', () => {
    const cursors = new StorageCursors('t');
    const token = cursors.encode('page', edgePageScope('companies', 'co1', 'contacts', ['b', 'a', 'b']), [1]);
    expect(cursors.decode('page', edgePageScope('companies', 'co1', 'contacts', ['a', 'b']), token, ['integer'])).toEqual([1]);
    for (const [id, toType, labels] of [
      ['co2', 'contacts', ['a', 'b']],
      ['co1', 'deals', ['a', 'b']],
      ['co1', 'contacts', ['a']],
      ['co1', 'contacts', undefined],
      ['co1', 'contacts', []],
    ] as const) {
      refusal(() => cursors.decode('page', edgePageScope('companies', id, toType, labels), token, ['integer']));
    }
  });
});
