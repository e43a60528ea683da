// What text every storage keeps: isStorableText answers by String#isWellFormed where the runtime
// has it and by a pattern where it does not; both must refuse exactly NUL and unpaired surrogates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableByPattern, isStorableText } from '../../src/arguments/ids.js';

/** Code units around the edges that matter: NUL, controls, ASCII, BMP text, and both surrogate halves. */
const unit = fc.oneof(
  fc.constantFrom('\u0000', '\u0001', 'a', 'é', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00'),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
);

describe('isStorableText', () => {
  it('refuses NUL and unpaired surrogates, and nothing else', () => {
    expect(isStorableText('ann@example.com')).toBe(true);
    expect(isStorableText('emoji 😀 and é')).toBe(true);
    expect(isStorableText('')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udc00')).toBe(false);
    expect(isStorableText('\ude00\ud83d')).toBe(false); // a pair in the wrong order is two unpaired halves
  });

  it('answers as the pattern does over any text, on this runtime (String#isWellFormed) and on those without it', () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 24 }), (units) => {
        const text = units.join('');
        expect(isStorableText(text)).toBe(isStorableByPattern(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
