// The search phases' SQL floors (bench/search.ts): the same questions as hand-written SQL on
// tables shaped like crmkit's (minus the tenant column), one for SQLite (better-sqlite3, on its
// own temp file opened as the adapter opens one) and one for PostgreSQL (its own PGlite
// instance, or its own schema on the CRMKIT_PG_URL server, dropped on close).
//
// Tables: records (object_type, id, properties as JSON, created_at, archived) and edges (one row
// per direction, labels as JSON, `primary` among them on both halves of a primary association).
// Indexes: what crmkit is asked to keep — one expression index on the indexed property
// (object_type, properties' bench_segment), one on (object_type, created_at) (createdate is a
// system property), and the edges by their from-end. ANALYZE after the load.
// Each question is one statement for the page and one COUNT(*) for the total (as a search
// answers its total on every page). A page reads what a search answers and an app shows: each
// record's id, create time and properties, parsed (until 2026-12-05 it read the id and create
// time alone, less work than the answer it stood for):
// 1. bench_segment = ? ORDER BY created_at DESC, id LIMIT 100;
// 2. lifecyclestage = ? AND lower(firstname) LIKE '%lena%' ORDER BY lower(lastname), id LIMIT 100
//    (LIKE stands in for word tokens: the data's first names are single words, so it is exact
//    here and cheaper than a token match, which makes the floor lower, never higher);
// 3. COUNT(*) of contacts joined to their live primary-labelled edge to a live company whose
//    industry is ?;
// 4. bench_segment IN (…) AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT 100: keyset;
// 5. segment members: the active segment is its definition, kept as statement parameters:
//    bench_segment = ? AND (the industry of the live company on the contact's live primary-labelled
//    edge, a scalar subquery: a contact has one primary) = ? ORDER BY created_at, id LIMIT 100, and
//    its COUNT(*). Written as EXISTS, PostgreSQL (no statistics on the JSON industry or on `@>`)
//    flattened it into a hash semi-join reading all 400,000 edges (PGlite, scale 1: 300 ms against
//    112 ms for the page); the scalar subquery probes each of the segment's 5,000 contacts by index,
//    as SQLite plans either form;
// 6. label report: one statement: the companies' halves of their live edges to live contacts,
//    grouped by (company, label) (a half without labels gives a NULL label), `unlabelled` for a
//    company whose groups hold no label; then joined to the live company for its industry, read
//    once per (company, label), and counted per (label, industry), ordered as crmkit orders
//    buckets (count descending, then the keys by code point, '' last).
import Database from 'better-sqlite3';
import { randomId } from '../src/kernel/random-id.js';
import {
  inputBatches,
  pairBatches,
  SEARCH_LIMIT,
  searchCompanyInput,
  searchContactInput,
  type LoadedContacts,
  type ReportBucket,
  type SearchAnswer,
  type SearchDataSet,
  type SearchSubject,
} from './search-data.js';
import { tempDatabaseFile } from './storages.js';

/** A keyset position: the last row's created_at and id. */
type Position = [createdAt: string, id: string];

interface Row {
  id: string;
  created_at: string;
  /** JSON text from SQLite; parsed already by the PostgreSQL drivers (jsonb). */
  properties: string | Record<string, unknown>;
}

/** The columns a page reads. */
const PAGE_COLUMNS = 'id, created_at, properties';

/** A page from the rows fetched (one more than a page, to know whether more follow) and the count. */
function pageOf(rows: readonly Row[], total: number): SearchAnswer {
  const page = rows.slice(0, SEARCH_LIMIT).map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    properties: typeof row.properties === 'string' ? (JSON.parse(row.properties) as Record<string, unknown>) : row.properties,
  }));
  const last = page[page.length - 1];
  return {
    total,
    ids: page.map((record) => record.id),
    ...(rows.length > SEARCH_LIMIT && last !== undefined ? { next: [last.createdAt, last.id] satisfies Position } : {}),
  };
}

/** One row of the label report statement. */
interface ReportRow {
  label: string;
  value: string;
  n: number | string;
}

const reportOf = (rows: readonly ReportRow[]): ReportBucket[] => rows.map((row) => ({ keys: [row.label, row.value], count: Number(row.n) }));

/** The records and edges a load writes, as rows: ids made here, one creation time per batch. */
function loadRows(data: SearchDataSet): {
  contacts: Array<Array<{ id: string; properties: string; created_at: string }>>;
  companies: Array<Array<{ id: string; properties: string; created_at: string }>>;
  pairs: Array<Array<{ contact: string; company: string; labels: string; created_at: string }>>;
  loaded: LoadedContacts;
} {
  const loaded: LoadedContacts = { ids: [], createdAt: [] };
  const rows = (make: typeof searchContactInput, count: number, onRow?: (id: string, at: string) => void) =>
    inputBatches(count, data.batchSize, make).map((batch) => {
      const at = new Date().toISOString();
      return batch.map((input) => {
        const id = randomId();
        onRow?.(id, at);
        return { id, properties: JSON.stringify(input), created_at: at };
      });
    });
  const contacts = rows(searchContactInput, data.contacts, (id, at) => {
    loaded.ids.push(id);
    loaded.createdAt.push(at);
  });
  const companies = rows(searchCompanyInput, data.companies);
  const companyIds = companies.flat().map((row) => row.id);
  const now = new Date().toISOString();
  const pairs = pairBatches(data).map((batch) =>
    batch.map((pair) => ({ contact: loaded.ids[pair.contact]!, company: companyIds[pair.company]!, labels: pair.primary ? '["primary"]' : '[]', created_at: now })),
  );
  return { contacts, companies, pairs, loaded };
}

// ----------------------------------------------------------------- SQLite

const SQLITE_SCHEMA = `
CREATE TABLE records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  object_type TEXT NOT NULL,
  id TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  UNIQUE (object_type, id)
);
CREATE INDEX records_segment ON records (object_type, json_extract(properties, '$.bench_segment'));
CREATE INDEX records_created ON records (object_type, created_at);
CREATE TABLE edges (
  seq INTEGER PRIMARY KEY,
  from_type TEXT NOT NULL,
  from_id TEXT NOT NULL,
  to_type TEXT NOT NULL,
  to_id TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX edges_ends ON edges (from_type, from_id, to_type, to_id);
`;

const LIVE_CONTACTS = `FROM records WHERE object_type = 'contacts' AND archived = 0`;
const SQLITE_SEGMENT = `json_extract(properties, '$.bench_segment')`;
const SQLITE_SCAN = `json_extract(properties, '$.lifecyclestage') = ? AND lower(json_extract(properties, '$.firstname')) LIKE ?`;
const SQLITE_IN = (count: number) => `${SQLITE_SEGMENT} IN (${Array.from({ length: count }, () => '?').join(', ')})`;

export function sqliteSearchFloor(): SearchSubject {
  const temp = tempDatabaseFile('searchfloor');
  const db = new Database(temp.file, { timeout: 5_000 });
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SQLITE_SCHEMA);
  const insertRecord = db.prepare<[string, string, string, string]>('INSERT INTO records (object_type, id, properties, created_at) VALUES (?, ?, ?, ?)');
  const insertEdge = db.prepare<[string, string, string, string, string, string]>(
    'INSERT INTO edges (from_type, from_id, to_type, to_id, labels, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const eqPage = db.prepare<[string], Row>(`SELECT ${PAGE_COLUMNS} ${LIVE_CONTACTS} AND ${SQLITE_SEGMENT} = ? ORDER BY created_at DESC, id LIMIT ${SEARCH_LIMIT + 1}`);
  const eqCount = db.prepare<[string], number>(`SELECT count(*) ${LIVE_CONTACTS} AND ${SQLITE_SEGMENT} = ?`).pluck(true);
  const scanPage = db.prepare<[string, string], Row>(
    `SELECT ${PAGE_COLUMNS} ${LIVE_CONTACTS} AND ${SQLITE_SCAN} ORDER BY lower(json_extract(properties, '$.lastname')), id LIMIT ${SEARCH_LIMIT + 1}`,
  );
  const scanCount = db.prepare<[string, string], number>(`SELECT count(*) ${LIVE_CONTACTS} AND ${SQLITE_SCAN}`).pluck(true);
  const primaryCount = db
    .prepare<[string], number>(
      `SELECT count(*) FROM records r
       JOIN edges e ON e.from_type = 'contacts' AND e.from_id = r.id AND e.to_type = 'companies' AND e.archived = 0
         AND EXISTS (SELECT 1 FROM json_each(e.labels) WHERE json_each.value = 'primary')
       JOIN records c ON c.object_type = 'companies' AND c.id = e.to_id AND c.archived = 0
       WHERE r.object_type = 'contacts' AND r.archived = 0 AND json_extract(c.properties, '$.industry') = ?`,
    )
    .pluck(true);
  const SQLITE_MEMBERS = `FROM records r WHERE r.object_type = 'contacts' AND r.archived = 0 AND json_extract(r.properties, '$.bench_segment') = ?
       AND (SELECT json_extract(c.properties, '$.industry') FROM edges e JOIN records c ON c.object_type = 'companies' AND c.id = e.to_id AND c.archived = 0
         WHERE e.from_type = 'contacts' AND e.from_id = r.id AND e.to_type = 'companies' AND e.archived = 0
           AND EXISTS (SELECT 1 FROM json_each(e.labels) WHERE json_each.value = 'primary') LIMIT 1) = ?`;
  const membersPage = db.prepare<[string, string], Row>(`SELECT r.id, r.created_at, r.properties ${SQLITE_MEMBERS} ORDER BY r.created_at, r.id LIMIT ${SEARCH_LIMIT + 1}`);
  const membersCount = db.prepare<[string, string], number>(`SELECT count(*) ${SQLITE_MEMBERS}`).pluck(true);
  let segmentDefinition: [segment: string, industry: string] | undefined;
  const labelReport = db.prepare<[string], ReportRow>(
    `WITH per_company AS (
       SELECT e.from_id AS company, j.value AS label
       FROM edges e
       JOIN records r ON r.object_type = 'contacts' AND r.id = e.to_id AND r.archived = 0
       LEFT JOIN json_each(e.labels) j
       WHERE e.from_type = 'companies' AND e.to_type = 'contacts' AND e.archived = 0
       GROUP BY e.from_id, j.value
     ),
     keyed AS (
       SELECT company, label FROM per_company WHERE label IS NOT NULL
       UNION ALL
       SELECT company, 'unlabelled' FROM per_company GROUP BY company HAVING count(label) = 0
     )
     SELECT k.label, coalesce(json_extract(c.properties, ?), '') AS value, count(*) AS n
     FROM keyed k JOIN records c ON c.object_type = 'companies' AND c.id = k.company AND c.archived = 0
     GROUP BY k.label, value ORDER BY n DESC, k.label = '', k.label, value = '', value`,
  );
  const pages = new Map<number, { first: Database.Statement<unknown[], Row>; next: Database.Statement<unknown[], Row>; count: Database.Statement<unknown[], number> }>();
  const pagedStatements = (count: number) => {
    let statements = pages.get(count);
    if (!statements) {
      statements = {
        first: db.prepare<unknown[], Row>(`SELECT ${PAGE_COLUMNS} ${LIVE_CONTACTS} AND ${SQLITE_IN(count)} ORDER BY created_at, id LIMIT ${SEARCH_LIMIT + 1}`),
        next: db.prepare<unknown[], Row>(
          `SELECT ${PAGE_COLUMNS} ${LIVE_CONTACTS} AND ${SQLITE_IN(count)} AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ${SEARCH_LIMIT + 1}`,
        ),
        count: db.prepare<unknown[], number>(`SELECT count(*) ${LIVE_CONTACTS} AND ${SQLITE_IN(count)}`).pluck(true),
      };
      pages.set(count, statements);
    }
    return statements;
  };

  return {
    async load(data) {
      const { contacts, companies, pairs, loaded } = loadRows(data);
      const records = db.transaction((objectType: string, batch: Array<{ id: string; properties: string; created_at: string }>) => {
        for (const row of batch) insertRecord.run(objectType, row.id, row.properties, row.created_at);
      });
      for (const batch of contacts) records('contacts', batch);
      for (const batch of companies) records('companies', batch);
      const edges = db.transaction((batch: (typeof pairs)[number]) => {
        for (const pair of batch) {
          insertEdge.run('contacts', pair.contact, 'companies', pair.company, pair.labels, pair.created_at);
          insertEdge.run('companies', pair.company, 'contacts', pair.contact, pair.labels, pair.created_at);
        }
      });
      for (const batch of pairs) edges(batch);
      db.exec('ANALYZE');
      return loaded;
    },

    async indexedEq(segment) {
      return pageOf(eqPage.all(segment), eqCount.get(segment)!);
    },

    async unindexedScan(token, stage) {
      const like = `%${token}%`;
      return pageOf(scanPage.all(stage, like), scanCount.get(stage, like)!);
    },

    async primaryIndustryCount(industry) {
      return primaryCount.get(industry)!;
    },

    async page(segments, after) {
      const statements = pagedStatements(segments.length);
      const position = after as Position | undefined;
      const rows = position === undefined ? statements.first.all(...segments) : statements.next.all(...segments, ...position);
      return pageOf(rows, statements.count.get(...segments)!);
    },

    async defineSegment(segment, industry) {
      segmentDefinition = [segment, industry];
    },

    async segmentMembers() {
      const [segment, industry] = segmentDefinition!;
      return pageOf(membersPage.all(segment, industry), membersCount.get(segment, industry)!);
    },

    async labelReport(property) {
      return reportOf(labelReport.all(`$.${property}`));
    },

    async close() {
      db.close();
      temp.remove();
    },
  };
}

// ------------------------------------------------------------- PostgreSQL

/** One connection that runs a parameterised query: a PGlite instance or a pg.Client. */
interface Queryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

const PG_SCHEMA = [
  `CREATE TABLE records (
    seq bigserial PRIMARY KEY,
    object_type text NOT NULL,
    id text NOT NULL,
    properties jsonb NOT NULL,
    created_at text NOT NULL,
    archived boolean NOT NULL DEFAULT false,
    UNIQUE (object_type, id)
  )`,
  `CREATE INDEX records_segment ON records (object_type, (properties->>'bench_segment'))`,
  `CREATE INDEX records_created ON records (object_type, created_at COLLATE "C")`,
  `CREATE TABLE edges (
    seq bigserial PRIMARY KEY,
    from_type text NOT NULL,
    from_id text NOT NULL,
    to_type text NOT NULL,
    to_id text NOT NULL,
    labels jsonb NOT NULL,
    created_at text NOT NULL,
    archived boolean NOT NULL DEFAULT false
  )`,
  `CREATE UNIQUE INDEX edges_ends ON edges (from_type, from_id, to_type, to_id)`,
];

const PG_LIVE_CONTACTS = `FROM records WHERE object_type = 'contacts' AND NOT archived`;
const PG_SCAN = `properties->>'lifecyclestage' = $1 AND lower(properties->>'firstname') LIKE $2`;
const PG_MEMBERS = `FROM records r WHERE r.object_type = 'contacts' AND NOT r.archived AND r.properties->>'bench_segment' = $1
  AND (SELECT c.properties->>'industry' FROM edges e JOIN records c ON c.object_type = 'companies' AND c.id = e.to_id AND NOT c.archived
    WHERE e.from_type = 'contacts' AND e.from_id = r.id AND e.to_type = 'companies' AND NOT e.archived AND e.labels @> '["primary"]' LIMIT 1) = $2`;
const PG_LABEL_REPORT = `WITH per_company AS (
    SELECT e.from_id AS company, j.label
    FROM edges e
    JOIN records r ON r.object_type = 'contacts' AND r.id = e.to_id AND NOT r.archived
    LEFT JOIN LATERAL jsonb_array_elements_text(e.labels) AS j(label) ON true
    WHERE e.from_type = 'companies' AND e.to_type = 'contacts' AND NOT e.archived
    GROUP BY e.from_id, j.label
  ),
  keyed AS (
    SELECT company, label FROM per_company WHERE label IS NOT NULL
    UNION ALL
    SELECT company, 'unlabelled' FROM per_company GROUP BY company HAVING count(label) = 0
  )
  SELECT label, value, count(*) AS n
  FROM (
    SELECT k.label, coalesce(c.properties->>$1, '') AS value
    FROM keyed k JOIN records c ON c.object_type = 'companies' AND c.id = k.company AND NOT c.archived
  ) AS keys
  GROUP BY label, value
  ORDER BY n DESC, label = '', label COLLATE "C", value = '', value COLLATE "C"`;

/** The floor on a PostgreSQL connection; `release` ends it (and drops what it made) on close. */
export function postgresSearchFloor(open: () => Promise<{ client: Queryable; release(): Promise<void> }>): SearchSubject {
  let connection: { client: Queryable; release(): Promise<void> } | undefined;
  let segmentDefinition: [segment: string, industry: string] | undefined;
  const db = (): Queryable => connection!.client;
  const count = async (text: string, params: unknown[]): Promise<number> => Number((await db().query<{ n: string | number }>(text, params)).rows[0]!.n);

  return {
    async load(data) {
      connection = await open();
      for (const statement of PG_SCHEMA) await db().query(statement);
      const { contacts, companies, pairs, loaded } = loadRows(data);
      // One INSERT per batch, the rows as one JSON parameter.
      const insertRecords = (objectType: string, batch: unknown[]) =>
        db().query(
          `INSERT INTO records (object_type, id, properties, created_at)
           SELECT $1, x.id, x.properties::jsonb, x.created_at FROM jsonb_to_recordset($2::jsonb) AS x(id text, properties text, created_at text)`,
          [objectType, JSON.stringify(batch)],
        );
      for (const batch of contacts) await insertRecords('contacts', batch);
      for (const batch of companies) await insertRecords('companies', batch);
      for (const batch of pairs) {
        await db().query(
          `INSERT INTO edges (from_type, from_id, to_type, to_id, labels, created_at)
           SELECT 'contacts', x.contact, 'companies', x.company, x.labels::jsonb, x.created_at FROM jsonb_to_recordset($1::jsonb) AS x(contact text, company text, labels text, created_at text)
           UNION ALL
           SELECT 'companies', x.company, 'contacts', x.contact, x.labels::jsonb, x.created_at FROM jsonb_to_recordset($1::jsonb) AS x(contact text, company text, labels text, created_at text)`,
          [JSON.stringify(batch)],
        );
      }
      await db().query('ANALYZE');
      return loaded;
    },

    async indexedEq(segment) {
      const { rows } = await db().query<Row>(
        `SELECT ${PAGE_COLUMNS} ${PG_LIVE_CONTACTS} AND properties->>'bench_segment' = $1 ORDER BY created_at COLLATE "C" DESC, id COLLATE "C" LIMIT ${SEARCH_LIMIT + 1}`,
        [segment],
      );
      return pageOf(rows, await count(`SELECT count(*) AS n ${PG_LIVE_CONTACTS} AND properties->>'bench_segment' = $1`, [segment]));
    },

    async unindexedScan(token, stage) {
      const params = [stage, `%${token}%`];
      const { rows } = await db().query<Row>(
        `SELECT ${PAGE_COLUMNS} ${PG_LIVE_CONTACTS} AND ${PG_SCAN} ORDER BY lower(properties->>'lastname') COLLATE "C", id COLLATE "C" LIMIT ${SEARCH_LIMIT + 1}`,
        params,
      );
      return pageOf(rows, await count(`SELECT count(*) AS n ${PG_LIVE_CONTACTS} AND ${PG_SCAN}`, params));
    },

    primaryIndustryCount: (industry) =>
      count(
        `SELECT count(*) AS n FROM records r
         JOIN edges e ON e.from_type = 'contacts' AND e.from_id = r.id AND e.to_type = 'companies' AND NOT e.archived AND e.labels @> '["primary"]'
         JOIN records c ON c.object_type = 'companies' AND c.id = e.to_id AND NOT c.archived
         WHERE r.object_type = 'contacts' AND NOT r.archived AND c.properties->>'industry' = $1`,
        [industry],
      ),

    async page(segments, after) {
      const position = after as Position | undefined;
      const inList = `properties->>'bench_segment' = ANY($1::text[])`;
      const { rows } = await db().query<Row>(
        position === undefined
          ? `SELECT ${PAGE_COLUMNS} ${PG_LIVE_CONTACTS} AND ${inList} ORDER BY created_at COLLATE "C", id COLLATE "C" LIMIT ${SEARCH_LIMIT + 1}`
          : `SELECT ${PAGE_COLUMNS} ${PG_LIVE_CONTACTS} AND ${inList} AND (created_at COLLATE "C", id COLLATE "C") > ($2, $3)
             ORDER BY created_at COLLATE "C", id COLLATE "C" LIMIT ${SEARCH_LIMIT + 1}`,
        position === undefined ? [segments] : [segments, ...position],
      );
      return pageOf(rows, await count(`SELECT count(*) AS n ${PG_LIVE_CONTACTS} AND ${inList}`, [segments]));
    },

    async defineSegment(segment, industry) {
      segmentDefinition = [segment, industry];
    },

    async segmentMembers() {
      const params = segmentDefinition!;
      const { rows } = await db().query<Row>(
        `SELECT r.id, r.created_at, r.properties ${PG_MEMBERS} ORDER BY r.created_at COLLATE "C", r.id COLLATE "C" LIMIT ${SEARCH_LIMIT + 1}`,
        params,
      );
      return pageOf(rows, await count(`SELECT count(*) AS n ${PG_MEMBERS}`, params));
    },

    async labelReport(property) {
      return reportOf((await db().query<ReportRow>(PG_LABEL_REPORT, [property])).rows);
    },

    async close() {
      await connection?.release();
      connection = undefined;
    },
  };
}

/**
 * A connection for the PostgreSQL floor: a schema of its own on the CRMKIT_PG_URL server
 * (dropped on release), or a PGlite instance of its own without one.
 */
export async function openPostgresFloor(url: string | undefined): Promise<{ client: Queryable; release(): Promise<void> }> {
  if (url === undefined || url === '') {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite();
    return { client: pglite as unknown as Queryable, release: () => pglite.close() };
  }
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = `crmkit_bench_floor_${process.pid}_${Date.now().toString(36)}`;
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  return {
    client: client as unknown as Queryable,
    async release() {
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
