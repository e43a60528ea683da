// The floor: the same work on plain Maps, the least any store must do. Per object type a
// Map<id, properties> and a Map<lowercased key, id> (contacts by email, companies by domain).
// Ids come from nanoid, as crmkit's do. Each stored object is a shallow copy of the input (a store
// must not keep the caller's mutable object). No validation, no system properties, no history,
// no transactions. Its methods are async, one awaited call per operation like crmkit's, so the
// ratio shows what crmkit adds on top of an async Map store.
import { nanoid } from 'nanoid';
import type { PropertiesInput } from 'crmkit';
import type { LoadedType, Subject } from './subject.js';

class FloorTable {
  readonly records = new Map<string, PropertiesInput>();
  /** Lowercased key value → id. */
  readonly keys = new Map<string, string>();

  constructor(readonly keyProperty: string) {}
}

/** A minimal async record store on Maps. */
export class FloorStore {
  private readonly tables: Record<LoadedType, FloorTable> = {
    contacts: new FloorTable('email'),
    companies: new FloorTable('domain'),
  };

  async createMany(objectType: LoadedType, inputs: readonly PropertiesInput[]): Promise<string[]> {
    const table = this.tables[objectType];
    const ids: string[] = new Array(inputs.length);
    for (let at = 0; at < inputs.length; at++) ids[at] = this.insert(table, inputs[at]!);
    return ids;
  }

  /** The new id, or undefined when the key is taken (a duplicate). */
  async create(objectType: LoadedType, input: PropertiesInput): Promise<string | undefined> {
    const table = this.tables[objectType];
    const key = String(input[table.keyProperty]).toLowerCase();
    return table.keys.has(key) ? undefined : this.insert(table, input);
  }

  async get(objectType: LoadedType, id: string): Promise<PropertiesInput | undefined> {
    return this.tables[objectType].records.get(id);
  }

  async getBy(objectType: LoadedType, value: string): Promise<string | undefined> {
    return this.tables[objectType].keys.get(value.toLowerCase());
  }

  private insert(table: FloorTable, input: PropertiesInput): string {
    const key = String(input[table.keyProperty]).toLowerCase();
    if (table.keys.has(key)) throw new Error(`floor: duplicate ${table.keyProperty} ${key}`);
    const id = nanoid();
    table.keys.set(key, id);
    table.records.set(id, { ...input });
    return id;
  }
}

export function floorSubject(store: FloorStore): Subject {
  return {
    async createMany(objectType, batches) {
      const ids: string[] = [];
      for (const batch of batches) {
        const created = await store.createMany(objectType, batch);
        for (const id of created) ids.push(id);
      }
      return ids;
    },

    async createDuplicates(inputs) {
      let refused = 0;
      const wrong: string[] = [];
      for (const input of inputs) {
        const id = await store.create('contacts', input);
        if (id === undefined) refused++;
        else if (wrong.length < 3) wrong.push(`${String(input.email)} was created (id ${id})`);
      }
      return { refused, wrong };
    },

    async getAll(ids) {
      let found = 0;
      for (const id of ids) if ((await store.get('contacts', id)) !== undefined) found++;
      return found;
    },

    async getAllByEmail(emails, expectedIds) {
      let found = 0;
      for (let at = 0; at < emails.length; at++) if ((await store.getBy('contacts', emails[at]!)) === expectedIds[at]) found++;
      return found;
    },

    close: async () => {},
  };
}
