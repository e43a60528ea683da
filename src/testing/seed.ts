// seed(crm, options): a realistic CRM in one call, the same for the same seed on every machine.
// Every value comes from a seeded stream (random.ts) and from the CRM's own schema and pipelines
// (industries, lifecycle stages, deal and ticket stages are read, never hard-coded), so the data
// satisfies the rules of the CRM it is written to. The whole seed is one crm.transaction made of
// batch calls: it lands whole or not at all, and 10,000 contacts cost a few calls, not 10,000.
import { CrmError, type AssociationPair, type Crm, type CrmRecord, type CrmTransaction, type ObjectTypeDefinition, type Pipeline, type PropertiesInput, type PropertyDefinition, type ValidationIssue } from 'crmkit';
import { createRandom, type Random } from './random.js';
import * as words from './words.js';

/**
 * What {@link seed} makes: a count per object type (by internal name), the seed, and the moment
 * the data's dates are spread around.
 *
 * @example
 * const options: SeedOptions = { companies: 20, contacts: 200, deals: 40, notes: 100, seed: 'demo' };
 */
export interface SeedOptions {
  companies?: number;
  contacts?: number;
  deals?: number;
  tickets?: number;
  notes?: number;
  calls?: number;
  meetings?: number;
  tasks?: number;
  /** Same seed, same data (default `'crmkit'`). Numbers and strings alike: `1` and `'1'` are one seed. */
  seed?: number | string;
  /**
   * The moment dates are spread around (ISO string or epoch ms; default
   * `'2026-01-01T00:00:00.000Z'`): closed deals closed before it, open ones close after it,
   * activities happened in the year before it. Not the CRM's clock, which stamps `createdAt`.
   */
  now?: number | string;
  /** Any other object type by internal name: that many plain records. */
  [objectType: string]: number | string | undefined;
}

/**
 * What {@link seed} made: the records of each object type it was asked for (as stored after the
 * whole seed, calculated properties included), in creation order. `contacts`, `companies`,
 * `deals` and `tickets` are always there (empty when not asked for).
 *
 * @example
 * const { contacts, companies } = await seed(crm, { companies: 2, contacts: 10 });
 * contacts[0]!.properties.email; // e.g. 'lena.novak@junipersystems.io'
 */
export type SeedResult = { [objectType: string]: CrmRecord[] } & {
  contacts: CrmRecord[];
  companies: CrmRecord[];
  deals: CrmRecord[];
  tickets: CrmRecord[];
};

/** The most records of one type a seed makes: beyond it, a test wants a bench, not a seed. */
export const MAX_SEED_COUNT = 100_000;
const DEFAULT_SEED = 'crmkit';
const DEFAULT_NOW = '2026-01-01T00:00:00.000Z';
const RESERVED = new Set(['seed', 'now']);
const DAY = 86_400_000;
/** Seeded first, in this order, because later types associate with them. */
const CORE = ['companies', 'contacts', 'deals', 'tickets'] as const;
const ACTIVITIES = new Set(['notes', 'calls', 'meetings', 'tasks', 'emails', 'communications', 'postal_mail']);
/** Types that must be associated with one of these when created (docs/associations.md). */
const NEEDS: Record<string, string[]> = { leads: ['contacts', 'companies'], quotes: ['deals'] };

/** The checked options: counts in the order they are seeded. */
interface SeedPlan {
  counts: Array<[objectType: string, count: number]>;
  seed: string;
  now: number;
}

/**
 * Fills `crm` with a realistic, deterministic data set: companies with unique domains,
 * industries, cities; contacts with names, emails on their company's domain or a free-mail
 * one, job titles and lifecycle stages, each with a primary company (some with a second one,
 * some with none); deals in the live stages of the deal pipelines, with amounts and close
 * dates, associated with a company and its contacts (some labelled `decision_maker` or
 * `champion`: those labels are created on deals → contacts when missing); tickets in ticket
 * stages with their contact; activities (notes, calls, meetings, tasks, emails, …) with a
 * timestamp on contacts, companies and deals; and plain records of any other type named.
 *
 * The same options give the same data, and with `createCrm({ ids: sequentialIds(), clock:
 * steppingClock() })` the same ids and times, on every machine. It is one transaction: on any
 * error (a bad option is a VALIDATION_ERROR naming it; a generated email or domain already in
 * the CRM is DUPLICATE_RECORD) nothing is written.
 *
 * @example
 * const crm = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
 * const { contacts, deals } = await seed(crm, { companies: 50, contacts: 500, deals: 100, notes: 200, seed: 42 });
 */
export async function seed(crm: Crm, options: SeedOptions): Promise<SeedResult> {
  const plan = planSeed(crm, options);
  return crm.transaction((tx) => runSeed(tx, plan));
}

// ---------------------------------------------------------------- options

/** The issue that refuses one option. */
function badOption(option: string, message: string): ValidationIssue {
  return { code: 'INVALID_ARGUMENT', property: option, message: `seed: ${option} ${message}` };
}

/**
 * Checks `options` against the CRM's object types (every problem, not the first) and orders
 * the counts: the core types first, the others in the schema's order.
 */
function planSeed(crm: Crm, options: SeedOptions): SeedPlan {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CrmError('VALIDATION_ERROR', 'seed: options must be an object such as { contacts: 100, seed: 1 }', {
      issues: [badOption('options', 'must be an object such as { contacts: 100, seed: 1 }')],
    });
  }
  const issues: ValidationIssue[] = [];
  const types = new Map(crm.schema.objects().map((definition) => [definition.name, definition]));
  const counts = new Map<string, number>();
  for (const [key, value] of Object.entries(options)) {
    if (RESERVED.has(key) || value === undefined) continue;
    const definition = types.get(key);
    if (!definition) {
      const suggestion = suggest(key, [...types.keys()]);
      issues.push({
        code: 'UNKNOWN_OPTION',
        option: key,
        allowed: ['seed', 'now', ...types.keys()],
        path: [key],
        ...(suggestion ? { suggestion } : {}),
        message: `seed: ${key} is not an object type of this CRM${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      });
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEED_COUNT) {
      issues.push(badOption(key, `must be a whole number from 0 to ${MAX_SEED_COUNT.toLocaleString('en')}, got ${describe(value)}`));
    } else if (value > 0 && !definition.active) {
      issues.push(badOption(key, `cannot be seeded: ${key} must be activated first (crm.schema.activate('${key}'))`));
    } else {
      counts.set(key, value);
    }
  }
  for (const [type, anyOf] of Object.entries(NEEDS)) {
    if ((counts.get(type) ?? 0) > 0 && !anyOf.some((other) => (counts.get(other) ?? 0) > 0)) {
      issues.push(badOption(type, `cannot be seeded without ${anyOf.join(' or ')}: each of its records must be associated with one (ask for some)`));
    }
  }
  const seedValue = options.seed ?? DEFAULT_SEED;
  if (!((typeof seedValue === 'number' && Number.isFinite(seedValue)) || (typeof seedValue === 'string' && seedValue.length > 0 && seedValue.length <= 1_000))) {
    issues.push(badOption('seed', `must be a finite number or a string of 1 to 1,000 characters, got ${describe(seedValue)}`));
  }
  const now = typeof options.now === 'string' ? Date.parse(options.now) : (options.now ?? Date.parse(DEFAULT_NOW));
  if (!Number.isFinite(now) || (typeof options.now !== 'string' && typeof options.now !== 'number' && options.now !== undefined)) {
    issues.push(badOption('now', `must be an ISO-8601 time or epoch milliseconds, got ${describe(options.now)}`));
  }
  if (issues.length > 0) {
    throw new CrmError('VALIDATION_ERROR', issues.map((issue) => issue.message).join('; '), { issues });
  }
  const order = [...CORE, ...[...types.keys()].filter((name) => !(CORE as readonly string[]).includes(name))];
  return {
    counts: order.filter((type) => counts.has(type)).map((type) => [type, counts.get(type)!]),
    seed: String(seedValue),
    now,
  };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? String(value) : typeof value;
}

/** The candidate that `input` most likely meant: the same ignoring case and separators, else the nearest within two edits. */
function suggest(input: string, candidates: string[]): string | undefined {
  const fold = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, '');
  const wanted = fold(input);
  const exact = candidates.find((name) => fold(name) === wanted);
  if (exact || wanted.length > 100) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of candidates) {
    const distance = editDistance(wanted, fold(name));
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/** Levenshtein distance between two short names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// ---------------------------------------------------------------- the seed

/** What the generators share while one seed runs. */
interface SeedRun {
  tx: CrmTransaction;
  root: Random;
  now: number;
  made: Map<string, CrmRecord[]>;
  /** Every association the seed makes, in order: one associateMany at the end. */
  pairs: AssociationPair[];
  /** Each company's domain and place as generated (the stored domain is normalised; these are exact). */
  domains: string[];
  places: Array<readonly [string, string]>;
  /** Company index → indexes of the contacts whose primary it is. */
  contactsByCompany: Map<number, number[]>;
  /** Contact index → its primary company's index. */
  primaryOf: Map<number, number>;
  /** Company index → indexes of its deals. */
  dealsByCompany: Map<number, number[]>;
  emails: Set<string>;
}

async function runSeed(tx: CrmTransaction, plan: SeedPlan): Promise<SeedResult> {
  const run: SeedRun = {
    tx,
    root: createRandom(plan.seed),
    now: plan.now,
    made: new Map(),
    pairs: [],
    domains: [],
    places: [],
    contactsByCompany: new Map(),
    primaryOf: new Map(),
    dealsByCompany: new Map(),
    emails: new Set(),
  };
  for (const [type, count] of plan.counts) {
    if (count === 0) {
      run.made.set(type, []);
      continue;
    }
    const rng = run.root.derive(type);
    if (type === 'companies') await seedCompanies(run, count, rng);
    else if (type === 'contacts') await seedContacts(run, count, rng);
    else if (type === 'deals') await seedDeals(run, count, rng);
    else if (type === 'tickets') await seedTickets(run, count, rng);
    else if (ACTIVITIES.has(type)) await seedActivities(run, type, count, rng);
    else await seedOthers(run, type, count, rng);
  }
  if (run.pairs.length > 0) await tx.associations.associateMany(run.pairs);
  const result: SeedResult = { contacts: [], companies: [], deals: [], tickets: [] };
  for (const [type, records] of run.made) {
    // Associations set calculated properties (counts, last activity) after the records were
    // made: read them back so that what seed answers is what is stored.
    result[type] = records.length === 0 ? [] : (await tx.records.getMany(type, records.map((record) => record.id))).results;
  }
  return result;
}

/** Creates `inputs` as `type`; a type the generic generator cannot satisfy is named in the error. */
async function create(run: SeedRun, type: string, inputs: PropertiesInput[]): Promise<CrmRecord[]> {
  const records = await run.tx.records.createMany(type, inputs);
  run.made.set(type, records);
  return records;
}

/** An object type's writable properties by name, computed once per definition (a seed asks for them per record). */
const writableCache = new WeakMap<ObjectTypeDefinition, Map<string, PropertyDefinition>>();
function writable(tx: CrmTransaction, type: string): Map<string, PropertyDefinition> {
  const definition = tx.schema.object(type);
  let byName = writableCache.get(definition);
  if (!byName) {
    byName = new Map(definition.properties.filter((property) => !property.readOnly).map((property) => [property.name, property]));
    writableCache.set(definition, byName);
  }
  return byName;
}

/** A random option value of an enumeration property, or undefined when the type has no such property. */
function option(tx: CrmTransaction, type: string, name: string, rng: Random): string | undefined {
  const options = writable(tx, type).get(name)?.options;
  return options && options.length > 0 ? rng.pick(options).value : undefined;
}

/** Only the values whose property the type has (a user may have archived one) and that are set. */
function known(tx: CrmTransaction, type: string, values: PropertiesInput): PropertiesInput {
  const names = writable(tx, type);
  const out: PropertiesInput = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined && names.has(name)) out[name] = value;
  return out;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number): string => new Date(ms).toISOString();
const midnight = (ms: number): number => Math.floor(ms / DAY) * DAY;
const slug = (text: string): string => text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');

/** `text`, or `text2`, `text3`, … : the first not in `used`, which then holds it. */
function unique(used: Set<string>, make: (n: number) => string): string {
  for (let n = 1; ; n++) {
    const candidate = make(n);
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}

const ref = (record: CrmRecord): { objectType: string; id: string } => ({ objectType: record.objectType, id: record.id });

// ---------------------------------------------------------------- companies and contacts

async function seedCompanies(run: SeedRun, count: number, rng: Random): Promise<void> {
  const domains = new Set<string>();
  const inputs: PropertiesInput[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${rng.pick(words.COMPANY_WORDS)} ${rng.pick(words.COMPANY_SUFFIXES)}`;
    const tld = rng.pick(words.TLDS);
    const domain = unique(domains, (n) => `${slug(name)}${n > 1 ? n : ''}.${tld}`);
    const place = rng.pick(words.PLACES);
    run.places.push(place);
    run.domains.push(domain);
    const employees = Math.round(10 ** (1 + rng() * 3.5));
    inputs.push(
      known(run.tx, 'companies', {
        name,
        domain,
        website: `https://www.${domain}`,
        industry: option(run.tx, 'companies', 'industry', rng),
        city: place[0],
        country: place[1],
        numberofemployees: employees,
        annualrevenue: employees * rng.int(50, 300) * 1_000,
        lifecyclestage: option(run.tx, 'companies', 'lifecyclestage', rng),
      }),
    );
  }
  await create(run, 'companies', inputs);
}

async function seedContacts(run: SeedRun, count: number, rng: Random): Promise<void> {
  const companies = run.made.get('companies') ?? [];
  const { domains, places } = run;
  const inputs: PropertiesInput[] = [];
  const links: Array<[primary: number | undefined, second: number | undefined]> = [];
  for (let i = 0; i < count; i++) {
    const first = rng.pick(words.FIRST_NAMES);
    const last = rng.pick(words.LAST_NAMES);
    // One in ten has no company; one in ten of the others has a second one.
    const primary = companies.length > 0 && !rng.chance(0.1) ? rng.int(0, companies.length - 1) : undefined;
    let second: number | undefined;
    if (primary !== undefined && companies.length > 1 && rng.chance(0.1)) {
      second = (primary + rng.int(1, companies.length - 1)) % companies.length;
    }
    const domain = primary !== undefined && rng.chance(0.8) ? domains[primary]! : rng.pick(words.FREE_MAIL);
    const local = `${slug(first)}.${slug(last)}`;
    const email = unique(run.emails, (n) => `${local}${n > 1 ? n : ''}@${domain}`);
    const place = primary !== undefined ? places[primary]! : rng.pick(words.PLACES);
    links.push([primary, second]);
    inputs.push(
      known(run.tx, 'contacts', {
        firstname: first,
        lastname: last,
        email,
        jobtitle: primary !== undefined || rng.chance(0.3) ? rng.pick(words.JOB_TITLES) : undefined,
        company: primary !== undefined ? (companies[primary]!.properties.name as string) : undefined,
        city: place[0],
        country: place[1],
        lifecyclestage: option(run.tx, 'contacts', 'lifecyclestage', rng),
      }),
    );
  }
  const contacts = await create(run, 'contacts', inputs);
  contacts.forEach((contact, i) => {
    const [primary, second] = links[i]!;
    if (primary === undefined) return;
    run.primaryOf.set(i, primary);
    push(run.contactsByCompany, primary, i);
    run.pairs.push({ from: ref(contact), to: ref(companies[primary]!), labels: ['primary'] });
    if (second !== undefined) run.pairs.push({ from: ref(contact), to: ref(companies[second]!) });
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// ---------------------------------------------------------------- deals and tickets

/** The live pipelines of `type`, for picking a pipeline and one of its stages. */
async function pipelinesOf(tx: CrmTransaction, type: string): Promise<Pipeline[]> {
  try {
    return (await tx.pipelines.list(type)).filter((pipeline) => pipeline.stages.length > 0);
  } catch (error) {
    if (error instanceof CrmError && error.code === 'VALIDATION_ERROR') return [];
    throw error;
  }
}

/**
 * A label name from `from` to `to` that seed may use, with how many records one side may hold
 * under it: an existing label of that name (either side's), else a new one; undefined when the
 * pair has no room for another label.
 */
async function usableLabel(tx: CrmTransaction, from: string, to: string, label: string, name: string): Promise<LabelUse | undefined> {
  const capOf = (limit: number | 'one' | 'many'): number => (limit === 'one' ? 1 : limit === 'many' ? Infinity : limit);
  for (const definition of tx.associations.labels(from, to)) {
    const ours = definition.from === from;
    const seen = ours ? definition.name : (definition.inverseName ?? definition.name);
    if (seen !== name) continue;
    return { name, fromCap: capOf(ours ? definition.limit : definition.inverseLimit), toCap: capOf(ours ? definition.inverseLimit : definition.limit), held: new Map() };
  }
  try {
    await tx.associations.createLabel({ from, to, label, name });
    return { name, fromCap: Infinity, toCap: Infinity, held: new Map() };
  } catch (error) {
    // A full pair, or a display label taken under another name: seed without this label.
    if (error instanceof CrmError && (error.code === 'LABEL_LIMIT' || error.code === 'LABEL_EXISTS')) return undefined;
    throw error;
  }
}

interface LabelUse {
  name: string;
  fromCap: number;
  toCap: number;
  /** How many records each record holds under the label so far ('from:id' / 'to:id'). */
  held: Map<string, number>;
}

/** Whether `label` may join `from` and `to` within its caps; if so, counts it. */
function takeLabel(label: LabelUse | undefined, fromId: string, toId: string): boolean {
  if (!label) return false;
  const a = label.held.get(`from:${fromId}`) ?? 0;
  const b = label.held.get(`to:${toId}`) ?? 0;
  if (a >= label.fromCap || b >= label.toCap) return false;
  label.held.set(`from:${fromId}`, a + 1);
  label.held.set(`to:${toId}`, b + 1);
  return true;
}

async function seedDeals(run: SeedRun, count: number, rng: Random): Promise<void> {
  const { tx } = run;
  const companies = run.made.get('companies') ?? [];
  const contacts = run.made.get('contacts') ?? [];
  const pipelines = await pipelinesOf(tx, 'deals');
  const today = midnight(run.now);
  const inputs: PropertiesInput[] = [];
  const owners: Array<number | undefined> = [];
  for (let i = 0; i < count; i++) {
    const pipeline = rng.pick(pipelines);
    const stage = rng.pick(pipeline.stages);
    const company = companies.length > 0 && rng.chance(0.9) ? rng.int(0, companies.length - 1) : undefined;
    owners.push(company);
    const closed = stage.metadata.isClosed;
    const closeDay = closed ? today - rng.int(1, 365) * DAY : today + rng.int(1, 180) * DAY;
    const who = company !== undefined ? (companies[company]!.properties.name as string) : rng.pick(words.LAST_NAMES);
    inputs.push(
      known(tx, 'deals', {
        dealname: `${who} – ${rng.pick(words.DEAL_TOPICS)}`,
        pipeline: pipeline.id,
        dealstage: stage.id,
        amount: rng.int(5, 500) * 100,
        closedate: isoDate(closeDay),
        dealtype: option(tx, 'deals', 'dealtype', rng),
      }),
    );
  }
  const deals = await create(run, 'deals', inputs);
  const decisionMaker = contacts.length > 0 ? await usableLabel(tx, 'deals', 'contacts', 'Decision maker', 'decision_maker') : undefined;
  const champion = contacts.length > 0 ? await usableLabel(tx, 'deals', 'contacts', 'Champion', 'champion') : undefined;
  deals.forEach((deal, i) => {
    const company = owners[i];
    if (company !== undefined) {
      push(run.dealsByCompany, company, i);
      run.pairs.push({ from: ref(deal), to: ref(companies[company]!) });
    }
    // The company's people, else anyone: a deal has one to three contacts.
    const pool = company !== undefined ? (run.contactsByCompany.get(company) ?? []) : [];
    const chosen = new Set<number>();
    const wanted = contacts.length === 0 ? 0 : rng.int(1, 3);
    for (let k = 0; k < wanted; k++) {
      chosen.add(pool.length > 0 ? rng.pick(pool) : rng.int(0, contacts.length - 1));
    }
    [...chosen].forEach((index, k) => {
      const contact = contacts[index]!;
      const label = k === 0 && rng.chance(0.6) ? decisionMaker : k === 1 && rng.chance(0.5) ? champion : undefined;
      const labels = label && takeLabel(label, deal.id, contact.id) ? [label.name] : undefined;
      run.pairs.push({ from: ref(deal), to: ref(contact), ...(labels ? { labels } : {}) });
    });
  });
}

async function seedTickets(run: SeedRun, count: number, rng: Random): Promise<void> {
  const { tx } = run;
  const contacts = run.made.get('contacts') ?? [];
  const companies = run.made.get('companies') ?? [];
  const pipelines = await pipelinesOf(tx, 'tickets');
  const inputs: PropertiesInput[] = [];
  for (let i = 0; i < count; i++) {
    const pipeline = rng.pick(pipelines);
    const subject = rng.pick(words.TICKET_SUBJECTS);
    inputs.push(
      known(tx, 'tickets', {
        subject,
        content: `${subject}. Reported by the customer; see the thread for details.`,
        hs_pipeline: pipeline.id,
        hs_pipeline_stage: rng.pick(pipeline.stages).id,
        hs_ticket_priority: option(tx, 'tickets', 'hs_ticket_priority', rng),
        hs_ticket_category: option(tx, 'tickets', 'hs_ticket_category', rng),
      }),
    );
  }
  const tickets = await create(run, 'tickets', inputs);
  for (const ticket of tickets) {
    if (contacts.length > 0) {
      const index = rng.int(0, contacts.length - 1);
      run.pairs.push({ from: ref(ticket), to: ref(contacts[index]!) });
      const company = run.primaryOf.get(index);
      if (company !== undefined) run.pairs.push({ from: ref(ticket), to: ref(companies[company]!) });
    } else if (companies.length > 0) {
      run.pairs.push({ from: ref(ticket), to: ref(rng.pick(companies)) });
    }
  }
}

// ---------------------------------------------------------------- activities and the rest

/** The body of one activity of `type`, at `at` (ms), about `topic`. */
function activityValues(tx: CrmTransaction, type: string, at: number, topic: string, rng: Random): PropertiesInput {
  const pick = (name: string): string | undefined => option(tx, type, name, rng);
  switch (type) {
    case 'notes':
      return { hs_note_body: `Talked about ${topic}; they will get back to us.` };
    case 'calls':
      return { hs_call_title: `Call about ${topic}`, hs_call_body: `Discussed ${topic}.`, hs_call_duration: rng.int(1, 45) * 60_000, hs_call_direction: pick('hs_call_direction'), hs_call_status: pick('hs_call_status') };
    case 'meetings':
      return { hs_meeting_title: `Meeting: ${topic}`, hs_meeting_body: `Agenda: ${topic}.`, hs_meeting_start_time: isoTime(at), hs_meeting_end_time: isoTime(at + rng.pick([30, 45, 60]) * 60_000), hs_meeting_outcome: pick('hs_meeting_outcome') };
    case 'tasks':
      return { hs_task_subject: `Follow up on ${topic}`, hs_task_body: `Send a note about ${topic}.`, hs_task_status: pick('hs_task_status'), hs_task_priority: pick('hs_task_priority'), hs_task_type: pick('hs_task_type') };
    case 'emails':
      return { hs_email_subject: `Re: ${topic}`, hs_email_text: `Following up on ${topic}.`, hs_email_direction: pick('hs_email_direction'), hs_email_status: pick('hs_email_status') };
    case 'communications':
      return { hs_communication_channel_type: pick('hs_communication_channel_type'), hs_communication_body: `Quick message about ${topic}.` };
    default:
      return { hs_postal_mail_body: `Letter about ${topic}.` };
  }
}

async function seedActivities(run: SeedRun, type: string, count: number, rng: Random): Promise<void> {
  const { tx } = run;
  const contacts = run.made.get('contacts') ?? [];
  const companies = run.made.get('companies') ?? [];
  const deals = run.made.get('deals') ?? [];
  const inputs: PropertiesInput[] = [];
  for (let i = 0; i < count; i++) {
    // Done in the year before `now`; tasks are due within a month either side of it.
    const at = type === 'tasks' ? run.now + rng.int(-30 * 24 * 60, 30 * 24 * 60) * 60_000 : run.now - rng.int(1, 365 * 24 * 60) * 60_000;
    inputs.push(known(tx, type, { hs_timestamp: isoTime(at), ...activityValues(tx, type, at, rng.pick(words.ACTIVITY_TOPICS), rng) }));
  }
  const activities = await create(run, type, inputs);
  for (const activity of activities) {
    if (contacts.length > 0) {
      const index = rng.int(0, contacts.length - 1);
      const company = run.primaryOf.get(index);
      // The company first, so the association is ours whatever autoAssociateActivities says.
      if (company !== undefined) {
        run.pairs.push({ from: ref(activity), to: ref(companies[company]!) });
        const companyDeals = run.dealsByCompany.get(company) ?? [];
        if (companyDeals.length > 0 && rng.chance(0.3)) run.pairs.push({ from: ref(activity), to: ref(deals[rng.pick(companyDeals)]!) });
      }
      run.pairs.push({ from: ref(activity), to: ref(contacts[index]!) });
    } else if (companies.length > 0) {
      run.pairs.push({ from: ref(activity), to: ref(rng.pick(companies)) });
    } else if (deals.length > 0) {
      run.pairs.push({ from: ref(activity), to: ref(rng.pick(deals)) });
    }
  }
}

/** A valid value for one property of a plain record (`i` keeps unique strings unique). */
function valueFor(definition: PropertyDefinition, i: number, now: number, rng: Random): PropertiesInput[string] {
  const options = definition.options ?? [];
  switch (definition.type) {
    case 'number':
      return rng.int(1, 1_000);
    case 'bool':
      return rng.chance(0.5);
    case 'date':
      return isoDate(midnight(now) + rng.int(-180, 180) * DAY);
    case 'datetime':
      return isoTime(now - rng.int(0, 365 * 24 * 60) * 60_000);
    case 'enumeration':
      if (options.length === 0) return undefined;
      return definition.fieldType === 'checkbox' ? [rng.pick(options).value] : rng.pick(options).value;
    case 'phone_number':
      return `+1 555 01${String(rng.int(0, 99)).padStart(2, '0')}`;
    default:
      if (definition.name.includes('currency')) return 'USD';
      return `${definition.label} ${i + 1}`;
  }
}

/** A product worth reading: a name from the word lists (numbered, so names stay distinct), a price, a description. */
function productValues(i: number, rng: Random): PropertiesInput {
  const name = `${rng.pick(words.COMPANY_WORDS)} ${rng.pick(words.PRODUCT_KINDS)} ${i + 1}`;
  return { name, price: rng.int(1, 200) * 50, description: `${name}, billed ${rng.pick(['monthly', 'yearly', 'once'])}.` };
}

async function seedOthers(run: SeedRun, type: string, count: number, rng: Random): Promise<void> {
  const { tx } = run;
  const definition = tx.schema.object(type);
  const pipelines = await pipelinesOf(tx, type);
  const [pipelineProperty, stageProperty] = type === 'deals' ? ['pipeline', 'dealstage'] : ['hs_pipeline', 'hs_pipeline_stage'];
  const wanted = new Set([...definition.requiredProperties, ...(definition.primaryDisplayProperty ? [definition.primaryDisplayProperty] : []), ...(definition.requireOneOf ?? []).slice(0, 1)]);
  const properties = definition.properties.filter((property) => wanted.has(property.name) && !property.readOnly && property.name !== pipelineProperty && property.name !== stageProperty);
  const inputs: PropertiesInput[] = [];
  for (let i = 0; i < count; i++) {
    const values: PropertiesInput = {};
    for (const property of properties) values[property.name] = valueFor(property, i, run.now, rng);
    if (type === 'products') Object.assign(values, known(tx, type, productValues(i, rng)));
    if (pipelines.length > 0) {
      const pipeline = rng.pick(pipelines);
      values[pipelineProperty] = pipeline.id;
      values[stageProperty] = rng.pick(pipeline.stages).id;
    }
    inputs.push(values);
  }
  let records: CrmRecord[];
  try {
    records = await create(run, type, inputs);
  } catch (error) {
    if (error instanceof CrmError && error.code === 'VALIDATION_ERROR') {
      throw new CrmError('VALIDATION_ERROR', `seed: cannot seed ${type}: ${error.message}`, {
        issues: [badOption(type, `cannot be seeded: its records need values seed cannot make (${error.message})`)],
      });
    }
    throw error;
  }
  // Required associations: a lead needs a contact or a company, a quote its deal.
  const anyOf = NEEDS[type];
  if (!anyOf) return;
  const targets = anyOf.map((other) => run.made.get(other) ?? []).find((list) => list.length > 0)!;
  for (const record of records) run.pairs.push({ from: ref(record), to: ref(rng.pick(targets)) });
}
