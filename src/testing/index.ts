// 'crmkit/testing': deterministic ids and clocks (and, later, seeds and factories) for tests
// and demos. It imports only 'crmkit', so it loads in ESM and CommonJS with no test runner
// installed; the conformance suite, which needs vitest, is 'crmkit/testing/conformance'.

export { fixedClock, sequentialIds, steppingClock, type SequentialIdsOptions, type TimeInput } from './ids-and-clocks.js';
