// 'crmkit/testing': seeds, factories, deterministic ids and clocks for tests
// and demos. It imports only 'crmkit', so it loads in ESM and CommonJS with no test runner
// installed; the conformance suite, which needs vitest, is 'crmkit/testing/conformance'.

export { fixedClock, sequentialIds, steppingClock, type SequentialIdsOptions, type TimeInput } from './ids-and-clocks.js';
// Seeds and factories: realistic data from a seeded stream, no faker, no network.
export { MAX_SEED_COUNT, seed, type SeedOptions, type SeedResult } from './seed.js';
export { define, type Factory, type FactoryOptions, type Overrides, type Recipe } from './factories.js';
export { createRandom, hashSeed, type Random } from './random.js';
