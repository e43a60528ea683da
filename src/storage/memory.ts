// The in-memory storage adapter: crmkit's default and its fastest. Records live in Maps; every
// mutation inside a transaction pushes its inverse onto an undo log, so a failed transaction
// (or savepoint) is rolled back by replaying the log backwards. Transactions run one at a time,
// which makes them serialisable without any further locking.
import { CrmError } from '../errors.js';
import type {
  HistoryEntry,
  KeyClaim,
  KeyConflict,
  ScanRequest,
  ScanResult,
  Storage,
  StorageTx,
  StoredRecord,
} from './types.js';

/** Everything stored for one object type. */
class TypeTable {
  readonly records = new Map<string, StoredRecord>();
  /** Position of each record in `order`: the scan order, which is creation order. */
  readonly position = new Map<string, number>();
  /** Record ids by creation; a purged record leaves a hole so later positions never move. */
  readonly order: (string | undefined)[] = [];
  /** key namespace → normalised value → holding record id. */
  readonly keys = new Map<string, Map<string, string>>();
  readonly history = new Map<string, HistoryEntry[]>();

  clone(): TypeTable {
    const copy = new TypeTable();
    for (const [id, record] of this.records) copy.records.set(id, record);
    for (const [id, at] of this.position) copy.position.set(id, at);
    copy.order.push(...this.order);
    for (const [key, values] of this.keys) copy.keys.set(key, new Map(values));
    for (const [id, entries] of this.history) copy.history.set(id, entries.slice());
    return copy;
  }
}

class MemoryState {
  readonly types = new Map<string, TypeTable>();
  readonly meta = new Map<string, unknown>();

  table(objectType: string): TypeTable {
    let table = this.types.get(objectType);
    if (!table) {
      table = new TypeTable();
      this.types.set(objectType, table);
    }
    return table;
  }

  clone(): MemoryState {
    const copy = new MemoryState();
    for (const [type, table] of this.types) copy.types.set(type, table.clone());
    for (const [key, value] of this.meta) copy.meta.set(key, value);
    return copy;
  }
}

type Undo = () => void;

const CURSOR_PATTERN = /^m[0-9]+$/;

class MemoryTx implements StorageTx {
  private readonly undo: Undo[] = [];

  constructor(
    private readonly state: MemoryState,
    private readonly writable: boolean,
  ) {}

  getRecords(objectType: string, ids: readonly string[]): (StoredRecord | undefined)[] {
    const records = this.state.types.get(objectType)?.records;
    if (!records) return ids.map(() => undefined);
    return ids.map((id) => records.get(id));
  }

  putRecords(records: readonly StoredRecord[]): void {
    this.assertWritable();
    if (records.length === 0) return;
    const previous: (StoredRecord | undefined)[] = new Array(records.length);
    const tables: TypeTable[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const table = this.state.table(record.objectType);
      tables[i] = table;
      previous[i] = table.records.get(record.id);
      if (previous[i] === undefined) {
        table.position.set(record.id, table.order.length);
        table.order.push(record.id);
      }
      table.records.set(record.id, record);
    }
    this.undo.push(() => {
      for (let i = records.length - 1; i >= 0; i--) {
        const record = records[i]!;
        const table = tables[i]!;
        const before = previous[i];
        if (before === undefined) {
          table.records.delete(record.id);
          table.position.delete(record.id);
          table.order.pop();
        } else {
          table.records.set(record.id, before);
        }
      }
    });
  }

  deleteRecords(objectType: string, ids: readonly string[]): void {
    this.assertWritable();
    const table = this.state.types.get(objectType);
    if (!table) return;
    const removed: Array<{ record: StoredRecord; at: number }> = [];
    for (const id of ids) {
      const record = table.records.get(id);
      if (record === undefined) continue;
      const at = table.position.get(id)!;
      removed.push({ record, at });
      table.records.delete(id);
      table.position.delete(id);
      table.order[at] = undefined;
    }
    this.undo.push(() => {
      for (const { record, at } of removed) {
        table.records.set(record.id, record);
        table.position.set(record.id, at);
        table.order[at] = record.id;
      }
    });
  }

  scanRecords(objectType: string, request: ScanRequest): ScanResult {
    let start = 0;
    if (request.after !== undefined) {
      if (!CURSOR_PATTERN.test(request.after)) {
        throw new CrmError('VALIDATION_ERROR', `memory storage: ${JSON.stringify(request.after)} is not one of its cursors`, {
          issues: [{ code: 'INVALID_CURSOR', message: 'unknown cursor' }],
        });
      }
      start = Number(request.after.slice(1)) + 1;
    }
    const table = this.state.types.get(objectType);
    if (!table) return { records: [] };
    const records: StoredRecord[] = [];
    const { order } = table;
    let at = start;
    for (; at < order.length && records.length < request.limit; at++) {
      const id = order[at];
      if (id === undefined) continue;
      const record = table.records.get(id)!;
      if (record.archived && !request.archived) continue;
      records.push(record);
    }
    return at < order.length ? { records, after: `m${at - 1}` } : { records };
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
    for (let i = 0; i < claims.length; i++) {
      const claim = claims[i]!;
      let held = table.keys.get(claim.key);
      if (!held) {
        held = new Map();
        table.keys.set(claim.key, held);
      }
      const holder = held.get(claim.value);
      if (holder === undefined) {
        held.set(claim.value, claim.id);
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
    const table = this.state.types.get(objectType);
    if (!table) return;
    const released: KeyClaim[] = [];
    for (const claim of claims) {
      const held = table.keys.get(claim.key);
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
    for (const entry of entries) {
      const { history } = this.state.table(entry.objectType);
      const list = history.get(entry.id);
      if (list) list.push(entry);
      else history.set(entry.id, [entry]);
    }
    this.undo.push(() => {
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i]!;
        const { history } = this.state.table(entry.objectType);
        const list = history.get(entry.id)!;
        list.pop();
        if (list.length === 0) history.delete(entry.id);
      }
    });
  }

  readHistory(objectType: string, id: string): HistoryEntry[] {
    return this.state.types.get(objectType)?.history.get(id)?.slice() ?? [];
  }

  deleteHistory(objectType: string, ids: readonly string[]): void {
    this.assertWritable();
    const history = this.state.types.get(objectType)?.history;
    if (!history) return;
    const removed: Array<[string, HistoryEntry[]]> = [];
    for (const id of ids) {
      const list = history.get(id);
      if (list) {
        removed.push([id, list]);
        history.delete(id);
      }
    }
    this.undo.push(() => {
      for (const [id, list] of removed) history.set(id, list);
    });
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
    }
  >;
}

/**
 * The in-memory {@link Storage}: crmkit's default. Transactions run one at a time; a failed
 * one is rolled back from an undo log. `fork()` makes an independent copy cheaply (records are
 * immutable and shared).
 *
 * @example
 * import { createCrm, memoryStorage } from 'crmkit';
 * const storage = memoryStorage();
 * const crm = await createCrm({ storage });
 */
export class MemoryStorage implements Storage {
  private state: MemoryState;
  private busy = false;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(state: MemoryState = new MemoryState()) {
    this.state = state;
  }

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

  async fork(): Promise<MemoryStorage> {
    return this.transaction('read', async () => new MemoryStorage(this.state.clone()));
  }

  /** A JSON-friendly copy of the whole state, in a stable order. */
  snapshot(): MemorySnapshot {
    const sorted = <V>(entries: Iterable<[string, V]>): Array<[string, V]> =>
      [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const types: MemorySnapshot['types'] = {};
    // Empty containers left behind by a rolled-back write are not state: leave them out.
    for (const [type, table] of sorted(this.state.types)) {
      const keys = sorted(table.keys).filter(([, values]) => values.size > 0);
      if (table.records.size === 0 && keys.length === 0 && table.history.size === 0) continue;
      types[type] = {
        records: table.order.flatMap((id) => (id === undefined ? [] : [table.records.get(id)!])),
        keys: Object.fromEntries(keys.map(([key, values]) => [key, Object.fromEntries(sorted(values))])),
        history: Object.fromEntries(sorted(table.history)),
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
