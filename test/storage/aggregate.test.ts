// The exact sums of the reference aggregate evaluator (src/storage/aggregate.ts ExactSum), which
// every storage's sums must equal: order-independent, exact on the decimal forms of the numbers,
// rounded once. The buckets themselves are held to the evaluator by the conformance suite
// (crmkit/testing/conformance) and the examples in test/query/aggregate.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum } from 'crmkit/storage';

const sum = (values: readonly number[]): number => {
  const total = new ExactSum();
  for (const value of values) total.add(value);
  return total.value();
};

describe('ExactSum', () => {
  it('sums the decimal forms exactly and rounds once: money adds up', () => {
    expect(sum([0.1, 0.2])).toBe(0.3);
    expect(sum([19.99, 0.01, -5.5])).toBe(14.5);
    expect(sum([1e21, 1, -1e21])).toBe(1);
    expect(sum([5e-324, 5e-324])).toBe(1e-323);
    expect(sum([1.5e-7, 3])).toBe(3.00000015);
    expect(sum([])).toBe(0);
    expect(sum([-2.5, 2.5])).toBe(0);
    expect(Object.is(sum([-0]), 0)).toBe(true);
  });

  it('past the largest number is Infinity; non-finite values are ignored', () => {
    expect(sum([Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Infinity);
    expect(sum([1, Number.NaN, Infinity])).toBe(1);
  });

  it('does not depend on the order of additions (property)', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 12 })
          .chain((values) => fc.tuple(fc.constant(values), fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }))),
        ([values, shuffled]) => {
          expect(sum(shuffled)).toBe(sum(values));
        },
      ),
    );
  });

  it('equals floating-point addition whenever that is exact (integers within 2^53; property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), { maxLength: 50 }), (values) => {
        expect(sum(values)).toBe(values.reduce((total, value) => total + value, 0));
      }),
    );
  });
});
