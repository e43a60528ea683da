// `crm.fork()` of a seeded CRM on memory storage (issue 12: a test suite seeds once and forks per
// test in beforeEach, so a fork must cost about the same whatever the seed holds; target ≤ 5 ms
// at 10,000 contacts). The seed: 10,000 contacts, 1,000 companies and 2,000 deals (× --scale) by
// createMany, each contact with a company and each deal with two contacts and a company by
// associateMany, and one update in ten so some records hold more than their creation in their
// history. Reported: the median of 100 forks, each followed by one write to the fork, a create or
// an update (a fork is made to be written to: copy-on-write pays there), beside the floor: copying the same records
// into new Maps (`new Map(map)` per type and per record's associations: the cheapest honest deep
// copy a fixture could make without sharing).
import { createCrm, type AssociationPair, type Crm } from 'crmkit';
import { collectGarbage } from './timing.js';

const FORKS = 100;
/** The target for one fork of the seed at scale 1, in ms. */
export const FORK_TARGET_MS = 5;

export interface ForkResult {
  sizes: { contacts: number; companies: number; deals: number };
  /** Median ms of one `crm.fork()`, and of the write that follows it in the fork (a create, or an update). */
  fork: { medianMs: number; p90Ms: number };
  firstCreate: { medianMs: number };
  firstUpdate: { medianMs: number };
  /** Median ms of the floor: the seed's records and edges copied into fresh Maps. */
  floor: { medianMs: number };
  failures: string[];
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Seeds `crm` as the issue says; answers the ids per type. */
export async function seedForFork(crm: Crm, scale: number): Promise<{ contacts: string[]; companies: string[]; deals: string[] }> {
  const n = (full: number): number => Math.max(10, Math.round(full * scale));
  const sizes = { contacts: n(10_000), companies: n(1_000), deals: n(2_000) };
  const made = async (type: string, count: number, build: (i: number) => Record<string, string | number>): Promise<string[]> => {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, count - start) }, (_, at) => build(start + at));
      for (const record of await crm.records.createMany(type, batch)) ids.push(record.id);
    }
    return ids;
  };
  const companies = await made('companies', sizes.companies, (i) => ({ name: `Company ${i}`, domain: `company-${i}.example` }));
  const contacts = await made('contacts', sizes.contacts, (i) => ({ email: `person-${i}@company-${i % sizes.companies}.example`, firstname: `Person ${i}` }));
  const deals = await made('deals', sizes.deals, (i) => ({ dealname: `Deal ${i}`, amount: 1_000 + i, dealstage: 'appointmentscheduled' }));
  const pairs: AssociationPair[] = [];
  contacts.forEach((id, i) => pairs.push({ from: { objectType: 'contacts', id }, to: { objectType: 'companies', id: companies[i % companies.length]! } }));
  deals.forEach((id, i) => {
    pairs.push({ from: { objectType: 'deals', id }, to: { objectType: 'contacts', id: contacts[(2 * i) % contacts.length]! } });
    pairs.push({ from: { objectType: 'deals', id }, to: { objectType: 'contacts', id: contacts[(2 * i + 1) % contacts.length]! } });
    pairs.push({ from: { objectType: 'deals', id }, to: { objectType: 'companies', id: companies[i % companies.length]! } });
  });
  for (let start = 0; start < pairs.length; start += 1_000) await crm.associations.associateMany(pairs.slice(start, start + 1_000));
  for (let i = 0; i < contacts.length; i += 10) await crm.records.update('contacts', contacts[i]!, { lastname: `Updated ${i}` });
  return { contacts, companies, deals };
}

/** The floor: the same records and both halves of every edge copied into fresh Maps (no sharing). */
async function floorCopies(crm: Crm, ids: { contacts: string[]; companies: string[]; deals: string[] }): Promise<number[]> {
  // What a deep-copying fork has to copy, read once through the public API.
  const tables = new Map<string, Map<string, unknown>>();
  const edges = new Map<string, Map<string, Map<string, unknown>>>();
  for (const [type, list] of Object.entries(ids)) {
    const records = new Map<string, unknown>();
    const adjacency = new Map<string, Map<string, unknown>>();
    const { results } = await crm.records.getMany(type, list);
    for (const record of results) records.set(record.id, record);
    for (const id of list) {
      const halves = new Map<string, unknown>();
      for (const other of ['contacts', 'companies', 'deals']) {
        for (const edge of (await crm.associations.list({ objectType: type, id }, other, { limit: 500 })).results) halves.set(`${other}/${edge.id}`, edge);
      }
      adjacency.set(id, halves);
    }
    tables.set(type, records);
    edges.set(type, adjacency);
  }
  const times: number[] = [];
  for (let round = 0; round < FORKS; round++) {
    const start = performance.now();
    const copy = new Map<string, unknown>();
    for (const [type, records] of tables) copy.set(type, new Map(records));
    for (const [type, adjacency] of edges) copy.set(`${type}/edges`, new Map([...adjacency].map(([id, halves]) => [id, new Map(halves)])));
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Seeds one memory CRM and times `FORKS` forks of it, each followed by a create or an update in the fork;
 * then the floor.
 *
 * @example
 * printFork(await forkBench(1));
 */
export async function forkBench(scale: number): Promise<ForkResult> {
  const failures: string[] = [];
  const crm = await createCrm();
  const ids = await seedForFork(crm, scale);
  const forkTimes: number[] = [];
  const createTimes: number[] = [];
  const updateTimes: number[] = [];
  // Warm-up: the fork path and the first write in a fork are JIT-compiled before timing.
  for (let round = 0; round < 10; round++) {
    const fork = await crm.fork();
    await fork.records.create('contacts', { email: `warm-${round}@fork.test` });
    await (await crm.fork()).records.update('contacts', ids.contacts[round]!, { firstname: 'Warm' });
  }
  collectGarbage();
  for (let round = 0; round < FORKS; round++) {
    const start = performance.now();
    const fork = await crm.fork();
    const forked = performance.now();
    // Half the forks create (copying the type's id index and email keys), half update (neither).
    if (round % 2 === 0) await fork.records.create('contacts', { email: `fork-${round}@fork.test` });
    else await fork.records.update('contacts', ids.contacts[round]!, { firstname: `Fork ${round}` });
    (round % 2 === 0 ? createTimes : updateTimes).push(performance.now() - forked);
    forkTimes.push(forked - start);
  }
  // Every fork wrote to itself alone.
  if ((await crm.records.getBy('contacts', 'email', 'fork-0@fork.test')) !== undefined) failures.push("a fork's write reached its parent");
  collectGarbage();
  const floor = await floorCopies(crm, ids);
  await crm.close();
  return {
    sizes: { contacts: ids.contacts.length, companies: ids.companies.length, deals: ids.deals.length },
    fork: { medianMs: median(forkTimes), p90Ms: percentile(forkTimes, 0.9) },
    firstCreate: { medianMs: median(createTimes) },
    firstUpdate: { medianMs: median(updateTimes) },
    floor: { medianMs: median(floor) },
    failures,
  };
}

export function printFork(result: ForkResult, scale: number): void {
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  const { contacts, companies, deals } = result.sizes;
  const target = FORK_TARGET_MS;
  console.log('');
  console.log(
    `fork of a seeded CRM (memory): ${contacts.toLocaleString('en-US')} contacts, ${companies.toLocaleString('en-US')} companies, ` +
      `${deals.toLocaleString('en-US')} deals with associations and history; median of ${FORKS} forks, then a create or an update in each`,
  );
  console.log(`  crm.fork()            median ${ms(result.fork.medianMs)}, p90 ${ms(result.fork.p90Ms)}; target ≤ ${target} ms${scale === 1 ? '' : ' (at scale 1)'}  ${result.fork.medianMs <= target ? 'PASS' : 'MISS'}`);
  console.log(`  then a create         median ${ms(result.firstCreate.medianMs)} (the fork's first write to contacts copies their columns, id index and email keys)`);
  console.log(`  or an update          median ${ms(result.firstUpdate.medianMs)} (copies the columns only)`);
  console.log(`  floor                 median ${ms(result.floor.medianMs)} (the same records and both halves of every association copied into new Maps)`);
}
