// Association edges: both directions, the order associations were made, replacement in place,
// deletion from either end.
import { describe, expect, it } from 'vitest';
import type { Storage } from 'crmkit';
import { record, edge, inverse, ends, farEnds, read, scanAllEdges, write, type Factory } from './fixtures.js';

/**
 * Declares the storage contract's tests of association edges: both directions, order, replacement and deletion, on storages made by `factory`.
 *
 * @example
 * describeEdges(() => memoryStorage());
 */
export function describeEdges(factory: Factory): void {
  describe('association edges', () => {
    /** Inserts contacts c1-c3, companies co1-co4 and deal d1, the records the edge tests use. */
    const seed = async (storage: Storage): Promise<void> => {
      await write(storage, async (tx) =>
        tx.insertRecords([
          record('c1'),
          record('c2'),
          record('c3'),
          record('co1', 'companies'),
          record('co2', 'companies'),
          record('co3', 'companies'),
          record('co4', 'companies'),
          record('d1', 'deals'),
        ]),
      );
    };

    it('putEdges stores both directions: each end reads the edge from its own side, labels and inverse labels swapped', async () => {
      const storage = await factory();
      await seed(storage);
      const employs = edge('contacts', 'c1', 'companies', 'co1', {
        labels: ['primary', 'billing'],
        inverseLabels: ['employee'],
        createdAt: '2026-02-03T04:05:06.007Z',
      });
      const archived = edge('deals', 'd1', 'contacts', 'c1', { labels: ['decision_maker'], archived: true });
      await write(storage, async (tx) => tx.putEdges([employs, archived]));
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c1'])).toEqual([[employs, inverse(archived)]]);
        expect(await tx.getEdges('companies', ['co1'])).toEqual([[inverse(employs)]]);
        expect(await tx.getEdges('deals', ['d1'])).toEqual([[archived]]);
      });
    });

    it('countEdges (when the adapter has it) counts the edges of one direction carrying a label, archived ones included', async () => {
      const storage = await factory();
      await seed(storage);
      await write(storage, async (tx) =>
        tx.putEdges([
          edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary', 'billing'], inverseLabels: ['primary'] }),
          edge('contacts', 'c2', 'companies', 'co1', { labels: ['billing'], archived: true }),
          edge('contacts', 'c2', 'companies', 'co2', { labels: [], inverseLabels: ['billing'] }),
          edge('contacts', 'c3', 'deals', 'd1', { labels: ['billing'] }),
        ]),
      );
      await read(storage, async (tx) => {
        if (!tx.countEdges) return;
        // The same count a scan of the pair's edges gives.
        const scanned = (await scanAllEdges(tx, 'contacts', 'companies', 100)).filter((one) => one.labels.includes('billing')).length;
        expect(await tx.countEdges('contacts', 'companies', 'billing')).toBe(2);
        expect(scanned).toBe(2);
        expect(await tx.countEdges('companies', 'contacts', 'billing')).toBe(1);
        expect(await tx.countEdges('contacts', 'companies', 'primary')).toBe(1);
        expect(await tx.countEdges('contacts', 'tickets', 'billing')).toBe(0);
      });
    });

    it('getEdges with toType answers only the edges to records of that type; without it, all of them', async () => {
      const storage = await factory();
      await seed(storage);
      const toCompany = edge('contacts', 'c1', 'companies', 'co1');
      const toDeal = edge('contacts', 'c1', 'deals', 'd1');
      const toContact = edge('contacts', 'c1', 'contacts', 'c2', { labels: ['manager'], inverseLabels: ['report'] });
      await write(storage, async (tx) => tx.putEdges([toCompany, toDeal, toContact]));
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c1'], 'companies')).toEqual([[toCompany]]);
        expect(await tx.getEdges('contacts', ['c1'], 'deals')).toEqual([[toDeal]]);
        expect(await tx.getEdges('contacts', ['c1'], 'contacts')).toEqual([[toContact]]);
        expect(await tx.getEdges('contacts', ['c2'], 'contacts')).toEqual([[inverse(toContact)]]);
        expect(await tx.getEdges('contacts', ['c1'], 'tickets')).toEqual([[]]);
        const [all] = await tx.getEdges('contacts', ['c1']);
        expect(all).toHaveLength(3);
        expect(all).toEqual(expect.arrayContaining([toCompany, toDeal, toContact]));
      });
    });

    it("keeps a record's edges to one type in the order the associations were made, whichever end made them", async () => {
      const storage = await factory();
      await seed(storage);
      await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c2', 'companies', 'co1')]));
      // Made from the company's end: it still counts for both records' order.
      await write(storage, async (tx) => tx.putEdges([edge('companies', 'co1', 'contacts', 'c3'), edge('companies', 'co2', 'contacts', 'c1')]));
      await write(storage, async (tx) => {
        await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]);
        await tx.putEdges([edge('contacts', 'c1', 'companies', 'co4'), edge('contacts', 'c1', 'companies', 'co3')]);
      });
      await read(storage, async (tx) => {
        expect(farEnds((await tx.getEdges('companies', ['co1'], 'contacts'))[0]!)).toEqual(['contacts/c2', 'contacts/c3', 'contacts/c1']);
        expect(farEnds((await tx.getEdges('contacts', ['c1'], 'companies'))[0]!)).toEqual([
          'companies/co2',
          'companies/co1',
          'companies/co4',
          'companies/co3',
        ]);
      });
    });

    it("answers all of a record's edges without toType, each type's in the order its associations were made", async () => {
      const storage = await factory();
      await seed(storage);
      await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]));
      await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'deals', 'd1')]));
      await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'companies', 'co2'), edge('contacts', 'c2', 'contacts', 'c1')]));
      const [all] = await read(storage, async (tx) => tx.getEdges('contacts', ['c1']));
      // The order across types is the adapter's; within a type it is the order the associations were made.
      const ofType = (type: string): string[] => farEnds(all!).filter((end) => end.startsWith(`${type}/`));
      expect(farEnds(all!).sort()).toEqual(['companies/co1', 'companies/co2', 'contacts/c2', 'deals/d1']);
      expect(ofType('companies')).toEqual(['companies/co1', 'companies/co2']);
    });

    it('replacing an association (same two records, from either end) updates it in place: it keeps its place in order', async () => {
      const storage = await factory();
      await seed(storage);
      await write(storage, async (tx) =>
        tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'co2'), edge('contacts', 'c1', 'companies', 'co3')]),
      );
      const relabelled = edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary'], inverseLabels: ['employee'] });
      // The same association put from the company's end, archived, at another time.
      const fromCompany = edge('companies', 'co2', 'contacts', 'c1', { labels: ['former'], createdAt: '2026-03-01T00:00:00.000Z', archived: true });
      await write(storage, async (tx) => tx.putEdges([relabelled]));
      await write(storage, async (tx) => tx.putEdges([fromCompany]));
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c1'])).toEqual([[relabelled, inverse(fromCompany), edge('contacts', 'c1', 'companies', 'co3')]]);
        expect(await tx.getEdges('companies', ['co1', 'co2'])).toEqual([[inverse(relabelled)], [fromCompany]]);
      });
    });

    it('a deleted and re-made association counts as new: it goes after the record’s others', async () => {
      const storage = await factory();
      await seed(storage);
      await write(storage, async (tx) =>
        tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'co2'), edge('contacts', 'c1', 'companies', 'co3')]),
      );
      await write(storage, async (tx) => {
        await tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co1'))]);
        await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]);
      });
      const [all] = await read(storage, async (tx) => tx.getEdges('contacts', ['c1']));
      expect(farEnds(all!)).toEqual(['companies/co2', 'companies/co3', 'companies/co1']);
    });

    it('getEdges answers one list per id, in input order, [] for ids (and types) without records or edges', async () => {
      const storage = await factory();
      await seed(storage);
      const a = edge('contacts', 'c1', 'companies', 'co1');
      const b = edge('contacts', 'c1', 'companies', 'co2');
      const c = edge('contacts', 'c2', 'companies', 'co1');
      await write(storage, async (tx) => tx.putEdges([a, b, c]));
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c2', 'missing', 'c1', 'c3'])).toEqual([[c], [], [a, b], []]);
        expect(await tx.getEdges('contacts', ['c2', 'c1'], 'companies')).toEqual([[c], [a, b]]);
        expect(await tx.getEdges('tickets', ['c1'])).toEqual([[]]);
        expect(await tx.getEdges('contacts', [])).toEqual([]);
      });
    });

    it('deleteEdges removes both directions, from whichever end it is named, keeps the others in order, and ignores ends with no association', async () => {
      const storage = await factory();
      await seed(storage);
      const kept = [edge('contacts', 'c2', 'companies', 'co1'), edge('contacts', 'c3', 'companies', 'co1')];
      await write(storage, async (tx) =>
        tx.putEdges([
          edge('contacts', 'c1', 'companies', 'co1'),
          edge('contacts', 'c1', 'companies', 'co2'),
          kept[0]!,
          edge('contacts', 'c1', 'deals', 'd1'),
          kept[1]!,
        ]),
      );
      await write(storage, async (tx) =>
        tx.deleteEdges([
          ends(edge('contacts', 'c1', 'companies', 'co1')),
          // Named from the other end.
          ends(edge('companies', 'co2', 'contacts', 'c1')),
          // A whole StoredEdge is also accepted (the engine passes what getEdges answered).
          edge('deals', 'd1', 'contacts', 'c1'),
          // Nothing there: no association, a missing record, a type without records.
          ends(edge('contacts', 'c2', 'companies', 'co2')),
          ends(edge('contacts', 'c1', 'companies', 'missing')),
          ends(edge('tickets', 't1', 'contacts', 'c1')),
        ]),
      );
      await read(storage, async (tx) => {
        expect(await tx.getEdges('contacts', ['c1', 'c2', 'c3'])).toEqual([[], [kept[0]], [kept[1]]]);
        expect(await tx.getEdges('companies', ['co1', 'co2'])).toEqual([kept.map(inverse), []]);
        expect(await tx.getEdges('deals', ['d1'])).toEqual([[]]);
      });
      // Deleting what is no longer there is not an error either.
      await write(storage, async (tx) => tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co1'))]));
    });

    it('accepts empty batches and changes nothing', async () => {
      const storage = await factory();
      await seed(storage);
      const a = edge('contacts', 'c1', 'companies', 'co1');
      await write(storage, async (tx) => tx.putEdges([a]));
      await write(storage, async (tx) => {
        await tx.putEdges([]);
        await tx.deleteEdges([]);
        await tx.appendEdgeHistory([]);
      });
      expect(await read(storage, async (tx) => tx.getEdges('contacts', ['c1']))).toEqual([[a]]);
      expect(await read(storage, async (tx) => tx.readEdgeHistory('contacts', 'c1'))).toEqual([]);
    });
  });
}
