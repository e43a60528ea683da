// The search phases' data set and questions (bench/search.ts runs them), shared by crmkit and
// its floors: what is loaded, what is asked, and the answer each question must get, worked out
// from the record indexes alone (bench/data.ts) plus the ids and creation times the side's load
// answered. So a side is checked against the data, not against another side.
//
// The data set is the workload's (100,000 contacts and 10,000 companies at --scale 1, each
// contact with 1–3 companies, the first its primary) plus one property the workload does not
// have: `bench_segment`, an enumeration of 20 options declared `indexed: true`, contact `i`
// holding option `i % 20`, so every segment holds exactly a twentieth of the contacts and ten
// segments exactly half.
import type { PropertiesInput } from 'crmkit';
import { companiesOfContact, companyInput, contactInput, type Sizes } from './data.js';

/** The indexed property the search phases add to contacts. */
export const SEGMENT_PROPERTY = 'bench_segment';
export const SEGMENTS = Array.from({ length: 20 }, (_, at) => `segment_${String(at).padStart(2, '0')}`);

/** 1. indexed EQ: this segment, newest first (createdate descending), 100 a page. */
export const EQ_SEGMENT = SEGMENTS[7]!;
/** 2. unindexed: firstname CONTAINS_TOKEN this word and lifecyclestage EQ this stage, by lastname ascending. */
export const SCAN_TOKEN = 'lena';
export const SCAN_STAGE = 'customer';
/** 3. count: contacts whose primary company has this industry. */
export const PRIMARY_INDUSTRY = 'COMPUTER_SOFTWARE';
/** 4. paging: these ten segments (half the contacts), oldest first (createdate ascending). */
export const PAGED_SEGMENTS = SEGMENTS.slice(0, 10);
/** Results per page in every search phase (crmkit's default search limit). */
export const SEARCH_LIMIT = 100;
/**
 * 5. segment members: an active segment of the contacts in this segment whose primary company
 * has this industry (EQ_SEGMENT and PRIMARY_INDUSTRY), its first page oldest first.
 */
export const MEMBER_SEGMENT = EQ_SEGMENT;
export const MEMBER_INDUSTRY = PRIMARY_INDUSTRY;
/** 6. label report: companies by the labels of their associations to contacts, then by this property. */
export const REPORT_PROPERTY = 'industry';

export const SEARCH_PHASES = ['indexed EQ', 'unindexed scan', 'primary-industry count', 'first page', 'last page', 'all pages', 'segment members', 'label report'] as const;
export type SearchPhase = (typeof SEARCH_PHASES)[number];

/** What the search phases load: contacts and companies by index, and the contact–company pairs. */
export interface SearchDataSet {
  contacts: number;
  companies: number;
  /** Records per createMany call (and pairs per associateMany call). */
  batchSize: number;
  /** Per contact, its companies' indexes in association order (the first becomes its primary). */
  companiesOf: number[][];
}

export function searchDataSet(sizes: Sizes): SearchDataSet {
  return {
    contacts: sizes.contacts,
    companies: sizes.companies,
    batchSize: sizes.batchSize,
    companiesOf: Array.from({ length: sizes.contacts }, (_, index) => companiesOfContact(index, sizes.companies)),
  };
}

/** Contact `index` of the search data set: the workload's six properties and its segment. */
export function searchContactInput(index: number): PropertiesInput {
  return { ...contactInput(index), [SEGMENT_PROPERTY]: SEGMENTS[index % SEGMENTS.length]! };
}

export { companyInput as searchCompanyInput };

/** What a side's load answered: per contact index, its id and its creation time (ISO-8601). */
export interface LoadedContacts {
  ids: string[];
  createdAt: string[];
}

/** One page of a search: the total and the ids in order; `next` resumes after it (a side's own cursor). */
export interface SearchAnswer {
  total: number;
  ids: string[];
  next?: unknown;
}

/**
 * One bucket of the label report: `keys` [a label of the company's associations to contacts, seen
 * from the company ('unlabelled' when none carries one), its industry ('' for none)] and how many
 * companies it holds.
 */
export interface ReportBucket {
  keys: string[];
  count: number;
}

/** The report's order: count descending, then each key by code point, the no-value key '' after every other. */
export function byReportOrder(a: ReportBucket, b: ReportBucket): number {
  if (a.count !== b.count) return b.count - a.count;
  for (let at = 0; at < a.keys.length; at++) {
    const x = a.keys[at]!;
    const y = b.keys[at]!;
    if (x === y) continue;
    if (x === '') return 1;
    if (y === '') return -1;
    return byText(x, y);
  }
  return 0;
}

/** What the search phases drive: crmkit on a storage, or a floor. One awaited call per question. */
export interface SearchSubject {
  load(data: SearchDataSet): Promise<LoadedContacts>;
  /** 1. `bench_segment EQ segment`, createdate descending, limit 100, with the total. */
  indexedEq(segment: string): Promise<SearchAnswer>;
  /** 2. `firstname CONTAINS_TOKEN token` and `lifecyclestage EQ stage`, lastname ascending, limit 100, with the total. */
  unindexedScan(token: string, stage: string): Promise<SearchAnswer>;
  /** 3. How many contacts' primary company has `industry`. */
  primaryIndustryCount(industry: string): Promise<number>;
  /** 4. One page of `bench_segment IN segments`, createdate ascending, 100 a page, resuming after `after` (from the last page's `next`). */
  page(segments: readonly string[], after: unknown): Promise<SearchAnswer>;
  /**
   * 5, untimed, once after the load: an active segment of the contacts with `bench_segment EQ
   * segment` whose primary company has `industry` (a floor keeps the definition, not the members).
   */
  defineSegment(segment: string, industry: string): Promise<void>;
  /** 5. The first page of that segment's members (100, createdate ascending, ties by id), with the total. */
  segmentMembers(): Promise<SearchAnswer>;
  /**
   * 6. The companies counted under each label of their associations to contacts (seen from the
   * company) crossed with `property`; every bucket, in the report's order (byReportOrder).
   */
  labelReport(property: string): Promise<ReportBucket[]>;
  close(): Promise<void>;
}

/** Code point order (the random ids and the data's values are ASCII, where `<` is code point order). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `indexes` in search order: by `key` in `direction` (by text), ties by id ascending. */
function ordered(indexes: number[], key: (index: number) => string, direction: 'asc' | 'desc', ids: readonly string[]): number[] {
  const sign = direction === 'asc' ? 1 : -1;
  return indexes.sort((a, b) => sign * byText(key(a), key(b)) || byText(ids[a]!, ids[b]!));
}

function contactIndexes(data: SearchDataSet, keep: (index: number) => boolean): number[] {
  const kept: number[] = [];
  for (let index = 0; index < data.contacts; index++) if (keep(index)) kept.push(index);
  return kept;
}

/** The ids every question must answer, in order, for a side whose load answered `loaded`. */
export interface Expected {
  indexedEq: { total: number; ids: string[] };
  unindexedScan: { total: number; ids: string[] };
  primaryIndustryCount: number;
  /** Every id of the paged search, in order (all pages end to end). */
  paged: string[];
  segmentMembers: { total: number; ids: string[] };
  labelReport: ReportBucket[];
}

export function expectedAnswers(data: SearchDataSet, loaded: LoadedContacts): Expected {
  const { ids, createdAt } = loaded;
  const idsOf = (indexes: number[]): string[] => indexes.map((index) => ids[index]!);
  const segmentOf = (index: number): string => SEGMENTS[index % SEGMENTS.length]!;

  const eq = ordered(contactIndexes(data, (index) => segmentOf(index) === EQ_SEGMENT), (index) => createdAt[index]!, 'desc', ids);
  const scan = ordered(
    contactIndexes(data, (index) => {
      const input = contactInput(index);
      return String(input.lifecyclestage) === SCAN_STAGE && String(input.firstname).toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).includes(SCAN_TOKEN);
    }),
    (index) => String(contactInput(index).lastname).toLowerCase(),
    'asc',
    ids,
  );
  const industryOf = new Map<number, string>();
  const industry = (company: number): string => {
    let value = industryOf.get(company);
    if (value === undefined) industryOf.set(company, (value = String(companyInput(company).industry)));
    return value;
  };
  const primaryIndustry = contactIndexes(data, (index) => {
    const primary = data.companiesOf[index]![0];
    return primary !== undefined && industry(primary) === PRIMARY_INDUSTRY;
  }).length;
  const paged = ordered(contactIndexes(data, (index) => PAGED_SEGMENTS.includes(segmentOf(index))), (index) => createdAt[index]!, 'asc', ids);
  const members = ordered(
    contactIndexes(data, (index) => {
      const primary = data.companiesOf[index]![0];
      return segmentOf(index) === MEMBER_SEGMENT && primary !== undefined && industry(primary) === MEMBER_INDUSTRY;
    }),
    (index) => createdAt[index]!,
    'asc',
    ids,
  );

  // The label report, as a company sees its contacts: `primary` when some contact holds it as
  // primary (the only label this data set makes), `unlabelled` when it has contacts and none
  // does, no bucket without contacts.
  const associated = new Set<number>();
  const primaryOf = new Set<number>();
  for (const companies of data.companiesOf) {
    companies.forEach((company, at) => {
      associated.add(company);
      if (at === 0) primaryOf.add(company);
    });
  }
  const reportCounts = new Map<string, ReportBucket>();
  for (const company of associated) {
    const keys = [primaryOf.has(company) ? 'primary' : 'unlabelled', String(companyInput(company)[REPORT_PROPERTY] ?? '')];
    const key = keys.join('\u0000');
    const bucket = reportCounts.get(key);
    if (bucket) bucket.count++;
    else reportCounts.set(key, { keys, count: 1 });
  }

  return {
    indexedEq: { total: eq.length, ids: idsOf(eq.slice(0, SEARCH_LIMIT)) },
    unindexedScan: { total: scan.length, ids: idsOf(scan.slice(0, SEARCH_LIMIT)) },
    primaryIndustryCount: primaryIndustry,
    paged: idsOf(paged),
    segmentMembers: { total: members.length, ids: idsOf(members.slice(0, SEARCH_LIMIT)) },
    labelReport: [...reportCounts.values()].sort(byReportOrder),
  };
}

/** What is wrong with a report (undefined: nothing): the same buckets, counts and order as the expected. */
export function reportMismatch(got: readonly ReportBucket[], wanted: readonly ReportBucket[]): string | undefined {
  const shown = (bucket: ReportBucket | undefined): string => (bucket === undefined ? 'none' : `${bucket.keys.map((key) => JSON.stringify(key)).join('/')}: ${bucket.count}`);
  if (got.length !== wanted.length) return `${got.length} buckets, expected ${wanted.length}`;
  const at = got.findIndex((bucket, position) => {
    const expected = wanted[position]!;
    return bucket.count !== expected.count || bucket.keys.length !== expected.keys.length || bucket.keys.some((key, k) => key !== expected.keys[k]);
  });
  return at < 0 ? undefined : `bucket ${at + 1} is ${shown(got[at])}, expected ${shown(wanted[at])}`;
}

/** What is wrong with a page (undefined: nothing): its total and its ids against the expected. */
export function pageMismatch(got: SearchAnswer, wanted: { total: number; ids: readonly string[] }): string | undefined {
  if (got.total !== wanted.total) return `total ${got.total}, expected ${wanted.total}`;
  if (got.ids.length !== wanted.ids.length) return `${got.ids.length} results, expected ${wanted.ids.length}`;
  const at = got.ids.findIndex((id, position) => id !== wanted.ids[position]);
  return at < 0 ? undefined : `result ${at + 1} is ${got.ids[at]}, expected ${wanted.ids[at]}`;
}

/** `count` inputs made by `make`, in batches of `size`. */
export function inputBatches(count: number, size: number, make: (index: number) => PropertiesInput): PropertiesInput[][] {
  const result: PropertiesInput[][] = [];
  for (let start = 0; start < count; start += size) {
    result.push(Array.from({ length: Math.min(size, count - start) }, (_, at) => make(start + at)));
  }
  return result;
}

/** The contact–company pairs by index, in contact order, in batches of `size`. */
export function pairBatches(data: SearchDataSet): Array<Array<{ contact: number; company: number; primary: boolean }>> {
  const result: Array<Array<{ contact: number; company: number; primary: boolean }>> = [[]];
  data.companiesOf.forEach((companies, contact) => {
    companies.forEach((company, at) => {
      let batch = result[result.length - 1]!;
      if (batch.length === data.batchSize) result.push((batch = []));
      batch.push({ contact, company, primary: at === 0 });
    });
  });
  return result.filter((batch) => batch.length > 0);
}
