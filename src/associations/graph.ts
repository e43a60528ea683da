// The association graph's writes: make, relabel and remove one association, applying the
// rules (./rules.ts) to the edges as the call's batch (./batch.ts) sees them, and logging every
// change on both records. The public calls (./service.ts), record lifecycles (./lifecycle.ts)
// and automations build on these.
import type { TxContext } from '../schema/transaction.js';
import { CrmError } from '../errors.js';
import type { StoredEdge } from '../storage/types.js';
import type { Source } from '../types.js';
import { ANY_TYPE, type EdgeBatch } from './batch.js';
import type { Change } from './history.js';
import { associateActivityWithPrimary } from './lifecycle.js';
import { ACTIVITY_TYPES, associationModel, COMPANIES, CONTACTS, PRIMARY, type PairView, type SideLabel } from './model.js';
import type { End } from './refs.js';
import { primaryOnAssociate, primaryOwner, successorOnLoss } from './primary.js';
import { checkCaps, labelSet, limitError, needsOtherEdges } from './rules.js';

/** The pair seen from `a`; ASSOCIATION_NOT_ALLOWED when the two may not associate (or are one record). */
export function pairOf(ctx: TxContext, a: End, b: End): PairView {
  if (a.model === b.model && a.record.id === b.record.id) {
    throw new CrmError('ASSOCIATION_NOT_ALLOWED', `A record cannot be associated with itself (${a.model.name} ${JSON.stringify(a.record.id)})`, {
      objectType: a.model.name,
      id: a.record.id,
      reason: 'self',
    });
  }
  const view = associationModel(ctx.schema).pair(a.model.name, b.model.name);
  if (!view) {
    throw new CrmError('ASSOCIATION_NOT_ALLOWED', `${a.model.name} records cannot be associated with ${b.model.name} records`, {
      objectType: a.model.name,
      toType: b.model.name,
    });
  }
  return view;
}

/** The edge from `a` to `b` with these labels on each side. */
export function edgeFrom(a: End, b: End, labels: readonly string[], inverseLabels: readonly string[], createdAt: string, archived = false): StoredEdge {
  return Object.freeze({
    fromType: a.model.name,
    fromId: a.record.id,
    toType: b.model.name,
    toId: b.record.id,
    labels: Object.isFrozen(labels) ? labels : Object.freeze(labels.slice()),
    inverseLabels: Object.isFrozen(inverseLabels) ? inverseLabels : Object.freeze(inverseLabels.slice()),
    createdAt,
    archived,
  });
}

/** Writes `edge` and logs the change from `before` (undefined: a new association). */
function write(batch: EdgeBatch, a: End, b: End, before: StoredEdge | undefined, edge: StoredEdge, source: Source): void {
  batch.put(edge);
  const change: Change = {
    action: before ? 'relabelled' : 'created',
    a,
    b,
    before: before?.labels ?? [],
    after: edge.labels,
    inverseBefore: before?.inverseLabels ?? [],
    inverseAfter: edge.inverseLabels,
    source,
  };
  batch.log(change);
}

/** Loads the company at the other end of an edge (it exists: edges never outlive records). */
async function companyAt(ctx: TxContext, id: string): Promise<End> {
  const [record] = await ctx.tx.getRecords(COMPANIES, [id]);
  return { model: ctx.schema.object(COMPANIES), record: record! };
}

/** Takes the primary label off the owner's association with its old primary company. */
async function demote(batch: EdgeBatch, owner: End, edge: StoredEdge, source: Source): Promise<void> {
  const company = await companyAt(batch.ctx, edge.toId);
  write(batch, owner, company, edge, edgeFrom(owner, company, labelSet(edge.labels, [], [PRIMARY]), labelSet(edge.inverseLabels, [], [PRIMARY]), edge.createdAt, edge.archived), source);
}

export interface LinkOptions {
  /** Automations skip an association a cap forbids instead of failing the call. */
  skipWhenLimited?: boolean;
}

/** Loads what {@link link} reads for each pair, in one storage call per object pair. */
export async function preloadLinks(batch: EdgeBatch, pairs: ReadonlyArray<readonly [End, End]>): Promise<void> {
  const requests: Array<readonly [End, string]> = [];
  const model = associationModel(batch.ctx.schema);
  for (const [a, b] of pairs) {
    requests.push([a, b.model.name]);
    // The other side is read for its primary company, or for a cap on its side.
    const view = model.pair(a.model.name, b.model.name);
    if (view && (view.seesPrimary || Number.isFinite(view.otherCap))) requests.push([b, a.model.name]);
    if (model.exclusiveParents.has(a.model.name)) requests.push([a, ANY_TYPE]);
    if (model.exclusiveParents.has(b.model.name)) requests.push([b, ANY_TYPE]);
  }
  await batch.load(requests);
}

/**
 * Associates `a` with `b` under `labels` (seen from `a`), adding to an existing association.
 * Applies the caps, the one-parent rule and the primary-company rule (the first company becomes
 * primary; an explicit primary demotes the old one). Answers whether anything changed.
 */
export async function link(batch: EdgeBatch, a: End, b: End, labels: readonly SideLabel[], source: Source, options: LinkOptions = {}): Promise<boolean> {
  const { ctx } = batch;
  const view = pairOf(ctx, a, b);
  const edges = batch.loaded(a, b.model.name) ?? (await batch.edges(a, b.model.name));
  const existing = edges.get(b.record.id);
  const before = existing?.labels ?? [];
  const inverseBefore = existing?.inverseLabels ?? [];
  const added = labels.length === 0 ? labels : labels.filter((label) => !before.includes(label.name));

  // The primary-company rule (./primary.ts): whether this association becomes the owner's primary.
  const primary = primaryOwner(view, a, b);
  let demoted: StoredEdge | undefined;
  let makePrimary = false;
  if (primary && !before.includes(PRIMARY)) {
    const ownerEdges = primary.owner === a ? edges : (batch.loaded(primary.owner, COMPANIES) ?? (await batch.edges(primary.owner, COMPANIES)));
    const decision = primaryOnAssociate(ownerEdges.values(), { isNew: !existing, namesPrimary: added.some((label) => label.name === PRIMARY) });
    makePrimary = decision.makePrimary;
    demoted = decision.demote;
  }
  if (existing && added.length === 0 && !makePrimary) return false;

  try {
    const otherEdges = needsOtherEdges(view, !existing, added) ? await batch.edges(b, a.model.name) : undefined;
    checkCaps(view, { type: a.model.name, id: a.record.id, edges }, { type: b.model.name, id: b.record.id, edges: otherEdges }, !existing, added);
    const { exclusiveParents } = associationModel(ctx.schema);
    if (!existing && (exclusiveParents.has(a.model.name) || exclusiveParents.has(b.model.name))) await checkOneParent(batch, a, b);
  } catch (error) {
    if (options.skipWhenLimited && error instanceof CrmError && error.code === 'ASSOCIATION_LIMIT') return false;
    throw error;
  }

  const addNames: string[] = [];
  const addOther: string[] = [];
  for (const label of added) {
    addNames.push(label.name);
    addOther.push(label.otherName);
  }
  if (makePrimary && !addNames.includes(PRIMARY)) {
    addNames.push(PRIMARY);
    addOther.push(PRIMARY);
  }
  if (demoted) await demote(batch, primary!.owner, demoted, source);
  write(batch, a, b, existing, edgeFrom(a, b, labelSet(before, addNames), labelSet(inverseBefore, addOther), existing?.createdAt ?? ctx.now()), source);
  if (!existing && ctx.options.autoAssociateActivities) {
    if (ACTIVITY_TYPES.has(a.model.name) && b.model.name === CONTACTS) await associateActivityWithPrimary(batch, a, b);
    else if (ACTIVITY_TYPES.has(b.model.name) && a.model.name === CONTACTS) await associateActivityWithPrimary(batch, b, a);
  }
  return true;
}

/** A line item has one parent: a second, of any parent type, is ASSOCIATION_LIMIT. */
async function checkOneParent(batch: EdgeBatch, a: End, b: End): Promise<void> {
  const { exclusiveParents } = associationModel(batch.ctx.schema);
  for (const [child, parent] of [
    [a, b],
    [b, a],
  ] as const) {
    const parents = exclusiveParents.get(child.model.name);
    if (!parents?.has(parent.model.name)) continue;
    for (const edge of (await batch.edges(child, ANY_TYPE)).values()) {
      if (!edge.archived && parents.has(edge.toType) && edge.toId !== parent.record.id) {
        throw limitError(child.model.name, child.record.id, [...parents].join('/'), 1);
      }
    }
  }
}

/** NOT_FOUND: the two records are not associated. */
function notAssociated(a: End, b: End): CrmError {
  return new CrmError('NOT_FOUND', `${a.model.name} ${JSON.stringify(a.record.id)} is not associated with ${b.model.name} ${JSON.stringify(b.record.id)}`, {
    objectType: a.model.name,
    id: a.record.id,
    toType: b.model.name,
    toId: b.record.id,
  });
}

/** Takes labels off an association (never the association itself); `newPrimary` as for {@link unlink}. */
export async function unlabel(batch: EdgeBatch, a: End, b: End, labels: readonly SideLabel[], source: Source, newPrimary?: End): Promise<boolean> {
  const view = pairOf(batch.ctx, a, b);
  const edges = await batch.edges(a, b.model.name);
  const existing = edges.get(b.record.id);
  if (!existing) throw notAssociated(a, b);
  const removed = labels.filter((label) => existing.labels.includes(label.name));
  if (removed.length === 0) return false;
  const primary = removed.some((label) => label.name === PRIMARY) ? primaryOwner(view, a, b) : undefined;
  let successor: string | undefined;
  if (primary) {
    const ownerEdges = primary.owner === a ? edges : await batch.edges(primary.owner, COMPANIES);
    successor = successorOnLoss(party(primary.owner), ownerEdges.values(), primary.company.record.id, newPrimary && party(newPrimary), false);
  }
  const after = labelSet(existing.labels, [], removed.map((label) => label.name));
  const inverseAfter = labelSet(existing.inverseLabels, [], removed.map((label) => label.otherName));
  write(batch, a, b, existing, edgeFrom(a, b, after, inverseAfter, existing.createdAt), source);
  if (successor) await makePrimaryOf(batch, primary!.owner, successor, source);
  return true;
}

/** A record as the primary-company rule sees it. */
function party(end: End): { type: string; id: string } {
  return { type: end.model.name, id: end.record.id };
}

/** Makes the live company `companyId` the owner's primary company, associating them if needed. */
export async function makePrimaryOf(batch: EdgeBatch, owner: End, companyId: string, source: Source): Promise<void> {
  await makePrimary(batch, owner, await companyAt(batch.ctx, companyId), source);
}

/** Makes `company` the owner's primary company, associating them if needed. */
export async function makePrimary(batch: EdgeBatch, owner: End, company: End, source: Source): Promise<void> {
  const view = pairOf(batch.ctx, owner, company);
  await link(batch, owner, company, [view.labels.get(PRIMARY)!], source);
}

/** Removes the association between `a` and `b` with all its labels; the primary-company rule picks a successor. */
export async function unlink(batch: EdgeBatch, a: End, b: End, source: Source, newPrimary?: End): Promise<boolean> {
  const view = pairOf(batch.ctx, a, b);
  const edges = await batch.edges(a, b.model.name);
  const existing = edges.get(b.record.id);
  if (!existing) return false;
  const primary = existing.labels.includes(PRIMARY) ? primaryOwner(view, a, b) : undefined;
  let successor: string | undefined;
  if (primary) {
    const ownerEdges = primary.owner === a ? edges : await batch.edges(primary.owner, COMPANIES);
    successor = successorOnLoss(party(primary.owner), ownerEdges.values(), primary.company.record.id, newPrimary && party(newPrimary), true);
  }
  batch.delete(existing);
  batch.log({ action: 'removed', a, b, before: existing.labels, after: [], inverseBefore: existing.inverseLabels, inverseAfter: [], source });
  if (successor) await makePrimaryOf(batch, primary!.owner, successor, source);
  return true;
}
