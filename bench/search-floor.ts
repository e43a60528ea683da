// The search phases' floor on plain Maps (bench/search.ts): the same questions answered by the
// simplest honest code, so the ratio shows what crmkit's memory storage adds. What it keeps is
// what the issue asks the memory storage to keep, and no more:
// - contacts in a Map<id, record> (a copy of the input, its id and its creation time), an array
//   in creation order (what a scan reads), and an index of the indexed property: Map<segment,
//   records in creation order>;
// - companies in a Map<id, properties>; each contact's companies in association order, and an
//   index from a company to the contacts that hold it as primary (the first company associated);
//   each company's half of its associations (the contact and the labels it sees: `primary` on the
//   primary association, as crmkit lists it from the company), in association order;
// - an active segment is its definition (the segment and the primary company's industry): its
//   members are found at each read, from the segment index, each candidate's primary company
//   looked up; nothing about them is kept between reads;
// - the label report reads every company's half-edges once, per company the set of labels seen
//   (or `unlabelled`), and counts companies per (label, industry) in a Map;
// - a page is the matching records' best 100 in sort order, kept in a bounded sorted array while
//   the candidates are read (never a sort of every match), and the number of matches;
// - keyset pages: the cursor is the last record's (createdate, id), and a page reads the
//   candidates after it; so a page costs the same wherever it is.
// No validation, no system properties, no history, no transactions, no archived records.
import { randomId } from '../src/kernel/random-id.js';
import type { PropertiesInput } from 'crmkit';
import {
  inputBatches,
  pairBatches,
  SEARCH_LIMIT,
  searchCompanyInput,
  searchContactInput,
  SEGMENT_PROPERTY,
  byReportOrder,
  type ReportBucket,
  type SearchAnswer,
  type SearchSubject,
} from './search-data.js';

interface FloorContact {
  readonly id: string;
  readonly properties: PropertiesInput;
  readonly createdAt: string;
}

/** A keyset position: the last record's sort value and id. */
interface Position {
  value: string;
  id: string;
}

type Order = (a: FloorContact, b: FloorContact) => number;

/**
 * The first `limit` of the kept candidates in `order`, and how many were kept: a bounded
 * sorted array (binary insertion), so a page of 100 out of 50,000 never sorts them all. Reading
 * `backwards` (newest first, for a newest-first order: the lists are in creation order) lets
 * most candidates fall at the first comparison; every candidate is still read.
 */
function bestOf(
  sources: ReadonlyArray<readonly FloorContact[]>,
  keep: (contact: FloorContact) => boolean,
  order: Order,
  limit: number,
  backwards = false,
): { best: FloorContact[]; total: number } {
  const best: FloorContact[] = [];
  let total = 0;
  for (const candidates of sources) {
    for (let at = 0; at < candidates.length; at++) {
      const contact = candidates[backwards ? candidates.length - 1 - at : at]!;
      if (!keep(contact)) continue;
      total++;
      if (best.length === limit && order(contact, best[limit - 1]!) >= 0) continue;
      let low = 0;
      let high = best.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (order(best[middle]!, contact) <= 0) low = middle + 1;
        else high = middle;
      }
      best.splice(low, 0, contact);
      if (best.length > limit) best.pop();
    }
  }
  return { best, total };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const newestFirst: Order = (a, b) => byText(b.createdAt, a.createdAt) || byText(a.id, b.id);
const oldestFirst: Order = (a, b) => byText(a.createdAt, b.createdAt) || byText(a.id, b.id);
const folded = (contact: FloorContact, name: string): string => String(contact.properties[name] ?? '').toLowerCase();
const byLastname: Order = (a, b) => byText(folded(a, 'lastname'), folded(b, 'lastname')) || byText(a.id, b.id);
const WORD_BREAK = /[^\p{L}\p{M}\p{N}]+/u;

export function floorSearchSubject(): SearchSubject {
  const contacts = new Map<string, FloorContact>();
  /** The contacts in creation order, for scans. */
  const all: FloorContact[] = [];
  const bySegment = new Map<string, FloorContact[]>();
  const companies = new Map<string, PropertiesInput>();
  const companiesOf = new Map<string, string[]>();
  const primaryHolders = new Map<string, Set<string>>();
  /** Each company's half of its associations to contacts: the contact and the labels seen from the company. */
  const contactsOf = new Map<string, Array<{ contact: string; labels: string[] }>>();
  let segmentDefinition: { segment: string; industry: string } | undefined;

  const answer = (best: FloorContact[], total: number, more: boolean): SearchAnswer => {
    const last = best[best.length - 1];
    return {
      total,
      ids: best.map((contact) => contact.id),
      ...(more && last !== undefined ? { next: { value: last.createdAt, id: last.id } satisfies Position } : {}),
    };
  };

  return {
    async load(data) {
      const ids: string[] = [];
      const createdAt: string[] = [];
      for (const batch of inputBatches(data.contacts, data.batchSize, searchContactInput)) {
        const now = new Date().toISOString();
        for (const input of batch) {
          const contact: FloorContact = { id: randomId(), properties: { ...input }, createdAt: now };
          contacts.set(contact.id, contact);
          all.push(contact);
          const segment = String(input[SEGMENT_PROPERTY]);
          let list = bySegment.get(segment);
          if (!list) bySegment.set(segment, (list = []));
          list.push(contact);
          ids.push(contact.id);
          createdAt.push(now);
        }
      }
      const companyIds: string[] = [];
      for (const batch of inputBatches(data.companies, data.batchSize, searchCompanyInput)) {
        for (const input of batch) {
          const id = randomId();
          companies.set(id, { ...input });
          companyIds.push(id);
        }
      }
      for (const batch of pairBatches(data)) {
        for (const pair of batch) {
          const contact = ids[pair.contact]!;
          const company = companyIds[pair.company]!;
          let list = companiesOf.get(contact);
          if (!list) companiesOf.set(contact, (list = []));
          list.push(company);
          let half = contactsOf.get(company);
          if (!half) contactsOf.set(company, (half = []));
          half.push({ contact, labels: pair.primary ? ['primary'] : [] });
          if (pair.primary) {
            let holders = primaryHolders.get(company);
            if (!holders) primaryHolders.set(company, (holders = new Set()));
            holders.add(contact);
          }
        }
      }
      return { ids, createdAt };
    },

    async indexedEq(segment) {
      const { best, total } = bestOf([bySegment.get(segment) ?? []], () => true, newestFirst, SEARCH_LIMIT, true);
      return answer(best, total, total > best.length);
    },

    async unindexedScan(token, stage) {
      const keep = (contact: FloorContact): boolean =>
        contact.properties.lifecyclestage === stage && (folded(contact, 'firstname') === token || folded(contact, 'firstname').split(WORD_BREAK).includes(token));
      const { best, total } = bestOf([all], keep, byLastname, SEARCH_LIMIT);
      return answer(best, total, total > best.length);
    },

    async primaryIndustryCount(industry) {
      let count = 0;
      for (const [id, properties] of companies) if (properties.industry === industry) count += primaryHolders.get(id)?.size ?? 0;
      return count;
    },

    async page(segments, after) {
      const position = after as Position | undefined;
      const isAfter =
        position === undefined
          ? () => true
          : (contact: FloorContact) => byText(contact.createdAt, position.value) > 0 || (contact.createdAt === position.value && contact.id > position.id);
      const lists = segments.map((segment) => bySegment.get(segment) ?? []);
      // Every match counts towards the total; only those after the position compete for the page.
      const total = lists.reduce((sum, list) => sum + list.length, 0);
      const { best, total: remaining } = bestOf(lists, isAfter, oldestFirst, SEARCH_LIMIT);
      return answer(best, total, remaining > best.length);
    },

    async defineSegment(segment, industry) {
      segmentDefinition = { segment, industry };
    },

    async segmentMembers() {
      const { segment, industry } = segmentDefinition!;
      const keep = (contact: FloorContact): boolean => {
        const primary = companiesOf.get(contact.id)?.[0];
        return primary !== undefined && companies.get(primary)?.industry === industry;
      };
      const { best, total } = bestOf([bySegment.get(segment) ?? []], keep, oldestFirst, SEARCH_LIMIT);
      return answer(best, total, total > best.length);
    },

    async labelReport(property) {
      const buckets = new Map<string, ReportBucket>();
      const count = (label: string, value: string): void => {
        const key = `${label}\u0000${value}`;
        const bucket = buckets.get(key);
        if (bucket) bucket.count++;
        else buckets.set(key, { keys: [label, value], count: 1 });
      };
      for (const [id, properties] of companies) {
        const half = contactsOf.get(id);
        if (half === undefined || half.length === 0) continue;
        const value = properties[property];
        const key = value === undefined || value === null || value === '' ? '' : String(value);
        const labels = new Set<string>();
        for (const edge of half) for (const label of edge.labels) labels.add(label);
        if (labels.size === 0) count('unlabelled', key);
        for (const label of labels) count(label, key);
      }
      return [...buckets.values()].sort(byReportOrder);
    },

    async close() {
      contacts.clear();
      contactsOf.clear();
      all.length = 0;
      bySegment.clear();
      companies.clear();
      companiesOf.clear();
      primaryHolders.clear();
    },
  };
}
