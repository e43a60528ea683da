// The primary company (docs/associations.md "The primary company"): which company association
// is primary, how it moves, and what happens to it when companies are removed, archived,
// purged and restored.
import { describe, expect, it } from 'vitest';
import { expectCrmError, testCrm } from '../helpers.js';
import { company, contact, deal, listedIds, primaryOf, snapshot, ticket } from './fixtures.js';

// The first company of a contact, PRIMARY_REQUIRED on its only company, and a replacement on
// archive (for contacts; none for other objects) are tested on every storage by the conformance
// suite's engine/primary.ts.

// ---------------------------------------------------------------- the first company

describe('the first company becomes primary', () => {
  it('for deals and tickets too, and for a company given at creation', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const bigOne = await deal(crm);
    await crm.associations.associate(acme, bigOne);
    expect(await primaryOf(crm, bigOne)).toBe(acme.id);
    const broken = await ticket(crm);
    await crm.associations.associate(broken, acme);
    expect(await primaryOf(crm, broken)).toBe(acme.id);
    const ana = await crm.records.create('contacts', { email: 'ana@x.com' }, { associations: [{ to: acme }] });
    expect(await primaryOf(crm, ana)).toBe(acme.id);
  });

  it('for every object → company pair: activities and custom objects too', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject({
      name: 'roast_batches',
      labels: { singular: 'Roast batch', plural: 'Roast batches' },
      primaryDisplayProperty: 'batch_name',
      properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
      associations: ['companies'],
    });
    const acme = await company(crm);
    const batch = await crm.records.create('roast_batches', { batch_name: 'B1' }, { associations: [{ to: acme }] });
    const note = await crm.records.create('notes', { hs_timestamp: '2026-01-01T00:00:00Z' }, { associations: [{ to: acme }] });
    expect(await primaryOf(crm, batch)).toBe(acme.id);
    expect(await primaryOf(crm, note)).toBe(acme.id);
    expect(crm.associations.labels('companies', 'roast_batches')[0]).toMatchObject({ from: 'roast_batches', to: 'companies', name: 'primary', hubspotDefined: true });
  });

  it('marks the primary association from the company’s side as well', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const [ana, bob, cy] = [await contact(crm), await contact(crm, { firstname: 'Bob' }), await contact(crm, { firstname: 'Cy' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(bob, await company(crm, { name: 'Globex' }));
    await crm.associations.associate(bob, acme);
    await crm.associations.associate(acme, cy);
    expect((await crm.associations.list(acme, 'contacts')).results).toEqual([
      { objectType: 'contacts', id: ana.id, labels: ['primary'], primary: true },
      { objectType: 'contacts', id: bob.id, labels: [], primary: false },
      { objectType: 'contacts', id: cy.id, labels: ['primary'], primary: true },
    ]);
    // The contacts whose primary company it is.
    const page = await crm.associations.list(acme, 'contacts', { label: 'primary' });
    expect(page.results.map((item) => item.id)).toEqual([ana.id, cy.id]);
    expect(page.total).toBe(2);
  });

  it('a deal that dropped its primary makes its next company primary', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const [acme, globex, initech] = [await company(crm), await company(crm, { name: 'Globex' }), await company(crm, { name: 'Initech' })];
    await crm.associations.associate(bigOne, acme);
    await crm.associations.associate(bigOne, globex);
    await crm.associations.unlabel(bigOne, acme, ['primary']);
    expect(await primaryOf(crm, bigOne)).toBeUndefined();
    await crm.associations.associate(bigOne, initech);
    expect(await primaryOf(crm, bigOne)).toBe(initech.id);
  });
});

describe('the primary company in batch calls', () => {
  it('associateMany: the first company of the batch becomes primary, a later [primary] takes over', async () => {
    const { crm } = await testCrm();
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    const [acme, globex, initech] = [await company(crm), await company(crm, { name: 'Globex' }), await company(crm, { name: 'Initech' })];
    await crm.associations.associateMany([
      { from: ana, to: acme },
      { from: globex, to: ana },
      { from: bob, to: acme },
      { from: bob, to: globex, labels: ['primary'] },
      { from: bob, to: initech },
    ]);
    expect((await crm.associations.list(ana, 'companies')).results.map((item) => [item.id, item.primary])).toEqual([
      [acme.id, true],
      [globex.id, false],
    ]);
    expect((await crm.associations.list(bob, 'companies')).results.map((item) => [item.id, item.primary])).toEqual([
      [acme.id, false],
      [globex.id, true],
      [initech.id, false],
    ]);
  });

  it('createMany with a company: every new contact gets it as primary', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const people = await crm.records.createMany('contacts', [{ firstname: 'A' }, { firstname: 'B' }, { firstname: 'C' }], { associations: [{ to: acme }] });
    for (const person of people) expect(await primaryOf(crm, person)).toBe(acme.id);
    expect(await listedIds(crm, acme, 'contacts', 'primary')).toEqual(people.map((person) => person.id));
    expect((await crm.records.get('companies', acme.id))?.properties.num_associated_contacts).toBe(3);
  });

  it('removeMany: each removal sees the ones before it', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [x, y, z] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' }), await company(crm, { name: 'Z' })];
    for (const c of [x, y, z]) await crm.associations.associate(ana, c);
    // Y goes first, so removing the primary X leaves one company, Z, which becomes primary.
    await crm.associations.removeMany([
      { from: ana, to: y },
      { from: x, to: ana },
    ]);
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([{ objectType: 'companies', id: z.id, labels: ['primary'], primary: true }]);
  });

  it('archiving a company reassigns every contact that had it as primary', async () => {
    const { crm } = await testCrm();
    const x = await company(crm, { name: 'X' });
    const [y, z] = [await company(crm, { name: 'Y' }), await company(crm, { name: 'Z' })];
    const [ana, bob, cy] = [await contact(crm), await contact(crm, { firstname: 'Bob' }), await contact(crm, { firstname: 'Cy' })];
    await crm.associations.associateMany([
      { from: ana, to: x },
      { from: bob, to: x },
      { from: cy, to: x },
      { from: ana, to: y },
      { from: bob, to: z },
      { from: bob, to: y },
    ]);
    await crm.records.archive('companies', x.id);
    expect(await primaryOf(crm, ana)).toBe(y.id);
    expect(await primaryOf(crm, bob)).toBe(z.id);
    expect(await primaryOf(crm, cy)).toBeUndefined();
    expect(await listedIds(crm, y, 'contacts', 'primary')).toEqual([ana.id]);
  });
});

// ---------------------------------------------------------------- changing the primary

describe('setPrimary and associate with primary', () => {
  it('setPrimary with a company not yet associated associates it', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(bigOne, acme);
    await crm.associations.setPrimary({ objectType: 'deals', id: bigOne.id }, { objectType: '0-2', id: globex.id });
    expect(await listedIds(crm, bigOne, 'companies')).toEqual([acme.id, globex.id]);
    expect(await primaryOf(crm, bigOne)).toBe(globex.id);
  });

  it('setPrimary with the current primary changes nothing', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    await crm.associations.associate(ana, acme);
    const before = snapshot(storage);
    await crm.associations.setPrimary(ana, acme);
    expect(snapshot(storage)).toBe(before);
  });

  it('associate(record, company, [primary]) does the same', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex, initech] = [await company(crm), await company(crm, { name: 'Globex' }), await company(crm, { name: 'Initech' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, globex);
    await crm.associations.associate(ana, globex, ['primary']);
    expect(await primaryOf(crm, ana)).toBe(globex.id);
    await crm.associations.associate(ana, initech, ['primary']);
    expect(await primaryOf(crm, ana)).toBe(initech.id);
    expect(await listedIds(crm, ana, 'companies')).toEqual([acme.id, globex.id, initech.id]);
  });

  it('a company never has a primary: PRIMARY_NOT_ALLOWED, and nothing changes', async () => {
    const { crm, storage } = await testCrm();
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    const bigOne = await deal(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    const before = snapshot(storage);
    await expectCrmError(crm.associations.associate(acme, globex, ['primary']), 'PRIMARY_NOT_ALLOWED');
    await expectCrmError(crm.associations.associate(globex, ana, ['primary']), 'PRIMARY_NOT_ALLOWED');
    await expectCrmError(crm.associations.setPrimary(acme, globex), 'PRIMARY_NOT_ALLOWED');
    await expectCrmError(crm.associations.setPrimary(acme, ana), 'PRIMARY_NOT_ALLOWED');
    await expectCrmError(crm.associations.setPrimary(ana, bigOne), 'PRIMARY_NOT_ALLOWED');
    await expectCrmError(crm.associations.setPrimary(ana, bob), 'PRIMARY_NOT_ALLOWED');
    await expectCrmError(crm.associations.unlabel(acme, ana, ['primary']), 'PRIMARY_NOT_ALLOWED');
    expect(snapshot(storage)).toBe(before);
  });
});

// ---------------------------------------------------------------- contacts keep one

describe('a contact with companies keeps exactly one primary', () => {
  it('unlabelling the primary of a contact with several companies needs newPrimary', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex, initech] = [await company(crm), await company(crm, { name: 'Globex' }), await company(crm, { name: 'Initech' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, globex);
    const before = snapshot(storage);
    await expectCrmError(crm.associations.unlabel(ana, acme, ['primary']), 'PRIMARY_REQUIRED');
    expect(snapshot(storage)).toBe(before);

    await crm.associations.unlabel(ana, acme, ['primary'], { newPrimary: globex });
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([
      { objectType: 'companies', id: acme.id, labels: [], primary: false },
      { objectType: 'companies', id: globex.id, labels: ['primary'], primary: true },
    ]);
    // newPrimary may be a company to associate.
    await crm.associations.unlabel(ana, globex, ['primary'], { newPrimary: initech });
    expect(await listedIds(crm, ana, 'companies')).toEqual([acme.id, globex.id, initech.id]);
    expect(await primaryOf(crm, ana)).toBe(initech.id);
  });

  it('newPrimary must be a company', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, globex);
    await expectCrmError(crm.associations.unlabel(ana, acme, ['primary'], { newPrimary: bigOne }), 'PRIMARY_NOT_ALLOWED');
    await expectCrmError(crm.associations.remove(ana, acme, { newPrimary: bigOne }), 'PRIMARY_NOT_ALLOWED');
    expect(await primaryOf(crm, ana)).toBe(acme.id);
  });

  it('refuses a newPrimary that names the company losing the primary (PRIMARY_REQUIRED)', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, globex);
    const before = snapshot(storage);
    // Naming the same company is no new primary: the contact would be left with none.
    await expectCrmError(crm.associations.unlabel(ana, acme, ['primary'], { newPrimary: acme }), 'PRIMARY_REQUIRED');
    await expectCrmError(crm.associations.remove(ana, acme, { newPrimary: acme }), 'PRIMARY_REQUIRED');
    expect(snapshot(storage)).toBe(before);
    expect(await primaryOf(crm, ana)).toBe(acme.id);
  });

  it('removing the primary with two or more companies remaining needs newPrimary', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex, initech] = [await company(crm), await company(crm, { name: 'Globex' }), await company(crm, { name: 'Initech' })];
    for (const c of [acme, globex, initech]) await crm.associations.associate(ana, c);
    const before = snapshot(storage);
    await expectCrmError(crm.associations.remove(ana, acme), 'PRIMARY_REQUIRED');
    await expectCrmError(crm.associations.remove(acme, ana), 'PRIMARY_REQUIRED');
    await expectCrmError(crm.associations.removeMany([{ from: ana, to: acme }]), 'PRIMARY_REQUIRED');
    expect(snapshot(storage)).toBe(before);
    await crm.associations.remove(acme, ana, { newPrimary: initech });
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([
      { objectType: 'companies', id: globex.id, labels: [], primary: false },
      { objectType: 'companies', id: initech.id, labels: ['primary'], primary: true },
    ]);
  });

  it('removing the primary with one company left makes that one primary', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, globex);
    await crm.associations.remove(ana, acme);
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([{ objectType: 'companies', id: globex.id, labels: ['primary'], primary: true }]);
    // And removing the last one leaves none.
    await crm.associations.remove(globex, ana);
    expect(await crm.associations.list(ana, 'companies')).toEqual({ results: [], total: 0 });
  });
});

describe('other objects may be left without a primary', () => {
  it('a deal may unlabel or remove its primary and have none', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const [acme, globex, initech] = [await company(crm), await company(crm, { name: 'Globex' }), await company(crm, { name: 'Initech' })];
    for (const c of [acme, globex, initech]) await crm.associations.associate(bigOne, c);
    await crm.associations.unlabel(bigOne, acme, ['primary']);
    expect(await listedIds(crm, bigOne, 'companies')).toEqual([acme.id, globex.id, initech.id]);
    expect(await primaryOf(crm, bigOne)).toBeUndefined();
    await crm.associations.setPrimary(bigOne, globex);
    await crm.associations.remove(bigOne, globex);
    expect(await listedIds(crm, bigOne, 'companies')).toEqual([acme.id, initech.id]);
    expect(await primaryOf(crm, bigOne)).toBeUndefined();
  });

  it('newPrimary names a deal’s next primary when given', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(bigOne, acme);
    await crm.associations.associate(bigOne, globex);
    await crm.associations.remove(bigOne, acme, { newPrimary: globex });
    expect(await primaryOf(crm, bigOne)).toBe(globex.id);
  });
});

// ---------------------------------------------------------------- archive, purge, restore

describe('when the primary company is archived or purged', () => {
  it('skips archived companies when choosing', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [x, y, z] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' }), await company(crm, { name: 'Z' })];
    await crm.associations.associate(ana, x);
    await crm.associations.associate(ana, y);
    await crm.associations.associate(ana, z);
    await crm.records.archive('companies', y.id);
    await crm.records.archive('companies', x.id);
    expect(await primaryOf(crm, ana)).toBe(z.id);
  });

  it('a purge reassigns the same way', async () => {
    const { crm } = await testCrm();
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    const [x, y] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' })];
    await crm.associations.associate(ana, y);
    await crm.associations.setPrimary(ana, x);
    await crm.associations.associate(bob, x);
    await crm.records.purge('companies', x.id);
    expect(await primaryOf(crm, ana)).toBe(y.id);
    expect(await crm.associations.list(bob, 'companies')).toEqual({ results: [], total: 0 });
    const [promoted] = await crm.associations.history(ana);
    expect(promoted).toMatchObject({ action: 'relabelled', to: { id: y.id }, labelsAfter: ['primary'], source: { type: 'OBJECT_DELETION' } });
  });

});

describe('when the company is restored', () => {
  it('its associations come back (OBJECT_RESTORE) without taking the primary from the replacement', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [x, y] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' })];
    await crm.associations.associate(ana, x);
    await crm.associations.associate(ana, y);
    await crm.records.archive('companies', x.id);
    expect(await primaryOf(crm, ana)).toBe(y.id);
    await crm.records.restore('companies', x.id);
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([
      { objectType: 'companies', id: x.id, labels: [], primary: false },
      { objectType: 'companies', id: y.id, labels: ['primary'], primary: true },
    ]);
    // One entry: the association came back as it is now, without the primary label.
    const [latest, ...earlier] = await crm.associations.history(ana, { with: x });
    expect(latest).toMatchObject({ action: 'created', labelsBefore: [], labelsAfter: [], source: { type: 'OBJECT_RESTORE', id: x.id } });
    expect(earlier[0]).toMatchObject({ action: 'removed', source: { type: 'OBJECT_DELETION' } });
    expect(await listedIds(crm, x, 'contacts', 'primary')).toEqual([]);
    expect(await listedIds(crm, y, 'contacts', 'primary')).toEqual([ana.id]);
  });

  it('a record that got no replacement has it as primary again', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const [x, y] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' })];
    await crm.associations.associate(ana, x);
    await crm.associations.associate(bigOne, x);
    await crm.associations.associate(bigOne, y);
    await crm.records.archive('companies', x.id);
    expect(await crm.associations.list(ana, 'companies')).toEqual({ results: [], total: 0 });
    expect(await primaryOf(crm, bigOne)).toBeUndefined();
    await crm.records.restore('companies', x.id);
    expect(await primaryOf(crm, ana)).toBe(x.id);
    expect(await primaryOf(crm, bigOne)).toBe(x.id);
    expect(await listedIds(crm, x, 'contacts', 'primary')).toEqual([ana.id]);
  });

  it('a primary chosen meanwhile stays primary', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const [x, y] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' })];
    await crm.associations.associate(ana, x);
    await crm.associations.associate(bigOne, x);
    await crm.records.archive('companies', x.id);
    await crm.associations.associate(ana, y);
    await crm.associations.associate(bigOne, y);
    expect(await primaryOf(crm, ana)).toBe(y.id);
    expect(await primaryOf(crm, bigOne)).toBe(y.id);
    await crm.records.restore('companies', x.id);
    expect(await primaryOf(crm, ana)).toBe(y.id);
    expect(await primaryOf(crm, bigOne)).toBe(y.id);
    expect(await listedIds(crm, ana, 'companies')).toEqual([x.id, y.id]);
  });

  it('a contact left without a live company gets one as primary when a company of its comes back', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [x, y] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' })];
    await crm.associations.associate(ana, x);
    await crm.associations.associate(ana, y);
    await crm.records.archive('companies', y.id);
    await crm.associations.remove(ana, x);
    expect(await crm.associations.list(ana, 'companies')).toEqual({ results: [], total: 0 });
    await crm.records.restore('companies', y.id);
    // Contacts with companies have exactly one primary.
    expect((await crm.associations.list(ana, 'companies')).results).toEqual([{ objectType: 'companies', id: y.id, labels: ['primary'], primary: true }]);
  });

  it('restoring an archived contact brings its primary company back', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [x, y] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' })];
    await crm.associations.associate(ana, x);
    await crm.associations.associate(ana, y);
    await crm.records.archive('contacts', ana.id);
    expect(await listedIds(crm, x, 'contacts')).toEqual([]);
    await crm.records.restore('contacts', ana.id);
    expect(await primaryOf(crm, ana)).toBe(x.id);
    expect(await listedIds(crm, x, 'contacts', 'primary')).toEqual([ana.id]);
  });
});
