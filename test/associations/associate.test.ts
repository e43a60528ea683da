// Making, relabelling, removing and listing associations through crm.associations
// (docs/associations.md "Records and sides", "Which pairs may associate", "Listing").
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from 'crmkit';
import { expectCrmError, testCrm } from '../helpers.js';
import { company, contact, deal, listedIds, quote, snapshot, ticket } from './fixtures.js';

type AssociationEvent = Extract<ChangeEvent, { type: 'association.created' | 'association.removed' | 'association.relabelled' }>;

const associationEvents = (events: ChangeEvent[]): AssociationEvent[] =>
  events.filter((event): event is AssociationEvent => event.type.startsWith('association.'));

// ---------------------------------------------------------------- associate and list

// What a storage decides here (lists from both sides, a paired label's names, an associate that
// adds nothing, pair caps each way) is tested on every storage by the conformance suite's
// engine/associations.ts and limits.ts.

describe('associate', () => {
  it('associates a deal with its decision maker, seen from both records', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.associate(bigOne, ana, ['decision_maker']);

    expect(await crm.associations.list(bigOne, 'contacts')).toEqual({
      results: [{ objectType: 'contacts', id: ana.id, labels: ['decision_maker'], primary: false }],
      total: 1,
    });
    // A label without an inverse reads the same from the other side.
    expect(await crm.associations.list(ana, 'deals')).toEqual({
      results: [{ objectType: 'deals', id: bigOne.id, labels: ['decision_maker'], primary: false }],
      total: 1,
    });
  });

  it('associates with no labels at all', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const broken = await ticket(crm);
    await crm.associations.associate(bigOne, broken);
    expect((await crm.associations.list(bigOne, 'tickets')).results).toEqual([{ objectType: 'tickets', id: broken.id, labels: [], primary: false }]);
    expect((await crm.associations.list(broken, 'deals')).results).toEqual([{ objectType: 'deals', id: bigOne.id, labels: [], primary: false }]);
  });

  it('takes records as objects, as { objectType, id }, and with the type given by id', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const broken = await ticket(crm);
    await crm.associations.associate({ objectType: 'contacts', id: ana.id }, { objectType: '0-3', id: bigOne.id });
    await crm.associations.associate({ objectType: '0-1', id: ana.id }, broken);
    expect(await listedIds(crm, bigOne, 'contacts')).toEqual([ana.id]);
    expect(await listedIds(crm, { objectType: '0-1', id: ana.id }, 'tickets')).toEqual([broken.id]);
    expect(await listedIds(crm, ana, '0-3')).toEqual([bigOne.id]);
    // The listed type is the type's name whichever way it was asked for.
    expect((await crm.associations.list(ana, '0-3')).results[0]?.objectType).toBe('deals');
  });

  it('never associates a record with itself', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.associate(ana, { objectType: 'contacts', id: ana.id }), 'ASSOCIATION_NOT_ALLOWED');
    expect(error.details.reason).toBe('self');
    expect(snapshot(storage)).toBe(before);
  });

  it('refuses records that do not exist (NOT_FOUND) and types that do not (UNKNOWN_OBJECT_TYPE)', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.associate(ana, { objectType: 'companies', id: 'nope' }), 'NOT_FOUND');
    expect(error.details).toMatchObject({ objectType: 'companies', id: 'nope' });
    await expectCrmError(crm.associations.associate({ objectType: 'deals', id: 'nope' }, ana), 'NOT_FOUND');
    await expectCrmError(crm.associations.associate(ana, { objectType: 'unicorns', id: 'x' }), 'UNKNOWN_OBJECT_TYPE');
    await expectCrmError(crm.associations.list({ objectType: 'contacts', id: 'nope' }, 'companies'), 'NOT_FOUND');
    expect(snapshot(storage)).toBe(before);
  });

  it('refuses to write with an archived record (ARCHIVED), either end', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    const bigOne = await deal(crm);
    await crm.associations.associate(ana, bigOne);
    await crm.records.archive('deals', bigOne.id);
    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.associate(ana, bigOne), 'ARCHIVED');
    expect(error.details).toMatchObject({ objectType: 'deals', id: bigOne.id });
    await expectCrmError(crm.associations.associate(bigOne, acme), 'ARCHIVED');
    await expectCrmError(crm.associations.remove(ana, bigOne), 'ARCHIVED');
    await expectCrmError(crm.associations.unlabel(bigOne, ana, []), 'ARCHIVED');
    expect(snapshot(storage)).toBe(before);
  });

  it('refuses a label the pair does not have (UNKNOWN_LABEL) and changes nothing', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.associate(bigOne, ana, ['decision_maker']), 'UNKNOWN_LABEL');
    expect(error.details.label).toBe('decision_maker');
    expect(snapshot(storage)).toBe(before);
    expect(await listedIds(crm, bigOne, 'contacts')).toEqual([]);
  });

  it('adds labels to an existing association and never removes any', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    await crm.associations.associate(bigOne, ana, ['decision_maker']);
    await crm.associations.associate(bigOne, ana, ['champion']);
    await crm.associations.associate(bigOne, ana);
    await crm.associations.associate(ana, bigOne, ['champion']);
    const { results, total } = await crm.associations.list(bigOne, 'contacts');
    expect(total).toBe(1);
    expect([...results[0]!.labels].sort()).toEqual(['champion', 'decision_maker']);
  });

  it('associates a new record through the create option, labels seen from the new record', async () => {
    const { crm, storage } = await testCrm();
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const ana = await crm.records.create('contacts', { firstname: 'Ana' }, { associations: [{ to: bigOne, labels: ['decision_maker'] }] });
    expect((await crm.associations.list(bigOne, 'contacts')).results).toEqual([{ objectType: 'contacts', id: ana.id, labels: ['decision_maker'], primary: false }]);
    const before = snapshot(storage);
    await expectCrmError(crm.records.create('contacts', { firstname: 'Bob' }, { associations: [{ to: { objectType: 'deals', id: 'nope' } }] }), 'NOT_FOUND');
    await expectCrmError(crm.records.create('contacts', { firstname: 'Bob' }, { associations: [{ to: bigOne, labels: ['nope'] }] }), 'UNKNOWN_LABEL');
    await expectCrmError(crm.records.create('contacts', { firstname: 'Bob' }, { associations: 'deal' } as never), 'VALIDATION_ERROR');
    expect(snapshot(storage)).toBe(before);
  });

  it('refuses malformed arguments with VALIDATION_ERROR', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const before = snapshot(storage);
    await expectCrmError(crm.associations.associate(ana, bigOne, 'decision_maker' as never), 'VALIDATION_ERROR');
    await expectCrmError(crm.associations.associate(ana, bigOne, [42] as never), 'VALIDATION_ERROR');
    await expectCrmError(crm.associations.associate(ana, { id: bigOne.id } as never), 'VALIDATION_ERROR');
    await expectCrmError(crm.associations.associate(null as never, bigOne), 'VALIDATION_ERROR');
    await expectCrmError(crm.associations.associateMany('pairs' as never), 'VALIDATION_ERROR');
    await expectCrmError(crm.associations.list(ana, 'deals', { limit: 0 }), 'VALIDATION_ERROR');
    expect(snapshot(storage)).toBe(before);
  });

});

// ---------------------------------------------------------------- paired labels

describe('paired labels', () => {
  it('associate(b, a, [employee]) is the same association as associate(a, b, [manager])', async () => {
    const { crm, storage } = await testCrm();
    const boss = await contact(crm, { firstname: 'Boss' });
    const worker = await contact(crm, { firstname: 'Worker' });
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    await crm.associations.associate(worker, boss, ['manager']);
    const before = snapshot(storage);
    await crm.associations.associate(boss, worker, ['employee']);
    expect(snapshot(storage)).toBe(before);

    // And made the other way round first, it reads the same.
    const other = await contact(crm, { firstname: 'Other' });
    await crm.associations.associate(boss, other, ['employee']);
    expect((await crm.associations.list(other, 'contacts')).results).toEqual([{ objectType: 'contacts', id: boss.id, labels: ['manager'], primary: false }]);
  });

  it('accepts each name of a paired label from its own side only', async () => {
    const { crm, storage } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Signer', inverseLabel: 'Signed deal' });
    expect(label).toMatchObject({ name: 'signer', inverseName: 'signed_deal' });
    const before = snapshot(storage);
    await expectCrmError(crm.associations.associate(ana, bigOne, ['signer']), 'UNKNOWN_LABEL');
    await expectCrmError(crm.associations.associate(bigOne, ana, ['signed_deal']), 'UNKNOWN_LABEL');
    expect(snapshot(storage)).toBe(before);

    await crm.associations.associate(ana, bigOne, ['signed_deal']);
    expect((await crm.associations.list(bigOne, 'contacts')).results[0]?.labels).toEqual(['signer']);
    expect((await crm.associations.list(ana, 'deals')).results[0]?.labels).toEqual(['signed_deal']);
    // The list filter takes the names of the listing side too.
    expect((await crm.associations.list(ana, 'deals', { label: 'signed_deal' })).total).toBe(1);
    await expectCrmError(crm.associations.list(ana, 'deals', { label: 'signer' }), 'UNKNOWN_LABEL');
    await crm.associations.unlabel(bigOne, ana, ['signer']);
    expect((await crm.associations.list(ana, 'deals')).results[0]?.labels).toEqual([]);
  });
});

// ---------------------------------------------------------------- unlabel and remove

describe('unlabel and remove', () => {
  it('unlabel takes labels off and keeps the association', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    await crm.associations.associate(bigOne, ana, ['decision_maker', 'champion']);
    await crm.associations.unlabel(ana, bigOne, ['champion']);
    expect((await crm.associations.list(bigOne, 'contacts')).results).toEqual([{ objectType: 'contacts', id: ana.id, labels: ['decision_maker'], primary: false }]);
    await crm.associations.unlabel(bigOne, ana, ['decision_maker']);
    expect((await crm.associations.list(bigOne, 'contacts')).results).toEqual([{ objectType: 'contacts', id: ana.id, labels: [], primary: false }]);
  });

  it('unlabel of an unknown label is UNKNOWN_LABEL', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.associate(bigOne, ana);
    await expectCrmError(crm.associations.unlabel(bigOne, ana, ['nope']), 'UNKNOWN_LABEL');
  });

  it('remove removes the association with all its labels, from both sides', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.associate(bigOne, ana, ['decision_maker']);
    await crm.associations.remove(ana, bigOne);
    expect(await crm.associations.list(bigOne, 'contacts')).toEqual({ results: [], total: 0 });
    expect(await crm.associations.list(ana, 'deals')).toEqual({ results: [], total: 0 });
    const [latest] = await crm.associations.history(bigOne);
    expect(latest).toMatchObject({ action: 'removed', labelsBefore: ['decision_maker'], labelsAfter: [] });
    // Associating again starts with no labels.
    await crm.associations.associate(bigOne, ana);
    expect((await crm.associations.list(bigOne, 'contacts')).results[0]?.labels).toEqual([]);
  });

});

// ---------------------------------------------------------------- batches

describe('associateMany and removeMany', () => {
  it('associateMany makes every pair', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bob = await contact(crm, { firstname: 'Bob' });
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.associateMany([
      { from: bigOne, to: ana, labels: ['decision_maker'] },
      { from: bob, to: bigOne },
    ]);
    expect((await crm.associations.list(bigOne, 'contacts')).results).toEqual([
      { objectType: 'contacts', id: ana.id, labels: ['decision_maker'], primary: false },
      { objectType: 'contacts', id: bob.id, labels: [], primary: false },
    ]);
  });

  it('associateMany checks every pair against what the pairs before it made', async () => {
    const { crm, storage } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    const bigOne = await deal(crm);
    const before = snapshot(storage);
    const error = await expectCrmError(
      crm.associations.associateMany([
        { from: bigOne, to: ana, labels: ['decision_maker'] },
        { from: bigOne, to: bob, labels: ['decision_maker'] },
      ]),
      'ASSOCIATION_LIMIT',
    );
    expect(error.details.index).toBe(1);
    expect(snapshot(storage)).toBe(before);
  });

});

// ---------------------------------------------------------------- which pairs

describe('which pairs may associate', () => {
  it('contacts, companies, deals and tickets associate with their own kind; activities do not', async () => {
    const { crm } = await testCrm();
    await crm.associations.associate(await contact(crm), await contact(crm, { firstname: 'Bob' }));
    await crm.associations.associate(await company(crm), await company(crm, { name: 'Globex' }));
    await crm.associations.associate(await deal(crm), await deal(crm, { dealname: 'Small one' }));
    await crm.associations.associate(await ticket(crm), await ticket(crm, { subject: 'Also broken' }));
    const note = await crm.records.create('notes', { hs_timestamp: '2026-01-01T00:00:00Z' });
    const other = await crm.records.create('notes', { hs_timestamp: '2026-01-01T00:00:00Z' });
    const error = await expectCrmError(crm.associations.associate(note, other), 'ASSOCIATION_NOT_ALLOWED');
    expect(error.details).toMatchObject({ objectType: 'notes', toType: 'notes' });
  });

  it('never associates products, whichever the other record', async () => {
    const { crm, storage } = await testCrm();
    const product = await crm.records.create('products', { name: 'Widget' });
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const before = snapshot(storage);
    await expectCrmError(crm.associations.associate(product, ana), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.associations.associate(bigOne, product), 'ASSOCIATION_NOT_ALLOWED');
    expect(snapshot(storage)).toBe(before);
  });

  it('associates campaigns with calls, emails and meetings only among activities', async () => {
    const { crm } = await testCrm();
    const campaign = await crm.records.create('campaigns', { hs_name: 'Spring' });
    const at = { hs_timestamp: '2026-01-01T00:00:00Z' };
    await crm.associations.associate(campaign, await crm.records.create('calls', at));
    await crm.associations.associate(await crm.records.create('meetings', at), campaign);
    await crm.associations.associate(campaign, await crm.records.create('emails', at));
    for (const type of ['notes', 'tasks', 'communications', 'postal_mail']) {
      await expectCrmError(crm.associations.associate(campaign, await crm.records.create(type, at)), 'ASSOCIATION_NOT_ALLOWED');
    }
    expect((await crm.associations.list(campaign, 'calls')).total).toBe(1);
  });

  it('associates a custom object with the types its definition names, from either side', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject({
      name: 'roast_batches',
      labels: { singular: 'Roast batch', plural: 'Roast batches' },
      primaryDisplayProperty: 'batch_name',
      properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
      associations: ['contacts', 'deals'],
    });
    const batch = await crm.records.create('roast_batches', { batch_name: 'B1' });
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.associate(batch, ana);
    await crm.associations.associate(bigOne, batch);
    expect(await listedIds(crm, ana, 'roast_batches')).toEqual([batch.id]);
    expect(await listedIds(crm, batch, 'deals')).toEqual([bigOne.id]);
    await expectCrmError(crm.associations.associate(batch, await ticket(crm)), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.associations.associate(await company(crm), batch), 'ASSOCIATION_NOT_ALLOWED');
  });

  it('gives a line item one parent: a second parent of any parent type is ASSOCIATION_LIMIT', async () => {
    const { crm, storage } = await testCrm();
    const item = await crm.records.create('line_items', { name: 'Widget x 3' });
    const first = await deal(crm);
    const second = await deal(crm, { dealname: 'Second' });
    const q = await quote(crm, second);
    await crm.associations.associate(item, first);
    const before = snapshot(storage);
    const byDeal = await expectCrmError(crm.associations.associate(item, second), 'ASSOCIATION_LIMIT');
    expect(byDeal.details).toMatchObject({ objectType: 'line_items', id: item.id, limit: 1 });
    await expectCrmError(crm.associations.associate(q, item), 'ASSOCIATION_LIMIT');
    expect(snapshot(storage)).toBe(before);
    // Once it leaves its parent, it may take another.
    await crm.associations.remove(item, first);
    await crm.associations.associate(q, item);
    expect(await listedIds(crm, item, 'quotes')).toEqual([q.id]);
  });

  it('never associates a line item with anything but a parent', async () => {
    const { crm } = await testCrm();
    const item = await crm.records.create('line_items', { name: 'Widget x 3' });
    await expectCrmError(crm.associations.associate(item, await contact(crm)), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.associations.associate(await company(crm), item), 'ASSOCIATION_NOT_ALLOWED');
  });
});

describe('schema.defineAssociation', () => {
  it('allows a pair the table does not list, from either side', async () => {
    const { crm } = await testCrm();
    const broken = await ticket(crm);
    const order = await crm.records.create('orders', { hs_order_name: 'O-1' });
    await expectCrmError(crm.associations.associate(broken, order), 'ASSOCIATION_NOT_ALLOWED');
    await crm.schema.defineAssociation('tickets', 'orders');
    await crm.associations.associate(order, broken);
    expect(await listedIds(crm, broken, 'orders')).toEqual([order.id]);
    // Labels can now be defined on it too.
    await crm.associations.createLabel({ from: 'orders', to: 'tickets', label: 'Complaint' });
  });

  it('never allows products, a line item with a non-parent, or a campaign with another activity', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.defineAssociation('products', 'deals'), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.schema.defineAssociation('contacts', 'products'), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.schema.defineAssociation('line_items', 'contacts'), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.schema.defineAssociation('campaigns', 'notes'), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.schema.defineAssociation('tasks', 'campaigns'), 'ASSOCIATION_NOT_ALLOWED');
  });
});

// ---------------------------------------------------------------- listing

describe('list and listMany', () => {
  it('pages in the order the associations were made, with the total', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const people = [];
    for (const name of ['A', 'B', 'C', 'D', 'E']) people.push(await contact(crm, { firstname: name }));
    for (const person of people) await crm.associations.associate(acme, person);
    const ids = people.map((person) => person.id);

    const first = await crm.associations.list(acme, 'contacts', { limit: 2 });
    expect(first.results.map((item) => item.id)).toEqual(ids.slice(0, 2));
    expect(first.total).toBe(5);
    const second = await crm.associations.list(acme, 'contacts', { limit: 2, after: first.paging!.next!.after });
    expect(second.results.map((item) => item.id)).toEqual(ids.slice(2, 4));
    expect(second.total).toBe(5);
    const last = await crm.associations.list(acme, 'contacts', { limit: 2, after: second.paging!.next!.after });
    expect(last.results.map((item) => item.id)).toEqual(ids.slice(4));
    expect(last.paging).toBeUndefined();
  });

  it('refuses a cursor made for another list', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const globex = await company(crm, { name: 'Globex' });
    for (const name of ['A', 'B', 'C']) {
      const person = await contact(crm, { firstname: name });
      await crm.associations.associate(person, acme);
      await crm.associations.associate(person, globex);
    }
    const page = await crm.associations.list(acme, 'contacts', { limit: 1 });
    await expectCrmError(crm.associations.list(globex, 'contacts', { after: page.paging!.next!.after }), 'VALIDATION_ERROR');
  });

  it('filters by a label, and the total counts what matches', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const people = [];
    for (const name of ['A', 'B', 'C', 'D']) people.push(await contact(crm, { firstname: name }));
    await crm.associations.associate(bigOne, people[0]!);
    await crm.associations.associate(bigOne, people[1]!, ['decision_maker']);
    await crm.associations.associate(bigOne, people[2]!);
    await crm.associations.associate(bigOne, people[3]!, ['decision_maker']);
    const page = await crm.associations.list(bigOne, 'contacts', { label: 'decision_maker', limit: 1 });
    expect(page.results.map((item) => item.id)).toEqual([people[1]!.id]);
    expect(page.total).toBe(2);
    const next = await crm.associations.list(bigOne, 'contacts', { label: 'decision_maker', limit: 1, after: page.paging!.next!.after });
    expect(next.results.map((item) => item.id)).toEqual([people[3]!.id]);
    await expectCrmError(crm.associations.list(bigOne, 'contacts', { label: 'nope' }), 'UNKNOWN_LABEL');
  });

  it('listMany answers every record’s items by id, a label list meaning any of them', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    const [d1, d2, d3] = [await deal(crm), await deal(crm, { dealname: 'Two' }), await deal(crm, { dealname: 'Three' })];
    const [ana, bob, cy] = [await contact(crm), await contact(crm, { firstname: 'Bob' }), await contact(crm, { firstname: 'Cy' })];
    await crm.associations.associate(d1, ana, ['decision_maker']);
    await crm.associations.associate(d1, bob, ['champion']);
    await crm.associations.associate(d1, cy);
    await crm.associations.associate(d2, cy, ['champion']);

    const all = await crm.associations.listMany([d1, d2, d3], 'contacts');
    expect([...all.keys()]).toEqual([d1.id, d2.id, d3.id]);
    expect(all.get(d1.id)!.map((item) => item.id)).toEqual([ana.id, bob.id, cy.id]);
    expect(all.get(d3.id)).toEqual([]);

    const labelled = await crm.associations.listMany([d1, { objectType: 'deals', id: d2.id }], 'contacts', { label: ['decision_maker', 'champion'] });
    expect(labelled.get(d1.id)).toEqual([
      { objectType: 'contacts', id: ana.id, labels: ['decision_maker'], primary: false },
      { objectType: 'contacts', id: bob.id, labels: ['champion'], primary: false },
    ]);
    expect(labelled.get(d2.id)!.map((item) => item.id)).toEqual([cy.id]);
    const one = await crm.associations.listMany([d1], 'contacts', { label: 'champion' });
    expect(one.get(d1.id)!.map((item) => item.id)).toEqual([bob.id]);
  });

  it('listMany, like every call, needs the records to exist (NOT_FOUND)', async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const error = await expectCrmError(crm.associations.listMany([bigOne, { objectType: 'deals', id: 'nope' }], 'contacts'), 'NOT_FOUND');
    expect(error.details).toMatchObject({ objectType: 'deals', id: 'nope' });
  });

});

// ---------------------------------------------------------------- events and sources

describe('events and sources', () => {
  it('delivers association.created, .relabelled and .removed to subscribers, from the side the call named', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await crm.associations.associate(bigOne, ana);
    await crm.associations.associate(bigOne, ana, ['decision_maker'], { source: { type: 'USER', id: 'u1' } });
    await crm.associations.remove(ana, bigOne);
    const dealRef = { objectType: 'deals', id: bigOne.id };
    const anaRef = { objectType: 'contacts', id: ana.id };
    expect(associationEvents(events)).toEqual([
      { type: 'association.created', from: dealRef, to: anaRef, labelsBefore: [], labelsAfter: [], source: { type: 'API' } },
      { type: 'association.relabelled', from: dealRef, to: anaRef, labelsBefore: [], labelsAfter: ['decision_maker'], source: { type: 'USER', id: 'u1' } },
      { type: 'association.removed', from: anaRef, to: dealRef, labelsBefore: ['decision_maker'], labelsAfter: [], source: { type: 'API' } },
    ]);
  });

  it('delivers nothing for a refused call', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await expectCrmError(
      crm.associations.associateMany([
        { from: bigOne, to: ana },
        { from: ana, to: ana },
      ]),
      'ASSOCIATION_NOT_ALLOWED',
    );
    expect(events).toEqual([]);
  });

  it('records the source of every write in both records’ history (default API)', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const broken = await ticket(crm);
    const source = { type: 'IMPORT' as const, id: 'import-7', label: 'Spring import' };
    await crm.associations.associate(ana, bigOne, [], { source });
    await crm.associations.associateMany([{ from: broken, to: ana }]);
    expect((await crm.associations.history(ana, { with: bigOne }))[0]?.source).toEqual(source);
    expect((await crm.associations.history(bigOne, { with: ana }))[0]?.source).toEqual(source);
    expect((await crm.associations.history(broken))[0]?.source).toEqual({ type: 'API' });
    await expectCrmError(crm.associations.associate(ana, broken, [], { source: { type: 'NOPE' } } as never), 'VALIDATION_ERROR');
  });
});
