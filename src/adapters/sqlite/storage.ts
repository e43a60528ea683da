// The SQLite storage adapter: crmkit's Storage on real tables (./schema.ts) through
// better-sqlite3. better-sqlite3 is synchronous, so every primitive answers synchronously inside
// a transaction that stays open across the engine's awaits: BEGIN / COMMIT / ROLLBACK are
// issued by hand (db.transaction() only wraps synchronous functions), and an in-process FIFO
// lock runs one transaction at a time per database file, which makes them serialisable. Other
// processes are waited for with timers (./busy.ts), never inside a synchronous call.
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CrmError, StorageCursors, checkTenant, edgePageScope, evaluateAggregate, evaluateSearch } from 'crmkit/storage';
import type { AggregateAnswer, AggregatePlan, EdgeEnds, EdgeHistoryEntry, EdgePage, EdgePageRequest, EdgeScanRequest, HistoryEntry, KeyClaim, KeyConflict, PlanProperty, ScanRequest, ScanResult, SearchExplanation, SearchPage, SearchPlan, Source, Storage, StorageTx, StoredEdge, StoredRecord } from 'crmkit/storage';
import { asStorageError, databaseCode, storageFailure } from '../sql/errors.js';
import { keysetPage, pageSize } from '../sql/paging.js';
import { edgeHistoryEntryOf, historyEntryOf, labelsOf, labelsText, storedEdgeOf, storedRecordOf } from '../sql/rows.js';
import { aggregateCompilable } from '../sql/aggregate.js';
import { compilable } from '../sql/search.js';
import { keyConflicts } from '../sql/writes.js';
import { isBusy, Patience } from './busy.js';
import { keep, prepare } from './reachable.js';
import { migrate } from './schema.js';
import { aggregateSqlite, explainSqlite, indexSqlite, registerSearchFunctions, searchSqlite } from './search.js';
import { prepareStatements, type EdgeRow, type RecordRow, type Statements } from './statements.js';

/**
 * Options of {@link sqliteStorage}.
 *
 * @example
 * const storage = sqliteStorage('crm.db', { tenant: 'acme', synchronous: 'full' });
 */
export interface SqliteStorageOptions {
  /**
   * The CRM inside the file this storage reads and writes (default 'default'). One file may
   * hold many tenants; a storage never sees another tenant's rows. 1 to 200 characters, no
   * control characters and no lone surrogates (VALIDATION_ERROR when the storage is made).
   */
  tenant?: string;
  /**
   * How hard a commit waits for the disk (files only). 'normal' (the default, with WAL): a
   * committed call survives the process being killed, and the file stays consistent after a
   * power loss, which may lose the last commits. 'full': commits also survive a power loss,
   * at the cost of an fsync per commit.
   */
  synchronous?: 'normal' | 'full';
  /**
   * How long one call waits, in all, for other connections to the file (another process's
   * write, most often), in ms (default 5000). The wait never blocks the event loop: the
   * adapter retries every few ms. Past it the call fails with STORAGE_ERROR, having written
   * nothing.
   */
  busyTimeoutMs?: number;
}

/** A FIFO lock: one holder at a time, handed straight to the next waiter so no one slips in between. */
class Lock {
  private busy = false;
  private readonly waiting: Array<() => void> = [];
  /** The storages using this lock (a lock is shared by every storage of one file in this process). */
  users = 0;

  /** Takes the lock: `undefined` when it was free (no await needed), else a promise of it. */
  acquire(): Promise<void> | undefined {
    if (!this.busy) {
      this.busy = true;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/**
 * One lock per database file in this process, keyed by {@link fileIdentity}. Two storages on
 * one file (two tenants, say) are two connections; sharing the lock queues their transactions
 * here, in order, instead of having one poll SQLite's lock while the other holds it.
 */
const fileLocks = new Map<string, Lock>();

/**
 * The file `name` names, whatever the path it was given by: its real path (symlinks and `..`
 * resolved), or its directory's real path and its name when the file is not there (yet).
 *
 * @example
 * fileIdentity('./link-to-crm.db'); // '/srv/data/crm.db'
 */
function fileIdentity(name: string): string {
  try {
    return realpathSync.native(name);
  } catch {
    try {
      return join(realpathSync.native(dirname(resolve(name))), basename(name));
    } catch {
      return resolve(name);
    }
  }
}

function lockFor(db: Database.Database): { lock: Lock; key: string | undefined } {
  if (db.memory) return { lock: new Lock(), key: undefined };
  const key = fileIdentity(db.name);
  let lock = fileLocks.get(key);
  if (!lock) fileLocks.set(key, (lock = new Lock()));
  lock.users++;
  return { lock, key };
}

/**
 * A STORAGE_ERROR of this adapter. `outcome: 'rolled_back'` on every one: SQLite either commits
 * a transaction whole or not at all, and the adapter rolls back whatever a failure leaves open,
 * so a failed call has written nothing (PostgreSQL's adapter can also answer 'unknown').
 */
function failure(tail: string, details: Record<string, unknown> = {}): CrmError {
  return storageFailure('sqlite', tail, details);
}

/** A driver failure as the error crmkit reports: STORAGE_ERROR with the cause (and SQLite's code as `details.code`). crmkit's own errors pass through unchanged. */
function storageError(error: unknown, doing: string): CrmError {
  return asStorageError('sqlite', error, doing, 'code', databaseCode(error, () => true));
}

const closedError = (): CrmError => failure(' is closed');

/**
 * Sources repeat (most calls write `{ type: 'API' }`): each distinct text is parsed once and the
 * object shared, which is safe because the engine never mutates what storage returns.
 */
class SourceCache {
  private readonly parsed = new Map<string, Source>();
  private readonly texts = new WeakMap<Source, string>();

  text(source: Source): string {
    let text = this.texts.get(source);
    if (text === undefined) this.texts.set(source, (text = JSON.stringify(source)));
    return text;
  }

  parse(text: string): Source {
    let source = this.parsed.get(text);
    if (source === undefined) {
      source = JSON.parse(text) as Source;
      if (this.parsed.size > 256) this.parsed.clear();
      this.parsed.set(text, source);
    }
    return source;
  }
}

/** What every transaction of one storage shares. */
interface Shared {
  readonly db: Database.Database;
  readonly sql: Statements;
  readonly tenant: string;
  readonly cursors: StorageCursors;
  readonly sources: SourceCache;
  /**
   * The JSON of properties objects this process wrote, so that a create's history entry (whose
   * values are the record's own properties object) is not serialised twice.
   */
  readonly json: WeakMap<object, string>;
  /** SAVEPOINT / RELEASE / ROLLBACK TO statements by depth, prepared on first use. */
  readonly savepoints: Array<{ save: Database.Statement<[]>; release: Database.Statement<[]>; rollbackTo: Database.Statement<[]> }>;
}

function toRecord(objectType: string, row: RecordRow): StoredRecord {
  return storedRecordOf(objectType, row[1], JSON.parse(row[2]), row[3], row[4], row[5] === 1, row[6]);
}

function toEdge(fromType: string, row: EdgeRow): StoredEdge {
  return storedEdgeOf(fromType, row[1], row[2], row[3], labelsOf(row[4]), labelsOf(row[5]), row[6], row[7] === 1);
}

/**
 * One transaction's primitives. Each answers synchronously (better-sqlite3 is synchronous),
 * which the contract allows and which saves the engine a microtask per call. A driver failure
 * becomes STORAGE_ERROR; the statement that failed changed nothing, and the engine's
 * transaction or savepoint undoes whatever the call wrote before it.
 */
class SqliteTx implements StorageTx {
  /** Set when the transaction is over: a primitive called afterwards must not write outside it. */
  done = false;
  /**
   * Set when a failure ended the SQLite transaction under the engine's feet (SQLITE_FULL,
   * an I/O error, sometimes SQLITE_BUSY: SQLite rolls the whole transaction back on those).
   * Every later primitive then fails too, and so does the commit: one that ran would write
   * outside any transaction, committed on its own even if the engine caught the first error.
   */
  broken: CrmError | undefined;
  private depth = 0;
  /**
   * The records this transaction has read or written, by `type \0 id` (null: known not to
   * exist). Nothing else can change them while it runs (the lock keeps this process's other
   * transactions out, SQLite's write lock or snapshot the other processes), so a record read
   * twice (the engine reads both ends of each association, then some again) is parsed once and
   * a record just written is not read back at all. Cleared when a savepoint rolls back or a
   * write fails, since SQL then undid writes it saw.
   */
  private readonly records = new Map<string, StoredRecord | null>();

  constructor(
    private readonly shared: Shared,
    private readonly writable: boolean,
  ) {}

  private check(write: boolean): void {
    if (this.done) throw failure(': this transaction is over (a primitive was called after it ended)');
    if (this.broken) throw failure(`: this transaction was ended by an earlier failure (${this.broken.message})`, { cause: this.broken });
    if (write && !this.writable) throw failure(': a write inside a read transaction (engine bug)');
  }

  /** The STORAGE_ERROR for a primitive's failure; marks the transaction broken if SQLite ended it. */
  private fail(error: unknown, doing: string): CrmError {
    const reported = storageError(error, doing);
    const { db } = this.shared;
    if (this.broken === undefined && !(db.open && db.inTransaction)) this.broken = reported;
    return reported;
  }

  getRecords(objectType: string, ids: readonly string[]): (StoredRecord | undefined)[] {
    this.check(false);
    try {
      const { sql, tenant } = this.shared;
      const { records } = this;
      const found: (StoredRecord | undefined)[] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const key = `${objectType}\u0000${id}`;
        let record = records.get(key);
        if (record === undefined) {
          const row = sql.getRecord.get(tenant, objectType, id);
          record = row === undefined ? null : toRecord(objectType, row);
          records.set(key, record);
        }
        found[i] = record ?? undefined;
      }
      return found;
    } catch (error) {
      throw this.fail(error, 'getRecords');
    }
  }

  insertRecords(records: readonly StoredRecord[]): string[] {
    this.check(true);
    try {
      const { sql, tenant, json } = this.shared;
      const taken: string[] = [];
      for (const record of records) {
        const text = JSON.stringify(record.properties);
        const { changes } = sql.insertRecord.run(
          tenant,
          record.objectType,
          record.id,
          text,
          record.createdAt,
          record.updatedAt,
          record.archived ? 1 : 0,
          record.archivedAt ?? null,
        );
        if (changes === 0) taken.push(record.id);
        else {
          json.set(record.properties, text);
          this.records.set(`${record.objectType}\u0000${record.id}`, record);
        }
      }
      return taken;
    } catch (error) {
      this.records.clear();
      throw this.fail(error, 'insertRecords');
    }
  }

  updateRecords(records: readonly StoredRecord[]): void {
    this.check(true);
    try {
      const { sql, tenant, json } = this.shared;
      for (const record of records) {
        const text = JSON.stringify(record.properties);
        const { changes } = sql.updateRecord.run(
          text,
          record.createdAt,
          record.updatedAt,
          record.archived ? 1 : 0,
          record.archivedAt ?? null,
          tenant,
          record.objectType,
          record.id,
        );
        if (changes === 0) throw failure(`: update of a record that does not exist (${record.objectType} ${record.id})`);
        json.set(record.properties, text);
        this.records.set(`${record.objectType}\u0000${record.id}`, record);
      }
    } catch (error) {
      this.records.clear();
      throw this.fail(error, 'updateRecords');
    }
  }

  deleteRecords(objectType: string, ids: readonly string[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      for (const id of ids) {
        // The engine deleted the record's associations and memberships already; should any
        // remain, their inverses and the list rows go first, then the record (its own rows cascade).
        sql.deleteEdgesTo.run(tenant, objectType, id);
        sql.deleteMemberships.run(tenant, objectType, id);
        sql.deleteRecord.run(tenant, objectType, id);
        this.records.set(`${objectType}\u0000${id}`, null);
      }
    } catch (error) {
      this.records.clear();
      throw this.fail(error, 'deleteRecords');
    }
  }

  scanRecords(objectType: string, request: ScanRequest): ScanResult {
    this.check(false);
    const { sql, tenant, cursors } = this.shared;
    const [start] = (cursors.decode('records', [objectType], request.after, ['integer']) ?? [0]) as [number];
    try {
      const limit = pageSize(request.limit, 0);
      const { rows, more } = keysetPage((request.archived ? sql.scanRecords : sql.scanLiveRecords).all(tenant, objectType, start, limit + 1), limit);
      const records = rows.map((row) => toRecord(objectType, row));
      if (!more) return { records };
      return { records, after: cursors.encode('records', [objectType], [rows.at(-1)?.[0] ?? start]) };
    } catch (error) {
      throw this.fail(error, 'scanRecords');
    }
  }

  lookupKeys(objectType: string, key: string, values: readonly string[]): (string | undefined)[] {
    this.check(false);
    try {
      const { sql, tenant } = this.shared;
      const ids: (string | undefined)[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) ids[i] = sql.lookupKey.get(tenant, objectType, key, values[i]!);
      return ids;
    } catch (error) {
      throw this.fail(error, 'lookupKeys');
    }
  }

  claimKeys(objectType: string, claims: readonly KeyClaim[]): KeyConflict[] {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      // The free case (almost every claim) is one statement; only a held value is read back.
      return keyConflicts(claims, (claim) =>
        sql.claimKey.run(tenant, objectType, claim.key, claim.value, claim.id).changes === 1 ? claim.id : sql.lookupKey.get(tenant, objectType, claim.key, claim.value),
      );
    } catch (error) {
      throw this.fail(error, 'claimKeys');
    }
  }

  releaseKeys(objectType: string, claims: readonly KeyClaim[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      for (const claim of claims) sql.releaseKey.run(tenant, objectType, claim.key, claim.value, claim.id);
    } catch (error) {
      throw this.fail(error, 'releaseKeys');
    }
  }

  getEdges(objectType: string, ids: readonly string[], toType?: string): StoredEdge[][] {
    this.check(false);
    try {
      const { sql, tenant } = this.shared;
      const lists: StoredEdge[][] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const rows = toType === undefined ? sql.edgesOf.all(tenant, objectType, ids[i]!) : sql.edgesOfTo.all(tenant, objectType, ids[i]!, toType);
        const edges: StoredEdge[] = new Array(rows.length);
        for (let j = 0; j < rows.length; j++) edges[j] = toEdge(objectType, rows[j]!);
        lists[i] = edges;
      }
      return lists;
    } catch (error) {
      throw this.fail(error, 'getEdges');
    }
  }

  putEdges(edges: readonly StoredEdge[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      // One upsert per row, in order: a row named twice in a batch keeps its first place and
      // takes the last value by itself, so (unlike PostgreSQL's one INSERT for the batch) there
      // is nothing to fold, and the inverse row is written straight from the edge.
      const upsert = (ft: string, fi: string, tt: string, ti: string, labels: string, inverse: string, createdAt: string, archived: number): void => {
        if (sql.putEdge.run(tenant, ft, fi, tt, ti, labels, inverse, createdAt, archived).changes === 0) {
          sql.moveEdge.run(labels, inverse, createdAt, archived, tenant, ft, fi, tt, ti);
        }
      };
      for (const edge of edges) {
        const labels = labelsText(edge.labels);
        const inverse = labelsText(edge.inverseLabels);
        const archived = edge.archived ? 1 : 0;
        upsert(edge.fromType, edge.fromId, edge.toType, edge.toId, labels, inverse, edge.createdAt, archived);
        upsert(edge.toType, edge.toId, edge.fromType, edge.fromId, inverse, labels, edge.createdAt, archived);
      }
    } catch (error) {
      throw this.fail(error, 'putEdges');
    }
  }

  deleteEdges(edges: readonly EdgeEnds[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      for (const edge of edges) {
        sql.deleteEdge.run(tenant, edge.fromType, edge.fromId, edge.toType, edge.toId);
        sql.deleteEdge.run(tenant, edge.toType, edge.toId, edge.fromType, edge.fromId);
      }
    } catch (error) {
      throw this.fail(error, 'deleteEdges');
    }
  }

  countEdges(fromType: string, toType: string, label: string): number {
    this.check(false);
    const { sql, tenant } = this.shared;
    try {
      return Number(sql.countPairLabel.get(tenant, fromType, toType, label));
    } catch (error) {
      throw this.fail(error, 'countEdges');
    }
  }

  scanEdges(fromType: string, toType: string, request: EdgeScanRequest): { edges: StoredEdge[]; after?: string } {
    this.check(false);
    const { sql, tenant, cursors } = this.shared;
    const start = cursors.decode('edges', [fromType, toType], request.after, ['string', 'string']) as [string, string] | undefined;
    try {
      const limit = pageSize(request.limit, 1);
      const { rows, more } = keysetPage(
        start === undefined
          ? sql.scanEdges.all(tenant, fromType, toType, limit + 1)
          : sql.scanEdgesAfter.all(tenant, fromType, start[0], toType, start[1], tenant, fromType, start[0], toType, limit + 1),
        limit,
      );
      const edges = rows.map((row) => toEdge(fromType, row));
      if (!more) return { edges };
      const last = edges.at(-1)!;
      return { edges, after: cursors.encode('edges', [fromType, toType], [last.fromId, last.toId]) };
    } catch (error) {
      throw this.fail(error, 'scanEdges');
    }
  }

  pageEdges(objectType: string, id: string, request: EdgePageRequest): EdgePage {
    this.check(false);
    const { sql, tenant, cursors } = this.shared;
    const { toType, labels } = request;
    // The scope (labels as a sorted set) is built only for a cursor: most lists are one page.
    const scope = (): readonly string[] => edgePageScope(objectType, id, toType, labels);
    const start = request.after === undefined ? undefined : (cursors.decode('page', scope(), request.after, ['string', 'integer']) as [string, number]);
    try {
      const limit = pageSize(request.limit, 1);
      const range = [tenant, objectType, id, toType] as const;
      const wanted = labels === undefined ? undefined : JSON.stringify(labels);
      let read: EdgeRow[];
      if (wanted === undefined) {
        read =
          start === undefined
            ? sql.pageEdges.all(...range, limit + 1)
            : sql.pageEdgesAfter.all(...range, start[0], start[1], ...range, start[0], limit + 1);
      } else {
        read =
          start === undefined
            ? sql.pageLabelledEdges.all(...range, wanted, limit + 1)
            : sql.pageLabelledEdgesAfter.all(...range, wanted, start[0], start[1], ...range, wanted, start[0], limit + 1);
      }
      const { rows, more } = keysetPage(read, limit);
      const edges = rows.map((row) => toEdge(objectType, row));
      // A first page holding every match is its own total (most lists are that short);
      // otherwise the total is counted over the same range.
      const total =
        start === undefined && !more
          ? edges.length
          : wanted === undefined
            ? sql.countEdges.get(...range)!
            : sql.countLabelledEdges.get(...range, wanted)!;
      if (!more) return { edges, total };
      const last = rows.at(-1)!;
      return { edges, after: cursors.encode('page', scope(), [last[6], last[0]]), total };
    } catch (error) {
      throw this.fail(error, 'pageEdges');
    }
  }

  appendEdgeHistory(entries: readonly EdgeHistoryEntry[]): void {
    this.check(true);
    try {
      const { sql, tenant, sources } = this.shared;
      for (const entry of entries) {
        sql.appendEdgeHistory.run(
          tenant,
          entry.objectType,
          entry.id,
          entry.toType,
          entry.toId,
          entry.action,
          labelsText(entry.labelsBefore),
          labelsText(entry.labelsAfter),
          entry.otherName ?? null,
          entry.timestamp,
          sources.text(entry.source),
        );
      }
    } catch (error) {
      throw this.fail(error, 'appendEdgeHistory');
    }
  }

  readEdgeHistory(objectType: string, id: string): EdgeHistoryEntry[] {
    this.check(false);
    try {
      const { sql, tenant, sources } = this.shared;
      return sql.readEdgeHistory.all(tenant, objectType, id).map((row) =>
        edgeHistoryEntryOf(objectType, id, row[0], row[1], row[2], labelsOf(row[3]), labelsOf(row[4]), row[5], row[6], sources.parse(row[7])),
      );
    } catch (error) {
      throw this.fail(error, 'readEdgeHistory');
    }
  }

  getMeta(key: string): unknown {
    this.check(false);
    try {
      const text = this.shared.sql.getMeta.get(this.shared.tenant, key);
      return text === undefined ? undefined : JSON.parse(text);
    } catch (error) {
      throw this.fail(error, 'getMeta');
    }
  }

  putMeta(key: string, value: unknown): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      const text = JSON.stringify(value);
      // undefined (or a function) has no JSON: storing it means "never written", as getMeta answers.
      if (text === undefined) sql.deleteMeta.run(tenant, key);
      else sql.putMeta.run(tenant, key, text);
    } catch (error) {
      throw this.fail(error, 'putMeta');
    }
  }

  appendHistory(entries: readonly HistoryEntry[]): void {
    this.check(true);
    try {
      const { sql, tenant, sources, json } = this.shared;
      for (const entry of entries) {
        const values = json.get(entry.values) ?? JSON.stringify(entry.values);
        sql.appendHistory.run(tenant, entry.objectType, entry.id, entry.timestamp, sources.text(entry.source), values);
      }
    } catch (error) {
      throw this.fail(error, 'appendHistory');
    }
  }

  readHistory(objectType: string, id: string): HistoryEntry[] {
    this.check(false);
    try {
      const { sql, tenant, sources } = this.shared;
      return sql.readHistory.all(tenant, objectType, id).map((row) => historyEntryOf(objectType, id, row[0], sources.parse(row[1]), JSON.parse(row[2])));
    } catch (error) {
      throw this.fail(error, 'readHistory');
    }
  }

  addToList(list: string, objectType: string, ids: readonly string[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      // One prepared insert per member (SQLite's fastest batch); a member already there stays.
      for (const id of ids) sql.addToList.run(tenant, objectType, list, id);
    } catch (error) {
      throw this.fail(error, 'addToList');
    }
  }

  removeFromList(list: string, objectType: string, ids: readonly string[] | undefined): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      if (ids === undefined) sql.emptyList.run(tenant, objectType, list);
      else for (const id of ids) sql.removeFromList.run(tenant, objectType, list, id);
    } catch (error) {
      throw this.fail(error, 'removeFromList');
    }
  }

  listsOf(objectType: string, ids: readonly string[]): string[][] {
    this.check(false);
    try {
      const { sql, tenant } = this.shared;
      const found: string[][] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) found[i] = sql.listsOf.all(tenant, objectType, ids[i]!);
      return found;
    } catch (error) {
      throw this.fail(error, 'listsOf');
    }
  }

  searchRecords(plan: SearchPlan): SearchPage | Promise<SearchPage> {
    this.check(false);
    // A name SQL text cannot hold as a literal (../sql/search.ts): the reference evaluator answers.
    if (!compilable(plan)) return evaluateSearch(this, plan);
    try {
      return searchSqlite(this.shared.db, this.shared.tenant, plan, toRecord);
    } catch (error) {
      throw this.fail(error, 'searchRecords');
    }
  }

  aggregateRecords(plan: AggregatePlan): AggregateAnswer | Promise<AggregateAnswer> {
    this.check(false);
    // A name SQL text cannot hold as a literal: the reference evaluator answers.
    if (!aggregateCompilable(plan)) return evaluateAggregate(this, plan);
    try {
      return aggregateSqlite(this.shared.db, this.shared.tenant, plan);
    } catch (error) {
      throw this.fail(error, 'aggregateRecords');
    }
  }

  explainSearch(plan: SearchPlan): SearchExplanation {
    this.check(false);
    if (!compilable(plan)) return { storage: 'sqlite', strategy: 'scan', note: 'a name in this plan cannot be written into SQL: the reference evaluator reads every live record of the type' };
    try {
      return explainSqlite(this.shared.db, this.shared.tenant, plan);
    } catch (error) {
      throw this.fail(error, 'explainSearch');
    }
  }

  indexProperties(objectType: string, properties: readonly PlanProperty[]): void {
    this.check(true);
    try {
      indexSqlite(this.shared.db, objectType, properties);
    } catch (error) {
      throw this.fail(error, 'indexProperties');
    }
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    this.check(false);
    const { db, savepoints } = this.shared;
    const depth = this.depth;
    let statements = savepoints[depth];
    try {
      if (!statements) {
        // Internal names by nesting depth: nothing a caller supplies reaches this SQL.
        const name = `crmkit_sp${depth}`;
        savepoints[depth] = statements = {
          save: prepare(db, `SAVEPOINT ${name}`),
          release: prepare(db, `RELEASE ${name}`),
          rollbackTo: prepare(db, `ROLLBACK TO ${name}`),
        };
      }
      statements.save.run();
    } catch (error) {
      throw this.fail(error, 'savepoint');
    }
    this.depth = depth + 1;
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      this.depth = depth;
      // What the cache saw inside the savepoint is being undone.
      this.records.clear();
      // A broken transaction has no savepoint left to undo: SQLite rolled back all of it.
      if (this.broken) throw error;
      try {
        statements.rollbackTo.run();
        statements.release.run();
      } catch (undo) {
        // The savepoint could not be undone: the whole transaction must fail, with this error,
        // even if the caller catches it and goes on.
        throw (this.broken = storageError(undo, 'savepoint rollback'));
      }
      // The caller's error (or a primitive's STORAGE_ERROR), unchanged.
      throw error;
    }
    this.depth = depth;
    try {
      statements.release.run();
    } catch (error) {
      throw this.fail(error, 'savepoint release');
    }
    return result;
  }
}

/**
 * A {@link Storage} on a SQLite database (better-sqlite3): real tables with constraints, WAL
 * for files, one SQLite transaction per crmkit call, and every row keyed by tenant. Made by
 * {@link sqliteStorage}.
 *
 * @example
 * import { createCrm } from 'crmkit';
 * import { sqliteStorage } from 'crmkit/sqlite';
 * const storage = sqliteStorage('crm.db');
 * const crm = await createCrm({ storage });
 * // ...
 * await crm.close(); // closes the storage too
 */
export class SqliteStorage implements Storage {
  /** The tenant this storage reads and writes. */
  readonly tenant: string;
  private readonly db: Database.Database;
  /** Made once the file is set up: at once, or by the first call if the file was busy then. */
  private shared: Shared | undefined;
  /** What is left of setting the file up (WAL, migration), when the file was busy at open. */
  private setUpFile: (() => void) | undefined;
  private readonly busyTimeoutMs: number;
  private readonly lock: Lock;
  private readonly lockKey: string | undefined;
  /** Whether the connection is this storage's to close (it opened it). */
  private readonly owned: boolean;
  private closing = false;
  private closed = false;

  /** @internal Use {@link sqliteStorage}. */
  constructor(db: Database.Database, tenant: string, owned: boolean, busyTimeoutMs: number, setUpFile?: () => void) {
    this.db = keep(db);
    // Search SQL and the expression indexes call them (./search.ts): on every connection, forks too.
    registerSearchFunctions(db);
    this.tenant = tenant;
    this.owned = owned;
    this.busyTimeoutMs = busyTimeoutMs;
    this.setUpFile = setUpFile;
    if (setUpFile === undefined) this.shared = this.share();
    ({ lock: this.lock, key: this.lockKey } = lockFor(db));
  }

  private share(): Shared {
    return {
      db: this.db,
      sql: prepareStatements(this.db),
      tenant: this.tenant,
      cursors: new StorageCursors(this.tenant),
      sources: new SourceCache(),
      json: new WeakMap(),
      savepoints: [],
    };
  }

  /** The better-sqlite3 connection (for inspection and backups; do not write crmkit's tables behind its back). */
  get database(): Database.Database {
    return this.db;
  }

  async transaction<T>(mode: 'read' | 'write', fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (this.closing) throw closedError();
    const wait = this.lock.acquire();
    if (wait) await wait;
    try {
      if (this.closed) throw closedError();
      // Every wait of this call for other connections counts against one busyTimeoutMs.
      const patience = new Patience(this.busyTimeoutMs);
      const shared = this.shared ?? (await this.finishSetUp(patience));
      const { sql, db } = shared;
      try {
        // A promise only when the file was busy: the common case adds no await.
        const begun = patience.attempt('begin', () => {
          // IMMEDIATE takes the write lock up front: a write transaction never fails half-way
          // because another process started writing after it read. A BUSY BEGIN starts nothing.
          if (mode === 'write') return sql.beginImmediate.run();
          sql.begin.run();
          try {
            sql.touch.get();
          } catch (error) {
            this.rollbackQuietly(shared);
            throw error;
          }
        });
        if (begun instanceof Promise) await begun;
      } catch (error) {
        throw storageError(error, 'begin');
      }
      const tx = new SqliteTx(shared, mode === 'write');
      let result: T;
      try {
        result = await fn(tx);
      } catch (error) {
        tx.done = true;
        this.rollbackQuietly(shared);
        // The engine's own errors come back unchanged; driver errors were wrapped where they happened.
        throw error;
      }
      tx.done = true;
      // fn went on after a failure that ended the SQLite transaction (it caught the error):
      // what it wrote afterwards was refused, and what it wrote before is gone. Nothing to commit.
      if (tx.broken) {
        this.rollbackQuietly(shared);
        throw tx.broken;
      }
      try {
        const committed = patience.attempt('commit', () => {
          // SQLite keeps a transaction open when COMMIT answers BUSY (in rollback-journal mode,
          // readers still hold the file): the same COMMIT is tried again. Should SQLite have
          // ended it anyway, retrying would commit nothing: fail instead.
          if (!db.inTransaction) throw new Error('the transaction ended before it could commit');
          sql.commit.run();
        });
        if (committed instanceof Promise) await committed;
      } catch (error) {
        // A COMMIT that did not happen leaves the transaction open: undone here, not left to
        // the next call.
        this.rollbackQuietly(shared);
        throw storageError(error, 'commit');
      }
      return result;
    } finally {
      this.lock.release();
    }
  }

  /** Sets up a file that was busy when the storage was made (WAL, migration), waiting as long as `patience` allows. */
  private async finishSetUp(patience: Patience): Promise<Shared> {
    try {
      await patience.attempt('open', () => {
        this.setUpFile?.();
        this.setUpFile = undefined;
        this.shared ??= this.share();
      });
    } catch (error) {
      throw storageError(error, 'open');
    }
    return this.shared!;
  }

  /** Rolls back what is open; a failure here (the connection is gone) leaves nothing to undo. */
  private rollbackQuietly({ db, sql }: Shared): void {
    try {
      if (db.open && db.inTransaction) sql.rollback.run();
    } catch {
      // SQLite rolls back by itself when the connection closes.
    }
  }

  /**
   * Waits for the transactions already queued, then closes the connection (if this storage
   * opened it). Transactions started afterwards fail with STORAGE_ERROR.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const wait = this.lock.acquire();
    if (wait) await wait;
    try {
      this.closed = true;
      if (this.owned && this.db.open) this.db.close();
    } finally {
      this.lock.release();
      if (this.lockKey !== undefined && --this.lock.users === 0) fileLocks.delete(this.lockKey);
    }
  }

  /**
   * An independent in-memory copy of the whole database (every tenant), on the same tenant:
   * for "what if" runs and tests.
   */
  async fork(): Promise<SqliteStorage> {
    return this.transaction('read', async () => {
      try {
        const image = this.db.serialize();
        // Bytes 18-19 of the header say "WAL"; an in-memory copy has no log beside it, so mark it
        // as a rollback-journal database or SQLite cannot open it.
        image[18] = 1;
        image[19] = 1;
        const copy = keep(new Database(image, { timeout: 0 }));
        prepare(copy, 'PRAGMA foreign_keys = ON').run();
        return new SqliteStorage(copy, this.tenant, true, this.busyTimeoutMs);
      } catch (error) {
        throw storageError(error, 'fork');
      }
    });
  }
}

/** An option's problem as the VALIDATION_ERROR sqliteStorage throws. */
function invalidOption(property: string, message: string): CrmError {
  return new CrmError('VALIDATION_ERROR', `sqliteStorage: ${message}`, {
    issues: [{ code: 'INVALID_ARGUMENT', property, message }],
  });
}

/**
 * Opens a SQLite {@link Storage}: a file path (created if missing, put in WAL mode, migrated to
 * the current schema), ':memory:' for a private in-memory database, or an open better-sqlite3
 * connection (left open by `close()`: it is yours; its busy timeout is set to 0, since the
 * storage waits for other connections itself). Several storages may share one file, each on its
 * own `tenant`, in this process or in others.
 *
 * Never blocks on another process: should the file be locked while it must be created or
 * migrated, the first call finishes that (waiting up to `busyTimeoutMs`).
 *
 * Throws CrmError VALIDATION_ERROR for a bad option (a tenant name that is empty, too long or
 * holds control characters or lone surrogates), STORAGE_ERROR when the file cannot be opened or
 * was written by a newer crmkit (a schema version this one does not know).
 *
 * @example
 * import { createCrm } from 'crmkit';
 * import { sqliteStorage } from 'crmkit/sqlite';
 *
 * const crm = await createCrm({ storage: sqliteStorage('./crm.db', { tenant: 'acme' }) });
 * await crm.records.create('contacts', { email: 'ana@acme.com' });
 */
export function sqliteStorage(file: string | Database.Database, options: SqliteStorageOptions = {}): SqliteStorage {
  // Only a missing tenant means 'default': null is a mistake worth reporting.
  const tenant = checkTenant(options.tenant === undefined ? 'default' : options.tenant, 'sqliteStorage');
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') throw invalidOption('synchronous', "synchronous must be 'normal' or 'full'");
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  if (typeof busyTimeoutMs !== 'number' || !Number.isFinite(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw invalidOption('busyTimeoutMs', 'busyTimeoutMs must be a finite number of milliseconds, 0 or more');
  }
  if (typeof file !== 'string' && !(file instanceof Database)) {
    throw invalidOption('file', 'file must be a path, ":memory:" or a better-sqlite3 Database');
  }
  const owned = typeof file === 'string';
  let db: Database.Database | undefined;
  try {
    // Busy timeout 0: a locked file answers SQLITE_BUSY at once, and the storage waits with
    // timers (./busy.ts), where SQLite's own wait would freeze the event loop.
    db = owned ? new Database(file, { timeout: 0 }) : file;
    if (!db.open) throw new Error('the connection is closed');
    keep(db); // before the first statement: the pragmas and the migration prepare some
    if (!owned) prepare(db, 'PRAGMA busy_timeout = 0').get();
    // Cascades (a record's history goes with it) and edge ends rely on foreign keys, which
    // SQLite enforces only when asked, per connection.
    prepare(db, 'PRAGMA foreign_keys = ON').run();
    const opened = db;
    const setUpFile = (): void => {
      if (!opened.memory && owned) {
        // WAL: readers never block the writer, and a commit is one append to the log.
        prepare(opened, 'PRAGMA journal_mode = WAL').get();
        prepare(opened, `PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`).run();
      }
      migrate(opened);
    };
    try {
      setUpFile();
    } catch (error) {
      // Another connection holds the file: the first call sets it up, waiting without blocking.
      if (isBusy(error)) return new SqliteStorage(db, tenant, owned, busyTimeoutMs, setUpFile);
      throw error;
    }
    return new SqliteStorage(db, tenant, owned, busyTimeoutMs);
  } catch (error) {
    if (owned && db?.open) db.close();
    throw storageError(error, 'open');
  }
}
