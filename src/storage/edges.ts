// Helpers for edges that both the engine and adapters use.
import type { StoredEdge } from './types.js';

/**
 * The edge seen from its other end: ends and label lists swapped, the rest the same. Adapters
 * store it beside the edge they are given (`putEdges`).
 *
 * @example
 * const back = inverseEdge(edge); // back.fromId === edge.toId, back.labels === edge.inverseLabels
 */
export function inverseEdge(edge: StoredEdge): StoredEdge {
  return Object.freeze({
    fromType: edge.toType,
    fromId: edge.toId,
    toType: edge.fromType,
    toId: edge.fromId,
    labels: edge.inverseLabels,
    inverseLabels: edge.labels,
    createdAt: edge.createdAt,
    archived: edge.archived,
  });
}
