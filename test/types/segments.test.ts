// Type tests of segments', views' and bulk actions' public shapes (checked by `tsc` in CI; each also runs).
import { describe, expectTypeOf, it } from 'vitest';
import type { Crm, CrmTransaction, FilterSpec, Lists, PropertiesInput, RecordLike, SearchResult, Segment, SegmentInput, Source, StorageTx, View, ViewInput } from 'crmkit';

describe('segment and view types', () => {
  it('segments: on the CRM and in a transaction; members are a search result; add and remove take records', () => {
    expectTypeOf<CrmTransaction['segments']>().toEqualTypeOf<Crm['segments']>();
    expectTypeOf<Crm['segments']['create']>().parameters.toEqualTypeOf<[SegmentInput]>();
    expectTypeOf<Crm['segments']['create']>().returns.resolves.toEqualTypeOf<Segment>();
    expectTypeOf<Crm['segments']['get']>().returns.resolves.toEqualTypeOf<Segment | undefined>();
    expectTypeOf<Crm['segments']['members']>().returns.resolves.toEqualTypeOf<SearchResult>();
    expectTypeOf<Crm['segments']['add']>().parameters.toEqualTypeOf<[string, RecordLike[]]>();
    expectTypeOf<Crm['segments']['contains']>().returns.resolves.toEqualTypeOf<boolean>();
    expectTypeOf<Crm['segments']['update']>().parameters.toEqualTypeOf<[string, Partial<SegmentInput>]>();
  });

  it('a segment is active or static; an active one shows its filter', () => {
    expectTypeOf<Segment['kind']>().toEqualTypeOf<'active' | 'static'>();
    expectTypeOf<Segment['filter']>().toEqualTypeOf<FilterSpec | undefined>();
    expectTypeOf<{ name: 'VIPs'; objectType: 'contacts'; kind: 'static' }>().toMatchTypeOf<SegmentInput>();
    expectTypeOf<{ name: 'VIPs'; objectType: 'contacts'; kind: 'dynamic' }>().not.toMatchTypeOf<SegmentInput>();
  });

  it('views: saved filters with sorts and columns, run as a search', () => {
    expectTypeOf<CrmTransaction['views']>().toEqualTypeOf<Crm['views']>();
    expectTypeOf<Crm['views']['create']>().parameters.toEqualTypeOf<[ViewInput]>();
    expectTypeOf<Crm['views']['run']>().returns.resolves.toEqualTypeOf<SearchResult>();
    expectTypeOf<View['id']>().toEqualTypeOf<string>();
  });

  it('updateAssociated: set, clear or copy, under labels, and how many changed', () => {
    type Call = Crm['associations']['updateAssociated'];
    expectTypeOf<Parameters<Call>[2]['set']>().toEqualTypeOf<PropertiesInput | undefined>();
    expectTypeOf<Parameters<Call>[2]['clear']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Parameters<Call>[2]['copy']>().toEqualTypeOf<{ from: string; to: string } | undefined>();
    expectTypeOf<Parameters<Call>[3]>().toEqualTypeOf<{ labels?: string[]; source?: Source } | undefined>();
    expectTypeOf<Call>().returns.resolves.toEqualTypeOf<{ updated: number }>();
    expectTypeOf<Crm['associations']['labelUsage']>().returns.resolves.toEqualTypeOf<{ associations: number; segments: string[]; views: string[] }>();
  });

  it('storage may keep static lists: all three primitives optional', () => {
    expectTypeOf<NonNullable<StorageTx['addToList']>>().parameters.toEqualTypeOf<[string, string, readonly string[]]>();
    expectTypeOf<NonNullable<StorageTx['removeFromList']>>().parameters.toEqualTypeOf<[string, string, readonly string[] | undefined]>();
    expectTypeOf<Lists['of']>().returns.resolves.toEqualTypeOf<string[][]>();
  });
});
