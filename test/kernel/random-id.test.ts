// The default record id (src/kernel/random-id.ts): 21 characters of the URL-safe alphabet, each
// uniformly random, never repeating, however many pools of random bytes the ids span.
import { describe, expect, it } from 'vitest';
import { RANDOM_ID_LENGTH, randomId } from '../../src/kernel/random-id.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

describe('randomId', () => {
  it('is 21 characters of A–Z, a–z, 0–9, _ and -', () => {
    expect(RANDOM_ID_LENGTH).toBe(21);
    for (let n = 0; n < 1_000; n++) expect(randomId()).toMatch(/^[A-Za-z0-9_-]{21}$/);
  });

  // 12,800 ids span a hundred pools of random bytes (128 ids each).
  const ids = Array.from({ length: 64 * 200 }, () => randomId());

  it('never repeats, across refills of its pool', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every character of the alphabet at every position, each about equally often', () => {
    const counts = new Map<string, number>();
    for (let position = 0; position < RANDOM_ID_LENGTH; position++) {
      const seen = new Set(ids.map((id) => id[position]));
      expect(seen.size).toBe(64); // a character never drawn here would be gone from the alphabet
    }
    for (const id of ids) for (const char of id) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...ALPHABET].sort());
    // 268,800 characters: 4,200 of each expected, a standard deviation of about 64; six of
    // them either way fails a fair generator about once in a billion runs.
    const expected = (ids.length * RANDOM_ID_LENGTH) / 64;
    for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(6 * 64);
  });
});
