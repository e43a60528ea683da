// The rules of record writes, as pure functions over data: read a caller's properties against
// the object model (every bad property reported, not just the first), fill defaults, check
// required properties, and work out what actually changes.
import { isPlainObject, nearest } from '../arguments/options.js';
import { describeValue, issueOf, type IssueList, type ValidationIssue } from '../errors.js';
import type { ObjectModel } from '../schema/model.js';
import type { Properties, PropertyValue } from '../types.js';
import { Invalid } from '../schema/values.js';

/** Normalised values a write sets; `null` clears a property. */
export type Changes = Record<string, PropertyValue>;

/**
 * A constructor whose instances are plain objects (prototype Object.prototype): V8 sizes the
 * objects a constructor makes to the properties they end up with, so a record's properties live
 * inside the object instead of in a second, growing array — about a quarter less memory per
 * record than an `{}` literal that grows property by property.
 */
function PlainProperties(): void {}
PlainProperties.prototype = Object.prototype;
const newProperties = (): Changes => new (PlainProperties as unknown as new () => Changes)();

export { isPlainObject };

/** Where a batch input's issue happened, for the start of its message ('input 3: '). */
function inputPrefix(index: number | undefined): string {
  return index === undefined ? '' : `input ${index}: `;
}

/**
 * HubSpot's request body (`{ properties: { email } }`) where crmkit takes the properties object
 * itself: an issue saying so, or `undefined` when `input` is not shaped like one (or the object
 * type really has a property named `properties`).
 *
 * @example
 * requestBodyIssue(contacts, { properties: { email: 'a@b.com' } }, undefined)?.message;
 * // "crmkit takes the properties object itself, not HubSpot's request body: pass { email }, …"
 */
export function requestBodyIssue(model: ObjectModel, input: Readonly<Record<string, unknown>>, index: number | undefined): ValidationIssue | undefined {
  const inner = input.properties;
  if (!isPlainObject(inner) || model.properties.has('properties')) return undefined;
  const names = Object.keys(inner).slice(0, 3);
  const example = names.length > 0 ? `{ ${names.map((name) => (/^[a-z_$][\w$]*$/i.test(name) ? name : JSON.stringify(name))).join(', ')}${Object.keys(inner).length > 3 ? ', …' : ''} }` : '{ … }';
  const associations = Object.hasOwn(input, 'associations') ? '; associations go in the options: create(type, properties, { associations: [{ to, labels }] })' : '';
  return {
    code: 'INVALID_PROPERTIES',
    property: 'properties',
    ...(index === undefined ? {} : { index }),
    message: `${inputPrefix(index)}crmkit takes the properties object itself, not HubSpot's request body: pass ${example}, not { properties: ${example} } (e.g. create('${model.name}', { email }))${associations}`,
  };
}

function unknownPropertyIssue(model: ObjectModel, name: string, index: number | undefined): ValidationIssue {
  const suggestion = nearest(name, liveNames(model));
  return {
    code: 'PROPERTY_DOESNT_EXIST',
    property: name.length > 100 ? `${name.slice(0, 100)}…` : name,
    ...(index === undefined ? {} : { index }),
    ...(suggestion !== undefined ? { suggestion } : {}),
    message: `${inputPrefix(index)}Property ${describeValue(name)} does not exist on ${model.name}${suggestion !== undefined ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}`,
  };
}

/** The names of a model's live properties. */
function* liveNames(model: ObjectModel): Iterable<string> {
  for (const [name, property] of model.properties) if (!property.doc.archived) yield name;
}

/**
 * Reads one write's properties: each known, writable, valid property becomes a normalised
 * value; every problem goes to `issues` (with `index`, and "input <index>: " in its message, for
 * a batch input; past the issue cap only counted). A create drops clears (`keepClears` false): a
 * new record simply lacks the property. `reserve` names properties the caller fills in
 * afterwards.
 */
export function normaliseInput(
  model: ObjectModel,
  input: unknown,
  index: number | undefined,
  issues: IssueList,
  keepClears: boolean,
  reserve: readonly string[] = [],
): Changes | undefined {
  const at = index === undefined ? {} : { index };
  if (!isPlainObject(input)) {
    if (!issues.listing) issues.countOnly();
    else issues.add({ code: 'INVALID_PROPERTIES', ...at, message: `${inputPrefix(index)}expected an object of properties, got ${describeValue(input)}` });
    return undefined;
  }
  if (Object.hasOwn(input, 'properties')) {
    const wrapped = requestBodyIssue(model, input, index);
    if (wrapped) {
      issues.add(wrapped);
      return undefined;
    }
  }
  const changes = newProperties();
  // Slots for properties set later (a new record's system properties), so the object is built
  // in one go and V8 sizes it once.
  for (const name of reserve) changes[name] = null;
  for (const name of Object.keys(input)) {
    const raw = input[name];
    if (raw === undefined) continue;
    const property = model.properties.get(name);
    // Past the issue cap a problem is only counted: no issue, message or suggestion is built.
    if (property === undefined || property.doc.archived) {
      if (issues.listing) issues.add(unknownPropertyIssue(model, name, index));
      else issues.countOnly();
      continue;
    }
    if (!property.writable) {
      if (issues.listing) issues.add({ code: 'READ_ONLY_VALUE', property: name, ...at, message: `${inputPrefix(index)}${model.name}.${name} is read-only` });
      else issues.countOnly();
      continue;
    }
    const value = property.normalise(raw);
    if (value instanceof Invalid) {
      if (issues.listing) issues.add(issueOf(value.code, value.facts, { property: name, ...at, message: `${inputPrefix(index)}${name}: ${value.message}` }));
      else issues.countOnly();
      continue;
    }
    if (value !== null || keepClears) changes[name] = value;
  }
  return changes;
}

const hasValue = (value: PropertyValue | undefined): boolean => value !== null && value !== undefined;

function requireOneOfIssue(model: ObjectModel, oneOf: readonly string[], index: number | undefined): ValidationIssue {
  return {
    code: 'REQUIRED',
    ...(index === undefined ? {} : { index }),
    oneOf: [...oneOf],
    message: `${inputPrefix(index)}a ${model.doc.labels.singular.toLowerCase()} needs at least one of ${oneOf.join(', ')}`,
  };
}

/**
 * A new record's values: defaults filled in, required properties checked. A property the input
 * gave but that failed validation counts as given: its own issue already says what is wrong.
 */
export function checkNewRecord(
  model: ObjectModel,
  values: Changes,
  input: Readonly<Record<string, unknown>>,
  index: number | undefined,
  issues: IssueList,
): void {
  const { defaults, requiredProperties, requireOneOf } = model.doc;
  if (defaults) {
    for (const [name, value] of Object.entries(defaults)) if (!hasValue(values[name]) && !given(input, name)) values[name] = value;
  }
  for (const name of requiredProperties) {
    if (present(values, input, name)) continue;
    if (!issues.listing) issues.countOnly();
    else issues.add({ code: 'REQUIRED', property: name, ...(index === undefined ? {} : { index }), message: `${inputPrefix(index)}${model.name}.${name} is required` });
  }
  if (requireOneOf && !requireOneOf.some((name) => present(values, input, name))) {
    if (issues.listing) issues.add(requireOneOfIssue(model, requireOneOf, index));
    else issues.countOnly();
  }
}

/** A value is present when normalised, or given but refused (its own issue says why). */
function present(values: Changes, input: Readonly<Record<string, unknown>>, name: string): boolean {
  return hasValue(values[name]) || (values[name] === undefined && given(input, name));
}

/** Whether the input named a value for `name` (empty values clear, so they do not count). */
function given(input: Readonly<Record<string, unknown>>, name: string): boolean {
  if (!Object.hasOwn(input, name)) return false;
  const value = input[name];
  return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
}

/** An update may not clear a required property, nor the last of a "one of" group. */
export function checkUpdatedRecord(model: ObjectModel, current: Properties, changes: Changes, issues: IssueList): void {
  const { requiredProperties, requireOneOf } = model.doc;
  for (const name of requiredProperties) {
    if (changes[name] === null) issues.add({ code: 'REQUIRED', property: name, message: `${model.name}.${name} is required and cannot be cleared` });
  }
  if (requireOneOf && requireOneOf.some((name) => changes[name] === null)) {
    const kept = requireOneOf.some((name) => (Object.hasOwn(changes, name) ? hasValue(changes[name]) : hasValue(current[name])));
    if (!kept) issues.add(requireOneOfIssue(model, requireOneOf, undefined));
  }
}

/** Whether two stored values are the same (multi-selects compare element by element). */
export function sameValue(a: PropertyValue | undefined, b: PropertyValue | undefined): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, at) => item === b[at]);
  return false;
}

/** The changes that really change something. */
export function effectiveChanges(current: Properties, changes: Changes): Changes {
  const effective: Changes = {};
  for (const name of Object.keys(changes)) {
    if (!sameValue(current[name], changes[name])) effective[name] = changes[name]!;
  }
  return effective;
}

/** `current` with `changes` applied; cleared properties are removed. Frozen. */
export function applyChanges(current: Properties, changes: Changes, system: Properties): Readonly<Properties> {
  const next: Properties = { ...current };
  for (const name of Object.keys(changes)) {
    const value = changes[name]!;
    if (value === null) delete next[name];
    else next[name] = value;
  }
  Object.assign(next, system);
  return Object.freeze(next);
}

/**
 * What an immer recipe did to a record's properties, as a write: every key whose value is no
 * longer the same, with `null` for a deleted key. A recipe that returns new properties need not
 * repeat the read-only ones (hs_object_id, createdate, …): leaving them out keeps them; changing
 * them is refused like any other write to them.
 */
export function recipeChanges(model: ObjectModel, before: Properties, after: Properties): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const name of Object.keys(after)) {
    if (!sameValue(before[name], after[name] as PropertyValue | undefined)) changes[name] = after[name];
  }
  for (const name of Object.keys(before)) {
    if (!Object.hasOwn(after, name) && model.properties.get(name)?.writable !== false) changes[name] = null;
  }
  return changes;
}
