// Batch writes and imports on any storage: an atomic batch writes everything or nothing; a per-item batch
// (savepoints inside the call's transaction) keeps its good items and answers each bad one; an
// import keeps its good rows whole and nothing of a bad one.
import { describe, expect, it } from 'vitest';
import { refused, everyRecord, type Engine } from './harness.js';

/**
 * Declares the engine's tests of batch writes, on the storages `engine` makes.
 *
 * @example
 * describeBatch(engineHarness(() => memoryStorage()));
 */
export function describeBatch({ fresh, contact }: Engine): void {
  describe('batch writes', () => {
    it('an atomic upsertMany with one bad input writes nothing; per item it keeps the others and answers the bad one', async () => {
      const crm = await fresh();
      const ana = await contact(crm, { email: 'ana@acme.com' });
      const inputs = [{ email: 'ANA@acme.com', lastname: 'Ng' }, { email: 'bo@acme.com' }, { email: 'not an email' }];
      const before = await everyRecord(crm, 'contacts');
      const error = await refused(crm.records.upsertMany('contacts', inputs), 'VALIDATION_ERROR');
      expect(error.details.issues.map((issue) => issue.index)).toEqual([2]);
      expect(await everyRecord(crm, 'contacts')).toEqual(before);
      const { results, errors } = await crm.records.upsertMany('contacts', inputs, { atomic: false });
      expect(results.map(({ index, value }) => [index, value.created])).toEqual([
        [0, false],
        [1, true],
      ]);
      expect(errors.map(({ index, error: itemError }) => [index, itemError.code])).toEqual([[2, 'VALIDATION_ERROR']]);
      expect((await crm.records.get('contacts', ana.id))?.properties.lastname).toBe('Ng');
      expect(await everyRecord(crm, 'contacts')).toHaveLength(2);
    });

    it('updateMany and archiveMany per item: an unknown id fails alone', async () => {
      const crm = await fresh();
      const [ana, bo] = [await contact(crm), await contact(crm, { firstname: 'Bo' })];
      const updated = await crm.records.updateMany('contacts', [{ id: 'nope', properties: { lastname: 'X' } }, { id: bo.id, properties: { lastname: 'Li' } }], { atomic: false });
      expect(updated.errors.map(({ error }) => error.code)).toEqual(['NOT_FOUND']);
      expect((await crm.records.get('contacts', bo.id))?.properties.lastname).toBe('Li');
      const archived = await crm.records.archiveMany('contacts', [ana.id, 'nope'], { atomic: false });
      expect(archived.results.map((result) => result.value)).toEqual([ana.id]);
      expect(await crm.records.get('contacts', ana.id)).toBeUndefined();
    });

    it('an import writes each good row with its company and association, and nothing of a bad row', async () => {
      const crm = await fresh();
      const result = await crm.import(
        [
          { Email: 'ana@acme.com', Company: 'Acme', Domain: 'acme.com' },
          { Email: 'not an email', Company: 'Globex', Domain: 'globex.com' },
          { Email: 'bo@acme.com', Company: 'Acme', Domain: 'acme.com' },
        ],
        { mapping: { Email: 'contacts.email', Company: 'companies.name', Domain: 'companies.domain' }, batchSize: 2 },
      );
      expect(result).toMatchObject({ created: 2, failed: 1, errors: [{ row: 2, column: 'Email', code: 'INVALID_EMAIL' }] });
      expect((await everyRecord(crm, 'companies')).map((company) => company.properties.domain)).toEqual(['acme.com']);
      const acme = (await crm.records.getBy('companies', 'domain', 'acme.com'))!;
      expect((await crm.associations.list(acme, 'contacts')).total).toBe(2);
    });
  });
}
