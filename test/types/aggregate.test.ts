// Type tests of reports' public shapes (checked by `tsc` in CI; each also runs).
import { describe, expectTypeOf, it } from 'vitest';
import type { AggregateAnswer, AggregateBucket, AggregateDimension, AggregatePlan, AggregateRequest, AggregateResult, Crm, CrmTransaction, FilterSpec, PlanBucket, PlanDimension, StorageTx } from 'crmkit';

describe('aggregate types', () => {
  it('aggregate takes a type and a request, on the CRM and in a transaction, and answers buckets', () => {
    expectTypeOf<Crm['records']['aggregate']>().parameters.toEqualTypeOf<[string, AggregateRequest]>();
    expectTypeOf<Crm['records']['aggregate']>().returns.resolves.toEqualTypeOf<AggregateResult>();
    expectTypeOf<CrmTransaction['records']['aggregate']>().toEqualTypeOf<Crm['records']['aggregate']>();
    expectTypeOf<AggregateResult['buckets']>().toEqualTypeOf<AggregateBucket[]>();
    expectTypeOf<AggregateBucket>().toEqualTypeOf<{ key: string; keys: string[]; count: number; sum?: number }>();
  });

  it('a request groups by one dimension or a list of one or two, with an optional filter and sum', () => {
    expectTypeOf<AggregateRequest['filter']>().toEqualTypeOf<FilterSpec | undefined>();
    expectTypeOf<AggregateRequest['sum']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<{ groupBy: { property: 'dealstage' } }>().toMatchTypeOf<AggregateRequest>();
    expectTypeOf<{ groupBy: [{ primaryCompany: { property: 'industry' } }, { associationLabel: { toType: 'deals' } }] }>().toMatchTypeOf<AggregateRequest>();
    expectTypeOf<{ groupBy: [AggregateDimension, AggregateDimension, AggregateDimension] }>().not.toMatchTypeOf<AggregateRequest>();
    expectTypeOf<{ groupBy: { label: 'x' } }>().not.toMatchTypeOf<AggregateRequest>();
    expectTypeOf<{ associationLabel: { toType: string } }>().toMatchTypeOf<AggregateDimension>();
  });

  it('adapters may answer aggregate plans: closed dimensions, buckets with nullable keys', () => {
    expectTypeOf<NonNullable<StorageTx['aggregateRecords']>>().parameters.toEqualTypeOf<[AggregatePlan]>();
    expectTypeOf<AggregateAnswer['buckets']>().toEqualTypeOf<PlanBucket[]>();
    expectTypeOf<PlanDimension['kind']>().toEqualTypeOf<'property' | 'labels' | 'via'>();
    expectTypeOf<PlanBucket['keys'][number]>().toEqualTypeOf<string | number | boolean | null>();
  });
});
