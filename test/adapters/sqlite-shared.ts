// What the SQLite adapter's test files share: temporary database files, stored records made by
// hand for the primitives, transactions, the CrmError a call is refused with, and files crmkit
// wrote at older schema versions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { CrmError, type CrmErrorCode, type Storage, type StorageTx, type StoredRecord } from 'crmkit';
import { migrate } from '../../src/adapters/sqlite/schema.js';

/**
 * A new database path for each call (`suffix`: a path beside it, e.g. '.link'), in a folder of
 * `name`'s own that goes after the file's tests.
 */
export function temporaryFiles(name: string): (suffix?: string) => string {
  const dir = mkdtempSync(join(tmpdir(), `crmkit-sqlite-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  return (suffix = '') => join(dir, `${name}-${++files}.db${suffix}`);
}

export const AT = '2026-01-01T00:00:00.000Z';

/** A live record as the engine would store it, with its hs_object_id. */
export function storedRecord(id: string, objectType = 'contacts', properties: Record<string, string> = {}): StoredRecord {
  return { id, objectType, properties: { hs_object_id: id, ...properties }, createdAt: AT, updatedAt: AT, archived: false };
}

export const read = <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('read', fn);
export const write = <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('write', fn);

/**
 * The error `run` throws or rejects with, which must be a CrmError (of `code`, when given: its
 * details are then typed). Every STORAGE_ERROR of the SQLite adapter must say that nothing was
 * written (`outcome: 'rolled_back'`).
 */
export async function rejection<C extends CrmErrorCode = CrmErrorCode>(run: (() => unknown) | Promise<unknown>, code?: C): Promise<CrmError<C>> {
  let error: unknown;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(CrmError);
  const crmError = error as CrmError;
  if (code !== undefined) expect(crmError.code, crmError.message).toBe(code);
  if (crmError.code === 'STORAGE_ERROR') expect(crmError.details.outcome, crmError.message).toBe('rolled_back');
  return crmError as CrmError<C>;
}

/** The tables of schema version 3 and the names they had before (versions 1 and 2). */
const RENAMED = ['records', 'keys', 'edges', 'history', 'edge_history', 'meta'] as const;

/**
 * Writes `to` as a file crmkit wrote at schema `version` (1 or 2: tables named crm_…, history
 * columns id, timestamp and property_values; 3: the SQL core's names, no list table) holding
 * exactly the rows of `from`, a file at the current version whose lists are empty: the old
 * schema made by the released migration steps, then every row copied (rowids included, columns
 * in the same places) and the AUTOINCREMENT counter of records.
 */
export function writeOldFile(from: string, to: string, version: 1 | 2 | 3): void {
  const db = new Database(to);
  const prefix = version < 3 ? 'crm_' : 'crmkit_';
  try {
    migrate(db, version);
    db.prepare('ATTACH DATABASE ? AS current').run(from);
    db.exec('BEGIN');
    for (const table of RENAMED) db.exec(`INSERT INTO main.${prefix}${table} SELECT * FROM current.crmkit_${table}`);
    db.exec(`UPDATE main.sqlite_sequence SET seq = (SELECT seq FROM current.sqlite_sequence WHERE name = 'crmkit_records') WHERE name = '${prefix}records'`);
    db.exec('COMMIT');
    db.exec('DETACH DATABASE current');
  } finally {
    db.close();
  }
}
