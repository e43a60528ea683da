// The graph as one call sees it while it works: edges read from storage once (in batches, one
// storage call per object pair), every change applied here at once so that the next step of the
// call sees it, and all of it written to storage in one go at the end (edges, then history and
// events). Batch calls (associateMany, createMany with associations, archiving a company with
// many contacts) thus cost one storage round trip per kind of work, not one per association.
import type { TxContext } from '../schema/transaction.js';
import { inverseEdge } from '../storage/edges.js';
import type { StoredEdge } from '../storage/types.js';
import { logChanges, type Change } from './history.js';
import type { End } from './refs.js';

/** All edges of a record, whatever the other type (for the one-parent rule and lifecycles). */
export const ANY_TYPE = '*';

/** A record's edges to one type, by the other id; or, for ANY_TYPE, by other type and id. */
type EdgeMap = Map<string, StoredEdge>;

/** What the batch knows of one record: its loaded edge maps and the changes not yet written. */
interface Side {
  /** Loaded maps by other type (ANY_TYPE included). */
  readonly maps: Map<string, EdgeMap>;
  /** Unwritten changes by other type, then other id: the edge from this side, or null when deleted. */
  pending: Map<string, Map<string, StoredEdge | null>> | undefined;
}

function anyKey(toType: string, toId: string): string {
  return `${toType}\u0000${toId}`;
}

export class EdgeBatch {
  /** Records by type, then id. */
  private readonly sides = new Map<string, Map<string, Side>>();
  /** Every association written, in the order first touched: its latest edge (from either side) and whether it was deleted. */
  private readonly writes: Array<{ edge: StoredEdge; deleted: boolean }> = [];
  private readonly changes: Change[] = [];
  /** Whether some association was written twice (then flush keeps only its final state). */
  private rewritten = false;

  constructor(readonly ctx: TxContext) {}

  private side(type: string, id: string): Side {
    let ofType = this.sides.get(type);
    if (!ofType) this.sides.set(type, (ofType = new Map()));
    let side = ofType.get(id);
    if (!side) ofType.set(id, (side = { maps: new Map(), pending: undefined }));
    return side;
  }

  /** Loads the edges of many records at once (one storage call per object type and other type). */
  async load(requests: ReadonlyArray<readonly [End, string]>): Promise<void> {
    const groups = new Map<string, Map<string, Set<string>>>();
    for (const [end, toType] of requests) {
      const type = end.model.name;
      const id = end.record.id;
      if (this.sides.get(type)?.get(id)?.maps.has(toType)) continue;
      let byToType = groups.get(type);
      if (!byToType) groups.set(type, (byToType = new Map()));
      let ids = byToType.get(toType);
      if (!ids) byToType.set(toType, (ids = new Set()));
      ids.add(id);
    }
    for (const [type, byToType] of groups) {
      for (const [toType, idSet] of byToType) {
        const ids = [...idSet];
        const lists = await this.ctx.tx.getEdges(type, ids, toType === ANY_TYPE ? undefined : toType);
        for (let at = 0; at < ids.length; at++) this.install(this.side(type, ids[at]!), toType, lists[at]!);
      }
    }
  }

  /** A record's edges to `toType` records (or ANY_TYPE), in association order, with this batch's changes. */
  async edges(end: End, toType: string): Promise<ReadonlyMap<string, StoredEdge>> {
    const map = this.loaded(end, toType);
    if (map) return map;
    await this.load([[end, toType]]);
    return this.side(end.model.name, end.record.id).maps.get(toType)!;
  }

  /** The same, when already loaded (no await on the hot path); `undefined` otherwise. */
  loaded(end: End, toType: string): ReadonlyMap<string, StoredEdge> | undefined {
    return this.sides.get(end.model.name)?.get(end.record.id)?.maps.get(toType);
  }

  private install(side: Side, toType: string, edges: readonly StoredEdge[]): void {
    const anyType = toType === ANY_TYPE;
    const map: EdgeMap = new Map();
    for (const edge of edges) map.set(anyType ? anyKey(edge.toType, edge.toId) : edge.toId, edge);
    // Changes this batch made before the record's edges were loaded.
    if (side.pending) {
      for (const [otherType, changed] of side.pending) {
        if (!anyType && otherType !== toType) continue;
        for (const [otherId, edge] of changed) {
          const key = anyType ? anyKey(otherType, otherId) : otherId;
          if (edge === null) map.delete(key);
          else map.set(key, edge);
        }
      }
    }
    side.maps.set(toType, map);
  }

  /** Applies one side of a change to the loaded maps and the pending set. */
  private applySide(edge: StoredEdge, deleted: boolean): void {
    const { toType, toId } = edge;
    const side = this.side(edge.fromType, edge.fromId);
    side.pending ??= new Map();
    let changed = side.pending.get(toType);
    if (!changed) side.pending.set(toType, (changed = new Map()));
    if (changed.has(toId)) this.rewritten = true;
    changed.set(toId, deleted ? null : edge);
    const typed = side.maps.get(toType);
    const any = side.maps.get(ANY_TYPE);
    if (deleted) {
      typed?.delete(toId);
      any?.delete(anyKey(toType, toId));
    } else {
      // Map.set on an existing key keeps its place: a relabelled association keeps its order.
      typed?.set(toId, edge);
      any?.set(anyKey(toType, toId), edge);
    }
  }

  /** Stores (adds or replaces) an association. */
  put(edge: StoredEdge): void {
    this.applySide(edge, false);
    this.applySide(inverseEdge(edge), false);
    this.writes.push({ edge, deleted: false });
  }

  /** Deletes an association. */
  delete(edge: StoredEdge): void {
    this.applySide(edge, true);
    this.applySide(inverseEdge(edge), true);
    this.writes.push({ edge, deleted: true });
  }

  /** Logs a change (history and events are written at flush). */
  log(change: Change): void {
    this.changes.push(change);
  }

  /**
   * Writes everything to storage: each association's final state (deleted ones first, then
   * added or replaced ones, in the order first touched), then history and events.
   */
  async flush(): Promise<void> {
    if (this.writes.length === 0 && this.changes.length === 0) return;
    const writes = this.writes.splice(0);
    // Most batches touch each association once, and then the list is already final.
    let final = writes;
    if (this.rewritten) {
      this.rewritten = false;
      // By association: the latest write, in the order of the first (a Map keeps first-set order).
      const latest = new Map<string, number>();
      writes.forEach(({ edge }, at) => {
        const a = `${edge.fromType}\u0000${edge.fromId}`;
        const b = `${edge.toType}\u0000${edge.toId}`;
        latest.set(a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`, at);
      });
      final = [...latest.values()].map((at) => writes[at]!);
    }
    const deleted: StoredEdge[] = [];
    const put: StoredEdge[] = [];
    for (const { edge, deleted: gone } of final) (gone ? deleted : put).push(edge);
    if (deleted.length > 0) await this.ctx.tx.deleteEdges(deleted);
    if (put.length > 0) await this.ctx.tx.putEdges(put);
    for (const ofType of this.sides.values()) for (const side of ofType.values()) side.pending = undefined;
    await logChanges(this.ctx, this.changes.splice(0));
  }
}

/** Runs `fn` with a new batch and writes what it did. */
export async function inBatch<T>(ctx: TxContext, fn: (batch: EdgeBatch) => Promise<T>): Promise<T> {
  const batch = new EdgeBatch(ctx);
  const result = await fn(batch);
  await batch.flush();
  return result;
}
