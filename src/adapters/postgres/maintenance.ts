// VACUUM and ANALYZE of crmkit's searched tables by the storage itself, for a database that runs
// no autovacuum: PGlite (a single-user PostgreSQL) never does, so without this every updated or
// deleted row stays in its table and indexes for good, and the planner never has statistics. A
// record's association counts rewrite it on every association batch: after the benchmark's load
// of 10,000 contacts, `crmkit_records` held 12,703 dead rows beside 11,000 live ones, and a COUNT
// of 5,000 matches checked 10,000 index entries against the table (6–7 ms; 0.9 vacuumed).
//
// The rule is autovacuum's, counted by this storage in the rows of records and edges it wrote:
// due after 2,000 rows plus a fifth of those tables' rows at the last run, so a growing database
// is maintained a number of times logarithmic in its size. Only the two tables searches and
// association lists read; an ANALYZE samples 9,000 rows of each (statistics target 30, where
// PostgreSQL's default samples 30,000): the run blocks the call that made it due, and at 10,000
// contacts a full VACUUM ANALYZE of every table took 667 ms, this one about 70. A server's own
// autovacuum is left to do it.
import type { Session } from './driver.js';
import { TABLES } from '../sql/tables.js';

/** Rows written before the first run, and on top of the scaled part of the next ones. */
const BASE_ROWS = 2_000;
/** The share of the tables' rows written since the last run that makes the next one due. */
const SCALE = 0.2;
/** The statistics target of the storage's ANALYZE (300 rows sampled per unit). */
const STATISTICS_TARGET = '30';

/** The tables maintained (constants: no caller text). */
const MAINTAINED = `${TABLES.records}, ${TABLES.edges}`;

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
   * VACUUM (ANALYZE) of the records and edges on an idle session (VACUUM cannot run inside a
   * transaction), then the next threshold from their size. A failure is thrown to the caller,
   * which drops the session if it may be broken; the count starts over either way, so a failing
   * database is not asked again at once.
   */
  async run(session: Session): Promise<void> {
    this.written = 0;
    // The session's own target is put back: on a client of the caller's, it is theirs.
    const [setting] = await session.query(`SELECT current_setting('default_statistics_target') AS was, set_config('default_statistics_target', $1, false)`, [STATISTICS_TARGET]);
    try {
      await session.query(`VACUUM (ANALYZE) ${MAINTAINED}`);
    } finally {
      await session.query(`SELECT set_config('default_statistics_target', $1, false)`, [String(setting!.was)]);
    }
    const [row] = await session.query(
      `SELECT sum(GREATEST(reltuples, 0))::float8 AS rows FROM pg_class WHERE oid IN ('${TABLES.records}'::regclass, '${TABLES.edges}'::regclass)`,
    );
    this.dueAt = BASE_ROWS + SCALE * Number(row?.rows ?? 0);
  }
}
