// Paging a big association list: one company with 50,000 contacts (× --scale), listed 100 at a
// time from the first page to the last. A page must cost the same wherever it starts (keyset
// paging in every storage): the figure to watch is the last page's time against the first's,
// which a list that re-reads every edge per page (what crmkit did before) makes grow with the
// position. The floor pages a plain array of ids by index in the same run.
import type { Crm } from 'crmkit';
import type { StorageChoice } from './storages.js';
import { collectGarbage } from './timing.js';

const PAGE = 100;
const REPEATS = 7;

export interface PagingResult {
  edges: number;
  pages: number;
  /** Median time of one page call, in ms: the first page, and the last. */
  firstMs: number;
  lastMs: number;
  /** Walking every page once, following cursors. */
  allMs: number;
  floor: { firstMs: number; lastMs: number; allMs: number };
  failures: string[];
}

const median = (values: number[]): number => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeMedian(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let at = 0; at < REPEATS; at++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The company with `count` contacts, made before the clock starts. */
async function load(crm: Crm, count: number): Promise<{ company: { objectType: string; id: string }; ids: string[] }> {
  const company = await crm.records.create('companies', { name: 'Big Co', domain: 'big.example' });
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1_000) {
    const inputs = Array.from({ length: Math.min(1_000, count - start) }, (_, at) => ({ firstname: `P${start + at}` }));
    const made = await crm.records.createMany('contacts', inputs);
    await crm.associations.associateMany(made.map((contact) => ({ from: company, to: contact })));
    ids.push(...made.map((contact) => contact.id));
  }
  return { company: { objectType: 'companies', id: company.id }, ids };
}

/** The floor: the same pages of a plain array of ids, a cursor being the next index. */
async function floorPaging(ids: readonly string[]): Promise<PagingResult['floor']> {
  const lists = new Map<string, string[]>([['big', ids.slice()]]);
  const page = async (after: number): Promise<{ results: string[]; next?: number }> => {
    const all = lists.get('big')!;
    const results = all.slice(after, after + PAGE);
    return after + PAGE < all.length ? { results, next: after + PAGE } : { results };
  };
  const lastStart = Math.floor((ids.length - 1) / PAGE) * PAGE;
  const firstMs = await timeMedian(() => page(0));
  const lastMs = await timeMedian(() => page(lastStart));
  const start = performance.now();
  let after: number | undefined = 0;
  while (after !== undefined) after = (await page(after)).next;
  return { firstMs, lastMs, allMs: performance.now() - start };
}

export async function pagingBench(storage: StorageChoice, scale: number): Promise<PagingResult> {
  const count = Math.max(PAGE * 3, Math.round(50_000 * scale));
  const crm = await storage.open();
  const failures: string[] = [];
  try {
    const { company, ids } = await load(crm, count);
    collectGarbage();
    // Walk every page once, keeping the cursor that leads to the last one.
    const seen: string[] = [];
    let after: string | undefined;
    let lastCursor: string | undefined;
    let pages = 0;
    const start = performance.now();
    do {
      const page = await crm.associations.list(company, 'contacts', { limit: PAGE, ...(after !== undefined ? { after } : {}) });
      if (page.total !== count) failures.push(`page ${pages}: total ${page.total}, expected ${count}`);
      seen.push(...page.results.map((item) => item.id));
      pages++;
      if (page.paging?.next?.after !== undefined) lastCursor = page.paging.next.after;
      after = page.paging?.next?.after;
    } while (after !== undefined);
    const allMs = performance.now() - start;
    if (seen.length !== ids.length || seen.some((id, at) => id !== ids[at])) failures.push('the pages did not list every contact once, in association order');
    collectGarbage();
    const firstMs = await timeMedian(() => crm.associations.list(company, 'contacts', { limit: PAGE }));
    const lastMs = await timeMedian(() => crm.associations.list(company, 'contacts', { limit: PAGE, ...(lastCursor !== undefined ? { after: lastCursor } : {}) }));
    return { edges: count, pages, firstMs, lastMs, allMs, floor: await floorPaging(ids), failures };
  } finally {
    await crm.close();
  }
}

export function printPaging(result: PagingResult): void {
  const ms = (value: number): string => `${value.toFixed(value < 1 ? 3 : 1)} ms`;
  console.log('');
  console.log(`list pages: one company with ${result.edges.toLocaleString('en-US')} contacts, ${PAGE} a page (${result.pages} pages); median of ${REPEATS}`);
  console.log(`  crmkit  first page ${ms(result.firstMs)}, last page ${ms(result.lastMs)} (last/first ${(result.lastMs / result.firstMs).toFixed(2)}×), all pages ${ms(result.allMs)}`);
  console.log(`  floor   first page ${ms(result.floor.firstMs)}, last page ${ms(result.floor.lastMs)}, all pages ${ms(result.floor.allMs)}`);
  console.log(`  ratio   a page costs ${(result.firstMs / Math.max(result.floor.firstMs, 0.001)).toFixed(0)}× the floor's; target: last/first ≤ 2× (keyset paging)`);
}
