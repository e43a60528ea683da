// The rules of object types, as pure functions: defining a custom object, renaming, updating
// and activating one. Each takes stored documents and a request and answers the new document
// or throws the CrmError that says why not.
import { CrmError, validationError, type ValidationIssue } from '../errors.js';
import type { ObjectLabels } from '../types.js';
import type { ObjectInput, ObjectPatch } from '../arguments/schema.js';
import { customSystemProperties, lastActivityProperty, type ObjectDoc, type SchemaState } from './model.js';
import { nameIssue } from './names.js';
import { checkNewProperty, checkUniqueLimit } from './property-rules.js';

/** Object types nothing may name in its associations: products are never associated directly, line items only with their parent. */
const NOT_ASSOCIABLE = new Set(['products', 'line_items']);

/**
 * Problems with the properties an object type names (display, required, searchable): each
 * must be a live property, and a required one must be writable, or no record could be created.
 */
export function referenceIssues(doc: ObjectDoc): ValidationIssue[] {
  const live = new Map(doc.properties.filter((property) => !property.archived).map((property) => [property.name, property]));
  const issues: ValidationIssue[] = [];
  const missing = (field: string, name: string, at: (string | number)[]): void => {
    issues.push({ code: 'INVALID_ARGUMENT', path: at, property: name, message: `${field} names ${JSON.stringify(name)}, which is not a property of ${doc.name}` });
  };
  if (doc.primaryDisplayProperty !== undefined && !live.has(doc.primaryDisplayProperty)) {
    missing('primaryDisplayProperty', doc.primaryDisplayProperty, ['primaryDisplayProperty']);
  }
  doc.requiredProperties.forEach((name, at) => {
    const property = live.get(name);
    if (!property) missing('requiredProperties', name, ['requiredProperties', at]);
    else if (property.readOnly || property.fieldType === 'calculation_equation') {
      issues.push({
        code: 'INVALID_ARGUMENT',
        path: ['requiredProperties', at],
        property: name,
        message: `${doc.name}.${name} is read-only and cannot be required`,
      });
    }
  });
  doc.searchableProperties.forEach((name, at) => {
    if (!live.has(name)) missing('searchableProperties', name, ['searchableProperties', at]);
  });
  return issues;
}

/** Throws VALIDATION_ERROR when `doc` names properties it does not have. */
export function checkReferences(doc: ObjectDoc): ObjectDoc {
  const issues = referenceIssues(doc);
  if (issues.length > 0) throw validationError(issues, doc.name);
  return doc;
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/** defineObject: the new custom object type's document, and the next custom id number. */
export function defineCustomObject(
  schema: SchemaState,
  input: ObjectInput,
  uniqueLimit: number,
): { doc: ObjectDoc; nextCustomObjectNumber: number } {
  const bad = nameIssue(input.name, 'object type');
  if (bad) throw validationError([bad], 'defineObject');
  if (schema.find(input.name)) {
    throw new CrmError('CONFLICT', `An object type named ${JSON.stringify(input.name)} already exists`, { objectType: input.name });
  }
  const number = schema.doc.nextCustomObjectNumber;
  const groupName = 'information';
  const shell: ObjectDoc = {
    id: `2-${number}`,
    name: input.name,
    custom: true,
    labels: { ...input.labels },
    categories: ['other'],
    activity: false,
    requiresActivation: false,
    active: true,
    dedup: false,
    requiredProperties: unique(input.requiredProperties ?? []),
    searchableProperties: unique(input.searchableProperties ?? []),
    createdDateProperty: 'hs_createdate',
    modifiedDateProperty: 'hs_lastmodifieddate',
    groups: [{ name: groupName, label: `${input.labels.singular} information`, displayOrder: 0 }],
    properties: customSystemProperties(groupName),
    ...(input.primaryDisplayProperty !== undefined ? { primaryDisplayProperty: input.primaryDisplayProperty } : {}),
  };

  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const properties = input.properties.map((propertyInput, index) => {
    const { property, issues: found } = checkNewProperty(shell, propertyInput, ['properties', index]);
    issues.push(...found);
    if (seen.has(property.name)) {
      issues.push({ code: 'INVALID_NAME', path: ['properties', index, 'name'], property: property.name, message: `property ${JSON.stringify(property.name)} is defined twice` });
    }
    seen.add(property.name);
    return property;
  });
  const required = new Set(shell.requiredProperties);
  input.properties.forEach((propertyInput) => {
    if (propertyInput.required) required.add(propertyInput.name);
  });
  const associations = unique(checkAssociationTargets(schema, input.name, input.associations ?? []));
  // A custom object that takes activities shows when the latest one happened, like the standard ones.
  const calculated = associations.some((target) => schema.find(target)?.doc.activity) ? [lastActivityProperty(groupName)] : [];
  const doc: ObjectDoc = {
    ...shell,
    requiredProperties: [...required],
    properties: [...shell.properties, ...calculated, ...properties],
    associations,
  };
  issues.push(...referenceIssues(doc));
  if (issues.length > 0) throw validationError(issues, `defineObject ${input.name}`);
  checkUniqueLimit(doc, uniqueLimit);
  return { doc, nextCustomObjectNumber: number + 1 };
}

/** The association targets of a custom object, as names; an unknown type or a product is refused. */
function checkAssociationTargets(schema: SchemaState, self: string, targets: string[]): string[] {
  return targets.map((target) => {
    const name = target === self ? self : schema.object(target).name;
    if (NOT_ASSOCIABLE.has(name)) {
      throw new CrmError('ASSOCIATION_NOT_ALLOWED', `${self} cannot associate with ${name}: ${name === 'products' ? 'products are never associated directly (a line item is)' : 'a line item belongs only to its parent deal, quote, invoice, subscription, order or cart'}`, {
        objectType: self,
        toType: name,
      });
    }
    return name;
  });
}

/** renameObject: new singular and plural labels; nothing else changes. */
export function renameObject(doc: ObjectDoc, labels: ObjectLabels): ObjectDoc {
  return { ...doc, labels: { singular: labels.singular, plural: labels.plural } };
}

/** Whether the patch turns the email/domain dedup key on or off. */
export function dedupChange(doc: ObjectDoc, patch: ObjectPatch): 'on' | 'off' | undefined {
  if (patch.dedup === undefined || patch.dedup === doc.dedup) return undefined;
  return patch.dedup ? 'on' : 'off';
}

/** updateObject: labels, display/required/searchable properties, and the dedup switch. */
export function updateObject(doc: ObjectDoc, patch: ObjectPatch): ObjectDoc {
  if (patch.dedup !== undefined && !doc.dedupKey) {
    throw validationError(
      [{ code: 'INVALID_ARGUMENT', path: ['dedup'], message: `${doc.name} has no dedup key besides the record id (only contacts and companies do)` }],
      doc.name,
    );
  }
  return checkReferences({
    ...doc,
    ...(patch.labels ? { labels: { singular: patch.labels.singular, plural: patch.labels.plural } } : {}),
    ...(patch.primaryDisplayProperty !== undefined ? { primaryDisplayProperty: patch.primaryDisplayProperty } : {}),
    ...(patch.requiredProperties ? { requiredProperties: unique(patch.requiredProperties) } : {}),
    ...(patch.searchableProperties ? { searchableProperties: unique(patch.searchableProperties) } : {}),
    ...(patch.dedup !== undefined ? { dedup: patch.dedup } : {}),
  });
}

/** activate: the object type made active (types that need no activation are active already). */
export function activateObject(doc: ObjectDoc): ObjectDoc {
  return doc.active ? doc : { ...doc, active: true };
}

/**
 * Why an object type may not be deleted, or `undefined` when it may: only a custom type is ever
 * deleted (IMMUTABLE for a standard one), and only once it holds no records, archived ones
 * included, and no segment or saved view names it (OBJECT_IN_USE).
 *
 * @example
 * objectDeletionRefusal(doc, false, { segments: [], views: [] }); // undefined: it may go
 */
export function objectDeletionRefusal(doc: ObjectDoc, hasRecords: boolean, savedOn: { segments: string[]; views: string[] }): CrmError | undefined {
  if (!doc.custom) return new CrmError('IMMUTABLE', `${doc.name} is a standard object type: only custom object types can be deleted`, { objectType: doc.name });
  if (!hasRecords && savedOn.segments.length === 0 && savedOn.views.length === 0) return undefined;
  const reasons = [
    ...(hasRecords ? ['it still holds records (archived ones count: purge them first)'] : []),
    ...savedOn.segments.map((id) => `segment ${id} names it`),
    ...savedOn.views.map((id) => `view ${id} names it`),
  ];
  return new CrmError('OBJECT_IN_USE', `${doc.name} cannot be deleted: ${reasons.join('; ')}`, { objectType: doc.name, records: hasRecords, ...savedOn });
}
