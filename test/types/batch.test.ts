// Type tests of batch writes, import and pipelines (checked by `tsc` in CI; each also runs).
import { describe, expectTypeOf, it } from 'vitest';
import type { BatchOutcome, Crm, CrmRecord, ImportResult, Pipeline, PipelineStage } from 'crmkit';

describe('batch write types', () => {
  it('atomic batches answer their values; { atomic: false } answers a BatchOutcome', () => {
    const atomic = (crm: Crm) => crm.records.createMany('contacts', [{ email: 'a@b.com' }]);
    const perItem = (crm: Crm) => crm.records.createMany('contacts', [{ email: 'a@b.com' }], { atomic: false });
    expectTypeOf<Awaited<ReturnType<typeof atomic>>>().toEqualTypeOf<CrmRecord[]>();
    expectTypeOf<Awaited<ReturnType<typeof perItem>>>().toEqualTypeOf<BatchOutcome<CrmRecord>>();
    const upserts = (crm: Crm) => crm.records.upsertMany('contacts', [], { atomic: false });
    expectTypeOf<Awaited<ReturnType<typeof upserts>>['results'][number]['value']>().toEqualTypeOf<{ record: CrmRecord; created: boolean }>();
    const archived = (crm: Crm) => crm.records.archiveMany('contacts', ['c1']);
    expectTypeOf<Awaited<ReturnType<typeof archived>>>().toEqualTypeOf<void>();
    const pairs = (crm: Crm) => crm.associations.associateMany([], { atomic: false });
    expectTypeOf<Awaited<ReturnType<typeof pairs>>>().toEqualTypeOf<BatchOutcome<void>>();
  });

  it('import answers counts, errors and the error CSV; pipelines their public shapes', () => {
    expectTypeOf<Crm['import']>().returns.resolves.toEqualTypeOf<ImportResult>();
    expectTypeOf<ImportResult['errorCsv']>().returns.toEqualTypeOf<string>();
    expectTypeOf<Crm['pipelines']['list']>().returns.resolves.toEqualTypeOf<Pipeline[]>();
    expectTypeOf<PipelineStage['metadata']['isClosed']>().toEqualTypeOf<boolean>();
  });
});
