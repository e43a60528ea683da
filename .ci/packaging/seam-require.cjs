// CommonJS: crmkit/storage through the package's "require" entry point (see seam.cjs).
require('./seam.cjs')(require('crmkit'), require('crmkit/storage'));
console.log('CommonJS: crmkit/storage works');
