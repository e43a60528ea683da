// The decisions of the write primitives, once for every SQL database: which rows an edge write
// touches (both directions of each association) and which key claims conflict. The dialects run
// the statements; these functions say what to run and what it meant.
import { inverseEdge } from 'crmkit/storage';
import type { EdgeEnds, KeyClaim, KeyConflict, StoredEdge } from 'crmkit/storage';

/**
 * One row of `crmkit_edges` to write: an association seen from one end.
 *
 * @example
 * const row: EdgeRow = { fromType: 'contacts', fromId: 'c1', toType: 'companies', toId: 'co1', labels: [], inverseLabels: [], createdAt, archived: false };
 */
export type EdgeRow = StoredEdge;

/**
 * The rows `putEdges(edges)` writes, for a statement that writes them all at once (PostgreSQL's
 * one INSERT per batch, which may not touch a row twice): each edge and its inverse (ends and
 * label lists swapped), a row named twice (an edge and its inverse in one batch, a
 * self-association) once, in its first place with its last value, as putting the edges one by
 * one leaves it. (SQLite puts them one by one: one upsert per row does that by itself.)
 *
 * @example
 * edgeRowsBothWays([contactToCompany]); // [contact → company, company → contact]
 */
export function edgeRowsBothWays(edges: readonly StoredEdge[]): EdgeRow[] {
  // One edge (most calls): its two rows, or one for an association of a record with itself.
  if (edges.length === 1) {
    const edge = edges[0]!;
    const inverse = inverseEdge(edge);
    return edge.fromType === edge.toType && edge.fromId === edge.toId ? [inverse] : [edge, inverse];
  }
  const rows = new Map<string, EdgeRow>();
  const put = (row: EdgeRow): void => {
    const name = `${row.fromType}\u0000${row.fromId}\u0000${row.toType}\u0000${row.toId}`;
    // Deleting first would move a repeated row last; setting an existing key keeps its place.
    rows.set(name, row);
  };
  for (const edge of edges) {
    put(edge);
    put(inverseEdge(edge));
  }
  return [...rows.values()];
}

/**
 * The rows `deleteEdges(ends)` deletes, for a statement that deletes them all at once: both
 * directions of each association, whichever end names it.
 *
 * @example
 * edgeEndsBothWays([{ fromType: 'contacts', fromId: 'c1', toType: 'companies', toId: 'co1' }]).length; // 2
 */
export function edgeEndsBothWays(ends: readonly EdgeEnds[]): EdgeEnds[] {
  const rows: EdgeEnds[] = [];
  for (const end of ends) {
    rows.push({ fromType: end.fromType, fromId: end.fromId, toType: end.toType, toId: end.toId });
    rows.push({ fromType: end.toType, fromId: end.toId, toType: end.fromType, toId: end.fromId });
  }
  return rows;
}

/**
 * The claims of a `claimKeys` call that another record holds: `holder` answers who holds each
 * claim's (key, value) once the call's inserts ran (the claim's own id when it was granted,
 * undefined when no one does). Claims are granted in order, so a second claim on one value in
 * one call is refused with the first claim's id.
 *
 * @example
 * keyConflicts(claims, (claim) => (inserted(claim) ? claim.id : lookup(claim))); // [{ index: 1, existingId: 'c7' }]
 */
export function keyConflicts(claims: readonly KeyClaim[], holder: (claim: KeyClaim, index: number) => string | undefined): KeyConflict[] {
  const conflicts: KeyConflict[] = [];
  for (let index = 0; index < claims.length; index++) {
    const claim = claims[index]!;
    const existingId = holder(claim, index);
    if (existingId !== undefined && existingId !== claim.id) conflicts.push({ index, existingId });
  }
  return conflicts;
}
