// node:test, ESM: no test runner to install. Run: node --test examples/testing/node-test.test.mjs
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import { createCrm } from 'crmkit';
import { seed, sequentialIds, steppingClock } from 'crmkit/testing';

describe('a seeded CRM, forked per test (node:test, ESM)', () => {
  let base;
  let data;
  let crm;

  before(async () => {
    base = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
    data = await seed(base, { companies: 10, contacts: 100, deals: 20, seed: 'example' });
  });

  beforeEach(async () => {
    crm = await base.fork();
  });

  test('archives a contact in its fork only', async () => {
    await crm.records.archive('contacts', data.contacts[0].id);
    assert.equal(await crm.records.count('contacts'), 99);
    assert.equal(await base.records.count('contacts'), 100);
  });

  test('hands out the same next id in every fork', async () => {
    const created = await crm.records.create('contacts', { email: 'new@example.com' });
    const other = await (await base.fork()).records.create('contacts', { email: 'new@example.com' });
    assert.equal(created.id, other.id);
  });
});
