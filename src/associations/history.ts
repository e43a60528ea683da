// Association history and events: every change is logged on both records (labels seen from
// each), with the other record's display name at the time, and announced after commit.
import type { TxContext } from '../schema/transaction.js';
import type { EdgeHistoryEntry } from '../storage/types.js';
import type { Source } from '../types.js';
import { displayName, type End } from './refs.js';

/** One change to log: on `a`'s side with `a`'s labels, and the mirror entry on `b`'s. */
export interface Change {
  action: 'created' | 'removed' | 'relabelled';
  a: End;
  b: End;
  before: readonly string[];
  after: readonly string[];
  inverseBefore: readonly string[];
  inverseAfter: readonly string[];
  source: Source;
}

function historyEntry(owner: End, other: End, change: Change, before: readonly string[], after: readonly string[], timestamp: string): EdgeHistoryEntry {
  const otherName = displayName(other);
  const entry: EdgeHistoryEntry = {
    objectType: owner.model.name,
    id: owner.record.id,
    toType: other.model.name,
    toId: other.record.id,
    action: change.action,
    labelsBefore: before,
    labelsAfter: after,
    timestamp,
    source: change.source,
  };
  if (otherName !== undefined) entry.otherName = otherName;
  return entry;
}

/** Logs changes on both records, emits their events, and queues the work they cause (counts, checks). */
export async function logChanges(ctx: TxContext, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  const timestamp = ctx.now();
  if (ctx.options.history) {
    const entries: EdgeHistoryEntry[] = new Array(changes.length * 2);
    let at = 0;
    for (const change of changes) {
      entries[at++] = historyEntry(change.a, change.b, change, change.before, change.after, timestamp);
      entries[at++] = historyEntry(change.b, change.a, change, change.inverseBefore, change.inverseAfter, timestamp);
    }
    await ctx.tx.appendEdgeHistory(entries);
  }
  for (const change of changes) {
    ctx.log({ kind: 'association', action: change.action, a: change.a, b: change.b });
    if (ctx.events) {
      ctx.emit({
        type: `association.${change.action}`,
        from: { objectType: change.a.model.name, id: change.a.record.id },
        to: { objectType: change.b.model.name, id: change.b.record.id },
        labelsBefore: [...change.before],
        labelsAfter: [...change.after],
        source: change.source,
      });
    }
  }
}
