// The one rule for every internal name crmkit stores and looks things up by: property names,
// object type names, property group names and association label names. They become keys of
// plain objects (a record's properties, the schema document), so the rule also keeps out every
// name that would reach into a prototype instead of naming an own key.
import type { ValidationIssue } from '../errors.js';
import { PROPERTY_NAME_PATTERN } from './field-types.js';

/**
 * Names that would shadow what every JavaScript object or function has: `__proto__` sets an
 * object's prototype, `constructor` and `prototype` read one. (The pattern keeps out the rest:
 * every other member of Object.prototype has an uppercase letter or a leading `_`.)
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['constructor', 'prototype', '__proto__']);

/** Internal names are under 100 characters. */
export const NAME_MAX_LENGTH = 99;

/**
 * Why `name` cannot be an internal name of the kind `what` ('property', 'object type',
 * 'property group', 'label'); `undefined` when it can. The rule: lowercase letters, digits and
 * `_`, starting with a letter, under 100 characters, and not a reserved name (`constructor`,
 * `prototype`, `__proto__`). INVALID_NAME or RESERVED_NAME, at `path`.
 *
 * @example
 * nameIssue('favorite_roast', 'property'); // undefined
 * nameIssue('constructor', 'label')?.code; // 'RESERVED_NAME'
 */
export function nameIssue(name: string, what: string, path: (string | number)[] = ['name']): ValidationIssue<'INVALID_NAME' | 'RESERVED_NAME'> | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > NAME_MAX_LENGTH || !PROPERTY_NAME_PATTERN.test(name)) {
    const shown = typeof name !== 'string' ? String(typeof name) : name.length > 100 ? `a name of ${name.length} characters` : JSON.stringify(name);
    return {
      code: 'INVALID_NAME',
      path,
      property: typeof name === 'string' && name.length <= 100 ? name : undefined,
      message: `${shown} is not a valid ${what} name: lowercase letters, digits and '_', starting with a letter, under 100 characters`,
    };
  }
  if (RESERVED_NAMES.has(name)) {
    return { code: 'RESERVED_NAME', path, property: name, message: `${JSON.stringify(name)} is reserved and cannot name a ${what}` };
  }
  return undefined;
}

/**
 * Whether `name` is a valid internal name (see {@link nameIssue}).
 *
 * @example
 * isInternalName('decision_maker'); // true
 * isInternalName('__proto__');      // false
 */
export function isInternalName(name: unknown): name is string {
  return typeof name === 'string' && nameIssue(name, 'name') === undefined;
}
