// Unique keys: claims, clashes (with stored keys and within one call), lookups and releases.
import { describe, expect, it } from 'vitest';
import { read, write, type Factory } from './fixtures.js';

/**
 * Declares the storage contract's tests of unique keys: claims, clashes, lookups and releases, on storages made by `factory`.
 *
 * @example
 * describeKeys(() => memoryStorage());
 */
export function describeKeys(factory: Factory): void {
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
}
