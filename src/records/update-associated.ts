// associations.updateAssociated: the label-scoped bulk action of workflows ("set the lead status
// of this deal's decision makers"). One call, one transaction: each associated record is updated
// through the record service, so every rule of a write holds for each, and one refusal refuses
// them all.
import type { TxContext } from '../schema/transaction.js';
import type { RecordRef } from '../arguments/refs.js';
import type { UpdateAssociatedChange } from '../arguments/associations.js';
import { validationError } from '../errors.js';
import { unknownPropertyIssue } from '../schema/lookup.js';
import { associatedRecords } from '../associations/service.js';
import type { PropertiesInput, PropertyInput, Source } from '../types.js';
import { updateRecord } from './service.js';

/**
 * Sets, clears or copies properties on the live `toType` records associated with `ref` (under
 * one of `labels` when given) and answers how many changed. `copy` takes `ref`'s value of
 * `from` into each one's `to` (a record without a value clears it).
 *
 * @example
 * await updateAssociated(ctx, deal, 'contacts', { set: { hs_lead_status: 'OPEN' }, clear: [], copy: undefined }, ['decision_maker'], { type: 'JOB' });
 */
export async function updateAssociated(
  ctx: TxContext,
  ref: RecordRef,
  toType: string,
  change: UpdateAssociatedChange,
  labels: readonly string[] | undefined,
  source: Source,
): Promise<{ updated: number }> {
  const { record, toType: type, others } = await associatedRecords(ctx, ref, toType, labels);
  const patch: Record<string, PropertyInput | undefined> = { ...(change.set as PropertiesInput) };
  for (const name of change.clear) patch[name] = null;
  if (change.copy !== undefined) {
    const model = ctx.schema.object(record.objectType);
    const from = model.property(change.copy.from);
    if (from === undefined || from.doc.archived) throw validationError([unknownPropertyIssue(model, change.copy.from, ['change', 'copy', 'from'])], model.name);
    patch[change.copy.to] = (record.properties[from.doc.name] ?? null) as PropertyInput;
  }
  let updated = 0;
  for (const other of others) {
    const after = await updateRecord(ctx, type, other.id, patch, { source });
    if (after.updatedAt !== other.updatedAt) updated++;
  }
  return { updated };
}
