// Records as association calls take them: a record object or `{ objectType, id }`, the type by
// name or id. Reading one checks its shape and type; the services then load it.
import type { TxContext } from '../context.js';
import { describeValue, validationError } from '../errors.js';
import { checkId, findLiveRecord, findRecord } from '../records/lookup.js';
import type { ObjectModel } from '../schema/model.js';
import type { StoredRecord } from '../storage/types.js';

/** A loaded record with its object type: one end of an association. */
export interface End {
  readonly model: ObjectModel;
  readonly record: StoredRecord;
}

/** The object type and id a caller's record reference names. */
export function readRef(ctx: TxContext, value: unknown, argument: string): { model: ObjectModel; id: string } {
  const ref = value as { objectType?: unknown; id?: unknown } | null;
  if (typeof ref !== 'object' || ref === null || typeof ref.objectType !== 'string' || typeof ref.id !== 'string') {
    throw validationError([
      { code: 'INVALID_ARGUMENT', property: argument, message: `${argument} must be a record or { objectType, id }, got ${describeValue(value)}` },
    ]);
  }
  const model = ctx.schema.object(ref.objectType);
  checkId(ref.id);
  return { model, id: ref.id };
}

/** The live record a reference names: NOT_FOUND, ARCHIVED otherwise. */
export async function liveEnd(ctx: TxContext, value: unknown, argument: string): Promise<End> {
  const { model, id } = readRef(ctx, value, argument);
  return { model, record: await findLiveRecord(ctx, model, id) };
}

/** The record a reference names, archived or not: NOT_FOUND otherwise. */
export async function anyEnd(ctx: TxContext, value: unknown, argument: string): Promise<End> {
  const { model, id } = readRef(ctx, value, argument);
  return { model, record: await findRecord(ctx, model, id) };
}

/** A record's display name, as association history keeps it: contacts by name (else email), others by their display property. */
export function displayName(end: End): string | undefined {
  const { properties } = end.record;
  if (end.model.name === 'contacts') {
    const name = [properties.firstname, properties.lastname].filter((part) => typeof part === 'string' && part !== '').join(' ');
    if (name !== '') return name;
    return typeof properties.email === 'string' ? properties.email : undefined;
  }
  const property = end.model.doc.primaryDisplayProperty ?? end.model.doc.dedupKey?.property;
  const value = property === undefined ? undefined : properties[property];
  return value === undefined || value === null ? undefined : String(value);
}
