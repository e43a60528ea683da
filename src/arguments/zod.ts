// zod's parse failures as crmkit's errors: one VALIDATION_ERROR listing every problem with its
// path, an unknown key named with the key it most likely meant. Every argument parsed with zod
// goes through here, so all of them fail the same way.
import { z } from 'zod';
import { IssueList, type CrmError, type ValidationIssue } from '../errors.js';
import { unknownKeyIssue } from './options.js';

/** `schema` without the optional, nullable and default wrappers around it. */
function unwrapped(schema: unknown): unknown {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap();
  return current;
}

/** The keys an object schema (or a union's object members) takes. */
function objectKeys(schema: unknown): string[] | undefined {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodUnion) {
    const keys = (schema.options as unknown[]).flatMap((option) => objectKeys(unwrapped(option)) ?? []);
    return keys.length > 0 ? [...new Set(keys)] : undefined;
  }
  return undefined;
}

/** The keys the object at `path` inside `schema` takes (zod names the unknown ones, not these). */
function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let current = unwrapped(schema);
  for (const part of path) {
    if (current instanceof z.ZodArray) current = unwrapped(current.element);
    else if (current instanceof z.ZodObject && typeof part === 'string') current = unwrapped((current.shape as Record<string, unknown>)[part]);
    else if (current instanceof z.ZodUnion && typeof part === 'string') {
      const member = (current.options as unknown[]).map(unwrapped).find((option) => option instanceof z.ZodObject && Object.hasOwn(option.shape, part));
      current = member instanceof z.ZodObject ? unwrapped((member.shape as Record<string, unknown>)[part]) : undefined;
    } else return undefined;
  }
  return objectKeys(current);
}

/**
 * Adds zod's issues as crmkit's to `issues`: INVALID_ARGUMENT with the path and a message naming
 * it, or, for a key the argument does not take, UNKNOWN_OPTION naming the key and (when `schema`
 * is given) the nearest valid one. Past the issue cap they are only counted.
 */
function collectArgumentIssues(error: z.ZodError, path: readonly (string | number)[], schema: unknown, issues: IssueList): void {
  for (const issue of error.issues) {
    const at = [...path, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))];
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, issue.path) ?? [];
      for (const key of issue.keys) {
        if (issues.listing) issues.add(unknownKeyIssue('', key, allowed, at));
        else issues.countOnly();
      }
      continue;
    }
    if (!issues.listing) {
      issues.countOnly();
      continue;
    }
    const where = at.length > 0 ? at.join('.') : 'argument';
    issues.add({ code: 'INVALID_ARGUMENT', path: at, message: `${where}: ${issue.message}` });
  }
}

/**
 * Turns zod's issues into crmkit's (see {@link argumentError}); at most the listed cap of them.
 *
 * @example
 * argumentIssues(schema.safeParse(value).error!, ['options'], schema);
 */
export function argumentIssues(error: z.ZodError, path: (string | number)[] = [], schema?: z.ZodType): ValidationIssue[] {
  const issues = new IssueList();
  collectArgumentIssues(error, path, schema, issues);
  return issues.listed;
}

/**
 * The VALIDATION_ERROR for a failed zod parse of `schema`: INVALID_ARGUMENT issues with their
 * path, UNKNOWN_OPTION (with `option`, `suggestion`, `allowed`) for each key the argument does
 * not take, the total in `details.issueCount`.
 *
 * @example
 * const parsed = optionsSchema.safeParse(options);
 * if (!parsed.success) throw argumentError(parsed.error, 'createCrm', ['options'], optionsSchema);
 */
export function argumentError(error: z.ZodError, subject: string, path: (string | number)[] = [], schema?: z.ZodType): CrmError {
  const issues = new IssueList();
  collectArgumentIssues(error, path, schema, issues);
  return issues.error(subject);
}

/**
 * Parses `value` with `schema`, or throws one VALIDATION_ERROR listing every problem (up to the
 * cap), an unknown key with the key it most likely meant.
 *
 * @example
 * const parsed = parseArgument(z.strictObject({ label: z.string() }), input, 'defineGroup contacts');
 */
export function parseArgument<T>(schema: z.ZodType<T>, value: unknown, subject: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw argumentError(result.error, subject, [], schema);
  return result.data;
}
