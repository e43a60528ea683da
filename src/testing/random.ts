// A small seeded random source for seeds and factories. Test data must be the same on every
// machine and every Node version, so nothing here touches Math.random, the clock or floating
// point beyond exact integer-to-double division: the stream is a pure function of the seed.

/**
 * A seeded source of random numbers: call it for a number in [0, 1), or use its helpers.
 * Every helper draws from the same stream, so the order of calls decides the values.
 *
 * @example
 * const rng = createRandom('my-test');
 * rng();                   // 0.37… (always the same for 'my-test')
 * rng.int(1, 6);           // a die roll
 * rng.pick(['a', 'b']);    // one of them
 */
export interface Random {
  /** A number in [0, 1). */
  (): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One of `items` (which must not be empty). */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A new, independent stream named `label`, derived from this one's seed (not from its position). */
  derive(label: string | number): Random;
}

/**
 * A 32-bit hash of `text` (FNV-1a over UTF-16 units, then an avalanche step), so that seeds
 * which differ in one character start far apart.
 *
 * @example
 * hashSeed('crmkit') === hashSeed('crmkit'); // true, on every machine
 */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return avalanche(h);
}

/** Mixes every input bit into every output bit (the finaliser of a well-known 32-bit hash family). */
function avalanche(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The text a seed is hashed from: numbers and strings alike, so `1` and `'1'` are one seed. */
function seedText(seed: number | string): string {
  return typeof seed === 'number' ? String(seed) : seed;
}

/**
 * A seeded {@link Random}: a Weyl sequence (a counter stepped by an odd constant) passed
 * through an avalanche mix. Its period is 2^32 draws, plenty for test data, and each draw is
 * a few integer operations.
 *
 * @example
 * const a = createRandom(42);
 * const b = createRandom(42);
 * a() === b(); // true
 */
export function createRandom(seed: number | string): Random {
  const text = seedText(seed);
  let state = hashSeed(text);
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    return avalanche(state) / 0x1_0000_0000;
  };
  const rng = next as Random;
  rng.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  rng.pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick: no items to pick from');
    return items[Math.floor(next() * items.length)]!;
  };
  rng.chance = (p) => next() < p;
  rng.derive = (label) => createRandom(`${text}/${label}`);
  return rng;
}
