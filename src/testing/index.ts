// 'crmkit/testing': what adapter authors and test suites need. The storage conformance suite
// (run it under vitest against any Storage factory), and deterministic ids and clocks.
// vitest (and fast-check, for property tests) are optional peer dependencies of this subpath.
import type { Storage } from 'crmkit';
import { describeEngine } from './engine.js';
import { describePrimitives } from './primitives.js';

/**
 * Options of {@link storageConformance}.
 *
 * @example
 * storageConformance('mine', () => myStorage(), { engine: true });
 */
export interface ConformanceOptions {
  /** Also run the engine's behaviour tests (records, associations) over the adapter (default true). */
  engine?: boolean;
}

/**
 * Declares the storage conformance suite under vitest for an adapter: every primitive's duty,
 * atomicity, savepoints, scans and cursors, unique keys, edges, metadata and history. Call it
 * at the top level of a test file. `factory` must answer a new, empty storage each time.
 *
 * @example
 * // test/my-storage.test.ts
 * import { storageConformance } from 'crmkit/testing';
 * import { myStorage } from '../src/my-storage.js';
 * storageConformance('my storage', () => myStorage({ file: ':memory:' }));
 */
export function storageConformance(name: string, factory: () => Storage | Promise<Storage>, options: ConformanceOptions = {}): void {
  describePrimitives(name, factory);
  if (options.engine !== false) describeEngine(name, factory);
}

/**
 * Ids 'id-1', 'id-2', …: deterministic record ids for tests (`createCrm({ ids })`).
 *
 * @example
 * const crm = await createCrm({ ids: sequentialIds('c-') });
 */
export function sequentialIds(prefix = 'id-'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/**
 * A clock that starts at `start` and moves `stepMs` forward on every reading (`createCrm({ clock })`).
 *
 * @example
 * const crm = await createCrm({ clock: steppingClock('2026-01-01T00:00:00.000Z', 1_000) });
 */
export function steppingClock(start = '2026-01-01T00:00:00.000Z', stepMs = 1_000): () => Date {
  let at = new Date(start).getTime() - stepMs;
  return () => new Date((at += stepMs));
}
