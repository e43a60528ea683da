// A storage without the list primitives (an adapter written before static lists existed) keeps
// lists in metadata documents (src/storage/lists.ts). Here memory and SQLite storages with
// addToList, removeFromList and listsOf hidden run the storage contract, its static lists and
// its searches with `member` predicates included: whichever way lists are kept, the answers
// are the same.
import { describe, expect, it } from 'vitest';
import { evaluateAggregate, evaluateSearch, listsIn, memoryStorage, type AggregatePlan, type Predicate, type SearchPlan, type Storage, type StorageTx } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';
import { storageConformance } from 'crmkit/testing/conformance';

const HIDDEN = new Set<PropertyKey>(['addToList', 'removeFromList', 'listsOf']);

/** Whether a predicate tests list membership anywhere (nested association conditions too). */
function namesAList(predicate: Predicate | undefined): boolean {
  if (predicate === undefined) return false;
  switch (predicate.kind) {
    case 'member':
      return true;
    case 'and':
    case 'or':
      return predicate.of.some(namesAList);
    case 'not':
      return namesAList(predicate.of);
    case 'association':
      return namesAList(predicate.where);
    default:
      return false;
  }
}

/**
 * `tx` without the list primitives. Its own search cannot see lists kept in metadata, so a plan
 * (or an aggregate) testing membership goes to the reference evaluator, as an adapter without list primitives
 * must do (docs/adapters.md).
 */
function hideLists(tx: StorageTx): StorageTx {
  const hidden: StorageTx = new Proxy(tx, {
    get(target, name) {
      if (HIDDEN.has(name)) return undefined;
      const member: unknown = Reflect.get(target, name);
      if (typeof member !== 'function') return member;
      if (name === 'searchRecords') return (plan: SearchPlan) => (namesAList(plan.where) ? evaluateSearch(hidden, plan) : target.searchRecords!(plan));
      if (name === 'aggregateRecords') return (plan: AggregatePlan) => (namesAList(plan.where) ? evaluateAggregate(hidden, plan) : target.aggregateRecords!(plan));
      if (name === 'explainSearch') return (plan: SearchPlan) => (namesAList(plan.where) ? { storage: 'lists in metadata', strategy: 'scan' } : target.explainSearch!(plan));
      return (member as (...args: unknown[]) => unknown).bind(target);
    },
  });
  return hidden;
}

/** `storage` (and its forks) without the list primitives. */
function withoutLists(storage: Storage): Storage {
  return {
    transaction: (mode, fn) => storage.transaction(mode, (tx) => fn(hideLists(tx))),
    close: () => storage.close(),
    ...(storage.fork === undefined ? {} : { fork: async () => withoutLists(await storage.fork!()) }),
  };
}

storageConformance('memory, lists in metadata', () => withoutLists(memoryStorage()), { engine: false });
storageConformance('sqlite, lists in metadata', () => withoutLists(sqliteStorage(':memory:')), { engine: false });

describe('lists in metadata', () => {
  it('a storage without the list primitives keeps its lists in metadata documents, which its own primitives never see', async () => {
    const inner = memoryStorage();
    const storage = withoutLists(inner);
    await storage.transaction('write', async (tx) => {
      expect(tx.addToList).toBeUndefined();
      await listsIn(tx).add('L1', 'contacts', ['a', 'b']);
    });
    expect(await inner.transaction('read', async (tx) => tx.listsOf!('contacts', ['a']))).toEqual([[]]);
    expect(await inner.transaction('read', async (tx) => [await tx.getMeta('$lists.contacts'), await tx.getMeta('$list.contacts.L1')])).toEqual([['L1'], ['a', 'b']]);
    expect(await storage.transaction('read', async (tx) => listsIn(tx).of('contacts', ['b', 'c']))).toEqual([['L1'], []]);
  });
});
