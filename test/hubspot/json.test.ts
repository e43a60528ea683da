// Where a malformed JSON body goes wrong (src/hubspot/json.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../../src/hubspot/json.js';

describe('jsonSyntaxError', () => {
  it('finds the first bad character, with its line and column', () => {
    expect(jsonSyntaxError('{\n  "a": }')).toEqual({ offset: 9, line: 2, column: 8, reason: 'unexpected character "}"' });
    expect(jsonSyntaxError('{"a": 1,}')).toMatchObject({ line: 1, column: 9 });
    expect(jsonSyntaxError('[1, 2')).toMatchObject({ line: 1, column: 6, reason: 'unexpected end of input' });
    expect(jsonSyntaxError('{"a": "x\ny"}')).toMatchObject({ line: 1, column: 9, reason: 'control character in a string' });
    expect(jsonSyntaxError('{"a": 01}')).toMatchObject({ column: 8 });
    expect(jsonSyntaxError('{} x')).toMatchObject({ column: 4 });
    expect(jsonSyntaxError('"\\q"')).toMatchObject({ column: 2, reason: 'bad escape' });
    expect(jsonSyntaxError('')).toMatchObject({ line: 1, column: 1, reason: 'unexpected end of input' });
  });

  it('finds nothing in valid JSON, and something wherever JSON.parse fails', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonSyntaxError(text)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('}', ']', ',', ':', '"', 'x', '\n', '{'), (text, at, char) => {
        const broken = text.slice(0, at % (text.length + 1)) + char + text.slice(at % (text.length + 1));
        let valid = true;
        try {
          JSON.parse(broken);
        } catch {
          valid = false;
        }
        expect(jsonSyntaxError(broken) === undefined).toBe(valid);
      }),
    );
  });

  it('survives deep nesting', () => {
    expect(jsonSyntaxError('['.repeat(100_000))).toMatchObject({ reason: 'unexpected end of input' });
  });
});
