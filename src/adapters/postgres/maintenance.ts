// VACUUM and ANALYZE of crmkit's tables by the storage itself, for a database that runs no
// autovacuum: PGlite (a single-user PostgreSQL) never does, so without this every updated or
// deleted row stays in its table and indexes for good, and the planner never has statistics. A
// record's association counts rewrite it on every association batch: after the benchmark's load
// of 10,000 contacts, `crmkit_records` held 12,703 dead rows beside 11,000 live ones, and a COUNT
// of 5,000 matches checked 10,000 index entries against the table (6–7 ms; 0.9 vacuumed). The
// rule is autovacuum's, counted by this storage in rows it wrote: due after 1,000 rows plus a
// tenth of the tables' rows at the last run, so a growing database is maintained a number of
// times logarithmic in its size. A server's own autovacuum is left to do it.
import type { Session } from './driver.js';
import { TABLES } from '../sql/tables.js';

/** Rows written before the first run, and on top of the scaled part of the next ones. */
const BASE_ROWS = 1_000;
/** The share of the tables' rows (records and edges) written since the last run that makes the next one due. */
const SCALE = 0.1;

/** crmkit's tables, each vacuumed and analysed (the names are constants: no caller text). */
const MAINTAINED = Object.values(TABLES).join(', ');

/**
 * Whether the database runs autovacuum: its launcher is a backend of its own. PGlite's only
 * backend is the standalone one. A database that cannot say is assumed to run it.
 *
 * @example
 * if (!(await autovacuumRuns(session))) maintenance = new Maintenance();
 */
export async function autovacuumRuns(session: Session): Promise<boolean> {
  try {
    const [row] = await session.query(`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher') AS runs`);
    return row?.runs !== false;
  } catch {
    return true;
  }
}

/**
 * The rows one storage wrote since its last VACUUM ANALYZE, and when the next is due.
 *
 * @example
 * if (maintenance.wrote(tx.written)) await maintenance.run(session);
 */
export class Maintenance {
  private written = 0;
  private dueAt = BASE_ROWS;

  /** Adds a committed transaction's written rows; true when the tables are due. */
  wrote(rows: number): boolean {
    this.written += rows;
    return this.written >= this.dueAt;
  }

  /**
   * VACUUM (ANALYZE) of crmkit's tables on an idle session (VACUUM cannot run inside a
   * transaction), then the next threshold from their size. A failure is thrown to the caller,
   * which drops the session if it may be broken; the count starts over either way, so a failing
   * database is not asked again at once.
   */
  async run(session: Session): Promise<void> {
    this.written = 0;
    await session.query(`VACUUM (ANALYZE) ${MAINTAINED}`);
    const [row] = await session.query(
      `SELECT sum(GREATEST(reltuples, 0))::float8 AS rows FROM pg_class WHERE oid IN ('${TABLES.records}'::regclass, '${TABLES.edges}'::regclass)`,
    );
    this.dueAt = BASE_ROWS + SCALE * Number(row?.rows ?? 0);
  }
}
