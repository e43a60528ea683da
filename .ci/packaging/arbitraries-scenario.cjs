// crmkit/testing/arbitraries from the installed package with the project's own fast-check (3 or
// 4), as one function the ESM and the CommonJS script both run: generated contacts and deals
// create, an invalid value is refused with the code it names, and a short model run passes.
const assert = require('node:assert/strict');

module.exports = async function arbitraries(crmkit, fc, kit) {
  const crm = await crmkit.createCrm();
  for (const type of ['contacts', 'deals']) {
    const records = await kit.recordsArbitrary(crm, type, { minLength: 1, maxLength: 5 });
    await fc.assert(fc.asyncProperty(records, async (inputs) => assert.equal((await (await crm.fork()).records.createMany(type, inputs)).length, inputs.length)), { numRuns: 10 });
  }
  const [record] = fc.sample(await kit.recordArbitrary(crm, 'contacts'), 1);
  const [{ property, value, code }] = fc.sample(await kit.invalidValueArbitrary(crm, 'contacts'), 1);
  const error = await crm.records.create('contacts', { ...record, [property]: value }).then(() => undefined, (e) => e);
  assert.ok(crmkit.isCrmError(error, 'VALIDATION_ERROR'), `${property}: ${String(error)}`);
  assert.equal(error.details.issues[0].code, code);
  await fc.assert(
    fc.asyncProperty(fc.commands(kit.crmCommands(), { maxCommands: 15 }), async (commands) => {
      await fc.asyncModelRun(async () => ({ model: kit.initialCrmModel(), real: { crm: await crmkit.createCrm() } }), commands);
    }),
    { numRuns: 5 },
  );
};
