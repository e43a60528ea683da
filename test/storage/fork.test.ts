// Forks (issue 12, decision 0017): a fork of the memory storage shares its parent's data
// copy-on-write, and a forked CRM forks its ids and clock, so each fork goes on
// deterministically from the parent's state at the fork. Changes never cross between a fork and
// its parent, in either direction, committed or rolled back; the property at the end checks
// that for random interleavings against independent copies made by replaying the same writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCrm,
  evaluateSearch,
  memoryStorage,
  type Crm,
  type FilterSpec,
  type MemoryStorage,
  type SearchPlan,
  type StorageTx,
  type StoredEdge,
  type StoredRecord,
} from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';

const SOURCE = { type: 'API' } as const;

async function seeded(): Promise<{ crm: Crm; storage: MemoryStorage }> {
  const storage = memoryStorage();
  const crm = await createCrm({ storage, ids: sequentialIds('t-'), clock: steppingClock('2026-01-01T00:00:00Z', 1_000) });
  await crm.schema.defineProperty('contacts', { name: 'tier', label: 'Tier', type: 'string', fieldType: 'text', indexed: true });
  const acme = await crm.records.create('companies', { name: 'Acme', domain: 'acme.com' });
  const people = await crm.records.createMany(
    'contacts',
    Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@acme.com`, tier: i % 2 === 0 ? 'gold' : 'silver' })),
  );
  for (const person of people) await crm.associations.associate(person, acme);
  return { crm, storage };
}

/** A fork's storage, reached the way a test would not: through `crm.fork()` with a storage we hold. */
async function forkOf(crm: Crm): Promise<Crm> {
  return crm.fork();
}

const gold: FilterSpec = { filterGroups: [{ filters: [{ propertyName: 'tier', operator: 'EQ', value: 'gold' }] }] };

/** The search's ids and the reference evaluator's, for one CRM on its own storage. */
async function searchBoth(crm: Crm, storage: MemoryStorage, request: FilterSpec): Promise<[string[], string[]]> {
  const { results } = await crm.records.search('contacts', { ...request, limit: 100 });
  const { request: plan } = await crm.records.explain('contacts', { ...request, limit: 100 });
  const reference = await storage.transaction('read', (tx) => evaluateSearch(tx, plan as SearchPlan));
  return [results.map((record) => record.id), reference.records.map((record) => record.id)];
}

describe('crm.fork(): ids and clock', () => {
  it("a fork's ids and clock continue from the parent's at the fork", async () => {
    const { crm } = await seeded();
    const last = await crm.records.create('contacts', { email: 'last@acme.com' });
    const fork = await forkOf(crm);
    const next = await fork.records.create('contacts', { email: 'next@acme.com' });
    expect(Number(next.id.slice(2))).toBe(Number(last.id.slice(2)) + 1);
    expect(Date.parse(next.createdAt)).toBeGreaterThan(Date.parse(last.createdAt));
  });

  it('two forks of one base hand out the same next id and time, whatever the other did', async () => {
    const { crm } = await seeded();
    const first = await forkOf(crm);
    const second = await forkOf(crm);
    const a = await first.records.create('contacts', { email: 'a@acme.com' });
    await first.records.create('contacts', { email: 'a2@acme.com' });
    const b = await second.records.create('contacts', { email: 'b@acme.com' });
    expect(b.id).toBe(a.id);
    expect(b.createdAt).toBe(a.createdAt);
    // The parent too goes on as if no fork had been made.
    const c = await crm.records.create('contacts', { email: 'c@acme.com' });
    expect(c.id).toBe(a.id);
  });

  it('a fork of a fork continues from the fork', async () => {
    const { crm } = await seeded();
    const fork = await forkOf(crm);
    const made = await fork.records.create('contacts', { email: 'f@acme.com' });
    const grandchild = await forkOf(fork);
    const next = await grandchild.records.create('contacts', { email: 'g@acme.com' });
    expect(Number(next.id.slice(2))).toBe(Number(made.id.slice(2)) + 1);
  });

  it('plain functions have no state to copy, so the parent and its forks share them', async () => {
    let n = 0;
    const crm = await createCrm({ ids: () => `p-${++n}` });
    const fork = await crm.fork();
    const a = await crm.records.create('contacts', { firstname: 'A' });
    const b = await fork.records.create('contacts', { firstname: 'B' });
    expect([a.id, b.id]).toEqual(['p-1', 'p-2']);
  });
});

describe('crm.fork(): isolation', () => {
  it("writes in a fork (records, keys, edges, history, schema, pipelines) never reach the parent, nor the parent's later writes the fork", async () => {
    const { crm, storage } = await seeded();
    const before = JSON.stringify(storage.snapshot());
    const fork = await forkOf(crm);
    const [person] = (await fork.records.search('contacts', { limit: 1, sorts: [{ propertyName: 'email', direction: 'ASCENDING' }] })).results;
    const acme = await fork.records.getBy('companies', 'domain', 'acme.com');
    await fork.records.update('contacts', person!.id, { tier: 'platinum', email: 'moved@acme.com' });
    await fork.records.create('contacts', { email: 'only-in-fork@acme.com' });
    await fork.associations.remove(person!, acme!);
    await fork.records.archive('companies', acme!.id);
    await fork.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
    await fork.pipelines.createStage('deals', 'default', { label: 'Fork only', metadata: { probability: 0.5 } });
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    expect(await crm.records.getBy('contacts', 'email', 'only-in-fork@acme.com')).toBeUndefined();
    expect(await crm.records.getBy('contacts', 'email', person!.properties.email as string)).toBeDefined();
    expect((await crm.associations.list(person!, 'companies')).results).toHaveLength(1);
    expect((await crm.records.history('contacts', person!.id, 'tier'))).toHaveLength(1);
    expect(crm.schema.object('contacts').properties.some((property) => property.name === 'shoe_size')).toBe(false);

    // And the other way: the parent's later writes never reach the fork.
    const forkBefore = JSON.stringify(await snapshotOf(fork));
    await crm.records.update('contacts', person!.id, { tier: 'bronze' });
    await crm.records.create('contacts', { email: 'only-in-parent@acme.com' });
    await crm.associations.remove(person!, acme!);
    await crm.schema.defineProperty('contacts', { name: 'hat_size', label: 'Hat size', type: 'number', fieldType: 'number' });
    expect(JSON.stringify(await snapshotOf(fork))).toBe(forkBefore);
    expect(await fork.records.getBy('contacts', 'email', 'only-in-parent@acme.com')).toBeUndefined();
    expect((await fork.records.history('contacts', person!.id, 'tier')).map((entry) => entry.value)).toEqual(['platinum', 'gold']);
  });

  it('a rolled-back transaction in the fork or the parent leaves the other intact', async () => {
    const { crm, storage } = await seeded();
    const fork = await forkOf(crm);
    const parentBefore = JSON.stringify(storage.snapshot());
    const forkBefore = JSON.stringify(await snapshotOf(fork));
    const [person] = (await crm.records.search('contacts', { limit: 1 })).results;
    const acme = await crm.records.getBy('companies', 'domain', 'acme.com');
    const fail = async (target: Crm): Promise<void> => {
      await target
        .transaction(async (tx) => {
          await tx.records.update('contacts', person!.id, { tier: 'lead' });
          await tx.records.create('contacts', { email: 'rolled@acme.com' });
          await tx.associations.remove(person!, acme!);
          throw new Error('roll back');
        })
        .catch(() => undefined);
    };
    await fail(fork);
    await fail(crm);
    expect(JSON.stringify(storage.snapshot())).toBe(parentBefore);
    expect(JSON.stringify(await snapshotOf(fork))).toBe(forkBefore);
    // Both still take writes, each on its own.
    await fork.records.update('contacts', person!.id, { tier: 'fork' });
    expect((await crm.records.get('contacts', person!.id))!.properties.tier).toBe('gold');
  });

  it('search in the parent and the fork agrees with the reference evaluator after each side writes', async () => {
    const storage = memoryStorage();
    const crm = await createCrm({ storage });
    await crm.schema.defineProperty('contacts', { name: 'tier', label: 'Tier', type: 'string', fieldType: 'text', indexed: true });
    const people = await crm.records.createMany('contacts', Array.from({ length: 8 }, (_, i) => ({ email: `s${i}@x.com`, tier: i % 2 ? 'gold' : 'silver' })));
    // The parent's index is built before the fork, and kept by the parent alone.
    expect((await searchBoth(crm, storage, gold))[0]).toHaveLength(4);
    const forkStorage = await storage.fork();
    const fork = await createCrm({ storage: forkStorage });
    await fork.records.update('contacts', people[0]!.id, { tier: 'gold' });
    await crm.records.update('contacts', people[1]!.id, { tier: 'silver' });
    const [forkIds, forkReference] = await searchBoth(fork, forkStorage, gold);
    const [parentIds, parentReference] = await searchBoth(crm, storage, gold);
    expect(forkIds).toEqual(forkReference);
    expect(parentIds).toEqual(parentReference);
    expect(forkIds).toHaveLength(5);
    expect(parentIds).toHaveLength(3);
  });
});

/** A forked CRM's snapshot: its storage is private, so fork it once more and read that. */
async function snapshotOf(crm: Crm): Promise<unknown> {
  // A fork of it holds its state at the call, and reading the fork changes nothing in it.
  const spy = await crm.fork();
  const records = await spy.records.search('contacts', { limit: 200, sorts: [{ propertyName: 'email', direction: 'ASCENDING' }] });
  const companies = await spy.records.search('companies', { limit: 200 });
  const edges = await Promise.all(records.results.map((record) => spy.associations.list(record, 'companies')));
  const history = await Promise.all(records.results.map((record) => spy.records.history('contacts', record.id, 'tier')));
  return { records: records.results, companies: companies.results, edges, history, schema: spy.schema.object('contacts').properties.map((p) => p.name) };
}

// ---------------------------------------------------------------- the property

type Op =
  | { kind: 'insert'; type: string; id: string; n: number }
  | { kind: 'update'; type: string; id: string; n: number }
  | { kind: 'delete'; type: string; id: string }
  | { kind: 'claim'; type: string; id: string; value: string }
  | { kind: 'release'; type: string; id: string; value: string }
  | { kind: 'edge'; from: string; to: string; label: string }
  | { kind: 'unedge'; from: string; to: string }
  | { kind: 'history'; type: string; id: string; n: number }
  | { kind: 'meta'; key: string; n: number };

/** Where ops go: write `op`s to node `node` (committed, or rolled back when `fail`), or fork node `node`. */
type Step = { kind: 'write'; node: number; ops: Op[]; fail: boolean } | { kind: 'fork'; node: number };

const TYPES = ['contacts', 'companies'];
const IDS = ['1', '2', '3'];
const type = fc.constantFrom(...TYPES);
const id = fc.constantFrom(...IDS);
const ref = fc.tuple(type, id).map(([t, i]) => `${t}/${i}`);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), type, id, n: fc.nat(9) }),
  fc.record({ kind: fc.constant('update' as const), type, id, n: fc.nat(9) }),
  fc.record({ kind: fc.constant('delete' as const), type, id }),
  fc.record({ kind: fc.constant('claim' as const), type, id, value: fc.constantFrom('x', 'y') }),
  fc.record({ kind: fc.constant('release' as const), type, id, value: fc.constantFrom('x', 'y') }),
  fc.record({ kind: fc.constant('edge' as const), from: ref, to: ref, label: fc.constantFrom('a', 'b') }),
  fc.record({ kind: fc.constant('unedge' as const), from: ref, to: ref }),
  fc.record({ kind: fc.constant('history' as const), type, id, n: fc.nat(9) }),
  fc.record({ kind: fc.constant('meta' as const), key: fc.constantFrom('m', 'n'), n: fc.nat(9) }),
);
const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), node: fc.nat(5), ops: fc.array(op, { minLength: 1, maxLength: 4 }), fail: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('fork' as const), node: fc.nat(5) }) },
  ),
  { maxLength: 50 },
);

const T0 = '2026-01-01T00:00:00.000Z';

/**
 * Where every run starts: each record with a history array, edges to both types and a key, so
 * the first fork already shares every kind of container a later write may have to copy.
 */
const SETUP: Op[] = TYPES.flatMap((t) =>
  IDS.flatMap((i): Op[] => [
    { kind: 'insert', type: t, id: i, n: 0 },
    { kind: 'history', type: t, id: i, n: 1 },
    { kind: 'claim', type: t, id: i, value: `v${i}` },
  ]),
).concat(TYPES.flatMap((t) => IDS.map((i): Op => ({ kind: 'edge', from: `${t}/${i}`, to: `${TYPES[(TYPES.indexOf(t) + 1) % 2]}/${i}`, label: 'a' }))));

/** Applies one op; what it does depends only on the storage's state, so a copy in the same state does the same. */
async function apply(tx: StorageTx, op: Op): Promise<void> {
  const exists = async (t: string, i: string): Promise<StoredRecord | undefined> => (await tx.getRecords(t, [i]))[0];
  switch (op.kind) {
    case 'insert': {
      const record: StoredRecord = Object.freeze({ id: op.id, objectType: op.type, properties: Object.freeze({ n: op.n }), createdAt: T0, updatedAt: T0, archived: false });
      const taken = await tx.insertRecords([record]);
      if (taken.length === 0) await tx.appendHistory([{ objectType: op.type, id: op.id, timestamp: T0, source: SOURCE, values: record.properties }]);
      return;
    }
    case 'update': {
      const current = await exists(op.type, op.id);
      if (current) await tx.updateRecords([Object.freeze({ ...current, properties: Object.freeze({ n: op.n }), archived: op.n % 3 === 0 })]);
      return;
    }
    case 'delete':
      return tx.deleteRecords(op.type, [op.id]);
    case 'claim':
      await tx.claimKeys(op.type, [{ key: 'k', value: op.value, id: op.id }]);
      return;
    case 'release':
      return tx.releaseKeys(op.type, [{ key: 'k', value: op.value, id: op.id }]);
    case 'edge': {
      const [fromType, fromId] = op.from.split('/') as [string, string];
      const [toType, toId] = op.to.split('/') as [string, string];
      if (!(await exists(fromType, fromId)) || !(await exists(toType, toId))) return;
      const edge: StoredEdge = { fromType, fromId, toType, toId, labels: [op.label], inverseLabels: [], createdAt: T0, archived: false };
      await tx.putEdges([edge]);
      await tx.appendEdgeHistory([{ objectType: fromType, id: fromId, toType, toId, action: 'created', labelsBefore: [], labelsAfter: [op.label], timestamp: T0, source: SOURCE }]);
      return;
    }
    case 'unedge': {
      const [fromType, fromId] = op.from.split('/') as [string, string];
      const [toType, toId] = op.to.split('/') as [string, string];
      return tx.deleteEdges([{ fromType, fromId, toType, toId }]);
    }
    case 'history':
      if (await exists(op.type, op.id)) await tx.appendHistory([{ objectType: op.type, id: op.id, timestamp: T0, source: SOURCE, values: { n: op.n } }]);
      return;
    case 'meta':
      return tx.putMeta(op.key, { n: op.n });
  }
}

async function write(storage: MemoryStorage, ops: readonly Op[], fail: boolean): Promise<void> {
  await storage
    .transaction('write', async (tx) => {
      for (const each of ops) await apply(tx, each);
      if (fail) throw new Error('roll back');
    })
    .catch((error: unknown) => {
      if (!fail) throw error;
    });
}

describe('memory storage forks (property)', () => {
  it('random writes to a parent and its forks, interleaved, equal the same writes to independent copies', async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        // Each node: the real storage (forks share copy-on-write) and its model, a fresh storage
        // that replays every committed batch the node has seen since the start, so it shares nothing.
        const nodes: Array<{ real: MemoryStorage; log: Op[][]; model: MemoryStorage }> = [{ real: memoryStorage(), log: [SETUP], model: memoryStorage() }];
        await write(nodes[0]!.real, SETUP, false);
        await write(nodes[0]!.model, SETUP, false);
        for (const step of plan) {
          const node = nodes[step.node % nodes.length]!;
          if (step.kind === 'fork') {
            const model = memoryStorage();
            for (const ops of node.log) await write(model, ops, false);
            nodes.push({ real: await node.real.fork(), log: [...node.log], model });
            continue;
          }
          await write(node.real, step.ops, step.fail);
          await write(node.model, step.ops, step.fail);
          if (!step.fail) node.log.push(step.ops);
          // Every node, not only the one written: a write must not leak into a parent or a fork.
          for (const other of nodes) expect(other.real.snapshot()).toEqual(other.model.snapshot());
        }
      }),
      { numRuns: 300 },
    );
  });
});
