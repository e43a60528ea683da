// Association labels and limits (docs/associations.md "Labels", "Limits"): defining, listing,
// changing and deleting labels, and the caps labels and pairs put on associations.
import { describe, expect, it } from 'vitest';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';
import { contact, deal, listedIds, snapshot, ticket } from './fixtures.js';

/** A synchronous call as a promise, for expectCrmError. */
const attempt = <T>(fn: () => T): Promise<T> => Promise.resolve().then(fn);

// ---------------------------------------------------------------- createLabel

describe('createLabel', () => {
  it('answers the definition, its name derived from the display label', async () => {
    const { crm } = await testCrm();
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    expect(label).toEqual({
      from: 'deals',
      to: 'contacts',
      name: 'decision_maker',
      label: 'Decision maker',
      limit: 'many',
      inverseLimit: 'many',
      typeId: 1000,
      inverseTypeId: 1001,
      hubspotDefined: false,
    });
  });

  it('derives names: lowercase, runs of other characters become one _', async () => {
    const { crm } = await testCrm();
    expect((await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Budget -- Holder!' })).name).toBe('budget_holder');
    expect((await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Tech Lead 2' })).name).toBe('tech_lead_2');
    expect((await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Signer', name: 'legal_signer' })).name).toBe('legal_signer');
  });

  it('takes object types by id too, and answers their names', async () => {
    const { crm } = await testCrm();
    const label = await crm.associations.createLabel({ from: '0-3', to: '0-1', label: 'Decision maker' });
    expect(label).toMatchObject({ from: 'deals', to: 'contacts', name: 'decision_maker' });
    expect(crm.associations.labels('0-1', '0-3')).toEqual([label]);
  });

  it('makes a paired label, the inverse name derived from inverseLabel', async () => {
    const { crm } = await testCrm();
    const label = await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Direct report' });
    expect(label).toMatchObject({ name: 'manager', label: 'Manager', inverseName: 'direct_report', inverseLabel: 'Direct report' });
  });

  it('gives each direction its own type id from 1000 up, never reusing a deleted label’s', async () => {
    const { crm } = await testCrm();
    const a = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'A' });
    const b = await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    await crm.associations.deleteLabel('contacts', 'contacts', 'manager');
    const c = await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    const ids = [a, b, c].flatMap((label) => [label.typeId, label.inverseTypeId]);
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) expect(id).toBeGreaterThanOrEqual(1000);
    expect(c.typeId).toBeGreaterThan(b.inverseTypeId);
  });

  it('refuses a name or display label already in the pair, of either side, ignoring case (LABEL_EXISTS)', async () => {
    const { crm, storage } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Signer', inverseLabel: 'Signed deal' });
    const before = snapshot(storage);
    await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'DECISION MAKER' }), 'LABEL_EXISTS');
    await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Other', name: 'decision_maker' }), 'LABEL_EXISTS');
    // Defined from the other side of the pair, or colliding with an inverse name or label.
    await expectCrmError(crm.associations.createLabel({ from: 'contacts', to: 'deals', label: 'Decision Maker' }), 'LABEL_EXISTS');
    await expectCrmError(crm.associations.createLabel({ from: 'contacts', to: 'deals', label: 'signed deal' }), 'LABEL_EXISTS');
    await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Buyer', inverseLabel: 'Signer' }), 'LABEL_EXISTS');
    await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'x', name: 'signed_deal' }), 'LABEL_EXISTS');
    expect(snapshot(storage)).toBe(before);
    // Another pair may use the same names.
    await crm.associations.createLabel({ from: 'deals', to: 'companies', label: 'Decision maker' });
  });

  it('refuses the built-in primary’s name on a pair that has it', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Primary' }), 'LABEL_EXISTS');
    await expectCrmError(crm.associations.createLabel({ from: 'companies', to: 'deals', label: 'Main', name: 'primary' }), 'LABEL_EXISTS');
  });

  it('refuses a label on a pair that may not associate', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.associations.createLabel({ from: 'products', to: 'deals', label: 'Sold in' }), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.associations.createLabel({ from: 'notes', to: 'notes', label: 'Reply' }), 'ASSOCIATION_NOT_ALLOWED');
    await expectCrmError(crm.associations.createLabel({ from: 'unicorns', to: 'deals', label: 'X' }), 'UNKNOWN_OBJECT_TYPE');
  });

  it('stops at labelLimit labels per pair (a paired label counts once; primary does not count)', async () => {
    const { crm, storage } = await testCrm({ labelLimit: 2 });
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Friend' });
    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Sibling' }), 'LABEL_LIMIT');
    expect(error.details.limit).toBe(2);
    expect(snapshot(storage)).toBe(before);
    // contacts → companies has the built-in primary besides its two labels.
    await crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing contact' });
    await crm.associations.createLabel({ from: 'companies', to: 'contacts', label: 'Former employee' });
    await expectCrmError(crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Board member' }), 'LABEL_LIMIT');
  });

  it('defaults labelLimit to 10', async () => {
    const { crm } = await testCrm();
    for (let n = 1; n <= 10; n++) await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: `Role ${n}` });
    await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Role 11' }), 'LABEL_LIMIT');
  });

  it('refuses bad input with VALIDATION_ERROR', async () => {
    const { crm, storage } = await testCrm();
    const before = snapshot(storage);
    const base = { from: 'deals', to: 'contacts', label: 'Decision maker' };
    const bad: unknown[] = [
      null,
      'decision maker',
      { from: 'deals', to: 'contacts' },
      { ...base, label: '' },
      { ...base, label: '   ' },
      { ...base, label: 'x'.repeat(101) },
      { ...base, label: '!!!' },
      { ...base, name: 'Decision Maker' },
      { ...base, name: 'x'.repeat(101) },
      { ...base, inverseLabel: '' },
      { ...base, limit: 0 },
      { ...base, limit: 10_001 },
      { ...base, limit: 1.5 },
      { ...base, limit: 'few' },
      { ...base, inverseLimit: -1 },
      { ...base, colour: 'red' },
    ];
    for (const input of bad) await expectCrmError(crm.associations.createLabel(input as never), 'VALIDATION_ERROR');
    expect(issueCodes(await expectCrmError(crm.associations.createLabel({ ...base, name: 'Decision Maker' }), 'VALIDATION_ERROR'))).toEqual(['INVALID_LABEL']);
    expect(snapshot(storage)).toBe(before);
    // 100 characters is fine; limits from 1 to 10,000 too.
    await crm.associations.createLabel({ ...base, label: 'y'.repeat(100), limit: 10_000, inverseLimit: 1 });
  });
});

// ---------------------------------------------------------------- labels()

describe('labels', () => {
  it('lists the same definitions whichever way round, the built-in primary first, then by creation', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'companies', to: 'contacts', label: 'Former employee' });
    await crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing contact' });
    const labels = crm.associations.labels('contacts', 'companies');
    expect(labels.map((label) => [label.from, label.to, label.name])).toEqual([
      ['contacts', 'companies', 'primary'],
      ['companies', 'contacts', 'former_employee'],
      ['contacts', 'companies', 'billing_contact'],
    ]);
    expect(labels[0]).toMatchObject({ name: 'primary', hubspotDefined: true });
    expect(labels.slice(1).every((label) => !label.hubspotDefined)).toBe(true);
    expect(crm.associations.labels('companies', 'contacts')).toEqual(labels);
  });

  it('shows primary on every object → company pair but company → company, which has parent and child', async () => {
    const { crm } = await testCrm();
    expect(crm.associations.labels('deals', 'companies').map((label) => label.name)).toEqual(['primary']);
    expect(crm.associations.labels('companies', 'tickets').map((label) => [label.from, label.name])).toEqual([['tickets', 'primary']]);
    expect(crm.associations.labels('companies', 'companies').map((label) => [label.name, label.inverseName, label.hubspotDefined])).toEqual([
      ['child_company', 'parent_company', true],
    ]);
    expect(crm.associations.labels('deals', 'contacts')).toEqual([]);
  });

  it('is ASSOCIATION_NOT_ALLOWED for a pair that may not associate', async () => {
    const { crm } = await testCrm();
    await expectCrmError(attempt(() => crm.associations.labels('products', 'contacts')), 'ASSOCIATION_NOT_ALLOWED');
  });
});

// ---------------------------------------------------------------- updateLabel

describe('updateLabel', () => {
  it('changes display labels and limits, keeping names and type ids', async () => {
    const { crm } = await testCrm();
    const created = await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    const updated = await crm.associations.updateLabel('contacts', 'contacts', 'manager', {
      label: 'Line manager',
      inverseLabel: 'Report',
      limit: 'one',
      inverseLimit: 50,
    });
    expect(updated).toEqual({ ...created, label: 'Line manager', inverseLabel: 'Report', limit: 'one', inverseLimit: 50 });
    expect(crm.associations.labels('contacts', 'contacts')).toEqual([updated]);
  });

  it('finds the label from the other side of the pair too', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const updated = await crm.associations.updateLabel('contacts', 'deals', 'decision_maker', { label: 'Decider' });
    expect(updated).toMatchObject({ from: 'deals', to: 'contacts', name: 'decision_maker', label: 'Decider' });
  });

  it('refuses to change a name, an inverse name or whether the label is paired (IMMUTABLE)', async () => {
    const { crm, storage } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const before = snapshot(storage);
    expect((await expectCrmError(crm.associations.updateLabel('contacts', 'contacts', 'manager', { name: 'boss' }), 'IMMUTABLE')).details.field).toBe('name');
    await expectCrmError(crm.associations.updateLabel('contacts', 'contacts', 'manager', { inverseName: 'minion' } as never), 'IMMUTABLE');
    await expectCrmError(crm.associations.updateLabel('deals', 'contacts', 'decision_maker', { inverseLabel: 'Decided' }), 'IMMUTABLE');
    expect(snapshot(storage)).toBe(before);
    // Naming the current name is no change.
    await crm.associations.updateLabel('contacts', 'contacts', 'manager', { name: 'manager', label: 'Boss' });
  });

  it('refuses any change to the built-in primary (IMMUTABLE)', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.associations.updateLabel('contacts', 'companies', 'primary', { label: 'Main' }), 'IMMUTABLE');
    await expectCrmError(crm.associations.updateLabel('companies', 'deals', 'primary', { limit: 2 }), 'IMMUTABLE');
    await expectCrmError(crm.associations.deleteLabel('contacts', 'companies', 'primary'), 'IMMUTABLE');
  });

  it('keeps a paired label’s two sides apart: neither display label may become the other’s (LABEL_EXISTS)', async () => {
    const { crm, storage } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    await expectCrmError(crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Mentor', inverseLabel: 'mentor' }), 'LABEL_EXISTS');
    const before = snapshot(storage);
    await expectCrmError(crm.associations.updateLabel('contacts', 'contacts', 'manager', { label: 'Employee' }), 'LABEL_EXISTS');
    await expectCrmError(crm.associations.updateLabel('contacts', 'contacts', 'manager', { inverseLabel: 'MANAGER' }), 'LABEL_EXISTS');
    expect(snapshot(storage)).toBe(before);
  });

  it('refuses a display label another label has, an unknown label, and bad patches', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    await expectCrmError(crm.associations.updateLabel('deals', 'contacts', 'champion', { label: 'decision maker' }), 'LABEL_EXISTS');
    await expectCrmError(crm.associations.updateLabel('deals', 'contacts', 'nope', { label: 'X' }), 'UNKNOWN_LABEL');
    await expectCrmError(crm.associations.updateLabel('deals', 'contacts', 'champion', { label: '' }), 'VALIDATION_ERROR');
    await expectCrmError(crm.associations.updateLabel('deals', 'contacts', 'champion', { limit: 0 }), 'VALIDATION_ERROR');
    await expectCrmError(crm.associations.updateLabel('deals', 'contacts', 'champion', null as never), 'VALIDATION_ERROR');
    // Its own display label, in another case, is fine.
    expect((await crm.associations.updateLabel('deals', 'contacts', 'champion', { label: 'CHAMPION' })).label).toBe('CHAMPION');
  });
});

// ---------------------------------------------------------------- deleteLabel and labelUsage

describe('deleteLabel and labelUsage', () => {
  it('counts the associations carrying a label, archived records’ included, and refuses to delete it while any does', async () => {
    const { crm, storage } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const bigOne = await deal(crm);
    const [ana, bob, cy] = [await contact(crm), await contact(crm, { firstname: 'Bob' }), await contact(crm, { firstname: 'Cy' })];
    await crm.associations.associate(bigOne, ana, ['decision_maker']);
    await crm.associations.associate(bob, bigOne, ['decision_maker']);
    await crm.associations.associate(bigOne, cy);
    await crm.records.archive('contacts', bob.id);
    expect(await crm.associations.labelUsage('deals', 'contacts', 'decision_maker')).toEqual({ associations: 2, segments: [], views: [] });
    expect(await crm.associations.labelUsage('contacts', 'deals', 'decision_maker')).toEqual({ associations: 2, segments: [], views: [] });

    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.deleteLabel('deals', 'contacts', 'decision_maker'), 'LABEL_IN_USE');
    expect(error.details.associations).toBe(2);
    expect(snapshot(storage)).toBe(before);

    await crm.associations.unlabel(bigOne, ana, ['decision_maker']);
    expect((await expectCrmError(crm.associations.deleteLabel('deals', 'contacts', 'decision_maker'), 'LABEL_IN_USE')).details.associations).toBe(1);
    await crm.records.restore('contacts', bob.id);
    await crm.associations.unlabel(bigOne, bob, ['decision_maker']);
    await crm.associations.deleteLabel('deals', 'contacts', 'decision_maker');
    expect(crm.associations.labels('deals', 'contacts')).toEqual([]);
    await expectCrmError(crm.associations.associate(bigOne, ana, ['decision_maker']), 'UNKNOWN_LABEL');
  });

  it('counts each association once on a same-type pair, paired or not', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Friend' });
    const [ana, bob, cy] = [await contact(crm), await contact(crm, { firstname: 'Bob' }), await contact(crm, { firstname: 'Cy' })];
    await crm.associations.associate(ana, bob, ['manager', 'friend']);
    await crm.associations.associate(cy, ana, ['employee']);
    expect(await crm.associations.labelUsage('contacts', 'contacts', 'manager')).toEqual({ associations: 2, segments: [], views: [] });
    expect(await crm.associations.labelUsage('contacts', 'contacts', 'employee')).toEqual({ associations: 2, segments: [], views: [] });
    expect(await crm.associations.labelUsage('contacts', 'contacts', 'friend')).toEqual({ associations: 1, segments: [], views: [] });
  });

  it('lets a deleted label’s name be used again, as a new label', async () => {
    const { crm } = await testCrm();
    const first = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    await crm.associations.deleteLabel('deals', 'contacts', 'decision_maker');
    const again = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
    expect(again).toMatchObject({ name: 'decision_maker', limit: 'one' });
    expect(again.typeId).not.toBe(first.typeId);
    expect(crm.associations.labels('deals', 'contacts')).toEqual([again]);
  });

  it('is UNKNOWN_LABEL for a label the pair does not have', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.associations.deleteLabel('deals', 'contacts', 'nope'), 'UNKNOWN_LABEL');
    await expectCrmError(crm.associations.labelUsage('deals', 'contacts', 'nope'), 'UNKNOWN_LABEL');
  });
});

// ---------------------------------------------------------------- limits

// A label capped at one, from either side, is tested on every storage by the conformance suite's
// engine/limits.ts.
describe('label limits', () => {
  it('checks every capped label of one call, not only the first', async () => {
    const { crm, storage } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', limit: 'one' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Buyer', limit: 'one' });
    const d1 = await deal(crm);
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    await crm.associations.associate(d1, ana, ['champion']);
    const before = snapshot(storage);
    const error = await expectCrmError(crm.associations.associate(d1, bob, ['buyer', 'champion']), 'ASSOCIATION_LIMIT');
    expect(error.details.label).toBe('champion');
    expect(snapshot(storage)).toBe(before);
  });

  it('inverseLimit caps the other side: a contact may be the decision maker of one deal only', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', inverseLimit: 'one' });
    const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    await crm.associations.associate(d1, ana, ['decision_maker']);
    await crm.associations.associate(d1, bob, ['decision_maker']);
    const error = await expectCrmError(crm.associations.associate(d2, ana, ['decision_maker']), 'ASSOCIATION_LIMIT');
    expect(error.details).toEqual(expect.objectContaining({ objectType: 'contacts', id: ana.id, toType: 'deals', label: 'decision_maker', limit: 1 }));
  });

  it('a paired label’s limits apply to each side: one manager each, many employees', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee', limit: 'one' });
    const [boss, other, w1, w2] = [await contact(crm), await contact(crm), await contact(crm), await contact(crm)];
    await crm.associations.associate(w1, boss, ['manager']);
    await crm.associations.associate(boss, w2, ['employee']);
    expect(await listedIds(crm, boss, 'contacts', 'employee')).toEqual([w1.id, w2.id]);
    await expectCrmError(crm.associations.associate(w1, other, ['manager']), 'ASSOCIATION_LIMIT');
    await expectCrmError(crm.associations.associate(other, w2, ['employee']), 'ASSOCIATION_LIMIT');
  });

  it('a number caps at that many', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', limit: 2 });
    const bigOne = await deal(crm);
    await crm.associations.associate(bigOne, await contact(crm), ['champion']);
    await crm.associations.associate(bigOne, await contact(crm), ['champion']);
    const error = await expectCrmError(crm.associations.associate(bigOne, await contact(crm), ['champion']), 'ASSOCIATION_LIMIT');
    expect(error.details.limit).toBe(2);
  });

  it('a lowered limit applies to new associations only', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    const bigOne = await deal(crm);
    await crm.associations.associate(bigOne, await contact(crm), ['champion']);
    await crm.associations.associate(bigOne, await contact(crm), ['champion']);
    await crm.associations.updateLabel('deals', 'contacts', 'champion', { limit: 'one' });
    expect((await crm.associations.list(bigOne, 'contacts', { label: 'champion' })).total).toBe(2);
    await expectCrmError(crm.associations.associate(bigOne, await contact(crm), ['champion']), 'ASSOCIATION_LIMIT');
  });

  it('does not count associations with archived records, and restore brings them back past the limit', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
    const bigOne = await deal(crm);
    const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
    await crm.associations.associate(bigOne, ana, ['decision_maker']);
    await crm.records.archive('contacts', ana.id);
    await crm.associations.associate(bigOne, bob, ['decision_maker']);
    await crm.records.restore('contacts', ana.id);
    const page = await crm.associations.list(bigOne, 'contacts', { label: 'decision_maker' });
    expect(page.results.map((item) => item.id)).toEqual([ana.id, bob.id]);
    expect(page.total).toBe(2);
  });
});

describe('pair limits', () => {
  it('a label’s limit may not exceed its pair’s (LIMIT_EXCEEDS_PAIR)', async () => {
    const { crm, storage } = await testCrm();
    await crm.schema.defineAssociation('deals', 'tickets', { limit: 3, inverseLimit: 'one' });
    const before = snapshot(storage);
    const error = await expectCrmError(
      crm.associations.createLabel({ from: 'deals', to: 'tickets', label: 'Escalation', limit: 5, inverseLimit: 'one' }),
      'VALIDATION_ERROR',
    );
    expect(issueCodes(error)).toEqual(['LIMIT_EXCEEDS_PAIR']);
    expect(issueCodes(await expectCrmError(crm.associations.createLabel({ from: 'tickets', to: 'deals', label: 'Escalation', limit: 2, inverseLimit: 3 }), 'VALIDATION_ERROR'))).toEqual([
      'LIMIT_EXCEEDS_PAIR',
    ]);
    expect(snapshot(storage)).toBe(before);
    await crm.associations.createLabel({ from: 'deals', to: 'tickets', label: 'Escalation', limit: 3, inverseLimit: 'one' });
    expect(
      issueCodes(await expectCrmError(crm.associations.updateLabel('deals', 'tickets', 'escalation', { limit: 4 }), 'VALIDATION_ERROR')),
    ).toEqual(['LIMIT_EXCEEDS_PAIR']);
  });

  it('a pair cannot be capped below a label’s limit', async () => {
    const { crm, storage } = await testCrm();
    await crm.schema.defineAssociation('deals', 'tickets', { limit: 10, inverseLimit: 10 });
    await crm.associations.createLabel({ from: 'deals', to: 'tickets', label: 'Escalation', limit: 5, inverseLimit: 5 });
    const before = snapshot(storage);
    await expectCrmError(crm.schema.defineAssociation('deals', 'tickets', { limit: 4, inverseLimit: 10 }), 'VALIDATION_ERROR');
    await expectCrmError(crm.schema.defineAssociation('tickets', 'deals', { limit: 10, inverseLimit: 4 }), 'VALIDATION_ERROR');
    expect(snapshot(storage)).toBe(before);
    await crm.schema.defineAssociation('tickets', 'deals', { limit: 5, inverseLimit: 5 });
  });

  it('caps associations under the pair whatever their labels, and archived records do not count', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineAssociation('deals', 'tickets', { limit: 'one' });
    const bigOne = await deal(crm);
    const [t1, t2] = [await ticket(crm), await ticket(crm)];
    await crm.associations.associate(bigOne, t1);
    await expectCrmError(crm.associations.associate(bigOne, t2), 'ASSOCIATION_LIMIT');
    await crm.records.archive('tickets', t1.id);
    await crm.associations.associate(bigOne, t2);
    await crm.records.restore('tickets', t1.id);
    expect(await listedIds(crm, bigOne, 'tickets')).toEqual([t1.id, t2.id]);
  });

  it('refuses bad pair options', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.defineAssociation('deals', 'tickets', { limit: 0 }), 'VALIDATION_ERROR');
    await expectCrmError(crm.schema.defineAssociation('deals', 'tickets', { limit: 'few' as never }), 'VALIDATION_ERROR');
    await expectCrmError(crm.schema.defineAssociation('deals', 'tickets', { cap: 2 } as never), 'VALIDATION_ERROR');
    await expectCrmError(crm.schema.defineAssociation('deals', 'unicorns'), 'UNKNOWN_OBJECT_TYPE');
  });
});
