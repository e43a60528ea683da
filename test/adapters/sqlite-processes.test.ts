// Other connections to one SQLite file: another process holding a lock (a real child process,
// sqlite-lock-child.ts) is waited for without freezing this process's event loop, up to
// busyTimeoutMs; past it the call fails having written nothing. One file opened through two
// paths in one process queues its transactions. A failure that ends SQLite's transaction under
// the engine never lets a later write commit on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCrm, type Storage, type StorageTx, type StoredRecord } from 'crmkit';
import { SCHEMA_VERSION, sqliteStorage } from 'crmkit/sqlite';
import { rejection, storedRecord, temporaryFiles } from './sqlite-shared.js';

const newFile = temporaryFiles('processes');

const childScript = fileURLToPath(new URL('./sqlite-lock-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** The largest gap between the ticks of a 10 ms interval, from `start()` to `stop()`: how long the event loop was frozen at worst. */
function watchEventLoop(): { stop(): number } {
  let last = performance.now();
  let worst = 0;
  const tick = (): void => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  };
  const timer = setInterval(tick, 10);
  return {
    stop() {
      tick();
      clearInterval(timer);
      return worst;
    },
  };
}

/**
 * Starts a child holding a `mode` lock on `file` for `holdMs` once it has it; answers when it
 * holds it, with a promise of its exit (code 0) and the parent's clock time it reported "released".
 */
async function holdLock(file: string, mode: 'write' | 'exclusive' | 'read', holdMs: number, text = 'child'): Promise<{ released: Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, file, mode, String(holdMs), text], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  let releasedAt = 0;
  const holding = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('holding')) resolve();
      if (text.includes('released')) releasedAt = performance.now();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before holding the lock: ${errors}`)));
  });
  const released = new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(releasedAt) : reject(new Error(`child exited with ${code}: ${errors}`))));
  });
  released.catch(() => {});
  await holding;
  return { released };
}

const appLog = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT text FROM app_log ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
};

const record = (id: string): StoredRecord => storedRecord(id);
const write = <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('write', fn);
const read = <T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> => storage.transaction('read', fn);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Generous for a loaded CI machine; a frozen loop shows the whole hold (2 s and more).
const MAX_GAP_MS = 200;

describe('sqlite: another process holding the file', () => {
  it('a write waits for another process’s write transaction with the event loop running, and completes once it commits', async () => {
    const file = newFile();
    const crm = await createCrm({ storage: sqliteStorage(file) });
    const { released } = await holdLock(file, 'write', 2_500, 'from the child');
    const loop = watchEventLoop();
    const started = performance.now();
    const created = await crm.records.create('contacts', { email: 'waited@example.com' });
    const done = performance.now();
    const worst = loop.stop();
    const releasedAt = await released;
    expect(worst).toBeLessThan(MAX_GAP_MS);
    // It waited for the child (most of its 2.5 s hold), and finished soon after the child let go.
    expect(done - started).toBeGreaterThan(1_500);
    expect(done - releasedAt).toBeLessThan(1_000);
    expect((await crm.records.get('contacts', created.id))?.properties.email).toBe('waited@example.com');
    expect(appLog(file)).toEqual(['from the child']);
    await crm.close();
  }, 20_000);

  it('past busyTimeoutMs the call fails with STORAGE_ERROR (waited ms, SQLite’s code, rolled back), having written nothing', async () => {
    const file = newFile();
    const crm = await createCrm({ storage: sqliteStorage(file, { busyTimeoutMs: 800 }) });
    const { released } = await holdLock(file, 'write', 3_000);
    const loop = watchEventLoop();
    const started = performance.now();
    const error = await rejection(() => crm.records.create('contacts', { email: 'late@example.com' }), 'STORAGE_ERROR');
    const elapsed = performance.now() - started;
    expect(loop.stop()).toBeLessThan(MAX_GAP_MS);
    expect(error.code).toBe('STORAGE_ERROR');
    expect(error.details).toMatchObject({ code: 'SQLITE_BUSY', outcome: 'rolled_back', busyTimeoutMs: 800 });
    expect(error.details.waitedMs).toBeGreaterThanOrEqual(800);
    expect(error.message).toMatch(/busyTimeoutMs/);
    // About the timeout: not the child's whole hold.
    expect(elapsed).toBeGreaterThanOrEqual(790);
    expect(elapsed).toBeLessThan(2_500);
    await released;
    expect(await crm.records.getBy('contacts', 'email', 'late@example.com')).toBeUndefined();
    // Once the file is free, the same call goes through.
    await crm.records.create('contacts', { email: 'late@example.com' });
    expect(await crm.records.getBy('contacts', 'email', 'late@example.com')).toBeDefined();
    await crm.close();
  }, 20_000);

  it('a file that must be migrated while another process writes it: the storage opens at once, the first call migrates it once free', async () => {
    const file = newFile();
    const { released } = await holdLock(file, 'write', 1_500);
    const loop = watchEventLoop();
    const opening = performance.now();
    const storage = sqliteStorage(file);
    expect(performance.now() - opening).toBeLessThan(MAX_GAP_MS);
    const crm = await createCrm({ storage });
    await crm.records.create('contacts', { email: 'first@example.com' });
    expect(loop.stop()).toBeLessThan(MAX_GAP_MS);
    await released;
    expect(storage.database.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(await crm.records.getBy('contacts', 'email', 'first@example.com')).toBeDefined();
    expect(appLog(file)).toEqual(['child']);
    await crm.close();
  }, 20_000);

  it('rollback-journal files: a read waits for an exclusive lock, a commit for readers, with the event loop running', async () => {
    const file = newFile();
    // A connection handed in keeps its journal mode; its busy timeout (better-sqlite3's
    // default is 5 s) is set to 0 so the storage waits with timers instead.
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    const storage = sqliteStorage(db);
    await write(storage, async (tx) => tx.insertRecords([record('a')]));

    let { released } = await holdLock(file, 'exclusive', 1_500);
    let loop = watchEventLoop();
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['a']))).toEqual([record('a')]);
    expect(loop.stop()).toBeLessThan(MAX_GAP_MS);
    await released;

    ({ released } = await holdLock(file, 'read', 1_500));
    loop = watchEventLoop();
    const started = performance.now();
    await write(storage, async (tx) => tx.insertRecords([record('b')]));
    expect(loop.stop()).toBeLessThan(MAX_GAP_MS);
    // The commit waited for the reader to go.
    expect(performance.now() - started).toBeGreaterThan(700);
    await released;
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['b']))).toEqual([record('b')]);
    await storage.close();
    db.close();
  }, 20_000);

  it('a commit that cannot happen before busyTimeoutMs is rolled back: nothing written, and the next call starts clean', async () => {
    const file = newFile();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    const storage = sqliteStorage(db, { busyTimeoutMs: 300 });
    const { released } = await holdLock(file, 'read', 1_500);
    const error = await rejection(() => write(storage, async (tx) => tx.insertRecords([record('c')])));
    expect(error.code).toBe('STORAGE_ERROR');
    expect(error.details).toMatchObject({ code: 'SQLITE_BUSY', outcome: 'rolled_back', doing: 'commit' });
    expect(db.inTransaction).toBe(false);
    await released;
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['c']))).toEqual([undefined]);
    await write(storage, async (tx) => tx.insertRecords([record('c')]));
    expect(await read(storage, async (tx) => tx.getRecords('contacts', ['c']))).toEqual([record('c')]);
    await storage.close();
    db.close();
  }, 20_000);
});

describe('sqlite: one file through two paths in one process', () => {
  for (const tenants of [
    ['A', 'B'],
    ['same', 'same'],
  ] as const) {
    it(`a symlink and the real path share one queue (tenants ${tenants.join(', ')}): concurrent writes from both finish, the loop keeps running`, async () => {
      const file = newFile();
      const link = newFile('.link');
      symlinkSync(file, link);
      const real = sqliteStorage(file, { tenant: tenants[0] });
      // A wait shorter than the other's transaction: only the shared queue lets this one through.
      const linked = sqliteStorage(link, { tenant: tenants[1], busyTimeoutMs: 50 });
      const loop = watchEventLoop();
      await Promise.all(
        Array.from({ length: 6 }, (_, at) =>
          write(at % 2 ? linked : real, async (tx) => {
            await tx.insertRecords([record(`r${at}`)]);
            // The transaction stays open across awaits, longer than busyTimeoutMs.
            await sleep(120);
            await tx.putMeta(`m${at}`, at);
          }),
        ),
      );
      expect(loop.stop()).toBeLessThan(MAX_GAP_MS);
      const ids = async (storage: Storage): Promise<string[]> =>
        (await read(storage, async (tx) => tx.scanRecords('contacts', { limit: 100 }))).records.map((found) => found.id);
      if (tenants[0] === tenants[1]) {
        expect(await ids(real)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
      } else {
        expect(await ids(real)).toEqual(['r0', 'r2', 'r4']);
        expect(await ids(linked)).toEqual(['r1', 'r3', 'r5']);
      }
      await real.close();
      await linked.close();
    });
  }
});

describe('sqlite: a failure that ends the transaction', () => {
  it('a full disk (SQLITE_FULL) ends SQLite’s transaction: writes after it, even when the failure was caught, are refused and nothing commits', async () => {
    const file = newFile();
    const db = new Database(file);
    const crm = await createCrm({ storage: sqliteStorage(db) });
    await crm.records.create('contacts', { email: 'before@example.com' });
    // A file that may grow by a few pages only: a large value does not fit.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 4}`);
    const error = await rejection(() =>
      crm.transaction(async (tx) => {
        await tx.records.create('contacts', { email: 'first@example.com' });
        const full = await rejection(() => tx.records.create('contacts', { email: 'big@example.com', message: 'x'.repeat(60_000) }), 'STORAGE_ERROR');
        expect(full.code).toBe('STORAGE_ERROR');
        expect(full.details.code).toBe('SQLITE_FULL');
        // The caller swallows that failure and goes on: this write must not commit on its own.
        await tx.records.create('contacts', { email: 'after@example.com' });
      }),
      'STORAGE_ERROR',
    );
    expect(error.code).toBe('STORAGE_ERROR');
    expect(error.details.outcome).toBe('rolled_back');
    expect(error.message).toMatch(/ended by an earlier failure/);
    db.pragma('max_page_count = 1073741823');
    for (const email of ['first@example.com', 'big@example.com', 'after@example.com']) {
      expect(await crm.records.getBy('contacts', 'email', email), email).toBeUndefined();
    }
    expect(await crm.records.getBy('contacts', 'email', 'before@example.com')).toBeDefined();
    await crm.records.create('contacts', { email: 'after@example.com' });
    await crm.close();
    db.close();
  });
});
