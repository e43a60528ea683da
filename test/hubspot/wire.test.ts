// The wire formats of crmkit/hubspot (src/hubspot/wire.ts): values as HubSpot's strings, and
// which properties an answer shows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CrmRecord, PropertyType } from 'crmkit';
import { DEFAULT_PROPERTIES, plainDecimal, shownProperties, toWireRecord, toWireValue, wireColumns, wireRecordJson, wireRecordsJson } from '../../src/hubspot/wire.js';

describe('plainDecimal', () => {
  it('writes numbers without exponents', () => {
    expect(plainDecimal(2.5)).toBe('2.5');
    expect(plainDecimal(-3)).toBe('-3');
    expect(plainDecimal(0)).toBe('0');
    expect(plainDecimal(-0)).toBe('0');
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(-1.5e-9)).toBe('-0.0000000015');
    expect(plainDecimal(1e21)).toBe('1000000000000000000000');
    expect(plainDecimal(1.2345e22)).toBe('12345000000000000000000');
  });

  it('reads back as the same number, for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = plainDecimal(value);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
    );
  });
});

describe('toWireValue', () => {
  it('turns every stored value into a string, or null', () => {
    expect(toWireValue(undefined)).toBeNull();
    expect(toWireValue(null)).toBeNull();
    expect(toWireValue(true)).toBe('true');
    expect(toWireValue(false)).toBe('false');
    expect(toWireValue(1e-7)).toBe('0.0000001');
    expect(toWireValue(['coffee', 'tea'])).toBe('coffee;tea');
    expect(toWireValue('2026-01-02', 'date')).toBe('2026-01-02');
    expect(toWireValue('2026-01-02T03:04:05Z', 'datetime')).toBe('2026-01-02T03:04:05.000Z');
    expect(toWireValue('Ann', 'string')).toBe('Ann');
  });

  it('a datetime reads as Date.parse then toISOString would make it, canonical forms included', () => {
    const roundTrip = (value: string): string => new Date(Date.parse(value)).toISOString();
    for (const value of [
      '2026-01-02T03:04:05.678Z', // canonical: as stored
      '2024-02-29T23:59:59.999Z', // a leap day
      '0000-01-01T00:00:00.000Z',
      '2026-02-30T00:00:00.000Z', // no such day: Date.parse rolls it over to March 2
      '2100-02-29T00:00:00.000Z', // 2100 is no leap year
      '2026-12-05T24:00:00.000Z', // 24:00 is the next day
      '2026-01-02T03:04:05.678+01:00',
    ]) {
      expect(toWireValue(value, 'datetime'), value).toBe(roundTrip(value));
    }
    expect(toWireValue('2026-13-01T00:00:00.000Z', 'datetime')).toBe('2026-13-01T00:00:00.000Z'); // unparsable: as stored
  });
});

describe('shownProperties', () => {
  const known = new Set(['email', 'firstname', 'lastname', 'phone', 'hs_object_id', 'createdate', 'lastmodifieddate']);

  it('answers the defaults of the type plus the system properties when none are asked for', () => {
    expect(shownProperties('contacts', undefined, known)).toEqual(['firstname', 'lastname', 'email', 'createdate', 'hs_object_id', 'lastmodifieddate']);
    expect(shownProperties('contacts', [], known)).toEqual(shownProperties('contacts', undefined, known));
    expect(DEFAULT_PROPERTIES.deals).toContain('dealstage');
  });

  it('answers what was asked for that the type knows, unknown names dropped', () => {
    expect(shownProperties('contacts', ['phone', 'nope', 'phone'], known)).toEqual(['phone', 'createdate', 'hs_object_id', 'lastmodifieddate']);
  });

  it('a type without defaults shows its system properties', () => {
    expect(shownProperties('roast_batches', undefined, new Set(['hs_object_id', 'createdate', 'hs_lastmodifieddate', 'batch']))).toEqual(['createdate', 'hs_lastmodifieddate', 'hs_object_id']);
  });
});

describe('toWireRecord', () => {
  it('shows each name, null without a value, and archivedAt when archived', () => {
    const record: CrmRecord = {
      id: '7',
      objectType: 'contacts',
      properties: { email: 'a@b.com', hs_email_optout: true, num: 2 },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      archived: true,
      archivedAt: '2026-01-02T00:00:00.000Z',
    };
    const types = new Map<string, PropertyType>([['email', 'string'], ['hs_email_optout', 'bool'], ['num', 'number'], ['phone', 'string']]);
    const wire = toWireRecord(record, ['email', 'hs_email_optout', 'num', 'phone'], types);
    expect(JSON.parse(JSON.stringify(wire))).toEqual({
      id: '7',
      properties: { email: 'a@b.com', hs_email_optout: 'true', num: '2', phone: null },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      archived: true,
      archivedAt: '2026-01-02T00:00:00.000Z',
    });
  });
});

describe('wireRecordsJson', () => {
  // Any text a record may hold: quotes, backslashes, controls, lone and paired surrogates, U+2028.
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u0000', '\ud800', '\udfff', '😀', '\u2028', 'plain'));
  const value = fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-30T10:00:00.000Z'));
  const names = ['email', 'amount', 'flag', 'seen_at', '__proto__', 'hs_object_id'];
  const types = new Map<string, PropertyType>([
    ['email', 'string'],
    ['amount', 'number'],
    ['flag', 'bool'],
    ['seen_at', 'datetime'],
    ['__proto__', 'string'],
    ['hs_object_id', 'string'],
  ]);
  const record = fc.record({
    id: text,
    // As the crm keeps them: a dictionary without a prototype, so '__proto__' is a name like any other.
    properties: fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 6 }).map((entries) => Object.assign(Object.create(null) as Record<string, unknown>, Object.fromEntries(entries))),
    createdAt: text,
    updatedAt: text,
    archived: fc.boolean(),
    archivedAt: fc.option(text, { nil: undefined }),
  });

  it('is the wire records stringified, byte for byte, for any records', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), fc.subarray(names), (made, shown) => {
        const records = made.map(({ archivedAt, ...rest }) => ({ objectType: 'contacts', ...rest, ...(archivedAt !== undefined ? { archivedAt } : {}) }) as unknown as CrmRecord);
        expect(wireRecordsJson(records, wireColumns(shown, types))).toBe(JSON.stringify(records.map((one) => toWireRecord(one, shown, types))));
      }),
      { numRuns: 300 },
    );
  });

  it('one record alone (a write answer) is its wire record stringified, for any record', () => {
    fc.assert(
      fc.property(record, fc.subarray(names), ({ archivedAt, ...rest }, shown) => {
        const one = { objectType: 'contacts', ...rest, ...(archivedAt !== undefined ? { archivedAt } : {}) } as unknown as CrmRecord;
        expect(wireRecordJson(one, wireColumns(shown, types))).toBe(JSON.stringify(toWireRecord(one, shown, types)));
      }),
      { numRuns: 300 },
    );
  });

  it('a record shown again reuses its text only for the same properties', () => {
    const record = { objectType: 'contacts', id: '1', properties: { email: 'a@x.com', amount: 2.5 }, createdAt: 'c', updatedAt: 'u', archived: false } as unknown as CrmRecord;
    const json = (shown: string[]) => wireRecordsJson([record], wireColumns(shown, types));
    expect(json(['email'])).toBe('[{"id":"1","properties":{"email":"a@x.com"},"createdAt":"c","updatedAt":"u","archived":false}]');
    expect(json(['amount'])).toBe('[{"id":"1","properties":{"amount":"2.5"},"createdAt":"c","updatedAt":"u","archived":false}]');
    expect(json(['email'])).toBe(JSON.stringify([toWireRecord(record, ['email'], types)]));
    // More property lists than a record keeps: each still answers its own text.
    for (const shown of [['flag'], ['seen_at'], ['email', 'amount'], ['amount', 'email'], ['email']]) expect(json(shown)).toBe(JSON.stringify([toWireRecord(record, shown, types)]));
  });
});
