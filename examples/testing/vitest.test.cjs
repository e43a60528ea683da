// vitest, CommonJS: crmkit's require() entry points, vitest's globals (run with --globals).
// Run: npx vitest run --globals examples/testing
const { createCrm } = require('crmkit');
const { seed, sequentialIds, steppingClock } = require('crmkit/testing');

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

describe('a seeded CRM, forked per test (vitest, CommonJS)', () => {
  it('archives a contact in its fork only', async () => {
    await crm.records.archive('contacts', data.contacts[0].id);
    expect(await crm.records.count('contacts')).toBe(99);
    expect(await base.records.count('contacts')).toBe(100);
  });

  it('hands out the same next id in every fork', async () => {
    const created = await crm.records.create('contacts', { email: 'new@example.com' });
    const other = await (await base.fork()).records.create('contacts', { email: 'new@example.com' });
    expect(created.id).toBe(other.id);
  });
});
