// records.merge (docs/associations.md "Merge"): the survivor keeps its id and values, fills its
// empty properties, takes the merged record's keys as additional ones and all its associations;
// the merged id resolves to the survivor from then on.
import { describe, expect, it } from 'vitest';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';
import { activity, company, contact, deal, listedIds, primaryOf, snapshot } from './fixtures.js';

// A merge's values and keys, and a merged deal's quotes, depend on the storage: the conformance
// suite's engine/merge.ts tests them on every storage.
describe('merging contacts: associations', () => {
  it('moves every association to the survivor, keeping labels and combining them', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
    await crm.associations.associate(d1, ana, ['champion']);
    await crm.associations.associate(d1, annie, ['decision_maker']);
    await crm.associations.associate(d2, annie, ['champion']);
    await crm.records.merge('contacts', ana.id, annie.id);
    const { results } = await crm.associations.list(ana, 'deals');
    expect(results.map((item) => [item.id, [...item.labels].sort()])).toEqual([
      [d1.id, ['champion', 'decision_maker']],
      [d2.id, ['champion']],
    ]);
    expect(await listedIds(crm, d1, 'contacts')).toEqual([ana.id]);
    expect(await listedIds(crm, d2, 'contacts')).toEqual([ana.id]);
  });

  it('keeps the survivor’s primary company; the merged one’s becomes a plain association', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(annie, globex);
    await crm.records.merge('contacts', ana.id, annie.id);
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([
      { objectType: 'companies', id: acme.id, labels: ['primary'], primary: true },
      { objectType: 'companies', id: globex.id, labels: [], primary: false },
    ]);
    expect(await listedIds(crm, globex, 'contacts', 'primary')).toEqual([]);
  });

  it('gives a survivor without companies the merged record’s primary', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const globex = await company(crm, { name: 'Globex' });
    await crm.associations.associate(annie, globex);
    await crm.records.merge('contacts', ana.id, annie.id);
    expect(await primaryOf(crm, ana)).toBe(globex.id);
  });

  it('drops the association between the two records', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const bob = await contact(crm, { email: 'bob@x.com' });
    await crm.associations.associate(ana, annie);
    await crm.associations.associate(annie, bob);
    await crm.records.merge('contacts', ana.id, annie.id);
    expect(await listedIds(crm, ana, 'contacts')).toEqual([bob.id]);
    expect(await listedIds(crm, bob, 'contacts')).toEqual([ana.id]);
  });

  it('keeps the moved association’s original time (the longest-associated company wins later)', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const [old, acme, newer] = [await company(crm, { name: 'Old' }), await company(crm), await company(crm, { name: 'Newer' })];
    await crm.associations.associate(annie, old);
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, newer);
    await crm.records.merge('contacts', ana.id, annie.id);
    await crm.records.archive('companies', acme.id);
    expect(await primaryOf(crm, ana)).toBe(old.id);
  });

  it('lists moved associations in the order they were made, their original time kept', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const [older, newer] = [await deal(crm, { dealname: 'Older' }), await deal(crm, { dealname: 'Newer' })];
    await crm.associations.associate(annie, older);
    await crm.associations.associate(ana, newer);
    await crm.records.merge('contacts', ana.id, annie.id);
    expect(await listedIds(crm, ana, 'deals')).toEqual([older.id, newer.id]);
  });

  it('brings the merged record’s associations along even past a limit', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'deals', label: 'Decision maker', inverseLimit: 'one' });
    const ana = await contact(crm, { email: 'ana@x.com' });
    const bob = await contact(crm, { email: 'bob@x.com' });
    const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
    await crm.associations.associate(ana, d1, ['decision_maker']);
    await expectCrmError(crm.associations.associate(bob, d1, ['decision_maker']), 'ASSOCIATION_LIMIT');
    await crm.associations.associate(bob, d2, ['decision_maker']);
    // d1 and d2 each have one decision maker; merged, the deal keeps both.
    await crm.records.merge('deals', d1.id, d2.id);
    expect(await listedIds(crm, d1, 'contacts', 'decision_maker')).toEqual([ana.id, bob.id]);
  });

  it('logs the moves with source OBJECT_MERGE on both sides', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const bigOne = await deal(crm);
    await crm.associations.associate(annie, bigOne);
    await crm.records.merge('contacts', ana.id, annie.id);
    const [created] = await crm.associations.history(ana);
    expect(created).toMatchObject({ action: 'created', to: { objectType: 'deals', id: bigOne.id }, source: { type: 'OBJECT_MERGE' } });
    expect((await crm.associations.history(bigOne)).map((entry) => [entry.action, entry.to.id, entry.source.type])).toEqual([
      ['created', ana.id, 'OBJECT_MERGE'],
      ['removed', annie.id, 'OBJECT_MERGE'],
      ['created', annie.id, 'API'],
    ]);
  });

  it('recounts calculated properties: a company with both contacts now counts one', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    const acme = await company(crm);
    await crm.associations.associate(acme, ana);
    await crm.associations.associate(acme, annie);
    await activity(crm, '2026-02-01T00:00:00.000Z', [annie]);
    expect((await crm.records.get('companies', acme.id))?.properties.num_associated_contacts).toBe(2);
    const survivor = await crm.records.merge('contacts', ana.id, annie.id);
    expect(survivor.properties.hs_last_activity_date).toBe('2026-02-01T00:00:00.000Z');
    expect((await crm.records.get('companies', acme.id))?.properties.num_associated_contacts).toBe(1);
    expect((await crm.records.get('contacts', ana.id))?.properties.hs_last_activity_date).toBe('2026-02-01T00:00:00.000Z');
  });
});

describe('merging companies and deals', () => {
  it('makes the merged company’s domains additional domains of the survivor', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm, { domain: 'acme.com' });
    const acmeUk = await company(crm, { name: 'Acme UK', domain: 'acme.co.uk', hs_additional_domains: 'acme.uk' });
    const survivor = await crm.records.merge('companies', acme.id, acmeUk.id);
    expect(survivor.properties).toMatchObject({ name: 'Acme', domain: 'acme.com', hs_additional_domains: 'acme.co.uk;acme.uk', hs_merged_object_ids: acmeUk.id });
    expect((await crm.records.getBy('companies', 'domain', 'acme.co.uk'))?.id).toBe(acme.id);
  });

  it('keeps each contact’s primary company when companies merge', async () => {
    const { crm } = await testCrm();
    const [a, b] = [await company(crm, { name: 'A' }), await company(crm, { name: 'B' })];
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    await crm.associations.associate(ana, a);
    await crm.associations.associate(bob, b);
    await crm.records.merge('companies', a.id, b.id);
    // Bob's primary company was merged into A: A is his primary company now.
    expect(await primaryOf(crm, ana)).toBe(a.id);
    expect(await primaryOf(crm, bob)).toBe(a.id);
    expect(await listedIds(crm, a, 'contacts', 'primary')).toEqual([ana.id, bob.id]);
  });

  it('combines a contact’s primary and plain associations with the two companies into one primary', async () => {
    const { crm } = await testCrm();
    const [a, b] = [await company(crm, { name: 'A' }), await company(crm, { name: 'B' })];
    const ana = await contact(crm);
    await crm.associations.associate(ana, b);
    await crm.associations.associate(ana, a);
    await crm.records.merge('companies', a.id, b.id);
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([{ objectType: 'companies', id: a.id, labels: ['primary'], primary: true }]);
  });
});

describe('what merge refuses', () => {
  it('merging a record with itself is VALIDATION_ERROR (MERGE_WITH_ITSELF)', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const before = snapshot(storage);
    expect(issueCodes(await expectCrmError(crm.records.merge('contacts', ana.id, ana.id), 'VALIDATION_ERROR'))).toEqual(['MERGE_WITH_ITSELF']);
    expect(issueCodes(await expectCrmError(crm.records.merge('deals', bigOne.id, bigOne.id), 'VALIDATION_ERROR'))).toEqual(['MERGE_WITH_ITSELF']);
    expect(snapshot(storage)).toBe(before);
  });

  it('merging with an archived record, either way round, is ARCHIVED', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm, { email: 'ana@x.com' });
    const annie = await contact(crm, { email: 'ana@home.org' });
    await crm.records.archive('contacts', annie.id);
    const before = snapshot(storage);
    await expectCrmError(crm.records.merge('contacts', ana.id, annie.id), 'ARCHIVED');
    await expectCrmError(crm.records.merge('contacts', annie.id, ana.id), 'ARCHIVED');
    expect(snapshot(storage)).toBe(before);
  });

  it('merging with a record that does not exist is NOT_FOUND', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    await expectCrmError(crm.records.merge('contacts', ana.id, 'nope'), 'NOT_FOUND');
    await expectCrmError(crm.records.merge('contacts', 'nope', ana.id), 'NOT_FOUND');
  });
});

describe('chained merges', () => {
  it('A ← B then C ← A: B and A both answer C', async () => {
    const { crm } = await testCrm();
    const a = await contact(crm, { email: 'a@x.com' });
    const b = await contact(crm, { email: 'b@x.com' });
    const c = await contact(crm, { email: 'c@x.com' });
    await crm.records.merge('contacts', a.id, b.id);
    const survivor = await crm.records.merge('contacts', c.id, a.id);
    expect((await crm.records.get('contacts', b.id))?.id).toBe(c.id);
    expect((await crm.records.get('contacts', a.id))?.id).toBe(c.id);
    expect((await crm.records.getBy('contacts', 'email', 'b@x.com'))?.id).toBe(c.id);
    expect(String(survivor.properties.hs_merged_object_ids).split(';').sort()).toEqual([a.id, b.id].sort());
    expect(String(survivor.properties.hs_additional_emails).split(';').sort()).toEqual(['a@x.com', 'b@x.com']);
  });

  it('purging the survivor frees the ids merged into it', async () => {
    const { crm } = await testCrm();
    const a = await contact(crm, { email: 'a@x.com' });
    const b = await contact(crm, { email: 'b@x.com' });
    await crm.records.merge('contacts', a.id, b.id);
    await crm.records.purge('contacts', a.id);
    expect(await crm.records.get('contacts', b.id, { archived: true })).toBeUndefined();
    expect(await crm.records.getBy('contacts', 'email', 'b@x.com')).toBeUndefined();
  });
});
