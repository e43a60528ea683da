// Schema stored in the storage: what one Crm defines, another Crm on the same storage reads,
// validates, refreshes and meets.
import { describe, expect, it } from 'vitest';
import { createCrm } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { refused, issueCodes, everyRecord, view, associatedIds, DEAL, type Engine } from './harness.js';

/**
 * Declares the engine's tests of schema stored and shared between Crms, on the storages `engine` makes.
 *
 * @example
 * describeSchema(engineHarness(() => memoryStorage()));
 */
export function describeSchema({ factory, contact, company }: Engine): void {
  describe('schema', () => {
    it('a defined property is stored: another Crm on the same storage reads and validates it', async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
      const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
      await first.schema.defineProperty('contacts', {
        name: 'roast',
        label: 'Favourite roast',
        type: 'enumeration',
        fieldType: 'select',
        options: [
          { label: 'Light', value: 'light' },
          { label: 'Dark', value: 'dark' },
        ],
      });
      // The second's synchronous cache has not seen it yet; its next call checks the stored version and uses it.
      expect(() => second.schema.property('contacts', 'roast')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PROPERTY' }));
      const record = await second.records.create('contacts', { firstname: 'Ana', roast: 'dark' });
      expect(record.properties.roast).toBe('dark');
      expect(second.schema.property('contacts', 'roast')).toMatchObject({ type: 'enumeration', label: 'Favourite roast' });
      expect(issueCodes(await refused(second.records.create('contacts', { firstname: 'Bo', roast: 'medium' }), 'VALIDATION_ERROR'))).toEqual(['INVALID_OPTION']);
      const third = await createCrm({ storage });
      expect(third.schema.property('contacts', 'roast')).toEqual(first.schema.property('contacts', 'roast'));
      expect((await third.records.get('contacts', record.id))?.properties.roast).toBe('dark');
    });

    it('a defined object type is stored: another Crm on the same storage creates and associates its records', async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
      const defined = await first.schema.defineObject({
        name: 'roast_batches',
        labels: { singular: 'Roast batch', plural: 'Roast batches' },
        primaryDisplayProperty: 'batch_name',
        properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
        associations: ['companies'],
      });
      expect(defined.id).toMatch(/^2-\d+$/);
      const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
      expect(second.schema.object('roast_batches')).toEqual(defined);
      const acme = await company(second);
      const batch = await second.records.create('roast_batches', { batch_name: 'B1' }, { associations: [{ to: acme }] });
      expect(await associatedIds(first, acme, 'roast_batches')).toEqual([batch.id]);
      expect((await first.records.get(defined.id, batch.id))?.properties.batch_name).toBe('B1');
    });

    it('refresh makes a Crm see schema another Crm changed on the same storage', async () => {
      const storage = await factory();
      const first = await createCrm({ storage });
      const second = await createCrm({ storage });
      await first.schema.defineProperty('deals', { name: 'erp_id', label: 'ERP id', type: 'number', fieldType: 'number', unique: true });
      await first.schema.renameObject('deals', { singular: 'Opportunity', plural: 'Opportunities' });
      await first.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
      await second.refresh();
      expect(second.schema.property('deals', 'erp_id')).toMatchObject({ type: 'number', unique: true });
      expect(second.schema.object('deals').labels).toEqual({ singular: 'Opportunity', plural: 'Opportunities' });
      expect(second.associations.labels('deals', 'contacts').map((label) => label.name)).toContain('decision_maker');
      const bigOne = await second.records.create('deals', { ...DEAL, erp_id: '42' });
      await refused(first.records.create('deals', { ...DEAL, erp_id: 42 }), 'DUPLICATE_RECORD');
      expect((await first.records.getBy('deals', 'erp_id', 42))?.id).toBe(bigOne.id);
      // A Crm made later reads the stored labels from the start.
      const third = await createCrm({ storage });
      expect(third.associations.labels('deals', 'contacts').map((label) => label.name)).toEqual(['decision_maker']);
    });

    it('a refused schema write changes nothing, for this Crm or a new one on the same storage', async () => {
      const storage = await factory();
      const crm = await createCrm({ storage, ids: sequentialIds(), clock: steppingClock() });
      await crm.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
      const before = await view(crm);
      await refused(crm.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Again', type: 'string', fieldType: 'text' }), 'CONFLICT');
      await refused(crm.schema.defineProperty('contacts', { name: 'email', label: 'Mail', type: 'string', fieldType: 'text' }), 'CONFLICT');
      expect(await view(crm)).toEqual(before);
      expect(await view(await createCrm({ storage }))).toEqual(before);
    });

    it("a Crm that has not refreshed meets what another stored: CONFLICT, DUPLICATE_RECORD, and ids that never collide", async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-') });
      const second = await createCrm({ storage, ids: sequentialIds('b-') });
      await first.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
      await refused(second.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe', type: 'string', fieldType: 'text' }), 'CONFLICT');
      expect(second.schema.property('contacts', 'shoe_size').type).toBe('number');
      await contact(first, { email: 'ana@x.com' });
      await refused(second.records.create('contacts', { email: 'ANA@x.com' }), 'DUPLICATE_RECORD');
      const champion = await first.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
      const buyer = await second.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Buyer' });
      expect([champion.typeId, champion.inverseTypeId]).not.toContain(buyer.typeId);
      const thing = (name: string) => ({ name, labels: { singular: name, plural: `${name}s` }, primaryDisplayProperty: 'n', properties: [{ name: 'n', label: 'N', type: 'string' as const, fieldType: 'text' as const }] });
      const [one, two] = [await first.schema.defineObject(thing('one_things')), await second.schema.defineObject(thing('two_things'))];
      expect(one.id).not.toBe(two.id);
      await first.refresh();
      expect(first.associations.labels('deals', 'contacts').map((label) => label.name)).toEqual(['champion', 'buyer']);
      expect(first.schema.object(two.id).name).toBe('two_things');
    });

    it('turning companies’ dedup off is stored and lets another Crm create duplicate domains', async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-') });
      await company(first, { domain: 'orange.com' });
      await first.schema.updateObject('companies', { dedup: false });
      const second = await createCrm({ storage, ids: sequentialIds('b-') });
      expect(second.schema.object('companies').dedupKeys).not.toContain('domain');
      await company(second, { name: 'Orange 2', domain: 'orange.com' });
      expect((await everyRecord(first, 'companies')).map((record) => record.properties.domain)).toEqual(['orange.com', 'orange.com']);
    });
    it('a custom object type is deleted once nothing holds it: refused while records or saved filters do; then gone for every Crm, and its name free again', async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
      const batches = {
        name: 'roast_batches',
        labels: { singular: 'Roast batch', plural: 'Roast batches' },
        primaryDisplayProperty: 'batch_code',
        properties: [{ name: 'batch_code', label: 'Code', type: 'string' as const, fieldType: 'text' as const, unique: true }],
        associations: ['companies'],
      };
      const defined = await first.schema.defineObject(batches);
      await first.schema.defineAssociation('roast_batches', 'contacts');
      await first.associations.createLabel({ from: 'roast_batches', to: 'contacts', label: 'Roaster' });
      const acme = await company(first);
      const batch = await first.records.create('roast_batches', { batch_code: 'B1' }, { associations: [{ to: acme }] });
      await first.records.archive('roast_batches', batch.id);
      // An archived record still holds the type.
      expect((await refused(first.schema.deleteObject('roast_batches'), 'OBJECT_IN_USE')).details).toEqual({ objectType: 'roast_batches', records: true, segments: [], views: [] });
      await first.records.purge('roast_batches', batch.id);
      // So does a saved filter of its records, or one reaching it through an association filter.
      const segment = await first.segments.create({ name: 'Static batches', objectType: 'roast_batches', kind: 'static' });
      const saved = await first.views.create({ name: 'Roasting companies', objectType: 'companies', filter: { filterGroups: [{ filters: [{ association: { toType: 'roast_batches' } }] }] } });
      const inUse = await refused(first.schema.deleteObject('roast_batches'), 'OBJECT_IN_USE');
      expect(inUse.details).toEqual({ objectType: 'roast_batches', records: false, segments: [segment.id], views: [saved.id] });
      expect(first.schema.object('roast_batches')).toEqual(defined);
      await first.segments.delete(segment.id);
      await first.views.delete(saved.id);
      // A standard type is never deleted.
      await refused(first.schema.deleteObject('contacts'), 'IMMUTABLE');

      await first.schema.deleteObject('roast_batches');
      const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
      for (const crm of [first, second]) {
        expect(crm.schema.objects().map((type) => type.name)).not.toContain('roast_batches');
        await refused(crm.records.create('roast_batches', { batch_code: 'B2' }), 'UNKNOWN_OBJECT_TYPE');
        expect(() => crm.associations.types('contacts', 'roast_batches')).toThrow(expect.objectContaining({ code: 'UNKNOWN_OBJECT_TYPE' }));
      }
      // The name is free: a new type under it has a new id, no labels or pairs of the old one, and working keys and search.
      const again = await second.schema.defineObject({ ...batches, associations: [] });
      expect(again.id).not.toBe(defined.id);
      for (const other of ['contacts', 'companies']) {
        expect(() => second.associations.types('roast_batches', other)).toThrow(expect.objectContaining({ code: 'ASSOCIATION_NOT_ALLOWED' }));
      }
      const fresh = await second.records.create('roast_batches', { batch_code: 'B1' });
      await refused(second.records.create('roast_batches', { batch_code: 'B1' }), 'DUPLICATE_RECORD');
      const found = await second.records.search('roast_batches', { filterGroups: [{ filters: [{ propertyName: 'batch_code', operator: 'EQ', value: 'B1' }] }] });
      expect(found.results.map((record) => record.id)).toEqual([fresh.id]);
      expect((await first.records.get('roast_batches', fresh.id))?.properties.batch_code).toBe('B1');
    });
    it('a pair a custom type or defineAssociation allowed is removed once nothing joins or crosses it; the catalogue\'s pairs stay', async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
      await first.schema.defineObject({
        name: 'roast_batches',
        labels: { singular: 'Roast batch', plural: 'Roast batches' },
        primaryDisplayProperty: 'batch_code',
        properties: [{ name: 'batch_code', label: 'Code', type: 'string', fieldType: 'text' }],
        associations: ['companies'],
      });
      await first.schema.defineAssociation('roast_batches', 'contacts', { limit: 5 });
      await first.associations.createLabel({ from: 'roast_batches', to: 'contacts', label: 'Roaster' });
      const typeIds = first.associations.types('roast_batches', 'contacts').map((type) => type.typeId);
      const batch = await first.records.create('roast_batches', { batch_code: 'B1' });
      const ana = await contact(first);
      await first.associations.associate(batch, ana, ['roaster']);
      await first.records.archive('contacts', ana.id);
      // An association to an archived record still joins the pair.
      expect((await refused(first.schema.removeAssociation('contacts', 'roast_batches'), 'ASSOCIATION_IN_USE')).details).toEqual({
        objectType: 'contacts',
        toType: 'roast_batches',
        associations: 1,
        segments: [],
        views: [],
      });
      await first.records.restore('contacts', ana.id);
      await first.associations.remove(batch, ana);
      const saved = await first.views.create({ name: 'Roasters', objectType: 'contacts', filter: { filterGroups: [{ filters: [{ association: { toType: 'roast_batches' } }] }] } });
      expect((await refused(first.schema.removeAssociation('roast_batches', 'contacts'), 'ASSOCIATION_IN_USE')).details).toMatchObject({ associations: 0, views: [saved.id] });
      await first.views.delete(saved.id);
      await refused(first.schema.removeAssociation('contacts', 'companies'), 'IMMUTABLE');

      await first.schema.removeAssociation('roast_batches', 'contacts');
      await first.schema.removeAssociation('companies', 'roast_batches');
      const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
      for (const crm of [first, second]) {
        for (const other of ['contacts', 'companies']) {
          expect(() => crm.associations.types('roast_batches', other)).toThrow(expect.objectContaining({ code: 'ASSOCIATION_NOT_ALLOWED' }));
        }
        expect(crm.schema.object('roast_batches').associations ?? []).toEqual([]);
        await refused(crm.associations.associate(batch, ana), 'ASSOCIATION_NOT_ALLOWED');
      }
      await refused(second.schema.removeAssociation('roast_batches', 'contacts'), 'ASSOCIATION_NOT_ALLOWED');
      // Allowed again: the same type ids, no labels or caps of before.
      await second.schema.defineAssociation('roast_batches', 'contacts');
      expect(second.associations.types('roast_batches', 'contacts').map((type) => [type.typeId, type.limit])).toEqual([[typeIds[0], 'many']]);
      await second.associations.associate(batch, ana);
    });
  });
}
