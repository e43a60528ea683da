// crm.records.aggregate through the public API (docs/reports.md), one example per rule, run on
// every storage: memory, SQLite (a file), PostgreSQL on PGlite, and a PostgreSQL server when
// CRMKIT_PG_URL is set (e.g. from .ci/postgres.sh). The storages' answers to random plans are
// the conformance suite's (crmkit/testing/conformance, aggregate.ts); bad requests, which the
// engine refuses before any storage is asked, are checked on memory at the end.
import { describe, expect, it } from 'vitest';
import type { AggregateRequest, Crm, Storage } from 'crmkit';
import { postgresStorage } from 'crmkit/postgres';
import { sqliteStorage } from 'crmkit/sqlite';
import { expectCrmError } from '../helpers.js';
import { sqlDatabases } from '../adapters/sql-databases.js';
import { issues, searchCrm } from './fixtures.js';

const { file, pglite, pool, tenant } = sqlDatabases('aggregate');

const STORAGES: Array<{ name: string; storage: () => Storage | undefined }> = [
  { name: 'memory', storage: () => undefined },
  { name: 'sqlite', storage: () => sqliteStorage(file()) },
  { name: 'postgres (PGlite)', storage: () => postgresStorage({ client: pglite, tenant: tenant() }) },
  ...(pool ? [{ name: 'postgres (server)', storage: () => postgresStorage({ pool, tenant: tenant() }) }] : []),
];

/**
 * Companies in three spellings of Berlin, contacts at them, deals with labelled contacts:
 * - Ann: customer, coffee and tea, VIP, Berlin; primary Acme (software), also Beta.
 * - Bob: lead, tea, not VIP, berlin; primary Beta (banking).
 * - Cleo: customer, no interests, BERLIN; primary Gamma (no industry).
 * - Dan: no stage, Paris, no company.
 * - Eve: archived.
 * - Deals: Big (0.1, won) with Ann as decision maker and Bob unlabelled; Small (0.2, won) with Bob
 *   as decision maker and champion, Cleo as champion; None (no amount) with Dan unlabelled; Gone
 *   (archived, 100, won) with Dan as decision maker.
 */
async function seed(crm: Crm) {
  await crm.schema.defineProperty('contacts', { name: 'vip', label: 'VIP', type: 'bool', fieldType: 'booleancheckbox' });
  const [acme, beta, gamma] = await crm.records.createMany('companies', [
    { name: 'Acme', domain: 'acme.com', industry: 'COMPUTER_SOFTWARE' },
    { name: 'Beta', domain: 'beta.io', industry: 'BANKING' },
    { name: 'Gamma', domain: 'gamma.io' },
  ]);
  const [ann, bob, cleo, dan, eve] = await crm.records.createMany('contacts', [
    { email: 'ann@acme.com', lifecyclestage: 'customer', interests: ['coffee', 'tea'], vip: true, city: 'Berlin' },
    { email: 'bob@beta.io', lifecyclestage: 'lead', interests: ['tea'], vip: false, city: 'berlin' },
    { email: 'cleo@gamma.io', lifecyclestage: 'customer', city: 'BERLIN' },
    { email: 'dan@nowhere.org', city: 'Paris' },
    { email: 'eve@acme.com', lifecyclestage: 'lead', city: 'Berlin' },
  ]);
  await crm.associations.associate(ann!, acme!);
  await crm.associations.associate(ann!, beta!);
  await crm.associations.associate(bob!, beta!);
  await crm.associations.associate(cleo!, gamma!);
  await crm.associations.associate(eve!, acme!);
  const [big, small, none, gone] = await crm.records.createMany('deals', [
    { dealname: 'Big', amount: 0.1, dealstage: 'closedwon' },
    { dealname: 'Small', amount: 0.2, dealstage: 'closedwon' },
    { dealname: 'None', dealstage: 'qualifiedtobuy' },
    { dealname: 'Gone', amount: 100, dealstage: 'closedwon' },
  ]);
  await crm.associations.associate(big!, ann!, ['decision_maker']);
  await crm.associations.associate(big!, bob!);
  await crm.associations.associate(small!, bob!, ['decision_maker', 'champion']);
  await crm.associations.associate(small!, cleo!, ['champion']);
  await crm.associations.associate(none!, dan!);
  await crm.associations.associate(gone!, dan!, ['decision_maker']);
  await crm.records.archive('deals', gone!.id);
  await crm.records.archive('contacts', eve!.id);
  return { acme: acme!, beta: beta!, ann: ann!, bob: bob!, cleo: cleo!, dan: dan! };
}

/** The buckets as [keys, count] (or [keys, count, sum]) pairs, in the answer's order. */
async function report(crm: Crm, type: string, request: AggregateRequest): Promise<unknown[]> {
  const { buckets } = await crm.records.aggregate(type, request);
  for (const bucket of buckets) expect(bucket.key, 'key is the first of keys').toBe(bucket.keys[0]);
  return buckets.map((bucket) => (bucket.sum === undefined ? [bucket.keys, bucket.count] : [bucket.keys, bucket.count, bucket.sum]));
}

describe.each(STORAGES)('records.aggregate on $name', ({ storage }) => {
  const crmOn = async (): Promise<Crm> => {
    const made = storage();
    return searchCrm(made === undefined ? {} : { storage: made });
  };

  it('counts the live records by a property value, those without one under "" (after the others of their count)', async () => {
    const crm = await crmOn();
    await seed(crm);
    expect(await report(crm, 'contacts', { groupBy: { property: 'lifecyclestage' } })).toEqual([
      [['customer'], 2],
      [['lead'], 1],
      [[''], 1],
    ]);
  });

  it('counts a multi-select record once under each of its values, an empty one under ""', async () => {
    const crm = await crmOn();
    await seed(crm);
    expect(await report(crm, 'contacts', { groupBy: { property: 'interests' } })).toEqual([
      [['tea'], 2],
      [[''], 2],
      [['coffee'], 1],
    ]);
  });

  it('groups text case-insensitively, showing the spelling first in code-point order; numbers and booleans as text', async () => {
    const crm = await crmOn();
    await seed(crm);
    expect(await report(crm, 'contacts', { groupBy: { property: 'city' } })).toEqual([
      [['BERLIN'], 3],
      [['Paris'], 1],
    ]);
    expect(await report(crm, 'contacts', { groupBy: { property: 'vip' } })).toEqual([
      [[''], 2],
      [['false'], 1],
      [['true'], 1],
    ]);
    expect(await report(crm, 'deals', { groupBy: { property: 'amount' } })).toEqual([
      [['0.1'], 1],
      [['0.2'], 1],
      [[''], 1],
    ]);
  });

  it('counts a record once under each label of its associations (primary too), as "unlabelled" only when none carries a label, and not at all without one', async () => {
    const crm = await crmOn();
    await seed(crm);
    // Bob's unlabelled association with Big does not make him unlabelled; Dan's only live deal is unlabelled.
    expect(await report(crm, 'contacts', { groupBy: { associationLabel: { toType: 'deals' } } })).toEqual([
      [['champion'], 2],
      [['decision_maker'], 2],
      [['unlabelled'], 1],
    ]);
    // Dan has no company: he is not counted.
    expect(await report(crm, 'contacts', { groupBy: { associationLabel: { toType: 'companies' } } })).toEqual([[['primary'], 3]]);
  });

  it('groups by a property of the primary company: none, or a primary company without the value, under ""', async () => {
    const crm = await crmOn();
    const { acme } = await seed(crm);
    expect(await report(crm, 'contacts', { groupBy: { primaryCompany: { property: 'industry' } } })).toEqual([
      [[''], 2],
      [['BANKING'], 1],
      [['COMPUTER_SOFTWARE'], 1],
    ]);
    // Reads its own writes: Acme archived, Ann's primary company is now Beta.
    await crm.records.archive('companies', acme.id);
    expect(await report(crm, 'contacts', { groupBy: { primaryCompany: { property: 'industry' } } })).toEqual([
      [['BANKING'], 2],
      [[''], 2],
    ]);
  });

  it('with two dimensions counts a record once in each combination of its keys', async () => {
    const crm = await crmOn();
    await seed(crm);
    expect(await report(crm, 'contacts', { groupBy: [{ primaryCompany: { property: 'industry' } }, { associationLabel: { toType: 'deals' } }] })).toEqual([
      [['BANKING', 'champion'], 1],
      [['BANKING', 'decision_maker'], 1],
      [['COMPUTER_SOFTWARE', 'decision_maker'], 1],
      [['', 'champion'], 1],
      [['', 'unlabelled'], 1],
    ]);
    // A one-dimension list is the same as the dimension alone.
    expect(await report(crm, 'contacts', { groupBy: [{ property: 'lifecyclestage' }] })).toEqual(await report(crm, 'contacts', { groupBy: { property: 'lifecyclestage' } }));
  });

  it('sums a number property exactly, each record once per bucket; a bucket without values sums 0', async () => {
    const crm = await crmOn();
    await seed(crm);
    // 0.1 + 0.2 is 0.3 here, not 0.30000000000000004; the archived Gone adds nothing.
    expect(await report(crm, 'deals', { groupBy: { property: 'dealstage' }, sum: 'amount' })).toEqual([
      [['closedwon'], 2, 0.3],
      [['qualifiedtobuy'], 1, 0],
    ]);
    // Small holds two champions and two labels on Bob: it counts (and sums) once in each bucket.
    expect(await report(crm, 'deals', { groupBy: { associationLabel: { toType: 'contacts' } }, sum: 'amount' })).toEqual([
      [['decision_maker'], 2, 0.3],
      [['champion'], 1, 0.2],
      [['unlabelled'], 1, 0],
    ]);
  });

  it('counts only the records matching the filter', async () => {
    const crm = await crmOn();
    await seed(crm);
    const customers = { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ' as const, value: 'customer' }] }] };
    expect(await report(crm, 'contacts', { filter: customers, groupBy: { property: 'interests' } })).toEqual([
      [['coffee'], 1],
      [['tea'], 1],
      [[''], 1],
    ]);
    const atBanks = { filterGroups: [{ filters: [{ association: { toType: 'companies', filters: [{ propertyName: 'industry', operator: 'EQ' as const, value: 'BANKING' }] } }] }] };
    expect(await report(crm, 'contacts', { filter: atBanks, groupBy: { primaryCompany: { property: 'name' } } })).toEqual([
      [['Acme'], 1],
      [['Beta'], 1],
    ]);
    expect((await crm.records.aggregate('contacts', { filter: { filterGroups: [{ filters: [{ propertyName: 'city', operator: 'EQ', value: 'Rome' }] }] }, groupBy: { property: 'city' } })).buckets).toEqual([]);
  });

  it('inside a transaction sees the transaction\'s own writes', async () => {
    const crm = await crmOn();
    await seed(crm);
    const counted = await crm.transaction(async (tx) => {
      await tx.records.create('contacts', { email: 'fay@acme.com', lifecyclestage: 'lead' });
      return (await tx.records.aggregate('contacts', { groupBy: { property: 'lifecyclestage' } })).buckets;
    });
    expect(counted.map((bucket) => [bucket.key, bucket.count])).toEqual([
      ['customer', 2],
      ['lead', 2],
      ['', 1],
    ]);
  });
});

describe('records.aggregate refuses bad requests (VALIDATION_ERROR, every problem at once, nothing read)', () => {
  it('a request that is no object, groupBy missing, empty or of three dimensions', async () => {
    const crm = await searchCrm();
    for (const request of [undefined, null, 'dealstage', []]) {
      const error = await expectCrmError(crm.records.aggregate('deals', request as never), 'VALIDATION_ERROR');
      expect(issues(error)).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request'] })]);
    }
    for (const groupBy of [undefined, [], [{ property: 'dealstage' }, { property: 'amount' }, { property: 'dealname' }]]) {
      const error = await expectCrmError(crm.records.aggregate('deals', { groupBy } as never), 'VALIDATION_ERROR');
      expect(issues(error)).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'groupBy'] })]);
    }
  });

  it('unknown keys (UNKNOWN_OPTION, with the key meant), dimensions of no known shape, a bad filter: all in one error', async () => {
    const crm = await searchCrm();
    const error = await expectCrmError(
      crm.records.aggregate('deals', {
        groupBy: [{ property: 'dealstage', label: 'x' }, 'amount'],
        sums: 'amount',
        filter: { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'ABOUT', value: 1 }] }] },
      } as never),
      'VALIDATION_ERROR',
    );
    expect(issues(error)).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_OPTION', option: 'sums', suggestion: 'sum', path: ['request'] }),
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'filter', 'filterGroups', 0, 'filters', 0, 'operator'] }),
      expect.objectContaining({ code: 'UNKNOWN_OPTION', option: 'label', path: ['request', 'groupBy', 0] }),
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'groupBy', 1] }),
    ]);
    const nested = await expectCrmError(crm.records.aggregate('contacts', { groupBy: { associationLabel: { toType: 'deals', label: 'x' } } } as never), 'VALIDATION_ERROR');
    expect(issues(nested)).toEqual([expect.objectContaining({ code: 'UNKNOWN_OPTION', option: 'label', path: ['request', 'groupBy', 'associationLabel'] })]);
  });

  it('unknown and archived properties (PROPERTY_DOESNT_EXIST with the nearest name), unknown types, types that never associate, no primary company, a sum of no number: all in one error', async () => {
    const crm = await searchCrm();
    await crm.schema.defineProperty('contacts', { name: 'old_score', label: 'Old score', type: 'number', fieldType: 'number' });
    await crm.schema.archiveProperty('contacts', 'old_score');
    const contacts = await expectCrmError(
      crm.records.aggregate('contacts', { groupBy: [{ property: 'lifecyclestag' }, { primaryCompany: { property: 'industri' } }], sum: 'old_score' }),
      'VALIDATION_ERROR',
    );
    expect(issues(contacts)).toEqual([
      expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', path: ['request', 'groupBy', 0, 'property'], suggestion: 'lifecyclestage' }),
      expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', path: ['request', 'groupBy', 1, 'primaryCompany', 'property'], suggestion: 'industry' }),
      expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', path: ['request', 'sum'] }),
    ]);
    const pairs = await expectCrmError(crm.records.aggregate('contacts', { groupBy: [{ associationLabel: { toType: 'products' } }, { associationLabel: { toType: 'roasts' } }], sum: 'email' }), 'VALIDATION_ERROR');
    expect(issues(pairs)).toEqual([
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'groupBy', 0, 'associationLabel', 'toType'], message: expect.stringMatching(/never associate/) }),
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'groupBy', 1, 'associationLabel', 'toType'], message: expect.stringMatching(/no object type/) }),
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'sum'], message: expect.stringMatching(/not a number/) }),
    ]);
    const companies = await expectCrmError(crm.records.aggregate('companies', { groupBy: { primaryCompany: { property: 'industry' } } }), 'VALIDATION_ERROR');
    expect(issues(companies)).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'groupBy', 'primaryCompany'], message: expect.stringMatching(/no primary company/) })]);
    await expectCrmError(crm.records.aggregate('roasts', { groupBy: { property: 'name' } }), 'UNKNOWN_OBJECT_TYPE');
    // The request's shape is checked first, whatever the type names.
    await expectCrmError(crm.records.aggregate('roasts', { groupBy: [] } as never), 'VALIDATION_ERROR');
  });

  it('a multi-select cannot be summed; a filter naming an unknown property is reported with the dimensions\' problems', async () => {
    const crm = await searchCrm();
    const error = await expectCrmError(
      crm.records.aggregate('contacts', {
        filter: { filterGroups: [{ filters: [{ propertyName: 'emial', operator: 'HAS_PROPERTY' }] }] },
        groupBy: { property: 'nope' },
        sum: 'interests',
      }),
      'VALIDATION_ERROR',
    );
    expect(issues(error)).toEqual([
      expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', path: ['request', 'filter', 'filterGroups', 0, 'filters', 0, 'propertyName'], suggestion: 'email' }),
      expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', path: ['request', 'groupBy', 'property'] }),
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['request', 'sum'] }),
    ]);
  });
});
