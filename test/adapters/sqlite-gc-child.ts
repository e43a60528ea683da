// Child process of sqlite-node24.test.ts: crmkit/sqlite storages (a file and ':memory:') opened,
// used (transactions, savepoints, a Crm on a fork now and then), closed and dropped one after
// another, with a little garbage and a moment of idleness after each, where Node's own
// collections (run from the event loop, outside any JavaScript) free what was dropped; then
// prints "survived". (A gc() call would free them from JavaScript, where the crash does not happen.)
import { createCrm } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'crmkit-gc-'));
const at = '2026-01-01T00:00:00.000Z';

async function round(n: number): Promise<void> {
  const storage = sqliteStorage(n % 2 === 0 ? ':memory:' : join(dir, `gc-${n}.db`));
  await storage.transaction('write', async (tx) => {
    await tx.insertRecords([{ id: `c${n}`, objectType: 'contacts', properties: { n }, createdAt: at, updatedAt: at, archived: false }]);
    await tx.savepoint(async () => tx.putMeta('m', n));
  });
  await storage.transaction('read', async (tx) => tx.scanRecords('contacts', { limit: 10 }));
  if (n % 50 === 0) {
    const crm = await createCrm({ storage: await storage.fork() });
    await crm.records.create('contacts', { email: `a${n}@x.com` });
    await crm.close();
  }
  await storage.close();
}

// Many short rounds, each followed by a moment of idleness: one of them meets a collection.
for (let n = 0; n < 400; n++) {
  await round(n);
  // Garbage to collect, then an idle moment, where Node's own collections run.
  let junk: unknown[] = [];
  for (let i = 0; i < 500; i++) junk.push({ i, text: 'x'.repeat(20) });
  junk = [];
  await new Promise((resolve) => setTimeout(resolve, 1));
}
rmSync(dir, { recursive: true, force: true });
console.log('survived');
