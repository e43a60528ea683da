// Merge: values, keys and associations move to the survivor; the merged id answers it.
import { describe, expect, it } from 'vitest';
import { refused, everyRecord, associatedIds, primaryOf, type Engine } from './harness.js';

/**
 * Declares the engine's tests of merge, on the storages `engine` makes.
 *
 * @example
 * describeMerge(engineHarness(() => memoryStorage()));
 */
export function describeMerge({ fresh, contact, company, deal, quote, listen }: Engine): void {
  describe('records: merge', () => {
    it('merge keeps the primary’s values, fills its empty ones, takes the keys and associations; the merged id answers the survivor', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com', firstname: 'Ana', phone: '+1 555' });
      const annie = await contact(crm, { email: 'ana@home.org', hs_additional_emails: 'ana@old.org', firstname: 'Annie', lastname: 'Silva', city: 'Lisbon' });
      const acme = await company(crm);
      const bigOne = await deal(crm);
      await crm.associations.associate(annie, acme);
      await crm.associations.associate(annie, bigOne);
      await crm.associations.associate(ana, annie);
      const events = listen(crm);
      const survivor = await crm.records.merge('contacts', ana.id, annie.id);
      expect(survivor).toMatchObject({
        id: ana.id,
        properties: {
          email: 'ana@x.com',
          firstname: 'Ana',
          phone: '+1 555',
          lastname: 'Silva',
          city: 'Lisbon',
          hs_additional_emails: 'ana@home.org;ana@old.org',
          hs_merged_object_ids: annie.id,
        },
      });
      expect(await crm.records.get('contacts', ana.id)).toEqual(survivor);
      expect((await crm.records.get('contacts', annie.id))?.id).toBe(ana.id);
      expect((await crm.records.getBy('contacts', 'hs_object_id', annie.id))?.id).toBe(ana.id);
      expect((await crm.records.getBy('contacts', 'email', 'ANA@home.org'))?.id).toBe(ana.id);
      expect((await crm.records.getBy('contacts', 'hs_additional_emails', 'ana@old.org'))?.id).toBe(ana.id);
      expect((await everyRecord(crm, 'contacts')).map((record) => record.id)).toEqual([ana.id]);
      expect(await primaryOf(crm, ana)).toBe(acme.id);
      expect(await associatedIds(crm, ana, 'deals')).toEqual([bigOne.id]);
      expect(await associatedIds(crm, ana, 'contacts')).toEqual([]);
      expect(await associatedIds(crm, acme, 'contacts')).toEqual([ana.id]);
      expect((await crm.records.history('contacts', ana.id, 'lastname'))[0]).toMatchObject({ value: 'Silva', sourceType: 'OBJECT_MERGE' });
      expect(events.find((event) => event.type === 'record.merged')).toMatchObject({ objectType: 'contacts', id: ana.id, mergedId: annie.id });
      await refused(contact(crm, { email: 'ana@home.org' }), 'DUPLICATE_RECORD');
    });

    it("merging deals moves the merged deal's quotes to the survivor, after its own", async () => {
      const crm = await fresh();
      const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
      const q1 = await quote(crm, d1);
      const q = await quote(crm, d2, { hs_title: 'Q-2' });
      await crm.records.merge('deals', d1.id, d2.id);
      expect(await associatedIds(crm, q, 'deals')).toEqual([d1.id]);
      expect(await associatedIds(crm, d1, 'quotes')).toEqual([q1.id, q.id]);
      expect((await crm.records.get('deals', d2.id))?.id).toBe(d1.id);
    });
  });
}
