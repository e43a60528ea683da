// Edge pages (pageEdges): one record's live edges to one type by keyset position, with the total.
import { describe, expect, it } from 'vitest';
import type { StorageTx } from 'crmkit';
import { record, edge, inverse, ends, farEnds, read, write, type Factory, REFUSED_CURSOR } from './fixtures.js';

/**
 * Declares the storage contract's tests of pages of one record's edges (pageEdges), on storages made by `factory`.
 *
 * @example
 * describeEdgePages(() => memoryStorage());
 */
export function describeEdgePages(factory: Factory): void {
  describe('edge pages (pageEdges)', () => {
    const at = (second: number): string => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

    /** The far ends of company `id`'s live edges to contacts, and the totals, by pages of `limit`. */
    const pageAll = async (tx: StorageTx, id: string, limit: number, labels?: string[]): Promise<{ ids: string[]; totals: number[] }> => {
      const ids: string[] = [];
      const totals: number[] = [];
      let after: string | undefined;
      do {
        const page = await tx.pageEdges('companies', id, { toType: 'contacts', limit, ...(after !== undefined ? { after } : {}), ...(labels ? { labels } : {}) });
        expect(page.edges.length, `a page of limit ${limit}`).toBeLessThanOrEqual(limit);
        ids.push(...page.edges.map((found) => found.toId));
        totals.push(page.total);
        after = page.after;
        expect(totals.length, `pageEdges(limit ${limit}) does not end`).toBeLessThanOrEqual(1_000);
      } while (after !== undefined);
      return { ids, totals };
    };

    it('pages a record’s live edges to one type by createdAt, ties in the order first stored, each exactly once, with the total on every page', async () => {
      const storage = await factory();
      const contacts = Array.from({ length: 8 }, (_, n) => record(`c${n}`));
      await write(storage, async (tx) => tx.insertRecords([...contacts, record('co', 'companies'), record('d1', 'deals')]));
      // Stored out of time order (a merge moves old associations after newer ones), with ties.
      await write(storage, async (tx) =>
        tx.putEdges([
          edge('companies', 'co', 'contacts', 'c0', { createdAt: at(5) }),
          edge('companies', 'co', 'contacts', 'c1', { createdAt: at(3) }),
          inverse(edge('companies', 'co', 'contacts', 'c2', { createdAt: at(3) })),
          edge('companies', 'co', 'contacts', 'c3', { createdAt: at(9), archived: true }),
          edge('companies', 'co', 'contacts', 'c4', { createdAt: at(1) }),
          edge('companies', 'co', 'deals', 'd1', { createdAt: at(0) }),
        ]),
      );
      await write(storage, async (tx) =>
        tx.putEdges([edge('companies', 'co', 'contacts', 'c5', { createdAt: at(3) }), edge('companies', 'co', 'contacts', 'c6', { createdAt: at(7) })]),
      );
      const expected = ['c4', 'c1', 'c2', 'c5', 'c0', 'c6'];
      for (const limit of [1, 2, 3, 5, 6, 100]) {
        const { ids, totals } = await read(storage, async (tx) => pageAll(tx, 'co', limit));
        expect(ids, `limit ${limit}`).toEqual(expected);
        expect(new Set(totals), `limit ${limit}`).toEqual(new Set([6]));
      }
      // The edges come whole, as seen from the record.
      const [first] = (await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 1 }))).edges;
      expect(first).toEqual(edge('companies', 'co', 'contacts', 'c4', { createdAt: at(1) }));
    });

    it('a relabelled association keeps its place; a removed and re-made one goes by its new time', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c0'), record('c1'), record('c2'), record('co', 'companies')]));
      await write(storage, async (tx) =>
        tx.putEdges(['c0', 'c1', 'c2'].map((id) => edge('companies', 'co', 'contacts', id, { createdAt: at(1) }))),
      );
      await write(storage, async (tx) => tx.putEdges([edge('companies', 'co', 'contacts', 'c0', { createdAt: at(1), labels: ['owner'] })]));
      expect((await read(storage, async (tx) => pageAll(tx, 'co', 2))).ids).toEqual(['c0', 'c1', 'c2']);
      await write(storage, async (tx) => tx.deleteEdges([ends(edge('companies', 'co', 'contacts', 'c1'))]));
      await write(storage, async (tx) => tx.putEdges([edge('companies', 'co', 'contacts', 'c1', { createdAt: at(1) })]));
      expect((await read(storage, async (tx) => pageAll(tx, 'co', 2))).ids).toEqual(['c0', 'c2', 'c1']);
    });

    it('filters by labels (any of them, as seen from the record), total included', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c0'), record('c1'), record('c2'), record('c3'), record('co', 'companies')]));
      await write(storage, async (tx) =>
        tx.putEdges([
          edge('companies', 'co', 'contacts', 'c0', { labels: ['billing'], inverseLabels: ['primary'] }),
          edge('companies', 'co', 'contacts', 'c1', { inverseLabels: ['billing'] }),
          edge('companies', 'co', 'contacts', 'c2', { labels: ['owner', 'billing'] }),
          edge('companies', 'co', 'contacts', 'c3', { labels: ['owner'], archived: true }),
        ]),
      );
      expect(await read(storage, async (tx) => pageAll(tx, 'co', 1, ['billing']))).toEqual({ ids: ['c0', 'c2'], totals: [2, 2] });
      expect((await read(storage, async (tx) => pageAll(tx, 'co', 5, ['owner', 'nobody']))).ids).toEqual(['c2']);
      expect(await read(storage, async (tx) => pageAll(tx, 'co', 5, ['primary']))).toEqual({ ids: [], totals: [0] });
    });

    it('a cursor resumes after its position even when that edge, or others, changed meanwhile', async () => {
      const storage = await factory();
      const contacts = Array.from({ length: 6 }, (_, n) => record(`c${n}`));
      await write(storage, async (tx) => tx.insertRecords([...contacts, record('co', 'companies')]));
      await write(storage, async (tx) => tx.putEdges(contacts.map((contact, n) => edge('companies', 'co', 'contacts', contact.id, { createdAt: at(n) }))));
      const first = await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 2 }));
      expect(farEnds(first.edges)).toEqual(['contacts/c0', 'contacts/c1']);
      // The last edge shown goes, and so does one not yet shown: the next page starts right after the position.
      await write(storage, async (tx) => tx.deleteEdges([ends(edge('companies', 'co', 'contacts', 'c1')), ends(edge('companies', 'co', 'contacts', 'c3'))]));
      const next = await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 2, after: first.after! }));
      expect(farEnds(next.edges)).toEqual(['contacts/c2', 'contacts/c4']);
      expect(next.total).toBe(4);
    });

    it('answers no edges and a total of 0 for a record without any (or an unknown record), and throws for a cursor it did not make', async () => {
      const storage = await factory();
      await write(storage, async (tx) => tx.insertRecords([record('c0'), record('co', 'companies')]));
      expect(await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 10 }))).toEqual({ edges: [], total: 0 });
      expect(await read(storage, async (tx) => tx.pageEdges('companies', 'nobody', { toType: 'contacts', limit: 10 }))).toEqual({ edges: [], total: 0 });
      await write(storage, async (tx) => tx.putEdges([edge('companies', 'co', 'contacts', 'c0')]));
      await expect(read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 1, after: 'not-a-cursor' }))).rejects.toMatchObject(REFUSED_CURSOR);
    });
  });
}
