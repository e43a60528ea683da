// The reference evaluator of search plans (./plan.ts): the pure functions that say what a plan
// means (case folding, word tokens, value order, matching, sort order, keyset positions) and
// `evaluateSearch`, which answers a plan from any storage's primitives by reading every live
// record of the type. The memory adapter runs the same matcher over its own maps (with indexes
// to find candidates); the SQL core compiles plans to SQL that must agree with it.
import type { PlanPosition, PlanProperty, PlanSort, PlanValue, Predicate, SearchPage, SearchPlan } from './plan.js';
import type { StorageTx, StoredEdge, StoredRecord } from './types.js';
import { listsIn } from './lists.js';

/**
 * How string properties compare: Unicode default lower-casing (`String#toLowerCase`, which
 * is the same in every locale). Plans carry string values already folded.
 *
 * @example
 * foldCase('Ärger@Example.COM'); // 'ärger@example.com'
 */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/** A run of letters, marks and digits: one word token. */
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * The word tokens of a text, folded: its runs of letters, marks and digits.
 *
 * @example
 * tokensOf('Ann-Marie O’Neil <ann@acme.com>'); // ['ann', 'marie', 'o', 'neil', 'ann', 'acme', 'com']
 */
export function tokensOf(text: string): string[] {
  return foldCase(text).match(TOKEN) ?? [];
}

/** A `tokens` pattern compiled: the whole value's test, and the word token's when a token can match it. */
interface TokenMatcher {
  readonly whole: RegExp;
  readonly token: RegExp | undefined;
}

const matchers = new Map<string, TokenMatcher>();

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `pattern` compiled once: `*` is any run of characters in the whole value, and any run of
 * token characters inside one token. The token test finds a run bounded by non-token characters
 * in one pass, instead of splitting the value; a pattern with a character no token holds ('@')
 * can only match the whole value.
 */
function matcherOf(pattern: string): TokenMatcher {
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    const parts = pattern.split('*');
    const whole = new RegExp(`^${parts.map(escapeRegExp).join('[\\s\\S]*')}$`, 'u');
    const tokenish = parts.every((part) => /^[\p{L}\p{M}\p{N}]*$/u.test(part));
    const token = tokenish
      ? new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${parts.map(escapeRegExp).join('[\\p{L}\\p{M}\\p{N}]*')}(?![\\p{L}\\p{M}\\p{N}])`, 'u')
      : undefined;
    matcher = { whole, token };
    // Patterns come from requests; a bounded cache keeps a long-lived process from growing.
    if (matchers.size >= 1_000) matchers.clear();
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/**
 * Whether a text matches a `tokens` pattern (folded, `*` for any run of characters): the whole
 * folded text matches it, or one of its word tokens does. So `acme` finds "Acme Corp",
 * `ac*` finds "ACME", and `*@acme.com` finds "ann@acme.com".
 *
 * @example
 * tokenMatches('Acme Corp', 'corp');          // true
 * tokenMatches('ann@acme.com', '*@acme.com'); // true
 * tokenMatches('Acme Corp', 'acm');           // false
 */
export function tokenMatches(text: string, pattern: string): boolean {
  const { whole, token } = matcherOf(pattern);
  const folded = foldCase(text);
  return whole.test(folded) || (token !== undefined && token.test(folded));
}

/**
 * Orders two strings by Unicode code point (not by UTF-16 unit, as `<` does), which is the
 * order of their UTF-8 bytes: the order SQL databases use with a binary collation.
 *
 * @example
 * compareText('a', 'b');             // -1
 * compareText('\uffff', '\u{10000}'); // -1 ('<' says the opposite)
 */
export function compareText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let at = 0; at < length; at++) {
    const x = a.charCodeAt(at);
    const y = b.charCodeAt(at);
    if (x === y) continue;
    // Surrogates (0xD800–0xDFFF) encode code points above 0xFFFF: move them above 0xE000–0xFFFF.
    const fx = x >= 0xd800 ? (x < 0xe000 ? x + 0x2000 : x - 0x800) : x;
    const fy = y >= 0xd800 ? (y < 0xe000 ? y + 0x2000 : y - 0x800) : y;
    return fx < fy ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Orders two values of one {@link PlanValueType}: numbers numerically, booleans false first,
 * strings by code point (dates and datetimes in their stored forms, which is time order).
 *
 * @example
 * compareValues(2, 10); // -1
 */
export function compareValues(a: PlanValue, b: PlanValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return compareText(String(a), String(b));
}

/** A stored value as the plan compares it: folded for `string` properties. */
function comparable(property: PlanProperty, value: unknown): PlanValue {
  return property.type === 'string' ? foldCase(String(value)) : (value as PlanValue);
}

/**
 * The value a sort key orders a record by: `null` when it has none, folded for `string`
 * properties. Plans never sort by a multi-valued property (its first value would be used).
 *
 * @example
 * sortValue(record, { property: lastname, direction: 'asc' }); // 'lee'
 */
export function sortValue(record: StoredRecord, sort: PlanSort): PlanValue | null {
  const stored = record.properties[sort.property.name];
  if (stored === undefined || stored === null) return null;
  const value = Array.isArray(stored) ? stored[0] : stored;
  return value === undefined ? null : comparable(sort.property, value);
}

/**
 * The position of a record in a plan's order, as a page that ends with it resumes.
 *
 * @example
 * positionOf(record, plan.sorts); // { values: [1500], id: 'd7' }
 */
export function positionOf(record: StoredRecord, sorts: readonly PlanSort[]): PlanPosition {
  return { values: sorts.map((sort) => sortValue(record, sort)), id: record.id };
}

/**
 * Orders two positions by a plan's sorts: missing values last in either direction, then by id.
 *
 * @example
 * [a, b].sort((x, y) => comparePositions(positionOf(x, sorts), positionOf(y, sorts), sorts));
 */
export function comparePositions(a: PlanPosition, b: PlanPosition, sorts: readonly PlanSort[]): number {
  for (let at = 0; at < sorts.length; at++) {
    const x = a.values[at] ?? null;
    const y = b.values[at] ?? null;
    if (x === null || y === null) {
      if (x === y) continue;
      return x === null ? 1 : -1;
    }
    const order = compareValues(x, y);
    if (order !== 0) return sorts[at]!.direction === 'asc' ? order : -order;
  }
  return compareText(a.id, b.id);
}

/**
 * What a matcher needs to follow associations: a record's live edges to `toType` records and
 * the live records at their other ends. The reference evaluator builds one from storage reads;
 * the memory adapter answers from its maps.
 *
 * @example
 * const graph: PlanGraph = { edges: (type, id, toType) => [...], record: (type, id) => undefined };
 */
export interface PlanGraph {
  /** The record's edges to `toType` records (archived ones may be included: matchers skip them). */
  edges(objectType: string, id: string, toType: string): Iterable<StoredEdge>;
  /** The live record, or `undefined`. */
  record(objectType: string, id: string): StoredRecord | undefined;
  /** Whether the record is in the static list `list`. */
  inList(list: string, objectType: string, id: string): boolean;
}

/**
 * Whether a live record matches a predicate (./plan.ts defines each kind).
 *
 * @example
 * matches(graph, deal, { kind: 'compare', property: amount, op: 'gte', value: 1000 }); // true for 1500
 */
export function matches(graph: PlanGraph, record: StoredRecord, predicate: Predicate): boolean {
  switch (predicate.kind) {
    case 'and':
      for (const part of predicate.of) if (!matches(graph, record, part)) return false;
      return true;
    case 'or':
      for (const part of predicate.of) if (matches(graph, record, part)) return true;
      return false;
    case 'not':
      return !matches(graph, record, predicate.of);
    case 'present': {
      const stored = record.properties[predicate.property.name];
      return stored !== undefined && stored !== null && !(Array.isArray(stored) && stored.length === 0);
    }
    case 'compare': {
      const { property, op, value } = predicate;
      const stored = record.properties[property.name];
      if (stored === undefined || stored === null) return false;
      if (!Array.isArray(stored)) return compared(compareValues(comparable(property, stored), value), op);
      for (const one of stored) if (compared(compareValues(comparable(property, one), value), op)) return true;
      return false;
    }
    case 'in': {
      const { property, values } = predicate;
      const stored = record.properties[property.name];
      if (stored === undefined || stored === null) return false;
      for (const one of Array.isArray(stored) ? stored : [stored]) {
        const mine = comparable(property, one);
        for (const value of values) if (compareValues(mine, value) === 0) return true;
      }
      return false;
    }
    case 'tokens': {
      const stored = record.properties[predicate.property.name];
      if (stored === undefined || stored === null) return false;
      for (const value of Array.isArray(stored) ? stored : [stored]) if (tokenMatches(String(value), predicate.pattern)) return true;
      return false;
    }
    case 'association': {
      let seen = 0;
      for (const edge of graph.edges(record.objectType, record.id, predicate.toType)) {
        if (edge.archived) continue;
        if (predicate.id !== undefined && edge.toId !== predicate.id) continue;
        if (predicate.labels !== undefined && !edge.labels.some((label) => predicate.labels!.includes(label))) continue;
        const other = graph.record(predicate.toType, edge.toId);
        if (other === undefined || other.archived) continue;
        seen++;
        const ok = predicate.where === undefined || matches(graph, other, predicate.where);
        if (predicate.match === 'any' && ok) return true;
        if (predicate.match === 'all' && !ok) return false;
      }
      return predicate.match === 'all' && seen > 0;
    }
    case 'member':
      return graph.inList(predicate.list, record.objectType, record.id);
  }
}

function compared(order: number, op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte'): boolean {
  switch (op) {
    case 'eq':
      return order === 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
  }
}

/**
 * Answers a plan from the records that match it, in any order: sorts them, resumes after the
 * plan's position and takes a page. Shared by the reference evaluator and the memory adapter.
 *
 * @example
 * const page = pageOf(plan, matching);
 */
export function pageOf(plan: SearchPlan, matching: readonly StoredRecord[]): SearchPage {
  const { sorts, after } = plan;
  const limit = Math.max(0, Math.floor(plan.limit));
  const total = plan.total ? { total: matching.length } : {};
  // A count reads no sort value.
  if (limit === 0 && after === undefined) return { records: [], more: matching.length > 0, ...total };
  const candidates: Positioned[] = [];
  for (const record of matching) {
    const position = positionOf(record, sorts);
    if (after === undefined || comparePositions(position, after, sorts) > 0) candidates.push({ record, position });
  }
  const records = limit === 0 ? [] : firstInOrder(candidates, limit, sorts);
  return { records, more: candidates.length > records.length, ...total };
}

/** A record with its position in the plan's order. */
interface Positioned {
  readonly record: StoredRecord;
  readonly position: PlanPosition;
}

/**
 * The first `count` entries in sort order. Few out of many (a page of 100 out of 100,000
 * matches) go through a bounded heap, so each entry costs one comparison with the worst kept
 * unless it belongs in the page; otherwise everything is sorted.
 */
function firstInOrder(entries: Positioned[], count: number, sorts: readonly PlanSort[]): StoredRecord[] {
  const order = (a: Positioned, b: Positioned): number => comparePositions(a.position, b.position, sorts);
  if (count * 8 >= entries.length) return entries.sort(order).slice(0, count).map((entry) => entry.record);
  // A max-heap of the best `count` so far: the root is the worst of them.
  const heap: Positioned[] = [];
  const siftUp = (at: number): void => {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (order(heap[at]!, heap[parent]!) <= 0) return;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  };
  const siftDown = (at: number): void => {
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let largest = at;
      if (left < heap.length && order(heap[left]!, heap[largest]!) > 0) largest = left;
      if (right < heap.length && order(heap[right]!, heap[largest]!) > 0) largest = right;
      if (largest === at) return;
      [heap[at], heap[largest]] = [heap[largest]!, heap[at]!];
      at = largest;
    }
  };
  for (const entry of entries) {
    if (heap.length < count) {
      heap.push(entry);
      siftUp(heap.length - 1);
    } else if (order(entry, heap[0]!) < 0) {
      heap[0] = entry;
      siftDown(0);
    }
  }
  return heap.sort(order).map((entry) => entry.record);
}

/**
 * The object types a predicate follows associations to, with the predicates to evaluate on
 * their records (for the reference evaluator's reads).
 */
function associationsIn(predicate: Predicate | undefined, found: Array<Extract<Predicate, { kind: 'association' }>> = []): typeof found {
  if (predicate === undefined) return found;
  switch (predicate.kind) {
    case 'and':
    case 'or':
      for (const part of predicate.of) associationsIn(part, found);
      break;
    case 'not':
      associationsIn(predicate.of, found);
      break;
    case 'association':
      found.push(predicate);
      break;
    default:
      break;
  }
  return found;
}

/** The static lists a predicate tests its own records against (not those of associated records). */
function listsNamedIn(predicate: Predicate | undefined, found: Set<string> = new Set()): Set<string> {
  if (predicate === undefined) return found;
  switch (predicate.kind) {
    case 'and':
    case 'or':
      for (const part of predicate.of) listsNamedIn(part, found);
      break;
    case 'not':
      listsNamedIn(predicate.of, found);
      break;
    case 'member':
      found.add(predicate.list);
      break;
    default:
      break;
  }
  return found;
}

/** The page size of the reference evaluator's scans. */
const SCAN_PAGE = 1_000;

/**
 * Answers a search plan from a storage's primitives alone (`scanRecords`, `getEdges`,
 * `getRecords`): reads every live record of the type and the associations the plan follows,
 * then matches, sorts and pages in memory. It defines what every adapter's `searchRecords` must
 * answer, and is the engine's fallback for an adapter without one.
 *
 * @example
 * import { evaluateSearch } from 'crmkit/storage';
 * const page = await evaluateSearch(tx, plan);
 */
export async function evaluateSearch(tx: StorageTx, plan: SearchPlan): Promise<SearchPage> {
  const records = await liveRecords(tx, plan.objectType);
  const graph = new SnapshotGraph();
  for (const record of records) graph.add(record);
  await graph.load(tx, plan.objectType, records, plan.where);
  const matching = plan.where === undefined ? records : records.filter((record) => matches(graph, record, plan.where!));
  return pageOf(plan, matching);
}

/**
 * Runs a plan on a storage: its own `searchRecords` when it has one, else {@link evaluateSearch}.
 *
 * @example
 * const { records, more } = await runSearch(tx, plan);
 */
export function runSearch(tx: StorageTx, plan: SearchPlan): Promise<SearchPage> | SearchPage {
  return tx.searchRecords ? tx.searchRecords(plan) : evaluateSearch(tx, plan);
}

/**
 * Every live record a plan matches, read page by page (each page resumes after the last record
 * of the one before), for the engine's own bulk work: no storage is asked for everything at once.
 *
 * @example
 * for await (const records of allMatches(tx, { objectType: 'contacts', where, sorts: [], limit: 1_000, total: false })) …
 */
export async function* allMatches(tx: StorageTx, plan: SearchPlan): AsyncGenerator<StoredRecord[]> {
  let after = plan.after;
  for (;;) {
    const page = await runSearch(tx, { ...plan, ...(after !== undefined ? { after } : {}) });
    if (page.records.length > 0) yield page.records;
    const last = page.records[page.records.length - 1];
    if (!page.more || last === undefined) return;
    after = positionOf(last, plan.sorts);
  }
}

/**
 * Every live record of a type, in scan order (read a page at a time): what the reference
 * evaluators start from.
 *
 * @example
 * const deals = await liveRecords(tx, 'deals');
 */
export async function liveRecords(tx: StorageTx, objectType: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  let after: string | undefined;
  do {
    const page = await tx.scanRecords(objectType, { limit: SCAN_PAGE, ...(after !== undefined ? { after } : {}) });
    for (const record of page.records) if (!record.archived) records.push(record);
    after = page.after;
  } while (after !== undefined);
  return records;
}

/**
 * The records and edges a plan follows, read from storage ahead of matching: the reference
 * evaluators' {@link PlanGraph}.
 *
 * @example
 * const graph = new SnapshotGraph();
 * for (const record of records) graph.add(record);
 * await graph.load(tx, 'contacts', records, plan.where);
 */
export class SnapshotGraph implements PlanGraph {
  private readonly records = new Map<string, StoredRecord>();
  private readonly edgeLists = new Map<string, readonly StoredEdge[]>();
  /** The static lists each record read for a `member` predicate is in. */
  private readonly memberships = new Map<string, readonly string[]>();

  add(record: StoredRecord): void {
    this.records.set(`${record.objectType}\u0000${record.id}`, record);
  }

  edges(objectType: string, id: string, toType: string): readonly StoredEdge[] {
    return this.edgeLists.get(`${objectType}\u0000${id}\u0000${toType}`) ?? [];
  }

  record(objectType: string, id: string): StoredRecord | undefined {
    const record = this.records.get(`${objectType}\u0000${id}`);
    return record === undefined || record.archived ? undefined : record;
  }

  inList(list: string, objectType: string, id: string): boolean {
    return this.memberships.get(`${objectType}\u0000${id}`)?.includes(list) ?? false;
  }

  /** Reads, for `records` of `objectType`, the edges and other ends every association predicate in `where` follows (nested ones too). */
  async load(tx: StorageTx, objectType: string, records: readonly StoredRecord[], where: Predicate | undefined): Promise<void> {
    if (records.length === 0) return;
    const ids = records.map((record) => record.id);
    if (listsNamedIn(where).size > 0) {
      const held = await listsIn(tx).of(objectType, ids);
      ids.forEach((id, at) => this.memberships.set(`${objectType}\u0000${id}`, held[at]!));
    }
    for (const predicate of associationsIn(where)) {
      const lists = await tx.getEdges(objectType, ids, predicate.toType);
      const otherIds = new Set<string>();
      ids.forEach((id, at) => {
        const live = lists[at]!.filter((edge) => !edge.archived);
        this.edgeLists.set(`${objectType}\u0000${id}\u0000${predicate.toType}`, live);
        for (const edge of live) otherIds.add(edge.toId);
      });
      const wanted = [...otherIds].filter((id) => !this.records.has(`${predicate.toType}\u0000${id}`));
      const others = wanted.length === 0 ? [] : await tx.getRecords(predicate.toType, wanted);
      for (const other of others) if (other !== undefined) this.add(other);
      const reached = [...otherIds].map((id) => this.records.get(`${predicate.toType}\u0000${id}`)).filter((other): other is StoredRecord => other !== undefined && !other.archived);
      await this.load(tx, predicate.toType, reached, predicate.where);
    }
  }
}
