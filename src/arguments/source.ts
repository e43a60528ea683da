// A write's source (docs/records.md "Calls"): who or what made it. Every write accepts one; the
// default is API. Property history and events carry it.
import { z } from 'zod';
import type { Source } from '../types.js';
import { parseOptions } from './call-options.js';
import type { OptionCall } from './options.js';

/**
 * Every source type; property history and association history use the same vocabulary.
 *
 * @example
 * SOURCE_TYPES.includes('IMPORT'); // true
 */
export const SOURCE_TYPES = [
  'USER',
  'OBJECT_DELETION',
  'OBJECT_MERGE',
  'OBJECT_RESTORE',
  'IMPORT',
  'DOMAIN_AUTO_ASSOCIATION',
  'API',
  'JOB',
  'MIGRATION',
  'CALCULATED',
  'UNKNOWN',
] as const;

/**
 * The `source` option of a write, as zod reads it (a part of each write call's options schema).
 *
 * @example
 * z.looseObject({ source: sourceSchema.optional() });
 */
export const sourceSchema = z.strictObject({
  type: z.enum(SOURCE_TYPES),
  id: z.string().max(1_000).optional(),
  label: z.string().max(1_000).optional(),
});

/**
 * The source of a write when its options name none.
 *
 * @example
 * options?.source ?? API_SOURCE;
 */
export const API_SOURCE: Source = Object.freeze({ type: 'API' });

/**
 * The source a write's parsed `source` option stands for: a frozen copy, or API when none.
 *
 * @example
 * sourceOf(undefined);         // { type: 'API' }
 * sourceOf({ type: 'IMPORT' }); // { type: 'IMPORT' }
 */
export function sourceOf(source: z.output<typeof sourceSchema> | undefined): Source {
  return source ? Object.freeze({ ...source }) : API_SOURCE;
}

/**
 * A write's parsed options: who made it.
 *
 * @example
 * const { source } = parseWriteOptions('records.archive', { source: { type: 'USER' } });
 */
export interface WriteInput {
  readonly source: Source;
}

/**
 * The write calls whose only option is `source`.
 *
 * @example
 * const call: WriteCall = 'records.archive';
 */
export type WriteCall = Extract<
  OptionCall,
  | 'records.update'
  | 'records.archive'
  | 'records.restore'
  | 'records.purge'
  | 'records.merge'
  | 'associations.associate'
  | 'associations.setPrimary'
  | 'commerce.addLineItem'
  | 'commerce.copyLineItems'
>;

const writeOptionsSchema = z.looseObject({ source: sourceSchema.optional() });
const NO_OPTIONS_WRITE: WriteInput = Object.freeze({ source: API_SOURCE });

/**
 * The options of a write whose only option is `source`.
 *
 * @example
 * parseWriteOptions('records.purge', undefined); // { source: { type: 'API' } }
 */
export function parseWriteOptions(call: WriteCall, options: unknown): WriteInput {
  const parsed = parseOptions(call, writeOptionsSchema, options);
  return parsed === undefined ? NO_OPTIONS_WRITE : { source: sourceOf(parsed.source) };
}
