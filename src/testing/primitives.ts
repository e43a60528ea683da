// The storage contract as tests: every duty a Storage adapter has (src/storage/types.ts),
// written once and run against any adapter factory: the memory adapter, the SQL adapters, and
// third parties' (through storageConformance in 'crmkit/testing/conformance'). Each test's name states the
// duty it checks.
import { describe, expect, it } from 'vitest';
import type { EdgeEnds, EdgeHistoryEntry, HistoryEntry, Storage, StorageTx, StoredEdge, StoredRecord } from 'crmkit';

const AT = '2026-01-01T00:00:00.000Z';

function record(id: string, objectType = 'contacts', properties: Record<string, string> = {}, archived = false): StoredRecord {
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

function entry(id: string, values: Record<string, unknown>, objectType = 'contacts'): HistoryEntry {
  return { objectType, id, timestamp: AT, source: { type: 'API' }, values };
}

/** Every record of a type, by scanning pages of `limit`. */
async function scanAll(tx: StorageTx, objectType: string, limit: number, archived = false): Promise<string[]> {
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
 * `createdAt` defaults to a time derived from the ends, so edges differ in every field.
 */
function edge(
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

/** The same association seen from its other end. */
function inverse(of: StoredEdge): StoredEdge {
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

/** Just the two ends of an association. */
function ends(of: StoredEdge): EdgeEnds {
  return { fromType: of.fromType, fromId: of.fromId, toType: of.toType, toId: of.toId };
}

/** 'toType/toId' of each edge: the far ends, in the order given. */
function farEnds(edges: readonly StoredEdge[]): string[] {
  return edges.map((found) => `${found.toType}/${found.toId}`);
}

function edgeEntry(
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

/** Every edge from `fromType` to `toType` records, by scanning pages of `limit`. */
async function scanAllEdges(tx: StorageTx, fromType: string, toType: string, limit: number): Promise<StoredEdge[]> {
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

/** Runs the storage contract against storages made by `factory`. */
export function describePrimitives(name: string, factory: () => Storage | Promise<Storage>): void {
  const write = async <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('write', fn);
  const read = async <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('read', fn);

  describe(`storage contract: ${name}`, () => {
    describe('records', () => {
      it('inserts and reads records by id, in the order asked, undefined where none', async () => {
        const storage = await factory();
        await write(storage, async (tx) => expect(await tx.insertRecords([record('a'), record('b')])).toEqual([]));
        const found = await read(storage, async (tx) => tx.getRecords('contacts', ['b', 'zz', 'a']));
        expect(found.map((item) => item?.id)).toEqual(['b', undefined, 'a']);
        expect(found[0]).toEqual(record('b'));
      });

      it('keeps object types apart', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a', 'contacts'), record('a', 'companies')]));
        const [contact] = await read(storage, async (tx) => tx.getRecords('contacts', ['a']));
        const [deal] = await read(storage, async (tx) => tx.getRecords('deals', ['a']));
        expect(contact?.objectType).toBe('contacts');
        expect(deal).toBeUndefined();
      });

      it('reports ids that already exist instead of overwriting them', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a', 'contacts', { firstname: 'First' })]));
        const taken = await write(storage, async (tx) => tx.insertRecords([record('b'), record('a', 'contacts', { firstname: 'Second' })]));
        expect(taken).toEqual(['a']);
        const [kept] = await read(storage, async (tx) => tx.getRecords('contacts', ['a']));
        expect(kept?.properties.firstname).toBe('First');
      });

      it('updates a record in place: scan order does not change', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a'), record('b'), record('c')]));
        await write(storage, async (tx) => tx.updateRecords([record('a', 'contacts', { firstname: 'Changed' })]));
        const ids = await read(storage, async (tx) => scanAll(tx, 'contacts', 10));
        expect(ids).toEqual(['a', 'b', 'c']);
        const [changed] = await read(storage, async (tx) => tx.getRecords('contacts', ['a']));
        expect(changed?.properties.firstname).toBe('Changed');
      });

      it('deletes records with their history', async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('a'), record('b')]);
          await tx.appendHistory([entry('a', { firstname: 'A' }), entry('b', { firstname: 'B' })]);
        });
        await write(storage, async (tx) => tx.deleteRecords('contacts', ['a', 'missing']));
        expect(await read(storage, async (tx) => tx.getRecords('contacts', ['a', 'b']))).toEqual([undefined, record('b')]);
        expect(await read(storage, async (tx) => tx.readHistory('contacts', 'a'))).toEqual([]);
        expect(await read(storage, async (tx) => tx.readHistory('contacts', 'b'))).toHaveLength(1);
      });
    });

    describe('scans', () => {
      it('pages through every record once, in insertion order, at any page size', async () => {
        const storage = await factory();
        const ids = Array.from({ length: 23 }, (_, at) => `r${at}`);
        await write(storage, async (tx) => tx.insertRecords(ids.slice(0, 10).map((id) => record(id))));
        await write(storage, async (tx) => tx.insertRecords(ids.slice(10).map((id) => record(id))));
        for (const limit of [1, 2, 5, 10, 23, 100]) {
          expect(await read(storage, async (tx) => scanAll(tx, 'contacts', limit))).toEqual(ids);
        }
      });

      it('leaves archived records out unless asked, and skips deleted ones', async () => {
        const storage = await factory();
        await write(storage, async (tx) =>
          tx.insertRecords([record('a'), record('b', 'contacts', {}, true), record('c'), record('d')]),
        );
        await write(storage, async (tx) => tx.deleteRecords('contacts', ['c']));
        expect(await read(storage, async (tx) => scanAll(tx, 'contacts', 2))).toEqual(['a', 'd']);
        expect(await read(storage, async (tx) => scanAll(tx, 'contacts', 2, true))).toEqual(['a', 'b', 'd']);
      });

      it('answers an empty page for a type without records', async () => {
        const storage = await factory();
        expect(await read(storage, async (tx) => tx.scanRecords('tickets', { limit: 10 }))).toEqual({ records: [] });
      });

      it('rejects a cursor it did not make', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a')]));
        await expect(read(storage, async (tx) => tx.scanRecords('contacts', { limit: 1, after: 'not-a-cursor' }))).rejects.toThrow();
      });
    });

    describe('unique keys', () => {
      it('grants free keys, reports keys held by another record, and accepts a re-claim by the holder', async () => {
        const storage = await factory();
        const first = await write(storage, async (tx) =>
          tx.claimKeys('contacts', [
            { key: 'email', value: 'a@x.com', id: 'a' },
            { key: 'email', value: 'b@x.com', id: 'b' },
          ]),
        );
        expect(first).toEqual([]);
        const second = await write(storage, async (tx) =>
          tx.claimKeys('contacts', [
            { key: 'email', value: 'a@x.com', id: 'a' },
            { key: 'email', value: 'b@x.com', id: 'c' },
            { key: 'domain', value: 'b@x.com', id: 'c' },
          ]),
        );
        expect(second).toEqual([{ index: 1, existingId: 'b' }]);
      });

      it('reports a clash between two claims of one call', async () => {
        const storage = await factory();
        const conflicts = await write(storage, async (tx) => {
          const found = await tx.claimKeys('contacts', [
            { key: 'email', value: 'a@x.com', id: 'a' },
            { key: 'email', value: 'a@x.com', id: 'b' },
          ]);
          throw Object.assign(new Error('abort'), { found });
        }).catch((error: { found: unknown }) => error.found);
        expect(conflicts).toEqual([{ index: 1, existingId: 'a' }]);
      });

      it('looks keys up per type and namespace', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.claimKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'a' }]));
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'email', ['a@x.com', 'z@x.com']))).toEqual(['a', undefined]);
        expect(await read(storage, async (tx) => tx.lookupKeys('companies', 'email', ['a@x.com']))).toEqual([undefined]);
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'domain', ['a@x.com']))).toEqual([undefined]);
      });

      it('releases only keys the named record holds', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.claimKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'a' }]));
        await write(storage, async (tx) => tx.releaseKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'other' }]));
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'email', ['a@x.com']))).toEqual(['a']);
        await write(storage, async (tx) => tx.releaseKeys('contacts', [{ key: 'email', value: 'a@x.com', id: 'a' }]));
        expect(await read(storage, async (tx) => tx.lookupKeys('contacts', 'email', ['a@x.com']))).toEqual([undefined]);
      });
    });

    describe('metadata and history', () => {
      it('stores metadata documents by key', async () => {
        const storage = await factory();
        expect(await read(storage, async (tx) => tx.getMeta('schema'))).toBeUndefined();
        await write(storage, async (tx) => tx.putMeta('schema', { objects: { a: 1 }, list: [1, 2] }));
        await write(storage, async (tx) => tx.putMeta('schema.version', 3));
        expect(await read(storage, async (tx) => tx.getMeta('schema'))).toEqual({ objects: { a: 1 }, list: [1, 2] });
        expect(await read(storage, async (tx) => tx.getMeta('schema.version'))).toBe(3);
      });

      it("keeps each record's history in append order", async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('a'), record('b')]);
          await tx.appendHistory([entry('a', { firstname: '1' }), entry('b', { firstname: 'x' })]);
        });
        await write(storage, async (tx) => tx.appendHistory([entry('a', { firstname: '2' })]));
        await write(storage, async (tx) => tx.appendHistory([entry('a', { firstname: '3' })]));
        const history = await read(storage, async (tx) => tx.readHistory('contacts', 'a'));
        expect(history.map((item) => item.values.firstname)).toEqual(['1', '2', '3']);
        expect(history[0]).toEqual(entry('a', { firstname: '1' }));
      });
    });

    describe('association edges', () => {
      /** Inserts contacts c1-c3, companies co1-co4 and deal d1, the records the edge tests use. */
      const seed = async (storage: Storage): Promise<void> => {
        await write(storage, async (tx) =>
          tx.insertRecords([
            record('c1'),
            record('c2'),
            record('c3'),
            record('co1', 'companies'),
            record('co2', 'companies'),
            record('co3', 'companies'),
            record('co4', 'companies'),
            record('d1', 'deals'),
          ]),
        );
      };

      it('putEdges stores both directions: each end reads the edge from its own side, labels and inverse labels swapped', async () => {
        const storage = await factory();
        await seed(storage);
        const employs = edge('contacts', 'c1', 'companies', 'co1', {
          labels: ['primary', 'billing'],
          inverseLabels: ['employee'],
          createdAt: '2026-02-03T04:05:06.007Z',
        });
        const archived = edge('deals', 'd1', 'contacts', 'c1', { labels: ['decision_maker'], archived: true });
        await write(storage, async (tx) => tx.putEdges([employs, archived]));
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c1'])).toEqual([[employs, inverse(archived)]]);
          expect(await tx.getEdges('companies', ['co1'])).toEqual([[inverse(employs)]]);
          expect(await tx.getEdges('deals', ['d1'])).toEqual([[archived]]);
        });
      });

      it('getEdges with toType answers only the edges to records of that type; without it, all of them', async () => {
        const storage = await factory();
        await seed(storage);
        const toCompany = edge('contacts', 'c1', 'companies', 'co1');
        const toDeal = edge('contacts', 'c1', 'deals', 'd1');
        const toContact = edge('contacts', 'c1', 'contacts', 'c2', { labels: ['manager'], inverseLabels: ['report'] });
        await write(storage, async (tx) => tx.putEdges([toCompany, toDeal, toContact]));
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c1'], 'companies')).toEqual([[toCompany]]);
          expect(await tx.getEdges('contacts', ['c1'], 'deals')).toEqual([[toDeal]]);
          expect(await tx.getEdges('contacts', ['c1'], 'contacts')).toEqual([[toContact]]);
          expect(await tx.getEdges('contacts', ['c2'], 'contacts')).toEqual([[inverse(toContact)]]);
          expect(await tx.getEdges('contacts', ['c1'], 'tickets')).toEqual([[]]);
          const [all] = await tx.getEdges('contacts', ['c1']);
          expect(all).toHaveLength(3);
          expect(all).toEqual(expect.arrayContaining([toCompany, toDeal, toContact]));
        });
      });

      it("keeps a record's edges to one type in the order the associations were made, whichever end made them", async () => {
        const storage = await factory();
        await seed(storage);
        await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c2', 'companies', 'co1')]));
        // Made from the company's end: it still counts for both records' order.
        await write(storage, async (tx) => tx.putEdges([edge('companies', 'co1', 'contacts', 'c3'), edge('companies', 'co2', 'contacts', 'c1')]));
        await write(storage, async (tx) => {
          await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]);
          await tx.putEdges([edge('contacts', 'c1', 'companies', 'co4'), edge('contacts', 'c1', 'companies', 'co3')]);
        });
        await read(storage, async (tx) => {
          expect(farEnds((await tx.getEdges('companies', ['co1'], 'contacts'))[0]!)).toEqual(['contacts/c2', 'contacts/c3', 'contacts/c1']);
          expect(farEnds((await tx.getEdges('contacts', ['c1'], 'companies'))[0]!)).toEqual([
            'companies/co2',
            'companies/co1',
            'companies/co4',
            'companies/co3',
          ]);
        });
      });

      it("answers all of a record's edges without toType, each type's in the order its associations were made", async () => {
        const storage = await factory();
        await seed(storage);
        await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]));
        await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'deals', 'd1')]));
        await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'companies', 'co2'), edge('contacts', 'c2', 'contacts', 'c1')]));
        const [all] = await read(storage, async (tx) => tx.getEdges('contacts', ['c1']));
        // The order across types is the adapter's; within a type it is the order the associations were made.
        const ofType = (type: string): string[] => farEnds(all!).filter((end) => end.startsWith(`${type}/`));
        expect(farEnds(all!).sort()).toEqual(['companies/co1', 'companies/co2', 'contacts/c2', 'deals/d1']);
        expect(ofType('companies')).toEqual(['companies/co1', 'companies/co2']);
      });

      it('replacing an association (same two records, from either end) updates it in place: it keeps its place in order', async () => {
        const storage = await factory();
        await seed(storage);
        await write(storage, async (tx) =>
          tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'co2'), edge('contacts', 'c1', 'companies', 'co3')]),
        );
        const relabelled = edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary'], inverseLabels: ['employee'] });
        // The same association put from the company's end, archived, at another time.
        const fromCompany = edge('companies', 'co2', 'contacts', 'c1', { labels: ['former'], createdAt: '2026-03-01T00:00:00.000Z', archived: true });
        await write(storage, async (tx) => tx.putEdges([relabelled]));
        await write(storage, async (tx) => tx.putEdges([fromCompany]));
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c1'])).toEqual([[relabelled, inverse(fromCompany), edge('contacts', 'c1', 'companies', 'co3')]]);
          expect(await tx.getEdges('companies', ['co1', 'co2'])).toEqual([[inverse(relabelled)], [fromCompany]]);
        });
      });

      it('a deleted and re-made association counts as new: it goes after the record’s others', async () => {
        const storage = await factory();
        await seed(storage);
        await write(storage, async (tx) =>
          tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'co2'), edge('contacts', 'c1', 'companies', 'co3')]),
        );
        await write(storage, async (tx) => {
          await tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co1'))]);
          await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]);
        });
        const [all] = await read(storage, async (tx) => tx.getEdges('contacts', ['c1']));
        expect(farEnds(all!)).toEqual(['companies/co2', 'companies/co3', 'companies/co1']);
      });

      it('getEdges answers one list per id, in input order, [] for ids (and types) without records or edges', async () => {
        const storage = await factory();
        await seed(storage);
        const a = edge('contacts', 'c1', 'companies', 'co1');
        const b = edge('contacts', 'c1', 'companies', 'co2');
        const c = edge('contacts', 'c2', 'companies', 'co1');
        await write(storage, async (tx) => tx.putEdges([a, b, c]));
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c2', 'missing', 'c1', 'c3'])).toEqual([[c], [], [a, b], []]);
          expect(await tx.getEdges('contacts', ['c2', 'c1'], 'companies')).toEqual([[c], [a, b]]);
          expect(await tx.getEdges('tickets', ['c1'])).toEqual([[]]);
          expect(await tx.getEdges('contacts', [])).toEqual([]);
        });
      });

      it('deleteEdges removes both directions, from whichever end it is named, keeps the others in order, and ignores ends with no association', async () => {
        const storage = await factory();
        await seed(storage);
        const kept = [edge('contacts', 'c2', 'companies', 'co1'), edge('contacts', 'c3', 'companies', 'co1')];
        await write(storage, async (tx) =>
          tx.putEdges([
            edge('contacts', 'c1', 'companies', 'co1'),
            edge('contacts', 'c1', 'companies', 'co2'),
            kept[0]!,
            edge('contacts', 'c1', 'deals', 'd1'),
            kept[1]!,
          ]),
        );
        await write(storage, async (tx) =>
          tx.deleteEdges([
            ends(edge('contacts', 'c1', 'companies', 'co1')),
            // Named from the other end.
            ends(edge('companies', 'co2', 'contacts', 'c1')),
            // A whole StoredEdge is also accepted (the engine passes what getEdges answered).
            edge('deals', 'd1', 'contacts', 'c1'),
            // Nothing there: no association, a missing record, a type without records.
            ends(edge('contacts', 'c2', 'companies', 'co2')),
            ends(edge('contacts', 'c1', 'companies', 'missing')),
            ends(edge('tickets', 't1', 'contacts', 'c1')),
          ]),
        );
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c1', 'c2', 'c3'])).toEqual([[], [kept[0]], [kept[1]]]);
          expect(await tx.getEdges('companies', ['co1', 'co2'])).toEqual([kept.map(inverse), []]);
          expect(await tx.getEdges('deals', ['d1'])).toEqual([[]]);
        });
        // Deleting what is no longer there is not an error either.
        await write(storage, async (tx) => tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co1'))]));
      });

      it('accepts empty batches and changes nothing', async () => {
        const storage = await factory();
        await seed(storage);
        const a = edge('contacts', 'c1', 'companies', 'co1');
        await write(storage, async (tx) => tx.putEdges([a]));
        await write(storage, async (tx) => {
          await tx.putEdges([]);
          await tx.deleteEdges([]);
          await tx.appendEdgeHistory([]);
        });
        expect(await read(storage, async (tx) => tx.getEdges('contacts', ['c1']))).toEqual([[a]]);
        expect(await read(storage, async (tx) => tx.readEdgeHistory('contacts', 'c1'))).toEqual([]);
      });
    });

    describe('edge scans', () => {
      it('scanEdges pages through every edge from fromType to toType records exactly once, in one stable order at any page size', async () => {
        const storage = await factory();
        const contacts = Array.from({ length: 9 }, (_, at) => record(`c${at}`));
        const companies = Array.from({ length: 4 }, (_, at) => record(`co${at}`, 'companies'));
        await write(storage, async (tx) => tx.insertRecords([...contacts, ...companies, record('d0', 'deals')]));
        // Some contacts have none, some many; edges to deals and between contacts are not part of the scan.
        const toCompanies = [
          edge('contacts', 'c0', 'companies', 'co0', { labels: ['primary'] }),
          edge('contacts', 'c0', 'companies', 'co1'),
          edge('contacts', 'c0', 'companies', 'co2'),
          edge('contacts', 'c3', 'companies', 'co0', { inverseLabels: ['owner'] }),
          edge('contacts', 'c4', 'companies', 'co3', { archived: true }),
          edge('contacts', 'c4', 'companies', 'co1'),
          edge('contacts', 'c7', 'companies', 'co2'),
          // Made from the company's end; the scan answers it from the contact's end.
          inverse(edge('contacts', 'c8', 'companies', 'co0', { labels: ['billing'] })),
        ];
        await write(storage, async (tx) => tx.putEdges(toCompanies.slice(0, 4)));
        await write(storage, async (tx) =>
          tx.putEdges([edge('contacts', 'c1', 'deals', 'd0'), edge('contacts', 'c2', 'contacts', 'c5'), ...toCompanies.slice(4)]),
        );
        const expected = toCompanies.map((made) => (made.fromType === 'contacts' ? made : inverse(made)));
        const key = (found: StoredEdge): string => `${found.fromId}>${found.toId}`;
        let order: string[] | undefined;
        for (const limit of [1, 2, 3, 5, 8, 100]) {
          const scanned = await read(storage, async (tx) => scanAllEdges(tx, 'contacts', 'companies', limit));
          expect(scanned, `limit ${limit}`).toHaveLength(expected.length);
          expect(scanned, `limit ${limit}`).toEqual(expect.arrayContaining(expected));
          order ??= scanned.map(key);
          expect(scanned.map(key), `limit ${limit}`).toEqual(order);
        }
        // The other way round: each association once, from the company's end.
        const back = await read(storage, async (tx) => scanAllEdges(tx, 'companies', 'contacts', 2));
        expect(back).toHaveLength(expected.length);
        expect(back).toEqual(expect.arrayContaining(expected.map(inverse)));
      });

      it('scanEdges on a same-type pair answers each association from both ends', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('a'), record('b'), record('c')]));
        const manages = edge('contacts', 'a', 'contacts', 'b', { labels: ['manager'], inverseLabels: ['report'] });
        await write(storage, async (tx) => tx.putEdges([manages]));
        const scanned = await read(storage, async (tx) => scanAllEdges(tx, 'contacts', 'contacts', 1));
        expect(scanned).toHaveLength(2);
        expect(scanned).toEqual(expect.arrayContaining([manages, inverse(manages)]));
      });

      it('scanEdges answers no edges where there are none (no records, or no edges to that type)', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies'), record('d1', 'deals')]));
        await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'deals', 'd1')]));
        expect(await read(storage, async (tx) => scanAllEdges(tx, 'tickets', 'contacts', 10))).toEqual([]);
        expect(await read(storage, async (tx) => scanAllEdges(tx, 'contacts', 'companies', 10))).toEqual([]);
        expect(await read(storage, async (tx) => scanAllEdges(tx, 'companies', 'contacts', 10))).toEqual([]);
      });

      it('scanEdges rejects (throws) a cursor it did not make', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies')]));
        await write(storage, async (tx) => tx.putEdges([edge('contacts', 'c1', 'companies', 'co1')]));
        await expect(read(storage, async (tx) => tx.scanEdges('contacts', 'companies', { limit: 1, after: 'not-a-cursor' }))).rejects.toThrow();
      });
    });

    describe('edge pages (pageEdges)', () => {
      const at = (second: number): string => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

      /** The far ends of company `id`'s live edges to contacts, and the totals, by pages of `limit`. */
      const pageAll = async (tx: StorageTx, id: string, limit: number, labels?: string[]): Promise<{ ids: string[]; totals: number[] }> => {
        const ids: string[] = [];
        const totals: number[] = [];
        let after: string | undefined;
        do {
          const page = await tx.pageEdges('companies', id, { toType: 'contacts', limit, ...(after !== undefined ? { after } : {}), ...(labels ? { labels } : {}) });
          expect(page.edges.length, `a page of limit ${limit}`).toBeLessThanOrEqual(limit);
          ids.push(...page.edges.map((found) => found.toId));
          totals.push(page.total);
          after = page.after;
          expect(totals.length, `pageEdges(limit ${limit}) does not end`).toBeLessThanOrEqual(1_000);
        } while (after !== undefined);
        return { ids, totals };
      };

      it('pages a record’s live edges to one type by createdAt, ties in the order first stored, each exactly once, with the total on every page', async () => {
        const storage = await factory();
        const contacts = Array.from({ length: 8 }, (_, n) => record(`c${n}`));
        await write(storage, async (tx) => tx.insertRecords([...contacts, record('co', 'companies'), record('d1', 'deals')]));
        // Stored out of time order (a merge moves old associations after newer ones), with ties.
        await write(storage, async (tx) =>
          tx.putEdges([
            edge('companies', 'co', 'contacts', 'c0', { createdAt: at(5) }),
            edge('companies', 'co', 'contacts', 'c1', { createdAt: at(3) }),
            inverse(edge('companies', 'co', 'contacts', 'c2', { createdAt: at(3) })),
            edge('companies', 'co', 'contacts', 'c3', { createdAt: at(9), archived: true }),
            edge('companies', 'co', 'contacts', 'c4', { createdAt: at(1) }),
            edge('companies', 'co', 'deals', 'd1', { createdAt: at(0) }),
          ]),
        );
        await write(storage, async (tx) =>
          tx.putEdges([edge('companies', 'co', 'contacts', 'c5', { createdAt: at(3) }), edge('companies', 'co', 'contacts', 'c6', { createdAt: at(7) })]),
        );
        const expected = ['c4', 'c1', 'c2', 'c5', 'c0', 'c6'];
        for (const limit of [1, 2, 3, 5, 6, 100]) {
          const { ids, totals } = await read(storage, async (tx) => pageAll(tx, 'co', limit));
          expect(ids, `limit ${limit}`).toEqual(expected);
          expect(new Set(totals), `limit ${limit}`).toEqual(new Set([6]));
        }
        // The edges come whole, as seen from the record.
        const [first] = (await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 1 }))).edges;
        expect(first).toEqual(edge('companies', 'co', 'contacts', 'c4', { createdAt: at(1) }));
      });

      it('a relabelled association keeps its place; a removed and re-made one goes by its new time', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c0'), record('c1'), record('c2'), record('co', 'companies')]));
        await write(storage, async (tx) =>
          tx.putEdges(['c0', 'c1', 'c2'].map((id) => edge('companies', 'co', 'contacts', id, { createdAt: at(1) }))),
        );
        await write(storage, async (tx) => tx.putEdges([edge('companies', 'co', 'contacts', 'c0', { createdAt: at(1), labels: ['owner'] })]));
        expect((await read(storage, async (tx) => pageAll(tx, 'co', 2))).ids).toEqual(['c0', 'c1', 'c2']);
        await write(storage, async (tx) => tx.deleteEdges([ends(edge('companies', 'co', 'contacts', 'c1'))]));
        await write(storage, async (tx) => tx.putEdges([edge('companies', 'co', 'contacts', 'c1', { createdAt: at(1) })]));
        expect((await read(storage, async (tx) => pageAll(tx, 'co', 2))).ids).toEqual(['c0', 'c2', 'c1']);
      });

      it('filters by labels (any of them, as seen from the record), total included', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c0'), record('c1'), record('c2'), record('c3'), record('co', 'companies')]));
        await write(storage, async (tx) =>
          tx.putEdges([
            edge('companies', 'co', 'contacts', 'c0', { labels: ['billing'], inverseLabels: ['primary'] }),
            edge('companies', 'co', 'contacts', 'c1', { inverseLabels: ['billing'] }),
            edge('companies', 'co', 'contacts', 'c2', { labels: ['owner', 'billing'] }),
            edge('companies', 'co', 'contacts', 'c3', { labels: ['owner'], archived: true }),
          ]),
        );
        expect(await read(storage, async (tx) => pageAll(tx, 'co', 1, ['billing']))).toEqual({ ids: ['c0', 'c2'], totals: [2, 2] });
        expect((await read(storage, async (tx) => pageAll(tx, 'co', 5, ['owner', 'nobody']))).ids).toEqual(['c2']);
        expect(await read(storage, async (tx) => pageAll(tx, 'co', 5, ['primary']))).toEqual({ ids: [], totals: [0] });
      });

      it('a cursor resumes after its position even when that edge, or others, changed meanwhile', async () => {
        const storage = await factory();
        const contacts = Array.from({ length: 6 }, (_, n) => record(`c${n}`));
        await write(storage, async (tx) => tx.insertRecords([...contacts, record('co', 'companies')]));
        await write(storage, async (tx) => tx.putEdges(contacts.map((contact, n) => edge('companies', 'co', 'contacts', contact.id, { createdAt: at(n) }))));
        const first = await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 2 }));
        expect(farEnds(first.edges)).toEqual(['contacts/c0', 'contacts/c1']);
        // The last edge shown goes, and so does one not yet shown: the next page starts right after the position.
        await write(storage, async (tx) => tx.deleteEdges([ends(edge('companies', 'co', 'contacts', 'c1')), ends(edge('companies', 'co', 'contacts', 'c3'))]));
        const next = await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 2, after: first.after! }));
        expect(farEnds(next.edges)).toEqual(['contacts/c2', 'contacts/c4']);
        expect(next.total).toBe(4);
      });

      it('answers no edges and a total of 0 for a record without any (or an unknown record), and throws for a cursor it did not make', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c0'), record('co', 'companies')]));
        expect(await read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 10 }))).toEqual({ edges: [], total: 0 });
        expect(await read(storage, async (tx) => tx.pageEdges('companies', 'nobody', { toType: 'contacts', limit: 10 }))).toEqual({ edges: [], total: 0 });
        await write(storage, async (tx) => tx.putEdges([edge('companies', 'co', 'contacts', 'c0')]));
        await expect(read(storage, async (tx) => tx.pageEdges('companies', 'co', { toType: 'contacts', limit: 1, after: 'not-a-cursor' }))).rejects.toThrow();
      });
    });

    describe('association history', () => {
      it("keeps each record's association history oldest first, apart from the other end's", async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c1'), record('c2'), record('co1', 'companies')]));
        const made = { ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary'], '2026-01-01T00:00:01.000Z'), otherName: 'Acme' };
        const madeOther = edgeEntry('companies', 'co1', 'contacts', 'c1', 'created', ['employee'], '2026-01-01T00:00:01.000Z');
        const relabelled = {
          ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'relabelled', [], '2026-01-01T00:00:02.000Z'),
          labelsBefore: ['primary'],
          source: { type: 'USER' as const, id: 'u7', label: 'Ana' },
        };
        const removed = { ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'removed', [], '2026-01-01T00:00:03.000Z'), labelsBefore: [] };
        const elsewhere = edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []);
        await write(storage, async (tx) => tx.appendEdgeHistory([made, madeOther, elsewhere]));
        await write(storage, async (tx) => tx.appendEdgeHistory([relabelled]));
        await write(storage, async (tx) => tx.appendEdgeHistory([removed]));
        await read(storage, async (tx) => {
          expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([made, relabelled, removed]);
          // Appending on one end does not log on the other: the engine writes each end's entry.
          expect(await tx.readEdgeHistory('companies', 'co1')).toEqual([madeOther]);
          expect(await tx.readEdgeHistory('contacts', 'c2')).toEqual([elsewhere]);
          expect(await tx.readEdgeHistory('contacts', 'missing')).toEqual([]);
          expect(await tx.readEdgeHistory('tickets', 'c1')).toEqual([]);
        });
      });

      it('deleteRecords removes the record’s association history; a record re-made with the same id starts with no edges and no history', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c1'), record('c2'), record('co1', 'companies')]));
        const a = edge('contacts', 'c1', 'companies', 'co1');
        const b = edge('contacts', 'c2', 'companies', 'co1');
        const history = [
          edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', []),
          edgeEntry('companies', 'co1', 'contacts', 'c1', 'created', []),
          edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []),
        ];
        await write(storage, async (tx) => {
          await tx.putEdges([a, b]);
          await tx.appendEdgeHistory(history);
        });
        // What the engine does: delete the record's edges, then the record.
        await write(storage, async (tx) => {
          await tx.deleteEdges([a]);
          await tx.deleteRecords('contacts', ['c1']);
        });
        await read(storage, async (tx) => {
          expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([]);
          expect(await tx.readEdgeHistory('contacts', 'c2')).toEqual([history[2]]);
          // The other end's history is its own, and stays.
          expect(await tx.readEdgeHistory('companies', 'co1')).toEqual([history[1]]);
          expect(await tx.getEdges('companies', ['co1'])).toEqual([[inverse(b)]]);
        });
        await write(storage, async (tx) => expect(await tx.insertRecords([record('c1')])).toEqual([]));
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c1'])).toEqual([[]]);
          expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([]);
        });
      });
    });

    describe('transactions', () => {
      it('undoes everything a failed transaction did', async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('kept')]);
          await tx.claimKeys('contacts', [{ key: 'email', value: 'kept@x.com', id: 'kept' }]);
          await tx.appendHistory([entry('kept', { firstname: 'K' })]);
          await tx.putMeta('m', 1);
        });
        const failure = new Error('boom');
        await expect(
          write(storage, async (tx) => {
            await tx.insertRecords([record('new')]);
            await tx.updateRecords([record('kept', 'contacts', { firstname: 'changed' })]);
            await tx.claimKeys('contacts', [{ key: 'email', value: 'new@x.com', id: 'new' }]);
            await tx.releaseKeys('contacts', [{ key: 'email', value: 'kept@x.com', id: 'kept' }]);
            await tx.appendHistory([entry('kept', { firstname: 'changed' })]);
            await tx.putMeta('m', 2);
            await tx.putMeta('other', 'x');
            await tx.deleteRecords('contacts', ['kept']);
            throw failure;
          }),
        ).rejects.toBe(failure);
        await read(storage, async (tx) => {
          expect(await tx.getRecords('contacts', ['kept', 'new'])).toEqual([record('kept'), undefined]);
          expect(await tx.lookupKeys('contacts', 'email', ['kept@x.com', 'new@x.com'])).toEqual(['kept', undefined]);
          expect((await tx.readHistory('contacts', 'kept')).map((item) => item.values.firstname)).toEqual(['K']);
          expect(await tx.getMeta('m')).toBe(1);
          expect(await tx.getMeta('other')).toBeUndefined();
          expect(await scanAll(tx, 'contacts', 10)).toEqual(['kept']);
        });
      });

      it('a savepoint undoes only what its function did', async () => {
        const storage = await factory();
        await write(storage, async (tx) => {
          await tx.insertRecords([record('before')]);
          await expect(
            tx.savepoint(async () => {
              await tx.insertRecords([record('inside')]);
              await tx.putMeta('m', 'inside');
              throw new Error('inner');
            }),
          ).rejects.toThrow('inner');
          await tx.savepoint(async () => tx.insertRecords([record('kept-inside')]));
          await tx.insertRecords([record('after')]);
        });
        const ids = await read(storage, async (tx) => scanAll(tx, 'contacts', 10));
        expect(ids).toEqual(['before', 'kept-inside', 'after']);
        expect(await read(storage, async (tx) => tx.getMeta('m'))).toBeUndefined();
      });

      it('runs concurrent transactions so that none sees another half done', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.putMeta('counter', 0));
        // Each transaction reads, waits, then writes: interleaving would lose increments.
        await Promise.all(
          Array.from({ length: 20 }, () =>
            write(storage, async (tx) => {
              const value = (await tx.getMeta('counter')) as number;
              await new Promise((resolve) => setTimeout(resolve, 1));
              await tx.putMeta('counter', value + 1);
            }),
          ),
        );
        expect(await read(storage, async (tx) => tx.getMeta('counter'))).toBe(20);
      });

      it('lets only one of two concurrent claims of a key win', async () => {
        const storage = await factory();
        const results = await Promise.allSettled(
          ['a', 'b'].map((id) =>
            write(storage, async (tx) => {
              const conflicts = await tx.claimKeys('contacts', [{ key: 'email', value: 'same@x.com', id }]);
              if (conflicts.length > 0) throw new Error('taken');
              await tx.insertRecords([record(id)]);
            }),
          ),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const ids = await read(storage, async (tx) => scanAll(tx, 'contacts', 10));
        expect(ids).toHaveLength(1);
      });
    });

    describe('associations in transactions', () => {
      /**
       * c1 → co1, co2, co3 (in that order), c2 → co1 and d1, with history on c1, c2 and co1:
       * the state the atomicity tests try to change.
       */
      const seedGraph = async (storage: Storage): Promise<void> => {
        await write(storage, async (tx) => {
          await tx.insertRecords([
            record('c1'),
            record('c2'),
            ...['co1', 'co2', 'co3', 'co4'].map((id) => record(id, 'companies')),
            record('d1', 'deals'),
          ]);
          await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary'] }), edge('contacts', 'c1', 'companies', 'co2')]);
          await tx.putEdges([edge('contacts', 'c2', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'co3'), edge('contacts', 'c2', 'deals', 'd1')]);
          await tx.appendEdgeHistory([
            edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary']),
            edgeEntry('companies', 'co1', 'contacts', 'c1', 'created', []),
            edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []),
          ]);
        });
      };

      /** Everything the graph tests can observe, read inside `tx`: edges per record (in order), history, scans. */
      const observe = async (tx: StorageTx): Promise<unknown> => ({
        contacts: await tx.getEdges('contacts', ['c1', 'c2']),
        companies: await tx.getEdges('companies', ['co1', 'co2', 'co3', 'co4']),
        deals: await tx.getEdges('deals', ['d1']),
        history: [
          await tx.readEdgeHistory('contacts', 'c1'),
          await tx.readEdgeHistory('contacts', 'c2'),
          await tx.readEdgeHistory('companies', 'co1'),
          await tx.readEdgeHistory('companies', 'co4'),
        ],
        scan: await scanAllEdges(tx, 'contacts', 'companies', 2),
        records: await tx.getRecords('contacts', ['c1', 'c2']),
      });

      /** c1's edges, co1's, the contacts → companies scan and c1's association history, read inside `tx`. */
      const observeOne = async (tx: StorageTx): Promise<unknown> => ({
        edges: await tx.getEdges('contacts', ['c1']),
        inverse: await tx.getEdges('companies', ['co1']),
        scan: await scanAllEdges(tx, 'contacts', 'companies', 10),
        history: await tx.readEdgeHistory('contacts', 'c1'),
      });

      it('a failed transaction leaves no trace of its edge writes: edges, their order, history and deleted records come back as they were', async () => {
        const storage = await factory();
        await seedGraph(storage);
        const before = await read(storage, observe);
        const failure = new Error('boom');
        await expect(
          write(storage, async (tx) => {
            // Delete the middle edge: its place in c1's order must come back too.
            await tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co2'))]);
            await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1', { labels: ['changed'] }), edge('contacts', 'c1', 'companies', 'co4')]);
            await tx.putEdges([edge('contacts', 'c1', 'companies', 'co2', { labels: ['re-made'] })]);
            await tx.appendEdgeHistory([
              edgeEntry('contacts', 'c1', 'companies', 'co4', 'created', []),
              edgeEntry('companies', 'co4', 'contacts', 'c1', 'created', []),
            ]);
            // Delete c2 as the engine would: its edges first, then the record (with its history).
            await tx.deleteEdges([ends(edge('contacts', 'c2', 'companies', 'co1')), ends(edge('contacts', 'c2', 'deals', 'd1'))]);
            await tx.deleteRecords('contacts', ['c2']);
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await read(storage, observe)).toEqual(before);
      });

      it('a savepoint undoes only its own edge writes, and the transaction goes on', async () => {
        const storage = await factory();
        await seedGraph(storage);
        const before = await read(storage, observe);
        const later = edge('contacts', 'c2', 'companies', 'co3');
        const laterEntry = edgeEntry('contacts', 'c2', 'companies', 'co3', 'created', []);
        await write(storage, async (tx) => {
          await expect(
            tx.savepoint(async () => {
              await tx.deleteEdges([ends(edge('contacts', 'c1', 'companies', 'co2'))]);
              await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1', { labels: [] }), edge('contacts', 'c1', 'companies', 'co4')]);
              await tx.putEdges([edge('contacts', 'c1', 'companies', 'co2')]);
              await tx.appendEdgeHistory([edgeEntry('contacts', 'c1', 'companies', 'co4', 'created', [])]);
              throw new Error('inner');
            }),
          ).rejects.toThrow('inner');
          // Inside the transaction, the state is back to what it was before the savepoint.
          expect(await observe(tx)).toEqual(before);
          await tx.savepoint(async () => {
            await tx.putEdges([later]);
            await tx.appendEdgeHistory([laterEntry]);
          });
        });
        await read(storage, async (tx) => {
          const [c1, c2] = await tx.getEdges('contacts', ['c1', 'c2'], 'companies');
          expect(farEnds(c1!)).toEqual(['companies/co1', 'companies/co2', 'companies/co3']);
          expect(c1![0]!.labels).toEqual(['primary']);
          expect(c2).toEqual([edge('contacts', 'c2', 'companies', 'co1'), later]);
          expect(await tx.getEdges('contacts', ['c2'], 'deals')).toEqual([[edge('contacts', 'c2', 'deals', 'd1')]]);
          expect(await tx.getEdges('companies', ['co4'])).toEqual([[]]);
          expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary'])]);
          expect(await tx.readEdgeHistory('contacts', 'c2')).toEqual([edgeEntry('contacts', 'c2', 'companies', 'co1', 'created', []), laterEntry]);
        });
      });

      it('a transaction reads its own edge writes; later read transactions see the committed edges', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies')]));
        const made = edge('contacts', 'c1', 'companies', 'co1', { labels: ['primary'] });
        const entry = edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', ['primary']);
        const inside = await write(storage, async (tx) => {
          await tx.putEdges([made]);
          await tx.appendEdgeHistory([entry]);
          return observeOne(tx);
        });
        const committed = await read(storage, observeOne);
        for (const seen of [inside, committed]) {
          expect(seen).toEqual({ edges: [[made]], inverse: [[inverse(made)]], scan: [made], history: [entry] });
        }
      });

      it('a transaction or savepoint failing on a refused edge write keeps none of that call’s other writes', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies')]));
        const failure = new Error('boom');
        // Writes naming a record that does not exist: an adapter may refuse them (throw) or not;
        // either way the transaction (or savepoint) fails, and nothing it did, before or inside
        // that call, remains. The engine never makes such calls; the duty is that a primitive
        // which throws part-way through a batch has not kept the part before the throw.
        await write(storage, async (tx) => {
          await expect(
            tx.savepoint(async () => {
              await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('companies', 'co1', 'deals', 'missing')]);
              await tx.appendEdgeHistory([
                edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', []),
                edgeEntry('deals', 'missing', 'companies', 'co1', 'created', []),
              ]);
              throw failure;
            }),
          ).rejects.toThrow();
        });
        await expect(
          write(storage, async (tx) => {
            await tx.putEdges([edge('contacts', 'c1', 'companies', 'co1'), edge('contacts', 'c1', 'companies', 'missing')]);
            throw failure;
          }),
        ).rejects.toThrow();
        await expect(
          write(storage, async (tx) => {
            await tx.appendEdgeHistory([
              edgeEntry('contacts', 'c1', 'companies', 'co1', 'created', []),
              edgeEntry('contacts', 'missing', 'companies', 'co1', 'created', []),
            ]);
            throw failure;
          }),
        ).rejects.toThrow();
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c1'])).toEqual([[]]);
          expect(await tx.getEdges('companies', ['co1'])).toEqual([[]]);
          expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual([]);
          expect(await scanAllEdges(tx, 'contacts', 'companies', 10)).toEqual([]);
        });
      });

      it('does not mutate the edges, ends and history entries handed in', async () => {
        const storage = await factory();
        await write(storage, async (tx) => tx.insertRecords([record('c1'), record('co1', 'companies'), record('co2', 'companies')]));
        // Plain, unfrozen objects: a mutation would not throw, so compare with copies.
        const edges: StoredEdge[] = [
          { ...edge('contacts', 'c1', 'companies', 'co1'), labels: ['primary'], inverseLabels: ['employee'] },
          { ...edge('companies', 'co2', 'contacts', 'c1'), labels: [], inverseLabels: ['billing'], archived: true },
        ];
        const replacement: StoredEdge = { ...edges[0]!, labels: [], inverseLabels: ['former'] };
        const removal: EdgeEnds = { fromType: 'companies', fromId: 'co2', toType: 'contacts', toId: 'c1' };
        const entries: EdgeHistoryEntry[] = [{ ...edgeEntry('contacts', 'c1', 'companies', 'co1', 'relabelled', []), labelsBefore: ['primary'] }];
        const copies = structuredClone({ edges, replacement, removal, entries });
        await write(storage, async (tx) => {
          await tx.putEdges(edges);
          await tx.putEdges([replacement]);
          await tx.deleteEdges([removal]);
          await tx.appendEdgeHistory(entries);
        });
        expect({ edges, replacement, removal, entries }).toEqual(copies);
        await read(storage, async (tx) => {
          expect(await tx.getEdges('contacts', ['c1'])).toEqual([[copies.replacement]]);
          expect(await tx.readEdgeHistory('contacts', 'c1')).toEqual(copies.entries);
        });
      });
    });
  });
}
