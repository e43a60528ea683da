// The SQL core (src/adapters/sql/): the statements both databases run are valid SQL in both
// dialects with the same parameters in the same order, and the write and paging decisions hold
// over all inputs (fast-check), against the plain model of putting edges one by one.
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CrmError, type KeyClaim, type StoredEdge } from 'crmkit/storage';
import { postgresDialect } from '../../src/adapters/postgres/dialect.js';
import { singleConnectionDriver } from '../../src/adapters/postgres/driver.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/schema.js';
import { asStorageError, storageFailure } from '../../src/adapters/sql/errors.js';
import { keysetPage, MAX_PAGE_ROWS, pageSize } from '../../src/adapters/sql/paging.js';
import { sharedStatements } from '../../src/adapters/sql/statements.js';
import { edgeEndsBothWays, edgeRowsBothWays, keyConflicts } from '../../src/adapters/sql/writes.js';
import { sqliteDialect } from '../../src/adapters/sqlite/dialect.js';
import { migrate as migrateSqlite } from '../../src/adapters/sqlite/schema.js';

const FUZZ_SCALE = Number(process.env.CRMKIT_FUZZ_SCALE ?? 1);
const pglite = new PGlite();
afterAll(async () => pglite.close());

describe('the shared statements', () => {
  const sqlite = sharedStatements(sqliteDialect);
  const postgres = sharedStatements(postgresDialect);
  const names = Object.keys(sqlite).filter((name) => name !== 'pageRange') as (keyof typeof sqlite)[];

  it('take the same parameters in the same order in both dialects', () => {
    expect(Object.keys(postgres)).toEqual(Object.keys(sqlite));
    for (const name of names) {
      const positional = sqlite[name].split('?').length - 1;
      const numbered = [...postgres[name].matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
      // PostgreSQL's numbers, in order of appearance, are 1…n: what SQLite binds by position.
      expect(numbered, name).toEqual(Array.from({ length: positional }, (_, at) => at + 1));
    }
  });

  it('are valid SQL on SQLite at the current schema', () => {
    const db = new Database(':memory:');
    migrateSqlite(db);
    for (const name of names) expect(() => db.prepare(sqlite[name]), name).not.toThrow();
    db.close();
  });

  it('are valid SQL on PostgreSQL at the current schema', async () => {
    const session = await singleConnectionDriver(pglite).acquire();
    try {
      await migratePostgres(session);
      for (const [at, name] of names.entries()) {
        // PREPARE parses, resolves names and types every parameter without running anything.
        await expect(session.query(`PREPARE shared_${at} AS ${postgres[name]}`), name).resolves.toBeDefined();
      }
    } finally {
      session.release();
    }
  });
});

const edgeArbitrary: fc.Arbitrary<StoredEdge> = fc.record({
  fromType: fc.constantFrom('contacts', 'companies'),
  fromId: fc.constantFrom('a', 'b', 'c'),
  toType: fc.constantFrom('contacts', 'companies'),
  toId: fc.constantFrom('a', 'b', 'c'),
  labels: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }),
  inverseLabels: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }),
  createdAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'),
  archived: fc.boolean(),
});

describe('edge writes', () => {
  it('putEdges writes each association both ways, each row once: first place, last value (as putting them one by one)', () => {
    fc.assert(
      fc.property(fc.array(edgeArbitrary, { maxLength: 8 }), (edges) => {
        // The model: a table keyed by the row's ends, written edge by edge, the inverse after.
        const table = new Map<string, StoredEdge>();
        const put = (row: StoredEdge): void => void table.set(`${row.fromType}/${row.fromId}/${row.toType}/${row.toId}`, row);
        for (const edge of edges) {
          put(edge);
          put({ ...edge, fromType: edge.toType, fromId: edge.toId, toType: edge.fromType, toId: edge.fromId, labels: edge.inverseLabels, inverseLabels: edge.labels });
        }
        expect(edgeRowsBothWays(edges)).toEqual([...table.values()]);
      }),
      { numRuns: 300 * FUZZ_SCALE },
    );
  });

  it('deleteEdges deletes both directions of each association, whichever end names it', () => {
    const ends = { fromType: 'contacts', fromId: 'c1', toType: 'companies', toId: 'co1' };
    expect(edgeEndsBothWays([ends])).toEqual([ends, { fromType: 'companies', fromId: 'co1', toType: 'contacts', toId: 'c1' }]);
  });
});

describe('key claims', () => {
  it('a claim conflicts when another record holds its value, in order, and never when the holder is itself or no one', () => {
    const claim = fc.record({ key: fc.constantFrom('email', 'domain'), value: fc.constantFrom('a', 'b'), id: fc.constantFrom('r1', 'r2', 'r3') });
    fc.assert(
      fc.property(fc.array(claim, { maxLength: 8 }), fc.dictionary(fc.constantFrom('email/a', 'email/b', 'domain/a', 'domain/b'), fc.constantFrom('r1', 'r2')), (claims, held) => {
        // The model: claims granted one by one on a table that starts as `held`.
        const table = new Map<string, string>(Object.entries(held));
        const expected = claims.flatMap((one: KeyClaim, index) => {
          const name = `${one.key}/${one.value}`;
          const holder = table.get(name);
          if (holder === undefined) table.set(name, one.id);
          return holder !== undefined && holder !== one.id ? [{ index, existingId: holder }] : [];
        });
        const granted = new Map<string, string>(Object.entries(held));
        const conflicts = keyConflicts(claims, (one) => {
          const name = `${one.key}/${one.value}`;
          if (!granted.has(name)) granted.set(name, one.id);
          return granted.get(name);
        });
        expect(conflicts).toEqual(expected);
      }),
      { numRuns: 300 * FUZZ_SCALE },
    );
  });
});

describe('keyset paging', () => {
  it('a page size is a whole number from the least (0 or 1) to the maximum, whatever the limit asked', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer()), fc.constantFrom(0 as const, 1 as const), (limit, least) => {
        const size = pageSize(limit, least);
        expect(Number.isInteger(size) && size >= least && size <= MAX_PAGE_ROWS).toBe(true);
        // == rather than Object.is: -0 asks for 0 rows.
        if (Number.isInteger(limit) && limit >= least && limit <= MAX_PAGE_ROWS) expect(size === limit).toBe(true);
      }),
      { numRuns: 300 * FUZZ_SCALE },
    );
  });

  it('a page read with one row more than its size says whether more follow', () => {
    expect(keysetPage([1, 2, 3], 2)).toEqual({ rows: [1, 2], more: true });
    expect(keysetPage([1, 2], 2)).toEqual({ rows: [1, 2], more: false });
    expect(keysetPage([], 0)).toEqual({ rows: [], more: false });
    expect(keysetPage([1], 0)).toEqual({ rows: [], more: true });
  });
});

describe('failures', () => {
  it("a driver error is STORAGE_ERROR with its cause, the database's code under the adapter's name for it, and the outcome", () => {
    const driver = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const error = asStorageError('sqlite', driver, 'commit', 'code', 'SQLITE_BUSY');
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('STORAGE_ERROR');
    expect(error.message).toBe('sqlite storage (commit): database is locked');
    expect(error.details).toEqual({ cause: driver, code: 'SQLITE_BUSY', outcome: 'rolled_back' });
    expect(asStorageError('postgres', 'gone', 'commit', 'sqlState', undefined, 'unknown').details).toEqual({ cause: 'gone', outcome: 'unknown' });
    expect(storageFailure('postgres', ' is closed').message).toBe('postgres storage is closed');
  });

  it("crmkit's own errors pass through unchanged", () => {
    const mine = new CrmError('NOT_FOUND', 'mine', { objectType: 'contacts', id: 'c1' });
    expect(asStorageError('sqlite', mine, 'getRecords', 'code', 'X')).toBe(mine);
  });
});
