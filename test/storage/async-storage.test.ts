// An adapter may answer every primitive with a promise (a SQL adapter does). The memory storage
// behind promises proves the engine does not rely on synchronous answers.
import { describe, expect, it } from 'vitest';
import { createCrm, memoryStorage, type Storage, type StorageTx } from 'crmkit';
import { expectCrmError } from '../helpers.js';
import { storageConformance } from 'crmkit/testing/conformance';

/** `storage` with every StorageTx method answering a promise, one macrotask later. */
function behindPromises(storage: Storage): Storage {
  const later = <T>(value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), 0));
  return {
    transaction: (mode, fn) =>
      storage.transaction(mode, (tx) => {
        const wrapped = new Proxy(tx, {
          get(target, name: keyof StorageTx) {
            const member = target[name];
            if (typeof member !== 'function' || name === 'savepoint') return typeof member === 'function' ? member.bind(target) : member;
            return async (...args: unknown[]) => later(await (member as (...a: unknown[]) => unknown).apply(target, args));
          },
        });
        return fn(wrapped);
      }),
    close: () => storage.close(),
  };
}

storageConformance('memory behind promises', () => behindPromises(memoryStorage()));

describe('the engine on a storage that answers with promises', () => {
  it('creates, finds, updates and refuses duplicates', async () => {
    const crm = await createCrm({ storage: behindPromises(memoryStorage()) });
    const contact = await crm.records.create('contacts', { email: 'a@b.com' });
    expect((await crm.records.getBy('contacts', 'email', 'A@B.com'))?.id).toBe(contact.id);
    await crm.records.update('contacts', contact.id, { firstname: 'Ann' });
    expect((await crm.records.history('contacts', contact.id, 'firstname')).map((entry) => entry.value)).toEqual(['Ann']);
    await expectCrmError(crm.records.create('contacts', { email: 'a@B.com' }), 'DUPLICATE_RECORD');
  });

  it('sees a schema change another Crm made on the same storage', async () => {
    const shared = behindPromises(memoryStorage());
    const first = await createCrm({ storage: shared });
    const second = await createCrm({ storage: shared });
    await first.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
    const record = await second.records.create('contacts', { email: 'a@b.com', shoe_size: '42' });
    expect(record.properties.shoe_size).toBe(42);
    expect(second.schema.property('contacts', 'shoe_size').type).toBe('number');
  });

  it('rolls a failed transaction back whole', async () => {
    const crm = await createCrm({ storage: behindPromises(memoryStorage()) });
    await expect(
      crm.transaction(async (tx) => {
        await tx.records.create('contacts', { email: 'a@b.com' });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await crm.records.getBy('contacts', 'email', 'a@b.com')).toBeUndefined();
  });
});
