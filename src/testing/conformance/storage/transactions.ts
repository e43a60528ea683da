// Transactions: atomicity (a failed transaction or savepoint leaves nothing, edge order included),
// reading its own writes, and isolation between concurrent transactions.
import { describe, expect, it } from 'vitest';
import type { EdgeEnds, EdgeHistoryEntry, Storage, StorageTx, StoredEdge } from 'crmkit';
import { record, entry, scanAll, edge, inverse, ends, farEnds, edgeEntry, scanAllEdges, read, write, type Factory } from './fixtures.js';

/**
 * Declares the storage contract's tests of transactions: atomicity, savepoints and isolation, on storages made by `factory`.
 *
 * @example
 * describeTransactions(() => memoryStorage());
 */
export function describeTransactions(factory: Factory): void {
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

    it('a function that throws before it returns a promise: a rejection, nothing kept, and the next transaction runs', async () => {
      const storage = await factory();
      const failure = new Error('thrown, not rejected');
      const answer = storage.transaction('write', (tx) => {
        void tx.insertRecords([record('never')]);
        throw failure;
      });
      await expect(answer).rejects.toBe(failure);
      await write(storage, async (tx) => {
        await tx.insertRecords([record('next')]);
      });
      expect(await read(storage, async (tx) => scanAll(tx, 'contacts', 10))).toEqual(['next']);
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

  describe('associations in transactions', () => {
    /**
     * c1 → co1, co2, co3 (in that order), c2 → co1 and d1, with history on c1, c2 and co1:
     * the state the atomicity tests try to change.
     */
    const seedGraph = async (storage: Storage): Promise<void> => {
      await write(storage, async (tx) => {
        await tx.insertRecords([
          record('c1'),
          record('c2'),
          ...['co1', 'co2', 'co3', 'co4'].map((id) => record(id, 'companies')),
          record('d1', 'deals'),
        ]);
        await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary'] }), edge('contacts', 'c1', 'companies', 'co2')]);
        await tx.putEdges([edge('contacts', 'c2', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'co3'), edge('contacts', 'c2', 'deals', 'd1')]);
        await tx.appendEdgeHistory([
          edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary']),
          edgeEntry('companies', 'co1', 'contacts', 'c1', 'created', []),
          edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []),
        ]);
      });
    };

    /** Everything the graph tests can observe, read inside `tx`: edges per record (in order), history, scans. */
    const observe = async (tx: StorageTx): Promise<unknown> => ({
      contacts: await tx.getEdges('contacts', ['c1', 'c2']),
      companies: await tx.getEdges('companies', ['co1', 'co2', 'co3', 'co4']),
      deals: await tx.getEdges('deals', ['d1']),
      history: [
        await tx.readEdgeHistory('contacts', 'c1'),
        await tx.readEdgeHistory('contacts', 'c2'),
        await tx.readEdgeHistory('companies', 'co1'),
        await tx.readEdgeHistory('companies', 'co4'),
      ],
      scan: await scanAllEdges(tx, 'contacts', 'companies', 2),
      records: await tx.getRecords('contacts', ['c1', 'c2']),
    });

    /** c1's edges, co1's, the contacts → companies scan and c1's association history, read inside `tx`. */
    const observeOne = async (tx: StorageTx): Promise<unknown> => ({
      edges: await tx.getEdges('contacts', ['c1']),
      inverse: await tx.getEdges('companies', ['co1']),
      scan: await scanAllEdges(tx, 'contacts', 'companies', 10),
      history: await tx.readEdgeHistory('contacts', 'c1'),
    });

    it('a failed transaction leaves no trace of its edge writes: edges, their order, history and deleted records come back as they were', async () => {
      const storage = await factory();
      await seedGraph(storage);
      const before = await read(storage, observe);
      const failure = new Error('boom');
      await expect(
        write(storage, async (tx) => {
          // Delete the middle edge: its place in c1's order must come back too.
          await tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co2'))]);
          await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1', { labels: ['changed'] }), edge('contacts', 'c1', 'companies', 'co4')]);
          await tx.putEdges([edge('contacts', 'c1', 'companies', 'co2', { labels: ['re-made'] })]);
          await tx.appendEdgeHistory([
            edgeEntry('contacts', 'c1', 'companies', 'co4', 'created', []),
            edgeEntry('companies', 'co4', 'contacts', 'c1', 'created', []),
          ]);
          // Delete c2 as the engine would: its edges first, then the record (with its history).
          await tx.deleteEdges([ends(edge('contacts', 'c2', 'companies', 'co1')), ends(edge('contacts', 'c2', 'deals', 'd1'))]);
          await tx.deleteRecords('contacts', ['c2']);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await read(storage, observe)).toEqual(before);
    });

    it('a savepoint undoes only its own edge writes, and the transaction goes on', async () => {
      const storage = await factory();
      await seedGraph(storage);
      const before = await read(storage, observe);
      const later = edge('contacts', 'c2', 'companies', 'co3');
      const laterEntry = edgeEntry('contacts', 'c2', 'companies', 'co3', 'created', []);
      await write(storage, async (tx) => {
        await expect(
          tx.savepoint(async () => {
            await tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co2'))]);
            await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1', { labels: [] }), edge('contacts', 'c1', 'companies', 'co4')]);
            await tx.putEdges([edge('contacts', 'c1', 'companies', 'co2')]);
            await tx.appendEdgeHistory([edgeEntry('contacts', 'c1', 'companies', 'co4', 'created', [])]);
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
        // Inside the transaction, the state is back to what it was before the savepoint.
        expect(await observe(tx)).toEqual(before);
        await tx.savepoint(async () => {
          await tx.putEdges([later]);
          await tx.appendEdgeHistory([laterEntry]);
        });
      });
      await read(storage, async (tx) => {
        const [c1, c2] = await tx.getEdges('contacts', ['c1', 'c2'], 'companies');
        expect(farEnds(c1!)).toEqual(['companies/co1', 'companies/co2', 'companies/co3']);
        expect(c1![0]!.labels).toEqual(['primary']);
        expect(c2).toEqual([edge('contacts', 'c2', 'companies', 'co1'), later]);
        expect(await tx.getEdges('contacts', ['c2'], 'deals')).toEqual([[edge('contacts', 'c2', 'deals', 'd1')]]);
        expect(await tx.getEdges('companies', ['co4'])).toEqual([[]]);
        expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary'])]);
        expect(await tx.readEdgeHistory('contacts', 'c2')).toEqual([edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []), laterEntry]);
      });
    });

    it('a transaction reads its own edge writes; later read transactions see the committed edges', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies')]));
      const made = edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary'] });
      const entry = edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary']);
      const inside = await write(storage, async (tx) => {
        await tx.putEdges([made]);
        await tx.appendEdgeHistory([entry]);
        return observeOne(tx);
      });
      const committed = await read(storage, observeOne);
      for (const seen of [inside, committed]) {
        expect(seen).toEqual({ edges: [[made]], inverse: [[inverse(made)]], scan: [made], history: [entry] });
      }
    });

    it('a transaction or savepoint failing on a refused edge write keeps none of that call’s other writes', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies')]));
      const failure = new Error('boom');
      // Writes naming a record that does not exist: an adapter may refuse them (throw) or not;
      // either way the transaction (or savepoint) fails, and nothing it did, before or inside
      // that call, remains. The engine never makes such calls; the duty is that a primitive
      // which throws part-way through a batch has not kept the part before the throw.
      await write(storage, async (tx) => {
        await expect(
          tx.savepoint(async () => {
            await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('companies', 'co1', 'deals', 'missing')]);
            await tx.appendEdgeHistory([
              edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', []),
              edgeEntry('deals', 'missing', 'companies', 'co1', 'created', []),
            ]);
            throw failure;
          }),
        ).rejects.toThrow();
      });
      await expect(
        write(storage, async (tx) => {
          await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'missing')]);
          throw failure;
        }),
      ).rejects.toThrow();
      await expect(
        write(storage, async (tx) => {
          await tx.appendEdgeHistory([
            edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', []),
            edgeEntry('contacts', 'missing', 'companies', 'co1', 'created', []),
          ]);
          throw failure;
        }),
      ).rejects.toThrow();
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c1'])).toEqual([[]]);
        expect(await tx.getEdges('companies', ['co1'])).toEqual([[]]);
        expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([]);
        expect(await scanAllEdges(tx, 'contacts', 'companies', 10)).toEqual([]);
      });
    });

    it('does not mutate the edges, ends and history entries handed in', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies'), record('co2', 'companies')]));
      // Plain, unfrozen objects: a mutation would not throw, so compare with copies.
      const edges: StoredEdge[] = [
        { ...edge('contacts', 'c1', 'companies', 'co1'), labels: ['primary'], inverseLabels: ['employee'] },
        { ...edge('companies', 'co2', 'contacts', 'c1'), labels: [], inverseLabels: ['billing'], archived: true },
      ];
      const replacement: StoredEdge = { ...edges[0]!, labels: [], inverseLabels: ['former'] };
      const removal: EdgeEnds = { fromType: 'companies', fromId: 'co2', toType: 'contacts', toId: 'c1' };
      const entries: EdgeHistoryEntry[] = [{ ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'relabelled', []), labelsBefore: ['primary'] }];
      const copies = structuredClone({ edges, replacement, removal, entries });
      await write(storage, async (tx) => {
        await tx.putEdges(edges);
        await tx.putEdges([replacement]);
        await tx.deleteEdges([removal]);
        await tx.appendEdgeHistory(entries);
      });
      expect({ edges, replacement, removal, entries }).toEqual(copies);
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c1'])).toEqual([[copies.replacement]]);
        expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual(copies.entries);
      });
    });
  });
}
