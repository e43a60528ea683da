// The SQL both databases run as it is, written once over a dialect (./dialect.ts). Each builder
// documents its parameters in order; the executors bind them. Object types, key names, ids and
// values are always parameters: nothing a caller supplies ever becomes SQL text.
//
// What is not here differs for a reason of the database: PostgreSQL is a server, so its writes
// travel as one statement per batch (a JSON parameter, unnest) and its lookups are written so
// that a plan without statistics is still a probe per key (postgres/storage.ts); SQLite runs in
// process, where one prepared statement per row is the fastest, and it is steered by INDEXED BY.
import type { SqlDialect } from './dialect.js';
import { INDEXES, TABLES } from './tables.js';

/**
 * A record row's columns, in this order: seq, id, properties, created_at, updated_at, archived,
 * archived_at (times as the engine wrote them; the object type is the one asked for), of the
 * table under `alias` when the statement names it.
 *
 * @example
 * `SELECT ${recordColumns(dialect)} FROM crmkit_records WHERE …`;
 */
export function recordColumns(d: SqlDialect, alias?: string): string {
  const at = alias === undefined ? '' : `${alias}.`;
  return `${at}seq, ${at}id, ${at}properties, ${d.time(`${at}created_at`)} AS created_at, ${d.time(`${at}updated_at`)} AS updated_at, ${at}archived, ${d.time(`${at}archived_at`)} AS archived_at`;
}

/**
 * An edge row's columns, in this order: seq, from_id, to_type, to_id, labels, inverse_labels,
 * created_at, archived (the from-end's type is the one asked for).
 *
 * @example
 * `SELECT ${edgeColumns(dialect)} FROM crmkit_edges WHERE …`;
 */
export function edgeColumns(d: SqlDialect): string {
  return `seq, from_id, to_type, to_id, labels, inverse_labels, ${d.time('created_at')} AS created_at, archived`;
}

/**
 * The statements whose text is the same on every database, for one dialect.
 *
 * @example
 * const sql = sharedStatements(sqliteDialect);
 * db.prepare(sql.getMeta);
 */
export function sharedStatements(d: SqlDialect) {
  const p = (n: number): string => d.param(n);
  /** One record's live edges to one type: the equalities that lead the page index. Params: tenant, from_type, from_id, to_type. */
  const pageRange = `tenant = ${p(1)} AND from_type = ${p(2)} AND from_id = ${p(3)} AND to_type = ${p(4)} AND ${d.live}`;
  /** A type's records from a position on, in scan order. Params: tenant, object_type, seq after, limit. */
  const scan = (live: boolean): string =>
    `SELECT ${recordColumns(d)} FROM ${TABLES.records} ${d.walk(INDEXES.recordsScan)}
     WHERE tenant = ${p(1)} AND object_type = ${p(2)} AND ${d.scanGuard}seq > ${d.integer(3)}${live ? ` AND ${d.live}` : ''}
     ORDER BY seq LIMIT ${d.limit(4)}`;
  /** One record's edges (to one type), in the order its associations were made. Params: tenant, from_type, from_id[, to_type]. */
  const edgesOf = (toType: boolean): string =>
    `SELECT ${edgeColumns(d)} FROM ${TABLES.edges}
     WHERE tenant = ${p(1)} AND from_type = ${p(2)} AND from_id = ${p(3)}${toType ? ` AND to_type = ${p(4)}` : ''} ORDER BY to_type, seq`;
  return {
    pageRange,
    /** Params: tenant, object_type, id. */
    getRecord: `SELECT ${recordColumns(d)} FROM ${TABLES.records} WHERE tenant = ${p(1)} AND object_type = ${p(2)} AND id = ${p(3)}`,
    scanRecords: scan(false),
    scanLiveRecords: scan(true),
    edgesOf: edgesOf(false),
    edgesOfTo: edgesOf(true),
    /** The live edges a page counts. Params: as pageRange. */
    countEdges: `SELECT count(*) AS total FROM ${TABLES.edges} ${d.walk(INDEXES.edgesPage)} WHERE ${pageRange}`,
    /** Params: tenant, object_type, record_id. */
    readHistory: `SELECT ${d.time('at')} AS at, source, changes FROM ${TABLES.history}
      WHERE tenant = ${p(1)} AND object_type = ${p(2)} AND record_id = ${p(3)} ORDER BY seq`,
    /** Params: tenant, object_type, record_id. */
    readEdgeHistory: `SELECT to_type, to_id, action, labels_before, labels_after, other_name, ${d.time('at')} AS at, source FROM ${TABLES.edgeHistory}
      WHERE tenant = ${p(1)} AND object_type = ${p(2)} AND record_id = ${p(3)} ORDER BY seq`,
    /** Params: tenant, key. */
    getMeta: `SELECT value FROM ${TABLES.meta} WHERE tenant = ${p(1)} AND key = ${p(2)}`,
    /** Params: tenant, key, the value's JSON. */
    putMeta: `INSERT INTO ${TABLES.meta} (tenant, key, value) VALUES (${p(1)}, ${p(2)}, ${d.json(3)})
      ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value`,
    /** Params: tenant, key. */
    deleteMeta: `DELETE FROM ${TABLES.meta} WHERE tenant = ${p(1)} AND key = ${p(2)}`,
    /** The lists holding one record, along the record's index. Params: tenant, object_type, record_id. */
    listsOf: `SELECT list_id FROM ${TABLES.listMembers} ${d.walk(INDEXES.listMembersRecord)}
      WHERE tenant = ${p(1)} AND object_type = ${p(2)} AND record_id = ${p(3)}`,
    /** Empties a list: one range of the primary key. Params: tenant, object_type, list_id. */
    emptyList: `DELETE FROM ${TABLES.listMembers} WHERE tenant = ${p(1)} AND object_type = ${p(2)} AND list_id = ${p(3)}`,
  };
}

/**
 * The shared statements of one dialect.
 *
 * @example
 * const sql: SharedStatements = sharedStatements(postgresDialect);
 */
export type SharedStatements = ReturnType<typeof sharedStatements>;
