// What the engine's conformance tests share: a CRM on a fresh storage with deterministic ids and
// time, record makers, and readers of everything the public API shows. A refused call is shown
// to change nothing by comparing what the public API reads before and after it (adapters have no
// snapshot).
import { expect } from 'vitest';
import { createCrm, CrmError, isCrmError } from 'crmkit';
import type { ChangeEvent, Crm, CrmErrorCode, CrmRecord, PropertiesInput, RecordLike, Storage } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';

/** What makes a new, empty storage for each test. */
export type Factory = () => Storage | Promise<Storage>;

/** A deal's required properties. */
export const DEAL = { dealname: 'Big one', dealstage: 'appointmentscheduled' } as const;
/** A quote's required properties (a quote also needs its deal). */
export const QUOTE = { hs_title: 'Q-1', hs_expiration_date: '2027-01-01' } as const;
/** The types {@link view} reads by default. */
export const TYPES = ['contacts', 'companies', 'deals', 'quotes'] as const;

/**
 * Awaits `promise`, expects a CrmError of `code`, and answers it.
 *
 * @example
 * const error = await refused(crm.records.create('contacts', { email: 'bad' }), 'VALIDATION_ERROR');
 */
export async function refused<C extends CrmErrorCode>(promise: Promise<unknown>, code: C): Promise<CrmError<C>> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a CrmError ${code}`).toBeInstanceOf(CrmError);
  const error = caught as CrmError<C>;
  expect(error.code, error.message).toBe(code);
  return error;
}

/**
 * The codes of a VALIDATION_ERROR's issues.
 *
 * @example
 * expect(issueCodes(error)).toEqual(['INVALID_EMAIL']);
 */
export const issueCodes = (error: CrmError): string[] => (error.code === 'VALIDATION_ERROR' ? error.details.issues.map((issue) => issue.code) : []);

/**
 * Every record of a type, archived ones too unless `archived` is false, by pages of `limit`.
 *
 * @example
 * expect(await everyRecord(crm, 'contacts')).toEqual([]);
 */
export async function everyRecord(crm: Crm, objectType: string, limit = 50, archived = true): Promise<CrmRecord[]> {
  const all: CrmRecord[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await crm.records.list(objectType, { limit, archived, ...(after !== undefined ? { after } : {}) });
    expect(page.results.length).toBeLessThanOrEqual(limit);
    all.push(...page.results);
    after = page.paging?.next?.after;
    expect(++pages, `list(${objectType}, limit ${limit}) does not end`).toBeLessThanOrEqual(1_000);
  } while (after !== undefined);
  return all;
}

/** An error's code, or the value: for reads that may be refused (a pair that cannot associate). */
async function settle<T>(promise: Promise<T>): Promise<T | string> {
  try {
    return await promise;
  } catch (error) {
    if (isCrmError(error)) return `error ${error.code}`;
    throw error;
  }
}

/**
 * What the public API reads of a CRM: every record of `types` (archived too), each record's
 * associations to each type and association history, and the schema. Compare it before and after
 * a refused call to show the call changed nothing.
 *
 * @example
 * const before = await view(crm);
 * await refused(crm.records.create('contacts', { email: 'bad' }), 'VALIDATION_ERROR');
 * expect(await view(crm)).toEqual(before);
 */
export async function view(crm: Crm, types: readonly string[] = TYPES): Promise<unknown> {
  const records: Record<string, unknown> = {};
  for (const type of types) {
    for (const record of await everyRecord(crm, type)) {
      const ref = { objectType: type, id: record.id };
      const associations: Record<string, unknown> = {};
      for (const to of types) associations[to] = await settle(crm.associations.list(ref, to, { limit: 100 }));
      records[`${type}/${record.id}`] = { record, associations, history: await settle(crm.associations.history(ref)) };
    }
  }
  const schema = types.map((type) => [crm.schema.object(type), crm.schema.properties(type, { archived: true })]);
  return { records, schema };
}

/**
 * The ids of a record's associations to `toType` (under `label` if given), in order.
 *
 * @example
 * expect(await associatedIds(crm, ana, 'companies')).toEqual([acme.id]);
 */
export async function associatedIds(crm: Crm, record: RecordLike, toType: string, label?: string): Promise<string[]> {
  const page = await crm.associations.list(record, toType, { limit: 100, ...(label !== undefined ? { label } : {}) });
  return page.results.map((item) => item.id);
}

/**
 * The record's primary company id, if any; fails the test if it has more than one.
 *
 * @example
 * expect(await primaryOf(crm, ana)).toBe(acme.id);
 */
export async function primaryOf(crm: Crm, record: RecordLike): Promise<string | undefined> {
  const { results } = await crm.associations.list(record, 'companies', { limit: 100 });
  const primaries = results.filter((item) => item.primary);
  expect(primaries.length, 'at most one primary company').toBeLessThanOrEqual(1);
  return primaries[0]?.id;
}

/** The storage factory of a run of the engine's tests, and the makers its tests share. */
export interface Engine {
  /** A new, empty storage. */
  factory: Factory;
  /** A CRM on a fresh storage from the factory, with deterministic ids and time. */
  fresh(): Promise<Crm>;
  /** A contact named Ana, with `properties` over that. */
  contact(crm: Crm, properties?: PropertiesInput): Promise<CrmRecord>;
  /** A company named Acme, with `properties` over that. */
  company(crm: Crm, properties?: PropertiesInput): Promise<CrmRecord>;
  /** A deal with its required properties, with `properties` over them. */
  deal(crm: Crm, properties?: PropertiesInput): Promise<CrmRecord>;
  /** A quote created with its deal. */
  quote(crm: Crm, forDeal: RecordLike, properties?: PropertiesInput): Promise<CrmRecord>;
  /** The change events `crm` emits from now on, as they come. */
  listen(crm: Crm): ChangeEvent[];
}

/**
 * The {@link Engine} of storages made by `factory`.
 *
 * @example
 * const { fresh, contact } = engineHarness(() => memoryStorage());
 * const ana = await contact(await fresh(), { email: 'ana@x.com' });
 */
export function engineHarness(factory: Factory): Engine {
  return {
    factory,
    fresh: async () => createCrm({ storage: await factory(), ids: sequentialIds(), clock: steppingClock() }),
    contact: (crm, properties = {}) => crm.records.create('contacts', { firstname: 'Ana', ...properties }),
    company: (crm, properties = {}) => crm.records.create('companies', { name: 'Acme', ...properties }),
    deal: (crm, properties = {}) => crm.records.create('deals', { ...DEAL, ...properties }),
    quote: (crm, forDeal, properties = {}) => crm.records.create('quotes', { ...QUOTE, ...properties }, { associations: [{ to: forDeal }] }),
    listen: (crm) => {
      const events: ChangeEvent[] = [];
      crm.subscribe((event) => events.push(event));
      return events;
    },
  };
}
