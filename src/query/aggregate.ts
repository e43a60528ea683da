// Reports (crm.records.aggregate): a request (shape checked at the facade,
// arguments/aggregate.ts) checked against the schema and turned into a storage plan
// (storage/plan.ts AggregatePlan), and storage's buckets turned into the public answer: keys as
// text, the largest buckets first. The CRM's rules stop here: storage knows no primary company,
// only "the companies associated under the label 'primary'". docs/reports.md has the meanings.
import type { AggregateInput } from '../arguments/aggregate.js';
import { describeValue, type IssuePath } from '../errors.js';
import type { ObjectModel } from '../schema/model.js';
import { compareText, foldCase } from '../storage/evaluate.js';
import type { AggregateAnswer, AggregatePlan, PlanDimension, PlanValue } from '../storage/plan.js';
import type { AggregateBucket, AggregateDimension, AggregateResult } from '../types.js';
import { groupsPredicate, propertyNamed, type Planning } from './filters.js';

/** The type a primary company is of, and the label that marks it (associations/primary.ts's rule, as storage sees it). */
const COMPANIES = 'companies';
const PRIMARY = 'primary';

/**
 * The key of a record with no value on a dimension (no value stored is ever the empty string:
 * writes store a cleared or empty value as none).
 *
 * @example
 * NO_VALUE; // ''
 */
export const NO_VALUE = '';

/**
 * The key of records whose associations on a labels dimension carry no label.
 *
 * @example
 * UNLABELLED; // 'unlabelled'
 */
export const UNLABELLED = 'unlabelled';

/**
 * Checks an aggregate request against `model` and plans it: VALIDATION_ERROR listing every
 * problem (unknown or archived properties, types that never associate, a primary company where
 * the type has none, a sum of a property that is not a number, the filter's problems), each
 * named by its place in the request.
 *
 * @example
 * const plan = planAggregate(planning, deals, parseAggregateRequest({ groupBy: { property: 'dealstage' }, sum: 'amount' }));
 */
export function planAggregate(planning: Planning, model: ObjectModel, input: AggregateInput): AggregatePlan {
  const where = groupsPredicate(planning, model, input.filterGroups, ['request', 'filter', 'filterGroups']);
  const dimensions: PlanDimension[] = [];
  input.dimensions.forEach((dimension, at) => {
    const planned = planDimension(planning, model, dimension, input.listed ? ['request', 'groupBy', at] : ['request', 'groupBy']);
    if (planned !== undefined) dimensions.push(planned);
  });
  let sum: AggregatePlan['sum'];
  if (input.sum !== undefined) {
    const path = ['request', 'sum'];
    const property = propertyNamed(planning, model, input.sum, path);
    if (property !== undefined && (property.type !== 'number' || property.multiple)) {
      planning.issues.add({ code: 'INVALID_ARGUMENT', property: property.name, path, message: `request.sum: ${property.name} is not a number property, and only numbers sum` });
    } else sum = property;
  }
  if (planning.issues.length > 0) throw planning.issues.error('aggregate');
  return {
    objectType: model.name,
    ...(where !== undefined ? { where } : {}),
    dimensions: dimensions as [PlanDimension] | [PlanDimension, PlanDimension],
    ...(sum !== undefined ? { sum } : {}),
  };
}

/** One dimension as storage counts by it, or an issue and `undefined`. */
function planDimension(planning: Planning, model: ObjectModel, dimension: AggregateDimension, path: IssuePath): PlanDimension | undefined {
  if ('property' in dimension) {
    const property = propertyNamed(planning, model, dimension.property, [...path, 'property']);
    return property && { kind: 'property', property };
  }
  if ('associationLabel' in dimension) {
    const at = [...path, 'associationLabel', 'toType'];
    const { toType } = dimension.associationLabel;
    const other = planning.schema.find(toType);
    if (!other) {
      planning.issues.add({ code: 'INVALID_ARGUMENT', path: at, message: `${at.join('.')}: no object type ${describeValue(toType)}` });
      return undefined;
    }
    if (planning.pairs(model.name, other.name) === undefined) {
      planning.issues.add({ code: 'INVALID_ARGUMENT', path: at, message: `${at.join('.')}: ${model.name} and ${other.name} never associate` });
      return undefined;
    }
    return { kind: 'labels', toType: other.name };
  }
  const at = [...path, 'primaryCompany'];
  const companies = planning.schema.find(COMPANIES);
  if (companies === undefined || planning.pairs(model.name, companies.name)?.has(PRIMARY) !== true) {
    planning.issues.add({ code: 'INVALID_ARGUMENT', path: at, message: `${at.join('.')}: ${model.name} records have no primary company` });
    if (companies === undefined) return undefined;
    // The property is checked all the same: every problem at once.
  }
  const property = propertyNamed(planning, companies, dimension.primaryCompany.property, [...at, 'property']);
  return property && { kind: 'via', toType: companies.name, label: PRIMARY, property };
}

/** A storage key as the public answer shows it. */
function shown(kind: PlanDimension['kind'], key: PlanValue | null): string {
  if (key === null) return kind === 'labels' ? UNLABELLED : NO_VALUE;
  return String(key);
}

/**
 * A text dimension's least spelling of each folded value over every bucket (storage gives each
 * bucket its own records' least), so one value reads the same in every bucket of a report with
 * two dimensions.
 */
function leastSpellings(answer: AggregateAnswer, at: number): Map<string, string> {
  const least = new Map<string, string>();
  for (const bucket of answer.buckets) {
    const key = bucket.keys[at];
    if (typeof key !== 'string') continue;
    const folded = foldCase(key);
    const held = least.get(folded);
    if (held === undefined || compareText(key, held) < 0) least.set(folded, key);
  }
  return least;
}

/** Keys in code-point order, the empty key (no value) after every other. */
function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let at = 0; at < a.length; at++) {
    const x = a[at]!;
    const y = b[at]!;
    if (x === y) continue;
    if (x === NO_VALUE || y === NO_VALUE) return x === NO_VALUE ? 1 : -1;
    return compareText(x, y);
  }
  return 0;
}

/**
 * Storage's buckets as the public answer: keys as text (numbers as JavaScript writes them,
 * booleans 'true'/'false', no value '' or, on a labels dimension, 'unlabelled'), the largest
 * bucket first, ties by their keys.
 *
 * @example
 * formatBuckets(plan, { buckets: [{ keys: [null], count: 1 }, { keys: ['lead'], count: 3 }] });
 * // { buckets: [{ key: 'lead', keys: ['lead'], count: 3 }, { key: '', keys: [''], count: 1 }] }
 */
export function formatBuckets(plan: AggregatePlan, answer: AggregateAnswer): AggregateResult {
  const kinds = plan.dimensions.map((dimension) => dimension.kind);
  const spellings = plan.dimensions.map((dimension, at) => (dimension.kind !== 'labels' && dimension.property.type === 'string' ? leastSpellings(answer, at) : undefined));
  const buckets: AggregateBucket[] = answer.buckets.map((bucket) => {
    const keys = kinds.map((kind, at) => {
      const key = bucket.keys[at] ?? null;
      return shown(kind, typeof key === 'string' ? (spellings[at]?.get(foldCase(key)) ?? key) : key);
    });
    return { key: keys[0]!, keys, count: bucket.count, ...(plan.sum !== undefined ? { sum: bucket.sum ?? 0 } : {}) };
  });
  buckets.sort((a, b) => b.count - a.count || compareKeys(a.keys, b.keys));
  return { buckets };
}
