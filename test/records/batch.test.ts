// Batch writes: upsertMany, updateMany, archiveMany and createMany, atomic (one transaction,
// every problem in one error, nothing written on failure) or per item (`atomic: false`: each
// item alone, every index answered once).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCrmError, type CrmErrorCode } from 'crmkit';
import { expectCrmError, testCrm } from '../helpers.js';

describe('upsertMany', () => {
  it('updates the record each input names by its dedup key, or creates one; a later input sees an earlier one', async () => {
    const { crm } = await testCrm();
    const ana = await crm.records.create('contacts', { email: 'ana@acme.com', firstname: 'Ana' });
    const answers = await crm.records.upsertMany('contacts', [
      { email: 'ANA@acme.com', lastname: 'Ng' },
      { email: 'bo@acme.com', firstname: 'Bo' },
      { email: 'Bo@Acme.com', lastname: 'Li' },
    ]);
    expect(answers.map(({ record, created }) => [record.id, created])).toEqual([
      [ana.id, false],
      [answers[1]!.record.id, true],
      [answers[1]!.record.id, false],
    ]);
    expect((await crm.records.get('contacts', answers[1]!.record.id))!.properties).toMatchObject({ firstname: 'Bo', lastname: 'Li' });
  });

  it('by another unique property, with the source in history', async () => {
    const { crm } = await testCrm();
    const [acme] = await crm.records.upsertMany('companies', [{ domain: 'acme.com', name: 'Acme' }], { idProperty: 'domain', source: { type: 'IMPORT' } });
    expect((await crm.records.history('companies', acme!.record.id, 'name'))[0]).toMatchObject({ value: 'Acme', sourceType: 'IMPORT' });
  });

  it('atomic: every bad value of every input in one VALIDATION_ERROR, each issue with its index; nothing written', async () => {
    const { crm, storage } = await testCrm();
    const before = storage.snapshot();
    const error = await expectCrmError(
      crm.records.upsertMany('contacts', [{ email: 'ok@x.com' }, { email: 'bad' }, { email: 'fine@x.com', lifecyclestage: 'nope' }]),
      'VALIDATION_ERROR',
    );
    expect(error.details.issues.map((issue) => [issue.code, issue.index])).toEqual([
      ['INVALID_EMAIL', 1],
      ['INVALID_OPTION', 2],
    ]);
    expect(error.details.issues[0]!.message).toMatch(/^input 1: /);
    expect(storage.snapshot()).toEqual(before);
  });

  it('per item: the good inputs are written, each failure answered at its index', async () => {
    const { crm } = await testCrm();
    const { results, errors } = await crm.records.upsertMany('contacts', [{ email: 'ok@x.com' }, { email: 'bad' }, { firstname: 'No key' }], { atomic: false });
    expect(results.map((result) => [result.index, result.value.created])).toEqual([[0, true]]);
    expect(errors.map(({ index, error }) => [index, error.code, error.details.index])).toEqual([
      [1, 'VALIDATION_ERROR', 1],
      [2, 'VALIDATION_ERROR', 2],
    ]);
  });
});

describe('updateMany', () => {
  it('applies each patch; an unknown id is NOT_FOUND and an archived one ARCHIVED, at its index', async () => {
    const { crm, storage } = await testCrm();
    const [ana, bo, gone] = await crm.records.createMany('contacts', [{ firstname: 'Ana' }, { firstname: 'Bo' }, { firstname: 'Gone' }]);
    await crm.records.archive('contacts', gone!.id);
    const updated = await crm.records.updateMany('contacts', [
      { id: ana!.id, properties: { lastname: 'Ng' } },
      { id: bo!.id, properties: { lastname: 'Li' } },
    ]);
    expect(updated.map((record) => record.properties.lastname)).toEqual(['Ng', 'Li']);
    const before = storage.snapshot();
    const missing = await expectCrmError(crm.records.updateMany('contacts', [{ id: ana!.id, properties: { lastname: 'X' } }, { id: 'nope', properties: {} }]), 'NOT_FOUND');
    expect(missing.details).toEqual({ objectType: 'contacts', id: 'nope', index: 1 });
    expect(storage.snapshot()).toEqual(before);
    const { results, errors } = await crm.records.updateMany(
      'contacts',
      [
        { id: gone!.id, properties: { lastname: 'X' } },
        { id: ana!.id, properties: { lastname: 'Ng-Li' } },
      ],
      { atomic: false },
    );
    expect(errors.map(({ index, error }) => [index, error.code])).toEqual([[0, 'ARCHIVED']]);
    expect(results.map(({ index, value }) => [index, value.properties.lastname])).toEqual([[1, 'Ng-Li']]);
  });

  it('atomic: every dedup conflict in one DUPLICATE_RECORD, with each input and the holder', async () => {
    const { crm } = await testCrm();
    const [a, b, c] = await crm.records.createMany('contacts', [{ email: 'a@x.com' }, { email: 'b@x.com' }, { email: 'c@x.com' }]);
    const error = await expectCrmError(
      crm.records.updateMany('contacts', [
        { id: a!.id, properties: { email: 'b@x.com' } },
        { id: b!.id, properties: { firstname: 'fine' } },
        { id: c!.id, properties: { email: 'A@x.com' } },
      ]),
      'DUPLICATE_RECORD',
    );
    expect(error.details.conflicts).toEqual([
      { index: 0, property: 'email', value: 'b@x.com', existingId: b!.id },
      { index: 2, property: 'email', value: 'a@x.com', existingId: a!.id },
    ]);
  });

  it('refuses a malformed item, naming its index', async () => {
    const { crm } = await testCrm();
    for (const updates of [{}, [{ id: 'c1' }], [{ id: 'c1', properties: {}, extra: 1 }], [{ id: 42, properties: {} }]]) {
      await expectCrmError(crm.records.updateMany('contacts', updates as never), 'VALIDATION_ERROR');
    }
  });
});

describe('archiveMany', () => {
  it('archives each record; an archived one stays archived; an unknown id is NOT_FOUND and, atomic, nothing is archived', async () => {
    const { crm } = await testCrm();
    const [ana, bo] = await crm.records.createMany('contacts', [{ firstname: 'Ana' }, { firstname: 'Bo' }]);
    await expectCrmError(crm.records.archiveMany('contacts', [ana!.id, 'nope']), 'NOT_FOUND');
    expect(await crm.records.get('contacts', ana!.id)).toBeDefined();
    await crm.records.archiveMany('contacts', [ana!.id, ana!.id]);
    expect(await crm.records.get('contacts', ana!.id)).toBeUndefined();
    const outcome = await crm.records.archiveMany('contacts', ['nope', bo!.id], { atomic: false });
    expect(outcome).toEqual({ results: [{ index: 1, value: bo!.id }], errors: [{ index: 0, error: expect.objectContaining({ code: 'NOT_FOUND' }) }] });
  });
});

describe('createMany per item', () => {
  it('creates the good inputs and answers each bad one; a quote without its deal fails alone', async () => {
    const { crm } = await testCrm();
    await crm.records.create('contacts', { email: 'taken@x.com' });
    const { results, errors } = await crm.records.createMany('contacts', [{ email: 'new@x.com' }, { email: 'TAKEN@x.com' }, { email: 'bad' }], { atomic: false });
    expect(results.map((result) => result.index)).toEqual([0]);
    expect(errors.map(({ index, error }) => [index, error.code])).toEqual([
      [1, 'DUPLICATE_RECORD'],
      [2, 'VALIDATION_ERROR'],
    ]);
    const quotes = await crm.records.createMany('quotes', [{ hs_title: 'Q', hs_expiration_date: '2027-01-01' }], { atomic: false });
    expect(quotes.errors.map(({ error }) => error.code)).toEqual(['ASSOCIATION_REQUIRED']);
    expect(await crm.records.count('quotes')).toBe(0);
  });

  it('inside crm.transaction, a per-item batch keeps its good items and the transaction goes on', async () => {
    const { crm } = await testCrm();
    await crm.transaction(async (tx) => {
      const outcome = await tx.records.createMany('contacts', [{ email: 'a@x.com' }, { email: 'bad' }], { atomic: false });
      expect(outcome.errors).toHaveLength(1);
      await tx.records.create('contacts', { email: 'b@x.com' });
    });
    expect(await crm.records.count('contacts')).toBe(2);
  });
});

describe('associateMany and removeMany per pair', () => {
  it('each pair made or refused on its own; atomic, one bad pair makes none', async () => {
    const { crm } = await testCrm();
    const [ana, bo] = await crm.records.createMany('contacts', [{ firstname: 'Ana' }, { firstname: 'Bo' }]);
    const acme = await crm.records.create('companies', { name: 'Acme' });
    const pairs = [
      { from: ana!, to: acme },
      { from: bo!, to: { objectType: 'companies', id: 'nope' } },
      { from: bo!, to: acme },
    ];
    await expectCrmError(crm.associations.associateMany(pairs), 'NOT_FOUND');
    expect((await crm.associations.list(acme, 'contacts')).total).toBe(0);
    const made = await crm.associations.associateMany(pairs, { atomic: false });
    expect(made.results.map((result) => result.index)).toEqual([0, 2]);
    expect(made.errors.map(({ index, error }) => [index, error.code, error.details.index])).toEqual([[1, 'NOT_FOUND', 1]]);
    expect((await crm.associations.list(acme, 'contacts')).total).toBe(2);
    // Per pair: the known pair is removed, the unknown one is refused alone.
    const removed = await crm.associations.removeMany([{ from: bo!, to: acme }, { from: ana!, to: { objectType: 'companies', id: 'nope' } }], { atomic: false });
    expect(removed.results.map((result) => result.index)).toEqual([0]);
    expect(removed.errors.map(({ error }) => error.code)).toEqual(['NOT_FOUND']);
    expect((await crm.associations.list(acme, 'contacts')).total).toBe(1);
  });
});

// ---------------------------------------------------------------- over all inputs

/** Contacts inputs: emails drawn from a small set (so they collide), some invalid, some with a bad option. */
const contactInput = fc.record(
  {
    email: fc.constantFrom('a@x.com', 'A@x.com', 'b@x.com', 'c@x.com', 'bad', ''),
    firstname: fc.constantFrom('Ana', 'Bo'),
    lifecyclestage: fc.constantFrom('lead', 'customer', 'nope'),
  },
  { requiredKeys: ['email'] },
);

/** A storage's contents without its cursor secret (random per storage). */
function contents(storage: { snapshot(): unknown }): unknown {
  const { meta, ...rest } = storage.snapshot() as { meta: Record<string, unknown> };
  const { $cursorSecret: _secret, ...kept } = meta;
  return { ...rest, meta: kept };
}

/** What a call answered: its codes per index, or the code it threw. */
async function outcomeOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    const answer = await call();
    if (answer && typeof answer === 'object' && 'errors' in answer) {
      const { results, errors } = answer as { results: Array<{ index: number }>; errors: Array<{ index: number; error: { code: CrmErrorCode } }> };
      return { results: results.map((result) => result.index), errors: errors.map(({ index, error }) => [index, error.code]) };
    }
    return 'ok';
  } catch (error) {
    if (isCrmError(error)) return error.code;
    throw error;
  }
}

describe('batch writes over any inputs', () => {
  it('per item is the same as each input sent alone, in order: the same answers and the same storage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contactInput, { maxLength: 8 }), async (inputs) => {
        const batch = await testCrm();
        const single = await testCrm();
        const outcome = await batch.crm.records.upsertMany('contacts', inputs, { atomic: false });
        const expected: { results: number[]; errors: Array<[number, CrmErrorCode]> } = { results: [], errors: [] };
        for (const [index, input] of inputs.entries()) {
          try {
            await single.crm.records.upsert('contacts', input);
            expected.results.push(index);
          } catch (error) {
            if (!isCrmError(error)) throw error;
            expected.errors.push([index, error.code]);
          }
        }
        expect({ results: outcome.results.map((result) => result.index), errors: outcome.errors.map(({ index, error }) => [index, error.code]) }).toEqual(expected);
        expect(contents(batch.storage)).toEqual(contents(single.storage));
      }),
      { numRuns: 100 },
    );
  });

  it('atomic writes everything the per-item mode would, or nothing at all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contactInput, { maxLength: 8 }), async (inputs) => {
        const atomic = await testCrm();
        const each = await testCrm();
        const before = atomic.storage.snapshot();
        const answer = await outcomeOf(() => atomic.crm.records.upsertMany('contacts', inputs));
        const perItem = (await outcomeOf(() => each.crm.records.upsertMany('contacts', inputs, { atomic: false }))) as { errors: unknown[] };
        if (perItem.errors.length === 0) {
          expect(answer).toBe('ok');
          expect(contents(atomic.storage)).toEqual(contents(each.storage));
        } else {
          expect(answer).not.toBe('ok');
          expect(atomic.storage.snapshot()).toEqual(before);
        }
      }),
      { numRuns: 100 },
    );
  });
});
