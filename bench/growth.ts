// What one create costs as the tenant grows (--storage postgres; issue 8): single
// `records.create` calls on an empty tenant, then again once the tenant holds 40,000 contacts
// (× --scale). A create must touch only the rows it needs, so its cost must not grow with the
// tenant (target: within 1.5×). Before, a create took 3 ms on an empty tenant and 30 ms at
// 40,000: its key claim read the tenant's every key whenever the planner statistics did not
// cover the tenant. Each side is the median of one awaited call at a time, after a warm-up.
import type { Crm } from 'crmkit';
import type { StorageChoice } from './storages.js';
import { collectGarbage } from './timing.js';

const CALLS = 300;
const WARM_UP = 50;
/** The ratio the issue sets: a create at 40,000 contacts within 1.5× of one at 0. */
export const GROWTH_TARGET = 1.5;

export interface GrowthResult {
  /** Contacts in the tenant when the second measurement starts. */
  size: number;
  /** Median and mean ms of one create: on the empty tenant, and at `size`. */
  empty: { medianMs: number; meanMs: number };
  grown: { medianMs: number; meanMs: number };
  failures: string[];
}

/** Times `count` single creates with emails `<prefix>-<n>@growth.test`, one awaited call at a time. */
async function creates(crm: Crm, prefix: string, count: number): Promise<{ medianMs: number; meanMs: number }> {
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const start = performance.now();
    await crm.records.create('contacts', { email: `${prefix}-${n}@growth.test`, firstname: 'Growth' });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, meanMs: times.reduce((sum, time) => sum + time, 0) / times.length };
}

export async function growthBench(storage: StorageChoice, scale: number): Promise<GrowthResult> {
  const size = Math.max(1_000, Math.round(40_000 * scale));
  const failures: string[] = [];
  // The warm-up runs on a CRM of its own, so the measured tenant starts empty.
  const warm = await storage.open();
  try {
    await creates(warm, 'warm', WARM_UP);
  } finally {
    await warm.close();
  }
  const crm = await storage.open();
  try {
    collectGarbage();
    const empty = await creates(crm, 'empty', CALLS);
    for (let start = CALLS; start < size; start += 1_000) {
      const count = Math.min(1_000, size - start);
      await crm.records.createMany('contacts', Array.from({ length: count }, (_, at) => ({ email: `fill-${start + at}@growth.test` })));
    }
    collectGarbage();
    const grown = await creates(crm, 'grown', CALLS);
    if ((await crm.records.getBy('contacts', 'email', `grown-${CALLS - 1}@growth.test`)) === undefined) failures.push('the last create cannot be found');
    return { size, empty, grown, failures };
  } finally {
    await crm.close();
  }
}

export function printGrowth(result: GrowthResult): void {
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  const ratio = result.grown.medianMs / result.empty.medianMs;
  console.log('');
  console.log(`create as the tenant grows: ${CALLS} single creates on an empty tenant, then ${CALLS} more at ${result.size.toLocaleString('en-US')} contacts; one call at a time`);
  console.log(`  empty tenant   median ${ms(result.empty.medianMs)}, mean ${ms(result.empty.meanMs)}`);
  console.log(`  grown tenant   median ${ms(result.grown.medianMs)}, mean ${ms(result.grown.meanMs)}`);
  console.log(`  ratio          ${ratio.toFixed(2)}× (median grown / empty); target ≤ ${GROWTH_TARGET}×  ${ratio <= GROWTH_TARGET ? 'PASS' : 'MISS'}`);
}
