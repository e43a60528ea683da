// The values a record derives from its own properties, gathered from every calculator that has
// some (derived/stage.ts: a deal's or ticket's stage flags and dates; derived/line-items.ts: a
// line item's net amount), so that create, update and merge put them into the same write and
// keep them apart in history (source CALCULATED) in one way.
import type { ObjectModel } from '../schema/model.js';
import type { Properties, PropertyValue } from '../types.js';
import { movesStage, stageValues } from '../derived/stage.js';
import { LINE_ITEMS, lineItemValues, movesLineItem } from '../derived/line-items.js';
import type { Changes } from './rules.js';

/** Derived values to store: a name → its value (`null` clears). */
export type OwnValues = Record<string, PropertyValue>;

/**
 * Whether records of `model`'s type derive values from their own properties at all (a create
 * then computes them for every new record).
 *
 * @example
 * derivesOwnValues(schema.object('line_items')); // true
 * derivesOwnValues(schema.object('contacts'));   // false
 */
export function derivesOwnValues(model: ObjectModel): boolean {
  return (model.pipelines !== undefined && model.pipelines.kind.metadata !== 'plain') || model.name === LINE_ITEMS;
}

/**
 * Whether a write of `changed` can move a record's own derived values.
 *
 * @example
 * movesOwnValues(schema.object('line_items'), { price: 10 }); // true
 */
export function movesOwnValues(model: ObjectModel, changed: Readonly<Record<string, unknown>>): boolean {
  return movesStage(model, changed) || movesLineItem(model, changed);
}

/**
 * Every own derived value of a record going from `before` (undefined: new) to `after`, where it
 * differs from what `after` holds, at the write's time `at`.
 *
 * @example
 * ownValues(lineItems, undefined, { name: 'Seat', price: 10, quantity: 3 }, at); // { amount: 30 }
 */
export function ownValues(model: ObjectModel, before: Readonly<Properties> | undefined, after: Readonly<Properties>, at: string): OwnValues {
  const stage = stageValues(model, before, after, at);
  const lineItem = lineItemValues(model, after);
  for (const name of Object.keys(lineItem)) stage[name] = lineItem[name]!;
  return stage;
}

/**
 * Puts a new record's derived values into its properties (a cleared one is simply left out);
 * answers them frozen, for history's CALCULATED entry, or undefined when there are none.
 *
 * @example
 * putOwnValues(properties, { amount: 30 }); // properties.amount === 30
 */
export function putOwnValues(properties: Changes, values: OwnValues): OwnValues | undefined {
  let any = false;
  for (const name of Object.keys(values)) {
    const value = values[name]!;
    if (value !== null) properties[name] = value;
    any = true;
  }
  return any ? Object.freeze(values) : undefined;
}

/**
 * `properties` without the names in `left`: a create's own history entry, the derived values
 * going in their own.
 *
 * @example
 * withoutOwnValues({ name: 'Seat', amount: 30 }, { amount: 30 }); // { name: 'Seat' }
 */
export function withoutOwnValues(properties: Readonly<Properties>, left: OwnValues): Properties {
  const kept: Properties = {};
  for (const name of Object.keys(properties)) if (!Object.hasOwn(left, name)) kept[name] = properties[name]!;
  return kept;
}
