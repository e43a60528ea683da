import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// CRMKIT_TEST_DIST=1 runs the tests that import 'crmkit' against the built bundle (dist/),
// so what ships is what was tested; otherwise they run against the sources.
const dist = Boolean(process.env.CRMKIT_TEST_DIST);
const entry = (source: string, built: string): string => fileURLToPath(new URL(dist ? built : source, import.meta.url));

export default defineConfig({
  resolve: {
    // Exact matches: 'crmkit' must not swallow 'crmkit/sqlite'.
    alias: [
      { find: /^crmkit$/, replacement: entry('./src/index.ts', './dist/index.js') },
      { find: /^crmkit\/testing$/, replacement: entry('./src/testing/index.ts', './dist/testing.js') },
      { find: /^crmkit\/testing\/conformance$/, replacement: entry('./src/testing/conformance.ts', './dist/testing/conformance.js') },
      { find: /^crmkit\/testing\/arbitraries$/, replacement: entry('./src/testing/arbitraries.ts', './dist/testing/arbitraries.js') },
      { find: /^crmkit\/storage$/, replacement: entry('./src/storage/index.ts', './dist/storage.js') },
      { find: /^crmkit\/sqlite$/, replacement: entry('./src/adapters/sqlite/index.ts', './dist/sqlite.js') },
      { find: /^crmkit\/postgres$/, replacement: entry('./src/adapters/postgres/index.ts', './dist/postgres.js') },
      { find: /^crmkit\/import$/, replacement: entry('./src/import/index.ts', './dist/import.js') },
      { find: /^crmkit\/hubspot$/, replacement: entry('./src/hubspot/index.ts', './dist/hubspot.js') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
