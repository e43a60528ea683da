// The SQLite adapter's tables and their migrations. The schema version lives in the database
// file itself (PRAGMA user_version), so any process opening the file knows what it holds:
// older files are migrated forward step by step, newer ones are refused rather than misread.
import type Database from 'better-sqlite3';
import { CrmError } from 'crmkit/storage';
import { prepare } from './reachable.js';

/**
 * One migration step: the SQL that takes a file from version `index` to `index + 1`.
 * Steps are append-only: a released step is never edited, a change is a new step.
 */
const MIGRATIONS: readonly string[] = [
  // 0 → 1: the initial tables. Every table is keyed by tenant first, so one file holds many
  // CRMs that can never see each other. Names start with crm_ so the file can be shared with an
  // app's own tables.
  `
  -- Records: seq (the rowid, AUTOINCREMENT so a purged record's number is never handed out
  -- again) is the scan order; (tenant, object_type, id) is the record's key.
  CREATE TABLE crm_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    object_type TEXT NOT NULL,
    id TEXT NOT NULL,
    properties TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
    archived_at TEXT,
    UNIQUE (tenant, object_type, id)
  );
  -- Scans: index entries end with the rowid, so this index is in (tenant, type, seq) order.
  CREATE INDEX crm_records_scan ON crm_records (tenant, object_type);

  -- Unique keys (email, domain, unique properties, engine namespaces): the primary key is what
  -- makes a claim atomic across transactions and processes. No foreign key: the engine claims
  -- keys before it inserts the record.
  CREATE TABLE crm_keys (
    tenant TEXT NOT NULL,
    object_type TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (tenant, object_type, key, value)
  ) WITHOUT ROWID;

  -- Associations: one row per direction, so each end of an association is indexed as the
  -- from-end of its own row. seq (the rowid) is set on insert to one past the largest, so a new
  -- association goes after every existing one; an upsert leaves it alone, so a relabelled
  -- association keeps its place. The foreign key makes an edge (and so its inverse, whose
  -- from-end is the other record) impossible without its records.
  CREATE TABLE crm_edges (
    seq INTEGER PRIMARY KEY,
    tenant TEXT NOT NULL,
    from_type TEXT NOT NULL,
    from_id TEXT NOT NULL,
    to_type TEXT NOT NULL,
    to_id TEXT NOT NULL,
    labels TEXT NOT NULL,
    inverse_labels TEXT NOT NULL,
    created_at TEXT NOT NULL,
    archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
    FOREIGN KEY (tenant, from_type, from_id) REFERENCES crm_records (tenant, object_type, id) ON DELETE CASCADE
  );
  -- At most one association between two records; also how a record's edges are read (sorted
  -- by seq: a record has few) and how edge scans walk a type pair.
  CREATE UNIQUE INDEX crm_edges_ends ON crm_edges (tenant, from_type, from_id, to_type, to_id);

  -- Property history, per record in append (rowid) order; deleted with its record.
  CREATE TABLE crm_history (
    seq INTEGER PRIMARY KEY,
    tenant TEXT NOT NULL,
    object_type TEXT NOT NULL,
    id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    source TEXT NOT NULL,
    property_values TEXT NOT NULL,
    FOREIGN KEY (tenant, object_type, id) REFERENCES crm_records (tenant, object_type, id) ON DELETE CASCADE
  );
  CREATE INDEX crm_history_record ON crm_history (tenant, object_type, id);

  -- Association history, per record in append order; deleted with its record (not the other end's).
  CREATE TABLE crm_edge_history (
    seq INTEGER PRIMARY KEY,
    tenant TEXT NOT NULL,
    object_type TEXT NOT NULL,
    id TEXT NOT NULL,
    to_type TEXT NOT NULL,
    to_id TEXT NOT NULL,
    action TEXT NOT NULL,
    labels_before TEXT NOT NULL,
    labels_after TEXT NOT NULL,
    other_name TEXT,
    timestamp TEXT NOT NULL,
    source TEXT NOT NULL,
    FOREIGN KEY (tenant, object_type, id) REFERENCES crm_records (tenant, object_type, id) ON DELETE CASCADE
  );
  CREATE INDEX crm_edge_history_record ON crm_edge_history (tenant, object_type, id);

  -- Metadata documents (the schema, its version), as JSON text.
  CREATE TABLE crm_meta (
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (tenant, key)
  ) WITHOUT ROWID;
  `,
  // 1 → 2: keyset pages of one record's associations (associations.list). The ends index reads
  // a record's edges in to_id order, so a page had to read them all and sort; this one holds a
  // record's live edges to one type in association order (created_at, then seq: the order the
  // association was first stored), so a page resumes at its cursor and reads its own rows, and
  // the total is one count over the same range.
  `
  CREATE INDEX crm_edges_page ON crm_edges (tenant, from_type, from_id, to_type, archived, created_at, seq);
  `,
  // 2 → 3: the names of the SQL core (adapters/sql/tables.ts), which PostgreSQL has had from the
  // start: tables start with crmkit_, and history columns are record_id, at and changes. Renamed
  // in place, rows, rowids and AUTOINCREMENT counters kept (SQLite carries sqlite_sequence and the
  // foreign keys along); SQLite cannot rename an index, so the indexes are built again under
  // their new names, in this same transaction.
  `
  ALTER TABLE crm_records RENAME TO crmkit_records;
  ALTER TABLE crm_keys RENAME TO crmkit_keys;
  ALTER TABLE crm_edges RENAME TO crmkit_edges;
  ALTER TABLE crm_history RENAME TO crmkit_history;
  ALTER TABLE crm_edge_history RENAME TO crmkit_edge_history;
  ALTER TABLE crm_meta RENAME TO crmkit_meta;

  ALTER TABLE crmkit_history RENAME COLUMN id TO record_id;
  ALTER TABLE crmkit_history RENAME COLUMN timestamp TO at;
  ALTER TABLE crmkit_history RENAME COLUMN property_values TO changes;
  ALTER TABLE crmkit_edge_history RENAME COLUMN id TO record_id;
  ALTER TABLE crmkit_edge_history RENAME COLUMN timestamp TO at;

  DROP INDEX crm_records_scan;
  CREATE INDEX crmkit_records_scan ON crmkit_records (tenant, object_type);
  DROP INDEX crm_edges_ends;
  CREATE UNIQUE INDEX crmkit_edges_ends ON crmkit_edges (tenant, from_type, from_id, to_type, to_id);
  DROP INDEX crm_edges_page;
  CREATE INDEX crmkit_edges_page ON crmkit_edges (tenant, from_type, from_id, to_type, archived, created_at, seq);
  DROP INDEX crm_history_record;
  CREATE INDEX crmkit_history_record ON crmkit_history (tenant, object_type, record_id);
  DROP INDEX crm_edge_history_record;
  CREATE INDEX crmkit_edge_history_record ON crmkit_edge_history (tenant, object_type, record_id);
  `,
  // 3 → 4: static lists (a static segment's members; docs/decisions/0022-static-lists.md), one
  // row per member, where they were metadata documents rewritten whole on every change. The
  // primary key is a list's members in order (adding, removing, emptying a list, and the member
  // probe of a search); the second index is the lists holding one record (listsOf, and the
  // purge of a record). WITHOUT ROWID: the rows are their key, and the second index then covers
  // listsOf. No foreign key to the records: a list may name an id no record has (yet), as the
  // memory storage allows; deleteRecords deletes a purged record's rows itself.
  `
  CREATE TABLE crmkit_list_members (
    tenant TEXT NOT NULL,
    list_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (tenant, object_type, list_id, record_id)
  ) WITHOUT ROWID;
  CREATE INDEX crmkit_list_members_record ON crmkit_list_members (tenant, object_type, record_id);
  `,
];

/**
 * The schema version this adapter writes (the file's PRAGMA user_version): files at a lower
 * version are migrated to it, files at a higher one (written by a newer crmkit) are refused.
 *
 * @example
 * import { SCHEMA_VERSION } from 'crmkit/sqlite';
 * const version = db.pragma('user_version', { simple: true }); // === SCHEMA_VERSION once opened
 */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The statement reading a connection's user_version, prepared once per connection. */
const versionReads = new WeakMap<Database.Database, Database.Statement<[], number>>();

/** The version a file claims (0: a new or foreign file, no crmkit tables yet). */
export function fileVersion(db: Database.Database): number {
  let read = versionReads.get(db);
  if (read === undefined) versionReads.set(db, (read = prepare<[], number>(db, 'PRAGMA user_version').pluck(true)));
  return read.get()!;
}

/**
 * Brings the file to {@link SCHEMA_VERSION} (or to `target`, for tests of older versions). Runs
 * under BEGIN IMMEDIATE and reads the version inside it, so two processes opening a new file at
 * once migrate it once; every step and the new version commit together, so a crash
 * mid-migration leaves the file as it was. A file another connection is writing answers
 * SQLITE_BUSY (with nothing begun), for the caller to wait and call again.
 *
 * @example
 * migrate(db); // the file is now at SCHEMA_VERSION
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): void {
  const refuse = (version: number): CrmError =>
    new CrmError(
      'STORAGE_ERROR',
      `sqlite storage: the file is at schema version ${version}, newer than this crmkit knows (${SCHEMA_VERSION}); upgrade crmkit`,
      { version, supported: SCHEMA_VERSION, outcome: 'rolled_back' },
    );
  // The common case (already current) costs one pragma read and no write lock.
  const seen = fileVersion(db);
  if (seen > SCHEMA_VERSION) throw refuse(seen);
  if (seen >= target) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const version = fileVersion(db);
    if (version > SCHEMA_VERSION) throw refuse(version);
    for (let step = version; step < target; step++) db.exec(MIGRATIONS[step]!);
    // Integer literal, not user input: pragmas take no parameters.
    db.exec(`PRAGMA user_version = ${Math.max(version, Math.trunc(target))}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
