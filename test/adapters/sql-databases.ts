// What the test files that run on every SQL database share: SQLite files of their own, one PGlite
// instance, a pool on the PostgreSQL server when CRMKIT_PG_URL names one (its tests run only
// then), all closed after the file's tests, and tenant names no other test uses.
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { temporaryFiles } from './sqlite-shared.js';

/**
 * The databases of one test file named `name`: `file()` a new SQLite path, `pglite`, `pool`
 * (undefined without CRMKIT_PG_URL), and `tenant()` a fresh tenant name.
 */
export function sqlDatabases(name: string): { file: (suffix?: string) => string; pglite: PGlite; pool: pg.Pool | undefined; tenant: () => string } {
  const url = process.env.CRMKIT_PG_URL;
  const file = temporaryFiles(name);
  const pglite = new PGlite();
  const pool = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined;
  afterAll(async () => {
    await pglite.close();
    await pool?.end();
  });
  let tenants = 0;
  // The time too: a server keeps tenants of earlier runs.
  return { file, pglite, pool, tenant: () => `${name}-${process.pid}-${Date.now()}-${++tenants}` };
}
