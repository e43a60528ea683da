// crmkit/testing/arbitraries: every generated record is one crmkit creates, for every object
// type of the catalogue and for a custom object with every property type; arrays of them
// create in one createMany; every invalid value is refused with exactly the code it names;
// seeded CRMs from arbitrary options satisfy the seed's rules.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCrmError, type Crm, type CrmRecord, type PropertiesInput } from 'crmkit';
import { invalidValueArbitrary, recordArbitrary, recordsArbitrary, seededCrm, seedOptionsArbitrary } from 'crmkit/testing/arbitraries';
import { expectCrmError, testCrm } from '../helpers.js';
import { expectSeedInvariants } from './seed-invariants.js';

/** `npm run fuzz` multiplies the runs (CRMKIT_FUZZ_SCALE); `npm test` keeps them quick. */
const SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);
const RUNS = { numRuns: 30 * SCALE };

/** A CRM with every type active, a second deal pipeline, and a custom object with every property type. */
async function richCrm(): Promise<Crm> {
  const { crm } = await testCrm();
  for (const type of crm.schema.objects()) if (!type.active) await crm.schema.activate(type.name);
  await crm.pipelines.create('deals', {
    label: 'Renewals',
    stages: [
      { label: 'Up for renewal', metadata: { probability: 0.5 } },
      { label: 'Renewed', metadata: { probability: 1 } },
    ],
  });
  await crm.schema.defineObject({
    name: 'roast_batches',
    labels: { singular: 'Roast batch', plural: 'Roast batches' },
    primaryDisplayProperty: 'batch_name',
    requiredProperties: ['batch_name', 'roast'],
    properties: [
      { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' },
      { name: 'notes', label: 'Notes', type: 'string', fieldType: 'textarea' },
      { name: 'lot', label: 'Lot', type: 'string', fieldType: 'text', unique: true },
      { name: 'weight', label: 'Weight', type: 'number', fieldType: 'number' },
      { name: 'serial', label: 'Serial', type: 'number', fieldType: 'number', unique: true },
      { name: 'organic', label: 'Organic', type: 'bool', fieldType: 'booleancheckbox' },
      { name: 'roasted_on', label: 'Roasted on', type: 'date', fieldType: 'date' },
      { name: 'cupped_at', label: 'Cupped at', type: 'datetime', fieldType: 'date' },
      { name: 'roast', label: 'Roast', type: 'enumeration', fieldType: 'select', options: [{ label: 'Light', value: 'light' }, { label: 'Dark', value: 'dark' }] },
      { name: 'grind', label: 'Grind', type: 'enumeration', fieldType: 'radio', options: [{ label: 'Fine', value: 'fine' }, { label: 'Coarse', value: 'coarse' }] },
      { name: 'notes_of', label: 'Tasting notes', type: 'enumeration', fieldType: 'checkbox', options: [{ label: 'Cocoa', value: 'cocoa' }, { label: 'Citrus', value: 'citrus' }, { label: 'Berry', value: 'berry' }] },
      { name: 'roaster_phone', label: 'Roaster phone', type: 'phone_number', fieldType: 'phonenumber' },
    ],
    associations: ['contacts', 'deals'],
  });
  return crm;
}

/** What a record of `type` must be created with besides its properties: a quote's deal, a lead's contact. */
async function createOptions(crm: Crm, type: string): Promise<{ associations?: Array<{ to: CrmRecord }> }> {
  if (type === 'quotes') return { associations: [{ to: await crm.records.create('deals', { dealname: 'For a quote', dealstage: 'appointmentscheduled' }) }] };
  if (type === 'leads') return { associations: [{ to: await crm.records.create('contacts', { firstname: 'For a lead' }) }] };
  return {};
}

describe('recordArbitrary', () => {
  let base: Crm;
  beforeAll(async () => {
    base = await richCrm();
  });

  it('makes records that crm.records.create accepts, for every object type (custom ones included)', async () => {
    for (const { name } of base.schema.objects()) {
      const records = await recordArbitrary(base, name);
      await fc.assert(
        fc.asyncProperty(records, async (properties) => {
          const crm = await base.fork();
          const created = await crm.records.create(name, properties, await createOptions(crm, name)).catch((error: unknown) => {
            throw new Error(`${name} ${JSON.stringify(properties)}: ${String(error)}`);
          });
          expect(created.objectType).toBe(name);
        }),
        { numRuns: 15 * SCALE },
      );
    }
  });

  it('gives every required property, a "one of" member, the dedup key and a stage of the chosen pipeline', async () => {
    const contacts = await recordArbitrary(base, 'contacts');
    const deals = await recordArbitrary(base, 'deals');
    const batches = await recordArbitrary(base, 'roast_batches');
    const pipelines = await base.pipelines.list('deals');
    fc.assert(
      fc.property(contacts, deals, batches, (contact, deal, batch) => {
        expect(typeof contact.email).toBe('string');
        expect(deal.dealname).toBeDefined();
        const pipeline = pipelines.find((candidate) => candidate.id === deal.pipeline)!;
        expect(pipeline.stages.map((stage) => stage.id)).toContain(deal.dealstage);
        expect(batch.batch_name).toBeDefined();
        expect(['light', 'dark']).toContain(batch.roast);
        for (const name of Object.keys({ ...contact, ...deal, ...batch })) expect(name).not.toMatch(/^hs_object_id$|^hs_is_closed|^hs_createdate$/);
      }),
      RUNS,
    );
  });

  it('lands in every live pipeline, the user’s own included', async () => {
    const deals = await recordArbitrary(base, 'deals');
    const seen = new Set(fc.sample(deals, 200).map((deal) => deal.pipeline));
    expect([...seen].sort()).toEqual(['default', 'renewals']);
  });

  it('keeps to the properties asked for, and lays overrides over every record', async () => {
    const contacts = await recordArbitrary(base, 'contacts', { properties: ['jobtitle'], overrides: { lifecyclestage: 'customer', email: undefined, firstname: 'Ana' } });
    for (const contact of fc.sample(contacts, 50)) {
      expect(Object.keys(contact).filter((name) => !['jobtitle', 'lifecyclestage', 'firstname'].includes(name))).toEqual([]);
      expect(contact.lifecyclestage).toBe('customer');
    }
  });

  it('answers a VALIDATION_ERROR for an unknown property, an inactive type, and UNKNOWN_OBJECT_TYPE for an unknown type', async () => {
    const { crm } = await testCrm();
    await expectCrmError(recordArbitrary(crm, 'contacts', { properties: ['hs_object_id'] }), 'VALIDATION_ERROR');
    await expectCrmError(recordArbitrary(crm, 'services'), 'VALIDATION_ERROR');
    await expectCrmError(recordArbitrary(crm, 'contact'), 'UNKNOWN_OBJECT_TYPE');
  });
});

describe('recordsArbitrary', () => {
  let base: Crm;
  beforeAll(async () => {
    base = await richCrm();
  });

  it.each(['contacts', 'companies', 'roast_batches', 'deals'])('makes %s whose dedup keys differ, so one createMany creates them all', async (type) => {
    const arrays = await recordsArbitrary(base, type, { minLength: 1, maxLength: 15 });
    await fc.assert(
      fc.asyncProperty(arrays, async (inputs) => {
        expect(inputs.length).toBeGreaterThanOrEqual(1);
        const created = await (await base.fork()).records.createMany(type, inputs);
        expect(created).toHaveLength(inputs.length);
      }),
      RUNS,
    );
  });

  it('refuses a bad length', async () => {
    await expectCrmError(recordsArbitrary(base, 'contacts', { minLength: 3, maxLength: 2 }), 'VALIDATION_ERROR');
  });
});

describe('invalidValueArbitrary', () => {
  let base: Crm;
  beforeAll(async () => {
    base = await richCrm();
  });

  it.each(['contacts', 'companies', 'deals', 'tickets', 'products', 'line_items', 'meetings', 'roast_batches'])(
    '%s: a valid record with one value replaced is refused with exactly the code named, and nothing is written',
    async (type) => {
      const valid = await recordArbitrary(base, type);
      const invalid = await invalidValueArbitrary(base, type);
      await fc.assert(
        fc.asyncProperty(valid, invalid, async (record, { property, value, code }) => {
          const crm = await base.fork();
          const input: PropertiesInput = { ...record, [property]: value };
          const error = await crm.records.create(type, input).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(isCrmError(error, 'VALIDATION_ERROR'), `${type} ${property} = ${JSON.stringify(value)?.slice(0, 80)} was accepted or failed otherwise: ${String(error)}`).toBe(true);
          if (!isCrmError(error, 'VALIDATION_ERROR')) return;
          expect(error.details.issues.map((issue) => [issue.code, issue.property])).toEqual([[code, property]]);
          expect(await crm.records.count(type)).toBe(await base.records.count(type));
        }),
        RUNS,
      );
    },
  );

  it('covers every code its types can answer', async () => {
    const codes = new Set<string>();
    for (const type of ['contacts', 'companies', 'products', 'roast_batches']) for (const { code } of fc.sample(await invalidValueArbitrary(base, type), 500)) codes.add(code);
    expect([...codes].sort()).toEqual(['INVALID_BOOLEAN', 'INVALID_DATE', 'INVALID_DOMAIN', 'INVALID_EMAIL', 'INVALID_NUMBER', 'INVALID_OPTION', 'INVALID_STRING', 'OUT_OF_RANGE', 'TOO_LONG']);
  });
});

describe('seedOptionsArbitrary and seededCrm', () => {
  it('seeds a CRM that satisfies the seed rules for any small options', async () => {
    await fc.assert(
      fc.asyncProperty(seedOptionsArbitrary({ max: 6 }), async (options) => {
        const { crm, data } = await seededCrm(options);
        const counts = Object.fromEntries(Object.entries(options).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[0] !== 'seed'));
        await expectSeedInvariants(crm, data, counts);
      }),
      { numRuns: 15 * SCALE },
    );
  });

  it('gives the same ids for the same options', async () => {
    const options = fc.sample(seedOptionsArbitrary({ max: 3 }), { numRuns: 1, seed: 7 })[0]!;
    const [first, second] = [await seededCrm(options), await seededCrm(options)];
    expect(second.data).toEqual(first.data);
  });
});
