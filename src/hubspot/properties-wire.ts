// Property definitions and property groups as HubSpot's properties API writes and reads them.
// Pure functions, pinned by test/hubspot/definitions-wire.test.ts: the crm's definitions become
// HubSpot's shape, and HubSpot's bodies become the crm's inputs (shapes checked here, meaning
// judged by the crm).
import type { PropertyDefinition, PropertyDefinitionInput, PropertyGroup, PropertyGroupInput, PropertyOption, PropertyPatch, PropertyType, FieldType } from 'crmkit';
import { requestError } from './body.js';
import { optionalArray, optionalBoolean, optionalInteger, requiredString, unsupported } from './definition-shapes.js';
import { objectAt, optionalString } from './shapes.js';

/**
 * A property as HubSpot's properties API answers it.
 *
 * @example
 * const wire: WireProperty = toWireProperty(crm.schema.property('contacts', 'email'));
 */
export interface WireProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  description: string;
  groupName: string;
  options: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined: boolean;
  calculated: boolean;
  externalOptions: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  archived: boolean;
}

/**
 * A property definition on the wire. crmkit keeps no property display order, hidden flag or
 * form setting, so those answer HubSpot's defaults (-1, false, false). A system property
 * (HubSpot-defined and read-only) has a read-only definition; HubSpot-defined properties and the
 * primary display property cannot be archived.
 *
 * @example
 * toWireProperty(crm.schema.property('contacts', 'email')).modificationMetadata.archivable; // false
 */
export function toWireProperty(property: PropertyDefinition, primaryDisplayProperty?: string): WireProperty {
  return {
    name: property.name,
    label: property.label,
    type: property.type,
    fieldType: property.fieldType,
    description: property.description ?? '',
    groupName: property.groupName,
    options: (property.options ?? []).map((option, index) => ({
      label: option.label,
      value: option.value,
      displayOrder: option.displayOrder ?? index,
      hidden: option.hidden ?? false,
    })),
    displayOrder: -1,
    hasUniqueValue: property.unique,
    hidden: false,
    formField: false,
    hubspotDefined: property.hubspotDefined,
    calculated: property.fieldType === 'calculation_equation',
    externalOptions: false,
    modificationMetadata: {
      archivable: !property.hubspotDefined && property.name !== primaryDisplayProperty,
      readOnlyDefinition: property.hubspotDefined && property.readOnly,
      readOnlyValue: property.readOnly,
    },
    archived: property.archived,
  };
}

/**
 * A property group on the wire.
 *
 * @example
 * toWireGroup({ name: 'coffee', label: 'Coffee', displayOrder: 2, archived: false }); // the same four fields
 */
export function toWireGroup(group: PropertyGroup): { name: string; label: string; displayOrder: number; archived: boolean } {
  return { name: group.name, label: group.label, displayOrder: group.displayOrder, archived: group.archived };
}

/**
 * Refuses a key the body does not take (a typo would otherwise be dropped unseen), naming the
 * keys it does take.
 *
 * @example
 * knownKeys(body, ['name', 'label'], 'body');
 */
export function knownKeys(body: { [key: string]: unknown }, allowed: readonly string[], field: string): void {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    const at = field === 'body' ? unknown : `${field}.${unknown}`;
    throw requestError(at, `${at} is not a field this endpoint takes (it takes ${allowed.join(', ')})`);
  }
}

/** Fields HubSpot's property bodies carry for its UI only: accepted, not kept (docs/hubspot.md). */
const DISPLAY_ONLY = ['displayOrder', 'formField', 'showCurrencySymbol', 'optionSortStrategy', 'textDisplayHint', 'numberDisplayHint', 'searchableInGlobalSearch', 'dataSensitivity'];
const SEMANTIC_UNSUPPORTED: ReadonlyArray<[string, unknown]> = [
  ['hidden', false],
  ['externalOptions', false],
  ['calculationFormula', undefined],
  ['referencedObjectType', undefined],
];

/** One enumeration option: label and value required; an option's description is not kept. */
function optionOf(value: unknown, field: string): PropertyOption {
  const option = objectAt(value, field);
  knownKeys(option, ['label', 'value', 'displayOrder', 'hidden', 'description'], field);
  const displayOrder = optionalInteger(option.displayOrder, `${field}.displayOrder`);
  const hidden = optionalBoolean(option.hidden, `${field}.hidden`);
  optionalString(option.description, `${field}.description`);
  return {
    label: requiredString(option.label, `${field}.label`),
    value: requiredString(option.value, `${field}.value`),
    ...(displayOrder !== undefined && displayOrder >= 0 ? { displayOrder } : {}),
    ...(hidden !== undefined ? { hidden } : {}),
  };
}

/** The display-only fields checked for shape, and the unsupported ones refused. */
function checkExtras(body: { [key: string]: unknown }, field: string): void {
  const at = (key: string): string => (field === 'body' ? key : `${field}.${key}`);
  optionalInteger(body.displayOrder, at('displayOrder'));
  optionalBoolean(body.formField, at('formField'));
  for (const [key, harmless] of SEMANTIC_UNSUPPORTED) unsupported(body[key], at(key), harmless);
}

const CREATE_KEYS = ['name', 'label', 'type', 'fieldType', 'groupName', 'description', 'options', 'hasUniqueValue', ...DISPLAY_ONLY, ...SEMANTIC_UNSUPPORTED.map(([key]) => key)];
const UPDATE_KEYS = ['label', 'type', 'fieldType', 'groupName', 'description', 'options', ...DISPLAY_ONLY, ...SEMANTIC_UNSUPPORTED.map(([key]) => key)];

/**
 * A PropertyCreate body (`field` names it in messages: `body`, `inputs[2]`) as the crm's
 * property input. `hasUniqueValue` is `unique`.
 *
 * @example
 * propertyInputOf({ name: 'roast', label: 'Roast', type: 'string', fieldType: 'text', groupName: 'contactinformation' }, 'body');
 */
export function propertyInputOf(value: unknown, field: string): PropertyDefinitionInput {
  const body = objectAt(value, field);
  knownKeys(body, CREATE_KEYS, field);
  const at = (key: string): string => (field === 'body' ? key : `${field}.${key}`);
  checkExtras(body, field);
  const groupName = optionalString(body.groupName, at('groupName'));
  const description = optionalString(body.description, at('description'));
  const options = optionalArray(body.options, at('options'), optionOf);
  const unique = optionalBoolean(body.hasUniqueValue, at('hasUniqueValue'));
  return {
    name: requiredString(body.name, at('name')),
    label: requiredString(body.label, at('label')),
    type: requiredString(body.type, at('type')) as PropertyType,
    fieldType: requiredString(body.fieldType, at('fieldType')) as FieldType,
    ...(groupName !== undefined ? { groupName } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(options !== undefined ? { options } : {}),
    ...(unique !== undefined ? { unique } : {}),
  };
}

/**
 * A PropertyUpdate body as the crm's property patch. `type` may be given only unchanged (the
 * crm answers IMMUTABLE otherwise).
 *
 * @example
 * propertyPatchOf({ label: 'Favourite roast' }); // { label: 'Favourite roast' }
 */
export function propertyPatchOf(value: unknown): PropertyPatch {
  const body = objectAt(value, 'body');
  knownKeys(body, UPDATE_KEYS, 'body');
  checkExtras(body, 'body');
  const patch: PropertyPatch = {};
  const label = optionalString(body.label, 'label');
  const type = optionalString(body.type, 'type');
  const fieldType = optionalString(body.fieldType, 'fieldType');
  const groupName = optionalString(body.groupName, 'groupName');
  const description = optionalString(body.description, 'description');
  const options = optionalArray(body.options, 'options', optionOf);
  if (label !== undefined) patch.label = label;
  if (type !== undefined) patch.type = type as PropertyType;
  if (fieldType !== undefined) patch.fieldType = fieldType as FieldType;
  if (groupName !== undefined) patch.groupName = groupName;
  if (description !== undefined) patch.description = description;
  if (options !== undefined) patch.options = options;
  return patch;
}

/**
 * A PropertyGroupCreate body as the crm's group input.
 *
 * @example
 * groupInputOf({ name: 'coffee', label: 'Coffee', displayOrder: 3 }); // the same
 */
export function groupInputOf(value: unknown): PropertyGroupInput {
  const body = objectAt(value, 'body');
  knownKeys(body, ['name', 'label', 'displayOrder'], 'body');
  const displayOrder = optionalInteger(body.displayOrder, 'displayOrder');
  return {
    name: requiredString(body.name, 'name'),
    label: requiredString(body.label, 'label'),
    ...(displayOrder !== undefined ? { displayOrder } : {}),
  };
}

/**
 * A PropertyGroupUpdate body as the crm's group patch.
 *
 * @example
 * groupPatchOf({ label: 'Coffee' }); // { label: 'Coffee' }
 */
export function groupPatchOf(value: unknown): { label?: string; displayOrder?: number } {
  const body = objectAt(value, 'body');
  knownKeys(body, ['label', 'displayOrder'], 'body');
  const label = optionalString(body.label, 'label');
  const displayOrder = optionalInteger(body.displayOrder, 'displayOrder');
  return { ...(label !== undefined ? { label } : {}), ...(displayOrder !== undefined ? { displayOrder } : {}) };
}
