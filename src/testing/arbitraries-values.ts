// Value arbitraries, one per property definition, for crmkit/testing/arbitraries. Each answers
// only values crmkit's normalisers accept as they are (valid emails and domains, calendar dates,
// option values), and each refused form is paired with the issue code crmkit answers for it, so
// a negative test can expect an exact code. Only fast-check APIs of 3.0 are used: the subpath
// supports fast-check 3 and 4 alike.
import fc from 'fast-check';
import type { PropertyDefinition, PropertyInput, ValidationIssueCode } from 'crmkit';

/** How a string property's values are read: crmkit reads contacts' emails and companies' domains as such. */
export type ValueFormat = 'plain' | 'email' | 'domain' | 'email_list' | 'domain_list';

/** The dedup-key properties whose values crmkit reads as emails or domains (docs/records.md "Dedup keys"). */
const FORMATS: Record<string, Record<string, ValueFormat>> = {
  contacts: { email: 'email', hs_additional_emails: 'email_list' },
  companies: { domain: 'domain', hs_additional_domains: 'domain_list' },
};

/**
 * The format crmkit reads `property`'s values of `objectType` in.
 *
 * @example
 * formatOf('contacts', 'email'); // 'email'
 * formatOf('deals', 'dealname'); // 'plain'
 */
export function formatOf(objectType: string, property: string): ValueFormat {
  return FORMATS[objectType]?.[property] ?? 'plain';
}

const DAY = 86_400_000;
// Years 1990 to 2040: wide enough to cross month, year and leap-day edges, narrow enough to read.
const FROM = Date.UTC(1990, 0, 1);
const TO = Date.UTC(2040, 11, 31);
/** crmkit's limit on a string value (HubSpot's): one more is TOO_LONG. */
const MAX_STRING_LENGTH = 65_536;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const WORDS = ['acme', 'orange', 'roast', 'north', 'blue', 'harbor', 'pixel', 'cedar', 'summit', 'lumen', 'atlas', 'delta', 'maple', 'nova', 'quartz'];
const TLDS = ['com', 'io', 'org', 'net', 'co', 'de', 'fr', 'dev'];

/** Lowercase letters and digits, starting with a letter: a label no normaliser rewrites. */
const label = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...LETTERS), fc.array(fc.constantFrom(...`${LETTERS}0123456789`), { maxLength: maxLength - 1 }))
    .map(([first, rest]) => first + rest.join(''));

/**
 * Domains already in the form crmkit stores (lowercase ASCII, no `www.`, a letter TLD), so the
 * value written is the value stored and two records' keys differ exactly when their texts do.
 *
 * @example
 * fc.sample(domainArbitrary, 2); // e.g. ['north.io', 'k2.cedar.dev']
 */
export const domainArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.constantFrom(...WORDS), label(12)), fc.option(label(8), { nil: undefined }), fc.constantFrom(...TLDS))
  .map(([name, sub, tld]) => (sub !== undefined && sub !== 'www' ? `${sub}.${name}.${tld}` : `${name}.${tld}`));

/**
 * Emails in stored form (see {@link domainArbitrary}), for the same reason.
 *
 * @example
 * fc.sample(emailArbitrary, 2); // e.g. ['ana.q7@north.io', 'b3@cedar.dev']
 */
export const emailArbitrary: fc.Arbitrary<string> = fc
  .tuple(label(10), fc.option(fc.tuple(fc.constantFrom('.', '_', '+'), label(8)), { nil: undefined }), fc.option(fc.nat(99), { nil: undefined }), domainArbitrary)
  .map(([name, more, n, domain]) => `${name}${more ? more.join('') : ''}${n ?? ''}@${domain}`);

/** Readable text: words, or any printable string (fast-check's default characters in 3 and 4). */
const textArbitrary = (multiline: boolean): fc.Arbitrary<string> => {
  const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
  const line = fc.oneof(sentence, fc.string({ minLength: 1, maxLength: 40 }));
  return multiline ? fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n')) : line;
};

/** Whole numbers and cents, negative ones included unless `min` says otherwise. */
const numberArbitrary = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min, max }), fc.integer({ min: min * 100, max: max * 100 }).map((cents) => cents / 100));

/**
 * Number rules that are not in the definitions: the commerce rules (a price is at least 0, a
 * quantity above 0, a discount percentage from 0 to 100, docs/commerce.md).
 */
const NUMBER_RULES: Record<string, Record<string, fc.Arbitrary<number>>> = {
  products: { price: numberArbitrary(0, 100_000) },
  line_items: {
    price: numberArbitrary(0, 100_000),
    quantity: fc.integer({ min: 1, max: 1_000 }),
    hs_discount_percentage: fc.integer({ min: 0, max: 100 }),
  },
};
/** Commerce numbers without a rule of their own are still amounts: never negative. */
const COMMERCE = new Set(['products', 'line_items']);

/**
 * Properties the record arbitrary leaves out unless asked for by name: a line item takes a unit
 * discount or a discount percentage, never both (the percentage is the one generated), and the
 * additional emails and domains feed the same dedup key as `email` and `domain`.
 */
export const LEFT_OUT: Record<string, readonly string[]> = {
  line_items: ['discount'],
  contacts: ['hs_additional_emails'],
  companies: ['hs_additional_domains'],
};

/**
 * An arbitrary of the values crmkit accepts for `property` of `objectType`, or undefined when
 * there is none (an enumeration without options).
 *
 * @example
 * fc.sample(valueArbitrary('contacts', crm.schema.property('contacts', 'email'))!, 1); // ['k3x.ana7@cedar.io']
 */
export function valueArbitrary(objectType: string, property: PropertyDefinition): fc.Arbitrary<PropertyInput> | undefined {
  const options = (property.options ?? []).map((option) => option.value);
  switch (property.type) {
    case 'number':
      return NUMBER_RULES[objectType]?.[property.name] ?? (COMMERCE.has(objectType) ? numberArbitrary(0, 1_000_000) : numberArbitrary(-1_000_000, 1_000_000));
    case 'bool':
      return fc.boolean();
    case 'date':
      return fc.integer({ min: FROM / DAY, max: TO / DAY }).map((day) => new Date(day * DAY).toISOString().slice(0, 10));
    case 'datetime':
      return fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms).toISOString());
    case 'enumeration':
      if (options.length === 0) return undefined;
      if (property.fieldType !== 'checkbox') return fc.constantFrom(...options);
      // A multi-select takes an array or HubSpot's `a;b` string: both forms are generated.
      return fc.subarray(options, { minLength: 1 }).chain((chosen) => fc.constantFrom<PropertyInput>(chosen, chosen.join(';')));
    case 'phone_number':
      return fc
        .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 100, max: 999 }), fc.integer({ min: 1_000_000, max: 9_999_999 }))
        .map(([country, area, number]) => `+${country} ${area} ${number}`);
    default:
      switch (formatOf(objectType, property.name)) {
        case 'email':
          return emailArbitrary;
        case 'domain':
          return domainArbitrary;
        case 'email_list':
          return fc.array(emailArbitrary, { minLength: 1, maxLength: 3 }).map((emails) => emails.join(';'));
        case 'domain_list':
          return fc.array(domainArbitrary, { minLength: 1, maxLength: 3 }).map((domains) => domains.join(';'));
        default:
          return textArbitrary(property.fieldType === 'textarea');
      }
  }
}

/** A refused value and the issue code crmkit answers for it. */
export interface Refusal {
  value: PropertyInput;
  code: ValidationIssueCode;
}

const refusals = (code: ValidationIssueCode, values: PropertyInput[]): fc.Arbitrary<Refusal> => fc.constantFrom(...values).map((value) => ({ value, code }));

// One character past the limit, built when drawn rather than held by every arbitrary.
const tooLong: fc.Arbitrary<Refusal> = fc.integer({ min: MAX_STRING_LENGTH + 1, max: MAX_STRING_LENGTH + 64 }).map((length) => ({ value: 'x'.repeat(length), code: 'TOO_LONG' }));
// A NUL and a lone surrogate: text no storage keeps; a boolean: not text at all.
const notText = refusals('INVALID_STRING', ['a\u0000b', 'half \ud800 pair', true]);
const notDate = ['2026-02-30', '2026-13-01', 'tomorrow', '01/02/2026', 1.5];

/**
 * An arbitrary of values crmkit refuses for `property` of `objectType`, each with the issue
 * code of the refusal; undefined when every value is accepted (no such property type).
 *
 * @example
 * fc.sample(refusalArbitrary('contacts', crm.schema.property('contacts', 'email'))!, 1); // [{ value: 'ana@', code: 'INVALID_EMAIL' }]
 */
export function refusalArbitrary(objectType: string, property: PropertyDefinition): fc.Arbitrary<Refusal> | undefined {
  const options = new Set((property.options ?? []).map((option) => option.value));
  switch (property.type) {
    case 'number': {
      const notNumber = refusals('INVALID_NUMBER', ['12abc', 'one', '1e5', '1,000', Number.POSITIVE_INFINITY, true]);
      if (COMMERCE.has(objectType) && property.name === 'price') return fc.oneof(notNumber, refusals('OUT_OF_RANGE', [-1, -0.01, -250]));
      return notNumber;
    }
    case 'bool':
      return refusals('INVALID_BOOLEAN', ['yes', 'no', 'maybe', 1, 0]);
    case 'date':
      // A time that is not midnight UTC is not a date: a date property holds whole days.
      return refusals('INVALID_DATE', [...notDate, '2026-01-01T10:00:00Z']);
    case 'datetime':
      return refusals('INVALID_DATE', [...notDate, '2026-01-01T25:00:00Z', '2026-01-01T10:00:00']);
    case 'enumeration': {
      const unknown = fc.constantFrom('not-an-option', 'Unknown', 'other value').filter((value) => !options.has(value));
      if (property.fieldType !== 'checkbox' || options.size === 0) return unknown.map((value) => ({ value, code: 'INVALID_OPTION' }));
      return fc.tuple(fc.constantFrom(...options), unknown).map(([good, bad]) => ({ value: [good, bad], code: 'INVALID_OPTION' }));
    }
    default:
      switch (formatOf(objectType, property.name)) {
        case 'email':
        case 'email_list':
          return fc.oneof(refusals('INVALID_EMAIL', ['not-an-email', 'ana@', '@acme.com', 'ana@acme', 'ana at acme.com', 'ana@acme.c']), notText);
        case 'domain':
        case 'domain_list':
          return fc.oneof(refusals('INVALID_DOMAIN', ['not a domain', 'localhost', 'acme..com', '192.168.0.1']), notText);
        default:
          return fc.oneof(tooLong, notText);
      }
  }
}
