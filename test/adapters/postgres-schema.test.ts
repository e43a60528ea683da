// The PostgreSQL adapter's schema migrations and its page cursors, on PGlite. A database written
// at version 1 (before the partial scan indexes and the keyset index of association pages) or 4
// (before the list table) is migrated in place on first use and keeps every row; a page cursor
// works only for the record, type and label filter it was made for.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrm, isCrmError, type Crm, type CrmError } from 'crmkit';
import { postgresStorage, SCHEMA_VERSION } from 'crmkit/postgres';
import { singleConnectionDriver } from '../../src/adapters/postgres/driver.js';
import { migrate } from '../../src/adapters/postgres/schema.js';
import { freshTenant } from './postgres-shared.js';

const TABLES = ['crmkit_records', 'crmkit_keys', 'crmkit_edges', 'crmkit_history', 'crmkit_edge_history', 'crmkit_meta'];

const db = new PGlite();
afterAll(async () => db.close());

/** Everything a CRM shows of its contents: records by type, keys, association pages, history. */
async function contents(crm: Crm, companyId: string) {
  const contacts = (await crm.records.list('contacts', { limit: 100 })).results;
  const pages: string[][] = [];
  let after: string | undefined;
  let total = 0;
  do {
    const page = await crm.associations.list({ objectType: 'companies', id: companyId }, 'contacts', { limit: 2, ...(after ? { after } : {}) });
    pages.push(page.results.map((item) => item.id));
    total = page.total;
    after = page.paging?.next?.after;
  } while (after);
  return {
    contacts,
    companies: (await crm.records.list('companies', { limit: 100 })).results,
    byEmail: (await crm.records.getBy('contacts', 'email', 'c3@x.com'))?.id,
    pages,
    total,
    history: await crm.records.history('contacts', contacts[0]!.id, 'firstname'),
    associationHistory: (await crm.associations.history({ objectType: 'companies', id: companyId })).length,
  };
}

describe('postgres schema migrations', () => {
  for (const version of [1, 4] as const) {
    it(`a database written at version ${version} migrates on first use, keeps every record, key, association and history entry, and keeps static lists`, async () => {
      // The same contents written by the engine at the current version, then copied row for row
      // (seq included) into tables made by the version's migrations, in a schema of their own.
      const tenant = freshTenant(`v${version}`);
      const schema = `v${version}`;
      const crm = await createCrm({ storage: postgresStorage({ client: db, tenant }) });
      const contacts = await crm.records.createMany('contacts', Array.from({ length: 5 }, (_, n) => ({ email: `c${n}@x.com`, firstname: `C${n}` })));
      const company = await crm.records.create('companies', { domain: 'acme.com' });
      for (const contact of contacts) await crm.associations.associate(contact, company);
      await crm.records.update('contacts', contacts[0]!.id, { firstname: 'Changed' });
      await crm.associations.remove(contacts[2]!, company);
      await crm.records.archive('contacts', contacts[4]!.id);
      const before = await contents(crm, company.id);

      await db.exec(`CREATE SCHEMA ${schema}`);
      await db.exec(`SET search_path TO ${schema}`);
      const session = await singleConnectionDriver(db).acquire();
      try {
        await migrate(session, version);
      } finally {
        session.release();
      }
      expect((await db.query<{ version: number }>(`SELECT version FROM ${schema}.crmkit_schema`)).rows).toEqual([{ version }]);
      const oldIndexes = (await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = '${schema}' ORDER BY indexname`)).rows.map((row) => row.indexname);
      if (version === 1) {
        expect(oldIndexes).toEqual(expect.arrayContaining(['crmkit_edges_from', 'crmkit_edges_to', 'crmkit_edges_scan', 'crmkit_records_scan']));
        expect(oldIndexes).not.toContain('crmkit_edges_page');
      }
      expect(oldIndexes).not.toContain('crmkit_list_members_record');
      for (const table of TABLES) {
        await db.query(`INSERT INTO ${schema}.${table} OVERRIDING SYSTEM VALUE SELECT * FROM public.${table} WHERE tenant = $1`, [tenant]);
        // As in a database that wrote those rows itself: its sequences are past them.
        if (table !== 'crmkit_keys' && table !== 'crmkit_meta') {
          await db.query(`SELECT setval(pg_get_serial_sequence('${schema}.${table}', 'seq'), (SELECT max(seq) FROM ${schema}.${table}))`);
        }
      }

      const storage = postgresStorage({ client: db, tenant });
      const migrated = await createCrm({ storage });
      await db.exec('SET search_path TO public');
      expect((await db.query<{ version: number }>(`SELECT version FROM ${schema}.crmkit_schema`)).rows).toEqual([{ version: SCHEMA_VERSION }]);
      const indexes = Object.fromEntries(
        (await db.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '${schema}'`)).rows.map((row) => [row.indexname, row.indexdef]),
      );
      expect(indexes.crmkit_edges_from).toBeUndefined();
      expect(indexes.crmkit_edges_to).toBeUndefined();
      expect(indexes.crmkit_records_scan).toMatch(/WHERE \(seq > 0\)/);
      expect(indexes.crmkit_edges_scan).toMatch(/WHERE \(seq > 0\)/);
      expect(indexes.crmkit_edges_page).toMatch(/\(tenant, from_type, from_id, to_type, created_at, seq\) WHERE \(NOT archived\)/);
      // Version 5: the list table, keyed by list, and indexed by record.
      expect(indexes.crmkit_list_members_pkey).toMatch(/\(tenant, object_type, list_id, record_id\)/);
      expect(indexes.crmkit_list_members_record).toMatch(/\(tenant, object_type, record_id, list_id\) WHERE \(record_id IS NOT NULL\)/);

      await db.exec(`SET search_path TO ${schema}`);
      try {
        const after = await contents(migrated, company.id);
        expect(after).toEqual(before);
        expect(after.total).toBe(3);
        // And it goes on: the seq of new rows continues after the copied ones.
        const late = await migrated.records.create('contacts', { email: 'late@x.com' });
        await migrated.associations.associate(late, company);
        const pages = await contents(migrated, company.id);
        expect(pages.pages.flat().at(-1)).toBe(late.id);
        expect((await migrated.records.list('contacts', { limit: 100 })).results.at(-1)?.id).toBe(late.id);
        // Static lists work, and purging a member leaves no row of it.
        await storage.transaction('write', async (tx) => tx.addToList!('L1', 'contacts', [late.id, contacts[0]!.id]));
        expect(await storage.transaction('read', async (tx) => tx.listsOf!('contacts', [late.id, contacts[1]!.id]))).toEqual([['L1'], []]);
        await migrated.records.purge('contacts', late.id);
        expect((await db.query<{ record_id: string }>(`SELECT record_id FROM ${schema}.crmkit_list_members WHERE tenant = $1`, [tenant])).rows).toEqual([{ record_id: contacts[0]!.id }]);
      } finally {
        await db.exec('SET search_path TO public');
      }
    });
  }
});

describe('postgres association page cursors', () => {
  /** A company with three contacts, one labelled; answers a page cursor of it. */
  const setup = async () => {
    const tenant = freshTenant('pages');
    const storage = postgresStorage({ client: db, tenant });
    const crm = await createCrm({ storage });
    const company = await crm.records.create('companies', { domain: 'pages.com' });
    const contacts = await crm.records.createMany('contacts', [{ email: 'a@p.com' }, { email: 'b@p.com' }, { email: 'c@p.com' }]);
    for (const contact of contacts) await crm.associations.associate(company, contact);
    const first = await storage.transaction('read', async (tx) => tx.pageEdges('companies', company.id, { toType: 'contacts', limit: 1 }));
    return { tenant, storage, company, contacts, first };
  };

  const refusal = async (promise: Promise<unknown>): Promise<string | undefined> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isCrmError(error, 'VALIDATION_ERROR'), String(error)).toBe(true);
    return (error as CrmError<'VALIDATION_ERROR'>).details.issues[0]?.code;
  };

  it('a page cursor works for its record, type and label filter only; another record’s, tenant’s, filter’s or a tampered one is INVALID_CURSOR', async () => {
    const { tenant, storage, company, contacts, first } = await setup();
    const next = await storage.transaction('read', async (tx) => tx.pageEdges('companies', company.id, { toType: 'contacts', limit: 5, after: first.after! }));
    expect(next.edges.map((edge) => edge.toId)).toEqual([contacts[1]!.id, contacts[2]!.id]);
    const page = (request: { id?: string; toType?: string; labels?: string[]; after: string }, on = storage) =>
      on.transaction('read', async (tx) => tx.pageEdges('companies', request.id ?? company.id, { toType: request.toType ?? 'contacts', limit: 5, after: request.after, ...(request.labels ? { labels: request.labels } : {}) }));
    expect(await refusal(page({ id: contacts[0]!.id, after: first.after! }))).toBe('INVALID_CURSOR');
    expect(await refusal(page({ toType: 'deals', after: first.after! }))).toBe('INVALID_CURSOR');
    expect(await refusal(page({ labels: ['primary'], after: first.after! }))).toBe('INVALID_CURSOR');
    expect(await refusal(page({ after: first.after! }, postgresStorage({ client: db, tenant: `${tenant}-other` })))).toBe('INVALID_CURSOR');
    // Any one character changed, in the position or in the tag.
    const token = first.after!;
    for (let at = 0; at < token.length; at++) {
      const tampered = `${token.slice(0, at)}${token[at] === 'a' ? 'b' : 'a'}${token.slice(at + 1)}`;
      expect(await refusal(page({ after: tampered })), tampered).toBe('INVALID_CURSOR');
    }
    // A scan cursor is not a page cursor.
    const scan = await storage.transaction('read', async (tx) => tx.scanRecords('contacts', { limit: 1 }));
    expect(await refusal(page({ after: scan.after! }))).toBe('INVALID_CURSOR');
    for (const garbage of ['', 'pg1.', `${first.after}=`, "'; DROP TABLE crmkit_edges; --"]) expect(await refusal(page({ after: garbage }))).toBe('INVALID_CURSOR');
  });

  it('positions keep microseconds: edges stored a microsecond apart page in order, each once', async () => {
    const { storage, company } = await setup();
    // Written directly: the engine writes milliseconds, but a row may hold any timestamptz.
    const ids = ['m1', 'm2', 'm3', 'm4'];
    await db.query(
      `INSERT INTO crmkit_edges (tenant, from_type, from_id, to_type, to_id, labels, inverse_labels, created_at, archived)
       SELECT $1, 'companies', $2, 'deals', 'm' || g, '[]', '[]', timestamptz '2030-05-06 07:08:09.123456Z' + (4 - g) * interval '1 microsecond', false
       FROM generate_series(1, 4) AS g`,
      [storage.tenant, company.id],
    );
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await storage.transaction('read', async (tx) => tx.pageEdges('companies', company.id, { toType: 'deals', limit: 1, ...(after ? { after } : {}) }));
      seen.push(...page.edges.map((edge) => edge.toId));
      after = page.after;
      expect(seen.length, 'pages end').toBeLessThanOrEqual(ids.length);
    } while (after);
    expect(seen).toEqual([...ids].reverse());
  });
});
