// What happens to a record's associations when the record itself changes: archived (its
// associations hide, contacts get a new primary company), restored (they come back), purged
// (they go, with the same reassignment), created with associations, or edited so that an
// automation applies (domains, activity dates).
import type { TxContext } from '../context.js';
import { describeValue, validationError } from '../errors.js';
import { isPlainObject } from '../records/rules.js';
import { normaliseDomain } from '../records/values.js';
import type { StoredEdge, StoredRecord } from '../storage/types.js';
import type { Properties, Source } from '../types.js';
import { ACTIVITY_TIMESTAMP, checkRequiredLater, neighboursChanged } from './effects.js';
import { edgeFrom, edgesOf, link, logChanges, makePrimaryOf, pairOf, type Change } from './graph.js';
import { ACTIVITY_TYPES, COMPANIES, CONTACTS, PRIMARY } from './model.js';
import { liveEnd, type End } from './refs.js';
import { labelSet, longestAssociated, resolveLabels } from './rules.js';

/** The records at the other ends of `edges`, loaded (one storage call per type). */
async function otherEnds(ctx: TxContext, edges: readonly StoredEdge[]): Promise<End[]> {
  const byType = new Map<string, StoredEdge[]>();
  for (const edge of edges) {
    const list = byType.get(edge.toType);
    if (list) list.push(edge);
    else byType.set(edge.toType, [edge]);
  }
  const ends = new Map<StoredEdge, End>();
  for (const [type, list] of byType) {
    const model = ctx.schema.object(type);
    const records = await ctx.tx.getRecords(type, list.map((edge) => edge.toId));
    list.forEach((edge, at) => ends.set(edge, { model, record: records[at]! }));
  }
  return edges.map((edge) => ends.get(edge)!);
}

/**
 * Sorts out the primary company of an owner whose companies came back or went: a restored
 * primary does not take over from a live one, and a contact with companies always has one.
 */
async function settlePrimary(ctx: TxContext, owner: End, returning: ReadonlySet<string>, source: Source): Promise<void> {
  const edges = await edgesOf(ctx, owner, COMPANIES);
  const primaries = edges.filter((edge) => !edge.archived && edge.labels.includes(PRIMARY));
  if (primaries.length > 1) {
    const keep = primaries.find((edge) => !returning.has(edge.toId)) ?? primaries[0]!;
    const changes: Change[] = [];
    const writes: StoredEdge[] = [];
    const ends = await otherEnds(ctx, primaries);
    primaries.forEach((edge, at) => {
      if (edge === keep) return;
      const after = labelSet(edge.labels, [], [PRIMARY]);
      const inverseAfter = labelSet(edge.inverseLabels, [], [PRIMARY]);
      writes.push(edgeFrom(owner, ends[at]!, after, inverseAfter, edge.createdAt));
      changes.push({ action: 'relabelled', a: owner, b: ends[at]!, before: edge.labels, after, inverseBefore: edge.inverseLabels, inverseAfter });
    });
    await ctx.tx.putEdges(writes);
    await logChanges(ctx, changes, source);
  } else if (primaries.length === 0 && owner.model.name === CONTACTS) {
    const next = longestAssociated(edges, '');
    if (next) await makePrimaryOf(ctx, owner, next.toId, source);
  }
}

function deletionSource(end: End): Source {
  return { type: 'OBJECT_DELETION', id: end.record.id };
}

/** Archiving: the record's associations hide (kept, labels and all) and contacts whose primary it was get another. */
export async function recordArchived(ctx: TxContext, end: End): Promise<void> {
  const [edges] = await ctx.tx.getEdges(end.model.name, [end.record.id]);
  const live = edges!.filter((edge) => !edge.archived);
  neighboursChanged(ctx, end.model, end.record, edges!);
  if (live.length === 0) return;
  await ctx.tx.putEdges(live.map((edge) => Object.freeze({ ...edge, archived: true })));
  const ends = await otherEnds(ctx, live);
  const source = deletionSource(end);
  await logChanges(
    ctx,
    live.map((edge, at) => ({ action: 'removed', a: end, b: ends[at]!, before: edge.labels, after: [], inverseBefore: edge.inverseLabels, inverseAfter: [] })),
    source,
  );
  await reassignPrimaries(ctx, end, live, ends, source);
}

/** Contacts that had the company `end` as primary get their longest-associated remaining company. */
async function reassignPrimaries(ctx: TxContext, end: End, edges: readonly StoredEdge[], ends: readonly End[], source: Source): Promise<void> {
  if (end.model.name !== COMPANIES) return;
  for (let at = 0; at < edges.length; at++) {
    const edge = edges[at]!;
    if (edge.toType !== CONTACTS || !edge.inverseLabels.includes(PRIMARY)) continue;
    await settlePrimary(ctx, ends[at]!, new Set(), source);
  }
}

/** Restoring: associations with live records come back; a returning primary yields to a live one. */
export async function recordRestored(ctx: TxContext, end: End): Promise<void> {
  checkRequiredLater(ctx, end.model.name, end.record.id);
  const [edges] = await ctx.tx.getEdges(end.model.name, [end.record.id]);
  neighboursChanged(ctx, end.model, end.record, edges!);
  if (edges!.length === 0) return;
  const ends = await otherEnds(ctx, edges!);
  const back: StoredEdge[] = [];
  const changes: Change[] = [];
  edges!.forEach((edge, at) => {
    const other = ends[at]!;
    if (other.record.archived) return;
    back.push(Object.freeze({ ...edge, archived: false }));
    changes.push({ action: 'created', a: end, b: other, before: [], after: edge.labels, inverseBefore: [], inverseAfter: edge.inverseLabels });
  });
  if (back.length === 0) return;
  await ctx.tx.putEdges(back);
  const source: Source = { type: 'OBJECT_RESTORE', id: end.record.id };
  await logChanges(ctx, changes, source);
  if (end.model.name === COMPANIES) {
    for (const edge of back) {
      if (!edge.inverseLabels.includes(PRIMARY)) continue;
      const owner = ends[edges!.findIndex((candidate) => candidate.toId === edge.toId && candidate.toType === edge.toType)]!;
      await settlePrimary(ctx, owner, new Set([end.record.id]), source);
    }
  } else if (back.some((edge) => edge.toType === COMPANIES)) {
    await settlePrimary(ctx, end, new Set(back.filter((edge) => edge.toType === COMPANIES).map((edge) => edge.toId)), source);
  }
}

/** Purging: the record's associations go (logged on the other records) and contacts whose primary it was get another. */
export async function recordPurged(ctx: TxContext, end: End): Promise<void> {
  const [edges] = await ctx.tx.getEdges(end.model.name, [end.record.id]);
  if (edges!.length === 0) return;
  neighboursChanged(ctx, end.model, end.record, edges!);
  await ctx.tx.deleteEdges(edges!);
  const live = edges!.filter((edge) => !edge.archived);
  const ends = await otherEnds(ctx, live);
  const source = deletionSource(end);
  await logChanges(
    ctx,
    live.map((edge, at) => ({ action: 'removed', a: end, b: ends[at]!, before: edge.labels, after: [], inverseBefore: edge.inverseLabels, inverseAfter: [] })),
    source,
  );
  await reassignPrimaries(ctx, end, live, ends, source);
}

// ---------------------------------------------------------------- creation and edits

/** The `associations` option of a create: each `{ to, labels? }`. */
export function readCreateAssociations(options: unknown): Array<{ to: unknown; labels: unknown }> {
  const list = isPlainObject(options) ? options.associations : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'associations', message: `associations must be an array of { to, labels? }, got ${describeValue(list)}` }]);
  }
  const result: Array<{ to: unknown; labels: unknown }> = [];
  for (let index = 0; index < list.length; index++) {
    const item: unknown = list[index];
    if (!isPlainObject(item)) {
      throw validationError([{ code: 'INVALID_ARGUMENT', property: 'associations', index, message: `associations[${index}] must be { to, labels? }` }]);
    }
    result.push({ to: item.to, labels: item.labels });
  }
  return result;
}

/**
 * After records are created: their associations (from the `associations` option), the
 * required-association checks, and the automatic associations by domain.
 */
export async function recordsCreated(
  ctx: TxContext,
  ends: readonly End[],
  associations: ReadonlyArray<{ to: unknown; labels: unknown }>,
  source: Source,
): Promise<void> {
  if (associations.length > 0) {
    const targets = await Promise.all(associations.map((item, index) => liveEnd(ctx, item.to, `associations[${index}].to`)));
    for (const end of ends) {
      for (let at = 0; at < targets.length; at++) {
        await link(ctx, end, targets[at]!, resolveLabels(pairOf(ctx, end, targets[at]!), associations[at]!.labels, true), source);
      }
    }
  }
  for (const end of ends) checkRequiredLater(ctx, end.model.name, end.record.id);
  if (ctx.options.autoAssociateByDomain && ends.length > 0) {
    const type = ends[0]!.model.name;
    if (type === CONTACTS) for (const end of ends) await associateContactByDomain(ctx, end);
    else if (type === COMPANIES) await associateCompaniesByDomain(ctx, ends);
  }
}

/** After an update: automatic association when a contact's email or a company's domains changed, activity dates recounted. */
export async function recordUpdated(ctx: TxContext, end: End, changes: Properties): Promise<void> {
  const type = end.model.name;
  if (ctx.options.autoAssociateByDomain) {
    if (type === CONTACTS && Object.hasOwn(changes, 'email')) await associateContactByDomain(ctx, end);
    else if (type === COMPANIES && (Object.hasOwn(changes, 'domain') || Object.hasOwn(changes, 'hs_additional_domains'))) {
      await associateCompaniesByDomain(ctx, [end]);
    }
  }
  if (ACTIVITY_TYPES.has(type) && Object.hasOwn(changes, ACTIVITY_TIMESTAMP)) {
    const [edges] = await ctx.tx.getEdges(type, [end.record.id]);
    neighboursChanged(ctx, end.model, end.record, edges!);
  }
}

const DOMAIN_SOURCE: Source = Object.freeze({ type: 'DOMAIN_AUTO_ASSOCIATION' });

/** The domain of an email, normalised; `undefined` for free mail or none. */
function emailDomain(ctx: TxContext, email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  const domain = normaliseDomain(email.slice(email.lastIndexOf('@') + 1));
  if (typeof domain !== 'string' || ctx.options.autoAssociateByDomain!.has(domain)) return undefined;
  return domain;
}

/** Associates a contact with the company whose domain (or additional domain) its email's domain is. */
async function associateContactByDomain(ctx: TxContext, contact: End): Promise<void> {
  const domain = emailDomain(ctx, contact.record.properties.email);
  if (domain === undefined) return;
  const companies = ctx.schema.object(COMPANIES);
  if (!companies.keys.some((key) => key.name === 'domain')) return;
  const [id] = await ctx.tx.lookupKeys(COMPANIES, 'domain', [domain]);
  if (id === undefined) return;
  const [record] = await ctx.tx.getRecords(COMPANIES, [id]);
  await link(ctx, contact, { model: companies, record: record! }, [], DOMAIN_SOURCE, { skipWhenLimited: true });
}

/** Associates each company with every contact whose email's domain is one of the company's domains. */
async function associateCompaniesByDomain(ctx: TxContext, companies: readonly End[]): Promise<void> {
  const byDomain = new Map<string, End>();
  for (const company of companies) {
    const { domain, hs_additional_domains: more } = company.record.properties;
    const domains = [domain, ...(typeof more === 'string' ? more.split(';') : [])];
    for (const value of domains) if (typeof value === 'string' && value !== '' && !ctx.options.autoAssociateByDomain!.has(value)) byDomain.set(value, company);
  }
  if (byDomain.size === 0) return;
  const contacts = ctx.schema.object(CONTACTS);
  let after: string | undefined;
  do {
    const page = await ctx.tx.scanRecords(CONTACTS, { limit: 1_000, ...(after !== undefined ? { after } : {}) });
    for (const record of page.records) {
      const domain = emailDomain(ctx, record.properties.email);
      const company = domain === undefined ? undefined : byDomain.get(domain);
      if (company) await link(ctx, { model: contacts, record }, company, [], DOMAIN_SOURCE, { skipWhenLimited: true });
    }
    after = page.after;
  } while (after !== undefined);
}

/** An activity newly associated with a contact is also associated with the contact's primary company (source JOB). */
export async function associateActivityWithPrimary(ctx: TxContext, activity: End, contact: End): Promise<void> {
  const edges = await edgesOf(ctx, contact, COMPANIES);
  const primary = edges.find((edge) => !edge.archived && edge.labels.includes(PRIMARY));
  if (!primary) return;
  const [record] = await ctx.tx.getRecords(COMPANIES, [primary.toId]);
  const company: End = { model: ctx.schema.object(COMPANIES), record: record! };
  if (!pairAllowed(ctx, activity, company)) return;
  await link(ctx, activity, company, [], { type: 'JOB' }, { skipWhenLimited: true });
}

function pairAllowed(ctx: TxContext, a: End, b: End): boolean {
  try {
    pairOf(ctx, a, b);
    return true;
  } catch {
    return false;
  }
}

export type { StoredRecord };
