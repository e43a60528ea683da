// isThenable decides whether a service awaits a storage answer: a value must never be mistaken
// for a promise (its contents would be lost) nor a promise for a value (it would be used unsettled).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isThenable } from '../../src/kernel/awaitable.js';

describe('isThenable', () => {
  it('is true for promises and other thenables, as await treats them', () => {
    expect(isThenable(Promise.resolve(1))).toBe(true);
    const thenable: unknown = { then: (resolve: (value: number) => void) => resolve(1) };
    expect(isThenable(thenable)).toBe(true);
  });

  it('is false for every value a storage answers with: records, arrays, undefined, objects with a `then` that is no function', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ then: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) })), (value) => {
        expect(isThenable(value)).toBe(false);
      }),
    );
  });
});
