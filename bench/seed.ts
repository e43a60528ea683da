// Seeding a CRM for tests: `seed(crm, { contacts: 10,000, companies: 1,000, deals: 2,000 })` (×
// --scale) from crmkit/testing, which makes realistic values, labels, primary companies and
// stages, in one transaction. The floor loads records of the same counts with their associations
// through createMany + associateMany in the same run (bench/fork.ts seedForFork), so the ratio
// is what the realism and the single transaction cost over plain batch calls.
import { seed } from 'crmkit/testing';
import { seedForFork } from './fork.js';
import type { StorageChoice } from './storages.js';
import { collectGarbage } from './timing.js';

export interface SeedBenchResult {
  counts: { contacts: number; companies: number; deals: number };
  seedMs: number;
  floorMs: number;
  failures: string[];
}

/**
 * The seed phase on `storage`.
 *
 * @example
 * printSeed(await seedBench(STORAGES.memory, 1));
 */
export async function seedBench(storage: StorageChoice, scale: number): Promise<SeedBenchResult> {
  const n = (full: number): number => Math.max(10, Math.round(full * scale));
  const counts = { contacts: n(10_000), companies: n(1_000), deals: n(2_000) };
  const failures: string[] = [];

  const floorCrm = await storage.open();
  collectGarbage();
  const floorStart = performance.now();
  await seedForFork(floorCrm, scale);
  const floorMs = performance.now() - floorStart;
  await floorCrm.close();

  const crm = await storage.open();
  collectGarbage();
  const start = performance.now();
  const result = await seed(crm, { ...counts, seed: 'bench' });
  const seedMs = performance.now() - start;
  for (const [type, count] of Object.entries(counts)) {
    const made = (result as unknown as Record<string, unknown[]>)[type]?.length;
    if (made !== count) failures.push(`seed made ${made} ${type}, asked ${count}`);
  }
  await crm.close();
  return { counts, seedMs, floorMs, failures };
}

/** Prints the phase beside its floor. */
export function printSeed(result: SeedBenchResult): void {
  const { contacts, companies, deals } = result.counts;
  console.log('');
  console.log(`seed: ${contacts.toLocaleString('en-US')} contacts, ${companies.toLocaleString('en-US')} companies, ${deals.toLocaleString('en-US')} deals with their associations (crmkit/testing)`);
  console.log(`  crmkit  seed(crm, counts) ${(result.seedMs / 1_000).toFixed(2)} s`);
  console.log(`  floor   createMany + associateMany of records of the same counts ${(result.floorMs / 1_000).toFixed(2)} s; ratio ${(result.seedMs / result.floorMs).toFixed(1)}×`);
}
