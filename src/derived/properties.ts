// Every calculated property, declared once: which records carry it, which changes feed it, how
// it is computed from scratch and how one association moves it. Their definitions (label, type,
// read-only) are the schema catalogue's (schema/catalogue/associations.ts); ./recount.ts keeps
// the values current from the transaction's change log. Pipelines' stage flags and dates and
// line-item amounts are declared here next.
import { ACTIVITY_TYPES, CALCULATED_PROPERTY_SPECS } from '../schema/catalogue/index.js';
import type { ObjectModel } from '../schema/model.js';
import type { TxContext } from '../schema/transaction.js';
import type { StoredRecord } from '../storage/types.js';
import type { PropertyValue } from '../types.js';

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
  /** The value from the record's associations, read from storage. */
  compute(ctx: TxContext, model: ObjectModel, record: StoredRecord): Promise<PropertyValue>;
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

/** Every calculated property, in the order they are written. */
export const CALCULATED_PROPERTIES: readonly CalculatedProperty[] = [
  associationCount(CALCULATED_PROPERTY_SPECS.num_associated_contacts.name, ['companies'], 'contacts'),
  associationCount(CALCULATED_PROPERTY_SPECS.num_associated_deals.name, ['contacts', 'companies'], 'deals'),
  lastActivityDate,
];

const NAMES: ReadonlySet<string> = new Set(CALCULATED_PROPERTIES.map((property) => property.name));

/**
 * Whether the engine computes `name` (merge leaves such values to be recomputed).
 *
 * @example
 * isCalculated('num_associated_deals'); // true
 */
export function isCalculated(name: string): boolean {
  return NAMES.has(name);
}

/** Per object model (a model is immutable: a schema change makes a new one): asked once per record recounted. */
const carriedByModel = new WeakMap<ObjectModel, readonly CalculatedProperty[]>();

/** The calculated properties a record of `model`'s type carries. */
export function carriedBy(model: ObjectModel): readonly CalculatedProperty[] {
  let carried = carriedByModel.get(model);
  if (carried === undefined) {
    carried = CALCULATED_PROPERTIES.filter((property) => property.carriedBy(model.name) && model.properties.has(property.name));
    carriedByModel.set(model, carried);
  }
  return carried;
}

/** {@link fedBy}'s answers, by type and other type: asked twice for every association written. */
const fedByPair = new Map<string, Map<string, readonly CalculatedProperty[]>>();

/**
 * The calculated properties of `type` records that associations with `otherType` records feed
 * (empty for most pairs), whether or not a given `type` model has them.
 *
 * @example
 * fedBy('companies', 'contacts').map((property) => property.name); // ['num_associated_contacts']
 */
export function fedBy(type: string, otherType: string): readonly CalculatedProperty[] {
  let ofType = fedByPair.get(type);
  if (ofType === undefined) fedByPair.set(type, (ofType = new Map()));
  let fed = ofType.get(otherType);
  if (fed === undefined) {
    fed = CALCULATED_PROPERTIES.filter((property) => property.fedBy(type, otherType));
    ofType.set(otherType, fed);
  }
  return fed;
}

/** Whether associations with `otherType` records feed any calculated property of `type` records. */
export function feeds(type: string, otherType: string): boolean {
  return fedBy(type, otherType).length > 0;
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
