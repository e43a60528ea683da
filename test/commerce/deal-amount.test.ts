// createCrm({ dealAmountFromLineItems: true }) by example (docs/commerce.md "A deal's amount"): a
// deal with line items has the sum of their amounts, updated in the call that adds, edits,
// archives, restores or detaches one, 0 when the last goes, read-only while it has any. Off by
// default: line items never touch a deal's amount.
import { describe, expect, it } from 'vitest';
import type { ChangeEvent, Crm, CrmRecord } from 'crmkit';
import { expectCrmError, testCrm } from '../helpers.js';

const DEAL = { dealname: 'Acme renewal', dealstage: 'appointmentscheduled' };

async function world(dealAmountFromLineItems = true): Promise<{ crm: Crm; deal: CrmRecord; product: CrmRecord; snapshot: () => string }> {
  const { crm, storage } = await testCrm({ dealAmountFromLineItems });
  const deal = await crm.records.create('deals', { ...DEAL, amount: 5_000 });
  const product = await crm.records.create('products', { name: 'Seat', price: 100 });
  return { crm, deal, product, snapshot: () => JSON.stringify(storage.snapshot()) };
}

const amountOf = async (crm: Crm, deal: CrmRecord): Promise<unknown> => (await crm.records.get('deals', deal.id, { archived: true }))!.properties.amount;

describe('with dealAmountFromLineItems', () => {
  it('a deal takes the sum of its line items in the call that adds, edits, archives, restores or detaches one', async () => {
    const { crm, deal, product } = await world();
    const seats = await crm.commerce.addLineItem(deal, product, { quantity: 3 });
    expect(await amountOf(crm, deal)).toBe(300);
    const support = await crm.commerce.addLineItem(deal, product, { name: 'Support', price: 49.99, hs_discount_percentage: 10 });
    expect(support.properties.amount).toBe(44.99);
    expect(await amountOf(crm, deal)).toBe(344.99);
    await crm.records.update('line_items', seats.id, { discount: 25 });
    expect(await amountOf(crm, deal)).toBe(269.99);
    await crm.records.archive('line_items', support.id);
    expect(await amountOf(crm, deal)).toBe(225);
    await crm.records.restore('line_items', support.id);
    expect(await amountOf(crm, deal)).toBe(269.99);
    await crm.associations.remove(support, deal);
    expect(await amountOf(crm, deal)).toBe(225);
    await crm.records.purge('line_items', seats.id);
    expect(await amountOf(crm, deal)).toBe(0);
  });

  it('records.create with an association feeds it as addLineItem does, and re-parenting moves the amount', async () => {
    const { crm, deal } = await world();
    const other = await crm.records.create('deals', { ...DEAL, dealname: 'Other' });
    const item = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 2 }, { associations: [{ to: deal }] });
    expect(await amountOf(crm, deal)).toBe(20);
    await crm.associations.remove(item, deal);
    await crm.associations.associate(item, other);
    expect(await amountOf(crm, deal)).toBe(0);
    expect(await amountOf(crm, other)).toBe(20);
  });

  it("is 0 when the last line item goes; then the deal's amount is its own again", async () => {
    const { crm, deal, product } = await world();
    const item = await crm.commerce.addLineItem(deal, product);
    await crm.records.archive('line_items', item.id);
    expect(await amountOf(crm, deal)).toBe(0);
    const updated = await crm.records.update('deals', deal.id, { amount: 750 });
    expect(updated.properties.amount).toBe(750);
  });

  it('is read-only while the deal has line items: READ_ONLY_VALUE naming amount, nothing written', async () => {
    const { crm, deal, product, snapshot } = await world();
    await crm.commerce.addLineItem(deal, product);
    const before = snapshot();
    for (const write of [
      () => crm.records.update('deals', deal.id, { amount: 1 }),
      () => crm.records.update('deals', deal.id, { amount: null }),
      () => crm.records.update('deals', deal.id, (draft) => void (draft.amount = 2)),
      () => crm.records.upsert('deals', { hs_object_id: deal.id, amount: 3 }),
    ]) {
      const error = await expectCrmError(write(), 'VALIDATION_ERROR');
      expect(error.details.issues).toMatchObject([{ code: 'READ_ONLY_VALUE', property: 'amount' }]);
      expect(snapshot()).toBe(before);
    }
    // Other properties of the deal stay writable.
    expect((await crm.records.update('deals', deal.id, { dealname: 'Renamed' })).properties.amount).toBe(100);
  });

  it('a new deal created with a line item association may not name its own amount', async () => {
    const { crm } = await world();
    const item = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 1 });
    const error = await expectCrmError(crm.records.create('deals', { ...DEAL, amount: 9 }, { associations: [{ to: item }] }), 'VALIDATION_ERROR');
    expect(error.details.issues).toMatchObject([{ code: 'READ_ONLY_VALUE', property: 'amount' }]);
    const deal = await crm.records.create('deals', DEAL, { associations: [{ to: { objectType: '0-8', id: item.id } }] });
    expect(deal.properties.amount).toBe(10);
  });

  it('leaves a deal that never had line items alone, through archive, restore and merge', async () => {
    const { crm, deal } = await world();
    await crm.records.archive('deals', deal.id);
    await crm.records.restore('deals', deal.id);
    expect(await amountOf(crm, deal)).toBe(5_000);
    const other = await crm.records.create('deals', { ...DEAL, dealname: 'No amount' });
    const survivor = await crm.records.merge('deals', other.id, deal.id);
    expect(survivor.properties.amount).toBe(5_000);
  });

  it("a merged deal's line items move to the survivor, and so does their sum", async () => {
    const { crm, deal, product } = await world();
    const other = await crm.records.create('deals', { ...DEAL, dealname: 'Other', amount: 1 });
    await crm.commerce.addLineItem(deal, product, { quantity: 2 });
    await crm.commerce.addLineItem(other, product, { quantity: 5 });
    const survivor = await crm.records.merge('deals', other.id, deal.id);
    expect(survivor.properties.amount).toBe(700);
  });

  it('a line item merge that moves its amount moves its deal’s', async () => {
    const { crm, deal } = await world();
    const survivor = await crm.records.create('line_items', { name: 'Seat', quantity: 3 }, { associations: [{ to: deal }] });
    expect(await amountOf(crm, deal)).toBe(0);
    const merged = await crm.records.create('line_items', { name: 'Seat', price: 10, quantity: 1 });
    await crm.records.merge('line_items', survivor.id, merged.id);
    expect(await amountOf(crm, deal)).toBe(30);
  });

  it('writes the deal’s amount with source CALCULATED, in history and events', async () => {
    const { crm, deal, product } = await world();
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await crm.commerce.addLineItem(deal, product, { quantity: 2 });
    const dealUpdates = events.flatMap((event) => (event.type === 'record.updated' && event.objectType === 'deals' ? [[event.source.type, event.changes]] : []));
    expect(dealUpdates).toEqual([['CALCULATED', { amount: 200 }]]);
    const [latest, first] = await crm.records.history('deals', deal.id, 'amount');
    expect(latest).toMatchObject({ value: 200, sourceType: 'CALCULATED' });
    expect(first).toMatchObject({ value: 5_000, sourceType: 'API' });
  });

  it('quotes, invoices and other parents keep their own amounts: only deals sum', async () => {
    const { crm, deal, product } = await world();
    const invoice = await crm.records.create('invoices', { hs_currency: 'EUR', hs_amount_billed: 12 });
    await crm.commerce.addLineItem(invoice, product);
    expect((await crm.records.get('invoices', invoice.id))!.properties.hs_amount_billed).toBe(12);
    expect(await amountOf(crm, deal)).toBe(5_000);
  });

  it('a fork keeps the option', async () => {
    const { crm, deal, product } = await world();
    const fork = await crm.fork();
    await fork.commerce.addLineItem(deal, product);
    expect((await fork.records.get('deals', deal.id))!.properties.amount).toBe(100);
    expect(await amountOf(crm, deal)).toBe(5_000);
  });
});

describe('without the option (the default)', () => {
  it('line items never touch a deal’s amount, which stays writable', async () => {
    const { crm, deal, product } = await world(false);
    const item = await crm.commerce.addLineItem(deal, product, { quantity: 3 });
    expect(await amountOf(crm, deal)).toBe(5_000);
    await crm.records.update('line_items', item.id, { quantity: 4 });
    await crm.records.archive('line_items', item.id);
    expect(await amountOf(crm, deal)).toBe(5_000);
    await crm.records.restore('line_items', item.id);
    expect((await crm.records.update('deals', deal.id, { amount: 1 })).properties.amount).toBe(1);
    expect((await crm.records.history('deals', deal.id, 'amount')).map((entry) => entry.sourceType)).toEqual(['API', 'API']);
  });

  it('createCrm refuses a non-boolean option', async () => {
    await expectCrmError(testCrm({ dealAmountFromLineItems: 'yes' as never }), 'VALIDATION_ERROR');
  });
});
