// The record store through the public API: create, read, update, upsert, archive/restore/purge,
// list, history, and the options of createCrm that shape records (ids, clock, history,
// blockPurgedEmails).
import { describe, expect, it } from 'vitest';
import { createCrm, CrmError, type ChangeEvent, type CrmRecord } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';
const T2 = '2026-01-01T00:00:02.000Z';

/** The issues of a VALIDATION_ERROR, for matching. */
const issuesOf = (error: CrmError) => (error.code === 'VALIDATION_ERROR' ? error.details.issues : []);

// ---------------------------------------------------------------- create

// The record lifecycle a storage can get wrong (records read back, keys freed and taken,
// archive, restore, purge, pages, property history, the events of each change) is tested once,
// on every storage, by the conformance suite's engine/records.ts, keys.ts and paging.ts; the
// tests here are the engine's rules around it (system properties, validation, recipes, options).

describe('create', () => {
  it('answers a contact with the engine-set system properties', async () => {
    const { crm } = await testCrm();
    const contact = await crm.records.create('contacts', { email: 'John@Orange.com', firstname: 'John' });
    expect(contact).toEqual({
      id: 'id-1',
      objectType: 'contacts',
      properties: {
        email: 'john@orange.com',
        firstname: 'John',
        hs_object_id: 'id-1',
        createdate: T0,
        lastmodifieddate: T0,
      },
      createdAt: T0,
      updatedAt: T0,
      archived: false,
    });
  });

  it("sets deals' hs_lastmodifieddate (not lastmodifieddate) and fills the default pipeline", async () => {
    const { crm } = await testCrm();
    const deal = await crm.records.create('deals', { dealname: 'Big one', dealstage: 'qualifiedtobuy' });
    expect(deal.properties).toEqual({
      dealname: 'Big one',
      dealstage: 'qualifiedtobuy',
      pipeline: 'default',
      hs_object_id: deal.id,
      createdate: T0,
      hs_lastmodifieddate: T0,
      // What the stage says, computed in the same write.
      hs_is_closed: false,
      hs_is_closed_won: false,
      hs_is_closed_lost: false,
      hs_deal_stage_probability: 0.4,
      hs_date_entered_qualifiedtobuy: T0,
    });
    expect(deal.properties).not.toHaveProperty('lastmodifieddate');
  });

  it('refuses caller values for system properties with READ_ONLY_VALUE', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(
      crm.records.create('contacts', { email: 'a@x.com', hs_object_id: 'mine', createdate: T0, lastmodifieddate: T0 }),
      'VALIDATION_ERROR',
    );
    expect(issuesOf(error)).toEqual([
      expect.objectContaining({ code: 'READ_ONLY_VALUE', property: 'hs_object_id' }),
      expect.objectContaining({ code: 'READ_ONLY_VALUE', property: 'createdate' }),
      expect.objectContaining({ code: 'READ_ONLY_VALUE', property: 'lastmodifieddate' }),
    ]);
    expect((await crm.records.list('contacts')).results).toEqual([]);
  });

  it('answers frozen records: mutating one throws and never changes what get answers', async () => {
    const { crm } = await testCrm();
    const contact = await crm.records.create('contacts', { email: 'a@x.com', firstname: 'Ana' });
    expect(() => {
      (contact.properties as Record<string, unknown>).firstname = 'Mallory';
    }).toThrow(TypeError);
    expect(() => {
      delete (contact.properties as Record<string, unknown>).email;
    }).toThrow(TypeError);
    expect(() => {
      (contact as { id: string }).id = 'other';
    }).toThrow(TypeError);
    const fetched = await crm.records.get('contacts', contact.id);
    expect(fetched?.properties.firstname).toBe('Ana');
    expect(fetched?.properties.email).toBe('a@x.com');
    expect(() => {
      (fetched!.properties as Record<string, unknown>).firstname = 'Eve';
    }).toThrow(TypeError);
    expect((await crm.records.get('contacts', contact.id))?.properties.firstname).toBe('Ana');
  });

  it('freezes multi-select values too', async () => {
    const { crm } = await testCrm();
    const ticket = await crm.records.create('tickets', { subject: 'Broken', hs_pipeline_stage: '1', hs_ticket_category: 'BILLING_ISSUE' });
    expect(() => {
      (ticket.properties.hs_ticket_category as string[]).push('PRODUCT_ISSUE');
    }).toThrow(TypeError);
    expect((await crm.records.get('tickets', ticket.id))?.properties.hs_ticket_category).toEqual(['BILLING_ISSUE']);
  });

  it('takes ids and time from createCrm({ ids, clock })', async () => {
    let now = new Date('2030-05-06T07:08:09.010Z');
    const crm = await createCrm({ ids: sequentialIds('c-'), clock: () => now });
    const first = await crm.records.create('contacts', { firstname: 'A' });
    now = new Date('2030-05-06T08:00:00.000Z');
    const second = await crm.records.create('contacts', { firstname: 'B' });
    expect([first.id, second.id]).toEqual(['c-1', 'c-2']);
    expect(first.createdAt).toBe('2030-05-06T07:08:09.010Z');
    expect(first.properties.createdate).toBe('2030-05-06T07:08:09.010Z');
    expect(second.createdAt).toBe('2030-05-06T08:00:00.000Z');
    const updated = await crm.records.update('contacts', first.id, { lastname: 'Z' });
    expect(updated.createdAt).toBe('2030-05-06T07:08:09.010Z');
    expect(updated.updatedAt).toBe('2030-05-06T08:00:00.000Z');
    expect(updated.properties.lastmodifieddate).toBe('2030-05-06T08:00:00.000Z');
  });

  it('makes 21-character URL-safe ids by default, all different', async () => {
    const crm = await createCrm();
    const records = await crm.records.createMany(
      'contacts',
      Array.from({ length: 50 }, (_, n) => ({ firstname: `P${n}` })),
    );
    for (const record of records) expect(record.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(new Set(records.map((record) => record.id)).size).toBe(50);
  });

  it('requires one of email, firstname, lastname on a contact', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.create('contacts', { phone: '+1 555', email: '' }), 'VALIDATION_ERROR');
    expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'REQUIRED', oneOf: ['email', 'firstname', 'lastname'] })]);
    await expect(crm.records.create('contacts', { lastname: 'Only' })).resolves.toMatchObject({ properties: { lastname: 'Only' } });
  });

  it("requires a deal's dealname and dealstage", async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.create('deals', { amount: 10 }), 'VALIDATION_ERROR');
    expect(issuesOf(error)).toEqual([
      expect.objectContaining({ code: 'REQUIRED', property: 'dealname' }),
      expect.objectContaining({ code: 'REQUIRED', property: 'dealstage' }),
    ]);
  });
});

describe('createMany', () => {
  it('answers [] for no inputs', async () => {
    const { crm } = await testCrm();
    await expect(crm.records.createMany('contacts', [])).resolves.toEqual([]);
  });
});

// ---------------------------------------------------------------- read

describe('get and getBy', () => {
  it('getBy domain compares normalised domains', async () => {
    const { crm } = await testCrm();
    const orange = await crm.records.create('companies', { name: 'Orange', domain: 'orange.com', hs_additional_domains: 'orange.fr' });
    expect((await crm.records.getBy('companies', 'domain', 'https://www.Orange.com/about'))?.id).toBe(orange.id);
    expect((await crm.records.getBy('companies', 'domain', 'ORANGE.FR'))?.id).toBe(orange.id);
    expect(await crm.records.getBy('companies', 'domain', 'apple.com')).toBeUndefined();
  });

  it('getBy hs_object_id answers the record with that id', async () => {
    const { crm } = await testCrm();
    await crm.records.create('contacts', { firstname: 'A' });
    const b = await crm.records.create('contacts', { firstname: 'B' });
    expect(await crm.records.getBy('contacts', 'hs_object_id', b.id)).toEqual(b);
    expect(await crm.records.getBy('contacts', 'hs_object_id', 'nope')).toBeUndefined();
  });

  it('getBy a property that is not unique is VALIDATION_ERROR NOT_A_UNIQUE_PROPERTY', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.getBy('contacts', 'firstname', 'Ana'), 'VALIDATION_ERROR');
    expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'NOT_A_UNIQUE_PROPERTY', property: 'firstname' })]);
    expect(error.message).toContain('firstname');
  });

  it('getBy an unknown property is UNKNOWN_PROPERTY', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.getBy('contacts', 'shoe_size', '42'), 'UNKNOWN_PROPERTY');
    expect(error.message).toContain('shoe_size');
  });
});

// ---------------------------------------------------------------- update

describe('update', () => {
  async function withContact() {
    const fixture = await testCrm();
    const contact = await fixture.crm.records.create('contacts', { email: 'ana@x.com', firstname: 'Ana', phone: '+1 555' });
    return { ...fixture, contact };
  }

  it('applies a patch, moves lastmodifieddate and updatedAt, keeps createdate', async () => {
    const { crm, contact } = await withContact();
    const updated = await crm.records.update('contacts', contact.id, { firstname: 'Anna', lifecyclestage: 'lead' });
    expect(updated.properties).toEqual({
      email: 'ana@x.com',
      firstname: 'Anna',
      phone: '+1 555',
      lifecyclestage: 'lead',
      hs_object_id: contact.id,
      createdate: T0,
      lastmodifieddate: T1,
    });
    expect(updated.createdAt).toBe(T0);
    expect(updated.updatedAt).toBe(T1);
    expect(await crm.records.get('contacts', contact.id)).toEqual(updated);
    // the record answered before is a snapshot: unchanged
    expect(contact.properties.firstname).toBe('Ana');
  });

  it('applies an immer recipe that assigns', async () => {
    const { crm, contact } = await withContact();
    const updated = await crm.records.update('contacts', contact.id, (draft) => {
      draft.firstname = 'Anna';
      draft.jobtitle = 'CTO';
    });
    expect(updated.properties).toMatchObject({ firstname: 'Anna', jobtitle: 'CTO', email: 'ana@x.com', phone: '+1 555' });
    expect(updated.updatedAt).toBe(T1);
  });

  it('an immer recipe that deletes a key clears the property', async () => {
    const { crm, contact } = await withContact();
    const updated = await crm.records.update('contacts', contact.id, (draft) => {
      delete draft.phone;
    });
    expect(updated.properties).not.toHaveProperty('phone');
    expect(updated.properties.email).toBe('ana@x.com');
    expect((await crm.records.history('contacts', contact.id, 'phone'))[0]?.value).toBeNull();
  });

  it('an immer recipe may return new properties built from the draft', async () => {
    const { crm, contact } = await withContact();
    const updated = await crm.records.update('contacts', contact.id, (draft) => ({ ...draft, firstname: 'Anna', phone: null }));
    expect(updated.properties).toMatchObject({ firstname: 'Anna', email: 'ana@x.com' });
    expect(updated.properties).not.toHaveProperty('phone');
  });

  it('an immer recipe returning new properties replaces the writable ones and leaves system properties alone', async () => {
    // UpdateRecipe: "changes it, or returns new properties". The caller never wrote
    // hs_object_id/createdate/lastmodifieddate, so leaving them out must not count as clearing them.
    const { crm, contact } = await withContact();
    const updated = await crm.records.update('contacts', contact.id, () => ({ email: 'ana@x.com', firstname: 'Anna' }));
    expect(updated.properties).toEqual({
      email: 'ana@x.com',
      firstname: 'Anna',
      hs_object_id: contact.id,
      createdate: T0,
      lastmodifieddate: T1,
    });
  });

  it('an immer recipe that changes a system property is refused with READ_ONLY_VALUE', async () => {
    const { crm, contact } = await withContact();
    const error = await expectCrmError(
      crm.records.update('contacts', contact.id, (draft) => {
        draft.hs_object_id = 'hijack';
      }),
      'VALIDATION_ERROR',
    );
    expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'READ_ONLY_VALUE', property: 'hs_object_id' })]);
    expect(await crm.records.get('contacts', contact.id)).toEqual(contact);
  });

  it('clears properties with null and with the empty string', async () => {
    const { crm, contact } = await withContact();
    const updated = await crm.records.update('contacts', contact.id, { phone: null, firstname: '' });
    expect(updated.properties).not.toHaveProperty('phone');
    expect(updated.properties).not.toHaveProperty('firstname');
    expect(updated.properties.email).toBe('ana@x.com');
    expect((await crm.records.history('contacts', contact.id, 'firstname'))[0]).toMatchObject({ value: null, timestamp: T1 });
  });

  it('refuses writes to read-only system properties with READ_ONLY_VALUE inside VALIDATION_ERROR', async () => {
    const { crm, contact } = await withContact();
    const error = await expectCrmError(
      crm.records.update('contacts', contact.id, { hs_object_id: 'x', createdate: T2, lastmodifieddate: T2, firstname: 'Anna' }),
      'VALIDATION_ERROR',
    );
    expect(issueCodes(error)).toEqual(['READ_ONLY_VALUE', 'READ_ONLY_VALUE', 'READ_ONLY_VALUE']);
    expect(issuesOf(error).map((issue) => issue.property)).toEqual(['hs_object_id', 'createdate', 'lastmodifieddate']);
    expect(await crm.records.get('contacts', contact.id)).toEqual(contact);
  });

  it('reports every bad property of one update together', async () => {
    const { crm, contact } = await withContact();
    const error = await expectCrmError(
      crm.records.update('contacts', contact.id, { email: 'nope', lifecyclestage: 'LEAD', hs_email_optout: 'maybe', unknown_prop: 1 }),
      'VALIDATION_ERROR',
    );
    expect(issueCodes(error).sort()).toEqual(['INVALID_BOOLEAN', 'INVALID_EMAIL', 'INVALID_OPTION', 'PROPERTY_DOESNT_EXIST']);
  });

  it("cannot clear a deal's required dealname", async () => {
    const { crm } = await testCrm();
    const deal = await crm.records.create('deals', { dealname: 'D', dealstage: 'closedwon' });
    const error = await expectCrmError(crm.records.update('deals', deal.id, { dealname: null }), 'VALIDATION_ERROR');
    expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'REQUIRED', property: 'dealname' })]);
    await expectCrmError(crm.records.update('deals', deal.id, { dealname: '' }), 'VALIDATION_ERROR');
    expect((await crm.records.get('deals', deal.id))?.properties.dealname).toBe('D');
  });

  it("cannot clear the last of a contact's email/firstname/lastname, but may clear one while another stays", async () => {
    const { crm, contact } = await withContact();
    const error = await expectCrmError(crm.records.update('contacts', contact.id, { email: null, firstname: null }), 'VALIDATION_ERROR');
    expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'REQUIRED', oneOf: ['email', 'firstname', 'lastname'] })]);
    const noEmail = await crm.records.update('contacts', contact.id, { email: null });
    expect(noEmail.properties).not.toHaveProperty('email');
    expect(noEmail.properties.firstname).toBe('Ana');
    const swapped = await crm.records.update('contacts', contact.id, { firstname: null, lastname: 'Silva' });
    expect(swapped.properties).toMatchObject({ lastname: 'Silva' });
  });

});

// ---------------------------------------------------------------- upsert

describe('upsert', () => {
  it('upserts companies by domain', async () => {
    const { crm } = await testCrm();
    const first = await crm.records.upsert('companies', { domain: 'orange.com', name: 'Orange' });
    const second = await crm.records.upsert('companies', { domain: 'https://www.orange.com/', numberofemployees: '250' });
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.record.id).toBe(first.record.id);
    expect(second.record.properties).toMatchObject({ domain: 'orange.com', name: 'Orange', numberofemployees: 250 });
  });

  it('upserts by a custom unique property', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', {
      name: 'customer_number',
      label: 'Customer number',
      type: 'string',
      fieldType: 'text',
      unique: true,
    });
    const first = await crm.records.upsert('contacts', { customer_number: 'C-1', firstname: 'Ana' }, { idProperty: 'customer_number' });
    const second = await crm.records.upsert('contacts', { customer_number: 'C-1', lastname: 'Silva' }, { idProperty: 'customer_number' });
    const other = await crm.records.upsert('contacts', { customer_number: 'C-2', firstname: 'Bo' }, { idProperty: 'customer_number' });
    expect([first.created, second.created, other.created]).toEqual([true, false, true]);
    expect(second.record.id).toBe(first.record.id);
    expect(second.record.properties).toMatchObject({ customer_number: 'C-1', firstname: 'Ana', lastname: 'Silva' });
    expect(other.record.id).not.toBe(first.record.id);
  });

  it('needs a value for the identifying property: VALIDATION_ERROR REQUIRED', async () => {
    const { crm, storage } = await testCrm();
    const before = structuredClone(storage.snapshot());
    for (const properties of [{ firstname: 'Ana' }, { email: '', firstname: 'Ana' }, { email: null, firstname: 'Ana' }]) {
      const error = await expectCrmError(crm.records.upsert('contacts', properties), 'VALIDATION_ERROR');
      expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'REQUIRED', property: 'email' })]);
    }
    expect(storage.snapshot()).toEqual(before);
  });

  it('refuses an identifying property that is not unique', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.upsert('contacts', { firstname: 'Ana' }, { idProperty: 'firstname' }), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['NOT_A_UNIQUE_PROPERTY']);
  });
});

// ---------------------------------------------------------------- archive, restore, purge

describe('archive, restore, purge', () => {
  it('archiving an archived record changes nothing', async () => {
    const { crm, storage } = await testCrm();
    const contact = await crm.records.create('contacts', { email: 'ana@x.com' });
    await crm.records.archive('contacts', contact.id);
    const before = structuredClone(storage.snapshot());
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await crm.records.archive('contacts', contact.id);
    expect(storage.snapshot()).toEqual(before);
    expect(events).toEqual([]);
    expect((await crm.records.get('contacts', contact.id, { archived: true }))?.archivedAt).toBe(T1);
  });

  it('archive, restore and purge of an unknown id are NOT_FOUND', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.records.archive('contacts', 'ghost'), 'NOT_FOUND');
    await expectCrmError(crm.records.restore('contacts', 'ghost'), 'NOT_FOUND');
    await expectCrmError(crm.records.purge('contacts', 'ghost'), 'NOT_FOUND');
  });

});

// ---------------------------------------------------------------- list

describe('list', () => {
  async function pages(crm: Awaited<ReturnType<typeof testCrm>>['crm'], limit: number, archived = false): Promise<CrmRecord[][]> {
    const all: CrmRecord[][] = [];
    let after: string | undefined;
    do {
      const page = await crm.records.list('contacts', { limit, archived, ...(after !== undefined ? { after } : {}) });
      all.push(page.results);
      after = page.paging?.next?.after;
      expect(all.length).toBeLessThan(100);
    } while (after !== undefined);
    return all;
  }

  it('refuses options that are not an object', async () => {
    const { crm } = await testCrm();
    for (const options of ['limit=5', 5, [1], null]) {
      expect(issueCodes(await expectCrmError(crm.records.list('contacts', options as never), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
    }
  });

  it('pages of a given limit cover every record exactly once, in creation order', async () => {
    const { crm } = await testCrm();
    const created = await crm.records.createMany(
      'contacts',
      Array.from({ length: 10 }, (_, n) => ({ firstname: `P${n}` })),
    );
    for (const limit of [1, 3, 4, 10, 11]) {
      const result = await pages(crm, limit);
      for (const page of result.slice(0, -1)) expect(page).toHaveLength(limit);
      expect(result.flat().map((record) => record.id)).toEqual(created.map((record) => record.id));
    }
    const single = await crm.records.list('contacts', { limit: 10 });
    expect(single.results).toHaveLength(10);
    expect(single.paging).toBeUndefined();
  });

  it.each([0, 1.5, -1, Number.NaN])('refuses limit %s with VALIDATION_ERROR', async (limit) => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.list('contacts', { limit }), 'VALIDATION_ERROR');
    expect(issuesOf(error)).toEqual([expect.objectContaining({ property: 'limit' })]);
  });
});

// ---------------------------------------------------------------- history

describe('history', () => {
  it('records the source given to create and the engine-set modified date', async () => {
    const { crm } = await testCrm();
    const contact = await crm.records.create('contacts', { firstname: 'A' }, { source: { type: 'IMPORT', id: 'x', label: 'y' } });
    expect(await crm.records.history('contacts', contact.id, 'firstname')).toEqual([
      { value: 'A', timestamp: T0, sourceType: 'IMPORT', sourceId: 'x', sourceLabel: 'y' },
    ]);
    await crm.records.update('contacts', contact.id, { firstname: 'B' });
    expect((await crm.records.history('contacts', contact.id, 'lastmodifieddate')).map((entry) => entry.value)).toEqual([T1, T0]);
  });

  it('refuses an invalid source with VALIDATION_ERROR and writes nothing', async () => {
    const { crm, storage } = await testCrm();
    const before = structuredClone(storage.snapshot());
    await expectCrmError(crm.records.create('contacts', { firstname: 'A' }, { source: { type: 'ROBOT' } } as never), 'VALIDATION_ERROR');
    await expectCrmError(crm.records.create('contacts', { firstname: 'A' }, { source: { type: 'API', extra: 1 } } as never), 'VALIDATION_ERROR');
    await expectCrmError(crm.records.create('contacts', { firstname: 'A' }, { source: 'API' } as never), 'VALIDATION_ERROR');
    expect(storage.snapshot()).toEqual(before);
  });

  it('unknown property is UNKNOWN_PROPERTY, unknown record NOT_FOUND', async () => {
    const { crm } = await testCrm();
    const contact = await crm.records.create('contacts', { firstname: 'A' });
    await expectCrmError(crm.records.history('contacts', contact.id, 'shoe_size'), 'UNKNOWN_PROPERTY');
    await expectCrmError(crm.records.history('contacts', 'ghost', 'firstname'), 'NOT_FOUND');
  });

  it('createCrm({ history: false }) keeps none', async () => {
    const { crm } = await testCrm({ history: false });
    const contact = await crm.records.create('contacts', { firstname: 'A' });
    const updated = await crm.records.update('contacts', contact.id, { firstname: 'B' });
    expect(updated.properties.firstname).toBe('B');
    expect(await crm.records.history('contacts', contact.id, 'firstname')).toEqual([]);
  });
});

// ---------------------------------------------------------------- blockPurgedEmails

describe('blockPurgedEmails', () => {
  async function purgedAna(blockPurgedEmails: boolean) {
    const fixture = await testCrm({ blockPurgedEmails });
    const ana = await fixture.crm.records.create('contacts', { email: 'ana@x.com', hs_additional_emails: 'ana@home.org' });
    await fixture.crm.records.purge('contacts', ana.id);
    return fixture;
  }

  it("refuses a purged contact's email and additional emails with EMAIL_BLOCKED", async () => {
    const { crm, storage } = await purgedAna(true);
    const bo = await crm.records.create('contacts', { email: 'bo@x.com' });
    const before = structuredClone(storage.snapshot());
    for (const [write, property] of [
      [() => crm.records.create('contacts', { email: 'ANA@x.com' }), 'email'],
      [() => crm.records.create('contacts', { email: 'ana@home.org' }), 'email'],
      [() => crm.records.create('contacts', { email: 'new@x.com', hs_additional_emails: 'ana@x.com' }), 'hs_additional_emails'],
      [() => crm.records.update('contacts', bo.id, { email: 'ana@x.com' }), 'email'],
      [() => crm.records.upsert('contacts', { email: 'ana@x.com', firstname: 'A' }), 'email'],
    ] as const) {
      const error = await expectCrmError(write(), 'VALIDATION_ERROR');
      expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'EMAIL_BLOCKED', property })]);
      expect(error.message).toContain('ana@');
    }
    expect(storage.snapshot()).toEqual(before);
  });

  it('reports blocked emails in createMany with the index of the input', async () => {
    const { crm } = await purgedAna(true);
    const error = await expectCrmError(
      crm.records.createMany('contacts', [{ email: 'ok@x.com' }, { email: 'ana@home.org' }]),
      'VALIDATION_ERROR',
    );
    expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'EMAIL_BLOCKED', index: 1 })]);
    expect((await crm.records.list('contacts')).results).toEqual([]);
  });

  it('does not block an archived (not purged) contact’s email', async () => {
    const { crm } = await testCrm({ blockPurgedEmails: true });
    const ana = await crm.records.create('contacts', { email: 'ana@x.com' });
    await crm.records.archive('contacts', ana.id);
    await expect(crm.records.create('contacts', { email: 'ana@x.com' })).resolves.toMatchObject({ properties: { email: 'ana@x.com' } });
  });

  it('is off by default: a purged email can come back', async () => {
    const { crm } = await purgedAna(false);
    await expect(crm.records.create('contacts', { email: 'ana@x.com' })).resolves.toMatchObject({ properties: { email: 'ana@x.com' } });
    await expect(crm.records.create('contacts', { email: 'ana@home.org' })).resolves.toMatchObject({ properties: { email: 'ana@home.org' } });
    const crm2 = await createCrm();
    const ana = await crm2.records.create('contacts', { email: 'ana@x.com' });
    await crm2.records.purge('contacts', ana.id);
    await expect(crm2.records.create('contacts', { email: 'ana@x.com' })).resolves.toBeDefined();
  });
});

// ---------------------------------------------------------------- activation and typed values

describe('objects that need activation', () => {
  it('refuses records with OBJECT_NOT_ACTIVE until activated', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.create('services', { hs_name: 'Onboarding' }), 'OBJECT_NOT_ACTIVE');
    expect(error.message).toContain('services');
    await expectCrmError(crm.records.createMany('services', [{ hs_name: 'A' }]), 'OBJECT_NOT_ACTIVE');
    await expectCrmError(crm.records.upsert('services', { hs_object_id: 'x', hs_name: 'A' }), 'OBJECT_NOT_ACTIVE');
    await crm.schema.activate('services');
    const service = await crm.records.create('services', { hs_name: 'Onboarding', hs_start_date: '2026-03-01' });
    expect(service.properties).toMatchObject({ hs_name: 'Onboarding', hs_start_date: '2026-03-01' });
  });
});

describe('typed values through records', () => {
  it('refuses an unknown enumeration option with INVALID_OPTION listing the allowed values', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.records.create('contacts', { email: 'a@x.com', lifecyclestage: 'Customer' }), 'VALIDATION_ERROR');
    const [issue] = issuesOf(error);
    expect(issue).toMatchObject({ code: 'INVALID_OPTION', property: 'lifecyclestage' });
    expect(issue?.code === 'INVALID_OPTION' && issue.allowed).toEqual(expect.arrayContaining(['subscriber', 'lead', 'customer', 'evangelist', 'other']));
    expect(error.message).toContain('lifecyclestage');
    expect(error.message).toContain('"Customer"');
    const ok = await crm.records.create('contacts', { email: 'a@x.com', lifecyclestage: 'customer' });
    expect(ok.properties.lifecyclestage).toBe('customer');
  });

  it("stores a multi-select (checkbox) as an array in the options' order", async () => {
    const { crm } = await testCrm();
    const ticket = await crm.records.create('tickets', {
      subject: 'Invoice wrong',
      hs_pipeline_stage: '1',
      hs_ticket_category: 'FEATURE_REQUEST;PRODUCT_ISSUE',
    });
    expect(ticket.properties.hs_ticket_category).toEqual(['PRODUCT_ISSUE', 'FEATURE_REQUEST']);
    expect(ticket.properties.hs_pipeline).toBe('0');
    const updated = await crm.records.update('tickets', ticket.id, { hs_ticket_category: ['GENERAL_INQUIRY', 'BILLING_ISSUE'] });
    expect(updated.properties.hs_ticket_category).toEqual(['BILLING_ISSUE', 'GENERAL_INQUIRY']);
    // same set in another order is no change
    const same = await crm.records.update('tickets', ticket.id, { hs_ticket_category: 'GENERAL_INQUIRY;BILLING_ISSUE' });
    expect(same.updatedAt).toBe(updated.updatedAt);
    const error = await expectCrmError(crm.records.update('tickets', ticket.id, { hs_ticket_category: 'billing_issue' }), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['INVALID_OPTION']);
  });

  it('reads numbers and booleans from strings', async () => {
    const { crm } = await testCrm();
    const company = await crm.records.create('companies', { name: 'Orange', annualrevenue: '1000.5', numberofemployees: ' 12 ', is_public: 'true' });
    expect(company.properties).toMatchObject({ annualrevenue: 1000.5, numberofemployees: 12, is_public: true });
    const deal = await crm.records.create('deals', { dealname: 'D', dealstage: 'closedwon', amount: '-0' });
    expect(Object.is(deal.properties.amount, 0)).toBe(true);
  });

  it('normalises dates and datetimes', async () => {
    const { crm } = await testCrm();
    const contact = await crm.records.create('contacts', { firstname: 'A', date_of_birth: new Date('1990-05-17T00:00:00Z') });
    expect(contact.properties.date_of_birth).toBe('1990-05-17');
    const deal = await crm.records.create('deals', { dealname: 'D', dealstage: 'closedwon', closedate: '2026-03-01T12:00:00+01:00' });
    expect(deal.properties.closedate).toBe('2026-03-01T11:00:00.000Z');
    const byEpoch = await crm.records.update('deals', deal.id, { closedate: Date.UTC(2026, 3, 1) });
    expect(byEpoch.properties.closedate).toBe('2026-04-01T00:00:00.000Z');
    const byDate = await crm.records.update('deals', deal.id, { closedate: '2026-05-01' });
    expect(byDate.properties.closedate).toBe('2026-05-01T00:00:00.000Z');
    const error = await expectCrmError(crm.records.update('contacts', contact.id, { date_of_birth: '1990-05-17T10:00:00Z' }), 'VALIDATION_ERROR');
    expect(issuesOf(error)).toEqual([expect.objectContaining({ code: 'INVALID_DATE', property: 'date_of_birth' })]);
  });

  it('reads the clock once per call: each create gets its own time', async () => {
    const { crm } = await testCrm({ clock: steppingClock('2027-01-01T00:00:00.000Z', 60_000) });
    const a = await crm.records.create('contacts', { firstname: 'A' });
    const b = await crm.records.create('contacts', { firstname: 'B' });
    expect([a.createdAt, b.createdAt]).toEqual(['2027-01-01T00:00:00.000Z', '2027-01-01T00:01:00.000Z']);
  });
});
