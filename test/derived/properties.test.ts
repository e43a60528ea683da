// The calculated properties' declarations (src/derived/properties.ts): stepping a value over any
// sequence of associations made and removed ends where computing it afresh does — a count is
// made − removed (no value at zero), the last activity date the latest live activity's time, with
// RECOMPUTE exactly when one change cannot tell — and which records carry each property and which
// associations feed it. `compute` reads only `ctx.tx`, so it runs here on a real memory storage
// transaction holding the records and edges (no engine); the conformance suite
// (src/testing/conformance/engine/calculated.ts) shows the same values through the public calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_TIMESTAMP,
  CALCULATED_PROPERTIES,
  carriedBy,
  feeds,
  isCalculated,
  RECOMPUTE,
  type CalculatedProperty,
} from '../../src/derived/properties.js';
import { SchemaState } from '../../src/schema/model.js';
import type { TxContext } from '../../src/schema/transaction.js';
import { MemoryStorage } from '../../src/storage/memory.js';
import type { StoredEdge, StoredRecord } from '../../src/storage/types.js';
import type { PropertyValue } from '../../src/types.js';

const schema = SchemaState.load(0, undefined);
const property = (name: string): CalculatedProperty => CALCULATED_PROPERTIES.find((candidate) => candidate.name === name)!;
const contactsCount = property('num_associated_contacts');
const dealsCount = property('num_associated_deals');
const lastActivity = property('hs_last_activity_date');

const AT = '2026-01-01T00:00:00.000Z';

function record(objectType: string, id: string, properties: Record<string, PropertyValue> = {}, archived = false): StoredRecord {
  return { id, objectType, properties, createdAt: AT, updatedAt: AT, archived };
}

function edge(from: StoredRecord, to: StoredRecord, archived: boolean): StoredEdge {
  return { fromType: from.objectType, fromId: from.id, toType: to.objectType, toId: to.id, labels: [], inverseLabels: [], createdAt: AT, archived };
}

/**
 * What `compute` answers for `owner` when storage holds it, `others` and an edge to each of
 * `linked` (archived where the other record is): a real memory storage transaction, and of the
 * context only the `tx` that compute reads.
 */
async function computed(calculated: CalculatedProperty, owner: StoredRecord, others: readonly StoredRecord[], linked: ReadonlySet<string>): Promise<PropertyValue> {
  const storage = new MemoryStorage();
  return storage.transaction('write', async (tx) => {
    await tx.insertRecords([owner, ...others]);
    await tx.putEdges(others.filter((other) => linked.has(other.id)).map((other) => edge(owner, other, other.archived)));
    return calculated.compute({ tx } as unknown as TxContext, schema.object(owner.objectType), owner);
  });
}

/**
 * A sequence of changes to one record's associations with up to 5 others: each names another
 * record, and associates it when it is not associated, else removes the association.
 */
const togglesArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 20 });

describe('association counts', () => {
  it('stepping over associations made and removed gives what computing gives: the live count, no value at zero', async () => {
    await fc.assert(
      fc.asyncProperty(togglesArb, fc.subarray([0, 1, 2, 3, 4]), async (toggles, archivedAtStart) => {
        const company = record('companies', 'k1');
        // Archived contacts associated from the start: they count neither in the stored value nor in the steps.
        const contacts = [0, 1, 2, 3, 4].map((n) => record('contacts', `c${n}`, {}, archivedAtStart.includes(n)));
        const linked = new Set(archivedAtStart.map((n) => `c${n}`));
        let value: PropertyValue | undefined; // no value yet: nothing live is associated
        for (const n of toggles) {
          const contact = contacts[n]!;
          if (contact.archived) continue; // an archived record is not associated or removed by a call
          const made = !linked.has(contact.id);
          if (made) linked.add(contact.id);
          else linked.delete(contact.id);
          const next = contactsCount.step(value, made, contact);
          expect(next).not.toBe(RECOMPUTE);
          value = next as PropertyValue;
        }
        const live = contacts.filter((contact) => !contact.archived && linked.has(contact.id)).length;
        expect(value ?? null).toBe(live === 0 ? null : live);
        expect(await computed(contactsCount, company, contacts, linked)).toBe(live === 0 ? null : live);
      }),
      { numRuns: 60 },
    );
  });

  it('stores zero as no value, so a record that lost its last association looks like one that never had one', async () => {
    const contact = record('contacts', 'c1');
    const deal = record('deals', 'd1');
    expect(dealsCount.step(undefined, true, deal)).toBe(1);
    expect(dealsCount.step(1, false, deal)).toBeNull();
    expect(dealsCount.step(null, true, deal)).toBe(1);
    expect(dealsCount.step(2, true, deal)).toBe(3);
    expect(await computed(dealsCount, contact, [deal], new Set())).toBeNull();
    expect(await computed(dealsCount, contact, [deal], new Set(['d1']))).toBe(1);
  });
});

/** An activity's time: a datetime, or none (an activity may have no time). */
const timeArb = fc.option(
  fc.integer({ min: 0, max: 9 }).map((day) => `2026-02-0${day}T10:00:00.000Z`),
  { nil: undefined },
);

describe('last activity date', () => {
  it('stepping over activities made and removed, recomputing when asked to, gives what computing gives: the latest live time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(timeArb, { minLength: 5, maxLength: 5 }), togglesArb, fc.subarray([0, 1, 2, 3, 4]), async (times, toggles, archivedAtStart) => {
        const contact = record('contacts', 'c1');
        const calls = times.map((time, n) => record('calls', `a${n}`, time === undefined ? {} : { [ACTIVITY_TIMESTAMP]: time }, archivedAtStart.includes(n)));
        const linked = new Set(archivedAtStart.map((n) => `a${n}`));
        /** The latest time among the live associated calls, worked out by sorting: null when none has one. */
        const latest = (): PropertyValue =>
          calls
            .filter((call) => !call.archived && linked.has(call.id))
            .map((call) => call.properties[ACTIVITY_TIMESTAMP])
            .filter((time): time is string => typeof time === 'string')
            .sort()
            .at(-1) ?? null;
        let value: PropertyValue | undefined;
        for (const n of toggles) {
          const call = calls[n]!;
          if (call.archived) continue;
          const made = !linked.has(call.id);
          if (made) linked.add(call.id);
          else linked.delete(call.id);
          const next = lastActivity.step(value, made, call);
          // A step answers exactly when an activity with a time was added; otherwise it asks for a recount.
          expect(next === RECOMPUTE).toBe(!made || typeof call.properties[ACTIVITY_TIMESTAMP] !== 'string');
          // Where the step cannot tell, the engine computes afresh, which must land on the same latest time.
          value = next === RECOMPUTE ? await computed(lastActivity, contact, calls, linked) : next;
          expect(value ?? null).toBe(latest());
        }
        expect(await computed(lastActivity, contact, calls, linked)).toBe(latest());
      }),
      { numRuns: 40 },
    );
  });

  it('a new activity moves the date only forward; a removed one or one without a time asks for a recount', () => {
    const call = (time?: string): StoredRecord => record('calls', 'a1', time === undefined ? {} : { [ACTIVITY_TIMESTAMP]: time });
    expect(lastActivity.step(undefined, true, call('2026-02-03T10:00:00.000Z'))).toBe('2026-02-03T10:00:00.000Z');
    expect(lastActivity.step('2026-02-05T10:00:00.000Z', true, call('2026-02-03T10:00:00.000Z'))).toBe('2026-02-05T10:00:00.000Z');
    expect(lastActivity.step('2026-02-01T10:00:00.000Z', true, call('2026-02-03T10:00:00.000Z'))).toBe('2026-02-03T10:00:00.000Z');
    expect(lastActivity.step('2026-02-03T10:00:00.000Z', false, call('2026-02-03T10:00:00.000Z'))).toBe(RECOMPUTE);
    expect(lastActivity.step('2026-02-03T10:00:00.000Z', true, call())).toBe(RECOMPUTE);
  });

  it('is fed by the activity’s time, and computing ignores archived activities', async () => {
    expect(lastActivity.fedByProperty?.property).toBe(ACTIVITY_TIMESTAMP);
    expect(lastActivity.fedByProperty?.types.has('meetings')).toBe(true);
    const deal = record('deals', 'd1');
    const live = record('meetings', 'm1', { [ACTIVITY_TIMESTAMP]: '2026-02-01T10:00:00.000Z' });
    const archived = record('meetings', 'm2', { [ACTIVITY_TIMESTAMP]: '2026-02-09T10:00:00.000Z' }, true);
    expect(await computed(lastActivity, deal, [live, archived], new Set(['m1', 'm2']))).toBe('2026-02-01T10:00:00.000Z');
    expect(await computed(lastActivity, deal, [archived], new Set(['m2']))).toBeNull();
  });
});

describe('which records carry which property, and what feeds them', () => {
  const names = (type: string): string[] => carriedBy(schema.object(type)).map((calculated) => calculated.name);

  it('carriedBy: companies count contacts and deals, contacts count deals, other timelines only date their last activity', () => {
    expect(names('companies')).toEqual(['num_associated_contacts', 'num_associated_deals', 'hs_last_activity_date']);
    expect(names('contacts')).toEqual(['num_associated_deals', 'hs_last_activity_date']);
    expect(names('deals')).toEqual(['hs_last_activity_date']);
    expect(names('tickets')).toEqual(['hs_last_activity_date']);
    // Activities have no last activity of their own; products have no timeline.
    expect(names('calls')).toEqual([]);
    expect(names('products')).toEqual([]);
  });

  it('carriedBy names only properties the object type has', () => {
    for (const model of schema.models()) {
      for (const calculated of carriedBy(model)) expect(model.properties.has(calculated.name), `${model.name}.${calculated.name}`).toBe(true);
    }
  });

  it('feeds: contacts feed a company, deals feed contacts and companies, activities feed what they sit on — never the other way', () => {
    expect(feeds('companies', 'contacts')).toBe(true);
    expect(feeds('contacts', 'companies')).toBe(false);
    expect(feeds('contacts', 'deals')).toBe(true);
    expect(feeds('companies', 'deals')).toBe(true);
    expect(feeds('deals', 'contacts')).toBe(false);
    expect(feeds('deals', 'calls')).toBe(true);
    expect(feeds('calls', 'deals')).toBe(false);
    expect(feeds('calls', 'notes')).toBe(false);
    expect(feeds('contacts', 'tickets')).toBe(false);
    expect(feeds('contacts', 'contacts')).toBe(false);
  });

  it('isCalculated names exactly the three calculated properties, and each is read-only wherever it is defined', () => {
    expect(['num_associated_contacts', 'num_associated_deals', 'hs_last_activity_date'].every(isCalculated)).toBe(true);
    for (const name of ['email', 'hs_object_id', 'hs_timestamp', 'num_associated_companies', 'hs_merged_object_ids', '']) expect(isCalculated(name), name).toBe(false);
    for (const model of schema.models()) {
      for (const [name, definition] of model.properties) if (isCalculated(name)) expect(definition.writable, `${model.name}.${name}`).toBe(false);
    }
  });
});
