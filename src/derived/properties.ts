// Every calculated property, declared once: which records carry it, which changes feed it, how
// it is computed from scratch and how one association moves it. Their definitions (label, type,
// read-only) are the schema catalogue's (schema/catalogue/associations.ts); ./recount.ts keeps
// the values current from the transaction's change log. Values a record derives from its own
// properties alone (stage flags and dates, a line item's net amount) are computed in the write
// itself: ./stage.ts, ./line-items.ts.
import { validationError } from '../errors.js';
import { ACTIVITY_TYPES, CALCULATED_PROPERTY_SPECS } from '../schema/catalogue/index.js';
import type { ObjectModel } from '../schema/model.js';
import type { TxContext } from '../schema/transaction.js';
import type { StoredRecord } from '../storage/types.js';
import type { PropertyValue, Source } from '../types.js';
import { AMOUNT, LINE_ITEMS, roundToCents } from './line-items.js';

/**
 * The source of every value the engine computes (calculated and stage-derived properties), in
 * history and events.
 *
 * @example
 * entries.push({ objectType, id, timestamp, source: CALCULATED_SOURCE, values });
 */
export const CALCULATED_SOURCE: Source = Object.freeze({ type: 'CALCULATED' });

/** What {@link CalculatedProperty.step} answers when one change cannot move the value: compute it afresh. */
export const RECOMPUTE: unique symbol = Symbol('recompute');

/** One calculated property: its dependencies and its computation. */
export interface CalculatedProperty {
  /** The property it writes, defined in the schema catalogue. */
  readonly name: string;
  /** Whether records of `type` carry it (when their object type has the property). */
  carriedBy(type: string): boolean;
  /** Whether associations with `otherType` records feed it on `type` records. */
  fedBy(type: string, otherType: string): boolean;
  /** A property of associated records that feeds it, when one does (an activity's time). */
  readonly fedByProperty?: { readonly types: ReadonlySet<string>; readonly property: string };
  /**
   * The value from the record's associations, read from storage. `fed` says whether the recount
   * comes from the record's associations or associated records (rather than only from its own
   * archive, restore or merge), for a property that keeps a value of its own until fed.
   */
  compute(ctx: TxContext, model: ObjectModel, record: StoredRecord, fed?: boolean): Promise<PropertyValue>;
  /** The value after one association with `other` was made or removed; RECOMPUTE when it cannot tell. */
  step(current: PropertyValue | undefined, made: boolean, other: StoredRecord): PropertyValue | typeof RECOMPUTE;
}

/** The time an activity happened, which sets its records' last activity date. */
export const ACTIVITY_TIMESTAMP = 'hs_timestamp';

/** A count of live associations with `counts` records, kept on records of the `on` types. Zero is stored as no value. */
function associationCount(name: string, on: readonly string[], counts: string): CalculatedProperty {
  return {
    name,
    carriedBy: (type) => on.includes(type),
    fedBy: (type, otherType) => otherType === counts && on.includes(type),
    async compute(ctx, model, record) {
      const [edges] = await ctx.tx.getEdges(model.name, [record.id], counts);
      // Zero is stored as no value, so a record that never had one and one that lost them all look alike.
      return edges!.reduce((total, edge) => total + (edge.archived ? 0 : 1), 0) || null;
    },
    step: (current, made) => (typeof current === 'number' ? current : 0) + (made ? 1 : -1) || null,
  };
}

/** The latest time of a record's live activities. */
const lastActivityDate: CalculatedProperty = {
  name: CALCULATED_PROPERTY_SPECS.hs_last_activity_date.name,
  carriedBy: (type) => !ACTIVITY_TYPES.has(type),
  fedBy: (type, otherType) => ACTIVITY_TYPES.has(otherType) && !ACTIVITY_TYPES.has(type),
  fedByProperty: { types: ACTIVITY_TYPES, property: ACTIVITY_TIMESTAMP },
  async compute(ctx, model, record) {
    let latest: string | undefined;
    for (const activity of await liveActivities(ctx, model.name, record.id)) {
      const at = activity.properties[ACTIVITY_TIMESTAMP];
      if (typeof at === 'string' && (latest === undefined || at > latest)) latest = at;
    }
    return latest ?? null;
  },
  step(current, made, other) {
    // A new activity can only move the latest time forward; a removed one may move it back.
    const at = other.properties[ACTIVITY_TIMESTAMP];
    if (!made || typeof at !== 'string') return RECOMPUTE;
    return typeof current !== 'string' || at > current ? at : current;
  },
};

/**
 * A deal's amount from its line items (option `dealAmountFromLineItems`): the sum of their net
 * amounts, rounded to cents. A deal keeps an amount of its own until line items feed it: with
 * no live line item left, a recount its line items caused gives 0 (the last one went), while a
 * recount of the deal's own restore or merge leaves its amount alone (it never had any, or has
 * its own again). Read-only while the deal has line items (records/service.ts).
 */
const dealAmountFromLineItems: CalculatedProperty = {
  name: AMOUNT,
  carriedBy: (type) => type === 'deals',
  fedBy: (type, otherType) => type === 'deals' && otherType === LINE_ITEMS,
  fedByProperty: { types: new Set([LINE_ITEMS]), property: AMOUNT },
  async compute(ctx, model, record, fed) {
    const [edges] = await ctx.tx.getEdges(model.name, [record.id], LINE_ITEMS);
    const ids = edges!.filter((edge) => !edge.archived).map((edge) => edge.toId);
    if (ids.length === 0) return fed ? 0 : (record.properties[AMOUNT] ?? null);
    let sum = 0;
    for (const item of await ctx.tx.getRecords(LINE_ITEMS, ids)) {
      const amount = item?.properties[AMOUNT];
      if (typeof amount === 'number') sum += amount;
    }
    const total = roundToCents(sum);
    if (!Number.isFinite(total)) {
      throw validationError([{ code: 'OUT_OF_RANGE', property: AMOUNT, message: "the sum of its line items' amounts is too large to hold" }], `${model.name} ${record.id}`);
    }
    return total;
  },
  // A sum moved by one line item could be stepped, but the item's amount may have changed in
  // the same call: reading a deal's few line items again is both simpler and always right.
  step: () => RECOMPUTE,
};

/** Every calculated property the engine always keeps, in the order they are written. */
export const CALCULATED_PROPERTIES: readonly CalculatedProperty[] = [
  associationCount(CALCULATED_PROPERTY_SPECS.num_associated_contacts.name, ['companies'], 'contacts'),
  associationCount(CALCULATED_PROPERTY_SPECS.num_associated_deals.name, ['contacts', 'companies'], 'deals'),
  lastActivityDate,
];

/**
 * The calculated properties one engine keeps (which depends on its options), with the lookups
 * the recount asks for every change cached: a model is immutable (a schema change makes a new
 * one), and the pairs are plain type names.
 *
 * @example
 * calculatedSet({ dealAmountFromLineItems: true }).carriedBy(schema.object('deals')).map((property) => property.name); // ['amount']
 */
export class CalculatedSet {
  private readonly byModel = new WeakMap<ObjectModel, readonly CalculatedProperty[]>();
  private readonly byPair = new Map<string, Map<string, readonly CalculatedProperty[]>>();

  constructor(readonly properties: readonly CalculatedProperty[]) {}

  /** The calculated properties a record of `model`'s type carries. */
  carriedBy(model: ObjectModel): readonly CalculatedProperty[] {
    let carried = this.byModel.get(model);
    if (carried === undefined) {
      carried = this.properties.filter((property) => property.carriedBy(model.name) && model.properties.has(property.name));
      this.byModel.set(model, carried);
    }
    return carried;
  }

  /** The calculated properties of `type` records that associations with `otherType` records feed (asked twice for every association written). */
  fedBy(type: string, otherType: string): readonly CalculatedProperty[] {
    let ofType = this.byPair.get(type);
    if (ofType === undefined) this.byPair.set(type, (ofType = new Map()));
    let fed = ofType.get(otherType);
    if (fed === undefined) {
      fed = this.properties.filter((property) => property.fedBy(type, otherType));
      ofType.set(otherType, fed);
    }
    return fed;
  }

  /** Whether associations with `otherType` records feed any calculated property of `type` records. */
  feeds(type: string, otherType: string): boolean {
    return this.fedBy(type, otherType).length > 0;
  }

  /** Whether a property of `type` records feeds a calculated property of the records they are associated with. */
  fedByPropertiesOf(type: string): boolean {
    return this.properties.some(({ fedByProperty: fed }) => fed !== undefined && fed.types.has(type));
  }

  /** Whether an update of `changed` on a `type` record feeds a calculated property of the records it is associated with. */
  fedByUpdate(type: string, changed: readonly string[]): boolean {
    return this.properties.some(({ fedByProperty: fed }) => fed !== undefined && fed.types.has(type) && changed.includes(fed.property));
  }
}

/** The set every engine keeps. */
export const STANDARD_CALCULATED = new CalculatedSet(CALCULATED_PROPERTIES);

/** The standard set and a deal's amount from its line items. */
const WITH_DEAL_AMOUNT = new CalculatedSet([...CALCULATED_PROPERTIES, dealAmountFromLineItems]);

/**
 * The calculated properties an engine with these options keeps (one shared set per choice, so
 * every engine of the process reuses its caches).
 *
 * @example
 * calculatedSet({ dealAmountFromLineItems: false }) === STANDARD_CALCULATED; // true
 */
export function calculatedSet(options: { readonly dealAmountFromLineItems: boolean }): CalculatedSet {
  return options.dealAmountFromLineItems ? WITH_DEAL_AMOUNT : STANDARD_CALCULATED;
}

const NAMES: ReadonlySet<string> = new Set(CALCULATED_PROPERTIES.map((property) => property.name));

/**
 * Whether the engine always computes `name` (merge leaves such values to be recomputed). A
 * deal's amount is not one: it is the deal's own until line items feed it.
 *
 * @example
 * isCalculated('num_associated_deals'); // true
 */
export function isCalculated(name: string): boolean {
  return NAMES.has(name);
}

/**
 * The calculated properties a record of `model`'s type carries in every engine.
 *
 * @example
 * carriedBy(schema.object('companies')).map((property) => property.name); // ['num_associated_contacts', 'num_associated_deals', 'hs_last_activity_date']
 */
export function carriedBy(model: ObjectModel): readonly CalculatedProperty[] {
  return STANDARD_CALCULATED.carriedBy(model);
}

/**
 * The calculated properties of `type` records that associations with `otherType` records feed
 * in every engine (empty for most pairs), whether or not a given `type` model has them.
 *
 * @example
 * fedBy('companies', 'contacts').map((property) => property.name); // ['num_associated_contacts']
 */
export function fedBy(type: string, otherType: string): readonly CalculatedProperty[] {
  return STANDARD_CALCULATED.fedBy(type, otherType);
}

/**
 * Whether associations with `otherType` records feed any calculated property of `type` records in every engine.
 *
 * @example
 * feeds('companies', 'contacts'); // true
 */
export function feeds(type: string, otherType: string): boolean {
  return STANDARD_CALCULATED.feeds(type, otherType);
}

/** The live activities associated with a record (one storage call per activity type). */
export async function liveActivities(ctx: TxContext, type: string, id: string): Promise<StoredRecord[]> {
  const [edges] = await ctx.tx.getEdges(type, [id]);
  const byType = new Map<string, string[]>();
  for (const edge of edges!) {
    if (edge.archived || !ACTIVITY_TYPES.has(edge.toType)) continue;
    const ids = byType.get(edge.toType);
    if (ids) ids.push(edge.toId);
    else byType.set(edge.toType, [edge.toId]);
  }
  const activities: StoredRecord[] = [];
  for (const [activityType, ids] of byType) {
    for (const activity of await ctx.tx.getRecords(activityType, ids)) if (activity && !activity.archived) activities.push(activity);
  }
  return activities;
}
