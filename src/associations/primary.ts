// The primary-company rule, every decision of it in one place (docs/associations.md "Primary
// company"). A record of any type but companies may have one primary company; a contact with
// companies must have exactly one. Each function here is pure: given the edges storage returned,
// it answers which company becomes or stops being primary. The graph (./graph.ts) and the record
// lifecycles (./lifecycle.ts: archive, restore, purge, merge) apply the answers.
import { CrmError } from '../errors.js';
import type { StoredEdge } from '../storage/types.js';
import { COMPANIES, CONTACTS, PRIMARY, type PairView } from './model.js';

/** A record as the rule sees it: its type and id. */
export interface PrimaryParty {
  readonly type: string;
  readonly id: string;
}

/**
 * The record's live primary-company edge, if any.
 *
 * @example
 * primaryEdge(edgesToCompanies)?.toId; // the primary company's id
 */
export function primaryEdge(edges: Iterable<StoredEdge>): StoredEdge | undefined {
  for (const edge of edges) if (!edge.archived && edge.labels.includes(PRIMARY)) return edge;
  return undefined;
}

/**
 * The company that becomes a contact's primary when its primary goes: the longest-associated
 * remaining live company (ties: the order the associations were made, which `edges` is in).
 *
 * @example
 * longestAssociated(edgesToCompanies, lostCompanyId)?.toId;
 */
export function longestAssociated(edges: Iterable<StoredEdge>, excluding: string): StoredEdge | undefined {
  let best: StoredEdge | undefined;
  for (const edge of edges) {
    if (edge.archived || edge.toId === excluding) continue;
    if (best === undefined || edge.createdAt < best.createdAt) best = edge;
  }
  return best;
}

/** PRIMARY_REQUIRED: a contact with companies must keep a primary. */
export function primaryRequired(id: string, message: string): CrmError {
  return new CrmError('PRIMARY_REQUIRED', `contact ${JSON.stringify(id)}: ${message}`, { objectType: CONTACTS, id });
}

/**
 * Which end of an association owns the rule (the non-company end) and which is the company;
 * undefined when the pair has no primary (company → company, or no company at all).
 *
 * @example
 * primaryOwner(pairView, contactEnd, companyEnd); // { owner: contactEnd, company: companyEnd }
 */
export function primaryOwner<E>(view: PairView, a: E, b: E): { owner: E; company: E } | undefined {
  if (view.hasPrimary) return { owner: a, company: b };
  if (view.seesPrimary) return { owner: b, company: a };
  return undefined;
}

/**
 * On associate: whether the company becomes the owner's primary, and which primary it demotes.
 * Naming the primary label makes it primary and demotes the current one (which stays
 * associated); otherwise the first company a record is associated with becomes its primary.
 *
 * @example
 * primaryOnAssociate(ownerEdges, { isNew: true, namesPrimary: false }); // { makePrimary: true } for a first company
 */
export function primaryOnAssociate(
  ownerEdges: Iterable<StoredEdge>,
  association: { isNew: boolean; namesPrimary: boolean },
): { makePrimary: boolean; demote?: StoredEdge } {
  const current = primaryEdge(ownerEdges);
  if (association.namesPrimary) return current ? { makePrimary: true, demote: current } : { makePrimary: true };
  return { makePrimary: current === undefined && association.isNew };
}

/**
 * On unlabel or remove: the company that becomes the owner's primary when it loses `companyId`
 * as primary (undefined: none). Contacts must keep one: with one company left it becomes primary
 * on removal; with more, or on unlabel with any other, the caller names `newPrimary`
 * (PRIMARY_REQUIRED otherwise). Other objects take `newPrimary` when given and may have none.
 *
 * @example
 * successorOnLoss(contact, contactCompanyEdges, oldPrimaryId, undefined, true); // the one company left, if exactly one
 */
export function successorOnLoss(
  owner: PrimaryParty,
  ownerEdges: Iterable<StoredEdge>,
  companyId: string,
  newPrimary: PrimaryParty | undefined,
  removing: boolean,
): string | undefined {
  if (newPrimary) {
    if (newPrimary.type !== COMPANIES) {
      throw new CrmError('PRIMARY_NOT_ALLOWED', `newPrimary must be a company, got a ${newPrimary.type} record`, { objectType: newPrimary.type });
    }
    if (newPrimary.id === companyId) throw primaryRequired(owner.id, `newPrimary names the company that is losing the primary label`);
    return newPrimary.id;
  }
  if (owner.type !== CONTACTS) return undefined;
  const others = [...ownerEdges].filter((edge) => !edge.archived && edge.toId !== companyId);
  if (removing) {
    if (others.length === 0) return undefined;
    if (others.length === 1) return others[0]!.toId;
    throw primaryRequired(owner.id, `removing its primary company leaves ${others.length} companies: name the new primary ({ newPrimary })`);
  }
  if (others.length === 0) throw primaryRequired(owner.id, 'its only company must stay primary');
  throw primaryRequired(owner.id, 'name the company that becomes primary instead ({ newPrimary })');
}

/**
 * After companies came back (restore) or went (archive, purge): the primary labels to take off
 * (a restored primary yields to a live one that is not `returning`) and the company to promote
 * (a contact left with companies and no primary gets its longest-associated one).
 *
 * @example
 * settlePrimary('contacts', edgesToCompanies, new Set([restoredCompanyId])); // { demote: [...], promote: edge | undefined }
 */
export function settlePrimary(
  ownerType: string,
  companyEdges: readonly StoredEdge[],
  returning: ReadonlySet<string>,
): { demote: StoredEdge[]; promote: StoredEdge | undefined } {
  const primaries = companyEdges.filter((edge) => !edge.archived && edge.labels.includes(PRIMARY));
  if (primaries.length > 1) {
    const keep = primaries.find((edge) => !returning.has(edge.toId)) ?? primaries[0]!;
    return { demote: primaries.filter((edge) => edge !== keep), promote: undefined };
  }
  if (primaries.length === 0 && ownerType === CONTACTS) return { demote: [], promote: longestAssociated(companyEdges, '') };
  return { demote: [], promote: undefined };
}

/**
 * On restore: whether a returning association that was the owner's primary keeps the label. It
 * yields to the primary the owner has now, so it comes back without the label rather than with
 * it and then losing it.
 *
 * @example
 * returningKeepsPrimary(primaryEdge(ownerEdges), restoredCompanyId);
 */
export function returningKeepsPrimary(currentPrimary: StoredEdge | undefined, companyId: string): boolean {
  return currentPrimary === undefined || currentPrimary.toId === companyId;
}

/**
 * On merge: whether an association moved to the survivor keeps the primary label. The survivor
 * keeps its own primary company; a company survivor has no primary of its own.
 *
 * @example
 * mergedKeepsPrimary('contacts', movedEdge, primaryEdge(survivorCompanyEdges));
 */
export function mergedKeepsPrimary(survivorType: string, moved: StoredEdge, survivorPrimary: StoredEdge | undefined): boolean {
  if (moved.toType !== COMPANIES || survivorType === COMPANIES) return true;
  return survivorPrimary === undefined || survivorPrimary.toId === moved.toId;
}
