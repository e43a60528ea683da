// Property tests over random sequences of record writes: whatever callers do, no two live
// records share a dedup key, storage's key index agrees with the records, and a call that fails
// leaves the stored state byte-identical.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError, normaliseEmail, type Crm, type MemorySnapshot, type MemoryStorage } from 'crmkit';
import { testCrm } from '../helpers.js';

/** A snapshot without the storage's cursor secret, which differs between any two storages. */
function withoutSecret(snapshot: MemorySnapshot): MemorySnapshot {
  const { $cursorSecret: _secret, ...meta } = snapshot.meta;
  return { ...snapshot, meta };
}

/** `npm run fuzz` multiplies the runs (CRMKIT_FUZZ_SCALE); `npm test` keeps them quick. */
const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);

// A small pool, so that random operations collide often.
const EMAILS = ['ann@acme.com', 'bob@acme.com', 'cy@beta.io', 'dee@beta.io', 'eve@gamma.org'];

/** An email from the pool in a random spelling: case and surrounding spaces vary. */
const emailSpelling = fc
  .tuple(fc.constantFrom(...EMAILS), fc.boolean(), fc.constantFrom('', ' ', '  '))
  .map(([email, upper, pad]) => `${pad}${upper ? email.toUpperCase() : email}${pad}`);

const additionalEmails = fc.array(emailSpelling, { maxLength: 3 }).map((emails) => emails.join(';'));

/** Contact properties that may be valid or not (a bad lifecycle stage, a bad email). */
const contactProperties = fc.record(
  {
    email: fc.oneof(emailSpelling, fc.constant('not-an-email')),
    hs_additional_emails: additionalEmails,
    firstname: fc.constantFrom('Ann', 'Bob', ''),
    lifecyclestage: fc.constantFrom('lead', 'customer', 'Customer'),
  },
  { requiredKeys: [] },
);

type Op =
  | { kind: 'create'; properties: Record<string, string> }
  | { kind: 'createMany'; inputs: Record<string, string>[] }
  | { kind: 'update'; target: number; properties: Record<string, string> }
  | { kind: 'upsert'; properties: Record<string, string> }
  | { kind: 'archive' | 'restore' | 'purge'; target: number };

const target = fc.nat({ max: 20 });
const op: fc.Arbitrary<Op> = fc.oneof(
  contactProperties.map((properties): Op => ({ kind: 'create', properties })),
  fc.array(contactProperties, { minLength: 1, maxLength: 4 }).map((inputs): Op => ({ kind: 'createMany', inputs })),
  fc.tuple(target, contactProperties).map(([at, properties]): Op => ({ kind: 'update', target: at, properties })),
  fc.tuple(emailSpelling, fc.constantFrom('Ann', 'Zed')).map(([email, firstname]): Op => ({ kind: 'upsert', properties: { email, firstname } })),
  fc.tuple(fc.constantFrom('archive' as const, 'restore' as const, 'purge' as const), target).map(([kind, at]): Op => ({ kind, target: at })),
);

async function apply(crm: Crm, ids: string[], step: Op): Promise<void> {
  const pick = (at: number): string => ids[at % Math.max(ids.length, 1)] ?? 'missing';
  switch (step.kind) {
    case 'create':
      ids.push((await crm.records.create('contacts', step.properties)).id);
      return;
    case 'createMany':
      ids.push(...(await crm.records.createMany('contacts', step.inputs)).map((record) => record.id));
      return;
    case 'update':
      await crm.records.update('contacts', pick(step.target), step.properties);
      return;
    case 'upsert': {
      const { record, created } = await crm.records.upsert('contacts', step.properties);
      if (created) ids.push(record.id);
      return;
    }
    case 'archive':
      await crm.records.archive('contacts', pick(step.target));
      return;
    case 'restore':
      await crm.records.restore('contacts', pick(step.target));
      return;
    case 'purge':
      await crm.records.purge('contacts', pick(step.target));
      return;
  }
}

/** Every normalised email a contact holds (primary and additional). */
function heldEmails(properties: Readonly<Record<string, unknown>>): string[] {
  const emails = [properties.email, ...String(properties.hs_additional_emails ?? '').split(';')];
  return [...new Set(emails.filter((email): email is string => typeof email === 'string' && email !== ''))];
}

/** No two live contacts share an email, and the key index holds exactly the live contacts' emails. */
function checkKeys(storage: MemoryStorage): void {
  const state = storage.snapshot().types.contacts;
  const records = state?.records ?? [];
  const index = state?.keys.email ?? {};
  const owners = new Map<string, string>();
  for (const record of records.filter((candidate) => !candidate.archived)) {
    for (const email of heldEmails(record.properties)) {
      expect(normaliseEmail(email), 'stored emails are normalised').toBe(email);
      expect(owners.get(email), `${email} held by two live records`).toBeUndefined();
      owners.set(email, record.id);
    }
  }
  expect(index).toEqual(Object.fromEntries(owners));
}

describe('random sequences of record writes', () => {
  it('never leave two live records sharing a dedup key, and failed calls change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { crm, storage } = await testCrm();
        const ids: string[] = [];
        for (const step of steps) {
          const before = JSON.stringify(storage.snapshot());
          try {
            await apply(crm, ids, step);
          } catch (error) {
            expect(error).toBeInstanceOf(CrmError);
            expect(JSON.stringify(storage.snapshot()), `${(error as CrmError).code} after ${step.kind} left a trace`).toBe(before);
          }
          checkKeys(storage);
        }
      }),
      { numRuns: 150 * FUZZ_SCALE },
    );
  });

  it('a failed call inside crm.transaction is undone by itself while the rest commits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { crm, storage } = await testCrm();
        const ids: string[] = [];
        const outcomes: string[] = [];
        await crm.transaction(async (tx) => {
          const inTx = { ...crm, records: tx.records, schema: tx.schema } as Crm;
          for (const step of steps) {
            try {
              await apply(inTx, ids, step);
              outcomes.push('ok');
            } catch (error) {
              expect(error).toBeInstanceOf(CrmError);
              outcomes.push((error as CrmError).code);
            }
          }
        });
        checkKeys(storage);
        // Replaying the same steps one call at a time gives the same outcomes and the same state.
        const replay = await testCrm();
        const replayIds: string[] = [];
        const replayOutcomes: string[] = [];
        for (const step of steps) {
          try {
            await apply(replay.crm, replayIds, step);
            replayOutcomes.push('ok');
          } catch (error) {
            replayOutcomes.push((error as CrmError).code);
          }
        }
        expect(outcomes).toEqual(replayOutcomes);
        // Two storages, two cursor secrets: everything else must be equal.
        expect(withoutSecret(storage.snapshot())).toEqual(withoutSecret(replay.storage.snapshot()));
      }),
      { numRuns: 60 * FUZZ_SCALE },
    );
  });
});
