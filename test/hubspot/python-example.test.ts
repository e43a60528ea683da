// docs/hubspot.md's "From Python (`requests`)" example is examples/python/test_hubspot_serve.py,
// shown whole in the docs, and runs here under pytest against `crmkit serve` (the sources through
// tsx, or under CRMKIT_TEST_DIST the built bin, as test/hubspot/cli.ts runs it) both ways it
// documents: a server started before the suite (CRMKIT_URL) and its session fixture starting one
// (CRMKIT_SERVE). Running it needs python3 with requests and pytest; without them those tests
// skip, and say so in their title.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { project, runCrmkit, stop, urlOf, type CliProcess } from './cli.js';

const EXAMPLE = 'examples/python/test_hubspot_serve.py';

/** Why the example cannot run here, or undefined when python3 imports requests and pytest. */
function pythonMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import requests, pytest'], { encoding: 'utf8' });
  if (probe.error) return `python3: ${probe.error.message}`;
  if (probe.status !== 0) return (probe.stderr.trim().split('\n').at(-1) ?? `exit ${probe.status}`).trim();
  return undefined;
}

const missing = pythonMissing();

/** Runs the example under pytest with `env` added; answers its exit code and output. */
function pytest(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const inherited = { ...process.env };
  delete inherited.CRMKIT_URL;
  delete inherited.CRMKIT_SERVE;
  // No .pytest_cache or __pycache__ left in the project (examples/ is published).
  const child = spawn('python3', ['-m', 'pytest', 'examples/python', '-q', '-p', 'no:cacheprovider'], {
    cwd: project,
    env: { ...inherited, PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** The command that runs `crmkit` as runCrmkit does, quoted for Python's shlex.split. */
function crmkitCommand(built = Boolean(process.env.CRMKIT_TEST_DIST)): string {
  const entry = built ? [join(project, 'dist/cli/crmkit.js')] : ['--import', 'tsx', join(project, 'src/cli/crmkit.ts')];
  return [process.execPath, ...entry].map((part) => `'${part.replaceAll("'", `'\\''`)}'`).join(' ');
}

describe('the Python example in docs/hubspot.md', () => {
  it(`the docs show ${EXAMPLE} whole`, () => {
    const docs = readFileSync(join(project, 'docs/hubspot.md'), 'utf8');
    const section = docs.slice(docs.indexOf('### From Python (`requests`)'));
    const block = /```python\n([\s\S]*?)```/.exec(section);
    expect(block, 'a ```python block under "From Python (`requests`)"').not.toBeNull();
    expect(block![1]).toBe(readFileSync(join(project, EXAMPLE), 'utf8'));
  });

  describe.skipIf(missing !== undefined)(`runs under pytest (needs python3 with requests and pytest${missing === undefined ? '' : `; skipped: ${missing}`})`, () => {
    const running: CliProcess[] = [];

    afterEach(async () => {
      for (const cli of running.splice(0)) if (cli.child.exitCode === null) await stop(cli);
    });

    it('passes against a crmkit serve started before the suite (CRMKIT_URL)', async () => {
      const cli = runCrmkit(['serve', '--port', '0', '--seed', '42', '--token', 'test-token']);
      running.push(cli);
      const { code, output } = await pytest({ CRMKIT_URL: await urlOf(cli) });
      expect(code, output).toBe(0);
      expect(output).toMatch(/\b2 passed\b/);
    }, 60_000);

    it('passes with its session fixture starting crmkit serve on a free port (CRMKIT_SERVE)', async () => {
      const { code, output } = await pytest({ CRMKIT_SERVE: crmkitCommand() });
      expect(code, output).toBe(0);
      expect(output).toMatch(/\b2 passed\b/);
    }, 60_000);
  });
});
