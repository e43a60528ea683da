// Runs the `crmkit` executable as a child process, as users do: from the sources through tsx,
// or (CRMKIT_TEST_DIST) the built dist/cli/crmkit.js. The start-up line gives the URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const project = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A running `crmkit` process and what it printed so far. */
export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves the exit code (a signal death is reported as the signal's name). */
  exited: Promise<number | string>;
}

/** Starts `crmkit <args>` (built: the dist bin; else the source through tsx). */
export function runCrmkit(args: string[], built = Boolean(process.env.CRMKIT_TEST_DIST)): CliProcess {
  const entry = built ? [join(project, 'dist/cli/crmkit.js')] : ['--import', 'tsx', join(project, 'src/cli/crmkit.ts')];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the start-up line and answers the server's URL; fails with the output if the process ends first. */
export async function urlOf(cli: CliProcess, timeoutMs = 20_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const match = /HubSpot API at (http:\/\/\S+)/.exec(cli.stdout());
    if (match) return match[1]!;
    if (cli.child.exitCode !== null || Date.now() - started > timeoutMs) {
      throw new Error(`crmkit serve did not start (exit ${cli.child.exitCode}):\n${cli.stdout()}\n${cli.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends SIGTERM and answers the exit code and how long the exit took. */
export async function stop(cli: CliProcess): Promise<{ code: number | string; ms: number }> {
  const started = Date.now();
  cli.child.kill('SIGTERM');
  const code = await cli.exited;
  return { code, ms: Date.now() - started };
}
