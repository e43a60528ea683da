// `propertiesWithHistory` on reads: a property's past values as HubSpot answers them, from
// `crm.records.history`. Kept apart from objects.ts because it is one more read per record and
// property, asked for by name only (reads without it never pay for it).
import type { Crm, CrmRecord, ObjectTypeDefinition, PropertyHistoryEntry, PropertyType } from 'crmkit';
import { toWireValue } from './wire.js';

/**
 * One entry of a property's history on the wire: the value as a string (`''` where the write
 * cleared it, as HubSpot shows a cleared value), when, and the write's source.
 *
 * @example
 * const entry: WireHistoryEntry = { value: 'ann@x.com', timestamp: '2026-01-01T00:00:00.000Z', sourceType: 'API' };
 */
export interface WireHistoryEntry {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
  sourceLabel?: string;
}

/** A record's `propertiesWithHistory`: property name → its entries, newest first. */
export type WireHistory = { [name: string]: WireHistoryEntry[] };

/**
 * One history entry as HubSpot writes it.
 *
 * @example
 * toWireHistoryEntry({ value: 2.5, timestamp, sourceType: 'API' }, 'number'); // { value: '2.5', … }
 */
export function toWireHistoryEntry(entry: PropertyHistoryEntry, type?: PropertyType): WireHistoryEntry {
  const wire: WireHistoryEntry = { value: toWireValue(entry.value, type) ?? '', timestamp: new Date(entry.timestamp).toISOString(), sourceType: entry.sourceType };
  if (entry.sourceId !== undefined) wire.sourceId = entry.sourceId;
  if (entry.sourceLabel !== undefined) wire.sourceLabel = entry.sourceLabel;
  return wire;
}

/**
 * The `propertiesWithHistory` of each record, by record id, for the requested names the type
 * knows (unknown names are ignored, as unknown `properties` are). Empty when none is asked for.
 * A property the record never had answers `[]`.
 *
 * @example
 * const byId = await historiesOf(crm, contacts, [record], ['email']);
 * byId.get(record.id)?.email; // [{ value: 'new@x.com', … }, { value: 'old@x.com', … }]
 */
export async function historiesOf(crm: Crm, type: ObjectTypeDefinition, records: readonly CrmRecord[], requested: readonly string[] | undefined): Promise<Map<string, WireHistory>> {
  const byId = new Map<string, WireHistory>();
  if (!requested || requested.length === 0 || records.length === 0) return byId;
  const types = new Map<string, PropertyType>(type.properties.map((property) => [property.name, property.type]));
  const names = [...new Set(requested)].filter((name) => types.has(name));
  for (const record of records) {
    // A null-prototype object: a property named like an Object.prototype member stays data.
    const history: WireHistory = Object.create(null);
    for (const name of names) {
      const entries = await crm.records.history(type.name, record.id, name);
      history[name] = entries.map((entry) => toWireHistoryEntry(entry, types.get(name)));
    }
    byId.set(record.id, history);
  }
  return byId;
}
