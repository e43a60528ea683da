// The commerce service behind `crm.commerce`: products become line items by copy. A line item is
// a record of its own, made through the record service (so every line-item rule, its net amount
// and its history apply as to any write) and associated with its one parent through the graph
// (so the one-parent rule, a quote's deal and a deal's amount apply as to any association).
// Nothing links a line item to its product but the product's id, copied into hs_product_id:
// editing, archiving or purging either never touches the other.
import type { TxContext } from '../schema/transaction.js';
import type { RecordRef } from '../arguments/refs.js';
import type { WriteInput } from '../arguments/source.js';
import { validationError } from '../errors.js';
import type { ObjectModel } from '../schema/model.js';
import { activeModel, findLiveRecord, visible } from '../schema/lookup.js';
import type { StoredRecord } from '../storage/types.js';
import type { CrmRecord, PropertiesInput } from '../types.js';
import { associationModel } from '../associations/model.js';
import { anyEnd, liveEnd, type End } from '../associations/refs.js';
import { listManyAssociations } from '../associations/service.js';
import { createRecords } from '../records/service.js';
import { LINE_ITEMS } from '../derived/line-items.js';
import { clonedValues, productValues } from './copy.js';

const PRODUCTS = 'products';

/**
 * The object type a line item's parent reference names: VALIDATION_ERROR (INVALID_ARGUMENT on
 * `argument`) unless it is one of the line item's parents in the catalogue.
 */
function parentModel(ctx: TxContext, ref: RecordRef, argument: string): ObjectModel {
  const model = ctx.schema.object(ref.objectType);
  const parents = associationModel(ctx.schema).exclusiveParents.get(LINE_ITEMS) ?? new Set<string>();
  if (!parents.has(model.name)) {
    throw validationError([
      {
        code: 'INVALID_ARGUMENT',
        property: argument,
        message: `${argument}: a line item belongs to one of ${[...parents].join(', ')}, not to a ${model.name} record`,
      },
    ]);
  }
  return model;
}

/** The product a reference names, live: VALIDATION_ERROR when it names another type, NOT_FOUND, ARCHIVED. */
async function liveProduct(ctx: TxContext, ref: RecordRef): Promise<{ model: ObjectModel; record: StoredRecord }> {
  const model = ctx.schema.object(ref.objectType);
  if (model.name !== PRODUCTS) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'product', message: `product must be a products record, not a ${model.name} record` }]);
  }
  return { model, record: await findLiveRecord(ctx, model, ref.id) };
}

/** The live line items of a parent record, in the order they were associated with it. */
async function liveLineItems(ctx: TxContext, parent: End): Promise<StoredRecord[]> {
  const lists = await listManyAssociations(ctx, [{ objectType: parent.model.name, id: parent.record.id }], LINE_ITEMS, undefined);
  const ids = (lists.get(parent.record.id) ?? []).map((item) => item.id);
  if (ids.length === 0) return [];
  // A live association joins live records; the check only guards against a storage that says otherwise.
  return (await ctx.tx.getRecords(LINE_ITEMS, ids)).filter((record): record is StoredRecord => record !== undefined && !record.archived);
}

/**
 * addLineItem: one new line item with the product's values (name, price, description and the
 * other properties both types ship: docs/commerce.md), `hs_product_id` and quantity 1, then
 * `overrides`, associated with `target` (a deal, quote, invoice, subscription, order or cart).
 *
 * @example
 * const seat = await addLineItem(ctx, { objectType: 'deals', id: deal.id }, { objectType: 'products', id: product.id }, { quantity: 3 }, { source });
 */
export async function addLineItem(ctx: TxContext, target: RecordRef, product: RecordRef, overrides: PropertiesInput, { source }: WriteInput): Promise<CrmRecord> {
  parentModel(ctx, target, 'target');
  const lineItems = activeModel(ctx, LINE_ITEMS);
  const parent = await liveEnd(ctx, target);
  const { model, record } = await liveProduct(ctx, product);
  // Spread, not assigned: a `__proto__` key among the overrides stays a key (and an unknown property).
  const input: PropertiesInput = { ...productValues(model, lineItems, record), quantity: 1, ...overrides };
  const [item] = await createRecords(ctx, LINE_ITEMS, [input], { source, associations: [{ to: { objectType: parent.model.name, id: parent.record.id }, labels: undefined }] }, false);
  return item!;
}

/**
 * copyLineItems: a clone of every live line item of `from` (same values, new ids, in `from`'s
 * order) associated with `to`; answers the clones.
 *
 * @example
 * const clones = await copyLineItems(ctx, { objectType: 'deals', id: deal.id }, { objectType: 'quotes', id: quote.id }, { source });
 */
export async function copyLineItems(ctx: TxContext, from: RecordRef, to: RecordRef, { source }: WriteInput): Promise<CrmRecord[]> {
  parentModel(ctx, from, 'from');
  parentModel(ctx, to, 'to');
  const lineItems = activeModel(ctx, LINE_ITEMS);
  const origin = await liveEnd(ctx, from);
  const target = await liveEnd(ctx, to);
  if (origin.model === target.model && origin.record.id === target.record.id) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'to', message: `to: copying ${origin.model.name} ${JSON.stringify(origin.record.id)}'s line items onto itself would only double them` }]);
  }
  const items = await liveLineItems(ctx, origin);
  if (items.length === 0) return [];
  return createRecords(
    ctx,
    LINE_ITEMS,
    items.map((item) => clonedValues(lineItems, item)),
    { source, associations: [{ to: { objectType: target.model.name, id: target.record.id }, labels: undefined }] },
    true,
  );
}

/**
 * lineItems: the live line items of a deal, quote, invoice, subscription, order or cart, in the
 * order they were associated with it (an archived record's are hidden with their associations).
 *
 * @example
 * (await listLineItems(ctx, { objectType: 'deals', id: deal.id })).map((item) => item.properties.amount);
 */
export async function listLineItems(ctx: TxContext, record: RecordRef): Promise<CrmRecord[]> {
  parentModel(ctx, record, 'record');
  const lineItems = ctx.schema.object(LINE_ITEMS);
  const parent = await anyEnd(ctx, record);
  return (await liveLineItems(ctx, parent)).map((item) => visible(lineItems, item));
}
