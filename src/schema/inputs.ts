// The shapes of schema calls' arguments, checked with zod before any rule runs. Shape problems
// (a missing label, an unknown field, a wrong type) come back as VALIDATION_ERROR issues with a
// path; the rules in ./property-rules.ts and ./object-rules.ts judge the content.
import { z } from 'zod';
import { unknownKeyIssue } from '../arguments.js';
import { IssueList, type CrmError, type ValidationIssue } from '../errors.js';

const LABEL_MAX = 1_000;
const TEXT_MAX = 65_536;

const label = z.string().trim().min(1).max(LABEL_MAX);

export const propertyTypeSchema = z.enum(['string', 'number', 'bool', 'date', 'datetime', 'enumeration', 'phone_number']);
export const fieldTypeSchema = z.enum([
  'text',
  'textarea',
  'html',
  'file',
  'phonenumber',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
]);

const optionSchema = z.strictObject({
  label,
  value: z.string().min(1).max(LABEL_MAX),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
});

export const propertyInputSchema = z.strictObject({
  name: z.string(),
  label,
  type: propertyTypeSchema,
  fieldType: fieldTypeSchema,
  options: z.array(optionSchema).max(5_000).optional(),
  unique: z.boolean().optional(),
  required: z.boolean().optional(),
  readOnly: z.boolean().optional(),
  groupName: z.string().optional(),
  description: z.string().max(TEXT_MAX).optional(),
  indexed: z.boolean().optional(),
});
export type PropertyInput = z.infer<typeof propertyInputSchema>;

export const propertyPatchSchema = propertyInputSchema.partial();
export type PropertyPatchInput = z.infer<typeof propertyPatchSchema>;

export const labelsSchema = z.strictObject({ singular: label, plural: label });

export const groupInputSchema = z.strictObject({
  name: z.string(),
  label,
  displayOrder: z.number().int().optional(),
});
export const groupPatchSchema = z.strictObject({
  label: label.optional(),
  displayOrder: z.number().int().optional(),
});

const nameList = z.array(z.string()).max(1_000);

export const objectInputSchema = z.strictObject({
  name: z.string(),
  labels: labelsSchema,
  primaryDisplayProperty: z.string().optional(),
  requiredProperties: nameList.optional(),
  searchableProperties: nameList.optional(),
  properties: z.array(propertyInputSchema).min(1).max(1_000),
  associations: nameList.optional(),
});
export type ObjectInput = z.infer<typeof objectInputSchema>;

export const objectPatchSchema = z.strictObject({
  labels: labelsSchema.optional(),
  primaryDisplayProperty: z.string().optional(),
  requiredProperties: nameList.optional(),
  searchableProperties: nameList.optional(),
  dedup: z.boolean().optional(),
});
export type ObjectPatch = z.infer<typeof objectPatchSchema>;

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
 * const parsed = parseArgument(groupInputSchema, input, 'defineGroup contacts');
 */
export function parseArgument<T>(schema: z.ZodType<T>, value: unknown, subject: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw argumentError(result.error, subject, [], schema);
  return result.data;
}
