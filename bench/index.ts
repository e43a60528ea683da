// crmkit's benchmark (npm run bench; DESIGN.md: speed is measured here, never by timed tests).
//
// What it measures, on one storage (--storage, default memory) with crmkit's defaults
// (validation, dedup keys and property history on):
//   1. createMany: 100,000 contacts and 10,000 companies, 6 properties each, 1,000 per call;
//   2. 20,000 single creates duplicating loaded contacts with the email in another letter case,
//      each of which must be refused with DUPLICATE_RECORD;
//   3. 100,000 gets by id;   4. 100,000 getBy('contacts', 'email', ...);
// and the heap the loaded store holds; then, on the loaded store, the association graph
// (bench/associations.ts):
//   5. each contact with 1–3 companies by associateMany, 1,000 pairs per call (about 200,000);
//   6. 20,000 deals (made before the clock) each with two labelled contacts and a company;
//   7. 100,000 list(contact, 'companies');   8. 20,000 list(deal, 'contacts', { label });
//   9. 10,000 setPrimary;   10. 2,000 company archives, each reassigning primaries.
// Why: these are the calls an import and a sync loop make, and the issues set targets for them.
// Each figure is set beside the floor, the same work on plain Maps in the same process
// (bench/floor.ts), as a ratio, so a slower or busier machine moves both alike. With
// --storage sqlite a second floor runs too: the same work as hand-written better-sqlite3
// statements on their own file (bench/sqlfloor.ts), printed as a second table (target ≤ 2×).
// With --storage postgres, single creates on an empty tenant and at 40,000 contacts
// (bench/growth.ts: a create must not cost more as the tenant grows; target ≤ 1.5×).
// Then the search phases (bench/search.ts) on a fresh storage: an indexed EQ, an unindexed
// two-filter scan, a count through the primary company, paging through 50,000 results, the first
// page of an active segment's members (a segment AND a primary company's industry) and a report
// of companies by the label of their associations to contacts × industry (issue 13), each beside
// the Map floor and, on SQLite and PostgreSQL, hand-written SQL. `--only search` runs them alone.
// On memory storage, last of the load phases: `crm.fork()` of a seeded CRM
// (bench/fork.ts: 10,000 contacts, 1,000 companies, 2,000 deals at scale 1; target ≤ 5 ms).
// Then seed() of 10,000 contacts, 1,000 companies and 2,000 deals (bench/seed.ts), beside the
// same counts loaded by createMany + associateMany; and a CSV import (bench/import.ts: 100,000 rows of a contact and its company streamed through
// crmkit/import, beside createMany + associateMany of the same rows; on memory, targets ≥ 50,000
// rows/s and ≤ 1.5×), with the live heap it holds beyond the records it stored.
// Last, after the search phases, the HubSpot façade (bench/hubspot.ts, issue 14): requests/s
// through HubSpot's SDK over loopback to createHubSpotServer(crm) on the same storage, 2,000
// contact creates and 1,000 searches (EQ + sort, limit 100, on 10,000 contacts), one request in
// flight, beside the floor: the same SDK calls to a bare node:http server answering the façade's
// own bytes (bench/hubspot-floor.ts; target ≤ 1.5×), and the same calls on the crm in process.
// `--only hubspot` runs it alone (its own warm-up and --rounds, best round per side).
//
// Fairness and noise: both sides first run an unmeasured warm-up (a tenth of the sizes) so the
// JIT has seen every path. Then come rounds (--rounds, default 3), each running crmkit and then
// the floor in a fresh state (a new store, the previous one collected, a full GC before each
// timed phase); each side's best round per phase is reported, so a burst of load from another
// process is unlikely to hit both sides' best. The façade's phases differ: four rounds' worth of
// warm-up and no GC between rounds (bench/hubspot.ts says why). Data is deterministic (bench/data.ts). Targets are
// reported, not enforced: exit 0 on a MISS, 1 when a phase did not do what it should, 2 on a bad
// command line.
import os from 'node:os';
import { parseArgs, UsageError, USAGE, type Options } from './args.js';
import { associationPlan } from './associations.js';
import { crmkitSubject } from './crmkit.js';
import { sizesAt, type Sizes } from './data.js';
import { FloorStore, floorSubject } from './floor.js';
import { forkBench, printFork } from './fork.js';
import { importBench, printImport } from './import.js';
import { printSeed, seedBench } from './seed.js';
import { growthBench, printGrowth } from './growth.js';
import { hubspotBench, printHubSpot } from './hubspot.js';
import { pagingBench, printPaging } from './paging.js';
import { printReport, printSqlFloorReport } from './report.js';
import { printSearch, searchBench } from './search.js';
import { sqlFloorSubject } from './sqlfloor.js';
import { STORAGES, type StorageChoice } from './storages.js';
import { collectGarbage, runWorkload, type RunResult } from './workload.js';

const WARM_UP_SCALE = 0.1; // 10,000 contacts, 1,000 companies, 2,000 duplicates, 10,000 gets and getBys, 2,000 deals, …

const count = (n: number): string => n.toLocaleString('en-US');

function printHeader(options: Options, storage: StorageChoice, sizes: Sizes): void {
  const cpus = os.cpus();
  console.log('crmkit benchmark');
  console.log(`  date     ${new Date().toISOString()}`);
  console.log(`  machine  ${cpus.length} × ${cpus[0]?.model ?? 'unknown cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, ${os.platform()} ${os.arch()}, node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`);
  console.log(`  storage  ${storage.description}; validation, dedup and history on`);
  if (options.vacuum) console.log('  vacuum   crmkit\'s tables VACUUM ANALYZEd after the search load, as autovacuum would (--vacuum; without it, crmkit runs on no statistics, beside the dead rows of the load)');
  if (options.only === 'search') {
    console.log(`  only     the search phases (--only search), scale ${options.scale}`);
    console.log('');
    return;
  }
  if (options.only === 'hubspot') {
    console.log(`  only     the HubSpot façade through the SDK (--only hubspot), scale ${options.scale}, ${options.rounds} round(s) after an unmeasured warm-up`);
    console.log('');
    return;
  }
  console.log(
    `  sizes    scale ${options.scale}: ${count(sizes.contacts)} contacts and ${count(sizes.companies)} companies by createMany ` +
      `(${count(sizes.batchSize)} per call), ${count(sizes.duplicates)} duplicate creates, ${count(sizes.gets)} gets, ${count(sizes.getBys)} getBy email`,
  );
  const plan = associationPlan(sizes);
  console.log(
    `           then ${count(plan.contactPairs)} contact–company pairs and ${count(plan.dealPairs)} pairs of ${count(sizes.deals)} deals (made before the clock) ` +
      `by associateMany (${count(sizes.pairBatchSize)} per call), ${count(plan.contactLists.length)} list contact→companies, ` +
      `${count(plan.dealLists.length)} list deal→contacts by label,`,
  );
  console.log(`           ${count(plan.owners.length)} setPrimary, ${count(plan.archived.length)} company archives (reassigning ${count(plan.reassigned)} contacts' primary)`);
  const sides = options.storage === 'sqlite' ? 'crmkit, floor, then SQL floor' : 'crmkit then floor';
  console.log(`  method   unmeasured warm-up of each (${count(sizesAt(WARM_UP_SCALE).contacts)} contacts); then ${options.rounds} round(s) of ${sides},`);
  console.log('           each in a fresh state, a full GC before each phase, one awaited call at a time; best round per side reported');
  console.log('');
}

interface Outcome {
  crmkit: RunResult[];
  floor: RunResult[];
  /** The SQL floor's rounds (--storage sqlite only). */
  sqlFloor: RunResult[];
  failures: string[];
}

async function run(storage: StorageChoice, sizes: Sizes, rounds: number, withSqlFloor: boolean): Promise<Outcome> {
  const openCrmkit = async () => crmkitSubject(await storage.open());
  const openFloor = async () => floorSubject(new FloorStore());
  const failures: string[] = [];
  const note = (label: string, result: RunResult): RunResult => {
    failures.push(...result.failures.map((failure) => `${label}: ${failure}`));
    return result;
  };

  const warmUp = sizesAt(WARM_UP_SCALE);
  note('warm-up crmkit', await runWorkload(openCrmkit, warmUp));
  note('warm-up floor', await runWorkload(openFloor, warmUp));
  const openSqlFloor = async () => sqlFloorSubject();
  if (withSqlFloor) note('warm-up SQL floor', await runWorkload(openSqlFloor, warmUp));
  const outcome: Outcome = { crmkit: [], floor: [], sqlFloor: [], failures };
  for (let round = 1; round <= rounds; round++) {
    collectGarbage();
    outcome.crmkit.push(note(`round ${round} crmkit`, await runWorkload(openCrmkit, sizes)));
    collectGarbage();
    outcome.floor.push(note(`round ${round} floor`, await runWorkload(openFloor, sizes)));
    if (withSqlFloor) {
      collectGarbage();
      outcome.sqlFloor.push(note(`round ${round} SQL floor`, await runWorkload(openSqlFloor, sizes)));
    }
  }
  return outcome;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (!globalThis.gc) {
    console.error(`bench: needs node --expose-gc to measure the heap (npm run bench passes it)\n${USAGE}`);
    return 2;
  }
  const storage = STORAGES[options.storage]!;
  const sizes = sizesAt(options.scale);
  printHeader(options, storage, sizes);

  const failures: string[] = [];
  if (options.only === undefined) {
    const withSqlFloor = options.storage === 'sqlite';
    const outcome = await run(storage, sizes, options.rounds, withSqlFloor);
    failures.push(...outcome.failures);
    printReport(outcome.crmkit, outcome.floor);
    if (withSqlFloor) printSqlFloorReport(outcome.crmkit, outcome.sqlFloor);

    const paging = await pagingBench(storage, options.scale);
    printPaging(paging);
    failures.push(...paging.failures.map((failure) => `list pages: ${failure}`));

    if (options.storage === 'memory') {
      const fork = await forkBench(options.scale);
      printFork(fork, options.scale);
      failures.push(...fork.failures.map((failure) => `fork: ${failure}`));
    }

    const seeded = await seedBench(storage, options.scale);
    printSeed(seeded);
    failures.push(...seeded.failures.map((failure) => `seed: ${failure}`));

    const imported = await importBench(storage, options.scale);
    printImport(imported, options.storage === 'memory');
    failures.push(...imported.failures.map((failure) => `import: ${failure}`));

    if (options.storage === 'postgres') {
      const growth = await growthBench(storage, options.scale);
      printGrowth(growth);
      failures.push(...growth.failures.map((failure) => `create as the tenant grows: ${failure}`));
    }
  }

  if (options.only === undefined || options.only === 'search') {
    const search = await searchBench(storage, options.storage, options.scale, options.vacuum === true);
    printSearch(search);
    failures.push(...search.failures.map((failure) => `search: ${failure}`));
  }

  if (options.only === undefined || options.only === 'hubspot') {
    const hubspot = await hubspotBench(storage, options.storage, options.scale, options.rounds);
    printHubSpot(hubspot);
    failures.push(...hubspot.failures.map((failure) => `hubspot: ${failure}`));
  }

  if (failures.length > 0) {
    console.error(`\nFAILED: ${failures.length} correctness failure(s)`);
    for (const failure of failures) console.error(`  ${failure}`);
    return 1;
  }
  console.log('\nEvery phase did what it should (targets are reported, not enforced).');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('bench: crashed:', error);
    process.exitCode = 1;
  },
);
