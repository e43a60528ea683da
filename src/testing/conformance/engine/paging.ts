// Record lists by pages: every record once at any page size, archived ones when asked, and
// cursors that are opaque, tamper-evident and bound to their list and storage.
import { describe, expect, it } from 'vitest';
import { refused, issueCodes, everyRecord, type Engine } from './harness.js';

/**
 * Declares the engine's tests of record lists by pages and their cursors, on the storages `engine` makes.
 *
 * @example
 * describePaging(engineHarness(() => memoryStorage()));
 */
export function describePaging({ fresh }: Engine): void {
  describe('records: list paging', () => {
    it('pages of any limit cover every record exactly once, in creation order, following cursors', async () => {
      const crm = await fresh();
      const first = await crm.records.createMany('contacts', Array.from({ length: 6 }, (_, n) => ({ firstname: `P${n}` })));
      const second = await crm.records.createMany('contacts', Array.from({ length: 5 }, (_, n) => ({ firstname: `Q${n}` })));
      const ids = [...first, ...second].map((record) => record.id);
      for (const limit of [1, 3, 5, 11, 100]) {
        expect((await everyRecord(crm, 'contacts', limit, false)).map((record) => record.id), `limit ${limit}`).toEqual(ids);
      }
      // A cursor may come back with a full last page (the storage says "more may follow"); what follows it is then empty.
      const whole = await crm.records.list('contacts', { limit: 11 });
      expect(whole.results).toHaveLength(11);
      const next = whole.paging?.next?.after;
      if (next !== undefined) expect((await crm.records.list('contacts', { limit: 11, after: next })).results).toEqual([]);
      // A page shorter than its limit is the last: no cursor, from the start or from a cursor.
      expect((await crm.records.list('contacts', { limit: 12 })).paging).toBeUndefined();
      const firstPage = await crm.records.list('contacts', { limit: 8 });
      const rest = await crm.records.list('contacts', { limit: 8, after: firstPage.paging!.next!.after });
      expect(rest.results.map((record) => record.id)).toEqual(ids.slice(8));
      expect(rest.paging).toBeUndefined();
      expect(await crm.records.list('companies')).toEqual({ results: [] });
    });

    it('leaves archived records out of pages unless asked, then marks them archived', async () => {
      const crm = await fresh();
      const created = await crm.records.createMany('contacts', Array.from({ length: 6 }, (_, n) => ({ firstname: `P${n}` })));
      await crm.records.archive('contacts', created[1]!.id);
      await crm.records.archive('contacts', created[4]!.id);
      const live = await everyRecord(crm, 'contacts', 2, false);
      expect(live.map((record) => record.id)).toEqual([0, 2, 3, 5].map((n) => created[n]!.id));
      const all = await everyRecord(crm, 'contacts', 2, true);
      expect(all.map((record) => record.id)).toEqual(created.map((record) => record.id));
      expect(all.filter((record) => record.archived).map((record) => record.id)).toEqual([created[1]!.id, created[4]!.id]);
    });

    it("refuses a garbage cursor and another type's cursor with VALIDATION_ERROR INVALID_CURSOR", async () => {
      const crm = await fresh();
      await crm.records.createMany('contacts', [{ firstname: 'A' }, { firstname: 'B' }]);
      await crm.records.createMany('companies', [{ name: 'A' }, { name: 'B' }]);
      const after = (await crm.records.list('contacts', { limit: 1 })).paging?.next?.after;
      expect(after).toEqual(expect.any(String));
      expect(issueCodes(await refused(crm.records.list('companies', { after: after! }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
      for (const garbage of ['garbage', 'bm90LWEtY3Vyc29y', '', 'eyJhIjoxfQ']) {
        expect(issueCodes(await refused(crm.records.list('contacts', { after: garbage }), 'VALIDATION_ERROR')), garbage).toEqual(['INVALID_CURSOR']);
      }
    });

    it('a cursor reveals no storage position and any edit to it is INVALID_CURSOR; another storage’s cursor is refused', async () => {
      const crm = await fresh();
      await crm.records.createMany('contacts', Array.from({ length: 4 }, (_, n) => ({ firstname: `P${n}` })));
      const after = (await crm.records.list('contacts', { limit: 1 })).paging!.next!.after;
      // Opaque: neither the type nor a bare position.
      expect(after).not.toMatch(/contacts|^[a-z]?[0-9]+$/);
      // Every one-character edit is refused, never read as another position.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      for (let at = 0; at < after.length; at++) {
        const swapped = alphabet[(alphabet.indexOf(after[at]!) + 1) % alphabet.length]!;
        const edited = after.slice(0, at) + swapped + after.slice(at + 1);
        const error = await refused(crm.records.list('contacts', { after: edited }), 'VALIDATION_ERROR');
        expect(issueCodes(error), `edit at ${at}`).toEqual(['INVALID_CURSOR']);
      }
      expect(issueCodes(await refused(crm.records.list('contacts', { after: after.slice(0, -1) }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
      const other = await fresh();
      await other.records.createMany('contacts', Array.from({ length: 4 }, (_, n) => ({ firstname: `P${n}` })));
      expect(issueCodes(await refused(other.records.list('contacts', { after }), 'VALIDATION_ERROR'))).toEqual(['INVALID_CURSOR']);
      // The cursor still works where it was made.
      expect((await crm.records.list('contacts', { limit: 1, after })).results).toHaveLength(1);
    });
  });
}
