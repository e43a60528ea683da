// The SQL core's tables: one set of names for every SQL database crmkit runs on (SQLite since
// its schema 3, PostgreSQL from the start). Every table's key starts with the tenant, so one
// database holds many CRMs that can never see each other. The DDL of each database lives with
// its migrations (sqlite/schema.ts, postgres/schema.ts): released migration steps are never
// edited, and the types differ (JSON text and 0/1 in SQLite, jsonb and boolean in PostgreSQL).

/**
 * The tables, by what they hold.
 *
 * @example
 * `SELECT value FROM ${TABLES.meta} WHERE tenant = ? AND key = ?`;
 */
export const TABLES = Object.freeze({
  /** One row per record: (tenant, object_type, id) unique, `seq` the scan order, `properties` JSON. */
  records: 'crmkit_records',
  /** Unique keys (email, domain, unique properties, engine namespaces): the key is the uniqueness. */
  keys: 'crmkit_keys',
  /** One row per direction of an association; `seq` is the order first stored. */
  edges: 'crmkit_edges',
  /** Property history: (tenant, object_type, record_id), `at`, `source`, `changes`. */
  history: 'crmkit_history',
  /** Association history of each record: the other end, `action`, labels before and after. */
  edgeHistory: 'crmkit_edge_history',
  /** Metadata documents (the schema, its version, label definitions), per tenant. */
  meta: 'crmkit_meta',
  /**
   * Static lists (a static segment's members): one row per (list, record), keyed by (tenant,
   * object_type, list_id, record_id); the `member` predicate probes it.
   */
  listMembers: 'crmkit_list_members',
});

/**
 * The indexes statements name (SQLite walks them by `INDEXED BY`; on PostgreSQL they are
 * partial, and a statement states their predicate).
 *
 * @example
 * `SELECT count(*) FROM ${TABLES.edges} ${dialect.walk(INDEXES.edgesPage)} WHERE …`;
 */
export const INDEXES = Object.freeze({
  /** A type's records in scan order (tenant, object_type, seq). */
  recordsScan: 'crmkit_records_scan',
  /** One record's live edges to one type in association order (created_at, then seq). */
  edgesPage: 'crmkit_edges_page',
  /** The lists holding one record: (tenant, object_type, record_id). */
  listMembersRecord: 'crmkit_list_members_record',
});
