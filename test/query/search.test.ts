// crm.records.search through the public API: association filters, `query`, sorts, projection,
// archived records, reading its own writes, cursors while records change, relative dates and
// explain. Operators per type are in ./operators.test.ts; malformed requests in ./bad-requests.test.ts.
import { describe, expect, it } from 'vitest';
import { createCrm, type Crm, type SearchRequest } from 'crmkit';
import { expectCrmError } from '../helpers.js';
import { issues, NOW, searchCrm, values } from './fixtures.js';

/** Contacts at two companies (Acme builds software, Beta does not), and deals with labelled contacts. */
async function seedGraph(crm: Crm) {
  const acme = await crm.records.create('companies', { name: 'Acme', domain: 'acme.com', industry: 'COMPUTER_SOFTWARE' });
  const beta = await crm.records.create('companies', { name: 'Beta', domain: 'beta.io', industry: 'BANKING' });
  const gamma = await crm.records.create('companies', { name: 'Gamma', domain: 'gamma.io', industry: 'COMPUTER_SOFTWARE' });
  const [ann, bob, cleo, dan] = await crm.records.createMany('contacts', [
    { email: 'ann@acme.com', firstname: 'Ann', lifecyclestage: 'customer' },
    { email: 'bob@beta.io', firstname: 'Bob', lifecyclestage: 'lead' },
    { email: 'cleo@gamma.io', firstname: 'Cleo', lifecyclestage: 'customer' },
    { email: 'dan@nowhere.org', firstname: 'Dan' },
  ]);
  // Ann: primary Acme, also Beta. Bob: primary Beta, also Acme. Cleo: Gamma and Acme, both software.
  await crm.associations.associate(ann!, acme);
  await crm.associations.associate(ann!, beta);
  await crm.associations.associate(bob!, beta);
  await crm.associations.associate(bob!, acme);
  await crm.associations.associate(cleo!, gamma);
  await crm.associations.associate(cleo!, acme);
  const [big, small, none] = await crm.records.createMany('deals', [
    { dealname: 'Big', amount: 5000, dealstage: 'closedwon' },
    { dealname: 'Small', amount: 50, dealstage: 'qualifiedtobuy' },
    { dealname: 'None', dealstage: 'qualifiedtobuy' },
  ]);
  await crm.associations.associate(big!, ann!, ['decision_maker']);
  await crm.associations.associate(big!, bob!);
  await crm.associations.associate(small!, bob!, ['decision_maker']);
  await crm.associations.associate(small!, cleo!, ['champion']);
  return { acme, beta, gamma, ann: ann!, bob: bob!, cleo: cleo!, dan: dan!, big: big!, small: small!, none: none! };
}

const byName = [{ propertyName: 'firstname', direction: 'ASCENDING' as const }];
const byDeal = [{ propertyName: 'dealname', direction: 'ASCENDING' as const }];

describe('association filters', () => {
  it('associated with a given record (by id)', async () => {
    const crm = await searchCrm();
    const { acme, beta } = await seedGraph(crm);
    const atAcme = await crm.records.search('contacts', { filterGroups: [{ filters: [{ association: { toType: 'companies', id: acme.id } }] }], sorts: byName });
    expect(values(atAcme, 'firstname')).toEqual(['Ann', 'Bob', 'Cleo']);
    const atBeta = await crm.records.search('contacts', { filterGroups: [{ filters: [{ association: { toType: 'companies', id: beta.id } }] }], sorts: byName });
    expect(values(atBeta, 'firstname')).toEqual(['Ann', 'Bob']);
  });

  it('whose associated records match nested filters: any of them (the default) or all of them, with at least one', async () => {
    const crm = await searchCrm();
    await seedGraph(crm);
    const software = [{ propertyName: 'industry', operator: 'EQ' as const, value: 'COMPUTER_SOFTWARE' }];
    const any = await crm.records.search('contacts', { filterGroups: [{ filters: [{ association: { toType: 'companies', filters: software } }] }], sorts: byName });
    expect(values(any, 'firstname')).toEqual(['Ann', 'Bob', 'Cleo']);
    const all = await crm.records.search('contacts', { filterGroups: [{ filters: [{ association: { toType: 'companies', match: 'all', filters: software } }] }], sorts: byName });
    // Dan has no company: "all of none" does not match.
    expect(values(all, 'firstname')).toEqual(['Cleo']);
    const none = await crm.records.count('contacts', { filterGroups: [{ filters: [{ association: { toType: 'companies', match: 'all' } }] }] });
    expect(none).toBe(3);
  });

  it('only the primary company: contacts whose primary company builds software', async () => {
    const crm = await searchCrm();
    await seedGraph(crm);
    const result = await crm.records.search('contacts', {
      filterGroups: [{ filters: [{ association: { toType: 'companies', primary: true, filters: [{ propertyName: 'industry', operator: 'EQ', value: 'COMPUTER_SOFTWARE' }] } }] }],
      sorts: byName,
    });
    expect(values(result, 'firstname')).toEqual(['Ann', 'Cleo']);
  });

  it('the companies side of primary: companies that are some contact’s primary company', async () => {
    const crm = await searchCrm();
    const { acme } = await seedGraph(crm);
    await crm.records.create('companies', { name: 'Delta', domain: 'delta.io' });
    const result = await crm.records.search('companies', { filterGroups: [{ filters: [{ association: { toType: 'contacts', primary: true } }] }], sorts: [{ propertyName: 'name', direction: 'ASCENDING' }] });
    expect(values(result, 'name')).toEqual(['Acme', 'Beta', 'Gamma']);
    // Acme is primary for Ann only; a nested filter looks at those contacts only.
    const primaryForBob = await crm.records.search('companies', {
      filterGroups: [{ filters: [{ association: { toType: 'contacts', primary: true, filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'bob' }] } }] }],
    });
    expect(values(primaryForBob, 'name')).toEqual(['Beta']);
    expect(primaryForBob.results.map((record) => record.id)).not.toContain(acme.id);
  });

  it('by label, one or several: deals with a decision maker who is a customer; deals with a decision maker or a champion', async () => {
    const crm = await searchCrm();
    await seedGraph(crm);
    const customerDecides = await crm.records.search('deals', {
      filterGroups: [{ filters: [{ association: { toType: 'contacts', label: 'decision_maker', filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] } }] }],
      sorts: byDeal,
    });
    expect(values(customerDecides, 'dealname')).toEqual(['Big']);
    const labelled = await crm.records.search('deals', { filterGroups: [{ filters: [{ association: { toType: 'contacts', label: ['decision_maker', 'champion'] } }] }], sorts: byDeal });
    expect(values(labelled, 'dealname')).toEqual(['Big', 'Small']);
    const champions = await crm.records.search('deals', { filterGroups: [{ filters: [{ association: { toType: 'contacts', label: ['champion'] } }] }], sorts: byDeal });
    expect(values(champions, 'dealname')).toEqual(['Small']);
  });

  it('follows live associations to live records only', async () => {
    const crm = await searchCrm();
    const { cleo, gamma } = await seedGraph(crm);
    await crm.records.archive('companies', gamma.id);
    const atGamma = await crm.records.count('contacts', { filterGroups: [{ filters: [{ association: { toType: 'companies', id: gamma.id } }] }] });
    expect(atGamma).toBe(0);
    await crm.records.archive('contacts', cleo.id);
    const withChampion = await crm.records.count('deals', { filterGroups: [{ filters: [{ association: { toType: 'contacts', label: 'champion' } }] }] });
    expect(withChampion).toBe(0);
  });
});

describe('query', () => {
  it('every word must begin a word of a searchable property (contacts: email, names, phone, company), case-insensitively', async () => {
    const crm = await searchCrm();
    await crm.records.createMany('contacts', [
      { email: 'ann.lee@acme.com', firstname: 'Ann-Marie', lastname: 'Lee' },
      { email: 'bob@beta.io', firstname: 'Bob', lastname: 'Annan', jobtitle: 'Acme fan' },
      { email: 'cleo@gamma.io', firstname: 'Cléo', lastname: 'Straße' },
    ]);
    const search = async (query: string) => values(await crm.records.search('contacts', { query, sorts: byName }), 'firstname');
    expect(await search('ann')).toEqual(['Ann-Marie', 'Bob']);
    expect(await search('ANN lee')).toEqual(['Ann-Marie']);
    expect(await search('mar')).toEqual(['Ann-Marie']);
    expect(await search('acme')).toEqual(['Ann-Marie']); // jobtitle is not searchable
    expect(await search('cléo strasse')).toEqual([]);
    expect(await search('CLÉO STRAßE')).toEqual(['Cléo']);
    expect(await search('nobody')).toEqual([]);
    expect(await search('  ')).toEqual(['Ann-Marie', 'Bob', 'Cléo']);
  });

  it('combines with filter groups (both must hold)', async () => {
    const crm = await searchCrm();
    await crm.records.createMany('contacts', [
      { email: 'ann@acme.com', firstname: 'Ann', lifecyclestage: 'lead' },
      { email: 'anna@acme.com', firstname: 'Anna', lifecyclestage: 'customer' },
    ]);
    const result = await crm.records.search('contacts', { query: 'ann', filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] }] });
    expect(values(result, 'firstname')).toEqual(['Anna']);
  });
});

describe('sorts', () => {
  async function seedDeals() {
    const crm = await searchCrm();
    const made = await crm.records.createMany('deals', [
      { dealname: 'b', amount: 10, dealstage: 'closedwon' },
      { dealname: 'a', amount: 9, dealstage: 'closedwon' },
      { dealname: 'c', dealstage: 'closedwon' },
      { dealname: 'd', amount: 10, dealstage: 'closedwon' },
      { dealname: 'e', amount: 100, dealstage: 'closedwon' },
    ]);
    return { crm, made };
  }

  it('ascending and descending, numbers numerically, records without a value last in both directions', async () => {
    const { crm } = await seedDeals();
    const up = await crm.records.search('deals', { sorts: [{ propertyName: 'amount', direction: 'ASCENDING' }, { propertyName: 'dealname', direction: 'ASCENDING' }] });
    expect(values(up, 'dealname')).toEqual(['a', 'b', 'd', 'e', 'c']);
    const down = await crm.records.search('deals', { sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }, { propertyName: 'dealname', direction: 'DESCENDING' }] });
    expect(values(down, 'dealname')).toEqual(['e', 'd', 'b', 'a', 'c']);
  });

  it('ties are broken by record id, ascending, in either direction', async () => {
    const { crm, made } = await seedDeals();
    const tens = made.filter((deal) => deal.properties.amount === 10).map((deal) => deal.id).sort();
    for (const direction of ['ASCENDING', 'DESCENDING'] as const) {
      const result = await crm.records.search('deals', { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'EQ', value: 10 }] }], sorts: [{ propertyName: 'amount', direction }] });
      expect(result.results.map((deal) => deal.id)).toEqual(tens);
    }
  });

  it('without sorts, oldest first (by create date, then id)', async () => {
    const crm = await createCrm({ clock: (() => { let n = 0; return () => new Date(Date.UTC(2026, 0, 1, 0, 0, n++)); })() });
    const first = await crm.records.create('contacts', { email: 'z@x.com' });
    const second = await crm.records.create('contacts', { email: 'a@x.com' });
    const result = await crm.records.search('contacts', {});
    expect(result.results.map((record) => record.id)).toEqual([first.id, second.id]);
  });
});

describe('results', () => {
  it('properties shows only those, plus the id and the two dates', async () => {
    const crm = await searchCrm();
    await crm.records.create('contacts', { email: 'ann@acme.com', firstname: 'Ann', lastname: 'Lee' });
    const [shown] = (await crm.records.search('contacts', { properties: ['firstname', 'phone'] })).results;
    expect(Object.keys(shown!.properties).sort()).toEqual(['createdate', 'firstname', 'hs_object_id', 'lastmodifieddate']);
  });

  it('archived records never match, whatever the filter', async () => {
    const crm = await searchCrm();
    const [ann, bob] = await crm.records.createMany('contacts', [{ email: 'ann@acme.com' }, { email: 'bob@acme.com' }]);
    await crm.records.archive('contacts', ann!.id);
    const hidden = { filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ' as const, value: ann!.id }] }] };
    expect(await crm.records.search('contacts', hidden)).toEqual({ total: 0, results: [] });
    expect(await crm.records.count('contacts', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'NOT_HAS_PROPERTY' }] }] })).toBe(0);
    expect((await crm.records.search('contacts', {})).results.map((record) => record.id)).toEqual([bob!.id]);
    await crm.records.restore('contacts', ann!.id);
    expect((await crm.records.search('contacts', hidden)).total).toBe(1);
  });

  it('reads its own writes: a record created, changed or archived is searched as it now is, at once and inside crm.transaction', async () => {
    const crm = await searchCrm();
    const lead = { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ' as const, value: 'lead' }] }] };
    const created = crm.records.create('contacts', { email: 'ann@acme.com', lifecyclestage: 'lead' });
    const searched = crm.records.search('contacts', lead);
    await created;
    expect((await searched).total).toBe(1);
    const contact = await created;
    await crm.records.update('contacts', contact.id, { lifecyclestage: 'customer' });
    expect((await crm.records.search('contacts', lead)).total).toBe(0);
    const seen = await crm.transaction(async (tx) => {
      const made = await tx.records.create('contacts', { email: 'bob@acme.com', lifecyclestage: 'lead' });
      const inside = await tx.records.search('contacts', lead);
      await tx.records.archive('contacts', contact.id);
      return { made, inside, after: await tx.records.count('contacts') };
    });
    expect(seen.inside.results.map((record) => record.id)).toEqual([seen.made.id]);
    expect(seen.after).toBe(1);
  });
});

describe('paging', () => {
  const byAmount = { sorts: [{ propertyName: 'amount', direction: 'ASCENDING' as const }], limit: 2 };

  async function pageAll(crm: Crm, request: Parameters<Crm['records']['search']>[1], between?: (page: number) => Promise<void>): Promise<{ names: unknown[]; totals: number[] }> {
    const names: unknown[] = [];
    const totals: number[] = [];
    let after: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await crm.records.search('deals', { ...request, ...(after ? { after } : {}) });
      names.push(...values(result, 'dealname'));
      totals.push(result.total);
      after = result.paging?.next?.after;
      if (!after) break;
      await between?.(page);
    }
    return { names, totals };
  }

  it('visits every record of an unchanged result once, in order, with the same total on every page', async () => {
    const crm = await searchCrm();
    await crm.records.createMany('deals', [5, 3, 3, 1, 4, 3, 2].map((amount, at) => ({ dealname: `d${at}`, amount, dealstage: 'closedwon' })));
    const all = values(await crm.records.search('deals', { ...byAmount, limit: 100 }), 'dealname');
    const { names, totals } = await pageAll(crm, byAmount);
    expect(names).toEqual(all);
    expect(new Set(totals)).toEqual(new Set([7]));
    expect(new Set(names).size).toBe(7);
  });

  it('cursors stay valid while records change: nothing skipped or repeated of the records that stayed', async () => {
    const crm = await searchCrm();
    const made = await crm.records.createMany('deals', [1, 2, 3, 4, 5, 6, 7, 8].map((amount) => ({ dealname: `d${amount}`, amount, dealstage: 'closedwon' })));
    const { names } = await pageAll(crm, byAmount, async (page) => {
      // Between pages: one shown record and one not yet shown are archived, a new one comes before the cursor and one after.
      if (page === 0) {
        await crm.records.archive('deals', made[1]!.id);
        await crm.records.archive('deals', made[4]!.id);
        await crm.records.create('deals', { dealname: 'early', amount: 0, dealstage: 'closedwon' });
        await crm.records.create('deals', { dealname: 'late', amount: 9, dealstage: 'closedwon' });
      }
    });
    expect(names).toEqual(['d1', 'd2', 'd3', 'd4', 'd6', 'd7', 'd8', 'late']);
  });

  it('a cursor used with another request is VALIDATION_ERROR (INVALID_CURSOR)', async () => {
    const crm = await searchCrm();
    await crm.records.createMany('deals', [1, 2, 3].map((amount) => ({ dealname: `d${amount}`, amount, dealstage: 'closedwon' })));
    const first = await crm.records.search('deals', byAmount);
    const after = first.paging!.next!.after;
    for (const other of [{ ...byAmount, sorts: [{ propertyName: 'amount', direction: 'DESCENDING' as const }] }, { ...byAmount, query: 'd' }]) {
      const error = await expectCrmError(crm.records.search('deals', { ...other, after }), 'VALIDATION_ERROR');
      expect(issues(error).map((issue) => issue.code)).toContain('INVALID_CURSOR');
    }
    const elsewhere = await expectCrmError(crm.records.search('contacts', { ...byAmount, sorts: [], after }), 'VALIDATION_ERROR');
    expect(issues(elsewhere).map((issue) => issue.code)).toContain('INVALID_CURSOR');
    // The very same request on another type pages another list too.
    await crm.records.createMany('companies', [{ name: 'a' }, { name: 'b' }]);
    const byCreation: SearchRequest = { sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }], limit: 1 };
    const dealsAfter = (await crm.records.search('deals', byCreation)).paging!.next!.after;
    const otherType = await expectCrmError(crm.records.search('companies', { ...byCreation, after: dealsAfter }), 'VALIDATION_ERROR');
    expect(issues(otherType).map((issue) => issue.code)).toContain('INVALID_CURSOR');
    // The same request with another limit or projection goes on.
    const next = await crm.records.search('deals', { ...byAmount, limit: 5, properties: ['amount'], after });
    expect(next.results.map((deal) => deal.properties.amount)).toEqual([3]);
  });
});

describe('relative dates', () => {
  it("'not contacted in 90 days': hs_last_activity_date before { relative: '-P90D' }, read from the clock", async () => {
    const crm = await searchCrm();
    const [recent, stale] = await crm.records.createMany('contacts', [{ email: 'recent@x.com' }, { email: 'stale@x.com' }, { email: 'never@x.com' }]);
    const day = 86_400_000;
    const [call1, call2] = await crm.records.createMany('calls', [
      { hs_timestamp: new Date(Date.parse(NOW) - 10 * day).toISOString() },
      { hs_timestamp: new Date(Date.parse(NOW) - 91 * day).toISOString() },
    ]);
    await crm.associations.associate(call1!, recent!);
    await crm.associations.associate(call2!, stale!);
    const notContacted = await crm.records.search('contacts', { filterGroups: [{ filters: [{ propertyName: 'hs_last_activity_date', operator: 'LT', value: { relative: '-P90D' } }] }] });
    expect(values(notContacted, 'email')).toEqual(['stale@x.com']);
    // Or never contacted at all: a second group.
    const orNever = await crm.records.count('contacts', {
      filterGroups: [
        { filters: [{ propertyName: 'hs_last_activity_date', operator: 'LT', value: { relative: '-P90D' } }] },
        { filters: [{ propertyName: 'hs_last_activity_date', operator: 'NOT_HAS_PROPERTY' }] },
      ],
    });
    expect(orNever).toBe(2);
    const lastWeek = await crm.records.search('contacts', { filterGroups: [{ filters: [{ propertyName: 'hs_last_activity_date', operator: 'GTE', value: { relative: '-P2W' } }] }] });
    expect(values(lastWeek, 'email')).toEqual(['recent@x.com']);
  });

  it('a date property compares with the UTC day of the relative time', async () => {
    const crm = await searchCrm();
    await crm.records.createMany('contacts', [
      { email: 'a@x.com', date_of_birth: '2026-05-31' },
      { email: 'b@x.com', date_of_birth: '2026-06-01' },
    ]);
    const today = await crm.records.search('contacts', { filterGroups: [{ filters: [{ propertyName: 'date_of_birth', operator: 'EQ', value: { relative: 'PT0S' } }] }] });
    expect(values(today, 'email')).toEqual(['b@x.com']);
    const yesterday = await crm.records.search('contacts', { filterGroups: [{ filters: [{ propertyName: 'date_of_birth', operator: 'EQ', value: { relative: '-P1D' } }] }] });
    expect(values(yesterday, 'email')).toEqual(['a@x.com']);
  });
});

describe('explain', () => {
  it('answers the plan a search becomes and how the storage runs it', async () => {
    const crm = await searchCrm();
    const explained = await crm.records.explain('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'Ann@Acme.com' }] }],
      sorts: [{ propertyName: 'lastname', direction: 'DESCENDING' }],
      limit: 10,
    });
    expect(typeof explained.storage).toBe('string');
    expect(typeof explained.strategy).toBe('string');
    expect(explained.request).toMatchObject({
      objectType: 'contacts',
      // Emails are stored folded: compared exactly, the filter's value folded (decision 0013).
      where: { kind: 'compare', property: { name: 'email', type: 'enumeration' }, op: 'eq', value: 'ann@acme.com' },
      sorts: [{ property: { name: 'lastname' }, direction: 'desc' }],
      limit: 10,
      total: true,
    });
  });

  it('checks the request as search does', async () => {
    const crm = await searchCrm();
    await expectCrmError(crm.records.explain('contacts', { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 1 }] }] }), 'VALIDATION_ERROR');
  });
});
