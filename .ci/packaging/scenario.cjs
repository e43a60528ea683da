// The first thing a user does with an installed crmkit, as one function that the ESM script,
// the CommonJS script and the jest test all run: a CRM with crmkit/testing's ids and clock, a
// normalised record, and a duplicate refused with a CrmError and its code. It takes the loaded
// modules, so each caller proves its own way of loading them.
const assert = require('node:assert/strict');

module.exports = async function scenario(crmkit, testing) {
  const { createCrm, CrmError, isCrmError } = crmkit;
  const { sequentialIds, steppingClock } = testing;
  const crm = await createCrm({ ids: sequentialIds('t-'), clock: steppingClock('2026-01-01T00:00:00.000Z', 1_000) });

  const ana = await crm.records.create('contacts', { email: ' Ana@Acme.com ', firstname: 'Ana' });
  assert.equal(ana.id, 't-1');
  assert.equal(ana.properties.email, 'ana@acme.com');
  assert.equal(ana.createdAt, '2026-01-01T00:00:00.000Z');
  const bo = await crm.records.create('contacts', { email: 'bo@acme.com' });
  assert.equal(bo.id, 't-2');
  assert.equal(bo.createdAt, '2026-01-01T00:00:01.000Z');

  const refused = await crm.records.create('contacts', { email: 'ANA@acme.com' }).then(() => undefined, (error) => error);
  assert.ok(refused instanceof CrmError, `expected a CrmError, got ${refused}`);
  assert.ok(isCrmError(refused, 'DUPLICATE_RECORD'));
  assert.equal(refused.code, 'DUPLICATE_RECORD');
  assert.equal(refused.details.existingId, ana.id);
  assert.equal((await crm.records.list('contacts')).results.length, 2);
};
