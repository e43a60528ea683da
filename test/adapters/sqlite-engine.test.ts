// The engine over SQLite: end-to-end calls on a file, and the same state after reopening it.
import { describe, expect, it } from 'vitest';
import { createCrm, type Crm } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { sqliteStorage } from 'crmkit/sqlite';
import { rejection, temporaryFiles } from './sqlite-shared.js';

const newFile = temporaryFiles('engine');
const open = (file: string, prefix = 'id-'): Promise<Crm> =>
  createCrm({ storage: sqliteStorage(file), ids: sequentialIds(prefix), clock: steppingClock() });

describe('the engine over sqlite', () => {
  it('creates, reads, updates, lists and archives records', async () => {
    const crm = await open(newFile());
    const ana = await crm.records.create('contacts', { email: 'Ana@Example.com', firstname: 'Ana' });
    await crm.records.createMany('contacts', [{ email: 'bo@example.com' }, { email: 'cy@example.com' }]);
    expect(await crm.records.get('contacts', ana.id)).toEqual(ana);
    expect((await crm.records.getBy('contacts', 'email', 'ana@example.com'))?.id).toBe(ana.id);
    const updated = await crm.records.update('contacts', ana.id, { firstname: 'Anna' });
    expect(updated.properties.firstname).toBe('Anna');
    const page = await crm.records.list('contacts', { limit: 2 });
    expect(page.results.map((record) => record.properties.email)).toEqual(['ana@example.com', 'bo@example.com']);
    const next = await crm.records.list('contacts', { limit: 2, after: page.paging!.next!.after });
    expect(next.results.map((record) => record.properties.email)).toEqual(['cy@example.com']);
    await crm.records.archive('contacts', ana.id);
    expect(await crm.records.get('contacts', ana.id)).toBeUndefined();
    expect((await crm.records.get('contacts', ana.id, { archived: true }))?.archived).toBe(true);
    expect((await crm.records.history('contacts', ana.id, 'firstname')).map((entry) => entry.value)).toEqual(['Anna', 'Ana']);
    await crm.close();
  });

  it('refuses a duplicate email and keeps nothing of a refused batch', async () => {
    const crm = await open(newFile());
    const ana = await crm.records.create('contacts', { email: 'ana@example.com' });
    const error = await rejection(crm.records.create('contacts', { email: 'ANA@example.com' }), 'DUPLICATE_RECORD');
    expect(error.code).toBe('DUPLICATE_RECORD');
    expect(error.details.existingId).toBe(ana.id);
    await rejection(crm.records.createMany('contacts', [{ email: 'new@example.com' }, { email: 'ana@example.com' }]));
    expect(await crm.records.getBy('contacts', 'email', 'new@example.com')).toBeUndefined();
    expect((await crm.records.list('contacts')).results).toHaveLength(1);
    await crm.close();
  });

  it('associates records, with a primary company, and removes associations', async () => {
    const crm = await open(newFile());
    const contact = await crm.records.create('contacts', { email: 'ana@acme.com' });
    const acme = await crm.records.create('companies', { domain: 'acme.com', name: 'Acme' });
    const globex = await crm.records.create('companies', { domain: 'globex.com', name: 'Globex' });
    await crm.associations.associate(contact, acme);
    await crm.associations.associate(contact, globex);
    let companies = await crm.associations.list(contact, 'companies');
    expect(companies.results.map((item) => [item.id, item.primary])).toEqual([
      [acme.id, true],
      [globex.id, false],
    ]);
    await crm.associations.setPrimary(contact, globex);
    companies = await crm.associations.list(contact, 'companies');
    expect(companies.results.find((item) => item.primary)?.id).toBe(globex.id);
    expect((await crm.associations.list(acme, 'contacts')).results.map((item) => item.id)).toEqual([contact.id]);
    await crm.associations.remove(contact, acme);
    expect((await crm.associations.list(contact, 'companies')).total).toBe(1);
    expect((await crm.associations.history(contact)).map((entry) => entry.action)).toContain('removed');
    await crm.close();
  });

  it('rolls a failed crm.transaction back entirely', async () => {
    const crm = await open(newFile());
    const acme = await crm.records.create('companies', { domain: 'acme.com' });
    const failure = new Error('stop');
    await expect(
      crm.transaction(async (tx) => {
        const contact = await tx.records.create('contacts', { email: 'ana@acme.com' });
        await tx.associations.associate(contact, acme);
        await tx.records.update('companies', acme.id, { name: 'Changed' });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await crm.records.list('contacts')).results).toEqual([]);
    expect((await crm.records.get('companies', acme.id))?.properties.name ?? null).toBeNull();
    expect((await crm.associations.list(acme, 'contacts')).total).toBe(0);
    // A failed call caught inside the transaction is undone by itself; the rest commits.
    await crm.transaction(async (tx) => {
      await tx.records.create('contacts', { email: 'kept@acme.com' });
      await expect(tx.records.create('contacts', { email: 'kept@acme.com' })).rejects.toThrow();
    });
    expect((await crm.records.list('contacts')).results.map((record) => record.properties.email)).toEqual(['kept@acme.com']);
    await crm.close();
  });

  it('reopening the file gives the same records, schema, associations and history', async () => {
    const file = newFile();
    const crm = await open(file);
    await crm.schema.defineProperty('contacts', { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' });
    await crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing contact' });
    const contact = await crm.records.create('contacts', { email: 'ana@acme.com', favorite_roast: 'dark' });
    const acme = await crm.records.create('companies', { domain: 'acme.com', name: 'Acme' });
    await crm.associations.associate(contact, acme, ['billing_contact']);
    await crm.records.update('contacts', contact.id, { favorite_roast: 'light' });
    const before = {
      contact: await crm.records.get('contacts', contact.id),
      company: await crm.records.get('companies', acme.id),
      list: await crm.records.list('contacts'),
      associations: await crm.associations.list(contact, 'companies'),
      labels: crm.associations.labels('contacts', 'companies'),
      property: crm.schema.property('contacts', 'favorite_roast'),
      history: await crm.records.history('contacts', contact.id, 'favorite_roast'),
      associationHistory: await crm.associations.history(contact),
    };
    await crm.close();

    const again = await open(file, 'later-');
    expect({
      contact: await again.records.get('contacts', contact.id),
      company: await again.records.get('companies', acme.id),
      list: await again.records.list('contacts'),
      associations: await again.associations.list(contact, 'companies'),
      labels: again.associations.labels('contacts', 'companies'),
      property: again.schema.property('contacts', 'favorite_roast'),
      history: await again.records.history('contacts', contact.id, 'favorite_roast'),
      associationHistory: await again.associations.history(contact),
    }).toEqual(before);
    expect(before.associations.results[0]!.labels).toContain('billing_contact');
    // Keys came back too: the email is still taken.
    expect((await rejection(again.records.create('contacts', { email: 'ana@acme.com' }))).code).toBe('DUPLICATE_RECORD');
    await again.close();
  });

  it('two Crm instances on one file see each other’s schema changes', async () => {
    const file = newFile();
    const first = await open(file, 'a-');
    const second = await open(file, 'b-');
    await first.schema.defineProperty('contacts', { name: 'roast', label: 'Roast', type: 'string', fieldType: 'text' });
    const made = await second.records.create('contacts', { email: 'x@y.com', roast: 'dark' });
    expect((await first.records.get('contacts', made.id))?.properties.roast).toBe('dark');
    await first.close();
    await second.close();
  });
});
