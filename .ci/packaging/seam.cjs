// What an adapter author gets from the installed package, as one function the ESM and the
// CommonJS script both run: crmkit/storage's exports are crmkit's own objects (one CrmError
// class across subpaths), its cursor codec round-trips and refuses another scan's token, and
// its tenant check refuses a bad name with crmkit's CrmError.
const assert = require('node:assert/strict');

module.exports = function seam(crmkit, storage) {
  for (const name of ['CrmError', 'isCrmError', 'memoryStorage', 'inverseEdge', 'StorageCursors']) {
    assert.equal(storage[name], crmkit[name], `crmkit/storage's ${name} is crmkit's`);
  }
  const cursors = new storage.StorageCursors(storage.checkTenant('acme', 'seam'));
  const after = cursors.encode('records', ['contacts'], [42]);
  assert.deepEqual(cursors.decode('records', ['contacts'], after, ['integer']), [42]);
  assert.throws(() => cursors.decode('records', ['companies'], after, ['integer']), (error) => crmkit.isCrmError(error, 'VALIDATION_ERROR'));
  assert.throws(() => storage.checkTenant('', 'seam'), (error) => error instanceof crmkit.CrmError);
};
