// One rule for every internal name (issue 8: label names `__proto__`, `constructor` and
// `prototype` were accepted though the same names were refused for properties). Property,
// object type, group and label names all go through nameIssue (src/schema/names.ts); any name it
// accepts works as a plain object key without reaching into a prototype.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm, MemoryStorage, type Crm } from 'crmkit';
import { isInternalName, nameIssue } from '../../src/schema/names.js';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { expectCrmError, testCrm } from '../helpers.js';

const RESERVED = ['__proto__', 'constructor', 'prototype'];

describe('label names follow the rule of every internal name', () => {
  it.each(RESERVED)('refuses the label name %j, as for properties, object types and groups', async (name) => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    const label = await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Odd', name }), 'VALIDATION_ERROR');
    expect(label.details.issues![0]).toMatchObject({ property: 'name' });
    expect(['RESERVED_NAME', 'INVALID_LABEL']).toContain(label.details.issues![0]!.code);
    expect(label.message).toContain(JSON.stringify(name));
    const property = await expectCrmError(crm.schema.defineProperty('contacts', { name, label: 'Odd', type: 'string', fieldType: 'text' }), 'VALIDATION_ERROR');
    expect(['RESERVED_NAME', 'INVALID_NAME']).toContain(property.details.issues![0]!.code);
    await expectCrmError(crm.schema.defineGroup('contacts', { name, label: 'Odd' }), 'VALIDATION_ERROR');
    await expectCrmError(
      crm.schema.defineObject({ name, labels: { singular: 'Odd', plural: 'Odds' }, properties: [{ name: 'title', label: 'Title', type: 'string', fieldType: 'text' }] }),
      'VALIDATION_ERROR',
    );
    expect(JSON.stringify(storage.snapshot())).toBe(before);
  });

  it('refuses a reserved name derived from a display label, saying it was derived and that a name can be given', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Constructor' }), 'VALIDATION_ERROR');
    expect(error.details.issues![0]).toMatchObject({ code: 'RESERVED_NAME', property: 'name' });
    expect(error.message).toContain('derived from "label Constructor"');
    expect(error.message).toContain('give the label a name');
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Constructor', name: 'builder' });
  });

  it('a label name starts with a letter, like every internal name; a derived one says how to fix it', async () => {
    const { crm } = await testCrm();
    const given = await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Second buyer', name: '2nd_buyer' }), 'VALIDATION_ERROR');
    expect(given.details.issues![0]).toMatchObject({ code: 'INVALID_LABEL', property: 'name' });
    const derived = await expectCrmError(crm.associations.createLabel({ from: 'deals', to: 'contacts', label: '2nd buyer' }), 'VALIDATION_ERROR');
    expect(derived.message).toContain('"2nd_buyer" is not a valid label name');
    expect(derived.message).toContain('give the label a name');
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: '2nd buyer', name: 'second_buyer' });
    expect(label.name).toBe('second_buyer');
  });

  it("a 100-character display label still derives a name (cut to the rule's 99 characters)", async () => {
    const { crm } = await testCrm();
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'y'.repeat(100) });
    expect(label.name).toBe('y'.repeat(99));
  });
});

describe('the rule', () => {
  /** Names people try, names that reach prototypes, and anything at all. */
  const anyName = fc.oneof(
    fc.constantFrom(...RESERVED, 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'a', '_a', '1a', 'A', 'x'.repeat(99), 'x'.repeat(100)),
    fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/),
    fc.string({ maxLength: 12 }),
  );

  it('any name it accepts is a plain own key of an object: no prototype is read, set or shadowed (property)', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        if (!isInternalName(name)) return;
        const object: Record<string, unknown> = {};
        expect(name in object, `${name} is inherited by every object`).toBe(false);
        object[name] = 1;
        expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
        expect(Object.keys(object)).toEqual([name]);
        expect(JSON.parse(JSON.stringify(object))).toEqual({ [name]: 1 });
        expect(({} as Record<string, unknown>)[name]).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts lowercase letters, digits and _ from a letter, under 100 characters, except the reserved names', () => {
    for (const name of ['a', 'decision_maker', 'x2', 'z'.repeat(99)]) expect(isInternalName(name)).toBe(true);
    for (const name of [...RESERVED, '', '_a', '1a', 'A', 'a-b', 'a b', 'z'.repeat(100)]) expect(isInternalName(name)).toBe(false);
    expect(nameIssue('constructor', 'label')).toMatchObject({ code: 'RESERVED_NAME' });
  });

  it('properties, object types, groups and labels accept and refuse the same names (property)', async () => {
    const crm: Crm = await createCrm({ storage: new MemoryStorage(), ids: sequentialIds(), clock: steppingClock(), labelLimit: 1_000 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(anyName, async (name) => {
        // hs_ is reserved for HubSpot's properties only: a rule of properties, not of names.
        fc.pre(!name.startsWith('hs_'));
        const calls = [
          () => crm.schema.defineProperty('contacts', { name, label: `Property ${++n}`, type: 'string', fieldType: 'text' }),
          () => crm.schema.defineGroup('contacts', { name, label: `Group ${++n}` }),
          () =>
            crm.schema.defineObject({
              name,
              labels: { singular: `Thing ${++n}`, plural: `Things ${n}` },
              properties: [{ name: 'title', label: 'Title', type: 'string', fieldType: 'text' }],
            }),
          () => crm.associations.createLabel({ from: 'deals', to: 'contacts', label: `Label ${++n}`, name }),
        ];
        for (const call of calls) {
          const outcome = await call().then(
            () => 'accepted',
            (error: { code?: string; details?: { issues?: Array<{ code: string; path?: unknown[]; property?: string }> } }) => {
              const issue = error.details?.issues?.[0];
              const aboutName = error.code === 'VALIDATION_ERROR' && ['INVALID_NAME', 'RESERVED_NAME', 'INVALID_LABEL'].includes(issue?.code ?? '');
              // Any other refusal (a name another type or property already has) is not the rule's.
              return aboutName ? 'refused' : 'accepted';
            },
          );
          expect(outcome, `${JSON.stringify(name)}`).toBe(isInternalName(name) ? 'accepted' : 'refused');
        }
      }),
      { numRuns: 150 },
    );
  });
});
