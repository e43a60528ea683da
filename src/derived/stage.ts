// The calculated properties a record's own stage sets (deals: closed, won, lost, probability,
// the date it entered each stage; tickets: closed, close date, time to close). Unlike the
// association-fed ones in ./properties.ts they need nothing but the record and its stage, so
// they are computed in the write that moves the record (or changes its stage's metadata) and
// stored with it: no second write. History keeps them under source CALCULATED.
import type { ObjectModel } from '../schema/model.js';
import { dateEnteredProperty } from '../schema/pipelines.js';
import type { Properties, PropertyValue } from '../types.js';

/** The stage-derived values that differ from `after`'s, for a record moving from `before` (undefined: new) to `after`, at `at`. */
export type StageValues = Record<string, PropertyValue>;

/**
 * What the record's stage says its stage-derived properties hold, where that differs from what
 * `after` holds; empty for types without such properties or a record with no stage.
 * `before` is the record before the write (undefined when it is new): a deal's date entered is
 * set only when the stage changed, a ticket's close date only when it was not closed before.
 *
 * @example
 * stageValues(deals, undefined, { dealstage: 'closedwon', createdate: at }, at);
 * // { hs_is_closed: true, hs_is_closed_won: true, hs_is_closed_lost: false, hs_deal_stage_probability: 1, hs_date_entered_closedwon: at }
 */
export function stageValues(model: ObjectModel, before: Properties | undefined, after: Properties, at: string): StageValues {
  const set = model.pipelines;
  if (set === undefined || set.kind.metadata === 'plain') return {};
  const stageId = after[set.kind.stageProperty];
  if (typeof stageId !== 'string') return {};
  const stage = set.allStages.get(stageId);
  if (stage === undefined) return {};
  const { isClosed, probability } = stage.metadata;
  const values: StageValues = {};
  const put = (name: string, value: PropertyValue): void => {
    if ((after[name] ?? null) !== value) values[name] = value;
  };
  put('hs_is_closed', isClosed);
  if (set.kind.metadata === 'deal') {
    put('hs_is_closed_won', isClosed && probability === 1);
    put('hs_is_closed_lost', isClosed && probability === 0);
    put('hs_deal_stage_probability', probability ?? null);
    if (before?.[set.kind.stageProperty] !== stageId) values[dateEnteredProperty(stageId)] = at;
    return values;
  }
  // Tickets: closing dates the close; reopening clears it.
  if (!isClosed) {
    put('closed_date', null);
    put('time_to_close', null);
  } else if (before?.hs_is_closed !== true || after.closed_date === undefined) {
    const created = after[model.doc.createdDateProperty];
    put('closed_date', at);
    put('time_to_close', typeof created === 'string' ? Math.max(0, Date.parse(at) - Date.parse(created)) : null);
  }
  return values;
}

/** The stage-derived properties of each metadata kind (a deal's dates entered are matched by prefix). */
const STAGE_DERIVED: Record<'deal' | 'ticket', ReadonlySet<string>> = {
  deal: new Set(['hs_is_closed', 'hs_is_closed_won', 'hs_is_closed_lost', 'hs_deal_stage_probability']),
  ticket: new Set(['hs_is_closed', 'closed_date', 'time_to_close']),
};

/**
 * Whether `name` is a value a record of `model`'s type derives from its own stage: a merge never
 * takes one from the merged record (an open ticket must not get the other's close date).
 *
 * @example
 * isStageDerived(tickets, 'closed_date'); // true
 */
export function isStageDerived(model: ObjectModel, name: string): boolean {
  const kind = model.pipelines?.kind.metadata;
  if (kind === undefined || kind === 'plain') return false;
  return STAGE_DERIVED[kind].has(name) || (kind === 'deal' && name.startsWith(dateEnteredProperty('')));
}

/** Whether a write to these properties can move a record's stage-derived values. */
export function movesStage(model: ObjectModel, changed: Readonly<Record<string, unknown>>): boolean {
  const set = model.pipelines;
  return set !== undefined && set.kind.metadata !== 'plain' && Object.hasOwn(changed, set.kind.stageProperty);
}
