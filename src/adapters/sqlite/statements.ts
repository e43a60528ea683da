// Every SQL statement the adapter runs, prepared once per connection: the SQL core's shared
// statements (../sql/statements.ts) in SQLite's dialect, and those SQLite runs its own way (one
// row per statement, INDEXED BY, keyset seeks split by UNION ALL). Object types, key names and
// ids are always bound parameters: nothing a caller supplies ever becomes SQL text.
import type Database from 'better-sqlite3';
import { edgeColumns, sharedStatements } from '../sql/statements.js';
import { INDEXES, TABLES } from '../sql/tables.js';
import { sqliteDialect } from './dialect.js';
import { prepare } from './reachable.js';

/**
 * The part of a better-sqlite3 statement the adapter uses. Named here because the driver's own
 * statement type sits in a namespace its typings do not export, so emitted declarations could
 * not refer to it.
 */
export interface Prepared<P extends unknown[], R = unknown> {
  run(...params: P): { changes: number; lastInsertRowid: number | bigint };
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

type S = string;
type N = number;
type Nullable = string | null;

/** A record row as read: the SQL core's record columns (../sql/statements.ts), in their order. */
export type RecordRow = [seq: N, id: S, properties: S, createdAt: S, updatedAt: S, archived: N, archivedAt: Nullable];
/** An edge row as read: the SQL core's edge columns, in their order. */
export type EdgeRow = [seq: N, fromId: S, toType: S, toId: S, labels: S, inverseLabels: S, createdAt: S, archived: N];
/** A history row: [at, source, changes]. */
export type HistoryRow = [S, S, S];
/** An association history row: [to_type, to_id, action, labels_before, labels_after, other_name, at, source]. */
export type EdgeHistoryRow = [S, S, S, S, S, Nullable, S, S];

const d = sqliteDialect;
const shared = sharedStatements(d);
const { records, keys, edges, history, edgeHistory, meta, listMembers } = TABLES;
const EDGE_COLUMNS = edgeColumns(d);
const PAGE = `${edges} ${d.walk(INDEXES.edgesPage)}`;
/** At most one association between two records; also how edge scans walk a type pair (SQLite's own index). */
const ENDS = 'crmkit_edges_ends';

/**
 * A page resuming after the edge at (created_at, seq), with `filter` on every row: the rest of
 * that created_at (by seq), then every later one, merged in index order. Not the row value
 * `(created_at, seq) > (?, ?)`: SQLite seeks that by created_at alone and walks every edge
 * sharing it, and one call associating thousands of records gives them all one created_at.
 * Parameters: the range, [the filter's], created_at, seq; the range, [the filter's], created_at; the limit.
 */
function pageAfter(filter: string): string {
  return `SELECT ${EDGE_COLUMNS} FROM ${PAGE}
       WHERE ${shared.pageRange}${filter} AND created_at = ? AND seq > ?
     UNION ALL
     SELECT ${EDGE_COLUMNS} FROM ${PAGE}
       WHERE ${shared.pageRange}${filter} AND created_at > ?
     ORDER BY created_at, seq LIMIT ${d.limit(0)}`;
}

/**
 * The edge (as seen from its from-end) carries one of the names in the bound JSON array. Most
 * edges have no label, and the plain comparison skips parsing theirs.
 */
const HAS_LABEL = `${edges}.labels <> '[]' AND EXISTS (
  SELECT 1 FROM json_each(${edges}.labels) AS own WHERE own.value IN (SELECT wanted.value FROM json_each(?) AS wanted))`;

/** The prepared statements of one connection. */
export function prepareStatements(db: Database.Database) {
  // Return types spelled out, so the declarations the build emits can name them.
  const raw = <P extends unknown[], R>(sql: string): Prepared<P, R> => prepare<P, R>(db, sql).raw(true);
  const pluck = <P extends unknown[], R>(sql: string): Prepared<P, R> => prepare<P, R>(db, sql).pluck(true);
  const run = <P extends unknown[]>(sql: string): Prepared<P> => prepare<P>(db, sql);
  return {
    begin: run<[]>('BEGIN'),
    beginImmediate: run<[]>('BEGIN IMMEDIATE'),
    commit: run<[]>('COMMIT'),
    rollback: run<[]>('ROLLBACK'),
    // BEGIN (deferred) takes no lock: this read does, so a read transaction meets a locked file
    // (SQLITE_BUSY) at its start, where it can wait and start again, never half-way through.
    touch: pluck<[], N>(`SELECT 1 FROM ${meta} LIMIT 0`),

    getRecord: raw<[S, S, S], RecordRow>(shared.getRecord),
    // ON CONFLICT DO NOTHING: an existing id is reported (changes = 0), never overwritten.
    insertRecord: run<[S, S, S, S, S, S, N, Nullable]>(
      `INSERT INTO ${records} (tenant, object_type, id, properties, created_at, updated_at, archived, archived_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, object_type, id) DO NOTHING`,
    ),
    // seq is not touched: an updated record keeps its place in scan order.
    updateRecord: run<[S, S, S, N, Nullable, S, S, S]>(
      `UPDATE ${records} SET properties = ?, created_at = ?, updated_at = ?, archived = ?, archived_at = ?
       WHERE tenant = ? AND object_type = ? AND id = ?`,
    ),
    // History, association history and the record's own edges go with it: ON DELETE CASCADE.
    deleteRecord: run<[S, S, S]>(`DELETE FROM ${records} WHERE tenant = ? AND object_type = ? AND id = ?`),
    scanRecords: raw<[S, S, N, N], RecordRow>(shared.scanRecords),
    scanLiveRecords: raw<[S, S, N, N], RecordRow>(shared.scanLiveRecords),

    lookupKey: pluck<[S, S, S, S], S>(`SELECT id FROM ${keys} WHERE tenant = ? AND object_type = ? AND key = ? AND value = ?`),
    // The primary key decides: a claim on a held value inserts nothing (changes = 0).
    claimKey: run<[S, S, S, S, S]>(`INSERT INTO ${keys} (tenant, object_type, key, value, id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    releaseKey: run<[S, S, S, S, S]>(`DELETE FROM ${keys} WHERE tenant = ? AND object_type = ? AND key = ? AND value = ? AND id = ?`),

    // A record's edges in the order its associations were made (seq).
    edgesOf: raw<[S, S, S], EdgeRow>(shared.edgesOf),
    edgesOfTo: raw<[S, S, S, S], EdgeRow>(shared.edgesOfTo),
    // An upsert: a new association gets a new seq (last in order), an existing one keeps its row
    // and seq. The common change to an existing one is a relabel: it sets the labels only, so
    // SQLite leaves the page index (created_at, archived) alone; when the time or the archived
    // flag differ too, nothing changes here (changes = 0) and moveEdge follows.
    putEdge: run<[S, S, S, S, S, S, S, S, N]>(
      `INSERT INTO ${edges} (tenant, from_type, from_id, to_type, to_id, labels, inverse_labels, created_at, archived)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, from_type, from_id, to_type, to_id) DO UPDATE SET
         labels = excluded.labels, inverse_labels = excluded.inverse_labels
       WHERE ${edges}.created_at = excluded.created_at AND ${edges}.archived = excluded.archived`,
    ),
    moveEdge: run<[S, S, S, N, S, S, S, S, S]>(
      `UPDATE ${edges} SET labels = ?, inverse_labels = ?, created_at = ?, archived = ?
       WHERE tenant = ? AND from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?`,
    ),
    deleteEdge: run<[S, S, S, S, S]>(`DELETE FROM ${edges} WHERE tenant = ? AND from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?`),
    // Edge scans in (from_id, to_id) order, along the ends index (to_id sorted per from_id).
    scanEdges: raw<[S, S, S, N], EdgeRow>(
      `SELECT ${EDGE_COLUMNS} FROM ${edges} ${d.walk(ENDS)}
       WHERE tenant = ? AND from_type = ? AND to_type = ? ORDER BY from_id, to_id LIMIT ${d.limit(0)}`,
    ),
    // Resuming: the rest of the from_id the cursor names (a seek on the ends index), then the
    // later ones. Not the row value (from_id, to_id) > (?, ?), which SQLite seeks by from_id
    // alone: a scan resuming inside a company's 50,000 contacts would walk and sort them all.
    scanEdgesAfter: raw<[S, S, S, S, S, S, S, S, S, N], EdgeRow>(
      `SELECT ${EDGE_COLUMNS} FROM ${edges} ${d.walk(ENDS)}
         WHERE tenant = ? AND from_type = ? AND from_id = ? AND to_type = ? AND to_id > ?
       UNION ALL
       SELECT ${EDGE_COLUMNS} FROM ${edges} ${d.walk(ENDS)}
         WHERE tenant = ? AND from_type = ? AND from_id > ? AND to_type = ?
       ORDER BY from_id, to_id LIMIT ${d.limit(0)}`,
    ),
    // Keyset pages of one record's live edges to one type, in association order (created_at,
    // then seq: the order first stored), along the page index: a page reads its own rows only,
    // wherever it starts. INDEXED BY: the plan never depends on the planner's statistics.
    pageEdges: raw<[S, S, S, S, N], EdgeRow>(`SELECT ${EDGE_COLUMNS} FROM ${PAGE} WHERE ${shared.pageRange} ORDER BY created_at, seq LIMIT ${d.limit(0)}`),
    pageEdgesAfter: raw<[S, S, S, S, S, N, S, S, S, S, S, N], EdgeRow>(pageAfter('')),
    countEdges: pluck<[S, S, S, S], N>(shared.countEdges),
    // The same with a labels filter, the wanted names bound as one JSON array.
    pageLabelledEdges: raw<[S, S, S, S, S, N], EdgeRow>(
      `SELECT ${EDGE_COLUMNS} FROM ${PAGE} WHERE ${shared.pageRange} AND ${HAS_LABEL} ORDER BY created_at, seq LIMIT ${d.limit(0)}`,
    ),
    pageLabelledEdgesAfter: raw<[S, S, S, S, S, S, N, S, S, S, S, S, S, N], EdgeRow>(pageAfter(` AND ${HAS_LABEL}`)),
    countLabelledEdges: pluck<[S, S, S, S, S], N>(`${shared.countEdges} AND ${HAS_LABEL}`),
    // Label usage: the pair's edges carrying one label, archived ones included, counted in the database.
    countPairLabel: pluck<[S, S, S, S], N>(
      `SELECT count(*) FROM ${edges} WHERE tenant = ? AND from_type = ? AND to_type = ? AND ${edges}.labels <> '[]'
         AND EXISTS (SELECT 1 FROM json_each(${edges}.labels) AS own WHERE own.value = ?)`,
    ),
    // The edges pointing at a record, found through their inverses (the from-end foreign key
    // cascades only the record's own rows): deleteRecords' safety net, normally deleting nothing.
    deleteEdgesTo: run<[S, S, S]>(
      `DELETE FROM ${edges} WHERE seq IN (
         SELECT inverse.seq FROM ${edges} AS own JOIN ${edges} AS inverse
           ON inverse.tenant = own.tenant AND inverse.from_type = own.to_type AND inverse.from_id = own.to_id
          AND inverse.to_type = own.from_type AND inverse.to_id = own.from_id
         WHERE own.tenant = ? AND own.from_type = ? AND own.from_id = ?)`,
    ),

    appendHistory: run<[S, S, S, S, S, S]>(`INSERT INTO ${history} (tenant, object_type, record_id, at, source, changes) VALUES (?, ?, ?, ?, ?, ?)`),
    readHistory: raw<[S, S, S], HistoryRow>(shared.readHistory),
    appendEdgeHistory: run<[S, S, S, S, S, S, S, S, Nullable, S, S]>(
      `INSERT INTO ${edgeHistory} (tenant, object_type, record_id, to_type, to_id, action, labels_before, labels_after, other_name, at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    readEdgeHistory: raw<[S, S, S], EdgeHistoryRow>(shared.readEdgeHistory),

    // Static lists: one row per member. Adding a member again inserts nothing (the primary key).
    addToList: run<[S, S, S, S]>(`INSERT INTO ${listMembers} (tenant, object_type, list_id, record_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    removeFromList: run<[S, S, S, S]>(`DELETE FROM ${listMembers} WHERE tenant = ? AND object_type = ? AND list_id = ? AND record_id = ?`),
    emptyList: run<[S, S, S]>(shared.emptyList),
    listsOf: pluck<[S, S, S], S>(shared.listsOf),
    // A purged record's memberships (the engine removes them first; this leaves no orphan row).
    deleteMemberships: run<[S, S, S]>(`DELETE FROM ${listMembers} ${d.walk(INDEXES.listMembersRecord)} WHERE tenant = ? AND object_type = ? AND record_id = ?`),

    getMeta: pluck<[S, S], S>(shared.getMeta),
    putMeta: run<[S, S, S]>(shared.putMeta),
    deleteMeta: run<[S, S]>(shared.deleteMeta),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;
