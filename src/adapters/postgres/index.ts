// 'crmkit/postgres': crmkit's storage on PostgreSQL. node-postgres (`pg`, an optional peer
// dependency) with a pool for servers; any single-connection client with `query(text, params)`
// (PGlite: PostgreSQL compiled to WASM, in process) for tests and embedded use. Both run the
// same SQL through a small driver seam (./driver.ts). docs/storage.md explains the tables,
// tenants, transactions and distributed engines.
import { CrmError, checkTenant } from 'crmkit/storage';
import type { Pool } from 'pg';
import { poolDriver, singleConnectionDriver, type Driver, type PostgresQueryable } from './driver.js';
import { PostgresStorage } from './storage.js';

export { PostgresStorage, type StorageOutcome } from './storage.js';
export { SCHEMA_VERSION } from './schema.js';
export type { PostgresQueryable } from './driver.js';

/**
 * Options of {@link postgresStorage}: exactly one of `connectionString`, `pool` or `client`.
 *
 * @example
 * postgresStorage({ connectionString: 'postgres://app@db/crm', tenant: 'acme', maxAttempts: 20 });
 */
export interface PostgresStorageOptions {
  /** A PostgreSQL URL: the storage makes its own `pg.Pool` (and ends it on `close()`). */
  connectionString?: string;
  /** Pool settings when `connectionString` is used (`max` connections, timeouts). */
  poolOptions?: { max?: number; idleTimeoutMillis?: number; connectionTimeoutMillis?: number; statement_timeout?: number };
  /** A node-postgres pool of yours: each transaction checks out one client. `close()` leaves it open. */
  pool?: Pool;
  /**
   * One connection of yours (a PGlite instance, a connected `pg.Client`): transactions on it run
   * one at a time, across every storage using it. `close()` leaves it open.
   */
  client?: PostgresQueryable;
  /**
   * The CRM this storage holds (default 'default'): rows of other tenants are invisible. 1 to
   * 200 characters of well-formed Unicode without control characters (checked when the storage
   * is made: PostgreSQL would store a lone surrogate as U+FFFD, merging tenants, and cannot store NUL).
   */
  tenant?: string;
  /** Attempts per transaction when PostgreSQL reports a serialization failure or deadlock (default 10). */
  maxAttempts?: number;
  /** Upper bound of the first retry's random wait in ms, doubling per retry up to 1 s (default 10). */
  retryDelayMs?: number;
  /** Called before each retry (for metrics and logs). */
  onRetry?: (attempt: number, error: unknown) => void;
  /**
   * Whether the storage runs `VACUUM (ANALYZE)` on crmkit's records and edges itself, after a
   * write transaction has brought the rows of them written since the last run past 2,000 plus a
   * fifth of the rows stored (autovacuum's kind of rule). Default: only when the database runs no
   * autovacuum, as PGlite does not — without it, every updated row stays behind as a dead
   * version and the planner has no statistics. A server's autovacuum is left to do it.
   * `stats.maintenance` counts the runs.
   */
  maintenance?: boolean;
}

function invalid(message: string): CrmError {
  return new CrmError('VALIDATION_ERROR', `postgresStorage: ${message}`, { issues: [{ code: 'INVALID_ARGUMENT', message }] });
}

/**
 * Creates a PostgreSQL storage. Tables are created (or migrated) on first use, under an
 * advisory lock, so several processes may start at once. Every crmkit call is one SERIALIZABLE
 * transaction, retried on conflicts; all rows are keyed by `tenant`. A database failure is a
 * STORAGE_ERROR whose `details.outcome` says whether the call wrote nothing (`'rolled_back'`)
 * or may have committed (`'unknown'`: the connection was lost after COMMIT was sent).
 *
 * @example
 * import { createCrm } from 'crmkit';
 * import { postgresStorage } from 'crmkit/postgres';
 * const storage = postgresStorage({ connectionString: process.env.DATABASE_URL, tenant: 'acme' });
 * const crm = await createCrm({ storage });
 *
 * @example
 * // In tests, without a server: PostgreSQL in WASM.
 * import { PGlite } from '@electric-sql/pglite';
 * const crm = await createCrm({ storage: postgresStorage({ client: new PGlite() }) });
 */
export function postgresStorage(options: PostgresStorageOptions): PostgresStorage {
  if (typeof options !== 'object' || options === null) throw invalid('expects an options object');
  const sources = [options.connectionString, options.pool, options.client].filter((source) => source !== undefined);
  if (sources.length !== 1) throw invalid('give exactly one of connectionString, pool or client');
  const tenant = checkTenant(options.tenant ?? 'default', 'postgresStorage');
  const maxAttempts = options.maxAttempts ?? 10;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw invalid('maxAttempts must be a positive integer');
  if (options.maintenance !== undefined && typeof options.maintenance !== 'boolean') throw invalid('maintenance must be true or false');

  let driver: Promise<Driver> | undefined;
  const connect = (): Promise<Driver> =>
    (driver ??= (async () => {
      if (options.client) return singleConnectionDriver(options.client);
      if (options.pool) return poolDriver(options.pool, false);
      // Loaded only here: PGlite users need not install pg.
      const pg = (await import('pg')).default;
      const pool = new pg.Pool({ connectionString: options.connectionString, ...options.poolOptions });
      // An idle client's connection dying must not crash the process; the next checkout reconnects.
      pool.on('error', () => {});
      return poolDriver(pool, true);
    })());

  return new PostgresStorage(connect, tenant, {
    maxAttempts,
    retryDelayMs: options.retryDelayMs ?? 10,
    onRetry: options.onRetry,
    maintenance: options.maintenance,
  });
}
