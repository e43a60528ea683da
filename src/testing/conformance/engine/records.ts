// Records through the public API: create and read, update, upsert, property history, archive,
// restore and purge.
import { describe, expect, it } from 'vitest';
import { refused, issueCodes, everyRecord, view, type Engine } from './harness.js';

/**
 * Declares the engine's tests of records: create, read, update, upsert, history, archive, restore, purge, on the storages `engine` makes.
 *
 * @example
 * describeRecords(engineHarness(() => memoryStorage()));
 */
export function describeRecords({ fresh, contact, company, deal, listen }: Engine): void {
  describe('records: create and read', () => {
    it('creates a record with its system properties, and get answers the same record', async () => {
      const crm = await fresh();
      const ana = await crm.records.create('contacts', { email: 'Ana@Orange.com', firstname: 'Ana' });
      expect(ana).toMatchObject({
        id: 'id-1',
        objectType: 'contacts',
        archived: false,
        properties: { email: 'ana@orange.com', firstname: 'Ana', hs_object_id: 'id-1', createdate: ana.createdAt },
      });
      expect(await crm.records.get('contacts', ana.id)).toEqual(ana);
      expect(await crm.records.get('0-1', ana.id)).toEqual(ana);
      const bigOne = await deal(crm, { amount: '1200.5', closedate: '2026-03-01' });
      expect(bigOne.properties).toMatchObject({ amount: 1200.5, closedate: '2026-03-01T00:00:00.000Z', pipeline: 'default' });
      expect(await crm.records.get('deals', bigOne.id)).toEqual(bigOne);
    });

    it('refuses an invalid create with VALIDATION_ERROR listing every issue, and writes nothing', async () => {
      const crm = await fresh();
      await contact(crm, { email: 'bo@x.com' });
      const before = await view(crm);
      const error = await refused(crm.records.create('contacts', { email: 'not-an-email', lifecyclestage: 'Customer', nope: 1 }), 'VALIDATION_ERROR');
      expect(issueCodes(error).sort()).toEqual(['INVALID_EMAIL', 'INVALID_OPTION', 'PROPERTY_DOESNT_EXIST']);
      await refused(crm.records.create('deals', { amount: 5 }), 'VALIDATION_ERROR');
      expect(await view(crm)).toEqual(before);
    });

    it('createMany answers the records in input order and list shows them in creation order', async () => {
      const crm = await fresh();
      const created = await crm.records.createMany('contacts', ['c@x.com', 'a@x.com', 'b@x.com'].map((email) => ({ email })));
      expect(created.map((record) => record.properties.email)).toEqual(['c@x.com', 'a@x.com', 'b@x.com']);
      expect(created.map((record) => record.id)).toEqual(['id-1', 'id-2', 'id-3']);
      // One call, one reading of the clock.
      expect(new Set(created.map((record) => record.createdAt))).toEqual(new Set(['2026-01-01T00:00:00.000Z']));
      expect((await crm.records.list('contacts')).results).toEqual(created);
    });

    it('createMany with invalid inputs reports every issue of every input by index, in one VALIDATION_ERROR, and creates none of them', async () => {
      const crm = await fresh();
      const error = await refused(crm.records.createMany('contacts', [{ email: 'fine@x.com' }, { email: 'bad' }, {}]), 'VALIDATION_ERROR');
      expect((error.details.issues ?? []).map((issue) => [issue.index, issue.code])).toEqual([
        [1, 'INVALID_EMAIL'],
        [2, 'REQUIRED'],
      ]);
      const several = await refused(
        crm.records.createMany('contacts', [
          { email: 'not-an-email' },
          { email: 'fine@x.com' },
          { firstname: 'Bo', lifecyclestage: 'Customer', nope: 'x', date_of_birth: '2026-02-30' },
          {},
        ]),
        'VALIDATION_ERROR',
      );
      expect(several.details.issues).toEqual([
        expect.objectContaining({ index: 0, property: 'email', code: 'INVALID_EMAIL' }),
        expect.objectContaining({ index: 2, property: 'lifecyclestage', code: 'INVALID_OPTION' }),
        expect.objectContaining({ index: 2, property: 'nope', code: 'PROPERTY_DOESNT_EXIST' }),
        expect.objectContaining({ index: 2, property: 'date_of_birth', code: 'INVALID_DATE' }),
        expect.objectContaining({ index: 3, code: 'REQUIRED' }),
      ]);
      expect(several.message).toContain('not-an-email');
      expect(await everyRecord(crm, 'contacts')).toEqual([]);
      expect(await crm.records.getBy('contacts', 'email', 'fine@x.com')).toBeUndefined();
    });

    it('get answers undefined for an unknown id, and an archived record only when asked', async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      expect(await crm.records.get('contacts', 'missing')).toBeUndefined();
      expect(await crm.records.get('companies', ana.id)).toBeUndefined();
      await crm.records.archive('contacts', ana.id);
      expect(await crm.records.get('contacts', ana.id)).toBeUndefined();
      expect(await crm.records.get('contacts', ana.id, { archived: true })).toMatchObject({
        id: ana.id,
        archived: true,
        archivedAt: '2026-01-01T00:00:01.000Z',
        properties: { firstname: 'Ana' },
      });
    });

    it('getBy finds live records by hs_object_id, email (any case) and domain (normalised), never archived ones', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com' });
      const orange = await company(crm, { domain: 'https://www.Orange.com/about' });
      expect(await crm.records.getBy('contacts', 'hs_object_id', ana.id)).toEqual(ana);
      expect((await crm.records.getBy('contacts', 'email', '  ANA@X.com '))?.id).toBe(ana.id);
      expect((await crm.records.getBy('companies', 'domain', 'orange.com'))?.id).toBe(orange.id);
      expect(await crm.records.getBy('contacts', 'email', 'nobody@x.com')).toBeUndefined();
      await crm.records.archive('contacts', ana.id);
      expect(await crm.records.getBy('contacts', 'email', 'ana@x.com')).toBeUndefined();
      expect(await crm.records.getBy('contacts', 'hs_object_id', ana.id)).toBeUndefined();
    });
  });

  describe('records: update, upsert and history', () => {
    it('update applies a patch or a recipe, moves updatedAt, and get reads the result', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com', phone: '+1 555' });
      const patched = await crm.records.update('contacts', ana.id, { firstname: 'Anna', lifecyclestage: 'lead' });
      expect(patched.properties).toMatchObject({ firstname: 'Anna', lifecyclestage: 'lead', email: 'ana@x.com', phone: '+1 555' });
      expect(patched.updatedAt > ana.updatedAt).toBe(true);
      expect(patched.createdAt).toBe(ana.createdAt);
      const recipe = await crm.records.update('contacts', ana.id, (draft) => {
        delete draft.phone;
        draft.jobtitle = 'CTO';
      });
      expect(recipe.properties).not.toHaveProperty('phone');
      expect(await crm.records.get('contacts', ana.id)).toEqual(recipe);
    });

    it('an update that changes nothing writes nothing: same record, no history, no event', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com' });
      const events = listen(crm);
      const historyBefore = await crm.records.history('contacts', ana.id, 'email');
      const same = await crm.records.update('contacts', ana.id, { email: ' ANA@x.com', firstname: 'Ana', lastname: null, city: '' });
      expect(same).toEqual(ana);
      const recipe = await crm.records.update('contacts', ana.id, (draft) => {
        draft.firstname = 'Ana';
      });
      expect(recipe).toEqual(ana);
      expect(await crm.records.get('contacts', ana.id)).toEqual(ana);
      expect(await crm.records.history('contacts', ana.id, 'email')).toEqual(historyBefore);
      expect(await crm.records.history('contacts', ana.id, 'firstname')).toHaveLength(1);
      expect(events).toEqual([]);
    });

    it('refuses to update an archived record (ARCHIVED) or an unknown one (NOT_FOUND)', async () => {
      const crm = await fresh();
      const ana = await contact(crm);
      await crm.records.archive('contacts', ana.id);
      expect((await refused(crm.records.update('contacts', ana.id, { firstname: 'X' }), 'ARCHIVED')).message).toContain(ana.id);
      expect((await refused(crm.records.update('contacts', 'ghost', { firstname: 'X' }), 'NOT_FOUND')).message).toContain('ghost');
      expect((await crm.records.get('contacts', ana.id, { archived: true }))?.properties.firstname).toBe('Ana');
    });

    it('upsert creates by the dedup key, then updates the same record', async () => {
      const crm = await fresh();
      const first = await crm.records.upsert('contacts', { email: 'ana@x.com', firstname: 'Ana' });
      const second = await crm.records.upsert('contacts', { email: 'ANA@x.com', lastname: 'Silva' });
      expect([first.created, second.created]).toEqual([true, false]);
      expect(first.record.properties).toMatchObject({ email: 'ana@x.com', firstname: 'Ana' });
      expect(second.record).toMatchObject({ id: first.record.id, properties: { email: 'ana@x.com', firstname: 'Ana', lastname: 'Silva' } });
      const orange = await crm.records.upsert('companies', { domain: 'orange.com', name: 'Orange' });
      const again = await crm.records.upsert('companies', { domain: 'www.orange.com', numberofemployees: 12 });
      expect(again).toMatchObject({ created: false, record: { id: orange.record.id, properties: { name: 'Orange', numberofemployees: 12 } } });
      expect(await everyRecord(crm, 'contacts')).toHaveLength(1);
    });

    it('upsert by hs_object_id updates that record, and is NOT_FOUND (writing nothing) for an unknown id', async () => {
      const crm = await fresh();
      const bigOne = await deal(crm);
      const result = await crm.records.upsert('deals', { hs_object_id: bigOne.id, amount: 7 }, { idProperty: 'hs_object_id' });
      expect(result).toMatchObject({ created: false, record: { id: bigOne.id, properties: { amount: 7 } } });
      // Deals have no dedup key: hs_object_id is the default idProperty.
      const byDefault = await crm.records.upsert('deals', { hs_object_id: bigOne.id, amount: '99.5' });
      expect(byDefault).toMatchObject({ created: false, record: { id: bigOne.id, properties: { hs_object_id: bigOne.id, amount: 99.5, dealname: 'Big one' } } });
      const before = await view(crm);
      await refused(crm.records.upsert('deals', { hs_object_id: 'ghost', amount: 1 }, { idProperty: 'hs_object_id' }), 'NOT_FOUND');
      expect(await view(crm)).toEqual(before);
    });

    it('history answers a property’s values newest first, each with its time and source; a cleared value is null', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'a@x.com' });
      await crm.records.update('contacts', ana.id, { email: 'b@x.com' }, { source: { type: 'IMPORT', id: 'imp-1', label: 'CSV' } });
      await crm.records.update('contacts', ana.id, { email: 'c@x.com' }, { source: { type: 'USER', id: 'u7' } });
      await crm.records.update('contacts', ana.id, { email: null });
      // Each call reads the clock once: the create at 0 s, the updates at 1, 2 and 3 s.
      expect(await crm.records.history('contacts', ana.id, 'email')).toEqual([
        { value: null, timestamp: '2026-01-01T00:00:03.000Z', sourceType: 'API' },
        { value: 'c@x.com', timestamp: '2026-01-01T00:00:02.000Z', sourceType: 'USER', sourceId: 'u7' },
        { value: 'b@x.com', timestamp: '2026-01-01T00:00:01.000Z', sourceType: 'IMPORT', sourceId: 'imp-1', sourceLabel: 'CSV' },
        { value: 'a@x.com', timestamp: '2026-01-01T00:00:00.000Z', sourceType: 'API' },
      ]);
      expect(await crm.records.history('contacts', ana.id, 'city')).toEqual([]);
    });
  });

  describe('records: archive, restore, purge', () => {
    it('archive frees the email for a new contact; restoring the old one is then DUPLICATE_RECORD and leaves it archived', async () => {
      const crm = await fresh();
      const old = await contact(crm, { email: 'ana@x.com', firstname: 'Old' });
      await crm.records.archive('contacts', old.id);
      const taker = await contact(crm, { email: 'ANA@x.com', firstname: 'New' });
      const before = await view(crm);
      const error = await refused(crm.records.restore('contacts', old.id), 'DUPLICATE_RECORD');
      expect(error.details.existingId).toBe(taker.id);
      expect(error.message).toContain('ana@x.com');
      expect(await view(crm)).toEqual(before);
      expect((await crm.records.get('contacts', old.id, { archived: true }))?.archived).toBe(true);
      expect((await crm.records.getBy('contacts', 'email', 'ana@x.com'))?.id).toBe(taker.id);
    });

    it('restore brings the record back with its keys and history', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com', hs_additional_emails: 'ana@home.org' });
      await crm.records.archive('contacts', ana.id);
      expect(await crm.records.history('contacts', ana.id, 'email')).toHaveLength(1);
      const restored = await crm.records.restore('contacts', ana.id);
      expect(restored).toMatchObject({ id: ana.id, archived: false, properties: ana.properties });
      expect(restored).not.toHaveProperty('archivedAt');
      expect((await crm.records.getBy('contacts', 'email', 'ana@home.org'))?.id).toBe(ana.id);
      await refused(contact(crm, { email: 'ana@x.com' }), 'DUPLICATE_RECORD');
      expect(await crm.records.history('contacts', ana.id, 'email')).toHaveLength(1);
      // Restoring a live record changes nothing.
      const events = listen(crm);
      expect(await crm.records.restore('contacts', ana.id)).toEqual(await crm.records.get('contacts', ana.id));
      expect(events).toEqual([]);
    });

    it('purge deletes the record and its history for good and frees its keys', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com', hs_additional_emails: 'ana@home.org' });
      await crm.records.update('contacts', ana.id, { firstname: 'Anna' });
      await crm.records.purge('contacts', ana.id);
      expect(await crm.records.get('contacts', ana.id, { archived: true })).toBeUndefined();
      expect(await everyRecord(crm, 'contacts')).toEqual([]);
      await refused(crm.records.history('contacts', ana.id, 'firstname'), 'NOT_FOUND');
      await refused(crm.records.purge('contacts', ana.id), 'NOT_FOUND');
      expect((await contact(crm, { email: 'ana@x.com' })).id).not.toBe(ana.id);
      expect((await contact(crm, { email: 'ana@home.org' })).id).not.toBe(ana.id);
    });

    it('purges archived records too', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com' });
      await crm.records.archive('contacts', ana.id);
      await crm.records.purge('contacts', ana.id);
      expect(await crm.records.get('contacts', ana.id, { archived: true })).toBeUndefined();
      expect(await everyRecord(crm, 'contacts')).toEqual([]);
    });

    it('emits one event per change, in order, with the source', async () => {
      const crm = await fresh();
      const events = listen(crm);
      const source = { type: 'JOB' as const, id: 'nightly' };
      const ana = await crm.records.create('contacts', { email: 'a@x.com' }, { source });
      await crm.records.update('contacts', ana.id, { firstname: 'A' }, { source });
      await crm.records.archive('contacts', ana.id, { source });
      await crm.records.restore('contacts', ana.id, { source });
      await crm.records.purge('contacts', ana.id, { source });
      expect(events.map((event) => event.type)).toEqual(['record.created', 'record.updated', 'record.archived', 'record.restored', 'record.purged']);
      for (const event of events) expect(event).toMatchObject({ objectType: 'contacts', id: ana.id, source });
      expect(events[1]).toMatchObject({ changes: { firstname: 'A' } });
    });
  });
}
