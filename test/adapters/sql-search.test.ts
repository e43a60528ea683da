// Search plans in SQL (src/adapters/sql/search.ts) on SQLite (a real file) and PostgreSQL
// (PGlite; the real server too, only when CRMKIT_PG_URL is set, e.g. from .ci/postgres.sh, as CI
// does): what SQL makes easy to get wrong. Each answer is checked against the reference evaluator
// (evaluateSearch) over the same transaction: NOT as the exact complement when values are
// missing (SQL's NULL), code-point order and missing values last, JSON arrays, folding of
// non-ASCII letters (final sigma, ß, İ), word tokens, keyset pages, association any/all with
// labels and archived ends; then expression indexes (created, used by an indexed EQ, dropped)
// and the explain output. The conformance suite's differential test (crmkit/testing/conformance)
// runs the adapters on random plans besides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSearch, foldCase, positionOf, type PlanProperty, type PlanSort, type Predicate, type SearchPlan, type Storage, type StorageTx, type StoredEdge, type StoredRecord } from 'crmkit/storage';
import { postgresStorage } from 'crmkit/postgres';
import { sqliteStorage } from 'crmkit/sqlite';
import { tokenLike, tokenRegex } from '../../src/adapters/sql/token-regex.js';
import { tokenMatches } from 'crmkit/storage';
import { sqlDatabases } from './sql-databases.js';

const { file, pglite, pool, tenant } = sqlDatabases('search');

interface Target {
  readonly name: string;
  readonly open: () => Storage;
  /** Whether the database's plan for a statement shows an index of that name. */
  readonly usesIndex: (plan: unknown, index: string) => boolean;
}

const TARGETS: Target[] = [
  {
    name: 'sqlite',
    open: () => sqliteStorage(file(), { tenant: tenant() }),
    usesIndex: (plan, index) => (plan as Array<{ detail: string }>).some((row) => row.detail.includes(`USING INDEX ${index}`)),
  },
  { name: 'postgres (PGlite)', open: () => postgresStorage({ client: pglite, tenant: tenant() }), usesIndex: (plan, index) => JSON.stringify(plan).includes(`"Index Name":"${index}"`) },
  ...(pool
    ? [{ name: 'postgres (server)', open: () => postgresStorage({ pool, tenant: tenant() }), usesIndex: (plan: unknown, index: string) => JSON.stringify(plan).includes(`"Index Name":"${index}"`) }]
    : []),
];

const AT = '2026-01-01T00:00:00.000Z';
const prop = (name: string, type: PlanProperty['type'], multiple = false): PlanProperty => ({ name, type, multiple, indexed: false });
const NAME = prop('name', 'string');
const TIER = prop('tier', 'enumeration');
const AMOUNT = prop('amount', 'number');
const ACTIVE = prop('active', 'bool');
const BORN = prop('born', 'date');
const SEEN = prop('seen', 'datetime');
const TAGS = prop('tags', 'enumeration', true);
const NOTES = prop('notes', 'string', true);

const record = (objectType: string, id: string, properties: Record<string, unknown>, archived = false): StoredRecord => ({
  id,
  objectType,
  properties: properties as StoredRecord['properties'],
  createdAt: AT,
  updatedAt: AT,
  archived,
});

/** Contacts whose values cover every type, missing ones, non-ASCII letters and code-point order traps. */
const CONTACTS: StoredRecord[] = [
  record('contacts', 'c1', { name: 'ΟΔΟΣ Σ', tier: 'gold', amount: 10, active: true, born: '1990-05-01', seen: '2026-01-02T10:00:00.000Z', tags: ['a', 'b'], notes: ['Straße', 'Émile'] }),
  record('contacts', 'c2', { name: 'STRASSE', tier: 'Gold', amount: 2, active: false, born: '1985-12-31', tags: [], notes: 'ÄRGER' }),
  record('contacts', 'c3', { name: 'straße', amount: -1.5, seen: '2025-06-30T23:59:59.999Z', tags: ['b'] }),
  record('contacts', 'c4', { name: 'İstanbul office', tier: 'silver', amount: 1e21, active: true, tags: 'c' }),
  record('contacts', 'c5', { name: 'ann@acme.com', tier: 'gold', amount: 0.1 + 0.2, born: '2000-02-29', notes: ['acme corp'] }),
  record('contacts', 'c6', { name: 'Zeta', tier: null, amount: null, active: null, tags: null }),
  record('contacts', 'c7', { name: 'zeta', tier: 'bronze', amount: 0.3 }),
  record('contacts', 'c8', { name: '\u{1F600} smile', tier: '\uFFFD', amount: 3 }),
  record('contacts', 'c9', { name: '\uFFFD other', tier: '\u{10000}', amount: 3 }),
  record('contacts', 'C10', {}),
  record('contacts', 'c11', { name: 'archived', amount: 10 }, true),
  record('contacts', 'é', { name: 'École', tier: 'gold', amount: 10 }),
];
const COMPANIES: StoredRecord[] = [
  record('companies', 'co1', { name: 'Acme', tier: 'software' }),
  record('companies', 'co2', { name: 'Globex', tier: 'hardware' }),
  record('companies', 'co3', { name: 'Gone', tier: 'software' }, true),
  record('companies', 'co4', { name: 'Initech' }),
];
const edge = (fromId: string, toId: string, labels: string[] = [], archived = false): StoredEdge => ({
  fromType: 'contacts',
  fromId,
  toType: 'companies',
  toId,
  labels,
  inverseLabels: [],
  createdAt: AT,
  archived,
});
const EDGES: StoredEdge[] = [
  edge('c1', 'co1', ['primary']),
  edge('c1', 'co2'),
  edge('c2', 'co1', ['billing']),
  edge('c3', 'co2', ['primary', 'billing']),
  edge('c4', 'co3', ['primary']), // to an archived company: never followed
  edge('c5', 'co4', ['primary'], true), // an archived edge: never followed
  edge('c5', 'co1'),
  edge('é', 'co4', ['primary']),
];

async function seeded(target: Target): Promise<Storage> {
  const storage = target.open();
  await storage.transaction('write', async (tx) => {
    await tx.insertRecords([...CONTACTS, ...COMPANIES]);
    await tx.putEdges(EDGES);
  });
  return storage;
}

const plan = (where: Predicate | undefined, sorts: PlanSort[] = [], extra: Partial<SearchPlan> = {}): SearchPlan => ({
  objectType: 'contacts',
  ...(where ? { where } : {}),
  sorts,
  limit: 100,
  total: true,
  ...extra,
});

const ids = (records: readonly StoredRecord[]): string[] => records.map((found) => found.id);

/** The storage's SQL answer, checked against the reference evaluator on the same transaction. */
async function agreed(storage: Storage, searched: SearchPlan): Promise<string[]> {
  return storage.transaction('read', async (tx: StorageTx) => {
    const answer = await tx.searchRecords!(searched);
    const reference = await evaluateSearch(tx, searched);
    expect({ ids: ids(answer.records), more: answer.more, total: answer.total }).toEqual({ ids: ids(reference.records), more: reference.more, total: reference.total });
    expect(answer.records).toEqual(reference.records);
    return ids(answer.records);
  });
}

/**
 * The ids of every page from the first, each resumed at the last record's position and checked
 * against the reference evaluator, each answering `total`.
 */
async function pagedThrough(storage: Storage, sorts: PlanSort[], limit: number, total: number): Promise<string[]> {
  const seen: string[] = [];
  let after: SearchPlan['after'];
  for (;;) {
    const paged = plan(undefined, sorts, { limit, ...(after ? { after } : {}) });
    const page = await storage.transaction('read', async (tx) => tx.searchRecords!(paged));
    await agreed(storage, paged);
    seen.push(...ids(page.records));
    expect(page.total).toBe(total);
    if (!page.more) return seen;
    after = positionOf(page.records.at(-1)!, sorts);
  }
}

const not = (of: Predicate): Predicate => ({ kind: 'not', of });
const eq = (property: PlanProperty, value: string | number | boolean): Predicate => ({ kind: 'compare', property, op: 'eq', value });

for (const target of TARGETS) {
  describe(`search in SQL: ${target.name}`, () => {
    const storage = seeded(target);

    it('NOT is the exact complement among live records: records without the value match not(eq), not(lt), not(in), not(present)', async () => {
      const s = await storage;
      const withoutTier = ['C10', 'c3', 'c6'];
      const notGold = await agreed(s, plan(not(eq(TIER, 'gold'))));
      for (const id of withoutTier) expect(notGold).toContain(id);
      expect(notGold).not.toContain('c11');
      expect(await agreed(s, plan(not({ kind: 'compare', property: AMOUNT, op: 'lt', value: 3 })))).toEqual(expect.arrayContaining(['C10', 'c6', 'c4']));
      await agreed(s, plan(not({ kind: 'in', property: TIER, values: ['gold', 'silver'] })));
      expect(await agreed(s, plan(not({ kind: 'present', property: AMOUNT })))).toEqual(['C10', 'c6']);
      // Double negation, and De Morgan over and/or with missing values on both sides.
      await agreed(s, plan(not(not(eq(ACTIVE, true)))));
      await agreed(s, plan(not({ kind: 'and', of: [eq(ACTIVE, true), { kind: 'compare', property: BORN, op: 'gte', value: '1990-01-01' }] })));
      await agreed(s, plan(not({ kind: 'or', of: [eq(ACTIVE, false), { kind: 'compare', property: SEEN, op: 'lt', value: '2026-01-01T00:00:00.000Z' }] })));
      // The empty and (true) and or (false), negated too.
      expect(await agreed(s, plan({ kind: 'or', of: [] }))).toEqual([]);
      expect(await agreed(s, plan(not({ kind: 'and', of: [] })))).toEqual([]);
      expect((await agreed(s, plan({ kind: 'and', of: [] }))).length).toBe(11);
    });

    it('compares every type as the reference does: numbers numerically, dates and datetimes as text, booleans, enumerations exactly', async () => {
      const s = await storage;
      for (const op of ['eq', 'lt', 'lte', 'gt', 'gte'] as const) {
        await agreed(s, plan({ kind: 'compare', property: AMOUNT, op, value: 0.30000000000000004 }));
        await agreed(s, plan({ kind: 'compare', property: AMOUNT, op, value: 3 }));
        await agreed(s, plan({ kind: 'compare', property: BORN, op, value: '1990-05-01' }));
        await agreed(s, plan({ kind: 'compare', property: SEEN, op, value: '2026-01-02T10:00:00.000Z' }));
        await agreed(s, plan({ kind: 'compare', property: NAME, op, value: 'straße' }));
      }
      // 0.1 + 0.2 is not 0.3 in JavaScript, nor in double precision.
      expect(await agreed(s, plan(eq(AMOUNT, 0.3)))).toEqual(['c7']);
      expect(await agreed(s, plan(eq(AMOUNT, 1e21)))).toEqual(['c4']);
      expect(await agreed(s, plan(eq(ACTIVE, false)))).toEqual(['c2']);
      expect(await agreed(s, plan(eq(TIER, 'gold')))).toEqual(['c1', 'c5', 'é']);
    });

    it('folds non-ASCII letters as JavaScript does (final sigma, ß, Ä, É, İ), in comparisons, sorts and tokens', async () => {
      const s = await storage;
      expect(await agreed(s, plan(eq(NAME, foldCase('ΟΔΟΣ Σ'))))).toEqual(['c1']);
      expect(foldCase('ΟΔΟΣ Σ')).toBe('οδος σ');
      expect(await agreed(s, plan(eq(NAME, 'straße')))).toEqual(['c3']);
      expect(await agreed(s, plan(eq(NAME, 'strasse')))).toEqual(['c2']);
      expect(await agreed(s, plan(eq(NAME, foldCase('İstanbul office'))))).toEqual(['c4']);
      expect(await agreed(s, plan({ kind: 'in', property: NOTES, values: ['ärger', 'émile'] }))).toEqual(['c1', 'c2']);
      await agreed(s, plan(undefined, [{ property: NAME, direction: 'asc' }]));
      await agreed(s, plan(undefined, [{ property: NAME, direction: 'desc' }]));
      expect(await agreed(s, plan({ kind: 'tokens', property: NAME, pattern: 'οδος' }))).toEqual(['c1']);
      expect(await agreed(s, plan({ kind: 'tokens', property: NAME, pattern: 'σ' }))).toEqual(['c1']);
      expect(await agreed(s, plan({ kind: 'tokens', property: NAME, pattern: 'éc*' }))).toEqual(['é']);
    });

    it('orders text by code point, missing values last in both directions, ties by id', async () => {
      const s = await storage;
      for (const direction of ['asc', 'desc'] as const) {
        for (const property of [NAME, TIER, AMOUNT, ACTIVE, BORN, SEEN]) {
          const order = await agreed(s, plan(undefined, [{ property, direction }]));
          // Records without the value come after every record with one, whichever the direction.
          const missing = order.map((id) => CONTACTS.find((made) => made.id === id)!.properties[property.name] == null);
          expect(missing).toEqual([...missing].sort((a, b) => Number(a) - Number(b)));
          expect(missing.at(-1)).toBe(true);
        }
        await agreed(s, plan(undefined, [{ property: TIER, direction }, { property: AMOUNT, direction: direction === 'asc' ? 'desc' : 'asc' }]));
      }
      // '\uFFFD' sorts before '\u{10000}' by code point (UTF-16 order says the opposite).
      const byTier = await agreed(s, plan({ kind: 'in', property: TIER, values: ['\uFFFD', '\u{10000}'] }, [{ property: TIER, direction: 'asc' }]));
      expect(byTier).toEqual(['c8', 'c9']);
      // Ties by id in code-point order: 'C10' < 'c…' < 'é'.
      expect(await agreed(s, plan(undefined, [], { limit: 3 }))).toEqual(['C10', 'c1', 'c2']);
    });

    it('matches multi-valued properties (JSON arrays, or a single value) when any element does; present means a non-empty array', async () => {
      const s = await storage;
      expect(await agreed(s, plan(eq(TAGS, 'b')))).toEqual(['c1', 'c3']);
      expect(await agreed(s, plan(eq(TAGS, 'c')))).toEqual(['c4']);
      await agreed(s, plan(not(eq(TAGS, 'b'))));
      expect(await agreed(s, plan({ kind: 'present', property: TAGS }))).toEqual(['c1', 'c3', 'c4']);
      await agreed(s, plan(not({ kind: 'in', property: TAGS, values: ['a', 'c'] })));
      expect(await agreed(s, plan({ kind: 'tokens', property: NOTES, pattern: 'corp' }))).toEqual(['c5']);
      await agreed(s, plan({ kind: 'compare', property: NOTES, op: 'gt', value: 'b' }));
    });

    it('matches word tokens and * globs as tokenMatches does, regex and LIKE characters meaning themselves', async () => {
      const s = await storage;
      for (const pattern of ['acme', 'ac*', '*@acme.com', 'ann@*', 'a*e', 'office', '*', 'sm*', '\u{1F600}', '.*', 'a.b*', '%', '_']) {
        await agreed(s, plan({ kind: 'tokens', property: NAME, pattern }));
        await agreed(s, plan(not({ kind: 'tokens', property: NAME, pattern })));
      }
    });

    it('pages by keyset position: every record once, in order, whatever the sort and its missing values', async () => {
      const s = await storage;
      const sortings: PlanSort[][] = [[], [{ property: AMOUNT, direction: 'desc' }], [{ property: TIER, direction: 'asc' }, { property: NAME, direction: 'desc' }], [{ property: ACTIVE, direction: 'asc' }]];
      for (const sorts of sortings) {
        const all = await agreed(s, plan(undefined, sorts));
        expect(await pagedThrough(s, sorts, 2, all.length)).toEqual(all);
      }
      // limit 0: a count, and whether any match follows.
      expect(await agreed(s, plan(eq(TIER, 'gold'), [], { limit: 0 }))).toEqual([]);
    });

    it('a page no index orders counts its matches in its own statement; a page past the last match (the rest archived since) still answers the total', async () => {
      const s = target.open();
      await s.transaction('write', async (tx) => tx.insertRecords(['c1', 'c2', 'c3', 'c4', 'c5'].map((id, n) => record('contacts', id, { name: `n${5 - n}`, tier: n === 4 ? 'bronze' : 'gold' }))));
      const sorts: PlanSort[] = [{ property: NAME, direction: 'asc' }];
      const gold = plan(eq(TIER, 'gold'), sorts, { limit: 2 });
      const explained = await s.transaction('read', async (tx) => tx.explainSearch!(gold));
      expect(explained.statement).toMatch(/count\(\*\) OVER \(\)/);
      // By name ascending: c4, c3 | c2, c1 (c5 is bronze).
      const first = await s.transaction('read', async (tx) => tx.searchRecords!(gold));
      expect({ ids: ids(first.records), more: first.more, total: first.total }).toEqual({ ids: ['c4', 'c3'], more: true, total: 4 });
      const next = { ...gold, after: positionOf(first.records.at(-1)!, sorts) };
      expect(await agreed(s, next)).toEqual(['c2', 'c1']);
      // The rest archived: the next page has no row to carry the total, which is counted apart.
      await s.transaction('write', async (tx) => {
        const [c2, c1] = await tx.getRecords('contacts', ['c2', 'c1']);
        await tx.updateRecords([c2!, c1!].map((found) => ({ ...found, archived: true, archivedAt: AT })));
      });
      const past = await s.transaction('read', async (tx) => tx.searchRecords!(next));
      expect({ ids: ids(past.records), more: past.more, total: past.total }).toEqual({ ids: [], more: false, total: 2 });
      await agreed(s, next);
    });

    it('follows associations in SQL: any and all, labels, an id, archived edges and records never followed, nested predicates', async () => {
      const s = await storage;
      const toCompanies = (extra: Partial<Extract<Predicate, { kind: 'association' }>> = {}): Predicate => ({ kind: 'association', toType: 'companies', match: 'any', ...extra });
      expect(await agreed(s, plan(toCompanies()))).toEqual(['c1', 'c2', 'c3', 'c5', 'é']);
      expect(await agreed(s, plan(toCompanies({ labels: ['primary'] })))).toEqual(['c1', 'c3', 'é']);
      expect(await agreed(s, plan(toCompanies({ labels: ['billing', 'nothing'] })))).toEqual(['c2', 'c3']);
      expect(await agreed(s, plan(toCompanies({ id: 'co1' })))).toEqual(['c1', 'c2', 'c5']);
      const software = eq(TIER, 'software');
      expect(await agreed(s, plan(toCompanies({ where: software })))).toEqual(['c1', 'c2', 'c5']);
      // all: at least one, and every one matches (c1 also has Globex; c4's only company is archived).
      expect(await agreed(s, plan(toCompanies({ match: 'all', where: software })))).toEqual(['c2', 'c5']);
      expect(await agreed(s, plan(not(toCompanies({ match: 'all', where: software }))))).toEqual(expect.arrayContaining(['c1', 'c4', 'C10']));
      await agreed(s, plan(not(toCompanies({ where: software, labels: ['primary'] }))));
      await agreed(s, plan(toCompanies({ match: 'all', where: not(software) })));
      // Nested: contacts of a company that has a contact whose tier is bronze … or gold.
      const back: Predicate = { kind: 'association', toType: 'contacts', match: 'any', where: { kind: 'in', property: TIER, values: ['gold'] } };
      await agreed(s, plan(toCompanies({ where: back })));
      await agreed(s, plan(toCompanies({ match: 'all', where: not(back) })));
    });

    it('counts one association from the other side as the reference does: labels seen from the searched record, an id, a nested filter, archived edges and records, a record reached twice', async () => {
      const s = target.open();
      await s.transaction('write', async (tx) => {
        await tx.insertRecords([...CONTACTS, ...COMPANIES]);
        await tx.putEdges([
          ...EDGES,
          edge('c11', 'co1', ['primary']), // from an archived contact: never counted
          edge('c3', 'co1', ['primary']), // c3 reached through two software companies… once
          { ...edge('c7', 'co2', []), inverseLabels: ['primary'] }, // primary seen from the company only
        ]);
      });
      const toCompanies = (extra: Partial<Extract<Predicate, { kind: 'association' }>> = {}): Predicate => ({ kind: 'association', toType: 'companies', match: 'any', ...extra });
      const software = eq(TIER, 'software');
      const cases: Predicate[] = [
        toCompanies(),
        toCompanies({ labels: ['primary'] }),
        toCompanies({ labels: ['billing', 'nothing'] }),
        toCompanies({ labels: [] }),
        toCompanies({ id: 'co1' }),
        toCompanies({ id: 'co3' }),
        toCompanies({ where: software, labels: ['primary'] }),
        { kind: 'and', of: [{ kind: 'or', of: [toCompanies({ where: not(software) })] }] },
        toCompanies({ id: 'co1', where: software, labels: ['primary', 'billing'] }),
      ];
      for (const where of cases) {
        // limit 0: the count alone; limit 1: a page and, since more follow, the count.
        for (const limit of [0, 1]) await agreed(s, plan(where, [], { limit }));
      }
      expect((await s.transaction('read', async (tx) => tx.searchRecords!(plan(toCompanies({ where: software, labels: ['primary'] }), [], { limit: 0 })))).total).toBe(2);
    });

    it('plans hold without statistics (a fresh database, never analysed): associations probe by key, a keyset page is a range on the sort index', async () => {
      const s = target.open();
      const seen = { ...prop('seen', 'datetime'), indexed: true };
      const tier = { ...prop('tier', 'enumeration'), indexed: true };
      const many = Array.from({ length: 300 }, (_, n) => record('contacts', `m${String(n).padStart(3, '0')}`, { seen: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`, tier: `t${n % 3}` }));
      const companies = Array.from({ length: 30 }, (_, n) => record('companies', `k${n}`, { tier: n % 2 ? 'software' : 'hardware' }));
      await s.transaction('write', async (tx) => {
        await tx.insertRecords([...many, ...companies]);
        await tx.putEdges(many.map((contact, n) => ({ ...edge(contact.id, `k${n % 30}`, n % 4 ? [] : ['primary']) })));
        await tx.indexProperties!('contacts', [seen, tier]);
        await tx.indexProperties!('companies', [tier]);
      });
      const text = (explained: { plan?: unknown }): string => JSON.stringify(explained.plan);
      // The association: the other record by its primary key, never by a search index of its type with a filter on the id.
      const association = plan({ kind: 'association', toType: 'companies', match: 'any', labels: ['primary'], where: eq(TIER, 'software') });
      const probed = text(await s.transaction('read', async (tx) => tx.explainSearch!(association)));
      if (target.name === 'sqlite') expect(probed).toMatch(/SEARCH o\d+ USING INDEX sqlite_autoindex_crmkit_records_1 \(tenant=\? AND object_type=\? AND id=\?\)/);
      else {
        expect(probed).toMatch(/"Index Name":"crmkit_records_pkey"/);
        expect(probed).not.toMatch(/Join Filter/);
      }
      await agreed(s, association);
      // A keyset page on an indexed sort resumes by a range on its index.
      const sorts: PlanSort[] = [{ property: seen, direction: 'desc' }];
      const first = await s.transaction('read', async (tx) => tx.searchRecords!(plan(undefined, sorts, { limit: 50 })));
      const resumed = plan(undefined, sorts, { limit: 50, after: positionOf(first.records.at(-1)!, sorts) });
      const ranged = await s.transaction('read', async (tx) => tx.explainSearch!(resumed));
      const sortIndex = indexNameIn(ranged.plan);
      expect(sortIndex, text(ranged)).toMatch(/_seen$/);
      if (target.name === 'sqlite') expect(text(ranged)).toMatch(/USING INDEX crmkit_s_\w+_seen \(tenant=\? AND <expr><\?\)/);
      else expect(text(ranged)).toMatch(/"Index Name":"crmkit_s_\w+_seen"[^}]*"Index Cond":"[^"]*'seen'[^"]* <= /);
      await agreed(s, resumed);
    });

    it('without statistics, a page reads an EQ\'s own index when its matches are few, and walks the sort\'s index in order when they are many', async () => {
      const s = target.open();
      const seen = { ...prop('seen', 'datetime'), indexed: true };
      const tier = { ...prop('tier', 'enumeration'), indexed: true };
      const many = Array.from({ length: 400 }, (_, n) =>
        record('contacts', `m${String(n).padStart(3, '0')}`, { seen: `2026-01-01T00:${String(n % 60).padStart(2, '0')}:00.000Z`, tier: n % 80 === 0 ? 'rare' : `t${n % 2}` }),
      );
      await s.transaction('write', async (tx) => {
        await tx.insertRecords(many);
        await tx.indexProperties!('contacts', [seen, tier]);
      });
      const sorts: PlanSort[] = [{ property: seen, direction: 'desc' }];
      const explain = async (searched: SearchPlan) => s.transaction('read', async (tx) => tx.explainSearch!(searched));
      // 5 matches of 400, 10 a page: the EQ's index.
      const rare = plan({ kind: 'compare', property: tier, op: 'eq', value: 'rare' }, sorts, { limit: 10 });
      expect(indexNameIn((await explain(rare)).plan), JSON.stringify((await explain(rare)).plan)).toMatch(/_tier$/);
      expect(await agreed(s, rare)).toHaveLength(5);
      // 200 matches, 2 a page (past the cap of 10 a row): the sort's index, walked in order
      // (PostgreSQL orders the ties by id group by group instead of sorting every match).
      const common = plan({ kind: 'compare', property: tier, op: 'eq', value: 't0' }, sorts, { limit: 2 });
      const walked = await explain(common);
      expect(indexNameIn(walked.plan), JSON.stringify(walked.plan)).toMatch(/_seen$/);
      if (target.name !== 'sqlite') expect(JSON.stringify(walked.plan)).not.toMatch(/"Node Type":"Sort"/);
      await agreed(s, common);
      // The setting that steered it is put back: the transaction's next statement plans as before.
      if (target.name !== 'sqlite') {
        const show = (tx: StorageTx) => (tx as unknown as { session: { query(sql: string): Promise<Array<{ enable_sort: string }>> } }).session.query('SHOW enable_sort');
        const settings = await s.transaction('read', async (tx) => {
          await tx.searchRecords!(common);
          const during = await show(tx);
          await tx.getRecords('contacts', ['m000']);
          const next = await show(tx);
          // A search that walks no index plans its page as before, too.
          await tx.searchRecords!(common);
          await tx.searchRecords!({ ...common, sorts: [{ property: NAME, direction: 'asc' }] });
          const unsteered = await show(tx);
          // Without the total from the steering count: put back by the COUNT itself.
          await tx.searchRecords!({ ...common, where: { kind: 'and', of: [common.where!, { kind: 'present', property: tier }] } });
          return [during[0]!.enable_sort, next[0]!.enable_sort, unsteered[0]!.enable_sort, (await show(tx))[0]!.enable_sort];
        });
        expect(settings).toEqual(['off', 'on', 'on', 'on']);
      }
    });

    it('indexProperties creates typed expression indexes an indexed EQ uses (EXPLAIN shows it), keeps them on a repeat, and drops the unlisted', async () => {
      const s = target.open();
      const email = { ...prop('email', 'string'), indexed: true };
      const amount = { ...prop('amount', 'number'), indexed: true };
      const many = Array.from({ length: 400 }, (_, n) => record('contacts', `x${n}`, { email: `Person${n}@Example.com`, amount: n }));
      await s.transaction('write', async (tx) => {
        await tx.insertRecords(many);
        await tx.indexProperties!('contacts', [email, amount, { ...TAGS, indexed: true }]);
        await tx.indexProperties!('contacts', [email, amount]);
      });
      const analyse = async (): Promise<void> => {
        // Statistics, as a running database would have them (a fresh table has none).
        if (target.name === 'sqlite') await s.transaction('write', async () => void (s as unknown as { database: { exec(sql: string): void } }).database.exec('ANALYZE'));
        else if (target.name.includes('PGlite')) await pglite.query('ANALYZE crmkit_records');
        else await pool!.query('ANALYZE crmkit_records');
      };
      await analyse();
      const explained = await s.transaction('read', async (tx) => tx.explainSearch!(plan({ kind: 'compare', property: email, op: 'eq', value: 'person7@example.com' })));
      expect(explained).toMatchObject({ storage: target.name.startsWith('sqlite') ? 'sqlite' : 'postgres', strategy: 'sql' });
      expect(explained.statement).toMatch(/^SELECT .* FROM crmkit_records AS r/s);
      const index = indexNameIn(explained.plan);
      expect(index, JSON.stringify(explained.plan)).toMatch(/^crmkit_s_[0-9a-f]{8}_[0-9a-f]{8}_email$/);
      expect(target.usesIndex(explained.plan, index!)).toBe(true);
      expect(await agreed(s, plan({ kind: 'compare', property: email, op: 'eq', value: 'person7@example.com' }))).toEqual(['x7']);
      // Dropping: only email stays listed; amount's index goes, email's is the same one.
      await s.transaction('write', async (tx) => tx.indexProperties!('contacts', [email]));
      const after = await s.transaction('read', async (tx) => tx.explainSearch!(plan({ kind: 'compare', property: amount, op: 'eq', value: 7 })));
      expect(JSON.stringify(after.plan)).not.toMatch(/crmkit_s_[0-9a-f]{8}_[0-9a-f]{8}_amount/);
      expect(indexNameIn((await s.transaction('read', async (tx) => tx.explainSearch!(plan({ kind: 'compare', property: email, op: 'eq', value: 'x' })))).plan)).toBe(index);
      expect(await agreed(s, plan({ kind: 'compare', property: amount, op: 'gte', value: 398 }))).toEqual(['x398', 'x399']);
    });

    it.skipIf(target.name === 'sqlite')('PostgreSQL keeps whole-table statistics beside each JSON index, so its estimates follow the values (it reads none of a partial index), and drops them with the index', async () => {
      const s = target.open();
      const level = { ...prop('stat_level', 'enumeration'), indexed: true };
      await s.transaction('write', async (tx) => {
        await tx.insertRecords(Array.from({ length: 400 }, (_, n) => record('contacts', `s${n}`, { stat_level: n < 300 ? 'common' : `rare${n}` })));
        await tx.indexProperties!('contacts', [level]);
      });
      const query = async (sql: string): Promise<Array<Record<string, unknown>>> => (target.name.includes('PGlite') ? (await pglite.query<Record<string, unknown>>(sql)).rows : (await pool!.query(sql)).rows);
      const statistics = async (): Promise<unknown[]> => (await query(`SELECT stxname FROM pg_statistic_ext WHERE stxname LIKE 'crmkit_x_%_stat_level'`)).map((row) => row.stxname);
      expect(await statistics()).toHaveLength(1);
      await query('ANALYZE crmkit_records');
      // The scan's estimate of the matches: without the statistics, 0.5% of the table for any value.
      const estimate = async (value: string): Promise<number> => {
        const explained = await s.transaction('read', async (tx) => tx.explainSearch!(plan(eq(level, value), [], { limit: 0 })));
        let rows = 0;
        const walk = (node: Record<string, unknown>): void => {
          if (node['Relation Name'] === 'crmkit_records') rows = Math.max(rows, node['Plan Rows'] as number);
          for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
        };
        walk((explained.plan as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
        return rows;
      };
      expect(await estimate('common')).toBeGreaterThan(5 * (await estimate('rare301')));
      await s.transaction('write', async (tx) => tx.indexProperties!('contacts', []));
      expect(await statistics()).toEqual([]);
    });

    it('a property that stands for the record\'s createdAt (PlanProperty.column) answers as the property does, paged and indexed', async () => {
      const s = target.open();
      const created = { ...prop('createdate', 'datetime'), indexed: true, column: 'createdAt' as const };
      // As the engine writes records: the create date is the record's createdAt.
      const at = (n: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, n % 7)).toISOString();
      const made = Array.from({ length: 60 }, (_, n) => ({ ...record('contacts', `t${String(n).padStart(2, '0')}`, { createdate: at(n), amount: n }), createdAt: at(n) }));
      await s.transaction('write', async (tx) => {
        await tx.insertRecords(made);
        await tx.indexProperties!('contacts', [created]);
      });
      const sorts: PlanSort[] = [{ property: created, direction: 'desc' }];
      const all = await agreed(s, plan(undefined, sorts));
      expect(all).toHaveLength(60);
      await agreed(s, plan({ kind: 'compare', property: created, op: 'gte', value: at(4) }, [{ property: created, direction: 'asc' }]));
      await agreed(s, plan({ kind: 'in', property: created, values: [at(1), at(5)] }));
      await agreed(s, plan(not({ kind: 'present', property: created })));
      // Keyset pages over the column: every record once, in order.
      expect(await pagedThrough(s, sorts, 7, all.length)).toEqual(all);
      // Both read, sort and index the row's created_at column, not the property in the JSON
      // (SQLite: its text; PostgreSQL: a timestamptz, values cast to it).
      const explained = await s.transaction('read', async (tx) => tx.explainSearch!(plan(undefined, sorts, { limit: 5 })));
      expect(explained.statement).toContain('r.created_at');
      expect(explained.statement).not.toContain("'createdate'");
      expect(JSON.stringify(explained.plan)).toMatch(/crmkit_s_[0-9a-f]{8}_[0-9a-f]{8}_createdate/);
    });

    it('hs_object_id standing for the record id (PlanProperty.column) answers as the property does, read from the id column', async () => {
      const s = target.open();
      const id = { ...prop('hs_object_id', 'enumeration'), indexed: true, column: 'id' as const };
      // As the engine writes records: hs_object_id is the record's id (ids are case-sensitive).
      const made = ['b2', 'B1', 'a3', 'é9', 'a10'].map((key) => record('contacts', key, { hs_object_id: key }));
      await s.transaction('write', (tx) => Promise.resolve(tx.insertRecords(made)).then(() => undefined));
      expect(await agreed(s, plan(eq(id, 'a3')))).toEqual(['a3']);
      expect(await agreed(s, plan(eq(id, 'A3')))).toEqual([]);
      expect(await agreed(s, plan({ kind: 'in', property: id, values: ['B1', 'é9', 'zz'] }))).toHaveLength(2);
      await agreed(s, plan({ kind: 'compare', property: id, op: 'gt', value: 'a3' }, [{ property: id, direction: 'desc' }]));
      await agreed(s, plan(not({ kind: 'present', property: id })));
      const explained = await s.transaction('read', async (tx) => tx.explainSearch!(plan(eq(id, 'a3'))));
      expect(explained.statement).toMatch(/r\.id/);
    });

    it('falls back to the reference evaluator for a name SQL text cannot hold, with the same answer', async () => {
      const s = await storage;
      const odd = prop("it's", 'string');
      expect(await agreed(s, plan({ kind: 'present', property: odd }))).toEqual([]);
      const explained = await s.transaction('read', async (tx) => tx.explainSearch!(plan({ kind: 'present', property: odd })));
      expect(explained.strategy).toBe('scan');
    });

    it('agrees with the reference evaluator on random plans over random records (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbitraryRecord, { maxLength: 12 }), arbitraryPredicate, arbitrarySorts, fc.integer({ min: 0, max: 5 }), async (records, where, sorts, limit) => {
          const s = target.open();
          const unique = [...new Map(records.map((made) => [made.id, made])).values()];
          await s.transaction('write', async (tx) => void (await tx.insertRecords(unique)));
          const searched = plan(where, sorts, { limit });
          const first = await agreed(s, searched);
          const page = await s.transaction('read', async (tx) => tx.searchRecords!(searched));
          if (page.more && page.records.length > 0) await agreed(s, { ...searched, after: positionOf(page.records.at(-1)!, sorts) });
          expect(first.length).toBeLessThanOrEqual(limit);
        }),
        { numRuns: target.name.includes('server') ? 30 : 60 },
      );
    });
  });
}

/** The first index an EXPLAIN output names (SQLite's detail text or PostgreSQL's "Index Name"). */
function indexNameIn(plan: unknown): string | undefined {
  const text = JSON.stringify(plan);
  return /USING (?:COVERING )?INDEX (crmkit_s_[0-9a-z_]+)/.exec(text)?.[1] ?? /"Index Name":"(crmkit_s_[0-9a-z_]+)"/.exec(text)?.[1];
}

const VALUES = ['a', 'A', 'ä', 'Ä', 'ß', 'SS', 'Σ', 'σ', 'ς', 'É', 'é', 'z', 'Z', 'a b', 'ab', '\uFFFD', '\u{10000}'];
const arbitraryText = fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
const arbitraryRecord = fc
  .record({
    id: fc.constantFrom('a', 'B', 'b', 'é', '10', '9', '\u{1F600}', '\uFFFD'),
    name: fc.option(arbitraryText, { nil: undefined }),
    tier: fc.option(fc.constantFrom('x', 'X', 'y', 'ä'), { nil: undefined }),
    amount: fc.option(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 })), { nil: undefined }),
    active: fc.option(fc.boolean(), { nil: undefined }),
    tags: fc.option(fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }), { nil: undefined }),
  })
  .map(({ id, ...values }) => record('contacts', id, Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && !Object.is(value, -0)))));
const arbitraryLeaf: fc.Arbitrary<Predicate> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), property: fc.constant(NAME), op: fc.constantFrom('eq', 'lt', 'gte' as const), value: arbitraryText.map(foldCase) }),
  fc.record({ kind: fc.constant('compare' as const), property: fc.constant(AMOUNT), op: fc.constantFrom('eq', 'lt', 'lte', 'gt', 'gte' as const), value: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('in' as const), property: fc.constantFrom(TIER, TAGS), values: fc.array(fc.constantFrom('x', 'X', 'y', 'ä', 'z'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('compare' as const), property: fc.constant(ACTIVE), op: fc.constant('eq' as const), value: fc.boolean() }),
  fc.record({ kind: fc.constant('present' as const), property: fc.constantFrom(NAME, TIER, AMOUNT, TAGS) }),
  fc.record({ kind: fc.constant('tokens' as const), property: fc.constant(NAME), pattern: fc.constantFrom('a', 'a*', '*b', 'ss', 'σ*', '*', 'ä') }),
);
const arbitraryPredicate: fc.Arbitrary<Predicate | undefined> = fc.option(
  fc.letrec<{ node: Predicate }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      arbitraryLeaf,
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), of: fc.array(tie('node'), { maxLength: 3 }) }),
      fc.record({ kind: fc.constant('not' as const), of: tie('node') }),
    ),
  })).node,
  { nil: undefined },
);
const arbitrarySorts: fc.Arbitrary<PlanSort[]> = fc.array(
  fc.record({ property: fc.constantFrom(NAME, TIER, AMOUNT, ACTIVE), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
  { maxLength: 2 },
);

describe('tokenRegex (the PostgreSQL spelling of tokens patterns)', () => {
  it('accepts exactly the texts tokenMatches accepts (property, JavaScript regex as the model of the ARE subset used)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', 'b', ' ', '-', '@', '.', '*', '\u0301', '1', '\u{1F600}', '('), { maxLength: 6 }), fc.array(fc.constantFrom('a', 'é', 'b', ' ', '-', '@', '.', '1', '\u0301', '(', '\n'), { maxLength: 8 }), (pattern, text) => {
        const glob = pattern.join('');
        const value = text.join('');
        expect(new RegExp(tokenRegex(glob), 'su').test(foldCase(value))).toBe(tokenMatches(value, glob));
      }),
      { numRuns: 300 },
    );
  });

  it('tokenLike, the filter run before it, holds for every text tokenMatches accepts (property, LIKE modelled as a JavaScript regex)', () => {
    const likeRegex = (like: string): RegExp =>
      new RegExp(`^${like.replace(/\\(.)|(%)|(_)|([^\\%_])/gsu, (_, escaped?: string, any?: string, one?: string, plain?: string) => (escaped !== undefined ? escapeRegex(escaped) : any ? '.*' : one ? '.' : escapeRegex(plain!)))}$`, 'su');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', '%', '_', '\\', ' ', '*', '1'), { maxLength: 6 }), fc.array(fc.constantFrom('a', 'É', '%', '_', '\\', ' ', '1', 'x'), { maxLength: 8 }), (pattern, text) => {
        const glob = pattern.join('');
        const value = text.join('');
        const like = tokenLike(glob);
        if (tokenMatches(value, glob) && like !== undefined) expect(likeRegex(like).test(foldCase(value)), `${like} on ${value}`).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(tokenLike('ac*me')).toBe('%ac%me%');
    expect(tokenLike('*')).toBeUndefined();
    expect(tokenLike('50%_off')).toBe('%50\\%\\_off%');
  });
});

const escapeRegex = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
