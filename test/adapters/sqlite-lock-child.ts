// Child process of the SQLite lock tests (sqlite-processes.test.ts): another process holding a
// lock on the file argv[2] for argv[4] ms, with plain better-sqlite3, then letting it go.
// argv[3] says which lock:
// - 'write': BEGIN IMMEDIATE and a row in the app's own table app_log (argv[5], the row's text):
//   the write lock; other writers wait, readers go on (WAL).
// - 'exclusive': BEGIN EXCLUSIVE (in rollback-journal mode, readers wait too).
// - 'read': a read transaction (in rollback-journal mode, a commit waits for it to end).
// Prints "holding" once it holds the lock and "released" once it let it go, then exits.
import Database from 'better-sqlite3';

const [file, mode, hold, text] = process.argv.slice(2) as [string, 'write' | 'exclusive' | 'read', string, string | undefined];
const db = new Database(file, { timeout: 10_000 });
db.exec('CREATE TABLE IF NOT EXISTS app_log (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
if (mode === 'write') {
  db.exec('BEGIN IMMEDIATE');
  db.prepare('INSERT INTO app_log (text) VALUES (?)').run(text ?? 'child');
} else if (mode === 'exclusive') {
  db.exec('BEGIN EXCLUSIVE');
} else {
  db.exec('BEGIN');
  db.prepare('SELECT COUNT(*) FROM app_log').get();
}
process.stdout.write('holding\n');
// The child's own event loop stays free: the lock is held by the open transaction, not by a
// blocked call.
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\n');
}, Number(hold));
