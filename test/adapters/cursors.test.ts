// One storage cursor codec for every storage: memory, SQLite and PostgreSQL (on PGlite) refuse a
// token they did not make with the same CrmError (code, details and message), whichever scan it
// is given to, and each refuses the others' tokens.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { CrmError, memoryStorage, type Storage, type StorageTx } from 'crmkit/storage';
import { postgresStorage } from 'crmkit/postgres';
import { sqliteStorage } from 'crmkit/sqlite';
import { AT, storedRecord } from './sqlite-shared.js';

const pglite = new PGlite();
afterAll(async () => pglite.close());

const storages: Record<string, () => Storage> = {
  memory: () => memoryStorage(),
  sqlite: () => sqliteStorage(':memory:'),
  postgres: () => postgresStorage({ client: pglite, tenant: `cursors-${Math.random()}` }),
};

/** A company with three contacts, so that every scan of one item has a next page. */
async function seeded(storage: Storage): Promise<Storage> {
  await storage.transaction('write', async (tx) => {
    await tx.insertRecords([storedRecord('co1', 'companies'), storedRecord('c1'), storedRecord('c2'), storedRecord('c3')]);
    await tx.putEdges(['c1', 'c2', 'c3'].map((id) => ({ fromType: 'companies', fromId: 'co1', toType: 'contacts', toId: id, labels: [], inverseLabels: [], createdAt: AT, archived: false })));
  });
  return storage;
}

/** Each scan with `after`; with no argument, the first page's token of each. */
const scans: Record<string, (tx: StorageTx, after?: string) => Promise<{ after?: string }>> = {
  scanRecords: async (tx, after) => tx.scanRecords('contacts', { limit: 1, ...(after === undefined ? {} : { after }) }),
  // From the contacts: the memory adapter finishes a record's edges on a page.
  scanEdges: async (tx, after) => tx.scanEdges('contacts', 'companies', { limit: 1, ...(after === undefined ? {} : { after }) }),
  pageEdges: async (tx, after) => tx.pageEdges('companies', 'co1', { toType: 'contacts', limit: 1, ...(after === undefined ? {} : { after }) }),
};

async function refusal(storage: Storage, scan: (tx: StorageTx) => Promise<unknown>): Promise<CrmError<'VALIDATION_ERROR'>> {
  const error = await storage.transaction('read', scan).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError<'VALIDATION_ERROR'>;
}

describe('storage cursors on every storage', () => {
  it('a token a storage did not make is the same VALIDATION_ERROR (INVALID_CURSOR) on memory, SQLite and PostgreSQL', async () => {
    for (const garbage of ['not-a-cursor', 'm1', 'r1.abc', '', "'; DROP TABLE crmkit_records; --"]) {
      for (const [scanName, scan] of Object.entries(scans)) {
        const seen = new Map<string, { code: string; message: string; details: unknown }>();
        for (const [name, open] of Object.entries(storages)) {
          const storage = await seeded(open());
          const error = await refusal(storage, (tx) => scan(tx, garbage));
          seen.set(name, { code: error.code, message: error.message, details: error.details });
          await storage.close();
        }
        const [first, ...others] = [...seen.values()];
        expect(first, `${scanName} ${JSON.stringify(garbage)}`).toMatchObject({
          code: 'VALIDATION_ERROR',
          details: { issues: [{ code: 'INVALID_CURSOR', message: 'unknown cursor' }] },
        });
        for (const other of others) expect(other, `${scanName} ${JSON.stringify(garbage)}`).toEqual(first);
      }
    }
  });

  it("each storage pages with its own tokens and refuses the others' (another storage, tenant or scan)", async () => {
    const opened = await Promise.all(Object.entries(storages).map(async ([name, open]) => [name, await seeded(open())] as const));
    for (const [scanName, scan] of Object.entries(scans)) {
      const tokens = new Map<string, string>();
      for (const [name, storage] of opened) {
        const token = (await storage.transaction('read', async (tx) => scan(tx))).after;
        expect(token, `${name} ${scanName}`).toEqual(expect.any(String));
        tokens.set(name, token!);
        // Its own token goes on to the next page.
        await storage.transaction('read', async (tx) => scan(tx, token));
      }
      for (const [name, storage] of opened) {
        for (const [maker, token] of tokens) {
          if (maker === name) continue;
          const error = await refusal(storage, (tx) => scan(tx, token));
          expect(error.details.issues?.[0]?.code, `${maker}'s ${scanName} token on ${name}`).toBe('INVALID_CURSOR');
        }
      }
    }
    for (const [, storage] of opened) await storage.close();
  });
});
