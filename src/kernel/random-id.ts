// The default record id: 21 characters of the URL-safe alphabet (A–Z, a–z, 0–9, `_`, `-`), each
// six uniform random bits from the runtime's cryptographic generator: 126 bits, the ids nanoid
// makes (decision 0028). Random bytes are drawn a pool at a time, one call to the generator per
// 128 ids, and each id is made as one string: every record a crm creates takes an id, and
// building it a character at a time made 21 strings and a string tree per id.

/** The characters of an id; 64 of them, so a byte's low six bits pick one uniformly. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** The length of a default id. */
export const RANDOM_ID_LENGTH = 21;

const CODES = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0));

/** Ids' worth of random alphabet codes, used front to back, then drawn anew. */
const pool = new Uint8Array(RANDOM_ID_LENGTH * 128);
let next = pool.length;

function refill(): void {
  crypto.getRandomValues(pool);
  // 256 is a multiple of 64: the low six bits of a uniform byte are uniform.
  for (let at = 0; at < pool.length; at++) pool[at] = CODES[pool[at]! & 63]!;
  next = 0;
}

/**
 * A new random record id: what a crm uses when `createCrm` is given no `ids`.
 *
 * @example
 * randomId(); // 'V1StGXR8_Z5jdHi6B-myT'
 */
export function randomId(): string {
  if (next + RANDOM_ID_LENGTH > pool.length) refill();
  const p = pool;
  const a = next;
  next += RANDOM_ID_LENGTH;
  // Twenty-one arguments written out: one flat string, without an array or a loop of concatenations.
  return String.fromCharCode(
    p[a]!, p[a + 1]!, p[a + 2]!, p[a + 3]!, p[a + 4]!, p[a + 5]!, p[a + 6]!,
    p[a + 7]!, p[a + 8]!, p[a + 9]!, p[a + 10]!, p[a + 11]!, p[a + 12]!, p[a + 13]!,
    p[a + 14]!, p[a + 15]!, p[a + 16]!, p[a + 17]!, p[a + 18]!, p[a + 19]!, p[a + 20]!,
  );
}
