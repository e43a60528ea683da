// Association types between HubSpot's wire and crm label names. HubSpot names an association's
// labels by integer type ids per direction (`{ associationCategory, associationTypeId }` in
// requests, `{ category, typeId, label }` in answers); the crm by label names seen from one side.
// `crm.associations.types(from, to)` gives a direction's types with their ids; these pure
// functions translate, and refuse an id the direction lacks (400, naming the field).
import type { AssociationType } from 'crmkit';
import { requestError } from './body.js';
import { objectAt } from './shapes.js';

/**
 * One association type as HubSpot's answers show it; `label` is `null` for the unlabelled one.
 *
 * @example
 * const primary: WireAssociationType = { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' };
 */
export interface WireAssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

/**
 * One association type as a request names it.
 *
 * @example
 * const spec: TypeSpec = { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 };
 */
export interface TypeSpec {
  associationCategory: string;
  associationTypeId: number;
}

/** The categories HubSpot's requests may name (integrators' types are never crmkit's, so never found). */
const CATEGORIES = new Set(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']);

/**
 * A type as HubSpot's answers show it.
 *
 * @example
 * wireType(crm.associations.types('contacts', 'companies')[0]!); // { category: 'HUBSPOT_DEFINED', typeId: 279, label: null }
 */
export function wireType(type: AssociationType): WireAssociationType {
  return { category: type.category, typeId: type.typeId, label: type.label };
}

/**
 * The types of one association seen from its `from` side: each label's type (names as the crm
 * lists them), then the unlabelled one, as HubSpot lists a primary company (1, then 279).
 * `types` are the direction's, from `crm.associations.types(from, to)`.
 *
 * @example
 * typesOfAssociation(crm.associations.types('contacts', 'companies'), ['primary']).map((type) => type.typeId); // [1, 279]
 */
export function typesOfAssociation(types: readonly AssociationType[], labels: readonly string[]): WireAssociationType[] {
  const labelled = types.filter((type) => type.name !== null && labels.includes(type.name));
  const unlabelled = types.filter((type) => type.name === null);
  return [...labelled, ...unlabelled].map(wireType);
}

/**
 * A request's list of types: an array of `{ associationCategory, associationTypeId }`, else 400
 * naming the field.
 *
 * @example
 * typeSpecsAt([{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }], 'body'); // one spec
 */
export function typeSpecsAt(value: unknown, field: string): TypeSpec[] {
  if (!Array.isArray(value)) throw requestError(field, `${field} must be an array of { associationCategory, associationTypeId }`);
  return value.map((item, index) => {
    const spec = objectAt(item, `${field}[${index}]`);
    const category = spec.associationCategory;
    if (typeof category !== 'string' || !CATEGORIES.has(category)) {
      throw requestError(`${field}[${index}].associationCategory`, `${field}[${index}].associationCategory must be HUBSPOT_DEFINED, USER_DEFINED or INTEGRATOR_DEFINED`);
    }
    const typeId = spec.associationTypeId;
    if (typeof typeId !== 'number' || !Number.isSafeInteger(typeId)) {
      throw requestError(`${field}[${index}].associationTypeId`, `${field}[${index}].associationTypeId must be an integer`);
    }
    return { associationCategory: category, associationTypeId: typeId };
  });
}

/**
 * The crm label names the specs stand for, seen from `from` (the unlabelled type stands for no
 * label: the association itself). An id the direction lacks, or named with another category,
 * is 400 naming the field.
 *
 * @example
 * labelsOfSpecs(crm.associations.types('contacts', 'companies'), [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }], 'body'); // ['primary']
 */
export function labelsOfSpecs(types: readonly AssociationType[], specs: readonly TypeSpec[], field: string): string[] {
  const labels: string[] = [];
  specs.forEach((spec, index) => {
    const type = types.find((candidate) => candidate.typeId === spec.associationTypeId);
    const at = `${field}[${index}]`;
    if (!type) {
      const direction = types[0] ? `${types[0].from} → ${types[0].to}` : 'this pair';
      throw requestError(`${at}.associationTypeId`, `${at}.associationTypeId: ${spec.associationTypeId} is not an association type of ${direction}`);
    }
    if (type.category !== spec.associationCategory) {
      throw requestError(`${at}.associationCategory`, `${at}.associationCategory: type ${type.typeId} is ${type.category}, not ${spec.associationCategory}`);
    }
    if (type.name !== null && !labels.includes(type.name)) labels.push(type.name);
  });
  return labels;
}

/**
 * One association a create names (`associations: [{ to: { id }, types }]`), for the crm: the
 * other record's type (found from the type ids, as HubSpot does: the body names no type), its id,
 * and the label names seen from the new record.
 *
 * @example
 * const made: CreateAssociation = { toType: 'companies', id: '7', labels: ['primary'] };
 */
export interface CreateAssociation {
  toType: string;
  id: string;
  labels: string[];
}

/**
 * A create's `associations`, given every direction from the new record's type
 * (`crm.associations.types(type, other)` for each `other` it may associate with). The first
 * type id of each item picks the direction; every id of the item must be one of its types, else
 * 400 naming the field. Absent or empty: none.
 *
 * @example
 * createAssociationsAt([{ to: { id: '7' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] }], 'associations', directions);
 * // [{ toType: 'companies', id: '7', labels: [] }]
 */
export function createAssociationsAt(value: unknown, field: string, directions: ReadonlyArray<readonly AssociationType[]>): CreateAssociation[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw requestError(field, `${field} must be an array of { to: { id }, types }`);
  return value.map((item, index) => {
    const at = `${field}[${index}]`;
    const input = objectAt(item, at);
    const to = objectAt(input.to, `${at}.to`);
    const id = to.id;
    if (!(typeof id === 'string' && id !== '') && !(typeof id === 'number' && Number.isSafeInteger(id))) {
      throw requestError(`${at}.to.id`, `${at}.to.id must be a non-empty string`);
    }
    const specs = typeSpecsAt(input.types, `${at}.types`);
    if (specs.length === 0) throw requestError(`${at}.types`, `${at}.types must name at least one association type`);
    const direction = directions.find((types) => types.some((type) => type.typeId === specs[0]!.associationTypeId));
    if (!direction) throw requestError(`${at}.types[0].associationTypeId`, `${at}.types[0].associationTypeId: ${specs[0]!.associationTypeId} is not an association type of this object type`);
    return { toType: direction[0]!.to, id: String(id), labels: labelsOfSpecs(direction, specs, `${at}.types`) };
  });
}

/**
 * One associated record as the objects API v3 shows it on a read (`?associations=companies`).
 *
 * @example
 * const entry: AssociatedId = { id: '7', type: 'contact_to_company' };
 */
export interface AssociatedId {
  id: string;
  type: string;
}

/**
 * The v3 name of a type of the direction `from` → `to` (singular names given): HubSpot names
 * the direction `contact_to_company`; where the direction has a primary label, that name is the
 * primary's and the unlabelled type is `…_unlabeled`; any other label is its internal name.
 *
 * @example
 * v3TypeName({ name: null } as AssociationType, 'contact', 'company', true); // 'contact_to_company_unlabeled'
 */
export function v3TypeName(type: Pick<AssociationType, 'name'>, fromSingular: string, toSingular: string, hasPrimary: boolean): string {
  const direction = `${fromSingular}_to_${toSingular}`;
  if (type.name === null) return hasPrimary ? `${direction}_unlabeled` : direction;
  return type.name === 'primary' ? direction : type.name;
}

/**
 * One association's entries on a v3 read: one per type it carries (a primary company is two:
 * `contact_to_company` and `contact_to_company_unlabeled`), labelled ones first.
 *
 * @example
 * associatedIds(types, 'contact', 'company', { id: '7', labels: ['primary'] }); // [{ id: '7', type: 'contact_to_company' }, { id: '7', type: 'contact_to_company_unlabeled' }]
 */
export function associatedIds(types: readonly AssociationType[], fromSingular: string, toSingular: string, item: { id: string; labels: readonly string[] }): AssociatedId[] {
  const hasPrimary = types.some((type) => type.name === 'primary');
  const carried = [...types.filter((type) => type.name !== null && item.labels.includes(type.name)), ...types.filter((type) => type.name === null)];
  return carried.map((type) => ({ id: item.id, type: v3TypeName(type, fromSingular, toSingular, hasPrimary) }));
}
