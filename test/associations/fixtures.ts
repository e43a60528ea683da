// Record makers shared by the association example tests: each creates one record of a type with
// the properties the type requires, plus whatever the test adds.
import type { Crm, CrmRecord, MemoryStorage, PropertiesInput, RecordLike } from 'crmkit';

export const contact = (crm: Crm, properties: PropertiesInput = {}): Promise<CrmRecord> =>
  crm.records.create('contacts', { firstname: 'Ana', ...properties });

export const company = (crm: Crm, properties: PropertiesInput = {}): Promise<CrmRecord> =>
  crm.records.create('companies', { name: 'Acme', ...properties });

export const deal = (crm: Crm, properties: PropertiesInput = {}): Promise<CrmRecord> =>
  crm.records.create('deals', { dealname: 'Big one', dealstage: 'appointmentscheduled', ...properties });

export const ticket = (crm: Crm, properties: PropertiesInput = {}): Promise<CrmRecord> =>
  crm.records.create('tickets', { subject: 'Broken', hs_pipeline_stage: '1', ...properties });

/** A quote, created with its required deal. */
export const quote = (crm: Crm, forDeal: RecordLike, properties: PropertiesInput = {}): Promise<CrmRecord> =>
  crm.records.create('quotes', { hs_title: 'Q-1', hs_expiration_date: '2027-01-01', ...properties }, { associations: [{ to: forDeal }] });

/** An activity (notes by default) at `hs_timestamp`, optionally associated with records. */
export const activity = (crm: Crm, timestamp: string, to: RecordLike[] = [], type = 'notes', properties: PropertiesInput = {}): Promise<CrmRecord> =>
  crm.records.create(type, { hs_timestamp: timestamp, ...properties }, { associations: to.map((record) => ({ to: record })) });

/** The ids a list page holds, in order. */
export async function listedIds(crm: Crm, record: RecordLike, toType: string, label?: string): Promise<string[]> {
  const page = await crm.associations.list(record, toType, label === undefined ? {} : { label });
  return page.results.map((item) => item.id);
}

/** The record's primary company id (from a list of its companies), if any. */
export async function primaryOf(crm: Crm, record: RecordLike): Promise<string | undefined> {
  const { results } = await crm.associations.list(record, 'companies');
  const primaries = results.filter((item) => item.primary);
  if (primaries.length > 1) throw new Error(`${primaries.length} primary companies`);
  return primaries[0]?.id;
}

/** The storage's whole content, to compare before and after a refused call. */
export const snapshot = (storage: MemoryStorage): string => JSON.stringify(storage.snapshot());
