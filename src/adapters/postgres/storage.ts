// The PostgreSQL Storage: each crmkit call is one SERIALIZABLE transaction on one connection,
// retried as a whole on serialization failures and deadlocks, so that several processes on one
// database keep every invariant (PostgreSQL detects the conflicting interleavings; retrying
// re-runs the engine's checks on fresh data). Every statement is parameterised and filtered by
// tenant, so no name or value ever reaches SQL text.
//
// Every statement touches only the rows it needs, whatever the planner statistics say. Under
// SERIALIZABLE a read takes predicate (SIRead) locks on what it scanned, and a scan that reads a
// tenant's every key or record (or more than a few dozen pages, which PostgreSQL then promotes
// to a lock on the whole relation) conflicts with every concurrent write. Without statistics —
// a new table, or a tenant that grew since the last ANALYZE — the planner believes
// `tenant = $1 AND object_type = $2` matches about one row, so to it every plan looks as cheap
// as an index probe: it hash-joined a batch with the tenant's whole key range, and it used
// `id = ANY($3)` as a filter over that range rather than as an index condition (PostgreSQL
// before 17 builds index paths without a lower-column `= ANY` and keeps them on a tie). Measured
// on PGlite (PostgreSQL 18) and a server (15), never analysed, the shapes that hold are:
// - a batch is looked up key by key: `unnest($n::text[]) AS k CROSS JOIN LATERAL (SELECT …
//   WHERE … AND id = k.id OFFSET 0)`. OFFSET 0 keeps the subquery from being flattened into a
//   join, so it runs once per key with plain equalities on every primary-key column: an index
//   probe, the only plan that uses them all. One key is a plain `id = $3` (it plans faster);
// - each lookup has exactly one index it can use (the primary key): the indexes that serve
//   ordered scans are partial on a predicate only those scans state (schema.ts, version 2);
// - UPDATE and DELETE find their rows with those probes and then name them by `ctid = ANY(…)`
//   (a TID scan: the physical rows found, nothing else);
// - a key claim is an INSERT … ON CONFLICT DO NOTHING, which reads nothing under a predicate
//   lock (the unique index arbitrates); holders are read back only for claims not inserted.
// Batches of new rows travel as one JSON parameter (jsonb_to_recordset): one round trip, no read.
// Planner settings (enable_hashjoin, enable_seqscan off) do not help: with every range taken for
// one row, a nested loop over the whole range costs the same as one over probes.
// test/adapters/postgres-plans.test.ts checks the plans and the predicate locks.
import { createHash } from 'node:crypto';
import { CrmError, StorageCursors, edgePageScope, evaluateAggregate, evaluateSearch } from 'crmkit/storage';
import type { AggregateAnswer, AggregatePlan, EdgeEnds, EdgeHistoryEntry, EdgePage, EdgePageRequest, EdgeScanRequest, HistoryEntry, KeyClaim, KeyConflict, PlanProperty, ScanRequest, ScanResult, SearchExplanation, SearchPage, SearchPlan, Source, Storage, StorageTx, StoredEdge, StoredRecord } from 'crmkit/storage';
import { postgresDialect, postgresSearch } from './dialect.js';
import type { Driver, Row, Session } from './driver.js';
import { migrate, MIGRATION_LOCK } from './schema.js';
import { asStorageError, databaseCode, storageFailure, type StorageOutcome } from '../sql/errors.js';
import { keysetPage, pageSize } from '../sql/paging.js';
import { edgeHistoryEntryOf, historyEntryOf, sharedLabels, storedEdgeOf, storedRecordOf } from '../sql/rows.js';
import { aggregateCompilable, bucketsOfRows, compileAggregate } from '../sql/aggregate.js';
import { compilable, compileCountProbe, compileListProbe, compileSearch, conjuncts, FEW_MATCHES_PER_ROW, indexedConditions, listConjunct, type SearchHints } from '../sql/search.js';
import { indexStatements } from '../sql/search-indexes.js';
import { autovacuumRuns, Maintenance } from './maintenance.js';
import { edgeColumns, recordColumns, sharedStatements } from '../sql/statements.js';
import { edgeEndsBothWays, edgeRowsBothWays, keyConflicts } from '../sql/writes.js';

export type { StorageOutcome } from '../sql/errors.js';

/** SQLSTATEs after which the whole transaction is worth running again. */
const RETRYABLE = new Set(['40001', '40P01']);

const shared = sharedStatements(postgresDialect);
const RECORD_COLUMNS = recordColumns(postgresDialect);
const EDGE_COLUMNS = edgeColumns(postgresDialect);

/**
 * A timestamptz as whole microseconds since 1970, exactly (as text): whole seconds and the
 * microseconds within the second apart, since before PostgreSQL 14 `extract` answers a double,
 * too coarse for microseconds since 1970.
 */
const MICROS = (column: string): string =>
  `(extract(epoch FROM date_trunc('second', ${column}))::bigint * 1000000 + extract(microseconds FROM ${column})::bigint % 1000000)::text`;

/** Settings of a {@link PostgresStorage} that the driver does not cover. */
export interface TransactionSettings {
  /** Attempts per transaction before a serialization failure becomes STORAGE_ERROR. */
  maxAttempts: number;
  /** The first retry waits up to this many ms (full jitter), doubling each time up to 1 s. */
  retryDelayMs: number;
  /** Called before each retry. */
  onRetry?: ((attempt: number, error: unknown) => void) | undefined;
  /** Whether to VACUUM ANALYZE the records and edges after enough writes; undefined: when the database runs no autovacuum. */
  maintenance?: boolean | undefined;
}

/** Whether `error` came from the database (it has a SQLSTATE) or the connection, rather than from the engine. */
function sqlState(error: unknown): string | undefined {
  return databaseCode(error, (code) => /^[0-9A-Z]{5}$/.test(code));
}

/** A driver or database failure as this adapter's STORAGE_ERROR (SQLSTATE as `details.sqlState`); a CrmError passes unchanged. */
function storageError(error: unknown, what: string, outcome: StorageOutcome = 'rolled_back'): CrmError {
  return asStorageError('postgres', error, what, 'sqlState', sqlState(error), outcome);
}

/**
 * The outcome of a COMMIT that failed: an answer from the server (an error with a SQLSTATE)
 * means it did not commit; anything else (the connection closed or timed out while the answer
 * was awaited) means it may have.
 *
 * @example
 * commitOutcome(new Error('Connection terminated unexpectedly')); // 'unknown'
 */
export function commitOutcome(error: unknown): StorageOutcome {
  return sqlState(error) === undefined ? 'unknown' : 'rolled_back';
}

/**
 * A stored time as the engine wrote it, ISO-8601 UTC with milliseconds. Read as the driver
 * answers a timestamptz: a Date (node-postgres' and PGlite's own parsers), or its text in
 * DateStyle ISO where a caller's type parser keeps text (`pg.types.setTypeParser(1184, String)`).
 */
function isoTime(value: unknown): string {
  const time = value instanceof Date ? value : typeof value === 'string' ? new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) throw storageFailure('postgres', `: a time column answered ${JSON.stringify(String(value))}, not a timestamp`);
  return time.toISOString();
}

function toRecord(objectType: string, row: Row): StoredRecord {
  const archivedAt = row.archived_at === null || row.archived_at === undefined ? null : isoTime(row.archived_at);
  return storedRecordOf(objectType, row.id as string, row.properties as Record<string, unknown>, isoTime(row.created_at), isoTime(row.updated_at), row.archived as boolean, archivedAt);
}

function toEdge(fromType: string, row: Row): StoredEdge {
  const text = (column: string): string => row[column] as string;
  const labels = (column: string): readonly string[] => sharedLabels(row[column] as string[]);
  return storedEdgeOf(fromType, text('from_id'), text('to_type'), text('to_id'), labels('labels'), labels('inverse_labels'), isoTime(row.created_at), row.archived as boolean);
}

const json = (value: unknown): string => JSON.stringify(value);

/** The distinct values: one probe each. */
const distinct = (values: Iterable<string>): string[] => [...new Set(values)];

/**
 * The SHA-256 of a unique value's UTF-8 bytes: what crmkit_keys is keyed by (schema.ts). The
 * same bytes as `sha256(convert_to(value, 'UTF8'))`, which version 1 computed in SQL.
 */
function valueHash(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** How a search page is steered (PostgresTx.steering). */
interface Steering {
  readonly hints: SearchHints;
  /** The total, when counting the matches to steer counted them all. */
  readonly total?: number;
  /** Sorts are off for the page's first statement, which walks the sort's index (see PostgresTx.steering). */
  readonly walkSort?: boolean;
}

/** The primitives inside one transaction, on one session. */
class PostgresTx implements StorageTx {
  /** The first serialization failure or deadlock a statement hit: the transaction must be run again. */
  retryable: unknown;
  /** A statement failed for another reason (the connection may be gone). */
  failed: unknown;
  /** Rows of records and edges this transaction wrote (./maintenance.ts). */
  written = 0;
  private savepoints = 0;
  /** Whether sorts are off for the rest of this transaction (see pageEdges). */
  private sortsOff = false;
  /** The `enable_sort` to put back before the next statement: a search page walked an index with sorts off (see steering). */
  private sortsWere: string | undefined;

  constructor(
    private readonly session: Session,
    private readonly tenant: string,
    private readonly cursors: StorageCursors,
  ) {}

  /**
   * Runs one statement with the tenant as $1. A search that walked an index with sorts off has
   * them put back first (`sortsWere`), unless `sortsOff` (the page's own statement).
   */
  private async q(text: string, params: unknown[], what: string, sortsOff = false): Promise<Row[]> {
    if (this.sortsWere !== undefined && !sortsOff) {
      const was = this.sortsWere;
      this.sortsWere = undefined;
      await this.q(`SELECT set_config('enable_sort', $2::text, true), $1::text AS tenant`, [was], what);
    }
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
    const wanted = distinct(ids);
    // One id (a get): the plain probe plans faster than the batch form.
    const rows = await this.q(
      wanted.length === 1
        ? shared.getRecord
        : `SELECT r.* FROM unnest($3::text[]) AS k(id)
           CROSS JOIN LATERAL (SELECT ${RECORD_COLUMNS} FROM crmkit_records WHERE tenant = $1 AND object_type = $2 AND id = k.id OFFSET 0) AS r`,
      [objectType, wanted.length === 1 ? wanted[0] : wanted],
      'getRecords',
    );
    const byId = new Map(rows.map((row) => [row.id as string, toRecord(objectType, row)]));
    return ids.map((id) => byId.get(id));
  }

  async insertRecords(records: readonly StoredRecord[]): Promise<string[]> {
    if (records.length === 0) return [];
    this.written += records.length;
    // ON CONFLICT DO NOTHING reads nothing under a predicate lock: the primary key arbitrates.
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
    this.written += last.size;
    // Each record found by a primary-key probe, then updated by its ctid (see the top of the file).
    const rows = await this.q(
      `WITH found AS MATERIALIZED (
         SELECT f.row_id, r.p, r.c, r.u, r.a, r.x
         FROM jsonb_to_recordset($2::text::jsonb) AS r(t text, i text, p jsonb, c timestamptz, u timestamptz, a boolean, x timestamptz)
         CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_records WHERE tenant = $1 AND object_type = r.t AND id = r.i OFFSET 0) AS f
       )
       UPDATE crmkit_records AS rec
       SET properties = found.p, created_at = found.c, updated_at = found.u, archived = found.a, archived_at = found.x
       FROM found
       WHERE rec.ctid = ANY (ARRAY(SELECT row_id FROM found)) AND rec.ctid = found.row_id
       RETURNING rec.id`,
      [json([...last.values()].map((record) => ({ t: record.objectType, i: record.id, p: record.properties, c: record.createdAt, u: record.updatedAt, a: record.archived, x: record.archivedAt ?? null })))],
      'updateRecords',
    );
    if (rows.length !== last.size) {
      // Abort the transaction: an update of a missing record is an engine bug, and a partial batch must not commit.
      throw storageFailure('postgres', ': update of a record that does not exist');
    }
  }

  async deleteRecords(objectType: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.written += ids.length;
    // One statement: the records, their property and association history, their list rows and
    // any edge left at either end (the engine deletes edges and memberships first; this keeps
    // the tables consistent anyway).
    // Edges are stored in both directions, so the edges pointing at a record are the inverses
    // of the ones leaving it, each found by its primary key. Rows are found by probes, deleted
    // by ctid (see the top of the file).
    await this.q(
      `WITH k AS (SELECT unnest($3::text[]) AS id),
       outgoing AS MATERIALIZED (
         SELECT e.row_id, e.to_type, e.to_id, k.id FROM k
         CROSS JOIN LATERAL (SELECT ctid AS row_id, to_type, to_id FROM crmkit_edges WHERE tenant = $1 AND from_type = $2 AND from_id = k.id OFFSET 0) AS e
       ),
       incoming AS MATERIALIZED (
         SELECT e.row_id FROM outgoing AS o
         CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_edges WHERE tenant = $1 AND from_type = o.to_type AND from_id = o.to_id AND to_type = $2 AND to_id = o.id OFFSET 0) AS e
       ),
       edges AS (
         DELETE FROM crmkit_edges WHERE ctid = ANY (ARRAY(SELECT row_id FROM outgoing UNION SELECT row_id FROM incoming))
       ),
       history AS (
         DELETE FROM crmkit_history WHERE ctid = ANY (ARRAY(
           SELECT h.row_id FROM k CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_history WHERE tenant = $1 AND object_type = $2 AND record_id = k.id OFFSET 0) AS h))
       ),
       edge_history AS (
         DELETE FROM crmkit_edge_history WHERE ctid = ANY (ARRAY(
           SELECT h.row_id FROM k CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_edge_history WHERE tenant = $1 AND object_type = $2 AND record_id = k.id OFFSET 0) AS h))
       ),
       memberships AS (
         DELETE FROM crmkit_list_members WHERE ctid = ANY (ARRAY(
           SELECT m.row_id FROM k CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_list_members WHERE tenant = $1 AND object_type = $2 AND record_id = k.id OFFSET 0) AS m))
       )
       DELETE FROM crmkit_records WHERE ctid = ANY (ARRAY(
         SELECT r.row_id FROM k CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_records WHERE tenant = $1 AND object_type = $2 AND id = k.id OFFSET 0) AS r))`,
      [objectType, distinct(ids)],
      'deleteRecords',
    );
  }

  async scanRecords(objectType: string, request: ScanRequest): Promise<ScanResult> {
    const [after] = (this.cursors.decode('records', [objectType], request.after, ['bigint']) ?? ['0']) as [string];
    const limit = pageSize(request.limit, 0);
    const { rows, more } = keysetPage(
      await this.q(request.archived === true ? shared.scanRecords : shared.scanLiveRecords, [objectType, after, String(limit + 1)], 'scanRecords'),
      limit,
    );
    const records = rows.map((row) => toRecord(objectType, row));
    if (!more) return { records };
    // String(): node-postgres answers a bigint as text, PGlite as a number (or a BigInt past 2^53).
    const lastSeq = limit === 0 ? after : String(rows.at(-1)!.seq);
    return { records, after: this.cursors.encode('records', [objectType], [lastSeq]) };
  }

  async lookupKeys(objectType: string, key: string, values: readonly string[]): Promise<(string | undefined)[]> {
    if (values.length === 0) return [];
    const hashes = distinct(values).map(valueHash);
    const rows = await this.q(
      hashes.length === 1
        ? `SELECT value, id FROM crmkit_keys WHERE tenant = $1 AND object_type = $2 AND key = $3 AND value_hash = $4`
        : `SELECT held.value, held.id FROM unnest($4::bytea[]) AS k(h)
           CROSS JOIN LATERAL (SELECT value, id FROM crmkit_keys WHERE tenant = $1 AND object_type = $2 AND key = $3 AND value_hash = k.h OFFSET 0) AS held`,
      [objectType, key, hashes.length === 1 ? hashes[0] : hashes],
      'lookupKeys',
    );
    const holders = new Map(rows.map((row) => [row.value as string, row.id as string]));
    return values.map((value) => holders.get(value));
  }

  async claimKeys(objectType: string, claims: readonly KeyClaim[]): Promise<KeyConflict[]> {
    if (claims.length === 0) return [];
    // The first claim of each (key, value) in the batch is the one inserted.
    const first = new Map<string, KeyClaim & { hash: Buffer }>();
    for (const claim of claims) {
      const name = `${claim.key}\u0000${claim.value}`;
      if (!first.has(name)) first.set(name, { ...claim, hash: valueHash(claim.value) });
    }
    const wanted = [...first.values()];
    // The unique primary key arbitrates, and the INSERT reads nothing under a predicate lock, so
    // claims of distinct values never conflict. A value held already is left as it is; one being
    // claimed by a concurrent transaction makes the INSERT wait, then fail with a serialization
    // error once that transaction commits (the call is retried).
    const inserted = await this.q(
      `INSERT INTO crmkit_keys (tenant, object_type, key, value_hash, value, id)
       SELECT $1, $2, c.k, c.h, c.v, c.i FROM unnest($3::text[], $4::bytea[], $5::text[], $6::text[]) AS c(k, h, v, i)
       ON CONFLICT (tenant, object_type, key, value_hash) DO NOTHING
       RETURNING key, value`,
      [objectType, wanted.map((claim) => claim.key), wanted.map((claim) => claim.hash), wanted.map((claim) => claim.value), wanted.map((claim) => claim.id)],
      'claimKeys',
    );
    const holders = new Map<string, string>();
    for (const row of inserted) {
      const name = `${row.key as string}\u0000${row.value as string}`;
      holders.set(name, first.get(name)!.id);
    }
    // Only values held already are read back, by primary-key probes.
    const held = wanted.filter((claim) => !holders.has(`${claim.key}\u0000${claim.value}`));
    if (held.length > 0) {
      const rows = await this.q(
        `SELECT found.key, found.value, found.id FROM unnest($3::text[], $4::bytea[]) AS c(k, h)
         CROSS JOIN LATERAL (SELECT key, value, id FROM crmkit_keys WHERE tenant = $1 AND object_type = $2 AND key = c.k AND value_hash = c.h OFFSET 0) AS found`,
        [objectType, held.map((claim) => claim.key), held.map((claim) => claim.hash)],
        'claimKeys',
      );
      for (const row of rows) holders.set(`${row.key as string}\u0000${row.value as string}`, row.id as string);
    }
    return keyConflicts(claims, (claim) => holders.get(`${claim.key}\u0000${claim.value}`));
  }

  async releaseKeys(objectType: string, claims: readonly KeyClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.q(
      `DELETE FROM crmkit_keys WHERE ctid = ANY (ARRAY(
         SELECT held.row_id FROM unnest($3::text[], $4::bytea[], $5::text[]) AS c(k, h, i)
         CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_keys WHERE tenant = $1 AND object_type = $2 AND key = c.k AND value_hash = c.h AND id = c.i OFFSET 0) AS held))`,
      [objectType, claims.map((claim) => claim.key), claims.map((claim) => valueHash(claim.value)), claims.map((claim) => claim.id)],
      'releaseKeys',
    );
  }

  async getEdges(objectType: string, ids: readonly string[], toType?: string): Promise<StoredEdge[][]> {
    if (ids.length === 0) return [];
    const wanted = distinct(ids);
    const toTypeFilter = toType === undefined ? '' : 'AND to_type = $4';
    const rows = await this.q(
      wanted.length === 1
        ? toType === undefined
          ? shared.edgesOf
          : shared.edgesOfTo
        : `SELECT e.* FROM unnest($3::text[]) AS k(id)
           CROSS JOIN LATERAL (
             SELECT ${EDGE_COLUMNS} FROM crmkit_edges WHERE tenant = $1 AND from_type = $2 AND from_id = k.id ${toTypeFilter} OFFSET 0
           ) AS e
           ORDER BY e.to_type, e.seq`,
      [objectType, wanted.length === 1 ? wanted[0] : wanted, ...(toType === undefined ? [] : [toType])],
      'getEdges',
    );
    const byId = new Map<string, StoredEdge[]>(ids.map((id) => [id, []]));
    for (const row of rows) byId.get(row.from_id as string)?.push(toEdge(objectType, row));
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
    this.written += 2 * edges.length;
    // Each edge and its inverse, one row per direction, each row once (one INSERT may not touch
    // a row twice): in the order to insert them, with the value to keep.
    const rows = edgeRowsBothWays(edges).map((row, o) => ({
      o,
      ft: row.fromType,
      fi: row.fromId,
      tt: row.toType,
      ti: row.toId,
      l: row.labels,
      il: row.inverseLabels,
      c: row.createdAt,
      a: row.archived,
    }));
    // A new row gets the next seq (rows are inserted in batch order); a replaced row keeps its seq.
    await this.q(
      `INSERT INTO crmkit_edges (tenant, from_type, from_id, to_type, to_id, labels, inverse_labels, created_at, archived)
       SELECT $1, e.ft, e.fi, e.tt, e.ti, e.l, e.il, e.c, e.a
       FROM jsonb_to_recordset($2::text::jsonb) AS e(o int, ft text, fi text, tt text, ti text, l jsonb, il jsonb, c timestamptz, a boolean)
       ORDER BY e.o
       ON CONFLICT (tenant, from_type, from_id, to_type, to_id)
       DO UPDATE SET labels = excluded.labels, inverse_labels = excluded.inverse_labels, created_at = excluded.created_at, archived = excluded.archived`,
      [json(rows)],
      'putEdges',
    );
  }

  async deleteEdges(edges: readonly EdgeEnds[]): Promise<void> {
    if (edges.length === 0) return;
    this.written += 2 * edges.length;
    const rows = edgeEndsBothWays(edges);
    // A primary-key probe per direction, not a company's every edge; deleted by ctid.
    await this.q(
      `DELETE FROM crmkit_edges WHERE ctid = ANY (ARRAY(
         SELECT d.row_id FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS e(ft, fi, tt, ti)
         CROSS JOIN LATERAL (
           SELECT ctid AS row_id FROM crmkit_edges WHERE tenant = $1 AND from_type = e.ft AND from_id = e.fi AND to_type = e.tt AND to_id = e.ti OFFSET 0
         ) AS d))`,
      [rows.map((row) => row.fromType), rows.map((row) => row.fromId), rows.map((row) => row.toType), rows.map((row) => row.toId)],
      'deleteEdges',
    );
  }

  async pageEdges(objectType: string, id: string, request: EdgePageRequest): Promise<EdgePage> {
    // The scope (labels as a sorted set) is built only for a cursor: most lists are one page.
    const scope = (): readonly string[] => edgePageScope(objectType, id, request.toType, request.labels);
    const position = request.after === undefined ? undefined : (this.cursors.decode('page', scope(), request.after, ['bigint', 'bigint']) as [string, string]);
    const limit = pageSize(request.limit, 1);
    const params: unknown[] = [objectType, id, request.toType, String(limit + 1)];
    const labels = request.labels === undefined ? '' : `AND labels ?| $${params.push([...request.labels]) + 1}::text[]`;
    // Keyset: resume after (created_at, seq) of the last edge shown, even if it is gone since.
    // created_at travels as whole microseconds since 1970, rebuilt exactly (seconds and micros apart).
    let resume = '';
    if (position !== undefined) {
      const at = params.push(position[0]) + 1;
      const seq = params.push(position[1]) + 1;
      resume = `AND (e.created_at, e.seq) > (to_timestamp(0) + ($${at}::text::bigint / 1000000) * interval '1 second' + ($${at}::text::bigint % 1000000) * interval '1 microsecond', $${seq}::text::bigint)`;
    }
    // One index range (crmkit_edges_page, partial on NOT archived) serves the count and the
    // page; the page starts at the cursor's position, so it costs its own size wherever it is.
    // The primary key offers the same equality prefix, and when the planner expects a few rows
    // (statistics that miss the tenant, or a record outside the most common values) it plus a
    // sort looks as cheap, and it took it, sorting all the record's edges for a page (measured:
    // 40 ms rather than 5 at 10,000 edges). Disabling sorts leaves the keyset index the one
    // ordered path; it costs a round trip, so it is paid only when resuming from a cursor, that
    // is for lists longer than a page (a first page costs a scan of the record's edges anyway:
    // the count). SET LOCAL ends with the transaction, and no other statement of this adapter
    // sorts where an index could give the order.
    if (position !== undefined && !this.sortsOff) {
      await this.raw('SET LOCAL enable_sort = off', 'pageEdges');
      this.sortsOff = true;
      // Off for the rest of the transaction: not put back after a search that turned them off too.
      this.sortsWere = undefined;
    }
    const range = `${shared.pageRange} ${labels}`;
    const rows = await this.q(
      `SELECT t.total::text AS total, p.*
       FROM (SELECT count(*) AS total FROM crmkit_edges WHERE ${range}) AS t
       LEFT JOIN LATERAL (
         SELECT ${EDGE_COLUMNS}, ${MICROS('e.created_at')} AS at_us, e.seq::text AS position
         FROM crmkit_edges AS e WHERE ${range} ${resume}
         -- Qualified: the bare name would be the output column (the text of created_at).
         ORDER BY e.created_at, e.seq LIMIT $5::text::bigint
       ) AS p ON true`,
      params,
      'pageEdges',
    );
    const total = Number(rows[0]?.total ?? 0);
    const { rows: page, more } = keysetPage(
      rows.filter((row) => row.from_id !== null && row.from_id !== undefined),
      limit,
    );
    const edges = page.map((row) => toEdge(objectType, row));
    if (!more) return { edges, total };
    const last = page.at(-1)!;
    return { edges, after: this.cursors.encode('page', scope(), [last.at_us as string, last.position as string]), total };
  }

  async countEdges(fromType: string, toType: string, label: string): Promise<number> {
    // Label usage: the pair's edges carrying the label, archived ones included, counted in the database.
    const result = await this.q(
      `SELECT count(*) AS total FROM crmkit_edges WHERE tenant = $1 AND from_type = $2 AND to_type = $3 AND labels ? $4`,
      [fromType, toType, label],
      'countEdges',
    );
    return Number((result[0] as { total: string | number }).total);
  }

  async scanEdges(fromType: string, toType: string, request: EdgeScanRequest): Promise<{ edges: StoredEdge[]; after?: string }> {
    const scope = [fromType, toType];
    const [after] = (this.cursors.decode('edges', scope, request.after, ['bigint']) ?? ['0']) as [string];
    const limit = pageSize(request.limit, 1);
    // `seq > 0` (always true) names the partial scan index (schema.ts, version 2).
    const { rows, more } = keysetPage(
      await this.q(
        `SELECT ${EDGE_COLUMNS} FROM crmkit_edges
         WHERE tenant = $1 AND from_type = $2 AND to_type = $3 AND seq > 0 AND seq > $4::text::bigint
         ORDER BY seq LIMIT $5::text::bigint`,
        [fromType, toType, after, String(limit + 1)],
        'scanEdges',
      ),
      limit,
    );
    const edges = rows.map((row) => toEdge(fromType, row));
    if (!more) return { edges };
    return { edges, after: this.cursors.encode('edges', scope, [String(rows.at(-1)!.seq)]) };
  }

  async appendEdgeHistory(entries: readonly EdgeHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
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
    const rows = await this.q(shared.readEdgeHistory, [objectType, id], 'readEdgeHistory');
    return rows.map((row) => {
      const text = (column: string): string => row[column] as string;
      const labels = (column: string): readonly string[] => row[column] as string[];
      return edgeHistoryEntryOf(objectType, id, text('to_type'), text('to_id'), text('action'), labels('labels_before'), labels('labels_after'), row.other_name as string | null, isoTime(row.at), row.source as Source);
    });
  }

  async getMeta(key: string): Promise<unknown> {
    const [row] = await this.q(shared.getMeta, [key], 'getMeta');
    return row?.value;
  }

  async putMeta(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      await this.q(shared.deleteMeta, [key], 'putMeta');
      return;
    }
    await this.q(shared.putMeta, [key, json(value)], 'putMeta');
  }

  async appendHistory(entries: readonly HistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
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
    const rows = await this.q(shared.readHistory, [objectType, id], 'readHistory');
    return rows.map((row) => historyEntryOf(objectType, id, isoTime(row.at), row.source as Source, row.changes as Record<string, unknown>));
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    // Names come from a counter, never from input.
    const name = `crmkit_sp_${++this.savepoints}`;
    await this.raw(`SAVEPOINT ${name}`, 'savepoint');
    const failedBefore = this.failed;
    const sortsOffBefore = this.sortsOff;
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
        // A SET LOCAL made inside the savepoint was undone with it.
        this.sortsOff = sortsOffBefore;
      } catch {
        // recorded in this.failed by raw()
      }
      throw error;
    }
    await this.raw(`RELEASE SAVEPOINT ${name}`, 'savepoint');
    return result;
  }

  async addToList(list: string, objectType: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // One statement per batch; a member already there (or named twice) is left as it is: the
    // primary key arbitrates, and the INSERT reads nothing under a predicate lock.
    await this.q(
      `INSERT INTO crmkit_list_members (tenant, object_type, list_id, record_id)
       SELECT $1, $2, $3, k.id FROM unnest($4::text[]) AS k(id)
       ON CONFLICT DO NOTHING`,
      [objectType, list, distinct(ids)],
      'addToList',
    );
  }

  async removeFromList(list: string, objectType: string, ids: readonly string[] | undefined): Promise<void> {
    if (ids === undefined) {
      await this.q(shared.emptyList, [objectType, list], 'removeFromList');
      return;
    }
    if (ids.length === 0) return;
    // Each member probed by its whole primary key, then deleted by ctid (see the top of the file).
    await this.q(
      `DELETE FROM crmkit_list_members WHERE ctid = ANY (ARRAY(
         SELECT m.row_id FROM unnest($4::text[]) AS k(id)
         CROSS JOIN LATERAL (SELECT ctid AS row_id FROM crmkit_list_members WHERE tenant = $1 AND object_type = $2 AND list_id = $3 AND record_id = k.id OFFSET 0) AS m))`,
      [objectType, list, distinct(ids)],
      'removeFromList',
    );
  }

  async listsOf(objectType: string, ids: readonly string[]): Promise<string[][]> {
    if (ids.length === 0) return [];
    const wanted = distinct(ids);
    const byId = new Map<string, string[]>(wanted.map((id) => [id, []]));
    if (wanted.length === 1) {
      // One id: the plain probe plans faster than the batch form.
      const rows = await this.q(shared.listsOf, [objectType, wanted[0]], 'listsOf');
      byId.set(wanted[0]!, rows.map((row) => row.list_id as string));
    } else {
      const rows = await this.q(
        `SELECT k.id AS record_id, m.list_id FROM unnest($3::text[]) AS k(id)
         CROSS JOIN LATERAL (SELECT list_id FROM crmkit_list_members WHERE tenant = $1 AND object_type = $2 AND record_id = k.id OFFSET 0) AS m`,
        [objectType, wanted],
        'listsOf',
      );
      for (const row of rows) byId.get(row.record_id as string)!.push(row.list_id as string);
    }
    // A repeated id gets its own copy of the list.
    const seen = new Set<string>();
    return ids.map((id) => {
      const lists = byId.get(id)!;
      if (seen.has(id)) return lists.slice();
      seen.add(id);
      return lists;
    });
  }

  /**
   * A search plan in SQL (../sql/search.ts): the page's parts in order until one row more than
   * asked is read (for `more`) and, when asked, the total (from the page when a first page holds
   * every match, from the steering count when it counted them all, else a COUNT; a count alone,
   * limit 0, runs only the COUNT).
   */
  async searchRecords(plan: SearchPlan): Promise<SearchPage> {
    // A name SQL text cannot hold as a literal: the reference evaluator answers.
    if (!compilable(plan)) return evaluateSearch(this, plan);
    const limit = pageSize(plan.limit, 0);
    const steered = limit === 0 ? { hints: {} } : await this.steering(plan, limit);
    const compiled = compileSearch(postgresSearch, plan, this.tenant, limit, steered.hints);
    const counted = async (): Promise<number> => {
      if (steered.total !== undefined) return steered.total;
      const { sql, params } = compiled.count!;
      // The setting the steering changed is put back as the COUNT runs (after it is planned: a
      // COUNT sorts nothing), saving a statement.
      const restore = this.sortsWere;
      this.sortsWere = undefined;
      const [row] = await this.q(
        restore === undefined ? sql : `SELECT c.total, set_config('enable_sort', $${params.length + 2}::text, true) AS sorts FROM (${sql}) AS c`,
        restore === undefined ? [...params] : [...params, restore],
        'searchRecords',
      );
      return Number(row!.total);
    };
    if (limit === 0 && compiled.count !== undefined && plan.after === undefined) {
      const total = await counted();
      return { records: [], more: total > 0, total };
    }
    const read: Row[] = [];
    // The total, when a part counted the matches as it read them.
    let pageTotal: number | undefined;
    for (const [at, part] of compiled.parts.entries()) {
      // Only the first part walks the sort's index: before the next (the records without a sort
      // value, sorted by the later keys) the setting is put back, by q().
      const rows = await this.q(part.sql, part.params(limit + 1 - read.length), 'searchRecords', steered.walkSort === true && at === 0);
      if (part.counts && rows.length > 0) pageTotal = Number(rows[0]!.page_total);
      for (const row of rows) read.push(row);
      if (read.length > limit) break;
    }
    const { rows, more } = keysetPage(read, limit);
    const records = rows.map((row) => toRecord(plan.objectType, row));
    if (compiled.count === undefined) return { records, more };
    return { records, more, total: plan.after === undefined && !more ? records.length : (pageTotal ?? (await counted())) };
  }

  /**
   * Which index a page is to read, chosen as the SQLite adapter chooses it (PostgreSQL takes no
   * hints; without statistics, as in a new database or right after a load, it walked the sort's
   * index past thousands of records to find 101 of 500, and read 5,000 matches of an IN through
   * its index to sort them for every page). For a page sorted by an indexed property: when an
   * EQ/IN on another indexed property has few matches (counted, no further than a cap), its
   * index, the sort key written so that no index gives the order; otherwise the sort's index,
   * walked in order. When that EQ/IN is the plan's whole condition and the total is wanted, it is
   * counted in full: the count is the total, and no COUNT runs after the page.
   *
   * Walked in order means with full sorts priced out (`enable_sort` off, set locally, by the
   * counting statement itself), so the planner walks the sort's index and orders ties by id
   * group by group (an incremental sort that stops at the page), where a planner expecting few
   * rows sorted every match in full (18 ms against 0.9 for a page of 5,000 matches on the
   * server). The setting is put back before the transaction's next statement other than the
   * page's first (`sortsWere`, by q(), or inside the COUNT).
   */
  private async steering(plan: SearchPlan, limit: number): Promise<Steering> {
    const sort = plan.sorts[0]?.property;
    const ordered = sort !== undefined && sort.indexed && !sort.multiple;
    const cap = FEW_MATCHES_PER_ROW * (limit + 1);
    // A static list all matches are in (../sql/search.ts listConjunct): the page is read from it
    // when its members are few (counted along the list's primary key, no further than the cap),
    // or when no index gives the page's order (the id order is not the primary key's: it
    // compares COLLATE "C") nor narrows it. Without statistics the planner had walked the
    // create date's index through 50,000 records for a list of 100 (240 ms on PGlite).
    const member = listConjunct(plan);
    if (member !== undefined) {
      const probe = compileListProbe(postgresSearch, plan.objectType, member.list, this.tenant, cap);
      const [row] = await this.q(probe.sql, [...probe.params], 'searchRecords');
      if (Number(row!.total) < cap || (!ordered && indexedConditions(plan).length === 0)) return { hints: { fromList: true } };
    }
    if (!ordered) return { hints: {} };
    const whole = plan.total && conjuncts(plan.where).length === 1;
    // The setting before the first count: each count leaves sorts off when its matches are many, else as they were.
    let was: string | undefined;
    for (const part of indexedConditions(plan)) {
      if (part.property.name === sort.name) continue;
      const probe = compileCountProbe(postgresSearch, plan.objectType, part, this.tenant, '', whole ? undefined : cap);
      const [row] = await this.q(
        `SELECT s.total, s.was, set_config('enable_sort', CASE WHEN s.total >= ${cap} THEN 'off' ELSE s.was END, true) AS sorts
         FROM (SELECT p.total, COALESCE($${probe.params.length + 2}::text, current_setting('enable_sort')) AS was FROM (${probe.sql}) AS p) AS s`,
        [...probe.params, was ?? null],
        'searchRecords',
      );
      const matches = Number(row!.total);
      was = row!.was as string;
      const total = whole ? { total: matches } : {};
      if (matches < cap) return { hints: { unorderedSort: true }, ...total };
      this.sortsWere = was;
      if (whole) return { hints: {}, walkSort: true, ...total };
    }
    if (was === undefined) {
      const [row] = await this.q(`SELECT current_setting('enable_sort') AS was, set_config('enable_sort', 'off', true), $1::text AS tenant`, [], 'searchRecords');
      this.sortsWere = row!.was as string;
    }
    return { hints: {}, walkSort: true };
  }

  /** An aggregate plan in one statement (../sql/aggregate.ts). */
  async aggregateRecords(plan: AggregatePlan): Promise<AggregateAnswer> {
    // A name SQL text cannot hold as a literal: the reference evaluator answers.
    if (!aggregateCompilable(plan)) return evaluateAggregate(this, plan);
    const { sql, params } = compileAggregate(postgresSearch, plan, this.tenant);
    const rows = await this.q(sql, [...params], 'aggregateRecords');
    return { buckets: bucketsOfRows(plan, rows.map((row) => [row.agg_k0, row.agg_k1, row.agg_n, row.agg_s])) };
  }

  /** The page's statements (`statement` the first) and PostgreSQL's own plan for the first (EXPLAIN (FORMAT JSON), not run). */
  async explainSearch(plan: SearchPlan): Promise<SearchExplanation> {
    if (!compilable(plan)) return { storage: 'postgres', strategy: 'scan', note: 'a name in this plan cannot be written into SQL: the reference evaluator reads every live record of the type' };
    const limit = pageSize(plan.limit, 0);
    const steered = await this.steering(plan, limit);
    const compiled = compileSearch(postgresSearch, plan, this.tenant, limit, steered.hints);
    const first = compiled.parts[0]!;
    const [row] = await this.q(`EXPLAIN (FORMAT JSON) ${first.sql}`, first.params(limit + 1), 'explainSearch', steered.walkSort === true);
    const explained = row?.['QUERY PLAN'];
    return {
      storage: 'postgres',
      strategy: 'sql',
      ...(steered.hints.fromList ? { index: `list ${listConjunct(plan)!.list}` } : {}),
      statement: first.sql,
      statements: compiled.parts.map((part) => part.sql),
      ...(compiled.count ? { count: compiled.count.sql } : {}),
      plan: typeof explained === 'string' ? JSON.parse(explained) : explained,
    };
  }

  /** Creates the expression indexes of the listed properties and drops this type's others (../sql/search-indexes.ts). */
  async indexProperties(objectType: string, properties: readonly PlanProperty[]): Promise<void> {
    let existing: string[];
    try {
      // Two processes making one index at once collide in the catalogue even with IF NOT
      // EXISTS (a unique violation on pg_class): index DDL waits for the migrations' lock, held
      // to the end of this transaction, and then sees what the other made.
      await this.session.query('SELECT pg_advisory_xact_lock($1::text::bigint)', [String(MIGRATION_LOCK)]);
      existing = (await this.session.query(postgresSearch.listIndexes)).map((row) => row.name as string);
    } catch (error) {
      this.failed ??= error;
      throw storageError(error, 'indexProperties');
    }
    const { create, drop } = indexStatements(postgresSearch, objectType, properties, existing);
    for (const statement of [...drop, ...create]) await this.raw(statement, 'indexProperties');
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
  /**
   * Counters since the storage was made: committed transactions, whole-transaction retries, and
   * the storage's own VACUUM ANALYZE runs (see the `maintenance` option).
   */
  readonly stats = { transactions: 0, retries: 0, maintenance: 0 };
  private ready: Promise<StorageCursors> | undefined;
  /** Set by prepare() when this storage maintains its tables (./maintenance.ts). */
  private maintenance: Maintenance | undefined;
  private closed = false;

  /** @internal Use {@link postgresStorage}. */
  constructor(
    private readonly driver: () => Promise<Driver>,
    readonly tenant: string,
    private readonly settings: TransactionSettings,
  ) {}

  /** Migrates the database (once per storage) and answers the cursor codec for this tenant. */
  private prepare(): Promise<StorageCursors> {
    this.ready ??= (async () => {
      const driver = await this.driver();
      const session = await driver.acquire();
      try {
        await migrate(session);
        if (this.settings.maintenance ?? !(await autovacuumRuns(session))) this.maintenance = new Maintenance();
        session.release();
        return new StorageCursors(this.tenant);
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
    if (this.closed) throw storageFailure('postgres', ' is closed');
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
            if (this.maintenance?.wrote(tx.written)) {
              this.stats.maintenance++;
              // Committed already: a failed VACUUM fails nothing, but may have broken the connection.
              await this.maintenance.run(session).catch((error: unknown) => {
                broken = error instanceof Error ? error : new Error(String(error));
              });
            }
            return result as T;
          } catch (error) {
            // A failed COMMIT has ended the transaction; a lost connection is discarded.
            if (tx.retryable === undefined) {
              const cause = (error as CrmError<'STORAGE_ERROR'>).details?.cause ?? error;
              broken = cause instanceof Error ? cause : new Error(String(cause));
              // Up to here nothing was committed; from COMMIT on, only the server's answer says.
              throw storageError(cause, 'commit', commitOutcome(cause));
            }
          }
        } else {
          await rollback();
        }
        if (tx.retryable !== undefined) {
          // A serialization failure or deadlock anywhere means fn worked on data another
          // transaction changed: whatever fn concluded (even an error it threw), run it again.
          if (attempt >= maxAttempts) {
            throw storageFailure('postgres', `: transaction still conflicting after ${attempt} attempts`, { cause: tx.retryable, attempts: attempt });
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
      // Full jitter: callers that collided do not collide again in step.
      await sleep(Math.random() * Math.min(1_000, retryDelayMs * 2 ** (attempt - 1)));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ready) await this.ready.catch(() => {});
    await (await this.driver()).close();
  }
}
