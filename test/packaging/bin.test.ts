// The `crmkit` executable as it ships: package.json's "bin" names a file that tsup builds from
// src/cli/, inside "files"; under CRMKIT_TEST_DIST the built file itself is run (after
// `npm run build`): --help, and serve until SIGTERM.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, runCrmkit, stop, urlOf } from '../hubspot/cli.js';

const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };

describe('the crmkit bin', () => {
  it('is dist/cli/crmkit.js, built by tsup from src/cli/crmkit.ts and shipped with dist', () => {
    expect(manifest.bin).toEqual({ crmkit: './dist/cli/crmkit.js' });
    expect(readFileSync(join(project, 'tsup.config.ts'), 'utf8')).toContain(`'cli/crmkit': 'src/cli/crmkit.ts'`);
    expect(manifest.files).toContain('dist');
    // tsup keeps the shebang (and marks the built file executable).
    expect(readFileSync(join(project, 'src/cli/crmkit.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it.skipIf(!process.env.CRMKIT_TEST_DIST)('built: is executable, prints the usage, serves and exits 0 on SIGTERM', async () => {
    const file = join(project, 'dist/cli/crmkit.js');
    expect(statSync(file).mode & 0o111).not.toBe(0);
    expect(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = runCrmkit(['--help'], true);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('Usage: crmkit serve');

    const cli = runCrmkit(['serve', '--port', '0', '--seed', '1'], true);
    const url = await urlOf(cli);
    const page = (await (await fetch(`${url}/crm/v3/objects/contacts?limit=1`)).json()) as { results: unknown[] };
    expect(page.results).toHaveLength(1);
    expect(await stop(cli)).toMatchObject({ code: 0 });
  });
});
