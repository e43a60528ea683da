// jest loads modules through its own CommonJS runtime: crmkit and crmkit/testing must work there.
const scenario = require('./scenario.cjs');

test('crmkit and crmkit/testing under jest', () => scenario(require('crmkit'), require('crmkit/testing')));
