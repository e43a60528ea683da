// Calculated properties: computed in the transaction, shown in the records a call answers,
// rolled back with it.
import { describe, expect, it } from 'vitest';
import type { Engine } from './harness.js';

/**
 * Declares the engine's tests of calculated properties, on the storages `engine` makes.
 *
 * @example
 * describeCalculated(engineHarness(() => memoryStorage()));
 */
export function describeCalculated({ fresh, contact, company }: Engine): void {
  describe('calculated properties', () => {
    it('num_associated_contacts counts a company’s live contacts, absent when zero, logged as CALCULATED', async () => {
      const crm = await fresh();
      const acme = await company(crm);
      expect(acme.properties).not.toHaveProperty('num_associated_contacts');
      const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
      await crm.associations.associate(ana, acme);
      await crm.associations.associate(acme, bob);
      const count = async () => (await crm.records.get('companies', acme.id))?.properties.num_associated_contacts;
      expect(await count()).toBe(2);
      await crm.records.archive('contacts', bob.id);
      expect(await count()).toBe(1);
      await crm.records.restore('contacts', bob.id);
      expect(await count()).toBe(2);
      await crm.associations.remove(ana, acme);
      await crm.records.purge('contacts', bob.id);
      expect(await crm.records.get('companies', acme.id)).not.toHaveProperty('properties.num_associated_contacts');
      expect((await crm.records.history('companies', acme.id, 'num_associated_contacts'))[0]).toMatchObject({ value: null, sourceType: 'CALCULATED' });
    });

    it('shows in the record a call answers and does not move updatedAt; a rolled-back transaction leaves it as it was', async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      const acme = await crm.records.create('companies', { name: 'Acme' }, { associations: [{ to: ana }] });
      expect(acme.properties.num_associated_contacts).toBe(1);
      await crm.associations.associate(acme, await contact(crm, { firstname: 'Bob' }));
      const after = await crm.records.get('companies', acme.id);
      expect(after?.properties.num_associated_contacts).toBe(2);
      expect(after?.updatedAt).toBe(acme.updatedAt);
      await expect(
        crm.transaction(async (tx) => {
          await tx.associations.associate(acme, await tx.records.create('contacts', { firstname: 'Cy' }));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await crm.records.get('companies', acme.id)).toEqual(after);
    });
  });
}
