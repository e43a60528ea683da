// Deterministic input for the benchmark: every value is a function of the record's index (through
// a small integer hash), so every run, and the floor and crmkit within a run, see the same data.
// No Math.random. Enumeration values are real options of the standard catalogue.
import type { PropertiesInput } from 'crmkit';

/** How much work one run does. */
export interface Sizes {
  contacts: number;
  companies: number;
  /** Records per createMany call. */
  batchSize: number;
  duplicates: number;
  gets: number;
  getBys: number;
  /** Deals created (untimed) for the association phases. */
  deals: number;
  /** Pairs per associateMany call. */
  pairBatchSize: number;
  /** list(contact, 'companies') calls. */
  contactLists: number;
  /** list(deal, 'contacts', { label }) calls. */
  dealLists: number;
  /** setPrimary calls (contacts with two or more companies, each switched to its second). */
  setPrimaries: number;
  /** Companies archived one call each. */
  archives: number;
}

/** The sizes of the issue (scale 1); `--scale` multiplies them. */
export function sizesAt(scale: number): Sizes {
  const of = (n: number): number => Math.max(1, Math.round(n * scale));
  return {
    contacts: of(100_000),
    companies: of(10_000),
    batchSize: 1_000,
    duplicates: of(20_000),
    gets: of(100_000),
    getBys: of(100_000),
    deals: of(20_000),
    pairBatchSize: 1_000,
    contactLists: of(100_000),
    dealLists: of(20_000),
    setPrimaries: of(10_000),
    archives: of(2_000),
  };
}

const FIRST_NAMES = ['Ana', 'Bruno', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kemal', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya'];
const LAST_NAMES = ['Novak', 'Silva', 'Wang', 'Smith', 'Kovac', 'Haddad', 'Berg', 'Tanaka', 'Costa', 'Meyer', 'Okafor', 'Rossi', 'Dubois', 'Khan'];
const JOB_TITLES = ['Engineer', 'Account executive', 'Head of marketing', 'CTO', 'Office manager', 'Buyer', 'Founder'];
const MAIL_DOMAINS = ['example.com', 'mail.example.org', 'inbox.example.net', 'corp.example.com'];
// Options of contacts.lifecyclestage and companies.industry in src/schema/catalogue/foundational.ts.
const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
const INDUSTRIES = ['ACCOUNTING', 'BANKING', 'COMPUTER_SOFTWARE', 'CONSTRUCTION', 'HOSPITALITY', 'INSURANCE', 'RETAIL', 'WHOLESALE'];
// Options of deals.dealstage (open stages of the shipped pipeline), dealtype and hs_priority.
const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent'];
const DEAL_TYPES = ['newbusiness', 'existingbusiness'];
const PRIORITIES = ['low', 'medium', 'high'];
const CITIES = ['Lisbon', 'Zagreb', 'Osaka', 'Lagos', 'Lyon', 'Austin', 'Pune', 'Bergen'];
const COUNTRIES = ['Portugal', 'Croatia', 'Japan', 'Nigeria', 'France', 'United States', 'India', 'Norway'];

/** A 32-bit integer hash (murmur3's finaliser) of an index and a salt: the benchmark's "randomness". */
function hash(index: number, salt: number): number {
  let h = (index ^ Math.imul(salt, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function pick<T>(list: readonly T[], index: number, salt: number): T {
  return list[hash(index, salt) % list.length]!;
}

function phone(index: number, salt: number): string {
  return `+1 555 ${String(hash(index, salt) % 10_000_000).padStart(7, '0')}`;
}

/** Contact `index`'s email: unique per index, lowercase. */
export function contactEmail(index: number): string {
  const first = pick(FIRST_NAMES, index, 1).toLowerCase();
  const last = pick(LAST_NAMES, index, 2).toLowerCase();
  return `${first}.${last}.${index}@${pick(MAIL_DOMAINS, index, 3)}`;
}

/** Contact `index`: six properties. */
export function contactInput(index: number): PropertiesInput {
  return {
    email: contactEmail(index),
    firstname: pick(FIRST_NAMES, index, 1),
    lastname: pick(LAST_NAMES, index, 2),
    phone: phone(index, 4),
    jobtitle: pick(JOB_TITLES, index, 5),
    lifecyclestage: pick(LIFECYCLE_STAGES, index, 6),
  };
}

/** Company `index`: six properties; the domain is unique per index, lowercase. */
export function companyInput(index: number): PropertiesInput {
  return {
    name: `${pick(LAST_NAMES, index, 7)} ${pick(['Labs', 'Group', 'Trading', 'Works'], index, 8)} ${index}`,
    domain: `company-${index}.example.com`,
    industry: pick(INDUSTRIES, index, 9),
    city: pick(CITIES, index, 10),
    country: pick(COUNTRIES, index, 10),
    phone: phone(index, 11),
  };
}

/** Deal `index`: six properties (dealname and dealstage are required; pipeline is the shipped one). */
export function dealInput(index: number): PropertiesInput {
  return {
    dealname: `${pick(LAST_NAMES, index, 12)} ${pick(['renewal', 'expansion', 'pilot', 'rollout'], index, 13)} ${index}`,
    amount: 500 + (hash(index, 14) % 200) * 250,
    pipeline: 'default',
    dealstage: pick(DEAL_STAGES, index, 15),
    dealtype: pick(DEAL_TYPES, index, 16),
    hs_priority: pick(PRIORITIES, index, 17),
  };
}

/**
 * The companies contact `index` is associated with, in association order: one to three distinct
 * companies (fewer when there are fewer companies). The first becomes its primary.
 */
export function companiesOfContact(index: number, companies: number): number[] {
  const count = Math.min(companies, 1 + (hash(index, 20) % 3));
  const chosen: number[] = [];
  for (let k = 0; k < count; k++) {
    let company = hash(index, 21 + k) % companies;
    while (chosen.includes(company)) company = (company + 1) % companies;
    chosen.push(company);
  }
  return chosen;
}

/**
 * Deal `index`'s associations: its decision maker and its champion (two distinct contacts; no
 * champion when there is a single contact) and one company.
 */
export function dealParties(index: number, contacts: number, companies: number): { decisionMaker: number; champion: number | undefined; company: number } {
  const decisionMaker = hash(index, 30) % contacts;
  let champion: number | undefined;
  if (contacts > 1) {
    champion = hash(index, 31) % contacts;
    if (champion === decisionMaker) champion = (champion + 1) % contacts;
  }
  return { decisionMaker, champion, company: hash(index, 32) % companies };
}

/** `count` inputs made by `make`, cut into batches of `batchSize`. */
export function batches(count: number, batchSize: number, make: (index: number) => PropertiesInput): PropertiesInput[][] {
  const result: PropertiesInput[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const batch: PropertiesInput[] = [];
    for (let index = start; index < Math.min(count, start + batchSize); index++) batch.push(make(index));
    result.push(batch);
  }
  return result;
}

/**
 * A fixed permutation of 0..size-1 (a stride coprime with size), so reads and duplicates visit
 * records out of insertion order, in the same order for crmkit and the floor.
 */
export function permutation(size: number): (n: number) => number {
  let stride = 7_919 % size || 1;
  while (gcd(stride, size) !== 1) stride++;
  return (n) => (n * stride) % size;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The email in another letter case: ALL CAPS, Capitalised Parts, or aLtErNaTiNg. Never equal to the input. */
export function otherCase(email: string, variant: number): string {
  switch (variant % 3) {
    case 0:
      return email.toUpperCase();
    case 1:
      return email.replace(/(^|[.@])([a-z])/g, (_match, sep: string, letter: string) => sep + letter.toUpperCase());
    default:
      return [...email].map((char, at) => (at % 2 === 0 ? char.toUpperCase() : char)).join('');
  }
}

/** A duplicate of contact `index`: its six properties with the email in another letter case. */
export function duplicateInput(index: number, variant: number): PropertiesInput {
  const input = contactInput(index);
  return { ...input, email: otherCase(input.email as string, variant) };
}
