// Dedup keys: which (namespace, value) pairs a record holds. Contacts hold their email and each
// additional email in one 'email' namespace, companies their domains in 'domain', and every
// unique property its own namespace. Storage enforces that one pair has one holder.
import type { KeySpec } from '../schema/model.js';
import type { KeyClaim } from '../storage/types.js';
import type { Properties, PropertyValue } from '../types.js';

/** A key a record holds, with the property it comes from (for error messages). */
export interface RecordKey {
  key: string;
  value: string;
  property: string;
}

/** Engine namespaces start with '$' so no property name can collide with them. */
export const PURGED_EMAIL_KEY = '$purged_email';

function keyText(value: PropertyValue | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** The keys `properties` hold under `specs`, each (namespace, value) once. */
export function recordKeys(specs: readonly KeySpec[], properties: Properties): RecordKey[] {
  const keys: RecordKey[] = [];
  for (const spec of specs) {
    const value = keyText(properties[spec.property]);
    if (value !== undefined) keys.push({ key: spec.name, value, property: spec.property });
    if (spec.listProperty) {
      const list = keyText(properties[spec.listProperty]);
      if (list === undefined) continue;
      for (const item of list.split(';')) {
        if (item !== value && !keys.some((held) => held.key === spec.name && held.value === item)) {
          keys.push({ key: spec.name, value: item, property: spec.listProperty });
        }
      }
    }
  }
  return keys;
}

/** The claims of a record's keys. */
export function claimsOf(keys: readonly RecordKey[], id: string): KeyClaim[] {
  return keys.map((key) => ({ key: key.key, value: key.value, id }));
}

/** Keys in `after` but not in `before` (to claim), and in `before` but not in `after` (to release). */
export function keyChanges(before: readonly RecordKey[], after: readonly RecordKey[]): { added: RecordKey[]; removed: RecordKey[] } {
  const name = (key: RecordKey): string => `${key.key}\u0000${key.value}`;
  const had = new Set(before.map(name));
  const has = new Set(after.map(name));
  return {
    added: after.filter((key) => !had.has(name(key))),
    removed: before.filter((key) => !has.has(name(key))),
  };
}
