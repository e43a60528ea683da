// The association graph's writes: make, relabel and remove one association, applying the
// rules (./rules.ts) to what storage holds, and logging every change on both records. The
// public calls (./service.ts), record lifecycles (./lifecycle.ts) and automations build on these.
import type { TxContext } from '../context.js';
import { CrmError } from '../errors.js';
import type { EdgeHistoryEntry, StoredEdge } from '../storage/types.js';
import type { Source } from '../types.js';
import { edgeChanged } from './effects.js';
import { associateActivityWithPrimary } from './lifecycle.js';
import { ACTIVITY_TYPES, associationModel, COMPANIES, CONTACTS, PRIMARY, type PairView, type SideLabel } from './model.js';
import { displayName, type End } from './refs.js';
import { checkCaps, labelSet, limitError, longestAssociated, needsOtherEdges, primaryEdge, primaryRequired, sameLabels } from './rules.js';

/** The record's edges to `toType` records, in association order. */
export async function edgesOf(ctx: TxContext, end: End, toType: string): Promise<StoredEdge[]> {
  return (await ctx.tx.getEdges(end.model.name, [end.record.id], toType))[0]!;
}

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
function edgeFrom(a: End, b: End, labels: readonly string[], inverseLabels: readonly string[], createdAt: string, archived = false): StoredEdge {
  return Object.freeze({
    fromType: a.model.name,
    fromId: a.record.id,
    toType: b.model.name,
    toId: b.record.id,
    labels: Object.freeze(labels.slice()),
    inverseLabels: Object.freeze(inverseLabels.slice()),
    createdAt,
    archived,
  });
}

/** One change to log: on `a`'s side with `a`'s labels, and the mirror entry on `b`'s. */
export interface Change {
  action: 'created' | 'removed' | 'relabelled';
  a: End;
  b: End;
  before: readonly string[];
  after: readonly string[];
  inverseBefore: readonly string[];
  inverseAfter: readonly string[];
}

/** Logs changes on both records, emits their events, and queues the work they cause (counts, checks). */
export async function logChanges(ctx: TxContext, changes: readonly Change[], source: Source): Promise<void> {
  if (changes.length === 0) return;
  const timestamp = ctx.now();
  if (ctx.options.history) {
    const entries: EdgeHistoryEntry[] = [];
    for (const change of changes) {
      entries.push(historyEntry(change.a, change.b, change.action, change.before, change.after, timestamp, source));
      entries.push(historyEntry(change.b, change.a, change.action, change.inverseBefore, change.inverseAfter, timestamp, source));
    }
    await ctx.tx.appendEdgeHistory(entries);
  }
  for (const change of changes) {
    edgeChanged(ctx, change.a, change.b, change.action);
    if (ctx.events) {
      ctx.emit({
        type: `association.${change.action}`,
        from: { objectType: change.a.model.name, id: change.a.record.id },
        to: { objectType: change.b.model.name, id: change.b.record.id },
        labelsBefore: [...change.before],
        labelsAfter: [...change.after],
        source,
      });
    }
  }
}

function historyEntry(
  owner: End,
  other: End,
  action: Change['action'],
  before: readonly string[],
  after: readonly string[],
  timestamp: string,
  source: Source,
): EdgeHistoryEntry {
  const otherName = displayName(other);
  return {
    objectType: owner.model.name,
    id: owner.record.id,
    toType: other.model.name,
    toId: other.record.id,
    action,
    labelsBefore: before,
    labelsAfter: after,
    ...(otherName !== undefined ? { otherName } : {}),
    timestamp,
    source,
  };
}

/** The owner of the primary-company rule in an association (the non-company end), if the pair has one. */
function primaryOwner(view: PairView, a: End, b: End): { owner: End; company: End } | undefined {
  if (view.hasPrimary) return { owner: a, company: b };
  if (view.seesPrimary) return { owner: b, company: a };
  return undefined;
}

/** The change that takes the primary label off `edge` (the owner's edge to its old primary). */
function demotion(owner: End, oldCompany: End, edge: StoredEdge): { edge: StoredEdge; change: Change } {
  const after = labelSet(edge.labels, [], [PRIMARY]);
  const inverseAfter = labelSet(edge.inverseLabels, [], [PRIMARY]);
  return {
    edge: edgeFrom(owner, oldCompany, after, inverseAfter, edge.createdAt, edge.archived),
    change: { action: 'relabelled', a: owner, b: oldCompany, before: edge.labels, after, inverseBefore: edge.inverseLabels, inverseAfter },
  };
}

/** Loads the company at the other end of an edge (it exists: edges never outlive records). */
async function companyAt(ctx: TxContext, edge: StoredEdge): Promise<End> {
  const model = ctx.schema.object(COMPANIES);
  const [record] = await ctx.tx.getRecords(COMPANIES, [edge.toId]);
  return { model, record: record! };
}

export interface LinkOptions {
  /** Automations skip an association a cap forbids instead of failing the call. */
  skipWhenLimited?: boolean;
}

/**
 * Associates `a` with `b` under `labels` (seen from `a`), adding to an existing association.
 * Applies the caps, the exclusive parent rule and the primary-company rule (the first company
 * becomes primary; an explicit primary demotes the old one). Answers whether anything changed.
 */
export async function link(ctx: TxContext, a: End, b: End, labels: readonly SideLabel[], source: Source, options: LinkOptions = {}): Promise<boolean> {
  const view = pairOf(ctx, a, b);
  const edges = await edgesOf(ctx, a, b.model.name);
  const existing = edges.find((edge) => edge.toId === b.record.id);
  const before = existing?.labels ?? [];
  const inverseBefore = existing?.inverseLabels ?? [];
  const added = labels.filter((label) => !before.includes(label.name));

  // The primary-company rule: who owns the primary, whether this association becomes it.
  const primary = primaryOwner(view, a, b);
  let demote: { edge: StoredEdge; change: Change } | undefined;
  let makePrimary = false;
  if (primary && !before.includes(PRIMARY)) {
    const ownerEdges = primary.owner === a ? edges : await edgesOf(ctx, primary.owner, COMPANIES);
    const current = primaryEdge(ownerEdges);
    if (added.some((label) => label.name === PRIMARY)) {
      makePrimary = true;
      if (current) demote = demotion(primary.owner, await companyAt(ctx, current), current);
    } else if (!current) {
      makePrimary = true;
    }
  }
  const addNames = added.map((label) => label.name);
  const addOther = added.map((label) => label.otherName);
  if (makePrimary) {
    addNames.push(PRIMARY);
    addOther.push(PRIMARY);
  }
  if (existing && addNames.length === 0) return false;

  try {
    const otherEdges = needsOtherEdges(view, !existing, added) ? await edgesOf(ctx, b, a.model.name) : undefined;
    checkCaps(view, { type: a.model.name, id: a.record.id, edges }, { type: b.model.name, id: b.record.id, edges: otherEdges }, !existing, added);
    if (!existing) await checkExclusiveParent(ctx, a, b);
  } catch (error) {
    if (options.skipWhenLimited && error instanceof CrmError && error.code === 'ASSOCIATION_LIMIT') return false;
    throw error;
  }

  const after = labelSet(before, addNames);
  const inverseAfter = labelSet(inverseBefore, addOther);
  const edge = edgeFrom(a, b, after, inverseAfter, existing?.createdAt ?? ctx.now());
  const changes: Change[] = [];
  if (demote) {
    await ctx.tx.putEdges([demote.edge, edge]);
    changes.push(demote.change);
  } else {
    await ctx.tx.putEdges([edge]);
  }
  changes.push({ action: existing ? 'relabelled' : 'created', a, b, before, after, inverseBefore, inverseAfter });
  await logChanges(ctx, changes, source);
  if (!existing && ctx.options.autoAssociateActivities) {
    if (ACTIVITY_TYPES.has(a.model.name) && b.model.name === CONTACTS) await associateActivityWithPrimary(ctx, a, b);
    else if (ACTIVITY_TYPES.has(b.model.name) && a.model.name === CONTACTS) await associateActivityWithPrimary(ctx, b, a);
  }
  return true;
}

/** A line item has one parent: a second, of any parent type, is ASSOCIATION_LIMIT. */
async function checkExclusiveParent(ctx: TxContext, a: End, b: End): Promise<void> {
  const { exclusiveParents } = associationModel(ctx.schema);
  for (const [child, parent] of [
    [a, b],
    [b, a],
  ] as const) {
    const parents = exclusiveParents.get(child.model.name);
    if (!parents?.has(parent.model.name)) continue;
    const [all] = await ctx.tx.getEdges(child.model.name, [child.record.id]);
    if (all!.some((edge) => !edge.archived && parents.has(edge.toType) && edge.toId !== parent.record.id)) {
      throw limitError(child.model.name, child.record.id, [...parents].join('/'), 1);
    }
  }
}

/** Takes labels off an association (never the association itself); `newPrimary` as for {@link unlink}. */
export async function unlabel(ctx: TxContext, a: End, b: End, labels: readonly SideLabel[], source: Source, newPrimary?: End): Promise<boolean> {
  const view = pairOf(ctx, a, b);
  const edges = await edgesOf(ctx, a, b.model.name);
  const existing = edges.find((edge) => edge.toId === b.record.id);
  if (!existing) {
    throw new CrmError('NOT_FOUND', `${a.model.name} ${JSON.stringify(a.record.id)} is not associated with ${b.model.name} ${JSON.stringify(b.record.id)}`, {
      objectType: a.model.name,
      id: a.record.id,
      toType: b.model.name,
      toId: b.record.id,
    });
  }
  const removed = labels.filter((label) => existing.labels.includes(label.name));
  if (removed.length === 0) return false;
  const takesPrimary = removed.some((label) => label.name === PRIMARY);
  const primary = takesPrimary ? primaryOwner(view, a, b) : undefined;
  let successor: string | undefined;
  if (primary) {
    const ownerEdges = primary.owner === a ? edges : await edgesOf(ctx, primary.owner, COMPANIES);
    successor = successorAfterLosing(primary.owner, ownerEdges, primary.company, newPrimary, false);
  }
  const after = labelSet(existing.labels, [], removed.map((label) => label.name));
  const inverseAfter = labelSet(existing.inverseLabels, [], removed.map((label) => label.otherName));
  await ctx.tx.putEdges([edgeFrom(a, b, after, inverseAfter, existing.createdAt)]);
  await logChanges(ctx, [{ action: 'relabelled', a, b, before: existing.labels, after, inverseBefore: existing.inverseLabels, inverseAfter }], source);
  if (successor) await makePrimaryOf(ctx, primary!.owner, successor, source);
  return true;
}

/**
 * Who becomes the owner's primary company when it loses `company` as primary (by unlabel, or
 * by removal when `removing`). Contacts must keep one: with one company left it becomes primary
 * on removal; with more, or on unlabel with any other, the caller names `newPrimary`
 * (PRIMARY_REQUIRED otherwise). Other objects take `newPrimary` when given and may have none.
 */
function successorAfterLosing(owner: End, ownerEdges: readonly StoredEdge[], company: End, newPrimary: End | undefined, removing: boolean): string | undefined {
  if (newPrimary) {
    if (newPrimary.model.name !== COMPANIES) {
      throw new CrmError('PRIMARY_NOT_ALLOWED', `newPrimary must be a company, got a ${newPrimary.model.name} record`, { objectType: newPrimary.model.name });
    }
    if (newPrimary.record.id === company.record.id) {
      if (removing) throw primaryRequired(owner.record.id, 'newPrimary names the company being removed');
      return undefined;
    }
    return newPrimary.record.id;
  }
  if (owner.model.name !== CONTACTS) return undefined;
  const others = ownerEdges.filter((edge) => !edge.archived && edge.toId !== company.record.id);
  if (removing) {
    if (others.length === 0) return undefined;
    if (others.length === 1) return others[0]!.toId;
    throw primaryRequired(owner.record.id, `removing its primary company leaves ${others.length} companies: name the new primary ({ newPrimary })`);
  }
  if (others.length === 0) throw primaryRequired(owner.record.id, 'its only company must stay primary');
  throw primaryRequired(owner.record.id, 'name the company that becomes primary instead ({ newPrimary })');
}

/** Makes the company `companyId` (a live one) the owner's primary company, associating them if needed. */
export async function makePrimaryOf(ctx: TxContext, owner: End, companyId: string, source: Source): Promise<void> {
  const [record] = await ctx.tx.getRecords(COMPANIES, [companyId]);
  const company: End = { model: ctx.schema.object(COMPANIES), record: record! };
  const view = pairOf(ctx, owner, company);
  await link(ctx, owner, company, [view.labels.get(PRIMARY)!], source);
}

/** Removes the association between `a` and `b` with all its labels; the primary-company rule picks a successor. */
export async function unlink(ctx: TxContext, a: End, b: End, source: Source, newPrimary?: End): Promise<boolean> {
  const view = pairOf(ctx, a, b);
  const edges = await edgesOf(ctx, a, b.model.name);
  const existing = edges.find((edge) => edge.toId === b.record.id);
  if (!existing) return false;
  const primary = existing.labels.includes(PRIMARY) ? primaryOwner(view, a, b) : undefined;
  let successor: string | undefined;
  if (primary) {
    const ownerEdges = primary.owner === a ? edges : await edgesOf(ctx, primary.owner, COMPANIES);
    successor = successorAfterLosing(primary.owner, ownerEdges, primary.company, newPrimary, true);
  }
  await ctx.tx.deleteEdges([existing]);
  await logChanges(ctx, [{ action: 'removed', a, b, before: existing.labels, after: [], inverseBefore: existing.inverseLabels, inverseAfter: [] }], source);
  if (successor) await makePrimaryOf(ctx, primary!.owner, successor, source);
  return true;
}

/** The longest-associated remaining company of a contact whose primary went (archive, purge). */
export async function reassignPrimary(ctx: TxContext, contact: End, lost: string, source: Source): Promise<void> {
  const edges = await edgesOf(ctx, contact, COMPANIES);
  if (primaryEdge(edges)) return;
  const next = longestAssociated(edges, lost);
  if (!next) return;
  await makePrimaryOf(ctx, contact, next.toId, source);
}

export { edgeFrom, sameLabels };
