// Dedup keys: contacts by email (with additional emails), companies by domain (with additional
// domains), custom unique properties; batches report every conflict; concurrency keeps one holder.
import { describe, expect, it } from 'vitest';
import { CrmError } from 'crmkit';
import { expectCrmError, testCrm } from '../helpers.js';

// A duplicate email (also through additional emails, in a batch, or by an update) refused with its
// holder, its message and nothing written is tested on every storage by the conformance suite's
// engine/keys.ts; the tests here are the rest of the dedup rules.
describe('contacts by email', () => {
  it('two contacts may not share an additional email either', async () => {
    const { crm } = await testCrm();
    const ana = await crm.records.create('contacts', { email: 'ana@x.com', hs_additional_emails: 'shared@x.com' });
    const error = await expectCrmError(
      crm.records.create('contacts', { email: 'bo@x.com', hs_additional_emails: 'Shared@x.com' }),
      'DUPLICATE_RECORD',
    );
    expect(error.details.existingId).toBe(ana.id);
  });

  it('a contact may list its own email among its additional emails', async () => {
    const { crm } = await testCrm();
    const ana = await crm.records.create('contacts', { email: 'ana@x.com', hs_additional_emails: 'ANA@x.com;ana@home.org' });
    expect(ana.properties.hs_additional_emails).toBe('ana@x.com;ana@home.org');
    const moved = await crm.records.update('contacts', ana.id, { email: 'ana@home.org' });
    expect(moved.properties.email).toBe('ana@home.org');
  });

  it("changing an email frees the old one for another contact", async () => {
    const { crm } = await testCrm();
    const ana = await crm.records.create('contacts', { email: 'ana@x.com', hs_additional_emails: 'ana@old.org' });
    await crm.records.update('contacts', ana.id, { email: 'ana@new.org', hs_additional_emails: null });
    const bo = await crm.records.create('contacts', { email: 'ana@x.com' });
    const cy = await crm.records.create('contacts', { email: 'ana@old.org' });
    expect(bo.id).not.toBe(ana.id);
    expect(cy.id).not.toBe(ana.id);
    await expectCrmError(crm.records.create('contacts', { email: 'ana@new.org' }), 'DUPLICATE_RECORD');
  });
});

describe('companies by domain', () => {
  it('compares normalised domains', async () => {
    const { crm } = await testCrm();
    const orange = await crm.records.create('companies', { name: 'Orange', domain: 'https://www.Orange.com/x' });
    expect(orange.properties.domain).toBe('orange.com');
    const error = await expectCrmError(crm.records.create('companies', { name: 'Orange 2', domain: 'orange.com' }), 'DUPLICATE_RECORD');
    expect(error.details.existingId).toBe(orange.id);
    expect(error.details.conflicts).toEqual([{ index: 0, property: 'domain', value: 'orange.com', existingId: orange.id }]);
    await expectCrmError(crm.records.create('companies', { name: 'Orange 3', domain: 'ORANGE.COM.' }), 'DUPLICATE_RECORD');
    await expectCrmError(crm.records.create('companies', { name: 'Orange 4', hs_additional_domains: 'orange.fr;http://orange.com:8080' }), 'DUPLICATE_RECORD');
  });

  it("updateObject({ dedup: false }) allows duplicates; turning it back on without duplicates enforces it again", async () => {
    const { crm } = await testCrm();
    const a = await crm.records.create('companies', { name: 'A', domain: 'orange.com' });
    await crm.schema.updateObject('companies', { dedup: false });
    expect(crm.schema.object('companies').dedupKeys).not.toContain('domain');
    const b = await crm.records.create('companies', { name: 'B', domain: 'https://www.orange.com' });
    expect(b.properties.domain).toBe('orange.com');
    await crm.records.purge('companies', b.id);
    await crm.schema.updateObject('companies', { dedup: true });
    expect(crm.schema.object('companies').dedupKeys).toContain('domain');
    const error = await expectCrmError(crm.records.create('companies', { name: 'C', domain: 'orange.com' }), 'DUPLICATE_RECORD');
    expect(error.details.existingId).toBe(a.id);
  });

  it('turning dedup back on while duplicates exist is DUPLICATE_RECORD naming the records, and leaves dedup off', async () => {
    const { crm } = await testCrm();
    const a = await crm.records.create('companies', { name: 'A', domain: 'orange.com' });
    await crm.schema.updateObject('companies', { dedup: false });
    const b = await crm.records.create('companies', { name: 'B', domain: 'orange.com' });
    await crm.records.create('companies', { name: 'C', domain: 'apple.com' });
    const error = await expectCrmError(crm.schema.updateObject('companies', { dedup: true }), 'DUPLICATE_RECORD');
    // Still off: nothing of the failed call remains.
    expect(crm.schema.object('companies').dedupKeys).not.toContain('domain');
    await expect(crm.records.create('companies', { name: 'D', domain: 'apple.com' })).resolves.toBeDefined();
    // The error lists the conflicting value and identifies the records by id (the caller gave no batch to index into).
    expect(error.details.conflicts).toEqual([expect.objectContaining({ property: 'domain', value: 'orange.com' })]);
    expect(error.details.existingId).toBe(a.id);
    expect(JSON.stringify(error.details)).toContain(JSON.stringify(b.id));
  });
});

describe('createMany', () => {
  it('reports two inputs that collide with each other even when nothing exists yet', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(
      crm.records.createMany('companies', [
        { name: 'A', domain: 'orange.com' },
        { name: 'B', domain: 'apple.com' },
        { name: 'C', domain: 'https://www.orange.com/' },
      ]),
      'DUPLICATE_RECORD',
    );
    expect(error.details.conflicts).toEqual([{ index: 2, property: 'domain', value: 'orange.com', conflictsWithIndex: 0 }]);
    expect(error.details).not.toHaveProperty('existingId');
    expect((await crm.records.list('companies')).results).toEqual([]);
  });
});

describe('custom unique properties', () => {
  async function withUnique() {
    const fixture = await testCrm();
    await fixture.crm.schema.defineProperty('contacts', { name: 'customer_number', label: 'Customer number', type: 'string', fieldType: 'text', unique: true });
    await fixture.crm.schema.defineProperty('deals', { name: 'erp_id', label: 'ERP id', type: 'number', fieldType: 'number', unique: true });
    return fixture;
  }

  it('a unique number property compares numbers, whatever form they were written in', async () => {
    const { crm } = await withUnique();
    const deal = await crm.records.create('deals', { dealname: 'A', dealstage: 'closedwon', erp_id: 42 });
    const error = await expectCrmError(crm.records.create('deals', { dealname: 'B', dealstage: 'closedwon', erp_id: ' 42.0 ' }), 'DUPLICATE_RECORD');
    expect(error.details.existingId).toBe(deal.id);
    expect((await crm.records.getBy('deals', 'erp_id', '42'))?.id).toBe(deal.id);
  });

  it('update to a taken unique value is refused; archive frees it', async () => {
    const { crm } = await withUnique();
    const ana = await crm.records.create('contacts', { firstname: 'Ana', customer_number: 'C-1' });
    const bo = await crm.records.create('contacts', { firstname: 'Bo', customer_number: 'C-2' });
    await expectCrmError(crm.records.update('contacts', bo.id, { customer_number: 'C-1' }), 'DUPLICATE_RECORD');
    await crm.records.archive('contacts', ana.id);
    const moved = await crm.records.update('contacts', bo.id, { customer_number: 'C-1' });
    expect(moved.properties.customer_number).toBe('C-1');
    await expectCrmError(crm.records.restore('contacts', ana.id), 'DUPLICATE_RECORD');
  });

  it('createMany reports unique-property collisions between inputs', async () => {
    const { crm } = await withUnique();
    const error = await expectCrmError(
      crm.records.createMany('contacts', [
        { firstname: 'A', customer_number: 'C-9' },
        { firstname: 'B', customer_number: 'C-9' },
      ]),
      'DUPLICATE_RECORD',
    );
    expect(error.details.conflicts).toEqual([{ index: 1, property: 'customer_number', value: 'C-9', conflictsWithIndex: 0 }]);
  });
});

describe('concurrency', () => {
  it('1,000 concurrent creates of one email leave exactly one record and 999 DUPLICATE_RECORD', async () => {
    const { crm } = await testCrm();
    const results = await Promise.allSettled(
      Array.from({ length: 1_000 }, (_, n) => crm.records.create('contacts', { email: n % 2 ? 'Same@X.com' : 'same@x.com', firstname: `N${n}` })),
    );
    const created = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(999);
    const winner = (created[0] as PromiseFulfilledResult<{ id: string }>).value;
    for (const { reason } of refused) {
      expect(reason).toBeInstanceOf(CrmError);
      expect((reason as CrmError).code).toBe('DUPLICATE_RECORD');
      expect((reason as CrmError<'DUPLICATE_RECORD'>).details.existingId).toBe(winner.id);
    }
    const page = await crm.records.list('contacts', { limit: 1_000 });
    expect(page.results.map((record) => record.id)).toEqual([winner.id]);
  });
});

describe('keys across updates', () => {
  it('an update of other properties keeps the keys; an update of a key property moves them', async () => {
    const { crm } = await testCrm();
    const contact = await crm.records.create('contacts', { email: 'a@x.com', hs_additional_emails: 'b@x.com' });
    await crm.records.update('contacts', contact.id, { firstname: 'Ann', lifecyclestage: 'lead' });
    expect((await crm.records.getBy('contacts', 'email', 'b@x.com'))?.id).toBe(contact.id);
    await expectCrmError(crm.records.create('contacts', { email: 'A@x.com' }), 'DUPLICATE_RECORD');

    await crm.records.update('contacts', contact.id, { hs_additional_emails: 'c@x.com' });
    expect(await crm.records.getBy('contacts', 'email', 'b@x.com')).toBeUndefined();
    expect((await crm.records.getBy('contacts', 'email', 'c@x.com'))?.id).toBe(contact.id);
    expect((await crm.records.create('contacts', { email: 'b@x.com' })).properties.email).toBe('b@x.com');
  });
});
