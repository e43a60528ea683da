// The arguments of crm.records' calls, parsed once at the facade (src/crm.ts) into the typed
// inputs the record service takes. Shapes only: whether an object type, a property or a record
// exists, and whether property values are valid, needs the schema and storage and stays with the
// services and rules.
import { z } from 'zod';
import { describeValue, validationError } from '../errors.js';
import type { PropertiesInput } from '../types.js';
import { parseOptions } from './call-options.js';
import { isPlainObject } from './options.js';
import { readCursor, readLimit } from './paging.js';
import { parseProjection } from './search.js';
import { parseLabels, parseRef, type RecordRef } from './refs.js';
import { API_SOURCE, sourceOf, sourceSchema, type WriteInput } from './source.js';
import { checkId } from './ids.js';

export { parseWriteOptions, type WriteInput } from './source.js';

/**
 * One association a create makes for every new record: the other record and the label names,
 * seen from the new record.
 *
 * @example
 * const item: CreateAssociation = { to: { objectType: 'companies', id: 'co1' }, labels: undefined };
 */
export interface CreateAssociation {
  readonly to: RecordRef;
  readonly labels: readonly string[] | undefined;
}

/**
 * create's and createMany's parsed options.
 *
 * @example
 * const input = parseCreateOptions('records.create', { associations: [{ to: company }] });
 */
export interface CreateInput extends WriteInput {
  readonly associations: readonly CreateAssociation[];
}

/**
 * upsert's parsed options: the identifying property when one is named (a name, looked up by the
 * service).
 *
 * @example
 * parseUpsertOptions({ idProperty: 'email' }).idProperty; // 'email'
 */
export interface UpsertInput extends WriteInput {
  readonly idProperty: string | undefined;
}

/**
 * records.list's parsed options.
 *
 * @example
 * parseListOptions(undefined); // { limit: 100, after: undefined, archived: false, properties: undefined }
 */
export interface ListInput {
  readonly limit: number;
  readonly after: string | undefined;
  readonly archived: boolean;
  /** The properties to show (`undefined`: all). */
  readonly properties: readonly string[] | undefined;
}

/**
 * records.get's parsed options.
 *
 * @example
 * parseGetOptions({ archived: true }); // { archived: true, properties: undefined }
 */
export interface GetInput {
  readonly archived: boolean;
  readonly properties: readonly string[] | undefined;
}

/**
 * A batch call's parsed options: its write options and whether it is one transaction (`atomic`,
 * the default) or each item on its own.
 *
 * @example
 * parseBatchWriteOptions('records.archiveMany', { atomic: false }); // { source: { type: 'API' }, atomic: false }
 */
export type BatchInput<T extends WriteInput = WriteInput> = T & { readonly atomic: boolean };

/**
 * One item of updateMany: the record's id and its patch.
 *
 * @example
 * const update: UpdateItem = { id: 'c1', properties: { firstname: 'Ana' } };
 */
export interface UpdateItem {
  readonly id: string;
  readonly properties: PropertiesInput;
}

// associations' items are read by parseCreateAssociations, whose messages predate this schema.
const createOptionsSchema = z.looseObject({ source: sourceSchema.optional(), associations: z.unknown().optional(), atomic: z.boolean().optional() });
const batchOptionsSchema = z.looseObject({ source: sourceSchema.optional(), idProperty: z.unknown().optional(), atomic: z.boolean().optional() });
const getOptionsSchema = z.looseObject({ archived: z.boolean().optional(), properties: z.unknown().optional() });
// idProperty is a property name: any value that names no live property is UNKNOWN_PROPERTY (the service's).
const upsertOptionsSchema = z.looseObject({ source: sourceSchema.optional(), idProperty: z.unknown().optional() });
const listOptionsSchema = z.looseObject({ limit: z.unknown().optional(), after: z.unknown().optional(), archived: z.boolean().optional(), properties: z.unknown().optional() });

// Calls without options (the common case) build nothing: they share these.
const NO_OPTIONS_CREATE: CreateInput = Object.freeze({ source: API_SOURCE, associations: Object.freeze([]) });
const NO_OPTIONS_GET: GetInput = Object.freeze({ archived: false, properties: undefined });
const NO_OPTIONS_UPSERT: UpsertInput = Object.freeze({ source: API_SOURCE, idProperty: undefined });
const NO_OPTIONS_LIST: ListInput = Object.freeze({ limit: readLimit(undefined), after: undefined, archived: false, properties: undefined });

/**
 * The `associations` option of a create: an array of `{ to, labels? }`, each `to` a record
 * reference and `labels` an array of names.
 */
function parseCreateAssociations(list: unknown): CreateAssociation[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'associations', message: `associations must be an array of { to, labels? }, got ${describeValue(list)}` }]);
  }
  const items: unknown[] = [];
  for (let index = 0; index < list.length; index++) {
    const item: unknown = list[index];
    if (!isPlainObject(item)) {
      throw validationError([{ code: 'INVALID_ARGUMENT', property: 'associations', index, message: `associations[${index}] must be { to, labels? }` }]);
    }
    items.push(item);
  }
  // Every reference before any label list, as the records they name are found before labels are read.
  const targets = (items as Array<Record<string, unknown>>).map((item, index) => parseRef(item.to, `associations[${index}].to`));
  return targets.map((to, index) => ({ to, labels: parseLabels((items[index] as Record<string, unknown>).labels) }));
}

/**
 * create's and createMany's options: the source and the associations every new record gets.
 *
 * @example
 * parseCreateOptions('records.createMany', { associations: [{ to: company, labels: ['primary'] }] });
 */
export function parseCreateOptions(call: 'records.create' | 'records.createMany', options: unknown): CreateInput {
  const parsed = parseOptions(call, createOptionsSchema, options);
  if (parsed === undefined) return NO_OPTIONS_CREATE;
  return { source: sourceOf(parsed.source), associations: parseCreateAssociations(parsed.associations) };
}

/**
 * createMany's options: create's, and `atomic` (default true: one transaction for the batch).
 *
 * @example
 * parseCreateManyOptions({ atomic: false }).atomic; // false
 */
export function parseCreateManyOptions(options: unknown): BatchInput<CreateInput> {
  const parsed = parseOptions('records.createMany', createOptionsSchema, options);
  if (parsed === undefined) return ATOMIC_CREATE;
  return { source: sourceOf(parsed.source), associations: parseCreateAssociations(parsed.associations), atomic: parsed.atomic !== false };
}

const ATOMIC_CREATE: BatchInput<CreateInput> = Object.freeze({ ...NO_OPTIONS_CREATE, atomic: true });

/**
 * upsertMany's options: upsert's, and `atomic`.
 *
 * @example
 * parseUpsertManyOptions({ idProperty: 'email', atomic: false }); // { source: { type: 'API' }, idProperty: 'email', atomic: false }
 */
export function parseUpsertManyOptions(options: unknown): BatchInput<UpsertInput> {
  const parsed = parseOptions('records.upsertMany', batchOptionsSchema, options);
  if (parsed === undefined) return { ...NO_OPTIONS_UPSERT, atomic: true };
  return { source: sourceOf(parsed.source), idProperty: parsed.idProperty as string | undefined, atomic: parsed.atomic !== false };
}

/**
 * The options of updateMany, archiveMany, associateMany and removeMany: the source and `atomic`.
 *
 * @example
 * parseBatchWriteOptions('records.updateMany', undefined); // { source: { type: 'API' }, atomic: true }
 */
export function parseBatchWriteOptions(
  call: 'records.updateMany' | 'records.archiveMany' | 'associations.associateMany' | 'associations.removeMany',
  options: unknown,
): BatchInput {
  const parsed = parseOptions(call, batchOptionsSchema, options);
  return { source: sourceOf(parsed?.source), atomic: parsed?.atomic !== false };
}

/**
 * The array a batch call takes: VALIDATION_ERROR (INVALID_ARGUMENT) naming the call when it is not one.
 *
 * @example
 * batchArray('archiveMany', 'ids', ['c1']); // ['c1']
 */
function batchArray(call: string, what: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: what, message: `${call} expects an array of ${what}, got ${describeValue(value)}` }]);
  }
  return value;
}

/**
 * updateMany's items: an array of `{ id, properties }` (an item's properties are judged with its
 * record; a malformed item fails the call, naming its index).
 *
 * @example
 * parseUpdateItems([{ id: 'c1', properties: { firstname: 'Ana' } }]);
 */
export function parseUpdateItems(updates: unknown): readonly UpdateItem[] {
  return batchArray('updateMany', 'updates', updates).map((item, index) => {
    if (!isPlainObject(item) || !Object.hasOwn(item, 'id') || !Object.hasOwn(item, 'properties')) {
      throw validationError([{ code: 'INVALID_ARGUMENT', property: 'updates', index, message: `updates[${index}] must be { id, properties }, got ${describeValue(item)}` }]);
    }
    const extra = Object.keys(item).filter((key) => key !== 'id' && key !== 'properties');
    if (extra.length > 0) {
      throw validationError([{ code: 'INVALID_ARGUMENT', property: 'updates', index, message: `updates[${index}] takes only id and properties, not ${extra.join(', ')}` }]);
    }
    checkId(item.id);
    return { id: item.id as string, properties: item.properties as PropertiesInput };
  });
}

/**
 * archiveMany's ids: an array of record ids.
 *
 * @example
 * parseIds('archiveMany', ['c1', 'c2']); // ['c1', 'c2']
 */
export function parseIds(call: string, ids: unknown): readonly string[] {
  const list = batchArray(call, 'ids', ids);
  for (const id of list) checkId(id);
  return list as string[];
}

/**
 * createMany's inputs: an array (each item a properties object, judged by the record rules
 * against the object type's properties together with its values).
 *
 * @example
 * parseCreateInputs([{ email: 'a@b.com' }]); // the same array
 * parseCreateInputs({ email: 'a@b.com' });   // VALIDATION_ERROR: createMany expects an array of properties, got an object
 */
export function parseCreateInputs(inputs: unknown, call = 'createMany'): readonly PropertiesInput[] {
  if (!Array.isArray(inputs)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', message: `${call} expects an array of properties, got ${describeValue(inputs)}` }]);
  }
  return inputs as PropertiesInput[];
}

/**
 * records.get's options: whether an archived record comes back too, and the properties to show.
 *
 * @example
 * parseGetOptions({ archived: true }); // { archived: true, properties: undefined }
 */
export function parseGetOptions(options: unknown): GetInput {
  const parsed = parseOptions('records.get', getOptionsSchema, options);
  if (parsed === undefined) return NO_OPTIONS_GET;
  return { archived: parsed.archived === true, properties: parseProjection(parsed.properties) };
}

/**
 * upsert's options: the source and the identifying property.
 *
 * @example
 * parseUpsertOptions({ idProperty: 'domain' }); // { source: { type: 'API' }, idProperty: 'domain' }
 */
export function parseUpsertOptions(options: unknown): UpsertInput {
  const parsed = parseOptions('records.upsert', upsertOptionsSchema, options);
  if (parsed === undefined) return NO_OPTIONS_UPSERT;
  return { source: sourceOf(parsed.source), idProperty: parsed.idProperty as string | undefined };
}

/**
 * records.list's options: the page size, the cursor's shape and whether archived records count.
 *
 * @example
 * parseListOptions({ limit: 10 }); // { limit: 10, after: undefined, archived: false }
 */
export function parseListOptions(options: unknown): ListInput {
  const parsed = parseOptions('records.list', listOptionsSchema, options);
  if (parsed === undefined) return NO_OPTIONS_LIST;
  return { limit: readLimit(parsed.limit), after: readCursor(parsed.after), archived: parsed.archived === true, properties: parseProjection(parsed.properties) };
}
