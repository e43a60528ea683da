// isoTime writes every time crmkit stores: it must be exactly Date's toISOString, for any instant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/kernel/iso-time.js';

const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);
const MAX_DATE_MS = 8.64e15; // the range a Date holds

describe('isoTime', () => {
  it('equals toISOString for any instant a Date holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2_000 * FUZZ_SCALE },
    );
  });

  it('equals toISOString for any instant in the four-digit years, where stored times live', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        expect(isoTime(date.getTime())).toBe(date.toISOString());
      }),
      { numRuns: 5_000 * FUZZ_SCALE },
    );
  });

  it('gets the edges right: the epoch, leap days, century years, the ends of the range', () => {
    const edges = [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:00:00.000Z',
      '1900-02-28T23:59:59.999Z',
      '1900-03-01T00:00:00.000Z',
      '2100-03-01T00:00:00.001Z',
      '2024-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00.000Z',
      '0000-02-29T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
      '-000001-12-31T23:59:59.999Z',
    ];
    for (const text of edges) expect(isoTime(Date.parse(text))).toBe(text);
  });

  it('answers the same text for the same instant asked twice, and a new one for the next', () => {
    const ms = Date.parse('2026-12-05T10:00:00.000Z');
    expect(isoTime(ms)).toBe('2026-12-05T10:00:00.000Z');
    expect(isoTime(ms)).toBe('2026-12-05T10:00:00.000Z');
    expect(isoTime(ms + 1)).toBe('2026-12-05T10:00:00.001Z');
  });

  it('throws as toISOString does for an invalid time', () => {
    expect(() => new Date(Number.NaN).toISOString()).toThrow(RangeError);
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
