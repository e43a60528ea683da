// Timing a phase: a full GC first (needs node --expose-gc), then the wall-clock time of the work.

/** A full garbage collection (twice, so objects freed by the first are gone too); needs --expose-gc. */
export function collectGarbage(): void {
  if (!globalThis.gc) throw new Error('run node with --expose-gc (npm run bench does)');
  globalThis.gc();
  globalThis.gc();
}

/** Times one phase. A full GC first, so no phase pays for the garbage of the one before. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  collectGarbage();
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}
