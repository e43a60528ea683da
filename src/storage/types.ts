// The storage seam: the CRM-shaped primitives crmkit's engine needs from a database. Storage
// knows records, unique keys, metadata and history; it never knows a CRM rule. docs/adapters.md
// explains the contract to adapter authors; the memory adapter (./memory.ts) is the reference.
import type { CrmRecord, Source } from '../types.js';
import type { AggregateAnswer, AggregatePlan, PlanProperty, SearchExplanation, SearchPage, SearchPlan } from './plan.js';

/**
 * A value or a promise of it: an adapter may answer synchronously (memory) or not (SQL).
 *
 * @example
 * getMeta(key: string): Awaitable<unknown> { return this.meta.get(key); }
 */
export type Awaitable<T> = T | Promise<T>;

/**
 * A record as storage keeps it: exactly the public {@link CrmRecord} shape. The engine hands
 * adapters frozen objects and never mutates what an adapter returns, so an in-process adapter
 * may store and return the same object.
 *
 * @example
 * const stored: StoredRecord = { id: 'c1', objectType: 'contacts', properties: { email: 'a@b.com' },
 *   createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', archived: false };
 */
export type StoredRecord = CrmRecord;

/**
 * One unique key held by one record: `key` is the namespace ('email', 'domain', a unique
 * property's name, or an engine namespace starting with '$'), `value` the normalised value.
 *
 * @example
 * const claim: KeyClaim = { key: 'email', value: 'a@b.com', id: 'c1' };
 */
export interface KeyClaim {
  key: string;
  value: string;
  id: string;
}

/**
 * A claim that could not be granted: the key is held by another record.
 *
 * @example
 * const conflict: KeyConflict = { index: 0, existingId: 'c7' };
 */
export interface KeyConflict {
  /** The position of the refused claim in the `claimKeys` call. */
  index: number;
  /** The record holding the key. */
  existingId: string;
}

/**
 * One write to a record, for property history: the values it set (`null`: cleared), when, and
 * its source. A create's entry holds all the record's values.
 *
 * @example
 * const entry: HistoryEntry = { objectType: 'contacts', id: 'c1', timestamp: '2026-01-01T00:00:00.000Z',
 *   source: { type: 'API' }, values: { email: 'a@b.com' } };
 */
export interface HistoryEntry {
  objectType: string;
  id: string;
  timestamp: string;
  source: Source;
  values: Readonly<Record<string, unknown>>;
}

/**
 * What `scanRecords` reads: a page in the adapter's stable order (the memory adapter: creation
 * order), resuming after the adapter's own cursor.
 *
 * @example
 * await tx.scanRecords('contacts', { limit: 100, archived: false });
 */
export interface ScanRequest {
  /** The cursor a previous scan returned; adapters must reject (throw) a cursor they did not make. */
  after?: string;
  limit: number;
  /** Include archived records. */
  archived?: boolean;
}

/**
 * A page of a scan: `after` is present when more records may follow.
 *
 * @example
 * const { records, after } = await tx.scanRecords('contacts', { limit: 100 });
 */
export interface ScanResult {
  records: StoredRecord[];
  after?: string;
}

/**
 * One association as seen from one of its records (`from`). Storage keeps both directions of
 * every association: the edge from A to B and its inverse from B to A (ends, `labels` and
 * `inverseLabels` swapped), always together.
 *
 * @example
 * const edge: StoredEdge = { fromType: 'contacts', fromId: 'c1', toType: 'companies', toId: 'co1',
 *   labels: ['primary'], inverseLabels: ['primary'], createdAt: '2026-01-01T00:00:00.000Z', archived: false };
 */
export interface StoredEdge {
  readonly fromType: string;
  readonly fromId: string;
  readonly toType: string;
  readonly toId: string;
  /** Label names as seen from `from`. */
  readonly labels: readonly string[];
  /** Label names as seen from `to`. */
  readonly inverseLabels: readonly string[];
  /** When the association was made (kept when a merge moves it). */
  readonly createdAt: string;
  /** Set while either record is archived: the engine hides the edge from lists and limits. */
  readonly archived: boolean;
}

/**
 * The two ends of an association, to delete it.
 *
 * @example
 * await tx.deleteEdges([{ fromType: 'contacts', fromId: 'c1', toType: 'companies', toId: 'co1' }]);
 */
export interface EdgeEnds {
  readonly fromType: string;
  readonly fromId: string;
  readonly toType: string;
  readonly toId: string;
}

/**
 * A change to an association, logged on one of its records (`objectType`/`id`, the `from` side).
 *
 * @example
 * const entry: EdgeHistoryEntry = { objectType: 'contacts', id: 'c1', toType: 'companies', toId: 'co1',
 *   action: 'created', labelsBefore: [], labelsAfter: ['primary'], timestamp: '2026-01-01T00:00:00.000Z', source: { type: 'API' } };
 */
export interface EdgeHistoryEntry {
  objectType: string;
  id: string;
  toType: string;
  toId: string;
  action: 'created' | 'removed' | 'relabelled';
  labelsBefore: readonly string[];
  labelsAfter: readonly string[];
  /** The other record's display name at the time. */
  otherName?: string;
  timestamp: string;
  source: Source;
}

/**
 * What `scanEdges` reads: a page of the edges from `fromType` to `toType` records.
 *
 * @example
 * await tx.scanEdges('contacts', 'companies', { limit: 1_000 });
 */
export interface EdgeScanRequest {
  after?: string;
  limit: number;
}

/**
 * What `pageEdges` reads: one page of one record's live associations to `toType` records.
 *
 * @example
 * await tx.pageEdges('companies', 'co1', { toType: 'contacts', limit: 100, labels: ['primary'] });
 */
export interface EdgePageRequest {
  /** The other end's object type. */
  toType: string;
  /** At most this many edges (1 or more). */
  limit: number;
  /**
   * Resume after the edge this cursor names: one this adapter answered for the same record,
   * `toType` and `labels`. An adapter throws VALIDATION_ERROR (issue INVALID_CURSOR) for a
   * cursor it did not make. The engine seals every cursor it hands to callers, so an adapter's
   * cursor needs to be opaque to no one but must be checked.
   */
  after?: string;
  /** Only edges whose `labels` (seen from the record) include at least one of these names. */
  labels?: readonly string[];
}

/**
 * A page of {@link StorageTx.pageEdges}.
 *
 * @example
 * const { edges, after, total } = await tx.pageEdges('companies', 'co1', { toType: 'contacts', limit: 100 });
 */
export interface EdgePage {
  edges: StoredEdge[];
  /** Present when more edges may follow: pass it as `after` for the next page. */
  after?: string;
  /** How many live edges match the request (the same on every page of an unchanged graph). */
  total: number;
}

/**
 * The primitives available inside one transaction. Every method may answer synchronously or
 * with a promise. Batch-shaped calls let the engine make one call per batch.
 *
 * Duties every adapter must meet (the conformance suite checks them):
 * - everything done through a `StorageTx` commits together or not at all;
 * - `claimKeys` is atomic: two transactions can never both hold one (type, key, value);
 * - values handed in are never mutated by the engine afterwards, and values handed out are
 *   never mutated by the engine, so adapters may keep references;
 * - an error thrown by a primitive aborts the transaction.
 *
 * @example
 * await storage.transaction('write', async (tx) => {
 *   await tx.insertRecords([record]);
 *   await tx.claimKeys('contacts', [{ key: 'email', value: 'a@b.com', id: record.id }]);
 * });
 */
export interface StorageTx {
  /** The records with these ids (archived included), `undefined` where none, in input order. */
  getRecords(objectType: string, ids: readonly string[]): Awaitable<(StoredRecord | undefined)[]>;
  /**
   * Inserts new records (each after all existing ones in scan order). Answers the ids that
   * already exist; the engine aborts the transaction when any comes back, so an adapter may
   * insert the others.
   */
  insertRecords(records: readonly StoredRecord[]): Awaitable<string[]>;
  /** Replaces existing records by (objectType, id); each keeps its place in scan order. */
  updateRecords(records: readonly StoredRecord[]): Awaitable<void>;
  /** Deletes records for good, with their property and association history (the engine releases their keys and deletes their edges beforehand). */
  deleteRecords(objectType: string, ids: readonly string[]): Awaitable<void>;
  /** A page of records in a stable order (new records after older ones). */
  scanRecords(objectType: string, request: ScanRequest): Awaitable<ScanResult>;

  /** The ids holding `key` = each of `values`, `undefined` where free, in input order. */
  lookupKeys(objectType: string, key: string, values: readonly string[]): Awaitable<(string | undefined)[]>;
  /**
   * Grants every claim whose (key, value) is free or already held by the same id, and reports
   * the others. The engine aborts the transaction when any conflict comes back, so an adapter
   * may grant the free ones.
   */
  claimKeys(objectType: string, claims: readonly KeyClaim[]): Awaitable<KeyConflict[]>;
  /** Releases each (key, value) if `id` holds it; a claim held by another id is left alone. */
  releaseKeys(objectType: string, claims: readonly KeyClaim[]): Awaitable<void>;

  /**
   * The edges from each record (to `toType` records only, when given): one list per id, in
   * input order. A record's edges to one type come in the order the associations were made;
   * without `toType`, the order across types is the adapter's.
   */
  getEdges(objectType: string, ids: readonly string[], toType?: string): Awaitable<StoredEdge[][]>;
  /**
   * Stores each edge and its inverse, replacing an existing association between the same two
   * records (which keeps its place in order); a new association goes after the records' others.
   */
  putEdges(edges: readonly StoredEdge[]): Awaitable<void>;
  /** Deletes each association, both directions; ends with no association are ignored. */
  deleteEdges(edges: readonly EdgeEnds[]): Awaitable<void>;
  /**
   * A page of one record's live (not archived) edges to `toType` records, in association
   * order: by `createdAt`, ties in the order the associations were first stored (a replaced
   * association keeps its place), with the total. Keyset paging: a page costs the same
   * wherever it starts, and a cursor stays usable when edges change (it resumes after the
   * position it names, even if that edge is gone).
   */
  pageEdges(objectType: string, id: string, request: EdgePageRequest): Awaitable<EdgePage>;
  /** A page of all edges from `fromType` records to `toType` records, in a stable order. */
  scanEdges(fromType: string, toType: string, request: EdgeScanRequest): Awaitable<{ edges: StoredEdge[]; after?: string }>;
  /** Appends association history entries of records that exist. */
  appendEdgeHistory(entries: readonly EdgeHistoryEntry[]): Awaitable<void>;
  /** One record's association history, oldest first. */
  readEdgeHistory(objectType: string, id: string): Awaitable<EdgeHistoryEntry[]>;

  /** A metadata document (JSON-serialisable), `undefined` if never written. */
  getMeta(key: string): Awaitable<unknown>;
  putMeta(key: string, value: unknown): Awaitable<void>;

  /** Appends property history entries of records that exist; per record they are read back in append order. */
  appendHistory(entries: readonly HistoryEntry[]): Awaitable<void>;
  /** One record's history entries, oldest first. */
  readHistory(objectType: string, id: string): Awaitable<HistoryEntry[]>;
  /**
   * Static lists: named sets of records of one type (a static segment's members), which plans
   * test with the `member` predicate. `addToList` adds the records (adding a member again
   * changes nothing; storage does not check that a record has the id, and a list may name one
   * that is gone); `removeFromList` removes them (ids it does not hold are ignored), or with
   * `ids` undefined empties the list; `listsOf` answers, per id, the lists holding that record,
   * in any order. List ids are any strings, compared exactly, and each object type has its own.
   * Lists hold records whatever their state: the engine removes archived records itself, and a
   * record's memberships before it purges it (an adapter may drop them in `deleteRecords` too;
   * the SQL adapters do). Undone by a failed transaction or savepoint like every write.
   * Optional, all three or none: without them the engine keeps lists in metadata documents
   * (./lists.ts), rewriting a list's whole document on each change.
   */
  addToList?(list: string, objectType: string, ids: readonly string[]): Awaitable<void>;
  removeFromList?(list: string, objectType: string, ids: readonly string[] | undefined): Awaitable<void>;
  listsOf?(objectType: string, ids: readonly string[]): Awaitable<string[][]>;
  /**
   * Answers a search plan (./plan.ts): the page of live records it describes, whether more
   * follow, and the total when asked. Optional: without it the engine answers from
   * `scanRecords`, `getEdges` and `getRecords` with the reference evaluator
   * (`evaluateSearch`, ./evaluate.ts), which reads every record of the type. Whatever an
   * adapter does, its answers must be the reference evaluator's (the conformance suite checks).
   */
  searchRecords?(plan: SearchPlan): Awaitable<SearchPage>;
  /**
   * Answers an aggregate plan (./plan.ts AggregatePlan): every non-empty bucket once, in any
   * order. Optional: without it the engine answers from `scanRecords`, `getEdges` and
   * `getRecords` with the reference evaluator (`evaluateAggregate`, ./aggregate.ts), which reads
   * every record of the type. Its answers must be the reference evaluator's (the conformance
   * suite checks).
   */
  aggregateRecords?(plan: AggregatePlan): Awaitable<AggregateAnswer>;
  /**
   * How many edges from `fromType` to `toType` records carry `label` in their `labels`, archived
   * ones included (label usage). Optional: without it the engine counts over `scanEdges`.
   */
  countEdges?(fromType: string, toType: string, label: string): Awaitable<number>;
  /** How `searchRecords` would run a plan (`crm.records.explain`). Optional. */
  explainSearch?(plan: SearchPlan): Awaitable<SearchExplanation>;
  /**
   * The properties of `objectType` the schema wants indexed (`indexed`, unique and system
   * properties, the dedup key): the whole set, each with its value type. Called in a write
   * transaction when a type is defined or a property's indexing changes, and once per type when
   * an engine starts; an adapter creates the indexes it lacks and drops the ones it made that
   * are no longer listed (idempotent: a call with the same set changes nothing). Optional: a
   * storage may index as it likes, or not at all.
   */
  indexProperties?(objectType: string, properties: readonly PlanProperty[]): Awaitable<void>;

  /**
   * Runs `fn` so that, if it throws, everything it did through this transaction is undone
   * (a SQL SAVEPOINT) while the transaction goes on. Used to make each call inside
   * `crm.transaction` atomic by itself.
   */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * A storage backend. `transaction` runs `fn` as one atomic, isolated unit: if `fn` throws, or
 * the commit fails, nothing it did remains, and the promise rejects with that error.
 * Transactions must be serialisable with respect to each other (the memory adapter runs them
 * one at a time).
 *
 * @example
 * const crm = await createCrm({ storage: memoryStorage() });
 */
export interface Storage {
  transaction<T>(mode: 'read' | 'write', fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  /** Releases connections and files; the storage is unusable afterwards. */
  close(): Promise<void>;
  /** An independent copy with the same contents (optional; the memory adapter has it). */
  fork?(): Promise<Storage>;
}
