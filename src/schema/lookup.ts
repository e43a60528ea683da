// Finding records and object types for a call: the lookups every service shares, with the
// errors they answer (UNKNOWN_OBJECT_TYPE, OBJECT_NOT_ACTIVE, NOT_FOUND, ARCHIVED).
import type { TxContext } from './transaction.js';
import { CrmError, describeValue, IssueList, type IssuePath, type ValidationIssue } from '../errors.js';
import { ID_PROPERTY, type ObjectModel } from './model.js';
import { checkId } from '../arguments/ids.js';
import { nearest } from '../arguments/options.js';
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


/**
 * The PROPERTY_DOESNT_EXIST issue for a name `model` has no live property by, with the nearest
 * live name and the place in the argument.
 *
 * @example
 * unknownPropertyIssue(contacts, 'emial', ['properties', 0]); // { code: 'PROPERTY_DOESNT_EXIST', suggestion: 'email', … }
 */
export function unknownPropertyIssue(model: ObjectModel, name: string, path: IssuePath): ValidationIssue {
  const live = model.doc.properties.filter((candidate) => !candidate.archived).map((candidate) => candidate.name);
  const suggestion = nearest(name, live);
  return {
    code: 'PROPERTY_DOESNT_EXIST',
    property: name,
    path,
    message: `${path.join('.')}: ${model.name} has no property ${describeValue(name)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    ...(suggestion ? { suggestion } : {}),
  };
}

/**
 * The properties a read shows when asked for `names` (the `properties` option of get, getMany,
 * list and search): those, plus the id and the two dates HubSpot always returns. Unknown names
 * are PROPERTY_DOESNT_EXIST issues in `issues`.
 *
 * @example
 * projectionOf(contacts, ['email'], ['properties'], issues); // Set { 'hs_object_id', 'createdate', 'lastmodifieddate', 'email' }
 */
export function projectionOf(model: ObjectModel, names: readonly string[], path: IssuePath, issues: IssueList): ReadonlySet<string> {
  const shownNames = new Set<string>([ID_PROPERTY, model.doc.createdDateProperty, model.doc.modifiedDateProperty]);
  names.forEach((name, at) => {
    const property = model.property(name);
    if (property && !property.doc.archived) shownNames.add(name);
    else issues.add(unknownPropertyIssue(model, name, [...path, at]));
  });
  return shownNames;
}

/**
 * {@link projectionOf} for a read's `properties` option: `undefined` (every property) when none
 * was given; VALIDATION_ERROR for unknown names.
 *
 * @example
 * readProjection(contacts, ['email']);
 */
export function readProjection(model: ObjectModel, names: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (names === undefined) return undefined;
  const issues = new IssueList();
  const projection = projectionOf(model, names, ['properties'], issues);
  if (issues.length > 0) throw issues.error();
  return projection;
}

/**
 * A record as a read shows it: archived properties hidden ({@link visible}), and only the
 * `projection`'s properties when one is given.
 *
 * @example
 * shown(model, record, new Set(['email', 'hs_object_id']));
 */
export function shown(model: ObjectModel, record: StoredRecord, projection: ReadonlySet<string> | undefined): CrmRecord {
  const live = visible(model, record);
  if (projection === undefined) return live;
  const properties: Properties = {};
  for (const name of Object.keys(live.properties)) if (projection.has(name)) properties[name] = live.properties[name]!;
  return Object.freeze({ ...live, properties: Object.freeze(properties) });
}
