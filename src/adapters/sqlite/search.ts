// Search plans on SQLite: the SQL core's compiler (../sql/search.ts) in SQLite's spelling
// (./dialect.ts sqliteSearch), run on the transaction's connection. Compiled statements are
// prepared once per connection and SQL text (a plan's shape: its predicates, names and sorts,
// never its values, which are bound), so a search repeated with other values reuses its
// statement. The functions the SQL calls (crmkit_fold, crmkit_tokens) are registered on every
// connection the adapter uses, deterministic so expression indexes may use them.
import type Database from 'better-sqlite3';
import { foldCase, tokenMatches } from 'crmkit/storage';
import type { PlanProperty, SearchExplanation, SearchPage, SearchPlan, StoredRecord } from 'crmkit/storage';
import { keysetPage, pageSize } from '../sql/paging.js';
import { compileSearch } from '../sql/search.js';
import { indexStatements } from '../sql/search-indexes.js';
import { sqliteSearch } from './dialect.js';
import { prepare } from './reachable.js';
import type { Prepared, RecordRow } from './statements.js';

/**
 * Registers the search functions on a connection: `crmkit_fold(x)` (crmkit/storage's foldCase of
 * the value's text; NULL stays NULL) and `crmkit_tokens(x, pattern)` (1 when tokenMatches, else
 * 0, never NULL). SQLite's lower() folds ASCII letters only. A connection without them cannot
 * write crmkit_records once an index uses crmkit_fold (docs/adapters.md "Search").
 *
 * @example
 * registerSearchFunctions(db);
 * db.prepare("SELECT crmkit_fold('ÄRGER')").pluck().get(); // 'ärger'
 */
export function registerSearchFunctions(db: Database.Database): void {
  db.function('crmkit_fold', { deterministic: true }, (value: unknown) => (value === null || value === undefined ? null : foldCase(String(value))));
  db.function('crmkit_tokens', { deterministic: true }, (value: unknown, pattern: unknown) =>
    value === null || value === undefined || typeof pattern !== 'string' ? 0 : tokenMatches(String(value), pattern) ? 1 : 0,
  );
}

/** The most statement shapes kept per connection; past it the oldest is forgotten. */
const SHAPES = 500;

const cache = new WeakMap<Database.Database, Map<string, Prepared<unknown[], unknown>>>();

/** The statement of `sql` on `db`, prepared once per connection (raw rows, or one plucked value). */
function statement<R>(db: Database.Database, sql: string, mode: 'raw' | 'pluck'): Prepared<unknown[], R> {
  let shapes = cache.get(db);
  if (shapes === undefined) cache.set(db, (shapes = new Map()));
  const name = `${mode}\u0000${sql}`;
  let prepared = shapes.get(name);
  if (prepared === undefined) {
    const made = prepare<unknown[], R>(db, sql);
    prepared = (mode === 'raw' ? made.raw(true) : made.pluck(true)) as Prepared<unknown[], unknown>;
    if (shapes.size >= SHAPES) shapes.delete(shapes.keys().next().value!);
    shapes.set(name, prepared);
  }
  return prepared as Prepared<unknown[], R>;
}

/**
 * Answers a plan in SQL: the page (one row more than asked, for `more`) and, when asked, the
 * total (from the page itself when a first page holds every match, else a COUNT).
 *
 * @example
 * const page = searchSqlite(db, tenant, plan, toRecord);
 */
export function searchSqlite(db: Database.Database, tenant: string, plan: SearchPlan, toRecord: (objectType: string, row: RecordRow) => StoredRecord): SearchPage {
  const limit = pageSize(plan.limit, 0);
  const compiled = compileSearch(sqliteSearch, plan, tenant, limit);
  const { rows, more } = keysetPage(statement<RecordRow>(db, compiled.page.sql, 'raw').all(...compiled.page.params), limit);
  const records = rows.map((row) => toRecord(plan.objectType, row));
  if (compiled.count === undefined) return { records, more };
  const total = plan.after === undefined && !more ? records.length : statement<number>(db, compiled.count.sql, 'pluck').get(...compiled.count.params)!;
  return { records, more, total };
}

/**
 * How SQLite runs a plan: the page statement and its EXPLAIN QUERY PLAN rows.
 *
 * @example
 * explainSqlite(db, tenant, plan).plan; // [{ id: 4, parent: 0, notused: 0, detail: 'SEARCH r USING INDEX …' }]
 */
export function explainSqlite(db: Database.Database, tenant: string, plan: SearchPlan): SearchExplanation {
  const compiled = compileSearch(sqliteSearch, plan, tenant, pageSize(plan.limit, 0));
  const rows = prepare(db, `EXPLAIN QUERY PLAN ${compiled.page.sql}`).all(...compiled.page.params);
  return { storage: 'sqlite', strategy: 'sql', statement: compiled.page.sql, plan: rows };
}

/**
 * Creates the expression indexes of `objectType`'s listed properties and drops the ones it no
 * longer lists (../sql/search-indexes.ts), inside the caller's transaction.
 *
 * @example
 * indexSqlite(db, 'contacts', [{ name: 'email', type: 'string', multiple: false, indexed: true }]);
 */
export function indexSqlite(db: Database.Database, objectType: string, properties: readonly PlanProperty[]): void {
  const existing = statement<string>(db, sqliteSearch.listIndexes, 'pluck').all();
  const { create, drop } = indexStatements(sqliteSearch, objectType, properties, existing);
  // exec: DDL runs once, and prepares no statement object the process must keep (./reachable.ts).
  for (const sql of [...drop, ...create]) db.exec(sql);
}
