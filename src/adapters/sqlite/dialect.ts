// SQLite's spellings for the SQL core (../sql/dialect.ts): `?` parameters bound in order, JSON
// as text, times stored as the engine's ISO strings, archived as 0/1, and INDEXED BY to fix
// every plan whatever the statistics.
import type { SearchDialect, SqlDialect } from '../sql/dialect.js';

/**
 * The SQLite dialect.
 *
 * @example
 * sharedStatements(sqliteDialect).getMeta; // 'SELECT value FROM crmkit_meta WHERE tenant = ? AND key = ?'
 */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  param: () => '?',
  integer: () => '?',
  // `LIMIT ?` alone makes SQLite take a slow path on every run (measured: 2.5× the time of a
  // small indexed read, with a number or a BigInt bound); the same value through CAST runs as
  // fast as a literal.
  limit: () => 'CAST(? AS INTEGER)',
  json: () => '?',
  time: (column) => column,
  live: 'archived = 0',
  walk: (index) => `INDEXED BY ${index}`,
  scanGuard: '',
};

/** A safe name's JSON path (search.ts writes only names of letters, digits, `_` and `-`). */
const path = (name: string): string => `'$."${name}"'`;

/**
 * SQLite's spellings for search plans (../sql/search.ts): `->>` reads a JSON property as SQLite's
 * own value (a number as a number, true/false as 1/0, text as text, null as NULL), whose BINARY
 * order on UTF-8 is code-point order; strings fold with `crmkit_fold` and tokens match with
 * `crmkit_tokens`, functions the adapter registers on its connection (./search.ts), since
 * SQLite's lower() folds ASCII only.
 *
 * @example
 * sqliteSearch.typed('r.properties', 'email', 'string'); // `crmkit_fold(r.properties ->> '$."email"')`
 */
export const sqliteSearch: SearchDialect = {
  base: sqliteDialect,
  tenantParam: (values, tenant) => {
    values.push(tenant);
    return '?';
  },
  param: () => '?',
  bindValue: (value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value),
  bindLimit: (value) => value,
  limitParam: () => sqliteDialect.limit(0),
  typed: (source, name, type) => (type === 'string' ? `crmkit_fold(${source} ->> ${path(name)})` : `(${source} ->> ${path(name)})`),
  text: (source, name) => `(${source} ->> ${path(name)})`,
  // id and created_at hold the record's id and createdAt as the engine wrote them, the
  // hs_object_id and create date's own text.
  column: (alias, field) => {
    const name = field === 'id' ? 'id' : 'created_at';
    return alias === undefined ? name : `${alias}.${name}`;
  },
  present: (source, name, multiple) =>
    multiple
      ? `COALESCE(json_type(${source}, ${path(name)}) NOT IN ('null', 'array') OR json_array_length(${source}, ${path(name)}) > 0, 0)`
      : `(${source} ->> ${path(name)} IS NOT NULL)`,
  elements: (source, name, alias) => ({
    from: `json_each(${source}, ${path(name)}) AS ${alias}`,
    typed: (type) => (type === 'string' ? `crmkit_fold(${alias}.value)` : `${alias}.value`),
    text: `${alias}.value`,
  }),
  tokens: (text, pattern, binder) => `crmkit_tokens(${text}, ${binder.raw(pattern, () => '?')})`,
  labels: (alias, labels, binder, column = 'labels') =>
    `(${alias}.${column} <> '[]' AND EXISTS (SELECT 1 FROM json_each(${alias}.${column}) AS ${alias}l WHERE ${alias}l.value IN (${labels.map((label) => binder.raw(label, () => '?')).join(', ')})))`,
  live: (alias) => `${alias}.archived = 0`,
  id: (alias) => `${alias}.id`,
  indexColumns: (name, type) => `tenant, ${sqliteSearch.typed('properties', name, type)}`,
  indexWhere: (objectType) => `object_type = '${objectType}' AND archived = 0`,
  listIndexes: `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crmkit_records'`,
  quote: (name) => `"${name}"`,
  fence: '',
  probeJoin: (table, alias, conditions) => `CROSS JOIN ${table} AS ${alias} ON ${conditions}`,
  leftProbeJoin: (table, alias, conditions) => `LEFT JOIN ${table} AS ${alias} ON ${conditions}`,
  codePoint: (text) => text,
  labelElements: (alias, as) => ({ from: `json_each(${alias}.labels) AS ${as}`, text: `${as}.value` }),
  labelled: (alias) => `(${alias}.labels <> '[]')`,
  summand: (source, name) => `(CASE WHEN json_type(${source}, ${path(name)}) IN ('integer', 'real') THEN ${source} ->> ${path(name)} END)`,
  sum: (summands) => `crmkit_sum(${summands})`,
  lateRows: true,
};
