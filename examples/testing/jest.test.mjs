// jest, ESM: needs Node's VM modules. Run:
//   NODE_OPTIONS=--experimental-vm-modules npx jest examples/testing
// (with "testMatch" including .mjs files and "transform": {} in jest's config).
import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createCrm } from 'crmkit';
import { seed, sequentialIds, steppingClock } from 'crmkit/testing';

let base;
let data;
let crm;

beforeAll(async () => {
  base = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
  data = await seed(base, { companies: 10, contacts: 100, deals: 20, seed: 'example' });
});

beforeEach(async () => {
  crm = await base.fork();
});

describe('a seeded CRM, forked per test (jest, ESM)', () => {
  test('archives a contact in its fork only', async () => {
    await crm.records.archive('contacts', data.contacts[0].id);
    expect(await crm.records.count('contacts')).toBe(99);
    expect(await base.records.count('contacts')).toBe(100);
  });

  test('hands out the same next id in every fork', async () => {
    const created = await crm.records.create('contacts', { email: 'new@example.com' });
    const other = await (await base.fork()).records.create('contacts', { email: 'new@example.com' });
    expect(created.id).toBe(other.id);
  });
});
