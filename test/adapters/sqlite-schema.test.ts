// The SQLite adapter's file handling: schema migrations versioned in the file, WAL, faults
// (closed storage, failing statements, a busy file) and fork.
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { createCrm, CrmError, type Crm, type StorageTx } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { SCHEMA_VERSION, sqliteStorage } from 'crmkit/sqlite';
import { AT, read, rejection, storedRecord, temporaryFiles, write, writeOldFile } from './sqlite-shared.js';

const newFile = temporaryFiles('schema');
const record = storedRecord;

const tables = (db: Database.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'crm%' ORDER BY name")
    .pluck()
    .all() as string[];

/** The tables of the current schema version. */
const CURRENT_TABLES = ['crmkit_edge_history', 'crmkit_edges', 'crmkit_history', 'crmkit_keys', 'crmkit_list_members', 'crmkit_meta', 'crmkit_records'];

describe('sqlite schema migrations', () => {
  it('gives a new file (version 0) the tables and the current version, beside an app’s own tables', async () => {
    const file = newFile();
    const app = new Database(file);
    app.exec("CREATE TABLE app_notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO app_notes (text) VALUES ('mine')");
    expect(app.pragma('user_version', { simple: true })).toBe(0);
    app.close();

    const storage = sqliteStorage(file);
    await storage.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(CURRENT_TABLES);
    expect(db.prepare('SELECT text FROM app_notes').pluck().all()).toEqual(['mine']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('does not migrate again a file already at the current version, and keeps its data', async () => {
    const file = newFile();
    const first = sqliteStorage(file);
    await write(first, async (tx) => tx.insertRecords([record('a')]));
    await first.close();

    const db = new Database(file);
    const exec = vi.spyOn(db, 'exec');
    const again = sqliteStorage(db);
    expect(exec).not.toHaveBeenCalled();
    expect(await read(again, async (tx) => tx.getRecords('contacts', ['a']))).toEqual([record('a')]);
    await again.close();
    // The connection was handed in: closing the storage leaves it open for its owner.
    expect(db.open).toBe(true);
    db.close();
  });

  it('refuses a file written by a newer crmkit (a schema version it does not know), and leaves it alone', async () => {
    const file = newFile();
    await sqliteStorage(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    const error = await rejection(() => sqliteStorage(db));
    expect(error.code).toBe('STORAGE_ERROR');
    expect(error.message).toMatch(/newer/);
    db.close();
    const byPath = await rejection(() => sqliteStorage(file));
    expect(byPath.code).toBe('STORAGE_ERROR');
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('refuses a file that is not a database, and bad options', async () => {
    const notDb = newFile();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(notDb, 'this is not a sqlite file, not at all, it is just text that goes on for a while');
    expect((await rejection(() => sqliteStorage(notDb))).code).toBe('STORAGE_ERROR');
    expect((await rejection(() => sqliteStorage(newFile('/missing-dir/x.db')))).code).toBe('STORAGE_ERROR');
    expect((await rejection(() => sqliteStorage(':memory:', { tenant: '' }))).code).toBe('VALIDATION_ERROR');
    expect((await rejection(() => sqliteStorage(undefined as never))).code).toBe('VALIDATION_ERROR');
    expect((await rejection(() => sqliteStorage(':memory:', { synchronous: 'sometimes' as never }))).code).toBe('VALIDATION_ERROR');
    for (const busyTimeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5000']) {
      const error = await rejection(() => sqliteStorage(':memory:', { busyTimeoutMs: busyTimeoutMs as number }), 'VALIDATION_ERROR');
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.details.issues[0]?.property).toBe('busyTimeoutMs');
    }
  });
});

/** Everything a CRM shows of its contents: records, a key, association pages, both histories, schema metadata. */
async function contents(crm: Crm, companyId: string) {
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const page = await crm.associations.list({ objectType: 'companies', id: companyId }, 'contacts', { limit: 2, ...(after ? { after } : {}) });
    pages.push(page.results.map((item) => `${item.id}:${item.labels.join('+')}`));
    after = page.paging?.next?.after;
  } while (after);
  const contacts = (await crm.records.list('contacts', { limit: 100, archived: true })).results;
  return {
    contacts,
    companies: (await crm.records.list('companies', { limit: 100 })).results,
    byEmail: (await crm.records.getBy('contacts', 'email', 'c1@x.com'))?.id,
    pages,
    history: await crm.records.history('contacts', contacts[0]!.id, 'firstname'),
    associationHistory: await crm.associations.history({ objectType: 'companies', id: companyId }),
    property: crm.schema.property('contacts', 'favourite_roast').label,
    labels: crm.associations.labels('companies', 'contacts').map((label) => label.name),
  };
}

describe('sqlite: files written by older crmkit versions', () => {
  const open = (file: string) => createCrm({ storage: sqliteStorage(file), ids: sequentialIds('u-'), clock: steppingClock() });

  for (const version of [1, 2, 3] as const) {
    const prefix = version < 3 ? 'crm_' : 'crmkit_';
    it(`a file at schema version ${version} (${prefix} tables) upgrades in place on open: records, keys, edges, history and metadata stay readable and writable, and it keeps static lists`, async () => {
      const current = newFile();
      let crm = await open(current);
      await crm.schema.defineProperty('contacts', { name: 'favourite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' });
      await crm.associations.createLabel({ from: 'companies', to: 'contacts', label: 'Buyer', name: 'buyer' });
      const company = await crm.records.create('companies', { domain: 'acme.com', name: 'Acme' });
      const contacts = await crm.records.createMany('contacts', Array.from({ length: 6 }, (_, n) => ({ email: `c${n}@x.com`, firstname: `C${n}` })));
      for (const contact of contacts) await crm.associations.associate(company, contact);
      await crm.associations.associate(company, contacts[1]!, ['buyer']);
      await crm.records.update('contacts', contacts[0]!.id, { firstname: 'Changed' });
      await crm.associations.remove(company, contacts[2]!);
      await crm.records.archive('contacts', contacts[3]!.id);
      // The last record made is purged: its number must never be handed out again (AUTOINCREMENT).
      await crm.records.purge('contacts', contacts[5]!.id);
      const before = await contents(crm, company.id);
      await crm.close();

      const old = newFile();
      writeOldFile(current, old, version);
      const check = new Database(old, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(version);
      expect(tables(check)).toEqual(['edge_history', 'edges', 'history', 'keys', 'meta', 'records'].map((table) => `${prefix}${table}`));
      const purgedSeq = check.prepare(`SELECT seq FROM sqlite_sequence WHERE name = '${prefix}records'`).pluck().get() as number;
      check.close();

      crm = await open(old);
      expect(await contents(crm, company.id)).toEqual(before);
      const db = new Database(old, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(tables(db)).toEqual(CURRENT_TABLES);
      // The schema's own indexes (crmkit_s_…, made by indexProperties for search, come and go with the schema).
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'crm%' AND name NOT LIKE 'crmkit\\_s\\_%' ESCAPE '\\' ORDER BY name").pluck().all()).toEqual([
        'crmkit_edge_history_record',
        'crmkit_edges_ends',
        'crmkit_edges_page',
        'crmkit_history_record',
        'crmkit_list_members_record',
        'crmkit_records_scan',
      ]);
      db.close();

      // Writable: a new record comes after the others (a number above the purged one's), with
      // its key, associations, history and metadata.
      const added = await crm.records.create('contacts', { email: 'new@x.com', firstname: 'New' });
      await crm.associations.associate(company, added, ['buyer']);
      await crm.records.update('contacts', added.id, { firstname: 'Newer', favourite_roast: 'dark' });
      await crm.schema.updateProperty('contacts', 'favourite_roast', { label: 'Roast' });
      expect((await crm.records.list('contacts', { limit: 100, archived: true })).results.map((record) => record.id)).toEqual([
        ...before.contacts.map((record) => record.id),
        added.id,
      ]);
      expect((await crm.records.getBy('contacts', 'email', 'new@x.com'))?.id).toBe(added.id);
      expect((await crm.records.history('contacts', added.id, 'firstname')).map((entry) => entry.value)).toEqual(['Newer', 'New']);
      expect((await crm.associations.list(added, 'companies')).results.map((item) => item.id)).toEqual([company.id]);
      expect((await crm.associations.history(added)).length).toBeGreaterThan(0);
      expect(crm.schema.property('contacts', 'favourite_roast').label).toBe('Roast');
      // The purged contact's key is free again, and its number is not reused.
      expect(await crm.records.getBy('contacts', 'email', 'c5@x.com')).toBeUndefined();
      await crm.close();
      const after = new Database(old, { readonly: true });
      expect(after.prepare("SELECT seq FROM crmkit_records WHERE object_type = 'contacts' AND id = ?").pluck().get(added.id)).toBeGreaterThan(purgedSeq);
      after.close();

      // Static lists (version 4) work on the migrated file, and purging a member leaves no row of it.
      const storage = sqliteStorage(old);
      await write(storage, async (tx) => tx.addToList!('L1', 'contacts', [added.id, before.contacts[0]!.id]));
      expect(await read(storage, async (tx) => tx.listsOf!('contacts', [added.id, before.contacts[1]!.id]))).toEqual([['L1'], []]);
      await write(storage, async (tx) => tx.deleteRecords('contacts', [added.id]));
      expect(storage.database.prepare('SELECT record_id FROM crmkit_list_members').pluck().all()).toEqual([before.contacts[0]!.id]);
      await storage.close();
    });
  }
});

describe('sqlite faults', () => {
  it('refuses every transaction once closed, after letting queued ones finish', async () => {
    const storage = sqliteStorage(newFile());
    const queued = write(storage, async (tx) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await tx.insertRecords([record('a')]);
    });
    const closing = storage.close();
    await queued;
    await closing;
    const error = await rejection(() => read(storage, async () => 1));
    expect(error.code).toBe('STORAGE_ERROR');
    await storage.close();
  });

  it('a Crm on a closed storage answers STORAGE_ERROR', async () => {
    const crm = await createCrm({ storage: sqliteStorage(':memory:') });
    await crm.close();
    expect((await rejection(() => crm.records.create('contacts', { email: 'a@b.com' }))).code).toBe('STORAGE_ERROR');
  });

  it('a statement failing inside a transaction is a STORAGE_ERROR with its cause, and nothing of the transaction is written', async () => {
    const storage = sqliteStorage(newFile());
    await write(storage, async (tx) => tx.insertRecords([record('c1')]));
    const error = await rejection(() =>
      write(storage, async (tx) => {
        await tx.insertRecords([record('c2')]);
        await tx.putMeta('m', 1);
        // An edge to a record that does not exist: the foreign key refuses it.
        await tx.putEdges([{ fromType: 'contacts', fromId: 'c1', toType: 'companies', toId: 'nope', labels: [], inverseLabels: [], createdAt: AT, archived: false }]);
      }),
      'STORAGE_ERROR',
    );
    expect(error.code).toBe('STORAGE_ERROR');
    expect((error.details.cause as { code?: string }).code).toMatch(/SQLITE_CONSTRAINT/);
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['c1', 'c2']))).toEqual([record('c1'), undefined]);
    expect(await read(storage, async (tx) => tx.getMeta('m'))).toBeUndefined();
    expect(await read(storage, async (tx) => tx.getEdges('contacts', ['c1']))).toEqual([[]]);
    await storage.close();
  });

  it('a connection closed under a transaction is a STORAGE_ERROR, and the file keeps nothing of it', async () => {
    const file = newFile();
    const db = new Database(file);
    const storage = sqliteStorage(db);
    await write(storage, async (tx) => tx.insertRecords([record('kept')]));
    const error = await rejection(() =>
      write(storage, async (tx) => {
        await tx.insertRecords([record('lost')]);
        db.close();
        await tx.insertRecords([record('after')]);
      }),
    );
    expect(error.code).toBe('STORAGE_ERROR');
    expect((await rejection(() => read(storage, async (tx) => tx.getRecords('contacts', ['kept'])))).code).toBe('STORAGE_ERROR');
    const reopened = sqliteStorage(file);
    expect(await read(reopened, async (tx) => tx.getRecords('contacts', ['kept', 'lost', 'after']))).toEqual([record('kept'), undefined, undefined]);
    await reopened.close();
  });

  it('a file another process holds for writing past the busy timeout is a STORAGE_ERROR (SQLITE_BUSY); the storage works once it is free', async () => {
    const file = newFile();
    const storage = sqliteStorage(file, { busyTimeoutMs: 20 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const error = await rejection(() => write(storage, async (tx) => tx.insertRecords([record('a')])), 'STORAGE_ERROR');
    expect(error.code).toBe('STORAGE_ERROR');
    expect((error.details.cause as { code?: string }).code).toBe('SQLITE_BUSY');
    // Reads go on meanwhile (WAL).
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['a']))).toEqual([undefined]);
    other.exec('ROLLBACK');
    other.close();
    await write(storage, async (tx) => tx.insertRecords([record('a')]));
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['a']))).toEqual([record('a')]);
    await storage.close();
  });

  it('errors thrown by the transaction function come back unchanged; misuse of a transaction is a STORAGE_ERROR', async () => {
    const storage = sqliteStorage(':memory:');
    const mine = new CrmError('NOT_FOUND', 'mine', { objectType: 'contacts', id: 'c1' });
    await expect(write(storage, async () => Promise.reject(mine))).rejects.toBe(mine);
    expect((await rejection(() => read(storage, async (tx) => tx.putMeta('m', 1)))).code).toBe('STORAGE_ERROR');
    let leaked: StorageTx | undefined;
    await write(storage, async (tx) => {
      leaked = tx;
    });
    expect((await rejection(() => leaked!.putMeta('m', 1))).code).toBe('STORAGE_ERROR');
    expect(await read(storage, async (tx) => tx.getMeta('m'))).toBeUndefined();
    expect((await rejection(() => write(storage, async (tx) => tx.updateRecords([record('missing')])))).code).toBe('STORAGE_ERROR');
    await storage.close();
  });

  it('forks into an independent in-memory copy', async () => {
    const storage = sqliteStorage(newFile(), { tenant: 't' });
    await write(storage, async (tx) => tx.insertRecords([record('a')]));
    const copy = await storage.fork();
    await write(copy, async (tx) => tx.insertRecords([record('b')]));
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['a', 'b']))).toEqual([record('a'), undefined]);
    expect(await read(copy, async (tx) => tx.getRecords('contacts', ['a', 'b']))).toEqual([record('a'), record('b')]);
    await copy.close();
    await storage.close();
  });
});
