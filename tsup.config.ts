import { defineConfig } from 'tsup';

export default defineConfig({
  // Each subpath is its own entry; they import the engine as 'crmkit' (external), so every
  // subpath shares the one copy of it (CrmError's identity included).
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    // Apart from 'testing' because it imports vitest: 'crmkit/testing' must load without it.
    'testing/conformance': 'src/testing/conformance.ts',
    // Apart from 'testing' because it imports fast-check, an optional peer of this subpath only.
    'testing/arbitraries': 'src/testing/arbitraries.ts',
    // The seam for adapter authors; the SQL adapters import it as 'crmkit/storage' (external).
    storage: 'src/storage/index.ts',
    sqlite: 'src/adapters/sqlite/index.ts',
    postgres: 'src/adapters/postgres/index.ts',
    // CSV import: apart so that only its users need csv-parse.
    import: 'src/import/index.ts',
    // The HubSpot REST façade: apart so that only its users need hono.
    hubspot: 'src/hubspot/index.ts',
    // The `crmkit` executable (package.json "bin"); it imports 'crmkit/hubspot' (external), so
    // it is a few lines. tsup keeps its shebang and makes the built file executable.
    'cli/crmkit': 'src/cli/crmkit.ts',
  },
  external: ['crmkit', 'crmkit/storage', 'vitest', 'fast-check', 'better-sqlite3', 'pg', '@electric-sql/pglite', 'csv-parse', 'hono'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
});
