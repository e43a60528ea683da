// Tenants: storages on one SQLite file, each on its own tenant, never see, change, count or
// detect each other's records, keys, edges, metadata (schema, labels) or history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrm, CrmError, type Crm, type Storage, type StorageTx, type StoredEdge, type StoredRecord } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { sqliteStorage } from 'crmkit/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'crmkit-sqlite-tenants-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AT = '2026-01-01T00:00:00.000Z';
const record = (id: string, objectType = 'contacts', properties: Record<string, string> = {}): StoredRecord => ({
  id,
  objectType,
  properties: { hs_object_id: id, ...properties },
  createdAt: AT,
  updatedAt: AT,
  archived: false,
});
const edge = (fromType: string, fromId: string, toType: string, toId: string, labels: string[] = []): StoredEdge => ({
  fromType,
  fromId,
  toType,
  toId,
  labels,
  inverseLabels: [],
  createdAt: AT,
  archived: false,
});
const read = <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('read', fn);
const write = <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('write', fn);

async function rejection(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

/** A cursor with its position replaced and its tag kept: what an edit by hand makes. */
const moved = (cursor: string, position: unknown[]): string =>
  `${Buffer.from(JSON.stringify(position)).toString('base64url')}.${cursor.slice(cursor.lastIndexOf('.') + 1)}`;

describe('sqlite tenants', () => {
  it('two CRMs on one file: the same email and the same ids in both, each sees only its own', async () => {
    const file = join(dir, `tenants-${++files}.db`);
    // The same id sequence in both tenants: ids collide on purpose.
    const open = (tenant: string): Promise<Crm> =>
      createCrm({ storage: sqliteStorage(file, { tenant }), ids: sequentialIds(), clock: steppingClock() });
    const a = await open('A');
    const b = await open('B');
    const inA = await a.records.create('contacts', { email: 'same@example.com', firstname: 'In A' });
    await b.schema.defineProperty('contacts', { name: 'secret', label: 'Secret', type: 'string', fieldType: 'text' });
    await b.associations.createLabel({ from: 'contacts', to: 'companies', label: 'B only' });
    const inB = await b.records.create('contacts', { email: 'same@example.com', firstname: 'In B', secret: 'b' });
    const companyB = await b.records.create('companies', { domain: 'b-corp.com' });
    await b.associations.associate(inB, companyB, ['b_only']);
    await b.records.createMany('contacts', [{ email: 'b1@example.com' }, { email: 'b2@example.com' }]);
    expect(inA.id).toBe(inB.id);

    expect((await a.records.get('contacts', inA.id))?.properties.firstname).toBe('In A');
    expect((await a.records.getBy('contacts', 'email', 'same@example.com'))?.properties.firstname).toBe('In A');
    expect(await a.records.getBy('contacts', 'email', 'b1@example.com')).toBeUndefined();
    expect(await a.records.get('companies', companyB.id)).toBeUndefined();
    expect((await a.records.list('contacts')).results.map((found) => found.properties.firstname)).toEqual(['In A']);
    expect((await a.associations.list(inA, 'companies')).total).toBe(0);
    expect(await a.associations.history(inA)).toEqual([]);
    // B's schema changes (a property, a label) do not exist in A.
    expect(() => a.schema.property('contacts', 'secret')).toThrow(CrmError);
    expect(a.associations.labels('contacts', 'companies').map((label) => label.name)).not.toContain('b_only');
    expect((await rejection(a.records.create('contacts', { email: 'x@example.com', secret: 'no' }))).code).toBe('VALIDATION_ERROR');
    // A cursor from B's list does not page A.
    const pageB = await b.records.list('contacts', { limit: 1 });
    const cursor = pageB.paging!.next!.after;
    await expect(a.records.list('contacts', { limit: 1, after: cursor })).rejects.toThrow();
    // A's writes leave B alone.
    await a.records.update('contacts', inA.id, { firstname: 'Changed in A' });
    await a.records.purge('contacts', inA.id);
    expect((await b.records.get('contacts', inB.id))?.properties.firstname).toBe('In B');
    expect((await b.associations.list(inB, 'companies')).results[0]!.labels).toContain('b_only');
    expect((await b.records.list('contacts')).results).toHaveLength(3);
    await a.close();
    await b.close();
  });

  it("storage primitives on tenant A cannot read, change or detect tenant B's rows, whatever the ids, keys, values or cursors", async () => {
    const file = join(dir, `tenants-${++files}.db`);
    const a = sqliteStorage(file, { tenant: 'A' });
    const b = sqliteStorage(file, { tenant: 'B' });
    const crafted = ["b1' OR '1'='1", 'b1" --', '%', '*', 'b1\u0000'];
    await write(b, async (tx) => {
      await tx.insertRecords([record('b1', 'contacts', { email: 'b@x.com' }), record('b2'), record('co1', 'companies')]);
      await tx.claimKeys('contacts', [{ key: 'email', value: 'b@x.com', id: 'b1' }]);
      await tx.putEdges([edge('contacts', 'b1', 'companies', 'co1', ['primary'])]);
      await tx.appendHistory([{ objectType: 'contacts', id: 'b1', timestamp: AT, source: { type: 'API' }, values: { email: 'b@x.com' } }]);
      await tx.appendEdgeHistory([
        { objectType: 'contacts', id: 'b1', toType: 'companies', toId: 'co1', action: 'created', labelsBefore: [], labelsAfter: [], timestamp: AT, source: { type: 'API' } },
      ]);
      await tx.putMeta('schema', { owner: 'B' });
    });
    const snapshotB = (): Promise<unknown> =>
      read(b, async (tx) => ({
        records: await tx.getRecords('contacts', ['b1', 'b2']),
        keys: await tx.lookupKeys('contacts', 'email', ['b@x.com']),
        edges: await tx.getEdges('contacts', ['b1']),
        inverse: await tx.getEdges('companies', ['co1']),
        history: await tx.readHistory('contacts', 'b1'),
        edgeHistory: await tx.readEdgeHistory('contacts', 'b1'),
        meta: await tx.getMeta('schema'),
        scan: (await tx.scanRecords('contacts', { limit: 10 })).records.map((found) => found.id),
      }));
    const before = await snapshotB();

    await read(a, async (tx) => {
      expect(await tx.getRecords('contacts', ['b1', 'b2', ...crafted])).toEqual([undefined, undefined, ...crafted.map(() => undefined)]);
      expect(await tx.lookupKeys('contacts', 'email', ['b@x.com', '%'])).toEqual([undefined, undefined]);
      expect(await tx.getEdges('contacts', ['b1', ...crafted])).toEqual([[], ...crafted.map(() => [])]);
      expect(await tx.getEdges('companies', ['co1'], 'contacts')).toEqual([[]]);
      expect(await tx.readHistory('contacts', 'b1')).toEqual([]);
      expect(await tx.readEdgeHistory('contacts', 'b1')).toEqual([]);
      expect(await tx.getMeta('schema')).toBeUndefined();
      expect(await tx.scanRecords('contacts', { limit: 10 })).toEqual({ records: [] });
      expect(await tx.scanEdges('contacts', 'companies', { limit: 10 })).toEqual({ edges: [] });
    });

    // Cursors made by B (records and edges) are refused by A, with INVALID_CURSOR.
    const recordCursor = (await read(b, async (tx) => tx.scanRecords('contacts', { limit: 1 }))).after!;
    await write(b, async (tx) => {
      await tx.insertRecords([record('co2', 'companies')]);
      await tx.putEdges([edge('contacts', 'b1', 'companies', 'co2')]);
    });
    const edgeCursor = (await read(b, async (tx) => tx.scanEdges('contacts', 'companies', { limit: 1 }))).after!;
    expect(recordCursor).toBeDefined();
    expect(edgeCursor).toBeDefined();
    for (const scan of [
      (tx: StorageTx) => tx.scanRecords('contacts', { limit: 1, after: recordCursor }),
      (tx: StorageTx) => tx.scanEdges('contacts', 'companies', { limit: 1, after: edgeCursor }),
      // A cursor of one kind or type is not one of another.
      (tx: StorageTx) => tx.scanEdges('contacts', 'companies', { limit: 1, after: recordCursor }),
      (tx: StorageTx) => tx.scanRecords('companies', { limit: 1, after: recordCursor }),
      (tx: StorageTx) => tx.scanRecords('contacts', { limit: 1, after: 'r1' }),
      // An edited cursor: B's, pointing elsewhere.
      (tx: StorageTx) => tx.scanRecords('contacts', { limit: 1, after: moved(recordCursor, [0]) }),
      (tx: StorageTx) => tx.scanEdges('contacts', 'companies', { limit: 1, after: moved(edgeCursor, ['b1', 'co1']) }),
    ]) {
      const error = await rejection(read(a, async (tx) => scan(tx)));
      expect(error.code).toBe('VALIDATION_ERROR');
      expect((error as CrmError<'VALIDATION_ERROR'>).details.issues[0]?.code).toBe('INVALID_CURSOR');
    }
    // B's cursors still work for B; edited ones do not.
    await expect(read(b, async (tx) => tx.scanRecords('contacts', { limit: 1, after: moved(recordCursor, [0]) }))).rejects.toThrow(CrmError);
    expect((await read(b, async (tx) => tx.scanRecords('contacts', { limit: 1, after: recordCursor }))).records[0]?.id).toBe('b2');

    const afterCursors = await snapshotB();
    // A's writes with B's ids, keys and values change only A.
    expect(await write(a, async (tx) => tx.claimKeys('contacts', [{ key: 'email', value: 'b@x.com', id: 'a1' }]))).toEqual([]);
    await write(a, async (tx) => {
      await tx.releaseKeys('contacts', [{ key: 'email', value: 'b@x.com', id: 'b1' }]);
      await tx.deleteEdges([edge('contacts', 'b1', 'companies', 'co1')]);
      await tx.deleteRecords('contacts', ['b1', 'b2', ...crafted]);
      await tx.putMeta('schema', { owner: 'A' });
    });
    // An update or an edge naming B's records fails in A: those records do not exist there.
    expect((await rejection(write(a, async (tx) => tx.updateRecords([record('b1', 'contacts', { email: 'stolen' })])))).code).toBe('STORAGE_ERROR');
    expect((await rejection(write(a, async (tx) => tx.putEdges([edge('contacts', 'b1', 'companies', 'co1')])))).code).toBe('STORAGE_ERROR');
    expect(
      (
        await rejection(
          write(a, async (tx) => tx.appendHistory([{ objectType: 'contacts', id: 'b1', timestamp: AT, source: { type: 'API' }, values: {} }])),
        )
      ).code,
    ).toBe('STORAGE_ERROR');
    expect(await snapshotB()).toEqual(afterCursors);
    expect(before).not.toEqual(afterCursors);
    expect(await read(a, async (tx) => tx.getMeta('schema'))).toEqual({ owner: 'A' });
    await a.close();
    await b.close();
  });

  it('two storages on one file queue their transactions instead of deadlocking', async () => {
    const file = join(dir, `tenants-${++files}.db`);
    const a = sqliteStorage(file, { tenant: 'A' });
    const b = sqliteStorage(file, { tenant: 'B', busyTimeoutMs: 100 });
    await Promise.all(
      Array.from({ length: 10 }, (_, at) =>
        write(at % 2 ? a : b, async (tx) => {
          await tx.insertRecords([record(`r${at}`)]);
          await new Promise((resolve) => setTimeout(resolve, 2));
          await tx.putMeta(`m${at}`, at);
        }),
      ),
    );
    expect((await read(a, async (tx) => tx.scanRecords('contacts', { limit: 100 }))).records.map((found) => found.id)).toEqual(['r1', 'r3', 'r5', 'r7', 'r9']);
    expect((await read(b, async (tx) => tx.scanRecords('contacts', { limit: 100 }))).records).toHaveLength(5);
    await a.close();
    await b.close();
  });
});

describe('sqlite tenant names', () => {
  /** The VALIDATION_ERROR sqliteStorage throws for `tenant`, checked to name the tenant option. */
  function refusal(tenant: unknown): CrmError<'VALIDATION_ERROR'> {
    let error: unknown;
    try {
      sqliteStorage(':memory:', { tenant: tenant as string });
    } catch (caught) {
      error = caught;
    }
    expect(error, `tenant ${JSON.stringify(tenant)}`).toBeInstanceOf(CrmError);
    const refused = error as CrmError<'VALIDATION_ERROR'>;
    expect(refused.code).toBe('VALIDATION_ERROR');
    expect(refused.details.issues?.[0]).toMatchObject({ code: 'INVALID_ARGUMENT', property: 'tenant' });
    return refused;
  }

  it('refuses, when the storage is made, a tenant name that is empty, too long, holds control characters or lone surrogates, or is no string', () => {
    expect(refusal('').message).toMatch(/1 to 200 characters, got 0/);
    expect(refusal('t'.repeat(201)).message).toMatch(/1 to 200 characters, got 201/);
    for (const tenant of ['a\u0000b', 'line\nbreak', 'tab\t', '\u007f', 'c1\u0085']) expect(refusal(tenant).message).toMatch(/control characters/);
    // 'x\ud800' and 'x\udfff' would both be stored as 'x\ufffd' by some databases: one tenant.
    for (const tenant of ['x\ud800', 'x\udfff', '\udfff\ud800']) expect(refusal(tenant).message).toMatch(/lone surrogate/);
    expect(refusal(42).message).toMatch(/must be a string, got number/);
    expect(refusal(null).message).toMatch(/got null/);
  });

  it('accepts any well-formed name of 1 to 200 characters without control characters, and keeps it exactly', async () => {
    const wellFormed = fc
      .oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.string({ unit: fc.constantFrom('\ufffd', '🙂', 'é', 'e\u0301', ' ', 'a'), minLength: 1, maxLength: 60 }),
      )
      .filter((tenant) => tenant.length <= 200 && !/[\u0000-\u001f\u007f-\u009f]/.test(tenant));
    await fc.assert(
      fc.asyncProperty(wellFormed, async (tenant) => {
        const storage = sqliteStorage(':memory:', { tenant });
        expect(storage.tenant).toBe(tenant);
        await storage.close();
      }),
    );
    expect(sqliteStorage(':memory:', { tenant: 't'.repeat(200) }).tenant).toHaveLength(200);
  });

  it('refuses a name with a control character or a lone surrogate anywhere in it', () => {
    const name = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 20 });
    const bad = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }), fc.integer({ min: 0xd800, max: 0xdfff }));
    fc.assert(
      fc.property(name, bad, name, (before, unit, after) => {
        // A surrogate between two halves of a pair could complete one: keep it alone.
        const tenant = `${before}${String.fromCharCode(unit)}${unit >= 0xd800 ? ' ' : ''}${after}`;
        refusal(tenant);
      }),
    );
  });

  it("names that differ only where a database might fold them ('x\ufffd', composed and decomposed é) are different tenants", async () => {
    const file = join(dir, `tenants-${++files}.db`);
    const tenants = ['x\ufffd', 'caf\u00e9', 'cafe\u0301'];
    const storages = tenants.map((tenant) => sqliteStorage(file, { tenant }));
    for (const [at, storage] of storages.entries()) await write(storage, async (tx) => tx.insertRecords([record(`only-${at}`)]));
    for (const [at, storage] of storages.entries()) {
      const ids = (await read(storage, async (tx) => tx.scanRecords('contacts', { limit: 10 }))).records.map((found) => found.id);
      expect(ids).toEqual([`only-${at}`]);
      await storage.close();
    }
  });
});
