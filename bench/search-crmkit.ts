// crmkit as the subject of the search phases (bench/search.ts): the public API only, one
// awaited call per question, as an application's index page or export would make them.
import type { Crm, Filter, SearchRequest, SearchResult } from 'crmkit';
import {
  inputBatches,
  pairBatches,
  SEARCH_LIMIT,
  searchCompanyInput,
  searchContactInput,
  SEGMENT_PROPERTY,
  SEGMENTS,
  type ReportBucket,
  type SearchAnswer,
  type SearchSubject,
} from './search-data.js';

const answer = (result: SearchResult): SearchAnswer => ({
  total: result.total,
  ids: result.results.map((record) => record.id),
  ...(result.paging?.next?.after !== undefined ? { next: result.paging.next.after } : {}),
});

const search = async (crm: Crm, filters: Filter[], sort: SearchRequest['sorts'], after?: string): Promise<SearchAnswer> =>
  answer(await crm.records.search('contacts', { filterGroups: [{ filters }], sorts: sort!, limit: SEARCH_LIMIT, ...(after !== undefined ? { after } : {}) }));

export function crmkitSearchSubject(crm: Crm): SearchSubject {
  let segmentId: string | undefined;
  return {
    async load(data) {
      await crm.schema.defineProperty('contacts', {
        name: SEGMENT_PROPERTY,
        label: 'Segment',
        type: 'enumeration',
        fieldType: 'select',
        options: SEGMENTS.map((value) => ({ label: value, value })),
        indexed: true,
      });
      const ids: string[] = [];
      const createdAt: string[] = [];
      for (const batch of inputBatches(data.contacts, data.batchSize, searchContactInput)) {
        for (const record of await crm.records.createMany('contacts', batch)) {
          ids.push(record.id);
          createdAt.push(record.createdAt);
        }
      }
      const companyIds: string[] = [];
      for (const batch of inputBatches(data.companies, data.batchSize, searchCompanyInput)) {
        for (const record of await crm.records.createMany('companies', batch)) companyIds.push(record.id);
      }
      // The first company of each contact becomes its primary (the rule for a contact's first company).
      for (const batch of pairBatches(data)) {
        await crm.associations.associateMany(
          batch.map((pair) => ({ from: { objectType: 'contacts', id: ids[pair.contact]! }, to: { objectType: 'companies', id: companyIds[pair.company]! } })),
        );
      }
      return { ids, createdAt };
    },

    indexedEq: (segment) =>
      search(crm, [{ propertyName: SEGMENT_PROPERTY, operator: 'EQ', value: segment }], [{ propertyName: 'createdate', direction: 'DESCENDING' }]),

    unindexedScan: (token, stage) =>
      search(
        crm,
        [
          { propertyName: 'firstname', operator: 'CONTAINS_TOKEN', value: token },
          { propertyName: 'lifecyclestage', operator: 'EQ', value: stage },
        ],
        [{ propertyName: 'lastname', direction: 'ASCENDING' }],
      ),

    primaryIndustryCount: (industry) =>
      crm.records.count('contacts', {
        filterGroups: [{ filters: [{ association: { toType: 'companies', primary: true, filters: [{ propertyName: 'industry', operator: 'EQ', value: industry }] } }] }],
      }),

    page: (segments, after) =>
      search(
        crm,
        [{ propertyName: SEGMENT_PROPERTY, operator: 'IN', values: [...segments] }],
        [{ propertyName: 'createdate', direction: 'ASCENDING' }],
        after === undefined ? undefined : String(after),
      ),

    async defineSegment(segment, industry) {
      const created = await crm.segments.create({
        name: `${segment}, primary company in ${industry}`,
        objectType: 'contacts',
        kind: 'active',
        filter: {
          filterGroups: [
            {
              filters: [
                { propertyName: SEGMENT_PROPERTY, operator: 'EQ', value: segment },
                { association: { toType: 'companies', primary: true, filters: [{ propertyName: 'industry', operator: 'EQ', value: industry }] } },
              ],
            },
          ],
        },
      });
      segmentId = created.id;
    },

    segmentMembers: async () => answer(await crm.segments.members(segmentId!, { limit: SEARCH_LIMIT })),

    async labelReport(property) {
      const { buckets } = await crm.records.aggregate('companies', { groupBy: [{ associationLabel: { toType: 'contacts' } }, { property }] });
      return buckets.map((bucket): ReportBucket => ({ keys: [...bucket.keys], count: bucket.count }));
    },

    close: () => crm.close(),
  };
}
