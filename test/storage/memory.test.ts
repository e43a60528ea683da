import { describe, expect, it } from 'vitest';
import { CrmError, memoryStorage, MemoryStorage } from 'crmkit';
import { storageConformance } from 'crmkit/testing/conformance';

storageConformance('memory', () => memoryStorage());

describe('memory storage', () => {
  it('forks into an independent copy', async () => {
    const storage = memoryStorage();
    await storage.transaction('write', async (tx) => tx.putMeta('m', 1));
    const copy = await storage.fork();
    await copy.transaction('write', async (tx) => tx.putMeta('m', 2));
    await storage.transaction('write', async (tx) => tx.putMeta('n', 1));
    expect(await storage.transaction('read', async (tx) => tx.getMeta('m'))).toBe(1);
    expect(await copy.transaction('read', async (tx) => tx.getMeta('m'))).toBe(2);
    expect(await copy.transaction('read', async (tx) => tx.getMeta('n'))).toBeUndefined();
    expect(copy).toBeInstanceOf(MemoryStorage);
  });

  it('refuses every transaction once closed', async () => {
    const storage = memoryStorage();
    await storage.close();
    const error = await storage.transaction('read', async () => 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrmError);
    expect((error as CrmError).code).toBe('STORAGE_ERROR');
  });

  it('refuses a write inside a read transaction', async () => {
    const storage = memoryStorage();
    await expect(storage.transaction('read', async (tx) => tx.putMeta('m', 1))).rejects.toThrow(/read transaction/);
    expect(await storage.transaction('read', async (tx) => tx.getMeta('m'))).toBeUndefined();
  });
});
