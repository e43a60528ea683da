import { defineConfig } from 'tsup';

export default defineConfig({
  // Each subpath is its own entry; they import the engine as 'crmkit' (external), so every
  // subpath shares the one copy of it (CrmError's identity included).
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    // Apart from 'testing' because it imports vitest: 'crmkit/testing' must load without it.
    'testing/conformance': 'src/testing/conformance.ts',
    sqlite: 'src/adapters/sqlite/index.ts',
    postgres: 'src/adapters/postgres/index.ts',
  },
  external: ['crmkit', 'vitest', 'fast-check', 'better-sqlite3', 'pg', '@electric-sql/pglite'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
});
