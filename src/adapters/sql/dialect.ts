// What differs between the SQL databases crmkit runs on, as far as the shared SQL text is
// concerned: how a parameter is written, how a bound integer, a JSON parameter and a stored time
// are spelled, how a live (not archived) edge is tested, and how a statement names the index it
// must walk. The two dialects (sqlite/dialect.ts, postgres/dialect.ts) answer these; everything
// else in ./statements.ts is written once. SearchDialect (below) is what search plans need
// (./search.ts).
import type { PlanProperty, PlanValue, PlanValueType } from 'crmkit/storage';

/** A record field a plan property may stand for (PlanProperty.column). */
export type PlanColumn = NonNullable<PlanProperty['column']>;

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

/**
 * How one database spells what search plans need (../sql/search.ts): a stored JSON property read
 * as each plan type, presence, the elements of a multi-valued property, word-token matching,
 * label tests, parameters, the order of ids, and the expression indexes of indexProperties. Every
 * method answers SQL text built from aliases, safe names (search.ts's `safeName`) and
 * placeholders: values are always bound.
 *
 * @example
 * const x = search.typed('r.properties', 'amount', 'number'); // SQLite: "r.properties ->> '$.amount'"
 */
export interface SearchDialect {
  /** The dialect of the other statements (record columns, LIMIT). */
  readonly base: SqlDialect;
  /** The tenant's placeholder: SQLite binds it (pushed onto `values`); PostgreSQL's adapter binds it as $1. */
  tenantParam(values: unknown[], tenant: string): string;
  /**
   * The placeholder of parameter `n` (1-based, in the order bound), as `type` compares; compared
   * with the row's own `column` (see {@link column}) when one is given.
   */
  param(n: number, type: PlanValueType, column?: PlanColumn): string;
  /** A plan value as bound for `type`. */
  bindValue(value: PlanValue, type: PlanValueType): unknown;
  /** A LIMIT's value as bound, and its placeholder. */
  bindLimit(value: number): unknown;
  limitParam(n: number): string;
  /** The property `name` of the JSON column `source` as `type` compares it (NULL when missing). */
  typed(source: string, name: string, type: PlanValueType): string;
  /**
   * The row's own column for a field a plan property may stand for (`PlanProperty.column`), as
   * its property would compare; `alias` undefined for an index's column list; `undefined` for a
   * field the dialect reads from the property instead (PostgreSQL's jsonb reads cheaply, while
   * SQLite parses its JSON text in every expression that reads it, on every write for an index).
   */
  column?(alias: string | undefined, field: PlanColumn): string | undefined;
  /** The property as text (a string property's value unfolded; NULL when missing). */
  text(source: string, name: string): string;
  /** True when the record has a value (for a multi-valued property: a non-empty array or a single value); never NULL. */
  present(source: string, name: string, multiple: boolean): string;
  /** A FROM item listing each value of a (possibly multi-valued) property, and its element read as a type or as text. */
  elements(source: string, name: string, alias: string): { from: string; typed(type: PlanValueType): string; text: string };
  /** True when the text (NULL: false) matches a `tokens` pattern as crmkit/storage's tokenMatches says; never NULL. */
  tokens(text: string, pattern: string, binder: { raw(value: unknown, spell: (n: number) => string): string }): string;
  /**
   * The edge `alias` carries one of `labels`: seen from its from-end (column `labels`), or from
   * its to-end (`inverse_labels`).
   */
  labels(alias: string, labels: readonly string[], binder: { raw(value: unknown, spell: (n: number) => string): string }, column?: 'labels' | 'inverse_labels'): string;
  /** The row `alias` is not archived. */
  live(alias: string): string;
  /** The record id of `alias` in code-point order. */
  id(alias: string): string;
  /** The expression index columns of a property (`tenant` first), as typed() reads it from the unaliased column. */
  indexColumns(name: string, type: PlanValueType): string;
  /** The partial-index condition of one object type's live records (the query states the same terms). */
  indexWhere(objectType: string): string;
  /** A statement listing the names of indexes on crmkit_records (column `name`), and of its {@link statistics} objects. */
  readonly listIndexes: string;
  /**
   * Whole-table statistics on an indexed property's JSON expression, kept beside its index,
   * where the planner reads no statistics of a partial index (PostgreSQL: without them it
   * estimated every EQ at 0.5% of the records, and read 50,000 matches of a COUNT by random
   * access rather than a bitmap). Undefined where not needed (SQLite).
   */
  readonly statistics?: {
    /** Creates statistics `name` on `expression` (of the unaliased crmkit_records), if missing and the database can. */
    create(name: string, expression: string): string;
    drop(name: string): string;
  };
  /** Quotes an index name (made by the core: letters, digits and `_`). */
  readonly quote: (name: string) => string;
  /**
   * Text ending a subquery that must stay a subquery, run once per outer row (PostgreSQL's
   * `OFFSET 0`, which keeps EXISTS from becoming a join planned on statistics; '' on SQLite,
   * which runs EXISTS per row anyway).
   */
  readonly fence: string;
  /**
   * Joins `table AS alias` to the rows before it, read once per outer row by `conditions` (which
   * name the outer row): PostgreSQL's `CROSS JOIN LATERAL (… OFFSET 0)`, SQLite's `CROSS JOIN`
   * (which keeps the written order).
   */
  probeJoin(table: string, alias: string, conditions: string): string;
  /**
   * Joins `table AS alias` as {@link probeJoin} does, keeping the row before it (with NULLs) when
   * no row meets `conditions`: PostgreSQL's `LEFT JOIN LATERAL (… OFFSET 0) … ON true`, SQLite's
   * `LEFT JOIN`.
   */
  leftProbeJoin(table: string, alias: string, conditions: string): string;
  /** Text as it orders by code point (PostgreSQL: COLLATE "C"), so its MIN is the least by code point. */
  codePoint(text: string): string;
  /** The labels of the edge `alias` (its `labels` column, seen from its from-end), one per row of a FROM item. */
  labelElements(alias: string, as: string): { from: string; text: string };
  /** The edge `alias` carries at least one label (seen from its from-end). */
  labelled(alias: string): string;
  /**
   * The property `name` of the JSON column `source` as a sum adds it: NULL unless it is a JSON
   * number (PostgreSQL: `numeric`, which holds a JSON number exactly).
   */
  summand(source: string, name: string): string;
  /**
   * The aggregate summing summands exactly (crmkit/storage's ExactSum): PostgreSQL's `sum` of
   * numerics as text, SQLite's `crmkit_sum` (a function the adapter registers); NULL or 0 for none.
   */
  sum(summands: string): string;
  /**
   * Whether a page is found on its sort keys alone and its rows read after, by key. SQLite's
   * sorter copies every match whole (their JSON: twice the cost of the sort itself on an indexed
   * EQ); PostgreSQL's top-N sort keeps only the page's rows, so it reads them in one pass.
   */
  readonly lateRows: boolean;
}
