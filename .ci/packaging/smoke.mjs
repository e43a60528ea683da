// ESM: crmkit and crmkit/testing through the package's "import" entry points.
import * as crmkit from 'crmkit';
import * as testing from 'crmkit/testing';
import scenario from './scenario.cjs';

await scenario(crmkit, testing);
console.log('ESM: crmkit and crmkit/testing work');
