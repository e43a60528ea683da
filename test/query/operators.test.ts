// Each search operator, per property type, through crm.records.search (and count, which must
// agree): numbers numerically, dates and datetimes by time, enumerations by option value,
// multi-selects by any value, booleans, text case-insensitively and by word tokens; the negative
// operators match records without a value.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Crm } from 'crmkit';
import { matching, searchCrm } from './fixtures.js';

let crm: Crm;

beforeAll(async () => {
  crm = await searchCrm();
  await crm.records.createMany('deals', [
    { dealname: 'Nine', amount: 9, closedate: '2026-01-09T23:00:00.000Z', dealstage: 'qualifiedtobuy' },
    { dealname: 'Ten', amount: '10', closedate: '2026-01-10T01:00:00.000Z', dealstage: 'closedwon' },
    { dealname: 'Hundred', amount: 100.5, closedate: '2025-12-31T00:00:00.000Z', dealstage: 'closedwon' },
    { dealname: 'Minus', amount: -2.5, dealstage: 'closedlost' },
    { dealname: 'None', dealstage: 'appointmentscheduled' },
  ]);
  await crm.records.createMany('contacts', [
    { firstname: 'Ann-Marie', lastname: 'O’Neil', email: 'ann@acme.com', date_of_birth: '1990-01-10', lifecyclestage: 'customer', interests: ['coffee', 'tea'], hs_email_optout: true },
    { firstname: 'bob', lastname: 'Straße', email: 'bob@ACME.com', date_of_birth: '1990-01-09', lifecyclestage: 'lead', interests: 'tea', hs_email_optout: false },
    { firstname: 'Élodie', lastname: 'ÉCOLE', email: 'elodie@beta.io', date_of_birth: '1989-12-31', lifecyclestage: 'lead' },
    { firstname: 'Zoe', email: 'zoe@notacme.com' },
  ]);
});

const deals = (filters: Parameters<typeof matching>[3]): Promise<unknown[]> => matching(crm, 'deals', 'dealname', filters);
const contacts = (filters: Parameters<typeof matching>[3]): Promise<unknown[]> => matching(crm, 'contacts', 'firstname', filters);

describe('numbers compare numerically', () => {
  it('EQ, LT, LTE, GT, GTE: 9 < 10 < 100.5, negatives and decimals included, numeric text accepted', async () => {
    expect(await deals([{ propertyName: 'amount', operator: 'EQ', value: 10 }])).toEqual(['Ten']);
    expect(await deals([{ propertyName: 'amount', operator: 'EQ', value: '10.0' }])).toEqual(['Ten']);
    expect(await deals([{ propertyName: 'amount', operator: 'LT', value: 10 }])).toEqual(['Minus', 'Nine']);
    expect(await deals([{ propertyName: 'amount', operator: 'LTE', value: '10' }])).toEqual(['Minus', 'Nine', 'Ten']);
    expect(await deals([{ propertyName: 'amount', operator: 'GT', value: 9 }])).toEqual(['Hundred', 'Ten']);
    expect(await deals([{ propertyName: 'amount', operator: 'GTE', value: -2.5 }])).toEqual(['Hundred', 'Minus', 'Nine', 'Ten']);
  });

  it('BETWEEN includes both ends; IN any of the values', async () => {
    expect(await deals([{ propertyName: 'amount', operator: 'BETWEEN', value: 9, highValue: 10 }])).toEqual(['Nine', 'Ten']);
    expect(await deals([{ propertyName: 'amount', operator: 'BETWEEN', value: 10, highValue: 9 }])).toEqual([]);
    expect(await deals([{ propertyName: 'amount', operator: 'IN', values: [9, '100.5', 7] }])).toEqual(['Hundred', 'Nine']);
  });

  it('NEQ, NOT_IN and NOT_HAS_PROPERTY match records without a value; a range never does', async () => {
    expect(await deals([{ propertyName: 'amount', operator: 'NEQ', value: 10 }])).toEqual(['Hundred', 'Minus', 'Nine', 'None']);
    expect(await deals([{ propertyName: 'amount', operator: 'NOT_IN', values: [9, 10] }])).toEqual(['Hundred', 'Minus', 'None']);
    expect(await deals([{ propertyName: 'amount', operator: 'NOT_HAS_PROPERTY' }])).toEqual(['None']);
    expect(await deals([{ propertyName: 'amount', operator: 'HAS_PROPERTY' }])).toEqual(['Hundred', 'Minus', 'Nine', 'Ten']);
    const below = await deals([{ propertyName: 'amount', operator: 'LT', value: 0 }]);
    const notBelow = await deals([{ propertyName: 'amount', operator: 'GTE', value: 0 }]);
    expect([...below, ...notBelow].sort()).toEqual(['Hundred', 'Minus', 'Nine', 'Ten']);
  });
});

describe('dates and datetimes compare by time', () => {
  it('a datetime filter value may be ISO text with an offset or epoch milliseconds', async () => {
    expect(await deals([{ propertyName: 'closedate', operator: 'LT', value: '2026-01-10T00:00:00.000Z' }])).toEqual(['Hundred', 'Nine']);
    expect(await deals([{ propertyName: 'closedate', operator: 'GTE', value: '2026-01-10T00:00:00+01:00' }])).toEqual(['Nine', 'Ten']);
    expect(await deals([{ propertyName: 'closedate', operator: 'EQ', value: Date.parse('2026-01-10T01:00:00.000Z') }])).toEqual(['Ten']);
    expect(
      await deals([{ propertyName: 'closedate', operator: 'BETWEEN', value: '2025-12-31T00:00:00.000Z', highValue: '2026-01-09T23:00:00.000Z' }]),
    ).toEqual(['Hundred', 'Nine']);
  });

  it("a date filter compares days: 'YYYY-MM-DD' or epoch milliseconds of a UTC midnight", async () => {
    expect(await contacts([{ propertyName: 'date_of_birth', operator: 'GTE', value: '1990-01-09' }])).toEqual(['Ann-Marie', 'bob']);
    expect(await contacts([{ propertyName: 'date_of_birth', operator: 'LT', value: Date.UTC(1990, 0, 1) }])).toEqual(['Élodie']);
    expect(await contacts([{ propertyName: 'date_of_birth', operator: 'IN', values: ['1990-01-10', '1989-12-31'] }])).toEqual(['Ann-Marie', 'Élodie']);
  });
});

// Results are sorted by the named property ascending, folded and by code point: 'zoe' before 'élodie'.
describe('enumerations, multi-selects and booleans', () => {
  it('an enumeration matches by option value, exactly', async () => {
    expect(await contacts([{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }])).toEqual(['bob', 'Élodie']);
    expect(await contacts([{ propertyName: 'lifecyclestage', operator: 'IN', values: ['customer', 'opportunity'] }])).toEqual(['Ann-Marie']);
    expect(await contacts([{ propertyName: 'lifecyclestage', operator: 'NEQ', value: 'lead' }])).toEqual(['Ann-Marie', 'Zoe']);
    expect(await deals([{ propertyName: 'dealstage', operator: 'NOT_IN', values: ['closedwon', 'closedlost'] }])).toEqual(['Nine', 'None']);
  });

  it('a multi-select matches when any of its values does; its negation when none does', async () => {
    expect(await contacts([{ propertyName: 'interests', operator: 'EQ', value: 'coffee' }])).toEqual(['Ann-Marie']);
    expect(await contacts([{ propertyName: 'interests', operator: 'EQ', value: 'tea' }])).toEqual(['Ann-Marie', 'bob']);
    expect(await contacts([{ propertyName: 'interests', operator: 'IN', values: ['cocoa', 'coffee'] }])).toEqual(['Ann-Marie']);
    expect(await contacts([{ propertyName: 'interests', operator: 'NEQ', value: 'coffee' }])).toEqual(['bob', 'Zoe', 'Élodie']);
    expect(await contacts([{ propertyName: 'interests', operator: 'NOT_IN', values: ['tea'] }])).toEqual(['Zoe', 'Élodie']);
  });

  it('a boolean matches true or false (or their text); NEQ true includes records without a value', async () => {
    expect(await contacts([{ propertyName: 'hs_email_optout', operator: 'EQ', value: true }])).toEqual(['Ann-Marie']);
    expect(await contacts([{ propertyName: 'hs_email_optout', operator: 'EQ', value: 'false' }])).toEqual(['bob']);
    expect(await contacts([{ propertyName: 'hs_email_optout', operator: 'NEQ', value: true }])).toEqual(['bob', 'Zoe', 'Élodie']);
  });
});

describe('text', () => {
  it('compares case-insensitively: EQ, IN and ranges', async () => {
    expect(await contacts([{ propertyName: 'firstname', operator: 'EQ', value: 'BOB' }])).toEqual(['bob']);
    expect(await contacts([{ propertyName: 'lastname', operator: 'EQ', value: 'straße' }])).toEqual(['bob']);
    expect(await contacts([{ propertyName: 'lastname', operator: 'IN', values: ['école', 'nobody'] }])).toEqual(['Élodie']);
    // 'Zoe' and 'bob' folded: 'b' < 'z'; 'Élodie' folds to 'é', after every ASCII letter.
    expect(await contacts([{ propertyName: 'firstname', operator: 'GT', value: 'C' }])).toEqual(['Zoe', 'Élodie']);
  });

  it('CONTAINS_TOKEN matches a word of the value (or the whole value), case-insensitively, with * for any run of characters', async () => {
    expect(await contacts([{ propertyName: 'firstname', operator: 'CONTAINS_TOKEN', value: 'MARIE' }])).toEqual(['Ann-Marie']);
    expect(await contacts([{ propertyName: 'firstname', operator: 'CONTAINS_TOKEN', value: 'mar' }])).toEqual([]);
    expect(await contacts([{ propertyName: 'firstname', operator: 'CONTAINS_TOKEN', value: 'mar*' }])).toEqual(['Ann-Marie']);
    expect(await contacts([{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@acme.com' }])).toEqual(['Ann-Marie', 'bob']);
    expect(await contacts([{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'acme' }])).toEqual(['Ann-Marie', 'bob']);
    expect(await contacts([{ propertyName: 'lastname', operator: 'CONTAINS_TOKEN', value: 'o’neil' }])).toEqual(['Ann-Marie']);
  });

  it('NOT_CONTAINS_TOKEN is the exact complement: records without a value match it', async () => {
    expect(await contacts([{ propertyName: 'lastname', operator: 'NOT_CONTAINS_TOKEN', value: 'straße' }])).toEqual(['Ann-Marie', 'Zoe', 'Élodie']);
  });

  it('filters of a group must all hold; groups are alternatives', async () => {
    const result = await crm.records.search('contacts', {
      filterGroups: [
        { filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }, { propertyName: 'interests', operator: 'HAS_PROPERTY' }] },
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'zoe' }] },
      ],
      sorts: [{ propertyName: 'firstname', direction: 'ASCENDING' }],
    });
    expect(result.results.map((record) => record.properties.firstname)).toEqual(['bob', 'Zoe']);
    expect(result.total).toBe(2);
  });
});
