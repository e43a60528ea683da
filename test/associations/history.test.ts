// Association history (docs/associations.md "History"): every change logged on both records,
// newest first, with the other record's name at the time and the write's source.
import { describe, expect, it } from 'vitest';
import { expectCrmError, testCrm } from '../helpers.js';
import { company, contact, deal, ticket } from './fixtures.js';

// Whole entries from both sides, the other record's name at the time, and the history that
// survives the other record's purge depend on the storage: the conformance suite's
// engine/history.ts tests them on every storage.
describe('history entries', () => {
  it('names contacts by first and last name, else email; other records by their display property', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm, { name: 'Acme' });
    const onlyLast = await crm.records.create('contacts', { lastname: 'Silva', email: 'ana@x.com' });
    const onlyEmail = await crm.records.create('contacts', { email: 'bob@x.com' });
    const bigOne = await deal(crm, { dealname: 'Big one' });
    const broken = await ticket(crm, { subject: 'Printer on fire' });
    for (const record of [onlyLast, onlyEmail, bigOne, broken]) await crm.associations.associate(acme, record);
    const names = (await crm.associations.history(acme)).map((entry) => entry.otherName);
    expect(names).toEqual(['Printer on fire', 'Big one', 'bob@x.com', 'Silva']);
  });

  it('shows labels before and after from the record whose history it is', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
    const boss = await contact(crm, { firstname: 'Boss' });
    const worker = await contact(crm, { firstname: 'Worker' });
    await crm.associations.associate(worker, boss);
    await crm.associations.associate(worker, boss, ['manager']);
    await crm.associations.unlabel(boss, worker, ['employee']);
    const seen = (entries: Awaited<ReturnType<typeof crm.associations.history>>) =>
      entries.map((entry) => [entry.action, entry.labelsBefore, entry.labelsAfter]);
    expect(seen(await crm.associations.history(worker))).toEqual([
      ['relabelled', ['manager'], []],
      ['relabelled', [], ['manager']],
      ['created', [], []],
    ]);
    expect(seen(await crm.associations.history(boss))).toEqual([
      ['relabelled', ['employee'], []],
      ['relabelled', [], ['employee']],
      ['created', [], []],
    ]);
  });

  it('answers newest first, each entry with its call’s time', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm); // T0
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })]; // T1, T2
    await crm.associations.associate(ana, acme); // T3
    await crm.associations.associate(ana, globex); // T4
    await crm.associations.remove(ana, globex); // T5
    expect((await crm.associations.history(ana)).map((entry) => [entry.action, entry.to.id, entry.timestamp])).toEqual([
      ['removed', globex.id, '2026-01-01T00:00:05.000Z'],
      ['created', globex.id, '2026-01-01T00:00:04.000Z'],
      ['created', acme.id, '2026-01-01T00:00:03.000Z'],
    ]);
  });

  it('records a given source, and { type: API } by default', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const source = { type: 'USER' as const, id: 'u7', label: 'Ana at the desk' };
    await crm.associations.associate(ana, bigOne, [], { source });
    await crm.associations.remove(bigOne, ana);
    const [removed, created] = await crm.associations.history(bigOne);
    expect(created?.source).toEqual(source);
    expect(removed?.source).toEqual({ type: 'API' });
    expect((await crm.associations.history(ana))[1]?.source).toEqual(source);
  });
});

describe('history filters', () => {
  it('narrows to one type with { toType } and to one record with { with }', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    const bigOne = await deal(crm);
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, bigOne);
    await crm.associations.associate(ana, globex);
    expect((await crm.associations.history(ana, { toType: 'companies' })).map((entry) => entry.to.id)).toEqual([globex.id, acme.id]);
    expect((await crm.associations.history(ana, { toType: '0-3' })).map((entry) => entry.to.id)).toEqual([bigOne.id]);
    expect((await crm.associations.history(ana, { with: acme })).map((entry) => entry.to.id)).toEqual([acme.id]);
    expect((await crm.associations.history(ana, { with: { objectType: '0-2', id: globex.id } })).map((entry) => entry.to.id)).toEqual([globex.id]);
    expect(await crm.associations.history(ana, { toType: 'tickets' })).toEqual([]);
  });

  it('refuses unknown types and records that do not exist', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    await expectCrmError(crm.associations.history(ana, { toType: 'unicorns' }), 'UNKNOWN_OBJECT_TYPE');
    await expectCrmError(crm.associations.history({ objectType: 'contacts', id: 'nope' }), 'NOT_FOUND');
  });
});

describe('history and record lifecycles', () => {
  it('archiving logs removed (OBJECT_DELETION) on both sides; restoring logs created (OBJECT_RESTORE)', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.associate(ana, bigOne);
    await crm.records.archive('deals', bigOne.id);
    await crm.records.restore('deals', bigOne.id);
    const summary = (entries: Awaited<ReturnType<typeof crm.associations.history>>) =>
      entries.map((entry) => [entry.action, entry.source.type, entry.labelsBefore, entry.labelsAfter]);
    expect(summary(await crm.associations.history(ana))).toEqual([
      ['created', 'OBJECT_RESTORE', [], []],
      ['removed', 'OBJECT_DELETION', [], []],
      ['created', 'API', [], []],
    ]);
    expect(summary(await crm.associations.history(bigOne))).toEqual([
      ['created', 'OBJECT_RESTORE', [], []],
      ['removed', 'OBJECT_DELETION', [], []],
      ['created', 'API', [], []],
    ]);
  });

  it('archiving logs nothing for associations already hidden by the other record’s archive', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.associate(ana, bigOne);
    await crm.records.archive('contacts', ana.id);
    await crm.records.archive('deals', bigOne.id);
    expect((await crm.associations.history(bigOne)).map((entry) => entry.action)).toEqual(['removed', 'created']);
  });

  it('keeps labels through archive and restore', async () => {
    const { crm } = await testCrm();
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    await crm.associations.associate(bigOne, ana, ['decision_maker']);
    await crm.records.archive('contacts', ana.id);
    await crm.records.restore('contacts', ana.id);
    const [restored, archived] = await crm.associations.history(bigOne);
    expect(archived).toMatchObject({ action: 'removed', labelsBefore: ['decision_maker'], labelsAfter: [] });
    expect(restored).toMatchObject({ action: 'created', labelsBefore: [], labelsAfter: ['decision_maker'] });
    expect((await crm.associations.list(bigOne, 'contacts')).results[0]?.labels).toEqual(['decision_maker']);
  });
});
