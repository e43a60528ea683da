// What the SQLite adapter's test files share: temporary database files, stored records made by
// hand for the primitives, transactions, and the CrmError a call is refused with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { CrmError, type Storage, type StorageTx, type StoredRecord } from 'crmkit';

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
 * The error `run` throws or rejects with, which must be a CrmError. Every STORAGE_ERROR of the
 * SQLite adapter must say that nothing was written (`outcome: 'rolled_back'`).
 */
export async function rejection(run: (() => unknown) | Promise<unknown>): Promise<CrmError> {
  let error: unknown;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(CrmError);
  const crmError = error as CrmError;
  if (crmError.code === 'STORAGE_ERROR') expect(crmError.details.outcome, crmError.message).toBe('rolled_back');
  return crmError;
}
