// What happens to a record's associations when the record itself changes: archived (its
// associations hide, contacts get a new primary company), restored (they come back), purged
// (they go, with the same reassignment), merged (they move to the survivor), created with
// associations, or edited so that an automation applies (domains, activity dates).
import type { TxContext } from '../schema/transaction.js';
import type { CreateAssociation } from '../arguments/records.js';
import { normaliseDomain } from '../schema/values.js';
import type { StoredEdge } from '../storage/types.js';
import { allMatches } from '../storage/evaluate.js';
import type { Predicate } from '../storage/plan.js';
import { planProperty } from '../schema/indexes.js';
import type { Properties, Source } from '../types.js';
import { ANY_TYPE, inBatch, type EdgeBatch } from './batch.js';
import { edgeFrom, link, makePrimaryOf, pairOf, preloadLinks } from './graph.js';
import { associationModel, COMPANIES, CONTACTS, PRIMARY } from './model.js';
import { endsAt, liveEnd, type End } from './refs.js';
import { mergedKeepsPrimary, primaryEdge, returningKeepsPrimary, settlePrimary as primaryAfterChange } from './primary.js';
import { labelSet, resolveLabels } from './rules.js';

/**
 * Applies the primary-company rule to an owner whose companies came back or went: a restored
 * primary does not take over from a live one, and a contact with companies always has one.
 */
async function settlePrimary(batch: EdgeBatch, owner: End, returning: ReadonlySet<string>, source: Source): Promise<void> {
  const { demote, promote } = primaryAfterChange(owner.model.name, [...(await batch.edges(owner, COMPANIES)).values()], returning);
  if (demote.length > 0) {
    const ends = await endsAt(batch.ctx, demote);
    demote.forEach((edge, at) => {
      const company = ends[at]!;
      const after = labelSet(edge.labels, [], [PRIMARY]);
      const inverseAfter = labelSet(edge.inverseLabels, [], [PRIMARY]);
      batch.put(edgeFrom(owner, company, after, inverseAfter, edge.createdAt));
      batch.log({ action: 'relabelled', a: owner, b: company, before: edge.labels, after, inverseBefore: edge.inverseLabels, inverseAfter, source });
    });
  }
  if (promote) await makePrimaryOf(batch, owner, promote.toId, source);
}

function deletionSource(end: End): Source {
  return { type: 'OBJECT_DELETION', id: end.record.id };
}

/** Archiving: the record's associations hide (kept, labels and all) and contacts whose primary it was get another. */
export async function recordArchived(ctx: TxContext, end: End): Promise<void> {
  await inBatch(ctx, async (batch) => {
    const edges = [...(await batch.edges(end, ANY_TYPE)).values()];
    ctx.log({ kind: 'record', action: 'archived', model: end.model, record: end.record, neighbours: edges });
    const live = edges.filter((edge) => !edge.archived);
    if (live.length === 0) return;
    const ends = await endsAt(ctx, live);
    const source = deletionSource(end);
    live.forEach((edge, at) => {
      batch.put(Object.freeze({ ...edge, archived: true }));
      batch.log({ action: 'removed', a: end, b: ends[at]!, before: edge.labels, after: [], inverseBefore: edge.inverseLabels, inverseAfter: [], source });
    });
    await reassignPrimaries(batch, end, live, ends, source);
  });
}

/** Contacts that had the company `end` as primary get their longest-associated remaining company. */
async function reassignPrimaries(batch: EdgeBatch, end: End, edges: readonly StoredEdge[], ends: readonly End[], source: Source): Promise<void> {
  if (end.model.name !== COMPANIES) return;
  const owners = edges.flatMap((edge, at) => (edge.toType === CONTACTS && edge.inverseLabels.includes(PRIMARY) ? [ends[at]!] : []));
  await batch.load(owners.map((owner) => [owner, COMPANIES] as const));
  for (const owner of owners) await settlePrimary(batch, owner, new Set(), source);
}

/** Restoring: associations with live records come back; a returning primary yields to a live one. */
export async function recordRestored(ctx: TxContext, end: End): Promise<void> {
  await inBatch(ctx, async (batch) => {
    const edges = [...(await batch.edges(end, ANY_TYPE)).values()];
    ctx.log({ kind: 'record', action: 'restored', model: end.model, record: end.record, neighbours: edges });
    if (edges.length === 0) return;
    const ends = await endsAt(ctx, edges);
    const source: Source = { type: 'OBJECT_RESTORE', id: end.record.id };
    const back = edges.flatMap((edge, at) => (ends[at]!.record.archived ? [] : [{ edge, other: ends[at]! }]));
    if (back.length === 0) return;
    // A returning company that was an owner's primary may yield to the owner's current one (./primary.ts).
    const owners = end.model.name === COMPANIES ? back.filter(({ other }) => other.model.name !== COMPANIES).map(({ other }) => other) : [];
    await batch.load(owners.map((owner) => [owner, COMPANIES] as const));
    for (const item of back) {
      let { edge } = item;
      if (owners.includes(item.other) && edge.labels.includes(PRIMARY)) {
        if (!returningKeepsPrimary(primaryEdge((await batch.edges(item.other, COMPANIES)).values()), end.record.id)) {
          edge = { ...edge, labels: labelSet(edge.labels, [], [PRIMARY]), inverseLabels: labelSet(edge.inverseLabels, [], [PRIMARY]) };
        }
      }
      batch.put(Object.freeze({ ...edge, archived: false }));
      batch.log({ action: 'created', a: end, b: item.other, before: [], after: edge.labels, inverseBefore: [], inverseAfter: edge.inverseLabels, source });
    }
    // Then every owner settles: a contact that lost its other companies meanwhile needs one as primary.
    if (end.model.name === COMPANIES) {
      for (const owner of owners) await settlePrimary(batch, owner, new Set([end.record.id]), source);
    } else {
      const returning = new Set(back.filter(({ edge }) => edge.toType === COMPANIES).map(({ edge }) => edge.toId));
      if (returning.size > 0) await settlePrimary(batch, end, returning, source);
    }
  });
}

/** Purging: the record's associations go (logged on the other records) and contacts whose primary it was get another. */
export async function recordPurged(ctx: TxContext, end: End): Promise<void> {
  await inBatch(ctx, async (batch) => {
    const edges = [...(await batch.edges(end, ANY_TYPE)).values()];
    if (edges.length === 0) return;
    ctx.log({ kind: 'record', action: 'purged', model: end.model, record: end.record, neighbours: edges });
    for (const edge of edges) batch.delete(edge);
    const live = edges.filter((edge) => !edge.archived);
    const ends = await endsAt(ctx, live);
    const source = deletionSource(end);
    live.forEach((edge, at) => {
      batch.log({ action: 'removed', a: end, b: ends[at]!, before: edge.labels, after: [], inverseBefore: edge.inverseLabels, inverseAfter: [], source });
    });
    await reassignPrimaries(batch, end, live, ends, source);
  });
}

/**
 * Merging: every association of `merged` moves to `survivor`, labels combined, the older
 * association's time kept; a second primary company arrives without its label (./primary.ts).
 */
export async function recordMerged(ctx: TxContext, survivor: End, merged: End, source: Source): Promise<void> {
  await inBatch(ctx, async (batch) => {
    const edges = [...(await batch.edges(merged, ANY_TYPE)).values()];
    const others = await endsAt(ctx, edges);
    for (let at = 0; at < edges.length; at++) {
      const edge = edges[at]!;
      const other = others[at]!;
      batch.delete(edge);
      batch.log({ action: 'removed', a: merged, b: other, before: edge.labels, after: [], inverseBefore: edge.inverseLabels, inverseAfter: [], source });
      if (edge.toType === survivor.model.name && edge.toId === survivor.record.id) continue;
      const own = await batch.edges(survivor, edge.toType);
      const existing = own.get(edge.toId);
      let labels = labelSet(existing?.labels ?? [], edge.labels);
      let inverseLabels = labelSet(existing?.inverseLabels ?? [], edge.inverseLabels);
      if (labels.includes(PRIMARY) && !mergedKeepsPrimary(survivor.model.name, edge, primaryEdge(own.values()))) {
        labels = labelSet(labels, [], [PRIMARY]);
        inverseLabels = labelSet(inverseLabels, [], [PRIMARY]);
      }
      const createdAt = existing && existing.createdAt < edge.createdAt ? existing.createdAt : edge.createdAt;
      batch.put(edgeFrom(survivor, other, labels, inverseLabels, createdAt, edge.archived));
      batch.log({
        action: existing ? 'relabelled' : 'created',
        a: survivor,
        b: other,
        before: existing?.labels ?? [],
        after: labels,
        inverseBefore: existing?.inverseLabels ?? [],
        inverseAfter: inverseLabels,
        source,
      });
    }
  });
}

// ---------------------------------------------------------------- creation and edits

/**
 * After records are created: their associations (from the `associations` option), the
 * required-association checks, and the automatic associations by domain. Undefined, not a
 * promise, when there is nothing to wait for (no associations, none by domain): most creates.
 */
export function recordsCreated(ctx: TxContext, ends: readonly End[], associations: readonly CreateAssociation[], source: Source): Promise<void> | undefined {
  if (associations.length > 0 || (ctx.options.autoAssociateByDomain && ends.length > 0)) return linkCreated(ctx, ends, associations, source);
  logCreated(ctx, ends);
  return undefined;
}

function logCreated(ctx: TxContext, ends: readonly End[]): void {
  for (const end of ends) ctx.log({ kind: 'record', action: 'created', model: end.model, record: end.record });
}

async function linkCreated(ctx: TxContext, ends: readonly End[], associations: readonly CreateAssociation[], source: Source): Promise<void> {
  if (associations.length > 0) {
    const targets: End[] = [];
    for (let index = 0; index < associations.length; index++) targets.push(await liveEnd(ctx, associations[index]!.to));
    const labels = targets.map((target, at) => resolveLabels(pairOf(ctx, ends[0]!, target), associations[at]!.labels, true));
    await inBatch(ctx, async (batch) => {
      await preloadLinks(batch, ends.flatMap((end) => targets.map((target) => [end, target] as const)));
      for (const end of ends) {
        for (let at = 0; at < targets.length; at++) await link(batch, end, targets[at]!, labels[at]!, source);
      }
    });
  }
  logCreated(ctx, ends);
  if (ctx.options.autoAssociateByDomain && ends.length > 0) {
    const type = ends[0]!.model.name;
    if (type === CONTACTS) for (const end of ends) await associateContactByDomain(ctx, end);
    else if (type === COMPANIES) await associateCompaniesByDomain(ctx, ends);
  }
}

/** After an update: automatic association when a contact's email or a company's domains changed; the change logged (an activity's time moves its records' last activity date). */
export async function recordUpdated(ctx: TxContext, end: End, changes: Properties): Promise<void> {
  const type = end.model.name;
  if (ctx.options.autoAssociateByDomain) {
    if (type === CONTACTS && Object.hasOwn(changes, 'email')) await associateContactByDomain(ctx, end);
    else if (type === COMPANIES && (Object.hasOwn(changes, 'domain') || Object.hasOwn(changes, 'hs_additional_domains'))) {
      await associateCompaniesByDomain(ctx, [end]);
    }
  }
  ctx.log({ kind: 'record', action: 'updated', model: end.model, record: end.record, changed: Object.keys(changes) });
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
  await inBatch(ctx, (batch) => link(batch, contact, { model: companies, record: record! }, [], DOMAIN_SOURCE, { skipWhenLimited: true }));
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
  const email = contacts.property('email');
  if (!email) return;
  // A search, so that a SQL storage finds the contacts in the database: emails are stored
  // normalised, the domain as the company's is, so an email at a domain ends with '@' and it.
  const emailAt = planProperty(contacts, email);
  const where: Predicate = { kind: 'or', of: [...byDomain.keys()].map((domain) => ({ kind: 'tokens', property: emailAt, pattern: `*@${domain}` })) };
  const matches: Array<readonly [End, End]> = [];
  for await (const records of allMatches(ctx.tx, { objectType: CONTACTS, where, sorts: [], limit: 1_000, total: false })) {
    for (const record of records) {
      const domain = emailDomain(ctx, record.properties.email);
      const company = domain === undefined ? undefined : byDomain.get(domain);
      if (company) matches.push([{ model: contacts, record }, company]);
    }
  }
  if (matches.length === 0) return;
  await inBatch(ctx, async (batch) => {
    await preloadLinks(batch, matches);
    for (const [contact, company] of matches) await link(batch, contact, company, [], DOMAIN_SOURCE, { skipWhenLimited: true });
  });
}

/** An activity newly associated with a contact is also associated with the contact's primary company (source JOB). */
export async function associateActivityWithPrimary(batch: EdgeBatch, activity: End, contact: End): Promise<void> {
  const primary = primaryEdge((await batch.edges(contact, COMPANIES)).values());
  if (!primary || !associationModel(batch.ctx.schema).pair(activity.model.name, COMPANIES)) return;
  const [record] = await batch.ctx.tx.getRecords(COMPANIES, [primary.toId]);
  await link(batch, activity, { model: batch.ctx.schema.object(COMPANIES), record: record! }, [], JOB_SOURCE, { skipWhenLimited: true });
}

const JOB_SOURCE: Source = Object.freeze({ type: 'JOB' });

