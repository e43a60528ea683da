// seed(): the counts asked for, data that satisfies every rule, the same data for the same
// seed, and bad options refused before anything is written.
import { describe, expect, it } from 'vitest';
import { createCrm, CrmError } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';
import { MAX_SEED_COUNT, seed, sequentialIds, steppingClock } from 'crmkit/testing';
import { expectCrmError, testCrm } from '../helpers.js';
import { comparable, expectSeedInvariants } from './seed-invariants.js';

const everything = { companies: 8, contacts: 40, deals: 12, tickets: 6, notes: 10, calls: 4, meetings: 3, tasks: 5, emails: 2, leads: 3, quotes: 2, products: 2 };

describe('seed', () => {
  it('makes the counts asked for, and every record satisfies the rules', async () => {
    const { crm } = await testCrm();
    const result = await seed(crm, { ...everything, seed: 'rules' });
    await expectSeedInvariants(crm, result, everything);
    for (const [type, count] of Object.entries(everything)) expect(await crm.records.count(type), type).toBe(count);
  });

  it('answers the records as stored, calculated properties included', async () => {
    const { crm } = await testCrm();
    const { companies, contacts } = await seed(crm, { companies: 2, contacts: 10, deals: 4, notes: 5 });
    for (const record of [...companies, ...contacts]) expect(await crm.records.get(record.objectType, record.id)).toEqual(record);
  });

  it('always answers the core types, empty when not asked for', async () => {
    const { crm } = await testCrm();
    const result = await seed(crm, { notes: 2 });
    expect(result.contacts).toEqual([]);
    expect(result.companies).toEqual([]);
    expect(result.deals).toEqual([]);
    expect(result.tickets).toEqual([]);
    expect(result.notes).toHaveLength(2);
  });

  it('gives contacts a primary company, some a second one, some none, and emails on company and free-mail domains', async () => {
    const { crm } = await testCrm();
    const { contacts, companies } = await seed(crm, { companies: 20, contacts: 300, seed: 3 });
    const companiesOf = await crm.associations.listMany(contacts, 'companies');
    const sizes = contacts.map((contact) => companiesOf.get(contact.id)?.length ?? 0);
    expect(sizes.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(sizes.filter((n) => n === 1).length).toBeGreaterThan(0);
    expect(sizes.filter((n) => n === 2).length).toBeGreaterThan(0);
    const domains = new Set(companies.map((company) => company.properties.domain));
    const emailDomains = contacts.map((contact) => String(contact.properties.email).split('@')[1]);
    expect(emailDomains.some((domain) => domains.has(domain))).toBe(true);
    expect(emailDomains.some((domain) => domain === 'gmail.com' || domain === 'outlook.com' || domain === 'yahoo.com')).toBe(true);
  });

  it('puts deals in the stages of every live pipeline, labels some contacts, and associates deals with a company', async () => {
    const { crm } = await testCrm();
    await crm.pipelines.create('deals', { label: 'Renewals', stages: [{ label: 'Due', metadata: { probability: 0.5 } }, { label: 'Renewed', metadata: { probability: 1 } }] });
    const result = await seed(crm, { companies: 10, contacts: 60, deals: 80, seed: 5 });
    await expectSeedInvariants(crm, result, { companies: 10, contacts: 60, deals: 80 });
    expect(new Set(result.deals.map((deal) => deal.properties.pipeline))).toEqual(new Set(['default', 'renewals']));
    const contactsOf = await crm.associations.listMany(result.deals, 'contacts');
    const labels = [...contactsOf.values()].flat().flatMap((item) => item.labels);
    expect(labels).toContain('decision_maker');
    expect(labels).toContain('champion');
    const companiesOf = await crm.associations.listMany(result.deals, 'companies');
    expect([...companiesOf.values()].filter((items) => items.length === 1).length).toBeGreaterThan(60);
  });

  it('respects a label the CRM already has, with its caps', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'deals', label: 'Decision maker', limit: 1, inverseLimit: 1 });
    const { deals } = await seed(crm, { companies: 3, contacts: 30, deals: 40, seed: 9 });
    const contactsOf = await crm.associations.listMany(deals, 'contacts', { label: 'decision_maker' });
    expect([...contactsOf.values()].every((items) => items.length <= 1)).toBe(true);
    expect(crm.associations.labels('deals', 'contacts').filter((label) => label.name === 'decision_maker')).toHaveLength(1);
  });

  it('associates tickets and activities with contacts and their companies', async () => {
    const { crm } = await testCrm();
    const { tickets, notes } = await seed(crm, { companies: 4, contacts: 20, deals: 6, tickets: 10, notes: 15 });
    const ticketContacts = await crm.associations.listMany(tickets, 'contacts');
    expect(tickets.every((ticket) => (ticketContacts.get(ticket.id) ?? []).length === 1)).toBe(true);
    const noteContacts = await crm.associations.listMany(notes!, 'contacts');
    expect(notes!.every((note) => (noteContacts.get(note.id) ?? []).length === 1)).toBe(true);
  });

  it('seeds other object types with their required properties and associations', async () => {
    const { crm } = await testCrm();
    const { leads, quotes } = await seed(crm, { contacts: 3, deals: 2, leads: 4, quotes: 2 });
    const leadContacts = await crm.associations.listMany(leads!, 'contacts');
    expect(leads!.every((lead) => (leadContacts.get(lead.id) ?? []).length === 1)).toBe(true);
    const quoteDeals = await crm.associations.listMany(quotes!, 'deals');
    expect(quotes!.every((quote) => (quoteDeals.get(quote.id) ?? []).length === 1)).toBe(true);
  });

  it('seeds a custom object from its definition', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject({
      name: 'roast_batches',
      labels: { singular: 'Roast batch', plural: 'Roast batches' },
      primaryDisplayProperty: 'batch_name',
      requiredProperties: ['batch_name', 'roast'],
      properties: [
        { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text', unique: true },
        { name: 'roast', label: 'Roast', type: 'enumeration', fieldType: 'select', options: [{ label: 'Light', value: 'light' }, { label: 'Dark', value: 'dark' }] },
      ],
      associations: ['contacts'],
    });
    const { roast_batches: batches } = await seed(crm, { roast_batches: 5 });
    expect(batches).toHaveLength(5);
    expect(new Set(batches!.map((batch) => batch.properties.batch_name)).size).toBe(5);
  });

  it('gives the same data and ids for the same seed, whatever the order of the options', async () => {
    const a = await testCrm();
    const b = await testCrm();
    await seed(a.crm, { companies: 5, contacts: 30, deals: 10, notes: 5, seed: 'same' });
    await seed(b.crm, { notes: 5, deals: 10, contacts: 30, companies: 5, seed: 'same' });
    expect(comparable(b.storage.snapshot())).toEqual(comparable(a.storage.snapshot()));
  });

  it('treats a number seed and its string as one seed, and the default as a fixed seed', async () => {
    const one = await seed((await testCrm()).crm, { contacts: 5, seed: 1 });
    const text = await seed((await testCrm()).crm, { contacts: 5, seed: '1' });
    expect(text.contacts).toEqual(one.contacts);
    const first = await seed((await testCrm()).crm, { contacts: 5 });
    const again = await seed((await testCrm()).crm, { contacts: 5 });
    expect(again.contacts).toEqual(first.contacts);
  });

  it('gives different data for different seeds', async () => {
    const a = await seed((await testCrm()).crm, { companies: 3, contacts: 10, seed: 1 });
    const b = await seed((await testCrm()).crm, { companies: 3, contacts: 10, seed: 2 });
    expect(b.contacts.map((contact) => contact.properties.email)).not.toEqual(a.contacts.map((contact) => contact.properties.email));
  });

  it('spreads dates around `now`: closed deals before it, open ones after it', async () => {
    const { crm } = await testCrm();
    const now = '2030-06-15T00:00:00.000Z';
    const { deals, notes } = await seed(crm, { companies: 2, contacts: 5, deals: 30, notes: 10, now });
    for (const deal of deals) {
      const closes = String(deal.properties.closedate);
      if (deal.properties.hs_is_closed) expect(closes < now, closes).toBe(true);
      else expect(closes > now, closes).toBe(true);
    }
    for (const note of notes!) expect(String(note.properties.hs_timestamp) < now).toBe(true);
  });

  it('agrees with automatic association by domain and without automatic activity associations', async () => {
    for (const options of [{ autoAssociateByDomain: true }, { autoAssociateActivities: false }]) {
      const { crm } = await testCrm(options);
      const asked = { companies: 6, contacts: 60, deals: 10, notes: 10, seed: 'auto' };
      const result = await seed(crm, asked);
      await expectSeedInvariants(crm, result, { companies: 6, contacts: 60, deals: 10, notes: 10 });
    }
  });

  it('seeds a SQLite storage too', async () => {
    const crm = await createCrm({ storage: sqliteStorage(':memory:'), ids: sequentialIds(), clock: steppingClock() });
    const asked = { companies: 3, contacts: 20, deals: 5, tickets: 3, notes: 5 };
    const result = await seed(crm, { ...asked, seed: 'sql' });
    await expectSeedInvariants(crm, result, asked);
    await crm.close();
  });

  it('works with the default ids and clock (random ids, the real time)', async () => {
    const crm = await createCrm();
    const result = await seed(crm, { companies: 2, contacts: 5, deals: 2 });
    await expectSeedInvariants(crm, result, { companies: 2, contacts: 5, deals: 2 });
  });
});

describe('seed refuses bad options with nothing written', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a negative count', { contacts: -1 }, 'contacts'],
    ['a fraction', { contacts: 1.5 }, 'contacts'],
    ['a count as a string', { contacts: '10' }, 'contacts'],
    ['a count above the cap', { contacts: MAX_SEED_COUNT + 1 }, 'contacts'],
    ['an empty seed', { contacts: 1, seed: '' }, 'seed'],
    ['a seed that is not a number', { contacts: 1, seed: Number.NaN }, 'seed'],
    ['a seed of another type', { contacts: 1, seed: {} }, 'seed'],
    ['a bad now', { contacts: 1, now: 'yesterday' }, 'now'],
    ['a type that needs activation', { services: 1 }, 'services'],
    ['leads without contacts or companies', { leads: 2 }, 'leads'],
    ['quotes without deals', { quotes: 1, contacts: 2 }, 'quotes'],
  ];
  for (const [name, options, culprit] of cases) {
    it(`${name}: VALIDATION_ERROR naming ${culprit}`, async () => {
      const { crm, storage } = await testCrm();
      await crm.records.create('contacts', { email: 'before@example.com' });
      const before = storage.snapshot();
      const error = await expectCrmError(seed(crm, options as never), 'VALIDATION_ERROR');
      expect(error.details.issues.map((issue) => issue.property ?? (issue.code === 'UNKNOWN_OPTION' ? issue.option : undefined))).toContain(culprit);
      expect(error.message).toContain(culprit);
      expect(storage.snapshot()).toEqual(before);
    });
  }

  it('an unknown object type: UNKNOWN_OPTION with the type meant', async () => {
    const { crm, storage } = await testCrm();
    const before = storage.snapshot();
    const error = await expectCrmError(seed(crm, { contact: 5 }), 'VALIDATION_ERROR');
    const issue = error.details.issues[0]!;
    expect(issue.code === 'UNKNOWN_OPTION' && [issue.option, issue.suggestion]).toEqual(['contact', 'contacts']);
    expect(storage.snapshot()).toEqual(before);
  });

  it('lists every bad option at once', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(seed(crm, { contacts: -1, deals: 0.5, seed: '' }), 'VALIDATION_ERROR');
    expect(error.details.issues.map((issue) => issue.property).sort()).toEqual(['contacts', 'deals', 'seed']);
  });

  it('options that are not an object', async () => {
    const { crm } = await testCrm();
    await expectCrmError(seed(crm, null as never), 'VALIDATION_ERROR');
    await expectCrmError(seed(crm, [] as never), 'VALIDATION_ERROR');
  });

  it('seeding the same seed twice into one CRM: DUPLICATE_RECORD, and the second seed writes nothing', async () => {
    const { crm, storage } = await testCrm();
    await seed(crm, { companies: 3, contacts: 10, deals: 3, seed: 'twice' });
    const before = storage.snapshot();
    const error = await seed(crm, { companies: 3, contacts: 10, deals: 3, seed: 'twice' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrmError);
    expect((error as CrmError).code).toBe('DUPLICATE_RECORD');
    expect(storage.snapshot()).toEqual(before);
  });
});

describe('seed across releases and forks', () => {
  it('pins the data of one seed: a change to the generators is a visible change', async () => {
    const { contacts, companies } = await seed((await testCrm()).crm, { companies: 2, contacts: 3, seed: 'golden' });
    expect([...companies, ...contacts].map((record) => record.properties.domain ?? record.properties.email)).toMatchInlineSnapshot(`
      [
        "quartzroasters.com",
        "helixhealth.com",
        "ana.torres@helixhealth.com",
        "noor.oliveira@quartzroasters.com",
        "lucia.oliveira@yahoo.com",
      ]
    `);
  });

  it('a fork of a seeded CRM has the seed, and each fork of one base goes on with the same next id', async () => {
    const base = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
    const { contacts } = await seed(base, { companies: 2, contacts: 5, seed: 'fork' });
    const a = await base.fork();
    const b = await base.fork();
    expect(await a.records.get('contacts', contacts[0]!.id)).toEqual(contacts[0]);
    const inA = await a.records.create('contacts', { email: 'new@example.com' });
    const inB = await b.records.create('contacts', { email: 'new@example.com' });
    expect(inB.id).toBe(inA.id);
    expect(await base.records.count('contacts')).toBe(5);
  });
});

describe('seed with deterministic ids and clocks', () => {
  it('hands out the same ids on every run', async () => {
    const crm = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
    const { companies, contacts } = await seed(crm, { companies: 2, contacts: 3, seed: 'ids' });
    expect(companies.map((company) => company.id)).toEqual(['id-1', 'id-2']);
    expect(contacts.map((contact) => contact.id)).toEqual(['id-3', 'id-4', 'id-5']);
  });
});
