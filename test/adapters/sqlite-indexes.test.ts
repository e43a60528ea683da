// When the search indexes of an object type are made on SQLite (schema/indexes.ts): at start
// for the types that hold records, with the first record for the others. SQLite checks every
// partial index on every row written, so indexes for empty types cost every write.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCrm } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';
import { temporaryFiles } from './sqlite-shared.js';

const file = temporaryFiles('indexes');

/** The object types that have search indexes in the file, and how many each. */
function indexedTypes(path: string): Map<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'crmkit_s_%'").all() as Array<{ sql: string }>;
    const types = new Map<string, number>();
    for (const { sql } of rows) {
      const type = /object_type = '([^']+)'/.exec(sql)?.[1] ?? '?';
      types.set(type, (types.get(type) ?? 0) + 1);
    }
    return types;
  } finally {
    db.close();
  }
}

describe('sqlite: search indexes follow the records', () => {
  it('an empty database gets none; a type gets its own with its first record, and keeps them across restarts', async () => {
    const path = file();
    const crm = await createCrm({ storage: sqliteStorage(path) });
    expect(indexedTypes(path).size).toBe(0);

    await crm.records.create('contacts', { email: 'ann@acme.com' });
    expect([...indexedTypes(path).keys()]).toEqual(['contacts']);
    // The create date (the default sort) and the dedup key.
    expect(indexedTypes(path).get('contacts')).toBe(2);
    const found = await crm.records.search('contacts', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ANN@acme.com' }] }] });
    expect(found.total).toBe(1);
    await crm.close();

    // A restart makes the indexes of every type with records (one dropped meanwhile comes back).
    const db = new Database(path);
    const [dropped] = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'crmkit_s_%'").pluck().all() as string[];
    db.exec(`DROP INDEX "${dropped}"`);
    db.close();
    const again = await createCrm({ storage: sqliteStorage(path) });
    expect(indexedTypes(path).get('contacts')).toBe(2);
    await again.close();
  });

  it('a first record that rolls back leaves no index, and the next first record makes them', async () => {
    const path = file();
    const crm = await createCrm({ storage: sqliteStorage(path) });
    await crm
      .transaction(async (tx) => {
        await tx.records.create('companies', { domain: 'acme.com', name: 'Acme' });
        throw new Error('changed my mind');
      })
      .catch(() => undefined);
    expect(indexedTypes(path).has('companies')).toBe(false);
    await crm.records.create('companies', { domain: 'acme.com', name: 'Acme' });
    expect(indexedTypes(path).get('companies')).toBe(2);
    await crm.close();
  });

  it('defining an indexed property indexes it at once, with or without records', async () => {
    const path = file();
    const crm = await createCrm({ storage: sqliteStorage(path) });
    await crm.schema.defineProperty('deals', { name: 'region', label: 'Region', type: 'string', fieldType: 'text', indexed: true });
    expect(indexedTypes(path).get('deals')).toBe(2); // the create date and region
    await crm.close();
  });
  it('deleting a custom object type drops its indexes', async () => {
    const path = file();
    const crm = await createCrm({ storage: sqliteStorage(path) });
    await crm.schema.defineObject({
      name: 'roast_batches',
      labels: { singular: 'Roast batch', plural: 'Roast batches' },
      primaryDisplayProperty: 'batch_code',
      properties: [{ name: 'batch_code', label: 'Code', type: 'string', fieldType: 'text', unique: true }],
    });
    const batch = await crm.records.create('roast_batches', { batch_code: 'B1' });
    expect(indexedTypes(path).get('roast_batches')).toBeGreaterThan(0);
    await crm.records.purge('roast_batches', batch.id);
    await crm.schema.deleteObject('roast_batches');
    expect(indexedTypes(path).has('roast_batches')).toBe(false);
    await crm.close();
  });
});
