// The storage contract as tests: every duty a Storage adapter has (src/storage/types.ts),
// written once and run against any adapter factory. The memory adapter runs it now; the SQL
// adapters will run the same suite.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Storage, StorageTx, StoredRecord } from 'crmkit';

const AT = '2026-01-01T00:00:00.000Z';

function record(id: string, objectType = 'contacts', properties: Record<string, string> = {}, archived = false): StoredRecord {
  return Object.freeze({
    id,
    objectType,
    properties: Object.freeze({ hs_object_id: id, ...properties }),
    createdAt: AT,
    updatedAt: AT,
    archived,
    ...(archived ? { archivedAt: AT } : {}),
  });
}

function entry(id: string, values: Record<string, unknown>, objectType = 'contacts'): HistoryEntry {
  return { objectType, id, timestamp: AT, source: { type: 'API' }, values };
}

/** Every record of a type, by scanning pages of `limit`. */
async function scanAll(tx: StorageTx, objectType: string, limit: number, archived = false): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await tx.scanRecords(objectType, { limit, archived, ...(after !== undefined ? { after } : {}) });
    expect(page.records.length).toBeLessThanOrEqual(limit);
    ids.push(...page.records.map((found) => found.id));
    after = page.after;
  } while (after !== undefined);
  return ids;
}

/** Runs the storage contract against storages made by `factory`. */
export function describeStorageContract(name: string, factory: () => Storage | Promise<Storage>): void {
  const write = async <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('write', fn);
  const read = async <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('read', fn);

  describe(`storage contract: ${name}`, () => {
    describe('records', () => {
      it('inserts and reads records by id, in the order asked, undefined where none', async () => {
        const storage = await factory();
        await write(storage, async (tx) => expect(await tx.insertRecords([record('a'), record('b')])).toEqual([]));
        const found = await read(storage, async (tx) => tx.getRecords('contacts', ['b', 'zz', 'a']));
        expect(found.map((item) => item?.id)).toEqual(['b', undefined, 'a']);
        expect(found[0]).toEqual(record('b'));
      });

      it('keeps object types apart', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a', 'contacts'), record('a', 'companies')]));
        const [contact] = await read(storage, async (tx) => tx.getRecords('contacts', ['a']));
        const [deal] = await read(storage, async (tx) => tx.getRecords('deals', ['a']));
        expect(contact?.objectType).toBe('contacts');
        expect(deal).toBeUndefined();
      });

      it('reports ids that already exist instead of overwriting them', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a', 'contacts', { firstname: 'First' })]));
        const taken = await write(storage, async (tx) => tx.insertRecords([record('b'), record('a', 'contacts', { firstname: 'Second' })]));
        expect(taken).toEqual(['a']);
        const [kept] = await read(storage, async (tx) => tx.getRecords('contacts', ['a']));
        expect(kept?.properties.firstname).toBe('First');
      });

      it('updates a record in place: scan order does not change', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a'), record('b'), record('c')]));
        await write(storage, async (tx) => tx.updateRecords([record('a', 'contacts', { firstname: 'Changed' })]));
        const ids = await read(storage, async (tx) => scanAll(tx, 'contacts', 10));
        expect(ids).toEqual(['a', 'b', 'c']);
        const [changed] = await read(storage, async (tx) => tx.getRecords('contacts', ['a']));
        expect(changed?.properties.firstname).toBe('Changed');
      });

      it('deletes records with their history', async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('a'), record('b')]);
          await tx.appendHistory([entry('a', { firstname: 'A' }), entry('b', { firstname: 'B' })]);
        });
        await write(storage, async (tx) => tx.deleteRecords('contacts', ['a', 'missing']));
        expect(await read(storage, async (tx) => tx.getRecords('contacts', ['a', 'b']))).toEqual([undefined, record('b')]);
        expect(await read(storage, async (tx) => tx.readHistory('contacts', 'a'))).toEqual([]);
        expect(await read(storage, async (tx) => tx.readHistory('contacts', 'b'))).toHaveLength(1);
      });
    });

    describe('scans', () => {
      it('pages through every record once, in insertion order, at any page size', async () => {
        const storage = await factory();
        const ids = Array.from({ length: 23 }, (_, at) => `r${at}`);
        await write(storage, async (tx) => tx.insertRecords(ids.slice(0, 10).map((id) => record(id))));
        await write(storage, async (tx) => tx.insertRecords(ids.slice(10).map((id) => record(id))));
        for (const limit of [1, 2, 5, 10, 23, 100]) {
          expect(await read(storage, async (tx) => scanAll(tx, 'contacts', limit))).toEqual(ids);
        }
      });

      it('leaves archived records out unless asked, and skips deleted ones', async () => {
        const storage = await factory();
        await write(storage, async (tx) =>
          tx.insertRecords([record('a'), record('b', 'contacts', {}, true), record('c'), record('d')]),
        );
        await write(storage, async (tx) => tx.deleteRecords('contacts', ['c']));
        expect(await read(storage, async (tx) => scanAll(tx, 'contacts', 2))).toEqual(['a', 'd']);
        expect(await read(storage, async (tx) => scanAll(tx, 'contacts', 2, true))).toEqual(['a', 'b', 'd']);
      });

      it('answers an empty page for a type without records', async () => {
        const storage = await factory();
        expect(await read(storage, async (tx) => tx.scanRecords('tickets', { limit: 10 }))).toEqual({ records: [] });
      });

      it('rejects a cursor it did not make', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a')]));
        await expect(read(storage, async (tx) => tx.scanRecords('contacts', { limit: 1, after: 'not-a-cursor' }))).rejects.toThrow();
      });
    });

    describe('unique keys', () => {
      it('grants free keys, reports keys held by another record, and accepts a re-claim by the holder', async () => {
        const storage = await factory();
        const first = await write(storage, async (tx) =>
          tx.claimKeys('contacts', [
            { key: 'email', value: 'a@x.com', id: 'a' },
            { key: 'email', value: 'b@x.com', id: 'b' },
          ]),
        );
        expect(first).toEqual([]);
        const second = await write(storage, async (tx) =>
          tx.claimKeys('contacts', [
            { key: 'email', value: 'a@x.com', id: 'a' },
            { key: 'email', value: 'b@x.com', id: 'c' },
            { key: 'domain', value: 'b@x.com', id: 'c' },
          ]),
        );
        expect(second).toEqual([{ index: 1, existingId: 'b' }]);
      });

      it('reports a clash between two claims of one call', async () => {
        const storage = await factory();
        const conflicts = await write(storage, async (tx) => {
          const found = await tx.claimKeys('contacts', [
            { key: 'email', value: 'a@x.com', id: 'a' },
            { key: 'email', value: 'a@x.com', id: 'b' },
          ]);
          throw Object.assign(new Error('abort'), { found });
        }).catch((error: { found: unknown }) => error.found);
        expect(conflicts).toEqual([{ index: 1, existingId: 'a' }]);
      });

      it('looks keys up per type and namespace', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.claimKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'a' }]));
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'email', ['a@x.com', 'z@x.com']))).toEqual(['a', undefined]);
        expect(await read(storage, async (tx) => tx.lookupKeys('companies', 'email', ['a@x.com']))).toEqual([undefined]);
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'domain', ['a@x.com']))).toEqual([undefined]);
      });

      it('releases only keys the named record holds', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.claimKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'a' }]));
        await write(storage, async (tx) => tx.releaseKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'other' }]));
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'email', ['a@x.com']))).toEqual(['a']);
        await write(storage, async (tx) => tx.releaseKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'a' }]));
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'email', ['a@x.com']))).toEqual([undefined]);
      });
    });

    describe('metadata and history', () => {
      it('stores metadata documents by key', async () => {
        const storage = await factory();
        expect(await read(storage, async (tx) => tx.getMeta('schema'))).toBeUndefined();
        await write(storage, async (tx) => tx.putMeta('schema', { objects: { a: 1 }, list: [1, 2] }));
        await write(storage, async (tx) => tx.putMeta('schema.version', 3));
        expect(await read(storage, async (tx) => tx.getMeta('schema'))).toEqual({ objects: { a: 1 }, list: [1, 2] });
        expect(await read(storage, async (tx) => tx.getMeta('schema.version'))).toBe(3);
      });

      it("keeps each record's history in append order", async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('a'), record('b')]);
          await tx.appendHistory([entry('a', { firstname: '1' }), entry('b', { firstname: 'x' })]);
        });
        await write(storage, async (tx) => tx.appendHistory([entry('a', { firstname: '2' })]));
        await write(storage, async (tx) => tx.appendHistory([entry('a', { firstname: '3' })]));
        const history = await read(storage, async (tx) => tx.readHistory('contacts', 'a'));
        expect(history.map((item) => item.values.firstname)).toEqual(['1', '2', '3']);
        expect(history[0]).toEqual(entry('a', { firstname: '1' }));
      });
    });

    describe('transactions', () => {
      it('undoes everything a failed transaction did', async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('kept')]);
          await tx.claimKeys('contacts', [{ key: 'email', value: 'kept@x.com', id: 'kept' }]);
          await tx.appendHistory([entry('kept', { firstname: 'K' })]);
          await tx.putMeta('m', 1);
        });
        const failure = new Error('boom');
        await expect(
          write(storage, async (tx) => {
            await tx.insertRecords([record('new')]);
            await tx.updateRecords([record('kept', 'contacts', { firstname: 'changed' })]);
            await tx.claimKeys('contacts', [{ key: 'email', value: 'new@x.com', id: 'new' }]);
            await tx.releaseKeys('contacts', [{ key: 'email', value: 'kept@x.com', id: 'kept' }]);
            await tx.appendHistory([entry('kept', { firstname: 'changed' })]);
            await tx.putMeta('m', 2);
            await tx.putMeta('other', 'x');
            await tx.deleteRecords('contacts', ['kept']);
            throw failure;
          }),
        ).rejects.toBe(failure);
        await read(storage, async (tx) => {
          expect(await tx.getRecords('contacts', ['kept', 'new'])).toEqual([record('kept'), undefined]);
          expect(await tx.lookupKeys('contacts', 'email', ['kept@x.com', 'new@x.com'])).toEqual(['kept', undefined]);
          expect((await tx.readHistory('contacts', 'kept')).map((item) => item.values.firstname)).toEqual(['K']);
          expect(await tx.getMeta('m')).toBe(1);
          expect(await tx.getMeta('other')).toBeUndefined();
          expect(await scanAll(tx, 'contacts', 10)).toEqual(['kept']);
        });
      });

      it('a savepoint undoes only what its function did', async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('before')]);
          await expect(
            tx.savepoint(async () => {
              await tx.insertRecords([record('inside')]);
              await tx.putMeta('m', 'inside');
              throw new Error('inner');
            }),
          ).rejects.toThrow('inner');
          await tx.savepoint(async () => tx.insertRecords([record('kept-inside')]));
          await tx.insertRecords([record('after')]);
        });
        const ids = await read(storage, async (tx) => scanAll(tx, 'contacts', 10));
        expect(ids).toEqual(['before', 'kept-inside', 'after']);
        expect(await read(storage, async (tx) => tx.getMeta('m'))).toBeUndefined();
      });

      it('runs concurrent transactions so that none sees another half done', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.putMeta('counter', 0));
        // Each transaction reads, waits, then writes: interleaving would lose increments.
        await Promise.all(
          Array.from({ length: 20 }, () =>
            write(storage, async (tx) => {
              const value = (await tx.getMeta('counter')) as number;
              await new Promise((resolve) => setTimeout(resolve, 1));
              await tx.putMeta('counter', value + 1);
            }),
          ),
        );
        expect(await read(storage, async (tx) => tx.getMeta('counter'))).toBe(20);
      });

      it('lets only one of two concurrent claims of a key win', async () => {
        const storage = await factory();
        const results = await Promise.allSettled(
          ['a', 'b'].map((id) =>
            write(storage, async (tx) => {
              const conflicts = await tx.claimKeys('contacts', [{ key: 'email', value: 'same@x.com', id }]);
              if (conflicts.length > 0) throw new Error('taken');
              await tx.insertRecords([record(id)]);
            }),
          ),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const ids = await read(storage, async (tx) => scanAll(tx, 'contacts', 10));
        expect(ids).toHaveLength(1);
      });
    });
  });
}
