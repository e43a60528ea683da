// Shared test helpers: a CRM on memory with deterministic ids and time, and assertions for
// CrmErrors. Ids and clocks come from crmkit/testing, as a user's tests get them.
import { expect } from 'vitest';
import { createCrm, CrmError, MemoryStorage, type CreateCrmOptions, type Crm, type CrmErrorCode } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';

/** A CRM on a fresh memory storage with deterministic ids and time; the storage is returned for snapshots. */
export async function testCrm(options: CreateCrmOptions = {}): Promise<{ crm: Crm; storage: MemoryStorage }> {
  const storage = new MemoryStorage();
  const crm = await createCrm({ storage, ids: sequentialIds(), clock: steppingClock(), ...options });
  return { crm, storage };
}

/** Expects `caught` to be a CrmError of `code`, and answers it. */
function assertCrmError<C extends CrmErrorCode>(caught: unknown, code: C): CrmError<C> {
  expect(caught, `expected a CrmError ${code}`).toBeInstanceOf(CrmError);
  const error = caught as CrmError<C>;
  expect(error.code, error.message).toBe(code);
  return error;
}

/** Awaits `promise`, expects it to reject with a CrmError of `code`, and answers the error. */
export async function expectCrmError<C extends CrmErrorCode>(promise: Promise<unknown>, code: C): Promise<CrmError<C>> {
  try {
    await promise;
  } catch (error) {
    return assertCrmError(error, code);
  }
  return assertCrmError(undefined, code);
}

/** The codes of a VALIDATION_ERROR's issues. */
export function issueCodes(error: CrmError): string[] {
  return error.code === 'VALIDATION_ERROR' ? error.details.issues.map((issue) => issue.code) : [];
}
