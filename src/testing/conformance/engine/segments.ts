// Segments and saved views on a storage: what one Crm saves, another on the same storage reads;
// an active segment's members follow every write at once, a static one's hold until changed;
// archiving takes a record out of both; "in segment X" filters search, count and other segments;
// what a saved filter names stays in use; a refused call changes nothing.
import { describe, expect, it } from 'vitest';
import { createCrm } from 'crmkit';
import type { Crm, CrmRecord, FilterSpec } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { issueCodes, refused, type Engine } from './harness.js';

const LEADS: FilterSpec = { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }] };

/** Every member's id, following the cursor a page of `limit` at a time. */
async function memberIds(crm: Crm, segmentId: string, limit = 2): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await crm.segments.members(segmentId, { limit, ...(after !== undefined ? { after } : {}) });
    ids.push(...page.results.map((record) => record.id));
    after = page.paging?.next?.after;
    expect(++pages).toBeLessThanOrEqual(100);
  } while (after !== undefined);
  return ids;
}

const idsOf = (records: readonly CrmRecord[]): string[] => records.map((record) => record.id);

/**
 * Declares the engine's tests of segments and views, on the storages `engine` makes.
 *
 * @example
 * describeSegments(engineHarness(() => memoryStorage()));
 */
export function describeSegments({ factory, fresh, contact, company }: Engine): void {
  describe('segments and views', () => {
    it("an active segment's members are the live records matching its filter at each read, paged oldest first", async () => {
      const crm = await fresh();
      const a = await contact(crm, { email: 'a@x.com', lifecyclestage: 'lead' });
      const b = await contact(crm, { email: 'b@x.com', lifecyclestage: 'customer' });
      const c = await contact(crm, { email: 'c@x.com', lifecyclestage: 'lead' });
      const leads = await crm.segments.create({ name: 'Leads', objectType: 'contacts', kind: 'active', filter: LEADS });
      expect(leads).toMatchObject({ id: '1', name: 'Leads', objectType: 'contacts', kind: 'active', filter: LEADS });
      expect(await memberIds(crm, leads.id)).toEqual([a.id, c.id]);
      await crm.records.update('contacts', b.id, { lifecyclestage: 'lead' });
      await crm.records.update('contacts', a.id, { lifecyclestage: 'customer' });
      expect(await memberIds(crm, leads.id)).toEqual([b.id, c.id]);
      expect((await crm.segments.members(leads.id)).total).toBe(2);
      expect(await crm.segments.contains(leads.id, b)).toBe(true);
      expect(await crm.segments.contains(leads.id, a)).toBe(false);
      // Archived: out; restored, back in while it matches.
      await crm.records.archive('contacts', c.id);
      expect(await memberIds(crm, leads.id)).toEqual([b.id]);
      expect(await crm.segments.contains(leads.id, c)).toBe(false);
      await crm.records.restore('contacts', c.id);
      expect(await memberIds(crm, leads.id)).toEqual([b.id, c.id]);
    });

    it('a static segment holds the records put in it (its filter chose the first ones) until they are removed or archived', async () => {
      const crm = await fresh();
      const a = await contact(crm, { email: 'a@x.com', lifecyclestage: 'lead' });
      const b = await contact(crm, { email: 'b@x.com', lifecyclestage: 'customer' });
      const vips = await crm.segments.create({ name: 'VIPs', objectType: 'contacts', kind: 'static', filter: LEADS });
      expect(vips).not.toHaveProperty('filter');
      expect(await memberIds(crm, vips.id)).toEqual([a.id]);
      // Changing the values changes nothing: the segment is static.
      await crm.records.update('contacts', a.id, { lifecyclestage: 'customer' });
      await crm.segments.add(vips.id, [b, b]);
      expect(await memberIds(crm, vips.id)).toEqual([a.id, b.id]);
      await crm.segments.add(vips.id, [b]);
      expect((await crm.segments.members(vips.id)).total).toBe(2);
      await crm.segments.remove(vips.id, [a, { objectType: 'contacts', id: 'never-a-member' }]);
      expect(await memberIds(crm, vips.id)).toEqual([b.id]);
      // Archived: out, and restoring does not put it back.
      await crm.records.archive('contacts', b.id);
      expect(await crm.segments.contains(vips.id, b)).toBe(false);
      await crm.records.restore('contacts', b.id);
      expect(await memberIds(crm, vips.id)).toEqual([]);
      expect(await crm.segments.contains(vips.id, b)).toBe(false);
    });

    it("a merge puts the survivor in the merged record's static segments; a purged record leaves them", async () => {
      const crm = await fresh();
      const a = await contact(crm, { email: 'a@x.com' });
      const b = await contact(crm, { email: 'b@x.com' });
      const c = await contact(crm, { email: 'c@x.com' });
      const list = await crm.segments.create({ name: 'List', objectType: 'contacts', kind: 'static' });
      await crm.segments.add(list.id, [b, c]);
      await crm.records.merge('contacts', a.id, b.id);
      expect((await memberIds(crm, list.id)).sort()).toEqual([a.id, c.id].sort());
      await crm.records.purge('contacts', c.id);
      expect(await memberIds(crm, list.id)).toEqual([a.id]);
    });

    it('"in segment X" filters search and count, and segments of segments follow both kinds', async () => {
      const crm = await fresh();
      const a = await contact(crm, { email: 'a@x.com', lifecyclestage: 'lead' });
      const b = await contact(crm, { email: 'b@x.com', lifecyclestage: 'customer' });
      const c = await contact(crm, { email: 'c@x.com', lifecyclestage: 'customer' });
      const leads = await crm.segments.create({ name: 'Leads', objectType: 'contacts', kind: 'active', filter: LEADS });
      const picked = await crm.segments.create({ name: 'Picked', objectType: 'contacts', kind: 'static' });
      await crm.segments.add(picked.id, [b]);
      const either = await crm.segments.create({
        name: 'Either',
        objectType: 'contacts',
        kind: 'active',
        filter: { filterGroups: [{ filters: [{ segment: { id: leads.id } }] }, { filters: [{ segment: { id: picked.id } }] }] },
      });
      expect(await memberIds(crm, either.id)).toEqual([a.id, b.id]);
      const notLeads = await crm.records.search('contacts', {
        filterGroups: [{ filters: [{ segment: { id: either.id } }, { propertyName: 'lifecyclestage', operator: 'NEQ', value: 'lead' }] }],
      });
      expect(idsOf(notLeads.results)).toEqual([b.id]);
      expect(await crm.records.count('contacts', { filterGroups: [{ filters: [{ segment: { id: picked.id } }] }] })).toBe(1);
      // Contacts whose company is in a segment of companies.
      const acme = await company(crm, { name: 'Acme', domain: 'acme.example', industry: 'COMPUTER_SOFTWARE' });
      await crm.associations.associate(c, acme);
      const software = await crm.segments.create({
        name: 'Software',
        objectType: 'companies',
        kind: 'active',
        filter: { filterGroups: [{ filters: [{ propertyName: 'industry', operator: 'EQ', value: 'COMPUTER_SOFTWARE' }] }] },
      });
      const atSoftware = await crm.records.search('contacts', { filterGroups: [{ filters: [{ association: { toType: 'companies', filters: [{ segment: { id: software.id } }] } }] }] });
      expect(idsOf(atSoftware.results)).toEqual([c.id]);
    });

    it('a segment is stored: another Crm on the same storage reads it and its members', async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
      const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
      const a = await first.records.create('contacts', { email: 'a@x.com', lifecyclestage: 'lead' });
      const leads = await first.segments.create({ name: 'Leads', objectType: 'contacts', kind: 'active', filter: LEADS });
      const list = await first.segments.create({ name: 'List', objectType: 'contacts', kind: 'static' });
      await first.segments.add(list.id, [a]);
      const view = await first.views.create({ name: 'By email', objectType: 'contacts', sorts: [{ propertyName: 'email', direction: 'DESCENDING' }], properties: ['email'] });
      expect(await second.segments.list()).toEqual([leads, list]);
      expect(await second.segments.get(leads.id)).toEqual(leads);
      expect(await memberIds(second, list.id)).toEqual([a.id]);
      expect(await second.views.get(view.id)).toEqual(view);
      const b = await second.records.create('contacts', { email: 'b@x.com', lifecyclestage: 'lead' });
      expect(await memberIds(first, leads.id)).toEqual([a.id, b.id]);
      expect((await first.views.run(view.id)).results.map((record) => record.properties.email)).toEqual(['b@x.com', 'a@x.com']);
    });

    it('a saved filter keeps what it names in use: a property, a label, a segment', async () => {
      const crm = await fresh();
      await crm.schema.defineProperty('contacts', { name: 'tier', label: 'Tier', type: 'enumeration', fieldType: 'select', options: [{ label: 'Gold', value: 'gold' }] });
      await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
      const gold = await crm.segments.create({ name: 'Gold', objectType: 'contacts', kind: 'active', filter: { filterGroups: [{ filters: [{ propertyName: 'tier', operator: 'EQ', value: 'gold' }] }] } });
      const deciders = await crm.segments.create({
        name: 'Deciders',
        objectType: 'contacts',
        kind: 'active',
        filter: { filterGroups: [{ filters: [{ association: { toType: 'deals', label: 'decision_maker' } }] }] },
      });
      const both = await crm.views.create({ name: 'Gold deciders', objectType: 'contacts', filter: { filterGroups: [{ filters: [{ segment: { id: gold.id } }] }] } });
      const archiving = await refused(crm.schema.archiveProperty('contacts', 'tier'), 'VALIDATION_ERROR');
      expect(archiving.details.issues).toMatchObject([{ code: 'PROPERTY_IN_USE', property: 'tier', segments: [gold.id], views: [] }]);
      const deleting = await refused(crm.associations.deleteLabel('deals', 'contacts', 'decision_maker'), 'LABEL_IN_USE');
      expect(deleting.details).toMatchObject({ associations: 0, segments: [deciders.id], views: [] });
      expect(await crm.associations.labelUsage('contacts', 'deals', 'decision_maker')).toEqual({ associations: 0, segments: [deciders.id], views: [] });
      const inUse = await refused(crm.segments.delete(gold.id), 'SEGMENT_IN_USE');
      expect(inUse.details).toEqual({ segmentId: gold.id, segments: [], views: [both.id] });
      await crm.views.delete(both.id);
      await crm.segments.delete(gold.id);
      await crm.schema.archiveProperty('contacts', 'tier');
      await crm.segments.delete(deciders.id);
      await crm.associations.deleteLabel('deals', 'contacts', 'decision_maker');
      expect(await crm.segments.list()).toEqual([]);
    });

    it('refuses what would break a segment, and writes nothing', async () => {
      const crm = await fresh();
      const a = await contact(crm, { email: 'a@x.com' });
      const leads = await crm.segments.create({ name: 'Leads', objectType: 'contacts', kind: 'active', filter: LEADS });
      const list = await crm.segments.create({ name: 'List', objectType: 'contacts', kind: 'static' });
      const around = await crm.segments.create({ name: 'Around', objectType: 'contacts', kind: 'active', filter: { filterGroups: [{ filters: [{ segment: { id: leads.id } }] }] } });
      const before = [await crm.segments.list(), await memberIds(crm, list.id)];
      const cycle = await refused(crm.segments.update(leads.id, { filter: { filterGroups: [{ filters: [{ segment: { id: around.id } }] }] } }), 'VALIDATION_ERROR');
      expect(cycle.details.issues).toMatchObject([{ code: 'SEGMENT_CYCLE', cycle: [leads.id, around.id, leads.id] }]);
      expect(issueCodes(await refused(crm.segments.create({ name: 'Bad', objectType: 'contacts', kind: 'active', filter: { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 1 }] }] } }), 'VALIDATION_ERROR'))).toEqual(['PROPERTY_DOESNT_EXIST']);
      expect(issueCodes(await refused(crm.segments.create({ name: 'Bad', objectType: 'contacts', kind: 'active' }), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
      expect(issueCodes(await refused(crm.segments.create({ name: 'Bad', objectType: 'companies', kind: 'active', filter: { filterGroups: [{ filters: [{ segment: { id: leads.id } }] }] } }), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
      expect(issueCodes(await refused(crm.segments.create({ name: 'Bad', objectType: 'contacts', kind: 'active', filter: { filterGroups: [{ filters: [{ segment: { id: '404' } }] }] } }), 'VALIDATION_ERROR'))).toEqual(['UNKNOWN_SEGMENT']);
      expect((await refused(crm.segments.update(leads.id, { kind: 'static' }), 'IMMUTABLE')).details).toMatchObject({ field: 'kind' });
      expect((await refused(crm.segments.update(leads.id, { objectType: 'companies' }), 'IMMUTABLE')).details).toMatchObject({ field: 'objectType' });
      expect(issueCodes(await refused(crm.segments.update(list.id, { filter: LEADS }), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
      expect(issueCodes(await refused(crm.segments.add(leads.id, [a]), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
      const acme = await company(crm);
      expect(issueCodes(await refused(crm.segments.add(list.id, [a, acme]), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
      await refused(crm.segments.add(list.id, [a, { objectType: 'contacts', id: 'missing' }]), 'NOT_FOUND');
      const gone = await contact(crm, { email: 'gone@x.com' });
      await crm.records.archive('contacts', gone.id);
      await refused(crm.segments.add(list.id, [gone]), 'ARCHIVED');
      await refused(crm.segments.members('404'), 'UNKNOWN_SEGMENT');
      await refused(crm.segments.delete('404'), 'UNKNOWN_SEGMENT');
      expect(await crm.segments.get('404')).toBeUndefined();
      expect([await crm.segments.list(), await memberIds(crm, list.id)]).toEqual(before);
    });

    it('a view runs as a search: its filter, sorts and properties, a page at a time', async () => {
      const crm = await fresh();
      const a = await contact(crm, { email: 'a@x.com', lifecyclestage: 'lead', firstname: 'Ann' });
      await contact(crm, { email: 'b@x.com', lifecyclestage: 'customer' });
      const c = await contact(crm, { email: 'c@x.com', lifecyclestage: 'lead', firstname: 'Cy' });
      const view = await crm.views.create({ name: 'Leads', objectType: 'contacts', filter: LEADS, sorts: [{ propertyName: 'email', direction: 'DESCENDING' }], properties: ['firstname'] });
      expect(view).toMatchObject({ id: '1', name: 'Leads', objectType: 'contacts', filter: LEADS, properties: ['firstname'] });
      const first = await crm.views.run(view.id, { limit: 1 });
      expect(first.total).toBe(2);
      expect(idsOf(first.results)).toEqual([c.id]);
      expect(Object.keys(first.results[0]!.properties).sort()).toEqual(['createdate', 'firstname', 'hs_object_id', 'lastmodifieddate']);
      const second = await crm.views.run(view.id, { limit: 1, after: first.paging!.next!.after });
      expect(idsOf(second.results)).toEqual([a.id]);
      const renamed = await crm.views.update(view.id, { name: 'All', filter: { filterGroups: [] } });
      expect(renamed.name).toBe('All');
      expect((await crm.views.run(view.id)).total).toBe(3);
      expect(await crm.views.list('contacts')).toEqual([renamed]);
      expect(await crm.views.list('companies')).toEqual([]);
      expect(issueCodes(await refused(crm.views.create({ name: 'Bad', objectType: 'contacts', sorts: [{ propertyName: 'nope', direction: 'ASCENDING' }] }), 'VALIDATION_ERROR'))).toEqual(['PROPERTY_DOESNT_EXIST']);
      await refused(crm.views.update(view.id, { objectType: 'deals' }), 'IMMUTABLE');
      await refused(crm.views.run('404'), 'UNKNOWN_VIEW');
      await crm.views.delete(view.id);
      expect(await crm.views.get(view.id)).toBeUndefined();
      // Ids are never reused.
      expect((await crm.views.create({ name: 'Again', objectType: 'contacts' })).id).toBe('2');
    });

    it('segment calls inside a transaction roll back with it', async () => {
      const crm = await fresh();
      const a = await contact(crm, { email: 'a@x.com' });
      const list = await crm.segments.create({ name: 'List', objectType: 'contacts', kind: 'static' });
      await expect(
        crm.transaction(async (tx) => {
          await tx.segments.add(list.id, [a]);
          await tx.segments.create({ name: 'Doomed', objectType: 'contacts', kind: 'active', filter: LEADS });
          expect(await tx.segments.contains(list.id, a)).toBe(true);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await crm.segments.list()).toEqual([list]);
      expect(await crm.segments.contains(list.id, a)).toBe(false);
    });
  });
}
