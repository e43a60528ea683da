// Required associations (a quote's deal, a lead's contact or company): checked once before the
// transaction commits, so a crm.transaction may create a record and its association in separate
// calls. The records to check come from the change log: records created or restored, the ends
// of associations removed, and the neighbours of records archived, restored or purged.
import { CrmError } from '../errors.js';
import type { ChangeObserver, LoggedChange } from '../kernel/change-log.js';
import type { TxContext } from '../schema/transaction.js';
import { associationModel } from './model.js';

/** The records of required types that a change may leave without their association. */
function candidates(change: LoggedChange, required: ReadonlyMap<string, unknown>): Array<{ type: string; id: string }> {
  if (change.kind === 'association') {
    if (change.action !== 'removed') return [];
    return [change.a, change.b].flatMap((end) => (required.has(end.model.name) ? [{ type: end.model.name, id: end.record.id }] : []));
  }
  const found: Array<{ type: string; id: string }> = [];
  if ((change.action === 'created' || change.action === 'restored') && required.has(change.model.name)) {
    found.push({ type: change.model.name, id: change.record.id });
  }
  for (const edge of change.neighbours ?? []) if (required.has(edge.toType)) found.push({ type: edge.toType, id: edge.toId });
  return found;
}

/** Whether {@link candidates} would find a record (asked for every change logged, so it allocates nothing). */
function touchesRequired(change: LoggedChange, required: ReadonlyMap<string, unknown>): boolean {
  if (change.kind === 'association') return change.action === 'removed' && (required.has(change.a.model.name) || required.has(change.b.model.name));
  if ((change.action === 'created' || change.action === 'restored') && required.has(change.model.name)) return true;
  return change.neighbours?.some((edge) => required.has(edge.toType)) ?? false;
}

/** ASSOCIATION_REQUIRED for every live record the changes touched that lacks the association its type requires. */
async function checkRequired(ctx: TxContext, changes: readonly LoggedChange[]): Promise<void> {
  const { required } = associationModel(ctx.schema);
  const queued = new Map<string, { type: string; id: string }>();
  for (const change of changes) for (const record of candidates(change, required)) queued.set(`${record.type}\u0000${record.id}`, record);
  const missing = new Map<string, string[]>();
  for (const { type, id } of queued.values()) {
    const anyOf = required.get(type)!;
    const [record] = await ctx.tx.getRecords(type, [id]);
    if (!record || record.archived) continue;
    const [edges] = await ctx.tx.getEdges(type, [id]);
    // An archived partner still counts: archiving a quote's deal is allowed.
    if (edges!.some((edge) => anyOf.includes(edge.toType))) continue;
    const ids = missing.get(type);
    if (ids) ids.push(id);
    else missing.set(type, [id]);
  }
  const [first] = missing;
  if (!first) return;
  const [type, ids] = first;
  const anyOf = required.get(type)!;
  throw new CrmError(
    'ASSOCIATION_REQUIRED',
    `${ids.length} ${type} record${ids.length === 1 ? '' : 's'} would have no associated ${anyOf.join(' or ')} (first: ${JSON.stringify(ids[0])}); a ${type} record needs one`,
    { objectType: type, ids, anyOf: [...anyOf] },
  );
}

/** The engine's observer for required associations: registered by createCrm, run before every commit that needs it. */
export const requiredAssociations: ChangeObserver<TxContext> = {
  name: 'associations.required',
  when: 'beforeCommit',
  // Most changes are associations made, which can leave nothing without its association: they
  // are turned away before the schema's association model is looked up.
  wants: (change, ctx) => (change.kind !== 'association' || change.action === 'removed') && touchesRequired(change, associationModel(ctx.schema).required),
  run: checkRequired,
};
