// crmkit as a benchmark subject: the public API only, with its defaults (validation, dedup keys,
// property and association history, calculated properties on), one awaited call after another
// as an application would make them.
import { CrmError, type Crm } from 'crmkit';
import type { Done, ListTally, Subject } from './subject.js';

/** How many calls that went wrong are described (the rest are only counted). */
const SHOWN = 3;

export function crmkitSubject(crm: Crm): Subject {
  return {
    async createMany(objectType, batches) {
      const ids: string[] = [];
      for (const batch of batches) {
        const records = await crm.records.createMany(objectType, batch);
        for (const record of records) ids.push(record.id);
      }
      return ids;
    },

    async createDuplicates(inputs) {
      let refused = 0;
      const wrong: string[] = [];
      for (const input of inputs) {
        try {
          const record = await crm.records.create('contacts', input);
          if (wrong.length < SHOWN) wrong.push(`${String(input.email)} was created (id ${record.id})`);
        } catch (error) {
          if (error instanceof CrmError && error.code === 'DUPLICATE_RECORD') refused++;
          else if (wrong.length < SHOWN) wrong.push(`${String(input.email)} failed with ${describe(error)}`);
        }
      }
      return { refused, wrong };
    },

    async getAll(ids) {
      let found = 0;
      for (const id of ids) {
        const record = await crm.records.get('contacts', id);
        if (record?.id === id) found++;
      }
      return found;
    },

    async getAllByEmail(emails, expectedIds) {
      let found = 0;
      for (let at = 0; at < emails.length; at++) {
        const record = await crm.records.getBy('contacts', 'email', emails[at]!);
        if (record?.id === expectedIds[at]) found++;
      }
      return found;
    },

    async createLabel(from, to, label) {
      return (await crm.associations.createLabel({ from, to, label })).name;
    },

    async associateMany(batches) {
      const result: Done = { done: 0, wrong: [] };
      for (const batch of batches) {
        try {
          await crm.associations.associateMany(batch);
          result.done += batch.length;
        } catch (error) {
          if (result.wrong.length < SHOWN) result.wrong.push(`a batch of ${batch.length} pairs failed with ${describe(error)}`);
        }
      }
      return result;
    },

    async listAll(records, toType, label, expectedFirst) {
      const tally: ListTally = { items: 0, firstAsExpected: 0, firstPrimary: 0, primaries: 0 };
      const options = label === undefined ? undefined : { label };
      for (let at = 0; at < records.length; at++) {
        const { results, total } = await crm.associations.list(records[at]!, toType, options);
        tally.items += total;
        if (expectedFirst && results[0]?.id === expectedFirst[at]) tally.firstAsExpected++;
        if (results[0]?.primary) tally.firstPrimary++;
        for (const item of results) if (item.primary) tally.primaries++;
      }
      return tally;
    },

    async setPrimaries(owners, companies) {
      const result: Done = { done: 0, wrong: [] };
      for (let at = 0; at < owners.length; at++) {
        try {
          await crm.associations.setPrimary(owners[at]!, companies[at]!);
          result.done++;
        } catch (error) {
          if (result.wrong.length < SHOWN) result.wrong.push(`setPrimary(${owners[at]!.id}, ${companies[at]!.id}) failed with ${describe(error)}`);
        }
      }
      return result;
    },

    async archiveAll(objectType, ids) {
      const result: Done = { done: 0, wrong: [] };
      for (const id of ids) {
        try {
          await crm.records.archive(objectType, id);
          result.done++;
        } catch (error) {
          if (result.wrong.length < SHOWN) result.wrong.push(`archive ${objectType} ${id} failed with ${describe(error)}`);
        }
      }
      return result;
    },

    close: () => crm.close(),
  };
}

function describe(error: unknown): string {
  return error instanceof CrmError ? `${error.code}: ${error.message}` : String(error);
}
