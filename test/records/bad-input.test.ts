// Bad input to the record store (issue "Bad input"): each answers a CrmError with a specific code
// and a message naming the culprit, changes nothing in storage, and emits no event.
import { describe, expect, it } from 'vitest';
import { CrmError, type ChangeEvent, type CrmErrorCode, type Crm, type MemoryStorage } from 'crmkit';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

interface Fixture {
  crm: Crm;
  storage: MemoryStorage;
  events: ChangeEvent[];
  contactId: string;
  dealId: string;
}

/** A CRM holding a contact, a company and a deal, with a listener recording events. */
async function fixture(): Promise<Fixture> {
  const { crm, storage } = await testCrm();
  const contact = await crm.records.create('contacts', { email: 'ana@x.com', firstname: 'Ana', hs_additional_emails: 'ana@home.org' });
  await crm.records.create('companies', { name: 'Orange', domain: 'orange.com' });
  const deal = await crm.records.create('deals', { dealname: 'Big', dealstage: 'closedwon', amount: 10 });
  await crm.records.update('contacts', contact.id, { lastname: 'Silva' });
  const events: ChangeEvent[] = [];
  crm.subscribe((event) => events.push(event));
  return { crm, storage, events, contactId: contact.id, dealId: deal.id };
}

/**
 * Expects `call` to reject with a CrmError of `code` whose message names `culprit` (and, for a
 * VALIDATION_ERROR, whose issues include `issue`), with storage unchanged and no event emitted.
 */
async function expectRefused<C extends CrmErrorCode>(
  f: Fixture,
  call: () => Promise<unknown>,
  code: C,
  culprit: string,
  issue?: string,
): Promise<CrmError<C>> {
  const before = structuredClone(f.storage.snapshot());
  const error = await expectCrmError(call(), code);
  expect(error.message, `message should name ${culprit}`).toContain(culprit);
  if (issue !== undefined) expect(issueCodes(error)).toContain(issue);
  expect(f.storage.snapshot()).toEqual(before);
  expect(f.events).toEqual([]);
  return error;
}

describe('unknown object types', () => {
  it.each([
    ['create', (f: Fixture) => f.crm.records.create('widgets', { name: 'x' })],
    ['createMany', (f: Fixture) => f.crm.records.createMany('widgets', [{ name: 'x' }])],
    ['get', (f: Fixture) => f.crm.records.get('widgets', f.contactId)],
    ['getBy', (f: Fixture) => f.crm.records.getBy('widgets', 'hs_object_id', f.contactId)],
    ['update', (f: Fixture) => f.crm.records.update('widgets', f.contactId, { name: 'x' })],
    ['upsert', (f: Fixture) => f.crm.records.upsert('widgets', { name: 'x' })],
    ['archive', (f: Fixture) => f.crm.records.archive('widgets', f.contactId)],
    ['restore', (f: Fixture) => f.crm.records.restore('widgets', f.contactId)],
    ['purge', (f: Fixture) => f.crm.records.purge('widgets', f.contactId)],
    ['list', (f: Fixture) => f.crm.records.list('widgets')],
    ['history', (f: Fixture) => f.crm.records.history('widgets', f.contactId, 'email')],
  ])('%s is UNKNOWN_OBJECT_TYPE naming the type', async (_call, call) => {
    const f = await fixture();
    await expectRefused(f, () => call(f), 'UNKNOWN_OBJECT_TYPE', 'widgets');
  });

  it('a wrong type name or id, or a non-string, is UNKNOWN_OBJECT_TYPE too', async () => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.create('Contacts', { email: 'b@x.com' }), 'UNKNOWN_OBJECT_TYPE', 'Contacts');
    await expectRefused(f, () => f.crm.records.create('0-999', { email: 'b@x.com' }), 'UNKNOWN_OBJECT_TYPE', '0-999');
    await expectRefused(f, () => f.crm.records.create(42 as never, { email: 'b@x.com' }), 'UNKNOWN_OBJECT_TYPE', '42');
    await expectRefused(f, () => f.crm.records.list('__proto__'), 'UNKNOWN_OBJECT_TYPE', '__proto__');
  });
});

describe('unknown and read-only properties', () => {
  it('an unknown property is PROPERTY_DOESNT_EXIST naming it, on create, createMany and update', async () => {
    const f = await fixture();
    const error = await expectRefused(
      f,
      () => f.crm.records.create('contacts', { email: 'b@x.com', favourite_colour: 'teal' }),
      'VALIDATION_ERROR',
      'favourite_colour',
      'PROPERTY_DOESNT_EXIST',
    );
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', property: 'favourite_colour' })]);
    await expectRefused(f, () => f.crm.records.createMany('contacts', [{ email: 'b@x.com' }, { shoe: 1 }]), 'VALIDATION_ERROR', 'shoe', 'PROPERTY_DOESNT_EXIST');
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { shoe: 1 }), 'VALIDATION_ERROR', 'shoe', 'PROPERTY_DOESNT_EXIST');
    await expectRefused(f, () => f.crm.records.upsert('contacts', { email: 'ana@x.com', shoe: 1 }), 'VALIDATION_ERROR', 'shoe', 'PROPERTY_DOESNT_EXIST');
  });

  it("another object's property is unknown here", async () => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.create('contacts', { email: 'b@x.com', dealname: 'x' }), 'VALIDATION_ERROR', 'dealname', 'PROPERTY_DOESNT_EXIST');
  });

  it('read-only properties are READ_ONLY_VALUE naming them', async () => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.create('contacts', { email: 'b@x.com', hs_object_id: '7' }), 'VALIDATION_ERROR', 'hs_object_id', 'READ_ONLY_VALUE');
    await expectRefused(
      f,
      () => f.crm.records.update('deals', f.dealId, { hs_lastmodifieddate: '2026-01-01T00:00:00Z' }),
      'VALIDATION_ERROR',
      'hs_lastmodifieddate',
      'READ_ONLY_VALUE',
    );
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { createdate: 0 }), 'VALIDATION_ERROR', 'createdate', 'READ_ONLY_VALUE');
  });
});

describe('wrong value types', () => {
  it.each([
    ['an object', 'INVALID_STRING', { first: 'Ana' }],
    ['an array', 'INVALID_STRING', ['Ana']],
    ['a function', 'INVALID_STRING', () => 'Ana'],
    ['a symbol', 'INVALID_STRING', Symbol('Ana')],
    ['a bigint', 'INVALID_STRING', 12n],
    ['a boolean', 'INVALID_STRING', true],
    ['a Map', 'INVALID_STRING', new Map([['a', 1]])],
  ])('%s for a string property is %s', async (_label, code, value) => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.create('contacts', { firstname: value as never }), 'VALIDATION_ERROR', 'firstname', code);
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { firstname: value as never }), 'VALIDATION_ERROR', 'firstname', code);
  });

  it('an array for a single-select enumeration is INVALID_OPTION', async () => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { lifecyclestage: ['lead'] }), 'VALIDATION_ERROR', 'lifecyclestage', 'INVALID_OPTION');
  });

  it('a non-number for a number property is INVALID_NUMBER', async () => {
    const f = await fixture();
    for (const value of [{ n: 1 }, [1], true, 5n, 'ten']) {
      await expectRefused(f, () => f.crm.records.update('deals', f.dealId, { amount: value as never }), 'VALIDATION_ERROR', 'amount', 'INVALID_NUMBER');
    }
  });

  it('a non-boolean for a bool property is INVALID_BOOLEAN', async () => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { hs_email_optout: 'yes' }), 'VALIDATION_ERROR', 'hs_email_optout', 'INVALID_BOOLEAN');
  });

  it('reports every wrong value of one write together', async () => {
    const f = await fixture();
    const error = await expectRefused(
      f,
      () => f.crm.records.update('contacts', f.contactId, { firstname: {} as never, lastname: [] as never, email: 'nope', phone: (() => 1) as never }),
      'VALIDATION_ERROR',
      'firstname',
    );
    expect(error.details.issues?.map((issue) => issue.property)).toEqual(['firstname', 'lastname', 'email', 'phone']);
    expect(error.message).toContain('3 more');
  });
});

describe('__proto__ and constructor', () => {
  it('__proto__ as a property name is PROPERTY_DOESNT_EXIST, and Object.prototype is untouched', async () => {
    const f = await fixture();
    const protoKeys = Object.getOwnPropertyNames(Object.prototype);
    const input = JSON.parse('{"__proto__": "x", "firstname": "Eve"}') as Record<string, never>;
    expect(Object.hasOwn(input, '__proto__')).toBe(true);
    const error = await expectRefused(f, () => f.crm.records.create('contacts', input), 'VALIDATION_ERROR', '__proto__', 'PROPERTY_DOESNT_EXIST');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', property: '__proto__' })]);
    const polluting = JSON.parse('{"__proto__": {"polluted": "yes"}, "firstname": "Eve"}') as Record<string, never>;
    await expectRefused(f, () => f.crm.records.create('contacts', polluting), 'VALIDATION_ERROR', '__proto__', 'PROPERTY_DOESNT_EXIST');
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, polluting), 'VALIDATION_ERROR', '__proto__', 'PROPERTY_DOESNT_EXIST');
    await expectRefused(f, () => f.crm.records.createMany('contacts', [polluting]), 'VALIDATION_ERROR', '__proto__', 'PROPERTY_DOESNT_EXIST');
    await expectRefused(f, () => f.crm.records.upsert('contacts', { ...polluting, email: 'eve@x.com' }), 'VALIDATION_ERROR', '__proto__', 'PROPERTY_DOESNT_EXIST');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(protoKeys);
    expect(Object.getPrototypeOf((await f.crm.records.get('contacts', f.contactId))!.properties)).toBe(Object.prototype);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'prototype'])('%s as a property name is PROPERTY_DOESNT_EXIST', async (name) => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.create('contacts', { firstname: 'Eve', [name]: 'x' }), 'VALIDATION_ERROR', name, 'PROPERTY_DOESNT_EXIST');
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { [name]: 'x' }), 'VALIDATION_ERROR', name, 'PROPERTY_DOESNT_EXIST');
  });

  it('a value that is an object with a __proto__ key is refused and pollutes nothing', async () => {
    const f = await fixture();
    const value = JSON.parse('{"__proto__": {"polluted": "yes"}}') as never;
    await expectRefused(f, () => f.crm.records.create('contacts', { firstname: value }), 'VALIDATION_ERROR', 'firstname', 'INVALID_STRING');
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { lifecyclestage: value }), 'VALIDATION_ERROR', 'lifecyclestage', 'INVALID_OPTION');
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { hs_additional_emails: value }), 'VALIDATION_ERROR', 'hs_additional_emails', 'INVALID_STRING');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('huge and non-finite values', () => {
  it('a 10 MB string is TOO_LONG, and the message does not contain it', async () => {
    const f = await fixture();
    for (const property of ['firstname', 'email', 'hs_additional_emails', 'message']) {
      const error = await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { [property]: TEN_MB }), 'VALIDATION_ERROR', property, 'TOO_LONG');
      expect(error.message.length).toBeLessThan(500);
      expect(error.message).not.toContain('x'.repeat(100));
      expect(JSON.stringify(error.details).length).toBeLessThan(2_000);
    }
  });

  it('a 10 MB property name is PROPERTY_DOESNT_EXIST without the name in the message', async () => {
    const f = await fixture();
    const error = await expectRefused(f, () => f.crm.records.create('contacts', { firstname: 'A', [TEN_MB]: 'x' }), 'VALIDATION_ERROR', 'does not exist', 'PROPERTY_DOESNT_EXIST');
    expect(error.message.length).toBeLessThan(500);
    expect(JSON.stringify(error.details).length).toBeLessThan(2_000);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s is INVALID_NUMBER', async (_label, value) => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.update('deals', f.dealId, { amount: value }), 'VALIDATION_ERROR', 'amount', 'INVALID_NUMBER');
    await expectRefused(f, () => f.crm.records.create('companies', { name: 'X', annualrevenue: value }), 'VALIDATION_ERROR', 'annualrevenue', 'INVALID_NUMBER');
  });
});

describe('invalid dates', () => {
  it.each([
    ['a day that does not exist', '2026-02-30'],
    ['an invalid Date', new Date(Number.NaN)],
    ['a datetime without a zone', '2026-01-15T10:00:00'],
    ['free text', 'soon'],
  ])('%s is INVALID_DATE', async (_label, value) => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.update('deals', f.dealId, { closedate: value }), 'VALIDATION_ERROR', 'closedate', 'INVALID_DATE');
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, { date_of_birth: value }), 'VALIDATION_ERROR', 'date_of_birth', 'INVALID_DATE');
  });
});

describe('non-object properties', () => {
  const notObjects: Array<[string, unknown]> = [
    ['null', null],
    ['an array', [{ email: 'b@x.com' }]],
    ['a string', 'email=b@x.com'],
    ['a Map', new Map([['email', 'b@x.com']])],
    ['a number', 7],
  ];

  it.each(notObjects)('%s as properties is INVALID_PROPERTIES for create, createMany and update', async (_label, value) => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.create('contacts', value as never), 'VALIDATION_ERROR', 'properties', 'INVALID_PROPERTIES');
    const batch = await expectRefused(f, () => f.crm.records.createMany('contacts', [{ email: 'ok@x.com' }, value as never]), 'VALIDATION_ERROR', 'properties', 'INVALID_PROPERTIES');
    expect(batch.details.issues).toEqual([expect.objectContaining({ code: 'INVALID_PROPERTIES', index: 1 })]);
    await expectRefused(f, () => f.crm.records.update('contacts', f.contactId, value as never), 'VALIDATION_ERROR', 'properties', 'INVALID_PROPERTIES');
  });

  it.each(notObjects)('%s as properties is INVALID_PROPERTIES for upsert', async (_label, value) => {
    const f = await fixture();
    await expectRefused(f, () => f.crm.records.upsert('contacts', value as never), 'VALIDATION_ERROR', 'properties', 'INVALID_PROPERTIES');
  });

  it('createMany with a non-array is VALIDATION_ERROR naming the argument', async () => {
    const f = await fixture();
    for (const value of [{ email: 'b@x.com' }, 'b@x.com', null, undefined, new Set([{ email: 'b@x.com' }])]) {
      await expectRefused(f, () => f.crm.records.createMany('contacts', value as never), 'VALIDATION_ERROR', 'array', 'INVALID_ARGUMENT');
    }
  });
});

describe('invalid ids', () => {
  it.each([
    ['the empty string', ''],
    ['a number', 42],
    ['null', null],
    ['an object', { id: 'id-1' }],
    ['a 10 MB string', TEN_MB],
  ])('%s as an id is INVALID_ID', async (_label, id) => {
    const f = await fixture();
    const calls: Array<() => Promise<unknown>> = [
      () => f.crm.records.get('contacts', id as never),
      () => f.crm.records.update('contacts', id as never, { firstname: 'X' }),
      () => f.crm.records.archive('contacts', id as never),
      () => f.crm.records.restore('contacts', id as never),
      () => f.crm.records.purge('contacts', id as never),
      () => f.crm.records.history('contacts', id as never, 'email'),
    ];
    for (const call of calls) {
      const error = await expectRefused(f, call, 'VALIDATION_ERROR', 'record id', 'INVALID_ID');
      expect(error.message.length).toBeLessThan(500);
    }
  });
});

describe('no trace of a failed call', () => {
  it('a failed call emits no event; the next successful call emits exactly its own', async () => {
    const f = await fixture();
    await expectCrmError(f.crm.records.create('contacts', { email: 'ana@x.com' }), 'DUPLICATE_RECORD');
    await expectCrmError(f.crm.records.createMany('contacts', [{ email: 'new@x.com' }, { email: 'bad' }]), 'VALIDATION_ERROR');
    await expectCrmError(f.crm.records.update('contacts', f.contactId, { email: 'bad' }), 'VALIDATION_ERROR');
    await expectCrmError(f.crm.records.archive('contacts', 'ghost'), 'NOT_FOUND');
    expect(f.events).toEqual([]);
    const created = await f.crm.records.create('contacts', { email: 'new@x.com' });
    expect(f.events).toEqual([expect.objectContaining({ type: 'record.created', id: created.id })]);
  });

  it('a refused write leaves no key behind: the values it tried to claim stay free', async () => {
    const f = await fixture();
    await expectRefused(
      f,
      () => f.crm.records.createMany('contacts', [{ email: 'free@x.com' }, { email: 'ANA@x.com' }]),
      'DUPLICATE_RECORD',
      'email',
    );
    await expect(f.crm.records.create('contacts', { email: 'free@x.com' })).resolves.toBeDefined();
  });

  it('invalid write options are refused before anything is written', async () => {
    const f = await fixture();
    await expectRefused(
      f,
      () => f.crm.records.update('contacts', f.contactId, { firstname: 'X' }, { source: { type: 'HACKER' } } as never),
      'VALIDATION_ERROR',
      'source',
    );
    await expectRefused(
      f,
      () => f.crm.records.archive('contacts', f.contactId, { source: { type: 'API', id: 'x'.repeat(2_000) } }),
      'VALIDATION_ERROR',
      'source',
    );
  });
});

describe('text no storage keeps', () => {
  // PostgreSQL refuses NUL and unpaired surrogates in text; every storage refuses them alike.
  it.each([
    ['a NUL character in a string', { firstname: 'A\u0000na' }, 'firstname'],
    ['an unpaired high surrogate', { lastname: 'Silva\uD83D' }, 'lastname'],
    ['an unpaired low surrogate', { firstname: 'Ana', jobtitle: '\uDE00CTO' }, 'jobtitle'],
    ['a NUL character in an email', { email: 'a\u0000b@x.com' }, 'email'],
    ['a NUL character in an additional email', { email: 'ok@x.com', hs_additional_emails: 'b\u0000@x.com' }, 'hs_additional_emails'],
  ])('refuses %s (INVALID_STRING) and writes nothing', async (_, properties, property) => {
    const { crm, storage } = await fixture();
    const before = JSON.stringify(storage.snapshot());
    const error = await expectCrmError(crm.records.create('contacts', properties), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'INVALID_STRING', property })]);
    expect(JSON.stringify(storage.snapshot())).toBe(before);
  });

  it('keeps text with paired surrogates (emoji) as it is', async () => {
    const { crm } = await fixture();
    const created = await crm.records.create('contacts', { firstname: 'Ana 😀' });
    expect(created.properties.firstname).toBe('Ana 😀');
  });

  it('refuses a record id holding a NUL character (INVALID_ID)', async () => {
    const { crm } = await fixture();
    const error = await expectCrmError(crm.records.get('contacts', 'id\u0000'), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['INVALID_ID']);
  });
});
