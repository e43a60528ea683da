// The engine over SQLite beyond the conformance suite (which test/adapters/sqlite.test.ts runs on
// :memory: and on a file): the same state after reopening a file, and two storages on one file.
import { describe, expect, it } from 'vitest';
import { createCrm, type Crm } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { sqliteStorage } from 'crmkit/sqlite';
import { rejection, temporaryFiles } from './sqlite-shared.js';

const newFile = temporaryFiles('engine');
const open = (file: string, prefix = 'id-'): Promise<Crm> =>
  createCrm({ storage: sqliteStorage(file), ids: sequentialIds(prefix), clock: steppingClock() });

describe('the engine over sqlite', () => {
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
