// What every seeded CRM must satisfy, checked through the public API only: the example tests
// and the property tests both call it, so the rules are written once.
import { expect } from 'vitest';
import type { Crm, CrmRecord, MemorySnapshot } from 'crmkit';
import type { SeedResult } from 'crmkit/testing';

const ACTIVITIES = ['notes', 'calls', 'meetings', 'tasks', 'emails', 'communications', 'postal_mail'];

/** Whether `value` is one of the property's option values. */
function isOption(crm: Crm, type: string, property: string, value: unknown): boolean {
  return (crm.schema.property(type, property).options ?? []).some((option) => option.value === value);
}

/** Checks the seeded records against the rules of docs/testing.md "What seed makes". */
export async function expectSeedInvariants(crm: Crm, result: SeedResult, counts: Record<string, number>): Promise<void> {
  for (const [type, count] of Object.entries(counts)) expect(result[type], type).toHaveLength(count);

  const emails = result.contacts.map((contact) => contact.properties.email);
  expect(new Set(emails).size, 'emails are unique').toBe(emails.length);
  const domains = result.companies.map((company) => company.properties.domain);
  expect(new Set(domains).size, 'domains are unique').toBe(domains.length);

  for (const company of result.companies) {
    expect(isOption(crm, 'companies', 'industry', company.properties.industry), `industry of ${company.id}`).toBe(true);
  }
  for (const contact of result.contacts) {
    expect(isOption(crm, 'contacts', 'lifecyclestage', contact.properties.lifecyclestage)).toBe(true);
  }

  // A contact with companies has exactly one primary.
  if (result.contacts.length > 0) {
    const companiesOf = await crm.associations.listMany(result.contacts, 'companies');
    for (const contact of result.contacts) {
      const items = companiesOf.get(contact.id) ?? [];
      if (items.length > 0) expect(items.filter((item) => item.primary), `primaries of ${contact.id}`).toHaveLength(1);
    }
  }

  await expectInLiveStages(crm, 'deals', 'pipeline', 'dealstage', result.deals);
  await expectInLiveStages(crm, 'tickets', 'hs_pipeline', 'hs_pipeline_stage', result.tickets);

  for (const type of ACTIVITIES) {
    for (const activity of result[type] ?? []) expect(typeof activity.properties.hs_timestamp, `${type} ${activity.id}`).toBe('string');
  }

  // Labels the seed used are labels the pair has.
  if (result.deals.length > 0) {
    const names = new Set(crm.associations.labels('deals', 'contacts').map((label) => (label.from === 'deals' ? label.name : (label.inverseName ?? label.name))));
    const contactsOf = await crm.associations.listMany(result.deals, 'contacts');
    for (const items of contactsOf.values()) for (const item of items) for (const label of item.labels) expect(names.has(label), label).toBe(true);
  }
}

async function expectInLiveStages(crm: Crm, type: string, pipelineProperty: string, stageProperty: string, records: CrmRecord[]): Promise<void> {
  if (records.length === 0) return;
  const stages = new Map((await crm.pipelines.list(type)).map((pipeline) => [pipeline.id, new Set(pipeline.stages.map((stage) => stage.id))]));
  for (const record of records) {
    const pipeline = String(record.properties[pipelineProperty]);
    expect(stages.get(pipeline)?.has(String(record.properties[stageProperty])), `${type} ${record.id} in ${pipeline}`).toBe(true);
  }
}

/** A snapshot without the storage's random cursor secret: what two seeded CRMs must share. */
export function comparable(snapshot: MemorySnapshot): MemorySnapshot {
  const { $cursorSecret: _secret, ...meta } = snapshot.meta as Record<string, unknown>;
  return { ...snapshot, meta } as MemorySnapshot;
}
