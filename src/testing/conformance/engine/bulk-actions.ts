// Label-scoped bulk actions (associations.updateAssociated): the records associated under the
// chosen labels change, in one transaction, each by the rules of a write, with history source
// JOB; one refusal refuses them all and writes nothing.
import { describe, expect, it } from 'vitest';
import { refused, issueCodes, view, type Engine } from './harness.js';

/**
 * Declares the engine's tests of label-scoped bulk actions, on the storages `engine` makes.
 *
 * @example
 * describeBulkActions(engineHarness(() => memoryStorage()));
 */
export function describeBulkActions({ fresh, contact, deal }: Engine): void {
  describe('label-scoped bulk actions', () => {
    it('sets, clears and copies properties on the records associated under the chosen labels, and counts those that changed', async () => {
      const crm = await fresh();
      await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
      const big = await deal(crm, { dealname: 'Big', hs_priority: 'high' });
      const ana = await contact(crm, { email: 'ana@x.com', jobtitle: 'CEO' });
      const bo = await contact(crm, { email: 'bo@x.com', jobtitle: 'CTO' });
      const cy = await contact(crm, { email: 'cy@x.com', hs_lead_status: 'OPEN' });
      const gone = await contact(crm, { email: 'gone@x.com' });
      await crm.associations.associate(big, ana, ['decision_maker']);
      await crm.associations.associate(big, bo, ['decision_maker']);
      await crm.associations.associate(big, cy);
      await crm.associations.associate(big, gone, ['decision_maker']);
      await crm.records.archive('contacts', gone.id);

      const set = await crm.associations.updateAssociated(big, 'contacts', { set: { hs_lead_status: 'IN_PROGRESS' }, clear: ['jobtitle'] }, { labels: ['decision_maker'] });
      expect(set).toEqual({ updated: 2 });
      for (const one of [ana, bo]) {
        const after = await crm.records.get('contacts', one.id);
        expect(after?.properties).toMatchObject({ hs_lead_status: 'IN_PROGRESS' });
        expect(after?.properties).not.toHaveProperty('jobtitle');
        const history = await crm.records.history('contacts', one.id, 'hs_lead_status');
        expect(history[0]).toMatchObject({ value: 'IN_PROGRESS', sourceType: 'JOB' });
      }
      expect((await crm.records.get('contacts', cy.id))?.properties.hs_lead_status).toBe('OPEN');
      expect((await crm.records.get('contacts', gone.id, { archived: true }))?.properties).not.toHaveProperty('hs_lead_status');
      // The same again changes nothing; every association when no labels are given.
      expect(await crm.associations.updateAssociated(big, 'contacts', { set: { hs_lead_status: 'IN_PROGRESS' } }, { labels: ['decision_maker'] })).toEqual({ updated: 0 });
      expect(await crm.associations.updateAssociated(big, 'contacts', { set: { hs_lead_status: 'IN_PROGRESS' } }, { source: { type: 'USER', id: 'u1' } })).toEqual({ updated: 1 });
      expect((await crm.records.history('contacts', cy.id, 'hs_lead_status'))[0]).toMatchObject({ sourceType: 'USER', sourceId: 'u1' });
      // Copy: the deal's value into each contact's property, seen from the contact side too.
      await crm.schema.defineProperty('contacts', { name: 'deal_priority', label: 'Deal priority', type: 'string', fieldType: 'text' });
      expect(await crm.associations.updateAssociated(big, 'contacts', { copy: { from: 'hs_priority', to: 'deal_priority' } })).toEqual({ updated: 3 });
      expect((await crm.records.get('contacts', cy.id))?.properties.deal_priority).toBe('high');
      expect(await crm.associations.updateAssociated(ana, 'deals', { set: { hs_priority: 'low' } }, { labels: ['decision_maker'] })).toEqual({ updated: 1 });
      expect((await crm.records.get('deals', big.id))?.properties.hs_priority).toBe('low');
    });

    it('one refusal refuses them all, and a bad change, label or record is refused before anything is written', async () => {
      const crm = await fresh();
      const big = await deal(crm);
      const ana = await contact(crm, { email: 'ana@x.com' });
      const bo = await contact(crm, { email: 'bo@x.com' });
      await crm.associations.associate(big, ana);
      await crm.associations.associate(big, bo);
      const before = await view(crm);
      // The second contact would take the first one's email: a duplicate, so neither changes.
      await refused(crm.associations.updateAssociated(big, 'contacts', { set: { email: 'same@x.com' } }), 'DUPLICATE_RECORD');
      expect(issueCodes(await refused(crm.associations.updateAssociated(big, 'contacts', { set: { hs_lead_status: 'NOPE' } }), 'VALIDATION_ERROR'))).toEqual(['INVALID_OPTION']);
      expect(issueCodes(await refused(crm.associations.updateAssociated(big, 'contacts', { set: { hs_object_id: 'x' } }), 'VALIDATION_ERROR'))).toEqual(['READ_ONLY_VALUE']);
      expect(issueCodes(await refused(crm.associations.updateAssociated(big, 'contacts', {}), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
      expect(issueCodes(await refused(crm.associations.updateAssociated(big, 'contacts', { set: { jobtitle: 'x' }, clear: ['jobtitle'] }), 'VALIDATION_ERROR'))).toEqual(['INVALID_ARGUMENT']);
      expect(issueCodes(await refused(crm.associations.updateAssociated(big, 'contacts', { copy: { from: 'nope', to: 'jobtitle' } }), 'VALIDATION_ERROR'))).toEqual(['PROPERTY_DOESNT_EXIST']);
      expect(issueCodes(await refused(crm.associations.updateAssociated(big, 'contacts', { sets: {} } as never), 'VALIDATION_ERROR'))).toEqual(['UNKNOWN_OPTION']);
      await refused(crm.associations.updateAssociated(big, 'contacts', { set: { jobtitle: 'x' } }, { labels: ['nope'] }), 'UNKNOWN_LABEL');
      await refused(crm.associations.updateAssociated({ objectType: 'deals', id: 'missing' }, 'contacts', { set: { jobtitle: 'x' } }), 'NOT_FOUND');
      await refused(crm.associations.updateAssociated(big, 'nopes', { set: { jobtitle: 'x' } }), 'UNKNOWN_OBJECT_TYPE');
      expect(await view(crm)).toEqual(before);
    });
  });
}
