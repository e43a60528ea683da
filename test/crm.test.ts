// createCrm, crm.transaction, change events, fork and close: the facade's own behaviour.
import { describe, expect, it, vi } from 'vitest';
import { createCrm, CrmError, memoryStorage } from 'crmkit';
import { sequentialIds, steppingClock } from 'crmkit/testing';
import { expectCrmError, issueCodes, testCrm } from './helpers.js';

describe('createCrm', () => {
  it('starts with the standard catalogue in memory', async () => {
    const crm = await createCrm();
    expect(crm.schema.object('contacts').id).toBe('0-1');
    const contact = await crm.records.create('contacts', { email: 'a@b.com' });
    expect(await crm.records.get('contacts', contact.id)).toEqual(contact);
  });

  it('uses the id generator and clock it is given', async () => {
    const crm = await createCrm({ ids: sequentialIds('c'), clock: steppingClock('2026-03-01T10:00:00Z', 60_000) });
    const first = await crm.records.create('contacts', { email: 'a@b.com' });
    const second = await crm.records.create('contacts', { email: 'b@b.com' });
    expect([first.id, second.id]).toEqual(['c1', 'c2']);
    expect(first.createdAt).toBe('2026-03-01T10:00:00.000Z');
    expect(second.properties.createdate).toBe('2026-03-01T10:01:00.000Z');
  });

  it('refuses malformed options, naming them', async () => {
    const error = await expectCrmError(createCrm({ ids: 'nope', history: 'yes' } as never), 'VALIDATION_ERROR');
    expect(error.details.issues?.map((issue) => issue.path?.join('.'))).toEqual(['options.ids', 'options.history']);
    await expectCrmError(createCrm({ storage: {} } as never), 'VALIDATION_ERROR');
    await expectCrmError(createCrm({ unknownOption: true } as never), 'VALIDATION_ERROR');
  });

  it('refuses an id generator that repeats an id, and a clock that returns no Date', async () => {
    const crm = await createCrm({ ids: () => 'same' });
    await crm.records.create('contacts', { email: 'a@b.com' });
    const error = await expectCrmError(crm.records.create('contacts', { email: 'b@b.com' }), 'CONFLICT');
    expect(error.details.id).toBe('same');
    expect(await crm.records.getBy('contacts', 'email', 'b@b.com')).toBeUndefined();

    const badIds = await createCrm({ ids: () => '' });
    expect(issueCodes(await expectCrmError(badIds.records.create('contacts', { email: 'a@b.com' }), 'VALIDATION_ERROR'))).toEqual(['INVALID_ID']);
    const badClock = await createCrm({ clock: () => new Date('garbage') });
    await expectCrmError(badClock.records.create('contacts', { email: 'a@b.com' }), 'VALIDATION_ERROR');
  });
});

describe('crm.transaction', () => {
  // Commit, rollback, a caught failed call undone by itself, and the events each emits depend on
  // the storage: the conformance suite's engine/transactions.ts and records.ts test them on every
  // storage.
  it('sees its own writes, schema included', async () => {
    const { crm } = await testCrm();
    await crm.transaction(async (tx) => {
      await tx.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
      expect(tx.schema.property('contacts', 'shoe_size').type).toBe('number');
      const contact = await tx.records.create('contacts', { email: 'a@b.com', shoe_size: '42' });
      expect((await tx.records.getBy('contacts', 'email', 'a@b.com'))?.id).toBe(contact.id);
    });
    expect((await crm.records.getBy('contacts', 'email', 'a@b.com'))?.properties.shoe_size).toBe(42);
  });

  it('runs calls started together one after another', async () => {
    const { crm } = await testCrm();
    const results = await crm.transaction(async (tx) =>
      Promise.allSettled(Array.from({ length: 50 }, () => tx.records.create('contacts', { email: 'same@b.com' }))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await crm.records.list('contacts')).results).toHaveLength(1);
  });

  it('refuses a non-function', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.transaction('nope' as never), 'VALIDATION_ERROR');
  });
});

describe('concurrent calls', () => {
  it('1,000 concurrent creates of one email leave exactly one record', async () => {
    const { crm } = await testCrm();
    const results = await Promise.allSettled(
      Array.from({ length: 1_000 }, (_, at) => crm.records.create('contacts', { email: at % 2 ? 'ONE@example.com' : 'one@example.com' })),
    );
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(rejected).toHaveLength(999);
    expect(rejected.every((result) => (result.reason as CrmError).code === 'DUPLICATE_RECORD')).toBe(true);
    expect((await crm.records.list('contacts', { limit: 1_000 })).results).toHaveLength(1);
  });
});

describe('change events', () => {
  it('stops after unsubscribe, and a throwing listener neither fails the call nor stops the others', async () => {
    const reported: Array<{ message: string; type: string }> = [];
    const { crm } = await testCrm({
      onListenerError: (error, event) => reported.push({ message: (error as Error).message, type: event.type }),
    });
    const seen: string[] = [];
    const unsubscribe = crm.subscribe((event) => seen.push(`first ${event.type}`));
    crm.subscribe(() => {
      throw new Error('listener bug');
    });
    crm.subscribe((event) => seen.push(`third ${event.type}`));
    await crm.records.create('contacts', { email: 'a@b.com' });
    unsubscribe();
    await crm.records.create('contacts', { email: 'b@b.com' });
    expect(seen).toEqual(['first record.created', 'third record.created', 'third record.created']);
    expect(reported).toEqual([
      { message: 'listener bug', type: 'record.created' },
      { message: 'listener bug', type: 'record.created' },
    ]);
    expect((await crm.records.list('contacts')).results).toHaveLength(2);
  });

  it('a throwing listener never becomes an uncaught exception: by default its error goes to console.error', async () => {
    const { crm } = await testCrm();
    crm.subscribe(() => {
      throw new Error('listener bug');
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    const logged: unknown[][] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    process.on('uncaughtException', onUncaught);
    try {
      await crm.records.create('contacts', { email: 'a@b.com' });
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('uncaughtException', onUncaught);
      consoleError.mockRestore();
    }
    expect(uncaught).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(String(logged[0]![0])).toContain('record.created');
    expect((logged[0]![1] as Error).message).toBe('listener bug');
  });

  it('an onListenerError that throws itself is contained too', async () => {
    const { crm } = await testCrm({
      onListenerError: () => {
        throw new Error('reporter bug');
      },
    });
    crm.subscribe(() => {
      throw new Error('listener bug');
    });
    const contact = await crm.records.create('contacts', { email: 'a@b.com' });
    expect(contact.properties.email).toBe('a@b.com');
    await expectCrmError(createCrm({ onListenerError: 'log' as never }), 'VALIDATION_ERROR');
  });
});

describe('fork and close', () => {
  it('forks an independent copy with the same data and schema', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
    const original = await crm.records.create('contacts', { email: 'a@b.com', shoe_size: 42 });
    const copy = await crm.fork();
    await copy.records.update('contacts', original.id, { shoe_size: 43 });
    await copy.records.create('contacts', { email: 'b@b.com' });
    expect((await crm.records.get('contacts', original.id))?.properties.shoe_size).toBe(42);
    expect(await crm.records.getBy('contacts', 'email', 'b@b.com')).toBeUndefined();
    expect((await copy.records.get('contacts', original.id))?.properties.shoe_size).toBe(43);
  });

  it('refuses fork from inside a transaction (CRM_IN_TRANSACTION) instead of waiting for ever; a fork copies the cursor secret', async () => {
    const { crm } = await testCrm();
    await crm.records.createMany('contacts', [{ email: 'a@b.com' }, { email: 'b@b.com' }]);
    await crm.transaction(async () => {
      const error = await expectCrmError(crm.fork(), 'VALIDATION_ERROR');
      expect(issueCodes(error)).toEqual(['CRM_IN_TRANSACTION']);
    });
    // A fork holds the same data, so a cursor made before the fork pages the copy too.
    const after = (await crm.records.list('contacts', { limit: 1 })).paging!.next!.after;
    const copy = await crm.fork();
    expect((await copy.records.list('contacts', { after })).results.map((record) => record.properties.email)).toEqual(['b@b.com']);
  });

  it('answers STORAGE_ERROR after close', async () => {
    const crm = await createCrm({ storage: memoryStorage() });
    await crm.close();
    await expectCrmError(crm.records.create('contacts', { email: 'a@b.com' }), 'STORAGE_ERROR');
  });
});
