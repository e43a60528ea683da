// Unknown option keys (issue 8, "Options"): every public call refuses a key it does not take,
// with VALIDATION_ERROR naming the key and the key it most likely meant, instead of ignoring a
// typo (`get(id, { archive: true })` answered `undefined` for an archived record). The same for
// the keys inside options (a write's `source`, create's `associations` items), the items of
// batch arguments (associateMany's pairs), and zod-checked arguments (createCrm, definitions).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm, type Crm, type CrmError, type CrmRecord, type ValidationIssue } from 'crmkit';
import { OPTION_KEYS, type OptionCall } from '../../src/arguments/options.js';
import { expectCrmError, testCrm } from '../helpers.js';

interface World {
  crm: Crm;
  snapshot: () => string;
  contact: CrmRecord;
  other: CrmRecord;
  company: CrmRecord;
  deal: CrmRecord;
  otherDeal: CrmRecord;
  product: CrmRecord;
  archived: CrmRecord;
}

async function world(): Promise<World> {
  const { crm, storage } = await testCrm();
  const contact = await crm.records.create('contacts', { email: 'ana@acme.com', firstname: 'Ana' });
  const other = await crm.records.create('contacts', { email: 'bo@acme.com', firstname: 'Bo' });
  const company = await crm.records.create('companies', { domain: 'acme.com', name: 'Acme' });
  const deal = await crm.records.create('deals', { dealname: 'Big', dealstage: 'appointmentscheduled' });
  const archived = await crm.records.create('contacts', { email: 'gone@acme.com' });
  await crm.records.archive('contacts', archived.id);
  await crm.associations.associate(contact, company);
  await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
  await crm.records.create('notes', { hs_timestamp: '2026-01-01T00:00:00Z' }, { associations: [{ to: contact }] });
  const otherDeal = await crm.records.create('deals', { dealname: 'Small', dealstage: 'appointmentscheduled' });
  const product = await crm.records.create('products', { name: 'Seat', price: 100 });
  await crm.commerce.addLineItem(deal, product);
  return { crm, snapshot: () => JSON.stringify(storage.snapshot()), contact, other, company, deal, otherDeal, product, archived };
}

/** The one UNKNOWN_OPTION issue of a refused call. */
function unknownOption(error: CrmError<'VALIDATION_ERROR'>): ValidationIssue<'UNKNOWN_OPTION'> {
  const issues = error.details.issues;
  expect(issues.map((issue) => issue.code)).toEqual(['UNKNOWN_OPTION']);
  return issues[0] as ValidationIssue<'UNKNOWN_OPTION'>;
}

type Run = (w: World, options: never) => Promise<unknown>;

/** Every public call that takes an options object, with a typo of one of its keys. */
const CALLS: Array<{ call: OptionCall; typo: string; meant: string; run: Run }> = [
  { call: 'records.create', typo: 'sorce', meant: 'source', run: (w, o) => w.crm.records.create('contacts', { email: 'new@acme.com' }, o) },
  { call: 'records.createMany', typo: 'association', meant: 'associations', run: (w, o) => w.crm.records.createMany('contacts', [{ email: 'new@acme.com' }], o) },
  { call: 'records.upsertMany', typo: 'atomc', meant: 'atomic', run: (w, o) => w.crm.records.upsertMany('contacts', [{ email: 'new@acme.com' }], o) },
  { call: 'records.updateMany', typo: 'atomik', meant: 'atomic', run: (w, o) => w.crm.records.updateMany('contacts', [{ id: w.contact.id, properties: { firstname: 'Jo' } }], o) },
  { call: 'records.archiveMany', typo: 'Atomic', meant: 'atomic', run: (w, o) => w.crm.records.archiveMany('contacts', [w.contact.id], o) },
  { call: 'records.get', typo: 'archive', meant: 'archived', run: (w, o) => w.crm.records.get('contacts', w.archived.id, o) },
  { call: 'records.update', typo: 'Source', meant: 'source', run: (w, o) => w.crm.records.update('contacts', w.contact.id, { firstname: 'Jo' }, o) },
  { call: 'records.upsert', typo: 'idProprety', meant: 'idProperty', run: (w, o) => w.crm.records.upsert('contacts', { email: 'ana@acme.com', firstname: 'Jo' }, o) },
  { call: 'records.archive', typo: 'sources', meant: 'source', run: (w, o) => w.crm.records.archive('contacts', w.contact.id, o) },
  { call: 'records.restore', typo: 'sources', meant: 'source', run: (w, o) => w.crm.records.restore('contacts', w.archived.id, o) },
  { call: 'records.purge', typo: 'sources', meant: 'source', run: (w, o) => w.crm.records.purge('contacts', w.contact.id, o) },
  { call: 'records.list', typo: 'limt', meant: 'limit', run: (w, o) => w.crm.records.list('contacts', o) },
  { call: 'records.getMany', typo: 'propertis', meant: 'properties', run: (w, o) => w.crm.records.getMany('contacts', [w.contact.id], o) },
  { call: 'records.merge', typo: 'sources', meant: 'source', run: (w, o) => w.crm.records.merge('contacts', w.contact.id, w.other.id, o) },
  { call: 'schema.properties', typo: 'archive', meant: 'archived', run: async (w, o) => w.crm.schema.properties('contacts', o) },
  { call: 'schema.groups', typo: 'archive', meant: 'archived', run: async (w, o) => w.crm.schema.groups('contacts', o) },
  { call: 'associations.associate', typo: 'sources', meant: 'source', run: (w, o) => w.crm.associations.associate(w.deal, w.contact, [], o) },
  { call: 'associations.associateMany', typo: 'sources', meant: 'source', run: (w, o) => w.crm.associations.associateMany([{ from: w.deal, to: w.contact }], o) },
  { call: 'associations.removeMany', typo: 'sources', meant: 'source', run: (w, o) => w.crm.associations.removeMany([{ from: w.contact, to: w.company }], o) },
  { call: 'associations.setPrimary', typo: 'sources', meant: 'source', run: (w, o) => w.crm.associations.setPrimary(w.other, w.company, o) },
  { call: 'associations.unlabel', typo: 'newPrimery', meant: 'newPrimary', run: (w, o) => w.crm.associations.unlabel(w.contact, w.company, ['primary'], o) },
  { call: 'associations.remove', typo: 'new_primary', meant: 'newPrimary', run: (w, o) => w.crm.associations.remove(w.contact, w.company, o) },
  { call: 'associations.list', typo: 'lable', meant: 'label', run: (w, o) => w.crm.associations.list(w.company, 'contacts', o) },
  { call: 'associations.listMany', typo: 'labels', meant: 'label', run: (w, o) => w.crm.associations.listMany([w.company], 'contacts', o) },
  { call: 'associations.history', typo: 'totype', meant: 'toType', run: (w, o) => w.crm.associations.history(w.contact, o) },
  { call: 'timeline', typo: 'limits', meant: 'limit', run: (w, o) => w.crm.timeline(w.contact, o) },
  { call: 'commerce.addLineItem', typo: 'sources', meant: 'source', run: (w, o) => w.crm.commerce.addLineItem(w.deal, w.product, { quantity: 2 }, o) },
  { call: 'commerce.copyLineItems', typo: 'sorce', meant: 'source', run: (w, o) => w.crm.commerce.copyLineItems(w.deal, w.otherDeal, o) },
];

describe('every call that takes options refuses an unknown key', () => {
  it('the table covers every call with options', () => {
    expect(CALLS.map((entry) => entry.call).sort()).toEqual(Object.keys(OPTION_KEYS).sort());
  });

  it.each(CALLS)('$call: a typo is VALIDATION_ERROR naming the key and the nearest valid one; nothing changes', async ({ call, typo, meant, run }) => {
    const w = await world();
    const before = w.snapshot();
    const error = await expectCrmError(run(w, { [typo]: true } as never), 'VALIDATION_ERROR');
    expect(unknownOption(error)).toMatchObject({ option: typo, suggestion: meant, path: ['options'] });
    expect(error.message).toBe(`${call}: unknown option ${JSON.stringify(typo)} (did you mean ${JSON.stringify(meant)}?)`);
    expect(w.snapshot()).toBe(before);
  });

  it.each(CALLS)('$call: a key nowhere near a valid one lists the valid ones', async ({ call, run }) => {
    const w = await world();
    const error = await expectCrmError(run(w, { zzzzzz: 1 } as never), 'VALIDATION_ERROR');
    const issue = unknownOption(error);
    expect(issue.suggestion).toBeUndefined();
    expect(issue.allowed).toEqual(OPTION_KEYS[call]);
    for (const key of OPTION_KEYS[call]) expect(error.message).toContain(JSON.stringify(key));
  });

  it.each(CALLS)('$call: a non-object where options go is refused as before', async ({ run }) => {
    const w = await world();
    for (const options of [5, 'archived', null, [], new Date()]) {
      const error = await expectCrmError(run(w, options as never), 'VALIDATION_ERROR');
      expect(error.message).toContain('options');
    }
  });

  it('any key a call does not take is refused, naming it (property)', async () => {
    const w = await world();
    const calls = fc.constantFrom(...CALLS);
    const key = fc.string({ minLength: 1, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(calls, key, async ({ call, run }, typo) => {
        fc.pre(!(OPTION_KEYS[call] as readonly string[]).includes(typo));
        const error = await expectCrmError(run(w, { [typo]: true } as never), 'VALIDATION_ERROR');
        expect(unknownOption(error).option).toBe(typo);
      }),
      { numRuns: 200 },
    );
  });

  it('the bugs of the issue: get with { archive: true } and list with { lable } no longer answer as if the key were not there', async () => {
    const w = await world();
    expect(await w.crm.records.get('contacts', w.archived.id, { archived: true })).toMatchObject({ id: w.archived.id, archived: true });
    await expectCrmError(w.crm.records.get('contacts', w.archived.id, { archive: true } as never), 'VALIDATION_ERROR');
    await expectCrmError(w.crm.associations.list(w.contact, 'companies', { lable: 'primary' } as never), 'VALIDATION_ERROR');
  });

  it('lists every unknown key of one call', async () => {
    const w = await world();
    const error = await expectCrmError(w.crm.records.list('contacts', { limt: 5, afterr: 'x', archived: true } as never), 'VALIDATION_ERROR');
    expect(error.details.issues.map((issue) => (issue.code === 'UNKNOWN_OPTION' ? [issue.option, issue.suggestion] : [issue.code]))).toEqual([
      ['limt', 'limit'],
      ['afterr', 'after'],
    ]);
    expect(error.details.issueCount).toBe(2);
  });
});

describe('keys inside options and batch items', () => {
  it("a write's source: a typo of type, id or label", async () => {
    const w = await world();
    const error = await expectCrmError(w.crm.records.update('contacts', w.contact.id, { firstname: 'Jo' }, { source: { typ: 'USER' } } as never), 'VALIDATION_ERROR');
    expect(unknownOption(error)).toMatchObject({ option: 'typ', suggestion: 'type', path: ['options', 'source'] });
    expect(error.message).toContain('unknown key "typ" in options.source (did you mean "type"?)');
  });

  it("create's associations items: { to, labels }", async () => {
    const w = await world();
    const before = w.snapshot();
    const error = await expectCrmError(
      w.crm.records.create('contacts', { email: 'new@acme.com' }, { associations: [{ to: w.company }, { to: w.company, label: ['x'] }] } as never),
      'VALIDATION_ERROR',
    );
    expect(unknownOption(error)).toMatchObject({ option: 'label', suggestion: 'labels', path: ['options', 'associations', 1] });
    expect(w.snapshot()).toBe(before);
  });

  it.each(['associateMany', 'removeMany'] as const)("%s's pairs: { from, to, labels }, the pair's index named", async (name) => {
    const w = await world();
    const before = w.snapshot();
    const pairs = [
      { from: w.deal, to: w.contact },
      { form: w.deal, to: w.other },
    ];
    const error = await expectCrmError(w.crm.associations[name](pairs as never), 'VALIDATION_ERROR');
    expect(unknownOption(error)).toMatchObject({ option: 'form', suggestion: 'from', index: 1 });
    expect(error.message).toBe(`associations.${name}: unknown key "form" in item 1 (did you mean "from"?)`);
    expect(w.snapshot()).toBe(before);
  });
});

describe('zod-checked arguments name the nearest key too', () => {
  it('createCrm', async () => {
    const error = await expectCrmError(createCrm({ histroy: false } as never), 'VALIDATION_ERROR');
    expect(unknownOption(error)).toMatchObject({ option: 'histroy', suggestion: 'history', path: ['options'] });
    expect(error.message).toBe('createCrm: unknown option "histroy" (did you mean "history"?)');
  });

  it("createCrm's nested autoAssociateByDomain object", async () => {
    const error = await expectCrmError(createCrm({ autoAssociateByDomain: { freeMailDomain: ['x.com'] } } as never), 'VALIDATION_ERROR');
    expect(unknownOption(error)).toMatchObject({ option: 'freeMailDomain', suggestion: 'freeMailDomains', path: ['options', 'autoAssociateByDomain'] });
  });

  const roast = { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' };
  it.each([
    ['defineProperty', (crm: Crm) => crm.schema.defineProperty('contacts', { ...roast, requird: true } as never), 'requird', 'required'],
    ['updateProperty', (crm: Crm) => crm.schema.updateProperty('contacts', 'firstname', { lable: 'First' } as never), 'lable', 'label'],
    ['defineGroup', (crm: Crm) => crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee', displayorder: 1 } as never), 'displayorder', 'displayOrder'],
    ['updateGroup', (crm: Crm) => crm.schema.updateGroup('contacts', 'contactinformation', { lable: 'Info' } as never), 'lable', 'label'],
    ['renameObject', (crm: Crm) => crm.schema.renameObject('companies', { singular: 'Account', plural: 'Accounts', plurals: 'Accounts' } as never), 'plurals', 'plural'],
    ['updateObject', (crm: Crm) => crm.schema.updateObject('companies', { dedupe: false } as never), 'dedupe', 'dedup'],
    ['defineAssociation', (crm: Crm) => crm.schema.defineAssociation('deals', 'tickets', { limits: 2 } as never), 'limits', 'limit'],
    ['createLabel', (crm: Crm) => crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', inverselabel: 'Championed' } as never), 'inverselabel', 'inverseLabel'],
    ['updateLabel', (crm: Crm) => crm.associations.updateLabel('deals', 'contacts', 'decision_maker', { limt: 'one' } as never), 'limt', 'limit'],
  ])('%s', async (_name, run, typo, meant) => {
    const w = await world();
    const before = w.snapshot();
    const error = await expectCrmError(run(w.crm), 'VALIDATION_ERROR');
    expect(unknownOption(error)).toMatchObject({ option: typo, suggestion: meant });
    expect(error.message).toContain(`unknown key ${JSON.stringify(typo)}`);
    expect(error.message).toContain(`did you mean ${JSON.stringify(meant)}?`);
    expect(w.snapshot()).toBe(before);
  });

  it('a property inside defineObject, with its path', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(
      crm.schema.defineObject({ name: 'lots', labels: { singular: 'Lot', plural: 'Lots' }, properties: [{ ...roast, uniqe: true }] } as never),
      'VALIDATION_ERROR',
    );
    expect(unknownOption(error)).toMatchObject({ option: 'uniqe', suggestion: 'unique', path: ['properties', 0] });
    expect(error.message).toContain('unknown key "uniqe" in properties.0 (did you mean "unique"?)');
  });
});
