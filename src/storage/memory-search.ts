// Search plans on the memory adapter: the reference evaluator's matcher (./evaluate.ts) run over
// the adapter's own maps, with indexes to find the candidates. An index is built the first time
// a plan asks for one (`indexed` properties: the schema's indexed, unique, key and system
// properties) and kept current by every write after that. Candidates only narrow the search:
// every candidate is still matched against the whole predicate, so an index can never change an
// answer, only its cost.
import { compareText, compareValues, foldCase, matches, pageOf, type PlanGraph } from './evaluate.js';
import type { PlanProperty, PlanValue, Predicate, SearchExplanation, SearchPage, SearchPlan } from './plan.js';
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
 * One property's index over one type's records: value → the positions holding it, and, built
 * when a range asks, the values in order.
 */
export class PropertyIndex {
  private readonly byValue = new Map<PlanValue, Set<number>>();
  private ordered: PlanValue[] | undefined;

  constructor(readonly property: PlanProperty) {}

  add(at: number, record: StoredRecord): void {
    this.each(record, (key) => {
      let positions = this.byValue.get(key);
      if (positions === undefined) {
        this.byValue.set(key, (positions = new Set()));
        this.ordered = undefined;
      }
      positions.add(at);
    });
  }

  remove(at: number, record: StoredRecord): void {
    this.each(record, (key) => {
      const positions = this.byValue.get(key);
      if (positions === undefined) return;
      positions.delete(at);
      if (positions.size === 0) {
        this.byValue.delete(key);
        this.ordered = undefined;
      }
    });
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
    for (const value of values) for (const at of this.byValue.get(value) ?? []) found.push(at);
    return values.length > 1 ? [...new Set(found)] : found;
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
  readonly bySource: ReadonlyMap<number, readonly number[]>;
  /** No record of the other type is held by two records of this table (the primary company's holders). */
  readonly distinct: boolean;
}

/** Looks a type's table up. */
export type Tables = (objectType: string) => SearchableTable | undefined;

/** What one search reads: the tables, the matcher's graph over them, and the edge version (label indexes are valid while it holds). */
interface Reading {
  readonly tables: Tables;
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
  const bySource = new Map<number, number[]>();
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
    if (held !== undefined) bySource.set(source, held);
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
}

/** The conjunction of predicates, `undefined` for none. */
function allOf(parts: readonly Predicate[]): Predicate | undefined {
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { kind: 'and', of: parts };
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
      let best: Candidates | undefined;
      let bestPart = -1;
      predicate.of.forEach((part, at) => {
        const found = candidatesOf(reading, type, part);
        if (found !== undefined && (best === undefined || sizeOf(found) < sizeOf(best))) {
          best = found;
          bestPart = at;
        }
      });
      if (best === undefined) return undefined;
      const chosen: Candidates = best;
      const rest = predicate.of.filter((_, at) => at !== bestPart);
      return { positions: chosen.positions, via: chosen.via, residual: allOf(chosen.residual === undefined ? rest : [chosen.residual, ...rest]) };
    }
    case 'or': {
      const union = new Set<number>();
      const via: string[] = [];
      let exact = true;
      for (const part of predicate.of) {
        const found = candidatesOf(reading, type, part);
        if (found === undefined) return undefined;
        for (const at of found.positions) union.add(at);
        via.push(found.via);
        if (found.residual !== undefined) exact = false;
      }
      return { positions: [...union], via: `union of (${via.join(', ')})`, residual: exact ? undefined : predicate };
    }
    case 'compare': {
      if (!predicate.property.indexed) return undefined;
      const index = indexOf(table, predicate.property);
      const positions = predicate.op === 'eq' ? index.positionsOf(predicate.value) : index.range(predicate.op, predicate.value);
      return { positions, via: `index ${type}.${predicate.property.name} (${predicate.op})`, residual: undefined };
    }
    case 'in':
      if (!predicate.property.indexed) return undefined;
      return { positions: indexOf(table, predicate.property).equal(predicate.values), via: `index ${type}.${predicate.property.name} (in)`, residual: undefined };
    case 'association':
      return associatedCandidates(reading, type, table, predicate);
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
    if (record === undefined || record.archived) continue;
    if (held.every((index) => !index.bySource.has(source))) continue;
    if (check !== undefined && !matches(reading.graph, record, check)) continue;
    for (const index of held) {
      const positions = index.bySource.get(source);
      if (positions === undefined) continue;
      if (list !== undefined) for (const at of positions) list.push(at);
      else for (const at of positions) (found as Set<number>).add(at);
    }
  }
  return { positions: list ?? [...found], via: `${via}, through ${predicate.labels ? `the ${predicate.labels.join('/')} label index` : 'the association index'}`, residual: undefined };
}

/** The memory adapter's graph for the matcher: straight from its maps. */
function graphOf(tables: Tables): PlanGraph {
  return {
    edges(objectType, id, toType) {
      const table = tables(objectType);
      const at = table?.index.get(id);
      return (at === undefined ? undefined : table!.edges[at]?.get(toType)?.values()) ?? [];
    },
    record(objectType, id) {
      const table = tables(objectType);
      const at = table?.index.get(id);
      const record = at === undefined ? undefined : table!.records[at];
      return record === undefined || record.archived ? undefined : record;
    },
  };
}

/**
 * Answers a plan from the memory adapter's tables: candidates from an index or the graph when
 * one applies, else every record; each candidate matched in full; then sorted and paged as the
 * reference evaluator does.
 *
 * @example
 * const page = searchTables((type) => state.types.get(type), state.edgeVersion, plan);
 */
export function searchTables(tables: Tables, edgeVersion: number, plan: SearchPlan): SearchPage {
  const table = tables(plan.objectType);
  if (table === undefined) return pageOf(plan, []);
  const graph = graphOf(tables);
  const reading: Reading = { tables, graph, edgeVersion };
  const candidates = plan.where === undefined ? undefined : candidatesOf(reading, plan.objectType, plan.where);
  const check = candidates === undefined ? plan.where : candidates.residual;
  const isMatch = (at: number): boolean => {
    const record = table.records[at];
    return record !== undefined && !record.archived && (check === undefined || matches(graph, record, check));
  };
  // A count: no record is read into a list.
  if (Math.floor(plan.limit) <= 0 && plan.after === undefined) {
    let total = 0;
    if (candidates === undefined) for (let at = 0; at < table.records.length; at++) total += isMatch(at) ? 1 : 0;
    else for (const at of candidates.positions) total += isMatch(at) ? 1 : 0;
    return { records: [], more: total > 0, ...(plan.total ? { total } : {}) };
  }
  const walked = walkSortIndex(table, plan, candidates, isMatch);
  if (walked !== undefined) return walked;
  const matching: StoredRecord[] = [];
  if (candidates === undefined) {
    for (let at = 0; at < table.records.length; at++) if (isMatch(at)) matching.push(table.records[at]!);
  } else {
    for (const at of candidates.positions) if (isMatch(at)) matching.push(table.records[at]!);
  }
  return pageOf(plan, matching);
}

/**
 * A page read off the sort property's index, for a plan sorted by one indexed property with more
 * matches than a few pages: the index's values are walked in the plan's direction (ties by id)
 * until the page and one more are found, instead of ordering every match. The total still counts
 * every match. `undefined` when the plan does not suit it.
 */
function walkSortIndex(table: SearchableTable, plan: SearchPlan, candidates: Candidates | undefined, isMatch: (at: number) => boolean): SearchPage | undefined {
  const [sort] = plan.sorts;
  const limit = Math.max(0, Math.floor(plan.limit));
  if (plan.sorts.length !== 1 || !sort!.property.indexed || sort!.property.multiple || limit === 0) return undefined;
  // Membership of the candidates: an index's own set as it is, a list as a bitmap (far cheaper to build than a set).
  let eligible: { has(at: number): boolean } | undefined;
  if (candidates !== undefined) {
    if ('size' in candidates.positions) eligible = candidates.positions;
    else {
      const bits = new Uint8Array(table.records.length);
      for (const at of candidates.positions) bits[at] = 1;
      eligible = { has: (at) => bits[at] === 1 };
    }
  }
  const size = candidates === undefined ? table.index.size : sizeOf(candidates);
  // Few matches are cheaper to order than to find by walking the whole index.
  if (size <= limit * 4) return undefined;
  let total = 0;
  if (plan.total) {
    if (candidates === undefined) for (let at = 0; at < table.records.length; at++) total += isMatch(at) ? 1 : 0;
    else for (const at of candidates.positions) total += isMatch(at) ? 1 : 0;
  }
  const index = indexOf(table, sort!.property);
  const keys = index.keysInOrder();
  const descending = sort!.direction === 'desc';
  const after = plan.after;
  const afterValue = after === undefined ? undefined : (after.values[0] ?? null);
  const page: StoredRecord[] = [];
  let more = false;
  /** Takes the matching records of one group (one value, or no value) in id order, after the position; false once the page is full. */
  const take = (positions: Iterable<number>, fromId: string | undefined): boolean => {
    const group: StoredRecord[] = [];
    for (const at of positions) {
      if (eligible !== undefined && !eligible.has(at)) continue;
      if (!isMatch(at)) continue;
      const record = table.records[at]!;
      if (fromId !== undefined && compareText(record.id, fromId) <= 0) continue;
      group.push(record);
    }
    group.sort((a, b) => compareText(a.id, b.id));
    for (const record of group) {
      if (page.length === limit) {
        more = true;
        return false;
      }
      page.push(record);
    }
    return true;
  };
  // Values in the plan's direction; a position's own value resumes after its id.
  if (afterValue !== null) {
    for (let step = 0; step < keys.length; step++) {
      const key = keys[descending ? keys.length - 1 - step : step]!;
      let fromId: string | undefined;
      if (afterValue !== undefined) {
        const order = compareValues(key, afterValue);
        if (descending ? order > 0 : order < 0) continue;
        if (order === 0) fromId = after!.id;
      }
      if (!take(index.positionsOf(key), fromId)) return { records: page, more, ...(plan.total ? { total } : {}) };
    }
  }
  // Records without a value come last, in either direction.
  const missing: number[] = [];
  const name = sort!.property.name;
  const all = candidates?.positions ?? table.index.values();
  for (const at of all) {
    const value = table.records[at]?.properties[name];
    if (value === undefined || value === null) missing.push(at);
  }
  take(missing, afterValue === null ? after!.id : undefined);
  return { records: page, more, ...(plan.total ? { total } : {}) };
}

/**
 * How {@link searchTables} would answer a plan: the index or association path it starts from,
 * or a scan.
 *
 * @example
 * explainTables(tables, state.edgeVersion, plan); // { storage: 'memory', strategy: 'index', index: 'index contacts.email (eq)', candidates: 1 }
 */
export function explainTables(tables: Tables, edgeVersion: number, plan: SearchPlan): SearchExplanation {
  const table = tables(plan.objectType);
  const candidates = plan.where === undefined || table === undefined ? undefined : candidatesOf({ tables, graph: graphOf(tables), edgeVersion }, plan.objectType, plan.where);
  if (candidates === undefined) return { storage: 'memory', strategy: 'scan', records: table?.index.size ?? 0 };
  return {
    storage: 'memory',
    strategy: candidates.via.startsWith('index') || candidates.via.startsWith('union') ? 'index' : 'associations',
    index: candidates.via,
    candidates: sizeOf(candidates),
    ...(candidates.residual !== undefined ? { residual: candidates.residual } : {}),
  };
}
