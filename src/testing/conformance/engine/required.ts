// Required associations: a quote's deal, checked when the transaction commits.
import { describe, expect, it } from 'vitest';
import { refused, view, associatedIds, DEAL, QUOTE, type Engine } from './harness.js';

/**
 * Declares the engine's tests of required associations, on the storages `engine` makes.
 *
 * @example
 * describeRequired(engineHarness(() => memoryStorage()));
 */
export function describeRequired({ fresh, deal, quote }: Engine): void {
  describe('associations: required', () => {
    it('refuses a quote without a deal (ASSOCIATION_REQUIRED) and keeps nothing; a quote created with its deal is kept', async () => {
      const crm = await fresh();
      const bigOne = await deal(crm);
      const before = await view(crm);
      const error = await refused(crm.records.create('quotes', QUOTE), 'ASSOCIATION_REQUIRED');
      expect(error.details).toMatchObject({ objectType: 'quotes', anyOf: ['deals'] });
      expect(error.details.ids).toHaveLength(1);
      expect(await view(crm)).toEqual(before);
      const q = await quote(crm, bigOne);
      expect(await associatedIds(crm, q, 'deals')).toEqual([bigOne.id]);
      expect(await associatedIds(crm, bigOne, 'quotes')).toEqual([q.id]);
    });

    it('checks the quote’s deal when the transaction commits: a deal associated later is fine, none rolls back all', async () => {
      const crm = await fresh();
      const q = await crm.transaction(async (tx) => {
        const created = await tx.records.create('quotes', QUOTE);
        await tx.associations.associate(created, await tx.records.create('deals', DEAL));
        return created;
      });
      expect((await crm.associations.list(q, 'deals')).total).toBe(1);
      const before = await view(crm);
      await refused(
        crm.transaction(async (tx) => {
          await tx.records.create('deals', { ...DEAL, dealname: 'Other' });
          await tx.records.create('quotes', { ...QUOTE, hs_title: 'Q-2' });
        }),
        'ASSOCIATION_REQUIRED',
      );
      expect(await view(crm)).toEqual(before);
    });

    it("refuses to remove a quote's last deal or purge a deal that has quotes, changing nothing", async () => {
      const crm = await fresh();
      const bigOne = await deal(crm);
      const q = await quote(crm, bigOne);
      const before = await view(crm);
      expect((await refused(crm.associations.remove(bigOne, q), 'ASSOCIATION_REQUIRED')).details).toMatchObject({ objectType: 'quotes', ids: [q.id] });
      await refused(crm.associations.removeMany([{ from: q, to: bigOne }]), 'ASSOCIATION_REQUIRED');
      expect((await refused(crm.records.purge('deals', bigOne.id), 'ASSOCIATION_REQUIRED')).details.ids).toEqual([q.id]);
      expect(await view(crm)).toEqual(before);
    });
  });
}
