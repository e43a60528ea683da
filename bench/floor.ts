// The floor: the same work on plain Maps, the least any store must do. Ids come from crmkit's default
// generator (src/kernel/random-id.ts), as crmkit's do. Its methods are async, one awaited call per operation like crmkit's, so the ratio
// shows what crmkit adds on top of an async Map store. No transactions: a call that fails midway
// leaves what it did (crmkit rolls back).
//
// Records: per object type a Map<id, properties> and, for contacts and companies, a
// Map<lowercased key, id> (email, domain). Each stored object is a shallow copy of the input (a
// store must not keep the caller's mutable object). No validation, no system properties, no
// property history.
//
// Associations, with the rules crmkit applies to the benchmark's pairs:
// - both records exist and are live, the pair may associate (contacts–companies, deals–contacts,
//   deals–companies), and the labels are known to the pair;
// - each record associated gets a node (a Map<id, node> per type) holding its archived flag, its
//   half-edges and its history. The half-edges are a Map per other type, in association order;
//   each points to the other record's node and has its own labels array;
// - the primary company is the `primary` label on the owner's edge to the company. The first
//   company association of an owner with no live primary becomes it; an explicit primary demotes
//   the old one;
// - archiving a record archives its edges and gives each contact that had it as primary its
//   longest-associated live company;
// - every change is pushed to both records' history arrays, as crmkit's entry: labels before and
//   after, the other record's display name, a timestamp, the source;
// - the counts crmkit calculates (num_associated_contacts, num_associated_deals) are kept up to
//   date in the stored properties.
import { randomId } from '../src/kernel/random-id.js';
import type { PropertiesInput } from 'crmkit';
import { graphPhases, type LoadedType, type RecordRef, type Subject } from './subject.js';

const PRIMARY = 'primary';
const COMPANIES = 'companies';
const CONTACTS = 'contacts';
/** The page size of a list call (crmkit's default). */
const PAGE = 100;
const NO_LABELS: readonly string[] = Object.freeze([]);

type Source = Readonly<{ type: string; id?: string }>;
const API: Source = Object.freeze({ type: 'API' });

/** A record's association state, made when the record is first associated or archived. */
interface GraphNode {
  readonly table: FloorTable;
  readonly id: string;
  /** The stored properties (the same object as in `records`). */
  readonly properties: PropertiesInput;
  archived: boolean;
  /** Other type → other id → half-edge, in association order. */
  readonly edges: Map<LoadedType, Map<string, FloorEdge>>;
  /** Association history, oldest first. */
  readonly history: FloorHistoryEntry[];
}

/** One half of an association, held by one record. Label arrays are replaced, never changed. */
interface FloorEdge {
  readonly other: GraphNode;
  labels: readonly string[];
  readonly createdAt: string;
  archived: boolean;
}

/** An association history entry, as crmkit logs it. */
interface FloorHistoryEntry {
  objectType: string;
  id: string;
  toType: string;
  toId: string;
  action: 'created' | 'removed' | 'relabelled';
  labelsBefore: readonly string[];
  labelsAfter: readonly string[];
  otherName: string | undefined;
  timestamp: string;
  source: Source;
}

interface FloorItem {
  objectType: string;
  id: string;
  labels: string[];
  primary: boolean;
}

/** Calculated counts: on records of a type, the live associations with records of another (crmkit's num_associated_*). */
const COUNTS: Partial<Record<LoadedType, Partial<Record<LoadedType, string>>>> = {
  companies: { contacts: 'num_associated_contacts', deals: 'num_associated_deals' },
  contacts: { deals: 'num_associated_deals' },
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

class FloorTable {
  readonly records = new Map<string, PropertiesInput>();
  /** Lowercased key value → id. */
  readonly keys = new Map<string, string>();
  /** id → association state (records never associated or archived have none). */
  readonly graph = new Map<string, GraphNode>();

  constructor(
    readonly objectType: LoadedType,
    readonly keyProperty: string | undefined,
    readonly displayName: (properties: PropertiesInput) => string | undefined,
  ) {}

  /** The record's association state; throws when there is no such record. */
  node(id: string): GraphNode {
    let node = this.graph.get(id);
    if (node === undefined) {
      const properties = this.records.get(id);
      if (properties === undefined) throw new Error(`floor: no ${this.objectType} ${id}`);
      node = { table: this, id, properties, archived: false, edges: new Map(), history: [] };
      this.graph.set(id, node);
    }
    return node;
  }
}

/** A minimal async record store and association graph on Maps. */
export class FloorStore {
  private readonly tables: Record<LoadedType, FloorTable> = {
    contacts: new FloorTable('contacts', 'email', (p) => `${text(p.firstname)} ${text(p.lastname)}`.trim() || (typeof p.email === 'string' ? p.email : undefined)),
    companies: new FloorTable('companies', 'domain', (p) => (p.name == null ? undefined : String(p.name))),
    deals: new FloorTable('deals', undefined, (p) => (p.dealname == null ? undefined : String(p.dealname))),
  };

  /** from → to → the labels the pair accepts (name seen from `from` → name seen from `to`). */
  private readonly pairs = new Map<LoadedType, Map<LoadedType, Map<string, string>>>();

  constructor() {
    for (const [a, b] of [
      ['contacts', 'companies'],
      ['deals', 'contacts'],
      ['deals', 'companies'],
    ] as const) {
      this.allow(a, b);
      this.allow(b, a);
    }
  }

  private allow(from: LoadedType, to: LoadedType): void {
    let tos = this.pairs.get(from);
    if (!tos) this.pairs.set(from, (tos = new Map()));
    // The built-in primary label, on every pair with companies (written from the other side only).
    tos.set(to, new Map(from === COMPANIES || to === COMPANIES ? [[PRIMARY, PRIMARY]] : []));
  }

  async createMany(objectType: LoadedType, inputs: readonly PropertiesInput[]): Promise<string[]> {
    const table = this.tables[objectType];
    const ids: string[] = new Array(inputs.length);
    for (let at = 0; at < inputs.length; at++) ids[at] = this.insert(table, inputs[at]!);
    return ids;
  }

  /** The new id, or undefined when the key is taken (a duplicate). */
  async create(objectType: LoadedType, input: PropertiesInput): Promise<string | undefined> {
    const table = this.tables[objectType];
    if (table.keyProperty !== undefined && table.keys.has(String(input[table.keyProperty]).toLowerCase())) return undefined;
    return this.insert(table, input);
  }

  async get(objectType: LoadedType, id: string): Promise<PropertiesInput | undefined> {
    return this.tables[objectType].records.get(id);
  }

  async getBy(objectType: LoadedType, value: string): Promise<string | undefined> {
    return this.tables[objectType].keys.get(value.toLowerCase());
  }

  private insert(table: FloorTable, input: PropertiesInput): string {
    const id = randomId();
    if (table.keyProperty !== undefined) {
      const key = String(input[table.keyProperty]).toLowerCase();
      if (table.keys.has(key)) throw new Error(`floor: duplicate ${table.keyProperty} ${key}`);
      table.keys.set(key, id);
    }
    table.records.set(id, { ...input });
    return id;
  }

  // ------------------------------------------------------------ associations

  /** Defines a label without an inverse (it reads the same from both sides); answers its name. */
  async createLabel(from: LoadedType, to: LoadedType, label: string): Promise<string> {
    const name = label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const labels = this.labelsOf(from, to);
    if (labels.has(name)) throw new Error(`floor: ${from} → ${to} already has label ${name}`);
    labels.set(name, name);
    this.labelsOf(to, from).set(name, name);
    return name;
  }

  /** Associates every pair, one after another, with one timestamp. */
  async associateMany(pairs: ReadonlyArray<{ from: RecordRef; to: RecordRef; labels?: readonly string[] }>): Promise<void> {
    const timestamp = new Date().toISOString();
    for (const pair of pairs) this.associate(this.live(pair.from), this.live(pair.to), pair.labels, timestamp, API);
  }

  /** Makes `company` the owner's primary company (associating them if needed); the old one stays associated. */
  async setPrimary(owner: RecordRef, company: RecordRef): Promise<void> {
    if (owner.objectType === COMPANIES || company.objectType !== COMPANIES) throw new Error('floor: a primary is a company, of a record that is not one');
    this.associate(this.live(owner), this.live(company), [PRIMARY], new Date().toISOString(), API);
  }

  /** A page of the record's live associations to `toType` in association order, with the total. */
  async list(record: RecordRef, toType: LoadedType, label?: string): Promise<{ results: FloorItem[]; total: number; paging?: { next: { after: string } } }> {
    const table = this.tables[record.objectType];
    const node = table.graph.get(record.id);
    if (node === undefined && !table.records.has(record.id)) throw new Error(`floor: no ${record.objectType} ${record.id}`);
    if (label !== undefined && !this.labelsOf(record.objectType, toType).has(label)) throw new Error(`floor: unknown label ${label}`);
    const results: FloorItem[] = [];
    let total = 0;
    const edges = node?.edges.get(toType);
    if (edges) {
      for (const edge of edges.values()) {
        if (edge.archived || (label !== undefined && !edge.labels.includes(label))) continue;
        if (total++ < PAGE) results.push({ objectType: toType, id: edge.other.id, labels: edge.labels.slice(), primary: edge.labels.includes(PRIMARY) });
      }
    }
    return total > PAGE ? { results, total, paging: { next: { after: `${PAGE}:${results[PAGE - 1]!.id}` } } } : { results, total };
  }

  /** Archives a record: frees its key, archives its associations, and gives contacts that had it as primary another. */
  async archive(objectType: LoadedType, id: string): Promise<void> {
    const table = this.tables[objectType];
    const node = table.node(id);
    if (node.archived) return;
    node.archived = true;
    if (table.keyProperty !== undefined) table.keys.delete(String(node.properties[table.keyProperty]).toLowerCase());
    const timestamp = new Date().toISOString();
    const source: Source = { type: 'OBJECT_DELETION', id };
    const owners: GraphNode[] = [];
    for (const [otherType, edges] of node.edges) {
      for (const edge of edges.values()) {
        if (edge.archived) continue;
        const back = edge.other.edges.get(objectType)!.get(id)!;
        edge.archived = back.archived = true;
        this.log(node, edge.other, 'removed', edge.labels, NO_LABELS, timestamp, source);
        this.log(edge.other, node, 'removed', back.labels, NO_LABELS, timestamp, source);
        this.count(edge.other, objectType, -1);
        if (objectType === COMPANIES && otherType === CONTACTS && back.labels.includes(PRIMARY)) owners.push(edge.other);
      }
    }
    // Each contact whose primary it was: its longest-associated live company (association order).
    for (const owner of owners) {
      let next: FloorEdge | undefined;
      for (const edge of owner.edges.get(COMPANIES)!.values()) {
        if (edge.archived) continue;
        if (edge.labels.includes(PRIMARY)) {
          next = undefined;
          break;
        }
        next ??= edge;
      }
      if (next) this.relabel(owner, next, PRIMARY, PRIMARY, true, timestamp, source);
    }
  }

  /** The labels `from` → `to` accepts; throws when the two may not associate. */
  private labelsOf(from: LoadedType, to: LoadedType): Map<string, string> {
    const labels = this.pairs.get(from)?.get(to);
    if (!labels) throw new Error(`floor: ${from} records cannot be associated with ${to} records`);
    return labels;
  }

  /** The record's association state; throws when it does not exist or is archived. */
  private live(ref: RecordRef): GraphNode {
    const node = this.tables[ref.objectType].node(ref.id);
    if (node.archived) throw new Error(`floor: ${ref.objectType} ${ref.id} is archived`);
    return node;
  }

  /** The record's half-edges to `toType` records, made when missing. */
  private halfEdges(node: GraphNode, toType: LoadedType): Map<string, FloorEdge> {
    let edges = node.edges.get(toType);
    if (!edges) node.edges.set(toType, (edges = new Map()));
    return edges;
  }

  /** Associates `a` with `b`, adding `labels` (seen from `a`) to any association they have; applies the primary-company rule. */
  private associate(a: GraphNode, b: GraphNode, labels: readonly string[] | undefined, timestamp: string, source: Source): void {
    const aType = a.table.objectType;
    const bType = b.table.objectType;
    if (a === b) throw new Error('floor: a record cannot be associated with itself');
    const names = this.labelsOf(aType, bType);
    const mine = this.halfEdges(a, bType);
    const existing = mine.get(b.id);
    const before = existing?.labels ?? NO_LABELS;
    const added: string[] = [];
    for (const name of labels ?? NO_LABELS) {
      if (!names.has(name) || (name === PRIMARY && aType === COMPANIES)) throw new Error(`floor: ${aType} → ${bType} cannot take label ${name}`);
      if (!before.includes(name) && !added.includes(name)) added.push(name);
    }

    // The primary-company rule: the owner is the non-company end of a company association.
    const owner = bType === COMPANIES && aType !== COMPANIES ? a : aType === COMPANIES && bType !== COMPANIES ? b : undefined;
    if (owner && !before.includes(PRIMARY)) {
      let current: FloorEdge | undefined;
      for (const edge of (owner === a ? mine : this.halfEdges(b, COMPANIES)).values()) {
        if (!edge.archived && edge.labels.includes(PRIMARY)) {
          current = edge;
          break;
        }
      }
      if (added.includes(PRIMARY)) {
        if (current) this.relabel(owner, current, PRIMARY, PRIMARY, false, timestamp, source);
      } else if (!current) {
        added.push(PRIMARY);
      }
    }
    if (existing && added.length === 0) return;
    const inverse = added.map((name) => names.get(name)!);

    if (existing) {
      const back = b.edges.get(aType)!.get(a.id)!;
      const inverseBefore = back.labels;
      existing.labels = [...before, ...added];
      back.labels = [...inverseBefore, ...inverse];
      this.log(a, b, 'relabelled', before, existing.labels, timestamp, source);
      this.log(b, a, 'relabelled', inverseBefore, back.labels, timestamp, source);
      return;
    }
    mine.set(b.id, { other: b, labels: added, createdAt: timestamp, archived: false });
    this.halfEdges(b, aType).set(a.id, { other: a, labels: inverse, createdAt: timestamp, archived: false });
    this.log(a, b, 'created', NO_LABELS, added, timestamp, source);
    this.log(b, a, 'created', NO_LABELS, inverse, timestamp, source);
    this.count(a, bType, 1);
    this.count(b, aType, 1);
  }

  /** Adds (or removes) one label on an existing association of `node`, both halves, logging the change on both records. */
  private relabel(node: GraphNode, edge: FloorEdge, name: string, inverseName: string, adding: boolean, timestamp: string, source: Source): void {
    const back = edge.other.edges.get(node.table.objectType)!.get(node.id)!;
    const before = edge.labels;
    const inverseBefore = back.labels;
    edge.labels = adding ? [...before, name] : before.filter((label) => label !== name);
    back.labels = adding ? [...inverseBefore, inverseName] : inverseBefore.filter((label) => label !== inverseName);
    this.log(node, edge.other, 'relabelled', before, edge.labels, timestamp, source);
    this.log(edge.other, node, 'relabelled', inverseBefore, back.labels, timestamp, source);
  }

  /** Adjusts the calculated count of `otherType` associations on the record, if it keeps one (zero is no value). */
  private count(node: GraphNode, otherType: LoadedType, delta: number): void {
    const property = COUNTS[node.table.objectType]?.[otherType];
    if (property === undefined) return;
    const { properties } = node;
    const next = (typeof properties[property] === 'number' ? (properties[property] as number) : 0) + delta;
    if (next === 0) delete properties[property];
    else properties[property] = next;
  }

  private log(
    node: GraphNode,
    other: GraphNode,
    action: FloorHistoryEntry['action'],
    labelsBefore: readonly string[],
    labelsAfter: readonly string[],
    timestamp: string,
    source: Source,
  ): void {
    node.history.push({
      objectType: node.table.objectType,
      id: node.id,
      toType: other.table.objectType,
      toId: other.id,
      action,
      labelsBefore,
      labelsAfter,
      otherName: other.table.displayName(other.properties),
      timestamp,
      source,
    });
  }
}

export function floorSubject(store: FloorStore): Subject {
  return {
    async createMany(objectType, batches) {
      const ids: string[] = [];
      for (const batch of batches) {
        const created = await store.createMany(objectType, batch);
        for (const id of created) ids.push(id);
      }
      return ids;
    },

    async createDuplicates(inputs) {
      let refused = 0;
      const wrong: string[] = [];
      for (const input of inputs) {
        const id = await store.create('contacts', input);
        if (id === undefined) refused++;
        else if (wrong.length < 3) wrong.push(`${String(input.email)} was created (id ${id})`);
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
      for (let at = 0; at < emails.length; at++) if ((await store.getBy('contacts', emails[at]!)) === expectedIds[at]) found++;
      return found;
    },

    ...graphPhases(store),

    close: async () => {},
  };
}
