// In a project without vitest or fast-check: crmkit/testing loaded (smoke.mjs, smoke.cjs), and
// the conformance suite, which needs both, and the arbitraries, which need fast-check, fail to
// load with an error that names what is missing.
import assert from 'node:assert/strict';

assert.throws(() => import.meta.resolve('vitest'), 'vitest must not be installed here (an optional peer)');
const error = await import('crmkit/testing/conformance').then(() => undefined, (e) => e);
assert.ok(error, 'crmkit/testing/conformance loaded without vitest');
assert.match(String(error.message), /vitest|fast-check/);
console.log(`without vitest and fast-check, crmkit/testing/conformance says: ${error.message.split('\n')[0]}`);

const missing = await import('crmkit/testing/arbitraries').then(() => undefined, (e) => e);
assert.ok(missing, 'crmkit/testing/arbitraries loaded without fast-check');
assert.match(String(missing.message), /fast-check/);
