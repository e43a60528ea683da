// The arguments of crm.schema's calls, parsed once at the facade (src/crm.ts) with zod before any
// rule runs. Shape problems (a missing label, an unknown field, a wrong type) come back as
// VALIDATION_ERROR issues with a path; the rules in schema/property-rules.ts and
// schema/object-rules.ts judge the content (names, types, uniqueness, what may change).
import { z } from 'zod';
import { describeValue } from '../errors.js';
import { parseOptions } from './call-options.js';
import { parseArgument } from './zod.js';

const LABEL_MAX = 1_000;
const TEXT_MAX = 65_536;

const label = z.string().trim().min(1).max(LABEL_MAX);

/**
 * A property's `type`, as zod reads it.
 *
 * @example
 * propertyTypeSchema.options; // ['string', 'number', 'bool', …]
 */
export const propertyTypeSchema = z.enum(['string', 'number', 'bool', 'date', 'datetime', 'enumeration', 'phone_number']);
/**
 * A property's `fieldType`, as zod reads it.
 *
 * @example
 * fieldTypeSchema.safeParse('select').success; // true
 */
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

const propertyInputSchema = z.strictObject({
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
/**
 * defineProperty's definition, parsed (the property rules judge its name, type and options).
 *
 * @example
 * const input: PropertyInput = parsePropertyInput('contacts', { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' });
 */
export type PropertyInput = z.infer<typeof propertyInputSchema>;

const propertyPatchSchema = propertyInputSchema.partial();
/**
 * updateProperty's patch, parsed.
 *
 * @example
 * const patch: PropertyPatchInput = parsePropertyPatch('contacts', 'favorite_roast', { label: 'Roast' });
 */
export type PropertyPatchInput = z.infer<typeof propertyPatchSchema>;

const labelsSchema = z.strictObject({ singular: label, plural: label });

const groupInputSchema = z.strictObject({
  name: z.string(),
  label,
  displayOrder: z.number().int().optional(),
});
const groupPatchSchema = z.strictObject({
  label: label.optional(),
  displayOrder: z.number().int().optional(),
});

const nameList = z.array(z.string()).max(1_000);

const objectInputSchema = z.strictObject({
  name: z.string(),
  labels: labelsSchema,
  primaryDisplayProperty: z.string().optional(),
  requiredProperties: nameList.optional(),
  searchableProperties: nameList.optional(),
  properties: z.array(propertyInputSchema).min(1).max(1_000),
  associations: nameList.optional(),
});
/**
 * defineObject's definition, parsed (the object rules judge its names and references).
 *
 * @example
 * const input: ObjectInput = parseObjectInput({ name: 'lots', labels: { singular: 'Lot', plural: 'Lots' }, properties: [lotName] });
 */
export type ObjectInput = z.infer<typeof objectInputSchema>;

const objectPatchSchema = z.strictObject({
  labels: labelsSchema.optional(),
  primaryDisplayProperty: z.string().optional(),
  requiredProperties: nameList.optional(),
  searchableProperties: nameList.optional(),
  dedup: z.boolean().optional(),
});
/**
 * updateObject's patch without the identity fields (what the object rules apply).
 *
 * @example
 * const patch: ObjectPatch = { labels: { singular: 'Account', plural: 'Accounts' } };
 */
export type ObjectPatch = z.infer<typeof objectPatchSchema>;

// A rename or update may repeat the type's own name or id (it changes nothing); any other value
// is IMMUTABLE, which the schema service says (it knows the type's name and id).
const identity = { name: z.unknown().optional(), id: z.unknown().optional() };
const labelsWithIdentitySchema = labelsSchema.extend(identity);
const objectPatchWithIdentitySchema = objectPatchSchema.extend(identity);

/**
 * renameObject's labels, parsed; `name` and `id` are kept for the service to compare.
 *
 * @example
 * const labels: LabelsInput = parseRenameLabels('companies', { singular: 'Account', plural: 'Accounts' });
 */
export type LabelsInput = z.output<typeof labelsWithIdentitySchema>;

/**
 * updateObject's patch, parsed; `name` and `id` are kept for the service to compare.
 *
 * @example
 * const patch: ObjectPatchInput = parseObjectPatch('companies', { dedup: false });
 */
export type ObjectPatchInput = z.output<typeof objectPatchWithIdentitySchema>;

/**
 * A group definition, parsed.
 *
 * @example
 * const group: GroupInput = parseGroupInput('contacts', { name: 'coffee', label: 'Coffee' });
 */
export type GroupInput = z.output<typeof groupInputSchema>;

/**
 * A group patch, parsed.
 *
 * @example
 * const patch: GroupPatchInput = parseGroupPatch('contacts', 'coffee', { label: 'Coffee' });
 */
export type GroupPatchInput = z.output<typeof groupPatchSchema>;

/** How a message names the object type or property a call was given: as written, unless long or not a string. */
function named(value: unknown): string {
  return typeof value === 'string' && value.length <= 60 ? value : describeValue(value);
}

/**
 * defineObject's definition.
 *
 * @example
 * parseObjectInput({ name: 'lots', labels: { singular: 'Lot', plural: 'Lots' }, properties: [lotName] });
 */
export function parseObjectInput(input: unknown): ObjectInput {
  return parseArgument(objectInputSchema, input, 'defineObject');
}

/**
 * renameObject's labels (errors say which object type, as the caller named it).
 *
 * @example
 * parseRenameLabels('companies', { singular: 'Account', plural: 'Accounts' });
 */
export function parseRenameLabels(objectType: unknown, labels: unknown): LabelsInput {
  return parseArgument(labelsWithIdentitySchema, labels, `renameObject ${named(objectType)}`);
}

/**
 * updateObject's patch.
 *
 * @example
 * parseObjectPatch('companies', { dedup: false });
 */
export function parseObjectPatch(objectType: unknown, patch: unknown): ObjectPatchInput {
  return parseArgument(objectPatchWithIdentitySchema, patch, `updateObject ${named(objectType)}`);
}

/**
 * defineProperty's definition.
 *
 * @example
 * parsePropertyInput('contacts', { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' });
 */
export function parsePropertyInput(objectType: unknown, input: unknown): PropertyInput {
  return parseArgument(propertyInputSchema, input, `defineProperty ${named(objectType)}`);
}

/**
 * updateProperty's patch.
 *
 * @example
 * parsePropertyPatch('contacts', 'favorite_roast', { label: 'Roast' });
 */
export function parsePropertyPatch(objectType: unknown, name: unknown, patch: unknown): PropertyPatchInput {
  return parseArgument(propertyPatchSchema, patch, `updateProperty ${named(objectType)} ${describeValue(name)}`);
}

/**
 * defineGroup's definition.
 *
 * @example
 * parseGroupInput('contacts', { name: 'coffee', label: 'Coffee' });
 */
export function parseGroupInput(objectType: unknown, input: unknown): GroupInput {
  return parseArgument(groupInputSchema, input, `defineGroup ${named(objectType)}`);
}

/**
 * updateGroup's patch.
 *
 * @example
 * parseGroupPatch('contacts', 'coffee', { displayOrder: 2 });
 */
export function parseGroupPatch(objectType: unknown, name: unknown, patch: unknown): GroupPatchInput {
  return parseArgument(groupPatchSchema, patch, `updateGroup ${named(objectType)} ${describeValue(name)}`);
}

const propertiesOptionsSchema = z.looseObject({ archived: z.boolean().optional() });

/**
 * schema.properties' (and schema.groups') options: whether archived ones are listed too.
 *
 * @example
 * parsePropertiesOptions({ archived: true }); // true
 */
export function parsePropertiesOptions(options: unknown, call: 'schema.properties' | 'schema.groups' = 'schema.properties'): boolean {
  return parseOptions(call, propertiesOptionsSchema, options)?.archived === true;
}
