// Pipelines stored in the storage: what one Crm defines, another Crm on the same storage reads
// and enforces on record writes; archiving counts archived records too; a refused call leaves
// both the pipelines and the records as they were.
import { describe, expect, it } from 'vitest';
import { createCrm } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { refused, issueCodes, everyRecord, type Engine } from './harness.js';

const RENEWALS = {
  id: 'renewals',
  label: 'Renewals',
  stages: [
    { id: 'up_for_renewal', label: 'Up for renewal', metadata: { probability: 0.5 } },
    { id: 'renewed', label: 'Renewed', metadata: { probability: 1 } },
    { id: 'churned', label: 'Churned', metadata: { probability: 0 } },
  ],
};

/**
 * Declares the engine's tests of pipelines, on the storages `engine` makes.
 *
 * @example
 * describePipelines(engineHarness(() => memoryStorage()));
 */
export function describePipelines({ factory, fresh, deal }: Engine): void {
  describe('pipelines', () => {
    it('a pipeline is stored: another Crm on the same storage lists it and holds records to it', async () => {
      const storage = await factory();
      const first = await createCrm({ storage, ids: sequentialIds('a-'), clock: steppingClock() });
      const second = await createCrm({ storage, ids: sequentialIds('b-'), clock: steppingClock() });
      await first.pipelines.create('deals', RENEWALS);
      expect((await second.pipelines.list('deals')).map((pipeline) => pipeline.id)).toEqual(['default', 'renewals']);
      const moved = await second.records.create('deals', { dealname: 'Acme 2027', pipeline: 'renewals', dealstage: 'renewed' });
      expect(moved.properties).toMatchObject({ pipeline: 'renewals', dealstage: 'renewed', hs_is_closed_won: true, hs_deal_stage_probability: 1 });
      const error = await refused(second.records.create('deals', { dealname: 'Wrong', pipeline: 'renewals', dealstage: 'closedwon' }), 'VALIDATION_ERROR');
      expect(error.details.issues).toMatchObject([{ code: 'INVALID_OPTION', property: 'dealstage', allowed: ['up_for_renewal', 'renewed', 'churned'] }]);
      const third = await createCrm({ storage });
      expect(await third.pipelines.get('deals', 'renewals')).toEqual(await first.pipelines.get('deals', 'renewals'));
    });

    it('archiving a stage any record holds, archived records included, is STAGE_IN_USE with the count; once empty it goes', async () => {
      const crm = await fresh();
      await crm.pipelines.create('deals', RENEWALS);
      const live = await deal(crm, { pipeline: 'renewals', dealstage: 'churned' });
      const gone = await deal(crm, { pipeline: 'renewals', dealstage: 'churned' });
      await crm.records.archive('deals', gone.id);
      const error = await refused(crm.pipelines.archiveStage('deals', 'renewals', 'churned'), 'STAGE_IN_USE');
      expect(error.details).toEqual({ objectType: 'deals', pipelineId: 'renewals', stageId: 'churned', count: 2 });
      expect((await refused(crm.pipelines.archive('deals', 'renewals'), 'PIPELINE_IN_USE')).details.count).toBe(2);
      await crm.records.update('deals', live.id, { dealstage: 'renewed' });
      await crm.records.purge('deals', gone.id);
      await crm.pipelines.archiveStage('deals', 'renewals', 'churned');
      expect((await crm.pipelines.listStages('deals', 'renewals')).map((stage) => stage.id)).toEqual(['up_for_renewal', 'renewed']);
      expect(issueCodes(await refused(crm.records.update('deals', live.id, { dealstage: 'churned' }), 'VALIDATION_ERROR'))).toEqual(['INVALID_OPTION']);
    });

    it("a type's first pipeline takes in its existing records, archived ones too, at its first stage", async () => {
      const crm = await fresh();
      const kept = await crm.records.create('orders', { hs_order_name: 'Kept' });
      const gone = await crm.records.create('orders', { hs_order_name: 'Gone' });
      await crm.records.archive('orders', gone.id);
      await crm.pipelines.create('orders', { id: 'fulfilment', label: 'Fulfilment', stages: [{ label: 'Placed' }, { label: 'Shipped', metadata: { isClosed: true } }] });
      for (const record of await everyRecord(crm, 'orders')) {
        expect(record.properties).toMatchObject({ hs_pipeline: 'fulfilment', hs_pipeline_stage: 'placed' });
      }
      expect((await crm.records.history('orders', kept.id, 'hs_pipeline_stage'))[0]).toMatchObject({ value: 'placed', sourceType: 'MIGRATION' });
      const restored = await crm.records.restore('orders', gone.id);
      expect(restored.properties.hs_pipeline_stage).toBe('placed');
    });

    it("a stage's new metadata recomputes its records' derived values in the same call; a refused change writes nothing", async () => {
      const crm = await fresh();
      const ticket = await crm.records.create('tickets', { subject: 'Broken grinder', hs_pipeline_stage: '3' });
      expect(ticket.properties).toMatchObject({ hs_is_closed: false });
      await crm.pipelines.updateStage('tickets', '0', '3', { metadata: { ticketState: 'CLOSED' } });
      const closed = await crm.records.get('tickets', ticket.id);
      expect(closed?.properties).toMatchObject({ hs_is_closed: true, closed_date: expect.any(String), time_to_close: expect.any(Number) });
      const before = [await crm.pipelines.list('tickets', { archived: true }), await everyRecord(crm, 'tickets')];
      await refused(crm.pipelines.updateStage('tickets', '0', '3', { metadata: { ticketState: 'SNOOZED' as 'OPEN' } }), 'VALIDATION_ERROR');
      await refused(crm.pipelines.archiveStage('tickets', '0', '3'), 'STAGE_IN_USE');
      await refused(crm.pipelines.create('tickets', { id: '0', label: 'Again', stages: [{ label: 'New' }] }), 'CONFLICT');
      expect([await crm.pipelines.list('tickets', { archived: true }), await everyRecord(crm, 'tickets')]).toEqual(before);
    });
  });
}
