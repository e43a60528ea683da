// The record service: each operation reads what it needs from storage, calls the rules, and
// writes, inside the transaction its TxContext belongs to. Nothing here opens a transaction.
import { produce } from 'immer';
import type { TxContext } from '../schema/transaction.js';
import { CrmError, culprit, describeValue, issueOf, IssueList, validationError, type DuplicateConflict, type ValidationIssue } from '../errors.js';
import { decodeCursor, toPage } from '../kernel/paging.js';
import { ID_PROPERTY, type KeySpec, type ObjectModel } from '../schema/model.js';
import type { Awaitable, HistoryEntry, KeyConflict, StoredRecord } from '../storage/types.js';
import { isThenable } from '../kernel/awaitable.js';
import { allMatches } from '../storage/evaluate.js';
import type { Predicate } from '../storage/plan.js';
import { indexBeforeFirstRecord, planProperty } from '../schema/indexes.js';
import type {
  CrmRecord,
  ObjectTypeDefinition,
  Page,
  Properties,
  PropertiesInput,
  PropertyHistoryEntry,
  PropertyInput,
  PropertyValue,
  Source,
  UpdateRecipe,
} from '../types.js';
import { collectKeys, keyChanges, PURGED_EMAIL_KEY, recordKeys, type RecordKey } from './keys.js';
import {
  applyChanges,
  checkNewRecord,
  checkUpdatedRecord,
  effectiveChanges,
  isPlainObject,
  normaliseInput,
  recipeChanges,
  requestBodyIssue,
  type Changes,
} from './rules.js';
import { leaveLists } from './lists.js';
import { recordArchived, recordPurged, recordRestored, recordsCreated, recordUpdated } from '../associations/lifecycle.js';
import { releaseMergedIds, survivorOf } from './merge.js';
import { activeModel, checkId, findLiveRecord, findRecord, readProjection, shown, visible } from '../schema/lookup.js';
import { parseId } from '../arguments/ids.js';
import type { CreateInput, GetInput, ListInput, UpsertInput, WriteInput } from '../arguments/records.js';
import type { ObjectPatchInput } from '../arguments/schema.js';
import { Invalid } from '../schema/values.js';
import { updateObjectType } from '../schema/service.js';
import { fitChangedRecord, fitNewRecord } from './pipeline-fit.js';
import { derivesOwnValues, movesOwnValues, ownValues, putOwnValues, withoutOwnValues, type OwnValues } from './own-values.js';
import { checkCommerceValues } from './line-item-rules.js';
import { AMOUNT, LINE_ITEMS } from '../derived/line-items.js';
import { CALCULATED_SOURCE } from '../derived/properties.js';

// ---------------------------------------------------------------- dedup keys

function duplicateError(model: ObjectModel, conflicts: DuplicateConflict[], batch: boolean): CrmError {
  conflicts.sort((a, b) => a.index - b.index);
  const first = conflicts[0]!;
  const existingId = conflicts.find((conflict) => conflict.existingId !== undefined)?.existingId;
  const message = batch
    ? `${conflicts.length} input${conflicts.length === 1 ? '' : 's'} would duplicate a ${model.name} dedup key (first: input ${first.index}, ${first.property} ${describeValue(first.value)})`
    : `A ${model.name} record with ${first.property} ${describeValue(first.value)} already exists (id ${first.existingId})`;
  return new CrmError('DUPLICATE_RECORD', message, {
    objectType: model.name,
    ...(existingId !== undefined ? { existingId } : {}),
    conflicts,
  });
}

/**
 * Claims keys for new or changed records; DUPLICATE_RECORD listing every record that collides,
 * with an existing record or with an earlier record of the same batch (storage grants claims
 * in order, so a later input finds the earlier one holding the key). `ids` are the records'
 * ids in input order.
 */
function claimKeys(ctx: TxContext, model: ObjectModel, keys: RecordKey[], ids: readonly string[], batch: boolean): Promise<void> | undefined {
  if (keys.length === 0) return undefined;
  const answer = ctx.tx.claimKeys(model.name, keys);
  // Every key granted at once, the common case: nothing to wait for.
  if (!isThenable(answer) && answer.length === 0) return undefined;
  return refuseConflicts(model, keys, ids, batch, answer);
}

/**
 * Rejects with DUPLICATE_RECORD for the claims storage refused, if any. Async even when the
 * answer is a value: the error is then made after a turn of the microtask queue, on a short
 * stack. Thrown at once, from deep in the caller's stack, a duplicate (a common, expected
 * failure) took 1.7 times as long (V8 records the stack when the error is made).
 */
async function refuseConflicts(model: ObjectModel, keys: RecordKey[], ids: readonly string[], batch: boolean, answer: Awaitable<KeyConflict[]>): Promise<void> {
  const refused = await answer;
  if (refused.length === 0) return;
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const conflicts = refused.map(({ index, existingId }): DuplicateConflict => {
    const key = keys[index]!;
    const earlier = indexOf.get(existingId);
    return {
      index: indexOf.get(key.id) ?? 0,
      property: key.property,
      value: key.value,
      ...(earlier === undefined ? { existingId } : { conflictsWithIndex: earlier }),
    };
  });
  throw duplicateError(model, conflicts, batch);
}

/** EMAIL_BLOCKED for every email a purge has blocked (option blockPurgedEmails; callers check it, sparing an await). */
async function checkBlockedEmails(ctx: TxContext, model: ObjectModel, keys: RecordKey[], ids: readonly string[], batch: boolean): Promise<void> {
  if (model.doc.dedupKey?.format !== 'email') return;
  const emails = keys.filter((key) => key.key === model.doc.dedupKey!.property);
  if (emails.length === 0) return;
  const holders = await ctx.tx.lookupKeys(model.name, PURGED_EMAIL_KEY, emails.map((key) => key.value));
  const issues = new IssueList();
  holders.forEach((holder, at) => {
    if (holder === undefined) return;
    if (!issues.listing) return issues.countOnly();
    const key = emails[at]!;
    const index = batch ? ids.indexOf(key.id) : undefined;
    issues.add({
      code: 'EMAIL_BLOCKED',
      property: key.property,
      ...(index !== undefined ? { index } : {}),
      message: `${index !== undefined ? `input ${index}: ` : ''}${key.value} belonged to a purged contact and is blocked from reuse`,
    });
  });
  if (issues.length > 0) throw issues.error(model.name);
}

// ---------------------------------------------------------------- history and events

function historyEntry(model: ObjectModel, id: string, timestamp: string, source: Source, values: Readonly<Record<string, unknown>>): HistoryEntry {
  return { objectType: model.name, id, timestamp, source, values };
}

// ---------------------------------------------------------------- derived values


/** READ_ONLY_VALUE on a deal's amount while line items feed it (option dealAmountFromLineItems). */
function amountFedIssue(model: ObjectModel, index: number | undefined): ValidationIssue {
  return {
    code: 'READ_ONLY_VALUE',
    property: AMOUNT,
    ...(index === undefined ? {} : { index }),
    message: `${index === undefined ? '' : `input ${index}: `}${model.name}.${AMOUNT} is the sum of the deal's line items while it has any (createCrm({ dealAmountFromLineItems: true })): edit the line items instead`,
  };
}

/** Whether the deal has a live line item, so its amount is theirs (option dealAmountFromLineItems). */
async function amountFedByLineItems(ctx: TxContext, model: ObjectModel, id: string): Promise<boolean> {
  const [edges] = await ctx.tx.getEdges(model.name, [id], LINE_ITEMS);
  return edges!.some((edge) => !edge.archived);
}

/** Whether a create's associations give its new deals line items, so their amount is not theirs to write. */
function createsFedAmount(ctx: TxContext, model: ObjectModel, associations: CreateInput['associations']): boolean {
  return ctx.options.dealAmountFromLineItems && model.name === 'deals' && associations.some((association) => ctx.schema.find(association.to.objectType)?.name === LINE_ITEMS);
}

// ---------------------------------------------------------------- create

function newId(ctx: TxContext): string {
  const id = ctx.options.ids();
  checkId(id);
  return id;
}

/**
 * Creates records atomically: every input is validated (every bad property of every input in
 * one VALIDATION_ERROR), every dedup conflict is reported (one DUPLICATE_RECORD), and only then
 * is anything written.
 */
export async function createRecords(
  ctx: TxContext,
  objectType: string,
  inputs: readonly PropertiesInput[],
  { source, associations }: CreateInput,
  batch: boolean,
): Promise<CrmRecord[]> {
  const model = activeModel(ctx, objectType);
  const issues = new IssueList();
  const valuesList: Changes[] = new Array(inputs.length);
  const { createdDateProperty, modifiedDateProperty } = model.doc;
  const system = [ID_PROPERTY, createdDateProperty, modifiedDateProperty];
  for (let index = 0; index < inputs.length; index++) {
    const at = batch ? index : undefined;
    const values = normaliseInput(model, inputs[index], at, issues, false, system);
    if (values) {
      checkNewRecord(model, values, inputs[index]!, at, issues);
      fitNewRecord(model, values, inputs[index]!, at, issues);
      checkCommerceValues(model, undefined, values, at, issues);
      if (values[AMOUNT] !== undefined && createsFedAmount(ctx, model, associations)) issues.add(amountFedIssue(model, at));
      valuesList[index] = values;
    }
  }
  if (issues.length > 0) throw issues.error(model.name);
  if (inputs.length === 0) return [];

  // Keys are claimed before the clock is read or records are built: a duplicate, the common
  // failure, then costs as little as possible.
  const ids: string[] = new Array(inputs.length);
  const keys: RecordKey[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const id = newId(ctx);
    ids[index] = id;
    collectKeys(model.keys, valuesList[index]!, id, keys);
  }
  if (ctx.options.blockPurgedEmails) await checkBlockedEmails(ctx, model, keys, ids, batch);
  // Every write of every user takes this path: storage answers that are values are not awaited
  // (kernel/awaitable.ts), here and below.
  const claiming = claimKeys(ctx, model, keys, ids, batch);
  if (claiming) await claiming;

  const now = ctx.now();
  const records: StoredRecord[] = new Array(inputs.length);
  // The values a new record derives from its own (a deal's stage flags, a line item's amount), kept apart for history's CALCULATED entry.
  const derived: (OwnValues | undefined)[] | undefined = derivesOwnValues(model) ? new Array(inputs.length) : undefined;
  for (let index = 0; index < inputs.length; index++) {
    const id = ids[index]!;
    // The normalised values become the stored properties: no copy per record.
    const properties = valuesList[index]!;
    properties[ID_PROPERTY] = id;
    properties[createdDateProperty] = now;
    properties[modifiedDateProperty] = now;
    if (derived) derived[index] = putOwnValues(properties, ownValues(model, undefined, properties, now));
    Object.freeze(properties);
    records[index] = Object.freeze({ id, objectType: model.name, properties, createdAt: now, updatedAt: now, archived: false });
  }
  const indexing = indexBeforeFirstRecord(ctx, model);
  if (indexing) await indexing;
  const inserting = ctx.tx.insertRecords(records);
  const taken = isThenable(inserting) ? await inserting : inserting;
  if (taken.length > 0) {
    throw new CrmError('CONFLICT', `The id generator returned ${JSON.stringify(taken[0])}, which is already in use`, { objectType: model.name, id: taken[0] });
  }
  if (ctx.options.history) {
    const entries: HistoryEntry[] = new Array(records.length);
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      const calculated = derived?.[index];
      entries[index] = historyEntry(model, record.id, now, source, calculated ? withoutOwnValues(record.properties, calculated) : record.properties);
      if (calculated) entries.push(historyEntry(model, record.id, now, CALCULATED_SOURCE, calculated));
    }
    const appending = ctx.tx.appendHistory(entries);
    if (isThenable(appending)) await appending;
  }
  if (ctx.events) for (const record of records) ctx.emit({ type: 'record.created', objectType: model.name, id: record.id, record, source });
  const following = recordsCreated(
    ctx,
    records.map((record) => ({ model, record })),
    associations,
    source,
  );
  if (following) await following;
  // Most calls have no follow-up work: the records as they are, without another promise to settle.
  return ctx.hasCallWork ? settledRecords(ctx, model, records) : records;
}

/** The records as they stand once the call's own follow-up work (calculated properties) is done; callers ask only when there is some (`ctx.hasCallWork`). */
async function settledRecords(ctx: TxContext, model: ObjectModel, records: StoredRecord[]): Promise<StoredRecord[]> {
  await ctx.finishCall();
  const current = await ctx.tx.getRecords(model.name, records.map((record) => record.id));
  return current.map((record, at) => record ?? records[at]!);
}

/** One record as it stands once the call's follow-up work is done (see {@link settledRecords}). */
async function settledRecord(ctx: TxContext, model: ObjectModel, record: StoredRecord): Promise<StoredRecord> {
  return (await settledRecords(ctx, model, [record]))[0]!;
}

// ---------------------------------------------------------------- read

/** One record by id: live only, unless `archived` is asked for. */
export async function getRecord(ctx: TxContext, objectType: string, id: string, { archived, properties }: GetInput): Promise<CrmRecord | undefined> {
  const model = ctx.schema.object(objectType);
  const projection = readProjection(model, properties);
  // A merged id answers its survivor.
  const [record] = await ctx.tx.getRecords(model.name, [id]);
  const found = record ?? (await survivorOf(ctx, model, id));
  if (!found || (found.archived && !archived)) return undefined;
  return shown(model, found, projection);
}

/**
 * Live records by id, in the ids' order, in one storage read: an id with no live record (none,
 * archived, purged) is listed in `missing` instead. A merged id answers its survivor, once per
 * id asked for.
 */
export async function getManyRecords(
  ctx: TxContext,
  objectType: string,
  ids: readonly string[],
  properties: readonly string[] | undefined,
): Promise<{ results: CrmRecord[]; missing: string[] }> {
  const model = ctx.schema.object(objectType);
  const projection = readProjection(model, properties);
  const found = ids.length === 0 ? [] : await ctx.tx.getRecords(model.name, ids);
  const results: CrmRecord[] = [];
  const missing: string[] = [];
  for (let at = 0; at < ids.length; at++) {
    const record = found[at] ?? (await survivorOf(ctx, model, ids[at]!));
    if (!record || record.archived) missing.push(ids[at]!);
    else results.push(shown(model, record, projection));
  }
  return { results, missing };
}

/** UNKNOWN_PROPERTY unless `property` names a live (unarchived) property of `model`. */
function liveProperty(model: ObjectModel, property: unknown): asserts property is string {
  if (typeof property !== 'string' || model.properties.get(property)?.doc.archived !== false) {
    throw new CrmError('UNKNOWN_PROPERTY', `${model.name} has no property ${describeValue(property)}`, {
      objectType: model.name,
      property: culprit(property),
    });
  }
}

/** The dedup key a property looks records up by, or VALIDATION_ERROR when it is not unique. */
function keyFor(model: ObjectModel, property: string): KeySpec {
  const key = model.keys.find((candidate) => candidate.property === property || candidate.listProperty === property);
  if (!key) {
    throw validationError([
      { code: 'NOT_A_UNIQUE_PROPERTY', property, message: `${model.name}.${property} is not a unique property, so it cannot identify a record` },
    ]);
  }
  return key;
}

/** The normalised key value a caller's value stands for. */
function keyValue(model: ObjectModel, key: KeySpec, input: unknown): string {
  const value = model.properties.get(key.property)!.normalise(input);
  if (value instanceof Invalid) throw validationError([issueOf(value.code, value.facts, { property: key.property, message: `${key.property}: ${value.message}` })]);
  if (value === null) throw validationError([{ code: 'REQUIRED', property: key.property, message: `a ${key.property} value is needed to look a record up` }]);
  return String(value as Exclude<PropertyValue, null>);
}

/** What getBy reads by id: the live record, every property. */
const LIVE_ONLY: GetInput = Object.freeze({ archived: false, properties: undefined });

/** One live record by any unique property (hs_object_id, email, domain, a unique custom property). */
export async function getRecordBy(ctx: TxContext, objectType: string, property: string, value: PropertyInput): Promise<CrmRecord | undefined> {
  const model = ctx.schema.object(objectType);
  liveProperty(model, property);
  // The value of hs_object_id is a record id (as a number too): checked as ids are.
  if (property === ID_PROPERTY) return getRecord(ctx, objectType, parseId(typeof value === 'number' ? String(value) : value), LIVE_ONLY);
  const key = keyFor(model, property);
  const [id] = await ctx.tx.lookupKeys(model.name, key.name, [keyValue(model, key, value)]);
  if (id === undefined) return undefined;
  // Only live records hold keys, so the holder is live.
  const [record] = await ctx.tx.getRecords(model.name, [id]);
  return record && visible(model, record);
}

/** A page of records in creation order; archived ones only when asked for. */
export async function listRecords(ctx: TxContext, objectType: string, { limit, after: cursor, archived, properties }: ListInput): Promise<Page<CrmRecord>> {
  const model = ctx.schema.object(objectType);
  const projection = readProjection(model, properties);
  const after = cursor === undefined ? undefined : decodeCursor(ctx.engine.cursors, model.name, cursor);
  const { records, after: next } = await ctx.tx.scanRecords(model.name, {
    limit,
    archived,
    ...(after !== undefined ? { after } : {}),
  });
  return toPage(
    records.map((record) => shown(model, record, projection)),
    ctx.engine.cursors,
    model.name,
    next,
  );
}

/** A property's history, newest first (archived records included). */
export async function propertyHistory(ctx: TxContext, objectType: string, id: string, property: string): Promise<PropertyHistoryEntry[]> {
  const model = ctx.schema.object(objectType);
  if (typeof property !== 'string' || !model.properties.has(property)) {
    throw new CrmError('UNKNOWN_PROPERTY', `${model.name} has no property ${describeValue(property)}`, { objectType: model.name, property: culprit(property) });
  }
  const record = await findRecord(ctx, model, id);
  const entries = await ctx.tx.readHistory(model.name, record.id);
  const result: PropertyHistoryEntry[] = [];
  for (let at = entries.length - 1; at >= 0; at--) {
    const entry = entries[at]!;
    if (!Object.hasOwn(entry.values, property)) continue;
    result.push({
      value: (entry.values[property] as PropertyValue | undefined) ?? null,
      timestamp: entry.timestamp,
      sourceType: entry.source.type,
      ...(entry.source.id !== undefined ? { sourceId: entry.source.id } : {}),
      ...(entry.source.label !== undefined ? { sourceLabel: entry.source.label } : {}),
    });
  }
  return result;
}

// ---------------------------------------------------------------- update and upsert

/** Applies a patch (or an immer recipe) to a live record. A patch that changes nothing writes nothing. */
export async function updateRecord(
  ctx: TxContext,
  objectType: string,
  id: string,
  patch: PropertiesInput | UpdateRecipe,
  { source }: WriteInput,
): Promise<CrmRecord> {
  const model = activeModel(ctx, objectType);
  const current = await findLiveRecord(ctx, model, id);
  const input = typeof patch === 'function' ? recipeChanges(model, current.properties, produce(current.properties, patch) as Properties) : patch;
  return writeChanges(ctx, model, current, input, source);
}

async function writeChanges(ctx: TxContext, model: ObjectModel, current: StoredRecord, input: unknown, source: Source): Promise<CrmRecord> {
  const issues = new IssueList();
  const values = normaliseInput(model, input, undefined, issues, true);
  const changes = values ? effectiveChanges(current.properties, values) : {};
  checkUpdatedRecord(model, current.properties, changes, issues);
  fitChangedRecord(model, current.properties, changes, issues);
  checkCommerceValues(model, current.properties, changes, undefined, issues);
  if (ctx.options.dealAmountFromLineItems && model.name === 'deals' && Object.hasOwn(changes, AMOUNT) && (await amountFedByLineItems(ctx, model, current.id))) {
    issues.add(amountFedIssue(model, undefined));
  }
  if (issues.length > 0) throw issues.error(`${model.name} ${current.id}`);
  if (Object.keys(changes).length === 0) return visible(model, current);

  const now = ctx.now();
  const system = { [model.doc.modifiedDateProperty]: now };
  let properties = applyChanges(current.properties, changes, system);
  let calculated: OwnValues | undefined;
  if (movesOwnValues(model, changes)) {
    calculated = ownValues(model, current.properties, properties, now);
    if (Object.keys(calculated).length > 0) properties = applyChanges(properties, calculated, {});
    else calculated = undefined;
  }
  // Most updates touch no key property: then there are no keys to compare.
  if (Object.keys(changes).some((name) => model.keyProperties.has(name))) {
    const { added, removed } = keyChanges(recordKeys(model.keys, current.properties, current.id), recordKeys(model.keys, properties, current.id));
    if (removed.length > 0) await ctx.tx.releaseKeys(model.name, removed);
    if (added.length > 0) {
      if (ctx.options.blockPurgedEmails) await checkBlockedEmails(ctx, model, added, [current.id], false);
      await claimKeys(ctx, model, added, [current.id], false);
    }
  }
  const record: StoredRecord = Object.freeze({ ...current, properties, updatedAt: now });
  await ctx.tx.updateRecords([record]);
  if (ctx.options.history) {
    const entries = [historyEntry(model, record.id, now, source, Object.freeze({ ...changes, ...system }))];
    if (calculated) entries.push(historyEntry(model, record.id, now, CALCULATED_SOURCE, Object.freeze(calculated)));
    await ctx.tx.appendHistory(entries);
  }
  ctx.emit({ type: 'record.updated', objectType: model.name, id: record.id, record, changes, source });
  if (calculated) ctx.emit({ type: 'record.updated', objectType: model.name, id: record.id, record, changes: calculated, source: CALCULATED_SOURCE });
  // The derived values are changes of the record too: a line item's amount feeds its deal's.
  await recordUpdated(ctx, { model, record }, calculated ? { ...changes, ...calculated } : changes);
  return visible(model, ctx.hasCallWork ? await settledRecord(ctx, model, record) : record);
}

/** The default identifying property of upsert: the dedup key, else the record id. */
function defaultIdProperty(model: ObjectModel): string {
  return model.keys[0]?.property ?? ID_PROPERTY;
}

/** Updates the live record `properties[idProperty]` identifies, or creates one. */
export async function upsertRecord(
  ctx: TxContext,
  objectType: string,
  properties: PropertiesInput,
  input: UpsertInput,
): Promise<{ record: CrmRecord; created: boolean }> {
  const model = activeModel(ctx, objectType);
  const { source } = input;
  const idProperty = input.idProperty ?? defaultIdProperty(model);
  liveProperty(model, idProperty);
  if (!isPlainObject(properties)) {
    throw validationError([{ code: 'INVALID_PROPERTIES', message: `expected an object of properties, got ${describeValue(properties)}` }]);
  }
  const given = properties;
  const wrapped = requestBodyIssue(model, given, undefined);
  if (wrapped) throw validationError([wrapped], model.name);
  const value = Object.hasOwn(given, idProperty) ? given[idProperty] : undefined;
  if (value === undefined || value === null || value === '') {
    throw validationError([{ code: 'REQUIRED', property: idProperty, message: `upsert needs a value for ${idProperty}, the property that identifies the record` }]);
  }

  if (idProperty === ID_PROPERTY) {
    const { [ID_PROPERTY]: _id, ...rest } = given;
    const existing = await findLiveRecord(ctx, model, parseId(typeof value === 'number' ? String(value) : value));
    return { record: await writeChanges(ctx, model, existing, rest, source), created: false };
  }
  const key = keyFor(model, idProperty);
  const [id] = await ctx.tx.lookupKeys(model.name, key.name, [keyValue(model, key, value)]);
  if (id === undefined) {
    const [record] = await createRecords(ctx, model.name, [given], { source, associations: [] }, false);
    return { record: record!, created: true };
  }
  const existing = await findLiveRecord(ctx, model, id);
  return { record: await writeChanges(ctx, model, existing, given, source), created: false };
}

// ---------------------------------------------------------------- archive, restore, purge

/** Archives a live record (a soft delete): it leaves lists and frees its dedup keys. Archiving an archived record changes nothing. */
export async function archiveRecord(ctx: TxContext, objectType: string, id: string, { source }: WriteInput): Promise<void> {
  const model = ctx.schema.object(objectType);
  const current = await findRecord(ctx, model, id);
  if (current.archived) return;
  const now = ctx.now();
  await ctx.tx.releaseKeys(model.name, recordKeys(model.allKeys, current.properties, current.id));
  const archived: StoredRecord = Object.freeze({ ...current, archived: true, archivedAt: now, updatedAt: now });
  await ctx.tx.updateRecords([archived]);
  await leaveLists(ctx.tx, model.name, [current.id]);
  ctx.emit({ type: 'record.archived', objectType: model.name, id: current.id, source });
  await recordArchived(ctx, { model, record: archived });
}

/** Restores an archived record; DUPLICATE_RECORD when a live record has taken one of its keys meanwhile. */
export async function restoreRecord(ctx: TxContext, objectType: string, id: string, { source }: WriteInput): Promise<CrmRecord> {
  const model = activeModel(ctx, objectType);
  const current = await findRecord(ctx, model, id);
  if (!current.archived) return visible(model, current);
  await claimKeys(ctx, model, recordKeys(model.keys, current.properties, current.id), [current.id], false);
  const { archivedAt: _archivedAt, ...rest } = current;
  const record: StoredRecord = Object.freeze({ ...rest, archived: false, updatedAt: ctx.now() });
  await ctx.tx.updateRecords([record]);
  ctx.emit({ type: 'record.restored', objectType: model.name, id: record.id, record, source });
  await recordRestored(ctx, { model, record });
  return visible(model, ctx.hasCallWork ? await settledRecord(ctx, model, record) : record);
}

/** Deletes a record for good, with its history; its keys become free (or, for blocked emails, stay blocked). */
export async function purgeRecord(ctx: TxContext, objectType: string, id: string, { source }: WriteInput): Promise<void> {
  const model = ctx.schema.object(objectType);
  const current = await findRecord(ctx, model, id);
  const keys = recordKeys(model.allKeys, current.properties, current.id);
  await ctx.tx.releaseKeys(model.name, keys);
  if (ctx.options.blockPurgedEmails && model.doc.dedupKey?.format === 'email') {
    const emails = keys.filter((key) => key.key === model.doc.dedupKey!.property);
    // A blocked email stays blocked by whoever was purged first; claiming again is harmless.
    await ctx.tx.claimKeys(
      model.name,
      emails.map((key) => ({ key: PURGED_EMAIL_KEY, value: key.value, id: current.id })),
    );
  }
  await recordPurged(ctx, { model, record: current });
  await releaseMergedIds(ctx, model, current);
  await leaveLists(ctx.tx, model.name, [current.id]);
  await ctx.tx.deleteRecords(model.name, [current.id]);
  ctx.emit({ type: 'record.purged', objectType: model.name, id: current.id, source });
}

// ---------------------------------------------------------------- dedup switch

/**
 * Turns an object type's email/domain key on or off for the records it already has: off
 * releases every claim; on claims every live record's keys, and refuses (DUPLICATE_RECORD,
 * every conflict listed) when two live records share one.
 */
/**
 * crm.schema.updateObject: the schema change, then, when it turned the dedup key on or off, every
 * record's key claimed (DUPLICATE_RECORD naming each clash) or released, in the same transaction.
 */
export async function updateObject(ctx: TxContext, objectType: string, patch: ObjectPatchInput): Promise<ObjectTypeDefinition> {
  const { model, dedup } = await updateObjectType(ctx, objectType, patch);
  if (dedup) await rekeyRecords(ctx, model, dedup === 'on');
  return model.definition;
}

async function rekeyRecords(ctx: TxContext, model: ObjectModel, turnedOn: boolean): Promise<void> {
  const specs = model.allKeys.filter((key) => key.name === model.doc.dedupKey?.property);
  const keys: RecordKey[] = [];
  const ids: string[] = [];
  // Only the records holding a value of the key's properties: a search, so that a SQL storage
  // reads those rather than every record.
  const held: Predicate[] = [];
  for (const spec of specs) {
    for (const name of [spec.property, spec.listProperty]) {
      const property = name === undefined ? undefined : model.property(name);
      if (property) held.push({ kind: 'present', property: planProperty(model, property) });
    }
  }
  for await (const records of allMatches(ctx.tx, { objectType: model.name, where: { kind: 'or', of: held }, sorts: [], limit: 1_000, total: false })) {
    for (const record of records) {
      ids.push(record.id);
      collectKeys(specs, record.properties, record.id, keys);
    }
  }
  if (!turnedOn) {
    await ctx.tx.releaseKeys(model.name, keys);
    return;
  }
  const refused = await ctx.tx.claimKeys(model.name, keys);
  if (refused.length === 0) return;
  // Name the records that share a key: the one refused and the one that holds it.
  const conflicts = refused.map(({ index, existingId }) => {
    const key = keys[index]!;
    return { index: ids.indexOf(key.id), id: key.id, existingId, property: key.property, value: key.value };
  });
  const first = conflicts[0]!;
  throw new CrmError(
    'DUPLICATE_RECORD',
    `${model.name}'s ${first.property} key cannot be turned back on: ${conflicts.length} live record${conflicts.length === 1 ? '' : 's'} share a value with another (first: ${first.property} ${describeValue(first.value)}, records ${first.existingId} and ${first.id})`,
    { objectType: model.name, existingId: first.existingId, conflicts },
  );
}
