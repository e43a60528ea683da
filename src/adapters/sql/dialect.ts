// What differs between the SQL databases crmkit runs on, as far as the shared SQL text is
// concerned: how a parameter is written, how a bound integer, a JSON parameter and a stored time
// are spelled, how a live (not archived) edge is tested, and how a statement names the index it
// must walk. The two dialects (sqlite/dialect.ts, postgres/dialect.ts) answer these; everything
// else in ./statements.ts is written once.

/**
 * The SQL spellings that differ between databases. Every method answers SQL text for a
 * parameter position or a column: nothing a caller supplies ever reaches it.
 *
 * @example
 * const sql = `SELECT value FROM crmkit_meta WHERE tenant = ${dialect.param(1)} AND key = ${dialect.param(2)}`;
 */
export interface SqlDialect {
  /** The adapter's name in messages ('sqlite', 'postgres'). */
  readonly name: string;
  /** Parameter `n` (1-based): `?` (bound in order) or `$n`. */
  param(n: number): string;
  /** Parameter `n` holding a whole number (a sequence), as the database compares it. */
  integer(n: number): string;
  /** Parameter `n` as a LIMIT (a page size): spelled the way the database plans fastest. */
  limit(n: number): string;
  /** Parameter `n` holding JSON text, as the type JSON columns have. */
  json(n: number): string;
  /** A stored time column read as the ISO-8601 UTC string with milliseconds the engine wrote. */
  time(column: string): string;
  /** The test that a row (a record, an edge) is not archived, as the page index states it. */
  readonly live: string;
  /**
   * Text between a table's name and WHERE that makes the statement walk `index` (SQLite's
   * `INDEXED BY`), or '' where the database is steered otherwise (PostgreSQL: partial indexes).
   */
  walk(index: string): string;
  /** A condition (ending in AND) that lets ordered scans of records use their scan index ('' if none is needed). */
  readonly scanGuard: string;
}
