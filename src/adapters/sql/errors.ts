// How a SQL adapter reports a failure, once for every database: a driver or database error
// becomes CrmError('STORAGE_ERROR') with the driver's error as `cause`, the database's own code
// under the name each adapter documents (SQLite's `code`, PostgreSQL's `sqlState`) and what the
// failure left behind (`outcome`). crmkit's own errors (a CrmError thrown by the engine, or by
// the adapter itself) pass through unchanged.
import { CrmError } from 'crmkit/storage';

/**
 * What is known of a failed call's writes: `'rolled_back'` — nothing was written; `'unknown'` —
 * the connection was lost after COMMIT was sent and before its answer, so the call may have
 * committed (whole: a database commits a transaction whole or not at all).
 *
 * @example
 * if (isCrmError(error, 'STORAGE_ERROR') && error.details.outcome === 'unknown') await checkThenRetry();
 */
export type StorageOutcome = 'rolled_back' | 'unknown';

/**
 * A STORAGE_ERROR of adapter `adapter` ('sqlite', 'postgres'): its message is "<adapter>
 * storage" and `tail` (which starts with its own punctuation), with `details` and the outcome.
 *
 * @example
 * throw storageFailure('sqlite', ' is closed'); // 'sqlite storage is closed', outcome 'rolled_back'
 */
export function storageFailure(adapter: string, tail: string, details: Record<string, unknown> = {}, outcome: StorageOutcome = 'rolled_back'): CrmError {
  return new CrmError('STORAGE_ERROR', `${adapter} storage${tail}`, { ...details, outcome });
}

/**
 * The database's own code of a driver error, when it has one that `looksLike` accepts.
 *
 * @example
 * databaseCode(error, (code) => code.startsWith('SQLITE_')); // 'SQLITE_BUSY'
 */
export function databaseCode(error: unknown, looksLike: (code: string) => boolean): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && looksLike(code) ? code : undefined;
}

/**
 * `error`, thrown while `doing` something, as the STORAGE_ERROR crmkit reports: the driver's
 * message and error (`cause`), the database's code as `details[codeName]` when `code` is given,
 * and `outcome`. A CrmError comes back unchanged.
 *
 * @example
 * throw asStorageError('postgres', error, 'commit', 'sqlState', databaseCode(error, isSqlState), 'unknown');
 */
export function asStorageError(
  adapter: string,
  error: unknown,
  doing: string,
  codeName: string,
  code: string | undefined,
  outcome: StorageOutcome = 'rolled_back',
): CrmError {
  if (error instanceof CrmError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return storageFailure(adapter, ` (${doing}): ${message}`, code === undefined ? { cause: error } : { cause: error, [codeName]: code }, outcome);
}
