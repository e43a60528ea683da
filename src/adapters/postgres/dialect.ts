// PostgreSQL's spellings for the SQL core (../sql/dialect.ts): `$n` parameters; integers bound
// as text and cast (node-postgres and PGlite then agree on 64-bit values); JSON as jsonb; times
// as timestamptz read back as the engine's ISO strings whatever the session's TimeZone; and the
// partial indexes' own predicates instead of index hints (schema.ts, version 2).
import type { PlanValueType } from 'crmkit/storage';
import type { SearchDialect, SqlDialect } from '../sql/dialect.js';
import { tokenLike, tokenRegex } from '../sql/token-regex.js';

/**
 * The PostgreSQL dialect.
 *
 * @example
 * sharedStatements(postgresDialect).getMeta; // 'SELECT value FROM crmkit_meta WHERE tenant = $1 AND key = $2'
 */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  param: (n) => `$${n}`,
  integer: (n) => `$${n}::text::bigint`,
  limit: (n) => `$${n}::text::bigint`,
  json: (n) => `$${n}::text::jsonb`,
  // As stored: the adapter formats it (storage.ts isoTime), where to_char cost 0.45 ms a column
  // for a page of 101 rows on PGlite.
  time: (column) => column,
  live: 'NOT archived',
  walk: () => '',
  // `seq > 0` (always true: identities start at 1) names the partial scan index, which no lookup states.
  scanGuard: 'seq > 0 AND ',
};

/** A safe name as a jsonb key literal (search.ts writes only names of letters, digits, `_` and `-`). */
const key = (name: string): string => `'${name}'`;

/** A jsonb value read as a plan type: text types in code-point order (COLLATE "C"), folded for `string`. */
function typedJson(json: string, text: string, type: PlanValueType): string {
  switch (type) {
    case 'string':
      return `(crmkit_fold(${text}) COLLATE "C")`;
    case 'number':
      return `crmkit_number(${json})`;
    case 'bool':
      return `crmkit_bool(${json})`;
    default:
      return `(${text} COLLATE "C")`;
  }
}

/** Parameter `n` of the search's own (the tenant is $1, bound by the adapter). */
const at = (n: number): string => `$${n + 1}`;

/**
 * PostgreSQL's spellings for search plans (../sql/search.ts): jsonb read with `->`/`->>`;
 * numbers as double precision (`crmkit_number`, so comparisons agree with JavaScript's) and
 * booleans (`crmkit_bool`), both NULL for a value of another JSON type; text compared and ordered
 * with COLLATE "C" (code-point order); strings folded by `crmkit_fold` (ICU lower-casing, which
 * agrees with JavaScript's toLowerCase where lower() under a libc locale does not: final sigma,
 * İ); tokens as a LIKE of the pattern's literal pieces, then a regular expression (../sql/token-regex.ts); labels with `?|`. The functions
 * come with schema version 3 (./schema.ts).
 *
 * @example
 * postgresSearch.typed('r.properties', 'amount', 'number'); // "crmkit_number(r.properties -> 'amount')"
 */
export const postgresSearch: SearchDialect = {
  base: postgresDialect,
  tenantParam: () => '$1',
  param: (n, type, column) =>
    column === 'createdAt'
      ? `${at(n)}::text::timestamptz`
      : type === 'number'
        ? `${at(n)}::text::float8`
        : type === 'bool'
          ? `${at(n)}::text::boolean`
          : `${at(n)}::text`,
  bindValue: (value, type) => (type === 'number' || type === 'bool' ? String(value) : value),
  bindLimit: (value) => String(value),
  limitParam: (n) => `${at(n)}::text::bigint`,
  typed: (source, name, type) => typedJson(`(${source} -> ${key(name)})`, `(${source} ->> ${key(name)})`, type),
  text: (source, name) => `(${source} ->> ${key(name)})`,
  present: (source, name, multiple) => {
    if (!multiple) return `(${source} ->> ${key(name)} IS NOT NULL)`;
    const json = `(${source} -> ${key(name)})`;
    return `COALESCE(jsonb_typeof(${json}) NOT IN ('null', 'array') OR jsonb_array_length(CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} END) > 0, false)`;
  },
  elements: (source, name, alias) => {
    const json = `(${source} -> ${key(name)})`;
    return {
      from: `jsonb_array_elements(CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} ELSE jsonb_build_array(${json}) END) AS ${alias}(v)`,
      typed: (type) => typedJson(`${alias}.v`, `(${alias}.v #>> '{}')`, type),
      text: `(${alias}.v #>> '{}')`,
    };
  },
  // The LIKE first: it rejects most values for a fraction of the regular expression's cost.
  tokens: (text, pattern, binder) => {
    const like = tokenLike(pattern);
    const regex = `crmkit_fold(${text}) ~ ${binder.raw(tokenRegex(pattern), (n) => `${at(n)}::text`)}`;
    return like === undefined ? `COALESCE(${regex}, false)` : `COALESCE(crmkit_fold(${text}) LIKE ${binder.raw(like, (n) => `${at(n)}::text`)} AND ${regex}, false)`;
  },
  labels: (alias, labels, binder, column = 'labels') => `(${alias}.${column} ?| ${binder.raw([...labels], (n) => `${at(n)}::text[]`)})`,
  live: (alias) => `NOT ${alias}.archived`,
  id: (alias) => `(${alias}.id COLLATE "C")`,
  // The id (the primary key's last column) compares as hs_object_id does. created_at, a
  // timestamptz, orders as the create date's text does (the engine writes both from one instant,
  // as ISO-8601 UTC with milliseconds), and values compared with it are cast to timestamptz; an
  // index on the column, and a sort by it, skip reading the jsonb of every record.
  column: (alias, field) => (field === 'id' ? (alias === undefined ? undefined : `(${alias}.id COLLATE "C")`) : alias === undefined ? 'created_at' : `${alias}.created_at`),
  indexColumns: (name, type) => `tenant, (${postgresSearch.typed('properties', name, type)})`,
  indexWhere: (objectType) => `object_type = '${objectType}' AND NOT archived`,
  listIndexes: `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'crmkit_records' AND schemaname = current_schema()
    UNION ALL SELECT stxname FROM pg_statistic_ext WHERE stxrelid = 'crmkit_records'::regclass`,
  statistics: {
    // Statistics on an expression need PostgreSQL 14; before it, the search runs on estimates.
    create: (name, expression) =>
      `DO $$ BEGIN IF current_setting('server_version_num')::int >= 140000 THEN EXECUTE 'CREATE STATISTICS IF NOT EXISTS "${name}" ON (${expression.replaceAll("'", "''")}) FROM crmkit_records'; END IF; END $$`,
    drop: (name) => `DROP STATISTICS IF EXISTS "${name}"`,
  },
  quote: (name) => `"${name}"`,
  fence: ' OFFSET 0',
  probeJoin: (table, alias, conditions) => `CROSS JOIN LATERAL (SELECT * FROM ${table} AS ${alias} WHERE ${conditions} OFFSET 0) AS ${alias}`,
  leftProbeJoin: (table, alias, conditions) => `LEFT JOIN LATERAL (SELECT * FROM ${table} AS ${alias} WHERE ${conditions} OFFSET 0) AS ${alias} ON true`,
  codePoint: (text) => `(${text} COLLATE "C")`,
  labelElements: (alias, as) => ({ from: `jsonb_array_elements_text(${alias}.labels) AS ${as}(v)`, text: `${as}.v` }),
  labelled: (alias) => `(${alias}.labels <> '[]'::jsonb)`,
  summand: (source, name) => `(CASE WHEN jsonb_typeof(${source} -> ${key(name)}) = 'number' THEN (${source} -> ${key(name)})::numeric END)`,
  sum: (summands) => `(sum(${summands}))::text`,
  lateRows: false,
};
