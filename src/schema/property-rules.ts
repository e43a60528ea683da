// The rules of property definitions and groups, as pure functions: each takes an object type's
// stored document and a request, and answers the new document or throws the CrmError that
// says why not. test/schema/property-rules.test.ts has the cases.
import { CrmError, culprit, describeValue, validationError, type ValidationIssue } from '../errors.js';
import type { PropertyGroupInput, PropertyOption, PropertyType } from '../types.js';
import { isValidFieldType } from './field-types.js';
import { nameIssue } from './names.js';
import type { PropertyInput, PropertyPatchInput } from '../arguments/schema.js';
import type { ObjectDoc, PropertyDoc } from './model.js';
import { checkReferences } from './object-rules.js';

/** HubSpot reserves the hs_ prefix for its own properties. */
const RESERVED_PREFIX = 'hs_';
const UNIQUE_TYPES: ReadonlySet<PropertyType> = new Set(['string', 'number', 'phone_number']);

// The one rule for internal names lives in ./names.ts; property rules use it, and re-export it
// for the callers that found it here.
export { nameIssue };

/** The problems with a property's content (not its name): field type, options, uniqueness, group. */
function contentIssues(doc: ObjectDoc, input: PropertyInput, path: (string | number)[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (field: string): (string | number)[] => [...path, field];
  if (!isValidFieldType(input.type, input.fieldType)) {
    issues.push({
      code: 'INVALID_FIELD_TYPE',
      path: at('fieldType'),
      property: input.name,
      message: `fieldType ${JSON.stringify(input.fieldType)} cannot be used with type ${JSON.stringify(input.type)}`,
    });
  }
  if (input.type === 'enumeration') {
    issues.push(...optionIssues(input.name, input.options ?? [], at('options')));
  } else if (input.options !== undefined && input.options.length > 0) {
    issues.push({
      code: 'OPTIONS_NOT_ALLOWED',
      path: at('options'),
      property: input.name,
      message: `only enumeration properties have options; ${input.name} is ${input.type}`,
    });
  }
  if (input.unique && !UNIQUE_TYPES.has(input.type)) {
    issues.push({
      code: 'UNIQUE_NOT_ALLOWED',
      path: at('unique'),
      property: input.name,
      message: `a ${input.type} property cannot be unique (only string, number and phone_number)`,
    });
  }
  if (input.groupName !== undefined && !doc.groups.some((group) => group.name === input.groupName && !group.archived)) {
    issues.push(unknownGroup(doc, input.groupName, at('groupName')));
  }
  return issues;
}

/** Option values must be unique: a record stores the value, so two options with one value are one option. */
export function optionIssues(property: string, options: readonly PropertyOption[], path: (string | number)[]): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  options.forEach((option, index) => {
    if (seen.has(option.value)) {
      issues.push({
        code: 'DUPLICATE_OPTION',
        path: [...path, index, 'value'],
        property,
        message: `option value ${JSON.stringify(option.value)} appears more than once in ${property}`,
      });
    }
    seen.add(option.value);
  });
  return issues;
}

function unknownGroup(doc: ObjectDoc, groupName: string, path: (string | number)[]): ValidationIssue {
  const archived = doc.groups.some((group) => group.name === groupName && group.archived);
  return {
    code: 'UNKNOWN_GROUP',
    path,
    message: `${doc.name} has no ${archived ? 'live ' : ''}property group ${describeValue(groupName)}${archived ? ' (it is archived)' : ''}`,
  };
}

function withDisplayOrder(options: readonly PropertyOption[] | undefined): PropertyOption[] | undefined {
  return options?.map((option, at) => ({ ...option, displayOrder: option.displayOrder ?? at }));
}

/**
 * Checks a new custom property for `doc` and answers its stored form, or the issues. Used by
 * defineProperty and, per property, by defineObject.
 */
export function checkNewProperty(
  doc: ObjectDoc,
  input: PropertyInput,
  path: (string | number)[] = [],
): { property: PropertyDoc; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const bad = nameIssue(input.name, 'property', [...path, 'name']);
  if (bad) issues.push(bad);
  else if (input.name.startsWith(RESERVED_PREFIX)) {
    issues.push({
      code: 'RESERVED_NAME',
      path: [...path, 'name'],
      property: input.name,
      message: `${JSON.stringify(input.name)}: the hs_ prefix is reserved for HubSpot-defined properties`,
    });
  }
  issues.push(...contentIssues(doc, input, path));
  const options = withDisplayOrder(input.options);
  const property: PropertyDoc = {
    name: input.name,
    label: input.label,
    type: input.type,
    fieldType: input.fieldType,
    ...(options ? { options } : {}),
    unique: input.unique ?? false,
    readOnly: (input.readOnly ?? false) || input.fieldType === 'calculation_equation',
    groupName: input.groupName ?? defaultGroupOf(doc),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.indexed !== undefined ? { indexed: input.indexed } : {}),
    hubspotDefined: false,
    archived: false,
  };
  return { property, issues };
}

/** UNIQUE_PROPERTY_LIMIT when `doc` would hold more unique properties than `limit`. */
export function checkUniqueLimit(doc: ObjectDoc, limit: number): void {
  const count = doc.properties.filter((property) => property.unique).length;
  if (count > limit) {
    throw validationError(
      [
        {
          code: 'UNIQUE_PROPERTY_LIMIT',
          message: `${doc.name} may have at most ${limit} unique properties (archived ones count)`,
          limit,
          count,
        },
      ],
      doc.name,
    );
  }
}

/** defineProperty: the object type with one more property. */
export function addProperty(doc: ObjectDoc, input: PropertyInput, uniqueLimit: number): ObjectDoc {
  const existing = doc.properties.find((property) => property.name === input.name);
  if (existing) {
    throw new CrmError(
      'CONFLICT',
      `${doc.name} already has a property named ${JSON.stringify(input.name)}${existing.archived ? ' (archived)' : ''}`,
      { objectType: doc.name, property: input.name },
    );
  }
  const { property, issues } = checkNewProperty(doc, input);
  if (issues.length > 0) throw validationError(issues, `${doc.name} ${describeValue(input.name)}`);
  const next: ObjectDoc = {
    ...doc,
    properties: [...doc.properties, property],
    requiredProperties: input.required ? [...doc.requiredProperties, property.name] : doc.requiredProperties,
  };
  if (property.unique) checkUniqueLimit(next, uniqueLimit);
  return checkReferences(next);
}

/** The property by name; UNKNOWN_PROPERTY when `doc` has none. */
export function findProperty(doc: ObjectDoc, name: string): PropertyDoc {
  const property = typeof name === 'string' ? doc.properties.find((candidate) => candidate.name === name) : undefined;
  if (!property) {
    throw new CrmError('UNKNOWN_PROPERTY', `${doc.name} has no property ${describeValue(name)}`, {
      objectType: doc.name,
      property: culprit(name),
    });
  }
  return property;
}

/** A property the engine writes (hs_object_id, createdate, …): its definition is fixed. */
export function isSystemProperty(property: PropertyDoc): boolean {
  return property.hubspotDefined && property.readOnly;
}

const IMMUTABLE_FIELDS = ['name', 'type', 'unique'] as const;
/** What a HubSpot-defined property lets an account change. */
const STANDARD_EDITABLE = new Set(['label', 'description', 'groupName', 'options', 'required', 'indexed']);

/** updateProperty: the object type with the property changed. */
export function changeProperty(doc: ObjectDoc, name: string, patch: PropertyPatchInput): ObjectDoc {
  const current = findProperty(doc, name);
  for (const field of IMMUTABLE_FIELDS) {
    const wanted = patch[field];
    if (wanted !== undefined && wanted !== (current[field] ?? false)) {
      throw new CrmError('IMMUTABLE', `${doc.name}.${name}: ${field} cannot change after creation`, {
        objectType: doc.name,
        property: name,
        field,
      });
    }
  }
  if (current.archived) {
    throw new CrmError('ARCHIVED', `${doc.name}.${name} is archived`, { objectType: doc.name, property: name });
  }
  if (isSystemProperty(current)) {
    throw new CrmError('READ_ONLY_PROPERTY', `${doc.name}.${name} is set by crmkit; its definition cannot change`, {
      objectType: doc.name,
      property: name,
    });
  }
  if (current.hubspotDefined) {
    const refused = Object.keys(patch).filter(
      (field) => patch[field as keyof PropertyPatchInput] !== undefined && !STANDARD_EDITABLE.has(field) && !IMMUTABLE_FIELDS.includes(field as never),
    );
    if (refused.length > 0) {
      throw new CrmError('IMMUTABLE', `${doc.name}.${name} is HubSpot-defined: ${refused.join(', ')} cannot change`, {
        objectType: doc.name,
        property: name,
        fields: refused,
      });
    }
  }
  const fieldType = patch.fieldType ?? current.fieldType;
  if ((fieldType === 'checkbox') !== (current.fieldType === 'checkbox') && current.type === 'enumeration') {
    throw new CrmError('IMMUTABLE', `${doc.name}.${name}: a multi-select cannot become single-select or the reverse (stored values would change shape)`, {
      objectType: doc.name,
      property: name,
      field: 'fieldType',
    });
  }
  const merged: PropertyInput = {
    name,
    label: patch.label ?? current.label,
    type: current.type,
    fieldType,
    options: patch.options ?? current.options,
    unique: current.unique,
    groupName: patch.groupName ?? current.groupName,
  };
  const issues = contentIssues(doc, merged, []);
  if (issues.length > 0) throw validationError(issues, `${doc.name}.${name}`);
  const options = patch.options ? withDisplayOrder(patch.options) : current.options;
  const property: PropertyDoc = {
    ...current,
    label: merged.label,
    fieldType,
    ...(options ? { options } : {}),
    groupName: merged.groupName!,
    readOnly: patch.readOnly ?? current.readOnly,
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.indexed !== undefined ? { indexed: patch.indexed } : {}),
  };
  if (fieldType === 'calculation_equation') property.readOnly = true;
  let required = doc.requiredProperties;
  if (patch.required === true && !required.includes(name)) required = [...required, name];
  if (patch.required === false) required = required.filter((other) => other !== name);
  return checkReferences({
    ...doc,
    requiredProperties: required,
    properties: doc.properties.map((other) => (other.name === name ? property : other)),
  });
}

/**
 * archiveProperty: the object type with the property archived. Its values stay stored but are
 * hidden and can no longer be written; its name stays taken.
 */
export function archiveProperty(doc: ObjectDoc, name: string): ObjectDoc {
  const current = findProperty(doc, name);
  if (current.archived) return doc;
  if (isSystemProperty(current)) {
    throw new CrmError('READ_ONLY_PROPERTY', `${doc.name}.${name} is set by crmkit and cannot be archived`, {
      objectType: doc.name,
      property: name,
    });
  }
  if (current.hubspotDefined) {
    throw new CrmError('IMMUTABLE', `${doc.name}.${name} is HubSpot-defined and cannot be archived`, {
      objectType: doc.name,
      property: name,
    });
  }
  if (doc.primaryDisplayProperty === name) {
    throw validationError(
      [{ code: 'PROPERTY_IN_USE', property: name, message: `${doc.name}.${name} is the primary display property; choose another first` }],
      doc.name,
    );
  }
  return {
    ...doc,
    requiredProperties: doc.requiredProperties.filter((other) => other !== name),
    searchableProperties: doc.searchableProperties.filter((other) => other !== name),
    properties: doc.properties.map((other) => (other.name === name ? { ...other, archived: true } : other)),
  };
}

// ---------------------------------------------------------------- groups

/**
 * The group a new property joins when it names none: the object type's first group, which is
 * why that one cannot be archived.
 */
export function defaultGroupOf(doc: ObjectDoc): string {
  return doc.groups[0]?.name ?? 'information';
}

/**
 * defineGroup: the object type with one more property group. A name an archived group holds is
 * taken back: the group is live again with the new label and order (properties still naming it
 * find it again), so deleting a group and making it anew works as HubSpot's API does.
 */
export function addGroup(doc: ObjectDoc, input: PropertyGroupInput): ObjectDoc {
  const bad = nameIssue(input.name, 'property group');
  if (bad) throw validationError([bad], doc.name);
  const existing = doc.groups.find((group) => group.name === input.name);
  if (existing && !existing.archived) {
    throw new CrmError('CONFLICT', `${doc.name} already has a property group named ${JSON.stringify(input.name)}`, {
      objectType: doc.name,
      group: input.name,
    });
  }
  const others = doc.groups.filter((group) => group.name !== input.name);
  const displayOrder = input.displayOrder ?? others.reduce((max, group) => Math.max(max, group.displayOrder + 1), 0);
  const group = { name: input.name, label: input.label, displayOrder };
  return { ...doc, groups: existing ? doc.groups.map((other) => (other === existing ? group : other)) : [...doc.groups, group] };
}

/** The group by name, live; UNKNOWN_GROUP when there is none, ARCHIVED when it is archived. */
function liveGroup(doc: ObjectDoc, name: string): void {
  const group = doc.groups.find((candidate) => candidate.name === name);
  if (!group) throw validationError([unknownGroup(doc, name, ['name'])], doc.name);
  if (group.archived) throw new CrmError('ARCHIVED', `${doc.name}'s property group ${JSON.stringify(name)} is archived`, { objectType: doc.name, group: name });
}

/** updateGroup: the object type with a group's label or order changed. */
export function changeGroup(doc: ObjectDoc, name: string, patch: { label?: string; displayOrder?: number }): ObjectDoc {
  liveGroup(doc, name);
  return {
    ...doc,
    groups: doc.groups.map((group) =>
      group.name === name
        ? { ...group, ...(patch.label !== undefined ? { label: patch.label } : {}), ...(patch.displayOrder !== undefined ? { displayOrder: patch.displayOrder } : {}) }
        : group,
    ),
  };
}

/**
 * archiveGroup: the object type with the group archived (already archived: unchanged). Refused
 * (GROUP_IN_USE) while a live property is in it, since a property must sit in a live group, and
 * for the default group, where new properties go. Archived properties may stay in it.
 */
export function archiveGroup(doc: ObjectDoc, name: string): ObjectDoc {
  const group = doc.groups.find((candidate) => candidate.name === name);
  if (!group) throw validationError([unknownGroup(doc, name, ['name'])], doc.name);
  if (group.archived) return doc;
  if (name === defaultGroupOf(doc)) {
    throw validationError(
      [{ code: 'GROUP_IN_USE', path: ['name'], message: `${doc.name}'s property group ${JSON.stringify(name)} is the default group, where new properties go; it cannot be archived` }],
      doc.name,
    );
  }
  const members = doc.properties.filter((property) => property.groupName === name && !property.archived).map((property) => property.name);
  if (members.length > 0) {
    throw validationError(
      [{ code: 'GROUP_IN_USE', path: ['name'], properties: members, message: `${doc.name}'s property group ${JSON.stringify(name)} holds ${members.join(', ')}; move or archive ${members.length === 1 ? 'it' : 'them'} first` }],
      doc.name,
    );
  }
  return { ...doc, groups: doc.groups.map((other) => (other === group ? { ...other, archived: true } : other)) };
}
