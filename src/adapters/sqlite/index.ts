// 'crmkit/sqlite': crmkit's storage on SQLite through better-sqlite3 (an optional peer
// dependency). docs/storage.md describes the tables, tenants, durability and migrations.
export { sqliteStorage, SqliteStorage } from './storage.js';
export type { SqliteStorageOptions } from './storage.js';
export { SCHEMA_VERSION } from './schema.js';
