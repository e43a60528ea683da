// Properties of seed(): for any seed and small counts the seeded CRM satisfies the rules, and the
// same options seeded into two fresh CRMs give equal storages.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expect } from 'vitest';
import { seed } from 'crmkit/testing';
import { testCrm } from '../helpers.js';
import { comparable, expectSeedInvariants } from './seed-invariants.js';

const seeds = fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 12 }));
const counts = fc.record({
  companies: fc.integer({ min: 0, max: 6 }),
  contacts: fc.integer({ min: 0, max: 25 }),
  deals: fc.integer({ min: 0, max: 8 }),
  tickets: fc.integer({ min: 0, max: 4 }),
  notes: fc.integer({ min: 0, max: 4 }),
  tasks: fc.integer({ min: 0, max: 3 }),
  meetings: fc.integer({ min: 0, max: 2 }),
});

describe('seed, for any seed and small counts', () => {
  it('satisfies every rule', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, counts, async (value, asked) => {
        const { crm } = await testCrm();
        const result = await seed(crm, { ...asked, seed: value });
        await expectSeedInvariants(crm, result, asked);
      }),
      { numRuns: 25 },
    );
  });

  it('gives equal storages when seeded twice into fresh CRMs', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, counts, async (value, asked) => {
        const a = await testCrm();
        const b = await testCrm();
        await seed(a.crm, { ...asked, seed: value });
        await seed(b.crm, { ...asked, seed: value });
        expect(comparable(b.storage.snapshot())).toEqual(comparable(a.storage.snapshot()));
      }),
      { numRuns: 15 },
    );
  });
});
