// The graph as one call sees it while it works: edges read from storage once (in batches, one
// storage call per object pair), every change applied here at once so that the next step of the
// call sees it, and all of it written to storage in one go at the end (edges, then history and
// events). Batch calls (associateMany, createMany with associations, archiving a company with
// many contacts) thus cost one storage round trip per kind of work, not one per association.
import type { TxContext } from '../context.js';
import type { StoredEdge } from '../storage/types.js';
import type { Source } from '../types.js';
import { logChanges, type Change } from './history.js';
import type { End } from './refs.js';

/** All edges of a record, whatever the other type (for the one-parent rule and lifecycles). */
export const ANY_TYPE = '*';

type EdgeMap = Map<string, StoredEdge>;

function listKey(type: string, id: string, toType: string): string {
  return `${type}\u0000${id}\u0000${toType}`;
}

function sideKey(type: string, id: string): string {
  return `${type}\u0000${id}`;
}

/** The key of an edge in a record's map: the other id, or type and id in an any-type map. */
function entryKey(edge: StoredEdge, anyType: boolean): string {
  return anyType ? `${edge.toType}\u0000${edge.toId}` : edge.toId;
}

/** The edge seen from its other end. */
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

export class EdgeBatch {
  /** Loaded edge maps by record and other type, kept current with this batch's changes. */
  private readonly maps = new Map<string, EdgeMap>();
  /** Changes not yet written, by record side: other type + id → the edge seen from that side, or null when deleted. */
  private readonly pending = new Map<string, Map<string, StoredEdge | null>>();
  /** Every association written, in the order first touched: its edge from one side, or the ends when deleted. */
  private readonly writes = new Map<string, { edge: StoredEdge; deleted: boolean }>();
  private readonly changes: Change[] = [];

  constructor(readonly ctx: TxContext) {}

  /** Loads the edges of many records at once (one storage call per object type and other type). */
  async load(requests: ReadonlyArray<readonly [End, string]>): Promise<void> {
    const groups = new Map<string, { type: string; toType: string; ids: Set<string> }>();
    for (const [end, toType] of requests) {
      const type = end.model.name;
      const id = end.record.id;
      if (this.maps.has(listKey(type, id, toType))) continue;
      const group = `${type}\u0000${toType}`;
      let entry = groups.get(group);
      if (!entry) groups.set(group, (entry = { type, toType, ids: new Set() }));
      entry.ids.add(id);
    }
    for (const { type, toType, ids: idSet } of groups.values()) {
      const ids = [...idSet];
      const lists = await this.ctx.tx.getEdges(type, ids, toType === ANY_TYPE ? undefined : toType);
      ids.forEach((id, at) => this.install(type, id, toType, lists[at]!));
    }
  }

  /** A record's edges to `toType` records (or ANY_TYPE), in association order, with this batch's changes. */
  async edges(end: End, toType: string): Promise<EdgeMap> {
    const key = listKey(end.model.name, end.record.id, toType);
    let map = this.maps.get(key);
    if (!map) {
      await this.load([[end, toType]]);
      map = this.maps.get(key)!;
    }
    return map;
  }

  private install(type: string, id: string, toType: string, edges: readonly StoredEdge[]): void {
    const anyType = toType === ANY_TYPE;
    const map: EdgeMap = new Map();
    for (const edge of edges) map.set(entryKey(edge, anyType), edge);
    // Changes this batch made before the record's edges were loaded.
    const changed = this.pending.get(sideKey(type, id));
    if (changed) {
      for (const edge of changed.values()) {
        if (edge === null) continue;
        if (anyType || edge.toType === toType) map.set(entryKey(edge, anyType), edge);
      }
      for (const [key, edge] of changed) {
        if (edge !== null) continue;
        const [otherType, otherId] = key.split('\u0000') as [string, string];
        if (anyType) map.delete(key);
        else if (otherType === toType) map.delete(otherId);
      }
    }
    this.maps.set(listKey(type, id, toType), map);
  }

  /** Applies one side of a change to the loaded maps and the pending set. */
  private applySide(edge: StoredEdge, deleted: boolean): void {
    const { fromType, fromId, toType, toId } = edge;
    let changed = this.pending.get(sideKey(fromType, fromId));
    if (!changed) this.pending.set(sideKey(fromType, fromId), (changed = new Map()));
    changed.set(`${toType}\u0000${toId}`, deleted ? null : edge);
    const typed = this.maps.get(listKey(fromType, fromId, toType));
    const any = this.maps.get(listKey(fromType, fromId, ANY_TYPE));
    if (deleted) {
      typed?.delete(toId);
      any?.delete(`${toType}\u0000${toId}`);
    } else {
      // Map.set on an existing key keeps its place: a relabelled association keeps its order.
      typed?.set(toId, edge);
      any?.set(`${toType}\u0000${toId}`, edge);
    }
  }

  private writeKey(edge: StoredEdge): string {
    const a = `${edge.fromType}\u0000${edge.fromId}`;
    const b = `${edge.toType}\u0000${edge.toId}`;
    return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  }

  /** Stores (adds or replaces) an association. */
  put(edge: StoredEdge): void {
    this.applySide(edge, false);
    this.applySide(inverseEdge(edge), false);
    this.writes.set(this.writeKey(edge), { edge, deleted: false });
  }

  /** Deletes an association. */
  delete(edge: StoredEdge): void {
    this.applySide(edge, true);
    this.applySide(inverseEdge(edge), true);
    this.writes.set(this.writeKey(edge), { edge, deleted: true });
  }

  /** Logs a change (history and events are written at flush). */
  log(change: Change): void {
    this.changes.push(change);
  }

  /** Writes everything to storage: deletions, then additions and replacements, then history and events. */
  async flush(): Promise<void> {
    if (this.writes.size === 0 && this.changes.length === 0) return;
    const deleted: StoredEdge[] = [];
    const put: StoredEdge[] = [];
    for (const { edge, deleted: gone } of this.writes.values()) (gone ? deleted : put).push(edge);
    this.writes.clear();
    if (deleted.length > 0) await this.ctx.tx.deleteEdges(deleted);
    if (put.length > 0) await this.ctx.tx.putEdges(put);
    const changes = this.changes.splice(0);
    await logChanges(this.ctx, changes);
    this.pending.clear();
  }
}

/** Runs `fn` with a new batch and writes what it did. */
export async function inBatch<T>(ctx: TxContext, fn: (batch: EdgeBatch) => Promise<T>): Promise<T> {
  const batch = new EdgeBatch(ctx);
  const result = await fn(batch);
  await batch.flush();
  return result;
}

export type { Source };
