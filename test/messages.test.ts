// Messages that say what was wrong and what would be right (issue 8, "Messages"). Each case
// asserts the code and the details a program reads first, then that the message names the
// culprit and the fix.
import { describe, expect, it } from 'vitest';
import type { Crm } from 'crmkit';
import { expectCrmError, testCrm } from './helpers.js';

async function world() {
  const { crm, storage } = await testCrm();
  const contact = await crm.records.create('contacts', { email: 'ana@acme.com', firstname: 'Ana' });
  const other = await crm.records.create('contacts', { email: 'bo@acme.com' });
  const company = await crm.records.create('companies', { domain: 'acme.com' });
  const deal = await crm.records.create('deals', { dealname: 'Big', dealstage: 'appointmentscheduled' });
  await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
  await crm.associations.createLabel({ from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee' });
  await crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing contact', inverseLabel: 'Billed company' });
  return { crm, contact, other, company, deal, snapshot: () => JSON.stringify(storage.snapshot()) };
}

describe('a type argument that is not a type name', () => {
  it('a record where its objectType goes says so, and which type to pass', async () => {
    const { crm, contact } = await world();
    for (const call of [
      () => crm.records.create(contact as never, { email: 'x@acme.com' }),
      () => crm.records.get(contact as never, contact.id),
      () => crm.records.list(contact as never),
      async () => crm.schema.object(contact as never),
    ]) {
      const error = await expectCrmError(call(), 'UNKNOWN_OBJECT_TYPE');
      expect(error.details).toMatchObject({ objectType: 'an object', suggestion: 'contacts' });
      expect(error.message).toContain("an object type name like 'contacts' or id like '0-1'");
      expect(error.message).toContain('a record was passed where its objectType goes');
      expect(error.message).toContain('"contacts"');
    }
  });

  it('any other non-string says what a type argument takes', async () => {
    const { crm } = await world();
    for (const type of [42, null, {}, ['contacts']]) {
      const error = await expectCrmError(crm.records.list(type as never), 'UNKNOWN_OBJECT_TYPE');
      expect(error.details.suggestion).toBeUndefined();
      expect(error.message).toContain("Expected an object type name like 'contacts' or id like '0-1', got");
    }
  });

  it.each([
    ['contact', 'contacts'],
    ['Contacts', 'contacts'],
    ['Companies', 'companies'],
    ['company', 'companies'],
    ['Deal', 'deals'],
    ['line_item', 'line_items'],
    ['Line items', 'line_items'],
    ['tickts', 'tickets'],
  ])('a near miss %j: did you mean %j', async (given, meant) => {
    const { crm } = await world();
    const error = await expectCrmError(crm.records.list(given), 'UNKNOWN_OBJECT_TYPE');
    expect(error.details).toMatchObject({ objectType: given, suggestion: meant });
    expect(error.message).toBe(`Unknown object type ${JSON.stringify(given)} (did you mean ${JSON.stringify(meant)}?)`);
  });

  it('a name near nothing gets no guess, and says what a type argument takes', async () => {
    const { crm } = await world();
    const error = await expectCrmError(crm.records.list('widgets'), 'UNKNOWN_OBJECT_TYPE');
    expect(error.details.suggestion).toBeUndefined();
    expect(error.message).toBe(`Unknown object type "widgets" (expected an object type name like 'contacts' or id like '0-1')`);
  });
});

describe("a label's limit", () => {
  it.each([
    ['createLabel limit', (crm: Crm) => crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', limit: 'two' as never }), ['limit'], '"two"'],
    ['createLabel inverseLimit', (crm: Crm) => crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', inverseLimit: 0 }), ['inverseLimit'], '0'],
    ['createLabel a fraction', (crm: Crm) => crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', limit: 1.5 }), ['limit'], '1.5'],
    ['updateLabel', (crm: Crm) => crm.associations.updateLabel('deals', 'contacts', 'decision_maker', { limit: 'few' as never }), ['limit'], '"few"'],
    ['defineAssociation', (crm: Crm) => crm.schema.defineAssociation('deals', 'tickets', { limit: 10_001 }), ['limit'], '10001'],
  ])('%s names the allowed values and the value given', async (_name, call, path, shown) => {
    const { crm, snapshot } = await world();
    const before = snapshot();
    const error = await expectCrmError(call(crm), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', path })]);
    expect(error.message).toContain(`${path.join('.')}: must be 'one', 'many' or a whole number from 1 to 10,000, got ${shown}`);
    expect(error.message).not.toContain('Invalid input');
    expect(snapshot()).toBe(before);
  });
});

describe('a label named by its display label or a near miss', () => {
  it('associate with a display label: UNKNOWN_LABEL with the internal name it matches', async () => {
    const { crm, deal, contact } = await world();
    for (const given of ['Decision maker', 'decision maker', 'Decision-Maker']) {
      const error = await expectCrmError(crm.associations.associate(deal, contact, [given]), 'UNKNOWN_LABEL');
      expect(error.details).toMatchObject({ objectType: 'deals', toType: 'contacts', label: given, suggestion: 'decision_maker' });
      expect(error.message).toContain(`${JSON.stringify(given)} is a display label: use its internal name, "decision_maker"`);
    }
  });

  it('a typo of the internal name: did you mean', async () => {
    const { crm, deal, contact } = await world();
    const error = await expectCrmError(crm.associations.associate(deal, contact, ['decision_makr']), 'UNKNOWN_LABEL');
    expect(error.details.suggestion).toBe('decision_maker');
    expect(error.message).toContain('(did you mean "decision_maker"?)');
  });

  it("the other side's name of a paired label: the name seen from this side", async () => {
    const { crm, contact, company } = await world();
    const error = await expectCrmError(crm.associations.associate(contact, company, ['billed_company']), 'UNKNOWN_LABEL');
    expect(error.details).toMatchObject({ objectType: 'contacts', toType: 'companies', suggestion: 'billing_contact' });
    expect(error.message).toContain(`that is the label's name seen from companies; from contacts it is "billing_contact"`);
  });

  it('the display label of a paired side, in unlabel, and in a list filter', async () => {
    const { crm, contact, other } = await world();
    await crm.associations.associate(contact, other, ['manager']);
    const unlabel = await expectCrmError(crm.associations.unlabel(contact, other, ['Employee']), 'UNKNOWN_LABEL');
    expect(unlabel.details.suggestion).toBe('employee');
    const list = await expectCrmError(crm.associations.list(contact, 'contacts', { label: 'Manager' }), 'UNKNOWN_LABEL');
    expect(list.details.suggestion).toBe('manager');
  });

  it('updateLabel, deleteLabel and labelUsage with a display label', async () => {
    const { crm } = await world();
    for (const call of [
      () => crm.associations.updateLabel('deals', 'contacts', 'Decision maker', { label: 'Decider' }),
      () => crm.associations.deleteLabel('deals', 'contacts', 'Decision maker'),
      () => crm.associations.labelUsage('deals', 'contacts', 'Decision maker'),
    ]) {
      const error = await expectCrmError(call(), 'UNKNOWN_LABEL');
      expect(error.details).toMatchObject({ label: 'Decision maker', suggestion: 'decision_maker' });
      expect(error.message).toContain('use its internal name, "decision_maker"');
    }
  });

  it('a name near nothing gets no guess', async () => {
    const { crm, deal, contact } = await world();
    const error = await expectCrmError(crm.associations.associate(deal, contact, ['sponsor']), 'UNKNOWN_LABEL');
    expect(error.details.suggestion).toBeUndefined();
    expect(error.message).toBe('deals → contacts has no label named "sponsor"');
  });
});

describe("HubSpot's request body where crmkit takes the properties", () => {
  const body = { properties: { email: 'new@acme.com', firstname: 'New' } };

  it.each([
    ['create', (w: Awaited<ReturnType<typeof world>>) => w.crm.records.create('contacts', body as never), undefined],
    ['update', (w: Awaited<ReturnType<typeof world>>) => w.crm.records.update('contacts', w.contact.id, body as never), undefined],
    ['upsert', (w: Awaited<ReturnType<typeof world>>) => w.crm.records.upsert('contacts', body as never), undefined],
    ['createMany', (w: Awaited<ReturnType<typeof world>>) => w.crm.records.createMany('contacts', [{ email: 'ok@acme.com' }, body] as never), 1],
  ])('%s says crmkit takes the properties object itself', async (_name, call, index) => {
    const w = await world();
    const before = w.snapshot();
    const error = await expectCrmError(call(w), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'INVALID_PROPERTIES', property: 'properties', ...(index !== undefined ? { index } : {}) })]);
    expect(error.message).toContain("crmkit takes the properties object itself, not HubSpot's request body");
    expect(error.message).toContain('pass { email, firstname }, not { properties: { email, firstname } }');
    expect(error.message).not.toContain('does not exist');
    if (index !== undefined) expect(error.message).toContain(`input ${index}: `);
    expect(w.snapshot()).toBe(before);
  });

  it('with associations in the body, says where they go', async () => {
    const { crm } = await world();
    const error = await expectCrmError(crm.records.create('contacts', { ...body, associations: [] } as never), 'VALIDATION_ERROR');
    expect(error.message).toContain('associations go in the options');
  });

  it('an object type that has a property named properties takes it as one', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject({
      name: 'listings_raw',
      labels: { singular: 'Raw listing', plural: 'Raw listings' },
      properties: [{ name: 'properties', label: 'Properties', type: 'string', fieldType: 'text' }],
    });
    const error = await expectCrmError(crm.records.create('listings_raw', { properties: { a: 1 } } as never), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'INVALID_STRING', property: 'properties' })]);
  });
});

describe('a batch error names the input that failed', () => {
  it('createMany: the issue carries the index and the message names it', async () => {
    const { crm } = await world();
    const error = await expectCrmError(crm.records.createMany('contacts', [{ email: 'a@acme.com' }, { email: 'b@acme.com' }, { email: 'not an email' }]), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'INVALID_EMAIL', property: 'email', index: 2 })]);
    expect(error.message).toBe('contacts: input 2: email: "not an email" is not a valid email address');
  });

  it('createMany: a missing required property and a non-object input name their inputs', async () => {
    const { crm } = await world();
    const error = await expectCrmError(crm.records.createMany('deals', [{ dealname: 'A', dealstage: 'appointmentscheduled' }, { dealstage: 'appointmentscheduled' }, 7] as never), 'VALIDATION_ERROR');
    expect(error.details.issues!.map((issue) => [issue.code, issue.index])).toEqual([
      ['REQUIRED', 1],
      ['INVALID_PROPERTIES', 2],
    ]);
    expect(error.details.issues!.map((issue) => issue.message.slice(0, 8))).toEqual(['input 1:', 'input 2:']);
  });

  it('a single create names no input', async () => {
    const { crm } = await world();
    const error = await expectCrmError(crm.records.create('contacts', { email: 'not an email' }), 'VALIDATION_ERROR');
    expect(error.details.issues![0]!.index).toBeUndefined();
    expect(error.message).toBe('contacts: email: "not an email" is not a valid email address');
  });

  it('associateMany: a missing record, a label and a limit name the pair', async () => {
    const { crm, deal, contact, other, snapshot } = await world();
    const before = snapshot();
    const missing = await expectCrmError(
      crm.associations.associateMany([
        { from: deal, to: contact },
        { from: deal, to: { objectType: 'contacts', id: 'nope' } },
      ]),
      'NOT_FOUND',
    );
    expect(missing.details).toMatchObject({ index: 1, id: 'nope' });
    expect(missing.message).toMatch(/^pairs\[1\]\.to: /);
    const label = await expectCrmError(
      crm.associations.associateMany([
        { from: deal, to: contact },
        { from: deal, to: other, labels: ['Decision maker'] },
      ]),
      'UNKNOWN_LABEL',
    );
    expect(label.details).toMatchObject({ index: 1, suggestion: 'decision_maker' });
    expect(label.message).toMatch(/^pairs\[1\]: /);
    const limit = await expectCrmError(
      crm.associations.associateMany([
        { from: deal, to: contact, labels: ['decision_maker'] },
        { from: deal, to: other, labels: ['decision_maker'] },
      ]),
      'ASSOCIATION_LIMIT',
    );
    expect(limit.details).toMatchObject({ index: 1 });
    expect(limit.message).toMatch(/^pairs\[1\]: /);
    expect(snapshot()).toBe(before);
  });

  it('removeMany: a missing record names the pair', async () => {
    const { crm, deal, contact } = await world();
    const error = await expectCrmError(
      crm.associations.removeMany([
        { from: deal, to: contact },
        { from: { objectType: 'deals', id: 'nope' }, to: contact },
      ]),
      'NOT_FOUND',
    );
    expect(error.details).toMatchObject({ index: 1 });
    expect(error.message).toMatch(/^pairs\[1\]\.from: /);
  });
});

describe('an unknown property', () => {
  it('a near miss of a property name: did you mean', async () => {
    const { crm } = await world();
    const error = await expectCrmError(crm.records.create('contacts', { email: 'c@acme.com', firstName: 'C', lastnam: 'D' }), 'VALIDATION_ERROR');
    expect(error.details.issues.map((issue) => [issue.code, issue.property, 'suggestion' in issue ? issue.suggestion : undefined])).toEqual([
      ['PROPERTY_DOESNT_EXIST', 'firstName', 'firstname'],
      ['PROPERTY_DOESNT_EXIST', 'lastnam', 'lastname'],
    ]);
    expect(error.message).toContain('Property "firstName" does not exist on contacts (did you mean "firstname"?)');
  });
});
