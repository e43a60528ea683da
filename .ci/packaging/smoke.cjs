// CommonJS: crmkit and crmkit/testing through the package's "require" entry points.
const scenario = require('./scenario.cjs');

scenario(require('crmkit'), require('crmkit/testing')).then(
  () => console.log('CommonJS: crmkit and crmkit/testing work'),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
