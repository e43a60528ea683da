// Each record's property history and its association history, kept apart per record and end.
import { describe, expect, it } from 'vitest';
import { record, entry, edge, inverse, edgeEntry, read, write, type Factory } from './fixtures.js';

/**
 * Declares the storage contract's tests of property history and association history, on storages
 * made by `factory`.
 *
 * @example
 * describeHistory(() => memoryStorage());
 */
export function describeHistory(factory: Factory): void {
  describe('property history', () => {
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

  describe('association history', () => {
    it("keeps each record's association history oldest first, apart from the other end's", async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c1'), record('c2'), record('co1', 'companies')]));
      const made = { ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary'], '2026-01-01T00:00:01.000Z'), otherName: 'Acme' };
      const madeOther = edgeEntry('companies', 'co1', 'contacts', 'c1', 'created', ['employee'], '2026-01-01T00:00:01.000Z');
      const relabelled = {
        ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'relabelled', [], '2026-01-01T00:00:02.000Z'),
        labelsBefore: ['primary'],
        source: { type: 'USER' as const, id: 'u7', label: 'Ana' },
      };
      const removed = { ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'removed', [], '2026-01-01T00:00:03.000Z'), labelsBefore: [] };
      const elsewhere = edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []);
      await write(storage, async (tx) => tx.appendEdgeHistory([made, madeOther, elsewhere]));
      await write(storage, async (tx) => tx.appendEdgeHistory([relabelled]));
      await write(storage, async (tx) => tx.appendEdgeHistory([removed]));
      await read(storage, async (tx) => {
        expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([made, relabelled, removed]);
        // Appending on one end does not log on the other: the engine writes each end's entry.
        expect(await tx.readEdgeHistory('companies', 'co1')).toEqual([madeOther]);
        expect(await tx.readEdgeHistory('contacts', 'c2')).toEqual([elsewhere]);
        expect(await tx.readEdgeHistory('contacts', 'missing')).toEqual([]);
        expect(await tx.readEdgeHistory('tickets', 'c1')).toEqual([]);
      });
    });

    it('deleteRecords removes the record’s association history; a record re-made with the same id starts with no edges and no history', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c1'), record('c2'), record('co1', 'companies')]));
      const a = edge('contacts', 'c1', 'companies', 'co1');
      const b = edge('contacts', 'c2', 'companies', 'co1');
      const history = [
        edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', []),
        edgeEntry('companies', 'co1', 'contacts', 'c1', 'created', []),
        edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []),
      ];
      await write(storage, async (tx) => {
        await tx.putEdges([a, b]);
        await tx.appendEdgeHistory(history);
      });
      // What the engine does: delete the record's edges, then the record.
      await write(storage, async (tx) => {
        await tx.deleteEdges([a]);
        await tx.deleteRecords('contacts', ['c1']);
      });
      await read(storage, async (tx) => {
        expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([]);
        expect(await tx.readEdgeHistory('contacts', 'c2')).toEqual([history[2]]);
        // The other end's history is its own, and stays.
        expect(await tx.readEdgeHistory('companies', 'co1')).toEqual([history[1]]);
        expect(await tx.getEdges('companies', ['co1'])).toEqual([[inverse(b)]]);
      });
      await write(storage, async (tx) => expect(await tx.insertRecords([record('c1')])).toEqual([]));
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c1'])).toEqual([[]]);
        expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([]);
      });
    });
  });
}
