// A merge's values (src/records/merge.ts `mergedProperties`), over any two records: the
// survivor's values win, the merged record's fill the survivor's gaps, calculated and system
// properties are never copied, every email (domain) of both records is kept once — the survivor's
// main one, the others as additional ones — and merged ids accumulate. test/associations/merge.test.ts
// and the conformance suite's merge topic show a merge through the public call.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergedProperties } from '../../src/records/merge.js';
import { SchemaState } from '../../src/schema/model.js';
import type { StoredRecord } from '../../src/storage/types.js';
import type { Properties } from '../../src/types.js';

const schema = SchemaState.load(0, undefined);
const contacts = schema.object('contacts');
const companies = schema.object('companies');
// A copy of contacts whose job title was archived: an archived property's value is not carried over.
const withArchivedJobTitle = schema
  .withObject({ ...contacts.doc, properties: contacts.doc.properties.map((property) => (property.name === 'jobtitle' ? { ...property, archived: true } : property)) })
  .object('contacts');

const AT = '2026-01-01T00:00:00.000Z';
const record = (objectType: string, id: string, properties: Properties): StoredRecord => ({ id, objectType, properties, createdAt: AT, updatedAt: AT, archived: false });

/** The survivor as merge writes it: its properties with the merge's changes on top. */
const survivorAfter = (primary: StoredRecord, merged: StoredRecord, model = contacts): Properties => ({ ...primary.properties, ...mergedProperties(model, primary, merged) });

const split = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? value.split(';') : []);

// ---------------------------------------------------------------- any two contacts

const ORDINARY = ['firstname', 'lastname', 'phone', 'city'];
const CALCULATED = ['num_associated_deals', 'hs_last_activity_date'];
const SYSTEM = ['hs_object_id', 'createdate', 'lastmodifieddate'];

/**
 * One side of a merge: a contact whose values are tagged with `side`, with any of the ordinary
 * properties, calculated and system values, a main email and additional ones (only with a main
 * one, as the engine stores them), and ids merged into it before. Emails and ids are the side's
 * own: two live records never share one.
 */
function contactArb(side: 'p' | 'm', id: string): fc.Arbitrary<StoredRecord> {
  const own = (prefix: string, count: number): fc.Arbitrary<string[]> => fc.uniqueArray(fc.integer({ min: 1, max: count }).map((n) => `${prefix}${side}${n}`), { maxLength: count });
  return fc
    .record({
      ordinary: fc.subarray(ORDINARY),
      calculated: fc.subarray(CALCULATED),
      emails: own('', 4).map((names) => names.map((name) => `${name}@acme.com`)),
      mergedIds: own('old-', 3),
      jobtitle: fc.boolean(),
    })
    .map(({ ordinary, calculated, emails, mergedIds, jobtitle }) => {
      const properties: Properties = { hs_object_id: id, createdate: AT, lastmodifieddate: AT };
      for (const name of ordinary) properties[name] = `${name} of ${side}`;
      for (const name of calculated) properties[name] = name.startsWith('num') ? 3 : '2026-02-01T00:00:00.000Z';
      if (jobtitle) properties.jobtitle = `jobtitle of ${side}`;
      const [email, ...additional] = emails;
      if (email !== undefined) properties.email = email;
      if (additional.length > 0) properties.hs_additional_emails = additional.join(';');
      if (mergedIds.length > 0) properties.hs_merged_object_ids = mergedIds.join(';');
      return record('contacts', id, properties);
    });
}

const pairArb = fc.tuple(contactArb('p', 'c1'), contactArb('m', 'c2'));

describe('mergedProperties over any two contacts', () => {
  it('the survivor keeps its values and takes the merged record’s only where it has none', () => {
    fc.assert(
      fc.property(pairArb, ([primary, merged]) => {
        const after = survivorAfter(primary, merged);
        for (const name of [...ORDINARY, 'jobtitle']) expect(after[name], name).toBe(primary.properties[name] ?? merged.properties[name]);
      }),
    );
  });

  it('never copies calculated or system values: the survivor’s stay (the engine recomputes the calculated ones)', () => {
    fc.assert(
      fc.property(pairArb, ([primary, merged]) => {
        const changes = mergedProperties(contacts, primary, merged);
        for (const name of [...CALCULATED, ...SYSTEM]) expect(Object.hasOwn(changes, name), name).toBe(false);
      }),
    );
  });

  it('keeps every email of both records exactly once: the survivor’s main one, the rest as additional ones', () => {
    fc.assert(
      fc.property(pairArb, ([primary, merged]) => {
        const before = [primary, merged].flatMap((side) => [side.properties.email, ...split(side.properties.hs_additional_emails)]).filter((email) => email !== undefined);
        const after = survivorAfter(primary, merged);
        const additional = split(after.hs_additional_emails);
        expect(after.email).toBe(primary.properties.email ?? merged.properties.email);
        expect(additional).not.toContain(after.email);
        expect(new Set(additional).size).toBe(additional.length);
        expect([after.email, ...additional].filter((email) => email !== undefined).sort()).toEqual([...before].sort());
        // The survivor's additional emails come first, in their order.
        const own = split(primary.properties.hs_additional_emails);
        expect(additional.slice(0, own.length)).toEqual(own);
      }),
    );
  });

  it('records the merged id and every id merged into either record, once each, the survivor’s first', () => {
    fc.assert(
      fc.property(pairArb, ([primary, merged]) => {
        const ids = split(survivorAfter(primary, merged).hs_merged_object_ids);
        const expected = [...split(primary.properties.hs_merged_object_ids), merged.id, ...split(merged.properties.hs_merged_object_ids)];
        expect(ids).toEqual(expected);
      }),
    );
  });
});

// ---------------------------------------------------------------- the cases people read

describe('mergedProperties examples', () => {
  it('a contact merged into one without a phone: the phone fills the gap, the email becomes an additional one', () => {
    const keep = record('contacts', 'c1', { hs_object_id: 'c1', email: 'ana@acme.com', firstname: 'Ana', num_associated_deals: 2 });
    const gone = record('contacts', 'c2', { hs_object_id: 'c2', email: 'ana.diaz@gmail.com', firstname: 'Anna', phone: '+44 20 7946 0000', num_associated_deals: 5 });
    expect(mergedProperties(contacts, keep, gone)).toEqual({ phone: '+44 20 7946 0000', hs_additional_emails: 'ana.diaz@gmail.com', hs_merged_object_ids: 'c2' });
  });

  it('a survivor with no email takes the merged email as its main one, not as an additional one', () => {
    const keep = record('contacts', 'c1', { firstname: 'Ana' });
    const gone = record('contacts', 'c2', { email: 'ana@acme.com', hs_additional_emails: 'ana@old.com' });
    expect(mergedProperties(contacts, keep, gone)).toEqual({ email: 'ana@acme.com', hs_additional_emails: 'ana@old.com', hs_merged_object_ids: 'c2' });
  });

  it('leaves the additional emails out of the changes when the merge adds none', () => {
    const keep = record('contacts', 'c1', { email: 'ana@acme.com', hs_additional_emails: 'ana@old.com' });
    const gone = record('contacts', 'c2', { firstname: 'Ana' });
    expect(mergedProperties(contacts, keep, gone)).toEqual({ firstname: 'Ana', hs_merged_object_ids: 'c2' });
  });

  it('companies: the merged domain and additional domains become the survivor’s additional domains, once each', () => {
    const keep = record('companies', 'k1', { name: 'Acme', domain: 'acme.com', hs_additional_domains: 'acme.io' });
    const gone = record('companies', 'k2', { name: 'ACME Ltd', domain: 'acme.co.uk', hs_additional_domains: 'acme.io;acme.com;acme.de', num_associated_contacts: 4 });
    expect(mergedProperties(companies, keep, gone)).toEqual({ hs_additional_domains: 'acme.io;acme.co.uk;acme.de', hs_merged_object_ids: 'k2' });
  });

  it('merged ids accumulate over successive merges', () => {
    const a = record('contacts', 'a', { firstname: 'A' });
    const b = record('contacts', 'b', { firstname: 'B' });
    const c = record('contacts', 'c', { firstname: 'C', hs_merged_object_ids: 'z' });
    const bAfter = record('contacts', 'b', survivorAfter(b, a));
    expect(bAfter.properties.hs_merged_object_ids).toBe('a');
    expect(survivorAfter(c, bAfter).hs_merged_object_ids).toBe('z;b;a');
    // An id both records list is listed once.
    const d = record('contacts', 'd', { hs_merged_object_ids: 'a;z' });
    expect(survivorAfter(c, d).hs_merged_object_ids).toBe('z;d;a');
  });

  it('does not carry over a value of an archived property, nor of one the object type does not have', () => {
    const keep = record('contacts', 'c1', { firstname: 'Ana' });
    const gone = record('contacts', 'c2', { jobtitle: 'Roaster', no_such_property: 'x', lastname: 'Díaz' });
    expect(mergedProperties(withArchivedJobTitle, keep, gone)).toEqual({ lastname: 'Díaz', hs_merged_object_ids: 'c2' });
    expect(mergedProperties(contacts, keep, gone)).toEqual({ jobtitle: 'Roaster', lastname: 'Díaz', hs_merged_object_ids: 'c2' });
  });
});
