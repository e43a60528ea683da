// Search plans: for random records and associations written through the primitives, and random
// plans over them, the storage's `searchRecords` answers exactly what the reference evaluator
// (`evaluateSearch`) answers, and paging a plan page by page with positions visits every
// matching record once, in order. The expected answer is computed a third way too, from the
// records and edges the test wrote (never read back), so an adapter without `searchRecords` is
// still checked: the evaluator over its scans, edges and reads must give the same pages. Worlds
// have static lists too (members archived or with no record among them), which plans test with
// `member` (under `not` and inside association conditions as well).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparePositions,
  evaluateSearch,
  foldCase,
  inverseEdge,
  listsIn,
  matches,
  pageOf,
  positionOf,
  tokensOf,
  type PlanGraph,
  type PlanPosition,
  type PlanProperty,
  type PlanSort,
  type PlanValue,
  type Predicate,
  type SearchPage,
  type SearchPlan,
  type StorageTx,
  type StoredEdge,
  type StoredRecord,
} from 'crmkit/storage';
import { AT, read, write, type Factory } from './fixtures.js';

/** `npm run fuzz` multiplies the runs (CRMKIT_FUZZ_SCALE); a plain run stays within CI's budget on every storage. */
const SCALE = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CRMKIT_FUZZ_SCALE ?? 1);

/**
 * The object types of the random worlds (storage knows no schema: any names do).
 *
 * @example
 * TYPES.includes('deals'); // true
 */
export const TYPES = ['contacts', 'companies', 'deals'] as const;
/** One of {@link TYPES}. */
export type TypeName = (typeof TYPES)[number];

/**
 * The pairs that associate, one direction each; both directions are searched.
 *
 * @example
 * PAIRS[0]; // ['contacts', 'companies']
 */
export const PAIRS: ReadonlyArray<readonly [TypeName, TypeName]> = [
  ['contacts', 'companies'],
  ['deals', 'contacts'],
  ['deals', 'companies'],
  ['contacts', 'contacts'],
  ['companies', 'companies'],
];

/**
 * The label names edges carry, seen from either end.
 *
 * @example
 * LABELS.includes('primary'); // true
 */
export const LABELS = ['primary', 'billing', 'decision_maker', 'manager', 'employee'];

/**
 * Static list ids: each type has its own lists under the same ids; `never-filled` holds no one.
 * List ids are data: a quote and SQL's wildcards among them.
 */
const LISTS = ['L1', 'L2', "it's %_", 'never-filled'];

/**
 * Ids shared by every type (storage keys records by type and id). Their code-point order differs
 * from UTF-16 order ('\uFFFD' before an emoji), from numeric order ('10' before '9') and from
 * case-insensitive order ('B' before 'a').
 */
const IDS = ['a', 'B', 'b', 'a1', 'a10', 'a9', '10', '9', 'Ä', 'é', 'ß', 'z', '\u{1F600}x', '\uFFFDy'];

/** Text values: mixed case, non-ASCII letters, punctuation and the characters LIKE treats specially. */
const TEXTS = [
  'Ann-Marie O’Neil',
  'ann@acme.com',
  'Bob@ACME.com',
  'École',
  'école normale',
  'ÉCOLE',
  'Straße 5',
  'STRASSE',
  'Äpfel & Birnen',
  'äpfel',
  'ΣΟΦΟΣ',
  'σοφος',
  'İstanbul',
  'Acme Corp.',
  'acme',
  'snake_case',
  '100% sure',
  'a.b*c',
  'Zeta',
  'zeta',
  '  spaced  out ',
  '東京 office',
];
const OPTIONS = ['lead', 'Lead', 'customer', 'opportunity', 'a10', 'a9', 'Éa', 'é'];
const TAGS = ['red', 'green', 'Blue', 'blue', 'ß'];
const NUMBERS = [-1000, -10, -2.5, 0, 0.1, 0.5, 2, 9, 10, 10.5, 100, 1e9];
const DATES = ['1999-07-04', '2024-02-29', '2025-12-31', '2026-01-01', '2026-01-02', '2026-01-10', '2026-10-01'];
const DATETIMES = ['1999-07-04T12:00:00.000Z', '2025-12-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2026-01-01T09:30:00.000Z', '2026-01-10T00:00:00.000Z'];

const property = (name: string, type: PlanProperty['type'], indexed: boolean, multiple = false): PlanProperty => ({ name, type, multiple, indexed });

/**
 * Every type has these properties (storage knows no schema; plans name types as they go).
 *
 * @example
 * PROPERTIES.amount; // { name: 'amount', type: 'number', multiple: false, indexed: true }
 */
export const PROPERTIES = {
  name: property('name', 'string', true),
  note: property('note', 'string', false),
  stage: property('stage', 'enumeration', true),
  tags: property('tags', 'enumeration', false, true),
  amount: property('amount', 'number', true),
  score: property('score', 'number', false),
  active: property('active', 'bool', false),
  closedate: property('closedate', 'date', true),
  seen: property('seen', 'datetime', false),
} as const;
/**
 * Every property of {@link PROPERTIES}.
 *
 * @example
 * ALL.length; // 9
 */
export const ALL = Object.values(PROPERTIES);
const SORTABLE = ALL.filter((one) => !one.multiple);
const TEXT_PROPERTIES = ALL.filter((one) => one.type === 'string');

/** Token patterns: whole values, tokens, prefixes and suffixes with `*`, and LIKE's own wildcards, which must mean themselves. */
const PATTERNS = [
  ...new Set([
    ...TEXTS.map(foldCase),
    ...TEXTS.flatMap((text) => tokensOf(text)),
    ...TEXTS.flatMap((text) => tokensOf(text).map((token) => `${token.slice(0, 2)}*`)),
    ...TEXTS.flatMap((text) => tokensOf(text).map((token) => `*${token.slice(-2)}`)),
    '*@acme.com',
    '*',
    'a*e',
    '100%*',
    '%',
    '_',
    'a_b',
    's%',
    'nowhere',
  ]),
];

/** A value of a property's type, in the stored form a plan carries (text folded for `string`). */
function valueOf(one: PlanProperty): fc.Arbitrary<PlanValue> {
  switch (one.type) {
    case 'string':
      return fc.constantFrom(...TEXTS.map(foldCase), 'acme', 'zzz');
    case 'enumeration':
      return fc.constantFrom(...(one.multiple ? [...TAGS, 'Red'] : [...OPTIONS, 'LEAD']));
    case 'number':
      return fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: -20, max: 20 }));
    case 'bool':
      return fc.boolean();
    case 'date':
      return fc.constantFrom(...DATES);
    case 'datetime':
      return fc.constantFrom(...DATETIMES);
  }
}

/** The values a record holds, each property missing about a third of the time. */
const propertiesArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    name: fc.constantFrom(...TEXTS),
    note: fc.constantFrom(...TEXTS),
    stage: fc.constantFrom(...OPTIONS),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 3 }),
    amount: fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: -20, max: 20 })),
    score: fc.integer({ min: -3, max: 3 }),
    active: fc.boolean(),
    closedate: fc.constantFrom(...DATES),
    seen: fc.constantFrom(...DATETIMES),
  },
  { requiredKeys: [] },
);

interface RecordSpec {
  id: string;
  properties: Record<string, unknown>;
  archived: boolean;
}

interface EdgeSpec {
  pair: readonly [TypeName, TypeName];
  from: number;
  to: number;
  labels: string[];
  inverseLabels: string[];
  /** Stored from the other end (putEdges takes either direction). */
  reversed: boolean;
}

/** A static list of one type: the ids added (records of the world or not), then those removed again. */
interface ListSpec {
  list: string;
  type: TypeName;
  members: string[];
  removed: string[];
}

/** What a test writes: each type's records (in insertion order), the associations between them, and static lists. */
export interface WorldSpec {
  records: Record<TypeName, RecordSpec[]>;
  edges: EdgeSpec[];
  lists?: ListSpec[];
}

const recordsArb: fc.Arbitrary<RecordSpec[]> = fc.uniqueArray(
  fc.record({ id: fc.constantFrom(...IDS), properties: propertiesArb, archived: fc.integer({ min: 0, max: 5 }).map((n) => n === 0) }),
  { minLength: 2, maxLength: 12, selector: (spec) => spec.id },
);

/**
 * Random worlds: up to 12 records of each type (a few archived) with values of every type, and
 * up to 40 associations with random labels both ways.
 *
 * @example
 * fc.asyncProperty(worldArb, async (spec) => { const world = worldOf(spec); … });
 */
export const worldArb: fc.Arbitrary<WorldSpec> = fc.record({
  records: fc.record({ contacts: recordsArb, companies: recordsArb, deals: recordsArb }),
  edges: fc.array(
    fc.record({
      pair: fc.constantFrom(...PAIRS),
      from: fc.nat(),
      to: fc.nat(),
      labels: fc.subarray(LABELS),
      inverseLabels: fc.subarray(LABELS),
      reversed: fc.boolean(),
    }),
    { maxLength: 40 },
  ),
  lists: fc.array(
    fc.record({
      list: fc.constantFrom(...LISTS.slice(0, -1)),
      type: fc.constantFrom(...TYPES),
      // Ids of records of the world (archived ones too) and of none ('ghost', and ids the type's records do not use).
      members: fc.uniqueArray(fc.constantFrom(...IDS, 'ghost'), { maxLength: 10 }),
      removed: fc.subarray(IDS, { maxLength: 3 }),
    }),
    { maxLength: 6 },
  ),
});

/** The written world: records and edges as the storage was handed them, and a graph over them. */
export interface World {
  records: Map<string, StoredRecord[]>;
  /** Every association in both directions, as storage keeps them. */
  edges: StoredEdge[];
  /** What was handed to putEdges (one direction per association). */
  written: StoredEdge[];
  /** The static lists to write, in order. */
  lists: readonly ListSpec[];
  graph: PlanGraph;
}

/** A list's key in a world's memberships. */
const listKey = (type: string, list: string): string => `${type}\u0000${list}`;

/**
 * The stored records and edges of a spec: an edge is archived while either of its records is, as the engine keeps them.
 *
 * @example
 * const world = worldOf(spec);
 */
export function worldOf(spec: WorldSpec): World {
  const records = new Map<string, StoredRecord[]>();
  for (const type of TYPES) {
    records.set(
      type,
      spec.records[type].map((one) =>
        Object.freeze({
          id: one.id,
          objectType: type,
          properties: Object.freeze({ hs_object_id: one.id, ...one.properties }),
          createdAt: AT,
          updatedAt: AT,
          archived: one.archived,
          ...(one.archived ? { archivedAt: AT } : {}),
        }),
      ),
    );
  }
  const written: StoredEdge[] = [];
  const made = new Set<string>();
  for (const one of spec.edges) {
    const [fromType, toType] = one.pair;
    const froms = records.get(fromType)!;
    const tos = records.get(toType)!;
    if (froms.length === 0 || tos.length === 0) continue;
    const from = froms[one.from % froms.length]!;
    const to = tos[one.to % tos.length]!;
    if (fromType === toType && from.id === to.id) continue;
    const key = [`${fromType}/${from.id}`, `${toType}/${to.id}`].sort().join('\u0000');
    if (made.has(key)) continue;
    made.add(key);
    const edge: StoredEdge = Object.freeze({
      fromType,
      fromId: from.id,
      toType,
      toId: to.id,
      labels: Object.freeze([...one.labels]),
      inverseLabels: Object.freeze([...one.inverseLabels]),
      createdAt: AT,
      archived: from.archived || to.archived,
    });
    written.push(one.reversed ? inverseEdge(edge) : edge);
  }
  const edges = written.flatMap((edge) => [edge, inverseEdge(edge)]);
  // Each list's members once its additions and removals are written, in order.
  const members = new Map<string, Set<string>>();
  for (const one of spec.lists ?? []) {
    const held = members.get(listKey(one.type, one.list)) ?? new Set<string>();
    for (const id of one.members) held.add(id);
    for (const id of one.removed) held.delete(id);
    members.set(listKey(one.type, one.list), held);
  }
  const graph: PlanGraph = {
    edges: (objectType, id, toType) => edges.filter((edge) => edge.fromType === objectType && edge.fromId === id && edge.toType === toType && !edge.archived),
    record: (objectType, id) => records.get(objectType)?.find((one) => one.id === id && !one.archived),
    inList: (list, objectType, id) => members.get(listKey(objectType, list))?.has(id) ?? false,
  };
  return { records, edges, written, lists: spec.lists ?? [], graph };
}

/**
 * Writes a world through the primitives, telling the storage first which properties to index (as the engine does).
 *
 * @example
 * await write(storage, async (tx) => writeWorld(tx, world));
 */
export async function writeWorld(tx: StorageTx, world: World): Promise<void> {
  for (const type of TYPES) await tx.indexProperties?.(type, ALL.filter((one) => one.indexed));
  const all = [...world.records.values()].flat();
  if (all.length > 0) expect(await tx.insertRecords(all)).toEqual([]);
  if (world.written.length > 0) await tx.putEdges(world.written);
  // Through listsIn, as the engine writes them: the storage's own lists, or metadata documents.
  const lists = listsIn(tx);
  for (const one of world.lists) {
    await lists.add(one.list, one.type, one.members);
    await lists.remove(one.list, one.type, one.removed);
  }
}

/** Random predicates on records of each type, at most `depth` levels of and/or/not/association deep. */
function predicateArbs(depth: number): Map<TypeName, fc.Arbitrary<Predicate>> {
  let level = new Map<TypeName, fc.Arbitrary<Predicate>>();
  for (let at = 0; at <= depth; at++) {
    const below = level;
    const next = new Map<TypeName, fc.Arbitrary<Predicate>>();
    for (const type of TYPES) {
      const leaves: Array<fc.Arbitrary<Predicate>> = [
        fc.constantFrom(...ALL).chain((one) =>
          fc.record({ op: fc.constantFrom('eq' as const, 'lt' as const, 'lte' as const, 'gt' as const, 'gte' as const), value: valueOf(one) }).map(
            ({ op, value }): Predicate => ({ kind: 'compare', property: one, op, value }),
          ),
        ),
        fc.constantFrom(...ALL).chain((one) => fc.array(valueOf(one), { minLength: 1, maxLength: 3 }).map((values): Predicate => ({ kind: 'in', property: one, values }))),
        fc.constantFrom(...ALL).map((one): Predicate => ({ kind: 'present', property: one })),
        fc.record({ property: fc.constantFrom(...TEXT_PROPERTIES), pattern: fc.constantFrom(...PATTERNS) }).map((parts): Predicate => ({ kind: 'tokens', ...parts })),
        associationArb(type, below),
        fc.constantFrom(...LISTS).map((list): Predicate => ({ kind: 'member', list })),
      ];
      const leaf = fc.oneof(
        { arbitrary: leaves[0]!, weight: 3 },
        { arbitrary: leaves[1]!, weight: 2 },
        { arbitrary: leaves[2]!, weight: 1 },
        { arbitrary: leaves[3]!, weight: 2 },
        { arbitrary: leaves[4]!, weight: 3 },
        { arbitrary: leaves[5]!, weight: 2 },
      );
      const inner = below.get(type);
      next.set(
        type,
        inner === undefined
          ? leaf
          : fc.oneof(
              { arbitrary: leaf, weight: 3 },
              { arbitrary: fc.array(inner, { maxLength: 3 }).map((of): Predicate => ({ kind: 'and', of })), weight: 1 },
              { arbitrary: fc.array(inner, { maxLength: 3 }).map((of): Predicate => ({ kind: 'or', of })), weight: 1 },
              { arbitrary: inner.map((of): Predicate => ({ kind: 'not', of })), weight: 1 },
            ),
      );
    }
    level = next;
  }
  return level;
}

/** An association predicate from `type`: labels, an id (of a record or of none), any/all, and a nested condition one level down. */
function associationArb(type: TypeName, below: Map<TypeName, fc.Arbitrary<Predicate>>): fc.Arbitrary<Predicate> {
  const toTypes = [...new Set(PAIRS.flatMap(([a, b]) => (a === type ? [b] : b === type ? [a] : [])))];
  return fc.constantFrom(...toTypes).chain((toType) =>
    fc
      .record(
        {
          labels: fc.subarray(LABELS, { minLength: 1, maxLength: 2 }),
          id: fc.constantFrom(...IDS, 'nobody'),
          match: fc.constantFrom('any' as const, 'all' as const),
          where: below.get(toType) ?? fc.constant(undefined),
        },
        { requiredKeys: ['match'] },
      )
      .map((parts): Predicate => {
        const { labels, id, match, where } = parts;
        return { kind: 'association', toType, match, ...(labels ? { labels } : {}), ...(id ? { id } : {}), ...(where ? { where } : {}) };
      }),
  );
}

/**
 * Random predicates on each type's records, two levels of and/or/not/association deep.
 *
 * @example
 * const where = PREDICATES.get('deals')!;
 */
export const PREDICATES = predicateArbs(2);

/** A plan, with where it resumes still to be picked from the world (`afterPick`). */
interface PlanSpec {
  plan: Omit<SearchPlan, 'after'>;
  afterPick: number | undefined;
}

const planArb: fc.Arbitrary<PlanSpec> = fc.constantFrom(...TYPES).chain((objectType) =>
  fc.record({
    plan: fc
      .record({
        // Mostly a condition: a plan without one (every live record) needs few runs.
        where: fc.option(PREDICATES.get(objectType)!, { nil: undefined, freq: 8 }),
        sorts: fc.uniqueArray(
          fc.record({ property: fc.constantFrom(...SORTABLE), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
          { maxLength: 2, selector: (sort) => sort.property.name },
        ) as fc.Arbitrary<PlanSort[]>,
        limit: fc.integer({ min: 0, max: 6 }),
        total: fc.boolean(),
      })
      .map(({ where, ...rest }) => ({ objectType, ...rest, ...(where !== undefined ? { where } : {}) })),
    afterPick: fc.option(fc.nat(), { nil: undefined }),
  }),
);

/** The live records of the plan's type that match it, in the plan's order, from the world as written. */
function expectedOrder(world: World, plan: Omit<SearchPlan, 'after'>): StoredRecord[] {
  const live = world.records.get(plan.objectType)!.filter((one) => !one.archived);
  const matching = plan.where === undefined ? live : live.filter((one) => matches(world.graph, one, plan.where!));
  return pageOf({ ...plan, limit: matching.length, total: false }, matching).records;
}

/**
 * The plan with its resume position: none, the position of one of its matching records (as a
 * page ending there hands on), or of any record of the type (one that does not match, or is
 * archived: a position need not name a record of the result).
 */
function resolvePlan(world: World, spec: PlanSpec): SearchPlan {
  if (spec.afterPick === undefined) return spec.plan;
  const order = expectedOrder(world, spec.plan);
  const all = world.records.get(spec.plan.objectType)!;
  const from = spec.afterPick % 3 === 0 || order.length === 0 ? all : order;
  if (from.length === 0) return spec.plan;
  const after: PlanPosition = positionOf(from[Math.floor(spec.afterPick / 3) % from.length]!, spec.plan.sorts);
  return { ...spec.plan, after };
}

/** The page a plan describes, computed from the world as written. */
function expectedPage(world: World, plan: SearchPlan): SearchPage {
  const live = world.records.get(plan.objectType)!.filter((one) => !one.archived);
  const matching = plan.where === undefined ? live : live.filter((one) => matches(world.graph, one, plan.where!));
  return pageOf(plan, matching);
}

/** A page as compared: the total only when the plan asked for one (an adapter may count anyway). */
function comparable(page: SearchPage, plan: SearchPlan): SearchPage {
  return { records: page.records, more: page.more, ...(plan.total ? { total: page.total } : {}) };
}

/** The storage's own answer, or the reference evaluator's when it has none. */
async function search(tx: StorageTx, plan: SearchPlan): Promise<SearchPage> {
  return tx.searchRecords ? tx.searchRecords(plan) : evaluateSearch(tx, plan);
}

const label = (plan: SearchPlan): string => JSON.stringify(plan);

/**
 * Declares the storage contract's differential tests of search plans, on storages made by `factory`.
 *
 * @example
 * describeSearch(() => memoryStorage());
 */
export function describeSearch(factory: Factory): void {
  describe('search plans (searchRecords)', () => {
    it('answers every plan as the reference evaluator does: the same records in the same order, the same more and total', async () => {
      await fc.assert(
        fc.asyncProperty(worldArb, fc.array(planArb, { minLength: 1, maxLength: 8 }), async (spec, plans) => {
          const world = worldOf(spec);
          const storage = await factory();
          try {
            await write(storage, async (tx) => writeWorld(tx, world));
            await read(storage, async (tx) => {
              for (const planSpec of plans) {
                const plan = resolvePlan(world, planSpec);
                const expected = expectedPage(world, plan);
                // The evaluator over this storage's scans, edges and reads sees what was written…
                const reference = await evaluateSearch(tx, plan);
                expect(comparable(reference, plan), `evaluateSearch ${label(plan)}`).toEqual(comparable(expected, plan));
                // …and the storage's own search agrees with it.
                if (tx.searchRecords) expect(comparable(await tx.searchRecords(plan), plan), `searchRecords ${label(plan)}`).toEqual(comparable(reference, plan));
                if (tx.explainSearch) {
                  const explanation = await tx.explainSearch(plan);
                  expect(typeof explanation.storage, `explainSearch ${label(plan)}`).toBe('string');
                  expect(typeof explanation.strategy, `explainSearch ${label(plan)}`).toBe('string');
                }
              }
            });
          } finally {
            await storage.close();
          }
        }),
        { numRuns: 50 * SCALE },
      );
    }, 300_000);

    it('paging a plan by positions visits every matching record exactly once, in order, with the same total on every page', async () => {
      await fc.assert(
        fc.asyncProperty(worldArb, fc.array(planArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), async (spec, plans, size) => {
          const world = worldOf(spec);
          const storage = await factory();
          try {
            await write(storage, async (tx) => writeWorld(tx, world));
            for (const planSpec of plans) {
              const plan: SearchPlan = { ...planSpec.plan, limit: size, total: true };
              const order = expectedOrder(world, plan).map((one) => one.id);
              const seen: string[] = [];
              let after: PlanPosition | undefined;
              for (let pages = 0; ; pages++) {
                // Each page in its own transaction, as a caller pages.
                const page = await read(storage, async (tx) => search(tx, { ...plan, ...(after !== undefined ? { after } : {}) }));
                const where = `${label(plan)}, page ${pages + 1}`;
                expect(page.total, where).toBe(order.length);
                expect(page.records.length, where).toBeLessThanOrEqual(size);
                if (page.more) expect(page.records.length, `${where}: a page with more after it is full`).toBe(size);
                seen.push(...page.records.map((one) => one.id));
                const last = page.records[page.records.length - 1];
                if (!page.more || last === undefined) break;
                after = positionOf(last, plan.sorts);
                expect(pages, `${label(plan)}: paging does not end`).toBeLessThanOrEqual(order.length);
              }
              expect(seen, label(plan)).toEqual(order);
            }
          } finally {
            await storage.close();
          }
        }),
        { numRuns: 40 * SCALE },
      );
    }, 300_000);

    it('a static list longer than a page, or shorter, pages and counts as the reference evaluator does, whichever way the storage reads it', async () => {
      // Random worlds hold short lists; a storage may read a long one differently (walking
      // an index of the records and probing each one's membership rather than reading the list).
      const contacts: RecordSpec[] = Array.from({ length: 60 }, (_, n) => ({
        id: `r${String(n).padStart(2, '0')}`,
        properties: { name: TEXTS[n % TEXTS.length]!, stage: OPTIONS[n % 3]!, ...(n % 4 === 0 ? {} : { amount: n % 7, score: n % 5 }) },
        archived: n % 9 === 0,
      }));
      const long = [...contacts.slice(0, 45).map((one) => one.id), 'ghost-1', 'ghost-2'];
      const world = worldOf({
        records: { contacts, companies: [], deals: [] },
        edges: [],
        lists: [
          { list: 'long', type: 'contacts', members: long, removed: ['r03'] },
          { list: 'short', type: 'contacts', members: ['r07', 'r08', 'r50', 'ghost-1'], removed: [] },
        ],
      });
      const member = (list: string): Predicate => ({ kind: 'member', list });
      const wheres: Predicate[] = [
        member('long'),
        member('short'),
        { kind: 'not', of: member('long') },
        { kind: 'and', of: [member('long'), { kind: 'compare', op: 'eq', property: PROPERTIES.stage, value: OPTIONS[1]! }] },
        { kind: 'and', of: [member('long'), member('short')] },
        { kind: 'or', of: [member('short'), { kind: 'compare', op: 'gt', property: PROPERTIES.amount, value: 4 }] },
      ];
      const orders: PlanSort[][] = [
        [],
        [{ property: PROPERTIES.name, direction: 'asc' }],
        [{ property: PROPERTIES.amount, direction: 'desc' }],
        [{ property: PROPERTIES.score, direction: 'asc' }],
      ];
      const storage = await factory();
      try {
        await write(storage, async (tx) => writeWorld(tx, world));
        for (const where of wheres) {
          for (const sorts of orders) {
            for (const limit of [1, 2, 7]) {
              const plan: SearchPlan = { objectType: 'contacts', where, sorts, limit, total: true };
              const order = expectedOrder(world, plan).map((one) => one.id);
              const seen: string[] = [];
              let after: PlanPosition | undefined;
              for (let pages = 0; pages <= order.length; pages++) {
                const paged = { ...plan, ...(after !== undefined ? { after } : {}) };
                const page = await read(storage, async (tx) => {
                  const answer = await search(tx, paged);
                  expect(comparable(answer, paged), label(paged)).toEqual(comparable(await evaluateSearch(tx, paged), paged));
                  return answer;
                });
                expect(page.total, label(paged)).toBe(order.length);
                seen.push(...page.records.map((one) => one.id));
                const last = page.records[page.records.length - 1];
                if (!page.more || last === undefined) break;
                after = positionOf(last, sorts);
              }
              expect(seen, label(plan)).toEqual(order);
            }
          }
        }
      } finally {
        await storage.close();
      }
    }, 120_000);

    it('positions order records as comparePositions does: a page resumes strictly after its position', async () => {
      // One sorted list, cut after each record in turn: the next page starts with the record after it.
      const world = worldOf({
        records: {
          contacts: [
            { id: 'b', properties: { amount: 10, name: 'Zeta' }, archived: false },
            { id: 'a', properties: { amount: 9, name: 'zeta' }, archived: false },
            { id: '\u{1F600}x', properties: { amount: 10 }, archived: false },
            { id: '\uFFFDy', properties: { amount: 10 }, archived: false },
            { id: 'c', properties: { name: 'acme' }, archived: false },
            { id: 'd', properties: { amount: 10 }, archived: true },
          ],
          companies: [],
          deals: [],
        },
        edges: [],
      });
      const sorts: PlanSort[] = [{ property: PROPERTIES.amount, direction: 'desc' }];
      const storage = await factory();
      try {
        await write(storage, async (tx) => writeWorld(tx, world));
        const all = await read(storage, async (tx) => search(tx, { objectType: 'contacts', sorts, limit: 10, total: true }));
        // Numbers numerically (10 before 9 descending), ties by id in code-point order ('\uFFFD' before an emoji), missing last.
        expect(all.records.map((one) => one.id)).toEqual(['b', '\uFFFDy', '\u{1F600}x', 'a', 'c']);
        expect(all).toMatchObject({ more: false, total: 5 });
        for (let at = 0; at < all.records.length; at++) {
          const after = positionOf(all.records[at]!, sorts);
          const next = await read(storage, async (tx) => search(tx, { objectType: 'contacts', sorts, after, limit: 1, total: false }));
          expect(next.records.map((one) => one.id)).toEqual(all.records.slice(at + 1, at + 2).map((one) => one.id));
          expect(next.more).toBe(at + 2 < all.records.length);
          if (next.records[0]) expect(comparePositions(positionOf(next.records[0], sorts), after, sorts)).toBeGreaterThan(0);
        }
      } finally {
        await storage.close();
      }
    });
  });
}
