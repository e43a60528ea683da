// crmkit as a benchmark subject: the public API only, with its defaults (validation, dedup keys,
// property and association history, calculated properties on), one awaited call after another
// as an application would make them.
import { CrmError, type AssociationPair, type Crm } from 'crmkit';
import { graphPhases, type Subject } from './subject.js';

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

    ...graphPhases({
      createLabel: async (from, to, label) => (await crm.associations.createLabel({ from, to, label })).name,
      associateMany: (pairs) => crm.associations.associateMany(pairs as AssociationPair[]),
      list: (record, toType, label) => crm.associations.list(record, toType, label === undefined ? undefined : { label }),
      setPrimary: (owner, company) => crm.associations.setPrimary(owner, company),
      archive: (objectType, id) => crm.records.archive(objectType, id),
    }),

    close: () => crm.close(),
  };
}

function describe(error: unknown): string {
  return error instanceof CrmError ? `${error.code}: ${error.message}` : String(error);
}
