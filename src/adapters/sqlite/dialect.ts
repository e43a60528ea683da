// SQLite's spellings for the SQL core (../sql/dialect.ts): `?` parameters bound in order, JSON
// as text, times stored as the engine's ISO strings, archived as 0/1, and INDEXED BY to fix
// every plan whatever the statistics.
import type { SqlDialect } from '../sql/dialect.js';

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
