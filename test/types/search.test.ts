// Type tests of search's public shapes (checked by `tsc` in CI; each also runs).
import { describe, expectTypeOf, it } from 'vitest';
import type { AssociationItem, Crm, CrmRecord, FilterSpec, PlanProperty, SearchPage, SearchPlan, SearchRequest, SearchResult, StorageTx } from 'crmkit';

describe('search types', () => {
  it('search answers a page of records with the total; count a number; getMany the found and the missing', () => {
    expectTypeOf<Crm['records']['search']>().returns.resolves.toEqualTypeOf<SearchResult>();
    expectTypeOf<SearchResult['total']>().toEqualTypeOf<number>();
    expectTypeOf<SearchResult['results']>().toEqualTypeOf<CrmRecord[]>();
    expectTypeOf<Crm['records']['count']>().parameters.toEqualTypeOf<[string, (FilterSpec | undefined)?]>();
    expectTypeOf<Crm['records']['getMany']>().returns.resolves.toEqualTypeOf<{ results: CrmRecord[]; missing: string[] }>();
  });

  it('a FilterSpec is a SearchRequest (a saved filter runs as a search)', () => {
    expectTypeOf<FilterSpec>().toMatchTypeOf<SearchRequest>();
  });

  it('associations.list with records: true types every item with its record', async () => {
    const list = (crm: Crm) => crm.associations.list({ objectType: 'deals', id: 'd1' }, 'contacts', { records: true });
    expectTypeOf<Awaited<ReturnType<typeof list>>['results'][number]>().toEqualTypeOf<AssociationItem & { record: CrmRecord }>();
    const plain = (crm: Crm) => crm.associations.list({ objectType: 'deals', id: 'd1' }, 'contacts');
    expectTypeOf<Awaited<ReturnType<typeof plain>>['results'][number]['record']>().toEqualTypeOf<CrmRecord | undefined>();
  });

  it('adapters may answer plans, and a plan names each property with its value type', () => {
    expectTypeOf<NonNullable<StorageTx['searchRecords']>>().parameters.toEqualTypeOf<[SearchPlan]>();
    expectTypeOf<SearchPage['more']>().toEqualTypeOf<boolean>();
    expectTypeOf<PlanProperty['type']>().toEqualTypeOf<'string' | 'enumeration' | 'number' | 'bool' | 'date' | 'datetime'>();
  });
});
