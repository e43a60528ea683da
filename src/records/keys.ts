// Dedup keys: which (namespace, value) pairs a record holds. Contacts hold their email and each
// additional email in one 'email' namespace, companies their domains in 'domain', and every
// unique property its own namespace. Storage enforces that one pair has one holder.
import type { KeySpec } from '../schema/model.js';
import type { KeyClaim } from '../storage/types.js';
import type { Properties, PropertyValue } from '../types.js';

/** A key a record holds: a claim, with the property it comes from (for error messages). */
export interface RecordKey extends KeyClaim {
  property: string;
}

/** Engine namespaces start with '$' so no property name can collide with them. */
export const PURGED_EMAIL_KEY = '$purged_email';

function keyText(value: PropertyValue | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** Appends the keys record `id` holds under `specs` to `into`, each (namespace, value) once. */
export function collectKeys(specs: readonly KeySpec[], properties: Properties, id: string, into: RecordKey[]): RecordKey[] {
  const first = into.length;
  for (const spec of specs) {
    const value = keyText(properties[spec.property]);
    if (value !== undefined) into.push({ key: spec.name, value, id, property: spec.property });
    if (spec.listProperty === undefined) continue;
    const list = keyText(properties[spec.listProperty]);
    if (list === undefined) continue;
    for (const item of list.split(';')) {
      let held = false;
      for (let at = first; at < into.length && !held; at++) held = into[at]!.key === spec.name && into[at]!.value === item;
      if (!held) into.push({ key: spec.name, value: item, id, property: spec.listProperty });
    }
  }
  return into;
}

/** The keys record `id` holds under `specs`. */
export function recordKeys(specs: readonly KeySpec[], properties: Properties, id: string): RecordKey[] {
  return collectKeys(specs, properties, id, []);
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
