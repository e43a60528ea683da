// The example of a model-based test that docs/testing.md promises: crmCommands' sequences run
// against a real CRM (each command checks the CRM against the model as it goes), then crmkit's
// invariants are checked over the whole CRM: each live contact with companies has exactly one
// primary, and no two live contacts share an email. A command of the test's own (a "user's
// code" that archives a company's contacts) is mixed in, as a user would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm, type Crm } from 'crmkit';
import { crmCommands, initialCrmModel, type CrmCommand, type CrmModel, type CrmReal } from 'crmkit/testing/arbitraries';
import { sequentialIds, steppingClock } from 'crmkit/testing';

const SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);

/** crmkit's rules over every live contact, read from the CRM alone. */
async function expectInvariants(crm: Crm): Promise<void> {
  const contacts = (await crm.records.list('contacts', { limit: 100 })).results;
  const emails = contacts.map((contact) => contact.properties.email);
  expect(new Set(emails).size, `emails ${JSON.stringify(emails)}`).toBe(emails.length);
  for (const contact of contacts) {
    const { results } = await crm.associations.list(contact, 'companies');
    const primaries = results.filter((item) => item.labels.includes('primary'));
    expect(primaries.length, `contact ${contact.id} with ${results.length} companies`).toBe(results.length === 0 ? 0 : 1);
  }
}

/** A user's own command over the same model: "offboard" archives a contact, which is then gone from reads. */
class Offboard implements CrmCommand {
  constructor(readonly pick: number) {}
  check = (model: Readonly<CrmModel>): boolean => model.contacts.some((contact) => !contact.archived);
  async run(model: CrmModel, real: CrmReal): Promise<void> {
    const live = model.contacts.filter((contact) => !contact.archived);
    const contact = live[this.pick % live.length]!;
    await real.crm.records.archive('contacts', contact.id);
    contact.archived = true;
    expect(await real.crm.records.get('contacts', contact.id)).toBeUndefined(); // archived records are hidden
  }
  toString = (): string => `offboard(#${this.pick})`;
}

describe('crmCommands', () => {
  it('keeps the CRM and the model in step, and crmkit’s invariants hold after any sequence', async () => {
    const commands = [...crmCommands(), fc.nat(1_000).map((n): CrmCommand => new Offboard(n))];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (sequence) => {
        const crm = await createCrm({ ids: sequentialIds(), clock: steppingClock() });
        await fc.asyncModelRun(async () => ({ model: initialCrmModel(), real: { crm } }), sequence);
        await expectInvariants(crm);
      }),
      { numRuns: 40 * SCALE },
    );
  });

  it('reaches the interesting cases: duplicates refused, primaries moved, contacts restored', async () => {
    const names = new Set<string>();
    for (const sequence of fc.sample(fc.commands(crmCommands(), { maxCommands: 40 }), 30)) for (const command of sequence) names.add(command.toString().split('(')[0]!);
    expect([...names].sort()).toEqual(['archiveContact', 'associate', 'createCompany', 'createContact', 'restoreContact', 'setPrimary', 'updateContact']);
  });
});

describe('crmCommands options', () => {
  it('refuses an empty pool with a VALIDATION_ERROR naming it', () => {
    expect(() => crmCommands({ emails: [] })).toThrow(/emails must be a non-empty array/);
  });

  it('draws from the pools given', () => {
    const names = fc.sample(fc.commands(crmCommands({ emails: ['only@example.com'], domains: ['one.com'] }), { maxCommands: 20 }), 20).flatMap((sequence) => [...sequence].map(String));
    expect(names.filter((name) => name.startsWith('create')).every((name) => /only@example\.com|one\.com/.test(name))).toBe(true);
  });
});
