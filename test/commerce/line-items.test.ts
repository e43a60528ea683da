// crm.commerce by example (docs/commerce.md): a product becomes a line item by copy, on one of
// the line item's parents; copyLineItems clones a record's line items onto another; lineItems
// lists them in the order they were added; a line item's amount is its computed net price, kept
// in history under CALCULATED. test/commerce/properties.test.ts holds the same rules over random
// edits, test/commerce/bad-input.test.ts the refusals.
import { describe, expect, it } from 'vitest';
import type { ChangeEvent, Crm, CrmRecord } from 'crmkit';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

const DEAL = { dealname: 'Acme renewal', dealstage: 'appointmentscheduled' };
const QUOTE = { hs_title: 'Acme Q1', hs_expiration_date: '2026-03-31' };

async function world(): Promise<{ crm: Crm; deal: CrmRecord; product: CrmRecord; snapshot: () => string }> {
  const { crm, storage } = await testCrm();
  const deal = await crm.records.create('deals', DEAL);
  const product = await crm.records.create('products', {
    name: 'Seat licence',
    price: 100,
    description: 'One seat for a year',
    hs_sku: 'SEAT-1',
    hs_cost_of_goods_sold: 20,
    recurringbillingfrequency: 'annually',
    hs_recurring_billing_period: 'P12M',
    hs_url: 'https://example.com/seat',
  });
  return { crm, deal, product, snapshot: () => JSON.stringify(storage.snapshot()) };
}

describe('addLineItem', () => {
  it("copies the product's values, its id and quantity 1 into a new line item on the target", async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product);
    expect(item.objectType).toBe('line_items');
    expect(item.properties).toMatchObject({
      name: 'Seat licence',
      price: 100,
      description: 'One seat for a year',
      hs_sku: 'SEAT-1',
      hs_cost_of_goods_sold: 20,
      recurringbillingfrequency: 'annually',
      hs_recurring_billing_period: 'P12M',
      hs_product_id: product.id,
      quantity: 1,
      amount: 100,
    });
    // A property line items do not have is not copied.
    expect(item.properties).not.toHaveProperty('hs_url');
    const { results } = await crm.associations.list(item, 'deals');
    expect(results.map((other) => other.id)).toEqual([deal.id]);
  });

  it('applies overrides after the copy: they win, and null clears a copied value', async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product, { quantity: 3, discount: 10, name: 'Seat (promo)', description: null });
    expect(item.properties).toMatchObject({ name: 'Seat (promo)', quantity: 3, discount: 10, price: 100, amount: 270 });
    expect(item.properties).not.toHaveProperty('description');
  });

  it('takes the product as a record, a reference or an id', async () => {
    const { crm, deal, product } = await world();
    const byRecord = await crm.commerce.addLineItem(deal, product);
    const byRef = await crm.commerce.addLineItem(deal, { objectType: 'products', id: product.id });
    const byTypeId = await crm.commerce.addLineItem(deal, { objectType: '0-7', id: product.id });
    const byId = await crm.commerce.addLineItem({ objectType: 'deals', id: deal.id }, product.id);
    for (const item of [byRecord, byRef, byTypeId, byId]) expect(item.properties.hs_product_id).toBe(product.id);
    expect(new Set([byRecord.id, byRef.id, byTypeId.id, byId.id]).size).toBe(4);
  });

  it('a product with no price gives a line item with no price and no amount', async () => {
    const { crm, deal } = await world();
    const free = await crm.records.create('products', { name: 'Consulting' });
    const item = await crm.commerce.addLineItem(deal, free);
    expect(item.properties).toMatchObject({ name: 'Consulting', quantity: 1 });
    expect(item.properties).not.toHaveProperty('price');
    expect(item.properties).not.toHaveProperty('amount');
  });

  it('adds to every parent type in the catalogue: deal, quote, invoice, subscription, order, cart', async () => {
    const { crm, deal, product } = await world();
    const parents = [
      deal,
      await crm.records.create('quotes', QUOTE, { associations: [{ to: deal }] }),
      await crm.records.create('invoices', { hs_currency: 'EUR' }),
      await crm.records.create('subscriptions', { hs_name: 'Seats' }),
      await crm.records.create('orders', { hs_order_name: 'Order 1' }),
      await crm.records.create('carts', { hs_cart_name: 'Cart 1' }),
    ];
    for (const parent of parents) {
      const item = await crm.commerce.addLineItem(parent, product);
      expect((await crm.commerce.lineItems(parent)).map((listed) => listed.id), parent.objectType).toEqual([item.id]);
    }
  });

  it('refuses a target that is not a line item parent, naming it, and writes nothing', async () => {
    const { crm, product, snapshot } = await world();
    const contact = await crm.records.create('contacts', { email: 'ana@acme.com' });
    const before = snapshot();
    for (const target of [contact, product, await crm.records.create('tickets', { subject: 'Broken', hs_pipeline_stage: '1' })]) {
      const mark = snapshot();
      const error = await expectCrmError(crm.commerce.addLineItem(target, product), 'VALIDATION_ERROR');
      expect(error.details.issues[0]).toMatchObject({ code: 'INVALID_ARGUMENT', property: 'target' });
      expect(snapshot()).toBe(mark);
    }
    expect(before).not.toBe(snapshot()); // the ticket above was created
  });

  it('keeps the one-parent rule: a line item moved to a second parent is ASSOCIATION_LIMIT', async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product);
    const other = await crm.records.create('deals', { ...DEAL, dealname: 'Other' });
    await expectCrmError(crm.associations.associate(item, other), 'ASSOCIATION_LIMIT');
  });

  it('takes a source, as every write does', async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product, undefined, { source: { type: 'IMPORT', id: 'batch-7' } });
    const [entry] = await crm.records.history('line_items', item.id, 'name');
    expect(entry).toMatchObject({ value: 'Seat licence', sourceType: 'IMPORT', sourceId: 'batch-7' });
  });
});

describe('line items and products share nothing', () => {
  it('editing the line item leaves the product, editing the product leaves the line item', async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product);
    await crm.records.update('line_items', item.id, { price: 80, discount: 5, name: 'Seat (edited)' });
    expect((await crm.records.get('products', product.id))!.properties).toEqual(product.properties);
    const editedItem = (await crm.records.get('line_items', item.id))!;
    await crm.records.update('products', product.id, { price: 120, name: 'Seat licence v2', description: null });
    expect((await crm.records.get('line_items', item.id))!.properties).toEqual(editedItem.properties);
  });

  it('archiving, restoring and purging the product leave its line items intact, hs_product_id included', async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product, { quantity: 2 });
    await crm.records.archive('products', product.id);
    expect(await crm.records.get('line_items', item.id)).toEqual(item);
    await crm.records.restore('products', product.id);
    await crm.records.purge('products', product.id);
    expect(await crm.records.get('line_items', item.id)).toEqual(item);
    expect((await crm.commerce.lineItems(deal)).map((listed) => listed.id)).toEqual([item.id]);
    // The product is gone for good: a new line item from it is NOT_FOUND.
    await expectCrmError(crm.commerce.addLineItem(deal, item.properties.hs_product_id as string), 'NOT_FOUND');
  });
});

describe('copyLineItems', () => {
  it("gives a quote its deal's line items: new ids, the same values, in the deal's order", async () => {
    const { crm, deal, product } = await world();
    const first = await crm.commerce.addLineItem(deal, product, { quantity: 2 });
    const second = await crm.commerce.addLineItem(deal, product, { name: 'Support', price: 30, hs_discount_percentage: 10 });
    const quote = await crm.records.create('quotes', QUOTE, { associations: [{ to: deal }] });
    const clones = await crm.commerce.copyLineItems(deal, quote);
    expect(clones.map((clone) => clone.properties.name)).toEqual(['Seat licence', 'Support']);
    const strip = (record: CrmRecord): Record<string, unknown> => {
      const { hs_object_id: _id, createdate: _c, hs_lastmodifieddate: _m, ...rest } = record.properties;
      return rest;
    };
    expect(clones.map(strip)).toEqual([first, second].map(strip));
    expect(clones.some((clone) => clone.id === first.id || clone.id === second.id)).toBe(false);
    expect((await crm.commerce.lineItems(quote)).map((item) => item.id)).toEqual(clones.map((clone) => clone.id));
    // The deal keeps its own, and the quote its deal.
    expect((await crm.commerce.lineItems(deal)).map((item) => item.id)).toEqual([first.id, second.id]);
    expect((await crm.associations.list(quote, 'deals')).results.map((other) => other.id)).toEqual([deal.id]);
  });

  it('gives an invoice created with a deal association its deal’s line items on request only', async () => {
    const { crm, deal, product } = await world();
    await crm.commerce.addLineItem(deal, product);
    const invoice = await crm.records.create('invoices', { hs_currency: 'EUR' }, { associations: [{ to: deal }] });
    expect(await crm.commerce.lineItems(invoice)).toEqual([]);
    const [clone] = await crm.commerce.copyLineItems(deal, invoice);
    expect((await crm.commerce.lineItems(invoice)).map((item) => item.id)).toEqual([clone!.id]);
  });

  it('clones share nothing with their originals', async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product);
    const quote = await crm.records.create('quotes', QUOTE, { associations: [{ to: deal }] });
    const [clone] = await crm.commerce.copyLineItems(deal, quote);
    await crm.records.update('line_items', clone!.id, { quantity: 9 });
    expect((await crm.records.get('line_items', item.id))!.properties.quantity).toBe(1);
    await crm.records.purge('line_items', item.id);
    expect((await crm.records.get('line_items', clone!.id))!.properties.quantity).toBe(9);
  });

  it('copies nothing from a record without line items, and skips archived ones', async () => {
    const { crm, deal, product } = await world();
    const quote = await crm.records.create('quotes', QUOTE, { associations: [{ to: deal }] });
    expect(await crm.commerce.copyLineItems(deal, quote)).toEqual([]);
    const gone = await crm.commerce.addLineItem(deal, product);
    const kept = await crm.commerce.addLineItem(deal, product, { quantity: 4 });
    await crm.records.archive('line_items', gone.id);
    const clones = await crm.commerce.copyLineItems(deal, quote);
    expect(clones.map((clone) => clone.properties.quantity)).toEqual([kept.properties.quantity]);
  });

  it('a quote keeps its one deal through copyLineItems, and still cannot exist without one', async () => {
    const { crm, deal, product } = await world();
    await crm.commerce.addLineItem(deal, product);
    const quote = await crm.records.create('quotes', QUOTE, { associations: [{ to: deal }] });
    await crm.commerce.copyLineItems(deal, quote);
    expect((await crm.associations.list(quote, 'deals')).total).toBe(1);
    await expectCrmError(crm.records.create('quotes', QUOTE), 'ASSOCIATION_REQUIRED');
    // Inside a transaction the quote may get its line items before its deal; it needs the deal by commit.
    await crm.transaction(async (tx) => {
      const late = await tx.records.create('quotes', { ...QUOTE, hs_title: 'Late' });
      await tx.commerce.copyLineItems(deal, late);
      await tx.associations.associate(late, deal);
    });
    await expectCrmError(
      crm.transaction(async (tx) => {
        const orphan = await tx.records.create('quotes', { ...QUOTE, hs_title: 'Orphan' });
        await tx.commerce.copyLineItems(deal, orphan);
      }),
      'ASSOCIATION_REQUIRED',
    );
  });

  it('refuses copying a record onto itself', async () => {
    const { crm, deal, product, snapshot } = await world();
    await crm.commerce.addLineItem(deal, product);
    const before = snapshot();
    const error = await expectCrmError(crm.commerce.copyLineItems(deal, deal), 'VALIDATION_ERROR');
    expect(error.details.issues[0]).toMatchObject({ code: 'INVALID_ARGUMENT', property: 'to' });
    expect(snapshot()).toBe(before);
  });
});

describe('lineItems', () => {
  it('lists live line items in the order they were added; none for an archived record', async () => {
    const { crm, deal, product } = await world();
    const items: CrmRecord[] = [];
    for (let n = 1; n <= 4; n++) items.push(await crm.commerce.addLineItem(deal, product, { quantity: n }));
    await crm.records.archive('line_items', items[1]!.id);
    expect((await crm.commerce.lineItems(deal)).map((item) => item.properties.quantity)).toEqual([1, 3, 4]);
    await crm.records.restore('line_items', items[1]!.id);
    expect((await crm.commerce.lineItems(deal)).map((item) => item.properties.quantity)).toEqual([1, 2, 3, 4]);
    await crm.records.archive('deals', deal.id);
    expect(await crm.commerce.lineItems(deal)).toEqual([]);
  });

  it('refuses a record that cannot hold line items, and a missing one', async () => {
    const { crm, product } = await world();
    const error = await expectCrmError(crm.commerce.lineItems(product), 'VALIDATION_ERROR');
    expect(error.details.issues[0]).toMatchObject({ code: 'INVALID_ARGUMENT', property: 'record' });
    await expectCrmError(crm.commerce.lineItems({ objectType: 'deals', id: 'missing' }), 'NOT_FOUND');
  });
});

describe('a line item’s amount', () => {
  it('is quantity × (price − unit discount), or quantity × price × (1 − percentage / 100), rounded to cents', async () => {
    const { crm, deal, product } = await world();
    const cases: Array<[Record<string, number>, number | undefined]> = [
      [{ quantity: 3 }, 300],
      [{ quantity: 3, discount: 10 }, 270],
      [{ quantity: 3, hs_discount_percentage: 15 }, 255],
      [{ quantity: 1, price: 1.005 }, 1.01],
      [{ quantity: 3, price: 0.1 }, 0.3],
      [{ quantity: 0.5, price: 9.99 }, 5],
      [{ quantity: 7, price: 19.99, hs_discount_percentage: 33 }, 93.75],
      [{ quantity: 2, price: 10, discount: 10 }, 0],
      [{ quantity: 2, price: 0 }, 0],
    ];
    for (const [overrides, amount] of cases) {
      const item = await crm.commerce.addLineItem(deal, product, overrides);
      expect(item.properties.amount, JSON.stringify(overrides)).toBe(amount);
    }
  });

  it('follows every write of the pricing, with its own CALCULATED history entry and event', async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product);
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    const updated = await crm.records.update('line_items', item.id, { quantity: 4, discount: 25 });
    expect(updated.properties.amount).toBe(300);
    expect(events.map((event) => (event.type === 'record.updated' ? [event.type, event.source.type, event.changes] : [event.type]))).toEqual([
      ['record.updated', 'API', { quantity: 4, discount: 25 }],
      ['record.updated', 'CALCULATED', { amount: 300 }],
    ]);
    const history = await crm.records.history('line_items', item.id, 'amount');
    expect(history.map((entry) => [entry.value, entry.sourceType])).toEqual([
      [300, 'CALCULATED'],
      [100, 'CALCULATED'],
    ]);
    // Switching from a unit discount to a percentage, in one write.
    const switched = await crm.records.update('line_items', item.id, { discount: null, hs_discount_percentage: 50 });
    expect(switched.properties.amount).toBe(200);
    // A write that leaves the pricing alone leaves the amount alone.
    await crm.records.update('line_items', item.id, { name: 'Renamed' });
    expect((await crm.records.history('line_items', item.id, 'amount')).length).toBe(3);
    // Clearing the price clears the amount.
    const unpriced = await crm.records.update('line_items', item.id, { price: null });
    expect(unpriced.properties).not.toHaveProperty('amount');
  });

  it('is computed on create, createMany and upsert too, and is read-only', async () => {
    const { crm } = await world();
    const made = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 2 });
    expect(made.properties.amount).toBe(20);
    const many = await crm.records.createMany('line_items', [
      { name: 'A', price: 1, quantity: 1 },
      { name: 'B', price: 2, quantity: 3, discount: 1 },
    ]);
    expect(many.map((item) => item.properties.amount)).toEqual([1, 3]);
    const { record } = await crm.records.upsert('line_items', { hs_object_id: made.id, quantity: 5 });
    expect(record.properties.amount).toBe(50);
    const error = await expectCrmError(crm.records.update('line_items', made.id, { amount: 1 }), 'VALIDATION_ERROR');
    expect(error.details.issues).toMatchObject([{ code: 'READ_ONLY_VALUE', property: 'amount' }]);
    expect(crm.schema.property('line_items', 'amount').readOnly).toBe(true);
  });

  it('follows a merge: the survivor takes the merged pricing it lacks and its amount is recomputed', async () => {
    const { crm } = await world();
    const survivor = await crm.records.create('line_items', { name: 'Seat', quantity: 3 });
    const merged = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 1, discount: 2 });
    const result = await crm.records.merge('line_items', survivor.id, merged.id);
    expect(result.properties).toMatchObject({ quantity: 3, price: 10, discount: 2, amount: 24 });
    const [latest] = await crm.records.history('line_items', survivor.id, 'amount');
    expect(latest).toMatchObject({ value: 24, sourceType: 'CALCULATED' });
  });

  it('refuses a merge whose values would break a rule (a unit discount beside a percentage)', async () => {
    const { crm, snapshot } = await world();
    const survivor = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 1, discount: 2 });
    const merged = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 1, hs_discount_percentage: 5 });
    const before = snapshot();
    const error = await expectCrmError(crm.records.merge('line_items', survivor.id, merged.id), 'VALIDATION_ERROR');
    expect(error.details.issues).toMatchObject([{ code: 'CONFLICTING_VALUE', property: 'hs_discount_percentage', conflictsWith: 'discount' }]);
    expect(snapshot()).toBe(before);
  });
});

describe('inside crm.transaction', () => {
  it('tx.commerce runs in the transaction: a failure later undoes the line item', async () => {
    const { crm, deal, product, snapshot } = await world();
    const before = snapshot();
    await expect(
      crm.transaction(async (tx) => {
        await tx.commerce.addLineItem(deal, product);
        expect(await tx.commerce.lineItems(deal)).toHaveLength(1);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(snapshot()).toBe(before);
    expect(issueCodes(await expectCrmError(crm.commerce.addLineItem(deal, product, { quantity: 0 }), 'VALIDATION_ERROR'))).toEqual(['OUT_OF_RANGE']);
  });
});
