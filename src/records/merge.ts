// Merging two records of one type (docs/associations.md "Merge"): the survivor keeps its id and
// its values, takes the merged record's values where it has none, its email or domain as an
// additional one, and all its associations; the merged id resolves to the survivor from then on.
import { moveLists } from './lists.js';
import { recordMerged } from '../associations/lifecycle.js';
import { isCalculated } from '../derived/properties.js';
import { isStageDerived } from '../derived/stage.js';
import type { TxContext } from '../schema/transaction.js';
import { CrmError, IssueList, validationError } from '../errors.js';
import { ID_PROPERTY, MERGED_IDS_PROPERTY, type ObjectModel } from '../schema/model.js';
import type { StoredRecord } from '../storage/types.js';
import type { CrmRecord, Properties, PropertyValue, Source } from '../types.js';
import { keyChanges, recordKeys } from './keys.js';
import { activeModel, findLiveRecord, visible } from '../schema/lookup.js';
import type { WriteInput } from '../arguments/records.js';
import { checkCommerceValues } from './line-item-rules.js';
import type { Changes } from './rules.js';
import { movesOwnValues, ownValues } from './own-values.js';
import { CALCULATED_SOURCE } from '../derived/properties.js';


/** The key namespace that maps a merged record's id to its survivor. */
export const MERGED_ID_KEY = '$merged';

function splitList(value: PropertyValue | undefined): string[] {
  return typeof value === 'string' && value !== '' ? value.split(';') : [];
}

/** The survivor's new values: its own, the merged record's where it has none, and the merged key values as additional ones. */
export function mergedProperties(model: ObjectModel, primary: StoredRecord, merged: StoredRecord): Properties {
  const system = new Set([ID_PROPERTY, model.doc.createdDateProperty, model.doc.modifiedDateProperty, MERGED_IDS_PROPERTY]);
  const changes: Properties = {};
  for (const [name, value] of Object.entries(merged.properties)) {
    if (system.has(name) || isCalculated(name) || isStageDerived(model, name) || Object.hasOwn(primary.properties, name)) continue;
    const property = model.properties.get(name);
    if (!property || property.doc.archived) continue;
    changes[name] = value;
  }
  const key = model.doc.dedupKey;
  if (key?.listProperty) {
    const main = (changes[key.property] ?? primary.properties[key.property]) as string | undefined;
    const list = splitList(primary.properties[key.listProperty]);
    for (const value of [merged.properties[key.property], ...splitList(merged.properties[key.listProperty])]) {
      if (typeof value === 'string' && value !== main && !list.includes(value)) list.push(value);
    }
    if (list.length > 0) changes[key.listProperty] = list.join(';');
    if (changes[key.listProperty] === primary.properties[key.listProperty]) delete changes[key.listProperty];
  }
  const ids = splitList(primary.properties[MERGED_IDS_PROPERTY]);
  for (const id of [merged.id, ...splitList(merged.properties[MERGED_IDS_PROPERTY])]) if (!ids.includes(id)) ids.push(id);
  changes[MERGED_IDS_PROPERTY] = ids.join(';');
  return changes;
}

/** Merges `mergedId` into `primaryId` and answers the survivor. */
export async function mergeRecords(ctx: TxContext, objectType: string, primaryId: string, mergedId: string, { source: given }: WriteInput): Promise<CrmRecord> {
  const model = activeModel(ctx, objectType);
  if (primaryId === mergedId) {
    throw validationError([{ code: 'MERGE_WITH_ITSELF', property: 'mergedId', message: `a record cannot be merged with itself (${model.name} ${JSON.stringify(primaryId)})` }]);
  }
  const primary = await findLiveRecord(ctx, model, primaryId);
  const merged = await findLiveRecord(ctx, model, mergedId);
  const source: Source = { type: 'OBJECT_MERGE', id: merged.id, ...(given.label !== undefined ? { label: given.label } : {}) };

  const now = ctx.now();
  const changes = mergedProperties(model, primary, merged);
  // The values the survivor takes may break a rule no single record broke (a line item's
  // discount beside the other's percentage): refused like any write, naming the property.
  const issues = new IssueList();
  checkCommerceValues(model, primary.properties, changes as Changes, undefined, issues);
  if (issues.length > 0) throw issues.error(`${model.name} ${primary.id}`);
  const properties: Properties = { ...primary.properties, ...changes, [model.doc.modifiedDateProperty]: now };
  // What the survivor derives from its new values (a line item's amount), kept apart in history.
  const calculated = movesOwnValues(model, changes) ? ownValues(model, primary.properties, properties, now) : {};
  for (const name of Object.keys(calculated)) {
    const value = calculated[name]!;
    if (value === null) delete properties[name];
    else properties[name] = value;
  }
  // The merged record's keys go first, so that the survivor can take them over.
  await ctx.tx.releaseKeys(model.name, recordKeys(model.allKeys, merged.properties, merged.id));
  const { added, removed } = keyChanges(recordKeys(model.keys, primary.properties, primary.id), recordKeys(model.keys, properties, primary.id));
  if (removed.length > 0) await ctx.tx.releaseKeys(model.name, removed);
  const refused = await ctx.tx.claimKeys(model.name, added);
  if (refused.length > 0) {
    const key = added[refused[0]!.index]!;
    throw new CrmError('DUPLICATE_RECORD', `The merged ${key.property} ${key.value} belongs to another record`, { objectType: model.name, existingId: refused[0]!.existingId });
  }
  const survivor: StoredRecord = Object.freeze({ ...primary, properties: Object.freeze(properties), updatedAt: now });
  await ctx.tx.updateRecords([survivor]);
  if (ctx.options.history) {
    const entries = [{ objectType: model.name, id: primary.id, timestamp: now, source, values: Object.freeze({ ...changes, [model.doc.modifiedDateProperty]: now }) }];
    if (Object.keys(calculated).length > 0) entries.push({ objectType: model.name, id: primary.id, timestamp: now, source: CALCULATED_SOURCE, values: Object.freeze(calculated) });
    await ctx.tx.appendHistory(entries);
  }
  if (Object.keys(calculated).length > 0) ctx.emit({ type: 'record.updated', objectType: model.name, id: primary.id, record: survivor, changes: calculated, source: CALCULATED_SOURCE });

  await recordMerged(ctx, { model, record: survivor }, { model, record: merged }, source);
  // Ids merged into the merged record now resolve to the survivor too.
  const mergedIds = [merged.id, ...splitList(merged.properties[MERGED_IDS_PROPERTY])];
  await ctx.tx.releaseKeys(
    model.name,
    mergedIds.slice(1).map((id) => ({ key: MERGED_ID_KEY, value: id, id: merged.id })),
  );
  await moveLists(ctx.tx, model.name, merged.id, primary.id);
  await ctx.tx.deleteRecords(model.name, [merged.id]);
  await ctx.tx.claimKeys(
    model.name,
    mergedIds.map((id) => ({ key: MERGED_ID_KEY, value: id, id: primary.id })),
  );
  ctx.log({ kind: 'record', action: 'merged', model, record: survivor });
  await ctx.finishCall();
  const [settled] = await ctx.tx.getRecords(model.name, [primary.id]);
  ctx.emit({ type: 'record.merged', objectType: model.name, id: primary.id, mergedId: merged.id, record: settled!, source });
  return visible(model, settled!);
}

/** Frees the merged ids that resolve to a purged record. */
export async function releaseMergedIds(ctx: TxContext, model: ObjectModel, record: StoredRecord): Promise<void> {
  const ids = splitList(record.properties[MERGED_IDS_PROPERTY]);
  if (ids.length > 0) await ctx.tx.releaseKeys(model.name, ids.map((id) => ({ key: MERGED_ID_KEY, value: id, id: record.id })));
}

/** The survivor a merged id resolves to, if any. */
export async function survivorOf(ctx: TxContext, model: ObjectModel, id: string): Promise<StoredRecord | undefined> {
  const [survivorId] = await ctx.tx.lookupKeys(model.name, MERGED_ID_KEY, [id]);
  if (survivorId === undefined) return undefined;
  const [record] = await ctx.tx.getRecords(model.name, [survivorId]);
  return record;
}
