// Static lists (a static segment's members) on any storage: the storage's own `addToList`,
// `removeFromList` and `listsOf` when it has them, else metadata documents, so a third-party
// adapter written before lists existed keeps working. The documents are one per list (its ids)
// and one index per object type (its lists): fine for the lists people keep by hand, slow for
// lists of hundreds of thousands of records, which is what the primitives are for.
import type { StorageTx } from './types.js';

/**
 * A storage's static lists, whichever way it keeps them.
 *
 * @example
 * const lists = listsIn(tx);
 * await lists.add('7', 'contacts', ['c1', 'c2']);
 * await lists.of('contacts', ['c1']); // [['7']]
 */
export interface Lists {
  add(list: string, objectType: string, ids: readonly string[]): Promise<void>;
  /** Removes the records from the list; `undefined` empties it. */
  remove(list: string, objectType: string, ids: readonly string[] | undefined): Promise<void>;
  /** Per id, the lists holding that record. */
  of(objectType: string, ids: readonly string[]): Promise<string[][]>;
}

const INDEX_KEY = (objectType: string): string => `$lists.${objectType}`;
const LIST_KEY = (objectType: string, list: string): string => `$list.${objectType}.${list}`;

/**
 * The storage's static lists: its own primitives when it has all three, else lists kept in
 * metadata documents.
 *
 * @example
 * await listsIn(tx).remove('7', 'contacts', undefined); // the list is empty
 */
export function listsIn(tx: StorageTx): Lists {
  if (tx.addToList && tx.removeFromList && tx.listsOf) {
    return {
      add: async (list, objectType, ids) => void (ids.length > 0 ? await tx.addToList!(list, objectType, ids) : undefined),
      remove: async (list, objectType, ids) => void (ids === undefined || ids.length > 0 ? await tx.removeFromList!(list, objectType, ids) : undefined),
      of: async (objectType, ids) => (ids.length === 0 ? [] : await tx.listsOf!(objectType, ids)),
    };
  }
  return metaLists(tx);
}

function metaLists(tx: StorageTx): Lists {
  const index = async (objectType: string): Promise<string[]> => ((await tx.getMeta(INDEX_KEY(objectType))) as string[] | undefined) ?? [];
  const members = async (objectType: string, list: string): Promise<string[]> => ((await tx.getMeta(LIST_KEY(objectType, list))) as string[] | undefined) ?? [];
  return {
    async add(list, objectType, ids) {
      if (ids.length === 0) return;
      const held = await members(objectType, list);
      const known = new Set(held);
      const added = ids.filter((id) => !known.has(id) && (known.add(id), true));
      if (added.length === 0) return;
      const lists = await index(objectType);
      if (!lists.includes(list)) await tx.putMeta(INDEX_KEY(objectType), [...lists, list]);
      await tx.putMeta(LIST_KEY(objectType, list), [...held, ...added]);
    },
    async remove(list, objectType, ids) {
      const held = await members(objectType, list);
      if (held.length === 0) return;
      const gone = ids === undefined ? undefined : new Set(ids);
      const kept = gone === undefined ? [] : held.filter((id) => !gone.has(id));
      if (kept.length === held.length) return;
      await tx.putMeta(LIST_KEY(objectType, list), kept);
      if (kept.length === 0) {
        await tx.putMeta(INDEX_KEY(objectType), (await index(objectType)).filter((other) => other !== list));
      }
    },
    async of(objectType, ids) {
      const found = ids.map((): string[] => []);
      if (ids.length === 0) return found;
      const at = new Map<string, number[]>();
      ids.forEach((id, position) => at.set(id, [...(at.get(id) ?? []), position]));
      for (const list of await index(objectType)) {
        for (const id of await members(objectType, list)) for (const position of at.get(id) ?? []) found[position]!.push(list);
      }
      return found;
    },
  };
}
