// The engine's behaviour as tests, run over any Storage factory: records, dedup keys, paging,
// history, transactions, schema persistence, associations, calculated properties, pipelines, commerce, segments and views, all through
// the public API (docs/records.md, docs/associations.md). An adapter that passes them makes the
// engine behave on its storage as it does on memory. Each topic has its file here; each test's
// name states the behaviour, and each test builds its own fresh storage.
import { describe } from 'vitest';
import { describeAssociations } from './associations.js';
import { describeBatch } from './batch.js';
import { describeBulkActions } from './bulk-actions.js';
import { describeCalculated } from './calculated.js';
import { describeCommerce } from './commerce.js';
import { engineHarness, type Factory } from './harness.js';
import { describeHistory } from './history.js';
import { describeKeys } from './keys.js';
import { describeLimits } from './limits.js';
import { describeMerge } from './merge.js';
import { describePaging } from './paging.js';
import { describePipelines } from './pipelines.js';
import { describePrimary } from './primary.js';
import { describeRecords } from './records.js';
import { describeRequired } from './required.js';
import { describeSchema } from './schema.js';
import { describeSegments } from './segments.js';
import { describeTransactions } from './transactions.js';

/**
 * Runs the engine's behaviour tests over storages made by `factory`.
 *
 * @example
 * describeEngine('memory', () => memoryStorage());
 */
export function describeEngine(name: string, factory: Factory): void {
  const engine = engineHarness(factory);
  describe(`engine behaviour: ${name}`, () => {
    describeRecords(engine);
    describeKeys(engine);
    describeBatch(engine);
    describePaging(engine);
    describeTransactions(engine);
    describeSchema(engine);
    describeAssociations(engine);
    describeLimits(engine);
    describePrimary(engine);
    describeRequired(engine);
    describeHistory(engine);
    describeMerge(engine);
    describeCalculated(engine);
    describePipelines(engine);
    describeCommerce(engine);
    describeSegments(engine);
    describeBulkActions(engine);
  });
}
