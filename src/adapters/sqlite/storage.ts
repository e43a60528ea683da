// The SQLite storage adapter: crmkit's Storage on real tables (./schema.ts) through
// better-sqlite3. better-sqlite3 is synchronous, so every primitive answers synchronously inside
// a transaction that stays open across the engine's awaits: BEGIN / COMMIT / ROLLBACK are
// issued by hand (db.transaction() only wraps synchronous functions), and an in-process FIFO
// lock runs one transaction at a time per database file, which makes them serialisable.
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CrmError } from 'crmkit';
import type {
  EdgeEnds,
  EdgeHistoryEntry,
  EdgeScanRequest,
  HistoryEntry,
  KeyClaim,
  KeyConflict,
  ScanRequest,
  ScanResult,
  Source,
  Storage,
  StorageTx,
  StoredEdge,
  StoredRecord,
} from 'crmkit';
import { Cursors } from './cursor.js';
import { migrate } from './schema.js';
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
   * hold many tenants; a storage never sees another tenant's rows.
   */
  tenant?: string;
  /**
   * How hard a commit waits for the disk (files only). 'normal' (the default, with WAL): a
   * committed call survives the process being killed, and the file stays consistent after a
   * power loss, which may lose the last commits. 'full': commits also survive a power loss,
   * at the cost of an fsync per commit.
   */
  synchronous?: 'normal' | 'full';
  /** How long a write waits for another process's write to finish, in ms (default 5000; files opened by path only). */
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
 * One lock per database file in this process. Two storages on one file (two tenants, say) are
 * two connections; better-sqlite3 blocks the event loop while it waits for SQLite's own lock,
 * so a write on one connection could never finish while the other waited for it. Sharing the
 * lock queues them here instead.
 */
const fileLocks = new Map<string, Lock>();

function lockFor(db: Database.Database): { lock: Lock; key: string | undefined } {
  if (db.memory) return { lock: new Lock(), key: undefined };
  const key = resolve(db.name);
  let lock = fileLocks.get(key);
  if (!lock) fileLocks.set(key, (lock = new Lock()));
  lock.users++;
  return { lock, key };
}

/** A driver failure as the error crmkit reports: STORAGE_ERROR with the cause. crmkit's own errors pass through unchanged. */
function storageError(error: unknown, doing?: string): CrmError {
  if (error instanceof CrmError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CrmError('STORAGE_ERROR', `sqlite storage${doing ? ` (${doing})` : ''}: ${message}`, { cause: error });
}

const EMPTY: readonly string[] = Object.freeze([]);

/** A label list as stored: most are empty, so that case skips JSON. */
function labelsText(labels: readonly string[]): string {
  return labels.length === 0 ? '[]' : JSON.stringify(labels);
}

function labelsOf(text: string): readonly string[] {
  return text === '[]' ? EMPTY : (JSON.parse(text) as string[]);
}

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
  readonly cursors: Cursors;
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
  const archivedAt = row[6];
  return archivedAt === null
    ? { id: row[1], objectType, properties: JSON.parse(row[2]), createdAt: row[3], updatedAt: row[4], archived: row[5] === 1 }
    : { id: row[1], objectType, properties: JSON.parse(row[2]), createdAt: row[3], updatedAt: row[4], archived: row[5] === 1, archivedAt };
}

function toEdge(fromType: string, row: EdgeRow): StoredEdge {
  return {
    fromType,
    fromId: row[1],
    toType: row[2],
    toId: row[3],
    labels: labelsOf(row[4]),
    inverseLabels: labelsOf(row[5]),
    createdAt: row[6],
    archived: row[7] === 1,
  };
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
    if (this.done) throw new CrmError('STORAGE_ERROR', 'sqlite storage: this transaction is over (a primitive was called after it ended)');
    if (write && !this.writable) throw new CrmError('STORAGE_ERROR', 'sqlite storage: a write inside a read transaction (engine bug)');
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
      throw storageError(error, 'getRecords');
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
      throw storageError(error, 'insertRecords');
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
        if (changes === 0) throw new CrmError('STORAGE_ERROR', `sqlite storage: update of a record that does not exist (${record.objectType} ${record.id})`);
        json.set(record.properties, text);
        this.records.set(`${record.objectType}\u0000${record.id}`, record);
      }
    } catch (error) {
      this.records.clear();
      throw storageError(error, 'updateRecords');
    }
  }

  deleteRecords(objectType: string, ids: readonly string[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      for (const id of ids) {
        // The engine deleted the record's associations already; should any remain, their
        // inverses go first, then the record (its own rows cascade).
        sql.deleteEdgesTo.run(tenant, objectType, id);
        sql.deleteRecord.run(tenant, objectType, id);
        this.records.set(`${objectType}\u0000${id}`, null);
      }
    } catch (error) {
      this.records.clear();
      throw storageError(error, 'deleteRecords');
    }
  }

  scanRecords(objectType: string, request: ScanRequest): ScanResult {
    this.check(false);
    const { sql, tenant, cursors } = this.shared;
    const start = cursors.readRecord(objectType, request.after);
    try {
      const limit = Math.max(0, Math.min(Math.floor(request.limit) || 0, 1_000_000));
      // One row more than asked tells whether another page follows.
      const rows = (request.archived ? sql.scanRecords : sql.scanLiveRecords).all(tenant, objectType, start, limit + 1);
      const count = Math.min(rows.length, limit);
      const records: StoredRecord[] = new Array(count);
      for (let i = 0; i < count; i++) records[i] = toRecord(objectType, rows[i]!);
      if (rows.length <= limit) return { records };
      const last = count > 0 ? rows[count - 1]![0] : start;
      return { records, after: cursors.record(objectType, last) };
    } catch (error) {
      throw storageError(error, 'scanRecords');
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
      throw storageError(error, 'lookupKeys');
    }
  }

  claimKeys(objectType: string, claims: readonly KeyClaim[]): KeyConflict[] {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      const conflicts: KeyConflict[] = [];
      for (let i = 0; i < claims.length; i++) {
        const claim = claims[i]!;
        // The free case (almost every claim) is one statement; only a held value is read back.
        if (sql.claimKey.run(tenant, objectType, claim.key, claim.value, claim.id).changes === 1) continue;
        const holder = sql.lookupKey.get(tenant, objectType, claim.key, claim.value);
        if (holder !== claim.id) conflicts.push({ index: i, existingId: holder! });
      }
      return conflicts;
    } catch (error) {
      throw storageError(error, 'claimKeys');
    }
  }

  releaseKeys(objectType: string, claims: readonly KeyClaim[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      for (const claim of claims) sql.releaseKey.run(tenant, objectType, claim.key, claim.value, claim.id);
    } catch (error) {
      throw storageError(error, 'releaseKeys');
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
      throw storageError(error, 'getEdges');
    }
  }

  putEdges(edges: readonly StoredEdge[]): void {
    this.check(true);
    try {
      const { sql, tenant } = this.shared;
      for (const edge of edges) {
        const labels = labelsText(edge.labels);
        const inverse = labelsText(edge.inverseLabels);
        const archived = edge.archived ? 1 : 0;
        sql.putEdge.run(tenant, edge.fromType, edge.fromId, edge.toType, edge.toId, labels, inverse, edge.createdAt, archived);
        sql.putEdge.run(tenant, edge.toType, edge.toId, edge.fromType, edge.fromId, inverse, labels, edge.createdAt, archived);
      }
    } catch (error) {
      throw storageError(error, 'putEdges');
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
      throw storageError(error, 'deleteEdges');
    }
  }

  scanEdges(fromType: string, toType: string, request: EdgeScanRequest): { edges: StoredEdge[]; after?: string } {
    this.check(false);
    const { sql, tenant, cursors } = this.shared;
    const start = cursors.readEdge(fromType, toType, request.after);
    try {
      const limit = Math.max(1, Math.min(Math.floor(request.limit) || 1, 1_000_000));
      // One row more than asked tells whether another page follows.
      const rows =
        start === undefined
          ? sql.scanEdges.all(tenant, fromType, toType, limit + 1)
          : sql.scanEdgesAfter.all(tenant, fromType, toType, start[0], start[1], limit + 1);
      const count = Math.min(rows.length, limit);
      const edges: StoredEdge[] = new Array(count);
      for (let i = 0; i < count; i++) edges[i] = toEdge(fromType, rows[i]!);
      if (rows.length <= limit) return { edges };
      const last = edges[count - 1]!;
      return { edges, after: cursors.edge(fromType, toType, last.fromId, last.toId) };
    } catch (error) {
      throw storageError(error, 'scanEdges');
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
      throw storageError(error, 'appendEdgeHistory');
    }
  }

  readEdgeHistory(objectType: string, id: string): EdgeHistoryEntry[] {
    this.check(false);
    try {
      const { sql, tenant, sources } = this.shared;
      return sql.readEdgeHistory.all(tenant, objectType, id).map((row) => {
        const entry: EdgeHistoryEntry = {
          objectType,
          id,
          toType: row[0],
          toId: row[1],
          action: row[2] as EdgeHistoryEntry['action'],
          labelsBefore: labelsOf(row[3]),
          labelsAfter: labelsOf(row[4]),
          timestamp: row[6],
          source: sources.parse(row[7]),
        };
        if (row[5] !== null) entry.otherName = row[5];
        return entry;
      });
    } catch (error) {
      throw storageError(error, 'readEdgeHistory');
    }
  }

  getMeta(key: string): unknown {
    this.check(false);
    try {
      const text = this.shared.sql.getMeta.get(this.shared.tenant, key);
      return text === undefined ? undefined : JSON.parse(text);
    } catch (error) {
      throw storageError(error, 'getMeta');
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
      throw storageError(error, 'putMeta');
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
      throw storageError(error, 'appendHistory');
    }
  }

  readHistory(objectType: string, id: string): HistoryEntry[] {
    this.check(false);
    try {
      const { sql, tenant, sources } = this.shared;
      return sql.readHistory.all(tenant, objectType, id).map((row) => ({
        objectType,
        id,
        timestamp: row[0],
        source: sources.parse(row[1]),
        values: JSON.parse(row[2]) as Record<string, unknown>,
      }));
    } catch (error) {
      throw storageError(error, 'readHistory');
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
          save: db.prepare(`SAVEPOINT ${name}`),
          release: db.prepare(`RELEASE ${name}`),
          rollbackTo: db.prepare(`ROLLBACK TO ${name}`),
        };
      }
      statements.save.run();
    } catch (error) {
      throw storageError(error, 'savepoint');
    }
    this.depth = depth + 1;
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      this.depth = depth;
      // What the cache saw inside the savepoint is being undone.
      this.records.clear();
      try {
        statements.rollbackTo.run();
        statements.release.run();
      } catch (undo) {
        // The savepoint could not be undone: the whole transaction must fail, with this error.
        throw storageError(undo, 'savepoint rollback');
      }
      // The caller's error (or a primitive's STORAGE_ERROR), unchanged.
      throw error;
    }
    this.depth = depth;
    try {
      statements.release.run();
    } catch (error) {
      throw storageError(error, 'savepoint release');
    }
    return result;
  }
}

/**
 * Connections and statements kept reachable for the life of the process, on Node 24 and later
 * only. better-sqlite3 12 (the last line that runs on Node 20) builds its objects on the old
 * node::ObjectWrap, whose destructor on Node 24 asserts that a Node environment is current; when
 * the garbage collector frees a statement outside one, the process aborts
 * (WiseLibs/better-sqlite3#1515, closed without a fix; 13.x needs Node 22). Never collecting
 * them costs a few kilobytes per connection an application opens.
 */
const reachable: unknown[] | undefined = Number(process.versions.node.split('.')[0]) >= 24 ? [] : undefined;

/**
 * Keeps `db` and every statement prepared on it reachable, where needed. Statements come from
 * the native handle's `prepare` (which `prepare`, `pragma` and `transaction` all call), held by
 * the Database under a private symbol: that is the one place to catch them all.
 */
function keepReachable(db: Database.Database): void {
  if (!reachable || reachable.includes(db)) return;
  reachable.push(db);
  for (const symbol of Object.getOwnPropertySymbols(db)) {
    const handle = (db as unknown as Record<symbol, { prepare?: (...args: unknown[]) => unknown }>)[symbol];
    if (typeof handle?.prepare !== 'function') continue;
    const prepare = handle.prepare.bind(handle);
    handle.prepare = (...args: unknown[]) => {
      const statement = prepare(...args);
      reachable.push(statement);
      return statement;
    };
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
  private readonly shared: Shared;
  private readonly lock: Lock;
  private readonly lockKey: string | undefined;
  /** Whether the connection is this storage's to close (it opened it). */
  private readonly owned: boolean;
  private closing = false;
  private closed = false;

  /** @internal Use {@link sqliteStorage}. */
  constructor(db: Database.Database, tenant: string, owned: boolean) {
    keepReachable(db);
    this.tenant = tenant;
    this.owned = owned;
    this.shared = {
      db,
      sql: prepareStatements(db),
      tenant,
      cursors: new Cursors(tenant),
      sources: new SourceCache(),
      json: new WeakMap(),
      savepoints: [],
    };
    ({ lock: this.lock, key: this.lockKey } = lockFor(db));
  }

  /** The better-sqlite3 connection (for inspection and backups; do not write crmkit's tables behind its back). */
  get database(): Database.Database {
    return this.shared.db;
  }

  async transaction<T>(mode: 'read' | 'write', fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (this.closing) throw new CrmError('STORAGE_ERROR', 'sqlite storage is closed');
    const wait = this.lock.acquire();
    if (wait) await wait;
    try {
      if (this.closed) throw new CrmError('STORAGE_ERROR', 'sqlite storage is closed');
      const { sql, db } = this.shared;
      try {
        // IMMEDIATE takes the write lock up front: a write transaction never fails half-way
        // because another process started writing after it read.
        (mode === 'write' ? sql.beginImmediate : sql.begin).run();
      } catch (error) {
        throw storageError(error, 'begin');
      }
      const tx = new SqliteTx(this.shared, mode === 'write');
      let result: T;
      try {
        result = await fn(tx);
      } catch (error) {
        tx.done = true;
        this.rollbackQuietly(db);
        // The engine's own errors come back unchanged; driver errors were wrapped where they happened.
        throw error;
      }
      tx.done = true;
      try {
        sql.commit.run();
      } catch (error) {
        this.rollbackQuietly(db);
        throw storageError(error, 'commit');
      }
      return result;
    } finally {
      this.lock.release();
    }
  }

  /** Rolls back what is open; a failure here (the connection is gone) leaves nothing to undo. */
  private rollbackQuietly(db: Database.Database): void {
    try {
      if (db.open && db.inTransaction) this.shared.sql.rollback.run();
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
      if (this.owned && this.shared.db.open) this.shared.db.close();
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
        const image = this.shared.db.serialize();
        // Bytes 18-19 of the header say "WAL"; an in-memory copy has no log beside it, so mark it
        // as a rollback-journal database or SQLite cannot open it.
        image[18] = 1;
        image[19] = 1;
        const copy = new Database(image);
        keepReachable(copy);
        copy.pragma('foreign_keys = ON');
        return new SqliteStorage(copy, this.tenant, true);
      } catch (error) {
        throw storageError(error, 'fork');
      }
    });
  }
}

/**
 * Opens a SQLite {@link Storage}: a file path (created if missing, put in WAL mode, migrated to
 * the current schema), ':memory:' for a private in-memory database, or an open better-sqlite3
 * connection (left open by `close()`: it is yours). Several storages may share one file, each
 * on its own `tenant`.
 *
 * Throws CrmError STORAGE_ERROR when the file cannot be opened or was written by a newer
 * crmkit (a schema version this one does not know).
 *
 * @example
 * import { createCrm } from 'crmkit';
 * import { sqliteStorage } from 'crmkit/sqlite';
 *
 * const crm = await createCrm({ storage: sqliteStorage('./crm.db', { tenant: 'acme' }) });
 * await crm.records.create('contacts', { email: 'ana@acme.com' });
 */
export function sqliteStorage(file: string | Database.Database, options: SqliteStorageOptions = {}): SqliteStorage {
  const tenant = options.tenant ?? 'default';
  if (typeof tenant !== 'string' || tenant.length === 0) {
    throw new CrmError('VALIDATION_ERROR', 'sqliteStorage: tenant must be a non-empty string', {
      issues: [{ code: 'INVALID_ARGUMENT', property: 'tenant', message: 'tenant must be a non-empty string' }],
    });
  }
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new CrmError('VALIDATION_ERROR', "sqliteStorage: synchronous must be 'normal' or 'full'", {
      issues: [{ code: 'INVALID_ARGUMENT', property: 'synchronous', message: "synchronous must be 'normal' or 'full'" }],
    });
  }
  if (typeof file !== 'string' && !(file instanceof Database)) {
    throw new CrmError('VALIDATION_ERROR', 'sqliteStorage: file must be a path, ":memory:" or a better-sqlite3 Database', {
      issues: [{ code: 'INVALID_ARGUMENT', property: 'file', message: 'file must be a path, ":memory:" or a better-sqlite3 Database' }],
    });
  }
  const owned = typeof file === 'string';
  let db: Database.Database | undefined;
  try {
    db = owned ? new Database(file, { timeout: options.busyTimeoutMs ?? 5_000 }) : file;
    if (!db.open) throw new Error('the connection is closed');
    keepReachable(db); // before the first statement: the pragmas and the migration prepare some
    // Cascades (a record's history goes with it) and edge ends rely on foreign keys, which
    // SQLite enforces only when asked, per connection.
    db.pragma('foreign_keys = ON');
    if (!db.memory && owned) {
      // WAL: readers never block the writer, and a commit is one append to the log.
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    }
    migrate(db);
    return new SqliteStorage(db, tenant, owned);
  } catch (error) {
    if (owned && db?.open) db.close();
    throw storageError(error, 'open');
  }
}
