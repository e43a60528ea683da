// The rules of waiting for a busy SQLite file (src/adapters/sqlite/busy.ts): short, capped,
// jittered sleeps; only SQLITE_BUSY is waited for; the limit counts from the first busy answer.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError } from 'crmkit';
import { BUSY_DELAY_CAP_MS, busyDelay, isBusy, Patience } from '../../src/adapters/sqlite/busy.js';

const busy = (code = 'SQLITE_BUSY'): Error => new Database.SqliteError('database is locked', code);

describe('busyDelay', () => {
  it('is positive, never above the cap, and never shrinks from one attempt to the next (same jitter)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const delay = busyDelay(attempt, random);
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(BUSY_DELAY_CAP_MS);
        expect(busyDelay(attempt + 1, random)).toBeGreaterThanOrEqual(delay);
      }),
    );
    // Doubling from 1 ms: the first retries come quickly.
    expect([0, 1, 2, 3, 4, 5, 50].map((attempt) => busyDelay(attempt, 0))).toEqual([0.5, 1, 2, 4, 8, 10, 10]);
  });
});

describe('isBusy', () => {
  it('answers true for SQLITE_BUSY and its extended codes only', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']) expect(isBusy(busy(code)), code).toBe(true);
    for (const error of [busy('SQLITE_LOCKED'), busy('SQLITE_BUSYNESS'), new Error('database is locked'), null, undefined, 'SQLITE_BUSY']) {
      expect(isBusy(error)).toBe(false);
    }
  });
});

describe('Patience', () => {
  it('retries a busy step until it goes through, and answers what it returns', async () => {
    let calls = 0;
    const value = await new Patience(5_000).attempt('begin', () => {
      if (++calls < 6) throw busy();
      return 'done';
    });
    expect(value).toBe('done');
    expect(calls).toBe(6);
  });

  it('answers synchronously when the first attempt goes through, and throws any other error at once', () => {
    expect(new Patience(5_000).attempt('begin', () => 'at once')).toBe('at once');
    const other = busy('SQLITE_CORRUPT');
    let calls = 0;
    let thrown: unknown;
    try {
      new Patience(5_000).attempt('begin', () => {
        calls++;
        throw other;
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(other);
    expect(calls).toBe(1);
  });

  it('gives up once the limit has passed since the first busy answer: STORAGE_ERROR with the wait, the code and the outcome', async () => {
    let clock = 1_000;
    // Each attempt costs 40 ms of the fake clock; sleeps are real but short.
    const patience = new Patience(100, () => clock, () => 0);
    let calls = 0;
    const error = await patience
      .attempt('commit', () => {
        calls++;
        clock += 40;
        throw busy('SQLITE_BUSY_SNAPSHOT');
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrmError);
    expect((error as CrmError).code).toBe('STORAGE_ERROR');
    expect((error as CrmError).details).toMatchObject({ code: 'SQLITE_BUSY_SNAPSHOT', waitedMs: 120, busyTimeoutMs: 100, doing: 'commit', outcome: 'rolled_back' });
    // Busy at 1040 (the clock starts), 1080, 1120, then 1160: 120 ms waited, past 100.
    expect(calls).toBe(4);
    // One Patience per call: a later step shares what is left of the limit.
    await expect(
      patience.attempt('commit', () => {
        throw busy();
      }),
    ).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
  });

  it('with a limit of 0, fails at the first busy answer', async () => {
    let calls = 0;
    const error = await new Patience(0)
      .attempt('begin', () => {
        calls++;
        throw busy();
      })
      .catch((caught: unknown) => caught as CrmError);
    expect(error.details).toMatchObject({ waitedMs: 0, outcome: 'rolled_back' });
    expect(calls).toBe(1);
  });
});
