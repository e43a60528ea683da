// A model-based property test of the association graph (docs/associations.md): random command
// sequences (create, associate, unlabel, remove, setPrimary, archive, restore, purge, merge,
// createLabel, deleteLabel) run against a small world of contacts, companies and deals and,
// step by step, against a reference model. After every step the real state must equal the
// model's (which records exist, which pairs are associated, with which labels from each side,
// which association is primary, in the order they were made) and satisfy the graph's
// invariants (symmetry, no edge to a missing or archived record, label caps, limits, the
// primary-company rule). Every refused call is a CrmError that leaves storage byte-identical.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCrmError, type AssociationItem, type Crm, type LabelInput, type MemoryStorage } from 'crmkit';
import { testCrm } from '../helpers.js';

/** `npm run fuzz` multiplies the runs (CRMKIT_FUZZ_SCALE); `npm test` keeps them quick. */
const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);

/** Small, so that createLabel reaches LABEL_LIMIT on contacts ↔ deals. */
const LABEL_LIMIT = 3;

type ObjType = 'contacts' | 'companies' | 'deals';
const TYPES: readonly ObjType[] = ['contacts', 'companies', 'deals'];
const ALIAS: Record<ObjType, string> = { contacts: 'c', companies: 'k', deals: 'd' };
const PRIMARY = 'primary';

/** The labels createLabel may be asked for: some paired, some capped at 'one', some that collide. */
const LABEL_SPECS: readonly LabelInput[] = [
  { from: 'deals', to: 'contacts', label: 'Decision maker' },
  { from: 'deals', to: 'contacts', label: 'Champion', limit: 'one' },
  { from: 'contacts', to: 'deals', label: 'Buyer', inverseLabel: 'Bought by', inverseLimit: 'one' },
  { from: 'contacts', to: 'deals', label: 'Sponsor', limit: 'one' },
  { from: 'contacts', to: 'deals', label: 'decision MAKER' }, // LABEL_EXISTS while the first exists
  { from: 'contacts', to: 'contacts', label: 'Manager', inverseLabel: 'Employee', limit: 'one' },
  { from: 'contacts', to: 'contacts', label: 'Friend' },
  { from: 'contacts', to: 'contacts', label: 'Spouse', limit: 'one', inverseLimit: 'one' },
  { from: 'contacts', to: 'contacts', label: 'Boss', name: 'manager' }, // LABEL_EXISTS while Manager exists
  { from: 'companies', to: 'contacts', label: 'Billing contact', limit: 'one' },
  { from: 'contacts', to: 'companies', label: 'Primary' }, // always LABEL_EXISTS (the built-in)
  { from: 'companies', to: 'companies', label: 'Parent company', inverseLabel: 'Child company', limit: 'one' }, // always LABEL_EXISTS (a built-in)
  { from: 'companies', to: 'companies', label: 'Supplier', inverseLabel: 'Customer', limit: 'one' },
];

/** The built-in company → company label (a company's children, and its one parent), there from the start. */
const BUILT_IN_LABEL: MLabel = {
  from: 'companies',
  to: 'companies',
  name: 'child_company',
  label: 'Child company',
  inverseName: 'parent_company',
  inverseLabel: 'Parent company',
  limit: 'many',
  inverseLimit: 'one',
  builtIn: true,
};

/** 'Decision maker' → 'decision_maker' (docs/associations.md "Labels"). */
function derive(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function specName(spec: LabelInput): string {
  return spec.name ?? derive(spec.label);
}

function specInverseName(spec: LabelInput): string | undefined {
  return spec.inverseLabel === undefined ? undefined : derive(spec.inverseLabel);
}

/** The labels the world starts with: Champion, Buyer / Bought by, Manager / Employee, Billing contact. */
const INITIAL_LABELS: readonly LabelInput[] = [LABEL_SPECS[1]!, LABEL_SPECS[2]!, LABEL_SPECS[5]!, LABEL_SPECS[9]!];

function labelDoc(spec: LabelInput): MLabel {
  const inverseName = specInverseName(spec);
  return {
    from: spec.from as ObjType,
    to: spec.to as ObjType,
    name: specName(spec),
    label: spec.label,
    ...(inverseName !== undefined ? { inverseName, inverseLabel: spec.inverseLabel! } : {}),
    limit: spec.limit === 'one' ? 'one' : 'many',
    inverseLimit: spec.inverseLimit === 'one' ? 'one' : 'many',
  };
}

function samePair(a1: string, b1: string, a2: string, b2: string): boolean {
  return (a1 === a2 && b1 === b2) || (a1 === b2 && b1 === a2);
}

/** Whether the pair has the built-in primary label (every object → company pair but company → company). */
function hasPrimaryLabel(a: string, b: string): boolean {
  return (a === 'companies') !== (b === 'companies');
}

// ---------------------------------------------------------------- the reference model

type Status = 'live' | 'archived' | 'purged' | 'merged';

interface MRecord {
  readonly id: string;
  readonly type: ObjType;
  readonly alias: string;
  status: Status;
  /** Set when merged: the record it was merged into. */
  mergedInto?: string;
}

/** One association; labels as seen from each end. */
interface MEdge {
  readonly a: string;
  readonly b: string;
  la: Set<string>;
  lb: Set<string>;
  /** The step that made it (merges keep the older of two). */
  created: number;
}

interface MLabel {
  readonly from: ObjType;
  readonly to: ObjType;
  readonly name: string;
  readonly label: string;
  readonly inverseName?: string;
  readonly inverseLabel?: string;
  readonly limit: 'one' | 'many';
  readonly inverseLimit: 'one' | 'many';
  /** A built-in label: never created, changed or deleted, not counted against the limit. */
  readonly builtIn?: true;
}

/** A label as one side names it. */
interface Side {
  readonly name: string;
  readonly other: string;
  readonly cap: number;
  readonly otherCap: number;
  readonly user: boolean;
}

interface Model {
  records: MRecord[];
  byId: Map<string, MRecord>;
  edges: Map<string, MEdge>;
  labels: MLabel[];
  time: number;
  counters: Record<ObjType, number>;
  /** What each step did, resolved (shown with a failure). */
  log: string[];
  /** Records holding more than a label's cap of records under it, by `id|toType|label`. */
  overLimit: Map<string, number>;
  /**
   * Owners whose primary company the spec leaves open after this step, among `candidates`
   * (exactly one, or at most one with `orNone`): the model takes what the real state has.
   */
  adopt: Array<{ owner: string; candidates: string[]; orNone?: boolean }>;
}

interface Real {
  crm: Crm;
  storage: MemoryStorage;
}

const capOf = (limit: 'one' | 'many'): number => (limit === 'one' ? 1 : Number.POSITIVE_INFINITY);
const edgeKey = (x: string, y: string): string => (x < y ? `${x}|${y}` : `${y}|${x}`);
const isGone = (record: MRecord): boolean => record.status === 'purged' || record.status === 'merged';

function rec(m: Model, id: string): MRecord {
  const record = m.byId.get(id);
  if (!record) throw new Error(`model: no record ${id}`);
  return record;
}

const live = (m: Model, id: string): boolean => rec(m, id).status === 'live';
const typeOf = (m: Model, id: string): ObjType => rec(m, id).type;
const show = (m: Model, id: string): string => `${rec(m, id).alias}(${id})`;

function edgeOf(m: Model, x: string, y: string): MEdge | undefined {
  return m.edges.get(edgeKey(x, y));
}

function labelsFrom(edge: MEdge, id: string): Set<string> {
  return edge.a === id ? edge.la : edge.lb;
}

function otherEnd(edge: MEdge, id: string): string {
  return edge.a === id ? edge.b : edge.a;
}

const edgeLive = (m: Model, edge: MEdge): boolean => live(m, edge.a) && live(m, edge.b);

/** A record's edges (to `toType` records, when given), oldest first. */
function edgesOfRecord(m: Model, id: string, toType?: ObjType): MEdge[] {
  const result: MEdge[] = [];
  for (const edge of m.edges.values()) {
    if (edge.a !== id && edge.b !== id) continue;
    if (toType !== undefined && typeOf(m, otherEnd(edge, id)) !== toType) continue;
    result.push(edge);
  }
  return result.sort((x, y) => x.created - y.created);
}

function livePrimaries(m: Model, owner: string): MEdge[] {
  return edgesOfRecord(m, owner, 'companies').filter((edge) => edgeLive(m, edge) && labelsFrom(edge, owner).has(PRIMARY));
}

function ensureEdge(m: Model, x: string, y: string): MEdge {
  let edge = edgeOf(m, x, y);
  if (!edge) {
    edge = { a: x, b: y, la: new Set(), lb: new Set(), created: m.time };
    m.edges.set(edgeKey(x, y), edge);
  }
  return edge;
}

function setPrimaryLabel(edge: MEdge, on: boolean): void {
  for (const labels of [edge.la, edge.lb]) {
    if (on) labels.add(PRIMARY);
    else labels.delete(PRIMARY);
  }
}

/** Makes `company` the owner's primary (associating them if needed), demoting the live one. */
function makePrimary(m: Model, owner: string, company: string): void {
  for (const edge of livePrimaries(m, owner)) if (otherEnd(edge, owner) !== company) setPrimaryLabel(edge, false);
  setPrimaryLabel(ensureEdge(m, owner, company), true);
}

/** The longest-associated live company of a contact (docs: "the longest-associated remaining live company"). */
function longestLiveCompany(m: Model, owner: string): string | undefined {
  const edge = edgesOfRecord(m, owner, 'companies').find((candidate) => edgeLive(m, candidate));
  return edge && otherEnd(edge, owner);
}

/**
 * After companies went or came back: at most one live primary (a returning one yields to one
 * that stayed), and a contact with live companies has one (the longest associated).
 */
function settle(m: Model, owner: string, returning: ReadonlySet<string>): void {
  const primaries = livePrimaries(m, owner);
  if (primaries.length > 1) {
    const stayed = primaries.filter((edge) => !returning.has(otherEnd(edge, owner)));
    if (stayed.length === 1) {
      for (const edge of primaries) if (edge !== stayed[0]) setPrimaryLabel(edge, false);
    } else {
      // Several came back at once (the owner itself was restored): the spec does not say which stays.
      m.adopt.push({ owner, candidates: primaries.map((edge) => otherEnd(edge, owner)) });
    }
  } else if (primaries.length === 0 && typeOf(m, owner) === 'contacts') {
    const next = longestLiveCompany(m, owner);
    if (next !== undefined) setPrimaryLabel(edgeOf(m, owner, next)!, true);
  }
}

/** A label named from `from`'s side of a pair: UNKNOWN_LABEL, PRIMARY_NOT_ALLOWED, or what it is. */
function resolveLabel(m: Model, from: ObjType, to: ObjType, name: string): Side | { error: string } {
  if (name === PRIMARY && (from === 'companies' || to === 'companies')) {
    if (to === 'companies' && from !== 'companies') return { name, other: name, cap: Infinity, otherCap: Infinity, user: false };
    return { error: 'PRIMARY_NOT_ALLOWED' };
  }
  for (const doc of m.labels) {
    if (doc.from === from && doc.to === to && doc.name === name) {
      return { name, other: doc.inverseName ?? name, cap: capOf(doc.limit), otherCap: capOf(doc.inverseLimit), user: true };
    }
    if (doc.to === from && doc.from === to && (doc.inverseName ?? doc.name) === name) {
      return { name, other: doc.name, cap: capOf(doc.inverseLimit), otherCap: capOf(doc.limit), user: true };
    }
  }
  return { error: 'UNKNOWN_LABEL' };
}

/** The names a command may draw for a pair: every candidate label's names, 'primary', and one that never exists. */
function candidateNames(from: ObjType, to: ObjType): string[] {
  const names = new Set<string>();
  for (const spec of LABEL_SPECS) {
    if (!samePair(spec.from, spec.to, from, to)) continue;
    names.add(specName(spec));
    const inverse = specInverseName(spec);
    if (inverse !== undefined) names.add(inverse);
  }
  names.add(PRIMARY);
  names.add('no_such_label');
  return [...names];
}

/** The error codes liveness gives a record argument of a write. */
function liveCodes(m: Model, id: string): string[] {
  const record = rec(m, id);
  if (isGone(record)) return ['NOT_FOUND'];
  if (record.status === 'archived') return ['ARCHIVED'];
  return [];
}

/** Where a merged id leads: the live or archived survivor, or undefined once that was purged. */
function survivorOf(m: Model, id: string): MRecord | undefined {
  let record = rec(m, id);
  while (record.status === 'merged') record = rec(m, record.mergedInto!);
  return record.status === 'purged' ? undefined : record;
}

function addRecord(m: Model, type: ObjType, id: string): MRecord {
  const record: MRecord = { id, type, alias: `${ALIAS[type]}${m.counters[type]++}`, status: 'live' };
  m.records.push(record);
  m.byId.set(id, record);
  return record;
}

/** Positions from 0 to 39 pick among the records that exist (live or archived); 40 and up among all, purged and merged ones too. */
const WITH_GONE = 40;

function pick(m: Model, at: number, type?: ObjType): MRecord {
  const ofType = type === undefined ? m.records : m.records.filter((record) => record.type === type);
  const existing = ofType.filter((record) => !isGone(record));
  const pool = at >= WITH_GONE || existing.length === 0 ? ofType : existing;
  return pool[at % pool.length]!;
}

/**
 * How a command picks its two records: the ends of an association, a contact or deal and a
 * company, a contact and a deal (the pair with the most labels), each in either order; or any two.
 */
type PairMode = 'edge' | 'company' | 'deal' | 'any';
const pairModeArb = fc.noBias(fc.constantFrom<PairMode>('edge', 'company', 'deal', 'any', 'any'));

function pickPair(m: Model, mode: PairMode, x: number, y: number): [string, string] {
  const edges = [...m.edges.values()];
  if (mode === 'edge' && edges.length > 0) {
    const chosen = edges[x % edges.length]!;
    return y % 2 === 0 ? [chosen.a, chosen.b] : [chosen.b, chosen.a];
  }
  if (mode === 'company') {
    const owners = m.records.filter((record) => record.type !== 'companies' && !isGone(record));
    if (owners.length > 0) {
      const owner = owners[x % owners.length]!.id;
      const company = pick(m, y, 'companies').id;
      return y % 2 === 0 ? [owner, company] : [company, owner];
    }
  }
  if (mode === 'deal') {
    const contact = pick(m, x, 'contacts').id;
    const deal = pick(m, y, 'deals').id;
    return x % 2 === 0 ? [contact, deal] : [deal, contact];
  }
  return [pick(m, x).id, pick(m, y).id];
}

// ---------------------------------------------------------------- running one step

/** What the model expects of a call: success (no codes), a refusal with one of `codes`, or either (`mayPass`). */
interface Expectation {
  codes: string[];
  mayPass?: boolean;
  /** On success, storage must be unchanged (a call that does nothing). */
  noop?: boolean;
}

type Kind = 'create' | 'associate' | 'unlabel' | 'remove' | 'setPrimary' | 'archive' | 'restore' | 'purge' | 'merge' | 'createLabel' | 'deleteLabel';

async function step<T>(
  m: Model,
  r: Real,
  kind: Kind,
  description: string,
  expectation: Expectation,
  call: () => Promise<T>,
  apply: (result: T) => void,
): Promise<void> {
  m.time++;
  m.log.push(description);
  try {
    const before = JSON.stringify(r.storage.snapshot());
    let result: T;
    try {
      result = await call();
    } catch (error) {
      if (!isCrmError(error)) throw new Error(`${description} threw something other than a CrmError: ${String(error)}`, { cause: error });
      m.log[m.log.length - 1] += ` → ${error.code}`;
      expect(JSON.stringify(r.storage.snapshot()), `${description} was refused (${error.code}) but changed storage`).toBe(before);
      if (expectation.codes.length === 0) throw new Error(`${description} was refused with ${error.code} (${error.message}); the model expects it to work`);
      expect(expectation.codes, `${description}: refused with ${error.code} (${error.message})`).toContain(error.code);
      await checkState(m, r, kind);
      return;
    }
    m.log[m.log.length - 1] += ' → ok';
    if (expectation.codes.length > 0 && !expectation.mayPass) {
      throw new Error(`${description} worked; the model expects a refusal: ${expectation.codes.join(' or ')}`);
    }
    if (expectation.noop && expectation.codes.length === 0) {
      expect(JSON.stringify(r.storage.snapshot()), `${description} should change nothing`).toBe(before);
    }
    apply(result);
    await adoptOpenPrimaries(m, r);
    await checkState(m, r, kind);
  } catch (error) {
    if (error instanceof Error && !error.message.includes('\nsteps:\n')) error.message += `\nsteps:\n  ${m.log.join('\n  ')}`;
    throw error;
  }
}

/** Where the spec leaves the choice open, the model takes the primary the real state has (exactly one of the candidates). */
async function adoptOpenPrimaries(m: Model, r: Real): Promise<void> {
  for (const { owner, candidates, orNone } of m.adopt.splice(0)) {
    const { results } = await r.crm.associations.list({ objectType: typeOf(m, owner), id: owner }, 'companies');
    const kept = results.filter((item) => item.primary && candidates.includes(item.id));
    if (orNone) expect(kept.length, `${show(m, owner)} keeps at most one primary of ${candidates.join(', ')}`).toBeLessThanOrEqual(1);
    else expect(kept, `${show(m, owner)} keeps exactly one primary of ${candidates.join(', ')}`).toHaveLength(1);
    for (const company of candidates) setPrimaryLabel(edgeOf(m, owner, company)!, company === kept[0]?.id);
  }
}

const ref = (m: Model, id: string): { objectType: ObjType; id: string } => ({ objectType: typeOf(m, id), id });

// ---------------------------------------------------------------- the commands

class Cmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    private readonly name: string,
    private readonly exec: (m: Model, r: Real) => Promise<void>,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): Promise<void> {
    return this.exec(m, r);
  }
  toString(): string {
    return this.name;
  }
}

const at = fc.noBias(fc.nat({ max: 47 }));
const typeArb = fc.constantFrom<ObjType>('contacts', 'companies', 'deals');

const createCmd = typeArb.map(
  (type) =>
    new Cmd(`create(${type})`, (m, r) => {
      const properties =
        type === 'contacts'
          ? { firstname: `C${m.counters.contacts}` }
          : type === 'companies'
            ? { name: `K${m.counters.companies}` }
            : { dealname: `D${m.counters.deals}`, dealstage: 'appointmentscheduled' };
      return step(m, r, 'create', `create ${type}`, { codes: [] }, () => r.crm.records.create(type, properties), (record) => {
        addRecord(m, type, record.id);
      });
    }),
);

/**
 * Which labels a call draws (one or two): with `true`, a name the pair has from the first
 * record's side (for unlabel: one the association carries), three times in four; else any candidate name.
 */
const labelPicks = fc.array(fc.tuple(fc.noBias(fc.constantFrom(true, true, true, false)), fc.noBias(fc.nat({ max: 20 }))), { minLength: 1, maxLength: 2 });

function drawLabels(m: Model, from: ObjType, to: ObjType, picks: ReadonlyArray<readonly [boolean, number]>, present?: ReadonlySet<string>): string[] {
  const names = candidateNames(from, to);
  const valid = present && present.size > 0 ? [...present] : names.filter((name) => !('error' in resolveLabel(m, from, to, name)));
  return picks.map(([defined, position]) => {
    const pool = defined && valid.length > 0 ? valid : names;
    return pool[position % pool.length]!;
  });
}

const showPicks = (picks: ReadonlyArray<readonly [boolean, number]>): string => `[${picks.map(([defined, position]) => `${defined ? 'has' : 'any'} ${position}`).join(', ')}]`;

const associateCmd = fc.tuple(pairModeArb, at, at, labelPicks, fc.boolean()).map((args) => associateWith(...args));

function associateWith(mode: PairMode, x: number, y: number, picks: ReadonlyArray<readonly [boolean, number]>, withLabels: boolean): Cmd {
  return new Cmd(`associate(${mode} #${x}, #${y}, ${withLabels ? showPicks(picks) : 'undefined'})`, (m, r) => {
    const [a, b] = pickPair(m, mode, x, y);
    const ta = typeOf(m, a);
    const tb = typeOf(m, b);
    const labels = withLabels ? drawLabels(m, ta, tb, picks) : undefined;
    const description = `associate(${show(m, a)}, ${show(m, b)}, ${labels ? JSON.stringify(labels) : 'no labels'})`;
    const codes = [...liveCodes(m, a), ...liveCodes(m, b)];
    if (a === b) codes.push('ASSOCIATION_NOT_ALLOWED');
    const sides: Side[] = [];
    for (const name of labels ?? []) {
      const side = resolveLabel(m, ta, tb, name);
      if ('error' in side) codes.push(side.error);
      else if (!sides.some((known) => known.name === side.name)) sides.push(side);
    }
    let plan: (() => void) | undefined;
    let noop = false;
    if (codes.length === 0) {
      const existing = edgeOf(m, a, b);
      const before = existing ? labelsFrom(existing, a) : new Set<string>();
      const added = sides.filter((side) => !before.has(side.name));
      // Caps: a record may hold no more than `cap` live records under a label.
      for (const side of added) {
        if (!side.user) continue;
        const count = (holder: string, otherType: ObjType, name: string): number =>
          edgesOfRecord(m, holder, otherType).filter((edge) => edgeLive(m, edge) && labelsFrom(edge, holder).has(name)).length;
        if (count(a, tb, side.name) >= side.cap || count(b, ta, side.other) >= side.otherCap) codes.push('ASSOCIATION_LIMIT');
      }
      const owner = tb === 'companies' && ta !== 'companies' ? a : ta === 'companies' && tb !== 'companies' ? b : undefined;
      const company = owner === a ? b : a;
      const explicitPrimary = added.some((side) => side.name === PRIMARY);
      // A company association *made* while the owner has no live primary becomes primary.
      const becomesPrimary = owner !== undefined && !before.has(PRIMARY) && (explicitPrimary || (!existing && livePrimaries(m, owner).length === 0));
      noop = existing !== undefined && added.length === 0 && !becomesPrimary;
      plan = () => {
        const edge = ensureEdge(m, a, b);
        for (const side of added) {
          if (!side.user) continue;
          labelsFrom(edge, a).add(side.name);
          labelsFrom(edge, b).add(side.other);
        }
        if (becomesPrimary) makePrimary(m, owner, company);
      };
    }
    return step(m, r, 'associate', description, { codes, noop }, () => r.crm.associations.associate(ref(m, a), ref(m, b), labels), () => plan!());
  });
}

/** Mostly the ends of an existing association, sometimes other records. */
const onEdgeArb = fc.noBias(fc.constantFrom<PairMode>('edge', 'edge', 'company', 'deal', 'any'));

const newPrimaryArb = fc.option(fc.tuple(fc.boolean(), at), { nil: undefined });

function drawNewPrimary(m: Model, choice: [boolean, number] | undefined): string | undefined {
  if (choice === undefined) return undefined;
  const [anyType, position] = choice;
  return pick(m, position, anyType ? undefined : 'companies').id;
}

const unlabelCmd = fc.tuple(onEdgeArb, at, at, labelPicks, newPrimaryArb).map(
  ([mode, x, y, picks, np]) =>
    new Cmd(`unlabel(${mode} #${x}, #${y}, ${showPicks(picks)}, ${np ? `newPrimary ${np[0] ? 'any' : 'company'} #${np[1]}` : 'no newPrimary'})`, (m, r) => {
      const [a, b] = pickPair(m, mode, x, y);
      const ta = typeOf(m, a);
      const tb = typeOf(m, b);
      const carried = edgeOf(m, a, b);
      const labels = drawLabels(m, ta, tb, picks, carried && labelsFrom(carried, a));
      const newPrimary = drawNewPrimary(m, np);
      const description = `unlabel(${show(m, a)}, ${show(m, b)}, ${JSON.stringify(labels)}${newPrimary ? `, { newPrimary: ${show(m, newPrimary)} }` : ''})`;
      const codes = [...liveCodes(m, a), ...liveCodes(m, b), ...(newPrimary ? liveCodes(m, newPrimary) : [])];
      if (a === b) codes.push('ASSOCIATION_NOT_ALLOWED');
      const sides: Side[] = [];
      for (const name of labels) {
        const side = resolveLabel(m, ta, tb, name);
        if ('error' in side) codes.push(side.error);
        else sides.push(side);
      }
      let mayPass = false;
      let noop = false;
      let plan: (() => void) | undefined;
      const existing = codes.length === 0 ? edgeOf(m, a, b) : undefined;
      if (codes.length === 0 && !existing) codes.push('NOT_FOUND');
      if (codes.length === 0 && existing) {
        const removed = sides.filter((side) => labelsFrom(existing, a).has(side.name));
        noop = removed.length === 0;
        let successor: string | undefined;
        let keepPrimary = false;
        // Taking the primary label (only ever from the owner's side: the company side is refused above).
        if (removed.some((side) => side.name === PRIMARY)) {
          const othersLive = edgesOfRecord(m, a, 'companies').filter((edge) => edgeLive(m, edge) && edge !== existing).length;
          if (newPrimary !== undefined && typeOf(m, newPrimary) !== 'companies') codes.push('PRIMARY_NOT_ALLOWED');
          else if (newPrimary === b) {
            // Naming the company being unlabelled: refusing is fine; working must leave it primary
            // for a contact (a contact with companies has a primary), and either way for others.
            codes.push('PRIMARY_REQUIRED');
            mayPass = true;
            keepPrimary = ta === 'contacts';
          } else if (newPrimary !== undefined) {
            successor = newPrimary;
            if (ta === 'contacts' && othersLive === 0) {
              // "Unlabelling the primary of a contact with a single company is PRIMARY_REQUIRED";
              // naming another company to associate is allowed too.
              codes.push('PRIMARY_REQUIRED');
              mayPass = true;
            }
          } else if (ta === 'contacts') codes.push('PRIMARY_REQUIRED');
        } else if (newPrimary !== undefined && typeOf(m, newPrimary) !== 'companies') {
          // newPrimary matters only when the primary goes.
          codes.push('PRIMARY_NOT_ALLOWED');
          mayPass = true;
        }
        const sameCompanyDeal = newPrimary === b && ta !== 'contacts' && removed.some((side) => side.name === PRIMARY);
        plan = () => {
          for (const side of removed) {
            if (side.name === PRIMARY && keepPrimary) continue;
            labelsFrom(existing, a).delete(side.name);
            labelsFrom(existing, b).delete(side.other);
          }
          if (sameCompanyDeal) m.adopt.push({ owner: a, candidates: [b], orNone: true });
          if (successor !== undefined) makePrimary(m, a, successor);
        };
      }
      return step(
        m,
        r,
        'unlabel',
        description,
        { codes, mayPass, noop },
        () => r.crm.associations.unlabel(ref(m, a), ref(m, b), labels, newPrimary ? { newPrimary: ref(m, newPrimary) } : undefined),
        () => plan!(),
      );
    }),
);

const removeCmd = fc.tuple(onEdgeArb, at, at, newPrimaryArb).map(
  ([mode, x, y, np]) =>
    new Cmd(`remove(${mode} #${x}, #${y}, ${np ? `newPrimary ${np[0] ? 'any' : 'company'} #${np[1]}` : 'no newPrimary'})`, (m, r) => {
      const [a, b] = pickPair(m, mode, x, y);
      const newPrimary = drawNewPrimary(m, np);
      const description = `remove(${show(m, a)}, ${show(m, b)}${newPrimary ? `, { newPrimary: ${show(m, newPrimary)} }` : ''})`;
      const codes = [...liveCodes(m, a), ...liveCodes(m, b), ...(newPrimary ? liveCodes(m, newPrimary) : [])];
      if (a === b) codes.push('ASSOCIATION_NOT_ALLOWED');
      let mayPass = false;
      let noop = false;
      let plan: (() => void) | undefined;
      if (codes.length === 0) {
        const existing = edgeOf(m, a, b);
        noop = existing === undefined;
        let successor: string | undefined;
        let oneLeftRule = false;
        const owner = existing && labelsFrom(existing, a).has(PRIMARY) ? (typeOf(m, a) === 'companies' ? b : a) : undefined;
        const company = owner === a ? b : a;
        if (owner !== undefined) {
          const others = edgesOfRecord(m, owner, 'companies').filter((edge) => edgeLive(m, edge) && edge !== existing);
          if (newPrimary !== undefined && typeOf(m, newPrimary) !== 'companies') codes.push('PRIMARY_NOT_ALLOWED');
          else if (newPrimary === company) {
            // Naming the company being removed as the new primary: refusing is fine; working
            // must still leave a contact with a primary when it keeps companies.
            codes.push('PRIMARY_REQUIRED');
            mayPass = true;
            oneLeftRule = true;
          } else if (newPrimary !== undefined) successor = newPrimary;
          else oneLeftRule = true;
          if (oneLeftRule && typeOf(m, owner) === 'contacts') {
            // With one company left it becomes primary; with more, the caller must choose.
            if (others.length === 1) successor = otherEnd(others[0]!, owner);
            else if (others.length > 1) codes.push('PRIMARY_REQUIRED');
          }
        } else if (newPrimary !== undefined && typeOf(m, newPrimary) !== 'companies') {
          // newPrimary matters only when the primary goes.
          codes.push('PRIMARY_NOT_ALLOWED');
          mayPass = true;
        }
        plan = () => {
          if (existing) m.edges.delete(edgeKey(a, b));
          if (owner !== undefined && successor !== undefined) makePrimary(m, owner, successor);
        };
      }
      return step(
        m,
        r,
        'remove',
        description,
        { codes, mayPass, noop },
        () => r.crm.associations.remove(ref(m, a), ref(m, b), newPrimary ? { newPrimary: ref(m, newPrimary) } : undefined),
        () => plan!(),
      );
    }),
);

const setPrimaryCmd = fc.tuple(fc.boolean(), at, fc.boolean(), at).map(
  ([anyOwner, x, anyType, y]) =>
    new Cmd(`setPrimary(${anyOwner ? 'any' : 'contact or deal'} #${x}, ${anyType ? 'any' : 'company'} #${y})`, (m, r) => {
      const owners = m.records.filter((record) => record.type !== 'companies' && !isGone(record));
      const owner = (anyOwner || owners.length === 0 ? pick(m, x) : owners[x % owners.length]!).id;
      const company = pick(m, y, anyType ? undefined : 'companies').id;
      const description = `setPrimary(${show(m, owner)}, ${show(m, company)})`;
      const codes = [...liveCodes(m, owner), ...liveCodes(m, company)];
      if (typeOf(m, owner) === 'companies' || typeOf(m, company) !== 'companies') codes.push('PRIMARY_NOT_ALLOWED');
      const existing = edgeOf(m, owner, company);
      const noop = existing !== undefined && labelsFrom(existing, owner).has(PRIMARY);
      return step(
        m,
        r,
        'setPrimary',
        description,
        { codes, noop },
        () => r.crm.associations.setPrimary(ref(m, owner), ref(m, company)),
        () => makePrimary(m, owner, company),
      );
    }),
);

const archiveCmd = fc.tuple(fc.boolean(), at).map(
  ([company, x]) =>
    new Cmd(`archive(${company ? 'company ' : ''}#${x})`, (m, r) => {
      const record = pick(m, x, company ? 'companies' : undefined);
      const codes = isGone(record) ? ['NOT_FOUND'] : [];
      return step(m, r, 'archive', `archive(${show(m, record.id)})`, { codes, noop: record.status === 'archived' }, () => r.crm.records.archive(record.type, record.id), () => {
        if (record.status === 'archived') return;
        const hadPrimary = edgesOfRecord(m, record.id).filter(
          (edge) => edgeLive(m, edge) && record.type === 'companies' && typeOf(m, otherEnd(edge, record.id)) === 'contacts' && edge.la.has(PRIMARY),
        );
        record.status = 'archived';
        for (const edge of hadPrimary) settle(m, otherEnd(edge, record.id), new Set());
      });
    }),
);

const restoreCmd = fc.tuple(fc.noBias(fc.nat({ max: 3 })).map((n) => n > 0), at).map(
  ([archived, x]) =>
    new Cmd(`restore(${archived ? 'archived ' : ''}#${x})`, (m, r) => {
      const pool = m.records.filter((candidate) => candidate.status === 'archived');
      const record = archived && pool.length > 0 ? pool[x % pool.length]! : pick(m, x);
      const codes = isGone(record) ? ['NOT_FOUND'] : [];
      return step(m, r, 'restore', `restore(${show(m, record.id)})`, { codes, noop: record.status === 'live' }, () => r.crm.records.restore(record.type, record.id), () => {
        if (record.status === 'live') return;
        record.status = 'live';
        const back = edgesOfRecord(m, record.id).filter((edge) => edgeLive(m, edge));
        if (record.type === 'companies') {
          // Its contacts and deals: a returning primary yields to a replacement; a contact left
          // without any live company meanwhile has one again.
          for (const edge of back) {
            const owner = otherEnd(edge, record.id);
            if (typeOf(m, owner) !== 'companies') settle(m, owner, new Set([record.id]));
          }
        } else {
          const companies = back.filter((edge) => typeOf(m, otherEnd(edge, record.id)) === 'companies').map((edge) => otherEnd(edge, record.id));
          if (companies.length > 0) settle(m, record.id, new Set(companies));
        }
      });
    }),
);

const purgeCmd = fc.tuple(fc.boolean(), at).map(
  ([company, x]) =>
    new Cmd(`purge(${company ? 'company ' : ''}#${x})`, (m, r) => {
      const record = pick(m, x, company ? 'companies' : undefined);
      const codes = isGone(record) ? ['NOT_FOUND'] : [];
      return step(m, r, 'purge', `purge(${show(m, record.id)})`, { codes }, () => r.crm.records.purge(record.type, record.id), () => {
        const edges = edgesOfRecord(m, record.id);
        const owners = edges
          .filter((edge) => edgeLive(m, edge) && record.type === 'companies' && typeOf(m, otherEnd(edge, record.id)) === 'contacts' && edge.la.has(PRIMARY))
          .map((edge) => otherEnd(edge, record.id));
        for (const edge of edges) m.edges.delete(edgeKey(edge.a, edge.b));
        record.status = 'purged';
        for (const owner of owners) settle(m, owner, new Set());
      });
    }),
);

const mergeCmd = fc.tuple(typeArb, at, at).map(
  ([type, x, y]) =>
    new Cmd(`merge(${type}, #${x}, #${y})`, (m, r) => {
      const survivor = pick(m, x, type);
      const merged = pick(m, y, type);
      const codes = survivor.id === merged.id ? ['VALIDATION_ERROR'] : [...liveCodes(m, survivor.id), ...liveCodes(m, merged.id)];
      return step(
        m,
        r,
        'merge',
        `merge(${type}, ${show(m, survivor.id)} ← ${show(m, merged.id)})`,
        { codes },
        () => r.crm.records.merge(type, survivor.id, merged.id),
        (result) => {
          expect(result.id, 'merge answers the survivor').toBe(survivor.id);
          const S = survivor.id;
          for (const edge of edgesOfRecord(m, merged.id)) {
            m.edges.delete(edgeKey(edge.a, edge.b));
            const other = otherEnd(edge, merged.id);
            if (other === S) continue; // an association between the two disappears
            const existing = edgeOf(m, S, other);
            const moved: MEdge = existing ?? { a: S, b: other, la: new Set(), lb: new Set(), created: edge.created };
            moved.created = Math.min(moved.created, edge.created);
            for (const name of labelsFrom(edge, merged.id)) labelsFrom(moved, S).add(name);
            for (const name of labelsFrom(edge, other)) labelsFrom(moved, other).add(name);
            // A second primary company becomes a plain association (the survivor keeps its own).
            if (type !== 'companies' && typeOf(m, other) === 'companies' && labelsFrom(moved, S).has(PRIMARY)) {
              const own = livePrimaries(m, S).filter((candidate) => candidate !== moved);
              if (own.length > 0) setPrimaryLabel(moved, false);
            }
            m.edges.set(edgeKey(S, other), moved);
          }
          merged.status = 'merged';
          merged.mergedInto = S;
        },
      );
    }),
);

const createLabelCmd = fc.nat({ max: LABEL_SPECS.length - 1 }).map(
  (position) =>
    new Cmd(`createLabel(#${position})`, (m, r) => {
      const spec = LABEL_SPECS[position]!;
      const name = specName(spec);
      const inverseName = specInverseName(spec);
      const codes: string[] = [];
      const taken = new Set<string>(hasPrimaryLabel(spec.from, spec.to) ? [PRIMARY] : []);
      const inPair = m.labels.filter((doc) => samePair(doc.from, doc.to, spec.from, spec.to));
      for (const doc of inPair) for (const text of [doc.name, doc.label, doc.inverseName, doc.inverseLabel]) if (text !== undefined) taken.add(text.toLowerCase());
      const texts = [name, spec.label, ...(inverseName !== undefined ? [inverseName, spec.inverseLabel!] : [])];
      if (texts.some((text) => taken.has(text.toLowerCase()))) codes.push('LABEL_EXISTS');
      if (inPair.filter((doc) => !doc.builtIn).length >= LABEL_LIMIT) codes.push('LABEL_LIMIT');
      return step(m, r, 'createLabel', `createLabel(${JSON.stringify(spec)})`, { codes }, () => r.crm.associations.createLabel(spec), (definition) => {
        expect(definition.name).toBe(name);
        expect(definition.inverseName).toBe(inverseName);
        m.labels.push(labelDoc(spec));
      });
    }),
);

const deleteLabelCmd = fc.tuple(fc.nat({ max: LABEL_SPECS.length - 1 }), fc.nat({ max: 2 }), fc.boolean()).map(
  ([position, variant, flip]) =>
    new Cmd(`deleteLabel(#${position}, ${variant}, ${flip})`, (m, r) => {
      const spec = LABEL_SPECS[position]!;
      const from = (flip ? spec.to : spec.from) as ObjType;
      const to = (flip ? spec.from : spec.to) as ObjType;
      const name = variant === 2 ? PRIMARY : variant === 1 ? (specInverseName(spec) ?? specName(spec)) : specName(spec);
      const codes: string[] = [];
      const doc = m.labels.find((label) => samePair(label.from, label.to, from, to) && (label.name === name || label.inverseName === name));
      if ((name === PRIMARY && hasPrimaryLabel(from, to)) || doc?.builtIn) codes.push('IMMUTABLE');
      else if (!doc) codes.push('UNKNOWN_LABEL');
      else {
        // In use while any association carries it, archived records' included.
        const inUse = [...m.edges.values()].some((edge) => {
          const ta = typeOf(m, edge.a);
          const tb = typeOf(m, edge.b);
          if (!samePair(ta, tb, doc.from, doc.to)) return false;
          const names = [doc.name, ...(doc.inverseName !== undefined ? [doc.inverseName] : [])];
          return names.some((label) => edge.la.has(label) || edge.lb.has(label));
        });
        if (inUse) codes.push('LABEL_IN_USE');
      }
      return step(m, r, 'deleteLabel', `deleteLabel(${from}, ${to}, ${name})`, { codes }, () => r.crm.associations.deleteLabel(from, to, name), () => {
        m.labels.splice(m.labels.indexOf(doc!), 1);
      });
    }),
);

// ---------------------------------------------------------------- checking the real state

const sortedLabels = (labels: Iterable<string>): string[] => [...labels].sort();

/** The pairs of the world, each once. */
const PAIRS: ReadonlyArray<readonly [ObjType, ObjType]> = [
  ['contacts', 'contacts'],
  ['contacts', 'companies'],
  ['contacts', 'deals'],
  ['companies', 'companies'],
  ['companies', 'deals'],
  ['deals', 'deals'],
];

async function checkState(m: Model, r: Real, kind: Kind): Promise<void> {
  const { crm } = r;
  // Records: exactly the model's, archived as the model says.
  const properties = new Map<string, Readonly<Record<string, unknown>>>();
  for (const type of TYPES) {
    const page = await crm.records.list(type, { archived: true, limit: 100 });
    for (const record of page.results) properties.set(record.id, record.properties);
    const actual = page.results.map((record) => `${record.id}${record.archived ? ' (archived)' : ''}`).sort();
    const expected = m.records
      .filter((record) => record.type === type && !isGone(record))
      .map((record) => `${record.id}${record.status === 'archived' ? ' (archived)' : ''}`)
      .sort();
    expect(actual, `${type} records`).toEqual(expected);
  }
  // get() on a merged id answers the survivor; on a purged one, nothing.
  for (const record of m.records) {
    if (!isGone(record)) continue;
    const got = await crm.records.get(record.type, record.id, { archived: true });
    const survivor = record.status === 'merged' ? survivorOf(m, record.id) : undefined;
    expect(got?.id, `get(${record.alias} ${record.id}) after it was ${record.status}`).toBe(survivor?.id);
  }

  const existing = m.records.filter((record) => !isGone(record));
  const refs = existing.map((record) => ({ objectType: record.type, id: record.id }));
  const actual = new Map<string, Map<ObjType, AssociationItem[]>>();
  for (const record of existing) actual.set(record.id, new Map());
  for (const type of TYPES) {
    const lists = await crm.associations.listMany(refs, type);
    for (const record of existing) actual.get(record.id)!.set(type, lists.get(record.id) ?? []);
  }
  const definitions = new Map(PAIRS.map(([x, y]) => [`${x}|${y}`, crm.associations.labels(x, y)] as const));
  const definitionsOf = (x: ObjType, y: ObjType) => definitions.get(`${x}|${y}`) ?? definitions.get(`${y}|${x}`)!;
  /** The name the other end sees for `name`: a paired label's other name, else the same. */
  const inverse = (x: ObjType, y: ObjType, name: string): string => {
    for (const definition of definitionsOf(x, y)) {
      if (definition.inverseName === undefined) continue;
      if (name === definition.name) return definition.inverseName;
      if (name === definition.inverseName) return definition.name;
    }
    return name;
  };

  // Invariants of the real state, whatever the model says.
  for (const record of existing) {
    for (const type of TYPES) {
      const items = actual.get(record.id)!.get(type)!;
      if (record.status === 'archived') expect(items, `archived ${record.alias} lists nothing`).toEqual([]);
      for (const item of items) {
        const where = `${record.alias}(${record.id}) → ${item.objectType} ${item.id}`;
        expect(item.objectType, where).toBe(type);
        const other = m.byId.get(item.id);
        expect(other && !isGone(other), `${where}: the other record exists`).toBe(true);
        expect(other!.status, `${where}: no association with an archived record is shown`).toBe('live');
        expect(item.primary, `${where}: primary iff labelled primary`).toBe(item.labels.includes(PRIMARY));
        if (item.primary) expect(hasPrimaryLabel(record.type, type), `${where}: primary only between a company and another type`).toBe(true);
        // Symmetry, with the labels as the other end names them.
        const back = actual.get(item.id)!.get(record.type)!.filter((candidate) => candidate.id === record.id);
        expect(back, `${where}: seen from the other end`).toHaveLength(1);
        expect(sortedLabels(back[0]!.labels), `${where}: labels from the other end`).toEqual(sortedLabels(item.labels.map((name) => inverse(record.type, type, name))));
      }
    }
    if (record.status === 'live' && record.type !== 'companies') {
      const companies = actual.get(record.id)!.get('companies')!;
      const primaries = companies.filter((item) => item.primary).length;
      expect(primaries, `${record.alias}(${record.id}) has at most one primary company`).toBeLessThanOrEqual(1);
      if (record.type === 'contacts' && companies.length > 0) expect(primaries, `contact ${record.alias}(${record.id}) with companies has a primary`).toBe(1);
    }
  }
  // Calculated properties count live associations.
  for (const record of existing) {
    if (record.status !== 'live') continue;
    const counts: Array<[string, ObjType]> = [];
    if (record.type === 'companies') counts.push(['num_associated_contacts', 'contacts']);
    if (record.type !== 'deals') counts.push(['num_associated_deals', 'deals']);
    for (const [property, type] of counts) {
      const value = properties.get(record.id)?.[property];
      expect(Number(value ?? 0), `${record.alias}(${record.id}).${property}`).toBe(actual.get(record.id)!.get(type)!.length);
    }
  }
  // Label caps: never more than labelLimit user labels per pair.
  for (const [x, y] of PAIRS) {
    expect(definitionsOf(x, y).filter((definition) => !definition.hubspotDefined).length, `${x} ↔ ${y} labels`).toBeLessThanOrEqual(LABEL_LIMIT);
  }
  // Limits: a new association or label never takes a record past a label's cap (restore and
  // merge bring back what existed, even past a limit).
  const overLimit = new Map<string, number>();
  for (const [x, y] of PAIRS) {
    for (const definition of definitionsOf(x, y)) {
      if (definition.hubspotDefined) continue;
      const holders: Array<[string, string, string, string | number]> = [
        [definition.from, definition.to, definition.name, definition.limit],
        [definition.to, definition.from, definition.inverseName ?? definition.name, definition.inverseLimit],
      ];
      for (const [holderType, toType, name, limit] of holders) {
        const cap = limit === 'one' ? 1 : typeof limit === 'number' ? limit : Infinity;
        for (const record of existing) {
          if (record.type !== holderType) continue;
          const count = actual.get(record.id)!.get(toType as ObjType)!.filter((item) => item.labels.includes(name)).length;
          if (count <= cap) continue;
          const key = `${record.id}|${toType}|${name}`;
          overLimit.set(key, count);
          if (kind !== 'restore' && kind !== 'merge') {
            expect(count, `${record.alias}(${record.id}) holds ${count} ${toType} as ${name} (limit ${String(limit)}) after ${kind}`).toBeLessThanOrEqual(
              Math.max(cap, m.overLimit.get(key) ?? 0),
            );
          }
        }
      }
    }
  }
  m.overLimit = overLimit;

  // The model: the same associations, labels and primaries, in the order they were made.
  for (const record of existing) {
    for (const type of TYPES) {
      const expected =
        record.status === 'live'
          ? edgesOfRecord(m, record.id, type)
              .filter((edge) => edgeLive(m, edge))
              .map((edge) => ({ id: otherEnd(edge, record.id), labels: sortedLabels(labelsFrom(edge, record.id)) }))
          : [];
      const got = actual
        .get(record.id)!
        .get(type)!
        .map((item) => ({ id: item.id, labels: sortedLabels(item.labels) }));
      const byId = (x: { id: string }, y: { id: string }): number => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
      expect([...got].sort(byId), `${record.alias}(${record.id}) → ${type}`).toEqual([...expected].sort(byId));
      expect(got, `${record.alias}(${record.id}) → ${type}, in the order they were made`).toEqual(expected);
    }
  }
  // The model's labels are the defined ones.
  for (const [x, y] of PAIRS) {
    const names = definitionsOf(x, y)
      .filter((definition) => !definition.hubspotDefined)
      .map((definition) => `${definition.from}→${definition.to}:${definition.name}/${definition.inverseName ?? ''}`);
    const expected = m.labels.filter((doc) => !doc.builtIn && samePair(doc.from, doc.to, x, y)).map((doc) => `${doc.from}→${doc.to}:${doc.name}/${doc.inverseName ?? ''}`);
    expect(names, `${x} ↔ ${y} label definitions`).toEqual(expected);
  }
}

/** Once a run ends: list() pages and totals agree with listMany, and the primary filter from a company's side works. */
async function finalChecks(m: Model, r: Real): Promise<void> {
  const { crm } = r;
  for (const record of m.records) {
    if (isGone(record)) continue;
    const self = { objectType: record.type, id: record.id };
    for (const type of TYPES) {
      const [all] = [...(await crm.associations.listMany([self], type)).values()];
      const paged: AssociationItem[] = [];
      let after: string | undefined;
      let total: number | undefined;
      do {
        const page = await crm.associations.list(self, type, { limit: 2, ...(after !== undefined ? { after } : {}) });
        paged.push(...page.results);
        total = page.total;
        after = page.paging?.next?.after;
      } while (after !== undefined);
      expect(paged, `list(${record.alias}, ${type}) pages`).toEqual(all);
      expect(total, `list(${record.alias}, ${type}).total`).toBe(all!.length);
      if (hasPrimaryLabel(record.type, type)) {
        const primaries = await crm.associations.list(self, type, { label: PRIMARY });
        expect(
          primaries.results.map((item) => item.id),
          `list(${record.alias}, ${type}, { label: 'primary' })`,
        ).toEqual(all!.filter((item) => item.primary).map((item) => item.id));
      }
    }
  }
}

// ---------------------------------------------------------------- the property

async function world(): Promise<{ model: Model; real: Real }> {
  const real = await testCrm({ autoAssociateActivities: false, labelLimit: LABEL_LIMIT });
  const model: Model = {
    records: [],
    byId: new Map(),
    edges: new Map(),
    labels: [BUILT_IN_LABEL],
    time: 0,
    counters: { contacts: 0, companies: 0, deals: 0 },
    log: [],
    overLimit: new Map(),
    adopt: [],
  };
  const make = async (type: ObjType, count: number, properties: (n: number) => Record<string, string>): Promise<void> => {
    for (let n = 0; n < count; n++) addRecord(model, type, (await real.crm.records.create(type, properties(n))).id);
  };
  await make('contacts', 4, (n) => ({ firstname: `C${n}` }));
  await make('companies', 3, (n) => ({ name: `K${n}` }));
  await make('deals', 2, (n) => ({ dealname: `D${n}`, dealstage: 'appointmentscheduled' }));
  // Some labels exist from the start (createLabel commands add the others, or are refused).
  for (const spec of INITIAL_LABELS) {
    await real.crm.associations.createLabel(spec);
    model.labels.push(labelDoc(spec));
  }
  return { model, real };
}

/** Up to eight associations to start from, mostly with companies. */
const warmUp = fc.array(
  fc.tuple(fc.noBias(fc.constantFrom<PairMode>('company', 'company', 'deal', 'any')), at, at, labelPicks, fc.boolean()).map((args) => associateWith(...args)),
  { maxLength: 8, size: 'max' },
);

// Repeated entries weigh the draw: mostly association writes, some lifecycle changes.
const commands = fc.commands(
  [
    createCmd,
    associateCmd,
    associateCmd,
    associateCmd,
    associateCmd,
    associateCmd,
    unlabelCmd,
    unlabelCmd,
    removeCmd,
    removeCmd,
    setPrimaryCmd,
    setPrimaryCmd,
    archiveCmd,
    restoreCmd,
    restoreCmd,
    purgeCmd,
    mergeCmd,
    createLabelCmd,
    deleteLabelCmd,
  ],
  { maxCommands: 30, size: 'max' },
);

describe('the association graph against a reference model', () => {
  it('every step matches the model and keeps the invariants; refused steps change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(warmUp, commands, async (first, cmds) => {
        const setup = await world();
        await fc.asyncModelRun(() => Promise.resolve(setup), [...first, ...cmds]);
        await finalChecks(setup.model, setup.real);
      }),
      { numRuns: 150 * FUZZ_SCALE },
    );
  }, 30_000 * FUZZ_SCALE);
});
