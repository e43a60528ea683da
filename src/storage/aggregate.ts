// The reference evaluator of aggregate plans (./plan.ts AggregatePlan): `bucketsOf` says what a
// plan's buckets are, given the records that match it and a graph to follow their associations;
// `evaluateAggregate` answers a plan from any storage's primitives, as `evaluateSearch` answers a
// search. The memory adapter runs `bucketsOf` over its own maps; the SQL core compiles plans to
// one GROUP BY statement that must agree with it (the conformance suite checks).
import { compareText, foldCase, liveRecords, matches, SnapshotGraph, type PlanGraph } from './evaluate.js';
import type { AggregateAnswer, AggregatePlan, PlanBucket, PlanDimension, PlanProperty, PlanValue, Predicate } from './plan.js';
import type { StorageTx, StoredRecord } from './types.js';

/** A number as JavaScript writes it: sign, digits, a fraction, an exponent. */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * An exact sum of numbers: the sum of their decimal forms as JavaScript writes them (`String(n)`,
 * which is also how JSON stores them), kept as a big integer and a power of ten, rounded to the
 * nearest number once, when read. So it does not depend on the order of the additions, and sums
 * money as people do: 0.1 + 0.2 is 0.3, where floating-point addition gives 0.30000000000000004.
 * PostgreSQL's `numeric` sums JSON numbers the same way; SQLite adapters call it from a registered
 * aggregate function.
 *
 * @example
 * const total = new ExactSum();
 * for (const amount of [0.1, 0.2]) total.add(amount);
 * total.value(); // 0.3
 */
export class ExactSum {
  private coefficient = 0n;
  private exponent = 0;

  /** Adds a finite number (anything else is ignored). */
  add(value: number): void {
    if (!Number.isFinite(value) || value === 0) return;
    const [, sign, whole, fraction = '', power = '0'] = DECIMAL.exec(String(value))!;
    let coefficient = BigInt(`${sign}${whole}${fraction}`);
    const exponent = Number(power) - fraction.length;
    if (exponent > this.exponent) coefficient *= 10n ** BigInt(exponent - this.exponent);
    else if (exponent < this.exponent) {
      this.coefficient *= 10n ** BigInt(this.exponent - exponent);
      this.exponent = exponent;
    }
    this.coefficient += coefficient;
  }

  /** The number nearest to the exact sum (0 for none). */
  value(): number {
    return this.coefficient === 0n ? 0 : Number(`${this.coefficient}e${this.exponent}`);
  }
}

/** One key of a record on a dimension: what it groups by, and what the bucket shows. */
interface Key {
  readonly group: PlanValue | null;
  readonly shown: PlanValue | null;
}

const NONE: Key = { group: null, shown: null };

/** A stored value's key: folded for a `string` property (shown as stored), the value itself otherwise. */
function keyOf(property: PlanProperty, value: PlanValue): Key {
  return property.type === 'string' ? { group: foldCase(String(value)), shown: String(value) } : { group: value, shown: value };
}

/** Adds the record's values of `property` to `keys` (by group, keeping the least spelling). */
function addValues(keys: Map<PlanValue | null, Key>, record: StoredRecord, property: PlanProperty): void {
  const stored = record.properties[property.name];
  if (stored === undefined || stored === null) return;
  for (const value of Array.isArray(stored) ? stored : [stored]) {
    if (value === undefined || value === null) continue;
    addKey(keys, keyOf(property, value as PlanValue));
  }
}

function addKey(keys: Map<PlanValue | null, Key>, key: Key): void {
  const held = keys.get(key.group);
  if (held === undefined || (typeof key.shown === 'string' && compareText(key.shown, held.shown as string) < 0)) keys.set(key.group, key);
}

/** The live `toType` records at the ends of the record's live edges under `label`. */
function associated(graph: PlanGraph, record: StoredRecord, toType: string, label: string): StoredRecord[] {
  const others: StoredRecord[] = [];
  for (const edge of graph.edges(record.objectType, record.id, toType)) {
    if (edge.archived || !edge.labels.includes(label)) continue;
    const other = graph.record(toType, edge.toId);
    if (other !== undefined && !other.archived) others.push(other);
  }
  return others;
}

/**
 * A record's keys on one dimension (./plan.ts PlanDimension): none means the record is not
 * counted (a `labels` dimension with no live association).
 */
function dimensionKeys(graph: PlanGraph, record: StoredRecord, dimension: PlanDimension): Key[] {
  const keys = new Map<PlanValue | null, Key>();
  switch (dimension.kind) {
    case 'property':
      addValues(keys, record, dimension.property);
      return keys.size === 0 ? [NONE] : [...keys.values()];
    case 'labels': {
      let associations = 0;
      // Labels need no record at the other end: a live edge joins two live records (storage sets
      // StoredEdge.archived while either is archived), and reading 200,000 other ends was most
      // of a report's time.
      for (const edge of graph.edges(record.objectType, record.id, dimension.toType)) {
        if (edge.archived) continue;
        associations++;
        for (const label of edge.labels) addKey(keys, { group: label, shown: label });
      }
      if (associations === 0) return [];
      return keys.size === 0 ? [NONE] : [...keys.values()];
    }
    case 'via':
      for (const other of associated(graph, record, dimension.toType, dimension.label)) addValues(keys, other, dimension.property);
      return keys.size === 0 ? [NONE] : [...keys.values()];
  }
}

/** A bucket being filled. */
interface Filling {
  readonly shown: (PlanValue | null)[];
  count: number;
  readonly sum: ExactSum | undefined;
}

/**
 * The buckets of a plan (./plan.ts AggregatePlan), given the live records that match it and a
 * graph that follows their associations: each record counted once under each combination of its
 * keys, its value summed once per bucket. Shared by the reference evaluator and the memory
 * adapter. Buckets come in the order they were first filled.
 *
 * @example
 * const { buckets } = bucketsOf(plan, graph, matching); // [{ keys: ['closedwon'], count: 2, sum: 1500 }]
 */
export function bucketsOf(plan: AggregatePlan, graph: PlanGraph, records: Iterable<StoredRecord>): AggregateAnswer {
  const filled = new Map<string, Filling>();
  const { dimensions, sum } = plan;
  for (const record of records) {
    let combinations: Key[][] = [[]];
    for (const dimension of dimensions) {
      const keys = dimensionKeys(graph, record, dimension);
      combinations = combinations.flatMap((before) => keys.map((key) => [...before, key]));
    }
    const value = sum === undefined ? undefined : record.properties[sum.name];
    for (const keys of combinations) {
      const name = JSON.stringify(keys.map((key) => key.group));
      let bucket = filled.get(name);
      if (bucket === undefined) filled.set(name, (bucket = { shown: keys.map((key) => key.shown), count: 0, sum: sum === undefined ? undefined : new ExactSum() }));
      else {
        // The least spelling of a folded value among the bucket's records.
        keys.forEach((key, at) => {
          const held = bucket!.shown[at];
          if (typeof key.shown === 'string' && typeof held === 'string' && compareText(key.shown, held) < 0) bucket!.shown[at] = key.shown;
        });
      }
      bucket.count++;
      if (typeof value === 'number') bucket.sum!.add(value);
    }
  }
  const buckets: PlanBucket[] = [];
  for (const bucket of filled.values()) buckets.push({ keys: bucket.shown, count: bucket.count, ...(bucket.sum !== undefined ? { sum: bucket.sum.value() } : {}) });
  return { buckets };
}

/** The association predicates whose reads load the edges and records a plan's dimensions follow. */
function dimensionReads(plan: AggregatePlan): Predicate | undefined {
  const follows: Predicate[] = plan.dimensions.flatMap((dimension): Predicate[] => (dimension.kind === 'property' ? [] : [{ kind: 'association', toType: dimension.toType, match: 'any' }]));
  if (plan.where !== undefined) follows.push(plan.where);
  return follows.length === 0 ? undefined : { kind: 'and', of: follows };
}

/**
 * Answers an aggregate plan from a storage's primitives alone (`scanRecords`, `getEdges`,
 * `getRecords`): reads every live record of the type, the associations the plan's filter and
 * dimensions follow, and counts in memory. It defines what every adapter's `aggregateRecords`
 * must answer, and is the engine's fallback for an adapter without one.
 *
 * @example
 * import { evaluateAggregate } from 'crmkit/storage';
 * const { buckets } = await evaluateAggregate(tx, plan);
 */
export async function evaluateAggregate(tx: StorageTx, plan: AggregatePlan): Promise<AggregateAnswer> {
  const records = await liveRecords(tx, plan.objectType);
  const graph = new SnapshotGraph();
  for (const record of records) graph.add(record);
  await graph.load(tx, plan.objectType, records, dimensionReads(plan));
  const matching = plan.where === undefined ? records : records.filter((record) => matches(graph, record, plan.where!));
  return bucketsOf(plan, graph, matching);
}

/**
 * Runs an aggregate plan on a storage: its own `aggregateRecords` when it has one, else
 * {@link evaluateAggregate}.
 *
 * @example
 * const { buckets } = await runAggregate(tx, plan);
 */
export function runAggregate(tx: StorageTx, plan: AggregatePlan): Promise<AggregateAnswer> | AggregateAnswer {
  return tx.aggregateRecords ? tx.aggregateRecords(plan) : evaluateAggregate(tx, plan);
}
