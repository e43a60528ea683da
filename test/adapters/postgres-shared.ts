// Engine and tenant tests for the PostgreSQL adapter, declared once and run on PGlite
// (postgres.test.ts's sibling postgres-engine.test.ts) and on a real server
// (postgres-server.test.ts). `open(tenant)` answers a storage on one shared database.
import { describe, expect, it } from 'vitest';
import { createCrm, isCrmError, type Crm, type Storage } from 'crmkit';
import type { PostgresStorage } from 'crmkit/postgres';

/** The CrmError code a promise rejects with (fails the test if it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCrmError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a CrmError, but the call succeeded');
}

let unique = 0;
/** A tenant name no other test uses: an empty CRM on the shared database. */
export const freshTenant = (label: string): string => `${label}-${process.pid}-${Date.now()}-${++unique}`;

export function describeEngineOnPostgres(name: string, open: (tenant: string) => PostgresStorage): void {
  const crmOn = async (storage: Storage, labelLimit?: number): Promise<Crm> => createCrm({ storage, ...(labelLimit ? { labelLimit } : {}) });

  describe(`engine over postgres: ${name}`, () => {
    // Records, dedup, purge and transactions are the conformance suite's, which postgres.test.ts and
    // postgres-server.test.ts run on the same storages; these are what PostgreSQL adds.
    it('associates records, keeps one primary company, and lists from both ends', async () => {
      const crm = await crmOn(open(freshTenant('assoc')));
      const contact = await crm.records.create('contacts', { email: 'c@x.com' });
      const [a, b] = await crm.records.createMany('companies', [{ domain: 'a.com' }, { domain: 'b.com' }]);
      await crm.associations.associate(contact, a!);
      await crm.associations.associate(contact, b!);
      await crm.associations.setPrimary(contact, b!);
      const { results } = await crm.associations.list(contact, 'companies');
      expect(results.map((item) => [item.id, item.primary])).toEqual([
        [a!.id, false],
        [b!.id, true],
      ]);
      expect((await crm.associations.list(b!, 'contacts')).results.map((item) => item.id)).toEqual([contact.id]);
      await crm.associations.remove(contact, b!, { newPrimary: a! });
      expect((await crm.associations.list(contact, 'companies')).results.map((item) => [item.id, item.primary])).toEqual([[a!.id, true]]);
    });

    it('metadata changed by one Crm (property, label, activation) is seen by another at its next call', async () => {
      const tenant = freshTenant('meta');
      const one = await crmOn(open(tenant));
      const two = await crmOn(open(tenant));
      await two.records.create('contacts', { email: 'first@x.com' });
      await one.schema.defineProperty('contacts', { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' });
      await one.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing', name: 'billing' });
      await one.schema.activate('services');
      const made = await two.records.create('contacts', { email: 'second@x.com', favorite_roast: 'Ethiopia' });
      expect(made.properties.favorite_roast).toBe('Ethiopia');
      expect(two.associations.labels('contacts', 'companies').map((label) => label.name)).toContain('billing');
      await two.records.create('services', { hs_name: 'Onboarding' });
    });

    it('keeps tenants apart: records, keys, edges, history, labels and schema are invisible across tenants', async () => {
      const storageA = open(freshTenant('A'));
      const storageB = open(freshTenant('B'));
      const a = await crmOn(storageA);
      const b = await crmOn(storageB);
      // Crafted values: quotes and SQL in ids, values and properties are data.
      const contact = await a.records.create('contacts', { email: 'same@x.com', firstname: "Robert'); DROP TABLE crmkit_records;--" });
      const company = await a.records.create('companies', { domain: 'acme.com' });
      await a.associations.associate(contact, company);
      await a.schema.defineProperty('contacts', { name: 'only_in_a', label: 'Only in A', type: 'string', fieldType: 'text' });
      await a.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Secret', name: 'secret' });
      // Dedup keys are per tenant: B may hold the same email.
      const inB = await b.records.create('contacts', { email: 'same@x.com' });
      expect(inB.id).not.toBe(contact.id);
      // B cannot read, change, count or detect A's records.
      expect(await b.records.get('contacts', contact.id)).toBeUndefined();
      expect(await b.records.get('contacts', contact.id, { archived: true })).toBeUndefined();
      expect(await codeOf(b.records.update('contacts', contact.id, { firstname: 'x' }))).toBe('NOT_FOUND');
      expect(await codeOf(b.records.archive('contacts', contact.id))).toBe('NOT_FOUND');
      expect(await codeOf(b.associations.associate({ objectType: 'contacts', id: contact.id }, { objectType: 'companies', id: company.id }))).toBe('NOT_FOUND');
      expect((await b.records.list('contacts')).results.map((found) => found.id)).toEqual([inB.id]);
      expect(await b.records.getBy('companies', 'domain', 'acme.com')).toBeUndefined();
      expect(await codeOf(b.records.create('contacts', { only_in_a: 'x' }))).toBe('VALIDATION_ERROR');
      expect(b.associations.labels('contacts', 'companies').map((label) => label.name)).not.toContain('secret');
      // At the storage level too, with A's ids, keys and meta keys.
      await storageB.transaction('read', async (tx) => {
        expect(await tx.getRecords('contacts', [contact.id])).toEqual([undefined]);
        expect(await tx.lookupKeys('companies', 'domain', ['acme.com'])).toEqual([undefined]);
        expect(await tx.getEdges('contacts', [contact.id])).toEqual([[]]);
        expect(await tx.readHistory('contacts', contact.id)).toEqual([]);
        expect(await tx.readEdgeHistory('contacts', contact.id)).toEqual([]);
        expect((await tx.scanEdges('contacts', 'companies', { limit: 10 })).edges).toEqual([]);
        expect((await tx.scanRecords('companies', { limit: 10, archived: true })).records).toEqual([]);
      });
      // A writes by B with A's ids touch only B's rows; A is unchanged.
      await storageB.transaction('write', async (tx) => {
        await tx.deleteRecords('contacts', [contact.id]);
        await tx.releaseKeys('contacts', [{ key: 'email', value: 'same@x.com', id: contact.id }]);
        await tx.deleteEdges([{ fromType: 'contacts', fromId: contact.id, toType: 'companies', toId: company.id }]);
      });
      expect(await a.records.get('contacts', contact.id)).toEqual(contact);
      expect(await a.records.getBy('contacts', 'email', 'same@x.com')).toEqual(contact);
      expect((await a.associations.list(contact, 'companies')).results.map((item) => item.id)).toEqual([company.id]);
      expect(a.schema.property('contacts', 'only_in_a').name).toBe('only_in_a');
    });

    it("rejects cursors it did not make: another tenant's, another type's, tampered ones and garbage", async () => {
      const storageA = open(freshTenant('curA'));
      const storageB = open(freshTenant('curB'));
      const a = await crmOn(storageA);
      const b = await crmOn(storageB);
      await a.records.createMany('contacts', [{ email: '1@x.com' }, { email: '2@x.com' }, { email: '3@x.com' }]);
      await b.records.createMany('contacts', [{ email: '1@x.com' }, { email: '2@x.com' }, { email: '3@x.com' }]);
      const cursor = await storageA.transaction('read', async (tx) => (await tx.scanRecords('contacts', { limit: 1 })).after!);
      expect(cursor).toBeDefined();
      const rejects = async (storage: PostgresStorage, objectType: string, after: string): Promise<void> => {
        const error = await storage.transaction('read', async (tx) => tx.scanRecords(objectType, { limit: 1, after })).catch((caught: unknown) => caught);
        expect(isCrmError(error, 'VALIDATION_ERROR')).toBe(true);
        expect((error as { details: { issues: Array<{ code: string }> } }).details.issues[0]!.code).toBe('INVALID_CURSOR');
      };
      await rejects(storageB, 'contacts', cursor);
      await rejects(storageA, 'companies', cursor);
      await rejects(storageA, 'contacts', `${cursor.slice(0, -2)}AA`);
      await rejects(storageA, 'contacts', 'pg1.');
      await rejects(storageA, 'contacts', '1');
      await rejects(storageA, 'contacts', "'; SELECT 1; --");
      await expect(storageA.transaction('read', async (tx) => tx.scanEdges('contacts', 'companies', { limit: 1, after: cursor }))).rejects.toThrow(/cursor/);
      // Through the engine: A's list cursor is refused by B.
      const page = await a.records.list('contacts', { limit: 1 });
      expect(await codeOf(b.records.list('contacts', { limit: 1, after: page.paging!.next!.after }))).toBe('VALIDATION_ERROR');
      // And A's own cursor works.
      const rest = await storageA.transaction('read', async (tx) => tx.scanRecords('contacts', { limit: 10, after: cursor }));
      expect(rest.records).toHaveLength(2);
    });

    it('treats crafted tenants, types, ids, keys and meta keys as data (parameterised SQL)', async () => {
      const evil = `x'); DROP TABLE crmkit_records; --`;
      const storage = open(freshTenant(evil));
      const other = open(freshTenant('plain'));
      const at = '2026-01-01T00:00:00.000Z';
      const made = { id: evil, objectType: evil, properties: { [evil]: evil }, createdAt: at, updatedAt: at, archived: false };
      await storage.transaction('write', async (tx) => {
        expect(await tx.insertRecords([made])).toEqual([]);
        expect(await tx.claimKeys(evil, [{ key: evil, value: evil, id: evil }])).toEqual([]);
        await tx.putMeta(evil, { [evil]: [evil] });
        await tx.appendHistory([{ objectType: evil, id: evil, timestamp: at, source: { type: 'API', label: evil }, values: { [evil]: null } }]);
      });
      await storage.transaction('read', async (tx) => {
        expect(await tx.getRecords(evil, [evil])).toEqual([made]);
        expect(await tx.lookupKeys(evil, evil, [evil])).toEqual([evil]);
        expect(await tx.getMeta(evil)).toEqual({ [evil]: [evil] });
        expect((await tx.readHistory(evil, evil))[0]!.source).toEqual({ type: 'API', label: evil });
      });
      await other.transaction('read', async (tx) => {
        expect(await tx.getRecords(evil, [evil])).toEqual([undefined]);
        expect(await tx.getMeta(evil)).toBeUndefined();
      });
    });

    it('dedups long unique values (beyond a btree entry) like short ones', async () => {
      const crm = await crmOn(open(freshTenant('long')));
      await crm.schema.defineProperty('contacts', { name: 'external_ref', label: 'External ref', type: 'string', fieldType: 'text', unique: true });
      const long = 'x'.repeat(20_000);
      const made = await crm.records.create('contacts', { firstname: 'L', external_ref: long });
      expect(await codeOf(crm.records.create('contacts', { firstname: 'L', external_ref: long }))).toBe('DUPLICATE_RECORD');
      expect((await crm.records.getBy('contacts', 'external_ref', long))?.id).toBe(made.id);
      await crm.records.create('contacts', { firstname: 'L', external_ref: `${long}y` });
    });

    it('a closed storage fails with STORAGE_ERROR', async () => {
      const storage = open(freshTenant('closed'));
      const crm = await crmOn(storage);
      await storage.close();
      expect(await codeOf(crm.records.create('contacts', { email: 'x@x.com' }))).toBe('STORAGE_ERROR');
    });

    it('a value PostgreSQL cannot store: the engine refuses it first (INVALID_STRING), the storage itself with STORAGE_ERROR, and nothing is written', async () => {
      const storage = open(freshTenant('nul'));
      const crm = await crmOn(storage);
      // jsonb (and text) cannot hold U+0000: the engine refuses it on every storage alike.
      expect(await codeOf(crm.records.create('contacts', { email: 'nul@x.com', firstname: 'a\u0000b' }))).toBe('VALIDATION_ERROR');
      // Handed such a record directly, the storage fails cleanly.
      const at = '2026-01-01T00:00:00.000Z';
      const record = { id: 'nul-1', objectType: 'contacts', properties: { hs_object_id: 'nul-1', firstname: 'a\u0000b' }, createdAt: at, updatedAt: at, archived: false };
      expect(await codeOf(storage.transaction('write', async (tx) => tx.insertRecords([record])))).toBe('STORAGE_ERROR');
      expect(await storage.transaction('read', async (tx) => tx.getRecords('contacts', ['nul-1']))).toEqual([undefined]);
      expect(await crm.records.getBy('contacts', 'email', 'nul@x.com')).toBeUndefined();
      expect(await crm.records.create('contacts', { email: 'nul@x.com' })).toBeDefined();
    });
  });
}
