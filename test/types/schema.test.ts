// Type tests of this release's schema and association additions (checked by `tsc` in CI; each also runs).
import { describe, expectTypeOf, it } from 'vitest';
import type { AssociationLimit, AssociationType, Crm, CrmErrorDetailsByCode, CrmTransaction } from 'crmkit';

describe('deleting types and pairs, association limits', () => {
  it('deleteObject and removeAssociation: on the CRM and in a transaction, by name, answering nothing', () => {
    expectTypeOf<Crm['schema']['deleteObject']>().parameters.toEqualTypeOf<[string]>();
    expectTypeOf<Crm['schema']['deleteObject']>().returns.resolves.toEqualTypeOf<void>();
    expectTypeOf<Crm['schema']['removeAssociation']>().parameters.toEqualTypeOf<[string, string]>();
    expectTypeOf<CrmTransaction['schema']['removeAssociation']>().toEqualTypeOf<Crm['schema']['removeAssociation']>();
  });

  it('their refusals carry what holds the type or the pair', () => {
    expectTypeOf<CrmErrorDetailsByCode['OBJECT_IN_USE']>().toEqualTypeOf<{ objectType: string; records: boolean; segments: string[]; views: string[] }>();
    expectTypeOf<CrmErrorDetailsByCode['ASSOCIATION_IN_USE']>().toEqualTypeOf<{ objectType: string; toType: string; associations: number; segments: string[]; views: string[] }>();
  });

  it('an association type says the limit the crm enforces in its direction', () => {
    expectTypeOf<AssociationType['limit']>().toEqualTypeOf<AssociationLimit>();
    expectTypeOf<AssociationLimit>().toEqualTypeOf<'one' | 'many' | number>();
  });
});
