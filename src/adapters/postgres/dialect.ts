// PostgreSQL's spellings for the SQL core (../sql/dialect.ts): `$n` parameters; integers bound
// as text and cast (node-postgres and PGlite then agree on 64-bit values); JSON as jsonb; times
// as timestamptz read back as the engine's ISO strings whatever the session's TimeZone; and the
// partial indexes' own predicates instead of index hints (schema.ts, version 2).
import type { SqlDialect } from '../sql/dialect.js';

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
  time: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  live: 'NOT archived',
  walk: () => '',
  // `seq > 0` (always true: identities start at 1) names the partial scan index, which no lookup states.
  scanGuard: 'seq > 0 AND ',
};
