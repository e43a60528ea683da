// ESM: crmkit/testing/arbitraries through the package's "import" entry point (see arbitraries-scenario.cjs).
import * as crmkit from 'crmkit';
import fc from 'fast-check';
import * as kit from 'crmkit/testing/arbitraries';
import arbitraries from './arbitraries-scenario.cjs';

await arbitraries(crmkit, fc, kit);
console.log('ESM: crmkit/testing/arbitraries works');
