// Opt-in search lag: HubSpot's search index trails writes by seconds, and apps that search right
// after writing must cope. crmkit's search reads its own writes, so the lag is an approximation
// laid over the answer: a record written less than `lagMs` ago is left out of search results
// (and the total), as if the index had not seen it yet. Keeping a second, delayed copy of the
// storage to search would be exact but costly; the approximation differs in two ways, both
// documented in docs/hubspot.md: a recently *updated* record is missing rather than found with
// its old values, and an archived one disappears at once.
import type { ChangeEvent, Crm } from 'crmkit';

/** Events after which the record's search document would be re-indexed. */
const WRITES = new Set<ChangeEvent['type']>(['record.created', 'record.updated', 'record.restored', 'record.merged']);

/**
 * Remembers when each record was last written (from the crm's change events) and hides records
 * written less than `lagMs` ago from search answers.
 *
 * @example
 * const lag = createSearchLag(1_000);
 * lag.follow(crm);
 * lag.hidden('contacts', '12', Date.now()); // true within a second of writing contact 12
 */
export function createSearchLag(lagMs: number, now: () => number = () => Date.now()) {
  if (!Number.isFinite(lagMs) || lagMs < 0) throw new RangeError(`searchLagMs must be a number of ms of at least 0, got ${String(lagMs)}`);
  const writtenAt = new Map<string, number>();
  let unsubscribe: (() => void) | undefined;
  const key = (objectType: string, id: string) => `${objectType}\u0000${id}`;

  /** Drops entries old enough to be searchable again, so the map holds only the last `lagMs` of writes. */
  const prune = (at: number) => {
    for (const [entry, time] of writtenAt) {
      // Insertion order is write order (a rewrite is deleted and set again), so the first
      // entry young enough ends the sweep.
      if (at - time < lagMs) break;
      writtenAt.delete(entry);
    }
  };

  return {
    /** Follows `crm`'s writes from now on (and stops following the crm followed before). */
    follow(crm: Crm): void {
      unsubscribe?.();
      writtenAt.clear();
      unsubscribe = crm.subscribe((event) => {
        if (!WRITES.has(event.type) || !('id' in event)) return;
        const at = now();
        const entry = key(event.objectType, event.id);
        writtenAt.delete(entry);
        writtenAt.set(entry, at);
      });
    },
    /** Whether a search at `at` would not see the record yet. */
    hidden(objectType: string, id: string, at: number): boolean {
      prune(at);
      const time = writtenAt.get(key(objectType, id));
      return time !== undefined && at - time < lagMs;
    },
    /** Removes the records the index has not seen from a search answer's body (HubSpot's shape). */
    filter(objectType: string, body: { total?: number; results?: Array<{ id?: unknown }> }, at: number): void {
      if (!Array.isArray(body.results)) return;
      const kept = body.results.filter((result) => typeof result.id !== 'string' || !this.hidden(objectType, result.id, at));
      if (typeof body.total === 'number') body.total = Math.max(0, body.total - (body.results.length - kept.length));
      body.results = kept;
    },
    /** Stops following. */
    stop(): void {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}

/** The lag {@link createSearchLag} makes. */
export type SearchLag = ReturnType<typeof createSearchLag>;
