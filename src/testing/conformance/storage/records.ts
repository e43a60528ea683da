// Records and scans: insert, read, update and delete records by id; page through a type's records
// with cursors the adapter makes.
import { describe, expect, it } from 'vitest';
import { record, entry, scanAll, read, write, type Factory, REFUSED_CURSOR } from './fixtures.js';

/**
 * Declares the storage contract's tests of records by id, and scans of a type by pages, on storages made by `factory`.
 *
 * @example
 * describeRecords(() => memoryStorage());
 */
export function describeRecords(factory: Factory): void {
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
      await expect(read(storage, async (tx) => tx.scanRecords('contacts', { limit: 1, after: 'not-a-cursor' }))).rejects.toMatchObject(REFUSED_CURSOR);
    });
  });
}
