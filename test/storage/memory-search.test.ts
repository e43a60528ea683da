// The memory storage's search indexes (src/storage/memory-search.ts) kept right as data changes:
// property indexes follow every write and undo, association indexes are rebuilt after any
// association changes. Each answer is checked against the reference evaluator on the same data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm, evaluateSearch, memoryStorage, type Crm, type FilterSpec, type SearchPlan, type SearchRequest } from 'crmkit';

async function world() {
  const storage = memoryStorage();
  const crm = await createCrm({ storage });
  await crm.schema.defineProperty('contacts', { name: 'tier', label: 'Tier', type: 'string', fieldType: 'text', indexed: true });
  const acme = await crm.records.create('companies', { name: 'Acme', domain: 'acme.com', industry: 'COMPUTER_SOFTWARE' });
  const globex = await crm.records.create('companies', { name: 'Globex', domain: 'globex.com', industry: 'BANKING' });
  const people = await crm.records.createMany(
    'contacts',
    Array.from({ length: 12 }, (_, i) => ({ email: `p${i}@x.com`, tier: i % 3 === 0 ? 'Gold' : 'silver' })),
  );
  for (const [i, person] of people.entries()) await crm.associations.associate(person, i % 2 === 0 ? acme : globex);
  return { storage, crm, acme, globex, people };
}

/** The search's ids, and the reference evaluator's for the same plan on the same storage. */
async function both(crm: Crm, storage: ReturnType<typeof memoryStorage>, request: SearchRequest): Promise<[string[], string[]]> {
  const { results } = await crm.records.search('contacts', { ...request, limit: 1000 });
  const { request: plan } = await crm.records.explain('contacts', { ...request, limit: 1000 });
  const reference = await storage.transaction('read', (tx) => evaluateSearch(tx, plan as SearchPlan));
  return [results.map((record) => record.id), reference.records.map((record) => record.id)];
}

const softwarePrimary: FilterSpec = {
  filterGroups: [{ filters: [{ association: { toType: 'companies', primary: true, filters: [{ propertyName: 'industry', operator: 'EQ', value: 'COMPUTER_SOFTWARE' }] } }] }],
};
const gold: FilterSpec = { filterGroups: [{ filters: [{ propertyName: 'tier', operator: 'EQ', value: 'GOLD' }] }] };

describe('memory search indexes', () => {
  it('an association filter answered from the label index follows associations made, moved and removed after it was built', async () => {
    const { storage, crm, acme, globex, people } = await world();
    const [first, reference] = await both(crm, storage, softwarePrimary);
    expect(first).toEqual(reference);
    expect(first).toHaveLength(6);

    await crm.associations.setPrimary(people[1]!, acme); // globex → acme as primary
    await crm.associations.remove(people[0]!, acme); // no company left
    const [after, afterReference] = await both(crm, storage, softwarePrimary);
    expect(after).toEqual(afterReference);
    expect(after).toContain(people[1]!.id);
    expect(after).not.toContain(people[0]!.id);

    await crm.records.archive('companies', acme.id);
    expect(await crm.records.count('contacts', softwarePrimary)).toBe(0);
    await crm.records.restore('companies', acme.id);
    await crm.records.update('companies', globex.id, { industry: 'COMPUTER_SOFTWARE' });
    const [restored, restoredReference] = await both(crm, storage, softwarePrimary);
    expect(restored).toEqual(restoredReference);
  });

  it('a property index follows creates, updates, archives and a failed transaction', async () => {
    const { storage, crm, people } = await world();
    expect((await both(crm, storage, gold))[0]).toHaveLength(4);

    await crm.records.update('contacts', people[1]!.id, { tier: 'gold' });
    await crm.records.archive('contacts', people[0]!.id);
    await crm.records.create('contacts', { email: 'new@x.com', tier: 'GOLD' });
    await crm
      .transaction(async (tx) => {
        await tx.records.update('contacts', people[2]!.id, { tier: 'Gold' });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const [ids, reference] = await both(crm, storage, gold);
    expect(ids).toEqual(reference);
    expect(ids).toHaveLength(5);
    expect(ids).not.toContain(people[2]!.id);
    expect((await crm.records.explain('contacts', gold)).strategy).toBe('index');
  });

  it('an index files live records only: a total counted off it alone follows archives, restores and a rolled-back archive', async () => {
    const { storage, crm, people } = await world();
    const golds = people.filter((_, i) => i % 3 === 0);
    const totalOf = async () => (await crm.records.search('contacts', { ...gold, limit: 1 })).total;
    expect(await totalOf()).toBe(4);
    await crm.records.archive('contacts', golds[0]!.id);
    await crm.records.archive('contacts', golds[1]!.id);
    expect(await totalOf()).toBe(2);
    expect(await crm.records.count('contacts', gold)).toBe(2);
    expect((await crm.records.explain('contacts', gold)).candidates).toBe(2);
    await crm.records.restore('contacts', golds[1]!.id);
    expect(await totalOf()).toBe(3);
    await crm
      .transaction(async (tx) => {
        await tx.records.archive('contacts', golds[2]!.id);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await totalOf()).toBe(3);
    const [ids, reference] = await both(crm, storage, gold);
    expect(ids).toEqual(reference);
    // IN and OR, answered by the index alone too, count live records only: 12 people, 1 archived.
    const anyTier: FilterSpec = { filterGroups: [{ filters: [{ propertyName: 'tier', operator: 'IN', values: ['gold', 'silver'] }] }] };
    const eitherTier: FilterSpec = { filterGroups: [{ filters: [{ propertyName: 'tier', operator: 'EQ', value: 'gold' }] }, { filters: [{ propertyName: 'tier', operator: 'EQ', value: 'silver' }] }] };
    for (const spec of [anyTier, eitherTier]) {
      expect((await crm.records.search('contacts', { ...spec, limit: 1 })).total).toBe(11);
      const [found, expected] = await both(crm, storage, spec);
      expect(found).toEqual(expected);
    }
    // Sorted by the indexed property too (the page walks the index): the same records.
    const sorted = await crm.records.search('contacts', { ...gold, sorts: [{ propertyName: 'tier', direction: 'ASCENDING' }], limit: 100 });
    expect(sorted.results.map((record) => record.id).sort()).toEqual([...ids].sort());
  });

  it('a fork builds its own indexes and never sees its parent change', async () => {
    const { crm } = await world();
    expect(await crm.records.count('contacts', gold)).toBe(4);
    const fork = await crm.fork();
    await crm.records.create('contacts', { email: 'parent@x.com', tier: 'gold' });
    expect(await fork.records.count('contacts', gold)).toBe(4);
    await fork.records.create('contacts', { email: 'a@fork.com', tier: 'gold' });
    await fork.records.create('contacts', { email: 'b@fork.com', tier: 'gold' });
    expect(await fork.records.count('contacts', gold)).toBe(6);
    expect(await crm.records.count('contacts', gold)).toBe(5);
  });
});

describe('memory search: a sort walk over groups kept in id order', () => {
  // The walk keeps each large group of equal sort values in id order, and each large EQ
  // candidate set as a bitmap, from the second search that walks them unchanged; every write to
  // a value drops what was kept of it. So: the same searches, repeated between random writes
  // (rolled-back ones too), paged to the end, must list what the reference evaluator lists.
  const TIERS = ['gold', 'silver', 'bronze'];
  const STAGES = ['lead', 'customer'];
  const write = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), tier: fc.constantFrom(...TIERS), stage: fc.constantFrom(...STAGES) }),
    fc.record({ kind: fc.constant('update' as const), at: fc.nat(), tier: fc.option(fc.constantFrom(...TIERS)), stage: fc.constantFrom(...STAGES) }),
    fc.record({ kind: fc.constantFrom('archive' as const, 'restore' as const, 'purge' as const, 'rolled back' as const), at: fc.nat() }),
  );
  const search = fc.record({ stage: fc.constantFrom(...STAGES), direction: fc.constantFrom('ASCENDING' as const, 'DESCENDING' as const), limit: fc.integer({ min: 1, max: 9 }) });

  it('pages every match in order, as the reference does, however the groups change between searches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.array(write, { maxLength: 4 }), search), { minLength: 2, maxLength: 6 }), async (steps) => {
        const storage = memoryStorage();
        const crm = await createCrm({ storage });
        await crm.schema.defineProperty('contacts', { name: 'tier', label: 'Tier', type: 'string', fieldType: 'text' });
        const made = await crm.records.createMany(
          'contacts',
          Array.from({ length: 90 }, (_, i) => ({ email: `p${i}@x.com`, tier: TIERS[i % 3]!, lifecyclestage: STAGES[i % 2]! })),
        );
        const ids = made.map((record) => record.id);
        for (const [writes, { stage, direction, limit }] of steps) {
          for (const change of writes) {
            const id = 'at' in change ? ids[change.at % ids.length]! : '';
            if (change.kind === 'create') {
              ids.push((await crm.records.create('contacts', { firstname: 'New', tier: change.tier, lifecyclestage: change.stage })).id);
            } else if (change.kind === 'update') {
              await crm.records.update('contacts', id, { tier: change.tier ?? '', lifecyclestage: change.stage }).catch(() => undefined);
            } else if (change.kind === 'archive') {
              await crm.records.archive('contacts', id).catch(() => undefined);
            } else if (change.kind === 'restore') {
              await crm.records.restore('contacts', id).catch(() => undefined);
            } else if (change.kind === 'purge') {
              await crm.records.purge('contacts', id).catch(() => undefined);
            } else {
              await crm
                .transaction(async (tx) => {
                  await tx.records.update('contacts', id, { tier: 'gold', lifecyclestage: 'lead' });
                  await tx.records.create('contacts', { firstname: 'Gone', tier: 'silver', lifecyclestage: 'lead' });
                  throw new Error('rolled back');
                })
                .catch(() => undefined);
            }
          }
          const request: SearchRequest = {
            filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: stage }] }],
            sorts: [{ propertyName: 'tier', direction }],
          };
          const { request: plan } = await crm.records.explain('contacts', { ...request, limit: 1000 });
          const expected = (await storage.transaction('read', (tx) => evaluateSearch(tx, plan as SearchPlan))).records.map((record) => record.id);
          // Three times: the first search marks the groups, the second keeps them, the third reads what was kept.
          for (let time = 0; time < 3; time++) {
            const paged: string[] = [];
            let after: string | undefined;
            do {
              const page = await crm.records.search('contacts', { ...request, limit, ...(after ? { after } : {}) });
              expect(page.total).toBe(expected.length);
              paged.push(...page.results.map((record) => record.id));
              after = page.paging?.next?.after;
            } while (after !== undefined && paged.length <= expected.length);
            expect(paged).toEqual(expected);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
