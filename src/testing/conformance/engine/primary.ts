// The primary company: the first company becomes primary, setPrimary, PRIMARY_REQUIRED, and
// what archive and restore do to it.
import { describe, expect, it } from 'vitest';
import { refused, view, associatedIds, primaryOf, type Engine } from './harness.js';

/**
 * Declares the engine's tests of the primary company, on the storages `engine` makes.
 *
 * @example
 * describePrimary(engineHarness(() => memoryStorage()));
 */
export function describePrimary({ fresh, contact, company, deal }: Engine): void {
  describe('associations: the primary company', () => {
    it('the first company associated becomes primary, from either side; setPrimary demotes the old one', async () => {
      const crm = await fresh();
      const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
      const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
      await crm.associations.associate(ana, acme);
      await crm.associations.associate(globex, bob);
      await crm.associations.associate(ana, globex);
      expect((await crm.associations.list(ana, 'companies')).results).toEqual([
        { objectType: 'companies', id: acme.id, labels: ['primary'], primary: true },
        { objectType: 'companies', id: globex.id, labels: [], primary: false },
      ]);
      expect(await primaryOf(crm, bob)).toBe(globex.id);
      await crm.associations.setPrimary(ana, globex);
      // The old primary stays associated, demoted; both changes are logged.
      expect((await crm.associations.list(ana, 'companies')).results).toEqual([
        { objectType: 'companies', id: acme.id, labels: [], primary: false },
        { objectType: 'companies', id: globex.id, labels: ['primary'], primary: true },
      ]);
      const [promoted, demoted] = await crm.associations.history(ana);
      expect(promoted).toMatchObject({ action: 'relabelled', to: { objectType: 'companies', id: globex.id }, labelsBefore: [], labelsAfter: ['primary'] });
      expect(demoted).toMatchObject({ action: 'relabelled', to: { objectType: 'companies', id: acme.id }, labelsBefore: ['primary'], labelsAfter: [] });
      expect(await primaryOf(crm, ana)).toBe(globex.id);
      expect(await associatedIds(crm, ana, 'companies')).toEqual([acme.id, globex.id]);
      expect(await associatedIds(crm, globex, 'contacts', 'primary')).toEqual([bob.id, ana.id]);
    });

    it("refuses to unlabel a contact's only company's primary (PRIMARY_REQUIRED), and a primary from the company side", async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      const acme = await company(crm);
      await crm.associations.associate(ana, acme);
      const before = await view(crm);
      expect((await refused(crm.associations.unlabel(ana, acme, ['primary']), 'PRIMARY_REQUIRED')).details).toMatchObject({ objectType: 'contacts', id: ana.id });
      await refused(crm.associations.setPrimary(acme, ana), 'PRIMARY_NOT_ALLOWED');
      expect(await view(crm)).toEqual(before);
    });

    it('a replacement primary is chosen among companies associated at one instant by the order they were made', async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      const [x, y, z] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' }), await company(crm, { name: 'Z' })];
      await crm.associations.associate(ana, x);
      // One call reads the clock once: both associations are made at the same time.
      await crm.associations.associateMany([
        { from: ana, to: z },
        { from: ana, to: y },
      ]);
      await crm.records.archive('companies', x.id);
      expect(await primaryOf(crm, ana)).toBe(z.id);
    });

    it('archiving a primary company gives its contacts their longest-associated live company; restoring brings it back', async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      const bigOne = await deal(crm);
      const [x, y, z] = [await company(crm, { name: 'X' }), await company(crm, { name: 'Y' }), await company(crm, { name: 'Z' })];
      await crm.associations.associate(ana, z);
      await crm.associations.associate(ana, y);
      await crm.associations.setPrimary(ana, x);
      await crm.associations.associate(bigOne, x);
      await crm.associations.associate(bigOne, y);
      await crm.records.archive('companies', x.id);
      expect((await crm.associations.list(ana, 'companies')).results).toEqual([
        { objectType: 'companies', id: z.id, labels: ['primary'], primary: true },
        { objectType: 'companies', id: y.id, labels: [], primary: false },
      ]);
      // Other objects are left with none.
      expect((await crm.associations.list(bigOne, 'companies')).results).toEqual([{ objectType: 'companies', id: y.id, labels: [], primary: false }]);
      const [promoted, removed] = await crm.associations.history(ana);
      expect(promoted).toMatchObject({
        action: 'relabelled',
        to: { objectType: 'companies', id: z.id },
        labelsBefore: [],
        labelsAfter: ['primary'],
        source: { type: 'OBJECT_DELETION' },
      });
      expect(removed).toMatchObject({ action: 'removed', to: { objectType: 'companies', id: x.id }, labelsBefore: ['primary'], source: { type: 'OBJECT_DELETION' } });
      await crm.records.restore('companies', x.id);
      expect(await primaryOf(crm, ana)).toBe(z.id);
      expect(await primaryOf(crm, bigOne)).toBe(x.id);
      expect(await associatedIds(crm, ana, 'companies')).toEqual([z.id, y.id, x.id]);
      // Restoring logs the association's return (created, OBJECT_RESTORE); the last entry about x shows the labels it has now.
      const aboutX = await crm.associations.history(ana, { with: x });
      expect(aboutX.filter((entry) => entry.source.type === 'OBJECT_RESTORE').map((entry) => entry.action)).toContain('created');
      expect(aboutX[0]).toMatchObject({ source: { type: 'OBJECT_RESTORE' }, labelsAfter: [] });
    });
  });
}
