// What each subpath of the package imports, read from its module graph (esbuild, the sources or,
// under CRMKIT_TEST_DIST, the built files package.json's exports name): crmkit/testing loads
// with no test runner, every imported package is declared, and every peer dependency is one
// that some subpath imports (a peer nothing imports only makes installs fail).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const project = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { import: { default: string } }>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
const sources = (JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, [string]> } }).compilerOptions.paths;

/** Each subpath ('crmkit', 'crmkit/testing', …) and the file that implements it. */
function subpaths(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [key, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const name = `crmkit${key.slice(1)}`;
    const source = sources[name]?.[0];
    if (!source) throw new Error(`tsconfig.json has no path for ${name}`);
    files.set(name, join(project, process.env.CRMKIT_TEST_DIST ? target.import.default : source));
  }
  return files;
}

/** The package a bare specifier names ('@scope/pkg/sub' → '@scope/pkg'); undefined for a relative path or a Node built-in. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/** The packages a module's graph imports, statically or dynamically, outside itself (and, into `specifiers`, the bare names it imports them by). */
async function importedPackages(entry: string, specifiers = new Set<string>()): Promise<string[]> {
  const found = new Set<string>();
  await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages',
        setup(bundle) {
          bundle.onResolve({ filter: /^[^./]/ }, (args) => {
            const name = packageOf(args.path);
            if (name) found.add(name);
            if (name) specifiers.add(args.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return [...found].sort();
}

describe('what each subpath imports', () => {
  const imports = new Map<string, string[]>();
  const specifiers = new Map<string, string[]>();

  beforeAll(async () => {
    for (const [name, file] of subpaths()) {
      const bare = new Set<string>();
      imports.set(name, await importedPackages(file, bare));
      specifiers.set(name, [...bare].sort());
    }
  }, 60_000);

  it('crmkit/storage imports crmkit only: the seam for adapter authors needs no driver and no test runner', () => {
    expect(specifiers.get('crmkit/storage')).toEqual(['crmkit']);
  });

  it('the SQL adapters reach crmkit through crmkit/storage only (the seam), besides their driver', () => {
    expect(specifiers.get('crmkit/sqlite')).toEqual(['better-sqlite3', 'crmkit/storage']);
    expect(specifiers.get('crmkit/postgres')).toEqual(['crmkit/storage', 'pg']);
  });

  it('crmkit/import reaches crmkit through its public entry, besides csv-parse', () => {
    expect(specifiers.get('crmkit/import')).toEqual(['crmkit', 'csv-parse']);
  });

  it('crmkit/hubspot reaches crmkit through its public entries, besides hono (its optional peer)', () => {
    // `crmkit serve` (serve.ts) imports the seed and the SQL storages when asked for them; the
    // server is Node's own, through the façade's listener (decision 0027); the router is
    // Hono's trie router, which every hono 4 exports (src/hubspot/router.ts).
    expect(specifiers.get('crmkit/hubspot')).toEqual(['crmkit', 'crmkit/postgres', 'crmkit/sqlite', 'crmkit/testing', 'hono', 'hono/router/trie-router']);
  });

  it('crmkit/testing imports crmkit only (for CrmError), so it loads without a test runner or fast-check', () => {
    expect(imports.get('crmkit/testing')).toEqual(['crmkit']);
  });

  it('the conformance suite is where vitest (and fast-check, for its differential search tests) is imported', () => {
    expect(imports.get('crmkit/testing/conformance')).toEqual(['crmkit', 'fast-check', 'vitest']);
  });

  it('crmkit/testing/arbitraries imports crmkit and fast-check only (an optional peer of this subpath, kept out of crmkit/testing)', () => {
    expect(specifiers.get('crmkit/testing/arbitraries')).toEqual(['crmkit', 'fast-check']);
  });

  it('the core imports its dependencies only, never a peer', () => {
    expect(imports.get('crmkit')!.every((name) => name in manifest.dependencies), String(imports.get('crmkit'))).toBe(true);
  });

  it('every package a subpath imports is crmkit, a dependency or a peer dependency', () => {
    const declared = new Set(['crmkit', ...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const undeclared = [...imports].flatMap(([name, packages]) => packages.filter((p) => !declared.has(p)).map((p) => `${name} imports ${p}`));
    expect(undeclared).toEqual([]);
  });

  it('every peer dependency is imported by some subpath, and is optional', () => {
    const imported = new Set([...imports.values()].flat());
    expect(Object.keys(manifest.peerDependencies).filter((name) => !imported.has(name))).toEqual([]);
    expect(Object.keys(manifest.peerDependencies).filter((name) => manifest.peerDependenciesMeta[name]?.optional !== true)).toEqual([]);
  });
});
