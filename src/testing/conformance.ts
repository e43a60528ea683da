// 'crmkit/testing/conformance': the storage conformance suite, for authors of storage adapters.
// It declares vitest suites, so it imports vitest (an optional peer dependency of crmkit) and
// lives apart from 'crmkit/testing', which must load with no test runner installed.
import type { Storage } from 'crmkit';
import { describeEngine } from './conformance/engine/index.js';
import { describePrimitives } from './conformance/storage/index.js';

/**
 * Options of {@link storageConformance}.
 *
 * @example
 * storageConformance('mine', () => myStorage(), { engine: false });
 */
export interface ConformanceOptions {
  /** Also run the engine's behaviour tests (records, associations) over the adapter (default true). */
  engine?: boolean;
}

/**
 * Declares the storage conformance suite under vitest (3 or 4, with fast-check 3 or 4) for an
 * adapter: every primitive's duty, atomicity, savepoints, scans and cursors, unique keys, edges,
 * metadata and history, search plans (the adapter's answers against the reference evaluator's,
 * on random data and plans), then (unless `engine: false`) the engine's behaviour over the
 * adapter. Call it at the
 * top level of a test file. `factory` must answer a new, empty storage each time.
 *
 * @example
 * // test/my-storage.test.ts
 * import { storageConformance } from 'crmkit/testing/conformance';
 * import { myStorage } from '../src/my-storage.js';
 * storageConformance('my storage', () => myStorage({ file: ':memory:' }));
 */
export function storageConformance(name: string, factory: () => Storage | Promise<Storage>, options: ConformanceOptions = {}): void {
  describePrimitives(name, factory);
  if (options.engine !== false) describeEngine(name, factory);
}
