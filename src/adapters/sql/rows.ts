// Rows to the seam's shapes and back, once for every SQL database: each dialect decodes its
// column types (JSON text or jsonb, 0/1 or boolean) and hands the values here. What comes out is
// not frozen: the engine never mutates what storage returns (docs/adapters.md), and freezing
// every record and edge read would cost SQLite's in-process reads a few percent for nothing.
import type { EdgeHistoryEntry, HistoryEntry, Source, StoredEdge, StoredRecord } from 'crmkit/storage';

const EMPTY: readonly string[] = Object.freeze([]);

/**
 * A label list as stored in a JSON column: most are empty, so that case skips JSON.
 *
 * @example
 * labelsText([]); // '[]'
 */
export function labelsText(labels: readonly string[]): string {
  return labels.length === 0 ? '[]' : JSON.stringify(labels);
}

/**
 * A label list read back from JSON text (the empty list, most edges', is one shared array).
 *
 * @example
 * labelsOf('["primary"]'); // ['primary']
 */
export function labelsOf(text: string): readonly string[] {
  return text === '[]' ? EMPTY : (JSON.parse(text) as string[]);
}

/**
 * A label list a database answered already parsed (jsonb), the empty one shared.
 *
 * @example
 * sharedLabels(row.labels as string[]);
 */
export function sharedLabels(labels: readonly string[]): readonly string[] {
  return labels.length === 0 ? EMPTY : labels;
}

/**
 * A stored record from its columns (`archivedAt` null: never archived, or restored).
 *
 * @example
 * storedRecordOf('contacts', 'c1', { email: 'a@b.com' }, at, at, false, null);
 */
export function storedRecordOf(
  objectType: string,
  id: string,
  properties: Record<string, unknown>,
  createdAt: string,
  updatedAt: string,
  archived: boolean,
  archivedAt: string | null | undefined,
): StoredRecord {
  return archivedAt === null || archivedAt === undefined
    ? { id, objectType, properties: properties as StoredRecord['properties'], createdAt, updatedAt, archived }
    : { id, objectType, properties: properties as StoredRecord['properties'], createdAt, updatedAt, archived, archivedAt };
}

/**
 * A stored edge from its columns, oriented from `fromType`/`fromId`.
 *
 * @example
 * storedEdgeOf('contacts', 'c1', 'companies', 'co1', ['primary'], ['primary'], at, false);
 */
export function storedEdgeOf(
  fromType: string,
  fromId: string,
  toType: string,
  toId: string,
  labels: readonly string[],
  inverseLabels: readonly string[],
  createdAt: string,
  archived: boolean,
): StoredEdge {
  return { fromType, fromId, toType, toId, labels, inverseLabels, createdAt, archived };
}

/**
 * A property history entry from its columns.
 *
 * @example
 * historyEntryOf('contacts', 'c1', at, { type: 'API' }, { email: 'a@b.com' });
 */
export function historyEntryOf(objectType: string, id: string, timestamp: string, source: Source, values: Record<string, unknown>): HistoryEntry {
  return { objectType, id, timestamp, source, values };
}

/**
 * An association history entry from its columns (`otherName` null: none was recorded).
 *
 * @example
 * edgeHistoryEntryOf('contacts', 'c1', 'companies', 'co1', 'created', [], ['primary'], 'Acme', at, { type: 'API' });
 */
export function edgeHistoryEntryOf(
  objectType: string,
  id: string,
  toType: string,
  toId: string,
  action: string,
  labelsBefore: readonly string[],
  labelsAfter: readonly string[],
  otherName: string | null | undefined,
  timestamp: string,
  source: Source,
): EdgeHistoryEntry {
  const entry: EdgeHistoryEntry = { objectType, id, toType, toId, action: action as EdgeHistoryEntry['action'], labelsBefore, labelsAfter, timestamp, source };
  if (otherName !== null && otherName !== undefined) entry.otherName = otherName;
  return entry;
}
