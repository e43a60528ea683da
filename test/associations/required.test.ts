// Required associations (docs/associations.md "Required associations"): a quote has exactly one
// deal, a lead a contact or a company. Checked when the call ends or the transaction commits.
import { describe, expect, it } from 'vitest';
import { sequentialIds } from 'crmkit/testing';
import { expectCrmError, testCrm } from '../helpers.js';
import { company, contact, deal, listedIds, quote, snapshot } from './fixtures.js';

const QUOTE = { hs_title: 'Q-1', hs_expiration_date: '2027-01-01' };
const LEAD = { hs_lead_name: 'Inbound: Ana' };

// A quote refused without its deal, checked at commit (a deal associated later is fine), and its
// last deal that cannot be removed are tested on every storage by the conformance suite's
// engine/required.ts.
describe('a quote has exactly one deal', () => {
  it('names every quote of a batch that lacks its deal', async () => {
    const { crm } = await testCrm({ ids: sequentialIds('q') });
    const error = await expectCrmError(crm.records.createMany('quotes', [QUOTE, { ...QUOTE, hs_title: 'Q-2' }]), 'ASSOCIATION_REQUIRED');
    expect(error.details).toMatchObject({ objectType: 'quotes', ids: ['q1', 'q2'], anyOf: ['deals'] });
  });

  it('accepts a quote created with its deal (the associations option; createMany gives each the list)', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const q = await crm.records.create('quotes', QUOTE, { associations: [{ to: bigOne }] });
    expect(await listedIds(crm, q, 'deals')).toEqual([bigOne.id]);
    const [q2, q3] = await crm.records.createMany('quotes', [{ ...QUOTE, hs_title: 'Q-2' }, { ...QUOTE, hs_title: 'Q-3' }], { associations: [{ to: bigOne }] });
    expect(await listedIds(crm, bigOne, 'quotes')).toEqual([q.id, q2!.id, q3!.id]);
  });

  it('moves a quote to another deal inside one transaction', async () => {
    const { crm } = await testCrm();
    const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
    const q = await quote(crm, d1);
    await crm.transaction(async (tx) => {
      await tx.associations.remove(q, d1);
      await tx.associations.associate(q, d2);
    });
    expect(await listedIds(crm, q, 'deals')).toEqual([d2.id]);
  });

  it('refuses a second deal (ASSOCIATION_LIMIT)', async () => {
    const { crm, storage } = await testCrm();
    const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
    const q = await quote(crm, d1);
    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.associate(d2, q), 'ASSOCIATION_LIMIT');
    expect(error.details).toMatchObject({ objectType: 'quotes', id: q.id, toType: 'deals', limit: 1 });
    expect(snapshot(storage)).toBe(before);
    await expectCrmError(crm.records.create('quotes', QUOTE, { associations: [{ to: d1 }, { to: d2 }] }), 'ASSOCIATION_LIMIT');
    expect(snapshot(storage)).toBe(before);
    // A deal holds many quotes.
    await quote(crm, d1, { hs_title: 'Q-2' });
    expect((await crm.associations.list(d1, 'quotes')).total).toBe(2);
  });

  it('refuses to purge a deal that still has quotes, naming them', async () => {
    const { crm, storage } = await testCrm();
    const bigOne = await deal(crm);
    const [q1, q2] = [await quote(crm, bigOne), await quote(crm, bigOne, { hs_title: 'Q-2' })];
    const before = snapshot(storage);
    const error = await expectCrmError(crm.records.purge('deals', bigOne.id), 'ASSOCIATION_REQUIRED');
    expect(error.details).toMatchObject({ objectType: 'quotes', anyOf: ['deals'] });
    expect([...(error.details.ids as string[])].sort()).toEqual([q1.id, q2.id].sort());
    expect(snapshot(storage)).toBe(before);
    // Once the quotes are gone, the deal may go.
    await crm.records.purge('quotes', q1.id);
    await crm.records.purge('quotes', q2.id);
    await crm.records.purge('deals', bigOne.id);
    expect(await crm.records.get('deals', bigOne.id, { archived: true })).toBeUndefined();
  });

  it('allows archiving the deal: an archived deal still counts', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const q = await quote(crm, bigOne);
    await crm.records.archive('deals', bigOne.id);
    expect(await listedIds(crm, q, 'deals')).toEqual([]);
    // The quote may still be edited, and the deal still cannot be purged.
    await crm.records.update('quotes', q.id, { hs_title: 'Q-1b' });
    await expectCrmError(crm.records.purge('deals', bigOne.id), 'ASSOCIATION_REQUIRED');
    await crm.records.restore('deals', bigOne.id);
    expect(await listedIds(crm, q, 'deals')).toEqual([bigOne.id]);
  });
});

describe('a lead has a contact or a company', () => {
  it('refuses a lead created with neither', async () => {
    const { crm, storage } = await testCrm();
    const before = snapshot(storage);
    const error = await expectCrmError(crm.records.create('leads', LEAD), 'ASSOCIATION_REQUIRED');
    expect(error.details).toMatchObject({ objectType: 'leads', anyOf: ['contacts', 'companies'] });
    expect(snapshot(storage)).toBe(before);
  });

  it('accepts a lead created with a contact, or with a company', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    const l1 = await crm.records.create('leads', LEAD, { associations: [{ to: ana }] });
    const l2 = await crm.records.create('leads', { hs_lead_name: 'Outbound: Acme' }, { associations: [{ to: acme }] });
    expect(await listedIds(crm, l1, 'contacts')).toEqual([ana.id]);
    expect(await listedIds(crm, l2, 'companies')).toEqual([acme.id]);
  });

  it('refuses to remove its only contact or company, but allows removing one of two', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    const lead = await crm.records.create('leads', LEAD, { associations: [{ to: ana }] });
    const before = snapshot(storage);
    await expectCrmError(crm.associations.remove(lead, ana), 'ASSOCIATION_REQUIRED');
    expect(snapshot(storage)).toBe(before);
    await crm.associations.associate(lead, acme);
    await crm.associations.remove(ana, lead);
    expect(await listedIds(crm, lead, 'contacts')).toEqual([]);
    await expectCrmError(crm.associations.remove(lead, acme), 'ASSOCIATION_REQUIRED');
  });

  it('refuses to purge a lead’s only contact or company; archiving is allowed', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    const l1 = await crm.records.create('leads', LEAD, { associations: [{ to: ana }] });
    const l2 = await crm.records.create('leads', { hs_lead_name: 'Outbound: Acme' }, { associations: [{ to: acme }] });
    const before = snapshot(storage);
    expect((await expectCrmError(crm.records.purge('contacts', ana.id), 'ASSOCIATION_REQUIRED')).details).toMatchObject({ objectType: 'leads', ids: [l1.id] });
    expect((await expectCrmError(crm.records.purge('companies', acme.id), 'ASSOCIATION_REQUIRED')).details).toMatchObject({ objectType: 'leads', ids: [l2.id] });
    expect(snapshot(storage)).toBe(before);
    await crm.records.archive('contacts', ana.id);
    await crm.records.archive('companies', acme.id);
  });
});
