// Edge scans: every edge between two types, once each, by pages with cursors the adapter makes.
import { describe, expect, it } from 'vitest';
import type { StoredEdge } from 'crmkit';
import { record, edge, inverse, scanAllEdges, read, write, type Factory, REFUSED_CURSOR } from './fixtures.js';

/**
 * Declares the storage contract's tests of scans of every edge between two types, on storages made by `factory`.
 *
 * @example
 * describeEdgeScans(() => memoryStorage());
 */
export function describeEdgeScans(factory: Factory): void {
  describe('edge scans', () => {
    it('scanEdges pages through every edge from fromType to toType records exactly once, in one stable order at any page size', async () => {
      const storage = await factory();
      const contacts = Array.from({ length: 9 }, (_, at) => record(`c${at}`));
      const companies = Array.from({ length: 4 }, (_, at) => record(`co${at}`, 'companies'));
      await write(storage, async (tx) => tx.insertRecords([...contacts, ...companies, record('d0', 'deals')]));
      // Some contacts have none, some many; edges to deals and between contacts are not part of the scan.
      const toCompanies = [
        edge('contacts', 'c0', 'companies', 'co0', { labels: ['primary'] }),
        edge('contacts', 'c0', 'companies', 'co1'),
        edge('contacts', 'c0', 'companies', 'co2'),
        edge('contacts', 'c3', 'companies', 'co0', { inverseLabels: ['owner'] }),
        edge('contacts', 'c4', 'companies', 'co3', { archived: true }),
        edge('contacts', 'c4', 'companies', 'co1'),
        edge('contacts', 'c7', 'companies', 'co2'),
        // Made from the company's end; the scan answers it from the contact's end.
        inverse(edge('contacts', 'c8', 'companies', 'co0', { labels: ['billing'] })),
      ];
      await write(storage, async (tx) => tx.putEdges(toCompanies.slice(0, 4)));
      await write(storage, async (tx) =>
        tx.putEdges([edge('contacts', 'c1', 'deals', 'd0'), edge('contacts', 'c2', 'contacts', 'c5'), ...toCompanies.slice(4)]),
      );
      const expected = toCompanies.map((made) => (made.fromType === 'contacts' ? made : inverse(made)));
      const key = (found: StoredEdge): string => `${found.fromId}>${found.toId}`;
      let order: string[] | undefined;
      for (const limit of [1, 2, 3, 5, 8, 100]) {
        const scanned = await read(storage, async (tx) => scanAllEdges(tx, 'contacts', 'companies', limit));
        expect(scanned, `limit ${limit}`).toHaveLength(expected.length);
        expect(scanned, `limit ${limit}`).toEqual(expect.arrayContaining(expected));
        order ??= scanned.map(key);
        expect(scanned.map(key), `limit ${limit}`).toEqual(order);
      }
      // The other way round: each association once, from the company's end.
      const back = await read(storage, async (tx) => scanAllEdges(tx, 'companies', 'contacts', 2));
      expect(back).toHaveLength(expected.length);
      expect(back).toEqual(expect.arrayContaining(expected.map(inverse)));
    });

    it('scanEdges on a same-type pair answers each association from both ends', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('a'), record('b'), record('c')]));
      const manages = edge('contacts', 'a', 'contacts', 'b', { labels: ['manager'], inverseLabels: ['report'] });
      await write(storage, async (tx) => tx.putEdges([manages]));
      const scanned = await read(storage, async (tx) => scanAllEdges(tx, 'contacts', 'contacts', 1));
      expect(scanned).toHaveLength(2);
      expect(scanned).toEqual(expect.arrayContaining([manages, inverse(manages)]));
    });

    it('scanEdges answers no edges where there are none (no records, or no edges to that type)', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies'), record('d1', 'deals')]));
      await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'deals', 'd1')]));
      expect(await read(storage, async (tx) => scanAllEdges(tx, 'tickets', 'contacts', 10))).toEqual([]);
      expect(await read(storage, async (tx) => scanAllEdges(tx, 'contacts', 'companies', 10))).toEqual([]);
      expect(await read(storage, async (tx) => scanAllEdges(tx, 'companies', 'contacts', 10))).toEqual([]);
    });

    it('scanEdges rejects (throws) a cursor it did not make', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies')]));
      await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]));
      await expect(read(storage, async (tx) => tx.scanEdges('contacts', 'companies', { limit: 1, after: 'not-a-cursor' }))).rejects.toMatchObject(REFUSED_CURSOR);
    });
  });
}
