// What the workload drives: crmkit (bench/crmkit.ts) or the plain-Map floor (bench/floor.ts).
// Each method runs a whole phase in its own loop, so neither side pays for an adapter per call.
import type { PropertiesInput } from 'crmkit';

export type LoadedType = 'contacts' | 'companies';

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
  close(): Promise<void>;
}
