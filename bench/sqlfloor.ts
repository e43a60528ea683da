// The SQL floor (only with --storage sqlite): the same work as hand-written better-sqlite3
// statements on their own temp file, opened as crmkit's SQLite adapter opens its file (WAL,
// synchronous NORMAL, foreign keys on). The issue's "hand-written better-sqlite3 statements doing
// the same inserts and lookups": the ratio crmkit-on-sqlite ÷ this shows what crmkit's engine and
// adapter add on top of SQLite itself. Each operation is one awaited async call, as crmkit's.
//
// Records, with the adapter's table shapes (no tenant column):
// - createMany: one transaction per batch; per record a random id (crmkit's generator), the lowercased email (contacts)
//   or domain (companies) inserted into a unique-key table, the row (id, properties as JSON), and
//   one property-history row (the initial values as JSON, a timestamp, the source);
// - duplicate create: one transaction per call whose key insert meets the primary key; the
//   SqliteError is caught and the transaction rolled back;
// - get: the row by (type, id) through its unique index, and JSON.parse of the properties;
// - getBy email: the key table by (type, 'email', lowercased value) through its primary key,
//   joined to the record's row, and JSON.parse of the properties (getBy answers the record).
// No validation, no system properties, no events.
//
// Associations, the simplest honest SQL that still gives the answers the workload checks:
// - one row per direction in an edges table (unique (from_type, from_id, to_type, to_id), like the
//   adapter's), labels as a JSON array on each half, both halves written in one transaction per
//   associateMany batch; each pair first checks both records are live (two reads by key);
// - the primary company: the first company of an owner with no live primary gets `primary` on
//   both halves (the owner's company edges read in seq order); setPrimary demotes the old one with
//   UPDATEs and promotes the new one, in one transaction;
// - list: the record checked to exist, then its live edges to the type in seq order, the labels
//   parsed and filtered in JS, the first 100 kept and the rest counted;
// - archive: the record flagged and its key deleted, every live edge half of it and its inverse
//   flagged archived with UPDATEs, and each owner whose primary it was given its first live company.
// Not done (crmkit does them): association history, calculated counts (num_associated_*), label
// definitions (createLabel only derives the name).
import Database from 'better-sqlite3';
import { randomId } from '../src/kernel/random-id.js';
import type { PropertiesInput } from 'crmkit';
import { tempDatabaseFile } from './storages.js';
import { graphPhases, type LoadedType, type RecordRef, type Subject } from './subject.js';

const PAGE = 100;
const PRIMARY = 'primary';
const COMPANIES = 'companies';
const KEY: Partial<Record<LoadedType, string>> = { contacts: 'email', companies: 'domain' };
const SHOWN = 3;

const SCHEMA = `
CREATE TABLE records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  object_type TEXT NOT NULL,
  id TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  UNIQUE (object_type, id)
);
CREATE TABLE keys (
  object_type TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (object_type, key, value)
) WITHOUT ROWID;
CREATE TABLE history (
  seq INTEGER PRIMARY KEY,
  object_type TEXT NOT NULL,
  id TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  source TEXT NOT NULL,
  property_values TEXT NOT NULL,
  FOREIGN KEY (object_type, id) REFERENCES records (object_type, id) ON DELETE CASCADE
);
CREATE INDEX history_record ON history (object_type, id);
CREATE TABLE edges (
  seq INTEGER PRIMARY KEY,
  from_type TEXT NOT NULL,
  from_id TEXT NOT NULL,
  to_type TEXT NOT NULL,
  to_id TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  FOREIGN KEY (from_type, from_id) REFERENCES records (object_type, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX edges_ends ON edges (from_type, from_id, to_type, to_id);
`;

const API_SOURCE = JSON.stringify({ type: 'API' });

type EdgeRow = [seq: number, toId: string, labels: string];

/** The hand-written statements, prepared once per connection. */
function prepare(db: Database.Database) {
  return {
    insertKey: db.prepare<[string, string, string, string]>('INSERT INTO keys (object_type, key, value, id) VALUES (?, ?, ?, ?)'),
    deleteKey: db.prepare<[string, string, string]>('DELETE FROM keys WHERE object_type = ? AND key = ? AND value = ?'),
    insertRecord: db.prepare<[string, string, string, string]>('INSERT INTO records (object_type, id, properties, created_at) VALUES (?, ?, ?, ?)'),
    insertHistory: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO history (object_type, id, timestamp, source, property_values) VALUES (?, ?, ?, ?, ?)',
    ),
    getProperties: db.prepare<[string, string], string>('SELECT properties FROM records WHERE object_type = ? AND id = ?').pluck(true),
    getArchived: db.prepare<[string, string], number>('SELECT archived FROM records WHERE object_type = ? AND id = ?').pluck(true),
    archiveRecord: db.prepare<[string, string]>('UPDATE records SET archived = 1 WHERE object_type = ? AND id = ?'),
    // The record a key names, as getBy answers it: the key's primary key, then the row by its unique index.
    getByKey: db
      .prepare<[string, string, string], [string, string]>(
        `SELECT r.id, r.properties FROM keys k JOIN records r ON r.object_type = k.object_type AND r.id = k.id
         WHERE k.object_type = ? AND k.key = ? AND k.value = ? AND r.archived = 0`,
      )
      .raw(true),
    getEdge: db
      .prepare<[string, string, string, string], [number, string, number]>(
        'SELECT seq, labels, archived FROM edges WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?',
      )
      .raw(true),
    liveEdges: db
      .prepare<[string, string, string], EdgeRow>(
        'SELECT seq, to_id, labels FROM edges WHERE from_type = ? AND from_id = ? AND to_type = ? AND archived = 0 ORDER BY seq',
      )
      .raw(true),
    allLiveEdges: db
      .prepare<[string, string], [string, string, string]>('SELECT to_type, to_id, labels FROM edges WHERE from_type = ? AND from_id = ? AND archived = 0')
      .raw(true),
    insertEdge: db.prepare<[string, string, string, string, string, string]>(
      'INSERT INTO edges (from_type, from_id, to_type, to_id, labels, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    setLabels: db.prepare<[string, string, string, string, string]>(
      'UPDATE edges SET labels = ? WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?',
    ),
    archiveEdge: db.prepare<[string, string, string, string]>(
      'UPDATE edges SET archived = 1 WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?',
    ),
  };
}

/** A store of hand-written statements on one better-sqlite3 connection. */
class SqlFloorStore {
  private readonly db: Database.Database;
  private readonly remove: () => void;
  private readonly s: ReturnType<typeof prepare>;

  constructor() {
    const temp = tempDatabaseFile('sqlfloor');
    this.remove = () => temp.remove();
    const db = (this.db = new Database(temp.file, { timeout: 5_000 }));
    db.pragma('foreign_keys = ON');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    this.s = prepare(db);
  }

  // ---------------------------------------------------------------- records

  private insert(objectType: LoadedType, input: PropertiesInput, timestamp: string): string {
    const id = randomId();
    const key = KEY[objectType];
    if (key !== undefined) this.s.insertKey.run(objectType, key, String(input[key]).toLowerCase(), id);
    const json = JSON.stringify(input);
    this.s.insertRecord.run(objectType, id, json, timestamp);
    this.s.insertHistory.run(objectType, id, timestamp, API_SOURCE, json);
    return id;
  }

  private readonly createBatch = this.lazyTransaction((objectType: LoadedType, inputs: readonly PropertiesInput[]): string[] => {
    const timestamp = new Date().toISOString();
    return inputs.map((input) => this.insert(objectType, input, timestamp));
  });

  async createMany(objectType: LoadedType, inputs: readonly PropertiesInput[]): Promise<string[]> {
    return this.createBatch(objectType, inputs);
  }

  /** The new id, or undefined when the key is taken (the unique constraint refused it). */
  async create(objectType: LoadedType, input: PropertiesInput): Promise<string | undefined> {
    try {
      return this.createBatch(objectType, [input])[0];
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) return undefined;
      throw error;
    }
  }

  async get(objectType: LoadedType, id: string): Promise<PropertiesInput | undefined> {
    const json = this.s.getProperties.get(objectType, id);
    return json === undefined ? undefined : (JSON.parse(json) as PropertiesInput);
  }

  /** The record (id and parsed properties) whose key is `value`. */
  async getBy(objectType: LoadedType, value: string): Promise<{ id: string; properties: PropertiesInput } | undefined> {
    const row = this.s.getByKey.get(objectType, KEY[objectType]!, value.toLowerCase());
    return row === undefined ? undefined : { id: row[0], properties: JSON.parse(row[1]) as PropertiesInput };
  }

  // ----------------------------------------------------------- associations

  private live(ref: RecordRef): void {
    const archived = this.s.getArchived.get(ref.objectType, ref.id);
    if (archived === undefined) throw new Error(`sqlfloor: no ${ref.objectType} ${ref.id}`);
    if (archived !== 0) throw new Error(`sqlfloor: ${ref.objectType} ${ref.id} is archived`);
  }

  /** Sets `labels` on both halves of the association a–b. */
  private setLabels(a: RecordRef, b: RecordRef, labels: readonly string[]): void {
    const json = JSON.stringify(labels);
    this.s.setLabels.run(json, a.objectType, a.id, b.objectType, b.id);
    this.s.setLabels.run(json, b.objectType, b.id, a.objectType, a.id);
  }

  /** Associates a with b, adding `labels` (the same on both halves); applies the primary-company rule. */
  private associate(a: RecordRef, b: RecordRef, labels: readonly string[] | undefined, timestamp: string): void {
    this.live(a);
    this.live(b);
    const existing = this.s.getEdge.get(a.objectType, a.id, b.objectType, b.id);
    const before: string[] = existing && existing[2] === 0 ? (JSON.parse(existing[1]) as string[]) : [];
    const added = (labels ?? []).filter((label, at, all) => !before.includes(label) && all.indexOf(label) === at);
    const owner = b.objectType === COMPANIES && a.objectType !== COMPANIES ? a : a.objectType === COMPANIES && b.objectType !== COMPANIES ? b : undefined;
    if (owner && !before.includes(PRIMARY)) {
      let current: EdgeRow | undefined;
      for (const row of this.s.liveEdges.all(owner.objectType, owner.id, COMPANIES)) {
        if ((JSON.parse(row[2]) as string[]).includes(PRIMARY)) {
          current = row;
          break;
        }
      }
      if (added.includes(PRIMARY)) {
        if (current) {
          const demoted = (JSON.parse(current[2]) as string[]).filter((label) => label !== PRIMARY);
          this.setLabels(owner, { objectType: COMPANIES, id: current[1] }, demoted);
        }
      } else if (!current) {
        added.push(PRIMARY);
      }
    }
    if (existing && existing[2] === 0) {
      if (added.length > 0) this.setLabels(a, b, [...before, ...added]);
      return;
    }
    if (existing) throw new Error('sqlfloor: re-associating an archived association is not in the workload');
    const json = JSON.stringify(added);
    this.s.insertEdge.run(a.objectType, a.id, b.objectType, b.id, json, timestamp);
    this.s.insertEdge.run(b.objectType, b.id, a.objectType, a.id, json, timestamp);
  }

  private readonly associateBatch = this.lazyTransaction((pairs: ReadonlyArray<{ from: RecordRef; to: RecordRef; labels?: readonly string[] }>) => {
    const timestamp = new Date().toISOString();
    for (const pair of pairs) this.associate(pair.from, pair.to, pair.labels, timestamp);
  });

  private readonly setPrimaryTx = this.lazyTransaction((owner: RecordRef, company: RecordRef) => {
    this.associate(owner, company, [PRIMARY], new Date().toISOString());
  });

  private readonly archiveTx = this.lazyTransaction((objectType: LoadedType, id: string) => {
    const archived = this.s.getArchived.get(objectType, id);
    if (archived === undefined) throw new Error(`sqlfloor: no ${objectType} ${id}`);
    if (archived !== 0) return;
    const key = KEY[objectType];
    if (key !== undefined) {
      const json = this.s.getProperties.get(objectType, id)!;
      this.s.deleteKey.run(objectType, key, String((JSON.parse(json) as PropertiesInput)[key]).toLowerCase());
    }
    this.s.archiveRecord.run(objectType, id);
    const owners: RecordRef[] = [];
    for (const [toType, toId, labels] of this.s.allLiveEdges.all(objectType, id)) {
      this.s.archiveEdge.run(objectType, id, toType, toId);
      this.s.archiveEdge.run(toType, toId, objectType, id);
      if (objectType === COMPANIES && toType !== COMPANIES && (JSON.parse(labels) as string[]).includes(PRIMARY)) owners.push({ objectType: toType as LoadedType, id: toId });
    }
    // Each owner whose primary it was: its first live company in association order.
    for (const owner of owners) {
      const next = this.s.liveEdges.get(owner.objectType, owner.id, COMPANIES);
      if (next) this.setLabels(owner, { objectType: COMPANIES, id: next[1] }, [...(JSON.parse(next[2]) as string[]), PRIMARY]);
    }
  });

  /** db.transaction(fn), made on first use: field initialisers run before the constructor opens the connection. */
  private lazyTransaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    let tx: ((...args: A) => R) | undefined;
    return (...args: A) => (tx ??= this.db.transaction(fn))(...args);
  }

  async createLabel(_from: LoadedType, _to: LoadedType, label: string): Promise<string> {
    return label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  }

  async associateMany(pairs: ReadonlyArray<{ from: RecordRef; to: RecordRef; labels?: readonly string[] }>): Promise<void> {
    this.associateBatch(pairs);
  }

  async setPrimary(owner: RecordRef, company: RecordRef): Promise<void> {
    this.setPrimaryTx(owner, company);
  }

  async list(record: RecordRef, toType: LoadedType, label?: string): Promise<{ results: Array<{ id: string; primary: boolean }>; total: number }> {
    if (this.s.getArchived.get(record.objectType, record.id) === undefined) throw new Error(`sqlfloor: no ${record.objectType} ${record.id}`);
    const results: Array<{ id: string; primary: boolean }> = [];
    let total = 0;
    for (const [, toId, json] of this.s.liveEdges.all(record.objectType, record.id, toType)) {
      const labels = JSON.parse(json) as string[];
      if (label !== undefined && !labels.includes(label)) continue;
      if (total++ < PAGE) results.push({ id: toId, primary: labels.includes(PRIMARY) });
    }
    return { results, total };
  }

  async archive(objectType: LoadedType, id: string): Promise<void> {
    this.archiveTx(objectType, id);
  }

  async close(): Promise<void> {
    this.db.close();
    this.remove();
  }
}

export function sqlFloorSubject(): Subject {
  const store = new SqlFloorStore();
  return {
    async createMany(objectType, batches) {
      const ids: string[] = [];
      for (const batch of batches) for (const id of await store.createMany(objectType, batch)) ids.push(id);
      return ids;
    },

    async createDuplicates(inputs) {
      let refused = 0;
      const wrong: string[] = [];
      for (const input of inputs) {
        const id = await store.create('contacts', input);
        if (id === undefined) refused++;
        else if (wrong.length < SHOWN) wrong.push(`${String(input.email)} was created (id ${id})`);
      }
      return { refused, wrong };
    },

    async getAll(ids) {
      let found = 0;
      for (const id of ids) if ((await store.get('contacts', id)) !== undefined) found++;
      return found;
    },

    async getAllByEmail(emails, expectedIds) {
      let found = 0;
      for (let at = 0; at < emails.length; at++) if ((await store.getBy('contacts', emails[at]!))?.id === expectedIds[at]) found++;
      return found;
    },

    ...graphPhases(store),

    close: () => store.close(),
  };
}
