// Dedup keys through the public API: emails, additional emails, domains and custom unique
// properties, refused duplicates that write nothing.
import { describe, expect, it } from 'vitest';
import { refused, everyRecord, view, type Engine } from './harness.js';

/**
 * Declares the engine's tests of dedup keys, on the storages `engine` makes.
 *
 * @example
 * describeKeys(engineHarness(() => memoryStorage()));
 */
export function describeKeys({ fresh, contact, company }: Engine): void {
  describe('records: dedup keys', () => {
    it('refuses a duplicate email in another case with DUPLICATE_RECORD naming the holder, and writes nothing', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com' });
      const before = await view(crm);
      const error = await refused(crm.records.create('contacts', { email: ' ANA@X.com', firstname: 'Copy' }), 'DUPLICATE_RECORD');
      expect(error.details.existingId).toBe(ana.id);
      expect(error.details.conflicts).toEqual([{ index: 0, property: 'email', value: 'ana@x.com', existingId: ana.id }]);
      expect(error.message).toContain('ana@x.com');
      expect(error.message).toContain(ana.id);
      expect(await view(crm)).toEqual(before);
    });

    it('treats additional emails as keys in the same namespace as emails, and getBy finds them', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com', hs_additional_emails: 'Ana@Home.org;ana.work@corp.com' });
      expect((await crm.records.getBy('contacts', 'email', 'Ana@Home.org'))?.id).toBe(ana.id);
      expect((await crm.records.getBy('contacts', 'hs_additional_emails', 'ANA.work@corp.com'))?.id).toBe(ana.id);
      const byEmail = await refused(crm.records.create('contacts', { email: 'ana@home.org' }), 'DUPLICATE_RECORD');
      expect(byEmail.details.existingId).toBe(ana.id);
      expect(byEmail.details.conflicts).toEqual([expect.objectContaining({ value: 'ana@home.org', existingId: ana.id })]);
      const byAdditional = await refused(crm.records.create('contacts', { email: 'bo@x.com', hs_additional_emails: 'bo@home.org;ANA@x.com' }), 'DUPLICATE_RECORD');
      expect(byAdditional.details.existingId).toBe(ana.id);
      expect(byAdditional.details.conflicts).toEqual([expect.objectContaining({ property: 'hs_additional_emails', value: 'ana@x.com', existingId: ana.id })]);
      expect(await crm.records.getBy('contacts', 'email', 'bo@x.com')).toBeUndefined();
    });

    it('createMany reports every conflicting input, with existing records and with each other, and creates nothing', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com' });
      const before = await view(crm);
      const error = await refused(
        crm.records.createMany('contacts', [
          { email: 'bo@x.com' },
          { email: 'ANA@x.com' },
          { email: 'cy@x.com' },
          { email: 'Bo@X.com' },
          { email: 'dee@x.com', hs_additional_emails: 'cy@x.com' },
          { email: 'eve@x.com' },
        ]),
        'DUPLICATE_RECORD',
      );
      expect(error.details.conflicts).toEqual([
        { index: 1, property: 'email', value: 'ana@x.com', existingId: ana.id },
        { index: 3, property: 'email', value: 'bo@x.com', conflictsWithIndex: 0 },
        { index: 4, property: 'hs_additional_emails', value: 'cy@x.com', conflictsWithIndex: 2 },
      ]);
      expect(error.details.existingId).toBe(ana.id);
      expect(error.message).toContain('3 inputs');
      expect(await view(crm)).toEqual(before);
      expect(await crm.records.getBy('contacts', 'email', 'eve@x.com')).toBeUndefined();
    });

    it("refuses a company whose normalised domain or additional domain is another company's", async () => {
      const crm = await fresh();
      const orange = await company(crm, { domain: 'orange.com', hs_additional_domains: 'orange.fr;orange.de' });
      expect((await refused(company(crm, { domain: 'ORANGE.COM.' }), 'DUPLICATE_RECORD')).details.existingId).toBe(orange.id);
      expect((await refused(company(crm, { domain: 'http://www.orange.fr/' }), 'DUPLICATE_RECORD')).details.existingId).toBe(orange.id);
      expect((await refused(company(crm, { domain: 'www.orange.de' }), 'DUPLICATE_RECORD')).details.existingId).toBe(orange.id);
      expect((await crm.records.getBy('companies', 'domain', 'orange.fr'))?.id).toBe(orange.id);
      expect(await everyRecord(crm, 'companies')).toHaveLength(1);
    });

    it('a custom unique property is a key: duplicates refused, getBy and upsert by it work', async () => {
      const crm = await fresh();
      await crm.schema.defineProperty('contacts', { name: 'customer_number', label: 'Customer number', type: 'string', fieldType: 'text', unique: true });
      const ana = await contact(crm, { customer_number: 'C-1' });
      const error = await refused(contact(crm, { firstname: 'Bo', customer_number: 'C-1' }), 'DUPLICATE_RECORD');
      expect(error.details).toMatchObject({ existingId: ana.id, conflicts: [{ index: 0, property: 'customer_number', value: 'C-1', existingId: ana.id }] });
      expect(error.message).toContain('customer_number');
      expect((await crm.records.getBy('contacts', 'customer_number', 'C-1'))?.id).toBe(ana.id);
      // The key is the exact value: another case is another value (a case-insensitive collation would break it).
      await contact(crm, { firstname: 'Cy', customer_number: 'c-1' });
      const again = await crm.records.upsert('contacts', { customer_number: 'C-1', lastname: 'Silva' }, { idProperty: 'customer_number' });
      expect(again).toMatchObject({ created: false, record: { id: ana.id, properties: { firstname: 'Ana', lastname: 'Silva' } } });
    });

    it('an update to a taken email is DUPLICATE_RECORD and changes nothing; changing an email frees the old one', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com' });
      const bo = await contact(crm, { email: 'bo@x.com', firstname: 'Bo' });
      const before = await view(crm);
      expect((await refused(crm.records.update('contacts', bo.id, { email: 'Ana@x.com', firstname: 'Bob' }), 'DUPLICATE_RECORD')).details.existingId).toBe(ana.id);
      expect(await view(crm)).toEqual(before);
      expect((await crm.records.getBy('contacts', 'email', 'bo@x.com'))?.id).toBe(bo.id);
      await refused(
        crm.records.update('contacts', bo.id, (draft) => {
          draft.hs_additional_emails = 'ana@x.com';
        }),
        'DUPLICATE_RECORD',
      );
      expect(await view(crm)).toEqual(before);
      await crm.records.update('contacts', ana.id, { email: 'ana@new.org' });
      const cy = await contact(crm, { email: 'ana@x.com', firstname: 'Cy' });
      expect((await crm.records.getBy('contacts', 'email', 'ana@x.com'))?.id).toBe(cy.id);
      expect((await crm.records.getBy('contacts', 'email', 'ana@new.org'))?.id).toBe(ana.id);
    });
  });
}
