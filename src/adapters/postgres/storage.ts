// The PostgreSQL Storage: each crmkit call is one SERIALIZABLE transaction on one connection,
// retried as a whole on serialization failures and deadlocks, so that several processes on one
// database keep every invariant (PostgreSQL detects the conflicting interleavings; retrying
// re-runs the engine's checks on fresh data). Every statement is parameterised and filtered by
// tenant; batches travel as one JSON parameter (jsonb_to_recordset), so a batch of any size is
// one round trip and no name or value ever reaches SQL text.
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
import { CursorCodec } from './cursor.js';
import type { Driver, Row, Session } from './driver.js';
import { migrate } from './schema.js';

/** The adapter's tables (fixed names: nothing from input reaches SQL text). */
const TABLES = ['crmkit_records', 'crmkit_keys', 'crmkit_edges', 'crmkit_history', 'crmkit_edge_history', 'crmkit_meta'];

/** SQLSTATEs after which the whole transaction is worth running again. */
const RETRYABLE = new Set(['40001', '40P01']);

/** The SHA-256 of a text expression: unique keys are indexed by it (schema.ts). */
const HASH = (expression: string): string => `sha256(convert_to(${expression}, 'UTF8'))`;

/** An ISO-8601 UTC string with milliseconds (what the engine writes), whatever the session's TimeZone. */
const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const RECORD_COLUMNS = `id, object_type, properties, ${iso('created_at')} AS created_at, ${iso('updated_at')} AS updated_at, archived, ${iso('archived_at')} AS archived_at`;
const EDGE_COLUMNS = `from_type, from_id, to_type, to_id, labels, inverse_labels, ${iso('created_at')} AS created_at, archived`;

/** Settings of a {@link PostgresStorage} that the driver does not cover. */
export interface TransactionSettings {
  /** Attempts per transaction before a serialization failure becomes STORAGE_ERROR. */
  maxAttempts: number;
  /** The first retry waits up to this many ms (full jitter), doubling each time up to 1 s. */
  retryDelayMs: number;
  /** Called before each retry. */
  onRetry?: ((attempt: number, error: unknown) => void) | undefined;
}

/** Whether `error` came from the database (it has a SQLSTATE) or the connection, rather than from the engine. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function storageError(error: unknown, what: string): CrmError {
  if (error instanceof CrmError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const state = sqlState(error);
  return new CrmError('STORAGE_ERROR', `postgres storage: ${what} failed: ${message}`, {
    cause: error,
    ...(state ? { sqlState: state } : {}),
  });
}

function toRecord(row: Row): StoredRecord {
  const record: StoredRecord = {
    id: row.id as string,
    objectType: row.object_type as string,
    properties: Object.freeze(row.properties as Record<string, never>),
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    archived: row.archived as boolean,
    ...(row.archived_at !== null && row.archived_at !== undefined ? { archivedAt: row.archived_at as string } : {}),
  };
  return Object.freeze(record);
}

function toEdge(row: Row): StoredEdge {
  return Object.freeze({
    fromType: row.from_type as string,
    fromId: row.from_id as string,
    toType: row.to_type as string,
    toId: row.to_id as string,
    labels: Object.freeze(row.labels as string[]),
    inverseLabels: Object.freeze(row.inverse_labels as string[]),
    createdAt: row.created_at as string,
    archived: row.archived as boolean,
  });
}

const json = (value: unknown): string => JSON.stringify(value);

/** The primitives inside one transaction, on one session. */
class PostgresTx implements StorageTx {
  /** The first serialization failure or deadlock a statement hit: the transaction must be run again. */
  retryable: unknown;
  /** A statement failed for another reason (the connection may be gone). */
  failed: unknown;
  /** Rows inserted, for the statistics refresh of drivers without autovacuum. */
  written = 0;
  private savepoints = 0;

  constructor(
    private readonly session: Session,
    private readonly tenant: string,
    private readonly cursors: CursorCodec,
  ) {}

  private async q(text: string, params: unknown[], what: string): Promise<Row[]> {
    try {
      return await this.session.query(text, [this.tenant, ...params]);
    } catch (error) {
      const state = sqlState(error);
      if (state && RETRYABLE.has(state)) this.retryable ??= error;
      else this.failed ??= error;
      throw storageError(error, what);
    }
  }

  async getRecords(objectType: string, ids: readonly string[]): Promise<(StoredRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = await this.q(
      `SELECT ${RECORD_COLUMNS} FROM crmkit_records
       WHERE tenant = $1 AND object_type = $2 AND id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))`,
      [objectType, json(ids)],
      'getRecords',
    );
    const byId = new Map(rows.map((row) => [row.id as string, toRecord(row)]));
    return ids.map((id) => byId.get(id));
  }

  async insertRecords(records: readonly StoredRecord[]): Promise<string[]> {
    if (records.length === 0) return [];
    this.written += records.length;
    const rows = await this.q(
      `INSERT INTO crmkit_records (tenant, object_type, id, properties, created_at, updated_at, archived, archived_at)
       SELECT $1, r.t, r.i, r.p, r.c, r.u, r.a, r.x
       FROM jsonb_to_recordset($2::text::jsonb) AS r(o int, t text, i text, p jsonb, c timestamptz, u timestamptz, a boolean, x timestamptz)
       ORDER BY r.o
       ON CONFLICT (tenant, object_type, id) DO NOTHING
       RETURNING object_type, id`,
      [json(records.map((record, o) => ({ o, t: record.objectType, i: record.id, p: record.properties, c: record.createdAt, u: record.updatedAt, a: record.archived, x: record.archivedAt ?? null })))],
      'insertRecords',
    );
    // Each inserted (type, id) accounts for its first occurrence in the batch; every other one was taken.
    const inserted = new Set(rows.map((row) => `${row.object_type as string}\u0000${row.id as string}`));
    const taken: string[] = [];
    for (const record of records) {
      const name = `${record.objectType}\u0000${record.id}`;
      if (!inserted.delete(name)) taken.push(record.id);
    }
    return taken;
  }

  async updateRecords(records: readonly StoredRecord[]): Promise<void> {
    if (records.length === 0) return;
    // The last write of a record in a batch wins, as if applied one by one.
    const last = new Map(records.map((record) => [`${record.objectType}\u0000${record.id}`, record]));
    const rows = await this.q(
      `UPDATE crmkit_records AS rec
       SET properties = r.p, created_at = r.c, updated_at = r.u, archived = r.a, archived_at = r.x
       FROM jsonb_to_recordset($2::text::jsonb) AS r(t text, i text, p jsonb, c timestamptz, u timestamptz, a boolean, x timestamptz)
       WHERE rec.tenant = $1 AND rec.object_type = r.t AND rec.id = r.i
       RETURNING rec.id`,
      [json([...last.values()].map((record) => ({ t: record.objectType, i: record.id, p: record.properties, c: record.createdAt, u: record.updatedAt, a: record.archived, x: record.archivedAt ?? null })))],
      'updateRecords',
    );
    if (rows.length !== last.size) {
      // Abort the transaction: an update of a missing record is an engine bug, and a partial batch must not commit.
      throw new CrmError('STORAGE_ERROR', 'postgres storage: update of a record that does not exist');
    }
  }

  async deleteRecords(objectType: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // One statement: the records, their property and association history, and any edge left
    // at either end (the engine deletes edges first; this keeps the tables consistent anyway).
    await this.q(
      `WITH history AS (
         DELETE FROM crmkit_history WHERE tenant = $1 AND object_type = $2 AND record_id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))
       ), edge_history AS (
         DELETE FROM crmkit_edge_history WHERE tenant = $1 AND object_type = $2 AND record_id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))
       ), edges AS (
         DELETE FROM crmkit_edges
         WHERE tenant = $1 AND ((from_type = $2 AND from_id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))) OR (to_type = $2 AND to_id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))))
       )
       DELETE FROM crmkit_records WHERE tenant = $1 AND object_type = $2 AND id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))`,
      [objectType, json(ids)],
      'deleteRecords',
    );
  }

  async scanRecords(objectType: string, request: ScanRequest): Promise<ScanResult> {
    const after = request.after === undefined ? '0' : this.cursors.decode('records', objectType, request.after);
    const limit = Math.max(0, Math.floor(request.limit));
    // One row more than asked tells whether another page follows.
    const rows = await this.q(
      `SELECT ${RECORD_COLUMNS}, seq::text AS position FROM crmkit_records
       WHERE tenant = $1 AND object_type = $2 AND seq > $3::text::bigint AND ($4::boolean OR NOT archived)
       ORDER BY seq LIMIT $5::text::bigint`,
      [objectType, after, request.archived === true, String(limit + 1)],
      'scanRecords',
    );
    if (rows.length <= limit) return { records: rows.map(toRecord) };
    const page = rows.slice(0, limit);
    const lastSeq = limit === 0 ? after : (page[limit - 1]!.position as string);
    return { records: page.map(toRecord), after: this.cursors.encode('records', objectType, lastSeq) };
  }

  async lookupKeys(objectType: string, key: string, values: readonly string[]): Promise<(string | undefined)[]> {
    if (values.length === 0) return [];
    const rows = await this.q(
      `SELECT value, id FROM crmkit_keys
       WHERE tenant = $1 AND object_type = $2 AND key = $3
         AND value_hash = ANY (ARRAY(SELECT ${HASH('v')} FROM jsonb_array_elements_text($4::text::jsonb) AS v))`,
      [objectType, key, json(values)],
      'lookupKeys',
    );
    const holders = new Map(rows.map((row) => [row.value as string, row.id as string]));
    return values.map((value) => holders.get(value));
  }

  async claimKeys(objectType: string, claims: readonly KeyClaim[]): Promise<KeyConflict[]> {
    if (claims.length === 0) return [];
    this.written += claims.length;
    const batch = json(claims.map((claim, o) => ({ o, k: claim.key, v: claim.value, i: claim.id })));
    // One statement: the unique primary key arbitrates. The first claim of each free (key,
    // value) is inserted; a value held already is left as it is. A value being claimed by a
    // concurrent transaction makes the INSERT wait, then fail with a serialization error (the
    // call is retried). The SELECT reads the table as it was before the INSERT, so a holder is
    // the existing row, or else the inserted one.
    const rows = await this.q(
      `WITH claims AS (
         SELECT c.*, ${HASH('c.v')} AS h FROM jsonb_to_recordset($3::text::jsonb) AS c(o int, k text, v text, i text)
       ), inserted AS (
         INSERT INTO crmkit_keys (tenant, object_type, key, value_hash, value, id)
         SELECT DISTINCT ON (c.k, c.h) $1, $2, c.k, c.h, c.v, c.i FROM claims AS c ORDER BY c.k, c.h, c.o
         ON CONFLICT (tenant, object_type, key, value_hash) DO NOTHING
         RETURNING key, value_hash, id
       )
       SELECT c.k AS key, c.v AS value, coalesce(held.id, ins.id) AS id
       FROM claims AS c
       LEFT JOIN crmkit_keys AS held ON held.tenant = $1 AND held.object_type = $2 AND held.key = c.k AND held.value_hash = c.h
       LEFT JOIN inserted AS ins ON ins.key = c.k AND ins.value_hash = c.h`,
      [objectType, batch],
      'claimKeys',
    );
    const holders = new Map(rows.map((row) => [`${row.key as string}\u0000${row.value as string}`, row.id as string]));
    const conflicts: KeyConflict[] = [];
    claims.forEach((claim, index) => {
      const holder = holders.get(`${claim.key}\u0000${claim.value}`);
      if (holder !== undefined && holder !== claim.id) conflicts.push({ index, existingId: holder });
    });
    return conflicts;
  }

  async releaseKeys(objectType: string, claims: readonly KeyClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.q(
      `DELETE FROM crmkit_keys AS held
       USING jsonb_to_recordset($3::text::jsonb) AS c(k text, v text, i text)
       WHERE held.tenant = $1 AND held.object_type = $2 AND held.key = c.k AND held.value_hash = ${HASH('c.v')} AND held.id = c.i`,
      [objectType, json(claims.map((claim) => ({ k: claim.key, v: claim.value, i: claim.id })))],
      'releaseKeys',
    );
  }

  async getEdges(objectType: string, ids: readonly string[], toType?: string): Promise<StoredEdge[][]> {
    if (ids.length === 0) return [];
    const rows = await this.q(
      `SELECT ${EDGE_COLUMNS} FROM crmkit_edges
       WHERE tenant = $1 AND from_type = $2 AND from_id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))
         ${toType === undefined ? '' : 'AND to_type = $4'}
       ORDER BY seq`,
      toType === undefined ? [objectType, json(ids)] : [objectType, json(ids), toType],
      'getEdges',
    );
    const byId = new Map<string, StoredEdge[]>(ids.map((id) => [id, []]));
    for (const row of rows) byId.get(row.from_id as string)?.push(toEdge(row));
    // A repeated id gets its own copy of the list.
    const seen = new Set<string>();
    return ids.map((id) => {
      const list = byId.get(id)!;
      if (seen.has(id)) return list.slice();
      seen.add(id);
      return list;
    });
  }

  async putEdges(edges: readonly StoredEdge[]): Promise<void> {
    if (edges.length === 0) return;
    this.written += edges.length;
    // Each edge and its inverse, one row per direction. A pair named twice in one batch (an
    // edge and its inverse, or a self-association) keeps its first place and its last value,
    // as if put one by one; one INSERT may not touch a row twice.
    const rows = new Map<string, { o: number; ft: string; fi: string; tt: string; ti: string; l: readonly string[]; il: readonly string[]; c: string; a: boolean }>();
    const put = (ft: string, fi: string, tt: string, ti: string, l: readonly string[], il: readonly string[], c: string, a: boolean): void => {
      const name = `${ft}\u0000${fi}\u0000${tt}\u0000${ti}`;
      rows.set(name, { o: rows.get(name)?.o ?? rows.size, ft, fi, tt, ti, l, il, c, a });
    };
    for (const edge of edges) {
      put(edge.fromType, edge.fromId, edge.toType, edge.toId, edge.labels, edge.inverseLabels, edge.createdAt, edge.archived);
      put(edge.toType, edge.toId, edge.fromType, edge.fromId, edge.inverseLabels, edge.labels, edge.createdAt, edge.archived);
    }
    // A new row gets the next seq (rows are inserted in batch order); a replaced row keeps its seq.
    await this.q(
      `INSERT INTO crmkit_edges (tenant, from_type, from_id, to_type, to_id, labels, inverse_labels, created_at, archived)
       SELECT $1, e.ft, e.fi, e.tt, e.ti, e.l, e.il, e.c, e.a
       FROM jsonb_to_recordset($2::text::jsonb) AS e(o int, ft text, fi text, tt text, ti text, l jsonb, il jsonb, c timestamptz, a boolean)
       ORDER BY e.o
       ON CONFLICT (tenant, from_type, from_id, to_type, to_id)
       DO UPDATE SET labels = excluded.labels, inverse_labels = excluded.inverse_labels, created_at = excluded.created_at, archived = excluded.archived`,
      [json([...rows.values()])],
      'putEdges',
    );
  }

  async deleteEdges(edges: readonly EdgeEnds[]): Promise<void> {
    if (edges.length === 0) return;
    const ends = edges.flatMap((edge) => [
      { ft: edge.fromType, fi: edge.fromId, tt: edge.toType, ti: edge.toId },
      { ft: edge.toType, fi: edge.toId, tt: edge.fromType, ti: edge.fromId },
    ]);
    await this.q(
      `DELETE FROM crmkit_edges AS d
       USING jsonb_to_recordset($2::text::jsonb) AS e(ft text, fi text, tt text, ti text)
       WHERE d.tenant = $1 AND d.from_type = e.ft AND d.from_id = e.fi AND d.to_type = e.tt AND d.to_id = e.ti`,
      [json(ends)],
      'deleteEdges',
    );
  }

  async scanEdges(fromType: string, toType: string, request: EdgeScanRequest): Promise<{ edges: StoredEdge[]; after?: string }> {
    const scope = `${fromType}\u0000${toType}`;
    const after = request.after === undefined ? '0' : this.cursors.decode('edges', scope, request.after);
    const limit = Math.max(1, Math.floor(request.limit));
    const rows = await this.q(
      `SELECT ${EDGE_COLUMNS}, seq::text AS position FROM crmkit_edges
       WHERE tenant = $1 AND from_type = $2 AND to_type = $3 AND seq > $4::text::bigint
       ORDER BY seq LIMIT $5::text::bigint`,
      [fromType, toType, after, String(limit + 1)],
      'scanEdges',
    );
    if (rows.length <= limit) return { edges: rows.map(toEdge) };
    const page = rows.slice(0, limit);
    return { edges: page.map(toEdge), after: this.cursors.encode('edges', scope, page[limit - 1]!.position as string) };
  }

  async appendEdgeHistory(entries: readonly EdgeHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.written += entries.length;
    await this.q(
      `INSERT INTO crmkit_edge_history (tenant, object_type, record_id, to_type, to_id, action, labels_before, labels_after, other_name, at, source)
       SELECT $1, h.t, h.i, h.tt, h.ti, h.a, h.lb, h.la, h.n, h.at, h.s
       FROM jsonb_to_recordset($2::text::jsonb) AS h(o int, t text, i text, tt text, ti text, a text, lb jsonb, la jsonb, n text, at timestamptz, s jsonb)
       ORDER BY h.o`,
      [
        json(
          entries.map((entry, o) => ({
            o,
            t: entry.objectType,
            i: entry.id,
            tt: entry.toType,
            ti: entry.toId,
            a: entry.action,
            lb: entry.labelsBefore,
            la: entry.labelsAfter,
            n: entry.otherName ?? null,
            at: entry.timestamp,
            s: entry.source,
          })),
        ),
      ],
      'appendEdgeHistory',
    );
  }

  async readEdgeHistory(objectType: string, id: string): Promise<EdgeHistoryEntry[]> {
    const rows = await this.q(
      `SELECT to_type, to_id, action, labels_before, labels_after, other_name, ${iso('at')} AS at, source FROM crmkit_edge_history
       WHERE tenant = $1 AND object_type = $2 AND record_id = $3 ORDER BY seq`,
      [objectType, id],
      'readEdgeHistory',
    );
    return rows.map((row) => ({
      objectType,
      id,
      toType: row.to_type as string,
      toId: row.to_id as string,
      action: row.action as EdgeHistoryEntry['action'],
      labelsBefore: row.labels_before as string[],
      labelsAfter: row.labels_after as string[],
      ...(row.other_name !== null && row.other_name !== undefined ? { otherName: row.other_name as string } : {}),
      timestamp: row.at as string,
      source: row.source as Source,
    }));
  }

  async getMeta(key: string): Promise<unknown> {
    const [row] = await this.q('SELECT value FROM crmkit_meta WHERE tenant = $1 AND key = $2', [key], 'getMeta');
    return row?.value;
  }

  async putMeta(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      await this.q('DELETE FROM crmkit_meta WHERE tenant = $1 AND key = $2', [key], 'putMeta');
      return;
    }
    await this.q(
      `INSERT INTO crmkit_meta (tenant, key, value) VALUES ($1, $2, $3::text::jsonb)
       ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value`,
      [key, json(value)],
      'putMeta',
    );
  }

  async appendHistory(entries: readonly HistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.written += entries.length;
    await this.q(
      `INSERT INTO crmkit_history (tenant, object_type, record_id, at, source, changes)
       SELECT $1, h.t, h.i, h.at, h.s, h.v
       FROM jsonb_to_recordset($2::text::jsonb) AS h(o int, t text, i text, at timestamptz, s jsonb, v jsonb)
       ORDER BY h.o`,
      [json(entries.map((entry, o) => ({ o, t: entry.objectType, i: entry.id, at: entry.timestamp, s: entry.source, v: entry.values })))],
      'appendHistory',
    );
  }

  async readHistory(objectType: string, id: string): Promise<HistoryEntry[]> {
    const rows = await this.q(
      `SELECT ${iso('at')} AS at, source, changes FROM crmkit_history
       WHERE tenant = $1 AND object_type = $2 AND record_id = $3 ORDER BY seq`,
      [objectType, id],
      'readHistory',
    );
    return rows.map((row) => ({ objectType, id, timestamp: row.at as string, source: row.source as Source, values: row.changes as Record<string, unknown> }));
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    // Names come from a counter, never from input.
    const name = `crmkit_sp_${++this.savepoints}`;
    await this.raw(`SAVEPOINT ${name}`, 'savepoint');
    const failedBefore = this.failed;
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      // Undo fn's writes and leave the transaction usable, even after a failed statement: once
      // rolled back to the savepoint, a statement that failed inside no longer dooms the
      // transaction. If the rollback itself fails (connection gone), the failure stays recorded.
      try {
        await this.raw(`ROLLBACK TO SAVEPOINT ${name}`, 'savepoint');
        await this.raw(`RELEASE SAVEPOINT ${name}`, 'savepoint');
        this.failed = failedBefore;
      } catch {
        // recorded in this.failed by raw()
      }
      throw error;
    }
    await this.raw(`RELEASE SAVEPOINT ${name}`, 'savepoint');
    return result;
  }

  /** A statement without the tenant parameter (transaction control). */
  async raw(text: string, what: string): Promise<void> {
    try {
      await this.session.query(text);
    } catch (error) {
      const state = sqlState(error);
      if (state && RETRYABLE.has(state)) this.retryable ??= error;
      else this.failed ??= error;
      throw storageError(error, what);
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * crmkit's PostgreSQL {@link Storage}. Make one with {@link postgresStorage}; several (on other
 * tenants, or in other processes) may share one database.
 *
 * @example
 * const storage = postgresStorage({ connectionString: process.env.DATABASE_URL, tenant: 'acme' });
 * const crm = await createCrm({ storage });
 * console.log(storage.stats.retries);
 */
export class PostgresStorage implements Storage {
  /** Counters since the storage was made: committed transactions, and whole-transaction retries. */
  readonly stats = { transactions: 0, retries: 0 };
  private ready: Promise<CursorCodec> | undefined;
  private closed = false;
  /** Rows written before the last statistics refresh, and since (see analyzeIfGrown). */
  private analyzedAt = 0;
  private sinceAnalyze = 0;

  /** @internal Use {@link postgresStorage}. */
  constructor(
    private readonly driver: () => Promise<Driver>,
    readonly tenant: string,
    private readonly settings: TransactionSettings,
  ) {}

  /** Migrates the database (once per storage) and answers the cursor codec for this tenant. */
  private prepare(): Promise<CursorCodec> {
    this.ready ??= (async () => {
      const driver = await this.driver();
      const session = await driver.acquire();
      try {
        const secret = await migrate(session);
        session.release();
        return new CursorCodec(secret, this.tenant);
      } catch (error) {
        session.release(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    })().catch((error: unknown) => {
      // A failed start (server down) is retried by the next call.
      this.ready = undefined;
      throw storageError(error, 'opening the database');
    });
    return this.ready;
  }

  async transaction<T>(mode: 'read' | 'write', fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (this.closed) throw new CrmError('STORAGE_ERROR', 'postgres storage is closed');
    const cursors = await this.prepare();
    const driver = await this.driver();
    const { maxAttempts, retryDelayMs, onRetry } = this.settings;
    for (let attempt = 1; ; attempt++) {
      let session: Session;
      try {
        session = await driver.acquire();
      } catch (error) {
        throw storageError(error, 'connecting');
      }
      const tx = new PostgresTx(session, this.tenant, cursors);
      // Set when the connection may be dead or mid-transaction: the pool then discards it.
      let broken: Error | undefined;
      const rollback = async (): Promise<void> => {
        await tx.raw('ROLLBACK', 'rollback').catch((error: unknown) => {
          broken = error instanceof Error ? error : new Error(String(error));
        });
      };
      try {
        try {
          await tx.raw(mode === 'read' ? 'BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY' : 'BEGIN ISOLATION LEVEL SERIALIZABLE', 'begin');
        } catch (error) {
          broken = error as Error;
          throw error;
        }
        let result: T | undefined;
        let thrown: unknown;
        let threw = false;
        try {
          result = await fn(tx);
        } catch (error) {
          thrown = error;
          threw = true;
        }
        if (!threw && tx.retryable === undefined && tx.failed === undefined) {
          try {
            await tx.raw('COMMIT', 'commit');
            this.stats.transactions++;
            if (driver.analyzes && tx.written > 0) await this.analyzeIfGrown(session, tx.written);
            return result as T;
          } catch (error) {
            // A failed COMMIT has ended the transaction; a lost connection is discarded.
            if (tx.retryable === undefined) {
              broken = error as Error;
              throw error;
            }
          }
        } else {
          await rollback();
        }
        if (tx.retryable !== undefined) {
          // A serialization failure or deadlock anywhere means fn worked on data another
          // transaction changed: whatever fn concluded (even an error it threw), run it again.
          if (attempt >= maxAttempts) {
            throw new CrmError('STORAGE_ERROR', `postgres storage: transaction still conflicting after ${attempt} attempts`, {
              cause: tx.retryable,
              attempts: attempt,
            });
          }
          this.stats.retries++;
          onRetry?.(attempt, tx.retryable);
        } else if (tx.failed !== undefined && !threw) {
          // fn swallowed a failed statement: the transaction cannot commit.
          throw storageError(tx.failed, 'a statement');
        } else {
          throw thrown;
        }
      } finally {
        session.release(broken);
      }
      await sleep(Math.random() * Math.min(1_000, retryDelayMs * 2 ** (attempt - 1)));
    }
  }

  /**
   * Refreshes planner statistics when the rows written since the last refresh reach the rows
   * written before it (and at least 500): a geometric schedule, so the cost stays proportional
   * to the data. Only for drivers without autovacuum (PGlite); a failure here is harmless.
   */
  private async analyzeIfGrown(session: Session, written: number): Promise<void> {
    this.sinceAnalyze += written;
    if (this.sinceAnalyze < Math.max(500, this.analyzedAt)) return;
    this.analyzedAt += this.sinceAnalyze;
    this.sinceAnalyze = 0;
    await session.query(`ANALYZE ${TABLES.join(', ')}`).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ready) await this.ready.catch(() => {});
    await (await this.driver()).close();
  }
}
