// Static lists on the SQL adapters (crmkit_list_members: SQLite schema 4, PostgreSQL schema 5),
// on a SQLite file and PGlite (and a server when CRMKIT_PG_URL is set): what the conformance
// suite cannot see from the seam. Rows are per tenant, a purged record leaves none behind, and a
// refused write is a STORAGE_ERROR. Then the plans, on 50,000 contacts never analysed: a search
// of a 100-member list reads the list along its primary key and each member's record by its key
// (not the 50,000 records), and its count does the same; a list of most records walks the sort's
// index and probes each membership; and on PostgreSQL every list statement reads by the key it
// needs. The conformance suite's differential tests check the answers.
import Database from 'better-sqlite3';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCrmError, type PlanProperty, type SearchPlan, type Storage, type StoredRecord } from 'crmkit/storage';
import { postgresStorage, type PostgresQueryable } from 'crmkit/postgres';
import { sqliteStorage } from 'crmkit/sqlite';
import { sqlDatabases } from './sql-databases.js';

const { file, pglite, pool, tenant: freshTenant } = sqlDatabases('lists');

/** The list rows of a tenant, as [list, type, record] sorted. */
type Rows = (tenant: string) => Promise<string[][]>;

interface Target {
  readonly name: string;
  /** Storages on one database, each on its tenant. */
  readonly open: (tenant: string) => Storage;
  readonly rows: Rows;
  readonly close?: () => void;
}

const sortRows = (rows: Array<{ list_id: string; object_type: string; record_id: string }>): string[][] =>
  rows.map((row) => [row.list_id, row.object_type, row.record_id]).sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1));

function sqliteTarget(): Target {
  const path = file();
  const inspect = () => new Database(path, { readonly: true });
  return {
    name: 'sqlite',
    open: (tenant) => sqliteStorage(path, { tenant }),
    rows: async (tenant) => {
      const db = inspect();
      try {
        return sortRows(db.prepare('SELECT list_id, object_type, record_id FROM crmkit_list_members WHERE tenant = ?').all(tenant) as never);
      } finally {
        db.close();
      }
    },
  };
}

function postgresTarget(name: string, client: PostgresQueryable | pg.Pool): Target {
  return {
    name,
    open: (tenant) => (client instanceof pg.Pool ? postgresStorage({ pool: client, tenant }) : postgresStorage({ client, tenant })),
    rows: async (tenant) => sortRows((await client.query('SELECT list_id, object_type, record_id FROM crmkit_list_members WHERE tenant = $1', [tenant])).rows),
  };
}

const TARGETS: Array<() => Target> = [sqliteTarget, () => postgresTarget('postgres (PGlite)', pglite), ...(pool ? [() => postgresTarget('postgres (server)', pool)] : [])];

const AT = '2026-01-01T00:00:00.000Z';
const contact = (id: string): StoredRecord => ({ id, objectType: 'contacts', properties: { hs_object_id: id }, createdAt: AT, updatedAt: AT, archived: false });

describe.each(TARGETS.map((make) => [make().name, make] as const))('static lists on %s', (_name, make) => {
  const target = make();

  it('keeps each tenant’s lists apart: the same list id in two tenants is two lists', async () => {
    const [a, b] = [freshTenant(), freshTenant()];
    const [one, two] = [target.open(a), target.open(b)];
    try {
      await one.transaction('write', async (tx) => tx.addToList!('7', 'contacts', ['x', 'y']));
      await two.transaction('write', async (tx) => tx.addToList!('7', 'contacts', ['y', 'z']));
      await one.transaction('write', async (tx) => {
        await tx.removeFromList!('7', 'contacts', ['y']);
        await tx.insertRecords([contact('z')]);
        await tx.deleteRecords('contacts', ['z']);
      });
      await two.transaction('write', async (tx) => tx.removeFromList!('7', 'contacts', undefined));
      expect(await one.transaction('read', async (tx) => tx.listsOf!('contacts', ['x', 'y', 'z']))).toEqual([['7'], [], []]);
      expect(await target.rows(a)).toEqual([['7', 'contacts', 'x']]);
      expect(await target.rows(b)).toEqual([]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('deleteRecords deletes the purged records’ rows in every list, and no other row', async () => {
    const tenant = freshTenant();
    const storage = target.open(tenant);
    try {
      await storage.transaction('write', async (tx) => {
        await tx.insertRecords(['a', 'b', 'c'].map(contact));
        await tx.addToList!('L1', 'contacts', ['a', 'b', 'c']);
        await tx.addToList!('L2', 'contacts', ['a', 'c']);
        await tx.addToList!('L1', 'companies', ['a']);
      });
      await storage.transaction('write', async (tx) => tx.deleteRecords('contacts', ['a', 'c', 'nobody']));
      expect(await target.rows(tenant)).toEqual([
        ['L1', 'companies', 'a'],
        ['L1', 'contacts', 'b'],
      ]);
    } finally {
      await storage.close();
    }
  });

  it('a list write the database refuses is a STORAGE_ERROR with its cause, and the transaction keeps none of its writes', async () => {
    const tenant = freshTenant();
    const storage = target.open(tenant);
    try {
      await storage.transaction('write', async (tx) => tx.addToList!('kept', 'contacts', ['a']));
      // PostgreSQL's text holds no NUL; SQLite's does, so there the connection is closed under the call.
      const refused = await storage
        .transaction('write', async (tx) => {
          await tx.addToList!('lost', 'contacts', ['a']);
          if (target.name === 'sqlite') (storage as unknown as { database: Database.Database }).database.close();
          await tx.addToList!('bad\u0000list', 'contacts', ['b']);
        })
        .catch((error: unknown) => error);
      expect(isCrmError(refused, 'STORAGE_ERROR'), String(refused)).toBe(true);
      expect((refused as { details: { cause?: unknown } }).details.cause).toBeDefined();
      expect(await target.rows(tenant)).toEqual([['kept', 'contacts', 'a']]);
    } finally {
      await storage.close();
    }
  });
});

// ---- Plans, on 50,000 contacts (no statistics) ----

const RECORDS = 50_000;
const created: PlanProperty = { name: 'createdate', type: 'datetime', multiple: false, indexed: true, column: 'createdAt' };
const score: PlanProperty = { name: 'score', type: 'number', multiple: false, indexed: false };
const time = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 1_000).toISOString();
const numbered = (n: number): StoredRecord => ({
  id: `c${n}`,
  objectType: 'contacts',
  properties: { hs_object_id: `c${n}`, createdate: time(n), score: n % 1_000 },
  createdAt: time(n),
  updatedAt: time(n),
  archived: false,
});
/** 100 contacts spread over the 50,000; most of them. */
const SMALL = Array.from({ length: 100 }, (_, k) => `c${k * 499 + 7}`);
const LARGE = Array.from({ length: 40_000 }, (_, k) => `c${k}`);

const plan = (list: string, sorts: SearchPlan['sorts']): SearchPlan => ({ objectType: 'contacts', where: { kind: 'member', list }, sorts, limit: 100, total: true });
const ORDERS: Array<[string, SearchPlan['sorts']]> = [
  ['the create date', [{ property: created, direction: 'asc' }]],
  ['id (no sort)', []],
  ['a property no index holds', [{ property: score, direction: 'desc' }]],
];

/** Loads the contacts and the two lists into a fresh tenant of `storage`. */
async function load(storage: Storage): Promise<void> {
  await storage.transaction('write', async (tx) => {
    await tx.indexProperties?.('contacts', [created]);
    for (let from = 0; from < RECORDS; from += 10_000) await tx.insertRecords(Array.from({ length: 10_000 }, (_, k) => numbered(from + k)));
    await tx.addToList!('small', 'contacts', SMALL);
    await tx.addToList!('large', 'contacts', LARGE);
  });
}

describe('sqlite plans for static lists (50,000 contacts, never analysed)', () => {
  const path = file();
  const storage = sqliteStorage(path, { tenant: 'plans' });
  beforeAll(async () => load(storage), 120_000);
  afterAll(async () => storage.close());

  /** EXPLAIN QUERY PLAN's details of a statement. */
  const details = (sql: string, params: readonly unknown[]): string[] =>
    (storage.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail);

  for (const [name, sorts] of ORDERS) {
    it(`a page of a 100-member list sorted by ${name} reads the list by its primary key and each record by its key, and so does its count`, async () => {
      const explained = await storage.transaction('read', async (tx) => tx.explainSearch!(plan('small', sorts)));
      expect(explained.index).toBe('list small');
      const rows = (explained.plan as Array<{ detail: string }>).map((row) => row.detail);
      expect(rows).toContain('SEARCH lm USING PRIMARY KEY (tenant=? AND object_type=? AND list_id=?)');
      const reads = rows.filter((detail) => / r\b/.test(detail));
      expect(reads, rows.join('\n')).toEqual(['SEARCH r USING INDEX sqlite_autoindex_crmkit_records_1 (tenant=? AND object_type=? AND id=?)']);
      // The count: the same reads (its parameters: the tenant, then the list).
      const count = details(explained.count as string, ['plans', 'small']);
      expect(count, count.join('\n')).toEqual(['SEARCH lm USING PRIMARY KEY (tenant=? AND object_type=? AND list_id=?)', 'SEARCH r USING INDEX sqlite_autoindex_crmkit_records_1 (tenant=? AND object_type=? AND id=?)']);
      // And the answer: the 100 members.
      const page = await storage.transaction('read', async (tx) => tx.searchRecords!(plan('small', sorts)));
      expect(page.total).toBe(100);
      expect(page.records.map((one) => one.id).sort()).toEqual([...SMALL].sort());
    });
  }

  it('a page of a list holding most records walks the sort’s index and probes each record’s membership by its whole key', async () => {
    const explained = await storage.transaction('read', async (tx) => tx.explainSearch!(plan('large', ORDERS[0]![1])));
    expect(explained.index).toBeUndefined();
    const rows = (explained.plan as Array<{ detail: string }>).map((row) => row.detail);
    expect(rows.some((detail) => /^SEARCH r USING INDEX crmkit_s_\w+_createdate/.test(detail)), rows.join('\n')).toBe(true);
    expect(rows.some((detail) => /SEARCH l\d+ EXISTS USING COVERING INDEX crmkit_list_members_record \(tenant=\? AND object_type=\? AND record_id=\? AND list_id=\?\)/.test(detail)), rows.join('\n')).toBe(true);
    const page = await storage.transaction('read', async (tx) => tx.searchRecords!({ ...plan('large', ORDERS[0]![1]), total: false }));
    expect(page.records.map((one) => one.id)).toEqual(LARGE.slice(0, 100));
  });
});

/** One node of PostgreSQL's EXPLAIN (FORMAT JSON). */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** The key column a read of each table (filled here) must be bounded by. */
const KEY: Record<string, RegExp> = { crmkit_records: /\bid = /, crmkit_list_members: /\b(list_id|record_id) = / };

/** Every read (a scan of a table or index) of crmkit_records or crmkit_list_members in a plan: [relation, how, index, condition]. */
function readsOf(node: PlanNode): string[][] {
  const relation = node['Relation Name'];
  const own = relation !== undefined && KEY[relation] !== undefined && /Scan$/.test(node['Node Type']) ? [[relation, node['Node Type'], node['Index Name'] ?? '', node['Index Cond'] ?? '']] : [];
  return [...own, ...(node.Plans ?? []).flatMap(readsOf)];
}

/**
 * What is wrong with a plan: a sequential scan of those tables, or an index read not bounded by
 * the key it looks up. A TID scan names rows found before.
 */
function unbounded(node: PlanNode): string[] {
  return readsOf(node).flatMap(([relation, how, index, condition]) => {
    if (how === 'Tid Scan') return [];
    if (!/Index/.test(how!)) return [`${how} on ${relation}`];
    return KEY[relation!]!.test(condition!) ? [] : [`${how} using ${index} on ${relation} bounded only by ${condition}`];
  });
}

describe('postgres plans for static lists (PGlite, 50,000 contacts, never analysed)', () => {
  const tenant = 'plans';
  /** Statements the storage sends that touch the list table, with their plans, while recording. */
  const seen: Array<{ text: string; plan: PlanNode }> = [];
  let recording = false;
  const db = new PGlite();
  const client: PostgresQueryable = {
    async query(text, params) {
      if (recording && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text) && /\bcrmkit_list_members\b/.test(text)) {
        const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
        const output = rows[0]!['QUERY PLAN'];
        seen.push({ text, plan: ((typeof output === 'string' ? JSON.parse(output) : output) as Array<{ Plan: PlanNode }>)[0]!.Plan });
      }
      return db.query(text, params);
    },
  };
  const storage = postgresStorage({ client, tenant, maintenance: false });
  beforeAll(async () => load(storage), 120_000);
  afterAll(async () => {
    await storage.close();
    await db.close();
  });

  const explain = async (searched: SearchPlan) => storage.transaction('read', async (tx) => tx.explainSearch!(searched));

  for (const [name, sorts] of ORDERS) {
    it(`a page of a 100-member list sorted by ${name} reads the list by its primary key and each record by its key, and so does its count`, async () => {
      const explained = await explain(plan('small', sorts));
      expect(explained.index).toBe('list small');
      const root = (explained.plan as Array<{ Plan: PlanNode }>)[0]!.Plan;
      expect(unbounded(root)).toEqual([]);
      expect(readsOf(root).map(([relation, , index]) => `${relation} ${index}`).sort(), JSON.stringify(root)).toEqual(['crmkit_list_members crmkit_list_members_pkey', 'crmkit_records crmkit_records_pkey']);
      const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${explained.count as string}`, [tenant, 'small']);
      const output = rows[0]!['QUERY PLAN'];
      const count = ((typeof output === 'string' ? JSON.parse(output) : output) as Array<{ Plan: PlanNode }>)[0]!.Plan;
      expect(unbounded(count)).toEqual([]);
      const page = await storage.transaction('read', async (tx) => tx.searchRecords!(plan('small', sorts)));
      expect(page.total).toBe(100);
      expect(page.records.map((one) => one.id).sort()).toEqual([...SMALL].sort());
    });
  }

  it('a page of a list holding most records sorted by an indexed key walks that index and probes each record’s membership by its whole key', async () => {
    const explained = await explain(plan('large', ORDERS[0]![1]));
    expect(explained.index).toBeUndefined();
    const reads = readsOf((explained.plan as Array<{ Plan: PlanNode }>)[0]!.Plan);
    expect(reads.some(([relation, , index]) => relation === 'crmkit_records' && /^crmkit_s_\w+_createdate$/.test(index!)), JSON.stringify(reads)).toBe(true);
    const probe = reads.find(([relation]) => relation === 'crmkit_list_members');
    expect(probe?.[3], JSON.stringify(reads)).toMatch(/list_id = .*record_id = |record_id = .*list_id = /);
    const page = await storage.transaction('read', async (tx) => tx.searchRecords!({ ...plan('large', ORDERS[0]![1]), total: false }));
    expect(page.records.map((one) => one.id)).toEqual(LARGE.slice(0, 100));
  });

  it('every list statement (add, remove, empty, listsOf, purge) reads the list table only by the key it needs', async () => {
    seen.length = 0;
    recording = true;
    try {
      await storage.transaction('write', async (tx) => {
        await tx.addToList!('fresh', 'contacts', ['c1', 'c2', 'c3']);
        await tx.removeFromList!('fresh', 'contacts', ['c1']);
        await tx.removeFromList!('fresh', 'contacts', ['c2', 'c3']);
        await tx.removeFromList!('small', 'contacts', undefined);
        await tx.listsOf!('contacts', ['c7']);
        await tx.listsOf!('contacts', ['c7', 'c8', 'c9']);
        await tx.deleteRecords('contacts', ['c506']);
        throw new Error('roll back');
      }).catch((error: unknown) => {
        if (!(error instanceof Error && error.message === 'roll back')) throw error;
      });
    } finally {
      recording = false;
    }
    expect(seen.length).toBe(7);
    expect(seen.flatMap(({ text, plan: root }) => unbounded(root).map((problem) => `${problem}\n  in ${text.replace(/\s+/g, ' ').slice(0, 120)}`))).toEqual([]);
  });
});
