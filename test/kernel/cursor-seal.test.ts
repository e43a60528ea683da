// The cursor seal: SHA-256 and HMAC agree with node:crypto for any input, and a sealed cursor
// opens only unchanged and only with the secret that made it.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorSeal, isCursorSecret, newCursorSecret } from '../../src/kernel/cursor-seal.js';
import { hmacKey, hmacSha256, hmacWith, sha256 } from '../../src/kernel/sha256.js';

const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('sha256 and hmacSha256', () => {
  it('match node:crypto for any message, across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (message) => {
        expect(hex(sha256(message))).toBe(createHash('sha256').update(message).digest('hex'));
      }),
      { numRuns: 200 * FUZZ_SCALE },
    );
    // The padding edge cases, exactly.
    for (const length of [0, 55, 56, 63, 64, 65, 119, 120, 128]) {
      const message = new Uint8Array(length).fill(0x61);
      expect(hex(sha256(message)), `length ${length}`).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });

  it('matches node:crypto for messages longer than the reused padding buffer, and a short one after a long one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 900, maxLength: 3_000 }), fc.uint8Array({ maxLength: 100 }), (long, short) => {
        expect(hex(sha256(long))).toBe(createHash('sha256').update(long).digest('hex'));
        // Nothing of the long message is left over in what the short one is padded in.
        expect(hex(sha256(short))).toBe(createHash('sha256').update(short).digest('hex'));
      }),
      { numRuns: 50 * FUZZ_SCALE },
    );
  });

  it('HMAC matches node:crypto for any key (short, block-sized, longer than a block) and message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 200 }), (key, message) => {
        expect(hex(hmacSha256(key, message))).toBe(createHmac('sha256', key).update(message).digest('hex'));
      }),
      { numRuns: 200 * FUZZ_SCALE },
    );
  });

  it('a prepared key gives every MAC under it the same bytes as node:crypto, however often it is used', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 4 }), (key, messages) => {
        const prepared = hmacKey(key);
        for (const message of [...messages, ...messages]) {
          expect(hex(hmacWith(prepared, message))).toBe(createHmac('sha256', key).update(message).digest('hex'));
        }
      }),
      { numRuns: 100 * FUZZ_SCALE },
    );
  });
});

describe('CursorSeal', () => {
  it('opens what it sealed, and a sealed cursor shows none of its plaintext', () => {
    const seal = new CursorSeal(newCursorSecret());
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (plaintext) => {
        const cursor = seal.seal(plaintext);
        expect(cursor).toMatch(/^k1[A-Za-z0-9_-]*$/);
        expect(seal.open(cursor)).toBe(plaintext);
        if (plaintext.length >= 4 && /^[A-Za-z0-9_-]+$/.test(plaintext)) expect(cursor.slice(2)).not.toContain(plaintext);
      }),
      { numRuns: 200 * FUZZ_SCALE },
    );
  });

  it('refuses any edited cursor, and any cursor of another secret', () => {
    const seal = new CursorSeal(newCursorSecret());
    const other = new CursorSeal(newCursorSecret());
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.nat(), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), (plaintext, at, char) => {
        const cursor = seal.seal(plaintext);
        const position = at % cursor.length;
        const edited = cursor.slice(0, position) + char + cursor.slice(position + 1);
        if (edited !== cursor) expect(seal.open(edited)).toBeUndefined();
        expect(other.open(cursor)).toBeUndefined();
        expect(seal.open(cursor.slice(0, -1))).toBeUndefined();
        expect(seal.open(cursor + 'A')).toBeUndefined();
      }),
      { numRuns: 300 * FUZZ_SCALE },
    );
  });

  it('is deterministic: the same position gives the same cursor', () => {
    const secret = newCursorSecret();
    expect(new CursorSeal(secret).seal('x')).toBe(new CursorSeal(secret).seal('x'));
    expect(isCursorSecret(secret)).toBe(true);
    expect(isCursorSecret('00')).toBe(false);
    expect(newCursorSecret()).not.toBe(secret);
  });
});
