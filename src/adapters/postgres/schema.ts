// The adapter's tables and their migrations. The schema version lives in the database
// (crmkit_schema), so every process sees the same one; migrating runs in one transaction under
// an advisory lock, so two processes starting at once do not both create tables, and DDL being
// transactional in PostgreSQL means a failed migration leaves the previous version intact.
//
// Every primary key and index leads with `tenant`: one database holds many CRMs, and a
// distributed engine (Citus) can shard every table by tenant and keep a tenant's rows, and the
// foreign keys between them, on one node.
import { randomBytes } from 'node:crypto';
import { CrmError } from 'crmkit/storage';
import type { Session } from './driver.js';

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = 5;

/** The advisory lock key migrations hold (an arbitrary constant: "crmkit" in ASCII). */
export const MIGRATION_LOCK = 0x63726d6b6974;

/** Migrations by the version they lead to; each runs once, in order, inside the migration transaction. */
const MIGRATIONS: Record<number, string[]> = {
  1: [
    // Records: properties as jsonb, so a search engine can push filters down (and per-property
    // expression indexes can be added: CREATE INDEX ... ((properties->>'email')) ...).
    // `seq` is the scan order: set once on insert, never updated, so updates keep their place.
    `CREATE TABLE crmkit_records (
      tenant text NOT NULL,
      object_type text NOT NULL,
      id text NOT NULL,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      properties jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      archived boolean NOT NULL DEFAULT false,
      archived_at timestamptz,
      PRIMARY KEY (tenant, object_type, id)
    )`,
    // Keyset scans: WHERE tenant AND object_type AND seq > cursor ORDER BY seq.
    `CREATE UNIQUE INDEX crmkit_records_scan ON crmkit_records (tenant, object_type, seq)`,
    // Unique keys (email, domain, unique properties): the primary key is the uniqueness. It
    // holds the value's SHA-256 rather than the value: a btree entry is limited to about 2.7 kB,
    // and a unique property may hold up to 65,536 characters. The value is kept beside it.
    `CREATE TABLE crmkit_keys (
      tenant text NOT NULL,
      object_type text NOT NULL,
      key text NOT NULL,
      value_hash bytea NOT NULL,
      value text NOT NULL,
      id text NOT NULL,
      PRIMARY KEY (tenant, object_type, key, value_hash)
    )`,
    // Associations: one row per direction. `seq` orders a record's associations (set on
    // insert, kept by ON CONFLICT DO UPDATE). No foreign keys to records: the engine only links
    // records that exist, deleteRecords removes a record's edges and history itself, and a
    // per-row foreign-key check (with its plan cached while the table was empty) made bulk
    // loads quadratic.
    `CREATE TABLE crmkit_edges (
      tenant text NOT NULL,
      from_type text NOT NULL,
      from_id text NOT NULL,
      to_type text NOT NULL,
      to_id text NOT NULL,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      labels jsonb NOT NULL,
      inverse_labels jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      archived boolean NOT NULL,
      PRIMARY KEY (tenant, from_type, from_id, to_type, to_id)
    )`,
    `CREATE INDEX crmkit_edges_from ON crmkit_edges (tenant, from_type, from_id, seq)`,
    `CREATE INDEX crmkit_edges_to ON crmkit_edges (tenant, to_type, to_id)`,
    `CREATE INDEX crmkit_edges_scan ON crmkit_edges (tenant, from_type, to_type, seq)`,
    // Property history: one row per write, values as jsonb; deleteRecords removes it.
    `CREATE TABLE crmkit_history (
      tenant text NOT NULL,
      object_type text NOT NULL,
      record_id text NOT NULL,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      at timestamptz NOT NULL,
      source jsonb NOT NULL,
      changes jsonb NOT NULL,
      PRIMARY KEY (tenant, object_type, record_id, seq)
    )`,
    `CREATE TABLE crmkit_edge_history (
      tenant text NOT NULL,
      object_type text NOT NULL,
      record_id text NOT NULL,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      to_type text NOT NULL,
      to_id text NOT NULL,
      action text NOT NULL CHECK (action IN ('created', 'removed', 'relabelled')),
      labels_before jsonb NOT NULL,
      labels_after jsonb NOT NULL,
      other_name text,
      at timestamptz NOT NULL,
      source jsonb NOT NULL,
      PRIMARY KEY (tenant, object_type, record_id, seq)
    )`,
    // Metadata documents (the schema, its version, label definitions), per tenant.
    `CREATE TABLE crmkit_meta (
      tenant text NOT NULL,
      key text NOT NULL,
      value jsonb NOT NULL,
      PRIMARY KEY (tenant, key)
    )`,
  ],
  // Version 2: every lookup has exactly one index it can use, whatever the planner statistics
  // say. Without statistics (a new table, or a tenant that grew since the last ANALYZE) the
  // planner takes `tenant = $1 AND object_type = $2` to match about one row, so any index
  // leading with those columns looks as good as the primary key, and it picked the scan index
  // and read the tenant's every row through it, filtering on the id; under SERIALIZABLE that
  // read locks the whole relation, and every concurrent write conflicted. So the indexes that
  // serve ordered scans become partial on a predicate only the scans state (`seq > 0`, always
  // true: identities start at 1; `NOT archived` for association pages), which no lookup states,
  // and the two end indexes of edges go (the primary key serves lookups from a record; edges
  // at the other end of a deleted record are found through their inverses).
  2: [
    `DROP INDEX crmkit_records_scan`,
    `CREATE UNIQUE INDEX crmkit_records_scan ON crmkit_records (tenant, object_type, seq) WHERE seq > 0`,
    `DROP INDEX crmkit_edges_from`,
    `DROP INDEX crmkit_edges_to`,
    `DROP INDEX crmkit_edges_scan`,
    `CREATE INDEX crmkit_edges_scan ON crmkit_edges (tenant, from_type, to_type, seq) WHERE seq > 0`,
    // Keyset pages of one record's live associations to one type, in association order
    // (created_at, then seq: first stored), and their count, from one index range.
    `CREATE INDEX crmkit_edges_page ON crmkit_edges (tenant, from_type, from_id, to_type, created_at, seq) WHERE NOT archived`,
  ],
  // Version 3: search plans run in SQL (../sql/search.ts, docs/decisions/0014-search-in-sql.md).
  // The functions that read a stored value as a plan compares it, IMMUTABLE so expression
  // indexes (indexProperties) can be built on them, and plain SQL so the planner inlines them
  // (an index on the inlined expression matches a query's). crmkit_fold must agree with
  // JavaScript's toLowerCase: lower() under a libc locale maps one character at a time (no final
  // sigma, İ to i) and under "C" maps ASCII only, so it lower-cases through the ICU root
  // collation, which does what JavaScript does; a server built without ICU falls back to lower()
  // under the database's locale (docs/adapters.md "Search" says what then differs).
  3: [
    `DO $$
     BEGIN
       IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
         EXECUTE $f$CREATE OR REPLACE FUNCTION crmkit_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
           AS 'SELECT lower(value COLLATE "und-x-icu")'$f$;
       ELSE
         EXECUTE $f$CREATE OR REPLACE FUNCTION crmkit_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
           AS 'SELECT lower(value)'$f$;
       END IF;
     END $$`,
    `CREATE OR REPLACE FUNCTION crmkit_number(value jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS 'SELECT CASE WHEN jsonb_typeof(value) = ''number'' THEN value::double precision END'`,
    `CREATE OR REPLACE FUNCTION crmkit_bool(value jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS 'SELECT CASE WHEN jsonb_typeof(value) = ''boolean'' THEN value::boolean END'`,
  ],
  // Version 4: no statistics on the JSON columns. No plan reads them (a search compares
  // expressions of them, whose statistics are kept apart: ../sql/search-indexes.ts), and
  // comparing 30,000 sampled documents was most of an ANALYZE (PGlite, 40,000 edge rows: 207 →
  // 78 ms), whether autovacuum runs it or the storage (./maintenance.ts).
  4: [
    `ALTER TABLE crmkit_records ALTER COLUMN properties SET STATISTICS 0`,
    `ALTER TABLE crmkit_edges ALTER COLUMN labels SET STATISTICS 0, ALTER COLUMN inverse_labels SET STATISTICS 0`,
  ],
  // Version 5: static lists (a static segment's members; docs/decisions/0022-static-lists.md),
  // one row per member, where they were metadata documents rewritten whole on every change. The
  // primary key is a list's members (adding, removing, emptying a list, and a search reading a
  // list); the second index the lists holding one record (listsOf, a record's purge, and the
  // member probe of a search, which it answers exactly with list_id last). The second index is
  // partial on `record_id IS NOT NULL` (always true), which only a statement naming the record
  // implies: without statistics the planner read a list through it (the type's every
  // membership, list_id as a filter: it is the smaller index and the estimates tie) rather
  // than through the primary key. No foreign key, as for edges and history: a list may name an
  // id no record has, and deleteRecords deletes a purged record's rows in its one statement.
  5: [
    `CREATE TABLE crmkit_list_members (
      tenant text NOT NULL,
      list_id text NOT NULL,
      object_type text NOT NULL,
      record_id text NOT NULL,
      PRIMARY KEY (tenant, object_type, list_id, record_id)
    )`,
    `CREATE INDEX crmkit_list_members_record ON crmkit_list_members (tenant, object_type, record_id, list_id) WHERE record_id IS NOT NULL`,
  ],
};

/**
 * Brings the database to {@link SCHEMA_VERSION} (or to `target`, for tests of older versions).
 * Runs on a session of its own, in one transaction; refuses a database written by a newer crmkit.
 *
 * @example
 * await migrate(session);
 */
export async function migrate(session: Session, target = SCHEMA_VERSION): Promise<void> {
  // READ COMMITTED: after waiting for the lock, each statement must see what the process that
  // held it committed (a snapshot from before the wait would not).
  await session.query('BEGIN ISOLATION LEVEL READ COMMITTED');
  try {
    await session.query('SELECT pg_advisory_xact_lock($1::text::bigint)', [String(MIGRATION_LOCK)]);
    // The version table is not a migration: it must exist to know which migrations ran. Its
    // secret keyed the cursors of crmkit 0.1 (cursors now use crmkit/storage's codec and the
    // engine seals them); it is still written, so an older process on the same database works.
    await session.query(
      `CREATE TABLE IF NOT EXISTS crmkit_schema (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version integer NOT NULL,
        secret text NOT NULL
      )`,
    );
    await session.query('INSERT INTO crmkit_schema (version, secret) VALUES (0, $1) ON CONFLICT DO NOTHING', [randomBytes(32).toString('hex')]);
    const [row] = await session.query('SELECT version FROM crmkit_schema');
    const version = Number(row!.version);
    if (version > SCHEMA_VERSION) {
      throw new CrmError(
        'STORAGE_ERROR',
        `postgres storage: the database's crmkit schema is version ${version}, newer than this crmkit's (${SCHEMA_VERSION}); upgrade crmkit`,
        { version, supported: SCHEMA_VERSION, outcome: 'rolled_back' },
      );
    }
    for (let next = version + 1; next <= target; next++) {
      for (const statement of MIGRATIONS[next]!) await session.query(statement);
      await session.query('UPDATE crmkit_schema SET version = $1::text::integer', [String(next)]);
    }
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
