// A record's static-list memberships (static segments' members) follow its life: an archived or
// purged record leaves every list, and a merged record's lists take the survivor instead. Restoring
// a record does not put it back: a static segment holds what was put in it while it was live.
import type { StorageTx } from '../storage/types.js';
import { listsIn } from '../storage/lists.js';

/**
 * Takes the records out of every static list holding them.
 *
 * @example
 * await leaveLists(ctx.tx, 'contacts', [contact.id]);
 */
export async function leaveLists(tx: StorageTx, objectType: string, ids: readonly string[]): Promise<void> {
  const lists = listsIn(tx);
  const held = await lists.of(objectType, ids);
  const byList = new Map<string, string[]>();
  held.forEach((names, at) => {
    for (const name of names) byList.set(name, [...(byList.get(name) ?? []), ids[at]!]);
  });
  for (const [list, members] of byList) await lists.remove(list, objectType, members);
}

/**
 * Puts the survivor of a merge in every static list the merged record was in, and takes the
 * merged record out of them.
 *
 * @example
 * await moveLists(ctx.tx, 'contacts', merged.id, survivor.id);
 */
export async function moveLists(tx: StorageTx, objectType: string, from: string, to: string): Promise<void> {
  const lists = listsIn(tx);
  const [held = []] = await lists.of(objectType, [from]);
  for (const list of held) {
    await lists.add(list, objectType, [to]);
    await lists.remove(list, objectType, [from]);
  }
}
