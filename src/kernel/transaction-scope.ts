// Knowing, inside a call, whether it was made from a crm.transaction callback on the same
// storage. Such a call (`crm.records.create` where `tx.records.create` was meant) would queue
// behind the open transaction that is waiting for it, and hang for ever on the memory and SQLite
// storages, or commit on its own connection on PostgreSQL. AsyncLocalStorage tells, where the
// runtime has one (Node, Bun, Deno, most edge runtimes); it is found without importing a `node:`
// module, so browser bundles stay clean; where there is none (browsers), the rule is documented
// instead (docs/records.md "Transactions").

/** What a crm.transaction callback runs inside. */
export interface TransactionScope {
  /** The storage the transaction holds. */
  readonly storage: object;
  /** False once the transaction has ended: a timer the callback left behind may call crm again. */
  open: boolean;
}

interface AsyncLocalStorageLike<T> {
  run<R>(store: T, fn: () => R): R;
  getStore(): T | undefined;
}

type AsyncLocalStorageClass = new <T>() => AsyncLocalStorageLike<T>;

/** The runtime's AsyncLocalStorage class, if it has one. */
function findAsyncLocalStorage(): AsyncLocalStorageClass | undefined {
  const runtime = globalThis as {
    process?: { getBuiltinModule?: (name: string) => { AsyncLocalStorage?: AsyncLocalStorageClass } | undefined };
    AsyncLocalStorage?: AsyncLocalStorageClass;
  };
  try {
    // Node ≥ 20.16, Bun and Deno answer getBuiltinModule; Vercel's and Cloudflare's edge runtimes
    // expose the class as a global.
    return runtime.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage ?? runtime.AsyncLocalStorage;
  } catch {
    return undefined;
  }
}

/**
 * Made on the first crm.transaction, not before: on Node 20, an AsyncLocalStorage in use makes
 * every promise in the process a little slower, a cost only transactions' users should pay.
 */
let scopes: AsyncLocalStorageLike<TransactionScope> | null | undefined;

/** Runs `fn` inside `scope`, so that {@link currentScope} answers it from anything `fn` starts. */
export function runInScope<R>(scope: TransactionScope, fn: () => R): R {
  if (scopes === undefined) {
    const AsyncLocalStorage = findAsyncLocalStorage();
    scopes = AsyncLocalStorage ? new AsyncLocalStorage<TransactionScope>() : null;
  }
  return scopes ? scopes.run(scope, fn) : fn();
}

/** The open transaction the current code runs inside, on `storage`; undefined when none (or unknown). */
export function openScopeOn(storage: object): TransactionScope | undefined {
  const scope = scopes?.getStore();
  return scope?.open && scope.storage === storage ? scope : undefined;
}

/** Whether this runtime can tell (AsyncLocalStorage found). For tests and docs. */
export function canDetectScope(): boolean {
  return findAsyncLocalStorage() !== undefined;
}
