// The in-memory storage adapter: crmkit's default and its fastest. Records live in columns per
// object type (docs/decisions/0002); every mutation inside a transaction pushes its inverse onto
// an undo log, so a failed transaction (or savepoint) is rolled back by replaying the log
// backwards. Transactions run one at a time, which makes them serialisable without any further
// locking.
import { CrmError } from '../errors.js';
import { StorageCursors, edgePageScope } from './cursor.js';
import { aggregateTables, explainTables, searchTables, type LabelIndex, type PropertyIndex } from './memory-search.js';
import type { AggregateAnswer, AggregatePlan, SearchExplanation, SearchPage, SearchPlan } from './plan.js';
import type {
  EdgeEnds,
  EdgeHistoryEntry,
  EdgePage,
  EdgePageRequest,
  EdgeScanRequest,
  HistoryEntry,
  KeyClaim,
  KeyConflict,
  ScanRequest,
  ScanResult,
  Storage,
  StorageTx,
  StoredEdge,
  StoredRecord,
} from './types.js';

/**
 * A record's first history entry when it can be rebuilt from the record itself: written at the
 * record's creation time with exactly the record's properties (what a create writes). Only the
 * source is kept, shared by a whole batch; the entry is rebuilt on read, and for good before
 * the record is replaced.
 */
class CreationEntry {
  constructor(readonly source: HistoryEntry['source']) {}

  entryFor(record: StoredRecord): HistoryEntry {
    return { objectType: record.objectType, id: record.id, timestamp: record.createdAt, source: this.source, values: record.properties };
  }
}

/** Property history of one record: most records (created, never changed) hold one entry, kept without an array. */
type History = CreationEntry | HistoryEntry | HistoryEntry[];

function historyList(history: History | undefined, record: StoredRecord): HistoryEntry[] {
  if (history === undefined) return [];
  if (history instanceof CreationEntry) return [history.entryFor(record)];
  return Array.isArray(history) ? history : [history];
}

/** One record's associations: other type → other id → edge (Maps keep the order they were made). */
type Adjacency = Map<string, Map<string, StoredEdge>>;

/**
 * Everything stored for one object type, in columns indexed by a record's position (its place
 * in scan order, fixed at insert): no object per record besides the record itself. A purged
 * record leaves a hole so later positions never move.
 *
 * Forks share tables copy-on-write (docs/decisions/0017-fork.md). A fork gives the parent and
 * the fork each a table object over the same columns, both `shared`: the first write to either
 * copies the arrays it holds ({@link own}: shallow, microseconds at 10,000 records), never the
 * records; inserts and purges also copy the id index ({@link ownIndex}). The containers inside a
 * slot (a record's associations, its history arrays) and the key namespaces stay shared after
 * that: a write copies only the one it changes, and `owned` remembers which it may change in place. Reads never check any of this, so they cost what they
 * did before forks shared anything.
 */
class TypeTable {
  /** id → position. */
  index = new Map<string, number>();
  /** By position; `undefined` where a record was purged. */
  records: (StoredRecord | undefined)[] = [];
  history: (History | undefined)[] = [];
  edges: (Adjacency | undefined)[] = [];
  edgeHistory: (EdgeHistoryEntry[] | undefined)[] = [];
  /** key namespace → normalised value → holding record id. */
  keys = new Map<string, Map<string, string>>();
  /**
   * Property indexes searches asked for (./memory-search.ts), kept current by every write from
   * then on. Never shared: a fork builds its own when its searches ask.
   */
  readonly searchIndexes = new Map<string, PropertyIndex>();
  /** Association indexes searches asked for (./memory-search.ts), valid while the edge version holds. */
  readonly labelIndexes = new Map<string, LabelIndex>();
  /** The columns above are another table's too (a fork's or its parent's): copy before writing. */
  private shared = false;
  /**
   * The id → position Map is another table's too. Apart from the other columns because it is
   * the one that costs (about 2 ms at 10,000 ids, where an array copies in microseconds) and
   * only inserts and purges change it: a fork that updates and associates never copies it.
   */
  private sharedIndex = false;
  /**
   * The containers (adjacency Maps, history arrays, key namespaces) this table made or copied since it was
   * last forked, which it alone holds; `undefined`: never forked, every container is its own.
   */
  private owned: WeakSet<object> | undefined;

  /** Files a record stored at `at` in the search indexes. */
  indexRecord(at: number, record: StoredRecord): void {
    for (const index of this.searchIndexes.values()) index.add(at, record);
  }

  /** Takes a record stored at `at` out of the search indexes. */
  unindexRecord(at: number, record: StoredRecord): void {
    for (const index of this.searchIndexes.values()) index.remove(at, record);
  }

  /**
   * A table for a fork over the same columns and containers; from now on neither this table nor
   * the fork's may change them in place.
   */
  fork(): TypeTable {
    const copy = new TypeTable();
    copy.index = this.index;
    copy.records = this.records;
    copy.history = this.history;
    copy.edges = this.edges;
    copy.edgeHistory = this.edgeHistory;
    copy.keys = this.keys;
    copy.shared = this.shared = true;
    copy.sharedIndex = this.sharedIndex = true;
    copy.owned = new WeakSet();
    this.owned = new WeakSet();
    return copy;
  }

  /** Makes the columns this table's alone (a no-op once they are): every write calls it before writing. */
  own(): this {
    if (!this.shared) return this;
    this.records = this.records.slice();
    this.history = this.history.slice();
    this.edges = this.edges.slice();
    this.edgeHistory = this.edgeHistory.slice();
    // Each key namespace is copied when first written ({@link keyMap}): a write rarely touches them all.
    this.keys = new Map(this.keys);
    this.shared = false;
    return this;
  }

  /** The values of one key namespace, this table's own to change (copied when a fork shares it); made when missing if `make`. */
  keyMap(key: string, make: boolean): Map<string, string> | undefined {
    let held = this.keys.get(key);
    if (held === undefined) {
      if (make) this.keys.set(key, (held = this.adopt(new Map())));
    } else if (!this.mine(held)) {
      this.keys.set(key, (held = this.adopt(new Map(held))));
    }
    return held;
  }

  /** {@link own}, and the id → position Map too: for the writes that add or remove ids. */
  ownIndex(): this {
    this.own();
    if (this.sharedIndex) {
      this.index = new Map(this.index);
      this.sharedIndex = false;
    }
    return this;
  }

  /** Whether a slot container may be changed in place (no fork holds it too). */
  mine(container: object): boolean {
    return this.owned === undefined || this.owned.has(container);
  }

  /** Marks a container this table made or copied as its own, and answers it. */
  adopt<T extends object>(container: T): T {
    this.owned?.add(container);
    return container;
  }

  /**
   * The map of the edges at `at` to `toType` records, this table's own to change (copied, with
   * its adjacency, when a fork shares it); made when missing if `make`.
   */
  edgeMap(at: number, toType: string, make: boolean): Map<string, StoredEdge> | undefined {
    let adjacency = this.edges[at];
    if (adjacency === undefined) {
      if (!make) return undefined;
      this.edges[at] = adjacency = this.adopt(new Map());
    } else if (!this.mine(adjacency)) {
      if (!make && !adjacency.has(toType)) return undefined;
      this.edges[at] = adjacency = this.adopt(new Map(adjacency));
    }
    let edges = adjacency.get(toType);
    if (edges === undefined) {
      if (!make) return undefined;
      adjacency.set(toType, (edges = this.adopt(new Map())));
    } else if (!this.mine(edges)) {
      adjacency.set(toType, (edges = this.adopt(new Map(edges))));
    }
    return edges;
  }

  /** Positions of the live (not purged) records, in scan order. */
  *positions(): Iterable<number> {
    for (let at = 0; at < this.records.length; at++) if (this.records[at] !== undefined) yield at;
  }
}

/**
 * Edge versions come from one counter for every memory storage, so a version names one state of
 * one storage's associations: a fork and its parent (which share edge maps, and the orders cached
 * for them) can never both be at one version with different associations.
 */
let lastEdgeVersion = 0;

/** A static list's key in {@link MemoryState.lists}. */
const listKey = (objectType: string, list: string): string => `${objectType}\u0000${list}`;

class MemoryState {
  readonly types = new Map<string, TypeTable>();
  readonly meta = new Map<string, unknown>();
  /** Static lists by {@link listKey}: their members' ids. */
  readonly lists = new Map<string, Set<string>>();
  /** The list sets this state may change in place; `undefined`: never forked, all are its own. */
  private ownLists: WeakSet<Set<string>> | undefined;

  /** A list's members, this state's own to change (copied when a fork shares it); made when missing if `make`. */
  listSet(objectType: string, list: string, make: boolean): Set<string> | undefined {
    const key = listKey(objectType, list);
    let members = this.lists.get(key);
    if (members === undefined) {
      if (!make) return undefined;
      this.lists.set(key, (members = new Set()));
      this.ownLists?.add(members);
    } else if (this.ownLists !== undefined && !this.ownLists.has(members)) {
      this.lists.set(key, (members = new Set(members)));
      this.ownLists.add(members);
    }
    return members;
  }
  /** Moves on every change to any association (and its undo): the edge orders cached below are then stale. */
  edgeVersion = ++lastEdgeVersion;

  /** The type's table, made when missing, ready to be written. */
  table(objectType: string): TypeTable {
    let table = this.types.get(objectType);
    if (!table) {
      table = new TypeTable();
      this.types.set(objectType, table);
    }
    return table.own();
  }

  /** The type's table ready to be written, `undefined` when there is none. */
  writable(objectType: string): TypeTable | undefined {
    return this.types.get(objectType)?.own();
  }

  edgesChanged(): void {
    this.edgeVersion = ++lastEdgeVersion;
  }

  /** A state sharing everything with this one, copy-on-write both ways; costs one object per type. */
  fork(): MemoryState {
    const copy = new MemoryState();
    for (const [type, table] of this.types) copy.types.set(type, table.fork());
    // Meta values are replaced whole by putMeta, never changed inside, so sharing them is safe.
    for (const [key, value] of this.meta) copy.meta.set(key, value);
    // Lists are shared too, each copied by whichever side first changes it.
    for (const [key, members] of this.lists) copy.lists.set(key, members);
    copy.ownLists = new WeakSet();
    this.ownLists = new WeakSet();
    copy.edgeVersion = this.edgeVersion;
    return copy;
  }
}

type Undo = () => void;

/** Scan cursors (storage/cursor.ts): nothing to tell apart between memory storages, so no owner. */
const cursors = new StorageCursors();

/** The position a scan resumes at: after the slot its cursor names. */
function cursorStart(kind: 'records' | 'edges', scope: readonly string[], after: string | undefined): number {
  const position = cursors.decode(kind, scope, after, ['integer']);
  return position === undefined ? 0 : (position[0] as number) + 1;
}

/**
 * A half-edge as memory storage holds it: the stored edge's fields, frozen, and privately the
 * order it was first stored in, which `pageEdges` breaks `createdAt` ties with and resumes after.
 * A replaced edge inherits its predecessor's number (a relabelled association keeps its place);
 * numbers only grow, across every memory storage and fork, so edges shared by a fork and its
 * parent agree. The number is a private field, not an entry in a WeakMap: a bulk load stores
 * hundreds of thousands of half-edges, and a WeakMap entry cost seven times what the field does
 * (and kept the collector busy). Readers see a plain frozen StoredEdge.
 */
class HeldEdge implements StoredEdge {
  readonly fromType: string;
  readonly fromId: string;
  readonly toType: string;
  readonly toId: string;
  readonly labels: readonly string[];
  readonly inverseLabels: readonly string[];
  readonly createdAt: string;
  readonly archived: boolean;
  readonly #seq: number;

  constructor(fromType: string, fromId: string, toType: string, toId: string, labels: readonly string[], inverseLabels: readonly string[], createdAt: string, archived: boolean, seq: number) {
    this.fromType = fromType;
    this.fromId = fromId;
    this.toType = toType;
    this.toId = toId;
    this.labels = labels;
    this.inverseLabels = inverseLabels;
    this.createdAt = createdAt;
    this.archived = archived;
    this.#seq = seq;
    Object.freeze(this);
  }

  static seqOf(edge: StoredEdge): number {
    return #seq in edge ? (edge as HeldEdge).#seq : 0;
  }
}
let lastEdgeSeq = 0;

function seqOf(edge: StoredEdge): number {
  return HeldEdge.seqOf(edge);
}

/** Association order: by createdAt, then first stored. */
function compareEdges(a: StoredEdge, b: StoredEdge): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return seqOf(a) - seqOf(b);
}

/**
 * One record's live edges to one type in association order, per label filter: built when a page
 * is first asked for and reused until any association changes, so paging through an unchanged
 * list costs a binary search and a slice per page.
 */
interface EdgeOrder {
  version: number;
  byFilter: Map<string, StoredEdge[]>;
}
const edgeOrders = new WeakMap<Map<string, StoredEdge>, EdgeOrder>();

/** Lists up to this size are ordered on each read: cheaper than caching (most records have a few associations). */
const SMALL_EDGE_LIST = 64;

/** The live edges of `map` carrying one of `labels` (all without), in association order. */
function liveInOrder(map: Map<string, StoredEdge>, labels: readonly string[] | undefined): StoredEdge[] {
  const list: StoredEdge[] = [];
  let sorted = true;
  for (const edge of map.values()) {
    if (edge.archived) continue;
    if (labels !== undefined && !edge.labels.some((label) => labels.includes(label))) continue;
    // A map holds edges in the order first stored: only associations a merge moved (older times,
    // stored later) put it out of time order, so sorting is rarely needed.
    if (sorted && list.length > 0 && list[list.length - 1]!.createdAt > edge.createdAt) sorted = false;
    list.push(edge);
  }
  return sorted ? list : list.sort(compareEdges);
}

/** The position an edge page resumes after: (createdAt, seq) of the last edge shown. */
function edgeCursor(scope: readonly string[], after: string | undefined): { createdAt: string; seq: number } | undefined {
  const position = cursors.decode('page', scope, after, ['string', 'integer']);
  return position === undefined ? undefined : { createdAt: position[0] as string, seq: position[1] as number };
}

/**
 * The tables as a search sees them (./memory-search.ts). Made when a search runs, not per
 * transaction: every call opens one, and most never search.
 */
function tablesOf(state: MemoryState): (objectType: string) => TypeTable | undefined {
  return (objectType) => state.types.get(objectType);
}

/** The static lists as a search sees them. */
function listsOf(state: MemoryState): (objectType: string, list: string) => ReadonlySet<string> | undefined {
  return (objectType, list) => state.lists.get(listKey(objectType, list));
}

class MemoryTx implements StorageTx {
  private readonly undo: Undo[] = [];

  constructor(
    private readonly state: MemoryState,
    private readonly writable: boolean,
  ) {}

  getRecords(objectType: string, ids: readonly string[]): (StoredRecord | undefined)[] {
    const table = this.state.types.get(objectType);
    if (!table) return ids.map(() => undefined);
    return ids.map((id) => {
      const at = table.index.get(id);
      return at === undefined ? undefined : table.records[at];
    });
  }

  insertRecords(records: readonly StoredRecord[]): string[] {
    this.assertWritable();
    const taken: string[] = [];
    // Each table's length before: undo truncates back to it. Batches are almost always of one
    // type, so the last table is remembered rather than looked up per record.
    const lengths = new Map<TypeTable, number>();
    let table: TypeTable | undefined;
    let type: string | undefined;
    for (const record of records) {
      if (record.objectType !== type) {
        type = record.objectType;
        table = this.state.table(type).ownIndex();
        if (!lengths.has(table)) lengths.set(table, table.records.length);
      }
      const { index } = table!;
      const size = index.size;
      const at = table!.records.length;
      // One hash lookup instead of has + set: a set that did not grow the map hit an existing id.
      index.set(record.id, at);
      if (index.size === size) {
        index.set(record.id, table!.records.findIndex((held) => held?.id === record.id));
        taken.push(record.id);
        continue;
      }
      table!.records.push(record);
      if (table!.searchIndexes.size > 0) table!.indexRecord(at, record);
      table!.history.push(undefined);
      table!.edges.push(undefined);
      table!.edgeHistory.push(undefined);
    }
    if (records.length > taken.length) {
      this.undo.push(() => {
        for (const [table, length] of lengths) {
          for (let at = length; at < table.records.length; at++) {
            table.index.delete(table.records[at]!.id);
            if (table.searchIndexes.size > 0) table.unindexRecord(at, table.records[at]!);
          }
          table.records.length = length;
          table.history.length = length;
          table.edges.length = length;
          table.edgeHistory.length = length;
        }
      });
    }
    return taken;
  }

  updateRecords(records: readonly StoredRecord[]): void {
    this.assertWritable();
    const replaced: Array<{ table: TypeTable; at: number; before: StoredRecord }> = [];
    // Registered first, so that a throw part-way still undoes what was done.
    this.undo.push(() => {
      for (let i = replaced.length - 1; i >= 0; i--) {
        const { table, at, before } = replaced[i]!;
        if (table.searchIndexes.size > 0) {
          table.unindexRecord(at, table.records[at]!);
          table.indexRecord(at, before);
        }
        table.records[at] = before;
      }
    });
    for (const record of records) {
      const table = this.state.writable(record.objectType);
      const at = table?.index.get(record.id);
      if (table === undefined || at === undefined) {
        throw new Error(`crmkit memory storage: update of a record that does not exist (${record.objectType} ${record.id})`);
      }
      const before = table.records[at]!;
      const history = table.history[at];
      // A history entry rebuilt from the record must be written out before the record changes.
      if (history instanceof CreationEntry) table.history[at] = history.entryFor(before);
      replaced.push({ table, at, before });
      if (table.searchIndexes.size > 0) {
        table.unindexRecord(at, before);
        table.indexRecord(at, record);
      }
      table.records[at] = record;
    }
  }

  deleteRecords(objectType: string, ids: readonly string[]): void {
    this.assertWritable();
    const table = this.state.writable(objectType)?.ownIndex();
    if (!table) return;
    const removed: Array<{ id: string; at: number; record: StoredRecord; history: History | undefined; edgeHistory: EdgeHistoryEntry[] | undefined; edges: Adjacency | undefined }> = [];
    for (const id of ids) {
      const at = table.index.get(id);
      if (at === undefined) continue;
      removed.push({ id, at, record: table.records[at]!, history: table.history[at], edgeHistory: table.edgeHistory[at], edges: table.edges[at] });
      if (table.edges[at] !== undefined) this.state.edgesChanged();
      table.edges[at] = undefined;
      table.index.delete(id);
      if (table.searchIndexes.size > 0) table.unindexRecord(at, table.records[at]!);
      table.records[at] = undefined;
      table.history[at] = undefined;
      table.edgeHistory[at] = undefined;
    }
    this.undo.push(() => {
      this.state.edgesChanged();
      for (const { id, at, record, history, edgeHistory, edges } of removed) {
        table.index.set(id, at);
        table.edges[at] = edges;
        table.records[at] = record;
        if (table.searchIndexes.size > 0) table.indexRecord(at, record);
        table.history[at] = history;
        table.edgeHistory[at] = edgeHistory;
      }
    });
  }

  scanRecords(objectType: string, request: ScanRequest): ScanResult {
    const start = cursorStart('records', [objectType], request.after);
    const table = this.state.types.get(objectType);
    if (!table) return { records: [] };
    const result: StoredRecord[] = [];
    const { records } = table;
    let at = start;
    for (; at < records.length && result.length < request.limit; at++) {
      const record = records[at];
      if (record === undefined || (record.archived && !request.archived)) continue;
      result.push(record);
    }
    return at < records.length ? { records: result, after: cursors.encode('records', [objectType], [at - 1]) } : { records: result };
  }

  searchRecords(plan: SearchPlan): SearchPage {
    return searchTables(tablesOf(this.state), this.state.edgeVersion, plan, listsOf(this.state));
  }

  explainSearch(plan: SearchPlan): SearchExplanation {
    return explainTables(tablesOf(this.state), this.state.edgeVersion, plan, listsOf(this.state));
  }

  addToList(list: string, objectType: string, ids: readonly string[]): void {
    this.assertWritable();
    const members = this.state.listSet(objectType, list, true)!;
    const added = ids.filter((id) => !members.has(id) && (members.add(id), true));
    if (added.length > 0) this.undo.push(() => added.forEach((id) => this.state.lists.get(listKey(objectType, list))!.delete(id)));
  }

  removeFromList(list: string, objectType: string, ids: readonly string[] | undefined): void {
    this.assertWritable();
    const members = this.state.listSet(objectType, list, false);
    if (members === undefined) return;
    const removed = (ids ?? [...members]).filter((id) => members.delete(id));
    if (removed.length > 0) this.undo.push(() => removed.forEach((id) => this.state.lists.get(listKey(objectType, list))!.add(id)));
  }

  listsOf(objectType: string, ids: readonly string[]): string[][] {
    const found = ids.map((): string[] => []);
    const prefix = listKey(objectType, '');
    for (const [key, members] of this.state.lists) {
      if (!key.startsWith(prefix)) continue;
      const list = key.slice(prefix.length);
      ids.forEach((id, at) => {
        if (members.has(id)) found[at]!.push(list);
      });
    }
    return found;
  }

  aggregateRecords(plan: AggregatePlan): AggregateAnswer {
    return aggregateTables(tablesOf(this.state), this.state.edgeVersion, plan, listsOf(this.state));
  }

  lookupKeys(objectType: string, key: string, values: readonly string[]): (string | undefined)[] {
    const held = this.state.types.get(objectType)?.keys.get(key);
    if (!held) return values.map(() => undefined);
    return values.map((value) => held.get(value));
  }

  claimKeys(objectType: string, claims: readonly KeyClaim[]): KeyConflict[] {
    this.assertWritable();
    const table = this.state.table(objectType);
    const conflicts: KeyConflict[] = [];
    const granted: KeyClaim[] = [];
    let namespace: string | undefined;
    let held: Map<string, string> | undefined;
    for (let i = 0; i < claims.length; i++) {
      const claim = claims[i]!;
      if (claim.key !== namespace) {
        namespace = claim.key;
        held = table.keyMap(namespace, true);
      }
      const holder = held!.get(claim.value);
      if (holder === undefined) {
        held!.set(claim.value, claim.id);
        granted.push(claim);
      } else if (holder !== claim.id) {
        conflicts.push({ index: i, existingId: holder });
      }
    }
    if (granted.length > 0) {
      this.undo.push(() => {
        for (const claim of granted) table.keys.get(claim.key)!.delete(claim.value);
      });
    }
    return conflicts;
  }

  releaseKeys(objectType: string, claims: readonly KeyClaim[]): void {
    this.assertWritable();
    const table = this.state.writable(objectType);
    if (!table) return;
    const released: KeyClaim[] = [];
    for (const claim of claims) {
      const held = table.keyMap(claim.key, false);
      if (held?.get(claim.value) === claim.id) {
        held.delete(claim.value);
        released.push(claim);
      }
    }
    if (released.length > 0) {
      this.undo.push(() => {
        for (const claim of released) table.keys.get(claim.key)!.set(claim.value, claim.id);
      });
    }
  }

  getEdges(objectType: string, ids: readonly string[], toType?: string): StoredEdge[][] {
    const table = this.state.types.get(objectType);
    return ids.map((id) => {
      const at = table?.index.get(id);
      const adjacency = at === undefined ? undefined : table!.edges[at];
      if (adjacency === undefined) return [];
      if (toType !== undefined) {
        const edges = adjacency.get(toType);
        return edges ? [...edges.values()] : [];
      }
      const all: StoredEdge[] = [];
      for (const edges of adjacency.values()) for (const edge of edges.values()) all.push(edge);
      return all;
    });
  }

  /** The map of `type`/`id`'s edges to `toType` records, made when missing. */
  private edgesOf(type: string, id: string, toType: string): Map<string, StoredEdge> {
    const table = this.state.writable(type);
    const at = table?.index.get(id);
    if (at === undefined) throw new Error(`crmkit memory storage: an edge of a record that does not exist (${type} ${id})`);
    return table!.edgeMap(at, toType, true)!;
  }

  putEdges(edges: readonly StoredEdge[]): void {
    this.assertWritable();
    // Flat triples (map, key, value before) keep the undo log small; the undo is registered
    // first so that a throw part-way still undoes what was done.
    const replaced: Array<Map<string, StoredEdge> | string | StoredEdge | undefined> = [];
    this.state.edgesChanged();
    this.undo.push(() => {
      this.state.edgesChanged();
      for (let i = replaced.length - 3; i >= 0; i -= 3) {
        const map = replaced[i] as Map<string, StoredEdge>;
        const key = replaced[i + 1] as string;
        const before = replaced[i + 2] as StoredEdge | undefined;
        // A new key was appended last, so deleting it restores the order exactly.
        if (before === undefined) map.delete(key);
        else map.set(key, before);
      }
    });
    const put = (fromType: string, fromId: string, toType: string, toId: string, labels: readonly string[], inverseLabels: readonly string[], edge: StoredEdge): void => {
      const map = this.edgesOf(fromType, fromId, toType);
      const before = map.get(toId);
      replaced.push(map, toId, before);
      const seq = before === undefined ? ++lastEdgeSeq : seqOf(before);
      // Setting an existing key keeps its place: a relabelled association keeps its order.
      map.set(toId, new HeldEdge(fromType, fromId, toType, toId, labels, inverseLabels, edge.createdAt, edge.archived, seq));
    };
    for (const edge of edges) {
      // Label lists are shared by both halves and must not change under them.
      const labels = Object.isFrozen(edge.labels) ? edge.labels : Object.freeze(edge.labels.slice());
      const inverseLabels = Object.isFrozen(edge.inverseLabels) ? edge.inverseLabels : Object.freeze(edge.inverseLabels.slice());
      put(edge.fromType, edge.fromId, edge.toType, edge.toId, labels, inverseLabels, edge);
      put(edge.toType, edge.toId, edge.fromType, edge.fromId, inverseLabels, labels, edge);
    }
  }

  deleteEdges(edges: readonly EdgeEnds[]): void {
    this.assertWritable();
    // Deleting from a Map and setting again would move the key last: undo restores each touched
    // map's whole order instead.
    const saved = new Map<Map<string, StoredEdge>, Array<[string, StoredEdge]>>();
    const remove = (type: string, id: string, toType: string, toId: string): void => {
      const table = this.state.types.get(type);
      const at = table?.index.get(id);
      if (at === undefined || !table!.edges[at]?.get(toType)?.has(toId)) return;
      // Only now made writable: most edges asked to go are there, but a fork copies what it changes.
      const map = table!.own().edgeMap(at, toType, false)!;
      if (!saved.has(map)) saved.set(map, [...map]);
      map.delete(toId);
    };
    for (const edge of edges) {
      remove(edge.fromType, edge.fromId, edge.toType, edge.toId);
      remove(edge.toType, edge.toId, edge.fromType, edge.fromId);
    }
    if (saved.size === 0) return;
    this.state.edgesChanged();
    this.undo.push(() => {
      this.state.edgesChanged();
      for (const [map, entries] of saved) {
        map.clear();
        for (const [key, edge] of entries) map.set(key, edge);
      }
    });
  }

  pageEdges(objectType: string, id: string, request: EdgePageRequest): EdgePage {
    // The scope (labels as a sorted set) is built only for a cursor: most lists are one page.
    const position = request.after === undefined ? undefined : edgeCursor(edgePageScope(objectType, id, request.toType, request.labels), request.after);
    const table = this.state.types.get(objectType);
    const at = table?.index.get(id);
    const map = at === undefined ? undefined : table!.edges[at]?.get(request.toType);
    if (map === undefined || map.size === 0) return { edges: [], total: 0 };
    const ordered = map.size <= SMALL_EDGE_LIST ? liveInOrder(map, request.labels) : this.orderedEdges(map, request.labels);
    // The first edge after the cursor's position (binary search: the list is in that order).
    let start = 0;
    if (position !== undefined) {
      let high = ordered.length;
      while (start < high) {
        const middle = (start + high) >>> 1;
        const edge = ordered[middle]!;
        const after = edge.createdAt > position.createdAt || (edge.createdAt === position.createdAt && seqOf(edge) > position.seq);
        if (after) high = middle;
        else start = middle + 1;
      }
    }
    const stop = Math.min(start + Math.max(1, Math.floor(request.limit)), ordered.length);
    const edges = ordered.slice(start, stop);
    if (stop === ordered.length) return { edges, total: ordered.length };
    const last = edges[edges.length - 1]!;
    const scope = edgePageScope(objectType, id, request.toType, request.labels);
    return { edges, after: cursors.encode('page', scope, [last.createdAt, seqOf(last)]), total: ordered.length };
  }

  /** {@link liveInOrder}, cached until an association changes (for lists worth caching). */
  private orderedEdges(map: Map<string, StoredEdge>, labels: readonly string[] | undefined): StoredEdge[] {
    let order = edgeOrders.get(map);
    if (order === undefined || order.version !== this.state.edgeVersion) {
      order = { version: this.state.edgeVersion, byFilter: new Map() };
      edgeOrders.set(map, order);
    }
    const filter = labels === undefined ? '' : `\u0000${labels.join('\u0000')}`;
    let list = order.byFilter.get(filter);
    if (list === undefined) order.byFilter.set(filter, (list = liveInOrder(map, labels)));
    return list;
  }

  scanEdges(fromType: string, toType: string, request: EdgeScanRequest): { edges: StoredEdge[]; after?: string } {
    const start = cursorStart('edges', [fromType, toType], request.after);
    const table = this.state.types.get(fromType);
    if (!table) return { edges: [] };
    const result: StoredEdge[] = [];
    let at = start;
    // A page holds whole records' edges, so it may run past `limit` by one record's share.
    for (; at < table.edges.length && result.length < request.limit; at++) {
      const edges = table.edges[at]?.get(toType);
      if (edges) for (const edge of edges.values()) result.push(edge);
    }
    return at < table.edges.length ? { edges: result, after: cursors.encode('edges', [fromType, toType], [at - 1]) } : { edges: result };
  }

  countEdges(fromType: string, toType: string, label: string): number {
    const table = this.state.types.get(fromType);
    let count = 0;
    for (const adjacency of table?.edges ?? []) {
      const edges = adjacency?.get(toType);
      if (edges) for (const edge of edges.values()) if (edge.labels.includes(label)) count++;
    }
    return count;
  }

  appendEdgeHistory(entries: readonly EdgeHistoryEntry[]): void {
    this.assertWritable();
    if (entries.length === 0) return;
    const appended: EdgeHistoryEntry[][] = [];
    this.undo.push(() => {
      for (let i = appended.length - 1; i >= 0; i--) appended[i]!.pop();
    });
    for (const entry of entries) {
      const table = this.state.writable(entry.objectType);
      const at = table?.index.get(entry.id);
      if (table === undefined || at === undefined) {
        throw new Error(`crmkit memory storage: association history for a record that does not exist (${entry.objectType} ${entry.id})`);
      }
      let list = table.edgeHistory[at];
      // A list a fork shares is copied first; undo pops the copy back to what the shared one holds.
      if (list === undefined) table.edgeHistory[at] = list = table.adopt([]);
      else if (!table.mine(list)) table.edgeHistory[at] = list = table.adopt(list.slice());
      list.push(entry);
      appended.push(list);
    }
  }

  readEdgeHistory(objectType: string, id: string): EdgeHistoryEntry[] {
    const table = this.state.types.get(objectType);
    const at = table?.index.get(id);
    return at === undefined ? [] : (table!.edgeHistory[at]?.slice() ?? []);
  }

  getMeta(key: string): unknown {
    return this.state.meta.get(key);
  }

  putMeta(key: string, value: unknown): void {
    this.assertWritable();
    const { meta } = this.state;
    const had = meta.has(key);
    const before = meta.get(key);
    meta.set(key, value);
    this.undo.push(() => (had ? meta.set(key, before) : meta.delete(key)));
  }

  appendHistory(entries: readonly HistoryEntry[]): void {
    this.assertWritable();
    if (entries.length === 0) return;
    // Undo either pops what was pushed onto an existing array or puts the old value back.
    const touched: Array<{ table: TypeTable; at: number; before: History | undefined; pushed: boolean }> = [];
    // Registered first, so that a throw part-way still undoes what was done.
    this.undo.push(() => {
      for (let i = touched.length - 1; i >= 0; i--) {
        const { table, at, before, pushed } = touched[i]!;
        if (pushed) (before as HistoryEntry[]).pop();
        else table.history[at] = before;
      }
    });
    let creation: CreationEntry | undefined;
    for (const entry of entries) {
      const table = this.state.writable(entry.objectType);
      const at = table?.index.get(entry.id);
      if (table === undefined || at === undefined) {
        throw new Error(`crmkit memory storage: history for a record that does not exist (${entry.objectType} ${entry.id})`);
      }
      const before = table.history[at];
      const record = table.records[at]!;
      if (before === undefined && entry.values === record.properties && entry.timestamp === record.createdAt) {
        if (creation?.source !== entry.source) creation = new CreationEntry(entry.source);
        table.history[at] = creation;
        touched.push({ table, at, before, pushed: false });
      } else if (Array.isArray(before) && table.mine(before)) {
        before.push(entry);
        touched.push({ table, at, before, pushed: true });
      } else if (Array.isArray(before)) {
        // Shared with a fork: this table's own copy, put back whole by undo.
        table.history[at] = table.adopt([...before, entry]);
        touched.push({ table, at, before, pushed: false });
      } else {
        const first = before instanceof CreationEntry ? before.entryFor(record) : before;
        table.history[at] = first === undefined ? entry : table.adopt([first, entry]);
        touched.push({ table, at, before, pushed: false });
      }
    }
  }

  readHistory(objectType: string, id: string): HistoryEntry[] {
    const table = this.state.types.get(objectType);
    const at = table?.index.get(id);
    return at === undefined ? [] : historyList(table!.history[at], table!.records[at]!).slice();
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const mark = this.undo.length;
    try {
      return await fn();
    } catch (error) {
      this.rollback(mark);
      throw error;
    }
  }

  /** Undoes everything after `mark` (0: the whole transaction). */
  rollback(mark = 0): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }

  private assertWritable(): void {
    if (!this.writable) throw new Error('crmkit memory storage: a write inside a read transaction (engine bug)');
  }
}

/**
 * A JSON-friendly copy of everything a memory storage holds, for tests and debugging
 * ("did this failed call change anything?").
 *
 * @example
 * const before = JSON.stringify(storage.snapshot());
 */
export interface MemorySnapshot {
  meta: Record<string, unknown>;
  types: Record<
    string,
    {
      records: StoredRecord[];
      keys: Record<string, Record<string, string>>;
      history: Record<string, HistoryEntry[]>;
      /** Each record's edges (records with none are left out), in association order. */
      edges: Record<string, StoredEdge[]>;
      edgeHistory: Record<string, EdgeHistoryEntry[]>;
    }
  >;
}

/**
 * The in-memory {@link Storage}: crmkit's default. Transactions run one at a time; a failed
 * one is rolled back from an undo log. `fork()` makes an independent copy in constant time: the
 * two share everything copy-on-write (decision 0017).
 *
 * @example
 * import { createCrm, memoryStorage } from 'crmkit';
 * const storage = memoryStorage();
 * const crm = await createCrm({ storage });
 */
export class MemoryStorage implements Storage {
  private state = new MemoryState();
  private busy = false;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  async transaction<T>(mode: 'read' | 'write', fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (this.closed) throw new CrmError('STORAGE_ERROR', 'memory storage is closed');
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy = true;
    const tx = new MemoryTx(this.state, mode === 'write');
    try {
      return await fn(tx);
    } catch (error) {
      tx.rollback();
      throw error;
    } finally {
      // Hand the lock straight to the next waiter, so no one can slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /**
   * An independent copy: writes to it never reach this storage, nor this storage's to it. It
   * costs an object per object type; the first write to a type, on either side, copies that
   * type's columns (not its records).
   *
   * @example
   * const copy = await storage.fork();
   */
  async fork(): Promise<MemoryStorage> {
    return this.transaction('read', async () => {
      const copy = new MemoryStorage();
      copy.state = this.state.fork();
      return copy;
    });
  }

  /** A JSON-friendly copy of the whole state, in a stable order. */
  snapshot(): MemorySnapshot {
    const sorted = <V>(entries: Iterable<[string, V]>): Array<[string, V]> =>
      [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const types: MemorySnapshot['types'] = {};
    // Empty containers left behind by a rolled-back write are not state: leave them out.
    for (const [type, table] of sorted(this.state.types)) {
      const keys = sorted(table.keys).filter(([, values]) => values.size > 0);
      if (table.index.size === 0 && keys.length === 0) continue;
      const positions = [...table.positions()];
      types[type] = {
        records: positions.map((at) => table.records[at]!),
        keys: Object.fromEntries(keys.map(([key, values]) => [key, Object.fromEntries(sorted(values))])),
        history: Object.fromEntries(positions.map((at) => [table.records[at]!.id, historyList(table.history[at], table.records[at]!).slice()])),
        edges: Object.fromEntries(
          positions.flatMap((at) => {
            const edges = [...(table.edges[at]?.values() ?? [])].flatMap((map) => [...map.values()]);
            return edges.length > 0 ? [[table.records[at]!.id, edges]] : [];
          }),
        ),
        edgeHistory: Object.fromEntries(
          positions.flatMap((at) => {
            const entries = table.edgeHistory[at] ?? [];
            return entries.length > 0 ? [[table.records[at]!.id, entries.slice()]] : [];
          }),
        ),
      };
    }
    return { meta: Object.fromEntries(sorted(this.state.meta)), types };
  }
}

/**
 * Creates an in-memory storage (the default when `createCrm` is given none).
 *
 * @example
 * const crm = await createCrm({ storage: memoryStorage() });
 */
export function memoryStorage(): MemoryStorage {
  return new MemoryStorage();
}
