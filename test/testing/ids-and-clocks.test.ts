// sequentialIds, fixedClock and steppingClock ('crmkit/testing'): deterministic, validated, and
// forkable (a fork goes on from the state at the fork, independently of the original).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError } from 'crmkit';
import { fixedClock, sequentialIds, steppingClock } from 'crmkit/testing';

function validationProperty(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CrmError);
    expect((error as CrmError).code).toBe('VALIDATION_ERROR');
    return ((error as CrmError<'VALIDATION_ERROR'>).details.issues?.[0] as { property?: string } | undefined)?.property;
  }
  throw new Error('expected a VALIDATION_ERROR');
}

describe('sequentialIds', () => {
  it('takes a prefix, or { prefix, start }', () => {
    const plain = sequentialIds();
    expect([plain(), plain()]).toEqual(['id-1', 'id-2']);
    const prefixed = sequentialIds('c-');
    expect(prefixed()).toBe('c-1');
    const started = sequentialIds({ prefix: 't-', start: 100 });
    expect([started(), started()]).toEqual(['t-100', 't-101']);
    expect(sequentialIds({ prefix: '' })()).toBe('1');
  });

  it('refuses bad arguments with a VALIDATION_ERROR naming the argument', () => {
    expect(validationProperty(() => sequentialIds({ start: -1 }))).toBe('start');
    expect(validationProperty(() => sequentialIds({ start: 1.5 }))).toBe('start');
    expect(validationProperty(() => sequentialIds({ prefix: 5 as unknown as string }))).toBe('prefix');
    expect(validationProperty(() => sequentialIds({ begin: 1 } as never))).toBe('begin');
    expect(validationProperty(() => sequentialIds(42 as never))).toBe('options');
  });

  it('a fork goes on from the next number, independently of the original (any prefix, start and position)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4 }), fc.nat(1_000), fc.nat(20), fc.nat(5), (prefix, start, before, after) => {
        const ids = sequentialIds({ prefix, start });
        for (let i = 0; i < before; i++) ids();
        const copy = ids.fork();
        const fromCopy = Array.from({ length: after + 1 }, () => copy());
        const fromOriginal = Array.from({ length: after + 1 }, () => ids());
        expect(fromCopy).toEqual(fromOriginal);
        expect(fromCopy[0]).toBe(`${prefix}${start + before}`);
      }),
    );
  });
});

describe('fixedClock', () => {
  it('always reads the same instant, as a new Date each time', () => {
    const clock = fixedClock('2026-03-01T09:00:00Z');
    const first = clock();
    first.setFullYear(1999);
    expect(clock().toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(fixedClock()().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(fixedClock(0)().getTime()).toBe(0);
    expect(fixedClock(new Date(5))().getTime()).toBe(5);
    expect(clock.fork()().toISOString()).toBe('2026-03-01T09:00:00.000Z');
  });

  it('refuses a time that names no instant', () => {
    expect(validationProperty(() => fixedClock('yesterday'))).toBe('at');
    expect(validationProperty(() => fixedClock(new Date(Number.NaN)))).toBe('at');
    // Local time would differ between machines: only UTC or an explicit offset.
    expect(validationProperty(() => fixedClock('2026-01-01T00:00:00'))).toBe('at');
    expect(validationProperty(() => fixedClock(Number.POSITIVE_INFINITY))).toBe('at');
  });
});

describe('steppingClock', () => {
  it('reads start, then one step later each time', () => {
    const clock = steppingClock('2026-01-01T00:00:00Z', 60_000);
    expect([clock(), clock()].map((at) => at.toISOString())).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z']);
    const defaults = steppingClock();
    expect([defaults(), defaults()].map((at) => at.toISOString())).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z']);
    expect(steppingClock(0, 0)().getTime()).toBe(0);
  });

  it('refuses bad arguments with a VALIDATION_ERROR naming the argument', () => {
    expect(validationProperty(() => steppingClock('soon'))).toBe('start');
    expect(validationProperty(() => steppingClock(0, -1))).toBe('stepMs');
    expect(validationProperty(() => steppingClock(0, Number.NaN))).toBe('stepMs');
    expect(validationProperty(() => steppingClock(0, '5' as unknown as number))).toBe('stepMs');
  });

  it('a fork reads what the original would read next, independently (any start, step and position)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.nat(100_000), fc.nat(20), fc.nat(5), (start, step, before, after) => {
        const clock = steppingClock(start, step);
        for (let i = 0; i < before; i++) clock();
        const copy = clock.fork();
        const fromCopy = Array.from({ length: after + 1 }, () => copy().getTime());
        const fromOriginal = Array.from({ length: after + 1 }, () => clock().getTime());
        expect(fromCopy).toEqual(fromOriginal);
        expect(fromCopy[0]).toBe(start + before * step);
      }),
    );
  });
});
