// The one place the SQLite adapter works around a crash of better-sqlite3 12 on Node 24
// (docs/decisions/0009-sql-core.md, docs/storage.md "Node 24"). better-sqlite3 12, the last line
// that runs on Node 20, builds its Database and Statement objects on node::ObjectWrap, whose
// destructor Node 24.19 made remove a cleanup hook from "the current environment", an assertion
// that aborts the process when the garbage collector frees such an object where none is current
// (WiseLibs/better-sqlite3#1515, closed without a fix; nodejs/node#65446). better-sqlite3 13
// (Node-API) has no such destructor but needs Node 22, and there is no call in 12's API that
// frees a statement without the collector (db.close() finalizes the SQLite statements, not their
// JavaScript objects). So on Node 24 and later the adapter never lets the collector free them:
// every connection it uses and every statement it prepares goes through this module and stays
// reachable for the life of the process, through the driver's public API only. The adapter never
// calls db.pragma() or db.transaction(), which prepare statements of their own and drop them.
// test/adapters/sqlite-node24.test.ts shows the crash and that the adapter does not meet it.
import type Database from 'better-sqlite3';

/**
 * Whether the running Node may free ObjectWrap objects in a way better-sqlite3 12 cannot
 * survive: from 24 on (24.19 aborts; later 24.x that do not are covered anyway, at no cost that
 * matters).
 *
 * @example
 * NEEDS_REACHABLE; // false on Node 20 and 22
 */
export const NEEDS_REACHABLE = Number(process.versions.node.split('.')[0]) >= 24;

/** What is kept, on Node 24 and later: connections and statements, for the life of the process. */
const kept: unknown[] = [];

/**
 * Keeps `db` reachable, where needed (a connection, once; its statements through {@link prepare}).
 *
 * @example
 * const db = keep(new Database(file, { timeout: 0 }));
 */
export function keep<T extends Database.Database>(db: T): T {
  if (NEEDS_REACHABLE && !kept.includes(db)) kept.push(db);
  return db;
}

/**
 * `db.prepare(sql)`, the statement kept reachable where needed: the only way the adapter prepares.
 *
 * @example
 * const touch = prepare(db, 'SELECT 1 FROM crmkit_meta LIMIT 0').pluck(true);
 */
export function prepare<P extends unknown[] = unknown[], R = unknown>(db: Database.Database, sql: string): Database.Statement<P, R> {
  const statement = db.prepare<P, R>(sql);
  if (NEEDS_REACHABLE) kept.push(statement);
  return statement;
}
