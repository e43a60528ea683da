// The value normalisers: what each property type accepts (HubSpot's input forms), what it
// stores, what it refuses and with which code; then properties over all inputs (never throws,
// answers a stored value or an Invalid, idempotent).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Invalid,
  MAX_STRING_LENGTH,
  normaliseDomain,
  normaliseEmail,
  normaliserFor,
  type ValueRules,
} from '../../src/schema/values.js';
import type { PropertyOption, PropertyValue } from '../../src/types.js';
import type { ValidationIssueCode } from '../../src/errors.js';

const OPTIONS: PropertyOption[] = [
  { label: 'Coffee', value: 'coffee' },
  { label: 'Tea', value: 'tea' },
  { label: 'Water', value: 'water' },
  { label: 'One', value: '1' },
  { label: 'Yes', value: 'true' },
];

const RULES = {
  string: { type: 'string' },
  phone_number: { type: 'phone_number' },
  number: { type: 'number' },
  bool: { type: 'bool' },
  date: { type: 'date' },
  datetime: { type: 'datetime' },
  enumeration: { type: 'enumeration', options: OPTIONS },
  multi: { type: 'enumeration', multiple: true, options: OPTIONS },
  email: { type: 'string', format: 'email' },
  domain: { type: 'string', format: 'domain' },
  email_list: { type: 'string', format: 'email_list' },
  domain_list: { type: 'string', format: 'domain_list' },
} satisfies Record<string, ValueRules>;

type RuleName = keyof typeof RULES;
const RULE_NAMES = Object.keys(RULES) as RuleName[];

const normalise = (rule: RuleName, input: unknown): PropertyValue | Invalid => normaliserFor(RULES[rule])(input);

/** Expects `result` to be an Invalid with `code`, and answers it. */
function expectInvalid<C extends ValidationIssueCode>(result: PropertyValue | Invalid, code: C): Invalid<C> {
  expect(result, `expected Invalid ${code}, got ${JSON.stringify(result)}`).toBeInstanceOf(Invalid);
  const invalid = result as Invalid<C>;
  expect(invalid.code).toBe(code);
  expect(invalid.message.length).toBeGreaterThan(0);
  return invalid;
}

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

// ---------------------------------------------------------------- examples per type

describe('empty input clears', () => {
  it.each(RULE_NAMES)('%s: null and the empty string answer null', (rule) => {
    expect(normalise(rule, null)).toBeNull();
    expect(normalise(rule, '')).toBeNull();
  });
});

describe('string and phone_number', () => {
  it('stores strings as given (no trimming, case kept)', () => {
    expect(normalise('string', '  Hello World ')).toBe('  Hello World ');
    expect(normalise('phone_number', '+1 (555) 010-0000')).toBe('+1 (555) 010-0000');
  });

  it('accepts a finite number as its decimal text', () => {
    expect(normalise('string', 42)).toBe('42');
    expect(normalise('string', 1.5)).toBe('1.5');
  });

  it('accepts a string of exactly the maximum length and refuses one character more with TOO_LONG', () => {
    expect(normalise('string', 'a'.repeat(MAX_STRING_LENGTH))).toBe('a'.repeat(MAX_STRING_LENGTH));
    const invalid = expectInvalid(normalise('string', 'a'.repeat(MAX_STRING_LENGTH + 1)), 'TOO_LONG');
    expect(invalid.facts).toMatchObject({ maxLength: MAX_STRING_LENGTH, length: MAX_STRING_LENGTH + 1 });
  });

  it('refuses a 10 MB string with TOO_LONG, without putting the string in the message', () => {
    for (const rule of ['string', 'phone_number', 'email', 'domain', 'email_list', 'domain_list'] as const) {
      const invalid = expectInvalid(normalise(rule, TEN_MB), 'TOO_LONG');
      expect(invalid.message.length).toBeLessThan(200);
      expect(invalid.message).toContain(String(TEN_MB.length));
    }
  });

  it.each([
    ['an object', { a: 1 }],
    ['an array', ['a']],
    ['a boolean', true],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a function', () => 'x'],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['a Date', new Date('2026-01-01T00:00:00Z')],
  ])('refuses %s with INVALID_STRING', (_label, input) => {
    expectInvalid(normalise('string', input), 'INVALID_STRING');
    expectInvalid(normalise('phone_number', input), 'INVALID_STRING');
  });
});

describe('number', () => {
  it.each([
    [1000.5, 1000.5],
    ['1000.5', 1000.5],
    [' 42 ', 42],
    ['-3', -3],
    ['.5', 0.5],
    ['1.', 1],
    ['007', 7],
    [0, 0],
    [-12.25, -12.25],
  ])('%j → %j', (input, stored) => {
    expect(normalise('number', input)).toBe(stored);
  });

  it('stores -0 (number or text) as 0', () => {
    expect(Object.is(normalise('number', -0), 0)).toBe(true);
    expect(Object.is(normalise('number', '-0'), 0)).toBe(true);
    expect(Object.is(normalise('number', '-0.0'), 0)).toBe(true);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['exponent notation', '1e5'],
    ['trailing letters', '12abc'],
    ['hex', '0x10'],
    ['two dots', '1.2.3'],
    ['a lone minus', '-'],
    ['the text Infinity', 'Infinity'],
    ['a number too large for a double', '9'.repeat(400)],
    ['a boolean', true],
    ['an object', { value: 1 }],
    ['an array', [1]],
    ['a bigint', 5n],
  ])('refuses %s with INVALID_NUMBER', (_label, input) => {
    expectInvalid(normalise('number', input), 'INVALID_NUMBER');
  });
});

describe('bool', () => {
  it.each([
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    [' TRUE ', true],
    ['False', false],
  ])('%j → %j', (input, stored) => {
    expect(normalise('bool', input)).toBe(stored);
  });

  it.each([['yes'], ['1'], [1], [0], [{}], [['true']]])('refuses %j with INVALID_BOOLEAN', (input) => {
    expectInvalid(normalise('bool', input), 'INVALID_BOOLEAN');
  });
});

describe('date', () => {
  const midnight = Date.UTC(2026, 0, 15);

  it.each([
    ['YYYY-MM-DD', '2026-01-15'],
    ['YYYY-MM-DD with spaces', ' 2026-01-15 '],
    ['epoch milliseconds at midnight', midnight],
    ['epoch milliseconds as text', String(midnight)],
    ['a Date at midnight UTC', new Date(midnight)],
    ['an ISO datetime at midnight UTC', '2026-01-15T00:00:00Z'],
    ['an ISO datetime at midnight in another zone that is midnight UTC', '2026-01-15T01:00:00+01:00'],
  ])('accepts %s', (_label, input) => {
    expect(normalise('date', input)).toBe('2026-01-15');
  });

  it('accepts leap days and the first and last representable dates', () => {
    expect(normalise('date', '2024-02-29')).toBe('2024-02-29');
    expect(normalise('date', '0001-01-01')).toBe('0001-01-01');
    expect(normalise('date', '9999-12-31')).toBe('9999-12-31');
  });

  it.each([
    ['a day that does not exist', '2026-02-30'],
    ['Feb 29 in a non-leap year', '2026-02-29'],
    ['month 13', '2026-13-01'],
    ['year 0', '0000-12-31'],
    ['a five-digit year', '10000-01-01'],
    ['a non-midnight Date', new Date('2026-01-15T10:00:00Z')],
    ['non-midnight epoch milliseconds', midnight + 1],
    ['a non-midnight ISO datetime', '2026-01-15T10:00:00Z'],
    ['an invalid Date', new Date(Number.NaN)],
    ['a datetime without a zone', '2026-01-15T00:00:00'],
    ['free text', 'next tuesday'],
    ['a US-style date', '01/15/2026'],
    ['fractional epoch milliseconds', midnight + 0.5],
    ['a boolean', true],
    ['an object', {}],
  ])('refuses %s with INVALID_DATE', (_label, input) => {
    expectInvalid(normalise('date', input), 'INVALID_DATE');
  });
});

describe('datetime', () => {
  it.each([
    ['an ISO datetime in UTC', '2026-01-15T10:30:00Z', '2026-01-15T10:30:00.000Z'],
    ['an ISO datetime with an offset (converted to UTC)', '2026-01-15T10:30:00+02:00', '2026-01-15T08:30:00.000Z'],
    ['milliseconds kept', '2026-01-15T10:30:00.123Z', '2026-01-15T10:30:00.123Z'],
    ['minutes only', '2026-01-15T10:30Z', '2026-01-15T10:30:00.000Z'],
    ['a date (midnight UTC)', '2026-01-15', '2026-01-15T00:00:00.000Z'],
    ['epoch milliseconds', Date.UTC(2026, 0, 15, 10, 30), '2026-01-15T10:30:00.000Z'],
    ['epoch milliseconds as text', String(Date.UTC(2026, 0, 15, 10, 30)), '2026-01-15T10:30:00.000Z'],
    ['epoch 0', 0, '1970-01-01T00:00:00.000Z'],
    ['negative epoch milliseconds', -86_400_000, '1969-12-31T00:00:00.000Z'],
    ['a Date', new Date('2026-01-15T10:30:00.000Z'), '2026-01-15T10:30:00.000Z'],
  ])('accepts %s', (_label, input, stored) => {
    expect(normalise('datetime', input)).toBe(stored);
  });

  it.each([
    ['a datetime without a zone', '2026-01-15T10:30:00'],
    ['an invalid Date', new Date(Number.NaN)],
    ['a date that does not exist', '2026-02-30'],
    ['fractional epoch milliseconds', 1.5],
    ['free text', 'yesterday'],
    ['NaN', Number.NaN],
    ['a time beyond year 9999', 253402300800000],
    ['an object', { at: 1 }],
    ['a boolean', false],
  ])('refuses %s with INVALID_DATE', (_label, input) => {
    expectInvalid(normalise('datetime', input), 'INVALID_DATE');
  });

  it('refuses a datetime on a day that does not exist instead of rolling it over to March', () => {
    // '2026-02-30' is refused as a date; the same day with a time must not become 2026-03-02.
    expectInvalid(normalise('datetime', '2026-02-30T10:00:00Z'), 'INVALID_DATE');
  });
});

describe('enumeration (single)', () => {
  it('stores an option value as given', () => {
    expect(normalise('enumeration', 'tea')).toBe('tea');
  });

  it('accepts numbers and booleans as the text of an option value', () => {
    expect(normalise('enumeration', 1)).toBe('1');
    expect(normalise('enumeration', true)).toBe('true');
  });

  it('is case-sensitive: another case is INVALID_OPTION, with the allowed values', () => {
    const invalid = expectInvalid(normalise('enumeration', 'Tea'), 'INVALID_OPTION');
    expect(invalid.facts?.allowed).toEqual(OPTIONS.map((option) => option.value));
    expect(invalid.message).toContain('"Tea"');
  });

  it.each([['milk'], ['tea;coffee'], [['tea']], [{}], [2]])('refuses %j with INVALID_OPTION', (input) => {
    expectInvalid(normalise('enumeration', input), 'INVALID_OPTION');
  });
});

describe('enumeration (multi-select)', () => {
  it("stores a ';' list as an array in the options' order", () => {
    expect(normalise('multi', 'water;coffee')).toEqual(['coffee', 'water']);
  });

  it('accepts an array, dropping duplicates and empty entries', () => {
    expect(normalise('multi', ['tea', 'coffee', 'tea', ''])).toEqual(['coffee', 'tea']);
    expect(normalise('multi', 'tea;;coffee;')).toEqual(['coffee', 'tea']);
  });

  it('answers a frozen array', () => {
    const stored = normalise('multi', 'tea');
    expect(Object.isFrozen(stored)).toBe(true);
  });

  it('answers null for a list of nothing', () => {
    expect(normalise('multi', ';;')).toBeNull();
    expect(normalise('multi', [])).toBeNull();
  });

  it('refuses an unknown or differently cased entry with INVALID_OPTION naming it', () => {
    const invalid = expectInvalid(normalise('multi', 'tea;Coffee'), 'INVALID_OPTION');
    expect(invalid.message).toContain('"Coffee"');
    expectInvalid(normalise('multi', ['tea', 'milk']), 'INVALID_OPTION');
    expectInvalid(normalise('multi', { tea: true }), 'INVALID_OPTION');
  });
});

describe('emails', () => {
  it('normaliseEmail trims and lowercases', () => {
    expect(normaliseEmail('  John@Orange.COM ')).toBe('john@orange.com');
    expect(normaliseEmail('a.b+tag@sub.example.co.uk')).toBe('a.b+tag@sub.example.co.uk');
  });

  it.each([['john'], ['john@'], ['@orange.com'], ['john@orange'], ['jo hn@orange.com'], ['a@b@c.com'], ['a;b@c.com'], ['']])(
    'normaliseEmail(%j) is undefined',
    (raw) => {
      expect(normaliseEmail(raw)).toBeUndefined();
    },
  );

  it('an email property stores the normalised email and refuses others with INVALID_EMAIL', () => {
    expect(normalise('email', ' Ana@Example.COM')).toBe('ana@example.com');
    const invalid = expectInvalid(normalise('email', 'not-an-email'), 'INVALID_EMAIL');
    expect(invalid.message).toContain('not-an-email');
    expectInvalid(normalise('email', 42), 'INVALID_STRING');
    expectInvalid(normalise('email', ['a@b.com']), 'INVALID_STRING');
  });

  it("an email list normalises each entry, drops duplicates and stores a ';' list", () => {
    expect(normalise('email_list', 'A@x.com; b@Y.com ;a@X.COM;')).toBe('a@x.com;b@y.com');
    expect(normalise('email_list', ['B@y.com', 'a@x.com'])).toBe('b@y.com;a@x.com');
    expect(normalise('email_list', ' ; ;')).toBeNull();
  });

  it('an email list refuses a bad entry with INVALID_EMAIL naming it, and non-strings with INVALID_STRING', () => {
    const invalid = expectInvalid(normalise('email_list', 'a@x.com;oops'), 'INVALID_EMAIL');
    expect(invalid.message).toContain('oops');
    expectInvalid(normalise('email_list', ['a@x.com', 7]), 'INVALID_STRING');
    expectInvalid(normalise('email_list', { a: 'a@x.com' }), 'INVALID_STRING');
  });
});

describe('domains', () => {
  it.each([
    ['Orange.com', 'orange.com'],
    ['https://www.Orange.com/about', 'orange.com'],
    ['http://orange.com?x=1#top', 'orange.com'],
    ['www.orange.com', 'orange.com'],
    ['orange.com:8080', 'orange.com'],
    ['https://orange.com:443/path', 'orange.com'],
    ['orange.com.', 'orange.com'],
    ['  ORANGE.COM  ', 'orange.com'],
    ['https://user:pass@shop.orange.co.uk/', 'shop.orange.co.uk'],
    ['www.www.orange.com', 'orange.com'],
    ['www.com', 'www.com'],
  ])('normaliseDomain(%j) is %j', (raw, domain) => {
    expect(normaliseDomain(raw)).toBe(domain);
  });

  it.each([['orange'], ['https://'], ['-orange.com'], ['orange-.com'], ['ora nge.com'], ['orange..com'], ['']])(
    'normaliseDomain(%j) is undefined',
    (raw) => {
      expect(normaliseDomain(raw)).toBeUndefined();
    },
  );

  it('leaves no white space at the edges of a normalised domain', () => {
    // Unicode white space (here U+3000) after a protocol or credentials must not survive into
    // the stored domain: it would then differ from 'orange.com' as a dedup key.
    for (const raw of ['https://\u3000orange.com', 'user@\u2003orange.com']) {
      const domain = normaliseDomain(raw);
      expect(domain === undefined || domain === 'orange.com', `${JSON.stringify(raw)} → ${JSON.stringify(domain)}`).toBe(true);
    }
  });

  it('a domain property stores the normalised domain and refuses others with INVALID_DOMAIN', () => {
    expect(normalise('domain', 'https://www.Orange.com/x')).toBe('orange.com');
    const invalid = expectInvalid(normalise('domain', 'localhost'), 'INVALID_DOMAIN');
    expect(invalid.message).toContain('localhost');
    expectInvalid(normalise('domain', { host: 'orange.com' }), 'INVALID_STRING');
  });

  it("a domain list normalises each entry and drops duplicates", () => {
    expect(normalise('domain_list', 'https://www.A.com/x;b.com;a.com')).toBe('a.com;b.com');
    expectInvalid(normalise('domain_list', 'a.com;nope'), 'INVALID_DOMAIN');
  });
});

// ---------------------------------------------------------------- properties over all inputs

const FIRST_TIME = new Date('0001-01-01T00:00:00.000Z').getTime();
const LAST_TIME = new Date('9999-12-31T23:59:59.999Z').getTime();

const timeArb = fc.integer({ min: FIRST_TIME, max: LAST_TIME });
const dayArb = fc.integer({ min: Math.ceil(FIRST_TIME / 86_400_000), max: Math.floor(LAST_TIME / 86_400_000) }).map((day) => day * 86_400_000);
const spaced = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('', ' ', '  '), text, fc.constantFrom('', ' ', '\t')).map(([a, t, b]) => a + t + b);
const mangleCase = (text: string, flips: boolean[]): string =>
  [...text].map((char, at) => (flips[at % Math.max(flips.length, 1)] ? char.toUpperCase() : char)).join('');
const caseArb = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(text, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 })).map(([t, flips]) => mangleCase(t, flips));

const optionValueArb = fc.oneof(
  fc.constantFrom(...OPTIONS.map((option) => option.value)),
  caseArb(fc.constantFrom(...OPTIONS.map((option) => option.value))),
  fc.constantFrom(1, true, 2, false, ''),
);
const emailArb = fc.oneof(spaced(caseArb(fc.emailAddress())), fc.constantFrom('a@b.co', 'A@B.CO', 'x@y'));
const domainArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', 'http://', 'HTTPS://', 'https://www.', 'www.', 'user:pw@', 'WWW.www.'),
      caseArb(fc.domain()),
      fc.constantFrom('', '/', '/path?q=1', ':8080', '.', '#frag', ':'),
    )
    .map(([prefix, domain, suffix]) => prefix + domain + suffix),
  fc.domain(),
);

const jsonish = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** Inputs a normaliser of any type may meet: the forms it accepts, near misses, and junk. */
const inputArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  jsonish,
  fc.array(jsonish, { maxLength: 4 }),
  fc.date(),
  spaced(fc.oneof(fc.integer().map(String), fc.double().map(String), fc.stringMatching(/^-?\d{0,5}\.?\d{0,5}$/))),
  timeArb,
  timeArb.map(String),
  timeArb.map((time) => new Date(time)),
  timeArb.map((time) => new Date(time).toISOString()),
  dayArb,
  dayArb.map((time) => new Date(time).toISOString().slice(0, 10)),
  fc.tuple(timeArb, fc.constantFrom('Z', '+01:00', '-05:30', '+0000', '')).map(([time, zone]) => new Date(time).toISOString().slice(0, 19) + zone),
  fc.constantFrom('true', 'false', ' TRUE ', 'yes', '-0', '1e5', 'NaN', 'Infinity', '2026-02-30', '2026-02-30T10:00:00Z'),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
  optionValueArb,
  fc.array(optionValueArb, { maxLength: 5 }),
  fc.array(optionValueArb, { maxLength: 5 }).map((values) => values.join(';')),
  emailArb,
  fc.array(emailArb, { maxLength: 4 }).map((emails) => emails.join(';')),
  fc.array(emailArb, { maxLength: 4 }),
  domainArb,
  fc.array(domainArb, { maxLength: 4 }).map((domains) => domains.join(';')),
  fc.array(domainArb, { maxLength: 4 }),
);

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EDGE_SPACE = /^\s|\s$/u;

function isStoredEmail(value: string): boolean {
  return value.length > 0 && value === value.toLowerCase() && !EDGE_SPACE.test(value) && /^[^@\s;]+@[^@\s;]+\.[^@\s;]+$/u.test(value);
}

function isStoredDomain(value: string): boolean {
  return (
    value.length > 0 &&
    value === value.toLowerCase() &&
    !EDGE_SPACE.test(value) &&
    !/[/?#@:;\s]/u.test(value) &&
    value.includes('.') &&
    !value.endsWith('.')
  );
}

function isStoredList(value: string, item: (text: string) => boolean): boolean {
  const items = value.split(';');
  return items.every(item) && new Set(items).size === items.length;
}

/** Whether `value` has the shape a property of `rule` stores. */
function hasStoredShape(rule: RuleName, value: PropertyValue): boolean {
  if (value === null) return true;
  switch (rule) {
    case 'string':
    case 'phone_number':
      return typeof value === 'string' && value.length > 0 && value.length <= MAX_STRING_LENGTH;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0);
    case 'bool':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && new Date(`${value}T00:00:00.000Z`).toISOString().slice(0, 10) === value;
    case 'datetime':
      return typeof value === 'string' && ISO_DATETIME.test(value) && new Date(value).toISOString() === value;
    case 'enumeration':
      return typeof value === 'string' && OPTIONS.some((option) => option.value === value);
    case 'multi': {
      if (!Array.isArray(value) || value.length === 0) return false;
      const ranks = value.map((item) => OPTIONS.findIndex((option) => option.value === item));
      return ranks.every((rank, at) => rank >= 0 && (at === 0 || rank > ranks[at - 1]!));
    }
    case 'email':
      return typeof value === 'string' && isStoredEmail(value);
    case 'domain':
      return typeof value === 'string' && isStoredDomain(value);
    case 'email_list':
      return typeof value === 'string' && value.length <= MAX_STRING_LENGTH && isStoredList(value, isStoredEmail);
    case 'domain_list':
      return typeof value === 'string' && value.length <= MAX_STRING_LENGTH && isStoredList(value, isStoredDomain);
  }
}

describe('properties over all inputs', () => {
  it('no normaliser ever throws, whatever it is given', () => {
    const junk = fc.oneof(
      fc.anything({
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      }),
      fc.constantFrom<unknown>(Symbol('s'), () => 1, Object.create(null), new Date(Number.NaN), [Symbol('in-array')]),
      inputArb,
    );
    fc.assert(
      fc.property(fc.constantFrom(...RULE_NAMES), junk, (rule, input) => {
        expect(() => normalise(rule, input)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('every answer is either a value of the stored shape or an Invalid with a code and a message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RULE_NAMES), inputArb, (rule, input) => {
        const result = normalise(rule, input);
        if (result instanceof Invalid) {
          expect(typeof result.code).toBe('string');
          expect(result.message.length).toBeGreaterThan(0);
        } else {
          expect(hasStoredShape(rule, result), `${rule}: ${JSON.stringify(input)} → ${JSON.stringify(result)}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(RULE_NAMES)('%s: normalisation is idempotent (normalising a stored value answers it unchanged)', (rule) => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const once = normalise(rule, input);
        if (once instanceof Invalid) return;
        expect(normalise(rule, once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('normaliseEmail is idempotent and case-insensitive', () => {
    fc.assert(
      fc.property(emailArb, (raw) => {
        const email = normaliseEmail(raw);
        if (email === undefined) return;
        expect(normaliseEmail(email)).toBe(email);
        expect(normaliseEmail(raw.toUpperCase())).toBe(email);
      }),
      { numRuns: 200 },
    );
  });

  it('normaliseDomain is idempotent, including around Unicode white space', () => {
    const whitespace = fc.constantFrom('', ' ', '\u00a0', '\u2003', '\u3000', '\ufeff');
    const raw = fc
      .tuple(fc.constantFrom('', 'https://', 'http://www.', 'user@'), whitespace, domainArb, whitespace)
      .map(([prefix, before, domain, after]) => prefix + before + domain + after);
    fc.assert(
      fc.property(raw, (input) => {
        const domain = normaliseDomain(input);
        if (domain === undefined) return;
        expect(normaliseDomain(domain)).toBe(domain);
      }),
      { numRuns: 200 },
    );
  });
});
