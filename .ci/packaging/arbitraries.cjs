// CommonJS: crmkit/testing/arbitraries through the package's "require" entry point (see arbitraries-scenario.cjs).
const arbitraries = require('./arbitraries-scenario.cjs');

arbitraries(require('crmkit'), require('fast-check'), require('crmkit/testing/arbitraries')).then(
  () => console.log('CommonJS: crmkit/testing/arbitraries works'),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
