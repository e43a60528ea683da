// Search plans: what the query layer (src/query/) hands storage once it has checked a search
// against the schema. A plan names properties with their value type, so storage compares each
// as its type says without knowing the schema, and it is closed: every value is already in the
// form records store it (numbers, 'YYYY-MM-DD', ISO datetimes), strings already case-folded.
// ./evaluate.ts defines every plan's answer; adapters must agree with it (the conformance suite
// checks), and may fall back to it.
import type { StoredRecord } from './types.js';

/**
 * How storage compares a property's stored values:
 * - `string`: case-insensitively ({@link foldCase} of both sides), ordered by code point;
 * - `enumeration`: exactly, ordered by code point;
 * - `number`: numerically; `bool`: false before true;
 * - `date` ('YYYY-MM-DD') and `datetime` (ISO-8601 UTC, as `Date#toISOString` writes it): by
 *   time, which for these forms is the order of the text.
 *
 * @example
 * const type: PlanValueType = 'number';
 */
export type PlanValueType = 'string' | 'enumeration' | 'number' | 'bool' | 'date' | 'datetime';

/**
 * A property as a plan names it. `multiple`: the record holds an array of values (a
 * multi-select), and a comparison matches when any of them does. `indexed`: the schema asks for
 * an index on it (`indexed`, unique and system properties), a hint an adapter may use.
 *
 * @example
 * const amount: PlanProperty = { name: 'amount', type: 'number', multiple: false, indexed: false };
 */
export interface PlanProperty {
  readonly name: string;
  readonly type: PlanValueType;
  readonly multiple: boolean;
  readonly indexed: boolean;
  /**
   * Set when the property always holds one of the record's own fields (`id`: hs_object_id is the
   * record's id; `createdAt`: the create date is the record's creation time, in the same text):
   * an adapter that keeps that field in a column of its own may read and index the column
   * instead of the property.
   */
  readonly column?: 'id' | 'createdAt';
}

/**
 * A value in a plan, in the stored form of the property's type (strings of `string` properties
 * already folded with {@link foldCase}).
 *
 * @example
 * const value: PlanValue = '2026-01-31';
 */
export type PlanValue = string | number | boolean;

/**
 * A condition on one record; a plan's `where` combines them. Missing values never compare: a
 * record without `amount` matches neither `amount < 5` nor `amount >= 5`, and `not` is the exact
 * complement among live records (so `not(eq)` matches records without a value).
 *
 * - `and` / `or`: all / any of `of` (an empty `and` is true, an empty `or` false);
 * - `compare`: the property's value against `value` (`eq`, `lt`, `lte`, `gt`, `gte`);
 * - `in`: the value equals one of `values`;
 * - `present`: the record has a value;
 * - `tokens`: some word token of the value matches `pattern` ({@link tokensOf}, {@link tokenMatches});
 * - `association`: the record's live associations to live `toType` records (only those labelled
 *   with one of `labels`, seen from the record, when given; only the record `id` when given):
 *   `any` — at least one such record matches `where`; `all` — there is at least one and every
 *   one matches `where`. Without `where` every associated record matches;
 * - `member`: the record is in the static list `list` (storage's `addToList`; a static segment's
 *   members).
 *
 * @example
 * const where: Predicate = { kind: 'and', of: [
 *   { kind: 'compare', property: amount, op: 'gte', value: 1000 },
 *   { kind: 'association', toType: 'companies', labels: ['primary'], match: 'any',
 *     where: { kind: 'compare', property: industry, op: 'eq', value: 'COMPUTER_SOFTWARE' } },
 * ] };
 */
export type Predicate =
  | { readonly kind: 'and'; readonly of: readonly Predicate[] }
  | { readonly kind: 'or'; readonly of: readonly Predicate[] }
  | { readonly kind: 'not'; readonly of: Predicate }
  | { readonly kind: 'compare'; readonly property: PlanProperty; readonly op: CompareOp; readonly value: PlanValue }
  | { readonly kind: 'in'; readonly property: PlanProperty; readonly values: readonly PlanValue[] }
  | { readonly kind: 'present'; readonly property: PlanProperty }
  | { readonly kind: 'tokens'; readonly property: PlanProperty; readonly pattern: string }
  | { readonly kind: 'member'; readonly list: string }
  | AssociationPredicate;

/**
 * The association condition of a {@link Predicate}.
 *
 * @example
 * const decisionMakers: AssociationPredicate = { kind: 'association', toType: 'contacts', labels: ['decision_maker'], match: 'any' };
 */
export interface AssociationPredicate {
  readonly kind: 'association';
  readonly toType: string;
  readonly labels?: readonly string[];
  readonly id?: string;
  readonly match: 'any' | 'all';
  readonly where?: Predicate;
}

/** The comparisons of a `compare` predicate. */
export type CompareOp = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

/**
 * One sort key. Records without a value come after those with one, in either direction; ties
 * after every key are broken by record id (ascending, by code point).
 *
 * @example
 * const newestFirst: PlanSort = { property: createdate, direction: 'desc' };
 */
export interface PlanSort {
  readonly property: PlanProperty;
  readonly direction: 'asc' | 'desc';
}

/**
 * Where a page resumes: after the record whose sort values (one per sort key, `null` for a
 * missing value, strings folded as the sort compares them) and id are these.
 *
 * @example
 * const position: PlanPosition = { values: [1500, null], id: 'd7' };
 */
export interface PlanPosition {
  readonly values: readonly (PlanValue | null)[];
  readonly id: string;
}

/**
 * A search, ready for storage: the live records of `objectType` that match `where` (all of them
 * without one), in `sorts` order, the first `limit` after `after`, and how many match in all
 * when `total` is set. `limit` may be 0 (a count).
 *
 * @example
 * const plan: SearchPlan = { objectType: 'deals', where, sorts: [{ property: amount, direction: 'desc' }], limit: 100, total: true };
 */
export interface SearchPlan {
  readonly objectType: string;
  readonly where?: Predicate;
  readonly sorts: readonly PlanSort[];
  readonly after?: PlanPosition;
  readonly limit: number;
  readonly total: boolean;
}

/**
 * A storage's answer to a {@link SearchPlan}: at most `limit` records in order, whether more
 * follow, and the total when the plan asked for it.
 *
 * @example
 * const page: SearchPage = { records, more: true, total: 5120 };
 */
export interface SearchPage {
  records: StoredRecord[];
  more: boolean;
  total?: number;
}

/**
 * How a storage runs (or would run) a plan, for `crm.records.explain`: `strategy` names the way
 * (`'index'`, `'scan'`, `'sql'` or an adapter's own word); `index` the index used; on SQL
 * storage `statement` and the database's own `plan`. Open: adapters add what helps their users.
 *
 * @example
 * const explanation: SearchExplanation = { storage: 'memory', strategy: 'index', index: 'contacts.email' };
 */
export interface SearchExplanation {
  storage: string;
  strategy: string;
  index?: string;
  statement?: string;
  plan?: unknown;
  [detail: string]: unknown;
}

/**
 * One dimension of an {@link AggregatePlan}: what a record is counted under.
 *
 * - `property`: the record's value of `property`, each distinct value of a multi-valued one;
 *   `null` when it has none.
 * - `labels`: the distinct labels (seen from the record) of its live edges to live `toType`
 *   records; `null` when it has such edges but none carries a label. A record with no live
 *   edge to a live `toType` record is not counted at all (the dimension is a join).
 * - `via`: the distinct values of `property` on the live `toType` records associated with the
 *   record under `label` (seen from the record); `null` when there is none, or none of them has
 *   a value.
 *
 * Values of a `string` property are grouped by their folded form ({@link foldCase}); a bucket
 * shows the least of its records' stored spellings by code point. Other types group by their
 * stored value as it is.
 *
 * @example
 * const byStage: PlanDimension = { kind: 'property', property: dealstage };
 * const byRole: PlanDimension = { kind: 'labels', toType: 'deals' };
 * const byCompanyIndustry: PlanDimension = { kind: 'via', toType: 'companies', label: 'primary', property: industry };
 */
export type PlanDimension =
  | { readonly kind: 'property'; readonly property: PlanProperty }
  | { readonly kind: 'labels'; readonly toType: string }
  | { readonly kind: 'via'; readonly toType: string; readonly label: string; readonly property: PlanProperty };

/**
 * An aggregate, ready for storage: the live records of `objectType` that match `where` (all of
 * them without one), counted in buckets by one or two {@link PlanDimension}s. A record counts
 * once in each combination of its keys (none when a `labels` dimension gives it no key). With
 * `sum`, each bucket also sums the records' values of that number property: each record once
 * per bucket, records without a number value adding nothing. The sum is exact: the nearest
 * number to the true sum of the values as JavaScript writes them (so 0.1 + 0.2 is 0.3; see
 * {@link ExactSum}).
 *
 * @example
 * const plan: AggregatePlan = { objectType: 'deals', dimensions: [{ kind: 'property', property: dealstage }], sum: amount };
 */
export interface AggregatePlan {
  readonly objectType: string;
  readonly where?: Predicate;
  readonly dimensions: readonly [PlanDimension] | readonly [PlanDimension, PlanDimension];
  readonly sum?: PlanProperty;
}

/**
 * One bucket of an {@link AggregateAnswer}: its key on each dimension (`null`: no value, or for
 * `labels` no label), how many records it holds, and with a plan's `sum` their sum (0 when none
 * of them has a value).
 *
 * @example
 * const bucket: PlanBucket = { keys: ['closedwon'], count: 12, sum: 48_000 };
 */
export interface PlanBucket {
  keys: (PlanValue | null)[];
  count: number;
  sum?: number;
}

/**
 * A storage's answer to an {@link AggregatePlan}: every non-empty bucket once, in any order.
 *
 * @example
 * const answer: AggregateAnswer = { buckets: [{ keys: ['lead'], count: 3 }, { keys: [null], count: 1 }] };
 */
export interface AggregateAnswer {
  buckets: PlanBucket[];
}
