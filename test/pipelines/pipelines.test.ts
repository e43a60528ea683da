// crm.pipelines by example: the shipped pipelines, defining pipelines and stages, the rules a
// stage's metadata follows, records kept inside their pipeline, and the values a stage sets.
import { describe, expect, it } from 'vitest';
import type { ChangeEvent, Crm } from 'crmkit';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

const RENEWALS = {
  label: 'Renewals',
  stages: [
    { label: 'Up for renewal', metadata: { probability: 0.5 } },
    { label: 'Renewed', metadata: { probability: 1 } },
    { label: 'Churned', metadata: { probability: 0 } },
  ],
};

async function crmWithRenewals(): Promise<Crm> {
  const { crm } = await testCrm();
  await crm.pipelines.create('deals', RENEWALS);
  return crm;
}

describe('shipped pipelines', () => {
  it('deals: default, with its seven stages, probabilities and closed stages', async () => {
    const { crm } = await testCrm();
    const [sales] = await crm.pipelines.list('deals');
    expect(sales).toMatchObject({ id: 'default', objectType: 'deals', displayOrder: 0, archived: false });
    expect(sales!.stages.map((stage) => [stage.id, stage.metadata.probability, stage.metadata.isClosed])).toEqual([
      ['appointmentscheduled', 0.2, false],
      ['qualifiedtobuy', 0.4, false],
      ['presentationscheduled', 0.6, false],
      ['decisionmakerboughtin', 0.8, false],
      ['contractsent', 0.9, false],
      ['closedwon', 1, true],
      ['closedlost', 0, true],
    ]);
  });

  it("tickets: '0' with New, Waiting on contact, Waiting on us and Closed (CLOSED)", async () => {
    const { crm } = await testCrm();
    const stages = await crm.pipelines.listStages('tickets', '0');
    expect(stages.map((stage) => [stage.id, stage.label, stage.metadata.ticketState, stage.metadata.isClosed])).toEqual([
      ['1', 'New', 'OPEN', false],
      ['2', 'Waiting on contact', 'OPEN', false],
      ['3', 'Waiting on us', 'OPEN', false],
      ['4', 'Closed', 'CLOSED', true],
    ]);
  });

  it('leads: one pipeline ending in a qualified and a disqualified stage, both closed', async () => {
    const { crm } = await testCrm();
    const [leads] = await crm.pipelines.list('leads');
    expect(leads!.id).toBe('lead-pipeline-id');
    expect(leads!.stages.slice(-2).map((stage) => [stage.label, stage.metadata.isClosed])).toEqual([
      ['Qualified', true],
      ['Disqualified', true],
    ]);
    expect(leads!.stages.slice(0, -2).every((stage) => !stage.metadata.isClosed)).toBe(true);
  });

  it('orders, appointments, courses, listings, services, projects and custom objects start with none', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject({ name: 'roast_batches', labels: { singular: 'Roast batch', plural: 'Roast batches' }, properties: [{ name: 'batch', label: 'Batch', type: 'string', fieldType: 'text' }] });
    for (const type of ['orders', 'appointments', 'courses', 'listings', 'services', 'projects', 'roast_batches']) {
      expect(await crm.pipelines.list(type), type).toEqual([]);
    }
  });

  it('every other type refuses every call with VALIDATION_ERROR (PIPELINES_NOT_SUPPORTED)', async () => {
    const { crm } = await testCrm();
    for (const type of ['contacts', 'companies', 'products', 'line_items', 'quotes', 'notes']) {
      const calls = [
        crm.pipelines.list(type),
        crm.pipelines.get(type, 'x'),
        crm.pipelines.create(type, { label: 'X', stages: [{ label: 'A' }] }),
        crm.pipelines.update(type, 'x', { label: 'Y' }),
        crm.pipelines.archive(type, 'x'),
        crm.pipelines.listStages(type, 'x'),
        crm.pipelines.getStage(type, 'x', 'y'),
        crm.pipelines.createStage(type, 'x', { label: 'B' }),
        crm.pipelines.updateStage(type, 'x', 'y', { label: 'C' }),
        crm.pipelines.archiveStage(type, 'x', 'y'),
      ];
      for (const call of calls) expect(issueCodes(await expectCrmError(call, 'VALIDATION_ERROR')), type).toEqual(['PIPELINES_NOT_SUPPORTED']);
    }
  });
});

describe('defining pipelines and stages', () => {
  it('derives ids from labels, keeps input order, and puts a new pipeline and a new stage last', async () => {
    const crm = await crmWithRenewals();
    const renewals = await crm.pipelines.get('deals', 'renewals');
    expect(renewals).toMatchObject({ id: 'renewals', label: 'Renewals', displayOrder: 1 });
    expect(renewals!.stages.map((stage) => [stage.id, stage.displayOrder])).toEqual([
      ['up_for_renewal', 0],
      ['renewed', 1],
      ['churned', 2],
    ]);
    const stage = await crm.pipelines.createStage('deals', 'renewals', { label: 'Negotiation', metadata: { probability: '0.7' } });
    expect(stage).toMatchObject({ id: 'negotiation', displayOrder: 3, metadata: { probability: 0.7, isClosed: false } });
    expect((await crm.pipelines.listStages('deals', 'renewals')).at(-1)!.id).toBe('negotiation');
  });

  it('lists by displayOrder, ties by label', async () => {
    const { crm } = await testCrm();
    await crm.pipelines.create('deals', { label: 'Zeta', displayOrder: 0, stages: [{ label: 'Open', metadata: { probability: 0.1 } }] });
    await crm.pipelines.create('deals', { label: 'Alpha', displayOrder: 5, stages: [{ label: 'Open', metadata: { probability: 0.1 } }] });
    expect((await crm.pipelines.list('deals')).map((pipeline) => pipeline.label)).toEqual(['Sales Pipeline', 'Zeta', 'Alpha']);
    await crm.pipelines.update('deals', 'alpha', { displayOrder: 0 });
    expect((await crm.pipelines.list('deals')).map((pipeline) => pipeline.label)).toEqual(['Alpha', 'Sales Pipeline', 'Zeta']);
  });

  it('a taken id is CONFLICT: pipeline ids within the type, stage ids across its pipelines, archived ones included', async () => {
    const crm = await crmWithRenewals();
    expect((await expectCrmError(crm.pipelines.create('deals', { ...RENEWALS, id: 'default' }), 'CONFLICT')).details).toEqual({ objectType: 'deals', pipelineId: 'default' });
    const clash = crm.pipelines.create('deals', { label: 'Other', stages: [{ id: 'closedwon', label: 'Won', metadata: { probability: 1 } }] });
    expect((await expectCrmError(clash, 'CONFLICT')).details).toEqual({ objectType: 'deals', stageId: 'closedwon' });
    await crm.pipelines.archiveStage('deals', 'renewals', 'churned');
    await expectCrmError(crm.pipelines.createStage('deals', 'renewals', { id: 'churned', label: 'Lost', metadata: { probability: 0 } }), 'CONFLICT');
    // A derived id steps around taken ones instead.
    expect((await crm.pipelines.createStage('deals', 'renewals', { label: 'Churned', metadata: { probability: 0 } })).id).toBe('churned_2');
  });

  it('ids never change: a patch naming another id is IMMUTABLE', async () => {
    const crm = await crmWithRenewals();
    expect((await expectCrmError(crm.pipelines.update('deals', 'renewals', { id: 'renewals_2' } as never), 'IMMUTABLE')).details).toEqual({ objectType: 'deals', field: 'id' });
    await expectCrmError(crm.pipelines.updateStage('deals', 'renewals', 'renewed', { id: 'won' } as never), 'IMMUTABLE');
    // Naming the same id changes nothing.
    expect((await crm.pipelines.update('deals', 'renewals', { id: 'renewals', label: 'Renewals 2027' } as never)).label).toBe('Renewals 2027');
  });

  it('ids are lowercase letters, digits, _ and -, and never a reserved name', async () => {
    const { crm } = await testCrm();
    for (const [id, code] of [['Enterprise', 'INVALID_ID'], ['has space', 'INVALID_ID'], ['__proto__', 'RESERVED_NAME'], ['constructor', 'RESERVED_NAME']] as const) {
      const error = await expectCrmError(crm.pipelines.create('orders', { id, label: 'X', stages: [{ label: 'A' }] }), 'VALIDATION_ERROR');
      expect(error.details.issues).toMatchObject([{ code, path: ['id'] }]);
    }
    expect((await crm.pipelines.create('orders', { id: 'eu-2', label: 'EU', stages: [{ id: 'new_1', label: 'New' }] })).id).toBe('eu-2');
  });

  it('an unknown or archived id: get answers undefined, other calls UNKNOWN_PIPELINE / UNKNOWN_STAGE', async () => {
    const crm = await crmWithRenewals();
    expect(await crm.pipelines.get('deals', 'nope')).toBeUndefined();
    expect(await crm.pipelines.getStage('deals', 'default', 'nope')).toBeUndefined();
    expect((await expectCrmError(crm.pipelines.update('deals', 'nope', { label: 'X' }), 'UNKNOWN_PIPELINE')).details).toEqual({ objectType: 'deals', pipelineId: 'nope' });
    expect((await expectCrmError(crm.pipelines.updateStage('deals', 'default', 'nope', { label: 'X' }), 'UNKNOWN_STAGE')).details).toEqual({
      objectType: 'deals',
      pipelineId: 'default',
      stageId: 'nope',
    });
    await crm.pipelines.archive('deals', 'renewals');
    expect(await crm.pipelines.get('deals', 'renewals')).toBeUndefined();
    expect(await crm.pipelines.getStage('deals', 'renewals', 'renewed')).toBeUndefined();
    await expectCrmError(crm.pipelines.listStages('deals', 'renewals'), 'UNKNOWN_PIPELINE');
    await expectCrmError(crm.pipelines.archive('deals', 'renewals'), 'UNKNOWN_PIPELINE');
    expect((await crm.pipelines.list('deals', { archived: true })).map((pipeline) => [pipeline.id, pipeline.archived])).toEqual([
      ['default', false],
      ['renewals', true],
    ]);
  });

  it('a pipeline keeps one live stage, and a type one live pipeline (LAST_REMAINING)', async () => {
    const { crm } = await testCrm();
    await crm.pipelines.create('orders', { id: 'shop', label: 'Shop', stages: [{ label: 'Placed' }] });
    expect(issueCodes(await expectCrmError(crm.pipelines.archiveStage('orders', 'shop', 'placed'), 'VALIDATION_ERROR'))).toEqual(['LAST_REMAINING']);
    expect(issueCodes(await expectCrmError(crm.pipelines.archive('orders', 'shop'), 'VALIDATION_ERROR'))).toEqual(['LAST_REMAINING']);
  });

  it('caps stages at 100 for deals, tickets and custom objects, 30 for the others (LIMIT_REACHED)', async () => {
    const { crm } = await testCrm();
    const stages = (count: number, metadata?: object) => Array.from({ length: count }, (_, at) => ({ label: `Stage ${at}`, ...(metadata ? { metadata } : {}) }));
    const deals = await expectCrmError(crm.pipelines.create('deals', { label: 'Big', stages: stages(101, { probability: 0.1 }) }), 'VALIDATION_ERROR');
    expect(deals.details.issues).toMatchObject([{ code: 'LIMIT_REACHED', limit: 100 }]);
    await crm.pipelines.create('deals', { label: 'Full', stages: stages(100, { probability: 0.1 }) });
    await expectCrmError(crm.pipelines.create('orders', { label: 'Big', stages: stages(31) }), 'VALIDATION_ERROR');
    await crm.pipelines.create('orders', { id: 'full', label: 'Full', stages: stages(30) });
    expect(issueCodes(await expectCrmError(crm.pipelines.createStage('orders', 'full', { label: 'One more' }), 'VALIDATION_ERROR'))).toEqual(['LIMIT_REACHED']);
  });
});

describe('stage metadata', () => {
  const dealStage = (metadata: unknown) => ({ label: 'P', stages: [{ label: 'S', metadata: metadata as never }] });

  it('deal stages need a probability from 0.0 to 1.0 in steps of 0.1; closed exactly at 0.0 and 1.0', async () => {
    const { crm } = await testCrm();
    for (const metadata of [undefined, {}, { probability: 1.1 }, { probability: -0.1 }, { probability: 0.25 }, { probability: Number.NaN }, { probability: 'high' }, { probability: '' }]) {
      const error = await expectCrmError(crm.pipelines.create('deals', dealStage(metadata)), 'VALIDATION_ERROR');
      expect(error.details.issues[0]!.path, JSON.stringify(metadata)).toEqual(['stages', 0, 'metadata', 'probability']);
    }
    const made = await crm.pipelines.create('deals', { label: 'Grid', stages: [0, 0.3, '0.7', 1].map((probability, at) => ({ label: `S${at}`, metadata: { probability } })) });
    expect(made.stages.map((stage) => [stage.metadata.probability, stage.metadata.isClosed])).toEqual([
      [0, true],
      [0.3, false],
      [0.7, false],
      [1, true],
    ]);
    const contradiction = await expectCrmError(crm.pipelines.create('deals', dealStage({ probability: 0.5, isClosed: true })), 'VALIDATION_ERROR');
    expect(contradiction.details.issues).toMatchObject([{ code: 'INVALID_ARGUMENT', path: ['stages', 0, 'metadata', 'isClosed'] }]);
    await expectCrmError(crm.pipelines.create('deals', dealStage({ probability: 0.5, ticketState: 'OPEN' })), 'VALIDATION_ERROR');
  });

  it('ticket stages take OPEN (default) or CLOSED, and no probability', async () => {
    const { crm } = await testCrm();
    const made = await crm.pipelines.create('tickets', { label: 'Escalations', stages: [{ label: 'Open' }, { label: 'Done', metadata: { ticketState: 'CLOSED' } }] });
    expect(made.stages.map((stage) => stage.metadata)).toEqual([
      { ticketState: 'OPEN', isClosed: false },
      { ticketState: 'CLOSED', isClosed: true },
    ]);
    for (const metadata of [{ ticketState: 'closed' }, { ticketState: 'SNOOZED' }, { probability: 0.5 }, { ticketState: 'OPEN', isClosed: true }]) {
      await expectCrmError(crm.pipelines.create('tickets', { label: 'Bad', stages: [{ label: 'S', metadata: metadata as never }] }), 'VALIDATION_ERROR');
    }
  });

  it('other types say isClosed themselves (default false)', async () => {
    const { crm } = await testCrm();
    const made = await crm.pipelines.create('orders', { label: 'Shop', stages: [{ label: 'Placed' }, { label: 'Delivered', metadata: { isClosed: true } }] });
    expect(made.stages.map((stage) => stage.metadata)).toEqual([{ isClosed: false }, { isClosed: true }]);
  });

  it('refuses duplicate stage labels, empty labels, an empty stage list and unknown metadata keys (__proto__ too), writing nothing', async () => {
    const { crm, storage } = await testCrm();
    const before = storage.snapshot();
    const duplicate = await expectCrmError(crm.pipelines.create('orders', { label: 'Shop', stages: [{ label: 'New' }, { label: ' new ' }] }), 'VALIDATION_ERROR');
    expect(duplicate.details.issues).toMatchObject([{ code: 'DUPLICATE_LABEL', path: ['stages', 1, 'label'] }]);
    await expectCrmError(crm.pipelines.create('orders', { label: ' ', stages: [{ label: 'New' }] }), 'VALIDATION_ERROR');
    await expectCrmError(crm.pipelines.create('orders', { label: 'Shop', stages: [] }), 'VALIDATION_ERROR');
    const proto = JSON.parse('{ "label": "S", "metadata": { "__proto__": { "isClosed": true } } }');
    expect(issueCodes(await expectCrmError(crm.pipelines.create('orders', { label: 'Shop', stages: [proto] }), 'VALIDATION_ERROR'))).toEqual(['UNKNOWN_OPTION']);
    await crm.pipelines.create('deals', RENEWALS);
    const middle = storage.snapshot();
    await expectCrmError(crm.pipelines.updateStage('deals', 'renewals', 'renewed', { label: 'Churned' }), 'VALIDATION_ERROR');
    expect(storage.snapshot()).toEqual(middle);
    expect(before).not.toEqual(middle);
  });
});

describe('records in pipelines', () => {
  it("a record naming no pipeline gets the shipped one while it is live, else the first in display order", async () => {
    const crm = await crmWithRenewals();
    expect((await crm.records.create('tickets', { subject: 'Help', hs_pipeline_stage: '1' })).properties.hs_pipeline).toBe('0');
    expect((await crm.records.create('deals', { dealname: 'A', dealstage: 'closedwon' })).properties.pipeline).toBe('default');
    // Empty the shipped pipeline (its records moved), archive it: the first in display order takes its place.
    const { results } = await crm.records.search('deals', {});
    for (const deal of results) await crm.records.update('deals', deal.id, { pipeline: 'renewals', dealstage: 'renewed' });
    await crm.pipelines.archive('deals', 'default');
    expect((await crm.records.create('deals', { dealname: 'B', dealstage: 'churned' })).properties.pipeline).toBe('renewals');
    const error = await expectCrmError(crm.records.create('deals', { dealname: 'C', dealstage: 'closedwon' }), 'VALIDATION_ERROR');
    expect(error.details.issues).toMatchObject([{ code: 'INVALID_OPTION', property: 'dealstage' }]);
  });

  it('deals and tickets require their stage; other types start at the first stage', async () => {
    const { crm } = await testCrm();
    expect(issueCodes(await expectCrmError(crm.records.create('deals', { dealname: 'No stage' }), 'VALIDATION_ERROR'))).toEqual(['REQUIRED']);
    expect(issueCodes(await expectCrmError(crm.records.create('tickets', { subject: 'No stage' }), 'VALIDATION_ERROR'))).toEqual(['REQUIRED']);
    expect((await crm.records.create('leads', { hs_lead_name: 'Ana' }, { associations: [{ to: await crm.records.create('contacts', { firstname: 'Ana' }) }] })).properties).toMatchObject({
      hs_pipeline: 'lead-pipeline-id',
      hs_pipeline_stage: 'new-stage-id',
    });
  });

  it('a stage must be a live stage of the record’s pipeline: INVALID_OPTION naming the stage property, with its stages', async () => {
    const crm = await crmWithRenewals();
    const deal = await crm.records.create('deals', { dealname: 'Acme', dealstage: 'contractsent' });
    // Moving to another pipeline needs one of its stages in the same write.
    const move = await expectCrmError(crm.records.update('deals', deal.id, { pipeline: 'renewals' }), 'VALIDATION_ERROR');
    expect(move.details.issues).toMatchObject([{ code: 'INVALID_OPTION', property: 'dealstage', allowed: ['up_for_renewal', 'renewed', 'churned'] }]);
    const moved = await crm.records.update('deals', deal.id, { pipeline: 'renewals', dealstage: 'renewed' });
    expect(moved.properties).toMatchObject({ pipeline: 'renewals', dealstage: 'renewed' });
    await expectCrmError(crm.records.update('deals', deal.id, { dealstage: 'closedwon' }), 'VALIDATION_ERROR');
    await expectCrmError(crm.records.update('deals', deal.id, { pipeline: 'nope', dealstage: 'renewed' }), 'VALIDATION_ERROR');
    // Neither can be cleared.
    for (const cleared of [{ pipeline: null }, { dealstage: '' }]) {
      expect(issueCodes(await expectCrmError(crm.records.update('deals', deal.id, cleared), 'VALIDATION_ERROR'))).toEqual(['REQUIRED']);
    }
    // Batch and upsert writes keep the rule too, naming the input.
    const batch = await expectCrmError(crm.records.createMany('deals', [{ dealname: 'ok', dealstage: 'closedwon' }, { dealname: 'bad', pipeline: 'renewals', dealstage: 'closedwon' }]), 'VALIDATION_ERROR');
    expect(batch.details.issues).toMatchObject([{ code: 'INVALID_OPTION', property: 'dealstage', index: 1 }]);
    await expectCrmError(crm.records.upsert('deals', { hs_object_id: deal.id, dealstage: 'closedwon' }, { idProperty: 'hs_object_id' }), 'VALIDATION_ERROR');
  });

  it("deals: closed, won, lost and probability follow the stage; the date entered is set on each entry; all read-only and CALCULATED in history", async () => {
    const { crm } = await testCrm();
    const deal = await crm.records.create('deals', { dealname: 'Acme', dealstage: 'qualifiedtobuy' });
    const entered = deal.properties.hs_date_entered_qualifiedtobuy;
    expect(entered).toBe(deal.updatedAt);
    const won = await crm.records.update('deals', deal.id, { dealstage: 'closedwon' });
    expect(won.properties).toMatchObject({ hs_is_closed: true, hs_is_closed_won: true, hs_is_closed_lost: false, hs_deal_stage_probability: 1, hs_date_entered_closedwon: won.updatedAt });
    const back = await crm.records.update('deals', deal.id, { dealstage: 'qualifiedtobuy' });
    expect(back.properties.hs_date_entered_qualifiedtobuy).toBe(back.updatedAt);
    expect(back.properties.hs_date_entered_qualifiedtobuy).not.toBe(entered);
    expect(back.properties).toMatchObject({ hs_is_closed: false, hs_is_closed_won: false, hs_deal_stage_probability: 0.4 });
    expect((await crm.records.history('deals', deal.id, 'hs_is_closed_won')).map((entry) => [entry.value, entry.sourceType])).toEqual([
      [false, 'CALCULATED'],
      [true, 'CALCULATED'],
      [false, 'CALCULATED'],
    ]);
    for (const name of ['hs_is_closed', 'hs_deal_stage_probability', 'hs_date_entered_closedwon']) {
      expect(issueCodes(await expectCrmError(crm.records.update('deals', deal.id, { [name]: 1 }), 'VALIDATION_ERROR'))).toEqual(['READ_ONLY_VALUE']);
    }
    expect(crm.schema.property('deals', 'hs_date_entered_closedwon')).toMatchObject({ type: 'datetime', readOnly: true });
  });

  it('tickets: closing sets the close date and the time to close (ms from createdate); reopening clears them', async () => {
    const { crm } = await testCrm();
    const ticket = await crm.records.create('tickets', { subject: 'Grinder', hs_pipeline_stage: '1' });
    const closed = await crm.records.update('tickets', ticket.id, { hs_pipeline_stage: '4' });
    expect(closed.properties).toMatchObject({ hs_is_closed: true, closed_date: closed.updatedAt, time_to_close: Date.parse(closed.updatedAt) - Date.parse(ticket.createdAt) });
    const reopened = await crm.records.update('tickets', ticket.id, { hs_pipeline_stage: '2' });
    expect(reopened.properties.hs_is_closed).toBe(false);
    expect(reopened.properties).not.toHaveProperty('closed_date');
    expect(reopened.properties).not.toHaveProperty('time_to_close');
    expect(issueCodes(await expectCrmError(crm.records.update('tickets', ticket.id, { closed_date: '2027-01-01' }), 'VALIDATION_ERROR'))).toEqual(['READ_ONLY_VALUE']);
  });

  it("a merge keeps the survivor's stage and what it sets: an open ticket never takes the merged one's close date", async () => {
    const { crm } = await testCrm();
    const open = await crm.records.create('tickets', { subject: 'Open', hs_pipeline_stage: '1' });
    const closed = await crm.records.create('tickets', { subject: 'Closed', hs_pipeline_stage: '4', content: 'details' });
    const survivor = await crm.records.merge('tickets', open.id, closed.id);
    expect(survivor.properties).toMatchObject({ hs_pipeline_stage: '1', hs_is_closed: false, content: 'details' });
    expect(survivor.properties).not.toHaveProperty('closed_date');
    expect(survivor.properties).not.toHaveProperty('time_to_close');
    const deal = await crm.records.create('deals', { dealname: 'A', dealstage: 'qualifiedtobuy' });
    const other = await crm.records.create('deals', { dealname: 'B', dealstage: 'closedwon' });
    const merged = await crm.records.merge('deals', deal.id, other.id);
    expect(merged.properties).toMatchObject({ dealstage: 'qualifiedtobuy', hs_is_closed_won: false });
    expect(merged.properties).not.toHaveProperty('hs_date_entered_closedwon');
  });

  it("a stage's new probability moves its deals' values in the same call, logged as CALCULATED; other stages' deals are untouched", async () => {
    const { crm } = await testCrm();
    const inStage = await crm.records.create('deals', { dealname: 'In', dealstage: 'contractsent' });
    const other = await crm.records.create('deals', { dealname: 'Other', dealstage: 'qualifiedtobuy' });
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await crm.pipelines.updateStage('deals', 'default', 'contractsent', { metadata: { probability: 1 } });
    expect((await crm.records.get('deals', inStage.id))!.properties).toMatchObject({ hs_deal_stage_probability: 1, hs_is_closed_won: true, hs_is_closed: true });
    expect(await crm.records.get('deals', other.id)).toEqual(other);
    expect(events.map((event) => [event.type, 'source' in event ? event.source.type : undefined])).toEqual([
      ['schema.changed', undefined],
      ['record.updated', 'CALCULATED'],
    ]);
  });

  it('pipeline changes announce themselves after commit, and never for a rolled-back transaction', async () => {
    const { crm } = await testCrm();
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await expect(
      crm.transaction(async (tx) => {
        await tx.pipelines.create('orders', { label: 'Shop', stages: [{ label: 'Placed' }] });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(events).toEqual([]);
    expect(await crm.pipelines.list('orders')).toEqual([]);
    await crm.pipelines.create('orders', { label: 'Shop', stages: [{ label: 'Placed' }] });
    expect(events).toEqual([{ type: 'schema.changed', objectType: 'orders', change: 'pipeline.created' }]);
  });

  it('a fork copies the pipelines; changes to the fork never reach its parent', async () => {
    const crm = await crmWithRenewals();
    const fork = await crm.fork();
    expect(await fork.pipelines.list('deals')).toEqual(await crm.pipelines.list('deals'));
    await fork.pipelines.createStage('deals', 'renewals', { label: 'Negotiation', metadata: { probability: 0.7 } });
    expect(await crm.pipelines.getStage('deals', 'renewals', 'negotiation')).toBeUndefined();
  });

  it("the pipeline and stage properties' options are the pipelines: updateProperty may not set them (IMMUTABLE)", async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.schema.updateProperty('deals', 'dealstage', { options: [{ label: 'Won', value: 'won' }] }), 'IMMUTABLE');
    expect(error.details).toEqual({ objectType: 'deals', property: 'dealstage', field: 'options' });
    await expectCrmError(crm.schema.updateProperty('tickets', 'hs_pipeline', { options: [] }), 'IMMUTABLE');
    // Their labels may change like any HubSpot-defined property's.
    expect((await crm.schema.updateProperty('deals', 'dealstage', { label: 'Stage' })).label).toBe('Stage');
    expect(crm.schema.property('deals', 'dealstage').options).toHaveLength(7);
  });

  it('custom objects take pipelines (up to 100 stages) on hs_pipeline and hs_pipeline_stage', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject({ name: 'roast_batches', labels: { singular: 'Roast batch', plural: 'Roast batches' }, properties: [{ name: 'batch', label: 'Batch', type: 'string', fieldType: 'text' }] });
    const batch = await crm.records.create('roast_batches', { batch: 'B-1' });
    expect(batch.properties).not.toHaveProperty('hs_pipeline');
    await expectCrmError(crm.records.create('roast_batches', { batch: 'B-2', hs_pipeline_stage: 'green' }), 'VALIDATION_ERROR');
    await crm.pipelines.create('roast_batches', { label: 'Roasting', stages: Array.from({ length: 100 }, (_, at) => ({ label: `Step ${at}` })) });
    expect((await crm.records.get('roast_batches', batch.id))!.properties).toMatchObject({ hs_pipeline: 'roasting', hs_pipeline_stage: 'step_0' });
    expect(crm.schema.property('roast_batches', 'hs_pipeline_stage').options).toHaveLength(100);
  });
});
