// Association limits: a label capped at one holder, a pair capped each way.
import { describe, expect, it } from 'vitest';
import { refused, view, associatedIds, type Engine } from './harness.js';

/**
 * Declares the engine's tests of association limits, on the storages `engine` makes.
 *
 * @example
 * describeLimits(engineHarness(() => memoryStorage()));
 */
export function describeLimits({ fresh, contact, deal }: Engine): void {
  describe('associations: limits', () => {
    it('a label limited to one refuses a second holder with ASSOCIATION_LIMIT and changes nothing', async () => {
      const crm = await fresh();
      await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
      const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
      const [ana, bob] = [await contact(crm), await contact(crm, { firstname: 'Bob' })];
      await crm.associations.associate(d1, ana, ['decision_maker']);
      await crm.associations.associate(d1, bob);
      const before = await view(crm);
      const error = await refused(crm.associations.associate(d1, bob, ['decision_maker']), 'ASSOCIATION_LIMIT');
      expect(error.details).toMatchObject({ objectType: 'deals', id: d1.id, toType: 'contacts', label: 'decision_maker', limit: 1 });
      // Named from the contact's side, the same cap holds.
      await refused(crm.associations.associate(bob, d1, ['decision_maker']), 'ASSOCIATION_LIMIT');
      expect(await view(crm)).toEqual(before);
      await crm.associations.associate(d2, ana, ['decision_maker']);
      expect(await associatedIds(crm, ana, 'deals', 'decision_maker')).toEqual([d1.id, d2.id]);
    });

    it('a pair capped by defineAssociation refuses one association too many, each way', async () => {
      const crm = await fresh();
      await crm.schema.defineAssociation('deals', 'contacts', { limit: 2, inverseLimit: 'one' });
      const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
      const [a, b, c] = [await contact(crm), await contact(crm, { firstname: 'B' }), await contact(crm, { firstname: 'C' })];
      await crm.associations.associate(d1, a);
      await crm.associations.associate(b, d1);
      const before = await view(crm);
      const pairCap = await refused(crm.associations.associate(d1, c), 'ASSOCIATION_LIMIT');
      expect(pairCap.details).toMatchObject({ objectType: 'deals', id: d1.id, toType: 'contacts', limit: 2 });
      // A pair's cap is no label's.
      expect(pairCap.details.label).toBeUndefined();
      expect((await refused(crm.associations.associate(d2, a), 'ASSOCIATION_LIMIT')).details).toMatchObject({ objectType: 'contacts', id: a.id, toType: 'deals', limit: 1 });
      expect(await view(crm)).toEqual(before);
      // Associations to archived records do not count.
      await crm.records.archive('contacts', a.id);
      await crm.associations.associate(d1, c);
      expect(await associatedIds(crm, d1, 'contacts')).toEqual([b.id, c.id]);
    });
  });
}
