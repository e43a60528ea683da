// Association history: every change on both records, newest first, narrowed by type or record.
import { describe, expect, it } from 'vitest';
import { associatedIds, refused, type Engine } from './harness.js';

/**
 * Declares the engine's tests of association history, on the storages `engine` makes.
 *
 * @example
 * describeHistory(engineHarness(() => memoryStorage()));
 */
export function describeHistory({ fresh, contact, company, deal }: Engine): void {
  describe('associations: history', () => {
    it('logs every change on both records, newest first, each from its own side, with the other’s name and the source', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { firstname: 'Ana', lastname: 'Silva' });
      const acme = await company(crm, { name: 'Acme' });
      await crm.associations.associate(ana, acme);
      await crm.records.update('companies', acme.id, { name: 'Acme Holdings' });
      await crm.associations.remove(acme, ana, { source: { type: 'USER', id: 'u1' } });
      const anaSide = await crm.associations.history(ana);
      expect(anaSide.map((entry) => [entry.action, entry.from.id, entry.to.id, entry.otherName, entry.labelsBefore, entry.labelsAfter, entry.source])).toEqual([
        ['removed', ana.id, acme.id, 'Acme Holdings', ['primary'], [], { type: 'USER', id: 'u1' }],
        ['created', ana.id, acme.id, 'Acme', [], ['primary'], { type: 'API' }],
      ]);
      const acmeSide = await crm.associations.history(acme);
      expect(acmeSide.map((entry) => [entry.action, entry.from.id, entry.to.id, entry.otherName])).toEqual([
        ['removed', acme.id, ana.id, 'Ana Silva'],
        ['created', acme.id, ana.id, 'Ana Silva'],
      ]);
      expect(acmeSide.map((entry) => entry.timestamp)).toEqual(anaSide.map((entry) => entry.timestamp));
      expect(anaSide[0]!.timestamp > anaSide[1]!.timestamp).toBe(true);
      // Whole entries, nothing more: the association was made by the third call, at the clock's third reading.
      const made = { action: 'created', labelsBefore: [], labelsAfter: ['primary'], timestamp: '2026-01-01T00:00:02.000Z', source: { type: 'API' } };
      expect(anaSide[1]).toEqual({ ...made, from: { objectType: 'contacts', id: ana.id }, to: { objectType: 'companies', id: acme.id }, otherName: 'Acme' });
      expect(acmeSide[1]).toEqual({ ...made, from: { objectType: 'companies', id: acme.id }, to: { objectType: 'contacts', id: ana.id }, otherName: 'Ana Silva' });
    });

    it('narrows history by type and record, and keeps a record’s history after the other record is purged', async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      const acme = await company(crm);
      const bigOne = await deal(crm);
      await crm.associations.associate(ana, acme);
      await crm.associations.associate(ana, bigOne);
      expect((await crm.associations.history(ana, { toType: 'deals' })).map((entry) => entry.to.id)).toEqual([bigOne.id]);
      expect((await crm.associations.history(ana, { with: acme })).map((entry) => entry.to.id)).toEqual([acme.id]);
      await crm.records.purge('deals', bigOne.id);
      expect((await crm.associations.history(ana, { toType: 'deals' })).map((entry) => [entry.action, entry.to.id, entry.otherName, entry.source.type])).toEqual([
        ['removed', bigOne.id, 'Big one', 'OBJECT_DELETION'],
        ['created', bigOne.id, 'Big one', 'API'],
      ]);
      expect(await crm.associations.history(ana, { with: { objectType: 'deals', id: bigOne.id } })).toHaveLength(2);
      expect(await associatedIds(crm, ana, 'deals')).toEqual([]);
      // The purged record's own history went with it.
      await refused(crm.associations.history(bigOne), 'NOT_FOUND');
    });
  });
}
