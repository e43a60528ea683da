// What crmkit associates and computes by itself (docs/associations.md "Automatic associations
// and calculated properties", "Listing"): association by email domain, activities following a
// contact's primary company, the calculated properties, and the timeline.
import { describe, expect, it } from 'vitest';
import { FREE_MAIL_DOMAINS } from 'crmkit';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';
import { activity, company, contact, deal, listedIds, primaryOf } from './fixtures.js';

// ---------------------------------------------------------------- by domain

describe('autoAssociateByDomain', () => {
  it('is off by default', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm, { domain: 'acme.com' });
    const ana = await contact(crm, { email: 'ana@acme.com' });
    expect(await listedIds(crm, ana, 'companies')).toEqual([]);
    expect(await listedIds(crm, acme, 'contacts')).toEqual([]);
  });

  it('associates a new contact with the company of its email’s domain (source DOMAIN_AUTO_ASSOCIATION)', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    const acme = await company(crm, { domain: 'acme.com' });
    const ana = await contact(crm, { email: 'Ana@ACME.com' });
    expect(await primaryOf(crm, ana)).toBe(acme.id);
    const [entry] = await crm.associations.history(ana);
    expect(entry).toMatchObject({ action: 'created', to: { objectType: 'companies', id: acme.id }, source: { type: 'DOMAIN_AUTO_ASSOCIATION' } });
  });

  it('matches a company’s additional domains, never a subdomain', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    const acme = await company(crm, { domain: 'acme.com', hs_additional_domains: 'acme.co.uk' });
    const bob = await contact(crm, { email: 'bob@acme.co.uk' });
    const eve = await contact(crm, { email: 'eve@mail.acme.com' });
    expect(await listedIds(crm, bob, 'companies')).toEqual([acme.id]);
    expect(await listedIds(crm, eve, 'companies')).toEqual([]);
  });

  it('never matches free-mail domains', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    expect(FREE_MAIL_DOMAINS).toContain('gmail.com');
    const google = await company(crm, { name: 'Google', domain: 'gmail.com' });
    const ana = await contact(crm, { email: 'ana@gmail.com' });
    expect(await listedIds(crm, ana, 'companies')).toEqual([]);
    await company(crm, { name: 'Later', domain: 'hotmail.com' });
    await contact(crm, { email: 'bob@hotmail.com' });
    expect(await listedIds(crm, google, 'contacts')).toEqual([]);
  });

  it('takes its own list of free-mail domains', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: { freeMailDomains: ['acme.com'] } });
    const acme = await company(crm, { domain: 'acme.com' });
    const google = await company(crm, { name: 'Google', domain: 'gmail.com' });
    await contact(crm, { email: 'ana@acme.com' });
    const bob = await contact(crm, { email: 'bob@gmail.com' });
    expect(await listedIds(crm, acme, 'contacts')).toEqual([]);
    expect(await listedIds(crm, bob, 'companies')).toEqual([google.id]);
  });

  it('reads its own free-mail domains as stored domains are spelled (Unicode, fullwidth, upper case)', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: { freeMailDomains: ['Bücher.DE', 'ａｃｍｅ.com'] } });
    const books = await company(crm, { domain: 'xn--bcher-kva.de' });
    const acme = await company(crm, { domain: 'acme.com' });
    await contact(crm, { email: 'ana@bücher.de' });
    await contact(crm, { email: 'bo@acme.com' });
    expect(await listedIds(crm, books, 'contacts')).toEqual([]);
    expect(await listedIds(crm, acme, 'contacts')).toEqual([]);
  });

  it('associates the existing contacts of a company created later, or whose domains change', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    const [ana, bob] = [await contact(crm, { email: 'ana@acme.com' }), await contact(crm, { email: 'bob@acme.co.uk' })];
    const eve = await contact(crm, { email: 'eve@other.com' });
    const acme = await company(crm, { domain: 'acme.com' });
    expect(await listedIds(crm, acme, 'contacts')).toEqual([ana.id]);
    await crm.records.update('companies', acme.id, { hs_additional_domains: 'acme.co.uk' });
    expect(await listedIds(crm, acme, 'contacts')).toEqual([ana.id, bob.id]);
    await crm.records.update('companies', acme.id, { domain: 'other.com' });
    expect(await listedIds(crm, acme, 'contacts')).toEqual([ana.id, bob.id, eve.id]);
    expect((await crm.associations.history(bob))[0]?.source).toEqual({ type: 'DOMAIN_AUTO_ASSOCIATION' });
  });

  it('associates a contact whose email changes, and never removes an association', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    const [acme, globex] = [await company(crm, { domain: 'acme.com' }), await company(crm, { name: 'Globex', domain: 'globex.com' })];
    const ana = await contact(crm, { email: 'ana@home.org' });
    expect(await listedIds(crm, ana, 'companies')).toEqual([]);
    await crm.records.update('contacts', ana.id, { email: 'ana@acme.com' });
    expect(await listedIds(crm, ana, 'companies')).toEqual([acme.id]);
    await crm.records.update('contacts', ana.id, { email: 'ana@globex.com' });
    expect(await listedIds(crm, ana, 'companies')).toEqual([acme.id, globex.id]);
    expect(await primaryOf(crm, ana)).toBe(acme.id);
    await crm.records.update('companies', globex.id, { domain: 'globex.net' });
    expect(await listedIds(crm, ana, 'companies')).toEqual([acme.id, globex.id]);
  });

  it('needs companies’ dedup on', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    await crm.schema.updateObject('companies', { dedup: false });
    await company(crm, { domain: 'acme.com' });
    const ana = await contact(crm, { email: 'ana@acme.com' });
    expect(await listedIds(crm, ana, 'companies')).toEqual([]);
  });
});

// ---------------------------------------------------------------- activities

describe('autoAssociateActivities', () => {
  it('is on by default: an activity associated with a contact also gets its primary company (source JOB)', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    await crm.associations.associate(ana, globex);
    const note = await activity(crm, '2026-02-01T00:00:00.000Z', [ana]);
    expect(await listedIds(crm, note, 'companies')).toEqual([acme.id]);
    const [entry] = await crm.associations.history(note, { with: acme });
    expect(entry).toMatchObject({ action: 'created', source: { type: 'JOB' } });
    // The same when the activity is associated after it was created, from either side.
    const call = await crm.records.create('calls', { hs_timestamp: '2026-02-02T00:00:00.000Z' });
    await crm.associations.associate(ana, call);
    expect(await listedIds(crm, call, 'companies')).toEqual([acme.id]);
  });

  it('applies to every activity of a createMany', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    await crm.associations.associate(ana, acme);
    const notes = await crm.records.createMany(
      'notes',
      [{ hs_timestamp: '2026-02-01T00:00:00.000Z' }, { hs_timestamp: '2026-02-02T00:00:00.000Z' }],
      { associations: [{ to: ana }] },
    );
    expect(await listedIds(crm, acme, 'notes')).toEqual(notes.map((note) => note.id));
    expect((await crm.records.get('companies', acme.id))?.properties.hs_last_activity_date).toBe('2026-02-02T00:00:00.000Z');
  });

  it('does nothing for a contact without companies, or with the pair already associated', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const lone = await activity(crm, '2026-02-01T00:00:00.000Z', [ana]);
    expect(await listedIds(crm, lone, 'companies')).toEqual([]);
    const acme = await company(crm);
    await crm.associations.associate(ana, acme);
    const note = await activity(crm, '2026-02-01T00:00:00.000Z', [acme, ana]);
    expect(await listedIds(crm, note, 'companies')).toEqual([acme.id]);
    expect((await crm.associations.history(note, { with: acme })).map((entry) => entry.source.type)).toEqual(['API']);
  });

  it('skips the company when a limit forbids it, without failing the call', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineAssociation('notes', 'companies', { limit: 'one' });
    const ana = await contact(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    const note = await activity(crm, '2026-02-01T00:00:00.000Z', [globex]);
    await crm.associations.associate(note, ana);
    expect(await listedIds(crm, note, 'companies')).toEqual([globex.id]);
  });

  it('is not redone when the contact’s primary changes later', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [acme, globex] = [await company(crm), await company(crm, { name: 'Globex' })];
    await crm.associations.associate(ana, acme);
    const note = await activity(crm, '2026-02-01T00:00:00.000Z', [ana]);
    await crm.associations.setPrimary(ana, globex);
    expect(await listedIds(crm, note, 'companies')).toEqual([acme.id]);
  });

  it('can be turned off', async () => {
    const { crm } = await testCrm({ autoAssociateActivities: false });
    const ana = await contact(crm);
    await crm.associations.associate(ana, await company(crm));
    const note = await activity(crm, '2026-02-01T00:00:00.000Z', [ana]);
    expect(await listedIds(crm, note, 'companies')).toEqual([]);
  });
});

// ---------------------------------------------------------------- calculated properties

describe('calculated properties', () => {
  // How a count follows archive, restore and purge, and that it shows in what a call answers
  // without moving updatedAt, is storage-dependent: the conformance suite's
  // engine/calculated.ts tests it on every storage.
  it('num_associated_deals counts contacts’ and companies’ live deals', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
    await crm.associations.associateMany([
      { from: d1, to: ana },
      { from: d2, to: ana },
      { from: d1, to: acme },
    ]);
    expect((await crm.records.get('contacts', ana.id))?.properties.num_associated_deals).toBe(2);
    expect((await crm.records.get('companies', acme.id))?.properties.num_associated_deals).toBe(1);
    await crm.records.archive('deals', d1.id);
    expect((await crm.records.get('contacts', ana.id))?.properties.num_associated_deals).toBe(1);
    expect((await crm.records.get('companies', acme.id))?.properties).not.toHaveProperty('num_associated_deals');
  });

  it('shows in the record an update returns when the update changes them', async () => {
    const { crm } = await testCrm({ autoAssociateByDomain: true });
    await contact(crm, { email: 'ana@acme.com' });
    const acme = await company(crm, { name: 'Acme' });
    const updated = await crm.records.update('companies', acme.id, { domain: 'acme.com' });
    expect(updated.properties.num_associated_contacts).toBe(1);
    expect(updated).toEqual(await crm.records.get('companies', acme.id));
    await contact(crm, { email: 'bob@acme.co.uk' });
    const { record } = await crm.records.upsert('companies', { domain: 'acme.com', hs_additional_domains: 'acme.co.uk' });
    expect(record.properties.num_associated_contacts).toBe(2);
  });

  it('restore answers the record with its counts as they are now', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const [d1, d2] = [await deal(crm), await deal(crm, { dealname: 'Two' })];
    await crm.associations.associate(ana, d1);
    await crm.records.archive('contacts', ana.id);
    await crm.associations.associate(d2, await contact(crm, { firstname: 'Bob' }));
    await crm.records.archive('deals', d1.id);
    const restored = await crm.records.restore('contacts', ana.id);
    expect(restored.properties).not.toHaveProperty('num_associated_deals');
    await crm.records.restore('deals', d1.id);
    expect((await crm.records.get('contacts', ana.id))?.properties.num_associated_deals).toBe(1);
  });

  it('hs_last_activity_date is the latest hs_timestamp of the record’s live activities', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const bigOne = await deal(crm);
    const last = async () => (await crm.records.get('contacts', ana.id))?.properties.hs_last_activity_date;
    expect(await last()).toBeUndefined();
    const early = await activity(crm, '2026-01-03T00:00:00.000Z', [ana, bigOne]);
    const late = await activity(crm, '2026-01-05T00:00:00.000Z', [ana], 'calls');
    await activity(crm, '2026-01-04T00:00:00.000Z', [ana], 'meetings');
    expect(await last()).toBe('2026-01-05T00:00:00.000Z');
    expect((await crm.records.get('deals', bigOne.id))?.properties.hs_last_activity_date).toBe('2026-01-03T00:00:00.000Z');

    await crm.records.update('calls', late.id, { hs_timestamp: '2026-01-01T00:00:00.000Z' });
    expect(await last()).toBe('2026-01-04T00:00:00.000Z');
    await crm.records.archive('notes', early.id);
    expect(await last()).toBe('2026-01-04T00:00:00.000Z');
    expect((await crm.records.get('deals', bigOne.id))?.properties).not.toHaveProperty('hs_last_activity_date');
    await crm.records.restore('notes', early.id);
    expect((await crm.records.get('deals', bigOne.id))?.properties.hs_last_activity_date).toBe('2026-01-03T00:00:00.000Z');
    await crm.associations.remove(bigOne, early);
    expect((await crm.records.get('deals', bigOne.id))?.properties).not.toHaveProperty('hs_last_activity_date');
    await crm.records.purge('notes', early.id);
    await crm.records.purge('meetings', (await crm.timeline(ana)).results[0]!.id);
    expect(await last()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('hs_last_activity_date reaches the company an activity is auto-associated with', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const acme = await company(crm);
    await crm.associations.associate(ana, acme);
    await activity(crm, '2026-03-01T00:00:00.000Z', [ana]);
    expect((await crm.records.get('companies', acme.id))?.properties.hs_last_activity_date).toBe('2026-03-01T00:00:00.000Z');
  });

  it('is read-only: writing one is refused', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const ana = await contact(crm);
    for (const patch of [{ num_associated_contacts: 5 }, { num_associated_deals: 1 }, { hs_last_activity_date: '2026-01-01T00:00:00.000Z' }]) {
      expect(issueCodes(await expectCrmError(crm.records.update('companies', acme.id, patch), 'VALIDATION_ERROR'))).toEqual(['READ_ONLY_VALUE']);
    }
    expect(issueCodes(await expectCrmError(crm.records.update('contacts', ana.id, { num_associated_deals: 3 }), 'VALIDATION_ERROR'))).toEqual(['READ_ONLY_VALUE']);
    await expectCrmError(crm.records.create('deals', { dealname: 'X', dealstage: 'appointmentscheduled', hs_last_activity_date: '2026-01-01T00:00:00.000Z' }), 'VALIDATION_ERROR');
  });
});

// ---------------------------------------------------------------- timeline

describe('crm.timeline', () => {
  it('pages a record’s live activities newest first by hs_timestamp', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const note = await activity(crm, '2026-01-02T00:00:00.000Z', [ana]);
    const call = await activity(crm, '2026-01-04T00:00:00.000Z', [ana], 'calls');
    const task = await activity(crm, '2026-01-01T00:00:00.000Z', [ana], 'tasks');
    const meeting = await activity(crm, '2026-01-03T00:00:00.000Z', [ana], 'meetings');
    const gone = await activity(crm, '2026-01-05T00:00:00.000Z', [ana], 'emails');
    await crm.records.archive('emails', gone.id);
    await crm.associations.associate(ana, await deal(crm));

    const first = await crm.timeline(ana, { limit: 3 });
    expect(first.results.map((record) => [record.objectType, record.id])).toEqual([
      ['calls', call.id],
      ['meetings', meeting.id],
      ['notes', note.id],
    ]);
    const second = await crm.timeline(ana, { limit: 3, after: first.paging!.next!.after });
    expect(second.results.map((record) => record.id)).toEqual([task.id]);
    expect(second.paging).toBeUndefined();
    expect((await crm.timeline({ objectType: 'contacts', id: ana.id })).results).toHaveLength(4);
  });

  it('orders activities at the same time by id', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const at = '2026-01-02T00:00:00.000Z';
    const a = await activity(crm, at, [acme]);
    const b = await activity(crm, at, [acme]);
    const c = await activity(crm, at, [acme]);
    const ids = (await crm.timeline(acme)).results.map((record) => record.id);
    expect(ids).toEqual([a.id, b.id, c.id].sort().reverse());
    const paged = [];
    let page = await crm.timeline(acme, { limit: 1 });
    paged.push(...page.results);
    while (page.paging?.next) {
      page = await crm.timeline(acme, { limit: 1, after: page.paging.next.after });
      paged.push(...page.results);
    }
    expect(paged.map((record) => record.id)).toEqual(ids);
  });

  it('breaks ties by id across activity types too, not by type', async () => {
    const { crm } = await testCrm();
    const ana = await contact(crm);
    const at = '2026-01-02T00:00:00.000Z';
    const note = await activity(crm, at, [ana]); // id-2
    const call = await activity(crm, at, [ana], 'calls'); // id-3
    const later = await activity(crm, at, [ana]); // id-4
    // As among notes alone (the test above), the higher id comes first.
    expect((await crm.timeline(ana)).results.map((record) => record.id)).toEqual([later.id, call.id, note.id]);
  });

  it('is empty for a record without activities, and NOT_FOUND for a record that does not exist', async () => {
    const { crm } = await testCrm();
    expect(await crm.timeline(await deal(crm))).toEqual({ results: [] });
    await expectCrmError(crm.timeline({ objectType: 'deals', id: 'nope' }), 'NOT_FOUND');
  });
});
