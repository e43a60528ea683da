// A write's source (docs/records.md "Calls"): who or what made it. Every write accepts one; the
// default is API. Property history and events carry it.
import { z } from 'zod';
import { validationError } from '../errors.js';
import { argumentIssues } from './zod.js';
import type { Source } from '../types.js';

/** Every source type; property history and association history use the same vocabulary. */
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

const sourceSchema = z.strictObject({
  type: z.enum(SOURCE_TYPES),
  id: z.string().max(1_000).optional(),
  label: z.string().max(1_000).optional(),
});

const optionsSchema = z.looseObject({ source: sourceSchema.optional() });

const API_SOURCE: Source = Object.freeze({ type: 'API' });

/** The source of a write from its options (default API); VALIDATION_ERROR when malformed. */
export function readSource(options: unknown): Source {
  if (options === undefined) return API_SOURCE;
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw validationError(argumentIssues(parsed.error, ['options']), 'options');
  const source = parsed.data.source;
  return source ? Object.freeze({ ...source }) : API_SOURCE;
}
