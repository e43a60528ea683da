// The storage contract as tests: every duty a Storage adapter has (src/storage/types.ts),
// written once and run against any adapter factory: the memory adapter, the SQL adapters, and
// third parties' (through storageConformance in 'crmkit/testing/conformance'). Each topic has
// its file here; each test's name states the duty it checks.
import { describe } from 'vitest';
import { describeAggregate } from './aggregate.js';
import { describeEdgePages } from './edge-pages.js';
import { describeEdgeScans } from './edge-scans.js';
import { describeEdges } from './edges.js';
import type { Factory } from './fixtures.js';
import { describeHistory } from './history.js';
import { describeKeys } from './keys.js';
import { describeLists } from './lists.js';
import { describeMeta } from './meta.js';
import { describeRecords } from './records.js';
import { describeSearch } from './search.js';
import { describeTransactions } from './transactions.js';

/**
 * Runs the storage contract against storages made by `factory`.
 *
 * @example
 * describePrimitives('memory', () => memoryStorage());
 */
export function describePrimitives(name: string, factory: Factory): void {
  describe(`storage contract: ${name}`, () => {
    describeRecords(factory);
    describeKeys(factory);
    describeMeta(factory);
    describeHistory(factory);
    describeEdges(factory);
    describeEdgeScans(factory);
    describeEdgePages(factory);
    describeTransactions(factory);
    describeLists(factory);
    describeSearch(factory);
    describeAggregate(factory);
  });
}
