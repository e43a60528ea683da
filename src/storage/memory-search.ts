// Search plans on the memory adapter: the reference evaluator's matcher (./evaluate.ts) run over
// the adapter's own maps, with indexes to find the candidates. An index is built the first time
// a plan filters or sorts by a property, whether or not the schema marks it `indexed` (HubSpot
// searches every property alike, and an index in memory costs a map, not a disk structure), and
// kept current by every write after that; a property no plan names costs nothing. Candidates
// only narrow the search: every candidate is still matched against the whole predicate, so an
// index can never change an answer, only its cost.
import { bucketsOf } from './aggregate.js';
import { compareText, compareValues, foldCase, matches, pageOf, type PlanGraph } from './evaluate.js';
import type { AggregateAnswer, AggregatePlan, PlanProperty, PlanValue, Predicate, SearchExplanation, SearchPage, SearchPlan } from './plan.js';
import type { StoredEdge, StoredRecord } from './types.js';

/**
 * The value an equality index files a stored value under: folded text for case-insensitive
 * properties, the value itself otherwise (a Map tells 5 from '5').
 */
function indexKey(property: PlanProperty, value: unknown): PlanValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (property.type === 'string') return foldCase(String(value));
  return value as PlanValue;
}

/**
 * One property's index over one type's live records: value → the positions holding it, and,
 * built when a range asks, the values in order. Archived records are not filed (no search reads
 * them), so a search answered by one index alone counts its matches without reading them.
 */
export class PropertyIndex {
  private readonly byValue = new Map<PlanValue, Set<number>>();
  private ordered: PlanValue[] | undefined;
  /**
   * Per value, its positions in record-id order: a sort walk reads a group of equal values in
   * that order, and with it stops at the page's end instead of ordering the whole group per
   * search. Made on the second walk of an unchanged value (`null` marks the first): a value
   * written between every two searches is ordered per search as before, only its matches.
   */
  private readonly idOrders = new Map<PlanValue, number[] | null>();
  /**
   * Per value, its positions as a bitmap (what a walk tests each position of another index
   * against: a byte read, where a Set lookup hashes), made on the second ask of an unchanged
   * value, as above. At most {@link MAX_BITMAPS}: each is as long as the table.
   */
  private readonly bitmaps = new Map<PlanValue, Uint8Array | null>();
  /** How many (value, position) pairs are filed: for a single-valued property, the positions with a value. */
  entries = 0;

  constructor(readonly property: PlanProperty) {}

  add(at: number, record: StoredRecord): void {
    if (record.archived) return; // searches read live records only: so the index holds only them
    this.each(record, (key) => {
      let positions = this.byValue.get(key);
      if (positions === undefined) {
        this.byValue.set(key, (positions = new Set()));
        this.ordered = undefined;
      }
      const size = positions.size;
      positions.add(at);
      this.entries += positions.size - size;
      this.changed(key);
    });
  }

  remove(at: number, record: StoredRecord): void {
    if (record.archived) return; // never filed
    this.each(record, (key) => {
      const positions = this.byValue.get(key);
      if (positions === undefined) return;
      if (positions.delete(at)) this.entries--;
      if (positions.size === 0) {
        this.byValue.delete(key);
        this.ordered = undefined;
      }
      this.changed(key);
    });
  }

  /** Drops what was derived from `key`'s positions. */
  private changed(key: PlanValue): void {
    if (this.idOrders.size > 0) this.idOrders.delete(key);
    if (this.bitmaps.size > 0) this.bitmaps.delete(key);
  }

  /**
   * The positions holding `key` in the order of their records' ids (`records`: the table's), or
   * `undefined` the first time an unchanged value is asked for (see `idOrders`).
   */
  positionsInIdOrder(key: PlanValue, records: readonly (StoredRecord | undefined)[]): readonly number[] | undefined {
    // A small group costs little to order per search, and most values of a unique property are one record each.
    if (this.positionsOf(key).size <= SMALL_GROUP) return undefined;
    const known = this.idOrders.get(key);
    if (known === undefined) {
      this.idOrders.set(key, null);
      return undefined;
    }
    if (known !== null) return known;
    // Filed positions always hold a live record: purges and archiving take them out first.
    const positions = [...this.positionsOf(key)].sort((a, b) => compareText(records[a]!.id, records[b]!.id));
    this.idOrders.set(key, positions);
    return positions;
  }

  /**
   * The positions holding `key` as a bitmap at least as long as their highest position, or
   * `undefined` the first time an unchanged value is asked for (see `bitmaps`).
   */
  bitmapOf(key: PlanValue, length: number): Uint8Array | undefined {
    const known = this.bitmaps.get(key);
    if (known === undefined) {
      if (this.bitmaps.size >= MAX_BITMAPS) this.bitmaps.clear();
      this.bitmaps.set(key, null);
      return undefined;
    }
    if (known !== null) return known;
    const bits = new Uint8Array(length);
    for (const at of this.positionsOf(key)) bits[at] = 1;
    this.bitmaps.set(key, bits);
    return bits;
  }

  private each(record: StoredRecord, fn: (key: PlanValue) => void): void {
    const stored = record.properties[this.property.name];
    if (stored === undefined || stored === null) return;
    if (Array.isArray(stored)) {
      for (const value of stored) {
        const key = indexKey(this.property, value);
        if (key !== undefined) fn(key);
      }
      return;
    }
    const key = indexKey(this.property, stored);
    if (key !== undefined) fn(key);
  }

  /** The positions holding one of `values` (values as a plan carries them: folded already). */
  equal(values: readonly PlanValue[]): number[] {
    const found: number[] = [];
    for (const value of new Set(values)) for (const at of this.byValue.get(value) ?? []) found.push(at);
    // A single-valued property files each record under one value: only a multi-select repeats.
    return values.length > 1 && this.property.multiple ? [...new Set(found)] : found;
  }

  /** Every value held, in the order plans sort them. */
  keysInOrder(): readonly PlanValue[] {
    this.ordered ??= [...this.byValue.keys()].sort(compareValues);
    return this.ordered;
  }

  /** The positions holding `key`. */
  positionsOf(key: PlanValue): ReadonlySet<number> {
    return this.byValue.get(key) ?? EMPTY;
  }

  /** The positions whose value compares with `value` as `op` says. */
  range(op: 'lt' | 'lte' | 'gt' | 'gte', value: PlanValue): number[] {
    const keys = this.keysInOrder();
    // The first key at or after `value` (or strictly after, for lte/gt).
    const strict = op === 'lte' || op === 'gt';
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareValues(keys[middle]!, value);
      if (order < 0 || (strict && order === 0)) low = middle + 1;
      else high = middle;
    }
    const chosen = op === 'lt' || op === 'lte' ? keys.slice(0, low) : keys.slice(low);
    const found = new Set<number>();
    for (const key of chosen) for (const at of this.byValue.get(key)!) found.add(at);
    return [...found];
  }
}

const EMPTY: ReadonlySet<number> = new Set();

/** Groups of equal values this small are ordered per search rather than kept in order. */
const SMALL_GROUP = 16;

/** How many values' bitmaps one index keeps (each is a byte per record of the table). */
const MAX_BITMAPS = 8;

/** What the search needs of one type's table in the memory adapter. */
export interface SearchableTable {
  readonly index: ReadonlyMap<string, number>;
  readonly records: readonly (StoredRecord | undefined)[];
  readonly edges: readonly (ReadonlyMap<string, ReadonlyMap<string, StoredEdge>> | undefined)[];
  /** The table's property indexes, by {@link indexName}. */
  readonly searchIndexes: Map<string, PropertyIndex>;
  /** Who holds this table's records under a label, by {@link labelIndexOf}'s key. */
  readonly labelIndexes: Map<string, LabelIndex>;
}

/**
 * The records of one type associated with each record of this table under one label (seen from
 * them), or under any: built when an association filter first asks, and rebuilt when it is asked
 * after any association changed (the storage's edge version moved). So "the contacts that hold
 * this company as primary" is a lookup, not a walk of the company's associations.
 */
export interface LabelIndex {
  readonly version: number;
  /** Position in this table → positions in the other type's table. */
  readonly bySource: readonly (readonly number[] | undefined)[];
  /** No record of the other type is held by two records of this table (the primary company's holders). */
  readonly distinct: boolean;
}

/** Looks a type's table up. */
export type Tables = (objectType: string) => SearchableTable | undefined;

/** Looks a static list's members (record ids) up. */
export type Lists = (objectType: string, list: string) => ReadonlySet<string> | undefined;

/** What one search reads: the tables, the matcher's graph over them, and the edge version (label indexes are valid while it holds). */
interface Reading {
  readonly tables: Tables;
  readonly lists: Lists;
  readonly graph: PlanGraph;
  readonly edgeVersion: number;
}

/**
 * The `type` records associated with each record of `other` under `label` seen from them ('' for
 * any label), from live associations.
 */
function labelIndexOf(reading: Reading, other: SearchableTable, type: string, table: SearchableTable, label: string): LabelIndex {
  const key = `${type}\u0000${label}`;
  const cached = other.labelIndexes.get(key);
  if (cached !== undefined && cached.version === reading.edgeVersion) return cached;
  // By position, like the tables' own columns: an array read is cheaper than a map lookup.
  const bySource: (number[] | undefined)[] = new Array<number[] | undefined>(other.edges.length).fill(undefined);
  const seen = new Uint8Array(table.records.length);
  let distinct = true;
  for (let source = 0; source < other.edges.length; source++) {
    const edges = other.edges[source]?.get(type);
    if (edges === undefined) continue;
    let held: number[] | undefined;
    for (const edge of edges.values()) {
      // Labels as the searched record sees them: the inverse of this edge's.
      if (edge.archived || (label !== '' && !edge.inverseLabels.includes(label))) continue;
      const at = table.index.get(edge.toId);
      if (at === undefined) continue;
      (held ??= []).push(at);
      if (seen[at] === 1) distinct = false;
      seen[at] = 1;
    }
    bySource[source] = held;
  }
  const index: LabelIndex = { version: reading.edgeVersion, bySource, distinct };
  other.labelIndexes.set(key, index);
  return index;
}

/**
 * The name of a property's index (its value type is part of it: a property never changes type,
 * but a type dropped and defined again may).
 *
 * @example
 * indexName(email); // 'email:string'
 */
export function indexName(property: PlanProperty): string {
  return `${property.name}:${property.type}`;
}

/** The table's index of `property`, built now if it was never asked for. */
function indexOf(table: SearchableTable, property: PlanProperty): PropertyIndex {
  const name = indexName(property);
  let index = table.searchIndexes.get(name);
  if (index === undefined) {
    index = new PropertyIndex(property);
    for (let at = 0; at < table.records.length; at++) {
      const record = table.records[at];
      if (record !== undefined) index.add(at, record);
    }
    table.searchIndexes.set(name, index);
  }
  return index;
}

/**
 * Candidate positions for a predicate, how they were found, and what is left to check of each
 * (`residual`: nothing when every live record at those positions matches). `undefined`: every
 * record must be read.
 */
interface Candidates {
  /** A list, or an index's own set (never changed while a search reads it). */
  readonly positions: readonly number[] | ReadonlySet<number>;
  readonly via: string;
  readonly residual: Predicate | undefined;
  /** Every position holds a live record (positions from the property indexes, which file no other). */
  readonly live?: true;
  /** The positions are exactly this index's for this value: membership can be its bitmap. */
  readonly filed?: { readonly index: PropertyIndex; readonly key: PlanValue };
}

/** The conjunction of predicates, `undefined` for none. */
function allOf(parts: readonly Predicate[]): Predicate | undefined {
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { kind: 'and', of: parts };
}

/** Whether any of the label indexes has holders for `source`. */
function heldByAny(held: readonly LabelIndex[], source: number): boolean {
  for (const index of held) if (index.bySource[source] !== undefined) return true;
  return false;
}

/** How many positions candidates hold. */
function sizeOf(candidates: Candidates): number {
  const { positions } = candidates;
  return 'size' in positions ? positions.size : positions.length;
}

/**
 * The positions of `type`'s records that may match `predicate` (a superset of the matches), when
 * an index or the association graph can say without reading every record.
 */
function candidatesOf(reading: Reading, type: string, predicate: Predicate): Candidates | undefined {
  const table = reading.tables(type);
  if (table === undefined) return { positions: [], via: 'empty', residual: undefined };
  switch (predicate.kind) {
    case 'and': {
      const found = predicate.of.map((part) => candidatesOf(reading, type, part));
      let bestPart = -1;
      found.forEach((candidates, at) => {
        if (candidates !== undefined && (bestPart < 0 || sizeOf(candidates) < sizeOf(found[bestPart]!))) bestPart = at;
      });
      if (bestPart < 0) return undefined;
      const chosen = found[bestPart]!;
      // The other parts found exactly (an index, the association graph) narrow the smallest set by
      // membership, a lookup per candidate, where testing their predicates would follow each
      // candidate's associations: "segment 7 whose primary company builds software" keeps the
      // segment's contacts that the software companies' primary holders include.
      const exact = found.filter((candidates, at): candidates is Candidates => at !== bestPart && candidates !== undefined && candidates.residual === undefined);
      const rest = predicate.of.filter((_, at) => at !== bestPart && !exact.includes(found[at]!));
      const residual = allOf(chosen.residual === undefined ? rest : [chosen.residual, ...rest]);
      const live = chosen.live ? ({ live: true } as const) : {};
      if (exact.length === 0) return { positions: chosen.positions, via: chosen.via, residual, ...live, ...(chosen.filed ? { filed: chosen.filed } : {}) };
      const members = exact.map((candidates) => new Eligible(candidates.positions, table.records.length));
      const positions: number[] = [];
      for (const at of chosen.positions) if (members.every((member) => member.has(at))) positions.push(at);
      return { positions, via: [chosen.via, ...exact.map((candidates) => candidates.via)].join(' ∩ '), residual, ...live };
    }
    case 'or': {
      const union = new Set<number>();
      const via: string[] = [];
      let exact = true;
      let live = true;
      for (const part of predicate.of) {
        const found = candidatesOf(reading, type, part);
        if (found === undefined) return undefined;
        for (const at of found.positions) union.add(at);
        via.push(found.via);
        if (found.residual !== undefined) exact = false;
        if (!found.live) live = false;
      }
      return { positions: [...union], via: `union of (${via.join(', ')})`, residual: exact ? undefined : predicate, ...(live ? { live } : {}) };
    }
    case 'compare': {
      const index = indexOf(table, predicate.property);
      const via = `index ${type}.${predicate.property.name} (${predicate.op})`;
      if (predicate.op === 'eq') return { positions: index.positionsOf(predicate.value), via, residual: undefined, live: true, filed: { index, key: predicate.value } };
      return { positions: index.range(predicate.op, predicate.value), via, residual: undefined, live: true };
    }
    case 'in':
      return { positions: indexOf(table, predicate.property).equal(predicate.values), via: `index ${type}.${predicate.property.name} (in)`, residual: undefined, live: true };
    case 'association':
      return associatedCandidates(reading, type, table, predicate);
    case 'member': {
      // A static list names its records: they are the candidates, and exactly the matches.
      const positions: number[] = [];
      for (const id of reading.lists(type, predicate.list) ?? []) {
        const at = table.index.get(id);
        if (at !== undefined) positions.push(at);
      }
      return { positions, via: `list ${predicate.list}`, residual: undefined };
    }
    default:
      return undefined;
  }
}

/**
 * Candidates reached backwards through the association graph: the records associated with the
 * record `id`, or with the `toType` records that match the nested filter (found by their own
 * candidates, or by reading that type when it is no bigger than this one). For `any`, what is
 * reached is exactly what matches.
 */
function associatedCandidates(reading: Reading, type: string, table: SearchableTable, predicate: Extract<Predicate, { kind: 'association' }>): Candidates | undefined {
  if (predicate.match !== 'any') return undefined;
  const other = reading.tables(predicate.toType);
  if (other === undefined) return { positions: [], via: 'empty', residual: undefined };
  let sources: Iterable<number>;
  let check: Predicate | undefined = predicate.where;
  let via: string;
  if (predicate.id !== undefined) {
    const at = other.index.get(predicate.id);
    sources = at === undefined ? [] : [at];
    via = `associations of ${predicate.toType} ${predicate.id}`;
  } else {
    const nested = predicate.where === undefined ? undefined : candidatesOf(reading, predicate.toType, predicate.where);
    if (nested === undefined && other.index.size > table.index.size) return undefined;
    if (nested === undefined) {
      sources = other.index.values();
      via = `associations of the ${predicate.toType} records that match, read in full`;
    } else {
      sources = nested.positions;
      check = nested.residual;
      via = `associations of ${predicate.toType} records from ${nested.via}`;
    }
  }
  const held = (predicate.labels ?? ['']).map((label) => labelIndexOf(reading, other, type, table, label));
  // One index in which no record is held twice (the primary's holders): a list, no set needed.
  const list: number[] | undefined = held.length === 1 && held[0]!.distinct ? [] : undefined;
  const found = list ?? new Set<number>();
  for (const source of sources) {
    const record = other.records[source];
    if (record === undefined || record.archived || !heldByAny(held, source)) continue;
    if (check !== undefined && !matches(reading.graph, record, check)) continue;
    for (const index of held) {
      const positions = index.bySource[source];
      if (positions === undefined) continue;
      if (list !== undefined) for (const at of positions) list.push(at);
      else for (const at of positions) (found as Set<number>).add(at);
    }
  }
  return { positions: list ?? [...found], via: `${via}, through ${predicate.labels ? `the ${predicate.labels.join('/')} label index` : 'the association index'}`, residual: undefined };
}

/**
 * The memory adapter's graph for the matcher, straight from its maps. A class rather than an
 * object of closures made per search: the hot loops below call into it thousands of times, and
 * V8 keeps what it learns about a class's methods from one search to the next.
 */
class TablesGraph implements PlanGraph {
  constructor(
    private readonly tables: Tables,
    private readonly lists: Lists,
  ) {}

  inList(list: string, objectType: string, id: string): boolean {
    return this.lists(objectType, list)?.has(id) ?? false;
  }

  edges(objectType: string, id: string, toType: string): Iterable<StoredEdge> {
    const table = this.tables(objectType);
    const at = table?.index.get(id);
    return (at === undefined ? undefined : table!.edges[at]?.get(toType)?.values()) ?? [];
  }

  record(objectType: string, id: string): StoredRecord | undefined {
    const table = this.tables(objectType);
    const at = table?.index.get(id);
    const record = at === undefined ? undefined : table!.records[at];
    return record === undefined || record.archived ? undefined : record;
  }
}

/** Whether the record at a position is live and passes what is left to check (a class, for the reason {@link TablesGraph} is). */
class Matcher {
  constructor(
    readonly table: SearchableTable,
    private readonly graph: PlanGraph,
    private readonly check: Predicate | undefined,
  ) {}

  test(at: number): boolean {
    const record = this.table.records[at];
    return record !== undefined && !record.archived && (this.check === undefined || matches(this.graph, record, this.check));
  }

  /** How many of the candidates' positions (every position without them) pass. */
  count(candidates: Candidates | undefined): number {
    // Live records with nothing left to check all pass: no record need be read.
    if (candidates?.live && this.check === undefined) return sizeOf(candidates);
    const positions = candidates?.positions;
    let total = 0;
    if (positions === undefined) {
      for (let at = 0; at < this.table.records.length; at++) if (this.test(at)) total++;
    } else {
      for (const at of positions) if (this.test(at)) total++;
    }
    return total;
  }
}

/**
 * Answers a plan from the memory adapter's tables: candidates from an index or the graph when
 * one applies, else every record; each candidate matched in full; then sorted and paged as the
 * reference evaluator does.
 *
 * @example
 * const page = searchTables((type) => state.types.get(type), state.edgeVersion, plan);
 */
export function searchTables(tables: Tables, edgeVersion: number, plan: SearchPlan, lists: Lists = () => undefined): SearchPage {
  const table = tables(plan.objectType);
  if (table === undefined) return pageOf(plan, []);
  const graph = new TablesGraph(tables, lists);
  const candidates = plan.where === undefined ? undefined : candidatesOf({ tables, lists, graph, edgeVersion }, plan.objectType, plan.where);
  const matcher = new Matcher(table, graph, candidates === undefined ? plan.where : candidates.residual);
  // A count: no record is read into a list.
  if (Math.floor(plan.limit) <= 0 && plan.after === undefined) {
    const total = matcher.count(candidates);
    return { records: [], more: total > 0, ...(plan.total ? { total } : {}) };
  }
  const walked = walkSortIndex(plan, candidates, matcher);
  if (walked !== undefined) return walked;
  return pageOf(plan, matchingRecords(table, matcher, candidates));
}

/**
 * Answers an aggregate plan from the memory adapter's tables: the matching records found as a
 * search finds them (candidates from an index or the graph, each matched in full), then counted
 * by the reference's {@link bucketsOf} over the adapter's own graph.
 *
 * @example
 * const { buckets } = aggregateTables((type) => state.types.get(type), state.edgeVersion, plan);
 */
export function aggregateTables(tables: Tables, edgeVersion: number, plan: AggregatePlan, lists: Lists = () => undefined): AggregateAnswer {
  const table = tables(plan.objectType);
  if (table === undefined) return { buckets: [] };
  const graph = new TablesGraph(tables, lists);
  const candidates = plan.where === undefined ? undefined : candidatesOf({ tables, lists, graph, edgeVersion }, plan.objectType, plan.where);
  const matcher = new Matcher(table, graph, candidates === undefined ? plan.where : candidates.residual);
  return bucketsOf(plan, graph, matchingRecords(table, matcher, candidates));
}

/** The records the matcher passes, among the candidates (every record without them). */
function matchingRecords(table: SearchableTable, matcher: Matcher, candidates: Candidates | undefined): StoredRecord[] {
  const matching: StoredRecord[] = [];
  if (candidates === undefined) {
    for (let at = 0; at < table.records.length; at++) if (matcher.test(at)) matching.push(table.records[at]!);
  } else {
    for (const at of candidates.positions) if (matcher.test(at)) matching.push(table.records[at]!);
  }
  return matching;
}

/**
 * Membership of candidate positions: an index's own set as it is (or the index's bitmap of it,
 * once kept), a list as a bitmap (far cheaper to build than a set).
 */
class Eligible {
  private readonly set: ReadonlySet<number> | undefined;
  private readonly bits: Uint8Array | undefined;

  constructor(positions: readonly number[] | ReadonlySet<number>, length: number, filed?: Candidates['filed']) {
    const kept = filed?.index.bitmapOf(filed.key, length);
    if (kept !== undefined) this.bits = kept;
    else if ('size' in positions) this.set = positions;
    else {
      this.bits = new Uint8Array(length);
      for (const at of positions) this.bits[at] = 1;
    }
  }

  has(at: number): boolean {
    return this.set !== undefined ? this.set.has(at) : this.bits![at] === 1;
  }
}

/** The page being filled by {@link walkSortIndex}, one group of equal sort values at a time. */
class PageFill {
  readonly records: StoredRecord[] = [];
  more = false;

  constructor(
    private readonly limit: number,
    private readonly matcher: Matcher,
    private readonly eligible: Eligible | undefined,
  ) {}

  /** The record at `at` when it is a candidate, matches, and comes after `fromId` (ties resume by id). */
  private candidate(at: number, fromId: string | undefined): StoredRecord | undefined {
    if (this.eligible !== undefined && !this.eligible.has(at)) return undefined;
    if (!this.matcher.test(at)) return undefined;
    const record = this.matcher.table.records[at]!;
    return fromId !== undefined && compareText(record.id, fromId) <= 0 ? undefined : record;
  }

  /** Puts `record` on the page; false, with `more` set, when the page was full already. */
  private add(record: StoredRecord): boolean {
    if (this.records.length === this.limit) {
      this.more = true;
      return false;
    }
    this.records.push(record);
    return true;
  }

  /**
   * Takes the matching records of one group already in id order, after `fromId`, stopping where
   * the page fills; false once it is full.
   */
  takeOrdered(positions: readonly number[], fromId: string | undefined): boolean {
    for (const at of positions) {
      const record = this.candidate(at, fromId);
      if (record !== undefined && !this.add(record)) return false;
    }
    return true;
  }

  /** Takes the matching records of one group (one value, or no value) in id order, after `fromId`; false once the page is full. */
  take(positions: Iterable<number>, fromId: string | undefined): boolean {
    const group: StoredRecord[] = [];
    for (const at of positions) {
      const record = this.candidate(at, fromId);
      if (record !== undefined) group.push(record);
    }
    if (group.length > 1) group.sort(byId);
    for (const record of group) if (!this.add(record)) return false;
    return true;
  }
}

function byId(a: StoredRecord, b: StoredRecord): number {
  return compareText(a.id, b.id);
}

/**
 * A page read off the sort property's index, for a plan sorted by one single-valued property with more
 * matches than a few pages: the index's values are walked in the plan's direction (ties by id)
 * until the page and one more are found, instead of ordering every match. The total still counts
 * every match. `undefined` when the plan does not suit it.
 */
function walkSortIndex(plan: SearchPlan, candidates: Candidates | undefined, matcher: Matcher): SearchPage | undefined {
  const { table } = matcher;
  const [sort] = plan.sorts;
  const limit = Math.max(0, Math.floor(plan.limit));
  if (plan.sorts.length !== 1 || sort!.property.multiple || limit === 0) return undefined;
  const size = candidates === undefined ? table.index.size : sizeOf(candidates);
  // Few matches are cheaper to order than to find by walking the whole index.
  if (size <= limit * 4) return undefined;
  const total = plan.total ? matcher.count(candidates) : 0;
  const fill = new PageFill(limit, matcher, candidates === undefined ? undefined : new Eligible(candidates.positions, table.records.length, candidates.filed));
  const index = indexOf(table, sort!.property);
  const keys = index.keysInOrder();
  const descending = sort!.direction === 'desc';
  const after = plan.after;
  const afterValue = after === undefined ? undefined : (after.values[0] ?? null);
  const answer = (): SearchPage => ({ records: fill.records, more: fill.more, ...(plan.total ? { total } : {}) });
  // Values in the plan's direction; a position's own value resumes after its id.
  if (afterValue !== null) {
    // Where the walk starts: the first value not before the position's (a binary search).
    let start = 0;
    if (afterValue !== undefined) {
      let low = 0;
      let high = keys.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        const key = keys[descending ? keys.length - 1 - middle : middle]!;
        const order = compareValues(key, afterValue);
        if (descending ? order > 0 : order < 0) low = middle + 1;
        else high = middle;
      }
      start = low;
    }
    for (let step = start; step < keys.length; step++) {
      const key = keys[descending ? keys.length - 1 - step : step]!;
      const fromId = afterValue !== undefined && compareValues(key, afterValue) === 0 ? after!.id : undefined;
      const ordered = index.positionsInIdOrder(key, table.records);
      if (!(ordered !== undefined ? fill.takeOrdered(ordered, fromId) : fill.take(index.positionsOf(key), fromId))) return answer();
    }
  }
  // Records without a value come last, in either direction; when every record has one (the create
  // date), there is nothing to look for.
  if (!sort!.property.multiple && index.entries >= table.index.size) return answer();
  const missing: number[] = [];
  const name = sort!.property.name;
  for (const at of candidates?.positions ?? table.index.values()) {
    const value = table.records[at]?.properties[name];
    if (value === undefined || value === null) missing.push(at);
  }
  fill.take(missing, afterValue === null ? after!.id : undefined);
  return answer();
}

/**
 * How {@link searchTables} would answer a plan: the index or association path it starts from,
 * or a scan.
 *
 * @example
 * explainTables(tables, state.edgeVersion, plan); // { storage: 'memory', strategy: 'index', index: 'index contacts.email (eq)', candidates: 1 }
 */
export function explainTables(tables: Tables, edgeVersion: number, plan: SearchPlan, lists: Lists = () => undefined): SearchExplanation {
  const table = tables(plan.objectType);
  const candidates =
    plan.where === undefined || table === undefined ? undefined : candidatesOf({ tables, lists, graph: new TablesGraph(tables, lists), edgeVersion }, plan.objectType, plan.where);
  if (candidates === undefined) return { storage: 'memory', strategy: 'scan', records: table?.index.size ?? 0 };
  return {
    storage: 'memory',
    strategy: candidates.via.startsWith('index') || candidates.via.startsWith('union') ? 'index' : candidates.via.startsWith('list') ? 'list' : 'associations',
    index: candidates.via,
    candidates: sizeOf(candidates),
    ...(candidates.residual !== undefined ? { residual: candidates.residual } : {}),
  };
}
