// Association type ids (docs/associations.md "Type ids", decision 0025): HubSpot's ids per
// direction as catalogue data, checked against the official SDK's AssociationTypes table; the
// generated ids of other standard pairs; the stored ids of custom pairs and user labels, which
// never equal another id. The pure rules (src/schema/catalogue/association-types.ts,
// src/schema/type-ids.ts) first, then the public `crm.associations.types`.
import { AssociationTypes } from '@hubspot/api-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm, MemoryStorage, type Crm } from 'crmkit';
import {
  allocatableTypeId,
  DEFINED_TYPES,
  generatedPrimaryTypeIds,
  generatedTypeId,
  LEFT_OUT_TYPES,
  reservedTypeId,
} from '../../src/schema/catalogue/index.js';
import type { SchemaDoc } from '../../src/schema/model.js';
import { customPairs, withCustomPairTypeIds } from '../../src/schema/type-ids.js';
import { expectCrmError, testCrm } from '../helpers.js';

/** The SDK's table as [name, id] (a numeric enum also maps ids back to names: those are left out). */
const SDK_TYPES = Object.entries(AssociationTypes).filter((entry): entry is [string, number] => typeof entry[1] === 'number');

const roastBatches = (associations: string[]) => ({
  name: 'roast_batches',
  labels: { singular: 'Roast batch', plural: 'Roast batches' },
  primaryDisplayProperty: 'batch_name',
  requiredProperties: ['batch_name'],
  properties: [{ name: 'batch_name', label: 'Batch name', type: 'string' as const, fieldType: 'text' as const }],
  associations,
});

/** Every type id the crm answers for every pair it accepts, by direction. */
function everyTypeId(crm: Crm): Map<number, string[]> {
  const ids = new Map<number, string[]>();
  const names = crm.schema.objects().map((type) => type.name);
  for (const from of names) {
    for (const to of names) {
      let types;
      try {
        types = crm.associations.types(from, to);
      } catch {
        continue; // a pair that may not associate
      }
      for (const type of types) ids.set(type.typeId, [...(ids.get(type.typeId) ?? []), `${from}→${to}:${type.name ?? ''}`]);
    }
  }
  return ids;
}

describe('the rules', () => {
  it('generatedTypeId: 1,000,000 + 1,000 × from + to, for standard types only', () => {
    expect(generatedTypeId('0-1', '0-53')).toBe(1_001_053);
    expect(generatedTypeId('0-53', '0-1')).toBe(1_053_001);
    expect(generatedTypeId('2-1', '0-1')).toBeUndefined();
    expect(generatedTypeId('0-1', '2-7')).toBeUndefined();
  });

  it('generatedTypeId never collides, and lands in the reserved range', () => {
    fc.assert(
      fc.property(fc.nat({ max: 999 }), fc.nat({ max: 999 }), fc.nat({ max: 999 }), fc.nat({ max: 999 }), (a, b, c, d) => {
        const one = generatedTypeId(`0-${a}`, `0-${b}`)!;
        const two = generatedTypeId(`0-${c}`, `0-${d}`)!;
        expect(one === two).toBe(a === c && b === d);
        expect(reservedTypeId(one)).toBe(true);
      }),
    );
  });

  it('generatedPrimaryTypeIds: 100,000 + 2n for standard types, 200,000 + 2n for custom ones', () => {
    expect(generatedPrimaryTypeIds('0-136')).toEqual([100_272, 100_273]);
    expect(generatedPrimaryTypeIds('2-3')).toEqual([200_006, 200_007]);
    expect(reservedTypeId(100_272)).toBe(true);
  });

  it('allocatableTypeId skips every reserved id', () => {
    expect(allocatableTypeId(0)).toBe(1000);
    expect(allocatableTypeId(1000)).toBe(1000);
    expect(allocatableTypeId(99_999)).toBe(99_999);
    expect(allocatableTypeId(100_000)).toBe(10_000_000);
    fc.assert(fc.property(fc.nat({ max: 20_000_000 }), (n) => !reservedTypeId(allocatableTypeId(n))));
  });

  it('withCustomPairTypeIds allocates each custom pair once, whatever order the document lists objects in', () => {
    const custom = (name: string, associations: string[]) => ({ id: `2-${name.length}`, name, custom: true, associations }) as never;
    const doc: SchemaDoc = { objects: { b_things: custom('b_things', ['contacts', 'a_things']), a_things: custom('a_things', ['deals']) }, nextCustomObjectNumber: 3, nextLabelTypeId: 1004 };
    const swapped: SchemaDoc = { ...doc, objects: { a_things: doc.objects.a_things!, b_things: doc.objects.b_things! } };
    const once = withCustomPairTypeIds(doc);
    expect(customPairs(doc)).toEqual([
      ['a_things', 'deals'],
      ['b_things', 'contacts'],
      ['b_things', 'a_things'],
    ]);
    expect(once.pairTypes).toEqual([
      { from: 'a_things', to: 'deals', typeId: 1004, inverseTypeId: 1005 },
      { from: 'b_things', to: 'contacts', typeId: 1006, inverseTypeId: 1007 },
      { from: 'b_things', to: 'a_things', typeId: 1008, inverseTypeId: 1009 },
    ]);
    expect(once.nextLabelTypeId).toBe(1010);
    expect(withCustomPairTypeIds(swapped).pairTypes).toEqual(once.pairTypes);
    // Nothing missing: the same document.
    expect(withCustomPairTypeIds(once)).toBe(once);
  });
});

describe("HubSpot's table", () => {
  it('every id of the SDK’s AssociationTypes is answered by a pair crmkit accepts (the quote template aside)', async () => {
    const { crm } = await testCrm();
    const leftOut = new Set(LEFT_OUT_TYPES.map(([, , typeId]) => typeId));
    expect(SDK_TYPES).toHaveLength(103);
    for (const [name, typeId] of SDK_TYPES) {
      if (leftOut.has(typeId)) continue;
      const defined = DEFINED_TYPES.filter((type) => type.typeId === typeId);
      // Same-type pairs use one id both ways; every other id is one direction.
      expect(defined.length, `${name} (${typeId})`).toBeGreaterThan(0);
      for (const { from, to, label } of defined) {
        const answered = crm.associations.types(from, to).find((type) => type.typeId === typeId);
        expect(answered, `${name} (${typeId}) as ${from} → ${to}`).toMatchObject({ from, to, typeId, category: 'HUBSPOT_DEFINED', name: label });
      }
    }
    // And nothing beyond it is called HubSpot's.
    const sdkIds = new Set(SDK_TYPES.map(([, typeId]) => typeId));
    for (const type of DEFINED_TYPES) expect(sdkIds.has(type.typeId), `${type.from} → ${type.to} ${type.typeId}`).toBe(true);
  });

  it('contact ↔ company: 279 / 280 unlabelled, 1 / 2 primary', async () => {
    const { crm } = await testCrm();
    expect(crm.associations.types('contacts', 'companies')).toEqual([
      { from: 'contacts', to: 'companies', typeId: 279, category: 'HUBSPOT_DEFINED', name: null, label: null, limit: 'many' },
      { from: 'contacts', to: 'companies', typeId: 1, category: 'HUBSPOT_DEFINED', name: 'primary', label: 'Primary', limit: 'one' },
    ]);
    expect(crm.associations.types('companies', 'contacts').map((type) => [type.typeId, type.name])).toEqual([
      [280, null],
      [2, 'primary'],
    ]);
    // Tickets: company → ticket (primary) is 25, ticket → company 26.
    expect(crm.associations.types('tickets', 'companies').map((type) => type.typeId)).toEqual([339, 26]);
    expect(crm.associations.types('companies', 'tickets').map((type) => type.typeId)).toEqual([340, 25]);
  });

  it('each type carries the limit the crm enforces in its direction: the pair\'s, the label\'s from that side', async () => {
    const { crm } = await testCrm();
    // One primary company per contact; a company is primary for any number of contacts.
    expect(crm.associations.types('companies', 'contacts').map((type) => [type.name, type.limit])).toEqual([
      [null, 'many'],
      ['primary', 'many'],
    ]);
    await crm.schema.defineAssociation('deals', 'contacts', { limit: 20, inverseLimit: 'many' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', inverseLabel: 'Champion of', limit: 'one', inverseLimit: 5 });
    expect(crm.associations.types('deals', 'contacts').map((type) => [type.name, type.limit])).toEqual([
      [null, 20],
      ['champion', 'one'],
    ]);
    expect(crm.associations.types('contacts', 'deals').map((type) => [type.name, type.limit])).toEqual([
      [null, 'many'],
      ['champion_of', 5],
    ]);
    // A company holds at most one parent, any number of children.
    const companies = new Map(crm.associations.types('companies', 'companies').map((type) => [type.name, type.limit]));
    expect(companies.get('parent_company')).toBe('one');
    expect(companies.get('child_company')).toBe('many');
  });

  it('the built-in labels: a company’s parent and children, a quote’s signers; IMMUTABLE, and not counted', async () => {
    const { crm } = await testCrm({ labelLimit: 1 });
    expect(crm.associations.types('companies', 'companies').map((type) => [type.typeId, type.name])).toEqual([
      [450, null],
      [13, 'child_company'],
      [14, 'parent_company'],
    ]);
    expect(crm.associations.types('quotes', 'contacts').map((type) => [type.typeId, type.name])).toEqual([
      [69, null],
      [702, 'contact_signer'],
    ]);
    // HubSpot's table has no contact → quote signer id: a generated one.
    expect(crm.associations.types('contacts', 'quotes').map((type) => [type.typeId, type.name])).toEqual([
      [70, null],
      [2_000_702, 'contact_signer'],
    ]);
    await expectCrmError(crm.associations.deleteLabel('companies', 'companies', 'parent_company'), 'IMMUTABLE');
    await expectCrmError(crm.associations.updateLabel('quotes', 'contacts', 'contact_signer', { label: 'Signer' }), 'IMMUTABLE');
    await expectCrmError(crm.associations.createLabel({ from: 'companies', to: 'companies', label: 'Parent company' }), 'LABEL_EXISTS');
    // labelLimit 1: the built-in does not count.
    await crm.associations.createLabel({ from: 'companies', to: 'companies', label: 'Supplier' });
  });

  it('a company has one parent: parent_company is capped at one, child_company is not', async () => {
    const { crm } = await testCrm();
    const [parent, child, other] = await crm.records.createMany('companies', [{ name: 'Parent' }, { name: 'Child' }, { name: 'Other' }]);
    await crm.associations.associate(parent!, child!, ['child_company']);
    await crm.associations.associate(parent!, other!, ['child_company']);
    const fromChild = await crm.associations.list(child!, 'companies');
    expect(fromChild.results.map((item) => [item.id, item.labels])).toEqual([[parent!.id, ['parent_company']]]);
    await expectCrmError(crm.associations.associate(child!, other!, ['parent_company']), 'ASSOCIATION_LIMIT');
  });
});

describe('generated and stored ids', () => {
  it('a standard pair outside HubSpot’s table gets its generated ids, both ways', async () => {
    const { crm } = await testCrm();
    expect(crm.associations.types('contacts', 'invoices')[0]!.typeId).toBe(1_001_053);
    expect(crm.associations.types('invoices', 'contacts')[0]!.typeId).toBe(1_053_001);
    expect(crm.associations.types('leads', 'companies').map((type) => type.typeId)).toEqual([1_136_002, 100_272]);
  });

  it('a custom pair’s ids are stored with the schema: the same after a restart, and shared with no other type', async () => {
    const storage = new MemoryStorage();
    const crm = await createCrm({ storage });
    await crm.associations.createLabel({ from: 'contacts', to: 'deals', label: 'Buyer' });
    await crm.schema.defineObject(roastBatches(['contacts', 'companies']));
    const first = crm.associations.types('roast_batches', 'contacts');
    expect(first.map((type) => type.typeId)).toEqual([1002]);
    expect(crm.associations.types('contacts', 'roast_batches').map((type) => type.typeId)).toEqual([1003]);
    const again = await createCrm({ storage });
    expect(again.associations.types('roast_batches', 'contacts')).toEqual(first);
    // A label made after continues past them.
    const label = await again.associations.createLabel({ from: 'roast_batches', to: 'contacts', label: 'Taster' });
    expect(label.typeId).toBeGreaterThan(1005);
  });

  it('over any labels and custom objects, no two types share an id, and none is reserved unless HubSpot’s or generated', async () => {
    const pairs = [
      ['contacts', 'deals'],
      ['contacts', 'contacts'],
      ['companies', 'companies'],
      ['quotes', 'contacts'],
      ['roast_batches', 'contacts'],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: pairs.length - 1 }), fc.boolean()), { maxLength: 6 }),
        fc.boolean(),
        async (labels, customFirst) => {
          const { crm } = await testCrm({ labelLimit: 50 });
          if (customFirst) await crm.schema.defineObject(roastBatches(['contacts', 'deals']));
          for (const [at, [position, paired]] of labels.entries()) {
            const [from, to] = pairs[position]!;
            if (from === 'roast_batches' && crm.schema.objects().every((type) => type.name !== 'roast_batches')) continue;
            await crm.associations.createLabel({ from, to, label: `Label ${at}`, ...(paired ? { inverseLabel: `Inverse ${at}` } : {}) });
          }
          if (!customFirst) await crm.schema.defineObject(roastBatches(['contacts', 'deals']));
          const ids = everyTypeId(crm);
          // Each id is one type of one direction (a same-type pair's direction is both ways at once).
          for (const [typeId, uses] of ids) expect(uses, `${typeId}`).toHaveLength(1);
        },
      ),
      { numRuns: 15 },
    );
  });
});
