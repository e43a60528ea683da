// Every cursor crmkit hands to a caller is sealed: encrypted and authenticated with a secret
// kept in the storage (one per tenant of a SQL database, one per memory storage). So a cursor
// reveals nothing (not a storage's row numbers, which on a shared database count other tenants'
// writes, nor another query's position), and a cursor that was edited, forged, or made by
// another tenant or database is refused as VALIDATION_ERROR instead of silently positioning a
// read. Adapters' own cursors travel inside the seal, so they need no secrecy of their own.
//
// The construction is SIV-like deterministic authenticated encryption from HMAC-SHA-256 alone:
// the 16-byte tag is HMAC(macKey, plaintext) and doubles as the IV of a keystream
// HMAC(encKey, tag ‖ counter); opening decrypts, then recomputes the tag. Deterministic means the
// same page has the same cursor, which keeps tests reproducible; equal cursors reveal only that
// they resume at the same place of the same query.
import { hmacKey, hmacSha256, hmacWith, type HmacKey } from './sha256.js';

/** The storage metadata key holding the secret (hex, 32 random bytes). */
export const CURSOR_SECRET_META_KEY = '$cursorSecret';

const TAG_BYTES = 16;
const VERSION = 'k1';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A new secret for {@link CURSOR_SECRET_META_KEY}: 32 bytes from the platform's CSPRNG
 * (`crypto.getRandomValues`, on every runtime crmkit supports), as hex.
 *
 * @example
 * await tx.putMeta(CURSOR_SECRET_META_KEY, newCursorSecret());
 */
export function newCursorSecret(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether `value` is a secret {@link newCursorSecret} made (what the storage holds may be anything). */
export function isCursorSecret(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
  // The last character may carry unused bits: only the one spelling crmkit writes is accepted,
  // so no edit of a cursor is ever read as the same cursor.
  return toBase64Url(bytes) === text ? bytes : undefined;
}

/**
 * Seals and opens cursors with one storage's secret.
 *
 * @example
 * const seal = new CursorSeal(secret);
 * seal.open(seal.seal('contacts:42')); // 'contacts:42'
 */
export class CursorSeal {
  // Prepared once: every seal and open makes several MACs under these two keys.
  private readonly macKey: HmacKey;
  private readonly encKey: HmacKey;

  constructor(secretHex: string) {
    const secret = Uint8Array.from(secretHex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
    // Two keys from one secret, so the tag and the keystream never share a key.
    this.macKey = hmacKey(hmacSha256(secret, encoder.encode('crmkit cursor tag')));
    this.encKey = hmacKey(hmacSha256(secret, encoder.encode('crmkit cursor stream')));
  }

  /** `bytes` XOR the keystream of `tag` (its own inverse). */
  private xorStream(tag: Uint8Array, bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length);
    const input = new Uint8Array(TAG_BYTES + 4);
    input.set(tag);
    for (let block = 0; block * 32 < bytes.length; block++) {
      // The block counter, big-endian after the tag (written by hand: a DataView over a small
      // typed array moves its bytes off the heap).
      input[TAG_BYTES] = block >>> 24;
      input[TAG_BYTES + 1] = (block >>> 16) & 0xff;
      input[TAG_BYTES + 2] = (block >>> 8) & 0xff;
      input[TAG_BYTES + 3] = block & 0xff;
      const stream = hmacWith(this.encKey, input);
      const end = Math.min(bytes.length, block * 32 + 32);
      for (let i = block * 32; i < end; i++) out[i] = bytes[i]! ^ stream[i - block * 32]!;
    }
    return out;
  }

  /** The opaque cursor for `plaintext`. */
  seal(plaintext: string): string {
    const bytes = encoder.encode(plaintext);
    const tag = hmacWith(this.macKey, bytes).subarray(0, TAG_BYTES);
    const sealed = new Uint8Array(TAG_BYTES + bytes.length);
    sealed.set(tag);
    sealed.set(this.xorStream(tag, bytes), TAG_BYTES);
    return VERSION + toBase64Url(sealed);
  }

  /** The plaintext of a cursor this seal made; `undefined` for anything else. */
  open(cursor: string): string | undefined {
    if (!cursor.startsWith(VERSION)) return undefined;
    const sealed = fromBase64Url(cursor.slice(VERSION.length));
    if (sealed === undefined || sealed.length < TAG_BYTES) return undefined;
    const tag = sealed.subarray(0, TAG_BYTES);
    const bytes = this.xorStream(tag, sealed.subarray(TAG_BYTES));
    const expected = hmacWith(this.macKey, bytes);
    let difference = 0;
    for (let i = 0; i < TAG_BYTES; i++) difference |= expected[i]! ^ tag[i]!;
    if (difference !== 0) return undefined;
    try {
      return decoder.decode(bytes);
    } catch {
      return undefined;
    }
  }
}
