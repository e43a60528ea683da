// Search plans on SQLite: the SQL core's compiler (../sql/search.ts) in SQLite's spelling
// (./dialect.ts sqliteSearch), run on the transaction's connection. Compiled statements are
// prepared once per connection and SQL text (a plan's shape: its predicates, names and sorts,
// never its values, which are bound), so a search repeated with other values reuses its
// statement. The functions the SQL calls (crmkit_fold, crmkit_tokens) are registered on every
// connection the adapter uses, deterministic so expression indexes may use them.
import type Database from 'better-sqlite3';
import { ExactSum, foldCase, tokenMatches } from 'crmkit/storage';
import type { AggregateAnswer, AggregatePlan, PlanProperty, SearchExplanation, SearchPage, SearchPlan, StoredRecord } from 'crmkit/storage';
import { bucketsOfRows, compileAggregate } from '../sql/aggregate.js';
import { keysetPage, pageSize } from '../sql/paging.js';
import { compileCountProbe, compileListProbe, compileSearch, FEW_MATCHES_PER_ROW, indexedConditions, listConjunct, type SearchHints } from '../sql/search.js';
import { indexName, indexStatements } from '../sql/search-indexes.js';
import { sqliteSearch } from './dialect.js';
import { prepare } from './reachable.js';
import type { Prepared, RecordRow } from './statements.js';

/**
 * Registers the search functions on a connection: `crmkit_fold(x)` (crmkit/storage's foldCase of
 * the value's text; NULL stays NULL), `crmkit_tokens(x, pattern)` (1 when tokenMatches, else
 * 0, never NULL) and the aggregate `crmkit_sum(x)` (the exact sum of the numbers among its
 * values, crmkit/storage's ExactSum; 0 for none). SQLite's lower() folds ASCII letters only. A connection without them cannot
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
  db.aggregate('crmkit_sum', {
    start: () => new ExactSum(),
    step: (sum: ExactSum, value: unknown) => {
      if (typeof value === 'number') sum.add(value);
      else if (typeof value === 'bigint') sum.add(Number(value));
      return sum;
    },
    result: (sum: ExactSum) => sum.value(),
    deterministic: true,
  });
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
 * Answers a plan in SQL: the page's parts in order until one row more than asked is read (for
 * `more`) and, when asked, the total (from the page itself when a first page holds every match,
 * else a COUNT; a count alone, limit 0, runs only the COUNT).
 *
 * @example
 * const page = searchSqlite(db, tenant, plan, toRecord);
 */
export function searchSqlite(db: Database.Database, tenant: string, plan: SearchPlan, toRecord: (objectType: string, row: RecordRow) => StoredRecord): SearchPage {
  const limit = pageSize(plan.limit, 0);
  // A count alone (limit 0) reads no page, and needs no steering.
  const hints = limit === 0 && plan.total && plan.after === undefined ? {} : steering(db, tenant, plan, limit);
  let compiled = compileSearch(sqliteSearch, plan, tenant, limit, hints);
  const counted = (): number => statement<number>(db, compiled.count!.sql, 'pluck').get(...compiled.count!.params)!;
  if (limit === 0 && compiled.count !== undefined && plan.after === undefined) {
    const total = counted();
    return { records: [], more: total > 0, total };
  }
  // The total, when a part counted the matches as it read them.
  let pageTotal: number | undefined;
  const readParts = (): RecordRow[] => {
    const read: RecordRow[] = [];
    for (const part of compiled.parts) {
      const rows = statement<RecordRow>(db, part.sql, 'raw').all(...part.params(limit + 1 - read.length));
      if (part.counts && rows.length > 0) pageTotal = Number(rows[0]!.at(-1));
      for (const row of rows) read.push(row);
      if (read.length > limit) break;
    }
    return read;
  };
  let read: RecordRow[];
  if (hints.walk === undefined) read = readParts();
  else {
    try {
      read = readParts();
    } catch (error) {
      // Another connection dropped the index since this one listed them: read without it.
      if (!(error instanceof Error && /no such index/i.test(error.message))) throw error;
      indexCache.delete(db);
      compiled = compileSearch(sqliteSearch, plan, tenant, limit);
      read = readParts();
    }
  }
  const { rows, more } = keysetPage(read, limit);
  const records = rows.map((row) => toRecord(plan.objectType, row));
  if (compiled.count === undefined) return { records, more };
  return { records, more, total: plan.after === undefined && !more ? records.length : (pageTotal ?? counted()) };
}

/**
 * How a page is read, whatever the statistics say: from the static list of a `member` condition
 * all records must meet (../sql/search.ts listConjunct) when its members are few (counted along
 * the list's primary key, no further than the cap) or no index gives the page's order nor
 * narrows it, so a list of 100 among 50,000 records reads 100 rows, not 50,000; else along the
 * index {@link indexToWalk} names, each record's membership probed (a list of most records:
 * the page's first rows in the sort's order are members).
 */
function steering(db: Database.Database, tenant: string, plan: SearchPlan, limit: number): SearchHints {
  const member = listConjunct(plan);
  if (member !== undefined) {
    const cap = FEW_MATCHES_PER_ROW * (limit + 1);
    const probe = compileListProbe(sqliteSearch, plan.objectType, member.list, tenant, cap);
    if (statement<number>(db, probe.sql, 'pluck').get(...probe.params)! < cap) return { fromList: true };
  }
  const walk = indexToWalk(db, tenant, plan, limit);
  if (walk !== undefined) return { walk: `INDEXED BY ${sqliteSearch.quote(walk)}` };
  // No sort walks the primary key in id order; a sort no index gives reads every match anyway.
  return member !== undefined && plan.sorts.length > 0 ? { fromList: true } : {};
}

/**
 * Answers an aggregate plan in one statement (../sql/aggregate.ts), prepared once per connection
 * and plan shape.
 *
 * @example
 * const { buckets } = aggregateSqlite(db, tenant, plan);
 */
export function aggregateSqlite(db: Database.Database, tenant: string, plan: AggregatePlan): AggregateAnswer {
  const { sql, params } = compileAggregate(sqliteSearch, plan, tenant);
  return { buckets: bucketsOfRows(plan, statement<unknown[]>(db, sql, 'raw').all(...params)) };
}

/**
 * The index a page's statements must walk, whatever the statistics say (a fresh file has none,
 * and SQLite then took the sort's index and filtered on a selective EQ: 2.5 ms where the EQ's
 * own index reads 500 rows): the index of an EQ/IN on an indexed property when its matches are
 * few (counted through that index, no further than the cap: a covered read), else the index of
 * the first sort key (it gives the order, and a keyset position is a range on it; the part of
 * the records without a value is a range on it too). Only indexes that exist. Matches are few
 * below FEW_MATCHES_PER_ROW a page row (../sql/search.ts).
 */
function indexToWalk(db: Database.Database, tenant: string, plan: SearchPlan, limit: number): string | undefined {
  const existing = indexNames(db);
  const indexOf = (property: PlanProperty): string | undefined => {
    if (property.multiple) return undefined;
    const name = indexName(sqliteSearch, plan.objectType, property);
    return existing.has(name) ? name : undefined;
  };
  const sortIndex = plan.sorts.length === 0 ? undefined : indexOf(plan.sorts[0]!.property);
  for (const part of indexedConditions(plan)) {
    const index = indexOf(part.property);
    if (index === undefined) continue;
    if (sortIndex === undefined) return index;
    // Counted through that index, no further than the cap: a covered read.
    const cap = FEW_MATCHES_PER_ROW * (limit + 1);
    const probe = compileCountProbe(sqliteSearch, plan.objectType, part, tenant, `INDEXED BY ${sqliteSearch.quote(index)}`, cap);
    if (statement<number>(db, probe.sql, 'pluck').get(...probe.params)! < cap) return index;
  }
  return sortIndex;
}

/** The names of the indexes on crmkit_records, read once per connection and after indexSqlite. */
const indexCache = new WeakMap<Database.Database, Set<string>>();

function indexNames(db: Database.Database): Set<string> {
  let names = indexCache.get(db);
  if (names === undefined) indexCache.set(db, (names = new Set(statement<string>(db, sqliteSearch.listIndexes, 'pluck').all())));
  return names;
}

/**
 * How SQLite runs a plan: the page's statements (`statement` the first) and the EXPLAIN QUERY
 * PLAN rows of the first.
 *
 * @example
 * explainSqlite(db, tenant, plan).plan; // [{ id: 4, parent: 0, notused: 0, detail: 'SEARCH r USING INDEX …' }]
 */
export function explainSqlite(db: Database.Database, tenant: string, plan: SearchPlan): SearchExplanation {
  const limit = pageSize(plan.limit, 0);
  const hints = steering(db, tenant, plan, limit);
  const compiled = compileSearch(sqliteSearch, plan, tenant, limit, hints);
  const first = compiled.parts[0]!;
  const rows = prepare(db, `EXPLAIN QUERY PLAN ${first.sql}`).all(...first.params(limit + 1));
  return {
    storage: 'sqlite',
    strategy: 'sql',
    ...(hints.fromList ? { index: `list ${listConjunct(plan)!.list}` } : {}),
    statement: first.sql,
    statements: compiled.parts.map((part) => part.sql),
    ...(compiled.count ? { count: compiled.count.sql } : {}),
    plan: rows,
  };
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
  indexCache.delete(db);
}
