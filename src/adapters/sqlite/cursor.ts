// Scan cursors: `<kind><position>.<tag>`. The position says where the scan resumes (a record's
// seq; an edge's two ids; in a page of one record's associations, the last edge's created_at
// and seq); the tag is a hash of (tenant, kind, scanned types, position), so a
// cursor from another tenant, another type or kind of scan, or an edited one, is refused instead
// of silently positioning a scan. Isolation itself never depends on the cursor: every scan also
// filters by tenant in SQL, so even a forged cursor only moves the starting point within the
// caller's own rows.
import { CrmError } from 'crmkit';

const RECORD_CURSOR = /^r([0-9]{1,15})\.([0-9a-z]{1,7})$/;
const EDGE_CURSOR = /^e([A-Za-z0-9_-]{1,8000})\.([0-9a-z]{1,7})$/;
const PAGE_CURSOR = /^p([A-Za-z0-9_-]{1,2000})\.([0-9a-z]{1,7})$/;

/**
 * What a page of one record's edges is scoped to: the record, the other type and the labels
 * filter (as a set: the same names in another order are the same filter).
 */
function pageScope(objectType: string, id: string, toType: string, labels: readonly string[] | undefined): string {
  const filter = labels === undefined ? '*' : JSON.stringify([...new Set(labels)].sort());
  return `${objectType}\u0000${id}\u0000${toType}\u0000${filter}`;
}

/** FNV-1a, 32 bits, in base 36: cheap, stable, and not a secret (see above). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

function invalid(after: unknown): CrmError {
  const shown = typeof after === 'string' ? JSON.stringify(after.slice(0, 60)) : typeof after;
  return new CrmError('VALIDATION_ERROR', `sqlite storage: ${shown} is not one of its cursors for this scan`, {
    issues: [{ code: 'INVALID_CURSOR', message: 'unknown cursor' }],
  });
}

/** Makes and reads the cursors of one storage (one tenant). */
export class Cursors {
  constructor(private readonly tenant: string) {}

  private tag(kind: string, scope: string, position: string): string {
    return hash(`${this.tenant}\u0000${kind}\u0000${scope}\u0000${position}`);
  }

  /** The cursor resuming a record scan of `objectType` after the record at `seq`. */
  record(objectType: string, seq: number): string {
    const position = String(seq);
    return `r${position}.${this.tag('r', objectType, position)}`;
  }

  /** The seq a record scan resumes after (0: from the start); throws INVALID_CURSOR for a cursor this storage did not make for this scan. */
  readRecord(objectType: string, after: string | undefined): number {
    if (after === undefined) return 0;
    const match = typeof after === 'string' ? RECORD_CURSOR.exec(after) : null;
    if (match === null || match[2] !== this.tag('r', objectType, match[1]!)) throw invalid(after);
    return Number(match[1]);
  }

  /** The cursor resuming an edge scan of `fromType` → `toType` after the edge `fromId` → `toId`. */
  edge(fromType: string, toType: string, fromId: string, toId: string): string {
    const position = Buffer.from(JSON.stringify([fromId, toId])).toString('base64url');
    return `e${position}.${this.tag('e', `${fromType}\u0000${toType}`, position)}`;
  }

  /** The (fromId, toId) an edge scan resumes after (undefined: from the start); throws INVALID_CURSOR like {@link readRecord}. */
  readEdge(fromType: string, toType: string, after: string | undefined): [string, string] | undefined {
    if (after === undefined) return undefined;
    const match = typeof after === 'string' ? EDGE_CURSOR.exec(after) : null;
    if (match === null || match[2] !== this.tag('e', `${fromType}\u0000${toType}`, match[1]!)) throw invalid(after);
    try {
      const ends: unknown = JSON.parse(Buffer.from(match[1]!, 'base64url').toString());
      if (Array.isArray(ends) && ends.length === 2 && typeof ends[0] === 'string' && typeof ends[1] === 'string') return [ends[0], ends[1]];
    } catch {
      // Falls through: not one of ours.
    }
    throw invalid(after);
  }

  /**
   * The cursor resuming a page of the edges of `objectType` `id` to `toType` (with this labels
   * filter) after the edge at (`createdAt`, `seq`), its place in association order.
   */
  page(objectType: string, id: string, toType: string, labels: readonly string[] | undefined, createdAt: string, seq: number): string {
    const position = Buffer.from(JSON.stringify([createdAt, seq])).toString('base64url');
    return `p${position}.${this.tag('p', pageScope(objectType, id, toType, labels), position)}`;
  }

  /** The (createdAt, seq) a page resumes after (undefined: from the start); throws INVALID_CURSOR like {@link readRecord}. */
  readPage(objectType: string, id: string, toType: string, labels: readonly string[] | undefined, after: string | undefined): [string, number] | undefined {
    if (after === undefined) return undefined;
    const match = typeof after === 'string' ? PAGE_CURSOR.exec(after) : null;
    if (match === null || match[2] !== this.tag('p', pageScope(objectType, id, toType, labels), match[1]!)) throw invalid(after);
    try {
      const at: unknown = JSON.parse(Buffer.from(match[1]!, 'base64url').toString());
      if (Array.isArray(at) && at.length === 2 && typeof at[0] === 'string' && Number.isSafeInteger(at[1])) return [at[0], at[1] as number];
    } catch {
      // Falls through: not one of ours.
    }
    throw invalid(after);
  }
}
