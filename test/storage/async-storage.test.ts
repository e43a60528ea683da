// An adapter may answer every primitive with a promise (a SQL adapter does). The memory storage
// behind promises, run through the whole conformance suite (the engine's tests included), proves
// the engine does not rely on synchronous answers.
import { memoryStorage, type Storage, type StorageTx } from 'crmkit';
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
