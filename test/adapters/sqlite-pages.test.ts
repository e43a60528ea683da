// Keyset pages of one record's associations on SQLite (pageEdges): schema 2 adds the index they
// walk (crmkit_edges_page since schema 3), a file at schema 1 migrates and keeps its data, every page statement seeks that index
// (EXPLAIN QUERY PLAN), ties in created_at (one call associating thousands of records) page by
// seq, and a cursor is refused anywhere but where it was made.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCrm, type EdgePageRequest, type Storage, type StoredEdge } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { SCHEMA_VERSION, sqliteStorage } from 'crmkit/sqlite';
import { AT, read, rejection, storedRecord, temporaryFiles, write, writeOldFile } from './sqlite-shared.js';

const newFile = temporaryFiles('pages');
const LATER = '2026-01-02T00:00:00.000Z';
const record = storedRecord;
const edge = (toId: string, labels: string[] = [], createdAt = AT, archived = false): StoredEdge => ({
  fromType: 'companies',
  fromId: 'co1',
  toType: 'contacts',
  toId,
  labels,
  inverseLabels: [],
  createdAt,
  archived,
});

/** Every page of co1's contacts under `request`: the ids in order, and the total each page reported. */
async function pageAll(storage: Storage, request: Omit<EdgePageRequest, 'toType'>): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after = request.after;
  do {
    const page = await read(storage, async (tx) => tx.pageEdges('companies', 'co1', { toType: 'contacts', ...request, ...(after ? { after } : {}) }));
    ids.push(...page.edges.map((found) => found.toId));
    totals.push(page.total);
    after = page.after;
    expect(totals.length).toBeLessThan(10_000);
  } while (after);
  return { ids, totals };
}

/** A company co1 with `count` contacts c0… associated in that order, all with one created_at. */
async function seeded(storage: Storage, count: number, labelsOf: (at: number) => string[] = () => []): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, at) => `c${at}`);
  await write(storage, async (tx) => {
    await tx.insertRecords([record('co1', 'companies'), ...ids.map((id) => record(id))]);
    await tx.putEdges(ids.map((id, at) => edge(id, labelsOf(at))));
  });
  return ids;
}

describe('sqlite pageEdges', () => {
  it('a file at schema version 1 migrates to the page index and keeps its data; its associations page in order', async () => {
    const current = newFile();
    const file = newFile();
    const open = async (path: string) => createCrm({ storage: sqliteStorage(path), ids: sequentialIds(), clock: steppingClock() });
    let crm = await open(current);
    const company = await crm.records.create('companies', { domain: 'acme.com', name: 'Acme' });
    const contacts = await crm.records.createMany(
      'contacts',
      Array.from({ length: 25 }, (_, at) => ({ email: `c${at}@acme.com` })),
    );
    for (const contact of contacts) await crm.associations.associate(company, contact);
    await crm.close();
    // The same rows in a file as crmkit wrote it at version 1, without the page index.
    writeOldFile(current, file, 1);

    crm = await open(file);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'crmkit_edges_page'").pluck().get()).toMatch(
      /\(tenant, from_type, from_id, to_type, archived, created_at, seq\)/,
    );
    db.close();
    const listed: string[] = [];
    let after: string | undefined;
    do {
      const page = await crm.associations.list(company, 'contacts', { limit: 10, ...(after ? { after } : {}) });
      expect(page.total).toBe(25);
      listed.push(...page.results.map((item) => item.id));
      after = page.paging?.next?.after;
    } while (after);
    expect(listed).toEqual(contacts.map((contact) => contact.id));
    expect((await crm.records.get('contacts', contacts[0]!.id))?.properties.email).toBe('c0@acme.com');
    expect((await crm.associations.history(contacts[0]!)).length).toBeGreaterThan(0);
    await crm.close();
  });

  it('every page statement seeks crmkit_edges_page on the record, type and live flag, in index order (EXPLAIN QUERY PLAN)', async () => {
    const db = new Database(newFile());
    // The SQL the adapter prepares, as it prepares it.
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const storage = sqliteStorage(db);
    // Statistics that would tempt a planner elsewhere (one record holding most edges) change nothing.
    await seeded(storage, 500);
    db.exec('ANALYZE');
    const statements = prepared.filter((sql) => sql.includes('crmkit_edges_page'));
    // First pages, resumed pages and counts, without and with a labels filter.
    expect(statements).toHaveLength(6);
    for (const sql of statements) {
      const parameters = sql.split('?').length - 1;
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array<string>(parameters).fill('x')) as { detail: string }[]).map((row) => row.detail);
      const onEdges = plan.filter((detail) => /\bcrmkit_edges\b/.test(detail));
      expect(onEdges.length, sql).toBeGreaterThan(0);
      for (const detail of onEdges) {
        expect(detail, sql).toMatch(/^SEARCH crmkit_edges USING (COVERING )?INDEX crmkit_edges_page \(tenant=\? AND from_type=\? AND from_id=\? AND to_type=\? AND archived=\?/);
      }
      expect(plan.join('\n'), sql).not.toMatch(/TEMP B-TREE|SCAN crmkit_edges/);
      // A resumed page seeks its position, the rest of a created_at by seq included.
      if (sql.includes('UNION ALL')) {
        expect(plan.join('\n')).toMatch(/created_at=\? AND seq>\?\)/);
        expect(plan.join('\n')).toMatch(/created_at>\?\)/);
      }
    }
    // A resumed scan of a type pair's edges (label checks walk them) seeks the rest of the
    // record it stopped in, instead of walking and sorting that record's edges again.
    const resumed = prepared.filter((sql) => sql.includes('crmkit_edges_ends') && sql.includes('UNION ALL'));
    expect(resumed).toHaveLength(1);
    const scanPlan = (prepare(`EXPLAIN QUERY PLAN ${resumed[0]!}`).all(...Array<string>(10).fill('x')) as { detail: string }[]).map((row) => row.detail);
    expect(scanPlan.join('\n')).toMatch(/SEARCH crmkit_edges USING INDEX crmkit_edges_ends \(tenant=\? AND from_type=\? AND from_id=\? AND to_type=\? AND to_id>\?\)/);
    await storage.close();
    db.close();
  });

  it('a scan of a type pair’s edges resumed inside a record with thousands of them goes on where it stopped', async () => {
    const storage = sqliteStorage(newFile());
    const ids = await seeded(storage, 2_500);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await read(storage, async (tx) => tx.scanEdges('companies', 'contacts', { limit: 300, ...(after ? { after } : {}) }));
      seen.push(...page.edges.map((found) => found.toId));
      after = page.after;
    } while (after);
    expect(seen).toEqual([...ids].sort());
    await storage.close();
  });

  it('thousands of associations made at one instant page in the order they were stored, without a gap or a repeat', async () => {
    const storage = sqliteStorage(newFile());
    const ids = await seeded(storage, 3_000);
    const { ids: paged, totals } = await pageAll(storage, { limit: 170 });
    expect(paged).toEqual(ids);
    expect(new Set(totals)).toEqual(new Set([3_000]));
    expect(totals).toHaveLength(Math.ceil(3_000 / 170));
    await storage.close();
  });

  it('a cursor survives the edges changing: it resumes after its position, even when that edge is gone', async () => {
    const storage = sqliteStorage(newFile());
    const ids = await seeded(storage, 40);
    const first = await read(storage, async (tx) => tx.pageEdges('companies', 'co1', { toType: 'contacts', limit: 10 }));
    expect(first.edges.map((found) => found.toId)).toEqual(ids.slice(0, 10));
    await write(storage, async (tx) => {
      await tx.insertRecords([record('early'), record('late'), record('gone')]);
      // The edge the cursor names and one after it go; one is relabelled (it keeps its place);
      // one is archived (no longer live); one new edge sorts before the cursor, one after.
      await tx.deleteEdges([edge('c9'), edge('c12')]);
      await tx.putEdges([edge('c11', ['relabelled']), edge('c13', [], AT, true), edge('early', [], '2025-01-01T00:00:00.000Z'), edge('late', [], LATER)]);
    });
    const rest = await pageAll(storage, { limit: 7, after: first.after! });
    expect(rest.ids).toEqual([...ids.slice(10).filter((id) => id !== 'c12' && id !== 'c13'), 'late']);
    // 40 - 2 deleted - 1 archived + 2 new.
    expect(new Set(rest.totals)).toEqual(new Set([39]));
    await storage.close();
  });

  it('the labels filter pages and counts only edges carrying one of the names', async () => {
    const storage = sqliteStorage(newFile());
    const ids = await seeded(storage, 300, (at) => (at % 3 === 0 ? ['decision_maker'] : at % 5 === 0 ? ['billing', 'other'] : []));
    const wanted = ids.filter((_, at) => at % 3 === 0 || at % 5 === 0);
    const { ids: paged, totals } = await pageAll(storage, { limit: 25, labels: ['billing', 'decision_maker'] });
    expect(paged).toEqual(wanted);
    expect(new Set(totals)).toEqual(new Set([wanted.length]));
    // One page holding every match: its total all the same.
    expect(await pageAll(storage, { limit: 1_000, labels: ['decision_maker', 'billing'] })).toEqual({ ids: wanted, totals: [wanted.length] });
    expect(await pageAll(storage, { limit: 1_000 })).toEqual({ ids, totals: [300] });
    expect(await pageAll(storage, { limit: 25, labels: ['nobody'] })).toEqual({ ids: [], totals: [0] });
    // A label name is matched whole, never as a pattern or a piece of the JSON text.
    expect((await pageAll(storage, { limit: 25, labels: ['%', 'decision', '"billing"', 'billing", "x'] })).ids).toEqual([]);
    await storage.close();
  });

  it('refuses a cursor made for another record, type, labels filter or tenant, an edited one and a stranger (INVALID_CURSOR)', async () => {
    const file = newFile();
    const storage = sqliteStorage(file, { tenant: 'A' });
    const other = sqliteStorage(file, { tenant: 'B' });
    await seeded(storage, 30, (at) => (at % 2 ? ['x', 'y'] : []));
    await seeded(other, 30);
    const page = (target: Storage, request: EdgePageRequest, id = 'co1', type = 'companies') =>
      read(target, async (tx) => tx.pageEdges(type, id, request));
    const cursor = (await page(storage, { toType: 'contacts', limit: 5 })).after!;
    const labelled = (await page(storage, { toType: 'contacts', limit: 5, labels: ['x', 'y'] })).after!;
    const scan = (await read(storage, async (tx) => tx.scanRecords('contacts', { limit: 1 }))).after!;
    const [position, tag] = cursor.slice(1).split('.') as [string, string];
    const moved = Buffer.from(JSON.stringify([AT, 1])).toString('base64url');
    for (const [target, request, id, type] of [
      [other, { toType: 'contacts', limit: 5, after: cursor }],
      [storage, { toType: 'contacts', limit: 5, after: cursor }, 'c1', 'contacts'],
      [storage, { toType: 'companies', limit: 5, after: cursor }],
      [storage, { toType: 'contacts', limit: 5, after: cursor, labels: ['x'] }],
      [storage, { toType: 'contacts', limit: 5, after: labelled }],
      [storage, { toType: 'contacts', limit: 5, after: `p${moved}.${tag}` }],
      [storage, { toType: 'contacts', limit: 5, after: `p${position}.0` }],
      [storage, { toType: 'contacts', limit: 5, after: scan }],
      [storage, { toType: 'contacts', limit: 5, after: 'not a cursor' }],
      [storage, { toType: 'contacts', limit: 5, after: 42 as unknown as string }],
    ] as const) {
      const error = await rejection(page(target, request, id, type), 'VALIDATION_ERROR');
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.details.issues[0]?.code).toBe('INVALID_CURSOR');
    }
    // The same labels in another order are the same filter: its cursor goes on.
    const next = await page(storage, { toType: 'contacts', limit: 5, after: labelled, labels: ['y', 'x'] });
    expect(next.edges.map((found) => found.toId)).toEqual(['c11', 'c13', 'c15', 'c17', 'c19']);
    await storage.close();
    await other.close();
  });
});
