// Properties of segment membership over random writes: an active segment's members are always
// the search of its filter (read-your-writes, whatever was written), and a static segment's are
// always the records added and not removed, archived or purged since (a model set). Run on
// memory and on a SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrm, type Crm, type Filter, type FilterSpec, type Storage } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';
import { sequentialIds, steppingClock } from 'crmkit/testing';

const dir = mkdtempSync(join(tmpdir(), 'crmkit-segments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const STORAGES: Array<[string, () => Storage, number]> = [
  ['memory', () => undefined as unknown as Storage, 60],
  ['sqlite', () => sqliteStorage(join(dir, `s${files++}.db`)), 15],
];

const STAGES = ['lead', 'customer', 'subscriber'] as const;
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'BANKING'] as const;

/** Filters drawn from what segments say: values, presence, associations (any, primary), other segments. */
const leaf: fc.Arbitrary<Filter> = fc.oneof(
  fc.constantFrom(...STAGES).map((value): Filter => ({ propertyName: 'lifecyclestage', operator: 'EQ', value })),
  fc.constantFrom(...STAGES).map((value): Filter => ({ propertyName: 'lifecyclestage', operator: 'NEQ', value })),
  fc.constant<Filter>({ propertyName: 'firstname', operator: 'HAS_PROPERTY' }),
  fc.constantFrom(...INDUSTRIES).map((value): Filter => ({ association: { toType: 'companies', filters: [{ propertyName: 'industry', operator: 'EQ', value }] } })),
  fc.constantFrom(...INDUSTRIES).map((value): Filter => ({ association: { toType: 'companies', primary: true, filters: [{ propertyName: 'industry', operator: 'EQ', value }] } })),
  fc.constant<Filter>({ segment: { id: 'static' } }),
);
const filterSpec: fc.Arbitrary<FilterSpec> = fc
  .array(fc.array(leaf, { minLength: 1, maxLength: 3 }), { minLength: 0, maxLength: 3 })
  .map((groups) => ({ filterGroups: groups.map((filters) => ({ filters })) }));

type Command =
  | { kind: 'create'; stage: (typeof STAGES)[number] | undefined; named: boolean }
  | { kind: 'update'; at: number; stage: (typeof STAGES)[number] | null }
  | { kind: 'archive' | 'restore' | 'purge' | 'add' | 'remove'; at: number }
  | { kind: 'associate'; at: number; company: number }
  | { kind: 'industry'; company: number; industry: (typeof INDUSTRIES)[number] };

// Weighted so that a run often adds a record to the static segment, archives it and restores it.
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), stage: fc.option(fc.constantFrom(...STAGES), { nil: undefined }), named: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), at: fc.nat(), stage: fc.option(fc.constantFrom(...STAGES), { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('add' as const, 'archive' as const, 'restore' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('purge' as const, 'remove' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('associate' as const), at: fc.nat(), company: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('industry' as const), company: fc.nat(2), industry: fc.constantFrom(...INDUSTRIES) }) },
);

/** Every member's id, by pages of 3, and the ids the segment's filter finds by search. */
async function compare(crm: Crm, segmentId: string, filter: FilterSpec): Promise<void> {
  const members: string[] = [];
  let after: string | undefined;
  do {
    const page = await crm.segments.members(segmentId, { limit: 3, ...(after !== undefined ? { after } : {}) });
    members.push(...page.results.map((record) => record.id));
    after = page.paging?.next?.after;
  } while (after !== undefined);
  const searched = (await crm.records.search('contacts', { ...filter, limit: 1_000 })).results.map((record) => record.id);
  expect(members).toEqual(searched);
}

for (const [name, storage, runs] of STORAGES) {
  describe(`segment membership: ${name}`, () => {
    it("an active segment's members are always the search of its filter, and a static one's the records added and still live", async () => {
      await fc.assert(
        fc.asyncProperty(filterSpec, fc.array(command, { minLength: 5, maxLength: 30, size: 'max' }), async (filter, commands) => {
          const crm = await createCrm({ ...(name === 'memory' ? {} : { storage: storage() }), ids: sequentialIds(), clock: steppingClock() });
          try {
            const companies = await crm.records.createMany('companies', [
              { name: 'A', domain: 'a.example', industry: 'COMPUTER_SOFTWARE' },
              { name: 'B', domain: 'b.example', industry: 'BANKING' },
              { name: 'C', domain: 'c.example' },
            ]);
            const picked = await crm.segments.create({ name: 'Picked', objectType: 'contacts', kind: 'static' });
            // The filters name the static segment as 'static': its real id.
            const spec: FilterSpec = JSON.parse(JSON.stringify(filter).replaceAll('"id":"static"', `"id":"${picked.id}"`));
            const active = await crm.segments.create({ name: 'Active', objectType: 'contacts', kind: 'active', filter: spec });
            const contacts: Array<{ id: string; live: boolean; purged: boolean }> = [];
            const model = new Set<string>();
            let n = 0;
            for (const stage of ['lead', 'customer', undefined]) {
              const made = await crm.records.create('contacts', { email: `p${n++}@x.example`, ...(stage ? { lifecyclestage: stage } : {}) });
              contacts.push({ id: made.id, live: true, purged: false });
            }
            for (const step of commands) {
              const target = contacts.length === 0 || !('at' in step) ? undefined : contacts[step.at % contacts.length]!;
              const ref = target && { objectType: 'contacts', id: target.id };
              switch (step.kind) {
                case 'create': {
                  const made = await crm.records.create('contacts', { email: `p${n++}@x.example`, ...(step.stage ? { lifecyclestage: step.stage } : {}), ...(step.named ? { firstname: 'N' } : {}) });
                  contacts.push({ id: made.id, live: true, purged: false });
                  break;
                }
                case 'update':
                  if (target?.live) await crm.records.update('contacts', target.id, { lifecyclestage: step.stage ?? '' });
                  break;
                case 'archive':
                  if (target?.live) {
                    await crm.records.archive('contacts', target.id);
                    target.live = false;
                    model.delete(target.id);
                  }
                  break;
                case 'restore':
                  if (target && !target.live && !target.purged) {
                    await crm.records.restore('contacts', target.id);
                    target.live = true;
                  }
                  break;
                case 'purge':
                  if (target && !target.purged) {
                    await crm.records.purge('contacts', target.id);
                    target.live = false;
                    target.purged = true;
                    model.delete(target.id);
                  }
                  break;
                case 'add':
                  if (target?.live) {
                    await crm.segments.add(picked.id, [ref!]);
                    model.add(target.id);
                  }
                  break;
                case 'remove':
                  if (ref) {
                    await crm.segments.remove(picked.id, [ref]);
                    model.delete(target!.id);
                  }
                  break;
                case 'associate':
                  if (target?.live) await crm.associations.associate(ref!, companies[step.company]!);
                  break;
                case 'industry':
                  await crm.records.update('companies', companies[step.company]!.id, { industry: step.industry });
                  break;
              }
              await compare(crm, active.id, spec);
            }
            const members = (await crm.segments.members(picked.id, { limit: 1_000 })).results.map((record) => record.id);
            expect(new Set(members)).toEqual(model);
            for (const one of contacts) expect(await crm.segments.contains(picked.id, { objectType: 'contacts', id: one.id })).toBe(model.has(one.id));
          } finally {
            await crm.close();
          }
        }),
        { numRuns: runs },
      );
    });
  });
}
