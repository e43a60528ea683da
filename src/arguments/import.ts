// The arguments of crm.import, parsed once at the facade: the column mapping's shape, the
// associations between a row's objects, what to do with existing records, progress and batch
// size. Whether the mapping's types and properties exist is the import service's to say.
import { z } from 'zod';
import type { Source } from '../types.js';
import { parseArgument } from './zod.js';
import { sourceOf, sourceSchema } from './source.js';

/** What an import does with a record it finds by dedup key or record id. */
export type OnExisting = 'update' | 'skip' | 'error';

const target = z.string().regex(/^[^.\s]+\.[^.\s]+$/, "must be 'objectType.property', e.g. 'contacts.email'");

const importOptionsSchema = z.strictObject({
  mapping: z.record(z.string().min(1).max(1_000), target).refine((mapping) => Object.keys(mapping).length > 0, 'maps no column'),
  associations: z
    .array(z.strictObject({ from: z.string().min(1), to: z.string().min(1), labels: z.array(z.string()).max(100).optional() }))
    .max(100)
    .optional(),
  onExisting: z.enum(['update', 'skip', 'error']).optional(),
  onProgress: z.custom<(rowsDone: number) => void>((value) => typeof value === 'function', { message: 'onProgress must be a function (rowsDone) => void' }).optional(),
  batchSize: z.number().int().min(1).max(10_000).optional(),
  source: sourceSchema.optional(),
});

/**
 * crm.import's options, parsed: defaults filled in (update existing records, 1,000 rows a
 * transaction, source IMPORT).
 *
 * @example
 * const input: ImportInput = parseImportOptions({ mapping: { Email: 'contacts.email' } });
 */
export interface ImportInput {
  /** column → [object type, property], in the mapping's order. */
  readonly columns: ReadonlyArray<{ readonly column: string; readonly objectType: string; readonly property: string }>;
  readonly associations: ReadonlyArray<{ readonly from: string; readonly to: string; readonly labels: readonly string[] | undefined }> | undefined;
  readonly onExisting: OnExisting;
  readonly onProgress: ((rowsDone: number) => void) | undefined;
  readonly batchSize: number;
  readonly source: Source;
}

/** Rows a transaction takes by default: big enough to spread a commit, small enough to keep memory flat. */
export const DEFAULT_IMPORT_BATCH = 1_000;

/**
 * crm.import's options: VALIDATION_ERROR for a missing or malformed mapping, an unknown key, a
 * bad batch size or callback.
 *
 * @example
 * parseImportOptions({ mapping: { Email: 'contacts.email', Company: 'companies.name' }, onExisting: 'skip' });
 */
export function parseImportOptions(options: unknown): ImportInput {
  const parsed = parseArgument(importOptionsSchema, options, 'import');
  return {
    columns: Object.entries(parsed.mapping).map(([column, to]) => {
      const [objectType, property] = to.split('.') as [string, string];
      return { column, objectType, property };
    }),
    associations: parsed.associations?.map((association) => ({ from: association.from, to: association.to, labels: association.labels })),
    onExisting: parsed.onExisting ?? 'update',
    onProgress: parsed.onProgress,
    batchSize: parsed.batchSize ?? DEFAULT_IMPORT_BATCH,
    source: parsed.source ? sourceOf(parsed.source) : Object.freeze({ type: 'IMPORT' as const }),
  };
}
