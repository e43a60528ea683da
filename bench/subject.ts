// What the workload drives: crmkit (bench/crmkit.ts) or the plain-Map floor (bench/floor.ts).
// Each method runs a whole phase in its own loop, so neither side pays for an adapter per call.
import type { PropertiesInput } from 'crmkit';

export type LoadedType = 'contacts' | 'companies' | 'deals';

/** A record as association calls take it. */
export interface RecordRef {
  objectType: LoadedType;
  id: string;
}

/** One pair of an associateMany call (crmkit's AssociationPair): labels are names seen from `from`. */
export interface Pair {
  from: RecordRef;
  to: RecordRef;
  labels?: string[];
}

/** How many calls of a write phase did what they should, and a description of the first few that did not. */
export interface Done {
  done: number;
  wrong: string[];
}

/** What a run of list calls answered, summed over the calls. */
export interface ListTally {
  /** The sum of each call's `total` (every matching live association, not only the first page). */
  items: number;
  /** Calls whose first result is the expected record (`undefined` expected: no result). */
  firstAsExpected: number;
  /** Calls whose first result is marked primary. */
  firstPrimary: number;
  /** Results marked primary, over every call's first page. */
  primaries: number;
}

export interface Subject {
  /** One createMany call per batch; answers the new ids in input order. */
  createMany(objectType: LoadedType, batches: readonly PropertiesInput[][]): Promise<string[]>;
  /**
   * One create call per input; each must be refused as a duplicate. Answers how many were, and
   * a description of the first few that were not.
   */
  createDuplicates(inputs: readonly PropertiesInput[]): Promise<{ refused: number; wrong: string[] }>;
  /** One get of a contact per id; answers how many came back with that id. */
  getAll(ids: readonly string[]): Promise<number>;
  /** One lookup of a contact per email; answers how many found the expected id. */
  getAllByEmail(emails: readonly string[], expectedIds: readonly string[]): Promise<number>;
  /** Defines a label (no inverse) on the pair; answers its name. */
  createLabel(from: LoadedType, to: LoadedType, label: string): Promise<string>;
  /** One associateMany call per batch; `done` counts the pairs of the calls that resolved. */
  associateMany(batches: readonly Pair[][]): Promise<Done>;
  /**
   * One list call per record (the default page of 100), filtered by `label` when given.
   * `expectedFirst[at]` is the id the call's first result should have.
   */
  listAll(records: readonly RecordRef[], toType: LoadedType, label: string | undefined, expectedFirst?: readonly (string | undefined)[]): Promise<ListTally>;
  /** One setPrimary(owners[at], companies[at]) call per owner. */
  setPrimaries(owners: readonly RecordRef[], companies: readonly RecordRef[]): Promise<Done>;
  /** One archive call per id. */
  archiveAll(objectType: LoadedType, ids: readonly string[]): Promise<Done>;
  close(): Promise<void>;
}

/** Notes a failed call in `result.wrong` (the first three only). */
export function noteFailure(result: Done, what: string, error: unknown): void {
  if (result.wrong.length >= 3) return;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  result.wrong.push(`${what} failed with ${typeof code === 'string' ? `${code}: ${message}` : message}`);
}

/** The association calls of a floor store (bench/floor.ts, bench/sqlfloor.ts), one call per operation. */
export interface GraphStore {
  createLabel(from: LoadedType, to: LoadedType, label: string): Promise<string>;
  associateMany(pairs: readonly Pair[]): Promise<void>;
  list(record: RecordRef, toType: LoadedType, label?: string): Promise<{ results: ReadonlyArray<{ id: string; primary: boolean }>; total: number }>;
  setPrimary(owner: RecordRef, company: RecordRef): Promise<void>;
  archive(objectType: LoadedType, id: string): Promise<void>;
}

/** The association phases of a Subject over a floor store: the same loops and tallies for every floor. */
export function graphPhases(store: GraphStore): Pick<Subject, 'createLabel' | 'associateMany' | 'listAll' | 'setPrimaries' | 'archiveAll'> {
  return {
    createLabel: (from, to, label) => store.createLabel(from, to, label),

    async associateMany(batches) {
      const result: Done = { done: 0, wrong: [] };
      for (const batch of batches) {
        try {
          await store.associateMany(batch);
          result.done += batch.length;
        } catch (error) {
          noteFailure(result, `a batch of ${batch.length} pairs`, error);
        }
      }
      return result;
    },

    async listAll(records, toType, label, expectedFirst) {
      const tally: ListTally = { items: 0, firstAsExpected: 0, firstPrimary: 0, primaries: 0 };
      for (let at = 0; at < records.length; at++) {
        const { results, total } = await store.list(records[at]!, toType, label);
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
          await store.setPrimary(owners[at]!, companies[at]!);
          result.done++;
        } catch (error) {
          noteFailure(result, `setPrimary(${owners[at]!.id}, ${companies[at]!.id})`, error);
        }
      }
      return result;
    },

    async archiveAll(objectType, ids) {
      const result: Done = { done: 0, wrong: [] };
      for (const id of ids) {
        try {
          await store.archive(objectType, id);
          result.done++;
        } catch (error) {
          noteFailure(result, `archive ${objectType} ${id}`, error);
        }
      }
      return result;
    },
  };
}
