// Durability and processes: a process killed with SIGKILL in the middle of a batch loses no
// committed call and leaves no part of the batch it was writing; two processes writing the same
// keys into one file at once never both get them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { createCrm, type CrmRecord } from 'crmkit';
import { sqliteStorage } from 'crmkit/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'crmkit-sqlite-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = fileURLToPath(new URL('./sqlite-crash-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const SIZE = 100;

/**
 * Runs the child until it is half-way through batch `first + commits` (after `commits` batches
 * it reported committed), then SIGKILLs it there; answers the batches it reported committed.
 */
function runAndKill(file: string, first: number, commits: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', child, file, String(SIZE), String(first), String(first + commits)];
    const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let buffered = '';
    let errors = '';
    proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [what, batch] = line.split(' ');
        if (what === 'committed') committed.push(Number(batch));
        // Half of the batch is written, the transaction is open: kill it there.
        if (what === 'inside' && !proc.killed) proc.kill('SIGKILL');
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`child exited with ${code}: ${errors}`));
    });
  });
}

/** Runs the child in race mode to its end; answers the lines it printed. */
function race(file: string, batches: number, startAt: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', child, file, String(SIZE), '0', 'race', String(batches), String(startAt)];
    const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errors = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`child exited with ${code}: ${errors}`))));
  });
}

/** Every contact in the file, counted per batch (from its email). */
async function batchSizes(file: string): Promise<Map<number, number>> {
  const crm = await createCrm({ storage: sqliteStorage(file) });
  const records: CrmRecord[] = [];
  let after: string | undefined;
  do {
    const page = await crm.records.list('contacts', { limit: 100, ...(after ? { after } : {}) });
    records.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  await crm.close();
  const sizes = new Map<number, number>();
  for (const record of records) {
    const batch = Number(/^b(\d+)-/.exec(record.properties.email as string)![1]);
    sizes.set(batch, (sizes.get(batch) ?? 0) + 1);
  }
  return sizes;
}

it('a process killed mid-batch loses no committed batch and leaves no partial one', async () => {
  const file = join(dir, 'crash.db');
  // Two runs on one file: the second starts from the state the first was killed in.
  const committed = [...(await runAndKill(file, 0, 5)), ...(await runAndKill(file, 1_000, 3))];
  const sizes = await batchSizes(file);
  // Every batch is whole.
  for (const [batch, size] of sizes) expect(size, `batch ${batch}`).toBe(SIZE);
  // Every batch reported committed is there, and the batch killed half-way is not (not a half).
  expect(committed).toEqual([0, 1, 2, 3, 4, 1_000, 1_001, 1_002]);
  expect([...sizes.keys()].sort((a, b) => a - b)).toEqual(committed);
}, 20_000);

it('two processes writing the same emails into one file at once: each batch is committed by exactly one', async () => {
  const file = join(dir, 'race.db');
  // Made first, so that the two children start on a migrated file.
  await sqliteStorage(file).close();
  // Both start together, once both have loaded.
  const startAt = Date.now() + 1_500;
  const [one, two] = await Promise.all([race(file, 6, startAt), race(file, 6, startAt)]);
  const sizes = await batchSizes(file);
  for (let batch = 0; batch < 6; batch++) {
    const outcomes = [one!.find((line) => line.endsWith(` ${batch}`)), two!.find((line) => line.endsWith(` ${batch}`))];
    expect(outcomes.sort(), `batch ${batch}`).toEqual([`committed ${batch}`, `refused ${batch}`]);
    expect(sizes.get(batch), `batch ${batch}`).toBe(SIZE);
  }
  expect(sizes.size).toBe(6);
}, 20_000);
