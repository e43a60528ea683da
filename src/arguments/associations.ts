// The arguments of crm.associations' calls (and crm.timeline), parsed once at the facade
// (src/crm.ts) into the typed inputs the association service and label rules take. Shapes only:
// which object types the references name, whether the records exist and whether a pair has a
// label are the services' to say (they need the schema and storage).
import { z } from 'zod';
import { CrmError, describeValue, validationError } from '../errors.js';
import type { Source } from '../types.js';
import { parseOptions } from './call-options.js';
import { checkItems, isPlainObject, PAIR_KEYS } from './options.js';
import { readCursor, readLimit } from './paging.js';
import { checkId } from './ids.js';
import { parseProjection } from './search.js';
import { atIndex, checkLabelNames, parseLabels, parseRef, type RecordRef } from './refs.js';
import { API_SOURCE, sourceOf, sourceSchema, parseWriteOptions, type WriteInput } from './source.js';
import { parseArgument } from './zod.js';

export { parseWriteOptions, type WriteInput };

// ---------------------------------------------------------------- associations

/**
 * One pair of associateMany or removeMany.
 *
 * @example
 * const pair: PairInput = { from: { objectType: 'deals', id: 'd1' }, to: { objectType: 'contacts', id: 'c1' }, labels: undefined };
 */
export interface PairInput {
  readonly from: RecordRef;
  readonly to: RecordRef;
  readonly labels: readonly string[] | undefined;
}

/**
 * unlabel's and remove's parsed options: the source, and the company to make primary instead.
 *
 * @example
 * parseRemoveOptions('associations.remove', { newPrimary: other }); // { source: { type: 'API' }, newPrimary: { objectType: 'companies', id } }
 */
export interface RemoveInput {
  readonly source: Source;
  readonly newPrimary: RecordRef | undefined;
}

const removeOptionsSchema = z.looseObject({ source: sourceSchema.optional(), newPrimary: z.unknown().optional() });
const NO_OPTIONS_REMOVE: RemoveInput = Object.freeze({ source: API_SOURCE, newPrimary: undefined });

/**
 * The options of unlabel and remove.
 *
 * @example
 * parseRemoveOptions('associations.unlabel', undefined); // { source: { type: 'API' }, newPrimary: undefined }
 */
export function parseRemoveOptions(call: 'associations.unlabel' | 'associations.remove', options: unknown): RemoveInput {
  const parsed = parseOptions(call, removeOptionsSchema, options);
  if (parsed === undefined) return NO_OPTIONS_REMOVE;
  return { source: sourceOf(parsed.source), newPrimary: parsed.newPrimary === undefined ? undefined : parseRef(parsed.newPrimary, 'newPrimary') };
}

/**
 * unlabel's label names: an array of strings (none is not an option: unlabel takes labels off).
 *
 * @example
 * parseUnlabelLabels(['decision_maker']); // ['decision_maker']
 * parseUnlabelLabels(undefined);          // VALIDATION_ERROR: unlabel expects an array of label names, got undefined
 */
export function parseUnlabelLabels(labels: unknown): readonly string[] {
  if (!Array.isArray(labels)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'labels', message: `unlabel expects an array of label names, got ${describeValue(labels)}` }]);
  }
  checkLabelNames(labels);
  return labels as string[];
}

/**
 * The pairs of associateMany or removeMany: an array of `{ from, to, labels? }` with record
 * references (an error about a pair names its index); removeMany ignores `labels`.
 *
 * @example
 * parsePairs('associations.associateMany', [{ from: deal, to: contact, labels: ['decision_maker'] }]);
 */
export function parsePairs(call: 'associations.associateMany' | 'associations.removeMany', pairs: unknown): PairInput[] {
  checkItems(call, pairs, PAIR_KEYS);
  const name = call === 'associations.associateMany' ? 'associateMany' : 'removeMany';
  if (!Array.isArray(pairs)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', message: `${name} expects an array of { from, to, labels? }, got ${describeValue(pairs)}` }]);
  }
  // A loop, not map: map skips the holes of a sparse array.
  const items: Array<Record<string, unknown>> = [];
  for (let index = 0; index < pairs.length; index++) {
    const pair: unknown = pairs[index];
    if (!isPlainObject(pair)) {
      throw validationError([{ code: 'INVALID_ARGUMENT', index, message: `${name}: pair ${index} must be { from, to, labels? }, got ${describeValue(pair)}` }]);
    }
    items.push(pair);
  }
  // Every reference before any label list (the records are found before labels are read).
  const ends = items.map((pair, index) => {
    try {
      return [refAt(pair.from, index, 'from'), refAt(pair.to, index, 'to')] as const;
    } catch (error) {
      // The reference's own message names its place already.
      if (error instanceof CrmError) error.details.index ??= index;
      throw error;
    }
  });
  return ends.map(([from, to], index) => {
    if (name === 'removeMany') return { from, to, labels: undefined };
    try {
      return { from, to, labels: parseLabels(items[index]!.labels) };
    } catch (error) {
      throw atIndex(error, index);
    }
  });
}

/**
 * One end of pair `index`, parsed as {@link parseRef} does. The place (`pairs[3].from`) is spelled
 * out only when the reference is bad: a batch of thousands of pairs should not build a string
 * per end to throw none of them away.
 */
function refAt(value: unknown, index: number, side: 'from' | 'to'): RecordRef {
  const ref = value as { objectType?: unknown; id?: unknown } | null;
  if (typeof ref === 'object' && ref !== null && typeof ref.objectType === 'string' && typeof ref.id === 'string') {
    checkId(ref.id);
    return { objectType: ref.objectType, id: ref.id };
  }
  return parseRef(value, `pairs[${index}].${side}`);
}

/**
 * A label filter of a listing (`label` of list and listMany): one name or an array of names.
 *
 * @example
 * parseLabelFilter('decision_maker'); // 'decision_maker'
 */
export function parseLabelFilter(label: unknown): string | readonly string[] | undefined {
  if (label === undefined || typeof label === 'string') return label;
  const names: unknown[] = Array.isArray(label) ? label : [label];
  checkLabelNames(names);
  return names as string[];
}

/**
 * associations.list's parsed options.
 *
 * @example
 * parseListOptions({ label: 'decision_maker', limit: 10 });
 */
export interface AssociationListInput {
  readonly label: string | readonly string[] | undefined;
  readonly limit: number;
  readonly after: string | undefined;
  /** Whether each item carries the associated record itself. */
  readonly records: boolean;
  /** The associated records' properties to show (`undefined`: all); only with `records`. */
  readonly properties: readonly string[] | undefined;
}

const listOptionsSchema = z.looseObject({
  label: z.unknown().optional(),
  limit: z.unknown().optional(),
  after: z.unknown().optional(),
  records: z.boolean().optional(),
  properties: z.unknown().optional(),
});
const NO_OPTIONS_LIST: AssociationListInput = Object.freeze({ label: undefined, limit: readLimit(undefined), after: undefined, records: false, properties: undefined });

/**
 * The options of associations.list: the label filter, the page size, the cursor's shape, and
 * whether (and with which properties) the associated records come with the items.
 *
 * @example
 * parseAssociationListOptions(undefined); // { label: undefined, limit: 100, after: undefined, records: false, properties: undefined }
 */
export function parseAssociationListOptions(options: unknown): AssociationListInput {
  const parsed = parseOptions('associations.list', listOptionsSchema, options);
  if (parsed === undefined) return NO_OPTIONS_LIST;
  const properties = parseProjection(parsed.properties);
  if (properties !== undefined && parsed.records !== true) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'properties', message: 'properties chooses what the associated records show: it needs records: true' }]);
  }
  return { label: parseLabelFilter(parsed.label), limit: readLimit(parsed.limit), after: readCursor(parsed.after), records: parsed.records === true, properties };
}

const listManyOptionsSchema = z.looseObject({ label: z.unknown().optional() });

/**
 * listMany's records (an array of references, each named `records[i]`) and label filter.
 *
 * @example
 * parseListMany([contact, other], { label: 'primary' });
 */
export function parseListMany(records: unknown, options: unknown): { records: RecordRef[]; label: string | readonly string[] | undefined } {
  const parsed = parseOptions('associations.listMany', listManyOptionsSchema, options);
  const label = parseLabelFilter(parsed?.label);
  if (!Array.isArray(records)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', message: `listMany expects an array of records, got ${describeValue(records)}` }]);
  }
  return { records: Array.from(records, (record, index) => parseRef(record, `records[${index}]`)), label };
}

/**
 * associations.history's parsed options: the other object type (a name, looked up by the
 * service) and the other record.
 *
 * @example
 * parseHistoryOptions({ with: company }); // { toType: undefined, with: { objectType: 'companies', id } }
 */
export interface HistoryInput {
  readonly toType: string | undefined;
  readonly with: RecordRef | undefined;
}

// toType is an object type name: any value that names none is UNKNOWN_OBJECT_TYPE (the service's).
const historyOptionsSchema = z.looseObject({ toType: z.unknown().optional(), with: z.unknown().optional() });

/**
 * The options of associations.history.
 *
 * @example
 * parseHistoryOptions({ toType: 'companies' });
 */
export function parseHistoryOptions(options: unknown): HistoryInput {
  const parsed = parseOptions('associations.history', historyOptionsSchema, options);
  return {
    toType: parsed?.toType as string | undefined,
    with: parsed?.with === undefined ? undefined : parseRef(parsed.with, 'with'),
  };
}

/**
 * crm.timeline's parsed options: the page size and the cursor's shape.
 *
 * @example
 * parseTimelineOptions({ limit: 20 }); // { limit: 20, after: undefined }
 */
export interface PageInput {
  readonly limit: number;
  readonly after: string | undefined;
}

const timelineOptionsSchema = z.looseObject({ limit: z.unknown().optional(), after: z.unknown().optional() });

/**
 * The options of crm.timeline.
 *
 * @example
 * parseTimelineOptions(undefined); // { limit: 100, after: undefined }
 */
export function parseTimelineOptions(options: unknown): PageInput {
  const parsed = parseOptions('timeline', timelineOptionsSchema, options);
  return { limit: readLimit(parsed?.limit), after: readCursor(parsed?.after) };
}

// ---------------------------------------------------------------- labels and pairs

/**
 * What a label or pair limit may be, as messages say it.
 *
 * @example
 * `limit must be ${LIMIT_RULE}`;
 */
export const LIMIT_RULE = "'one', 'many' or a whole number from 1 to 10,000";
/** Every way a limit can be wrong gets one message: what was given and what is allowed. */
const limitError = (issue: { input?: unknown }): string => `must be ${LIMIT_RULE}, got ${describeValue(issue.input)}`;
const limitSchema = z.union(
  [
    z.literal('one'),
    z.literal('many'),
    z
      .number({ error: limitError })
      .int({ error: limitError })
      .min(1, { error: limitError })
      .max(10_000, { error: limitError }),
  ],
  { error: limitError },
);
const displayLabel = z.string().trim().min(1).max(100);

const labelInputSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  label: displayLabel,
  name: z.string().optional(),
  inverseLabel: displayLabel.optional(),
  limit: limitSchema.optional(),
  inverseLimit: limitSchema.optional(),
});

/**
 * createLabel's input, parsed.
 *
 * @example
 * const input: LabelInputParsed = parseLabelInput({ from: 'deals', to: 'contacts', label: 'Decision maker' });
 */
export type LabelInputParsed = z.output<typeof labelInputSchema>;

const labelPatchSchema = z.strictObject({
  label: displayLabel.optional(),
  inverseLabel: displayLabel.optional(),
  name: z.string().optional(),
  inverseName: z.string().optional(),
  limit: limitSchema.optional(),
  inverseLimit: limitSchema.optional(),
});

/**
 * updateLabel's patch, parsed.
 *
 * @example
 * const patch: LabelPatchParsed = parseLabelPatch({ label: 'Champion' });
 */
export type LabelPatchParsed = z.output<typeof labelPatchSchema>;

const pairOptionsSchema = z.strictObject({ limit: limitSchema.optional(), inverseLimit: limitSchema.optional() }).optional();

/**
 * defineAssociation's options, parsed (`undefined` when none).
 *
 * @example
 * parsePairOptions({ limit: 'one' }); // { limit: 'one' }
 */
export type PairOptionsParsed = z.output<typeof pairOptionsSchema>;

/**
 * createLabel's input: the pair, the display label(s), an optional name and caps.
 *
 * @example
 * parseLabelInput({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
 */
export function parseLabelInput(input: unknown): LabelInputParsed {
  return parseArgument(labelInputSchema, input, 'createLabel');
}

/**
 * updateLabel's patch: display labels and caps (names are accepted to be compared, never changed).
 *
 * @example
 * parseLabelPatch({ label: 'Champion' });
 */
export function parseLabelPatch(patch: unknown): LabelPatchParsed {
  return parseArgument(labelPatchSchema, patch, 'updateLabel');
}

/**
 * defineAssociation's options: the pair's caps.
 *
 * @example
 * parsePairOptions(undefined); // undefined
 */
export function parsePairOptions(options: unknown): PairOptionsParsed {
  return parseArgument(pairOptionsSchema, options, 'defineAssociation');
}

const updateAssociatedChangeSchema = z.strictObject({
  set: z.record(z.string(), z.unknown()).optional(),
  clear: z.array(z.string()).max(1_000).optional(),
  copy: z.strictObject({ from: z.string(), to: z.string() }).optional(),
});

const updateAssociatedOptionsSchema = z
  .strictObject({
    labels: z.array(z.string()).min(1, 'give at least one label, or leave labels out for every association').max(100).optional(),
    source: sourceSchema.optional(),
  })
  .optional();

/**
 * updateAssociated's change, parsed: what to set, clear and copy; at least one of them, and no
 * property named twice.
 *
 * @example
 * const change: UpdateAssociatedChange = { set: { hs_lead_status: 'OPEN' }, clear: [], copy: undefined };
 */
export interface UpdateAssociatedChange {
  readonly set: Readonly<Record<string, unknown>>;
  readonly clear: readonly string[];
  readonly copy: { readonly from: string; readonly to: string } | undefined;
}

/**
 * updateAssociated's change and options: VALIDATION_ERROR for a bad shape, a change that changes
 * nothing, or a property set, cleared or copied to twice. Labels are names seen from the record.
 *
 * @example
 * parseUpdateAssociated({ copy: { from: 'hs_lead_status', to: 'hs_lead_status' } }, { labels: ['decision_maker'] });
 */
export function parseUpdateAssociated(change: unknown, options: unknown): { change: UpdateAssociatedChange; labels: readonly string[] | undefined; source: Source } {
  const parsed = parseArgument(updateAssociatedChangeSchema, change, 'associations.updateAssociated change');
  const { labels, source } = parseArgument(updateAssociatedOptionsSchema, options, 'associations.updateAssociated') ?? {};
  const set = parsed.set ?? {};
  const clear = parsed.clear ?? [];
  const targets = [...Object.keys(set), ...clear, ...(parsed.copy ? [parsed.copy.to] : [])];
  if (targets.length === 0) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'change', message: 'updateAssociated needs something to change: set, clear or copy' }]);
  }
  const twice = targets.find((name, at) => targets.indexOf(name) !== at);
  if (twice !== undefined) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: twice, message: `${twice} is named twice among set, clear and copy.to: say once what it becomes` }]);
  }
  return { change: { set, clear, copy: parsed.copy }, labels, source: sourceOf(source ?? { type: 'JOB' }) };
}
