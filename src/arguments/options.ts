// Keyed arguments as callers pass them: the options of every public call, the items of batch
// arguments, and the near misses of names. One place checks every option object, so a typo
// (`get(type, id, { archive: true })`) is refused with the key it most likely meant instead of
// being silently ignored, and one function says which known name a near miss meant.
import { culprit, describeValue, IssueList, validationError, type ValidationIssue } from '../errors.js';

/**
 * Whether `input` is a plain object (a literal, JSON, or null-prototype object), as properties
 * and options must be.
 *
 * @example
 * isPlainObject({ email: 'a@b.com' }); // true
 * isPlainObject(new Date());           // false
 */
export function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (input === null || typeof input !== 'object') return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

// ---------------------------------------------------------------- near misses

/** Names longer than this are not typos of a short key; comparing them would only cost time. */
const MAX_COMPARED_LENGTH = 100;

/**
 * The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
 * substitutions and swaps of two neighbours each cost 1), or `max + 1` as soon as it must exceed
 * `max`: cheap for the short names it compares.
 *
 * @example
 * editDistance('lable', 'label', 2); // 1 (a swap)
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, at) => at);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    current[0] = i;
    let best = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * A name with case and separators ('-', ' ', '_') taken out, so 'Decision maker', 'firstName'
 * and 'first_name' compare as people read them.
 *
 * @example
 * foldName('Decision maker') === foldName('decision_maker'); // true
 */
export function foldName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * The candidate `input` most likely meant: the same but for case and separators, else the
 * nearest by {@link editDistance} within a third of its length (at least 1, at most 3);
 * `undefined` when none is that near. Ties go to the earlier candidate.
 *
 * @example
 * nearest('archive', ['archived']);          // 'archived'
 * nearest('Companies', ['contacts', 'companies']); // 'companies'
 * nearest('zzz', ['archived']);              // undefined
 */
export function nearest(input: unknown, candidates: Iterable<string>): string | undefined {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_COMPARED_LENGTH) return undefined;
  const wanted = foldName(input);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const other = foldName(candidate);
    if (other === wanted) return candidate;
    const max = Math.min(3, Math.max(1, Math.floor(Math.max(wanted.length, other.length) / 3)));
    const distance = editDistance(wanted, other, max);
    if (distance <= max && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * " (did you mean "x"?)" when there is a suggestion, else the allowed names (at most a dozen),
 * for the end of a message.
 *
 * @example
 * hint('archived', ['archived']); // ' (did you mean "archived"?)'
 */
export function hint(suggestion: string | undefined, allowed: readonly string[], noun = 'valid keys'): string {
  if (suggestion !== undefined) return ` (did you mean ${JSON.stringify(suggestion)}?)`;
  if (allowed.length === 0) return ` (there are no ${noun})`;
  const shown = allowed.slice(0, 12).map((name) => JSON.stringify(name));
  return ` (${noun}: ${shown.join(', ')}${allowed.length > 12 ? ', …' : ''})`;
}

// ---------------------------------------------------------------- option objects

/**
 * The option keys of every public call that takes an options object (calls whose options zod
 * checks, such as createCrm and defineAssociation, are not listed: their schemas say it).
 *
 * @example
 * OPTION_KEYS['records.get']; // ['archived']
 */
export const OPTION_KEYS = {
  'records.create': ['source', 'associations'],
  'records.createMany': ['source', 'associations', 'atomic'],
  'records.upsertMany': ['source', 'idProperty', 'atomic'],
  'records.updateMany': ['source', 'atomic'],
  'records.archiveMany': ['source', 'atomic'],
  'records.get': ['archived', 'properties'],
  'records.update': ['source'],
  'records.upsert': ['source', 'idProperty'],
  'records.archive': ['source'],
  'records.restore': ['source'],
  'records.purge': ['source'],
  'records.list': ['limit', 'after', 'archived', 'properties'],
  'records.getMany': ['properties'],
  'associations.list': ['label', 'limit', 'after', 'records', 'properties'],
  'records.merge': ['source'],
  'schema.properties': ['archived'],
  'schema.groups': ['archived'],
  'associations.associate': ['source'],
  'associations.associateMany': ['source', 'atomic'],
  'associations.removeMany': ['source', 'atomic'],
  'associations.setPrimary': ['source'],
  'associations.unlabel': ['source', 'newPrimary'],
  'associations.remove': ['source', 'newPrimary'],
  'associations.listMany': ['label'],
  'associations.history': ['toType', 'with'],
  timeline: ['limit', 'after'],
  'commerce.addLineItem': ['source'],
  'commerce.copyLineItems': ['source'],
} as const satisfies Record<string, readonly string[]>;

/**
 * A public call that takes an options object.
 *
 * @example
 * const call: OptionCall = 'records.get';
 */
export type OptionCall = keyof typeof OPTION_KEYS;

/**
 * The keys of a write's `source` option.
 *
 * @example
 * SOURCE_KEYS; // ['type', 'id', 'label']
 */
export const SOURCE_KEYS = ['type', 'id', 'label'] as const;
/**
 * The keys of one item of create's `associations` option.
 *
 * @example
 * CREATE_ASSOCIATION_KEYS; // ['to', 'labels']
 */
export const CREATE_ASSOCIATION_KEYS = ['to', 'labels'] as const;
/**
 * The keys of one pair of associateMany / removeMany.
 *
 * @example
 * checkItems('associations.associateMany', pairs, PAIR_KEYS);
 */
export const PAIR_KEYS = ['from', 'to', 'labels'] as const;

/**
 * The UNKNOWN_OPTION issue for one key of a keyed argument that takes no such key: the key
 * (`option`), the nearest valid one (`suggestion`), every valid one (`allowed`), where the
 * object is (`path`, `index` for a batch item), and a message naming the culprit and the fix.
 *
 * @example
 * unknownKeyIssue('records.get', 'archive', ['archived'], ['options']);
 * // { code: 'UNKNOWN_OPTION', option: 'archive', suggestion: 'archived',
 * //   message: 'records.get: unknown option "archive" (did you mean "archived"?)', … }
 */
export function unknownKeyIssue(
  call: string,
  key: string,
  allowed: readonly string[],
  path: readonly (string | number)[],
  index?: number,
): ValidationIssue {
  const suggestion = nearest(key, allowed);
  const top = path.length === 1 && path[0] === 'options';
  const what = top ? 'unknown option' : 'unknown key';
  const where = index !== undefined ? ` in item ${index}` : top || path.length === 0 ? '' : ` in ${path.join('.')}`;
  return {
    code: 'UNKNOWN_OPTION',
    option: culprit(key),
    ...(suggestion !== undefined ? { suggestion } : {}),
    allowed: [...allowed],
    path: [...path],
    ...(index !== undefined ? { index } : {}),
    message: `${call ? `${call}: ` : ''}${what} ${describeValue(key)}${where}${hint(suggestion, allowed)}`,
  };
}

/** Adds an issue for every key of `value` that `allowed` lacks (listing up to the cap, counting the rest). */
/** Whether `value` has an own key `allowed` does not name (the quick test before the issues are built). */
function hasUnknownKey(value: Readonly<Record<string, unknown>>, allowed: readonly string[]): boolean {
  for (const key in value) if (Object.hasOwn(value, key) && !allowed.includes(key)) return true;
  return false;
}

function collectUnknownKeys(
  call: string,
  value: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  path: readonly (string | number)[],
  issues: IssueList,
  index?: number,
): void {
  for (const key in value) {
    if (!Object.hasOwn(value, key) || allowed.includes(key)) continue;
    if (issues.listing) issues.add(unknownKeyIssue(call, key, allowed, path, index));
    else issues.countOnly();
  }
}

/**
 * Checks the options a public call was given: `undefined` (none) or a plain object whose every
 * key the call takes; the keys of a `source` and of each `associations` item too. Otherwise one
 * VALIDATION_ERROR: INVALID_ARGUMENT for a non-object, UNKNOWN_OPTION for each unknown key.
 *
 * @example
 * checkOptions('records.get', { archive: true });
 * // VALIDATION_ERROR: records.get: unknown option "archive" (did you mean "archived"?)
 */
export function checkOptions(call: OptionCall, options: unknown): void {
  if (options === undefined) return;
  const allowed: readonly string[] = OPTION_KEYS[call];
  if (!isPlainObject(options)) {
    throw validationError([
      {
        code: 'INVALID_ARGUMENT',
        path: ['options'],
        message: `${call}: options must be an object (with ${allowed.map((key) => JSON.stringify(key)).join(', ')}), got ${describeValue(options)}`,
      },
    ]);
  }
  const issues = new IssueList();
  collectUnknownKeys(call, options, allowed, ['options'], issues);
  if (allowed.includes('source') && isPlainObject(options.source)) collectUnknownKeys(call, options.source, SOURCE_KEYS, ['options', 'source'], issues);
  const associations = allowed.includes('associations') ? options.associations : undefined;
  if (Array.isArray(associations)) {
    for (let at = 0; at < associations.length; at++) {
      const item: unknown = associations[at];
      if (isPlainObject(item)) collectUnknownKeys(call, item, CREATE_ASSOCIATION_KEYS, ['options', 'associations', at], issues);
    }
  }
  if (issues.length > 0) throw issues.error();
}

/**
 * Checks the keys of a batch call's items (associateMany's `{ from, to, labels }` pairs): an
 * UNKNOWN_OPTION issue, with the item's `index`, for each key an item should not have. Items
 * that are not objects are left to the call, which says what it expected.
 *
 * @example
 * checkItems('associations.associateMany', [{ form: deal, to: contact }], PAIR_KEYS);
 * // VALIDATION_ERROR: associations.associateMany: unknown key "form" in item 0 (did you mean "from"?)
 */
export function checkItems(call: string, items: unknown, allowed: readonly string[]): void {
  if (!Array.isArray(items)) return;
  const issues = new IssueList();
  for (let at = 0; at < items.length; at++) {
    const item: unknown = items[at];
    if (isPlainObject(item) && hasUnknownKey(item, allowed)) collectUnknownKeys(call, item, allowed, [at], issues, at);
  }
  if (issues.length > 0) throw issues.error();
}
