// What the storage contract's tests build their cases from: records, history entries and edges
// frozen as the engine hands them in, and readers that page through whole scans.
import { expect } from 'vitest';
import type { EdgeEnds, EdgeHistoryEntry, HistoryEntry, Storage, StorageTx, StoredEdge, StoredRecord } from 'crmkit';

/**
 * What makes a new, empty storage for each test.
 *
 * @example
 * const factory: Factory = () => memoryStorage();
 */
export type Factory = () => Storage | Promise<Storage>;

/**
 * Runs `fn` in a write transaction of `storage`.
 *
 * @example
 * await write(storage, async (tx) => tx.insertRecords([record('a')]));
 */
export const write = async <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('write', fn);

/**
 * Runs `fn` in a read transaction of `storage`.
 *
 * @example
 * const [found] = await read(storage, async (tx) => tx.getRecords('contacts', ['a']));
 */
export const read = async <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('read', fn);

/** The one time every fixture carries unless a test gives another. */
export const AT = '2026-01-01T00:00:00.000Z';

/**
 * What every storage throws for an `after` it did not make (crmkit/storage's StorageCursors
 * answers it): VALIDATION_ERROR with one INVALID_CURSOR issue.
 *
 * @example
 * await expect(read(storage, (tx) => tx.scanRecords('contacts', { limit: 1, after: 'x' }))).rejects.toMatchObject(REFUSED_CURSOR);
 */
export const REFUSED_CURSOR = { code: 'VALIDATION_ERROR', details: { issues: [{ code: 'INVALID_CURSOR' }] } };

/**
 * A stored record, frozen as the engine hands it in (`hs_object_id` set, archived at {@link AT} if archived).
 *
 * @example
 * await tx.insertRecords([record('c1'), record('co1', 'companies', { name: 'Acme' })]);
 */
export function record(id: string, objectType = 'contacts', properties: Record<string, string> = {}, archived = false): StoredRecord {
  return Object.freeze({
    id,
    objectType,
    properties: Object.freeze({ hs_object_id: id, ...properties }),
    createdAt: AT,
    updatedAt: AT,
    archived,
    ...(archived ? { archivedAt: AT } : {}),
  });
}

/**
 * A property-history entry of record `id`, written at {@link AT} by the API.
 *
 * @example
 * await tx.appendHistory([entry('c1', { firstname: 'Ana' })]);
 */
export function entry(id: string, values: Record<string, unknown>, objectType = 'contacts'): HistoryEntry {
  return { objectType, id, timestamp: AT, source: { type: 'API' }, values };
}

/**
 * The ids of every record of a type, by scanning pages of `limit` (none larger than `limit`).
 *
 * @example
 * expect(await read(storage, async (tx) => scanAll(tx, 'contacts', 2))).toEqual(['a', 'b', 'c']);
 */
export async function scanAll(tx: StorageTx, objectType: string, limit: number, archived = false): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await tx.scanRecords(objectType, { limit, archived, ...(after !== undefined ? { after } : {}) });
    expect(page.records.length).toBeLessThanOrEqual(limit);
    ids.push(...page.records.map((found) => found.id));
    after = page.after;
  } while (after !== undefined);
  return ids;
}

/**
 * An edge from `fromType`/`fromId` to `toType`/`toId`, frozen as the engine hands it in.
 * `createdAt` defaults to {@link AT}.
 *
 * @example
 * await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary'] })]);
 */
export function edge(
  fromType: string,
  fromId: string,
  toType: string,
  toId: string,
  options: { labels?: string[]; inverseLabels?: string[]; createdAt?: string; archived?: boolean } = {},
): StoredEdge {
  return Object.freeze({
    fromType,
    fromId,
    toType,
    toId,
    labels: Object.freeze([...(options.labels ?? [])]),
    inverseLabels: Object.freeze([...(options.inverseLabels ?? [])]),
    createdAt: options.createdAt ?? AT,
    archived: options.archived ?? false,
  });
}

/**
 * The same association seen from its other end.
 *
 * @example
 * expect(await tx.getEdges('companies', ['co1'])).toEqual([[inverse(made)]]);
 */
export function inverse(of: StoredEdge): StoredEdge {
  return {
    fromType: of.toType,
    fromId: of.toId,
    toType: of.fromType,
    toId: of.fromId,
    labels: of.inverseLabels,
    inverseLabels: of.labels,
    createdAt: of.createdAt,
    archived: of.archived,
  };
}

/**
 * Just the two ends of an association.
 *
 * @example
 * await tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co1'))]);
 */
export function ends(of: StoredEdge): EdgeEnds {
  return { fromType: of.fromType, fromId: of.fromId, toType: of.toType, toId: of.toId };
}

/**
 * 'toType/toId' of each edge: the far ends, in the order given.
 *
 * @example
 * expect(farEnds(edges)).toEqual(['companies/co1', 'companies/co2']);
 */
export function farEnds(edges: readonly StoredEdge[]): string[] {
  return edges.map((found) => `${found.toType}/${found.toId}`);
}

/**
 * An association-history entry of record `objectType`/`id` about `toType`/`toId`, by the API.
 *
 * @example
 * await tx.appendEdgeHistory([edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary'])]);
 */
export function edgeEntry(
  objectType: string,
  id: string,
  toType: string,
  toId: string,
  action: EdgeHistoryEntry['action'],
  labelsAfter: string[],
  timestamp = AT,
): EdgeHistoryEntry {
  return { objectType, id, toType, toId, action, labelsBefore: [], labelsAfter, timestamp, source: { type: 'API' } };
}

/**
 * Every edge from `fromType` to `toType` records, by scanning pages of `limit`; fails the test if the scan does not end.
 *
 * @example
 * expect(await read(storage, async (tx) => scanAllEdges(tx, 'contacts', 'companies', 2))).toHaveLength(3);
 */
export async function scanAllEdges(tx: StorageTx, fromType: string, toType: string, limit: number): Promise<StoredEdge[]> {
  const edges: StoredEdge[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await tx.scanEdges(fromType, toType, { limit, ...(after !== undefined ? { after } : {}) });
    edges.push(...page.edges);
    after = page.after;
    // A scan must end; the cap is far above what the suite's few records need.
    expect(++pages, `scanEdges(${fromType}, ${toType}, limit ${limit}) does not end`).toBeLessThanOrEqual(1_000);
  } while (after !== undefined);
  return edges;
}
