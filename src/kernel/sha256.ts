// SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104) in plain TypeScript, synchronous, for the
// cursor seal (./cursor-seal.ts). Why not a platform API: WebCrypto's digest and sign are
// asynchronous and missing from browser pages served over plain http, and node:crypto exists on
// Node only; the core must run everywhere with no `node:` import. Inputs are a few hundred bytes,
// so a straightforward implementation is fast enough (microseconds). Tested against node:crypto.

// Int32Array, not Uint32Array: V8 keeps 32-bit signed values in registers and turns unsigned
// ones above 2^31 into doubles, which made every round several times slower.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** The message schedule, reused by every compression (one call at a time: JavaScript is single-threaded here). */
const W = new Int32Array(64);

/** Hashes the 64-byte block at `offset` of `view` into `h`, in place (FIPS 180-4, 6.2.2). */
function compress(h: Int32Array, view: DataView, offset: number): void {
  const w = W;
  for (let i = 0; i < 16; i++) w[i] = view.getInt32(offset + i * 4);
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  // Indexed reads, not destructuring: destructuring a typed array runs its iterator.
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const choose = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + choose + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const majority = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + majority) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

/**
 * Where messages are padded, reused by every digest of a message that fits (cursors' are a few
 * hundred bytes): a new buffer per digest, and the DataView a typed array needs to be read as
 * 32-bit words, cost more than hashing a short message.
 */
const SCRATCH = new Uint8Array(1024);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);

/**
 * The digest of `prefixBytes` bytes already hashed into `state` (whole blocks) followed by
 * `message`: the message's blocks, then the padding (a 1 bit, zeros, and the whole length in
 * bits as a 64-bit big-endian number). `state` is used up.
 */
function finish(state: Int32Array, prefixBytes: number, message: Uint8Array): Uint8Array {
  const length = Math.ceil((message.length + 9) / 64) * 64;
  const fits = length <= SCRATCH.length;
  const padded = fits ? SCRATCH : new Uint8Array(length);
  const view = fits ? SCRATCH_VIEW : new DataView(padded.buffer);
  padded.set(message);
  padded.fill(0, message.length, length);
  padded[message.length] = 0x80;
  const bits = (prefixBytes + message.length) * 8;
  view.setUint32(length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(length - 4, bits >>> 0);
  for (let offset = 0; offset < length; offset += 64) compress(state, view, offset);
  const digest = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const word = state[i]!;
    digest[i * 4] = word >>> 24;
    digest[i * 4 + 1] = (word >>> 16) & 0xff;
    digest[i * 4 + 2] = (word >>> 8) & 0xff;
    digest[i * 4 + 3] = word & 0xff;
  }
  return digest;
}

/**
 * The SHA-256 digest of `message` (32 bytes).
 *
 * @example
 * sha256(new TextEncoder().encode('abc')); // ba7816bf…
 */
export function sha256(message: Uint8Array): Uint8Array {
  return finish(INITIAL.slice(), 0, message);
}

/**
 * An HMAC-SHA-256 key made ready: the states after its inner and outer padded blocks, hashed
 * once, so each MAC under it hashes only the message and the inner digest (a cursor's seal
 * makes several MACs under the same two keys).
 *
 * @example
 * const key = hmacKey(secret);
 * hmacWith(key, message); // the same bytes as hmacSha256(secret, message)
 */
export interface HmacKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

/**
 * Prepares `key` for {@link hmacWith} (RFC 2104: a key over 64 bytes is hashed first).
 *
 * @example
 * const key = hmacKey(new Uint8Array(32));
 */
export function hmacKey(key: Uint8Array): HmacKey {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const pad = (byte: number): Int32Array => {
    const padded = new Uint8Array(64);
    for (let i = 0; i < 64; i++) padded[i] = block[i]! ^ byte;
    const state = INITIAL.slice();
    compress(state, new DataView(padded.buffer), 0);
    return state;
  };
  return { inner: pad(0x36), outer: pad(0x5c) };
}

/**
 * HMAC-SHA-256 of `message` under a prepared key (32 bytes).
 *
 * @example
 * hmacWith(hmacKey(key), new TextEncoder().encode('position')); // 32 bytes
 */
export function hmacWith(key: HmacKey, message: Uint8Array): Uint8Array {
  return finish(key.outer.slice(), 64, finish(key.inner.slice(), 64, message));
}

/**
 * HMAC-SHA-256 of `message` under `key` (32 bytes).
 *
 * @example
 * hmacSha256(key, new TextEncoder().encode('position')); // 32 bytes
 */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmacWith(hmacKey(key), message);
}
