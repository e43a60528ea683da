// The options object of a public call, parsed in two steps that always run in this order: its
// keys (arguments/options.ts checkOptions: an unknown key is refused alone, with the key it most
// likely meant), then its values with the call's zod schema.
import type { z } from 'zod';
import { checkOptions, type OptionCall } from './options.js';
import { argumentError } from './zod.js';

/**
 * A call's options parsed: `undefined` when none were given, else the values `schema` reads.
 * VALIDATION_ERROR for a non-object, an unknown key (UNKNOWN_OPTION), or a bad value
 * (INVALID_ARGUMENT with its path under `options`).
 *
 * @example
 * const options = parseOptions('records.get', getOptionsSchema, { archived: true }); // { archived: true }
 */
export function parseOptions<S extends z.ZodType>(call: OptionCall, schema: S, options: unknown): z.output<S> | undefined {
  if (options === undefined) return undefined;
  checkOptions(call, options);
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw argumentError(parsed.error, 'options', ['options']);
  return parsed.data;
}
