// Public arguments are parsed once, at the facade (docs/decisions/0011-arguments-at-the-facade.md):
// a malformed argument is refused before anything is looked up, with the same VALIDATION_ERROR
// whatever the rest of the call names, and the services take typed inputs, never `unknown`.
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Crm, CrmRecord } from 'crmkit';
import { parseRef } from '../../src/arguments/refs.js';
import { parsePairs } from '../../src/arguments/associations.js';
import { readCursor } from '../../src/arguments/paging.js';
import * as associationService from '../../src/associations/service.js';
import * as labelService from '../../src/associations/labels.js';
import * as mergeService from '../../src/records/merge.js';
import * as recordService from '../../src/records/service.js';
import * as schemaService from '../../src/schema/service.js';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

interface World {
  crm: Crm;
  snapshot: () => string;
  contact: CrmRecord;
  company: CrmRecord;
}

async function world(): Promise<World> {
  const { crm, storage } = await testCrm();
  const contact = await crm.records.create('contacts', { email: 'ana@acme.com' });
  const company = await crm.records.create('companies', { domain: 'acme.com' });
  await crm.associations.associate(contact, company);
  return { crm, snapshot: () => JSON.stringify(storage.snapshot()), contact, company };
}

/** Values that are not record ids: not strings, empty, too long, or text no storage keeps. */
const notAnId = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, 42, true, {}, [], '', 'x'.repeat(1_001), 'a\u0000b', '\uD800'),
  fc.integer(),
  fc.object(),
);

describe('an argument is parsed before anything is looked up', () => {
  // A reference whose id is not a string is not a reference (INVALID_ARGUMENT); a bare id that is not one is INVALID_ID.
  const idIssue = (id: unknown): string => (typeof id === 'string' ? 'INVALID_ID' : 'INVALID_ARGUMENT');
  const calls: Array<[string, (crm: Crm, objectType: string, id: unknown) => Promise<unknown>, (id: unknown) => string]> = [
    ['records.get', (crm, type, id) => crm.records.get(type, id as string), () => 'INVALID_ID'],
    ['records.update', (crm, type, id) => crm.records.update(type, id as string, { firstname: 'Jo' }), () => 'INVALID_ID'],
    ['records.archive', (crm, type, id) => crm.records.archive(type, id as string), () => 'INVALID_ID'],
    ['records.restore', (crm, type, id) => crm.records.restore(type, id as string), () => 'INVALID_ID'],
    ['records.purge', (crm, type, id) => crm.records.purge(type, id as string), () => 'INVALID_ID'],
    ['records.history', (crm, type, id) => crm.records.history(type, id as string, 'email'), () => 'INVALID_ID'],
    ['records.merge', (crm, type, id) => crm.records.merge(type, id as string, 'other'), () => 'INVALID_ID'],
    ['associations.list', (crm, type, id) => crm.associations.list({ objectType: type, id: id as string }, 'companies'), idIssue],
    ['timeline', (crm, type, id) => crm.timeline({ objectType: type, id: id as string }), idIssue],
  ];

  it.each(calls)('%s: a bad id is refused even when the object type does not exist', async (_name, call, expected) => {
    const w = await world();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('widgets', 'contacts'), notAnId, async (type, id) => {
        const before = w.snapshot();
        const error = await expectCrmError(call(w.crm, type, id), 'VALIDATION_ERROR');
        expect(issueCodes(error)).toEqual([expected(id)]);
        expect(w.snapshot()).toBe(before);
      }),
      { numRuns: 25 },
    );
  });

  it('a bad option value wins over an unknown object type too', async () => {
    const w = await world();
    const error = await expectCrmError(w.crm.records.create('widgets', {}, { source: { type: 'NOBODY' } } as never), 'VALIDATION_ERROR');
    expect(error.details.issues[0]).toMatchObject({ code: 'INVALID_ARGUMENT', path: ['options', 'source', 'type'] });
    // A good argument lets the lookup speak.
    await expectCrmError(w.crm.records.create('widgets', {}, { source: { type: 'USER' } }), 'UNKNOWN_OBJECT_TYPE');
  });

  it("a create's association target is read before the records are validated", async () => {
    const w = await world();
    const error = await expectCrmError(w.crm.records.create('contacts', { nope: 1 }, { associations: [{ to: 'acme' }] } as never), 'VALIDATION_ERROR');
    expect(error.details.issues).toMatchObject([{ code: 'INVALID_ARGUMENT', property: 'associations[0].to' }]);
  });
});

describe('flags are booleans', () => {
  it.each([
    ['records.get', (w: World, archived: unknown) => w.crm.records.get('contacts', w.contact.id, { archived } as never)],
    ['records.list', (w: World, archived: unknown) => w.crm.records.list('contacts', { archived } as never)],
    ['schema.properties', async (w: World, archived: unknown) => w.crm.schema.properties('contacts', { archived } as never)],
    ['schema.groups', async (w: World, archived: unknown) => w.crm.schema.groups('contacts', { archived } as never)],
  ])('%s refuses an archived flag that is not a boolean (it was read as truthy or ignored)', async (_name, call) => {
    const w = await world();
    for (const archived of ['yes', 1, 0, null, {}]) {
      const error = await expectCrmError(call(w, archived), 'VALIDATION_ERROR');
      expect(error.details.issues).toMatchObject([{ code: 'INVALID_ARGUMENT', path: ['options', 'archived'] }]);
    }
    await expect(call(w, true)).resolves.toBeDefined();
  });
});

describe('record references', () => {
  it('parseRef keeps exactly the object type and id of a record or a reference', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.object(), (objectType, id, extra) => {
        expect(parseRef({ ...extra, objectType, id }, 'a')).toEqual({ objectType, id });
      }),
    );
  });

  it('parseRef refuses anything else, naming the argument', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.record({ objectType: fc.integer(), id: fc.string() })), (value) => {
        let caught: unknown;
        try {
          parseRef(value, 'company');
        } catch (error) {
          caught = error;
        }
        expect(caught).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ code: 'INVALID_ARGUMENT', property: 'company' }] } });
      }),
    );
  });

  it("a batch's reference error names its pair, by index and in the message", () => {
    const ref = { objectType: 'contacts', id: 'c1' };
    let caught: unknown;
    try {
      parsePairs('associations.associateMany', [{ from: ref, to: ref }, { from: ref, to: 5 }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'VALIDATION_ERROR', message: 'pairs[1].to must be a record or { objectType, id }, got 5', details: { index: 1 } });
  });

  it('removeMany ignores labels (it removes the whole association), associateMany reads them', () => {
    const ref = { objectType: 'contacts', id: 'c1' };
    expect(parsePairs('associations.removeMany', [{ from: ref, to: ref, labels: 'x' }])).toEqual([{ from: ref, to: ref, labels: undefined }]);
    expect(() => parsePairs('associations.associateMany', [{ from: ref, to: ref, labels: 'x' }])).toThrow('pairs[0]: labels must be an array of label names');
  });
});

describe('cursors', () => {
  it('readCursor passes any string crmkit could have made and refuses everything else as INVALID_CURSOR', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 5_000 }), fc.integer(), fc.constant(null), fc.object()), (after) => {
        const shaped = typeof after === 'string' && after.length > 0 && after.length <= 4_096;
        if (shaped) expect(readCursor(after)).toBe(after);
        else expect(() => readCursor(after)).toThrow(expect.objectContaining({ details: expect.objectContaining({ issues: [expect.objectContaining({ code: 'INVALID_CURSOR' })] }) }));
      }),
    );
    expect(readCursor(undefined)).toBeUndefined();
  });
});

/** The positions of a function's parameters typed `unknown` (or `any`): none, once the facade parses. */
type UntypedParameters<F extends (...args: any[]) => unknown> = {
  [K in keyof Parameters<F>]: unknown extends Parameters<F>[K] ? K : never;
}[number];

describe('services take typed inputs', () => {
  it('no parameter of a service call is unknown', () => {
    expectTypeOf<UntypedParameters<typeof recordService.createRecords>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.getRecord>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.getRecordBy>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.listRecords>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.propertyHistory>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.updateRecord>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.upsertRecord>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.archiveRecord>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.restoreRecord>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.purgeRecord>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof recordService.updateObject>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof mergeService.mergeRecords>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.associate>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.associateMany>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.removeMany>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.removeLabels>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.remove>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.setPrimary>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.listAssociations>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.listManyAssociations>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.associationHistory>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof associationService.timeline>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof labelService.createLabel>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof labelService.updateLabel>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof labelService.deleteLabel>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof labelService.labelUsage>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof labelService.labelsOf>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof labelService.defineAssociation>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.defineObject>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.renameObjectType>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.updateObjectType>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.defineProperty>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.updateProperty>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.defineGroup>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.updateGroup>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.archiveGroupOf>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.listGroups>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.listProperties>>().toBeNever();
    expectTypeOf<UntypedParameters<typeof schemaService.propertyOf>>().toBeNever();
  });
});
