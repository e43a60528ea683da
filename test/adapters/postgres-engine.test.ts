// The engine end to end over the PostgreSQL adapter on PGlite, and tenant isolation
// (test/adapters/postgres-shared.ts): one PGlite for the file, one tenant per test.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrm } from 'crmkit';
import { postgresStorage, SCHEMA_VERSION } from 'crmkit/postgres';
import { codeOf, describeEngineOnPostgres, freshTenant } from './postgres-shared.js';

const db = new PGlite();
afterAll(async () => db.close());

describeEngineOnPostgres('PGlite', (tenant) => postgresStorage({ client: db, tenant }));

describe('postgres storage on PGlite: schema and faults', () => {
  it('refuses a database whose crmkit schema is newer than this code (STORAGE_ERROR)', async () => {
    const other = new PGlite();
    try {
      await createCrm({ storage: postgresStorage({ client: other }) });
      await other.query('UPDATE crmkit_schema SET version = 99');
      const error = await codeOf(createCrm({ storage: postgresStorage({ client: other }) }));
      expect(error).toBe('STORAGE_ERROR');
    } finally {
      await other.close();
    }
  });

  it('keeps its tables in a versioned schema: a second storage on the same database does not migrate again', async () => {
    await createCrm({ storage: postgresStorage({ client: db, tenant: freshTenant('v') }) });
    const { rows } = await db.query<{ version: number }>('SELECT version FROM crmkit_schema');
    expect(rows).toEqual([{ version: SCHEMA_VERSION }]);
  });

  it('a lost connection is a STORAGE_ERROR, and nothing of the call remains', async () => {
    const lost = new PGlite();
    const storage = postgresStorage({ client: lost });
    const crm = await createCrm({ storage });
    await crm.records.create('contacts', { email: 'before@x.com' });
    await lost.close();
    expect(await codeOf(crm.records.create('contacts', { email: 'after@x.com' }))).toBe('STORAGE_ERROR');
  });

  it('validates its options', () => {
    expect(() => postgresStorage({})).toThrow(/exactly one/);
    expect(() => postgresStorage({ client: db, tenant: '' })).toThrow(/tenant/);
  });
});
