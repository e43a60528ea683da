import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// CRMKIT_TEST_DIST=1 runs the tests that import 'crmkit' against the built bundle (dist/),
// so what ships is what was tested; otherwise they run against the sources.
const entry = process.env.CRMKIT_TEST_DIST ? './dist/index.js' : './src/index.ts';

export default defineConfig({
  resolve: {
    alias: { crmkit: fileURLToPath(new URL(entry, import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
