// crm.records.search, count, explain and aggregate: plan the request (./plan.ts, ./aggregate.ts), hand the plan to
// storage (its own `searchRecords`, or the reference evaluator over its primitives), and shape
// the answer: records with only the properties asked for, and a sealed cursor holding the last
// record's sort position, so the next page resumes after it however the records change.
import { IssueList, validationError } from '../errors.js';
import type { AggregateInput } from '../arguments/aggregate.js';
import type { SearchInput } from '../arguments/search.js';
import { decodeCursor, encodeCursor } from '../kernel/paging.js';
import { sha256 } from '../kernel/sha256.js';
import { shown } from '../schema/lookup.js';
import type { ObjectModel } from '../schema/model.js';
import type { TxContext } from '../schema/transaction.js';
import { runAggregate } from '../storage/aggregate.js';
import { positionOf, runSearch } from '../storage/evaluate.js';
import type { SearchExplanation, SearchPlan } from '../storage/plan.js';
import type { AggregateResult, FilterGroup, SearchResult } from '../types.js';
import { formatBuckets, planAggregate } from './aggregate.js';
import type { PairLookup, Planning } from './filters.js';
import { planFilter, planSearch, readPositionValues, STRICT_CAPS, type SearchResume } from './plan.js';

/**
 * The planning context of one call; `within`: the active segments whose filter is being saved
 * (a filter naming one of them would make it contain itself).
 *
 * @example
 * const where = planFilter(planning(ctx, pairs), model, groups);
 */
export function planning(ctx: TxContext, pairs: PairLookup, within?: readonly string[]): Planning {
  return { schema: ctx.schema, now: () => new Date(ctx.now()), pairs, issues: new IssueList(), ...(within !== undefined ? { within } : {}) };
}

const utf8 = new TextEncoder();
/** Each byte's two hex digits. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The digests of the requests searched lately, by their text: a search is most often repeated
 * (the next page, a poll, the same query from a test), and hashing it again cost as much as
 * running it on a small page. Bounded, and emptied whole when full (a hit is a pure speed-up);
 * a long request (a filter listing thousands of values) is hashed each time rather than kept.
 */
const scopeDigests = new Map<string, string>();
const MAX_SCOPE_DIGESTS = 256;
const MAX_KEPT_REQUEST = 2_048;

/** What a search cursor is sealed to: this object type and these filters, query and sorts. */
function searchScope(model: ObjectModel, input: SearchInput): string {
  const request = JSON.stringify([input.filterGroups ?? null, input.query ?? null, input.sorts]);
  const cached = `${model.name}\u0000${request}`;
  let scope = scopeDigests.get(cached);
  if (scope === undefined) {
    const digest = sha256(utf8.encode(request));
    let hex = '';
    for (let i = 0; i < 16; i++) hex += HEX[digest[i]!];
    scope = `search\u0000${model.name}\u0000${hex}`;
    if (cached.length <= MAX_KEPT_REQUEST) {
      if (scopeDigests.size >= MAX_SCOPE_DIGESTS) scopeDigests.clear();
      scopeDigests.set(cached, scope);
    }
  }
  return scope;
}

/** The position inside a search cursor, or VALIDATION_ERROR (INVALID_CURSOR). */
function readResume(ctx: TxContext, scope: string, after: string): SearchResume {
  const text = decodeCursor(ctx.engine.cursors, scope, after);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const [values, id, offset] = Array.isArray(parsed) ? parsed : [];
  const checked = readPositionValues(values);
  if (checked === undefined || typeof id !== 'string' || typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw validationError([{ code: 'INVALID_CURSOR', property: 'after', message: 'the cursor is not a search position' }]);
  }
  return { position: { values: checked, id }, offset };
}

/**
 * `crm.records.search`: one page of the live records matching the request, with the total.
 *
 * @example
 * await searchRecords(ctx, 'deals', parseSearchRequest(request), pairs);
 */
export async function searchRecords(ctx: TxContext, objectType: string, input: SearchInput, pairs: PairLookup): Promise<SearchResult> {
  const { strict } = ctx.options;
  const model = ctx.schema.object(objectType);
  const scope = searchScope(model, input);
  const resume = input.after === undefined ? undefined : readResume(ctx, scope, input.after);
  const { plan, projection, offset } = planSearch(planning(ctx, pairs), model, input, { strict, ...(resume !== undefined ? { resume } : {}) });
  const page = await runSearch(ctx.tx, plan);
  const results = page.records.map((record) => shown(model, record, projection));
  const total = page.total ?? 0;
  const last = page.records[page.records.length - 1];
  const served = offset + page.records.length;
  if (!page.more || last === undefined || (strict && served >= STRICT_CAPS.results)) return { total, results };
  const position = positionOf(last, plan.sorts);
  const after = encodeCursor(ctx.engine.cursors, scope, JSON.stringify([position.values, position.id, served]));
  return { total, results, paging: { next: { after } } };
}

/**
 * `crm.records.count`: how many live records match the filter groups (all of them without).
 *
 * @example
 * await countRecords(ctx, 'contacts', undefined, pairs); // 12034
 */
export async function countRecords(ctx: TxContext, objectType: string, groups: readonly FilterGroup[] | undefined, pairs: PairLookup): Promise<number> {
  const model = ctx.schema.object(objectType);
  const where = planFilter(planning(ctx, pairs), model, groups);
  const page = await runSearch(ctx.tx, { objectType: model.name, ...(where !== undefined ? { where } : {}), sorts: [], limit: 0, total: true });
  return page.total ?? 0;
}

/**
 * `crm.records.explain`: the plan a search becomes and how the storage runs it.
 *
 * @example
 * const { strategy, plan } = await explainSearch(ctx, 'contacts', input, pairs);
 */
export async function explainSearch(
  ctx: TxContext,
  objectType: string,
  input: SearchInput,
  pairs: PairLookup,
): Promise<SearchExplanation & { request: SearchPlan }> {
  const { strict } = ctx.options;
  const model = ctx.schema.object(objectType);
  const scope = searchScope(model, input);
  const resume = input.after === undefined ? undefined : readResume(ctx, scope, input.after);
  const { plan } = planSearch(planning(ctx, pairs), model, input, { strict, ...(resume !== undefined ? { resume } : {}) });
  const explanation: SearchExplanation = ctx.tx.explainSearch
    ? await ctx.tx.explainSearch(plan)
    : { storage: 'reference', strategy: 'scan', note: 'this storage has no searchRecords: every live record of the type is read and matched in memory' };
  return { ...explanation, request: plan };
}

/**
 * `crm.records.aggregate`: the live records matching the filter, counted (and summed) by one or
 * two dimensions, in the storage (its own `aggregateRecords`, or the reference evaluator).
 *
 * @example
 * await aggregateRecords(ctx, 'deals', parseAggregateRequest({ groupBy: { property: 'dealstage' } }), pairs);
 */
export async function aggregateRecords(ctx: TxContext, objectType: string, input: AggregateInput, pairs: PairLookup): Promise<AggregateResult> {
  const model = ctx.schema.object(objectType);
  const plan = planAggregate(planning(ctx, pairs), model, input);
  return formatBuckets(plan, await runAggregate(ctx.tx, plan));
}
