// Malformed searches and strict mode: every problem is a VALIDATION_ERROR naming the filter by
// its place (`details.issues[].path`), all of a request's problems at once, and nothing is read.
// `createCrm({ strict: true })` adds HubSpot's caps.
import { describe, expect, it } from 'vitest';
import type { Crm, Filter, SearchRequest } from 'crmkit';
import { expectCrmError } from '../helpers.js';
import { issues, searchCrm } from './fixtures.js';

const where = (filters: Filter[]): SearchRequest => ({ filterGroups: [{ filters }] });

/** The issues of the VALIDATION_ERROR a search throws, as { code, path }. */
async function problems(crm: Crm, type: string, request: SearchRequest): Promise<Array<{ code: string; path: unknown }>> {
  const error = await expectCrmError(crm.records.search(type, request), 'VALIDATION_ERROR');
  return issues(error).map((issue) => ({ code: issue.code, path: issue.path }));
}

describe('malformed requests', () => {
  it('reports every problem of the request at once, each at its place', async () => {
    const crm = await searchCrm();
    const found = await problems(crm, 'contacts', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'emial', operator: 'EQ', value: 'a@b.com' },
            { propertyName: 'lifecyclestage', operator: 'GT', value: 'lead' },
            { propertyName: 'createdate', operator: 'BETWEEN', value: '2026-01-01' },
          ],
        },
        { filters: [{ propertyName: 'firstname', operator: 'IN', values: [] }, { propertyName: 'createdate', operator: 'LT', value: { relative: '90 days' } }] },
      ],
    });
    expect(found).toEqual([
      expect.objectContaining({ path: ['request', 'filterGroups', 0, 'filters', 0, 'propertyName'] }),
      { code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters', 1, 'operator'] },
      { code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters', 2, 'highValue'] },
      { code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 1, 'filters', 0, 'values'] },
      { code: 'INVALID_DATE', path: ['request', 'filterGroups', 1, 'filters', 1, 'value'] },
    ]);
  });

  it('an unknown property suggests the nearest one', async () => {
    const crm = await searchCrm();
    const error = await expectCrmError(crm.records.search('contacts', where([{ propertyName: 'emial', operator: 'EQ', value: 'a@b.com' }])), 'VALIDATION_ERROR');
    expect(error.message).toMatch(/"?email"?/);
    expect(JSON.stringify(issues(error))).toMatch(/email/);
  });

  it('an operator that does not fit the type: ranges on enumerations and booleans, tokens on anything but text', async () => {
    const crm = await searchCrm();
    expect(await problems(crm, 'contacts', where([{ propertyName: 'hs_email_optout', operator: 'LT', value: true }]))).toEqual([
      { code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters', 0, 'operator'] },
    ]);
    expect(await problems(crm, 'deals', where([{ propertyName: 'amount', operator: 'CONTAINS_TOKEN', value: '10' }]))).toEqual([
      { code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters', 0, 'operator'] },
    ]);
  });

  it('a value that is not of the property’s type, and a relative time on a property that is not a date', async () => {
    const crm = await searchCrm();
    const found = await problems(crm, 'deals', where([
      { propertyName: 'amount', operator: 'GT', value: 'ten' },
      { propertyName: 'closedate', operator: 'GT', value: 'yesterday' },
      { propertyName: 'amount', operator: 'GT', value: { relative: '-P1D' } },
    ]));
    expect(found.map((issue) => issue.path)).toEqual([
      ['request', 'filterGroups', 0, 'filters', 0, 'value'],
      ['request', 'filterGroups', 0, 'filters', 1, 'value'],
      ['request', 'filterGroups', 0, 'filters', 2, 'value'],
    ]);
  });

  it('association filters: unknown toType, a pair that never associates, an unknown label, primary with label', async () => {
    const crm = await searchCrm();
    const at = (index: number, ...rest: string[]) => ['request', 'filterGroups', 0, 'filters', index, 'association', ...rest];
    const found = await problems(crm, 'deals', where([
      { association: { toType: 'widgets' } },
      { association: { toType: 'contacts', label: 'decison_maker' } },
      { association: { toType: 'contacts', filters: [{ propertyName: 'nope', operator: 'HAS_PROPERTY' }] } },
    ]));
    expect(found).toEqual([
      { code: 'INVALID_ARGUMENT', path: at(0, 'toType') },
      { code: 'INVALID_LABEL', path: at(1, 'label') },
      expect.objectContaining({ path: [...at(2, 'filters'), 0, 'propertyName'] }),
    ]);
    const label = await expectCrmError(crm.records.search('deals', where([{ association: { toType: 'contacts', label: 'decison_maker' } }])), 'VALIDATION_ERROR');
    expect(label.message).toMatch(/decision_maker/);
    // Two products never associate.
    expect(await problems(crm, 'products', where([{ association: { toType: 'products' } }]))).toEqual([{ code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters', 0, 'association', 'toType'] }]);
    expect(await problems(crm, 'contacts', where([{ association: { toType: 'companies', primary: true, label: 'primary' } }]))).toEqual([
      { code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters', 0, 'association'] },
    ]);
  });

  it('unknown keys are UNKNOWN_OPTION, at their place', async () => {
    const crm = await searchCrm();
    const top = await expectCrmError(crm.records.search('contacts', { filterGroup: [] } as never), 'VALIDATION_ERROR');
    expect(issues(top).map((issue) => issue.code)).toEqual(['UNKNOWN_OPTION']);
    const inFilter = await expectCrmError(crm.records.search('contacts', where([{ propertyName: 'email', operator: 'EQ', value: 'a', values: undefined, highvalue: 'b' } as never])), 'VALIDATION_ERROR');
    expect(issues(inFilter)).toEqual([expect.objectContaining({ code: 'UNKNOWN_OPTION', path: expect.arrayContaining(['request', 'filterGroups', 0, 'filters', 0]) })]);
  });

  it('an operator that does not exist, and a cursor that is not one', async () => {
    const crm = await searchCrm();
    await expectCrmError(crm.records.search('contacts', where([{ propertyName: 'email', operator: 'LIKE' as never, value: 'a' }])), 'VALIDATION_ERROR');
    const cursor = await expectCrmError(crm.records.search('contacts', { after: 'not-a-cursor' }), 'VALIDATION_ERROR');
    expect(issues(cursor).map((issue) => issue.code)).toEqual(['INVALID_CURSOR']);
  });

  it('a multi-select cannot order records', async () => {
    const crm = await searchCrm();
    expect(await problems(crm, 'contacts', { sorts: [{ propertyName: 'interests', direction: 'ASCENDING' }] })).toEqual([
      { code: 'INVALID_ARGUMENT', path: ['request', 'sorts', 0, 'propertyName'] },
    ]);
  });
});

describe('strict mode (HubSpot’s caps)', () => {
  const filter: Filter = { propertyName: 'email', operator: 'HAS_PROPERTY' };
  const group = (count: number) => ({ filters: Array.from({ length: count }, () => filter) });

  it('off by default: larger requests run', async () => {
    const crm = await searchCrm();
    const result = await crm.records.search('contacts', { filterGroups: Array.from({ length: 6 }, () => group(11)), limit: 201 });
    expect(result.total).toBe(0);
  });

  it('at most 5 groups, 10 filters in a group (nested association filters count), 25 in all, 200 a page', async () => {
    const crm = await searchCrm({ strict: true });
    await crm.records.search('contacts', { filterGroups: [group(10), group(10), group(5)], limit: 200 });
    expect(await problems(crm, 'contacts', { filterGroups: Array.from({ length: 6 }, () => group(1)) })).toEqual([{ code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups'] }]);
    expect(await problems(crm, 'contacts', { filterGroups: [group(11)] })).toEqual([{ code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters'] }]);
    expect(await problems(crm, 'contacts', { filterGroups: [group(10), group(10), group(6)] })).toEqual([{ code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups'] }]);
    expect(await problems(crm, 'contacts', { limit: 201 })).toEqual([{ code: 'INVALID_ARGUMENT', path: ['request', 'limit'] }]);
    const nested: Filter = { association: { toType: 'companies', filters: Array.from({ length: 10 }, () => ({ propertyName: 'name', operator: 'HAS_PROPERTY' as const })) } };
    expect(await problems(crm, 'contacts', where([nested]))).toEqual([{ code: 'INVALID_ARGUMENT', path: ['request', 'filterGroups', 0, 'filters'] }]);
  });

  it('shows at most 10,000 results: the page that reaches the cap has no next cursor, though more match', async () => {
    const crm = await searchCrm({ strict: true });
    // Deals without dedup keys: 10,050 of them are quick to create (one createMany).
    await crm.records.createMany('deals', Array.from({ length: 10_050 }, (_, n) => ({ dealname: `d${n}`, amount: n, dealstage: 'closedwon' })));
    const request: SearchRequest = { sorts: [{ propertyName: 'amount', direction: 'ASCENDING' }], limit: 200, properties: ['amount'] };
    let after: string | undefined;
    let shown = 0;
    let last: unknown;
    for (let page = 0; page < 60; page++) {
      const result = await crm.records.search('deals', { ...request, ...(after ? { after } : {}) });
      expect(result.total).toBe(10_050);
      shown += result.results.length;
      last = result.results.at(-1)?.properties.amount;
      after = result.paging?.next?.after;
      if (!after) break;
    }
    expect(shown).toBe(10_000);
    expect(last).toBe(9_999);
  }, 60_000);
});
