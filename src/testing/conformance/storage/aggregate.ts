// Aggregate plans: for random records and associations written through the primitives (the
// worlds of ./search.ts), and random plans over them (a filter, one or two dimensions of every
// kind, a sum), the storage's `aggregateRecords` answers exactly the buckets the reference
// evaluator (`evaluateAggregate`) answers. The expected buckets are computed a third way too,
// from the records and edges the test wrote (never read back), so an adapter without
// `aggregateRecords` is still checked: the evaluator over its scans, edges and reads must agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketsOf, evaluateAggregate, matches, type AggregateAnswer, type AggregatePlan, type PlanBucket, type PlanDimension, type PlanProperty } from 'crmkit/storage';
import { read, write, type Factory } from './fixtures.js';
import { ALL, LABELS, PAIRS, PREDICATES, PROPERTIES, TYPES, worldArb, worldOf, writeWorld, type TypeName, type World, type WorldSpec } from './search.js';

/** `npm run fuzz` multiplies the runs (CRMKIT_FUZZ_SCALE); a plain run stays within CI's budget on every storage. */
const SCALE = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CRMKIT_FUZZ_SCALE ?? 1);

/** An association's labels seen from one end: none a third of the time, 'primary' another third. */
const someLabels: fc.Arbitrary<string[]> = fc.oneof(fc.constant<string[]>([]), fc.constant<string[]>(['primary']), fc.subarray(LABELS, { maxLength: 2 }));

/**
 * Search's worlds with more associations among a few records of each type, a third of them
 * carrying no label: records with several associations to one type, labelled and unlabelled
 * side by side (the `unlabelled` rule), are then common.
 */
const aggregateWorldArb: fc.Arbitrary<WorldSpec> = fc
  .tuple(
    worldArb,
    fc.array(
      fc.record({
        pair: fc.constantFrom(...PAIRS),
        from: fc.nat({ max: 2 }),
        to: fc.nat({ max: 5 }),
        labels: someLabels,
        inverseLabels: someLabels,
        reversed: fc.boolean(),
      }),
      { minLength: 5, maxLength: 30 },
    ),
  )
  .map(([spec, more]) => ({ ...spec, edges: [...spec.edges, ...more] }));

/** The types `type` associates with (either direction). */
const partners = (type: TypeName): TypeName[] => [...new Set(PAIRS.flatMap(([a, b]) => (a === type ? [b] : b === type ? [a] : [])))];

/** A dimension on `type`'s records: a property, the labels of its associations to a partner, or a partner's property under a label. */
function dimensionArb(type: TypeName): fc.Arbitrary<PlanDimension> {
  const property = fc.constantFrom<PlanProperty>(...ALL);
  return fc.oneof(
    { arbitrary: property.map((one): PlanDimension => ({ kind: 'property', property: one })), weight: 3 },
    { arbitrary: fc.constantFrom(...partners(type)).map((toType): PlanDimension => ({ kind: 'labels', toType })), weight: 2 },
    {
      // Mostly 'primary', which the denser associations carry most.
      arbitrary: fc
        .record({ toType: fc.constantFrom(...partners(type)), label: fc.oneof({ arbitrary: fc.constant('primary'), weight: 2 }, { arbitrary: fc.constantFrom(...LABELS), weight: 1 }), property })
        .map((parts): PlanDimension => ({ kind: 'via', ...parts })),
      weight: 2,
    },
  );
}

const planArb: fc.Arbitrary<AggregatePlan> = fc.constantFrom(...TYPES).chain((objectType) =>
  fc
    .record(
      {
        where: fc.option(PREDICATES.get(objectType)!, { nil: undefined, freq: 3 }),
        dimensions: fc.oneof(dimensionArb(objectType).map((one) => [one] as const), fc.tuple(dimensionArb(objectType), dimensionArb(objectType))),
        sum: fc.constantFrom(PROPERTIES.amount, PROPERTIES.score),
      },
      { requiredKeys: ['dimensions'] },
    )
    .map(({ where, dimensions, sum }): AggregatePlan => ({ objectType, dimensions, ...(where !== undefined ? { where } : {}), ...(sum !== undefined ? { sum } : {}) })),
);

/** The buckets a plan describes, computed from the world as written. */
function expectedBuckets(world: World, plan: AggregatePlan): AggregateAnswer {
  const live = world.records.get(plan.objectType)!.filter((one) => !one.archived);
  const matching = plan.where === undefined ? live : live.filter((one) => matches(world.graph, one, plan.where!));
  return bucketsOf(plan, world.graph, matching);
}

/** Buckets in one order (storages answer in any), each with the fields a plan asks for. */
function comparable(answer: AggregateAnswer, plan: AggregatePlan): PlanBucket[] {
  return answer.buckets
    .map((bucket) => ({ keys: bucket.keys, count: bucket.count, ...(plan.sum !== undefined ? { sum: bucket.sum } : {}) }))
    .sort((a, b) => (JSON.stringify(a.keys) < JSON.stringify(b.keys) ? -1 : 1));
}

const label = (plan: AggregatePlan): string => JSON.stringify(plan);

/**
 * Declares the storage contract's differential tests of aggregate plans, on storages made by `factory`.
 *
 * @example
 * describeAggregate(() => memoryStorage());
 */
export function describeAggregate(factory: Factory): void {
  describe('aggregate plans (aggregateRecords)', () => {
    it('answers every plan with the reference evaluator\'s buckets: the same keys (text folded, its least spelling shown), counts and exact sums', async () => {
      await fc.assert(
        fc.asyncProperty(aggregateWorldArb, fc.array(planArb, { minLength: 1, maxLength: 6 }), async (spec, plans) => {
          const world = worldOf(spec);
          const storage = await factory();
          try {
            await write(storage, async (tx) => writeWorld(tx, world));
            await read(storage, async (tx) => {
              for (const plan of plans) {
                const expected = comparable(expectedBuckets(world, plan), plan);
                // The evaluator over this storage's scans, edges and reads sees what was written…
                const reference = comparable(await evaluateAggregate(tx, plan), plan);
                expect(reference, `evaluateAggregate ${label(plan)}`).toEqual(expected);
                // …and the storage's own aggregate agrees with it.
                if (tx.aggregateRecords) expect(comparable(await tx.aggregateRecords(plan), plan), `aggregateRecords ${label(plan)}`).toEqual(reference);
              }
            });
          } finally {
            await storage.close();
          }
        }),
        { numRuns: 40 * SCALE },
      );
    }, 300_000);

    it('counts a record under each label of its live associations, as unlabelled only when none carries one, and not at all without one', async () => {
      const world = worldOf({
        records: {
          contacts: [
            // a: a labelled and an unlabelled deal; b: an unlabelled deal; c: a deal only through an archived one; d: none.
            { id: 'a', properties: {}, archived: false },
            { id: 'b', properties: {}, archived: false },
            { id: 'c', properties: {}, archived: false },
            { id: 'd', properties: {}, archived: false },
          ],
          companies: [],
          deals: [
            { id: 'x', properties: { amount: 0.1 }, archived: false },
            { id: 'y', properties: { amount: 0.2 }, archived: false },
            { id: 'z', properties: { amount: 5 }, archived: true },
          ],
        },
        edges: [
          { pair: ['deals', 'contacts'], from: 0, to: 0, labels: ['decision_maker'], inverseLabels: ['billing'], reversed: false },
          { pair: ['deals', 'contacts'], from: 1, to: 0, labels: [], inverseLabels: [], reversed: true },
          { pair: ['deals', 'contacts'], from: 1, to: 1, labels: [], inverseLabels: [], reversed: false },
          { pair: ['deals', 'contacts'], from: 2, to: 2, labels: [], inverseLabels: ['billing'], reversed: false },
        ],
      });
      const storage = await factory();
      try {
        await write(storage, async (tx) => writeWorld(tx, world));
        const byRole: AggregatePlan = { objectType: 'contacts', dimensions: [{ kind: 'labels', toType: 'deals' }] };
        const perDeal: AggregatePlan = { objectType: 'deals', dimensions: [{ kind: 'labels', toType: 'contacts' }], sum: PROPERTIES.amount };
        await read(storage, async (tx) => {
          const answer = async (plan: AggregatePlan): Promise<PlanBucket[]> => comparable(tx.aggregateRecords ? await tx.aggregateRecords(plan) : await evaluateAggregate(tx, plan), plan);
          // Labels as the contact sees them: 'billing' on the edge from deal x.
          expect(await answer(byRole)).toEqual([
            { keys: ['billing'], count: 1 },
            { keys: [null], count: 1 },
          ]);
          // Deal x holds 'decision_maker' (contact a); y only unlabelled edges; z is archived. Sums are exact.
          expect(await answer(perDeal)).toEqual([
            { keys: ['decision_maker'], count: 1, sum: 0.1 },
            { keys: [null], count: 1, sum: 0.2 },
          ]);
        });
      } finally {
        await storage.close();
      }
    });

    it('counts a record under each distinct value its records under a label hold (text folded, the least spelling shown), under none when no such record has one', async () => {
      const world = worldOf({
        records: {
          contacts: [
            // a: primary Zeta and primary without a name; b: primary without a name; c: primary zeta and ZETA; d: Zeta only as billing.
            { id: 'a', properties: { tags: ['red', 'Blue'] }, archived: false },
            { id: 'b', properties: { tags: [] }, archived: false },
            { id: 'c', properties: { tags: ['red'] }, archived: false },
            { id: 'd', properties: {}, archived: false },
          ],
          companies: [
            { id: 'x', properties: { name: 'Zeta' }, archived: false },
            { id: 'y', properties: {}, archived: false },
            { id: 'z', properties: { name: 'zeta' }, archived: false },
            { id: 'w', properties: { name: 'ZETA' }, archived: false },
          ],
          deals: [],
        },
        edges: [
          { pair: ['contacts', 'companies'], from: 0, to: 0, labels: ['primary'], inverseLabels: [], reversed: false },
          { pair: ['contacts', 'companies'], from: 0, to: 1, labels: ['primary'], inverseLabels: [], reversed: true },
          { pair: ['contacts', 'companies'], from: 1, to: 1, labels: ['primary', 'billing'], inverseLabels: [], reversed: false },
          { pair: ['contacts', 'companies'], from: 2, to: 2, labels: ['primary'], inverseLabels: [], reversed: false },
          { pair: ['contacts', 'companies'], from: 2, to: 3, labels: ['primary'], inverseLabels: [], reversed: false },
          { pair: ['contacts', 'companies'], from: 3, to: 0, labels: ['billing'], inverseLabels: [], reversed: false },
        ],
      });
      const storage = await factory();
      try {
        await write(storage, async (tx) => writeWorld(tx, world));
        const byCompany: AggregatePlan = { objectType: 'contacts', dimensions: [{ kind: 'via', toType: 'companies', label: 'primary', property: PROPERTIES.name }] };
        const withTags: AggregatePlan = { objectType: 'contacts', dimensions: [{ kind: 'via', toType: 'companies', label: 'primary', property: PROPERTIES.name }, { kind: 'property', property: PROPERTIES.tags }] };
        await read(storage, async (tx) => {
          const answer = async (plan: AggregatePlan): Promise<PlanBucket[]> => comparable(tx.aggregateRecords ? await tx.aggregateRecords(plan) : await evaluateAggregate(tx, plan), plan);
          expect(await answer(byCompany)).toEqual([
            { keys: ['ZETA'], count: 2 },
            { keys: [null], count: 2 },
          ]);
          // Each combination of the record's keys once; an empty multi-select is no value; each
          // bucket shows the least spelling among its own records.
          expect(await answer(withTags)).toEqual([
            { keys: ['ZETA', 'red'], count: 2 },
            { keys: ['Zeta', 'Blue'], count: 1 },
            { keys: [null, null], count: 2 },
          ]);
        });
      } finally {
        await storage.close();
      }
    });
  });
}
