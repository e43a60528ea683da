// Metadata documents: what the engine stores its schema, versions and counters in, by key.
import { describe, expect, it } from 'vitest';
import { read, write, type Factory } from './fixtures.js';

/**
 * Declares the storage contract's tests of metadata documents, on storages made by `factory`.
 *
 * @example
 * describeMeta(() => memoryStorage());
 */
export function describeMeta(factory: Factory): void {
  describe('metadata', () => {
    it('stores metadata documents by key', async () => {
      const storage = await factory();
      expect(await read(storage, async (tx) => tx.getMeta('schema'))).toBeUndefined();
      await write(storage, async (tx) => tx.putMeta('schema', { objects: { a: 1 }, list: [1, 2] }));
      await write(storage, async (tx) => tx.putMeta('schema.version', 3));
      expect(await read(storage, async (tx) => tx.getMeta('schema'))).toEqual({ objects: { a: 1 }, list: [1, 2] });
      expect(await read(storage, async (tx) => tx.getMeta('schema.version'))).toBe(3);
    });
  });
}
