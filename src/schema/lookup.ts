// Finding records and object types for a call: the lookups every service shares, with the
// errors they answer (UNKNOWN_OBJECT_TYPE, OBJECT_NOT_ACTIVE, NOT_FOUND, ARCHIVED).
import type { TxContext } from './transaction.js';
import { CrmError } from '../errors.js';
import type { ObjectModel } from './model.js';
import { checkId } from '../arguments/ids.js';
import type { StoredRecord } from '../storage/types.js';
import type { CrmRecord, Properties } from '../types.js';

/** The object type, which must exist and be active to hold records. */
export function activeModel(ctx: TxContext, objectType: string): ObjectModel {
  const model = ctx.schema.object(objectType);
  if (!model.doc.active) {
    throw new CrmError('OBJECT_NOT_ACTIVE', `${model.name} must be activated (crm.schema.activate('${model.name}')) before it holds records`, {
      objectType: model.name,
    });
  }
  return model;
}

// Ids are arguments, parsed at the facade; the rule lives with them.
export { checkId };

/** The record, archived or not; NOT_FOUND when there is none. */
export async function findRecord(ctx: TxContext, model: ObjectModel, id: string): Promise<StoredRecord> {
  const [record] = await ctx.tx.getRecords(model.name, [id]);
  if (!record) throw new CrmError('NOT_FOUND', `No ${model.name} record with id ${JSON.stringify(id)}`, { objectType: model.name, id });
  return record;
}

/** The live record; NOT_FOUND when there is none, ARCHIVED when it is archived. */
export async function findLiveRecord(ctx: TxContext, model: ObjectModel, id: string): Promise<StoredRecord> {
  const record = await findRecord(ctx, model, id);
  if (record.archived) {
    throw new CrmError('ARCHIVED', `${model.name} record ${JSON.stringify(record.id)} is archived; restore it first`, {
      objectType: model.name,
      id: record.id,
    });
  }
  return record;
}

/** A record as callers see it: properties of archived property definitions are hidden. */
export function visible(model: ObjectModel, record: StoredRecord): CrmRecord {
  if (!model.hasArchivedProperties) return record;
  const properties: Properties = {};
  let hidden = false;
  for (const name of Object.keys(record.properties)) {
    if (model.properties.get(name)?.doc.archived) hidden = true;
    else properties[name] = record.properties[name];
  }
  return hidden ? Object.freeze({ ...record, properties: Object.freeze(properties) }) : record;
}

