// 'crmkit/storage' is the seam for adapter authors: what it exports is the very objects 'crmkit'
// exports (one CrmError class across subpaths, so `instanceof` holds for an adapter's errors),
// under CRMKIT_TEST_DIST against the built bundles too.
import { describe, expect, it } from 'vitest';
import * as crmkit from 'crmkit';
import * as storage from 'crmkit/storage';
import { sqliteStorage } from 'crmkit/sqlite';

describe('crmkit/storage', () => {
  it("re-exports crmkit's own objects, not copies", () => {
    for (const name of ['CrmError', 'isCrmError', 'memoryStorage', 'MemoryStorage', 'inverseEdge', 'StorageCursors', 'edgePageScope', 'invalidStorageCursor', 'listsIn'] as const) {
      expect(storage[name], name).toBe(crmkit[name]);
    }
  });

  it("an adapter's CrmError (the tenant check, a refused cursor) is crmkit's CrmError", () => {
    const thrown = (run: () => unknown): unknown => {
      try {
        run();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const tenant = thrown(() => storage.checkTenant('a\u0000b', 'myStorage'));
    expect(tenant).toBeInstanceOf(crmkit.CrmError);
    expect(crmkit.isCrmError(tenant, 'VALIDATION_ERROR')).toBe(true);
    expect(thrown(() => sqliteStorage(':memory:', { tenant: '' }))).toBeInstanceOf(crmkit.CrmError);
    expect(thrown(() => new storage.StorageCursors().decode('records', ['contacts'], 'x', ['integer']))).toBeInstanceOf(crmkit.CrmError);
  });

  it('checkTenant keeps a good name as it is and names the problem of a bad one', () => {
    expect(storage.checkTenant('café', 'myStorage')).toBe('café');
    expect(storage.tenantProblem('x'.repeat(storage.TENANT_MAX_LENGTH))).toBeUndefined();
    expect(storage.tenantProblem('x'.repeat(storage.TENANT_MAX_LENGTH + 1))).toMatch(/1 to 200/);
    expect(storage.tenantProblem('x\ud800')).toMatch(/surrogate/);
    expect(storage.tenantProblem('a\nb')).toMatch(/control/);
    expect(storage.tenantProblem(7)).toMatch(/string/);
  });
});
