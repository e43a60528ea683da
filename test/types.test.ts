// Type tests for the public shapes this issue added (checked by `tsc` in CI; each also runs).
import { describe, expectTypeOf, it } from 'vitest';
import type { ChangeEvent, CreateCrmOptions, CrmErrorDetails, EdgePage, EdgePageRequest, StorageTx } from 'crmkit';

describe('public types', () => {
  it('STORAGE_ERROR says what happened to the writes; VALIDATION_ERROR counts its issues', () => {
    expectTypeOf<CrmErrorDetails<'STORAGE_ERROR'>['outcome']>().toEqualTypeOf<'rolled_back' | 'unknown' | undefined>();
    // Every VALIDATION_ERROR counts its issues, however it was built (test/types/errors.test.ts has the rest).
    expectTypeOf<CrmErrorDetails<'VALIDATION_ERROR'>['issueCount']>().toEqualTypeOf<number>();
  });

  it('createCrm takes an onListenerError channel', () => {
    expectTypeOf<NonNullable<CreateCrmOptions['onListenerError']>>().toEqualTypeOf<(error: unknown, event: ChangeEvent) => void>();
  });

  it('adapters implement pageEdges: a page of edges, a cursor when more follow, and the total', () => {
    expectTypeOf<StorageTx['pageEdges']>().parameters.toEqualTypeOf<[string, string, EdgePageRequest]>();
    expectTypeOf<EdgePage['total']>().toEqualTypeOf<number>();
    expectTypeOf<EdgePage['after']>().toEqualTypeOf<string | undefined>();
  });
});
