// The shapes of schema calls' arguments, checked with zod before any rule runs. Shape problems
// (a missing label, an unknown field, a wrong type) come back as VALIDATION_ERROR issues with a
// path; the rules in ./property-rules.ts and ./object-rules.ts judge the content.
import { z } from 'zod';

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
