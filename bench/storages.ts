// Storages the benchmark can run crmkit on, by the name given to --storage: one entry that opens
// a new, empty Crm on it. The returned Crm's close() also removes what the entry made (the
// SQLite temp file; the PostgreSQL tenant's rows; the PGlite instance).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCrm, type Crm } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';
import { postgresStorage } from 'crmkit/postgres';

export interface StorageChoice {
  /** What the report says about it. */
  description: string;
  /** A new, empty Crm on this storage. */
  open(): Promise<Crm>;
}

/** How to vacuum and analyse the tables under a Crm this file opened (PostgreSQL). */
const vacuums = new WeakMap<Crm, () => Promise<void>>();

/**
 * Runs VACUUM ANALYZE on the crmkit tables under `crm` (opened here on PostgreSQL): statistics,
 * and the dead rows of the load removed (each association batch rewrites the records whose
 * counts it changes), as autovacuum does on a server soon after a load and PGlite never does;
 * false when the storage has none to run.
 */
export async function vacuum(crm: Crm): Promise<boolean> {
  const run = vacuums.get(crm);
  if (run === undefined) return false;
  await run();
  return true;
}

/** The crm with a close() that also runs `cleanup` after the storage closed. */
function withCleanup(crm: Crm, cleanup: () => Promise<void> | void): Crm {
  const close = crm.close;
  return {
    ...crm,
    async close() {
      try {
        await close();
      } finally {
        await cleanup();
      }
    },
  };
}

// --------------------------------------------------------------- SQLite

/** Temp folders made by this process, removed on close and, failing that, at exit. */
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new folder under the OS temp dir for one benchmark database file; removed at exit at the latest. */
export function tempDatabaseFile(prefix: string): { file: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `crmkit-bench-${prefix}-`));
  tempDirs.add(dir);
  return {
    file: path.join(dir, 'bench.db'),
    remove() {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
}

async function openSqlite(): Promise<Crm> {
  const temp = tempDatabaseFile('sqlite');
  const crm = await createCrm({ storage: sqliteStorage(temp.file) });
  return withCleanup(crm, () => temp.remove());
}

// ----------------------------------------------------------- PostgreSQL

const PG_URL = process.env.CRMKIT_PG_URL;
const PG_TABLES = ['crmkit_edge_history', 'crmkit_history', 'crmkit_edges', 'crmkit_keys', 'crmkit_records', 'crmkit_meta'];
let tenants = 0;

/** The URL without its password, for the report. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable CRMKIT_PG_URL)';
  }
}

async function openPostgres(): Promise<Crm> {
  if (PG_URL === undefined || PG_URL === '') {
    // No server: PostgreSQL compiled to WASM, in process, one instance per open.
    const { PGlite } = await import('@electric-sql/pglite');
    const client = new PGlite();
    const crm = withCleanup(await createCrm({ storage: postgresStorage({ client }) }), () => client.close());
    vacuums.set(crm, async () => {
      for (const table of PG_TABLES) await client.query(`VACUUM ANALYZE ${table}`);
    });
    return crm;
  }
  // A fresh tenant per open, so runs (and rounds) never see each other's rows; deleted on close.
  const tenant = `bench-${process.pid}-${Date.now().toString(36)}-${++tenants}`;
  const withServer = async (run: (client: import('pg').Client) => Promise<void>): Promise<void> => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await run(client);
    } finally {
      await client.end();
    }
  };
  const crm = await createCrm({ storage: postgresStorage({ connectionString: PG_URL, tenant }) });
  const closing = withCleanup(crm, () =>
    withServer(async (client) => {
      for (const table of PG_TABLES) await client.query(`DELETE FROM ${table} WHERE tenant = $1`, [tenant]);
    }),
  );
  vacuums.set(closing, () =>
    withServer(async (client) => {
      for (const table of PG_TABLES) await client.query(`VACUUM ANALYZE ${table}`);
    }),
  );
  return closing;
}

export const STORAGES: Readonly<Record<string, StorageChoice>> = {
  memory: { description: 'memory (the default: await createCrm())', open: () => createCrm() },
  sqlite: {
    description: 'sqlite (crmkit/sqlite on better-sqlite3: a fresh temp file per run, WAL, synchronous NORMAL, foreign keys on; removed on close)',
    open: openSqlite,
  },
  postgres: {
    description:
      PG_URL === undefined || PG_URL === ''
        ? 'postgres on PGlite (CRMKIT_PG_URL is unset: PostgreSQL compiled to WASM, in process, one instance per run; set CRMKIT_PG_URL for a server)'
        : `postgres at ${redacted(PG_URL)} (crmkit/postgres on a pg pool, SERIALIZABLE; a fresh tenant per run, its rows deleted on close)`,
    open: openPostgres,
  },
};
