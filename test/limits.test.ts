// Limits (issue 8, "Limits and paging"): one call's memory stays bounded whatever it is given.
// Every paged call answers at most MAX_PAGE_SIZE (1,000) items and refuses a bigger limit
// naming the maximum; a VALIDATION_ERROR lists at most 100 issues, with the total in
// `details.issueCount`, and past that cap the issues are only counted, never built.
import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ISSUES, IssueList, validationError } from '../src/errors.js';
import { MAX_PAGE_SIZE } from '../src/kernel/paging.js';
import { expectCrmError, testCrm } from './helpers.js';

async function world() {
  const { crm, storage } = await testCrm();
  const contacts = await crm.records.createMany(
    'contacts',
    Array.from({ length: 1_001 }, (_, at) => ({ email: `c${at}@acme.com` })),
  );
  const company = await crm.records.create('companies', { domain: 'acme.com' });
  await crm.associations.associateMany(contacts.map((contact) => ({ from: company, to: contact })));
  await crm.records.createMany(
    'notes',
    Array.from({ length: 1_001 }, (_, at) => ({ hs_timestamp: new Date(Date.UTC(2026, 0, 1) + at * 60_000).toISOString() })),
    { associations: [{ to: company }] },
  );
  return { crm, storage, company };
}

describe('the maximum page size', () => {
  it('is 1,000', () => {
    expect(MAX_PAGE_SIZE).toBe(1_000);
  });

  it('records.list, associations.list and timeline answer a page of 1,000 and refuse 1,001 or 1e9, naming the maximum', async () => {
    const { crm, company } = await world();
    const calls = [
      (limit: number) => crm.records.list('contacts', { limit }),
      (limit: number) => crm.associations.list(company, 'contacts', { limit }),
      (limit: number) => crm.timeline(company, { limit }),
    ];
    for (const call of calls) {
      const page = await call(MAX_PAGE_SIZE);
      expect(page.results).toHaveLength(1_000);
      expect(page.paging?.next?.after).toEqual(expect.any(String));
      for (const limit of [1_001, 1e9]) {
        const error = await expectCrmError(call(limit), 'VALIDATION_ERROR');
        expect(error.details.issues).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', property: 'limit', max: 1_000 })]);
        expect(error.message).toContain(`limit ${limit} is above the maximum page size, 1000`);
        expect(error.message).toContain('paging.next.after');
      }
    }
  });

  it('the default page is still 100', async () => {
    const { crm } = await world();
    expect((await crm.records.list('contacts')).results).toHaveLength(100);
  });
});

describe('the issues a VALIDATION_ERROR lists', () => {
  it('one input with a million unknown properties: 100 issues listed, the total counted', async () => {
    const { crm } = await testCrm();
    const input: Record<string, string> = { email: 'a@acme.com' };
    for (let at = 0; at < 1_000_000; at++) input[`unknown_${at}`] = 'x';
    const error = await expectCrmError(crm.records.create('contacts', input), 'VALIDATION_ERROR');
    expect(error.details.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(error.details.issueCount).toBe(1_000_000);
    expect(error.details.issues![0]).toMatchObject({ code: 'PROPERTY_DOESNT_EXIST', property: 'unknown_0' });
    expect(error.details.issues![99]).toMatchObject({ property: 'unknown_99' });
    expect(error.message).toContain('(and 999999 more)');
    expect((await crm.records.list('contacts')).results).toEqual([]);
  });

  it('createMany over 200,000 bad inputs: 100 issues listed, each naming its input, the total counted', async () => {
    const { crm } = await testCrm();
    const inputs = Array.from({ length: 200_000 }, (_, at) => (at % 2 === 0 ? { email: `ok${at}@acme.com` } : { email: `ok${at}@acme.com`, shoe_size: 42 }));
    const error = await expectCrmError(crm.records.createMany('contacts', inputs), 'VALIDATION_ERROR');
    expect(error.details.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(error.details.issueCount).toBe(100_000);
    expect(error.details.issues!.map((issue) => issue.index)).toEqual(Array.from({ length: 100 }, (_, at) => 2 * at + 1));
    expect(error.message).toMatch(/^contacts: input 1: Property "shoe_size" does not exist on contacts/);
    expect((await crm.records.list('contacts')).results).toEqual([]);
  });

  it('a key of options, a batch of pairs: the same cap', async () => {
    const { crm } = await testCrm();
    const options = Object.fromEntries(Array.from({ length: 10_000 }, (_, at) => [`k${at}`, at]));
    const error = await expectCrmError(crm.records.list('contacts', options as never), 'VALIDATION_ERROR');
    expect(error.details.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(error.details.issueCount).toBe(10_000);
    const pairs = Array.from({ length: 5_000 }, () => ({ form: 1, to: 2 }));
    const batch = await expectCrmError(crm.associations.associateMany(pairs as never), 'VALIDATION_ERROR');
    expect(batch.details.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(batch.details.issueCount).toBe(5_000);
  });

  it('a zod-checked argument with 100,000 unknown keys: the same cap', async () => {
    const { crm } = await testCrm();
    const patch = Object.fromEntries(Array.from({ length: 100_000 }, (_, at) => [`k${at}`, at]));
    const error = await expectCrmError(crm.schema.updateObject('contacts', patch as never), 'VALIDATION_ERROR');
    expect(error.details.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(error.details.issueCount).toBe(100_000);
  });

  it('IssueList lists up to the cap and only counts past it', () => {
    const issues = new IssueList();
    let built = 0;
    for (let at = 0; at < 250; at++) {
      if (issues.listing) {
        built++;
        issues.add({ code: 'INVALID_ARGUMENT', message: `bad ${at}` });
      } else issues.countOnly();
    }
    expect(built).toBe(MAX_LISTED_ISSUES);
    expect(issues.length).toBe(250);
    const error = issues.error('subject');
    expect(error.details).toMatchObject({ issueCount: 250 });
    expect(error.details.issues).toHaveLength(100);
    expect(error.message).toBe('subject: bad 0 (and 249 more)');
  });

  it('validationError given more than the cap lists the first 100 and counts them all', () => {
    const issues = Array.from({ length: 150 }, (_, at) => ({ code: 'INVALID_ARGUMENT' as const, message: `bad ${at}` }));
    const error = validationError(issues);
    expect(error.details.issues).toHaveLength(100);
    expect(error.details.issueCount).toBe(150);
  });
});
