// Node 24 and better-sqlite3 12 (src/adapters/sqlite/reachable.ts): on Node 24.19 the garbage
// collector freeing a better-sqlite3 12 statement aborts the process (an assertion in
// node::ObjectWrap's destructor), and no call of better-sqlite3 12 frees one otherwise. The
// adapter keeps what it makes reachable on Node 24 and later. These tests run a child that churns
// through connections while the collector runs: through the adapter it must always survive; and
// on any Node where better-sqlite3 alone does not, the adapter's guard must be on, which is why
// reachable.ts exists (CI runs this file on Node 24 too: .ci/node24.sh).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NEEDS_REACHABLE } from '../../src/adapters/sqlite/reachable.js';

const children = {
  adapter: fileURLToPath(new URL('./sqlite-gc-child.ts', import.meta.url)),
  driver: fileURLToPath(new URL('./sqlite-gc-driver-child.mjs', import.meta.url)),
};
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the child in `mode`; answers how it ended and what it printed. */
function churn(mode: 'driver' | 'adapter'): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const args = mode === 'adapter' ? ['--import', 'tsx', children.adapter] : [children.driver];
    const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

describe(`better-sqlite3 12 and the garbage collector on Node ${process.versions.node}`, () => {
  it('the adapter survives connections and statements being opened, used and dropped while the collector runs', async () => {
    const run = await churn('adapter');
    expect(run.err.match(/Assertion failed.*|Error.*/)?.[0] ?? '', 'the child aborted or failed').toBe('');
    expect({ code: run.code, signal: run.signal, out: run.out.trim() }).toEqual({ code: 0, signal: null, out: 'survived' });
  }, 60_000);

  it('wherever better-sqlite3 alone aborts when its statements are collected, the adapter keeps its own reachable', async () => {
    const run = await churn('driver');
    const aborted = run.code !== 0 || run.out.trim() !== 'survived';
    if (aborted) expect(run.err).toMatch(/ObjectWrap|CleanupHook|Assertion failed/);
    // Node 24.19 aborts; Node 20 and 22 do not (nor some later 24.x, which the guard still covers).
    expect(!aborted || NEEDS_REACHABLE, `better-sqlite3 aborted on Node ${process.versions.node}: ${run.err.slice(0, 300)}`).toBe(true);
  }, 60_000);
});
