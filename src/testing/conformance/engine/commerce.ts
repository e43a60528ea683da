// Products and line items (docs/commerce.md): line items made by copy and listed in order, their
// net amount computed in the write, and a deal's amount from its line items, on any storage.
import { describe, expect, it } from 'vitest';
import { createCrm } from 'crmkit';
import type { Crm } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { issueCodes, refused, view, type Engine } from './harness.js';

/** The types a commerce call writes, for {@link view}. */
const COMMERCE_TYPES = ['deals', 'quotes', 'products', 'line_items'] as const;

/**
 * Declares the engine's tests of products and line items, on the storages `engine` makes.
 *
 * @example
 * describeCommerce(engineHarness(() => memoryStorage()));
 */
export function describeCommerce({ factory, fresh, deal, quote }: Engine): void {
  const withDealAmount = async (): Promise<Crm> => createCrm({ storage: await factory(), ids: sequentialIds(), clock: steppingClock(), dealAmountFromLineItems: true });

  describe('products and line items', () => {
    it('addLineItem copies the product into a new line item on its parent; lineItems lists live ones in the order they were added', async () => {
      const crm = await fresh();
      const big = await deal(crm);
      const seat = await crm.records.create('products', { name: 'Seat', price: 100, description: 'One seat' });
      const first = await crm.commerce.addLineItem(big, seat, { quantity: 3, discount: 10 });
      const second = await crm.commerce.addLineItem(big, seat.id, { name: 'Support', price: 19.99, hs_discount_percentage: 15 });
      const third = await crm.commerce.addLineItem(big, seat);
      expect(first.properties).toMatchObject({ name: 'Seat', price: 100, description: 'One seat', hs_product_id: seat.id, quantity: 3, discount: 10, amount: 270 });
      expect(second.properties.amount).toBe(16.99);
      await crm.records.archive('line_items', second.id);
      expect((await crm.commerce.lineItems(big)).map((item) => item.id)).toEqual([first.id, third.id]);
      await crm.records.restore('line_items', second.id);
      expect((await crm.commerce.lineItems(big)).map((item) => item.id)).toEqual([first.id, second.id, third.id]);
    });

    it('copyLineItems clones in order onto a quote; the product’s edits and purge leave every line item as it was', async () => {
      const crm = await fresh();
      const big = await deal(crm);
      const seat = await crm.records.create('products', { name: 'Seat', price: 100 });
      const items = [await crm.commerce.addLineItem(big, seat, { quantity: 2 }), await crm.commerce.addLineItem(big, seat, { quantity: 5 })];
      const q = await quote(crm, big);
      const clones = await crm.commerce.copyLineItems(big, q);
      expect(clones.map((clone) => clone.properties.quantity)).toEqual([2, 5]);
      expect((await crm.commerce.lineItems(q)).map((item) => item.id)).toEqual(clones.map((clone) => clone.id));
      await crm.records.update('products', seat.id, { price: 1, name: 'Renamed' });
      await crm.records.purge('products', seat.id);
      for (const item of [...items, ...clones]) expect(await crm.records.get('line_items', item.id)).toEqual(item);
    });

    it('a line item’s amount follows its pricing with source CALCULATED and cannot be written', async () => {
      const crm = await fresh();
      const item = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 2 });
      const updated = await crm.records.update('line_items', item.id, { quantity: 3, discount: 1 });
      expect(updated.properties.amount).toBe(27);
      expect((await crm.records.history('line_items', item.id, 'amount')).map((entry) => [entry.value, entry.sourceType])).toEqual([
        [27, 'CALCULATED'],
        [20, 'CALCULATED'],
      ]);
      expect(issueCodes(await refused(crm.records.update('line_items', item.id, { amount: 1 }), 'VALIDATION_ERROR'))).toEqual(['READ_ONLY_VALUE']);
    });

    it('a refused addLineItem (a negative price, a missing product, an archived target) changes nothing', async () => {
      const crm = await fresh();
      const big = await deal(crm);
      const lost = await deal(crm, { dealname: 'Lost' });
      await crm.records.archive('deals', lost.id);
      const seat = await crm.records.create('products', { name: 'Seat', price: 100 });
      const before = await view(crm, COMMERCE_TYPES);
      expect(issueCodes(await refused(crm.commerce.addLineItem(big, seat, { price: -1 }), 'VALIDATION_ERROR'))).toEqual(['OUT_OF_RANGE']);
      await refused(crm.commerce.addLineItem(big, 'no-such-product'), 'NOT_FOUND');
      await refused(crm.commerce.addLineItem(lost, seat), 'ARCHIVED');
      expect(await view(crm, COMMERCE_TYPES)).toEqual(before);
    });

    it('with dealAmountFromLineItems a deal holds its line items’ sum, read-only while it has any, 0 when the last goes', async () => {
      const crm = await withDealAmount();
      const big = await deal(crm, { amount: 5_000 });
      const seat = await crm.records.create('products', { name: 'Seat', price: 100 });
      const amount = async (): Promise<unknown> => (await crm.records.get('deals', big.id))?.properties.amount;
      const first = await crm.commerce.addLineItem(big, seat, { quantity: 3 });
      const second = await crm.commerce.addLineItem(big, seat, { hs_discount_percentage: 50 });
      expect(await amount()).toBe(350);
      await crm.records.update('line_items', first.id, { quantity: 1 });
      expect(await amount()).toBe(150);
      const before = await view(crm, COMMERCE_TYPES);
      expect(issueCodes(await refused(crm.records.update('deals', big.id, { amount: 1 }), 'VALIDATION_ERROR'))).toEqual(['READ_ONLY_VALUE']);
      expect(await view(crm, COMMERCE_TYPES)).toEqual(before);
      await crm.records.archive('line_items', second.id);
      expect(await amount()).toBe(100);
      await crm.associations.remove(first, big);
      expect(await amount()).toBe(0);
      expect((await crm.records.update('deals', big.id, { amount: 7 })).properties.amount).toBe(7);
    });
  });
}
