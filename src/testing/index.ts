// 'crmkit/testing': deterministic ids and clocks (and, later, seeds and factories) for tests
// and demos. It imports nothing, so it loads in ESM and CommonJS with no test runner
// installed; the conformance suite, which needs vitest, is 'crmkit/testing/conformance'.

/**
 * Ids 'id-1', 'id-2', …: deterministic record ids for tests (`createCrm({ ids })`).
 *
 * @example
 * const crm = await createCrm({ ids: sequentialIds('c-') });
 */
export function sequentialIds(prefix = 'id-'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/**
 * A clock that starts at `start` and moves `stepMs` forward on every reading (`createCrm({ clock })`).
 *
 * @example
 * const crm = await createCrm({ clock: steppingClock('2026-01-01T00:00:00.000Z', 1_000) });
 */
export function steppingClock(start = '2026-01-01T00:00:00.000Z', stepMs = 1_000): () => Date {
  let at = new Date(start).getTime() - stepMs;
  return () => new Date((at += stepMs));
}
