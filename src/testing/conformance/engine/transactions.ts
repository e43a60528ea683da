// crm.transaction over the storage: commit whole or keep nothing, a failed call undone by
// itself, misuse of crm inside a transaction, and events only after commit.
import { describe, expect, it } from 'vitest';
import { CrmError, isCrmError } from 'crmkit';
import { refused, issueCodes, everyRecord, view, primaryOf, type Engine } from './harness.js';

/**
 * Declares the engine's tests of transactions and the events they emit, on the storages `engine` makes.
 *
 * @example
 * describeTransactions(engineHarness(() => memoryStorage()));
 */
export function describeTransactions({ fresh, contact, listen }: Engine): void {
  describe('transactions', () => {
    it('commits every call of the function together and answers its value', async () => {
      const crm = await fresh();
      const result = await crm.transaction(async (tx) => {
        const ana = await tx.records.create('contacts', { email: 'ana@x.com' });
        const acme = await tx.records.create('companies', { name: 'Acme', domain: 'acme.com' });
        await tx.associations.associate(ana, acme);
        // Calls inside see each other's writes.
        expect((await tx.records.getBy('contacts', 'email', 'ana@x.com'))?.id).toBe(ana.id);
        return { ana, acme };
      });
      expect((await crm.records.getBy('companies', 'domain', 'acme.com'))?.id).toBe(result.acme.id);
      expect(await primaryOf(crm, result.ana)).toBe(result.acme.id);
    });

    it('keeps nothing of a function that throws: records, keys, associations, schema', async () => {
      const crm = await fresh();
      const bo = await contact(crm, { email: 'bo@x.com' });
      const before = await view(crm);
      const failure = new Error('changed my mind');
      await expect(
        crm.transaction(async (tx) => {
          const ana = await tx.records.create('contacts', { email: 'ana@x.com' });
          await tx.records.update('contacts', bo.id, { email: 'bob@x.com' });
          await tx.associations.associate(ana, await tx.records.create('companies', { name: 'Acme' }));
          await tx.schema.defineProperty('contacts', { name: 'shoe_size', label: 'Shoe size', type: 'number', fieldType: 'number' });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await view(crm)).toEqual(before);
      expect(() => crm.schema.property('contacts', 'shoe_size')).toThrow(CrmError);
      expect(await crm.records.getBy('contacts', 'email', 'ana@x.com')).toBeUndefined();
      expect((await crm.records.getBy('contacts', 'email', 'bo@x.com'))?.id).toBe(bo.id);
      await refused(crm.records.create('contacts', { firstname: 'X', shoe_size: 1 }), 'VALIDATION_ERROR');
      // The freed key is free: the rolled-back create did not keep it.
      await expect(contact(crm, { email: 'ana@x.com' })).resolves.toMatchObject({ properties: { email: 'ana@x.com' } });
    });

    it('undoes a failed call the function catches by itself; the rest commits', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@x.com' });
      await crm.transaction(async (tx) => {
        await tx.records.create('contacts', { email: 'bo@x.com' });
        // Fails after writing part of a batch: the first input is fine, the second a duplicate.
        const error = await tx.records.createMany('contacts', [{ email: 'cy@x.com' }, { email: 'ana@x.com' }]).catch((caught: unknown) => caught);
        expect(isCrmError(error, 'DUPLICATE_RECORD')).toBe(true);
        const moved = await tx.records.update('contacts', ana.id, { email: 'bo@x.com' }).catch((caught: unknown) => caught);
        expect(isCrmError(moved, 'DUPLICATE_RECORD')).toBe(true);
        await tx.records.create('contacts', { email: 'dee@x.com' });
      });
      expect((await everyRecord(crm, 'contacts')).map((record) => record.properties.email)).toEqual(['ana@x.com', 'bo@x.com', 'dee@x.com']);
      expect(await crm.records.getBy('contacts', 'email', 'cy@x.com')).toBeUndefined();
      expect(await crm.records.history('contacts', ana.id, 'email')).toHaveLength(1);
    });

    it('a call on crm instead of tx inside crm.transaction fails fast (CRM_IN_TRANSACTION) and the transaction goes on', async () => {
      const crm = await fresh();
      const misuse = (error: CrmError): void => expect(issueCodes(error)).toEqual(['CRM_IN_TRANSACTION']);
      let timer: Promise<unknown> | undefined;
      await crm.transaction(async (tx) => {
        await tx.records.create('contacts', { email: 'ana@x.com' });
        misuse(await refused(crm.records.create('contacts', { email: 'bo@x.com' }), 'VALIDATION_ERROR'));
        misuse(await refused(crm.records.list('contacts'), 'VALIDATION_ERROR'));
        misuse(await refused(crm.transaction(async () => undefined), 'VALIDATION_ERROR'));
        misuse(await refused(crm.refresh(), 'VALIDATION_ERROR'));
        misuse(await refused(crm.close(), 'VALIDATION_ERROR'));
        await tx.records.create('contacts', { email: 'cy@x.com' });
        // Work the callback leaves behind runs after the transaction: then crm is free again.
        timer = new Promise((resolve) => setTimeout(resolve, 5)).then(() => crm.records.create('contacts', { email: 'dee@x.com' }));
      });
      await timer;
      expect((await everyRecord(crm, 'contacts')).map((record) => record.properties.email)).toEqual(['ana@x.com', 'cy@x.com', 'dee@x.com']);
    });

    it('emits events only after commit, and none for a rolled-back transaction or a failed call', async () => {
      const crm = await fresh();
      const events = listen(crm);
      await crm.transaction(async (tx) => {
        await tx.records.create('contacts', { email: 'ana@x.com' });
        await tx.records.create('companies', { name: 'Acme' });
        expect(events).toEqual([]);
      });
      expect(events.map((event) => event.type)).toEqual(['record.created', 'record.created']);
      events.length = 0;
      await expect(
        crm.transaction(async (tx) => {
          await tx.records.create('contacts', { email: 'bo@x.com' });
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await refused(crm.records.create('contacts', { email: 'ana@x.com' }), 'DUPLICATE_RECORD');
      await refused(crm.records.createMany('contacts', [{ email: 'cy@x.com' }, { email: 'bad' }]), 'VALIDATION_ERROR');
      expect(events).toEqual([]);
      // A committed transaction emits what it kept, not the failed call it caught.
      await crm.transaction(async (tx) => {
        await tx.records.create('contacts', { email: 'dee@x.com' });
        await refused(tx.records.create('contacts', { email: 'DEE@x.com' }), 'DUPLICATE_RECORD');
        expect(events).toEqual([]);
      });
      expect(events.map((event) => event.type)).toEqual(['record.created']);
    });
  });
}
