// Storage answers are Awaitable (storage/types.ts): the memory and SQLite storages answer with
// values, PostgreSQL with promises. `await` on a value still costs a turn of the microtask
// queue and a promise; on the paths every write takes, a service asks first and awaits only a
// promise.

/**
 * Whether a storage answer is a promise (or another thenable) rather than a value.
 *
 * @example
 * const taken = ctx.tx.insertRecords(records);
 * const ids = isThenable(taken) ? await taken : taken;
 */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}
