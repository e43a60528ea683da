// Static lists (a static segment's members): adding, removing and emptying, the lists holding a
// record, and their atomicity and forks. Run through crmkit/storage's `listsIn`, which is what the
// engine calls: the storage's own `addToList`, `removeFromList` and `listsOf` when it has them,
// else metadata documents. Either way these duties hold.
import { describe, expect, it } from 'vitest';
import { listsIn, type Storage, type StorageTx } from 'crmkit/storage';
import { record, read, write, type Factory } from './fixtures.js';

/** Per id, the lists holding it, each sorted (listsOf answers them in any order). */
async function listsOf(tx: StorageTx, objectType: string, ids: readonly string[]): Promise<string[][]> {
  const found = await listsIn(tx).of(objectType, ids);
  expect(found, `listsOf(${objectType}, ${ids.length} ids) answers one entry per id`).toHaveLength(ids.length);
  return found.map((lists) => [...lists].sort());
}

/** The storage, closed after `fn` whatever happens. */
async function using(factory: Factory, fn: (storage: Storage) => Promise<void>): Promise<void> {
  const storage = await factory();
  try {
    await fn(storage);
  } finally {
    await storage.close();
  }
}

/** List ids are data: quotes, SQL wildcards, separators, non-ASCII, a long one. */
const ODD_LISTS = ["it's", '%_', 'a.b', 'ünï 😀', ' spaced ', 'x'.repeat(200)];

/**
 * Declares the storage contract's tests of static lists, on storages made by `factory`.
 *
 * @example
 * describeLists(() => memoryStorage());
 */
export function describeLists(factory: Factory): void {
  describe('static lists', () => {
    it('has all three list primitives (addToList, removeFromList, listsOf) or none', async () => {
      await using(factory, async (storage) => {
        await read(storage, async (tx) => {
          const present = [tx.addToList, tx.removeFromList, tx.listsOf].map((method) => typeof method === 'function');
          expect(present.every(Boolean) || !present.some(Boolean), `addToList, removeFromList, listsOf present: ${present.join(', ')}`).toBe(true);
        });
      });
    });

    it('adds records to a list; adding a member again changes nothing; listsOf answers per id, in input order, repeats included', async () => {
      await using(factory, async (storage) => {
        await write(storage, async (tx) => {
          await tx.insertRecords(['a', 'b', 'c', 'd'].map((id) => record(id)));
          await listsIn(tx).add('L1', 'contacts', ['a', 'b']);
          await listsIn(tx).add('L1', 'contacts', ['b', 'c', 'c']);
          await listsIn(tx).add('L2', 'contacts', ['a']);
          // Read in the transaction that wrote them.
          expect(await listsOf(tx, 'contacts', ['a', 'b'])).toEqual([['L1', 'L2'], ['L1']]);
        });
        await write(storage, async (tx) => listsIn(tx).add('L1', 'contacts', ['a', 'b', 'c']));
        expect(await read(storage, async (tx) => listsOf(tx, 'contacts', ['c', 'a', 'd', 'b', 'a', 'nobody']))).toEqual([['L1'], ['L1', 'L2'], [], ['L1'], ['L1', 'L2'], []]);
        expect(await read(storage, async (tx) => listsOf(tx, 'contacts', []))).toEqual([]);
      });
    });

    it('removes records from a list; removing ids it does not hold changes nothing, and other lists keep theirs', async () => {
      await using(factory, async (storage) => {
        await write(storage, async (tx) => {
          await listsIn(tx).add('L1', 'contacts', ['a', 'b', 'c']);
          await listsIn(tx).add('L2', 'contacts', ['a', 'b']);
        });
        await write(storage, async (tx) => {
          await listsIn(tx).remove('L1', 'contacts', ['a', 'nobody', 'a']);
          await listsIn(tx).remove('L1', 'contacts', ['a']);
          await listsIn(tx).remove('never-made', 'contacts', ['b']);
          await listsIn(tx).remove('L2', 'companies', ['b']);
        });
        expect(await read(storage, async (tx) => listsOf(tx, 'contacts', ['a', 'b', 'c']))).toEqual([['L2'], ['L1', 'L2'], ['L1']]);
      });
    });

    it('removeFromList without ids empties that list only, of that object type; a list emptied can be filled again', async () => {
      await using(factory, async (storage) => {
        await write(storage, async (tx) => {
          await listsIn(tx).add('L1', 'contacts', ['a', 'b']);
          await listsIn(tx).add('L2', 'contacts', ['a']);
          await listsIn(tx).add('L1', 'companies', ['a']);
        });
        await write(storage, async (tx) => {
          await listsIn(tx).remove('L1', 'contacts', undefined);
          await listsIn(tx).remove('never-made', 'contacts', undefined);
        });
        await read(storage, async (tx) => {
          expect(await listsOf(tx, 'contacts', ['a', 'b'])).toEqual([['L2'], []]);
          expect(await listsOf(tx, 'companies', ['a'])).toEqual([['L1']]);
        });
        await write(storage, async (tx) => listsIn(tx).add('L1', 'contacts', ['b']));
        expect(await read(storage, async (tx) => listsOf(tx, 'contacts', ['a', 'b']))).toEqual([['L2'], ['L1']]);
      });
    });

    it('keeps each object type’s lists apart: one list id on two types is two lists', async () => {
      await using(factory, async (storage) => {
        await write(storage, async (tx) => {
          await listsIn(tx).add('7', 'contacts', ['x', 'y']);
          await listsIn(tx).add('7', 'companies', ['y', 'z']);
          await listsIn(tx).remove('7', 'companies', ['y']);
        });
        await read(storage, async (tx) => {
          expect(await listsOf(tx, 'contacts', ['x', 'y', 'z'])).toEqual([['7'], ['7'], []]);
          expect(await listsOf(tx, 'companies', ['x', 'y', 'z'])).toEqual([[], [], ['7']]);
          expect(await listsOf(tx, 'deals', ['x', 'y', 'z'])).toEqual([[], [], []]);
        });
      });
    });

    it('takes any string as a list id or record id, kept exactly', async () => {
      await using(factory, async (storage) => {
        const ids = ['plain', "o'brien", '%', '_', 'Ä', 'a\\b', '😀'];
        await write(storage, async (tx) => {
          for (const list of ODD_LISTS) await listsIn(tx).add(list, 'contacts', ids);
          await listsIn(tx).remove(ODD_LISTS[0]!, 'contacts', ['%']);
        });
        const found = await read(storage, async (tx) => listsOf(tx, 'contacts', [...ids, 'A', 'ä', 'a']));
        expect(found.slice(0, ids.length)).toEqual(ids.map((id) => [...ODD_LISTS].filter((list) => id !== '%' || list !== ODD_LISTS[0]).sort()));
        // Ids compare exactly: no folding, no LIKE.
        expect(found.slice(ids.length)).toEqual([[], [], []]);
      });
    });

    it('handles lists of thousands of members in one call', async () => {
      await using(factory, async (storage) => {
        const ids = Array.from({ length: 5_000 }, (_, n) => `m${n}`);
        await write(storage, async (tx) => listsIn(tx).add('big', 'contacts', ids));
        await write(storage, async (tx) => listsIn(tx).remove('big', 'contacts', ids.filter((_, n) => n % 2 === 0)));
        const found = await read(storage, async (tx) => listsOf(tx, 'contacts', ids));
        expect(found.filter((lists) => lists.length > 0)).toHaveLength(2_500);
        expect(found[0]).toEqual([]);
        expect(found[4_999]).toEqual(['big']);
      });
    });

    it('a new storage holds no lists', async () => {
      await using(factory, async (first) => {
        await write(first, async (tx) => listsIn(tx).add('L1', 'contacts', ['a']));
        await using(factory, async (second) => {
          expect(await read(second, async (tx) => listsOf(tx, 'contacts', ['a']))).toEqual([[]]);
        });
      });
    });

    it('a failed transaction undoes its list writes: additions, removals and emptied lists', async () => {
      await using(factory, async (storage) => {
        await write(storage, async (tx) => {
          await listsIn(tx).add('L1', 'contacts', ['a', 'b']);
          await listsIn(tx).add('L2', 'contacts', ['a']);
        });
        const failure = new Error('boom');
        await expect(
          write(storage, async (tx) => {
            await listsIn(tx).add('L1', 'contacts', ['c']);
            await listsIn(tx).add('L3', 'contacts', ['a']);
            await listsIn(tx).remove('L1', 'contacts', ['a']);
            await listsIn(tx).remove('L2', 'contacts', undefined);
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await read(storage, async (tx) => listsOf(tx, 'contacts', ['a', 'b', 'c']))).toEqual([['L1', 'L2'], ['L1'], []]);
      });
    });

    it('a savepoint undoes only the list writes its function made, and the transaction goes on', async () => {
      await using(factory, async (storage) => {
        await write(storage, async (tx) => {
          await listsIn(tx).add('L1', 'contacts', ['a']);
          await expect(
            tx.savepoint(async () => {
              await listsIn(tx).add('L1', 'contacts', ['b']);
              await listsIn(tx).remove('L1', 'contacts', ['a']);
              throw new Error('inner');
            }),
          ).rejects.toThrow('inner');
          expect(await listsOf(tx, 'contacts', ['a', 'b'])).toEqual([['L1'], []]);
          await tx.savepoint(async () => listsIn(tx).add('L2', 'contacts', ['b']));
          await listsIn(tx).add('L1', 'contacts', ['c']);
        });
        expect(await read(storage, async (tx) => listsOf(tx, 'contacts', ['a', 'b', 'c']))).toEqual([['L1'], ['L2'], ['L1']]);
      });
    });

    it('a fork holds the lists as they were, and changes on either side never reach the other (storages that fork)', async () => {
      await using(factory, async (storage) => {
        if (storage.fork === undefined) return;
        await write(storage, async (tx) => {
          await listsIn(tx).add('L1', 'contacts', ['a', 'b']);
          await listsIn(tx).add('L2', 'contacts', ['a']);
        });
        const copy = await storage.fork();
        try {
          expect(await read(copy, async (tx) => listsOf(tx, 'contacts', ['a', 'b']))).toEqual([['L1', 'L2'], ['L1']]);
          await write(copy, async (tx) => {
            await listsIn(tx).remove('L1', 'contacts', ['a']);
            await listsIn(tx).add('L3', 'contacts', ['b']);
          });
          await write(storage, async (tx) => {
            await listsIn(tx).remove('L2', 'contacts', undefined);
            await listsIn(tx).add('L1', 'contacts', ['c']);
          });
          expect(await read(storage, async (tx) => listsOf(tx, 'contacts', ['a', 'b', 'c']))).toEqual([['L1'], ['L1'], ['L1']]);
          expect(await read(copy, async (tx) => listsOf(tx, 'contacts', ['a', 'b', 'c']))).toEqual([['L2'], ['L1', 'L3'], []]);
        } finally {
          await copy.close();
        }
      });
    });
  });
}
