// The engine end to end over the PostgreSQL adapter on PGlite, and tenant isolation
// (test/adapters/postgres-shared.ts): one PGlite for the file, one tenant per test.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrm, isCrmError, type CrmError } from 'crmkit';
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
    // Version 4: no column statistics on the JSON columns, which no plan reads.
    const targets = await db.query<{ attname: string; target: number }>(
      `SELECT attname, attstattarget::int AS target FROM pg_attribute WHERE attrelid IN ('crmkit_records'::regclass, 'crmkit_edges'::regclass) AND attname IN ('properties', 'labels', 'inverse_labels') ORDER BY attname`,
    );
    expect(targets.rows).toEqual([{ attname: 'inverse_labels', target: 0 }, { attname: 'labels', target: 0 }, { attname: 'properties', target: 0 }]);
  });

  it("a lost connection is a STORAGE_ERROR with outcome 'rolled_back' (it failed before COMMIT), and nothing of the call remains", async () => {
    const lost = new PGlite();
    const storage = postgresStorage({ client: lost });
    const crm = await createCrm({ storage });
    await crm.records.create('contacts', { email: 'before@x.com' });
    await lost.close();
    const error = await crm.records.create('contacts', { email: 'after@x.com' }).catch((caught: unknown) => caught);
    expect(isCrmError(error, 'STORAGE_ERROR')).toBe(true);
    expect((error as CrmError<'STORAGE_ERROR'>).details.outcome).toBe('rolled_back');
  });

  it('validates its options', () => {
    expect(() => postgresStorage({})).toThrow(/exactly one/);
    expect(() => postgresStorage({ client: db, tenant: '' })).toThrow(/tenant/);
    expect(() => postgresStorage({ client: db, maintenance: 'yes' as unknown as boolean })).toThrow(/maintenance must be true or false/);
  });

  it('reads stored times alike whether the client parses timestamptz into a Date (the default) or keeps its text', async () => {
    const texts = new PGlite({ parsers: { 1184: (text: string) => text } });
    try {
      const counter = () => {
        let n = 0;
        return () => `id${++n}`;
      };
      const read = async (client: PGlite) => {
        const crm = await createCrm({ storage: postgresStorage({ client, tenant: freshTenant('times') }), clock: () => new Date('2026-02-03T04:05:06.070Z'), ids: counter() });
        const made = await crm.records.create('contacts', { email: 'time@x.com' });
        const company = await crm.records.create('companies', { domain: 'x.com' });
        await crm.associations.associate({ objectType: 'contacts', id: made.id }, { objectType: 'companies', id: company.id });
        await crm.records.archive('contacts', made.id);
        return {
          record: await crm.records.get('contacts', made.id, { archived: true }),
          history: await crm.records.history('contacts', made.id, 'email'),
          edges: await crm.associations.list({ objectType: 'contacts', id: made.id }, 'companies'),
          associationHistory: await crm.associations.history({ objectType: 'contacts', id: made.id }),
        };
      };
      const parsed = await read(db);
      expect(parsed.record).toMatchObject({ createdAt: '2026-02-03T04:05:06.070Z', archivedAt: '2026-02-03T04:05:06.070Z' });
      expect(await read(texts)).toEqual(parsed);
    } finally {
      await texts.close();
    }
  });

  it('on PGlite, which runs no autovacuum, the storage vacuums and analyses its own tables once enough rows are written; maintenance: false leaves that to the user', async () => {
    const contacts = (from: number, count: number) => Array.from({ length: count }, (_, n) => ({ email: `m${from + n}@x.com` }));
    // Statistics exist once a table is analysed: PostgreSQL's reltuples is -1 until then.
    const analysed = async (client: PGlite): Promise<number> =>
      (await client.query<{ rows: number }>(`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'crmkit_records'::regclass`)).rows[0]!.rows;
    const own = new PGlite();
    const left = new PGlite();
    try {
      const storage = postgresStorage({ client: own });
      const crm = await createCrm({ storage });
      await crm.records.createMany('contacts', contacts(0, 1200));
      expect(storage.stats.maintenance).toBe(0);
      expect(await analysed(own)).toBe(-1);
      // Past the first 2,000 rows of records written.
      await crm.records.createMany('contacts', contacts(1200, 1000));
      expect(storage.stats.maintenance).toBe(1);
      expect(await analysed(own)).toBe(2200);
      // The next is due after 2,000 + a fifth of the rows (2,440).
      await crm.records.createMany('contacts', contacts(2200, 2000));
      expect(storage.stats.maintenance).toBe(1);
      await crm.records.createMany('contacts', contacts(4200, 500));
      expect(storage.stats.maintenance).toBe(2);
      expect(await analysed(own)).toBe(4700);
      // The session's statistics target is put back after the storage's ANALYZE.
      expect((await own.query<{ default_statistics_target: string }>('SHOW default_statistics_target')).rows[0]!.default_statistics_target).toBe('100');

      const unmaintained = postgresStorage({ client: left, maintenance: false });
      await (await createCrm({ storage: unmaintained })).records.createMany('contacts', contacts(0, 2200));
      expect(unmaintained.stats.maintenance).toBe(0);
      expect(await analysed(left)).toBe(-1);
    } finally {
      await own.close();
      await left.close();
    }
  });

  it('refuses, when the storage is made, a tenant name PostgreSQL would merge with another or cannot store (VALIDATION_ERROR naming the problem)', () => {
    const refusal = (tenant: unknown): CrmError<'VALIDATION_ERROR'> => {
      try {
        postgresStorage({ client: db, tenant: tenant as string });
      } catch (error) {
        expect(isCrmError(error, 'VALIDATION_ERROR')).toBe(true);
        return error as CrmError<'VALIDATION_ERROR'>;
      }
      throw new Error(`tenant ${JSON.stringify(tenant)} was accepted`);
    };
    // Lone surrogates reach the server as U+FFFD: 'x\ud800', 'x\udfff' and 'x\ufffd' would be one tenant.
    for (const tenant of ['x\ud800', 'x\udfff', '\udc00x', 'x\ud800\ud800']) expect(refusal(tenant).message).toMatch(/lone surrogate/);
    // PostgreSQL cannot store NUL: such a tenant used to fail at its first call.
    expect(refusal('a\u0000b').message).toMatch(/control characters/);
    expect(refusal('line\nbreak').message).toMatch(/control characters/);
    expect(refusal('x'.repeat(201)).message).toMatch(/1 to 200 characters/);
    expect(refusal(42).message).toMatch(/must be a string/);
    expect(refusal('x\ud800').details.issues).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', property: 'tenant' })]);
    // Well-formed names are kept exactly, astral characters included.
    expect(postgresStorage({ client: db, tenant: 'x\ud83d\ude00' }).tenant).toBe('x\ud83d\ude00');
  });

  it("'x\\ufffd' is a tenant of its own, sharing no rows with 'x'", async () => {
    const replacement = await createCrm({ storage: postgresStorage({ client: db, tenant: 'x\ufffd' }) });
    const plain = await createCrm({ storage: postgresStorage({ client: db, tenant: 'x' }) });
    const made = await replacement.records.create('contacts', { email: 'fffd@x.com' });
    expect((await replacement.records.get('contacts', made.id))?.id).toBe(made.id);
    expect(await plain.records.get('contacts', made.id)).toBeUndefined();
    expect(await plain.records.getBy('contacts', 'email', 'fffd@x.com')).toBeUndefined();
  });
});
